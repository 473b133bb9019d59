"""Background import: the upload is stored privately, then `registry.import` runs it with a progress bar."""

import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ocop.core.errors import ValidationError
from ocop.core.jobs import job_handler, jobrun_start
from ocop.core.models import JobRun
from ocop.core.text import nfc
from ocop.registry import exports
from ocop.registry.access import ensure_can_import_products
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
# Started by ocop.registry.exports (access check, audit), which also writes the files: its strings belong to
# the registry catalogue (update_translations files every `jobs.py` under a separate "jobs" area).


@job_handler(exports.EXPORT_PRODUCTS, idempotent=True)
def export_products_job(job: JobRun, progress) -> dict:
    """Write the starter's scoped product list to XLSX (see exports.products_export_run)."""
    return exports.products_export_run(job=job, progress=progress)


@job_handler(exports.EXPORT_SUBJECTS, idempotent=True)
def export_subjects_job(job: JobRun, progress) -> dict:
    """Write the starter's scoped subject list to XLSX (see exports.subjects_export_run)."""
    return exports.subjects_export_run(job=job, progress=progress)
