"""Prepared statements on PostgreSQL for the few queries that run on every public request (the stamp scan).

Django sends PostgreSQL each query as text with its values inlined (psycopg's client-side cursor), so the server
parses and plans it on every call. For the scan's range lookup, a four-table join, planning took 0.3–0.4 ms and the
whole round trip about 0.9 ms, against 0.2 ms once prepared (bench/bench_scan.py). `prepared_cursor()` gives a
server-binding cursor on Django's own connection (same transaction, same error wrapping, same query logging) that
prepares each statement on its first execution; psycopg keeps the prepared statements per connection, and
connections persist (CONN_MAX_AGE). Elsewhere (SQLite) it is Django's ordinary cursor.

Behind a transaction-mode pooler (PgBouncer), prepared statements need PgBouncer ≥ 1.21 with
`max_prepared_statements` set: see README, "PostgreSQL in production".
"""

from contextlib import contextmanager


def _server_cursor_class():
    import psycopg

    class PreparingCursor(psycopg.Cursor):
        """Binds values on the server and prepares every statement it runs, from the first call."""

        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)

    return PreparingCursor


_cursor_class = None


@contextmanager
def prepared_cursor(connection):
    """A cursor whose statements are prepared once per connection on PostgreSQL (values must be bound
    parameters, `%s`); Django's cursor on other databases."""
    global _cursor_class
    if connection.vendor != "postgresql" or connection.queries_logged:
        # With query logging on (DEBUG, assertNumQueries) Django's own cursor records the SQL with its values; a
        # server-binding cursor would record nothing readable. Speed does not matter there.
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # Django leaves it at None, which makes psycopg refuse to prepare anything. Only server-binding cursors (this
        # module's) ever prepare: Django's client-side cursors are unaffected.
        raw.prepare_threshold = 5
    if _cursor_class is None:
        _cursor_class = _server_cursor_class()
    with connection.wrap_database_errors:
        cursor = _cursor_class(raw)
    # Django's wrapper around it: execute wrappers, query logging (DEBUG, assertNumQueries) and error translation.
    wrapped = connection._prepare_cursor(cursor)
    try:
        yield wrapped
    finally:
        wrapped.close()
