import pytest
from django.core.cache import cache

from ocop.core.ratelimit import parse_rate

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit_3(settings):
    settings.OCOP_PUBLIC_RATE_LIMIT = "3/60"
    cache.clear()
    yield
    cache.clear()


def test_parse_rate():
    assert parse_rate("600/60") == (600, 60)
    assert parse_rate("0") == (0, 0)
    assert parse_rate("") == (0, 0)


def test_anonymous_api_reads_beyond_the_limit_get_429_json(client, limit_3):
    for _ in range(3):
        assert client.get("/api/v1/health").status_code == 200
    response = client.get("/api/v1/health", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert "Too many requests" in response.json()["message"]
    assert int(response["Retry-After"]) > 0


def test_public_pages_beyond_the_limit_get_a_429_page(client, limit_3):
    for _ in range(3):
        client.get("/verify/")
    response = client.get("/verify/")
    assert response.status_code == 429
    assert "Quá nhiều yêu cầu" in response.content.decode()


def test_other_addresses_and_logged_in_users_are_not_limited(client, client_for, central_officer, limit_3):
    for _ in range(4):
        client.get("/api/v1/health")
    assert client.get("/api/v1/health", REMOTE_ADDR="10.0.0.9").status_code == 200
    logged_in = client_for(central_officer)
    for _ in range(5):
        assert logged_in.get("/api/v1/health").status_code == 200


def test_back_office_and_landing_are_not_limited(client, limit_3):
    for _ in range(5):
        assert client.get("/").status_code == 200


def test_behind_a_trusted_proxy_each_client_is_counted_apart(client, limit_3, settings):
    settings.OCOP_TRUST_X_FORWARDED_FOR = True
    for _ in range(3):
        client.get("/api/v1/health", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client.get("/api/v1/health", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert client.get("/api/v1/health", HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 200
