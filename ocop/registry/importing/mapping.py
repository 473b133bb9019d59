"""Column mapping: which file column holds which field, detected from Vietnamese or English headers."""

from django.utils.translation import gettext_lazy as _

from ocop.core.text import fold_compact

# field → accepted headers (compared folded and compact, so "Tên sản phẩm", "ten san pham", "TÊN SẢN PHẨM" agree).
FIELDS: dict[str, tuple[str, ...]] = {
    "product_name": ("Tên sản phẩm", "Sản phẩm", "product_name", "product"),
    "subject_name": ("Chủ thể", "Tên chủ thể", "Chủ thể OCOP", "subject_name", "subject", "producer"),
    "subject_type": ("Loại hình", "Loại hình chủ thể", "subject_type", "legal_form"),
    "province": ("Tỉnh", "Tỉnh/Thành phố", "Tỉnh, thành phố", "province"),
    "district": ("Huyện", "Quận/Huyện", "Huyện/Thị xã/Thành phố", "district"),
    "commune": ("Xã", "Xã/Phường", "Xã/Phường/Thị trấn", "commune", "ward"),
    "product_group": ("Nhóm sản phẩm", "Nhóm", "Ngành", "product_group", "group", "category"),
    "stars": ("Hạng sao", "Số sao", "Hạng", "stars", "star", "rating"),
    "score": ("Điểm", "Tổng điểm", "score", "points"),
    "year": ("Năm", "Năm công nhận", "year"),
    "decision": ("Quyết định", "Số quyết định", "decision"),
    "source_url": ("Nguồn", "Đường dẫn nguồn", "source_url", "source", "url"),
    "tax_code": ("Mã số thuế", "MST", "tax_code"),
    "gtin": ("GTIN", "Mã vạch", "Mã GTIN", "barcode", "gtin"),
}
REQUIRED = ("product_name", "subject_name", "province")
LABELS = {
    "product_name": _("Tên sản phẩm"),
    "subject_name": _("Chủ thể"),
    "subject_type": _("Loại hình"),
    "province": _("Tỉnh"),
    "district": _("Huyện"),
    "commune": _("Xã"),
    "product_group": _("Nhóm sản phẩm"),
    "stars": _("Hạng sao"),
    "score": _("Điểm"),
    "year": _("Năm"),
    "decision": _("Quyết định"),
    "source_url": _("Nguồn"),
    "tax_code": _("Mã số thuế"),
    "gtin": _("Mã GTIN"),
}
_BY_KEY = {fold_compact(h): field for field, headers in FIELDS.items() for h in headers}
HEADER_SCAN_ROWS = 10


def field_for_header(header: str) -> str | None:
    return _BY_KEY.get(fold_compact(header))


def find_header_row(rows: list[list[str]]) -> int | None:
    """Index of the first row (within the first ten) naming at least two known fields; None if there is none."""
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if len({field_for_header(c) for c in row if field_for_header(c)}) >= 2:
            return index
    return None


def detect_mapping(headers: list[str], overrides: dict[str, str] | None = None) -> dict[str, int]:
    """field → column index. `overrides` maps field → header text (or "" to ignore the field) and wins."""
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        field = field_for_header(header)
        if field and field not in mapping:
            mapping[field] = index
    wanted = {fold_compact(h): i for i, h in enumerate(headers)}
    for field, header in (overrides or {}).items():
        if field not in FIELDS:
            continue
        if not header:
            mapping.pop(field, None)
        elif fold_compact(header) in wanted:
            mapping[field] = wanted[fold_compact(header)]
    return mapping
