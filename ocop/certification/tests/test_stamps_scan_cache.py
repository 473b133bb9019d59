"""The scan path's batch cache (stamps.lookup): a stamp of a batch already looked up is judged from the cached rows
and logged in one round trip that checks the rows are unchanged. Every change to the batch, its product, subject or
certificate, through a service or a bare UPDATE, must show in the very next scan and in its log row."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ocop.certification.models import Certificate
from ocop.certification.stamps import codes, lookup
from ocop.certification.stamps import testing as stamp_testing
from ocop.certification.stamps.keys import stamp_key_secret
from ocop.certification.stamps.models import ScanEvent, StampBatch
from ocop.certification.stamps.services import scan_record, stamp_batch_void
from ocop.certification.stamps.testing import first_code, revoke_batch_certificate
from ocop.registry.models import Product

pytestmark = pytest.mark.django_db
certified_a = stamp_testing.certified_a
stamp_batch = stamp_testing.stamp_batch


def _scan(code):
    verification, event, kinds = scan_record(code=code, channel="api", remote_addr="203.0.113.9")
    event.refresh_from_db()
    return verification, event, kinds


def test_a_cached_stamp_takes_one_round_trip_on_postgresql(stamp_batch):
    code = first_code(stamp_batch)
    _scan(code)  # looks the batch up and caches it

    with CaptureQueriesContext(connection) as queries:
        verification, event, _kinds = _scan(code)

    assert verification.outcome == "valid"
    assert event.outcome == "valid" and event.batch_id == stamp_batch.pk
    # The log's own refresh_from_db is the last query; the scan itself: 1 on PostgreSQL, lookup + insert elsewhere.
    assert len(queries) - 1 == (1 if connection.vendor == "postgresql" else 2)


def test_earlier_scans_are_counted_before_this_one(stamp_batch):
    code = first_code(stamp_batch)

    counts = [_scan(code)[0].previous_scans for _ in range(4)]

    assert counts == [0, 1, 2, 3]


def test_voiding_after_caching_shows_on_the_next_scan_and_in_its_log(stamp_batch, province_officer_a):
    code = first_code(stamp_batch)
    assert _scan(code)[0].outcome == "valid"

    stamp_batch_void(actor=province_officer_a, batch=stamp_batch, reason="In sai màu")
    verification, event, kinds = _scan(code)

    assert verification.outcome == "voided"
    assert event.outcome == "voided"
    assert "voided_batch" in kinds


def test_revocation_after_caching_shows_on_the_next_scan(stamp_batch):
    code = first_code(stamp_batch)
    assert _scan(code)[0].outcome == "valid"

    revoke_batch_certificate(stamp_batch)
    verification, event, kinds = _scan(code)

    assert verification.outcome == event.outcome == "revoked"
    assert "after_revocation" in kinds


def test_a_bare_update_bypassing_the_models_is_seen_too(stamp_batch):
    code = first_code(stamp_batch)
    assert _scan(code)[0].outcome == "valid"

    # No save(), no signal, no updated_at: only the rows' digest can tell.
    Certificate.objects.filter(pk=stamp_batch.certificate_id).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    Product.objects.filter(pk=stamp_batch.product_id).update(name="Cà phê Cầu Đất (đổi tên)")
    verification, event, _kinds = _scan(code)

    assert verification.outcome == event.outcome == "expired"
    assert verification.batch.product.name == "Cà phê Cầu Đất (đổi tên)"


def test_a_deleted_batch_no_longer_verifies(stamp_batch):
    code = first_code(stamp_batch)
    assert _scan(code)[0].outcome == "valid"

    StampBatch.objects.filter(pk=stamp_batch.pk).delete()
    verification, event, kinds = _scan(code)

    assert verification.outcome == event.outcome == "invalid"
    assert event.batch_id is None
    assert kinds == ["unissued"]


def test_cache_finds_ranges_at_their_edges(certified_a):
    from ocop.certification.stamps.services import stamp_batch_order

    first = stamp_batch_order(actor=None, product=certified_a, quantity=3)
    second = stamp_batch_order(actor=None, product=certified_a, quantity=4)
    key = stamp_key_secret(first.key_id)
    for batch in (first, second):
        _scan(codes.code_make(key, batch.key_id, batch.serial_start))  # cache both

    for serial, expected in [(0, first.pk), (2, first.pk), (3, second.pk), (6, second.pk), (7, None)]:
        verification, event, _kinds = _scan(codes.code_make(key, first.key_id, serial))
        assert (verification.batch.pk if verification.batch else None) == expected, serial
        assert event.batch_id == expected


def test_batch_cache_keeps_ranges_apart():
    cache = lookup._BatchCache()
    cache.MAX_BATCHES = 2
    batches = [StampBatch(pk=i + 1, key_id=1, serial_start=i * 10, serial_end=i * 10 + 5) for i in range(3)]
    cache.put(batches[0], "a")
    cache.put(batches[1], "b")

    assert cache.get(1, 0) == (batches[0], "a")
    assert cache.get(1, 4) == (batches[0], "a")
    assert cache.get(1, 5) is None  # between ranges: never issued, never cached
    assert cache.get(1, 12) == (batches[1], "b")
    assert cache.get(2, 0) is None  # another key

    cache.put(batches[2], "c")  # over the bound: starts afresh

    assert cache.get(1, 0) is None
    assert cache.get(1, 21) == (batches[2], "c")


def test_scans_of_other_serials_log_their_own_rows(stamp_batch):
    key = stamp_key_secret(stamp_batch.key_id)
    for offset in range(3):
        _scan(codes.code_make(key, stamp_batch.key_id, stamp_batch.serial_start + offset))

    logged = list(ScanEvent.objects.order_by("pk").values_list("serial", "outcome", "origin"))

    assert logged == [(stamp_batch.serial_start + i, "valid", "203.0.113.0/24") for i in range(3)]


@pytest.mark.django_db(transaction=True)
def test_in_autocommit_the_log_is_committed_without_waiting_for_the_flush(certified_a):
    """Outside a transaction (as in a request) the log row goes in with synchronous_commit off for that transaction
    only; the row is there and the session's setting is unchanged."""
    from ocop.certification.stamps.services import stamp_batch_order

    batch = stamp_batch_order(actor=None, product=certified_a, quantity=2)
    code = first_code(batch)
    assert not connection.in_atomic_block

    results = [_scan(code) for _ in range(3)]  # lookup + insert, then the checked statement twice
    # A copied code on another lot's link: judged from the cached batch, logged with no batch (NULLs bound).
    mismatch, event, kinds = scan_record(code=code, channel="link", lot_code="L-KHAC")

    assert [v.previous_scans for v, _e, _k in results] == [0, 1, 2]
    assert ScanEvent.objects.filter(batch=batch, outcome="valid").count() == 3
    assert "link_mismatch" in mismatch.warnings and kinds == []
    assert ScanEvent.objects.filter(pk=event.pk, batch__isnull=True, product__isnull=True, outcome="invalid").exists()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"


def test_batch_cache_replaces_a_range_whose_batch_is_gone():
    cache = lookup._BatchCache()
    gone = StampBatch(pk=7, key_id=1, serial_start=0, serial_end=10)
    new = StampBatch(pk=3, key_id=1, serial_start=0, serial_end=4)
    cache.put(gone, "a")

    cache.put(new, "b")

    assert cache.get(1, 2) == (new, "b")
    assert cache.get(1, 7) is None
    cache.forget(3)
    assert cache.get(1, 2) is None and cache._ranges[1] == []


def test_two_changes_in_one_transaction_are_both_seen(stamp_batch):
    """Two versions of a row written by one transaction share their `xmin`: the row's place tells them apart."""
    code = first_code(stamp_batch)
    with transaction.atomic():  # one savepoint: both updates carry the same transaction id
        Product.objects.filter(pk=stamp_batch.product_id).update(name="Tên thứ nhất")
        assert _scan(code)[0].batch.product.name == "Tên thứ nhất"
        Product.objects.filter(pk=stamp_batch.product_id).update(name="Tên thứ hai")

        assert _scan(code)[0].batch.product.name == "Tên thứ hai"
