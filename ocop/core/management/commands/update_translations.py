"""Extract translatable strings per area into locale/<area>/en/LC_MESSAGES/django.po.

Source strings (msgids) are Vietnamese — the platform's first language — so only the English catalogue
needs translations; see docs/decisions/0002-vietnamese-msgids.md. Needs GNU gettext (xgettext), which
developers have; `make run` only compiles existing catalogues.
"""

import os
import subprocess
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand

# Strings belong to the catalogue of their domain: a file whose path (or file name) names a domain goes
# to that domain's catalogue, so ocop/backoffice/accounts/views.py and
# ocop/interop/routers/geo.py are translated with the accounts and geo apps. Everything else goes to
# the catalogue of its app (core for the site-wide templates/ and config/).
DOMAINS = [
    "geo",
    "accounts",
    "registry",
    "evaluation",
    "certification",
    "traceability",
    "catalogue",
    "reporting",
    "councils",
    "stamps",
]
APPS = ["core", "backoffice", "public", "interop"]


def area_of(relative: Path) -> str:
    parts = [*relative.parts[:-1], relative.stem]
    for part in reversed(parts):
        if part in DOMAINS:
            return part
    if len(relative.parts) > 1 and relative.parts[0] == "ocop" and relative.parts[1] in APPS:
        return relative.parts[1]
    return "core"


class Command(BaseCommand):
    requires_system_checks: list = []
    help = "Run makemessages for each area's folders into locale/<area>/."

    def add_arguments(self, parser):
        parser.add_argument("--area", action="append", help="only this catalogue (repeatable)")

    def handle(self, *args, area=None, **options):
        base = Path(settings.BASE_DIR)
        by_area: dict[str, list[Path]] = {}
        for folder in ("ocop", "templates", "config"):
            for suffix in ("*.py", "*.html", "*.txt"):
                for path in (base / folder).rglob(suffix):
                    rel = path.relative_to(base)
                    if "migrations" in rel.parts or "tests" in rel.parts:
                        continue
                    by_area.setdefault(area_of(rel), []).append(path)
        for name in sorted(by_area):
            if area and name not in area:
                continue
            out = base / "locale" / name
            (out / "en" / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
            self._extract(by_area[name], out, "en")
            self.stdout.write(f"{name}: locale/{name}/en/LC_MESSAGES/django.po")

    def _extract(self, files: list[Path], out: Path, lang: str):
        po = out / lang / "LC_MESSAGES" / "django.po"
        py_files = [str(f) for f in files if f.suffix == ".py"]
        tpl_files = [f for f in files if f.suffix != ".py"]
        env = {**os.environ}
        # Templates go through Django's own template-to-gettext converter.
        from django.utils.translation import templatize

        tmp_dir = out / ".tmp"
        tmp_dir.mkdir(exist_ok=True)
        converted = []
        for index, tpl in enumerate(tpl_files):
            target = tmp_dir / f"{index:04d}_{tpl.name}.py"
            target.write_text(templatize(tpl.read_text(encoding="utf-8"), origin=str(tpl)), encoding="utf-8")
            converted.append(str(target))
        pot = tmp_dir / "django.pot"
        cmd = [
            "xgettext",
            "--language=Python",
            "--from-code=UTF-8",
            "--keyword=gettext_noop",
            "--keyword=gettext_lazy",
            "--keyword=ngettext_lazy:1,2",
            "--keyword=pgettext:1c,2",
            "--keyword=pgettext_lazy:1c,2",
            "--keyword=ngettext:1,2",
            "--keyword=_",
            "--keyword=gettext",
            "--no-location",
            "--sort-output",
            f"--output={pot}",
            *py_files,
            *converted,
        ]
        if not py_files and not converted:
            return
        subprocess.run(cmd, check=True, env=env)
        if po.exists():
            subprocess.run(
                ["msgmerge", "--quiet", "--update", "--backup=none", "--no-fuzzy-matching", str(po), str(pot)],
                check=True,
            )
        else:
            # Not msginit: for English it copies the (Vietnamese) msgids into msgstr, hiding untranslated strings.
            catalogue = polib.pofile(str(pot))
            catalogue.metadata.update(
                {
                    "Language": lang,
                    "Content-Type": "text/plain; charset=UTF-8",
                    "Plural-Forms": "nplurals=2; plural=(n != 1);",
                }
            )
            catalogue.save(str(po))
        subprocess.run(["msgattrib", "--no-obsolete", "-o", str(po), str(po)], check=True)
        for f in tmp_dir.iterdir():
            f.unlink()
        tmp_dir.rmdir()
