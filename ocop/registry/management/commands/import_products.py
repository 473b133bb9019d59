"""Import a recognised-OCOP-product list (CSV or XLSX) from the command line.

    python manage.py import_products FILE [--dry-run] [--as-of YYYY-MM-DD] [--province NAME] [--json] [--as USERNAME]

Exits 1 when any row has an error (then nothing is written), 2 for a file-level problem.
"""

import datetime
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ocop.core.audit import audit_record
from ocop.core.errors import PermissionDenied, ValidationError
from ocop.registry.access import ensure_can_import_products
from ocop.registry.importing.commit import import_run


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--as-of expects YYYY-MM-DD, got {value!r}") from exc


class Command(BaseCommand):
    help = "Import a list of recognised OCOP products (all-or-nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument("--as-of", type=_date, help="date the list's units are valid on, when rows give no year")
        parser.add_argument("--province", default="", help="province for rows whose province cell is empty")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--as",
            dest="username",
            default="",
            help="import as this user, with their rights and scope (rows outside it are row errors); "
            "without it the platform imports, nationwide, and says so in the audit",
        )

    def handle(self, *args, file, dry_run=False, as_of=None, province="", json=False, username="", **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        actor = self._actor(username)
        try:
            if actor is not None:
                ensure_can_import_products(actor)
            result = import_run(
                data=path.read_bytes(),
                filename=path.name,
                as_of=as_of,
                default_province=province,
                dry_run=dry_run,
                actor=actor,
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc.message)) from exc
        except ValidationError as exc:
            if json:
                self.stdout.write(
                    _dumps({"rows": 0, "errors": [{"row": None, "column": "", "message": str(exc.message)}]})
                )
            else:
                self.stderr.write(str(exc.message))
            raise SystemExit(2) from exc
        summary = result.summary()
        if result.committed:
            audit_record(
                action="registry.import",
                actor=actor,
                data={"file": path.name, "via": "command line", "as": username or "platform", "rows": summary["rows"]},
            )
        if json:
            self.stdout.write(_dumps(summary))
        else:
            self._print(summary)
        if result.errors:
            raise SystemExit(1)

    @staticmethod
    def _actor(username: str):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        return user

    def _print(self, s: dict) -> None:
        stars = s["by_stars"]
        state = "dry run" if s["dry_run"] else ("committed" if s["committed"] else "NOT committed")
        self.stdout.write(f"{s['filename']}: {s['rows']} rows ({state})")
        self.stdout.write(f"  subjects: {s['created_subjects']} created, {s['matched_subjects']} matched")
        self.stdout.write(f"  products: {s['created_products']} created, {s['matched_products']} matched")
        self.stdout.write(f"  stars 3/4/5/none: {stars['3']}/{stars['4']}/{stars['5']}/{stars['none']}")
        self.stdout.write(f"  unresolved units: {s['unresolved_units']}")
        for error in s["errors"]:
            self.stdout.write(f"  row {error['row']} [{error['column']}]: {error['message']}")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
