"""GET /api/v1/stamps/alerts, POST …/{id}/acknowledge and …/{id}/resolve: the back office's rules, OpenAPI shape."""

import json

import pytest
from django.utils import timezone

from ocop.accounts.services import api_token_create
from ocop.certification.stamps import testing as stamp_testing
from ocop.certification.stamps.models import CounterfeitAlert
from ocop.certification.stamps.services import counterfeit_alert_raise, scan_record, stamp_batch_void
from ocop.certification.stamps.testing import bind_producer, first_code
from ocop.certification.tests import conftest as cert_fixtures
from ocop.core.models import AuditEvent
from ocop.interop.openapi_check import assert_matches_openapi

pytestmark = pytest.mark.django_db
certified_a = stamp_testing.certified_a
stamp_batch = stamp_testing.stamp_batch
product_a, province_decision, issue = cert_fixtures.product_a, cert_fixtures.province_decision, cert_fixtures.issue
regime, regimes = cert_fixtures.regime, cert_fixtures.regimes
LIST = "/api/v1/stamps/alerts"
ACK = "/api/v1/stamps/alerts/{alert_id}/acknowledge"
RESOLVE = "/api/v1/stamps/alerts/{alert_id}/resolve"


@pytest.fixture
def alert(stamp_batch):
    stamp_batch_void(actor=None, batch=stamp_batch, reason="Lô in lỗi")
    scan_record(code=first_code(stamp_batch))
    return CounterfeitAlert.objects.get()


def _post(client, path, body, **extra):
    return client.post(path, json.dumps(body), content_type="application/json", **extra)


def test_officer_lists_acknowledges_and_resolves_with_a_token(alert, province_officer_a, anon_client):
    _token, secret = api_token_create(actor=province_officer_a, name="Hệ thống giám sát")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    listed = anon_client.get(f"{LIST}?status=open", **auth)
    ack = _post(anon_client, f"/api/v1/stamps/alerts/{alert.pk}/acknowledge", {"note": "Đang xác minh"}, **auth)
    res = _post(
        anon_client, f"/api/v1/stamps/alerts/{alert.pk}/resolve", {"resolution": "false_alarm", "note": "Nhầm"}, **auth
    )

    assert listed.status_code == 200 and [a["id"] for a in listed.json()["items"]] == [alert.pk]
    assert listed.json()["items"][0]["evidence"][0]["code"] == first_code(alert.batch)
    assert_matches_openapi(listed, LIST)
    assert ack.status_code == 200 and ack.json()["status"] == "acknowledged"
    assert ack.json()["acknowledged_by"] == str(province_officer_a)
    assert_matches_openapi(ack, ACK, "post")
    assert res.status_code == 200 and res.json()["status"] == "resolved" and res.json()["resolution"] == "false_alarm"
    assert_matches_openapi(res, RESOLVE, "post")
    assert anon_client.get(f"{LIST}?status=open", **auth).json()["items"] == []


def test_missing_note_is_422_in_vietnamese_and_nothing_is_written(alert, province_officer_a, client_for):
    client = client_for(province_officer_a)

    ack = _post(client, f"/api/v1/stamps/alerts/{alert.pk}/acknowledge", {"note": ""})
    res = _post(client, f"/api/v1/stamps/alerts/{alert.pk}/resolve", {"resolution": "confirmed"})

    assert ack.status_code == 422 and ack.json()["fields"] == {"note": ["Nhập ghi chú khi tiếp nhận cảnh báo."]}
    assert res.status_code == 422 and res.json()["fields"] == {"note": ["Nhập ghi chú kết luận xử lý cảnh báo."]}
    assert_matches_openapi(ack, ACK, "post")
    alert.refresh_from_db()
    assert alert.status == "open" and not AuditEvent.objects.filter(action__startswith="stamp.alert_").exists()


def test_wrong_status_is_409(alert, province_officer_a, client_for):
    client = client_for(province_officer_a)
    _post(client, f"/api/v1/stamps/alerts/{alert.pk}/acknowledge", {"note": "Một"})

    again = _post(client, f"/api/v1/stamps/alerts/{alert.pk}/acknowledge", {"note": "Hai"})

    assert again.status_code == 409 and again.json()["code"] == "stamp_alert_wrong_status"


def test_reopened_alert_comes_back_under_status_open(alert, stamp_batch, province_officer_a, client_for):
    client = client_for(province_officer_a)
    _post(client, f"/api/v1/stamps/alerts/{alert.pk}/resolve", {"resolution": "false_alarm", "note": "Nhầm"})

    scan_record(code=first_code(stamp_batch))

    item = client.get(f"{LIST}?status=open").json()["items"][0]
    assert (item["id"], item["status"], item["reopened"], item["resolution"]) == (alert.pk, "open", True, "false_alarm")


def test_other_province_filters(alert, province_b, central_officer, client_for):
    counterfeit_alert_raise(kind="bad_code", province_code=province_b.code, at=timezone.now(), sample={"code": "x"})
    client = client_for(central_officer)

    def kinds(query):
        return sorted(a["kind"] for a in client.get(f"{LIST}?{query}").json()["items"])

    assert kinds("") == ["bad_code", "voided_batch"]
    assert kinds(f"province={province_b.code}") == ["bad_code"]
    assert kinds("kind=voided_batch") == ["voided_batch"]
    assert kinds(f"product={alert.product_id}") == ["voided_batch"]
    assert client.get(f"{LIST}?status=nonsense").status_code == 422


@pytest.mark.parametrize(
    ("persona", "listed", "detail", "act"),
    [
        ("central_officer", 1, 200, 200),
        ("province_officer_a", 1, 200, 200),
        ("province_officer_b", 0, 404, 404),
        ("commune_officer_a", 403, 403, 403),
        ("council_member_a", 403, 403, 403),
        ("producer", 403, 403, 403),
        ("superuser", 1, 200, 403),
    ],
)
def test_permission_matrix(request, alert, client_for, persona, listed, detail, act):
    user = request.getfixturevalue(persona)
    if persona == "producer":
        bind_producer(user, alert.product.subject)
    client = client_for(user)

    listing = client.get(LIST)
    one = client.get(f"/api/v1/stamps/alerts/{alert.pk}")
    ack = _post(client, f"/api/v1/stamps/alerts/{alert.pk}/acknowledge", {"note": "Tiếp nhận"})
    res = _post(client, f"/api/v1/stamps/alerts/{alert.pk}/resolve", {"resolution": "confirmed", "note": "Tem giả"})

    if listed == 403:
        assert listing.status_code == 403 and listing.json()["code"] == "stamp_alerts_forbidden"
    else:
        assert listing.status_code == 200 and listing.json()["count"] == listed
    assert one.status_code == detail
    assert (ack.status_code, res.status_code) == (act, act)
    alert.refresh_from_db()
    assert alert.status == ("resolved" if act == 200 else "open")


def test_anonymous_is_401(alert, anon_client):
    assert anon_client.get(LIST).status_code == 401
    response = _post(anon_client, f"/api/v1/stamps/alerts/{alert.pk}/acknowledge", {"note": "x"})
    assert response.status_code == 401
    assert_matches_openapi(response, ACK, "post")
