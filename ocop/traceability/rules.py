"""Pure traceability rules (no ORM, no I/O): GS1 identifiers of a lot, parsing of EPC URIs, CBV vocabulary,
canonical JSON, the per-lot hash chain, and the TCVN 13274 trace-code elements (docs/decisions/0008).
"""

import datetime
import hashlib
import json
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
GS1_DL_DOMAIN = "id.gs1.org"
# Products without a GTIN still need a class-level identifier for their lots; the OCOP code is the national
# product identity (docs/decisions/0003), so lots get `urn:ocop:class:lot:<ocop code>.<lot code>`.
OCOP_LOT_URN = "urn:ocop:class:lot:"
# GS1 AI (10) allows 20 characters; we keep to characters that need no escaping in a Digital Link path or a URN.
LOT_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")
GENESIS_HASH = "0" * 64

CBV_BIZSTEP_URN = "urn:epcglobal:cbv:bizstep:"
CBV_DISP_URN = "urn:epcglobal:cbv:disp:"
CBV_BIZSTEP_WEB = "https://ref.gs1.org/cbv/BizStep-"
CBV_DISP_WEB = "https://ref.gs1.org/cbv/Disp-"

# Steps the back office offers; the API accepts every CBV step the schema allows.
FORM_BIZ_STEPS = ("commissioning", "packing", "shipping", "receiving", "inspecting", "transforming")
# UN/ECE Recommendation 20 codes, as EPCIS `uom` requires.
UOM_BY_UNIT = {"kg": "KGM", "g": "GRM", "l": "LTR", "ml": "MLT", "piece": "H87", "box": "BX"}


