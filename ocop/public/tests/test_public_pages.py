import pytest

pytestmark = pytest.mark.django_db


def test_landing_page_is_vietnamese_by_default(client):
    html = client.get("/").content.decode()
    assert '<html lang="vi">' in html
    assert "Mỗi xã một sản phẩm" in html
    assert 'href="/verify/"' in html


def test_landing_page_in_english_on_request(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    assert "One Commune One Product" in html


def test_language_switch_sets_the_language_for_the_next_pages(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get("/").content.decode()


def test_verify_page_reports_an_unknown_code(client):
    html = client.get("/verify/", {"q": "NOPE-123"}).content.decode()
    assert "NOPE-123" in html


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Traceback" not in response.content.decode()
