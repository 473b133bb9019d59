"""Row-level reading: turn one row of text cells into typed values, or issues saying what is wrong and how to fix it."""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from ocop.core.text import fold, nfc
from ocop.registry import rules

ERROR = "error"
WARNING = "warning"
MIN_YEAR, MAX_YEAR = 2008, 2100  # OCOP started in Quảng Ninh in 2008; nothing earlier is a recognition


@dataclass
class RowIssue:
    row: int
    column: str
    message: str
    suggestion: str = ""
    severity: str = ERROR
    code: str = ""

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "code": self.code,
            "column": self.column,
            "message": str(self.message),
            "suggestion": str(self.suggestion),
            "severity": self.severity,
        }


@dataclass
class RowData:
    row: int
    product_name: str = ""
    subject_name: str = ""
    subject_name_raw: str = ""
    address_note: str = ""
    legal_form: str = "other"
    province: str = ""
    district: str = ""
    commune: str = ""
    product_group: str = ""
    stars: int | None = None
    score: Decimal | None = None
    year: int | None = None
    decision: str = ""
    decision_number: str = ""
    decided_on: datetime.date | None = None
    issuing_body: str = ""
    issuing_level: str = "province"
    source_url: str = ""
    tax_code: str = ""
    gtin: str = ""
    issues: list[RowIssue] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(i.severity == ERROR for i in self.issues)


# "Doanh nghiệp … Minh Nhựt, xã Thông Hòa": some lists glue the address to the subject name.
_ADDRESS_SUFFIX = re.compile(r",\s*((?:xã|phường|thị trấn|huyện|thị xã|thành phố|tp\.?|tỉnh|ấp|thôn)\s.*)$", re.I)
_DECIDED_ON = re.compile(r"ngày\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})", re.I)
_DECISION_NO = re.compile(r"^\s*(\d+[\w/.-]*QĐ[\w/.-]*)", re.I)
_ISSUER = re.compile(r"(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(tỉnh|thành phố|huyện|thị xã|quận)\s+([^(;,]+)", re.I)
_ISSUER_TAIL = re.compile(r"\s+(công nhận|trao|đợt|năm)\b.*$", re.I)


