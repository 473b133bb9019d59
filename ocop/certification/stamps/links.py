"""The URL a stamp's QR carries: a GS1 Digital Link on the platform's domain when the product has a GTIN
(`/01/<GTIN-14>[/10/<lot>]/21/<code>`, built and parsed with biip), else the short `/s/<code>`."""

from biip import ParseError
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_messages import GS1Message
from django.conf import settings

_DOMAIN = "ocop.invalid"


def stamp_path(code: str, *, gtin: str = "", lot_code: str = "") -> str:
    """Path part of the stamp URL (no domain)."""
    if not gtin:
        return f"/s/{code}"
    hri = f"(01){gtin.zfill(14)}" + (f"(10){lot_code}" if lot_code else "") + f"(21){code}"
    message = GS1Message.parse_hri(hri)
    # biip always renders https://<domain>; keep only the path and put the platform's own origin in front.
    return GS1DigitalLinkURI.from_element_strings(message.element_strings).as_uri(domain=_DOMAIN)[
        len(f"https://{_DOMAIN}") :
    ]


def stamp_url(code: str, *, gtin: str = "", lot_code: str = "") -> str:
    return settings.PUBLIC_URL + stamp_path(code, gtin=gtin, lot_code=lot_code)


def digital_link_parse(path: str) -> tuple[str, str, str] | None:
    """(gtin14, lot, serial) from a Digital Link path, or None when biip does not accept it (never raises)."""
    if len(path) > 200:
        return None
    try:
        uri = GS1DigitalLinkURI.parse(f"https://{_DOMAIN}{path}")
        gtin = uri.element_strings.get(ai="01")
        serial = uri.element_strings.get(ai="21")
        lot = uri.element_strings.get(ai="10")
    except (ParseError, ValueError, TypeError):
        return None
    if gtin is None or serial is None:
        return None
    return gtin.value, lot.value if lot else "", serial.value
