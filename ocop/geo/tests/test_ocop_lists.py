"""Every province / district / commune spelling in the real OCOP lists (data/ocop-lists) resolves to the unit
valid at the list's date — the registry importer's calls."""

import csv
import datetime
from pathlib import Path

import pytest
from django.conf import settings

from ocop.core.text import fold_compact
from ocop.geo.resolver import parse, resolve

LISTS = Path(settings.REFERENCE_DATA_DIR) / "ocop-lists"
LEGACY_DAY = datetime.date(2024, 1, 1)
CURRENT_DAY = datetime.date(2026, 8, 5)
# Spellings in the lists that are not the official name (key: folded compact spelling → official name).
KNOWN_VARIANTS: dict[str, str] = {}
# Communes named in a list that did not exist at the list's date (merged away before it); none so far.
NOT_AT_DATE: set[tuple[str, str]] = set()
pytestmark = pytest.mark.django_db


def _rows():
    rows = set()
    for path in sorted(LISTS.glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                rows.add((path.name, row["province"].strip(), row["district"].strip(), row["commune"].strip()))
    return sorted(rows)


def _assert_resolves(name: str, *, level: str, at: datetime.date, parent=None):
    matches = resolve(name, level=level, at=at, parent=parent)
    assert matches, f"{level} {name!r} not found under {parent}"
    best = matches[0]
    expected = KNOWN_VARIANTS.get(fold_compact(name), parse(name).key)
    assert fold_compact(best.unit.name) == fold_compact(expected), (name, best.unit.full_name)
    # A second unit with the same score would make the importer guess.
    assert len(matches) == 1 or matches[1].score < best.score, (name, [m.unit.full_name for m in matches])
    return best.unit


def test_every_spelling_in_the_ocop_lists_resolves():
    rows = _rows()
    assert len(rows) > 100
    for _file, province_name, district_name, commune_name in rows:
        at = LEGACY_DAY if district_name else CURRENT_DAY
        province = _assert_resolves(province_name, level="province", at=at)
        parent = province
        if district_name:
            parent = _assert_resolves(district_name, level="district", at=at, parent=province)
        if commune_name and (district_name, commune_name) not in NOT_AT_DATE:
            _assert_resolves(commune_name, level="commune", at=at, parent=parent)
