"""Stamp scans per second with logging and counterfeit rules on: `GET /api/v1/verify/{code}` and the scan page
`/s/<code>` through Django's test Client (full middleware stack), against a bare view returning a constant
through the same Client in the same run. SQLite by default; PostgreSQL when DATABASE_URL is set.

Two reference views, measured in the same run, show what any logged scan must cost on this machine whatever its
code: `reference.db_round_trip` runs `SELECT 1` (the cheapest view that touches the database) and
`reference.scan_log_insert` writes one scan-log row as a scan writes it, and nothing else (the cheapest view with
logging on). A scan cannot be cheaper than the second."""

import datetime
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.http import HttpResponse  # noqa: E402
from django.urls import include, path  # noqa: E402

from bench.common import django_setup, emit, figures, timed  # noqa: E402

N = 2000
WARM = 20  # codes scanned before measuring: imports, the connection, prepared statements, the batch cache
ROUNDS = 10


def bare(request):
    return HttpResponse("ok")


def db_round_trip(request, code):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok")


def scan_log_insert(request, code):
    from django.utils import timezone

    from ocop.certification.stamps.models import ScanEvent
    from ocop.core.inserting import insert_one

    insert_one(ScanEvent(scanned_at=timezone.now(), code=code[:20], channel="bench", outcome="invalid"), durable=False)
    return HttpResponse("ok")


# (name, URL with {} for a code): the bare baseline first, then the reference views and the scans, measured in turn.
RUNS = (
    ("bare", "/bench-bare/"),
    ("reference.db_round_trip", "/bench-db/{}"),
    ("reference.scan_log_insert", "/bench-log/{}"),
    ("stamps.scan_api", "/api/v1/verify/{}"),
    ("stamps.scan_page", "/s/{}"),
)


def __getattr__(name):
    # The benchmark's URLconf, built on first use (after django.setup()): the platform's URLs plus the bare and the
    # reference views.
    if name == "urlpatterns":
        return [
            path("bench-bare/", bare),
            path("bench-db/<str:code>", db_round_trip),
            path("bench-log/<str:code>", scan_log_insert),
            path("", include("config.urls")),
        ]
    raise AttributeError(name)


def interleaved(get, scan_codes: list[str], *, rounds: int = ROUNDS) -> dict[str, tuple[float, list[float]]]:
    """Each run of RUNS over the codes after the first WARM (which only warm up), in `rounds` blocks taken in turn,
    so that a drift of the machine (another process, CPU frequency) falls on the baseline and the scans alike:
    name -> (seconds, latencies)."""
    for code in scan_codes[:WARM]:
        for _name, url in RUNS:
            get(url.format(code))
    scan_codes = scan_codes[WARM:]
    totals = {name: [0.0, []] for name, _url in RUNS}
    block = max(1, len(scan_codes) // rounds)
    for start in range(0, len(scan_codes), block):
        codes_in_block = scan_codes[start : start + block]
        for name, url in RUNS:
            seconds, latencies = timed(lambda code, url=url: get(url.format(code)), codes_in_block)
            totals[name][0] += seconds
            totals[name][1] += latencies
    return {name: (seconds, latencies) for name, (seconds, latencies) in totals.items()}


def emit_runs(results: dict, *, suffix: str, vendor: str, baseline_name: str) -> None:
    """One JSON line per run of RUNS but the baseline; `ratio` is its time per request over the bare view's."""
    base_seconds, base_latencies = results["bare"]
    n = len(base_latencies)
    baseline = {"name": baseline_name, **figures(n, base_seconds, base_latencies)}
    for name, (seconds, latencies) in results.items():
        if name != "bare":
            emit(
                f"{name}{suffix}[{vendor}]",
                **figures(n, seconds, latencies),
                baseline=baseline,
                ratio=round(seconds / base_seconds, 2) if base_seconds else None,
            )


def bench_product():
    """A product with a certificate valid today (created once per database)."""
    from django.utils import timezone

    from ocop.certification.models import Certificate
    from ocop.geo.models import AdminUnit
    from ocop.registry.models import Product, Subject

    existing = Product.objects.filter(ocop_code="BENCH-SCAN-1").first()
    if existing:
        return existing
    commune = AdminUnit.objects.filter(level="commune", valid_until__isnull=True).order_by("code").first()
    subject = Subject.objects.create(name="Hợp tác xã Bench Scan", province_code=commune.province_code, commune=commune)
    product = Product.objects.create(subject=subject, name="Cà phê Bench", ocop_code="BENCH-SCAN-1")
    today = timezone.localdate()
    Certificate.objects.create(
        product=product,
        star=4,
        valid_from=today - datetime.timedelta(days=30),
        valid_until=today + datetime.timedelta(days=1000),
        source="imported",
    )
    return product


def fresh_codes(n: int) -> list[str]:
    """The codes of a new n-stamp batch of the bench product: each run scans stamps nobody scanned before, as
    consumers mostly do. (Reusing one batch, its serials piled up scans run after run until every scan raised an
    over-scanning alert and the benchmark measured the alert path.) Ordering a batch writes one row."""
    from ocop.certification.stamps import codes
    from ocop.certification.stamps.keys import stamp_key_secret
    from ocop.certification.stamps.services import stamp_batch_order

    batch = stamp_batch_order(actor=None, product=bench_product(), quantity=n)
    key = stamp_key_secret(batch.key_id)
    return [codes.code_make(key, batch.key_id, serial) for serial in range(batch.serial_start, batch.serial_end)]


def main() -> None:
    django_setup()
    from django.db import connection
    from django.test import Client, override_settings

    scan_codes = fresh_codes(N + WARM)
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["*"], DEBUG=False):
        client = Client()

        def get(url: str) -> None:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code}")

        results = interleaved(get, scan_codes)
        baseline_name = "bare Django view (constant), same Client"
        emit_runs(results, suffix="", vendor=connection.vendor, baseline_name=baseline_name)


if __name__ == "__main__":
    main()
