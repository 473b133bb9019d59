"""INSERT … RETURNING planned once per model, for the two write paths where the ORM's per-call query compilation
costs more than the database: the list importer (registry.importing.inserting, thousands of rows per statement)
and the scan log (certification.stamps.services.scan_record, one row per scan).

A plan holds what does not change between calls: the quoted column list, which columns need their field's
`get_db_prep_save`, how many rows fit in a statement. It holds no connection (connections are per thread; plans are
shared), so every call takes the caller's connection. Values are always bound parameters.
"""

import datetime
import sqlite3
from functools import cache

from django.db import connections, models, router
from django.db.models.fields import Field
from django.utils import timezone

from ocop.core.prepared import prepared_cursor

# Field classes whose prepared value is the Python value itself when that value is a str, int, bool or None.
_PLAIN_FIELDS = frozenset(
    {
        models.AutoField,
        models.BigAutoField,
        models.SmallAutoField,
        models.BigIntegerField,
        models.BooleanField,
        models.CharField,
        models.EmailField,
        models.IntegerField,
        models.PositiveBigIntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.SlugField,
        models.SmallIntegerField,
        models.TextField,
        models.URLField,
    }
)
_PLAIN_VALUES = frozenset({str, int, bool, type(None)})
MAX_ROWS_PER_STATEMENT = 500  # larger statements gain nothing measurable and cost RSS (bench/bench_import.py)
DEFAULT_MAX_PARAMS = 32_000  # PostgreSQL's protocol allows 65,535 bound values per statement


def _is_plain(field: Field) -> bool:
    if field.is_relation:
        return field.many_to_one and type(field.target_field) in _PLAIN_FIELDS
    return type(field) in _PLAIN_FIELDS


class Column:
    """One column of an insert: how to read the value from an object and how to prepare it for the database."""

    __slots__ = ("field", "attname", "plain", "auto_now", "pre_save", "_memo")

    def __init__(self, field: Field):
        self.field, self.attname = field, field.attname
        self.plain = _is_plain(field)
        self.auto_now = bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
        # FileField and friends commit pending files in pre_save; Field.pre_save only reads the attribute.
        self.pre_save = not self.auto_now and type(field).pre_save is not Field.pre_save
        self._memo = (object(), None)  # (value, prepared), one attribute so threads never see half of it

    def prepare(self, value, connection):
        if self.plain and type(value) in _PLAIN_VALUES:
            return value
        memo = self._memo
        if value is memo[0]:  # an import's one timestamp, a shared category: prepared once
            return memo[1]
        prepared = self.field.get_db_prep_save(value, connection)
        self._memo = (value, prepared)
        return prepared


