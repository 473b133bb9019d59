"""Domain errors. Services raise these; the interfaces map them to form errors (UI) or to
`{code, message, fields}` with an HTTP status (API). Messages are lazy gettext strings so each
request gets them in its own language."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 400
    code = "invalid"
    default_message = _("Yêu cầu không hợp lệ.")

    def __init__(self, message=None, *, code: str | None = None, fields: dict | None = None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.fields = fields or {}
        super().__init__(str(self.message))

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "message": str(self.message),
            "fields": {
                k: [str(m) for m in (v if isinstance(v, list | tuple) else [v])] for k, v in self.fields.items()
            },
        }


class ValidationError(DomainError):
    status = 422
    code = "validation_error"
    default_message = _("Dữ liệu không hợp lệ.")


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_message = _("Không tìm thấy.")


def found(obj, code: str):
    """`obj`, or NotFound with `code` when it is None: for `queryset.filter(...).first()` lookups."""
    if obj is None:
        raise NotFound(code=code)
    return obj


class PermissionDenied(DomainError):
    status = 403
    code = "permission_denied"
    default_message = _("Bạn không có quyền thực hiện thao tác này.")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = _("Dữ liệu đã bị thay đổi bởi người khác. Vui lòng tải lại.")
