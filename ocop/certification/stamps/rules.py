"""Pure stamp rules: batch sizes, label layout, and how a scan's origin is reduced before it is stored."""

import ipaddress
import re
from decimal import Decimal

DEFAULT_MAX_BATCH = 100_000
LOT_CODE_RE = re.compile(r"^[A-Za-z0-9._-]{1,20}$")
# A4 in mm; the QR needs at least 15 mm to scan from a phone at arm's length.
PAGE_W_MM, PAGE_H_MM = Decimal("210"), Decimal("297")
MIN_LABEL_W_MM, MIN_LABEL_H_MM = Decimal("20"), Decimal("28")


def quantity_error(quantity, *, maximum: int) -> str | None:
    """None when 1 <= quantity <= maximum, else "too_small" / "too_large" / "not_a_number"."""
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        return "not_a_number"
    if quantity < 1:
        return "too_small"
    if quantity > maximum:
        return "too_large"
    return None


def label_layout_errors(*, width, height, margin, bleed) -> dict[str, str]:
    """Field → problem for a label size that cannot be printed on A4 (at least one label per page)."""
    errors = {}
    if width < MIN_LABEL_W_MM:
        errors["label_width_mm"] = "too_small"
    if height < MIN_LABEL_H_MM:
        errors["label_height_mm"] = "too_small"
    if margin < 0 or margin > 40:
        errors["margin_mm"] = "out_of_range"
    if bleed < 0 or bleed > 5:
        errors["bleed_mm"] = "out_of_range"
    if not errors and labels_per_page(width=width, height=height, margin=margin, bleed=bleed) < 1:
        errors["label_width_mm"] = "too_large"
    return errors


def grid(*, width, height, margin, bleed) -> tuple[int, int]:
    """(columns, rows) of labels on an A4 page: each cell is the label plus its bleed on every side."""
    cell_w, cell_h = Decimal(width) + 2 * Decimal(bleed), Decimal(height) + 2 * Decimal(bleed)
    usable_w, usable_h = PAGE_W_MM - 2 * Decimal(margin), PAGE_H_MM - 2 * Decimal(margin)
    return max(int(usable_w // cell_w), 0), max(int(usable_h // cell_h), 0)


def labels_per_page(**layout) -> int:
    columns, rows = grid(**layout)
    return columns * rows


def origin_truncate(address: str | None) -> str:
    """An IPv4 address cut to its /24, IPv6 to its /48 ("203.0.113.0/24"): enough to tell networks apart,
    not people. Anything unparseable becomes ""."""
    address = (address or "").strip()
    octets = address.split(".")
    if len(octets) == 4 and all(o.isdigit() and o == str(int(o)) and int(o) < 256 for o in octets):
        return f"{octets[0]}.{octets[1]}.{octets[2]}.0/24"  # the common case, without ipaddress's objects
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


_BOTS = ("bot", "crawl", "spider", "slurp", "curl", "wget", "python", "httpclient", "java/", "go-http", "headless")
_BROWSERS = (
    ("zalo", "zalo"),
    ("fban", "facebook"),
    ("fbav", "facebook"),
    ("edg", "edge"),
    ("opr", "opera"),
    ("coc_coc", "coccoc"),
    ("samsungbrowser", "samsung"),
    ("firefox", "firefox"),
    ("fxios", "firefox"),
    ("crios", "chrome"),
    ("chrome", "chrome"),
    ("chromium", "chrome"),
    ("safari", "safari"),
)


def user_agent_family(user_agent: str | None) -> tuple[str, str]:
    """(device, browser) from a User-Agent, coarsely: device mobile/desktop/bot/other, browser a family name.
    Zalo and Facebook come first: most Vietnamese consumers scan from inside those apps."""
    ua = (user_agent or "")[:512].lower()
    if not ua:
        return "other", ""
    if any(token in ua for token in _BOTS):
        return "bot", ""
    device = "mobile" if any(t in ua for t in ("mobile", "android", "iphone", "ipad")) else "desktop"
    for token, family in _BROWSERS:
        if token in ua:
            return device, family
    return device, "other"
