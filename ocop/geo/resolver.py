"""Find the administrative unit a messy name refers to, at a date.

Real lists spell units every which way: "TP. Quy Nhơn", "thi xa An Nhon", "P.01", "Xã An hòa" / "Xã An
Hoà" (old and new tone placement). Names are reduced to a key — folded (no diacritics, no case), kind
prefix removed, numbers without leading zeros, no spaces or punctuation — and looked up in in-memory
indexes built lazily per (level, generation). Exact keys score 1; a spelling slip falls back to fuzzy
matching (difflib) with a lower score. The indexes hold model instances, so a lookup runs no query.
"""

import dataclasses
import datetime
import difflib
import re
import threading

from django.utils.translation import gettext_lazy as _

from ocop.core.errors import ValidationError
from ocop.core.text import fold, nfc
from ocop.geo.models import AdminUnit, AdminUnitSuccession
from ocop.geo.selectors import LEVEL_BY_CODE_LENGTH, today_vn

Level = AdminUnit.Level
MAX_LENGTH = 200
FUZZY_CUTOFF = 0.8
KIND_MISMATCH = 0.85  # "huyện Hoài Nhơn" still finds "Thị xã Hoài Nhơn", but below an exact-kind match
LEVEL_MISMATCH = 0.7
LEVEL_RANK = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}

# Folded prefix tokens → the kinds they announce. Longest sequences are tried first.
PREFIXES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("thanh", "pho"): ("Thành phố",),
    ("tp",): ("Thành phố",),
    ("t", "p"): ("Thành phố",),
    ("thi", "xa"): ("Thị xã",),
    ("tx",): ("Thị xã",),
    ("t", "x"): ("Thị xã",),
    ("thi", "tran"): ("Thị trấn",),
    ("tt",): ("Thị trấn",),
    ("t", "t"): ("Thị trấn",),
    ("dac", "khu"): ("Đặc khu",),
    ("tinh",): ("Tỉnh",),
    ("huyen",): ("Huyện",),
    ("h",): ("Huyện",),
    ("quan",): ("Quận",),
    ("q",): ("Quận",),
    ("phuong",): ("Phường",),
    ("p",): ("Phường",),
    ("xa",): ("Xã",),
    ("x",): ("Xã",),
}
KIND_LEVELS = {
    "Thành phố": (Level.PROVINCE, Level.DISTRICT),
    "Tỉnh": (Level.PROVINCE,),
    "Thị xã": (Level.DISTRICT,),
    "Huyện": (Level.DISTRICT,),
    "Quận": (Level.DISTRICT,),
    "Thị trấn": (Level.COMMUNE,),
    "Phường": (Level.COMMUNE,),
    "Xã": (Level.COMMUNE,),
    "Đặc khu": (Level.COMMUNE,),
}
# Province nicknames that no folding rule recovers (keys on both sides are compact folded text).
ALIASES = {
    "hcm": "hochiminh",
    "tphcm": "hochiminh",
    "saigon": "hochiminh",
    "hn": "hanoi",
    "brvt": "bariavungtau",
    "thuathienhue": "hue",
}
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_GLUED_NUMBER = re.compile(r"^(p|q|f)(\d+)$")  # "P1", "Q10", "F5" (phường in southern usage)


@dataclasses.dataclass(frozen=True)
class Match:
    unit: AdminUnit
    score: float
    successor: AdminUnit | None
    successors: list[AdminUnit]


@dataclasses.dataclass(frozen=True)
class Query:
    key: str  # without the kind prefix
    full_key: str  # with it, for names whose kind word is part of the name
    kinds: tuple[str, ...]


def parse(name: str) -> Query:
    """Reduce a name to lookup keys. Raises ValidationError(code="invalid_name") for empty or absurd input."""
    text = nfc(name)
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            _("Tên đơn vị hành chính quá dài."), code="invalid_name", fields={"name": [_("Quá dài.")]}
        )
    tokens = _tokens(text)
    if not tokens:
        raise ValidationError(
            _("Tên đơn vị hành chính trống hoặc không hợp lệ."), code="invalid_name", fields={"name": [_("Trống.")]}
        )
    kinds, rest = _strip_prefix(tokens)
    return Query(key="".join(rest or tokens), full_key="".join(tokens), kinds=kinds)


