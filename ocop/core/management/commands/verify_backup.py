from django.core.management.base import BaseCommand, CommandError

from ocop.core.backup import BackupError, backup_verify


class Command(BaseCommand):
    help = (
        "Check a backup: every member's checksum, and whether the stamp keys configured here match the backup's. "
        "With --against-database, also compare row counts with the current database (after a restore)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--against-database", action="store_true")

    def handle(self, *args, archive, against_database=False, **options):
        try:
            report = backup_verify(archive, compare_database=against_database)
        except (BackupError, OSError) as exc:
            raise CommandError(f"Không đọc được bản sao lưu / unreadable backup: {exc}") from exc
        for line in report.warnings:
            self.stderr.write(f"! {line}")
        if not report.ok:
            raise CommandError("\n".join(report.problems))
        manifest = report.manifest
        self.stdout.write(
            f"OCOP: bản sao lưu hợp lệ / backup is sound ({manifest['created_at']}, {manifest['database']}, "
            f"{len(manifest['files'])} files)"
        )
