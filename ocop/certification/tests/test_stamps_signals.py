"""Counterfeit signals: the pure rules, table-driven, and the service on synthetic scan streams."""

import datetime

import pytest
from django.utils import timezone

from ocop.certification.stamps import codes
from ocop.certification.stamps import signals_rules as sr
from ocop.certification.stamps import testing as stamp_testing
from ocop.certification.stamps.models import CounterfeitAlert, ScanEvent
from ocop.certification.stamps.services import scan_locate, scan_location_token, scan_record, stamp_batch_void
from ocop.certification.stamps.testing import first_code

T0 = datetime.datetime(2026, 11, 1, 8, 0, tzinfo=datetime.UTC)
H = datetime.timedelta(hours=1)
certified_a = stamp_testing.certified_a
stamp_batch = stamp_testing.stamp_batch


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (sr.ScanFacts(at=T0, outcome="invalid", mac_ok=False, issued=False), [sr.BAD_CODE]),
        (sr.ScanFacts(at=T0, outcome="invalid", mac_ok=True, issued=False), [sr.UNISSUED]),
        (sr.ScanFacts(at=T0, outcome="valid", mac_ok=True, issued=True, previous_scans=19), []),
        (sr.ScanFacts(at=T0, outcome="valid", mac_ok=True, issued=True, previous_scans=20), [sr.OVER_SCANNED]),
        (sr.ScanFacts(at=T0, outcome="revoked", mac_ok=True, issued=True), [sr.AFTER_REVOCATION]),
        (
            sr.ScanFacts(at=T0, outcome="voided", mac_ok=True, issued=True, previous_scans=50),
            [sr.OVER_SCANNED, sr.VOIDED_BATCH],
        ),
        (sr.ScanFacts(at=T0, outcome="expired", mac_ok=True, issued=True), []),
    ],
)
def test_signals_for_scan(facts, expected):
    assert sr.signals_for_scan(facts, max_scans=20) == expected


@pytest.mark.parametrize(
    ("current", "earlier", "hit"),
    [
        (sr.PlacedScan(T0, "68"), [sr.PlacedScan(T0 - H, "01")], True),
        (sr.PlacedScan(T0, "68"), [sr.PlacedScan(T0 - 30 * H, "01")], False),  # outside the window
        (sr.PlacedScan(T0, "68"), [sr.PlacedScan(T0 - H, "68")], False),  # same province
        (sr.PlacedScan(T0, ""), [sr.PlacedScan(T0 - H, "01")], False),  # no location given
        (sr.PlacedScan(T0, "68"), [sr.PlacedScan(T0 - H, "")], False),
    ],
)
def test_distant_scan(current, earlier, hit):
    assert (sr.distant_scan(current, earlier, window=24 * H) is not None) == hit


@pytest.mark.django_db
def test_stream_over_the_limit_raises_one_alert_with_a_count(stamp_batch, settings):
    settings.OCOP_STAMP_MAX_SCANS = 3
    code = first_code(stamp_batch)

    kinds = [scan_record(code=code, now=T0 + i * H)[2] for i in range(6)]

    assert kinds == [[], [], [], ["over_scanned"], ["over_scanned"], ["over_scanned"]]
    alert = CounterfeitAlert.objects.get(kind="over_scanned")
    assert (alert.count, alert.serial, alert.product_id) == (3, stamp_batch.serial_start, stamp_batch.product_id)
    assert alert.province_code == stamp_batch.product.subject.province_code
    assert (alert.first_seen_at, alert.last_seen_at) == (T0 + 3 * H, T0 + 5 * H)
    assert len(alert.evidence["samples"]) == 3


@pytest.mark.django_db
def test_stream_of_forged_and_unissued_codes(stamp_batch):
    key_of = first_code(stamp_batch)
    unissued = codes.code_make(stamp_testing_key(stamp_batch), stamp_batch.key_id, stamp_batch.serial_end + 100)
    forged = key_of[:-3] + ("AAA" if key_of[-3:] != "AAA" else "BBB")

    for code in (forged, forged, unissued, "not a code at all"):
        scan_record(code=code, now=T0)

    assert CounterfeitAlert.objects.get(kind="bad_code").count == 2
    assert CounterfeitAlert.objects.get(kind="unissued").product is None
    assert ScanEvent.objects.count() == 4 and CounterfeitAlert.objects.count() == 2  # garbage is logged only


def stamp_testing_key(batch):
    from ocop.certification.stamps.keys import stamp_key_secret

    return stamp_key_secret(batch.key_id)


@pytest.mark.django_db
def test_stream_after_void(stamp_batch):
    stamp_batch_void(actor=None, batch=stamp_batch, reason="Mất cắp lô tem")

    scan_record(code=first_code(stamp_batch, 1), now=timezone.now())
    scan_record(code=first_code(stamp_batch, 2), now=timezone.now())

    alert = CounterfeitAlert.objects.get(kind="voided_batch")
    assert alert.count == 2 and alert.batch == stamp_batch


@pytest.mark.django_db
def test_stream_in_distant_provinces(stamp_batch, province_a, province_b):
    code = first_code(stamp_batch)
    first = scan_record(code=code)[1]
    scan_locate(token=scan_location_token(first), province_code=province_a.code, consent=True)
    second = scan_record(code=code)[1]

    kinds = scan_locate(token=scan_location_token(second), province_code=province_b.code, consent=True)

    assert kinds == ["distant_scans"]
    alert = CounterfeitAlert.objects.get(kind="distant_scans")
    assert {alert.evidence["samples"][0]["province"], alert.evidence["samples"][0]["earlier_province"]} == {
        province_a.code,
        province_b.code,
    }