def _tokens(text: str) -> list[str]:
    tokens = []
    for token in _NON_ALNUM.sub(" ", fold(text)).split():
        glued = _GLUED_NUMBER.match(token)
        tokens += [glued.group(1), glued.group(2)] if glued else [token]
    return [str(int(t)) if t.isdigit() else t for t in tokens]


def _strip_prefix(tokens: list[str]) -> tuple[tuple[str, ...], list[str]]:
    for prefix in sorted(PREFIXES, key=len, reverse=True):
        if tuple(tokens[: len(prefix)]) == prefix and len(tokens) > len(prefix):
            return PREFIXES[prefix], tokens[len(prefix) :]
    return (), tokens


def unit_key(name: str) -> str:
    """The key a unit's bare name is indexed under (same reduction as a query, without prefix stripping)."""
    return "".join(_tokens(name))


class _Index:
    """Units of one (level, generation): key → units, ancestors per unit, the key list for fuzzy search."""

    def __init__(self, units: list[AdminUnit], parent_of: dict[int, int | None]):
        self.units = units
        self.by_key: dict[str, list[AdminUnit]] = {}
        self.ancestors: dict[int, frozenset[int]] = {}
        for unit in units:
            for key in {unit_key(unit.name), unit_key(unit.full_name)}:
                self.by_key.setdefault(key, []).append(unit)
            chain, current = set(), parent_of.get(unit.pk)
            while current is not None:
                chain.add(current)
                current = parent_of.get(current)
            self.ancestors[unit.pk] = frozenset(chain)
        self.keys = list(self.by_key)


_lock = threading.Lock()
_indexes: dict[tuple[str, str], _Index] = {}
_state: dict = {}


def reset_indexes() -> None:
    """Forget the in-memory indexes (after the units were (re)loaded)."""
    with _lock:
        _indexes.clear()
        _state.clear()


def _periods() -> list[tuple[str, datetime.date | None, datetime.date | None]]:
    if "periods" not in _state:
        rows = AdminUnit.objects.values_list("generation", "valid_from", "valid_until").distinct()
        _state["periods"] = sorted(set(rows), key=lambda r: r[1] or datetime.date.min)
    return _state["periods"]


def _generations_at(at: datetime.date) -> list[str]:
    return [g for g, start, end in _periods() if (start is None or start <= at) and (end is None or at <= end)]


def _parents() -> dict[int, int | None]:
    if "parents" not in _state:
        _state["parents"] = dict(AdminUnit.objects.values_list("pk", "parent_id"))
    return _state["parents"]


def _index(level: str, generation: str) -> _Index:
    key = (level, generation)
    if key not in _indexes:
        with _lock:
            if key not in _indexes:
                units = list(AdminUnit.objects.filter(level=level, generation=generation).order_by("code"))
                _indexes[key] = _Index(units, _parents())
    return _indexes[key]


def _successions() -> tuple[dict[int, list[tuple[int, bool]]], dict[int, AdminUnit], dict[int, set[int]]]:
    """predecessor id → [(successor id, is_default)], the successor units by id, and successor id →
    predecessor ids (loaded once)."""
    if "successions" not in _state:
        rows = list(AdminUnitSuccession.objects.values_list("predecessor_id", "successor_id", "is_default"))
        table: dict[int, list[tuple[int, bool]]] = {}
        reverse: dict[int, set[int]] = {}
        for old, new, default in rows:
            table.setdefault(old, []).append((new, default))
            reverse.setdefault(new, set()).add(old)
        units = {u.pk: u for u in AdminUnit.objects.filter(generation=AdminUnit.Generation.Y2025)}
        _state["successions"] = (table, units, reverse)
    return _state["successions"]


