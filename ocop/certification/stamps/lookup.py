"""The range lookup every scan runs, as hand-written, prepared queries instead of ORM querysets, and on PostgreSQL
a per-process cache of looked-up batches checked against the database in the scan's one round trip.

Compiling `StampBatch.objects.select_related("product__subject", "certificate")…first()` cost about 2 ms of CPU per
scan (Django hashes every selected column to build the ORDER BY), fifteen times the query itself
(bench/bench_scan.py). The SQL here is built once per process from the models' metadata, so it follows the schema,
and each row is turned into model instances with `Model.from_db` and the backend's converters, exactly as the ORM
does: the instances are ordinary models (a field not selected would load lazily, relations are wired). On
PostgreSQL the statements are prepared once per connection (ocop.core.prepared): planning the join cost more than
running it.

Over HTTP each round trip to PostgreSQL cost about a millisecond (bench/bench_scan_http.py), more than all the
Python of a scan. So a scan of a stamp whose batch this process has seen takes one round trip: the statement that
logs the scan (`scan_log_checked`) also counts the stamp's earlier scans and returns a digest of the row versions
of the batch, product, subject and certificate as they are now. The outcome was computed from the cached rows; if
the digest differs (a batch voided, a certificate revoked or renewed, a name corrected, in any process), the caller
looks the batch up again and corrects the logged row. Nothing is trusted without that check.

On SQLite (the embedded set-up) the digest is a change counter that triggers bump on every update or delete of
those four tables (stamps.changes); the scan reads it with the count of earlier scans, then logs. There the cache
is neither filled nor read inside a transaction: a rollback takes the counter back, and a later change could bring
it to a value already cached for rows that were rolled back.
"""

import bisect
from functools import cache

from django.db import connection

from ocop.certification.models import Certificate
from ocop.certification.stamps.changes import GENERATION_SQL, changes_ready
from ocop.certification.stamps.models import ScanEvent, StampBatch
from ocop.core.inserting import insert_one, insert_plan
from ocop.core.prepared import prepared_cursor
from ocop.registry.models import Product, Subject

# (model, alias, join condition). The batch's product and subject always exist; a batch without a certificate
# cannot be ordered, but the LEFT JOIN keeps the lookup honest if one ever did.
_JOINS = (
    (StampBatch, "b", ""),
    (Product, "p", "JOIN {table} p ON p.{pk} = b.product_id"),
    (Subject, "s", "JOIN {table} s ON s.{pk} = p.subject_id"),
    (Certificate, "c", "LEFT JOIN {table} c ON c.{pk} = b.certificate_id"),
)


class _Plan:
    def __init__(self, vendor: str):
        quote = connection.ops.quote_name
        columns, joins, self.parts = [], [], []
        for model, alias, join in _JOINS:
            fields = list(model._meta.concrete_fields)
            columns += [f"{alias}.{quote(f.column)}" for f in fields]
            converters = [
                connection.ops.get_db_converters(f.get_col(alias)) + f.get_db_converters(connection) for f in fields
            ]
            self.parts.append((model, [f.attname for f in fields], [f.get_col(alias) for f in fields], converters))
            if join:
                joins.append(join.format(table=quote(model._meta.db_table), pk=quote(model._meta.pk.column)))
        table = quote(StampBatch._meta.db_table)
        self.joins = " ".join(joins)
        # The row versions of the four rows: every UPDATE writes a new version of a row, at a new place (`ctid`) and
        # with the updating transaction's id (`xmin`), whatever it changes and however it is issued (save(), a bare
        # queryset update, SQL by hand); the place tells apart two updates made in one transaction. A deleted row
        # drops out of the join. Reading these system columns costs nothing; hashing the rows' text did.
        versions = "concat_ws(':', " + ", ".join(f"{a}.xmin::text, {a}.ctid::text" for a in "bpsc") + ")"
        if vendor == "postgresql":
            self.digest = versions
        elif changes_ready(connection):
            self.digest = GENERATION_SQL
        else:
            self.digest = "NULL"  # no counter (a database migrated before it existed): nothing is cached
        scans = (
            f"(SELECT COUNT(*) FROM (SELECT 1 FROM {quote(ScanEvent._meta.db_table)} "  # noqa: S608 (quoted)
            "WHERE key_id = %s AND serial = %s LIMIT %s) AS earlier)"
        )
        self.vendor = vendor
        self.sql = (
            f"SELECT {', '.join(columns)}, {scans}, {self.digest} FROM {table} b {self.joins} "  # noqa: S608
            "WHERE b.key_id = %s AND b.serial_start <= %s ORDER BY b.serial_start DESC LIMIT 1"
        )
        self.digest_of_batch = f"SELECT {self.digest} FROM {table} b {self.joins} WHERE b.id = %s"  # noqa: S608
        self.scans_sql = scans
        # SQLite: the earlier scans and the counter now, read before the scan is logged.
        self.scans_and_generation_sql = f"SELECT {scans}, {self.digest}"  # noqa: S608

    def instances(self, row) -> list:
        out, start = [], 0
        for model, attnames, cols, converters in self.parts:
            values = list(row[start : start + len(attnames)])
            start += len(attnames)
            for i, chain in enumerate(converters):
                for converter in chain:
                    values[i] = converter(values[i], cols[i], connection)
            out.append(None if values[0] is None else model.from_db(connection.alias, attnames, values))
        return out


@cache
def _plan(vendor: str) -> _Plan:
    return _Plan(vendor)


