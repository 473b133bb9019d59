"""Redis down: the rate limiter fails open with a warning, health says `degraded` with the reason, and the scan
page, the public pages and the open API keep answering from the database."""

import pytest
from django.core.cache import caches

from ocop.certification.stamps import testing as stamp_testing
from ocop.certification.stamps.testing import first_code

pytestmark = pytest.mark.django_db
certified_a = stamp_testing.certified_a
stamp_batch = stamp_testing.stamp_batch

DEAD_REDIS = {
    "default": {
        "BACKEND": "ocop.core.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.fixture
def redis_down(settings):
    settings.CACHES = DEAD_REDIS
    settings.OCOP_PUBLIC_RATE_LIMIT = "600/60"
    yield
    caches["default"].close()


def test_public_reads_answer_when_the_cache_is_unreachable(stamp_batch, client, redis_down, caplog):
    code = first_code(stamp_batch)

    scan = client.get(f"/s/{code}")
    api_scan = client.get(f"/api/v1/verify/{code}")
    units = client.get("/api/v1/admin-units?level=province")
    home = client.get("/")
    verify = client.get("/verify/")

    assert scan.status_code == 200 and api_scan.status_code == 200
    assert units.status_code == 200 and home.status_code == 200 and verify.status_code == 200
    assert "rate limit not applied" in caplog.text or "cache unreachable" in caplog.text


def test_health_reports_the_cache_outage(client, redis_down):
    health = client.get("/api/v1/health").json()

    assert health["status"] == "degraded"
    assert health["cache"] == "unreachable" and "cache_unreachable" in health["reasons"]


def test_health_is_ok_with_a_working_cache(client):
    health = client.get("/api/v1/health").json()
    assert health["status"] == "ok" and health["reasons"] == [] and health["cache"] == "ok"
