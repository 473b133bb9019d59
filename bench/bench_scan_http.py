"""Stamp scans per second over HTTP, through the server `make run` starts (gunicorn, one worker process with its
threads), against a bare Django view returning a constant, served by the same gunicorn in the same run.

bench_scan.py measures in-process (Django's test Client), where the bare view costs a tenth of a millisecond and
any database write looks enormous beside it; here both sides pay what a phone's request really costs on the
server: the socket, HTTP parsing, the WSGI hand-over. One keep-alive connection, one request at a time, as a
scanning phone does. Logging and the counterfeit rules are on. SQLite by default; PostgreSQL with DATABASE_URL.
The same runs as bench_scan.py (RUNS: the bare view, the two reference views, the API and the page), interleaved.
"""

import http.client
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import REPO, django_setup  # noqa: E402

N = 2000


def __getattr__(name):
    # gunicorn imports `bench.bench_scan_http:application`: the platform with bench_scan's URLconf (+ bare view).
    if name == "application":
        import django
        from django.conf import settings

        django.setup()
        settings.ROOT_URLCONF = "bench.bench_scan"
        from django.core.wsgi import get_wsgi_application

        return get_wsgi_application()
    raise AttributeError(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def scan_codes_fresh(n: int) -> tuple[list[str], str]:
    """n codes of a new batch (bench_scan.fresh_codes) and the database vendor; closes the connection so the server
    processes start without sharing it."""
    django_setup()
    from django.db import connection

    from bench.bench_scan import fresh_codes

    scan_codes = fresh_codes(n)
    vendor = connection.vendor
    connection.close()
    return scan_codes, vendor


@contextmanager
def gunicorn_server(*, workers: int, threads: int):
    """The platform (with the bare view) under gunicorn on a free local port, as `make run` serves it; the port."""
    from django.conf import settings

    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.local"),
        "OCOP_VAR_DIR": str(settings.VAR_DIR),
        "OCOP_PUBLIC_RATE_LIMIT": "0",
    }
    server = [sys.executable, "-m", "gunicorn", "bench.bench_scan_http:application", "--bind", f"127.0.0.1:{port}"]
    server += ["--workers", str(workers), "--threads", str(threads), "--keep-alive", "30", "--log-level", "warning"]
    proc = subprocess.Popen(server, cwd=REPO, env=env)
    try:
        _wait(port, proc)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    from bench.bench_scan import WARM, emit_runs, interleaved

    scan_codes, vendor = scan_codes_fresh(N + WARM)
    with gunicorn_server(workers=1, threads=4) as port:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

        def get(path: str) -> None:
            conn.request("GET", path, headers={"Host": "localhost", "User-Agent": "Mozilla/5.0 (Linux; Android 14)"})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{path}: HTTP {response.status}")

        results = interleaved(get, scan_codes)
        emit_runs(results, suffix="_http", vendor=vendor, baseline_name="bare Django view (constant), same gunicorn")
        conn.close()


if __name__ == "__main__":
    main()
