"""Indexes on `name COLLATE "vi-x-icu"` for the Vietnamese name order of the registry lists, PostgreSQL only.

The lists order by `Collate("name", "vi-x-icu"), id` on PostgreSQL (ocop.registry.selectors.name_ordering). With
these indexes a search matching many rows walks the index in order and stops after one page, instead of sorting
every match with ICU comparisons. Vendor-conditional like 0002 (SQLite has no ICU collations), so they are not
in `Meta.indexes` and `makemigrations --check` stays clean on both databases.
"""

from django.db import migrations

INDEXES = (
    ("registry_subject_name_vi", "registry_subject"),
    ("registry_product_name_vi", "registry_product"),
)


def _create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in INDEXES:
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {name} ON {table} ((name COLLATE "vi-x-icu"), id)')


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_search_trigram_indexes"),
    ]

    operations = [
        migrations.RunPython(_create, _drop, elidable=False),
    ]
