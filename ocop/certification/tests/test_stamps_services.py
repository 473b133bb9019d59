"""Ordering, voiding and verifying stamp batches."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from ocop.certification.models import Certificate
from ocop.certification.stamps import codes, testing
from ocop.certification.stamps.keys import stamp_key_secret
from ocop.certification.stamps.links import digital_link_parse, stamp_path
from ocop.certification.stamps.models import StampBatch, StampKey, StampPolicy
from ocop.certification.stamps.services import (
    stamp_batch_codes,
    stamp_batch_order,
    stamp_batch_void,
    stamp_key_rotate,
    stamp_verify,
)
from ocop.certification.stamps.testing import bind_producer, first_code, revoke_batch_certificate
from ocop.core.errors import Conflict, PermissionDenied, ValidationError

pytestmark = pytest.mark.django_db
certified_a = testing.certified_a
stamp_batch = testing.stamp_batch


def test_order_takes_consecutive_non_overlapping_ranges(certified_a):
    first = stamp_batch_order(actor=None, product=certified_a, quantity=5)
    second = stamp_batch_order(actor=None, product=certified_a, quantity=7)

    assert (first.serial_start, first.serial_end) == (0, 5)
    assert (second.serial_start, second.serial_end, second.quantity) == (5, 12, 7)
    assert first.certificate.star == 4


@pytest.mark.parametrize("quantity", [0, -1, 100_001, 10**8, "10", None, True])
def test_order_refuses_bad_quantities_and_stores_nothing(certified_a, quantity):
    with pytest.raises(ValidationError) as exc:
        stamp_batch_order(actor=None, product=certified_a, quantity=quantity)

    assert "quantity" in exc.value.fields
    assert not StampBatch.objects.exists()
    assert not StampKey.objects.filter(next_serial__gt=0).exists()


def test_order_refuses_product_without_valid_certificate(product_a):
    with pytest.raises(ValidationError) as exc:
        stamp_batch_order(actor=None, product=product_a, quantity=10)

    assert exc.value.code == "no_valid_certificate"
    assert not StampBatch.objects.exists()


def test_order_refuses_label_that_does_not_fit_a4_and_bad_lot(certified_a):
    with pytest.raises(ValidationError) as exc:
        stamp_batch_order(actor=None, product=certified_a, quantity=1, label_width_mm=300, lot_code="lô 1/2")

    assert {"label_width_mm", "lot_code"} <= set(exc.value.fields)


def test_order_permissions(certified_a, province_officer_a, province_officer_b, central_officer, producer):
    assert stamp_batch_order(actor=province_officer_a, product=certified_a, quantity=1)
    assert stamp_batch_order(actor=central_officer, product=certified_a, quantity=1)
    with pytest.raises(PermissionDenied):
        stamp_batch_order(actor=province_officer_b, product=certified_a, quantity=1)
    bind_producer(producer, certified_a.subject)
    with pytest.raises(PermissionDenied):
        stamp_batch_order(actor=producer, product=certified_a, quantity=1)
    StampPolicy.objects.create(province_code=certified_a.subject.province_code, producers_may_order=True)
    assert stamp_batch_order(actor=producer, product=certified_a, quantity=1).ordered_by == producer


def test_verify_finds_batch_at_its_edges(certified_a):
    before = stamp_batch_order(actor=None, product=certified_a, quantity=3)
    batch = stamp_batch_order(actor=None, product=certified_a, quantity=4)
    key = stamp_key_secret(batch.key_id)

    def verify(serial):
        return stamp_verify(code=codes.code_make(key, batch.key_id, serial))

    assert verify(batch.serial_start).batch == batch  # first
    assert verify(batch.serial_end - 1).batch == batch  # last
    assert verify(batch.serial_start - 1).batch == before  # one before: previous batch
    past = verify(batch.serial_end)  # one past: never issued
    assert past.batch is None and past.outcome == "invalid" and past.warnings == ["unissued"]


def test_verify_valid_and_forged(stamp_batch):
    good = stamp_verify(code=first_code(stamp_batch))
    forged = codes.code_format(stamp_batch.key_id, stamp_batch.serial_start, b"\0" * 8)

    assert good.outcome == "valid" and good.product == stamp_batch.product
    bad = stamp_verify(code=forged)
    assert bad.outcome == "invalid" and bad.batch is None and bad.warnings == ["bad_code"]


def test_void_flips_outcome_and_needs_reason(stamp_batch, province_officer_a, province_officer_b):
    with pytest.raises(ValidationError):
        stamp_batch_void(actor=province_officer_a, batch=stamp_batch, reason="  ")
    with pytest.raises(PermissionDenied):
        stamp_batch_void(actor=province_officer_b, batch=stamp_batch, reason="In sai")

    stamp_batch_void(actor=province_officer_a, batch=stamp_batch, reason="In sai màu")

    assert stamp_verify(code=first_code(stamp_batch)).outcome == "voided"
    with pytest.raises(Conflict):
        stamp_batch_void(actor=province_officer_a, batch=stamp_batch, reason="again")


def test_revocation_and_expiry_flip_outcome(stamp_batch):
    code = first_code(stamp_batch)
    today = timezone.localdate()
    Certificate.objects.filter(pk=stamp_batch.certificate_id).update(valid_until=today - datetime.timedelta(days=1))
    assert stamp_verify(code=code).outcome == "expired"

    Certificate.objects.filter(pk=stamp_batch.certificate_id).update(valid_until=today + datetime.timedelta(days=9))
    revoke_batch_certificate(stamp_batch)
    assert stamp_verify(code=code).outcome == "revoked"


def test_rotated_keys_keep_verifying(certified_a):
    old = stamp_batch_order(actor=None, product=certified_a, quantity=2)
    stamp_key_rotate()
    new = stamp_batch_order(actor=None, product=certified_a, quantity=2)

    assert new.key_id == old.key_id + 1 and new.serial_start == 0
    assert stamp_verify(code=first_code(old)).batch == old
    assert stamp_verify(code=first_code(new)).batch == new


def test_codes_carry_digital_link_with_gtin(stamp_batch):
    stamp_batch.product.gtin = "8935049500018"
    stamp_batch.product.save(update_fields=["gtin"])
    serial, code, url = next(stamp_batch_codes(stamp_batch))

    path = url.removeprefix("http://testserver").split("://", 1)[-1]
    path = path[path.index("/") :]
    assert path == stamp_path(code, gtin="8935049500018", lot_code="L2026-01")
    assert digital_link_parse(path) == ("08935049500018", "L2026-01", code)
    assert stamp_verify(code=code, gtin="08935049500018", lot_code="L2026-01").outcome == "valid"
    assert stamp_verify(code=code, gtin="08935049500025", lot_code="L2026-01").outcome == "invalid"


def test_codes_without_gtin_use_short_link(stamp_batch):
    _serial, code, url = next(stamp_batch_codes(stamp_batch))

    assert url.endswith(f"/s/{code}")


@pytest.mark.django_db(transaction=True)
def test_concurrent_orders_never_overlap(certified_a):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the row lock matters on PostgreSQL")
    stamp_batch_order(actor=None, product=certified_a, quantity=1)  # creates the key row
    errors = []

    def order():
        try:
            stamp_batch_order(actor=None, product=certified_a, quantity=100)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=order) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not errors
    ranges = sorted(StampBatch.objects.values_list("serial_start", "serial_end"))
    assert all(a_end <= b_start for (_s, a_end), (b_start, _e) in zip(ranges, ranges[1:], strict=False))
