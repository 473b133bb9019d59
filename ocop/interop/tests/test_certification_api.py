import datetime

import pytest

from ocop.certification.services import decision_create
from ocop.certification.tests.conftest import issue_certificate, load_regimes, make_product, make_province_decision
from ocop.interop.openapi_check import assert_matches_openapi

pytestmark = pytest.mark.django_db
D = datetime.date
PATH = "/api/v1/certificates/{number}"


@pytest.fixture
def regime(db):
    return load_regimes()["26_2026"]


@pytest.fixture
def product(commune_a):
    return make_product(commune_a, "Hợp tác xã Nông nghiệp Cầu Đất", "Cà phê Arabica Cầu Đất")


@pytest.fixture
def cert(province_a, product, regime):
    return issue_certificate(regime, make_province_decision(province_a, regime), product, 4)


def test_anyone_verifies_a_certificate_without_personal_data(cert, anon_client):
    response = anon_client.get(f"/api/v1/certificates/{cert.number}")

    assert response.status_code == 200
    assert_matches_openapi(response, PATH)
    body = response.json()
    assert body["number"] == cert.number
    assert body["star"] == 4
    assert body["product_name"] == "Cà phê Arabica Cầu Đất"
    assert body["subject_name"] == "Hợp tác xã Nông nghiệp Cầu Đất"
    assert body["province"] == "Tỉnh Lâm Đồng"
    assert body["status"] in ("valid", "not_yet_valid")
    assert (body["issued_on"], body["valid_until"]) == ("2026-09-15", "2029-09-14")
    assert body["regime"] == "26_2026" and body["decision_number"] == "1234/QĐ-UBND"
    text = response.content.decode()
    for private in ("0912345678", "htx@example.vn", "Nguyễn Thị Bí Mật", "5800123450", "phone", "email", "tax_code"):
        assert private not in text


def test_status_follows_supersession(cert, product, regime, anon_client):
    central = decision_create(
        actor=None, level="central", number="5/QĐ-BNNMT", decided_on=D(2026, 10, 1), regime=regime
    )
    five = issue_certificate(regime, central, product, 5)

    body = anon_client.get(f"/api/v1/certificates/{cert.number}").json()

    assert body["status"] == "superseded" and body["superseded_by"] == five.number


def test_unknown_number_is_404_certificate_not_found(anon_client, db):
    response = anon_client.get("/api/v1/certificates/OCOP-CN-00-2026-00001")

    assert response.status_code == 404
    assert response.json()["code"] == "certificate_not_found"
    assert_matches_openapi(response, PATH)


def test_english_message_on_request(anon_client, db):
    response = anon_client.get("/api/v1/certificates/NOPE", HTTP_ACCEPT_LANGUAGE="en")

    assert response.json()["message"] == "Certificate not found."


@pytest.mark.parametrize("persona", ["central_officer", "province_officer_b", "producer"])
def test_signed_in_callers_get_the_same_public_answer(request, cert, client_for, anon_client, persona):
    signed_in = client_for(request.getfixturevalue(persona)).get(f"/api/v1/certificates/{cert.number}")

    assert signed_in.json() == anon_client.get(f"/api/v1/certificates/{cert.number}").json()
