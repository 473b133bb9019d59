"""Stamp codes (docs/decisions/0007-stamp-codes.md): pure functions, no ORM, no settings.

A code is 100 bits written as 20 Crockford base32 characters (fits GS1 AI 21, which allows 20):

    key_id (4 bits, 1–15) | serial (32 bits) | MAC (64 bits)
    MAC = first 8 bytes of HMAC-SHA256(key, "OCOP-STAMP" | key_id | serial)

The MAC covers only the key id and the serial, not the batch: verifying needs no per-stamp row, and a batch can
be voided without touching the codes already printed.
"""

import hashlib
import hmac
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
CODE_LENGTH = 20
KEY_BITS, SERIAL_BITS, MAC_BITS = 4, 32, 64
MAX_KEY_ID = (1 << KEY_BITS) - 1
MAX_SERIAL = (1 << SERIAL_BITS) - 1
# Anything longer than a grouped code (20 chars + 3 hyphens) plus slack is garbage; checked before any work.
MAX_INPUT = 40
_DECODE = {ch: i for i, ch in enumerate(ALPHABET)}
# Crockford's aliases: what people (and OCR) misread.
_DECODE.update({"O": 0, "I": 1, "L": 1})
_DOMAIN = b"OCOP-STAMP"


@dataclass(frozen=True)
class ParsedCode:
    key_id: int
    serial: int
    mac: bytes

    @property
    def code(self) -> str:
        return code_format(self.key_id, self.serial, self.mac)


def stamp_mac(key: bytes, key_id: int, serial: int) -> bytes:
    """The 64-bit tag of (key_id, serial) under `key`."""
    message = _DOMAIN + bytes([key_id]) + serial.to_bytes(4, "big")
    return hmac.new(key, message, hashlib.sha256).digest()[: MAC_BITS // 8]


def code_format(key_id: int, serial: int, mac: bytes) -> str:
    value = (key_id << (SERIAL_BITS + MAC_BITS)) | (serial << MAC_BITS) | int.from_bytes(mac, "big")
    chars = []
    for _ in range(CODE_LENGTH):
        chars.append(ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def code_make(key: bytes, key_id: int, serial: int) -> str:
    """The code of `serial` under key `key_id`. Raises ValueError outside the bit ranges."""
    if not 1 <= key_id <= MAX_KEY_ID:
        raise ValueError(f"key id {key_id} outside 1..{MAX_KEY_ID}")
    if not 0 <= serial <= MAX_SERIAL:
        raise ValueError(f"serial {serial} outside 0..{MAX_SERIAL}")
    return code_format(key_id, serial, stamp_mac(key, key_id, serial))


def code_normalise(text) -> str | None:
    """Canonical 20-character form of a typed or scanned code, or None when it cannot be one.

    Case, spaces and hyphens are ignored and Crockford's aliases (O→0, I/L→1) are read as their digits, so
    "abcd-efgh-…" typed from the label works. Never raises, whatever the input.
    """
    if not isinstance(text, str) or len(text) > MAX_INPUT:
        return None
    out = []
    for ch in text.upper():
        if ch in "- ":
            continue
        value = _DECODE.get(ch)
        if value is None:
            return None
        out.append(ALPHABET[value])
    return "".join(out) if len(out) == CODE_LENGTH else None


def code_parse(text) -> ParsedCode | None:
    """Split a code into key id, serial and MAC without checking the MAC; None when malformed."""
    canonical = code_normalise(text)
    if canonical is None:
        return None
    value = 0
    for ch in canonical:
        value = (value << 5) | _DECODE[ch]
    mac = (value & ((1 << MAC_BITS) - 1)).to_bytes(MAC_BITS // 8, "big")
    serial = (value >> MAC_BITS) & MAX_SERIAL
    key_id = value >> (SERIAL_BITS + MAC_BITS)
    if not 1 <= key_id <= MAX_KEY_ID:
        return None
    return ParsedCode(key_id=key_id, serial=serial, mac=mac)


def code_check(parsed: ParsedCode, key: bytes) -> bool:
    """True when the MAC is right (constant-time comparison)."""
    return hmac.compare_digest(parsed.mac, stamp_mac(key, parsed.key_id, parsed.serial))


def code_grouped(code: str) -> str:
    """ "ABCDE-FGHJK-MNPQR-STVWX": how the code is printed under the QR, for people to read out."""
    return "-".join(code[i : i + 5] for i in range(0, len(code), 5))
