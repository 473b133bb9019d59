from django.core.management.base import BaseCommand, CommandError

from ocop.core.seeding import DemoDataRefused, seed_demo, seed_reference


class Command(BaseCommand):
    help = (
        "Load the reference data (administrative units, classification, criteria sheets, regimes); with --demo, "
        "also the demo accounts and records (refused under production settings). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo",
            action="store_true",
            help="also load demo accounts (published password) and demo products; `make run` passes it",
        )

    def handle(self, *args, demo: bool = False, **options):
        self.stdout.write("OCOP: chuẩn bị dữ liệu tham chiếu / preparing reference data…\n")
        seed_reference(self.stdout)
        if not demo:
            return
        self.stdout.write("OCOP: dữ liệu demo / demo data…\n")
        try:
            seed_demo(self.stdout)
        except DemoDataRefused as exc:
            raise CommandError(
                f"{exc.message}\nDemo data (accounts with a published password, fake products) is refused under "
                "production settings."
            ) from exc
