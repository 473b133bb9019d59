"""Run every bench/bench_*.py as its own process and print their JSON lines; exit 1 if one fails. A benchmark that
needs a tool this machine lacks prints "skipped: …" on stderr and exits 0."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=HERE.parent)
        lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
        for line in lines:
            print(line, flush=True)
        if result.returncode == 0 and not lines and result.stderr.startswith("skipped:"):
            sys.stderr.write(f"{script.name} {result.stderr}")  # a tool it needs is missing (it says which)
        elif result.returncode != 0 or not lines:
            failed.append(script.name)
            sys.stderr.write(f"{script.name} failed ({result.returncode}):\n{result.stderr[-2000:]}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
