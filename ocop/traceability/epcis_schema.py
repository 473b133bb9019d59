"""Validation against the official EPCIS 2.0 JSON schema vendored in `schemas/epcis2/` (see its README).

The schemas are draft-07; every vendored file goes into one `referencing` registry under its `$id`, so a
`$ref` to any of them resolves offline. `uri` formats are checked with a light RFC 3986 test (a scheme,
then no spaces) because jsonschema's own `uri` checker needs an extra package.
"""

import json
import re
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft7Validator, FormatChecker
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas" / "epcis2"
DOCUMENT_SCHEMA = "EPCISDocument.schema.json"
MAX_ERRORS = 50
_URI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$")

format_checker = FormatChecker()


@format_checker.checks("uri")
def _is_uri(value) -> bool:
    return not isinstance(value, str) or bool(_URI_RE.match(value))


@lru_cache(maxsize=1)
def _registry_and_root() -> tuple[Registry, dict]:
    resources = []
    root = None
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        uri = contents.get("$id") or f"urn:ocop:epcis2:{path.name}"
        resources.append((uri, Resource.from_contents(contents, default_specification=DRAFT7)))
        if path.name == DOCUMENT_SCHEMA:
            root = contents
    return Registry().with_resources(resources), root


@lru_cache(maxsize=1)
def document_validator() -> Draft7Validator:
    registry, root = _registry_and_root()
    return Draft7Validator(root, registry=registry, format_checker=format_checker)


def _most_specific(error):
    """anyOf / if-then failures report at the event; the deepest sub-error says what is actually wrong."""
    while error.context:
        error = best_match(error.context)
    return error


def document_errors(document) -> dict[str, list[str]]:
    """Schema errors of an EPCIS document as {JSON path: [messages]} (at most MAX_ERRORS); empty when valid."""
    fields: dict[str, list[str]] = {}
    for count, error in enumerate(document_validator().iter_errors(document)):
        if count >= MAX_ERRORS:
            break
        specific = _most_specific(error)
        fields.setdefault(specific.json_path, []).append(specific.message[:300])
    return fields
