"""Vietnamese text normalisation.

`fold` is the key for accent-insensitive search and matching: "Mắm cáy" and "mam cay" fold to the
same string on SQLite and PostgreSQL alike, because folding happens in Python and the folded copy
is stored (`search_text`) rather than computed by the database.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(value: str | None) -> str:
    """NFC-normalise and trim; every text entry point calls this so "Hoà" typed on two keyboards compares equal."""
    if value is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def fold(value: str | None) -> str:
    """Accent-free, case-free form: đ→d, strip combining marks, casefold, collapse spaces."""
    if not value:
        return ""
    text = str(value).replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACES.sub(" ", text.casefold()).strip()


def fold_compact(value: str | None) -> str:
    """`fold` without spaces or punctuation: "Hòa Bình" and "hoabinh" meet here."""
    return re.sub(r"[^0-9a-z]", "", fold(value))


# OWASP "CSV injection": a spreadsheet reads a cell that starts with one of these as a formula, so text that came
# from users (an imported product name "=HYPERLINK(…)") would become a live formula in an export.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_safe(value):
    """A CSV cell that no spreadsheet evaluates: text starting with a formula trigger gets a leading apostrophe
    (still readable, and `csv_unguard` takes it off again on import). Other values pass unchanged."""
    return "'" + value if is_formula_like(value) else value


def csv_unguard(value: str) -> str:
    """Undo `csv_safe` on an imported cell, so a list exported here imports back unchanged."""
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value
