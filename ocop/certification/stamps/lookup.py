"""The range lookup every scan runs, as one hand-written query instead of an ORM queryset.

Compiling `StampBatch.objects.select_related("product__subject", "certificate")…first()` cost about 2 ms of CPU per
scan (Django hashes every selected column to build the ORDER BY), fifteen times the query itself
(bench/bench_scan.py). The SQL here is built once per process from the models' metadata, so it follows the schema,
and each row is turned into model instances with `Model.from_db` and the backend's converters, exactly as the ORM
does: the instances are ordinary models (a field not selected would load lazily, relations are wired).
"""

from functools import cache

from django.db import connection

from ocop.certification.models import Certificate
from ocop.certification.stamps.models import ScanEvent, StampBatch
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
        self.vendor = vendor
        self.sql = (
            f"SELECT {', '.join(columns)} FROM {table} b {' '.join(joins)} "  # noqa: S608 (quoted identifiers)
            "WHERE b.key_id = %s AND b.serial_start <= %s ORDER BY b.serial_start DESC LIMIT 1"
        )

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


def batch_covering(key_id: int, serial: int) -> StampBatch | None:
    """The batch whose serial range holds `serial` under key `key_id`, with its product, subject and certificate
    loaded; None when no range holds it. Ranges never overlap, so the latest range starting at or before the
    serial is the only candidate: one index range scan on (key_id, serial_start), LIMIT 1."""
    plan = _plan(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, [key_id, serial])
        row = cursor.fetchone()
    if row is None:
        return None
    batch, product, subject, certificate = plan.instances(row)
    if serial >= batch.serial_end:
        return None
    product.subject = subject
    batch.product = product
    if certificate is not None:
        batch.certificate = certificate
    return batch


@cache
def _count_sql() -> str:
    quote = connection.ops.quote_name
    return (
        f"SELECT COUNT(*) FROM (SELECT 1 FROM {quote(ScanEvent._meta.db_table)} "  # noqa: S608 (quoted)
        "WHERE key_id = %s AND serial = %s LIMIT %s) AS scans"
    )


def scans_of_serial(key_id: int, serial: int, *, limit: int) -> int:
    """How many scans of one stamp are logged, counting at most `limit` (index cert_scan_serial_idx): once past the
    rule's threshold the exact number does not matter on the request path."""
    with connection.cursor() as cursor:
        cursor.execute(_count_sql(), [key_id, serial, limit])
        return cursor.fetchone()[0]
