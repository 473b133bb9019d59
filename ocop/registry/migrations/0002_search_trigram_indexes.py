"""Trigram GIN indexes on the folded search text of subjects and products (DESIGN.md §4), PostgreSQL only.

Why a RunPython and not `Meta.indexes`: a model's indexes cannot depend on the database vendor, and SQLite has
neither `pg_trgm` nor GIN, so a `GinIndex(opclasses=["gin_trgm_ops"])` in `Meta.indexes` would break the SQLite
migrations (and `makemigrations --check` would want it on both). The indexes therefore live only here, created
when the connection is PostgreSQL and skipped otherwise; the models stay vendor-neutral and
`makemigrations --check` stays clean on both databases.

With them, `search_text__contains=<folded q>` (SQL `LIKE '%q%'`) is answered from the index for queries of three
characters or more. The reverse drops the indexes but keeps the `pg_trgm` extension, which other objects may use.
"""

from django.db import migrations

INDEXES = (
    ("registry_subject_search_trgm", "registry_subject"),
    ("registry_product_search_trgm", "registry_product"),
)


def _create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)")


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_create, _drop, elidable=False),
    ]
