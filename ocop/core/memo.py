"""Process-local memos for small reference values read on every public request (unit names, the province list).

The shared cache (Redis in production) costs a network round trip per read: a stamp scan showed three unit names
and the province list, so it made four round trips to Redis before this memo, more than its one database statement.
A memo keeps the value in the process for a short time on top of the shared cache; it suits values that change by
law or by an officer's rare edit, where a few minutes' staleness in other processes is acceptable. Never for
anything a permission or a stamp's validity depends on.
"""

import threading
import time
from collections.abc import Callable, Hashable

_memos: list["ProcessMemo"] = []
_registry_lock = threading.Lock()


class ProcessMemo:
    """key → value for `seconds`, at most `max_entries` keys (all dropped when full: the sets memoised here are
    small, so a full memo means keys are being generated, and forgetting is the safe answer).

    Entries are tuples replaced whole, so threads of one process share the memo without a lock; two threads
    missing the same key at once both load it, which is harmless for reads."""

    def __init__(self, *, seconds: float, max_entries: int = 10_000):
        self.seconds, self.max_entries = seconds, max_entries
        self._entries: dict[Hashable, tuple[float, object]] = {}
        with _registry_lock:
            _memos.append(self)

    def get_or_set(self, key: Hashable, load: Callable[[], object]):
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is not None and entry[0] > now:
            return entry[1]
        value = load()
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[key] = (now + self.seconds, value)
        return value

    def clear(self) -> None:
        self._entries.clear()


def memos_clear() -> None:
    """Forget every process memo (between tests; after reference data is reloaded)."""
    with _registry_lock:
        memos = list(_memos)
    for memo in memos:
        memo.clear()
