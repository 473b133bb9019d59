"""Counterfeit alert lifecycle (stamps.alerts): open → acknowledged → resolved, notes, audit, access, re-opening."""

import pytest
from django.utils import timezone

from ocop.certification.stamps import testing as stamp_testing
from ocop.certification.stamps.alerts import counterfeit_alert_acknowledge, counterfeit_alert_resolve
from ocop.certification.stamps.models import CounterfeitAlert
from ocop.certification.stamps.selectors import counterfeit_alert_list_for_user
from ocop.certification.stamps.services import counterfeit_alert_raise, scan_record, stamp_batch_void
from ocop.certification.stamps.testing import first_code
from ocop.certification.tests import conftest as cert_fixtures
from ocop.core.errors import Conflict, PermissionDenied, ValidationError
from ocop.core.models import AuditEvent

pytestmark = pytest.mark.django_db
certified_a = stamp_testing.certified_a
stamp_batch = stamp_testing.stamp_batch
product_a, province_decision, issue = cert_fixtures.product_a, cert_fixtures.province_decision, cert_fixtures.issue
regime, regimes = cert_fixtures.regime, cert_fixtures.regimes


@pytest.fixture
def alert(stamp_batch):
    """A voided-batch alert in province A (Lâm Đồng), raised by a real scan."""
    stamp_batch_void(actor=None, batch=stamp_batch, reason="Lô in lỗi")
    scan_record(code=first_code(stamp_batch))
    return CounterfeitAlert.objects.get()


def _audit(action):
    return AuditEvent.objects.filter(action=action, target_type="certification.counterfeitalert")


def test_acknowledge_then_resolve_records_who_when_and_note(alert, province_officer_a):
    acknowledged = counterfeit_alert_acknowledge(actor=province_officer_a, alert=alert, note="  Cử đoàn kiểm tra ")

    assert acknowledged.state == "acknowledged" and acknowledged.acknowledged_by == province_officer_a
    assert acknowledged.acknowledge_note == "Cử đoàn kiểm tra" and acknowledged.acknowledged_at is not None

    resolved = counterfeit_alert_resolve(
        actor=province_officer_a, alert=acknowledged, resolution="confirmed", note="Đã lập biên bản"
    )

    resolved.refresh_from_db()
    assert (resolved.status, resolved.resolution, resolved.resolved_by) == ("resolved", "confirmed", province_officer_a)
    assert resolved.resolution_note == "Đã lập biên bản" and resolved.resolved_count == resolved.count
    assert _audit("stamp.alert_acknowledge").get().data["note"] == "Cử đoàn kiểm tra"
    event = _audit("stamp.alert_resolve").get()
    assert event.actor == province_officer_a and event.data["resolution"] == "confirmed"


def test_open_alert_may_be_resolved_directly_as_false_alarm(alert, central_officer):
    resolved = counterfeit_alert_resolve(
        actor=central_officer, alert=alert, resolution="false_alarm", note="Khách quét thử nhiều lần"
    )

    assert resolved.state == "resolved" and resolved.resolution == "false_alarm"


@pytest.mark.parametrize("note", ["", "   ", None])
def test_missing_note_is_refused_in_vietnamese_and_nothing_is_written(alert, province_officer_a, note):
    with pytest.raises(ValidationError) as ack:
        counterfeit_alert_acknowledge(actor=province_officer_a, alert=alert, note=note)
    with pytest.raises(ValidationError) as res:
        counterfeit_alert_resolve(actor=province_officer_a, alert=alert, resolution="confirmed", note=note)

    assert ack.value.fields == {"note": ["Nhập ghi chú khi tiếp nhận cảnh báo."]}
    assert res.value.as_dict()["fields"] == {"note": ["Nhập ghi chú kết luận xử lý cảnh báo."]}
    alert.refresh_from_db()
    assert alert.status == "open" and alert.acknowledged_at is None and alert.resolved_at is None
    assert not AuditEvent.objects.filter(action__startswith="stamp.alert_").exists()


