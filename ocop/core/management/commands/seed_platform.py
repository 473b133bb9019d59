from django.core.management.base import BaseCommand

from ocop.core.seeding import seed_all


class Command(BaseCommand):
    help = "Load reference data (administrative units, criteria) and demo data; safe to run again."

    def handle(self, *args, **options):
        self.stdout.write("OCOP: chuẩn bị dữ liệu / preparing data…\n")
        seed_all(self.stdout)
