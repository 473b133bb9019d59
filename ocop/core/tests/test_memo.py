"""ProcessMemo: values kept for a while in the process, reloaded after expiry, forgotten on demand."""

from ocop.core import memo as memo_module
from ocop.core.memo import ProcessMemo, memos_clear


def test_memo_loads_once_until_expiry(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(memo_module.time, "monotonic", lambda: clock[0])
    memo, loads = ProcessMemo(seconds=60), []

    def load():
        loads.append(1)
        return f"value {len(loads)}"

    assert memo.get_or_set("k", load) == "value 1"
    clock[0] += 59
    assert memo.get_or_set("k", load) == "value 1"
    clock[0] += 2
    assert memo.get_or_set("k", load) == "value 2"
    assert len(loads) == 2


def test_memos_clear_forgets_every_memo():
    first, second = ProcessMemo(seconds=60), ProcessMemo(seconds=60)
    first.get_or_set("a", lambda: 1)
    second.get_or_set("b", lambda: 2)
    memos_clear()
    assert first.get_or_set("a", lambda: "reloaded") == "reloaded"
    assert second.get_or_set("b", lambda: "reloaded") == "reloaded"


def test_full_memo_starts_over_instead_of_growing():
    memo = ProcessMemo(seconds=60, max_entries=3)
    for key in range(10):
        memo.get_or_set(key, lambda key=key: key)
    assert len(memo._entries) <= 3
    assert memo.get_or_set(9, lambda: "reloaded") == 9  # the newest key survives the reset
