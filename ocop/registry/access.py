"""Who may read and change registry records. Every selector, service and view goes through these.

- central officers / superusers: everything;
- provincial officers: subjects whose current province is theirs;
- commune officers: subjects whose current commune is theirs (they verify applications there);
- producers: their own subject (RoleAssignment role "producer", object_id = subject pk);
- anonymous: published products with a valid recognition only (see selectors).
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocop.accounts.access import scope_for
from ocop.core.errors import NotFound, PermissionDenied


def subject_scope_q(user, prefix: str = "") -> Q:
    """Q restricting subjects (or, with prefix "subject__", their products) to what `user` may see."""
    scope = scope_for(user)
    q = scope.filter_q(province_field=f"{prefix}province_code", commune_field=f"{prefix}current_commune_code")
    if scope.subject_ids:
        ids = [int(s) for s in scope.subject_ids if str(s).isdigit()]
        q |= Q(**{f"{prefix}pk__in": ids})
    return q


def can_view_subject(user, subject) -> bool:
    scope = scope_for(user)
    return (
        scope.covers_commune(subject.current_commune_code, subject.province_code)
        or str(subject.pk) in scope.subject_ids
        or (subject.created_by_id is not None and subject.created_by_id == getattr(user, "pk", None))
    )


def ensure_can_view_subject(user, subject) -> None:
    """NotFound (not PermissionDenied) so that outsiders cannot probe which subjects exist."""
    if not can_view_subject(user, subject):
        raise NotFound(_("Không tìm thấy chủ thể."), code="subject_not_found")


def ensure_can_edit_subject(user, subject) -> None:
    """Officers covering the subject, or its own producer. Raises NotFound / PermissionDenied."""
    ensure_can_view_subject(user, subject)
    scope = scope_for(user)
    if scope.is_officer or str(subject.pk) in scope.subject_ids or subject.created_by_id == user.pk:
        return
    raise PermissionDenied()


def ensure_can_create_subject(user, *, province_code: str, commune_code: str = "", registration: bool = False) -> None:
    """Who may create a subject where.

    Officers create (verified) subjects inside their units only: central anywhere, provincial in their provinces,
    commune officers in their communes. Anyone else creates a subject only through self-registration
    (`registration=True`: pending, verified later by the commune or province); never through the API.
    """
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied()
    scope = scope_for(user)
    if not scope.is_officer:
        if registration:
            return
        raise PermissionDenied(
            _("Chủ thể tự đăng ký qua trang đăng ký; chỉ cán bộ được tạo chủ thể."), code="registration_required"
        )
    if province_code and scope.covers_commune(commune_code, province_code):
        return
    raise PermissionDenied(_("Chỉ được tạo chủ thể trong phạm vi địa bàn được giao."), code="out_of_scope")


def ensure_can_verify_subject(user, subject) -> None:
    """Commune officers of the subject's commune and provincial/central officers covering it."""
    scope = scope_for(user)
    if scope.is_officer and scope.covers_commune(subject.current_commune_code, subject.province_code):
        return
    raise PermissionDenied()


def ensure_can_import_products(user, *, province_code: str = "") -> None:
    """Provincial and central officers import recognised-product lists."""
    scope = scope_for(user)
    if scope.nationwide or (scope.province_codes and (not province_code or province_code in scope.province_codes)):
        return
    raise PermissionDenied(_("Chỉ cán bộ cấp tỉnh hoặc trung ương được nhập danh sách sản phẩm."), code="import_denied")


def import_row_in_scope(user, *, province_code: str) -> bool:
    """Whether an import by `user` may create or match subjects and products in `province_code` (the row's current
    province): central officers anywhere, provincial officers in their provinces only. A row whose province could
    not be resolved is reported by the resolver, not here."""
    scope = scope_for(user)
    return scope.nationwide or not province_code or province_code in scope.province_codes
