"""Stamp scans per second with logging and counterfeit rules on: `GET /api/v1/verify/{code}` and the scan page
`/s/<code>` through Django's test Client (full middleware stack), against a bare view returning a constant
through the same Client in the same run. SQLite by default; PostgreSQL when DATABASE_URL is set."""

import datetime
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.http import HttpResponse  # noqa: E402
from django.urls import include, path  # noqa: E402

from bench.common import django_setup, emit, figures, timed  # noqa: E402

N = 2000


def bare(request):
    return HttpResponse("ok")


def __getattr__(name):
    # The benchmark's URLconf, built on first use (after django.setup()): the platform's URLs plus the bare view.
    if name == "urlpatterns":
        return [path("bench-bare/", bare), path("", include("config.urls"))]
    raise AttributeError(name)


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

    scan_codes = fresh_codes(N)
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["*"], DEBUG=False):
        client = Client()
        for warm in ("/bench-bare/", f"/api/v1/verify/{scan_codes[0]}", f"/s/{scan_codes[0]}"):
            assert client.get(warm).status_code == 200, warm
        base_seconds, base_lat = timed(lambda _i: client.get("/bench-bare/"), range(N))
        baseline = {"name": "bare Django view (constant), same Client", **figures(N, base_seconds, base_lat)}
        for name, url in (("stamps.scan_api", "/api/v1/verify/{}"), ("stamps.scan_page", "/s/{}")):
            seconds, latencies = timed(lambda code, url=url: client.get(url.format(code)), scan_codes)
            emit(
                f"{name}[{connection.vendor}]",
                **figures(N, seconds, latencies),
                baseline=baseline,
                ratio=round(seconds / base_seconds, 1) if base_seconds else None,
            )


if __name__ == "__main__":
    main()
