"""XLSX exports of the subject and product lists, run as background jobs with a progress bar.

The start services check access and record the audit event; the job handlers (ocop.registry.jobs) re-check
access and recompute the actor's scope when they run, because a role can be withdrawn between the click and the
run. Rows are the selector's list intersected with the actor's administrative scope: the product selector also
returns other provinces' public products, which an officer may browse but must not receive as a bulk file.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ocop.accounts.access import scope_for
from ocop.core.audit import audit_record
from ocop.core.errors import PermissionDenied, ValidationError
from ocop.core.jobs import jobrun_start
from ocop.core.models import JobRun
from ocop.core.text import nfc
from ocop.registry import access, selectors
from ocop.registry.models import Product, Subject

EXPORT_PRODUCTS = "registry.export_products"
EXPORT_SUBJECTS = "registry.export_subjects"
PRODUCT_FILTERS = ("province", "commune", "legal_form", "category", "stars", "certificate", "q")
SUBJECT_FILTERS = ("province", "commune", "legal_form", "verification_status", "q")
INT_FILTERS = ("category", "stars")
CERTIFICATE_FILTERS = ("", "valid", "expired", "none")


def ensure_can_export_registry(user) -> None:
    """Officers with an administrative scope (commune, province or nationwide) export lists; nobody else.

    Raises PermissionDenied.
    """
    scope = scope_for(user)
    if getattr(user, "is_authenticated", False) and scope.is_officer and not scope.is_empty:
        return
    raise PermissionDenied(_("Chỉ cán bộ quản lý được xuất danh sách."), code="export_denied")


def _clean_filters(filters: dict | None, allowed: tuple[str, ...]) -> dict:
    """Keep known, non-empty filters as JSON-safe values (they are stored in the JobRun params)."""
    cleaned = {}
    for key in allowed:
        value = (filters or {}).get(key)
        if value in (None, ""):
            continue
        if key in INT_FILTERS:
            try:
                cleaned[key] = int(value)
            except (TypeError, ValueError):
                raise ValidationError(fields={key: [_("Giá trị không hợp lệ.")]}) from None
        else:
            cleaned[key] = nfc(str(value)).strip()
    if cleaned.get("certificate", "") not in CERTIFICATE_FILTERS:
        raise ValidationError(fields={"certificate": [_("Giá trị không hợp lệ.")]})
    return cleaned


def product_export_rows(*, user, filters: dict) -> QuerySet[Product]:
    """Products the export of `user` contains: the scoped selector with `filters`, restricted to their scope."""
    products = selectors.product_list_for_user(user=user, filters=filters)
    return products.filter(access.subject_scope_q(user, prefix="subject__"))


def subject_export_rows(*, user, filters: dict) -> QuerySet[Subject]:
    """Subjects the export of `user` contains: the scoped selector with `filters`, restricted to their scope."""
    subjects = selectors.subject_list_for_user(user=user, filters=filters)
    return subjects.filter(access.subject_scope_q(user))


def _start(*, actor, kind: str, filters: dict, title) -> JobRun:
    ensure_can_export_registry(actor)
    job = jobrun_start(kind=kind, actor=actor, params={"filters": filters}, title=str(title))
    audit_record(action="registry.export", actor=actor, target=job, data={"kind": kind, "filters": filters})
    return job


def products_export_start(*, actor, filters: dict | None = None) -> JobRun:
    """Queue an XLSX export of the products in the actor's scope (filters as product_list_for_user).

    Records the audit event `registry.export`. Raises PermissionDenied (not an officer) or ValidationError
    (malformed filter).
    """
    cleaned = _clean_filters(filters, PRODUCT_FILTERS)
    return _start(actor=actor, kind=EXPORT_PRODUCTS, filters=cleaned, title=_("Xuất danh sách sản phẩm"))


def subjects_export_start(*, actor, filters: dict | None = None) -> JobRun:
    """Queue an XLSX export of the subjects in the actor's scope (filters as subject_list_for_user).

    Records the audit event `registry.export`. Raises PermissionDenied or ValidationError.
    """
    cleaned = _clean_filters(filters, SUBJECT_FILTERS)
    return _start(actor=actor, kind=EXPORT_SUBJECTS, filters=cleaned, title=_("Xuất danh sách chủ thể"))