def batch_covering(key_id: int, serial: int, *, count_scans_up_to: int = 0) -> tuple[StampBatch | None, int]:
    """The batch whose serial range holds `serial` under key `key_id`, with its product, subject and certificate
    loaded (None when no range holds it), and how many scans of that stamp are already logged, counting at most
    `count_scans_up_to` (index cert_scan_serial_idx): past the rule's threshold the exact number does not matter.

    Ranges never overlap, so the latest range starting at or before the serial is the only candidate: one index
    range scan on (key_id, serial_start), LIMIT 1. The batch found is cached with its digest (PostgreSQL)."""
    plan = _plan(connection.vendor)
    with prepared_cursor(connection) as cursor:
        cursor.execute(plan.sql, [key_id, serial, count_scans_up_to, key_id, serial])
        row = cursor.fetchone()
    if row is None:
        return None, 0
    batch, product, subject, certificate = plan.instances(row[:-2])
    if serial >= batch.serial_end:
        return None, 0
    product.subject = subject
    batch.product = product
    if certificate is not None:
        batch.certificate = certificate
    if row[-1] is not None and _may_cache(connection):
        _cache.put(batch, row[-1])
    return batch, row[-2]


class _BatchCache:
    """Batches this process has looked up, by key id and serial range, with the digest of their rows.

    Ranges are immutable once ordered and never overlap, so a cached range can only go stale in its contents (which
    the digest catches) or disappear (the digest comes back NULL). Only found batches are cached: an unissued serial
    may be ordered tomorrow. Entries are tuples replaced whole, so threads of one process share them safely; the
    instances are read, never changed, by the scan path."""

    MAX_BATCHES = 4096

    def __init__(self):
        self.clear()

    def clear(self) -> None:
        self._ranges: dict[int, list[tuple[int, int, int]]] = {}  # key id -> sorted (start, end, batch id)
        self._entries: dict[int, tuple[StampBatch, str]] = {}

    def put(self, batch: StampBatch, digest: str) -> None:
        if len(self._entries) >= self.MAX_BATCHES and batch.pk not in self._entries:
            self.clear()
        start, end = batch.serial_start, batch.serial_end
        # A range overlapping this one belonged to a batch since deleted (or rolled back, in tests): drop it.
        ranges = []
        for other in self._ranges.get(batch.key_id, []):
            if other[2] != batch.pk and (other[1] <= start or other[0] >= end):
                ranges.append(other)
            else:
                self._entries.pop(other[2], None)
        self._ranges[batch.key_id] = sorted([*ranges, (start, end, batch.pk)])
        self._entries[batch.pk] = (batch, digest)

    def get(self, key_id: int, serial: int) -> tuple[StampBatch, str] | None:
        ranges = self._ranges.get(key_id)
        if not ranges:
            return None
        i = bisect.bisect_right(ranges, (serial, float("inf"), 0)) - 1
        if i < 0 or serial >= ranges[i][1]:
            return None
        return self._entries.get(ranges[i][2])

    def forget(self, batch_id: int) -> None:
        if self._entries.pop(batch_id, None) is not None:
            for key_id, ranges in list(self._ranges.items()):
                self._ranges[key_id] = [r for r in ranges if r[2] != batch_id]


_cache = _BatchCache()


def _may_cache(connection_) -> bool:
    # SQLite: never inside a transaction (see the module's docstring). PostgreSQL's row versions go back with a
    # rollback, so they can be trusted anywhere.
    return connection_.vendor == "postgresql" or not connection_.in_atomic_block


def batch_cached(key_id: int, serial: int) -> tuple[StampBatch, str] | None:
    """The cached batch holding the serial and the digest it was cached with; None when not cached. The digest is
    checked when the scan is logged (scan_log_checked)."""
    return _cache.get(key_id, serial) if _may_cache(connection) else None


def scan_log_checked(event: ScanEvent, *, batch: StampBatch, digest: str, count_scans_up_to: int) -> tuple[int, bool]:
    """Log a scan whose outcome was computed from the cached `batch`.

    Sets `event.pk`; returns how many scans of the stamp were logged before this one (at most `count_scans_up_to`)
    and whether the batch's rows still have the cached digest. When they do not, the entry is dropped: the caller
    looks the batch up again and corrects the logged row. PostgreSQL: one round trip, whose count runs on the
    statement's snapshot (never its own insert). SQLite: the count and the change counter, then the insert (two
    local statements)."""
    if connection.vendor != "postgresql":
        with prepared_cursor(connection) as cursor:
            cursor.execute(
                _plan(connection.vendor).scans_and_generation_sql, [event.key_id, event.serial, count_scans_up_to]
            )
            previous, current = cursor.fetchone()
        insert_one(event, durable=False)
        if current != digest:
            _cache.forget(batch.pk)
        return previous, current == digest
    insert, connection_ = insert_plan(ScanEvent)
    row = insert.row(event, connection_)
    asynchronous = not connection_.in_atomic_block
    sql = _checked_sql(asynchronous)
    with prepared_cursor(connection_) as cursor:
        cursor.execute(sql, [*row, event.key_id, event.serial, count_scans_up_to, batch.pk])
        event.pk, previous, current = cursor.fetchone()
    event._state.adding, event._state.db = False, connection_.alias
    if current != digest:
        _cache.forget(batch.pk)
    return previous, current == digest


@cache
def _checked_sql(asynchronous: bool) -> str:
    plan = _plan("postgresql")
    insert, connection_ = insert_plan(ScanEvent)
    pk = connection_.ops.quote_name(insert.pk.column)
    # Parameters in order: the event's columns, then key id, serial and limit of the count, then the batch id.
    return (
        f"WITH logged AS ({insert.one_async_sql if asynchronous else insert.one_sql}) "  # noqa: S608 (quoted)
        f"SELECT (SELECT {pk} FROM logged), {plan.scans_sql}, ({plan.digest_of_batch})"
    )