# ------------------------------------------------------------------------------------------------- GS1 codes
def gs1_check_digit(body: str) -> str:
    """Mod-10 check digit of a GS1 key without its check digit (weights 3,1,3,… from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def gtin14(value: str) -> str | None:
    """A GTIN-8/12/13/14 as 14 digits, or None when it is not a GTIN with a correct check digit."""
    digits = (value or "").strip()
    if not digits.isdigit() or len(digits) not in (8, 12, 13, 14):
        return None
    digits = digits.zfill(14)
    return digits if gs1_check_digit(digits[:-1]) == digits[-1] else None


def gtin_variants(gtin: str) -> list[str]:
    """The spellings a stored GTIN may have (14, 13, 12 or 8 digits) for an exact-match lookup."""
    g = gtin14(gtin)
    if g is None:
        return []
    variants = [g]
    for length in (13, 12, 8):
        if g[: 14 - length] == "0" * (14 - length):
            variants.append(g[14 - length :])
    return variants


def lot_code_valid(code: str) -> bool:
    return bool(LOT_CODE_RE.match(code or ""))


def lot_class_uri(*, gtin: str, ocop_code: str, lot_code: str) -> str:
    """The class-level identifier of a lot: a GS1 Digital Link when the product has a GTIN, else the OCOP URN."""
    g = gtin14(gtin)
    if g:
        return f"https://{GS1_DL_DOMAIN}/01/{g}/10/{lot_code}"
    return f"{OCOP_LOT_URN}{ocop_code}.{lot_code}"


def gs1_element_string(*, gtin: str, lot_code: str, produced_on=None, expires_on=None) -> str:
    """Human-readable GS1 element string, e.g. `(01)08930000000019(11)250301(17)260301(10)L01`.
    AI (10) goes last because it is variable-length. Empty without a GTIN."""
    g = gtin14(gtin)
    if not g:
        return ""
    parts = [f"(01){g}"]
    if produced_on:
        parts.append(f"(11){produced_on:%y%m%d}")
    if expires_on:
        parts.append(f"(17){expires_on:%y%m%d}")
    parts.append(f"(10){lot_code}")
    return "".join(parts)


@dataclass(frozen=True)
class LotRef:
    """What an EPC URI says about a lot: by GTIN or by OCOP code, plus the lot code."""

    lot_code: str
    gtin: str = ""
    ocop_code: str = ""


_DL_RE = re.compile(r"^https?://[^/]+(?:/[^/]+)*?/01/(\d{8,14})/10/([^/?#]+)")


def lot_ref_from_epc(uri: str) -> LotRef | None:
    """Parse a class-level EPC naming a lot: `urn:epc:class:lgtin:<company prefix>.<item ref>.<lot>`, a GS1
    Digital Link `https://<domain>/01/<gtin>/10/<lot>[/…]`, or the OCOP URN. None for anything else
    (instance-level SGTINs carry no lot)."""
    uri = (uri or "").strip()
    if uri.startswith("urn:epc:class:lgtin:"):
        parts = uri[len("urn:epc:class:lgtin:") :].split(".", 2)
        if len(parts) != 3 or not (parts[0] + parts[1]).isdigit() or len(parts[0] + parts[1]) != 13:
            return None
        company_prefix, item_ref, lot = parts
        # The item reference starts with the indicator digit, which goes first in the GTIN.
        body = item_ref[0] + company_prefix + item_ref[1:]
        return LotRef(lot_code=_unescape(lot), gtin=body + gs1_check_digit(body))
    match = _DL_RE.match(uri)
    if match:
        g = gtin14(match.group(1))
        return LotRef(lot_code=_unescape(match.group(2)), gtin=g) if g else None
    if uri.startswith(OCOP_LOT_URN):
        ocop_code, _, lot = uri[len(OCOP_LOT_URN) :].partition(".")
        return LotRef(lot_code=lot, ocop_code=ocop_code) if ocop_code and lot else None
    return None


def _unescape(text: str) -> str:
    from urllib.parse import unquote

    return unquote(text)


# Outputs before inputs: a transformation belongs to the lot it produces.
EPC_FIELDS = (
    "epcList",
    "quantityList",
    "outputEPCList",
    "outputQuantityList",
    "parentID",
    "childEPCs",
    "childQuantityList",
    "inputEPCList",
    "inputQuantityList",
)


def event_epcs(event: dict) -> list[str]:
    """Every identifier an event names (EPC lists, quantity elements' classes, the parent), outputs first."""
    found = []
    for name in EPC_FIELDS:
        value = event.get(name)
        if isinstance(value, str):
            found.append(value)
            continue
        for item in value or []:
            if isinstance(item, str):
                found.append(item)
            elif isinstance(item, dict) and isinstance(item.get("epcClass"), str):
                found.append(item["epcClass"])
    return found


def event_lot_refs(event: dict) -> list[LotRef]:
    """Lots an event names, in order, without repeats; ILMD `cbvmda:lotNumber` pairs with the event's GTIN."""
    refs: list[LotRef] = []
    for uri in event_epcs(event):
        ref = lot_ref_from_epc(uri)
        if ref and ref not in refs:
            refs.append(ref)
    ilmd = event.get("ilmd") or {}
    lot_number = ilmd.get("cbvmda:lotNumber") if isinstance(ilmd, dict) else None
    if isinstance(lot_number, str) and lot_number:
        gtins = {r.gtin for r in refs if r.gtin} or {g for g in (_gtin_from_sgtin(u) for u in event_epcs(event)) if g}
        for g in sorted(gtins):
            ref = LotRef(lot_code=lot_number, gtin=g)
            if ref not in refs:
                refs.append(ref)
    return refs


def _gtin_from_sgtin(uri: str) -> str | None:
    """GTIN of an instance-level `urn:epc:id:sgtin:<cp>.<item ref>.<serial>`."""
    if not uri.startswith("urn:epc:id:sgtin:"):
        return None
    parts = uri[len("urn:epc:id:sgtin:") :].split(".", 2)
    if len(parts) != 3 or len(parts[0] + parts[1]) != 13 or not (parts[0] + parts[1]).isdigit():
        return None
    body = parts[1][0] + parts[0] + parts[1][1:]
    return body + gs1_check_digit(body)


# ----------------------------------------------------------------------------------------------- vocabulary
def vocab_short(value: str | None, kind: str = "bizstep") -> str:
    """`urn:epcglobal:cbv:bizstep:packing` / `https://ref.gs1.org/cbv/BizStep-packing` / `packing` → `packing`.
    Non-CBV URIs (a company's own vocabulary) are kept whole."""
    if not value:
        return ""
    prefixes = (CBV_BIZSTEP_URN, CBV_BIZSTEP_WEB) if kind == "bizstep" else (CBV_DISP_URN, CBV_DISP_WEB)
    for prefix in prefixes:
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


# ------------------------------------------------------------------------------------------ canonical form
def canonical_json(data) -> bytes:
    """Deterministic JSON bytes: sorted keys, no insignificant whitespace, UTF-8 (not \\u escapes)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def event_id_for(event: dict) -> str:
    """An eventID for an event captured without one: a `ni:` URI of the SHA-256 of its canonical JSON.

    EPCIS 2.0 names this form (CBV 2.0 §8.9); GS1's full event-hash canonicalisation (field order, CBV
    normalisation) is not implemented here, so these IDs are stable for us but not comparable across systems.
    """
    body = {k: v for k, v in event.items() if k not in ("eventID", "recordTime")}
    return f"ni:///sha-256;{hashlib.sha256(canonical_json(body)).hexdigest()}?ver=CBV2.0"


def chain_hash(prev_hash: str, event: dict) -> str:
    """Link of the per-lot hash chain: sha256(prev_hash + canonical JSON of the stored event)."""
    return hashlib.sha256(prev_hash.encode("ascii") + canonical_json(event)).hexdigest()


def timezone_offset(moment: datetime.datetime, tz=VN_TZ) -> str:
    """`+07:00` style offset of `moment` in `tz`, as EPCIS `eventTimeZoneOffset` wants it."""
    offset = moment.astimezone(tz).utcoffset() or datetime.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def iso_time(moment: datetime.datetime) -> str:
    """UTC with millisecond precision and `Z`, the form the query interface returns."""
    return moment.astimezone(datetime.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --------------------------------------------------------------------------------------------- TCVN 13274
def trace_codes(
    *,
    config: dict,
    gtin: str,
    ocop_code: str,
    lot_code: str,
    location_code: str,
    gln: str = "",
    event_time: datetime.datetime | None = None,
    produced_on: datetime.date | None = None,
) -> dict:
    """The TCVN 13274 trace-code elements of a lot (see docs/decisions/0008-trace-codes.md).

    `config` is the mapping data (`ocop/traceability/data/tcvn13274.json`): which identifier stands for the
    product and the location when no GS1 key exists, and the time format. Returns a dict with
    `product`, `location`, `lot`, `time` and `combined` (elements joined by the configured separator).
    """
    g = gtin14(gtin)
    product = g if g else f"{config['product_fallback_prefix']}{ocop_code}"
    location = gln if gln else f"{config['location_fallback_prefix']}{location_code}" if location_code else ""
    moment = event_time.astimezone(VN_TZ).strftime(config["time_format"]) if event_time else ""
    if not moment and produced_on:
        moment = produced_on.strftime(config["date_format"])
    elements = {"product": product, "location": location, "lot": lot_code, "time": moment}
    combined = config["separator"].join(elements[k] for k in config["order"] if elements.get(k))
    return {**elements, "combined": combined}
