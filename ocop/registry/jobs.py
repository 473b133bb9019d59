"""Background import: the upload is stored privately, then `registry.import` runs it with a progress bar."""

import datetime
import uuid
from pathlib import Path

import xlsxwriter
from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ocop.accounts.access import scope_forget
from ocop.core.errors import PermissionDenied, ValidationError
from ocop.core.jobs import job_handler, jobrun_start
from ocop.core.models import JobRun
from ocop.core.text import nfc
from ocop.registry.access import ensure_can_import_products
from ocop.registry.exports import ensure_can_export_registry, product_export_rows, subject_export_rows
from ocop.registry.importing.commit import import_run
from ocop.registry.importing.parsing import MAX_BYTES

MAX_REPORTED_ERRORS = 200


def import_upload_store(*, data: bytes) -> str:
    """Save uploaded bytes under PRIVATE_ROOT (never served directly); returns the relative path."""
    if len(data) > MAX_BYTES:
        raise ValidationError(_("Tệp lớn hơn 50 MB. Hãy chia nhỏ danh sách."), code="file_too_large")
    relative = Path("imports") / f"{uuid.uuid4().hex}.upload"
    target = Path(settings.PRIVATE_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return str(relative)


def import_job_start(
    *, actor, data: bytes, filename: str, as_of: datetime.date | None = None, mapping: dict | None = None
) -> JobRun:
    """Check access, store the file and queue the import job (runs after commit). Returns the JobRun."""
    ensure_can_import_products(actor)
    filename = nfc(filename)[:255] or "upload.csv"
    params = {
        "path": import_upload_store(data=data),
        "filename": filename,
        "as_of": as_of.isoformat() if as_of else None,
        "mapping": mapping or {},
    }
    return jobrun_start(kind="registry.import", actor=actor, params=params, title=str(_("Nhập danh sách sản phẩm")))


@job_handler("registry.import")
def import_job_handler(job: JobRun, progress) -> dict:
    """Run a stored upload; a file with row errors fails the job with the errors in its result."""
    params = job.params
    path = Path(settings.PRIVATE_ROOT) / params["path"]
    as_of = datetime.date.fromisoformat(params["as_of"]) if params.get("as_of") else None
    result = import_run(
        data=path.read_bytes(),
        filename=params.get("filename", path.name),
        actor=job.created_by,
        as_of=as_of,
        mapping=params.get("mapping") or None,
        progress=progress,
    )
    summary = result.summary()
    if result.errors:
        fields = {f"row {e['row']} / {e['column']}": e["message"] for e in summary["errors"][:MAX_REPORTED_ERRORS]}
        raise ValidationError(
            _("Tệp có %(count)s lỗi; không có dữ liệu nào được ghi.") % {"count": len(summary["errors"])},
            code="import_rejected",
            fields=fields,
        )
    path.unlink(missing_ok=True)
    return summary


# ----------------------------------------------------------------------------------------------- exports
# The XLSX exports are started by ocop.registry.exports (access check, audit); the handlers live here so
# that core's job discovery (each app's `jobs` module) registers them.

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


def _write_xlsx(*, progress, filename: str, sheet_name: str, headers: list, rows, total: int, to_row) -> int:
    """Stream `rows` into an XLSX file; constant_memory keeps one row in memory whatever the list size."""
    path = progress.output_path(filename)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    count = 0
    try:
        sheet = workbook.add_worksheet(sheet_name)
        sheet.write_row(0, 0, [str(h) for h in headers], workbook.add_format({"bold": True}))
        sheet.freeze_panes(1, 0)
        for count, obj in enumerate(rows, start=1):
            sheet.write_row(count, 0, to_row(obj))
            progress(count, total)
        sheet.set_column(0, len(headers) - 1, 22)
    finally:
        workbook.close()
    progress(count, total, force=True)
    return count


@job_handler("registry.export_products")
def export_products_job(job: JobRun, progress) -> dict:
    """Write the actor's scoped product list (params["filters"]) to XLSX. Raises PermissionDenied."""
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

    rows = _write_xlsx(
        progress=progress,
        filename="san-pham-ocop.xlsx",
        sheet_name=str(_("Sản phẩm")),
        headers=headers,
        rows=products.iterator(chunk_size=EXPORT_CHUNK),
        total=total,
        to_row=to_row,
    )
    return {"rows": rows, "filters": job.params.get("filters") or {}}


@job_handler("registry.export_subjects")
def export_subjects_job(job: JobRun, progress) -> dict:
    """Write the actor's scoped subject list (params["filters"]) to XLSX. Raises PermissionDenied."""
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

    rows = _write_xlsx(
        progress=progress,
        filename="chu-the-ocop.xlsx",
        sheet_name=str(_("Chủ thể")),
        headers=headers,
        rows=subjects.annotate(product_count=Count("products", distinct=True)).iterator(chunk_size=EXPORT_CHUNK),
        total=total,
        to_row=to_row,
    )
    return {"rows": rows, "filters": job.params.get("filters") or {}}
