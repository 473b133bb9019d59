from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ocop.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database, media and private files (and the embedded set-up's secret key) to one .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument("output", nargs="?", help="archive path (default: var/backups/ocop-<date>.tar.gz)")

    def handle(self, *args, output=None, **options):
        from django.conf import settings

        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        path = Path(output or Path(settings.VAR_DIR) / "backups" / f"ocop-{stamp}.tar.gz")
        try:
            manifest = backup_create(path)
        except BackupError as exc:
            raise CommandError(f"Sao lưu thất bại / backup failed: {exc}") from exc
        self.stdout.write(
            f"OCOP: đã sao lưu / backed up {len(manifest['files'])} tệp / files, "
            f"{sum(manifest['rows'].values())} dòng / rows → {path}"
        )
