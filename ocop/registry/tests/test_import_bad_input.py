import io

import pytest
import xlsxwriter

from ocop.core.errors import ValidationError
from ocop.registry.importing.commit import import_run
from ocop.registry.importing.parsing import MAX_BYTES
from ocop.registry.models import Product, Subject

pytestmark = pytest.mark.django_db

HEADER = (
    "product_name,subject_name,subject_type,province,district,commune,"
    "product_group,stars,score,year,decision,source_url\n"
)
GOOD = "Cà phê Đắk Song,Công ty TNHH Cà phê X,Doanh nghiệp,Đắk Nông,huyện Đắk Song,xã Thuận Hà,Thực phẩm,3,,2025,,\n"


def csv_bytes(*rows, header=HEADER, encoding="utf-8"):
    return (header + "".join(rows)).encode(encoding)


def file_error(data, filename="list.csv"):
    with pytest.raises(ValidationError) as info:
        import_run(data=data, filename=filename)
    return info.value


def row_errors(data, filename="list.csv"):
    result = import_run(data=data, filename=filename)
    assert not result.committed
    assert not Product.objects.exists() and not Subject.objects.exists()
    return result.summary()["errors"]


def test_good_row_is_imported():
    result = import_run(data=csv_bytes(GOOD), filename="list.csv")
    assert result.committed and result.created_products == 1


def test_renamed_binary_is_refused():
    assert file_error(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" * 10, "list.csv").code == "file_type"
    assert file_error(b"not a zip at all", "list.xlsx").code == "file_type"


def test_empty_file_is_refused():
    assert file_error(b"", "list.csv").code == "file_empty"
    assert file_error(b"\n\n  \n", "list.csv").code == "file_empty"


def test_missing_header_row_is_refused():
    assert file_error(GOOD.encode() * 3).code == "header_missing"


def test_missing_required_column_is_refused():
    error = file_error(csv_bytes("X,3\n", header="product_name,stars\n"))
    assert error.code == "column_missing"
    assert "Chủ thể" in str(error.message) and "Tỉnh" in str(error.message)


def test_file_over_50_mb_is_refused():
    assert file_error(b"a" * (MAX_BYTES + 1)).code == "file_too_large"


def test_unknown_province_is_a_row_error_with_nothing_written():
    errors = row_errors(csv_bytes(GOOD, GOOD.replace("Đắk Nông", "Tỉnh Không Tồn Tại")))
    assert [(e["row"], e["column"]) for e in errors] == [(3, "province")]


@pytest.mark.parametrize(
    ("column", "bad_row"),
    [
        ("stars", GOOD.replace(",3,,2025", ",6,,2025")),
        ("score", GOOD.replace(",3,,2025", ",3,120,2025")),
        ("year", GOOD.replace(",2025,", ",1800,")),
    ],
)
def test_out_of_range_values_are_row_errors(column, bad_row):
    errors = row_errors(csv_bytes(GOOD, bad_row))
    assert [(e["row"], e["column"]) for e in errors] == [(3, column)]


def test_bad_gtin_check_digit_and_duplicate_tax_code_are_row_errors():
    header = HEADER.replace("\n", ",tax_code,gtin\n")
    rows = [
        GOOD.replace("\n", ",0101234567,8934588012228\n"),
        GOOD.replace("Cà phê Đắk Song", "Tiêu").replace("\n", ",0101234567,8934588012220\n").replace("X,", "Y,"),
    ]
    errors = row_errors(csv_bytes(*rows, header=header))
    assert sorted(e["column"] for e in errors) == ["gtin", "tax_code"]


def test_row_without_stars_is_imported_without_certificate():
    result = import_run(data=csv_bytes(GOOD.replace(",3,,2025", ",,,2025")), filename="l.csv")
    assert result.committed and result.by_stars["none"] == 1 and result.created_certificates == 0


def test_vietnamese_headers_and_cp1258_encoding_are_understood():
    header = "Tên sản phẩm;Chủ thể;Tỉnh;Huyện;Xã;Số sao;Năm\n"
    row = "Cà phê;HTX Cà phê Thuận Hà;Đắk Nông;huyện Đắk Song;xã Thuận Hà;★★★★;2025\n"
    data = (header + row).encode("cp1258", errors="strict") if _cp1258_ok(header + row) else (header + row).encode()
    result = import_run(data=data, filename="list.csv")
    assert result.committed and result.by_stars["4"] == 1
    assert Subject.objects.get().legal_form == "cooperative"


def _cp1258_ok(text):
    try:
        text.encode("cp1258")
    except UnicodeEncodeError:
        return False
    return True


def _xlsx(rows, *, formula=False, merge=False):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    if formula:
        sheet.write_formula(1, 7, "=1+2")
    if merge:
        sheet.merge_range(2, 0, 2, 1, "merged")
    book.close()
    return buffer.getvalue()


XLSX_ROWS = [HEADER.strip().split(","), GOOD.strip().split(",")]


def test_xlsx_is_imported():
    result = import_run(data=_xlsx(XLSX_ROWS), filename="list.xlsx")
    assert result.committed and result.created_products == 1


def test_xlsx_with_formulas_or_merged_cells_is_refused():
    assert file_error(_xlsx(XLSX_ROWS, formula=True), "list.xlsx").code == "xlsx_formula"
    assert file_error(_xlsx([*XLSX_ROWS, ["a"]], merge=True), "list.xlsx").code == "xlsx_merged"
