"""Compare (or rewrite) the committed OpenAPI snapshot docs/openapi.json with the schema the code produces."""

import difflib
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ocop.interop.api import api


def current_schema_text() -> str:
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Check or write the committed OpenAPI snapshot (docs/openapi.json)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--check", action="store_true")
        group.add_argument("--write", action="store_true")

    def handle(self, *args, check, write, **options):
        path = Path(settings.BASE_DIR) / "docs" / "openapi.json"
        text = current_schema_text()
        if write:
            path.write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {path}")
            return
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        if old != text:
            diff = "".join(
                difflib.unified_diff(old.splitlines(True), text.splitlines(True), "docs/openapi.json", "code")
            )
            self.stdout.write(diff[:20000])
            raise CommandError("The API changed: review the diff and run `make openapi` to update docs/openapi.json.")
        self.stdout.write("OpenAPI snapshot is up to date.")
