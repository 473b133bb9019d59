"""Is the process that took a job still alive? Used to tell a dead worker's job from a slow one.

A worker names itself "host:pid:start", where start is the process's start time from /proc (so a reused pid is
not mistaken for the dead process). On the same host that answers exactly and at once. A worker on another host
also keeps a heartbeat in the shared cache (Redis in a scale-out set-up); when it is missing for longer than
`HEARTBEAT_TTL`, the worker is taken for dead. When the cache cannot answer, nothing is taken for dead.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from functools import cache

from django.core.cache import cache as shared_cache

logger = logging.getLogger(__name__)

HEARTBEAT_EVERY = 15  # seconds
HEARTBEAT_TTL = 60  # a heartbeat older than this means the worker is gone


def _start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot ("" where /proc is not available or pid is gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            # Field 22; the command name (field 2) may contain spaces, so count from its closing parenthesis.
            return handle.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


@cache
def _host() -> str:
    return socket.gethostname()


def worker_name() -> str:
    pid = os.getpid()
    return f"{_host()}:{pid}:{_start_time(pid)}"


def _heartbeat_key(worker: str) -> str:
    return f"ocop:worker-heartbeat:{worker}"


def heartbeat() -> None:
    """Record that this process is alive (best effort: a cache outage is logged, never raised)."""
    try:
        shared_cache.set(_heartbeat_key(worker_name()), 1, timeout=HEARTBEAT_TTL)
    except Exception:  # noqa: BLE001 — the cache being down must not stop a job
        logger.warning("worker heartbeat: cache unreachable", exc_info=True)


def worker_is_alive(worker: str) -> bool:
    """False only when we know the worker is gone; True when it is alive or we cannot tell."""
    host, _sep, rest = worker.partition(":")
    pid_text, _sep, start = rest.partition(":")
    if not host or not pid_text.isdigit():
        return True
    if host == _host() and start:
        return _start_time(int(pid_text)) == start
    try:
        return shared_cache.get(_heartbeat_key(worker)) is not None
    except Exception:  # noqa: BLE001
        logger.warning("worker liveness: cache unreachable; assuming %s is alive", worker, exc_info=True)
        return True


class Heartbeat:
    """A daemon thread refreshing this process's heartbeat while a job runs (`with Heartbeat(): …`)."""

    def __init__(self, every: float = HEARTBEAT_EVERY):
        self.every = every
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            heartbeat()

    def __enter__(self) -> Heartbeat:
        heartbeat()
        self._thread = threading.Thread(target=self._run, name="ocop-heartbeat", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=1)
