import datetime

import pytest
from django.utils import timezone

from ocop.certification.services import certificate_revoke, decision_create

pytestmark = pytest.mark.django_db
D = datetime.date
PRIVATE = ("0912345678", "htx@example.vn", "Nguyễn Thị Bí Mật", "5800123450")


@pytest.fixture
def cert(province_decision, product_a, issue):
    return issue(province_decision, product_a, 4, issued_on=D(2026, 9, 15))


def test_certificate_page_shows_the_recognition_in_vietnamese(cert, client):
    response = client.get(f"/verify/certificate/{cert.number}")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    for text in ("Cà phê Arabica Cầu Đất", "Hợp tác xã Nông nghiệp Cầu Đất", "Tỉnh Lâm Đồng", "1234/QĐ-UBND"):
        assert text in html
    assert "Còn hiệu lực" in html and "15/09/2026" in html and "14/09/2029" in html
    assert "<script" not in html.split("</main>")[0]  # readable without JavaScript
    for private in PRIVATE:
        assert private not in html


def test_certificate_page_in_english(cert, client):
    html = client.get(f"/verify/certificate/{cert.number}", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<html lang="en">' in html
    assert "Valid" in html and "Certificate number" in html
    assert "Cà phê Arabica Cầu Đất" in html


def test_certificate_page_shows_revocation(province_a, regime, product_a, issue, client):
    today = timezone.localdate()
    decision = decision_create(
        actor=None,
        level="province",
        number="7/QĐ-UBND",
        decided_on=today - datetime.timedelta(days=90),
        province_code=province_a.code,
        regime=regime,
    )
    cert = issue(decision, product_a, 4)
    certificate_revoke(
        actor=None,
        certificate=cert,
        ground="production_stopped",
        conclusion_on=today - datetime.timedelta(days=5),
        report="Xã xác nhận chủ thể ngừng sản xuất.",
        decision_number="12/QĐ-UBND",
        decided_on=today,
    )

    html = client.get(f"/verify/certificate/{cert.number}").content.decode()

    assert 'data-status="revoked"' in html and "Đã bị thu hồi" in html


def test_superseded_certificate_links_to_its_successor(cert, central_decision, product_a, issue, client):
    five = issue(central_decision, product_a, 5)

    html = client.get(f"/verify/certificate/{cert.number}").content.decode()

    assert 'data-status="superseded"' in html
    assert f'href="/verify/certificate/{five.number}"' in html


def test_unknown_certificate_is_a_404_page(client, db):
    response = client.get("/verify/certificate/OCOP-CN-68-2026-99999")

    assert response.status_code == 404
    assert "OCOP-CN-68-2026-99999" in response.content.decode()


def test_verify_search_finds_a_certificate_by_number(cert, client):
    response = client.get("/verify/", {"q": f"  {cert.number.lower()} "})

    assert response.status_code == 302
    assert response["Location"] == f"/verify/certificate/{cert.number}"


@pytest.mark.parametrize(
    "persona", ["central_officer", "province_officer_b", "commune_officer_a", "producer", "superuser"]
)
def test_certificate_page_is_the_same_for_every_persona(request, cert, client_for, client, persona):
    anonymous = client.get(f"/verify/certificate/{cert.number}")
    signed_in = client_for(request.getfixturevalue(persona)).get(f"/verify/certificate/{cert.number}")

    assert signed_in.status_code == anonymous.status_code == 200
    for private in PRIVATE:
        assert private not in signed_in.content.decode()