class InsertPlan:
    """Columns of one model's INSERT and the statement size the database allows."""

    def __init__(self, model, connection):
        opts = model._meta
        self.model, self.pk = model, opts.pk
        self.columns = [Column(f) for f in opts.concrete_fields if f is not opts.pk and not f.generated]
        self.fk_fields = [c.field for c in self.columns if c.field.many_to_one]
        quote = connection.ops.quote_name
        # Table and column names come from the model's metadata, quoted; values are always bound parameters.
        names = ", ".join(quote(c.field.column) for c in self.columns)
        self.head = f"INSERT INTO {quote(opts.db_table)} ({names}) VALUES "  # noqa: S608
        self.returning = f" RETURNING {quote(self.pk.column)}"
        self.row_sql = "(" + ", ".join(["%s"] * len(self.columns)) + ")"
        self.one_sql = self.head + self.row_sql + self.returning
        # PostgreSQL: the same single-row insert, committed asynchronously. set_config(…, true) lasts until the end
        # of the statement's own transaction, and the commit reads synchronous_commit: the row is in the WAL, just
        # not yet flushed to disk when the call returns. A crash of the database server can lose the last few
        # hundred milliseconds of such rows (3 × wal_writer_delay), never consistency. Only for high-volume logs.
        self.one_async_sql = (
            f"{self.head.removesuffix(' VALUES ')} SELECT {', '.join(['%s'] * len(self.columns))} "  # noqa: S608
            "FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit" + self.returning
        )
        # Columns the database fills in (db_default, generated), or no ids back from a multi-row insert: the ORM
        # knows how to handle those.
        self.supported = (
            connection.features.can_return_rows_from_bulk_insert
            and list(opts.db_returning_fields) == [opts.pk]
            and all(f.db_default is models.NOT_PROVIDED for f in opts.concrete_fields)
        )
        self.rows_per_statement = max(1, min(MAX_ROWS_PER_STATEMENT, _max_params(connection) // len(self.columns)))

    def row(self, obj, connection, *, when: datetime.datetime | None = None) -> list:
        """The prepared values of an unsaved object, in column order, as `save()` would write them (`auto_now`
        fields set to `when`, default now; related objects saved after assignment taken by id)."""
        _prepare_related(obj, self.fk_fields)
        row = []
        for column in self.columns:
            if column.auto_now:
                when = when or timezone.now()
                setattr(obj, column.attname, when)
                value = when
            elif column.pre_save:
                value = column.field.pre_save(obj, True)
            else:
                value = getattr(obj, column.attname)
            row.append(column.prepare(value, connection))
        return row

    def execute(self, rows: list[list], connection) -> list:
        """Insert rows (prepared values, in column order); the new primary keys, in row order."""
        pks = []
        with connection.cursor() as cursor:
            for start in range(0, len(rows), self.rows_per_statement):
                chunk = rows[start : start + self.rows_per_statement]
                sql = self.head + ", ".join([self.row_sql] * len(chunk)) + self.returning
                cursor.execute(sql, [value for row in chunk for value in row])
                pks += [row[0] for row in cursor.fetchall()]
        return pks


@cache
def _plan_for(model, alias: str) -> InsertPlan:
    return InsertPlan(model, connections[alias])


def insert_plan(model, using: str | None = None) -> tuple[InsertPlan, object]:
    """The model's plan (built once per process and database) and the calling thread's connection."""
    alias = using or router.db_for_write(model)
    return _plan_for(model, alias), connections[alias]


def insert_one(obj, *, durable: bool = True):
    """Write one new object as `obj.save()` would, without the ORM's per-call query compilation (on PostgreSQL a
    statement prepared once per connection). Sets its pk.

    `durable=False` is for high-volume logs (the stamp scan log): in autocommit on PostgreSQL the commit does not
    wait for the disk flush (InsertPlan.one_async_sql). Inside a transaction the insert is ordinary, so it never
    weakens the commit of other writes."""
    plan, connection = insert_plan(type(obj))
    row = plan.row(obj, connection)
    asynchronous = not durable and connection.vendor == "postgresql" and not connection.in_atomic_block
    with prepared_cursor(connection) as cursor:
        cursor.execute(plan.one_async_sql if asynchronous else plan.one_sql, row)
        (obj.pk,) = cursor.fetchone()
    obj._state.adding, obj._state.db = False, connection.alias
    return obj


def _max_params(connection) -> int:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        try:
            return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        except AttributeError:  # Python < 3.11
            return connection.features.max_query_params
    return connection.features.max_query_params or DEFAULT_MAX_PARAMS


def _prepare_related(obj, fk_fields) -> None:
    """As Model._prepare_related_fields_for_save: take the id of a related object saved after assignment."""
    for field in fk_fields:
        if getattr(obj, field.attname) is not None or not field.is_cached(obj):
            continue
        related = field.get_cached_value(obj)
        if related is None:
            continue
        if related.pk is None:
            raise ValueError(
                f"bulk insert prohibited to prevent data loss due to unsaved related object '{field.name}'."
            )
        setattr(obj, field.attname, related.pk)
