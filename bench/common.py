"""Shared set-up and output for benchmarks (DESIGN.md §8): each benchmark prints one JSON line
{"name", "n", "seconds", "per_second", "p50_ms", "p99_ms", "baseline", "ratio"} and compares against a
baseline measured in the same run, never against a figure from another machine."""

import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KEYS = ("name", "n", "seconds", "per_second", "p50_ms", "p99_ms", "baseline", "ratio")


def django_setup() -> None:
    """Local settings on a benchmark database (var/bench unless DATABASE_URL is set), migrated, with
    the administrative units loaded."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    # Benchmarks send thousands of requests from one address: measure the work, not the rate limit.
    os.environ.setdefault("OCOP_PUBLIC_RATE_LIMIT", "0")
    if "DATABASE_URL" not in os.environ:
        os.environ.setdefault("OCOP_VAR_DIR", str(REPO / "var" / "bench"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from ocop.geo.loading import load_admin_units

    load_admin_units()


def timed(func, items) -> tuple[float, list[float]]:
    """Call func(item) for each item; total seconds and per-call latencies in ms."""
    latencies = []
    start = time.perf_counter()
    for item in items:
        t0 = time.perf_counter()
        func(item)
        latencies.append((time.perf_counter() - t0) * 1000)
    return time.perf_counter() - start, latencies


def figures(n: int, seconds: float, latencies: list[float]) -> dict:
    """n, seconds, per_second, p50_ms, p99_ms for a measured run."""
    ordered = sorted(latencies)
    return {
        "n": n,
        "seconds": round(seconds, 4),
        "per_second": round(n / seconds, 1) if seconds else None,
        "p50_ms": round(statistics.median(ordered), 4) if ordered else None,
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 4) if ordered else None,
    }


def emit(name, n, seconds, per_second, p50_ms, p99_ms, baseline, ratio) -> None:
    """Print the benchmark's one JSON line. `baseline` is a dict (name and figures of the baseline
    measured in the same run); `ratio` is this benchmark's time per item over the baseline's."""
    line = dict(zip(KEYS, (name, n, seconds, per_second, p50_ms, p99_ms, baseline, ratio), strict=True))
    print(json.dumps(line, ensure_ascii=False), flush=True)
