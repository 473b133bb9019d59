"""The API's edge: every answer under /api/ is JSON in the platform's error shape, whoever produced it.

Django and ninja answer some requests before our handlers see them: 405 for a method a path does not take, 404
for an unknown path, 400 for a Host that is not allowed, 413 for a body too large, 500 for a bug. Those come out
as HTML; a partner system expecting `{code, message, fields}` gets a page it cannot parse. This middleware, the
outermost, rewrites them. It also refuses NUL characters in the query string and in JSON bodies (422): no
database stores them (PostgreSQL refuses, SQLite truncates some tools' reads), and no legitimate text has one.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import unquote_plus

from django.http import JsonResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: ("bad_request", _("Yêu cầu không hợp lệ.")),
        401: ("unauthorized", _("Cần đăng nhập hoặc token API hợp lệ.")),
        403: ("forbidden", _("Bạn không có quyền thực hiện thao tác này.")),
        404: ("not_found", _("Không tìm thấy.")),
        405: ("method_not_allowed", _("Phương thức không được hỗ trợ trên đường dẫn này.")),
        413: ("payload_too_large", _("Dữ liệu gửi lên quá lớn.")),
        429: ("rate_limited", _("Quá nhiều yêu cầu.")),
        500: ("server_error", _("Lỗi máy chủ. Vui lòng thử lại sau.")),
    }


def error_response(status: int, code: str = "", message: str = "", fields: dict | None = None) -> JsonResponse:
    default_code, default_message = _messages().get(status, ("http_error", _("Yêu cầu không hợp lệ.")))
    return JsonResponse(
        {"code": code or default_code, "message": message or default_message, "fields": fields or {}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _has_nul(request) -> str | None:
    """The name of the first query parameter or JSON body containing a NUL character, or None."""
    for part in request.META.get("QUERY_STRING", "").split("&"):
        name, _sep, value = part.partition("=")
        if "\x00" in unquote_plus(value) or "\x00" in unquote_plus(name):
            return unquote_plus(name).replace("\x00", "") or "query"
    if request.method in ("POST", "PUT", "PATCH") and request.content_type == "application/json":
        body = request.body
        if b"\\u0000" in body or b"\x00" in body:
            try:
                json.loads(body)
            except ValueError:
                return None  # not JSON at all: the endpoint's own validation says so
            return "body"
    return None


class ApiEdgeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        field = _has_nul(request)
        if field is not None:
            message = _("Dữ liệu chứa ký tự NUL (\\u0000), không được chấp nhận.")
            return error_response(422, "validation_error", message, {field: [message]})
        response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith("application/json"):
            shaped = error_response(response.status_code)
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    shaped[header] = response[header]
            return shaped
        return response
