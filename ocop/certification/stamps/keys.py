"""Stamp keys. Secrets never live in the database: a `StampKey` row only says which ids exist and which one new
batches use. The secret for id N comes from `OCOP_STAMP_KEYS` ("1:<hex or base64>,2:…", setting or environment)
or, when that does not name N, is derived from SECRET_KEY with HMAC (an HKDF-Expand step with a fixed label).
Rotating SECRET_KEY therefore invalidates derived keys: production sets OCOP_STAMP_KEYS (see ADR 0007).
"""

import base64
import binascii
import hashlib
import hmac
import os
from functools import lru_cache

from django.conf import settings


def _decode_secret(text: str) -> bytes:
    text = text.strip()
    try:
        return bytes.fromhex(text)
    except ValueError:
        pass
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return text.encode()


@lru_cache(maxsize=8)
def _configured(raw: str) -> dict[int, bytes]:
    keys = {}
    for part in raw.split(","):
        if ":" not in part:
            continue
        key_id, secret = part.split(":", 1)
        if key_id.strip().isdigit() and secret.strip():
            keys[int(key_id)] = _decode_secret(secret)
    return keys


@lru_cache(maxsize=32)
def _derived(secret_key: str, key_id: int) -> bytes:
    # HKDF (RFC 5869) with SHA-256: extract with a fixed salt, expand one block with the key id as info.
    prk = hmac.new(b"ocop-stamp-keys-v1", secret_key.encode(), hashlib.sha256).digest()
    return hmac.new(prk, f"stamp-key:{key_id}".encode() + b"\x01", hashlib.sha256).digest()


def stamp_key_secret(key_id: int) -> bytes:
    """The secret of key `key_id` (configured, else derived from SECRET_KEY)."""
    raw = getattr(settings, "OCOP_STAMP_KEYS", None) or os.environ.get("OCOP_STAMP_KEYS", "")
    configured = _configured(raw) if raw else {}
    if key_id in configured:
        return configured[key_id]
    return _derived(settings.SECRET_KEY, key_id)
