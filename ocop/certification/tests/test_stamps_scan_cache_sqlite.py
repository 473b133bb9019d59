"""The scan path's batch cache on SQLite (stamps.lookup, stamps.changes): in autocommit, as in a request, a stamp of a
batch already looked up is judged from the cached rows without the lookup query, and any change committed since, by
this connection or by any other (another process, a bare UPDATE from the sqlite3 shell), shows in the very next
scan, through the change counter the triggers keep.

Transactional tests: the cache only works outside a transaction, where every statement commits."""

import datetime
import sqlite3

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ocop.certification.models import Certificate
from ocop.certification.stamps import changes, lookup
from ocop.certification.stamps import testing as stamp_testing
from ocop.certification.stamps.models import ScanEvent
from ocop.certification.stamps.services import scan_record, stamp_batch_order
from ocop.certification.stamps.testing import first_code, revoke_batch_certificate

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's change counter"),
]
certified_a = stamp_testing.certified_a


@pytest.fixture
def batch(certified_a):
    return stamp_batch_order(actor=None, product=certified_a, quantity=5)


def _scan(code):
    assert not connection.in_atomic_block
    verification, event, kinds = scan_record(code=code, channel="api", remote_addr="203.0.113.9")
    return verification, event, kinds


def _other_connection():
    """A second connection to the same database, as another process (or the sqlite3 shell) would open."""
    settings = connection.settings_dict
    name = settings["TEST"].get("NAME") or connection.creation._get_test_db_name()
    return sqlite3.connect(name, uri=name.startswith("file:"), isolation_level=None)


def test_a_cached_stamp_skips_the_lookup(batch):
    code = first_code(batch)
    _scan(code)  # looks the batch up and caches it

    with CaptureQueriesContext(connection) as queries:
        verification, event, _kinds = _scan(code)

    assert verification.outcome == "valid" and event.batch_id == batch.pk
    assert verification.previous_scans == 1
    sql = [q["sql"] for q in queries]
    assert len(sql) == 2, sql  # the count of earlier scans with the change counter, the insert: no lookup
    assert "INSERT" in sql[1] and "JOIN" not in sql[0] and changes.TABLE in sql[0]


def test_scans_logged_by_other_connections_keep_the_cache(batch):
    """A server's threads each have a connection and each logs scans: those inserts change no cached row."""
    code = first_code(batch)
    _scan(code)
    other = _other_connection()
    try:
        other.execute(
            f"INSERT INTO {ScanEvent._meta.db_table} (scanned_at, code, outcome, channel, device, browser, origin, "  # noqa: S608
            "province_code, location_consent) VALUES (?, '', 'invalid', 'api', '', '', '', '', 0)",
            [timezone.now().isoformat()],
        )
    finally:
        other.close()

    with CaptureQueriesContext(connection) as queries:
        _scan(code)

    assert len(queries) == 2


def test_earlier_scans_are_counted_on_the_cached_path(batch):
    code = first_code(batch, 1)

    assert [_scan(code)[0].previous_scans for _ in range(4)] == [0, 1, 2, 3]
    assert ScanEvent.objects.filter(serial=batch.serial_start + 1).count() == 4


def test_a_change_committed_by_another_connection_shows_on_the_next_scan(batch):
    code = first_code(batch)
    assert _scan(code)[0].outcome == "valid"
    assert _scan(code)[0].outcome == "valid"  # from the cache

    other = _other_connection()
    try:
        yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
        other.execute(
            f"UPDATE {Certificate._meta.db_table} SET valid_until = ? WHERE id = ?",  # noqa: S608 (model's table)
            [yesterday, batch.certificate_id],
        )
    finally:
        other.close()
    verification, event, _kinds = _scan(code)

    assert verification.outcome == "expired"
    assert ScanEvent.objects.get(pk=event.pk).outcome == "expired"


def test_a_change_made_on_this_connection_shows_on_the_next_scan(batch):
    code = first_code(batch)
    assert _scan(code)[0].outcome == "valid"
    assert lookup.batch_cached(batch.key_id, batch.serial_start) is not None

    revoke_batch_certificate(batch)
    verification, _event, kinds = _scan(code)

    assert verification.outcome == "revoked"
    assert "after_revocation" in kinds


def test_nothing_is_cached_or_trusted_inside_a_transaction(batch):
    """A rollback takes back a change without moving the counters back: the scan inside the transaction must not
    leave the rolled-back state in the cache."""
    code = first_code(batch)
    assert _scan(code)[0].outcome == "valid"

    with transaction.atomic():
        # An expiry raises no alert, so the scan's own insert is the transaction's only other change.
        Certificate.objects.filter(pk=batch.certificate_id).update(
            valid_until=timezone.localdate() - datetime.timedelta(days=1)
        )
        assert lookup.batch_cached(batch.key_id, batch.serial_start) is None
        inside = scan_record(code=code, channel="api")[0]
        transaction.set_rollback(True)

    assert inside.outcome == "expired"
    assert _scan(code)[0].outcome == "valid"
    assert _scan(code)[0].outcome == "valid"


def test_every_trigger_is_in_place_after_migrate_and_comes_back():
    """Django rebuilds a SQLite table to alter it, dropping its triggers; post_migrate creates them again."""
    assert changes.changes_ready(connection)
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER ocop_stamp_gen_registry_product_update")
    assert not changes.changes_ready(connection)

    changes.on_post_migrate(sender=None, using=connection.alias)

    assert changes.changes_ready(connection)
