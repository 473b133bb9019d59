"""Start-up time of `make run`: cold (an empty var/: migrate, reference and demo data) and warm (the second start,
which must skip every unchanged seed), each to the first answer of /api/v1/health. Baselines measured in the same
run: `python -c "import django"` and a bare `manage.py check`. The .venv is the checkout's (the install step of
`make run` is then a no-op), so the figures are the platform's own start-up, not pip's."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, emit  # noqa: E402

PYTHON = str(REPO / ".venv" / "bin" / "python")


def _seconds(command, env=None) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=REPO, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_to_health(var: Path) -> float:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "OCOP_", "DATABASE_URL", "REDIS_URL"))}
    env.update(OCOP_VAR_DIR=str(var), HOST="127.0.0.1", PORT=str(port))
    start = time.perf_counter()
    proc = subprocess.Popen(
        ["make", "run"], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = start + 600
        while time.perf_counter() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2) as answer:
                    if answer.status == 200:
                        return time.perf_counter() - start
            except OSError:
                time.sleep(0.2)
            if proc.poll() is not None:
                raise SystemExit(f"make run exited with {proc.returncode}")
        raise SystemExit("make run did not answer within 600 s")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)


def main() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    import_django = min(_seconds([PYTHON, "-c", "import django"]) for _ in range(3))
    with tempfile.TemporaryDirectory() as folder:
        env["OCOP_VAR_DIR"] = folder
        check = min(_seconds([PYTHON, "manage.py", "check"], env=env) for _ in range(3))
        cold = _start_to_health(Path(folder))
        warm = _start_to_health(Path(folder))
    emit("import_django", 1, import_django, 1 / import_django, import_django * 1000, import_django * 1000, None, None)
    emit("manage_check", 1, check, 1 / check, check * 1000, check * 1000, "import_django", check / import_django)
    for name, seconds in (("make_run_cold_to_health", cold), ("make_run_warm_to_health", warm)):
        emit(name, 1, seconds, 1 / seconds, seconds * 1000, seconds * 1000, "manage_check", seconds / check)


if __name__ == "__main__":
    main()
