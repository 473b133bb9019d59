"""On SQLite, a change counter for the rows a stamp scan shows, so the scan path's batch cache (stamps.lookup) can
tell in one local read whether anything it holds may have changed.

PostgreSQL tells a row's version by its system columns (`xmin`, `ctid`); SQLite has nothing like them, and its
`PRAGMA data_version` moves with every commit of every other connection, scan-log inserts included, so with a
server's threads it said "changed" on nearly every scan. Triggers bump one counter on every UPDATE and DELETE of a
stamp batch, product, subject or certificate, however it is issued (a service, a bare UPDATE, the sqlite3 shell).
An INSERT changes no cached row: batches found are cached, and a new batch never overlaps a cached range.

Django rebuilds a SQLite table to alter it, which drops its triggers: they are created again after every
`migrate` (post_migrate, CertificationConfig.ready), and the lookup uses the counter only when all are in place.
"""

from django.db import connections

TABLE = "ocop_stamp_generation"
EVENTS = ("UPDATE", "DELETE")
# The counter as text, the digest the batch cache keeps on SQLite.
GENERATION_SQL = f"(SELECT CAST(value AS TEXT) FROM {TABLE} WHERE id = 1)"  # noqa: S608 (a constant)


def _watched_tables() -> list[str]:
    from ocop.certification.models import Certificate
    from ocop.certification.stamps.models import StampBatch
    from ocop.registry.models import Product, Subject

    return [model._meta.db_table for model in (StampBatch, Product, Subject, Certificate)]


def _trigger_name(table: str, event: str) -> str:
    return f"ocop_stamp_gen_{table}_{event.lower()}"


def changes_ensure(connection) -> None:
    """Create the counter and its triggers where missing (SQLite only; idempotent)."""
    if connection.vendor != "sqlite":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL)"
        )
        cursor.execute(f"INSERT OR IGNORE INTO {TABLE} (id, value) VALUES (1, 0)")  # noqa: S608 (a constant)
        for table in _watched_tables():
            for event in EVENTS:
                # Names from the models' metadata and this module's constants, never from input.
                head = f"CREATE TRIGGER IF NOT EXISTS {_trigger_name(table, event)} AFTER {event} ON {quote(table)}"
                trigger = f"{head} BEGIN UPDATE {TABLE} SET value = value + 1 WHERE id = 1; END"  # noqa: S608
                cursor.execute(trigger)


def changes_ready(connection) -> bool:
    """Whether the counter and every trigger exist (SQLite); False elsewhere."""
    if connection.vendor != "sqlite":
        return False
    names = [TABLE] + [_trigger_name(table, event) for table in _watched_tables() for event in EVENTS]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM sqlite_master WHERE name IN ({', '.join(['%s'] * len(names))})",  # noqa: S608
            names,
        )
        (found,) = cursor.fetchone()
    return found == len(names)


def on_post_migrate(sender, using="default", **kwargs) -> None:
    changes_ensure(connections[using])
