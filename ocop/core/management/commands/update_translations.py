"""Extract translatable strings per area into locale/<area>/en/LC_MESSAGES/django.po.

Source strings (msgids) are Vietnamese — the platform's first language — so only the English catalogue
needs translations; see docs/decisions/0002-vietnamese-msgids.md. Needs GNU gettext (xgettext), which
developers have; `make run` only compiles existing catalogues.
"""

import os
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

# area name → source folders whose strings belong to that catalogue
AREAS = {
    "core": ["ocop/core", "templates", "config"],
    "geo": ["ocop/geo"],
    "accounts": ["ocop/accounts"],
    "backoffice": ["ocop/backoffice"],
    "public": ["ocop/public"],
    "interop": ["ocop/interop"],
}


class Command(BaseCommand):
    help = "Run makemessages for each area's folders into locale/<area>/."

    def handle(self, *args, **options):
        base = Path(settings.BASE_DIR)
        for area, folders in AREAS.items():
            extra = getattr(settings, "OCOP_TRANSLATION_AREAS", {}).get(area, [])
            out = base / "locale" / area
            (out / "en" / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
            for lang in ("en",):
                self._extract(base, [*folders, *extra], out, lang)
            self.stdout.write(f"{area}: locale/{area}/en/LC_MESSAGES/django.po")

    def _extract(self, base: Path, folders: list[str], out: Path, lang: str):
        files = []
        for folder in folders:
            for suffix in ("*.py", "*.html", "*.txt"):
                files += [p for p in (base / folder).rglob(suffix) if "migrations" not in p.parts and "tests" not in p.parts]
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
            "xgettext", "--language=Python", "--from-code=UTF-8", "--keyword=gettext_noop", "--keyword=gettext_lazy",
            "--keyword=ngettext_lazy:1,2", "--keyword=pgettext:1c,2", "--keyword=pgettext_lazy:1c,2",
            "--keyword=ngettext:1,2", "--keyword=_", "--keyword=gettext", "--no-location", "--sort-output",
            f"--output={pot}", *py_files, *converted,
        ]
        if not py_files and not converted:
            return
        subprocess.run(cmd, check=True, env=env)
        if po.exists():
            subprocess.run(["msgmerge", "--quiet", "--update", "--backup=none", "--no-fuzzy-matching", str(po), str(pot)], check=True)
        else:
            subprocess.run(["msginit", "--no-translator", f"--locale={lang}", f"--input={pot}", f"--output-file={po}"], check=True)
        subprocess.run(["msgattrib", "--no-obsolete", "-o", str(po), str(po)], check=True)
        for f in tmp_dir.iterdir():
            f.unlink()
        tmp_dir.rmdir()
