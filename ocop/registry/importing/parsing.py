"""Read an uploaded list (CSV or XLSX) into a header row and text rows, refusing what we cannot read safely.

File-level problems (wrong type, empty file, formulas, merged cells, too large) raise ValidationError with a
specific code; row-level problems are reported later, row by row.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ocop.core.errors import ValidationError
from ocop.core.spreadsheets import check_xlsx_archive, read_first_sheet
from ocop.core.text import csv_unguard, nfc

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls / .doc
_FORMULA_RE = re.compile(rb"<(?:\w+:)?f[ >/]")
_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z0-9:]+)"')


@dataclass
class Table:
    rows: list[list[str]]  # every row of the first sheet, cells as NFC text, trailing empty cells kept
    encoding: str = ""
    kind: str = "csv"


def _fail(message, code: str):
    raise ValidationError(message, code=code, fields={"file": [message]})


def read_table(data: bytes, filename: str = "") -> Table:
    """Parse bytes as CSV (utf-8, utf-8-sig, cp1258) or XLSX. Raises ValidationError for unusable files."""
    if len(data) > MAX_BYTES:
        _fail(_("Tệp lớn hơn 50 MB. Hãy chia nhỏ danh sách."), "file_too_large")
    if not data.strip():
        _fail(_("Tệp rỗng."), "file_empty")
    name = filename.lower()
    if data.startswith(_XLSX_MAGIC):
        return _read_xlsx(data)
    if name.endswith((".xlsx", ".xlsm")):
        _fail(_("Tệp không phải là bảng tính XLSX hợp lệ (có thể đã bị đổi đuôi)."), "file_type")
    if data.startswith(_OLE_MAGIC) or name.endswith(".xls"):
        _fail(_("Định dạng XLS cũ không được hỗ trợ. Hãy lưu lại dưới dạng XLSX hoặc CSV."), "file_type")
    if name and not name.endswith((".csv", ".txt")):
        _fail(_("Chỉ nhận tệp CSV hoặc XLSX."), "file_type")
    return _read_csv(data)


def _decode(data: bytes) -> tuple[str, str]:
    if b"\x00" in data[:4096]:
        _fail(_("Tệp chứa dữ liệu nhị phân, không phải CSV."), "file_type")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Windows-1258 (Vietnamese) is what Excel on a Vietnamese Windows writes as "CSV".
    try:
        return data.decode("cp1258"), "cp1258"
    except UnicodeDecodeError:
        _fail(_("Không đọc được mã hoá ký tự của tệp. Hãy lưu tệp CSV dạng UTF-8."), "file_encoding")
    raise AssertionError("unreachable")


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            rows.append([csv_unguard(nfc(cell)) for cell in row])
            if len(rows) > MAX_ROWS:
                _fail(_("Tệp có quá nhiều dòng."), "file_too_many_rows")
    except csv.Error:
        _fail(_("Tệp CSV bị lỗi định dạng."), "file_format")
    if not any(any(cell for cell in row) for row in rows):
        _fail(_("Tệp rỗng."), "file_empty")
    return Table(rows=rows, encoding=encoding, kind="csv")


def _read_xlsx(data: bytes) -> Table:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
    except zipfile.BadZipFile:
        _fail(_("Tệp không phải là bảng tính XLSX hợp lệ (có thể đã bị đổi đuôi)."), "file_type")
    if not sheets:
        _fail(_("Tệp không phải là bảng tính XLSX hợp lệ (có thể đã bị đổi đuôi)."), "file_type")
    check_xlsx_archive(archive)  # zip bombs and absurd dimensions, before anything large is decompressed
    first = sorted(sheets)[0]
    # Formula results are cached values that may be stale or missing; we import typed values only.
    sheet_xml = archive.read(first)
    if _FORMULA_RE.search(sheet_xml):
        _fail(
            _("Bảng tính chứa công thức. Hãy sao chép và dán dạng giá trị (Paste Values) rồi tải lại."), "xlsx_formula"
        )
    merged = _MERGE_RE.search(sheet_xml)
    if merged:
        ref = merged.group(1).decode()
        _fail(_("Bảng tính có ô gộp (%(ref)s). Hãy bỏ gộp ô rồi tải lại.") % {"ref": ref}, "xlsx_merged")
    rows = [[_cell(v) for v in row] for row in read_first_sheet(data)]  # in a limited child process
    if len(rows) > MAX_ROWS:
        _fail(_("Tệp có quá nhiều dòng."), "file_too_many_rows")
    if not any(any(cell for cell in row) for row in rows):
        _fail(_("Tệp rỗng."), "file_empty")
    return Table(rows=rows, kind="xlsx")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return csv_unguard(nfc(str(value)))