def successors_of(unit: AdminUnit) -> tuple[AdminUnit | None, list[AdminUnit]]:
    """(default successor, all successors default first) of a unit; a unit in force succeeds itself."""
    if unit.valid_until is None:
        return unit, [unit]
    table, units, _reverse = _successions()
    rows = sorted(table.get(unit.pk, []), key=lambda r: (not r[1], units[r[0]].code))
    successors = [units[new] for new, _ in rows]
    return (successors[0] if successors else None), successors


def resolve(
    name: str,
    *,
    level: str | None = None,
    at: datetime.date | None = None,
    parent: AdminUnit | str | None = None,
    limit: int = 5,
) -> list[Match]:
    """Units valid on `at` (default today) whose name matches `name`, best first, at most `limit`.

    `level` restricts the search; `parent` (a unit, a code or a name) keeps only units inside it — a
    parent from the other generation counts through its successors/predecessors. Exact-kind matches
    rank above kind mismatches ("huyện X" vs "Thị xã X"). No match gives an empty list.
    Raises ValidationError(code="invalid_name") for an empty or absurd name.
    """
    query = parse(name)
    at = at or today_vn()
    levels = [level] if level else list(Level.values)
    within = _parent_ids(parent, at) if parent not in (None, "") else None
    matches: dict[int, float] = {}
    units: dict[int, AdminUnit] = {}
    for generation in _generations_at(at):
        for lvl in levels:
            for unit, score in _search(_index(lvl, generation), query, within):
                score *= 1 if level or _level_fits(query, lvl) else LEVEL_MISMATCH
                if score > matches.get(unit.pk, 0):
                    matches[unit.pk], units[unit.pk] = score, unit
    # Ties go to the wider unit: a bare "Thái Bình" means the province before a commune of that name.
    ranked = sorted(matches.items(), key=lambda kv: (-kv[1], LEVEL_RANK[units[kv[0]].level], units[kv[0]].code))
    return [Match(units[pk], round(score, 3), *successors_of(units[pk])) for pk, score in ranked[:limit]]


def _level_fits(query: Query, level: str) -> bool:
    return not query.kinds or any(level in KIND_LEVELS[k] for k in query.kinds)


def _search(index: _Index, query: Query, within: frozenset[int] | None) -> list[tuple[AdminUnit, float]]:
    def inside(unit):
        return within is None or not within.isdisjoint(index.ancestors[unit.pk])

    found = []
    for key in dict.fromkeys((query.key, ALIASES.get(query.key, query.key), query.full_key)):
        found += [(u, _kind_score(u, query)) for u in index.by_key.get(key, []) if inside(u)]
    if found:
        return found
    keys = index.keys
    if within is not None:
        keys = list({k for u in index.units if inside(u) for k in (unit_key(u.name),)})
    for key in difflib.get_close_matches(query.key, keys, n=5, cutoff=FUZZY_CUTOFF):
        ratio = difflib.SequenceMatcher(None, query.key, key).ratio()
        found += [(u, 0.9 * ratio * _kind_score(u, query)) for u in index.by_key[key] if inside(u)]
    return found


def _kind_score(unit: AdminUnit, query: Query) -> float:
    return 1.0 if not query.kinds or unit.kind in query.kinds else KIND_MISMATCH


def _parent_ids(parent: AdminUnit | str, at: datetime.date) -> frozenset[int]:
    """Ids a candidate's ancestors must meet: the parent plus its successors and predecessors, so a
    legacy district given with a current date (or the reverse) still narrows the search."""
    unit = parent if isinstance(parent, AdminUnit) else _parent_unit(str(parent), at)
    if unit is None:
        return frozenset()
    ids = {unit.pk}
    table, _units, reverse = _successions()
    ids.update(new for new, _ in table.get(unit.pk, []))
    ids.update(reverse.get(unit.pk, ()))
    return frozenset(ids)


def _parent_unit(parent: str, at: datetime.date) -> AdminUnit | None:
    text = parent.strip()
    if text.isdigit() and len(text) in LEVEL_BY_CODE_LENGTH:
        level = LEVEL_BY_CODE_LENGTH[len(text)]
        for generation in _generations_at(at):
            for unit in _index(level, generation).units:
                if unit.code == text:
                    return unit
        return None
    found = resolve(text, at=at, limit=1)
    return found[0].unit if found else None
