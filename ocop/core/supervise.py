"""Keep the processes of the embedded set-up running (`manage.py serve`, which `make run` starts).

The web server and the task consumer are independent: the death of one must never take the other down. A child
that exits while we are not stopping is started again after a short pause that grows when it keeps dying (up to
30 s), and the crash is printed. SIGINT (Ctrl-C) or SIGTERM stops every child, then the supervisor.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_BACKOFF = 30.0


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict | None = None
    proc: subprocess.Popen | None = None
    restarts: int = 0
    backoff: float = 1.0
    restart_at: float | None = None
    started_at: float = field(default=0.0)

    def start(self) -> None:
        self.proc = subprocess.Popen(self.argv, env=self.env)
        self.started_at = time.monotonic()
        self.restart_at = None


class Supervisor:
    def __init__(self, children: list[Child], *, say: Callable[[str], None] = print, poll: float = 0.5):
        self.children = children
        self.say = say
        self.poll = poll
        self.stopping = False

    def stop(self, signum=None, frame=None) -> None:
        if self.stopping:
            return
        self.stopping = True
        for child in self.children:
            if child.proc is not None and child.proc.poll() is None:
                child.proc.send_signal(signal.SIGTERM)

    def _check(self, child: Child, now: float) -> None:
        if child.restart_at is not None:
            if now >= child.restart_at:
                child.restarts += 1
                self.say(f"OCOP: khởi động lại / restarting {child.name} (#{child.restarts})")
                child.start()
            return
        code = child.proc.poll() if child.proc is not None else None
        if code is None:
            if now - child.started_at > 60:
                child.backoff = 1.0  # it ran a while: the next crash restarts quickly again
            return
        self.say(
            f"OCOP: {child.name} đã dừng (mã {code}) / stopped (exit {code}); "
            f"khởi động lại sau / restarting in {child.backoff:.0f} s"
        )
        child.restart_at = now + child.backoff
        child.backoff = min(MAX_BACKOFF, child.backoff * 2)

    def run(self, *, install_signals: bool = True) -> None:
        if install_signals:
            signal.signal(signal.SIGINT, self.stop)
            signal.signal(signal.SIGTERM, self.stop)
        for child in self.children:
            child.start()
        try:
            while not self.stopping:
                now = time.monotonic()
                for child in self.children:
                    self._check(child, now)
                time.sleep(self.poll)
        finally:
            self.stop()
            self._wait_all()

    def _wait_all(self, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        for child in self.children:
            if child.proc is None:
                continue
            try:
                child.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.proc.kill()
                child.proc.wait()
