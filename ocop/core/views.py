"""Error pages: JSON `{code, message, fields}` under /api/, a friendly page elsewhere — never a traceback."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def _error(request, status: int, code: str, message: str, template: str):
    if _wants_json(request):
        return JsonResponse({"code": code, "message": message, "fields": {}}, status=status)
    return render(request, template, {"message": message, "status": status}, status=status)


def page_not_found(request, exception=None):
    return _error(request, 404, "not_found", _("Không tìm thấy trang hoặc tài nguyên này."), "errors/404.html")


def permission_denied(request, exception=None):
    return _error(request, 403, "permission_denied", _("Bạn không có quyền truy cập trang này."), "errors/403.html")


def server_error(request):
    return _error(
        request, 500, "server_error", _("Đã có lỗi phía máy chủ. Chúng tôi đã ghi nhận và sẽ xử lý."), "errors/500.html"
    )