class RowReader:
    """Reads rows given the column mapping (field → index) and the header texts (for messages)."""

    def __init__(self, mapping: dict[str, int], headers: list[str], *, cells_normalised: bool = False):
        """`cells_normalised`: the cells are already `nfc` text (as `parsing.read_table` gives them)."""
        self.mapping = mapping
        self.headers = headers
        self.cells_normalised = cells_normalised

    def column(self, name: str) -> str:
        index = self.mapping.get(name)
        if index is not None and index < len(self.headers) and self.headers[index]:
            return self.headers[index]
        return name

    def cell(self, cells: list[str], name: str) -> str:
        index = self.mapping.get(name)
        if index is None or index >= len(cells):
            return ""
        return cells[index] if self.cells_normalised else nfc(cells[index])

    def read(self, cells: list[str], row: int, *, default_province: str = "") -> RowData:
        data = RowData(row=row)
        get = lambda name: self.cell(cells, name)  # noqa: E731
        add = lambda name, message, suggestion="", severity=ERROR: data.issues.append(  # noqa: E731
            RowIssue(row, self.column(name), message, suggestion, severity)
        )
        data.product_name = get("product_name")
        self._read_subject(data, get("subject_name"), get("subject_type"), add)
        if not data.product_name:
            add("product_name", _("Thiếu tên sản phẩm."), _("Nhập tên sản phẩm như trong quyết định công nhận."))
        data.province = get("province") or nfc(default_province)
        if not data.province:
            add("province", _("Thiếu tỉnh."), _("Nhập tên tỉnh/thành phố hoặc chọn tỉnh mặc định khi nhập."))
        data.district, data.commune = get("district"), get("commune")
        data.product_group = get("product_group")
        self._read_stars(data, get("stars"), add)
        self._read_score(data, get("score"), add)
        self._read_year(data, get("year"), add)
        self._read_decision(data, get("decision"))
        data.source_url = get("source_url")[:500]
        self._read_ids(data, get("tax_code"), get("gtin"), add)
        self._check_lengths(data, add)
        return data

    @staticmethod
    def _check_lengths(data: RowData, add) -> None:
        """The bulk writer bypasses `save()`, so the text limits of ocop.core.field_limits are checked here: the same
        row error on SQLite and PostgreSQL, instead of a database error for the whole file."""
        from ocop.core.field_limits import text_problem
        from ocop.registry.models import Product, Subject

        for name, model, field_name in (("product_name", Product, "name"), ("subject_name", Subject, "name")):
            message = text_problem(getattr(data, name), model._meta.get_field(field_name).max_length)
            if message:
                add(name, message, _("Rút gọn nội dung ô này."))

    def _read_subject(self, data: RowData, name: str, written_form: str, add) -> None:
        data.subject_name_raw = name
        match = _ADDRESS_SUFFIX.search(name)
        if match:
            data.address_note = nfc(match.group(1))
            name = nfc(name[: match.start()])
        data.subject_name = name
        if not name:
            add("subject_name", _("Thiếu tên chủ thể."), _("Nhập tên chủ thể (doanh nghiệp, HTX, hộ kinh doanh…)."))
            return
        form = rules.legal_form_from_text(written_form) if written_form else None
        if written_form and form is None:
            add(
                "subject_type",
                _("Loại hình chủ thể không rõ: “%(value)s”.") % {"value": written_form},
                _("Dùng: Doanh nghiệp, Hợp tác xã, Tổ hợp tác, Hộ sản xuất, kinh doanh hoặc Khác."),
                WARNING,
            )
        data.legal_form = form or rules.legal_form_from_name(name) or "other"

    def _read_stars(self, data: RowData, value: str, add) -> None:
        try:
            stars = rules.stars_parse(value)
        except ValueError:
            add(
                "stars",
                _("Không hiểu hạng sao “%(value)s”.") % {"value": value},
                _("Ví dụ hợp lệ: 3, 4 sao, ★★★★, 5*."),
            )
            return
        if stars is None:
            return
        if stars > 5 or stars < 1:
            add(
                "stars",
                _("Hạng sao phải từ 1 đến 5 (nhận được %(value)s).") % {"value": stars},
                _("Sửa thành 3, 4 hoặc 5."),
            )
        elif stars < 3:
            add(
                "stars",
                _("Sản phẩm %(value)s sao không được công nhận OCOP.") % {"value": stars},
                _("Chỉ sản phẩm 3, 4, 5 sao có quyết định công nhận; bỏ dòng này hoặc để trống hạng sao."),
            )
        else:
            data.stars = stars

    def _read_score(self, data: RowData, value: str, add) -> None:
        try:
            score = rules.score_parse(value)
        except ValueError:
            add("score", _("Điểm “%(value)s” không phải là số.") % {"value": value}, _("Ví dụ hợp lệ: 72 hoặc 85,5."))
            return
        if score is not None and not (0 <= score <= 100):
            add(
                "score",
                _("Điểm phải từ 0 đến 100 (nhận được %(value)s).") % {"value": value},
                _("Kiểm tra lại tổng điểm."),
            )
        else:
            data.score = score

    def _read_year(self, data: RowData, value: str, add) -> None:
        if not value:
            return
        if not value.isdigit() or not (MIN_YEAR <= int(value) <= MAX_YEAR):
            add(
                "year",
                _("Năm “%(value)s” không hợp lệ.") % {"value": value},
                _("Nhập năm công nhận gồm 4 chữ số, ví dụ 2024."),
            )
            return
        data.year = int(value)

    def _read_decision(self, data: RowData, text: str) -> None:
        data.decision = text
        number = _DECISION_NO.match(text)
        data.decision_number = (number.group(1) if number else text)[:255]
        found = _DECIDED_ON.search(text)
        if found:
            day, month, year = (int(g) for g in found.groups())
            try:
                data.decided_on = datetime.date(year, month, day)
            except ValueError:
                data.decided_on = None
        issuer = _ISSUER.search(text)
        if issuer:
            kind = fold(issuer.group(2))
            place = _ISSUER_TAIL.sub("", issuer.group(3)).strip()
            data.issuing_body = nfc(f"UBND {issuer.group(2).lower()} {place}")[:255]
            data.issuing_level = "province" if kind == "tinh" else "district"
        if data.year is None and data.decided_on is not None:
            data.year = data.decided_on.year

    def _read_ids(self, data: RowData, tax_code: str, gtin: str, add) -> None:
        if tax_code:
            normalised = rules.tax_code_normalise(tax_code)
            if rules.tax_code_is_valid(normalised):
                data.tax_code = normalised
            else:
                add(
                    "tax_code",
                    _("Mã số thuế “%(value)s” không đúng định dạng.") % {"value": tax_code},
                    _("Mã số thuế gồm 10 chữ số, hoặc 13 chữ số dạng 0123456789-001."),
                )
        if gtin:
            try:
                info = rules.gtin_parse(gtin)
            except ValueError as exc:
                message = (
                    _("Mã GTIN “%(value)s” sai số kiểm tra.")
                    if str(exc) == "check_digit"
                    else _("Mã GTIN “%(value)s” phải gồm 8, 12, 13 hoặc 14 chữ số.")
                )
                add("gtin", message % {"value": gtin}, _("Kiểm tra lại mã vạch in trên bao bì."))
                return
            data.gtin = info.value if info else ""
