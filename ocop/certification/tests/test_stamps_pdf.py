"""Stamp sheets and the printing-house CSV, produced by background jobs; every QR on the PDF decodes to a URL
that verifies."""

import csv

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.conf import settings

from ocop.certification.stamps import testing as stamp_testing
from ocop.certification.stamps.services import stamp_batch_files_start, stamp_batch_order, stamp_verify
from ocop.core.jobs import jobrun_execute, jobrun_file_path
from ocop.core.models import JobRun

pytestmark = pytest.mark.django_db
certified_a = stamp_testing.certified_a


def _run(job):
    jobrun_execute(str(job.pk))
    job.refresh_from_db()
    assert job.status == JobRun.Status.SUCCEEDED, job.message
    return jobrun_file_path(job)


def test_every_qr_on_the_sheets_decodes_to_a_verifying_url(certified_a, client):
    certified_a.gtin = "8935049500018"
    certified_a.save(update_fields=["gtin"])
    batch = stamp_batch_order(actor=None, product=certified_a, quantity=30, lot_code="L7")
    pdf_job, csv_job = stamp_batch_files_start(actor=None, batch=batch)

    pdf_path = _run(pdf_job)

    document = pdfium.PdfDocument(str(pdf_path))
    try:
        assert len(document) == 2 and pdf_job.result["labels_per_page"] == 25
        urls = []
        for page in document:
            urls += [r.text for r in zxingcpp.read_barcodes(page.render(scale=200 / 72).to_pil())]
            text = page.get_textpage().get_text_range()
            assert "OCOP" in text
    finally:
        document.close()
    assert len(urls) == 30 and len(set(urls)) == 30
    for url in urls:
        assert url.startswith(f"{settings.PUBLIC_URL}/01/08935049500018/10/L7/21/")
        response = client.get(url.removeprefix(settings.PUBLIC_URL))
        assert 'data-outcome="valid"' in response.content.decode()
    serials = sorted(stamp_verify(code=u.rsplit("/", 1)[1]).serial for u in urls)
    assert serials == list(range(batch.serial_start, batch.serial_end))


def test_csv_lists_every_code_with_its_url(certified_a):
    batch = stamp_batch_order(actor=None, product=certified_a, quantity=12)
    _pdf_job, csv_job = stamp_batch_files_start(actor=None, batch=batch)

    with _run(csv_job).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))

    assert len(rows) == 12
    assert rows[0]["url"] == f"{settings.PUBLIC_URL}/s/{rows[0]['code']}"
    assert all(stamp_verify(code=r["printed_code"]).outcome == "valid" for r in rows)


def test_custom_label_size_changes_the_grid(certified_a):
    batch = stamp_batch_order(
        actor=None, product=certified_a, quantity=3, label_width_mm=60, label_height_mm=80, margin_mm=5, bleed_mm=0
    )
    pdf_job, _csv_job = stamp_batch_files_start(actor=None, batch=batch)

    _run(pdf_job)

    assert pdf_job.result["labels_per_page"] == 3 * 3
