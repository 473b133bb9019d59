"""Stamp scans per second under load: many phones at once, as a product launch or a market day brings them.

bench_scan_http.py sends one request at a time over one connection, which measures latency: there every database
round trip is dead time. Here wrk (C, `apt-get install wrk`) keeps CONNECTIONS requests in flight against the
server `make run` starts (gunicorn, WEB_CONCURRENCY=2 workers with threads), so database waits overlap with other
requests' work and requests/s is the server's throughput. Each kind (bare view returning a constant, verify API,
scan page) runs for SECONDS after a warm-up; the bare view runs before and after the scans and its mean is the
baseline, so a drift of the machine falls on both sides. Logging and the counterfeit rules are on; every scan is a
different stamp's first or second scan. SQLite by default; PostgreSQL with DATABASE_URL.
"""

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import emit  # noqa: E402

SECONDS = 10
CONNECTIONS = 8
WORKERS = 2
THREADS = 4
CODES = 5000

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _wrk(url: str, script: Path | None, seconds: int) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "-H", "User-Agent: Mozilla/5.0 (Linux)"]
    if script is not None:
        command += ["-s", str(script)]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise SystemExit(f"wrk reported errors for {url}:\n{out}")
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    per_second = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def percentile(p: str) -> float:
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out).groups()
        return round(float(value) * _UNITS[unit], 3)

    return {"n": requests, "seconds": seconds, "per_second": per_second, "p50_ms": percentile("50"),
            "p99_ms": percentile("99")}  # fmt: skip


def _script(paths: list[str], script: Path) -> Path:
    """A wrk Lua script walking the given paths in turn."""
    table = ",\n".join(f'"{p}"' for p in paths)
    script.write_text(
        f"paths = {{\n{table}\n}}\ni = 0\n"
        "request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n"
    )
    return script


def main() -> None:
    if shutil.which("wrk") is None:
        print("skipped: wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return
    from bench.bench_scan_http import gunicorn_server, scan_codes_fresh

    scan_codes, vendor = scan_codes_fresh(CODES)
    with gunicorn_server(workers=WORKERS, threads=THREADS) as port:
        base = f"http://127.0.0.1:{port}"
        with tempfile.TemporaryDirectory() as folder:
            api = _script([f"/api/v1/verify/{code}" for code in scan_codes], Path(folder) / "api.lua")
            page = _script([f"/s/{code}" for code in scan_codes], Path(folder) / "page.lua")
            for script in (None, api, page):  # warm-up: imports, connections, the batch cache of each worker
                _wrk(base + "/bench-bare/", script, 2)
            before = _wrk(base + "/bench-bare/", None, SECONDS)
            results = {
                "stamps.scan_api_load": _wrk(base, api, SECONDS),
                "stamps.scan_page_load": _wrk(base, page, SECONDS),
            }
            after = _wrk(base + "/bench-bare/", None, SECONDS)
        per_second = (before["per_second"] + after["per_second"]) / 2
        baseline = {
            "name": f"bare Django view (constant), same gunicorn, wrk -c{CONNECTIONS}, mean of before and after",
            "n": before["n"] + after["n"],
            "seconds": 2 * SECONDS,
            "per_second": round(per_second, 1),
            "p50_ms": max(before["p50_ms"], after["p50_ms"]),
            "p99_ms": max(before["p99_ms"], after["p99_ms"]),
        }
        for name, figures in results.items():
            # ratio as in the other benches: time per request against the baseline's (here 1 / throughput ratio)
            emit(f"{name}[{vendor}]", **figures, baseline=baseline, ratio=round(per_second / figures["per_second"], 2))


if __name__ == "__main__":
    started = time.monotonic()
    main()
    print(f"({time.monotonic() - started:.0f} s)", file=sys.stderr)
