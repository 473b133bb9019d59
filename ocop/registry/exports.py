"""XLSX exports of the subject and product lists, run as background jobs with a progress bar.

The start services check access and record the audit event; the job handlers (ocop.registry.jobs) re-check
access and recompute the actor's scope when they run, because a role can be withdrawn between the click and the
run. Rows are the selector's list intersected with the actor's administrative scope: the product selector also
returns other provinces' public products, which an officer may browse but must not receive as a bulk file.
"""

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from ocop.accounts.access import scope_for, scope_forget
from ocop.core.audit import audit_record
from ocop.core.errors import PermissionDenied, ValidationError
from ocop.core.jobs import jobrun_start
from ocop.core.models import JobRun
from ocop.core.text import nfc
from ocop.core.xlsx import xlsx_write_rows
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
    """Products the export of `user` contains: their own area's products matching `filters`."""
    return selectors.product_list_for_user(user=user, filters=filters, own_area=True)


def subject_export_rows(*, user, filters: dict) -> QuerySet[Subject]:
    """Subjects the export of `user` contains: the selector with `filters`, kept to their current scope (the
    selector also shows subjects a user created, which may lie outside an area they no longer hold)."""
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


# ------------------------------------------------------------------------------------------- job bodies


EXPORT_CHUNK = 2000


def _export_actor(job: JobRun):
    """The person who started the export, re-checked now: a role withdrawn since then exports nothing."""
    actor = job.created_by
    if actor is None:
        raise PermissionDenied()
    scope_forget(actor)
    ensure_can_export_registry(actor)
    return actor


def _unit_names() -> dict[str, str]:
    """Current province and commune names by code (one query; ~3,400 rows)."""
    from ocop.geo.models import AdminUnit

    units = AdminUnit.objects.filter(
        valid_until__isnull=True, level__in=[AdminUnit.Level.PROVINCE, AdminUnit.Level.COMMUNE]
    )
    return dict(units.values_list("code", "full_name"))


def products_export_run(*, job: JobRun, progress) -> dict:
    """Job body: write the starter's scoped product list (params["filters"]) to XLSX. Raises PermissionDenied."""
    actor = _export_actor(job)
    products = product_export_rows(user=actor, filters=job.params.get("filters") or {})
    total = products.count()
    progress(0, total, _("Đang xuất %(count)s sản phẩm") % {"count": total}, force=True)
    units = _unit_names()
    headers = [
        _("Mã OCOP"),
        _("Tên sản phẩm"),
        _("Chủ thể"),
        _("Mã số thuế"),
        _("Loại hình"),
        _("Tỉnh / thành phố"),
        _("Xã / phường"),
        _("Phân loại"),
        _("Nhóm sản phẩm (theo nguồn)"),
        _("Hạng sao"),
        _("Giấy chứng nhận còn hiệu lực"),
        _("Mã GTIN"),
        _("Trạng thái"),
    ]
    yes, no = str(_("Có")), str(_("Không"))

    def to_row(p):
        s = p.subject
        return [
            p.ocop_code,
            p.name,
            s.name,
            s.tax_code,
            s.get_legal_form_display(),
            units.get(s.province_code, s.province_code),
            units.get(s.current_commune_code, s.current_commune_code),
            p.category.name if p.category_id else "",
            p.category_text,
            p.stars or "",
            yes if p.has_valid_certificate else no,
            p.gtin,
            p.get_status_display(),
        ]

    rows = xlsx_write_rows(
        progress=progress,
        filename="san-pham-ocop.xlsx",
        sheet_name=str(_("Sản phẩm")),
        headers=headers,
        rows=products.iterator(chunk_size=EXPORT_CHUNK),
        total=total,
        to_row=to_row,
    )
    return {"rows": rows, "filters": job.params.get("filters") or {}}


def subjects_export_run(*, job: JobRun, progress) -> dict:
    """Job body: write the starter's scoped subject list (params["filters"]) to XLSX. Raises PermissionDenied."""
    actor = _export_actor(job)
    subjects = subject_export_rows(user=actor, filters=job.params.get("filters") or {})
    total = subjects.count()
    progress(0, total, _("Đang xuất %(count)s chủ thể") % {"count": total}, force=True)
    units = _unit_names()
    headers = [
        _("Tên chủ thể"),
        _("Loại hình"),
        _("Mã số thuế"),
        _("Người đại diện theo pháp luật"),
        _("Điện thoại"),
        _("Thư điện tử"),
        _("Địa chỉ"),
        _("Xã / phường"),
        _("Tỉnh / thành phố"),
        _("Trạng thái xác minh"),
        _("Số sản phẩm"),
    ]

    def to_row(s):
        return [
            s.name,
            s.get_legal_form_display(),
            s.tax_code,
            s.legal_representative,
            s.phone,
            s.email,
            s.address_line,
            units.get(s.current_commune_code, s.current_commune_code),
            units.get(s.province_code, s.province_code),
            s.get_verification_status_display(),
            s.product_count,
        ]

    rows = xlsx_write_rows(
        progress=progress,
        filename="chu-the-ocop.xlsx",
        sheet_name=str(_("Chủ thể")),
        headers=headers,
        rows=subjects.annotate(product_count=Count("products", distinct=True)).iterator(chunk_size=EXPORT_CHUNK),
        total=total,
        to_row=to_row,
    )
    return {"rows": rows, "filters": job.params.get("filters") or {}}
