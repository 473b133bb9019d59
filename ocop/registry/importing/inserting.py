"""Fast multi-row INSERTs for the importer: rows and their `simple_history` records, without the ORM's per-value
compilation.

`bulk_create_with_history` compiles every value of every row through the ORM's insert compiler and builds a
second model instance per row for its history record; on SQLite Django also caps a statement at 999 bound
values (~30 rows of a subject). For a 20,000-row list that was most of the import's time
(bench/bench_import.py). Here each model gets a plan once (columns, and for each column whether its values
need the field's `get_db_prep_save`), then rows go out as `INSERT … VALUES (…), (…) RETURNING id` in
statements as large as the database allows, and history rows are written from the same values.

What is written is what `bulk_create_with_history(objs, model, default_user=user)` writes: the same columns
and values, `auto_now`/`auto_now_add` set, history type "+", the default history user when no user is given.
The differences are deliberate: one timestamp (`when`) for the whole import instead of one per row, and no
`post_create_historical_record` signals (bulk history never sent them either). Backends that cannot return
ids from a multi-row insert fall back to `bulk_create_with_history`.
"""

import datetime
import sqlite3

from django.conf import settings
from django.db import connections, models, router
from django.db.models.fields import Field
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

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
_HISTORY_OWN = ("history_date", "history_change_reason", "history_type", "history_user")
MAX_ROWS_PER_STATEMENT = 500  # larger statements gain nothing measurable and cost RSS
DEFAULT_MAX_PARAMS = 32_000  # PostgreSQL's protocol allows 65,535 bound values per statement


def _is_plain(field: Field) -> bool:
    if field.is_relation:
        return field.many_to_one and type(field.target_field) in _PLAIN_FIELDS
    return type(field) in _PLAIN_FIELDS


class _Column:
    """One column of an insert: how to read the value from an object and how to prepare it for the database."""

    __slots__ = ("field", "attname", "plain", "auto_now", "pre_save", "connection", "_last", "_last_prepared")

    def __init__(self, field: Field, connection):
        self.field, self.attname, self.connection = field, field.attname, connection
        self.plain = _is_plain(field)
        self.auto_now = bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
        # FileField and friends commit pending files in pre_save; Field.pre_save only reads the attribute.
        self.pre_save = not self.auto_now and type(field).pre_save is not Field.pre_save
        self._last = self._last_prepared = object()

    def prepare(self, value):
        if self.plain and type(value) in _PLAIN_VALUES:
            return value
        if value is self._last:  # the import's one timestamp, a shared category: prepared once
            return self._last_prepared
        prepared = self.field.get_db_prep_save(value, self.connection)
        self._last, self._last_prepared = value, prepared
        return prepared


