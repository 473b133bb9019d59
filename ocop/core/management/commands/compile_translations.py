"""Compile every locale/*/<lang>/LC_MESSAGES/django.po to .mo with polib (pure Python), so a fresh
machine needs no GNU gettext. Only catalogues newer than their .mo are rebuilt."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile .po catalogues to .mo (no GNU gettext needed)."

    def handle(self, *args, **options):
        count = 0
        for po_path in sorted(Path(settings.BASE_DIR, "locale").glob("*/*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            count += 1
        self.stdout.write(f"translations: {count} catalogue(s) compiled")
