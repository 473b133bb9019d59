"""Certification background jobs: the print PDF and the printing-house CSV of a stamp batch."""

import csv

from django.utils.translation import gettext as _

from ocop.certification.stamps.models import StampBatch
from ocop.certification.stamps.services import stamp_batch_codes
from ocop.certification.stamps.sheet import LabelLayout, sheets_write
from ocop.core.errors import NotFound
from ocop.core.jobs import job_handler
from ocop.core.text import csv_safe


def _batch(job) -> StampBatch:
    batch = (
        StampBatch.objects.select_related("product__subject", "certificate")
        .filter(pk=job.params.get("batch_id"))
        .first()
    )
    if batch is None:
        raise NotFound(_("Không tìm thấy lô tem."), code="stamp_batch_not_found")
    return batch


def _filename(batch: StampBatch, suffix: str) -> str:
    return f"tem-{batch.product.ocop_code}-K{batch.key_id}-{batch.serial_start}-{batch.serial_end - 1}.{suffix}"


@job_handler("certification.stamp_sheets", idempotent=True)
def stamp_sheets(job, progress) -> dict:
    """A4 label sheets for the batch, written page by page (memory stays flat as the batch grows)."""
    batch = _batch(job)
    layout = LabelLayout(
        width=batch.label_width_mm, height=batch.label_height_mm, margin=batch.margin_mm, bleed=batch.bleed_mm
    )
    progress(0, batch.quantity, _("Đang tạo tệp in tem…"), force=True)
    path = progress.output_path(_filename(batch, "pdf"))
    with path.open("wb") as out:
        pages = sheets_write(
            out,
            stamp_batch_codes(batch),
            layout=layout,
            star=batch.certificate.star,
            total=batch.quantity,
            title=f"OCOP {batch.product.ocop_code} K{batch.key_id} {batch.serial_start}-{batch.serial_end - 1}",
            progress=progress,
        )
    return {"pages": pages, "stamps": batch.quantity, "labels_per_page": layout.per_page}


@job_handler("certification.stamp_codes", idempotent=True)
def stamp_codes(job, progress) -> dict:
    """CSV for printing houses: one line per stamp with its serial, code, printed code and the QR's URL."""
    batch = _batch(job)
    path = progress.output_path(_filename(batch, "csv"))
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["serial", "code", "printed_code", "url", "ocop_code", "gtin", "lot", "star"])
        for done, (serial, code, url) in enumerate(stamp_batch_codes(batch), start=1):
            printed = "-".join(code[i : i + 5] for i in range(0, 20, 5))
            writer.writerow(
                csv_safe(cell)
                for cell in [
                    serial,
                    code,
                    printed,
                    url,
                    batch.product.ocop_code,
                    batch.product.gtin,
                    batch.lot_code,
                    batch.certificate.star,
                ]
            )
            if done % 1000 == 0:
                progress(done, batch.quantity)
    progress(batch.quantity, batch.quantity, force=True)
    return {"stamps": batch.quantity}