class _Plan:
    """Columns of one model's INSERT and the statement size the database allows."""

    def __init__(self, model, connection):
        opts = model._meta
        self.model, self.connection = model, connection
        self.pk = opts.pk
        self.columns = [_Column(f, connection) for f in opts.concrete_fields if f is not opts.pk and not f.generated]
        self.fk_fields = [c.field for c in self.columns if c.field.many_to_one]
        quote = connection.ops.quote_name
        # Table and column names come from the model's metadata, quoted; values are always bound parameters.
        names = ", ".join(quote(c.field.column) for c in self.columns)
        self.head = f"INSERT INTO {quote(opts.db_table)} ({names}) VALUES "  # noqa: S608
        self.returning = f" RETURNING {quote(self.pk.column)}"
        self.row_sql = "(" + ", ".join(["%s"] * len(self.columns)) + ")"
        # Columns the database fills in (db_default, generated), or no ids back from a multi-row insert: the ORM
        # knows how to handle those.
        self.supported = (
            connection.features.can_return_rows_from_bulk_insert
            and list(opts.db_returning_fields) == [opts.pk]
            and all(f.db_default is models.NOT_PROVIDED for f in opts.concrete_fields)
        )
        self.rows_per_statement = max(1, min(MAX_ROWS_PER_STATEMENT, _max_params(connection) // len(self.columns)))

    def execute(self, rows: list[list]) -> list:
        """Insert rows (prepared values, in column order); the new primary keys, in row order."""
        pks = []
        with self.connection.cursor() as cursor:
            for start in range(0, len(rows), self.rows_per_statement):
                chunk = rows[start : start + self.rows_per_statement]
                sql = self.head + ", ".join([self.row_sql] * len(chunk)) + self.returning
                cursor.execute(sql, [value for row in chunk for value in row])
                pks += [row[0] for row in cursor.fetchall()]
        return pks


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


class HistoryInserter:
    """Inserts new objects of some models, each with one "+" history record, in the current transaction."""

    def __init__(self, *, user=None, when: datetime.datetime, using: str | None = None):
        self.user, self.when, self.using = user, when, using
        self._plans: dict = {}

    def _plan(self, model, connection) -> _Plan:
        key = (model, connection.alias)
        if key not in self._plans:
            self._plans[key] = _Plan(model, connection)
        return self._plans[key]

    def insert(self, model, objs: list) -> list:
        """Insert `objs` (unsaved instances of `model`) and their history records; sets their pk. Returns objs.

        Works a statement's worth of rows at a time, so memory stays flat however long the list.
        """
        if not objs:
            return objs
        alias = self.using or router.db_for_write(model)
        connection = connections[alias]
        plan = self._plan(model, connection)
        if not plan.supported or any(o.pk is not None for o in objs):
            return bulk_create_with_history(objs, model, default_user=self.user, default_date=self.when)
        history = get_history_manager_for_model(model) if getattr(settings, "SIMPLE_HISTORY_ENABLED", True) else None
        hplan = self._plan(history.model, connection) if history is not None else None
        sources = self._history_sources(hplan, plan, objs[0]) if history is not None else None
        step = min(plan.rows_per_statement, hplan.rows_per_statement) if hplan is not None else plan.rows_per_statement
        for start in range(0, len(objs), step):
            chunk = objs[start : start + step]
            rows = [self._row(plan, obj) for obj in chunk]
            pks = plan.execute(rows)
            for obj, pk in zip(chunk, pks, strict=True):
                obj.pk = pk
                obj._state.adding, obj._state.db = False, alias
            if sources is not None:
                hplan.execute(
                    [_history_row(sources, obj, row, pk) for obj, row, pk in zip(chunk, rows, pks, strict=True)]
                )
        if history is not None and sources is None:
            history.bulk_history_create(objs, default_user=self.user, default_date=self.when)
        return objs

    def _row(self, plan: _Plan, obj) -> list:
        _prepare_related(obj, plan.fk_fields)
        row = []
        for column in plan.columns:
            if column.auto_now:
                setattr(obj, column.attname, self.when)
                value = self.when
            elif column.pre_save:
                value = column.field.pre_save(obj, True)
            else:
                value = getattr(obj, column.attname)
            row.append(column.prepare(value))
        return row

    def _history_sources(self, hplan: _Plan, plan: _Plan, first) -> list | None:
        """Where each history column's value comes from: the model row, the new pk, a constant, or the object
        (a field simple_history stores differently, e.g. a FileField kept as text). None if a history column is
        unknown here (then simple_history builds the records itself)."""
        written = {c.attname: i for i, c in enumerate(plan.columns)}
        user = self.user if self.user is not None else hplan.model.get_default_history_user(first)
        own = {
            "history_date": self.when,
            "history_change_reason": None,
            "history_type": "+",
            "history_user_id": getattr(user, "pk", None),
        }
        sources = []
        for column in hplan.columns:
            name = column.attname
            if name in own:
                sources.append((_CONST, column.prepare(own[name])))
            elif name == plan.pk.attname:
                sources.append((_PK, None))
            elif name in written and _same_prep(column, plan.columns[written[name]]):
                sources.append((_ROW, written[name]))
            elif name in written:
                sources.append((_OBJ, column))
            else:
                return None
        return sources


def _history_row(sources: list, obj, row: list, pk) -> list:
    hrow = []
    for kind, source in sources:
        if kind is _ROW:
            hrow.append(row[source])
        elif kind is _PK:
            hrow.append(pk)
        elif kind is _CONST:
            hrow.append(source)
        else:
            hrow.append(source.prepare(getattr(obj, source.attname)))
    return hrow


_ROW, _PK, _CONST, _OBJ = "row", "pk", "const", "obj"


def _same_prep(history_column: _Column, column: _Column) -> bool:
    """A model column's prepared value can be reused for its history column (same kind of field)."""
    a, b = history_column.field, column.field
    if a.is_relation or b.is_relation:
        return a.is_relation and b.is_relation and type(a.target_field) is type(b.target_field)
    return type(a) is type(b)
