"""Fast multi-row INSERTs for the importer: rows and their `simple_history` records, without the ORM's per-value
compilation.

`bulk_create_with_history` compiles every value of every row through the ORM's insert compiler and builds a
second model instance per row for its history record; on SQLite Django also caps a statement at 999 bound
values (~30 rows of a subject). For a 20,000-row list that was most of the import's time
(bench/bench_import.py). Here each model's plan (ocop.core.inserting: columns, and for each column whether its
values need the field's `get_db_prep_save`) is built once, then rows go out as
`INSERT … VALUES (…), (…) RETURNING id` in statements as large as the database allows, and history rows are
written from the same values.

What is written is what `bulk_create_with_history(objs, model, default_user=user)` writes: the same columns
and values, `auto_now`/`auto_now_add` set, history type "+", the default history user when no user is given.
The differences are deliberate: one timestamp (`when`) for the whole import instead of one per row, and no
`post_create_historical_record` signals (bulk history never sent them either). Backends that cannot return
ids from a multi-row insert fall back to `bulk_create_with_history`.
"""

import datetime

from django.conf import settings
from django.db import router
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

from ocop.core.inserting import Column, InsertPlan, insert_plan


class HistoryInserter:
    """Inserts new objects of some models, each with one "+" history record, in the current transaction."""

    def __init__(self, *, user=None, when: datetime.datetime, using: str | None = None):
        self.user, self.when, self.using = user, when, using

    def insert(self, model, objs: list) -> list:
        """Insert `objs` (unsaved instances of `model`) and their history records; sets their pk. Returns objs.

        Works a statement's worth of rows at a time, so memory stays flat however long the list.
        """
        if not objs:
            return objs
        alias = self.using or router.db_for_write(model)
        plan, connection = insert_plan(model, alias)
        if not plan.supported or any(o.pk is not None for o in objs):
            return bulk_create_with_history(objs, model, default_user=self.user, default_date=self.when)
        history = get_history_manager_for_model(model) if getattr(settings, "SIMPLE_HISTORY_ENABLED", True) else None
        hplan = insert_plan(history.model, alias)[0] if history is not None else None
        sources = self._history_sources(hplan, plan, objs[0], connection) if history is not None else None
        step = min(plan.rows_per_statement, hplan.rows_per_statement) if hplan is not None else plan.rows_per_statement
        for start in range(0, len(objs), step):
            chunk = objs[start : start + step]
            rows = [plan.row(obj, connection, when=self.when) for obj in chunk]
            pks = plan.execute(rows, connection)
            for obj, pk in zip(chunk, pks, strict=True):
                obj.pk = pk
                obj._state.adding, obj._state.db = False, alias
            if sources is not None:
                hrows = [
                    _history_row(sources, obj, row, pk, connection)
                    for obj, row, pk in zip(chunk, rows, pks, strict=True)
                ]
                hplan.execute(hrows, connection)
        if history is not None and sources is None:
            history.bulk_history_create(objs, default_user=self.user, default_date=self.when)
        return objs

    def _history_sources(self, hplan: InsertPlan, plan: InsertPlan, first, connection) -> list | None:
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
                sources.append((_CONST, column.prepare(own[name], connection)))
            elif name == plan.pk.attname:
                sources.append((_PK, None))
            elif name in written and _same_prep(column, plan.columns[written[name]]):
                sources.append((_ROW, written[name]))
            elif name in written:
                sources.append((_OBJ, column))
            else:
                return None
        return sources


def _history_row(sources: list, obj, row: list, pk, connection) -> list:
    hrow = []
    for kind, source in sources:
        if kind is _ROW:
            hrow.append(row[source])
        elif kind is _PK:
            hrow.append(pk)
        elif kind is _CONST:
            hrow.append(source)
        else:
            hrow.append(source.prepare(getattr(obj, source.attname), connection))
    return hrow


_ROW, _PK, _CONST, _OBJ = "row", "pk", "const", "obj"


def _same_prep(history_column: Column, column: Column) -> bool:
    """A model column's prepared value can be reused for its history column (same kind of field)."""
    a, b = history_column.field, column.field
    if a.is_relation or b.is_relation:
        return a.is_relation and b.is_relation and type(a.target_field) is type(b.target_field)
    return type(a) is type(b)
