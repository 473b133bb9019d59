"""Hostile spreadsheets get a clear refusal, never a crash: a sheet whose cells claim position XFD1048576 (the
native reader would abort the process), a declared dimension of 17 billion cells, a zip bomb."""

import io
import re
import zipfile

import pytest
import xlsxwriter

from ocop.core.errors import ValidationError
from ocop.core.models import JobRun
from ocop.registry.importing.commit import import_run
from ocop.registry.models import Product

pytestmark = pytest.mark.django_db

HEADER = ["Tên sản phẩm", "Chủ thể", "Tỉnh", "Xã", "Hạng sao"]


def _workbook(rows) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


def _rewrite_sheet(data: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            content = source.read(name)
            archive.writestr(name, change(content) if name == "xl/worksheets/sheet1.xml" else content)
    return out.getvalue()


VALID = _workbook([HEADER, ["Mắm cá", "HTX Biển Xanh", "Lâm Đồng", "Phường Mũi Né", "3"]])


def _refusal(data: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        import_run(data=data, filename="list.xlsx")
    assert not Product.objects.exists()
    assert caught.value.fields["file"]
    return caught.value


def test_a_cell_at_xfd1048576_is_refused_without_killing_the_process():
    far_cell = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    data = _rewrite_sheet(VALID, lambda xml: xml.replace(b"</sheetData>", far_cell))
    assert len(data) < 10_000

    error = _refusal(data)

    assert error.code == "file_unreadable"
    assert str(error.message) == "Không đọc được bảng tính XLSX."


def test_a_sheet_declaring_a_huge_dimension_is_refused_with_the_reason():
    data = _rewrite_sheet(
        VALID, lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml)
    )

    error = _refusal(data)

    assert error.code == "file_too_large" and "A1:XFD1048576" in str(error.message)


def test_a_zip_bomb_is_refused_before_it_is_decompressed():
    comment = b"<!--" + b"A" * (64 * 1024 * 1024) + b"-->"
    data = _rewrite_sheet(VALID, lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + comment))
    assert len(data) < 200_000  # 64 MB inside

    error = _refusal(data)

    assert error.code == "file_unreadable" and "bom nén" in str(error.message)


def test_a_valid_workbook_still_imports():
    result = import_run(data=VALID, filename="list.xlsx")
    assert result.committed and Product.objects.count() == 1


def test_the_api_import_of_a_hostile_file_fails_its_job_with_the_message(
    client_for, province_officer_a, django_capture_on_commit_callbacks
):
    far_cell = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    data = _rewrite_sheet(VALID, lambda xml: xml.replace(b"</sheetData>", far_cell))
    upload = io.BytesIO(data)
    upload.name = "list.xlsx"

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(province_officer_a).post("/api/v1/imports", {"file": upload})

    assert response.status_code == 202
    job = JobRun.objects.get(pk=response.json()["id"])
    assert job.status == JobRun.Status.FAILED and job.result["code"] == "file_unreadable"
    assert not Product.objects.exists()


def test_an_over_long_name_is_a_row_error_on_every_database():
    data = _workbook([HEADER, ["M" * 300, "HTX Biển Xanh", "Lâm Đồng", "Phường Mũi Né", "3"]])

    result = import_run(data=data, filename="list.xlsx")

    assert not result.committed and not Product.objects.exists()
    assert [e["column"] for e in result.summary()["errors"]] == ["Tên sản phẩm"]
    assert "255" in result.summary()["errors"][0]["message"]
