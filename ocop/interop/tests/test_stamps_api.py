"""GET /api/v1/verify/{code}: the scan page's answer as JSON, checked against the OpenAPI schema."""

import pytest

from ocop.certification.stamps import codes
from ocop.certification.stamps import testing as stamp_testing
from ocop.certification.stamps.models import ScanEvent
from ocop.certification.stamps.services import stamp_batch_void
from ocop.certification.stamps.testing import first_code
from ocop.certification.tests import conftest as cert_fixtures
from ocop.interop.openapi_check import assert_matches_openapi

pytestmark = pytest.mark.django_db
certified_a = stamp_testing.certified_a
product_a, province_decision, issue = cert_fixtures.product_a, cert_fixtures.province_decision, cert_fixtures.issue
regime, regimes = cert_fixtures.regime, cert_fixtures.regimes
stamp_batch = stamp_testing.stamp_batch
PATH = "/api/v1/verify/{code}"


def test_verify_valid_code(stamp_batch, client):
    response = client.get(f"/api/v1/verify/{first_code(stamp_batch)}")

    body = response.json()
    assert response.status_code == 200
    assert_matches_openapi(response, PATH)
    assert body["outcome"] == "valid" and body["genuine"] is True
    assert body["product"]["name"] == "Cà phê Arabica Cầu Đất" and body["certificate"]["star"] == 4
    assert "phone" not in str(body) and "0912345678" not in str(body) and "htx@example.vn" not in str(body)
    assert ScanEvent.objects.get().channel == "api"


def test_verify_voided_and_invalid(stamp_batch, client):
    code = first_code(stamp_batch)
    stamp_batch_void(actor=None, batch=stamp_batch, reason="Lô in lỗi")

    voided = client.get(f"/api/v1/verify/{code}")
    flipped = client.get(f"/api/v1/verify/{code[:-1]}{'0' if code[-1] != '0' else '1'}")

    assert voided.json()["outcome"] == "voided" and "voided_batch" in voided.json()["warnings"]
    assert flipped.json()["outcome"] == "invalid" and flipped.json()["product"] is None
    assert_matches_openapi(voided, PATH)
    assert_matches_openapi(flipped, PATH)


@pytest.mark.parametrize("code", ["x", "A" * 3000, "%00", codes.ALPHABET[:20]])
def test_verify_garbage_is_invalid_not_an_error(code, client):
    response = client.get(f"/api/v1/verify/{code}")

    assert response.status_code == 200 and response.json()["outcome"] == "invalid"
    assert_matches_openapi(response, PATH)
