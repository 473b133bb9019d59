import json

from django.core.management.base import BaseCommand

from ocop.evaluation.loading import VERSION_CODES, load_criteria, load_regimes


class Command(BaseCommand):
    help = "Load the OCOP criteria sheets and process regimes from the data files; report defective sheets."

    def add_arguments(self, parser):
        parser.add_argument("--criteria-version", action="append", dest="versions", choices=VERSION_CODES)
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--verbose-report", action="store_true", help="list every sheet, not only findings")

    def handle(self, *args, versions=None, **options):
        report = load_criteria(versions)
        regimes = load_regimes()
        if options["json"]:
            payload = report.as_dict() | {"regimes": regimes}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        for line in report.lines(verbose=options["verbose_report"]):
            self.stdout.write(line)
