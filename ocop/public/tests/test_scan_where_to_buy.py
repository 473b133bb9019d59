"""The scan page's "Nơi mua" section and `where_to_buy` in GET /api/v1/verify/{code}: the producer's place from the
registry, a business phone only for enterprises and cooperatives, never a household's private contact."""

import pytest

from ocop.certification.stamps import testing as stamp_testing
from ocop.certification.stamps.testing import first_code
from ocop.certification.tests import conftest as cert_fixtures
from ocop.interop.openapi_check import assert_matches_openapi
from ocop.registry.models import Subject

pytestmark = pytest.mark.django_db
certified_a = stamp_testing.certified_a
stamp_batch = stamp_testing.stamp_batch
product_a, province_decision, issue = cert_fixtures.product_a, cert_fixtures.province_decision, cert_fixtures.issue
regime, regimes = cert_fixtures.regime, cert_fixtures.regimes
PRIVATE = ("0912345678", "htx@example.vn", "Nguyễn Thị Bí Mật", "5800123456")


def _set_subject(batch, **values):
    Subject.objects.filter(pk=batch.product.subject_id).update(**values)


def _section(html: str) -> str:
    return html.split('id="buy-h"')[1].split("</section>")[0]


def test_section_shows_the_producer_and_its_current_commune_and_province(stamp_batch, commune_a, province_a, client):
    response = client.get(f"/s/{first_code(stamp_batch)}")

    section = _section(response.content.decode())
    assert "Hợp tác xã Nông nghiệp Cầu Đất" in section
    assert commune_a.full_name in section and province_a.full_name in section
    assert "<script" not in section and len(response.content) < 30 * 1024


@pytest.mark.parametrize("legal_form", ["household", "cooperative_group", "other"])
def test_no_private_phone_or_address_of_a_household_leaks(stamp_batch, client, legal_form):
    _set_subject(stamp_batch, legal_form=legal_form, address_line="Nhà ông Tư, thôn 3")

    html = client.get(f"/s/{first_code(stamp_batch)}").content.decode()
    body = client.get(f"/api/v1/verify/{first_code(stamp_batch)}").json()

    for private in (*PRIVATE, "Nhà ông Tư", "tel:"):
        assert private not in html and private not in str(body)
    assert body["where_to_buy"]["contacts"] == [] and body["where_to_buy"]["address"] == ""
    assert body["where_to_buy"]["producer"] == "Hợp tác xã Nông nghiệp Cầu Đất"


@pytest.mark.parametrize("legal_form", ["enterprise", "cooperative"])
def test_an_enterprise_shows_its_business_phone_and_address(stamp_batch, client, commune_a, legal_form):
    _set_subject(stamp_batch, legal_form=legal_form, phone="0263 3822 111", address_line="Số 5 đường Trần Phú")

    section = _section(client.get(f"/s/{first_code(stamp_batch)}").content.decode())
    response = client.get(f"/api/v1/verify/{first_code(stamp_batch)}")

    assert 'href="tel:02633822111"' in section and "Số 5 đường Trần Phú" in section
    assert "htx@example.vn" not in section and "Nguyễn Thị Bí Mật" not in section and "5800123456" not in section
    assert response.json()["where_to_buy"] == {
        "producer": "Hợp tác xã Nông nghiệp Cầu Đất",
        "address": "Số 5 đường Trần Phú",
        "commune": commune_a.full_name,
        "province": response.json()["product"]["province"],
        "contacts": [{"kind": "tel", "value": "0263 3822 111"}],
    }
    assert_matches_openapi(response, "/api/v1/verify/{code}")


def test_an_invalid_code_has_no_where_to_buy(client):
    body = client.get("/api/v1/verify/not-a-code").json()

    assert body["where_to_buy"] is None
