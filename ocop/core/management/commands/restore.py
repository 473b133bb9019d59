from django.core.management.base import BaseCommand, CommandError

from ocop.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Replace the database and files with a backup's. Stop the web server and the workers first."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, archive, yes=False, **options):
        if not yes:
            answer = input("Ghi đè CSDL và tệp hiện có? / Overwrite the current database and files? [y/N] ")
            if answer.strip().lower() not in ("y", "yes", "c", "có"):
                raise CommandError("Đã huỷ / cancelled.")
        try:
            manifest = backup_restore(archive)
        except (BackupError, OSError) as exc:
            raise CommandError(f"Khôi phục thất bại / restore failed: {exc}") from exc
        self.stdout.write(f"OCOP: đã khôi phục / restored the backup of {manifest['created_at']}.")
