"""Resolver throughput on 10,000 messy names generated from the data (diacritics dropped at random,
kind prefixes and abbreviations, case changes, old tone placement), against an exact-match dict
lookup of the clean names in the same run."""

import datetime
import random
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import django_setup, emit, figures, timed  # noqa: E402

N = 10_000
SEED = 20250701
ABBREVIATIONS = {
    "Xã": ["Xã", "xã", "X.", "xa", ""],
    "Phường": ["Phường", "phường", "P.", "P", "phuong", ""],
    "Thị trấn": ["Thị trấn", "TT.", "TT", "thi tran", ""],
    "Đặc khu": ["Đặc khu", "dac khu", ""],
    "Huyện": ["Huyện", "huyện", "H.", "huyen", ""],
    "Quận": ["Quận", "Q.", "quan", ""],
    "Thị xã": ["Thị xã", "TX.", "TX", "thi xa", ""],
    "Thành phố": ["Thành phố", "TP.", "Tp", "T.P", "thanh pho", ""],
    "Tỉnh": ["Tỉnh", "tỉnh", "tinh", ""],
}
OLD_TONES = {"òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ", "ủy": "uỷ", "úy": "uý", "ùy": "uỳ"}


def strip_some_diacritics(text: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return text
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def messy(unit, rng: random.Random) -> str:
    name = unit.name
    for new, old in OLD_TONES.items():
        if rng.random() < 0.5:
            name = name.replace(new, old)
    prefix = rng.choice(ABBREVIATIONS.get(unit.kind, [unit.kind]))
    text = strip_some_diacritics(f"{prefix} {name}".strip(), rng)
    return rng.choice([str.lower, str.upper, str.title, lambda s: s, lambda s: s])(text)


def main() -> None:
    django_setup()
    from ocop.geo.models import AdminUnit
    from ocop.geo.resolver import resolve

    rng = random.Random(SEED)
    units = list(AdminUnit.objects.select_related("parent").order_by("pk"))
    sample = [rng.choice(units) for _ in range(N)]
    at_of = {"legacy": datetime.date(2024, 1, 1), "2025": datetime.date(2026, 1, 1)}
    cases = [(messy(u, rng), u) for u in sample]
    # Warm the lazy indexes so the measurement is the steady state an importer sees.
    resolve("Hà Nội", at=at_of["legacy"])
    resolve("Hà Nội", at=at_of["2025"])

    exact = {(u.level, u.generation, u.full_name): u for u in units}
    base_seconds, base_lat = timed(lambda c: exact.get((c[1].level, c[1].generation, c[1].full_name)), cases)
    baseline = {"name": "exact dict lookup of the clean full name", **figures(N, base_seconds, base_lat)}

    for label, with_parent in (("with_parent", True), ("name_only", False)):
        hits = 0

        def run(case, with_parent=with_parent):
            nonlocal hits
            text, unit = case
            parent = unit.parent if with_parent else None
            matches = resolve(text, level=unit.level, at=at_of[unit.generation], parent=parent, limit=5)
            hits += bool(matches) and any(m.unit.pk == unit.pk for m in matches[: 1 if with_parent else 5])

        seconds, latencies = timed(run, cases)
        # Accuracy goes to stderr: the JSON line keeps exactly the agreed keys.
        print(f"{label}: expected unit ranked {'first' if with_parent else 'in top 5'} for {hits / N:.2%}",
              file=sys.stderr)  # fmt: skip
        emit(f"geo.resolver.messy_names_{label}", **figures(N, seconds, latencies), baseline=baseline,
             ratio=round(seconds / base_seconds, 1) if base_seconds else None)  # fmt: skip


if __name__ == "__main__":
    main()
