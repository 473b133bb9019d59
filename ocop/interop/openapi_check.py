"""Check API responses against the OpenAPI schema the code publishes (Zulip's habit): a response that
drifts from the documented shape fails the test that produced it."""

import json
from functools import lru_cache

from jsonschema import Draft202012Validator


@lru_cache(maxsize=1)
def openapi_spec() -> dict:
    from ocop.interop.api import api

    # Through JSON, as clients see it (ninja keys responses by int status codes internally).
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1")))


def response_schema(path: str, method: str, status: int) -> dict:
    operation = openapi_spec()["paths"][path][method.lower()]
    responses = operation["responses"]
    entry = responses.get(str(status)) or responses.get(status)
    if entry is None:
        raise AssertionError(f"{method.upper()} {path} does not document status {status}: {sorted(responses)}")
    return entry["content"]["application/json"]["schema"]


def assert_matches_openapi(response, path: str, method: str = "get") -> None:
    """Validate a test-client response body against the documented schema for its status code."""
    schema = {**response_schema(path, method, response.status_code), "components": openapi_spec().get("components", {})}
    errors = sorted(Draft202012Validator(schema).iter_errors(response.json()), key=lambda e: list(e.path))
    if errors:
        details = "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
        raise AssertionError(f"{method.upper()} {path} → {response.status_code} does not match OpenAPI: {details}")