def test_resolve_needs_a_known_resolution(alert, province_officer_a):
    with pytest.raises(ValidationError) as exc:
        counterfeit_alert_resolve(actor=province_officer_a, alert=alert, resolution="maybe", note="x")

    assert "resolution" in exc.value.fields
    alert.refresh_from_db()
    assert alert.status == "open"


def test_wrong_moves_are_conflicts(alert, province_officer_a):
    counterfeit_alert_acknowledge(actor=province_officer_a, alert=alert, note="Đang xem")
    with pytest.raises(Conflict):
        counterfeit_alert_acknowledge(actor=province_officer_a, alert=alert, note="Lần nữa")
    counterfeit_alert_resolve(actor=province_officer_a, alert=alert, resolution="false_alarm", note="Nhầm")
    with pytest.raises(Conflict) as exc:
        counterfeit_alert_resolve(actor=province_officer_a, alert=alert, resolution="confirmed", note="Lại")

    assert exc.value.code == "stamp_alert_wrong_status"
    assert _audit("stamp.alert_resolve").count() == 1


@pytest.mark.parametrize(
    "persona", ["province_officer_b", "commune_officer_a", "council_member_a", "producer", "superuser"]
)
def test_only_officers_of_the_province_or_central_may_handle(request, alert, persona):
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        counterfeit_alert_acknowledge(actor=user, alert=alert, note="Thử")
    with pytest.raises(PermissionDenied):
        counterfeit_alert_resolve(actor=user, alert=alert, resolution="confirmed", note="Thử")

    alert.refresh_from_db()
    assert alert.status == "open" and not AuditEvent.objects.filter(action__startswith="stamp.alert_").exists()


def test_a_new_scan_reopens_a_resolved_alert_and_keeps_its_count(alert, stamp_batch, province_officer_a):
    counterfeit_alert_resolve(actor=province_officer_a, alert=alert, resolution="false_alarm", note="Nhầm")
    resolved_at_count = CounterfeitAlert.objects.get().count

    scan_record(code=first_code(stamp_batch))

    alert = CounterfeitAlert.objects.get()
    assert alert.count == resolved_at_count + 1 and alert.is_reopened and alert.state == "open"
    open_ids = set(counterfeit_alert_list_for_user(user=province_officer_a, status="open").values_list("pk", flat=True))
    resolved = counterfeit_alert_list_for_user(user=province_officer_a, status="resolved")
    assert open_ids == {alert.pk} and not resolved.exists()

    # when the officer looks again, the re-opened alert goes through the lifecycle once more
    counterfeit_alert_acknowledge(actor=province_officer_a, alert=alert, note="Lại có lượt quét")
    again = counterfeit_alert_resolve(actor=province_officer_a, alert=alert, resolution="confirmed", note="Tem giả")

    assert again.state == "resolved" and not again.is_reopened and again.resolved_count == again.count
    assert _audit("stamp.alert_acknowledge").get().data["reopened"] is True
    assert counterfeit_alert_list_for_user(user=province_officer_a, status="resolved").get() == again


def test_status_filter_and_scope_of_the_list(
    alert, province_officer_a, province_officer_b, province_b, central_officer
):
    counterfeit_alert_raise(kind="bad_code", province_code=province_b.code, at=timezone.now(), sample={"code": "x"})
    counterfeit_alert_acknowledge(actor=province_officer_a, alert=alert, note="Đang xem")

    def kinds(user, **filters):
        return sorted(counterfeit_alert_list_for_user(user=user, **filters).values_list("kind", flat=True))

    assert kinds(province_officer_a) == ["voided_batch"]
    assert kinds(province_officer_b) == ["bad_code"]
    assert kinds(central_officer) == ["bad_code", "voided_batch"]
    assert kinds(central_officer, status="acknowledged") == ["voided_batch"]
    assert kinds(central_officer, status="open") == ["bad_code"]
    assert kinds(central_officer, province_code=province_b.code) == ["bad_code"]
