"""Pure registry rules: identifiers, legal forms, star notation. No ORM, no I/O."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from biip import ParseError
from biip.gtin import Gtin

from ocop.core.text import fold, fold_compact, nfc

# Vietnamese tax codes: 10 digits for an enterprise, 13 ("0123456789-001") for a branch/dependent unit.
TAX_CODE_RE = re.compile(r"^\d{10}(-\d{3})?$")
VIETNAM_GS1_PREFIX = "893"


def tax_code_normalise(value: str | None) -> str:
    """Strip spaces and dots people type inside tax codes; keep the branch hyphen. Empty stays empty."""
    text = re.sub(r"[\s.]", "", nfc(value))
    if re.fullmatch(r"\d{13}", text):
        text = f"{text[:10]}-{text[10:]}"
    return text


def tax_code_is_valid(value: str) -> bool:
    return bool(TAX_CODE_RE.fullmatch(value))


@dataclass(frozen=True)
class GtinInfo:
    value: str
    is_vietnam: bool


def gtin_parse(value: str | None) -> GtinInfo | None:
    """Validate a GTIN-8/12/13/14 (check digit included); None for an empty value. Raises ValueError."""
    text = re.sub(r"\s", "", nfc(value))
    if not text:
        return None
    if not text.isdigit() or len(text) not in (8, 12, 13, 14):
        raise ValueError("format")
    try:
        gtin = Gtin.parse(text)
    except ParseError as exc:
        raise ValueError("check_digit") from exc
    prefix = gtin.prefix.value if gtin.prefix else ""
    return GtinInfo(value=text, is_vietnam=prefix == VIETNAM_GS1_PREFIX)


# Prefix → legal form. The sources write the legal form in front of the name; order matters
# ("Hợp tác xã" before "Hộ", "Tổ hợp tác" before "Tổ").
_LEGAL_FORM_PREFIXES = [
    ("cooperative_group", ("to hop tac", "tht ")),
    ("cooperative", ("hop tac xa", "htx")),
    ("enterprise", ("cong ty", "cty", "doanh nghiep", "dntn", "chi nhanh cong ty", "chi nhanh cty")),
    ("household", ("ho kinh doanh", "ho san xuat", "ho sxkd", "ho ", "hkd", "co so", "cs ")),
]

_LEGAL_FORM_NAMES = {
    "doanhnghiep": "enterprise",
    "enterprise": "enterprise",
    "company": "enterprise",
    "hoptacxa": "cooperative",
    "htx": "cooperative",
    "cooperative": "cooperative",
    "tohoptac": "cooperative_group",
    "cooperativegroup": "cooperative_group",
    "hosanxuatkinhdoanh": "household",
    "hokinhdoanh": "household",
    "household": "household",
    "khac": "other",
    "other": "other",
}


def legal_form_from_name(name: str) -> str | None:
    """Infer the legal form from the subject name's prefix ("Công ty…", "HTX…", "Hộ…"); None when unknown."""
    key = fold(name) + " "
    for form, prefixes in _LEGAL_FORM_PREFIXES:
        if key.startswith(prefixes):
            return form
    return None


def legal_form_from_text(text: str) -> str | None:
    """Map a written legal form ("Hợp tác xã", "Hộ sản xuất, kinh doanh") to its code; None when unknown."""
    return _LEGAL_FORM_NAMES.get(fold_compact(text))


_STARS_RE = re.compile(r"^(\d+)\s*(sao|stars?|\*|★)?$")


def stars_parse(value: str | None) -> int | None:
    """'3', '3 sao', '★★★', '4*', '***' → the number; empty → None. Raises ValueError when unreadable."""
    text = nfc(value).lower()
    if not text:
        return None
    if set(text) <= {"★", "☆", "*"} and "★" in text or set(text) == {"*"}:
        return text.count("★") or text.count("*")
    match = _STARS_RE.match(text)
    if not match:
        raise ValueError(text)
    return int(match.group(1))


def score_parse(value: str | None) -> Decimal | None:
    """'85', '85.5', '85,5' → Decimal; empty → None. Raises ValueError when not a number."""
    text = nfc(value).replace(",", ".")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(text) from exc


def ocop_code_format(*, province_code: str, year: int, sequence: int) -> str:
    """The human-readable national product code (docs/decisions/0003-ocop-product-code.md)."""
    return f"OCOP-{province_code or '00'}-{year:04d}-{sequence:06d}"


# Abbreviated legal-form prefixes expanded before matching, so "HTX Thông Hòa" meets "Hợp tác xã Thông Hòa".
_NAME_ABBREVIATIONS = [
    ("htxnn ", "hop tac xa nong nghiep "),
    ("htx ", "hop tac xa "),
    ("cty ", "cong ty "),
    ("tht ", "to hop tac "),
    ("hkd ", "ho kinh doanh "),
    ("ho sxkd ", "ho san xuat kinh doanh "),
    ("dntn ", "doanh nghiep tu nhan "),
]


def subject_name_key(name: str) -> str:
    """Matching key of a subject name: folded, abbreviations of the legal form expanded, compact."""
    key = fold(name) + " "
    for short, long in _NAME_ABBREVIATIONS:
        if key.startswith(short):
            key = long + key[len(short) :]
            break
    key = key.replace(" tnhh ", " trach nhiem huu han ")
    return fold_compact(key)
