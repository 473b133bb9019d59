"""Back-office counterfeit alerts: filters, detail with evidence, acknowledge / resolve buttons, permission matrix."""

import pytest
from django.utils import timezone

from ocop.certification.stamps import testing as stamp_testing
from ocop.certification.stamps.models import CounterfeitAlert
from ocop.certification.stamps.services import counterfeit_alert_raise, scan_record, stamp_batch_void
from ocop.certification.stamps.testing import bind_producer, first_code
from ocop.certification.tests import conftest as cert_fixtures
from ocop.core.models import AuditEvent

pytestmark = pytest.mark.django_db
certified_a = stamp_testing.certified_a
stamp_batch = stamp_testing.stamp_batch
product_a, province_decision, issue = cert_fixtures.product_a, cert_fixtures.province_decision, cert_fixtures.issue
regime, regimes = cert_fixtures.regime, cert_fixtures.regimes


@pytest.fixture
def alert(stamp_batch):
    stamp_batch_void(actor=None, batch=stamp_batch, reason="Lô in lỗi")
    scan_record(code=first_code(stamp_batch), remote_addr="203.0.113.77")
    return CounterfeitAlert.objects.get()


def test_detail_shows_evidence_and_both_actions_to_the_province_officer(alert, province_officer_a, client_for):
    html = client_for(province_officer_a).get(f"/bo/stamps/alerts/{alert.pk}/").content.decode()

    assert 'data-status="open"' in html and alert.product.name in html
    assert 'data-testid="evidence"' in html and "203.0.113.0" in html
    assert 'data-testid="acknowledge"' in html and 'data-testid="resolve"' in html


def test_officer_acknowledges_then_resolves_from_the_page(alert, province_officer_a, client_for):
    client = client_for(province_officer_a)

    ack = client.post(f"/bo/stamps/alerts/{alert.pk}/acknowledge/", {"note": "Cử đoàn kiểm tra chợ"})
    page = client.get(f"/bo/stamps/alerts/{alert.pk}/").content.decode()
    res = client.post(f"/bo/stamps/alerts/{alert.pk}/resolve/", {"resolution": "confirmed", "note": "Biên bản số 12"})

    assert ack.status_code == 302 and res.status_code == 302
    assert 'data-status="acknowledged"' in page and 'data-testid="acknowledge"' not in page
    assert "Cử đoàn kiểm tra chợ" in page and 'data-testid="resolve"' in page
    done = client.get(f"/bo/stamps/alerts/{alert.pk}/").content.decode()
    assert 'data-status="resolved"' in done and "Biên bản số 12" in done and 'data-testid="alert-history"' in done
    assert 'data-testid="resolve"' not in done
    alert.refresh_from_db()
    assert (alert.status, alert.resolution, alert.resolved_by) == ("resolved", "confirmed", province_officer_a)


def test_missing_note_shows_vietnamese_error_and_writes_nothing(alert, province_officer_a, client_for):
    client = client_for(province_officer_a)

    ack = client.post(f"/bo/stamps/alerts/{alert.pk}/acknowledge/", {"note": "  "})
    res = client.post(f"/bo/stamps/alerts/{alert.pk}/resolve/", {"resolution": "false_alarm", "note": ""})

    assert ack.status_code == 422 and "Nhập ghi chú khi tiếp nhận cảnh báo." in ack.content.decode()
    assert res.status_code == 422 and "Nhập ghi chú kết luận xử lý cảnh báo." in res.content.decode()
    alert.refresh_from_db()
    assert alert.status == "open" and alert.acknowledged_at is None and alert.resolved_at is None
    assert not AuditEvent.objects.filter(action__startswith="stamp.alert_").exists()


def test_list_filters_by_status_kind_province_and_product(alert, province_b, central_officer, client_for):
    counterfeit_alert_raise(kind="bad_code", province_code=province_b.code, at=timezone.now(), sample={"code": "x"})
    client = client_for(central_officer)
    client.post(f"/bo/stamps/alerts/{alert.pk}/acknowledge/", {"note": "Đang xác minh"})

    def kinds(query):
        html = client.get(f"/bo/stamps/alerts/?{query}").content.decode()
        return sorted(k for k in ("voided_batch", "bad_code") if f'data-kind="{k}"' in html)

    assert kinds("") == ["bad_code", "voided_batch"]
    assert kinds("status=acknowledged") == ["voided_batch"]
    assert kinds("status=open") == ["bad_code"]
    assert kinds("status=resolved") == []
    assert kinds("kind=bad_code") == ["bad_code"]
    assert kinds(f"province={province_b.code}") == ["bad_code"]
    assert kinds(f"product={alert.product_id}") == ["voided_batch"]


def test_reopened_alert_is_listed_as_open(alert, stamp_batch, province_officer_a, client_for):
    client = client_for(province_officer_a)
    client.post(f"/bo/stamps/alerts/{alert.pk}/resolve/", {"resolution": "false_alarm", "note": "Nhầm"})

    scan_record(code=first_code(stamp_batch))

    html = client.get("/bo/stamps/alerts/?status=open").content.decode()
    assert 'data-kind="voided_batch"' in html and 'data-status="open"' in html and "mở lại" in html
    assert 'data-testid="acknowledge"' in client.get(f"/bo/stamps/alerts/{alert.pk}/").content.decode()


@pytest.mark.parametrize(
    ("persona", "detail", "act", "buttons"),
    [
        ("central_officer", 200, 302, True),
        ("province_officer_a", 200, 302, True),
        ("province_officer_b", 404, 404, False),  # another province's alert does not exist for them
        ("commune_officer_a", 403, 403, False),  # commune officers never see alerts (existing access rule)
        ("council_member_a", 403, 403, False),
        ("producer", 403, 403, False),
        ("superuser", 200, 403, False),  # reads everything, repairs data in the admin only
    ],
)
def test_permission_matrix(request, alert, client_for, persona, detail, act, buttons):
    user = request.getfixturevalue(persona)
    if persona == "producer":
        bind_producer(user, alert.product.subject)
    client = client_for(user)

    page = client.get(f"/bo/stamps/alerts/{alert.pk}/")
    ack = client.post(f"/bo/stamps/alerts/{alert.pk}/acknowledge/", {"note": "Tiếp nhận"})
    alert.refresh_from_db()
    res = client.post(f"/bo/stamps/alerts/{alert.pk}/resolve/", {"resolution": "confirmed", "note": "Kết luận"})

    assert page.status_code == detail
    assert (ack.status_code, res.status_code) == (act, act)
    if detail == 200:
        assert ('data-testid="acknowledge"' in page.content.decode()) is buttons
    alert.refresh_from_db()
    assert alert.status == ("resolved" if act == 302 else "open")


def test_anonymous_is_sent_to_login(alert, anon_client):
    assert anon_client.get(f"/bo/stamps/alerts/{alert.pk}/").status_code == 302
    assert anon_client.post(f"/bo/stamps/alerts/{alert.pk}/acknowledge/", {"note": "x"}).status_code == 302
    assert CounterfeitAlert.objects.get().status == "open"
