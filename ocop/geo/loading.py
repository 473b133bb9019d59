"""Load the committed administrative-unit data (ocop/geo/data/admin_units.json.gz, built by
scripts/build_geo_data.py) into the database."""

import datetime
import functools
import gzip
import json
from pathlib import Path

from django.db import transaction

from ocop.core.memo import memos_clear
from ocop.core.text import fold_compact, nfc
from ocop.geo.models import AdminUnit, AdminUnitSuccession

DATA_FILE = Path(__file__).resolve().parent / "data" / "admin_units.json.gz"
BATCH = 500  # keeps each INSERT under SQLite's bound-parameter limit
Level = AdminUnit.Level
Gen = AdminUnit.Generation


@functools.cache
def read_data() -> dict:
    """The parsed data file (cached: it never changes while the process runs)."""
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _expected_units(data: dict) -> int:
    counts = data["meta"]["counts"]
    return sum(counts[k] for k in counts if not k.endswith("_successions"))


def _expected_successions(data: dict) -> int:
    return sum(v for k, v in data["meta"]["counts"].items() if k.endswith("_successions"))


def load_admin_units() -> dict:
    """Create the units and successions that are missing; idempotent.

    Fast path: when the tables already hold exactly the expected number of rows, nothing is read back
    and the call returns at once. Otherwise only missing rows are inserted (bulk), so a partial load is
    completed without touching rows other apps may already reference. Returns counts of created rows.
    """
    data = read_data()
    if AdminUnit.objects.count() == _expected_units(
        data
    ) and AdminUnitSuccession.objects.count() == _expected_successions(data):
        return {"units_created": 0, "successions_created": 0, "already_loaded": True}
    with transaction.atomic():
        units = _load_units(data)
        successions = _load_successions(data)
    from ocop.geo.resolver import reset_indexes

    reset_indexes()
    memos_clear()  # a name looked up before the load was remembered as unknown
    return {"units_created": units, "successions_created": successions, "already_loaded": False}


def _period(generation: str, data: dict) -> tuple[datetime.date | None, datetime.date | None]:
    meta = data["meta"]
    if generation == Gen.LEGACY:
        return None, datetime.date.fromisoformat(meta["legacy_valid_until"])
    return datetime.date.fromisoformat(meta["current_valid_from"]), None


def _ids(level: str, generation: str) -> dict[str, int]:
    return dict(AdminUnit.objects.filter(level=level, generation=generation).values_list("code", "pk"))


def _create(level: str, generation: str, rows: list, parent_ids: dict | None, provinces: dict | None, data) -> int:
    """Insert the rows of one (level, generation) that are not there yet.

    Row shapes: province [code, kind, name, lat, lon, aliases]; district / commune
    [code, parent_code, kind, name, lat, lon]. `provinces` maps a parent code to its province code.
    """
    existing = _ids(level, generation)
    valid_from, valid_until = _period(generation, data)
    new = []
    for row in rows:
        if row[0] in existing:
            continue
        if level == Level.PROVINCE:
            code, kind, name, lat, lon = row[:5]
            parent_id, province_code = None, code
        else:
            code, parent_code, kind, name, lat, lon = row
            parent_id, province_code = parent_ids[parent_code], (provinces or {}).get(parent_code, parent_code)
        name, kind = nfc(name), nfc(kind)
        new.append(
            AdminUnit(
                code=code, level=level, generation=generation, kind=kind, name=name, full_name=f"{kind} {name}",
                name_key=fold_compact(name), parent_id=parent_id, province_code=province_code,
                valid_from=valid_from, valid_until=valid_until, latitude=lat, longitude=lon,
            )
        )  # fmt: skip
    AdminUnit.objects.bulk_create(new, batch_size=BATCH)
    return len(new)


def _load_units(data: dict) -> int:
    created = 0
    for generation, block in ((Gen.Y2025, data["current"]), (Gen.LEGACY, data["legacy"])):
        created += _create(Level.PROVINCE, generation, block["provinces"], None, None, data)
        province_ids = _ids(Level.PROVINCE, generation)
        if "districts" in block:
            created += _create(Level.DISTRICT, generation, block["districts"], province_ids, None, data)
            district_province = {row[0]: row[1] for row in block["districts"]}
            district_ids = _ids(Level.DISTRICT, generation)
            created += _create(Level.COMMUNE, generation, block["communes"], district_ids, district_province, data)
        else:
            created += _create(Level.COMMUNE, generation, block["communes"], province_ids, None, data)
    return created


def _load_successions(data: dict) -> int:
    effective_on = datetime.date.fromisoformat(data["meta"]["current_valid_from"])
    existing = set(AdminUnitSuccession.objects.values_list("predecessor_id", "successor_id"))
    new = []
    for level, successor_level in (
        (Level.COMMUNE, Level.COMMUNE),
        (Level.DISTRICT, Level.PROVINCE),
        (Level.PROVINCE, Level.PROVINCE),
    ):
        old_ids, new_ids = _ids(level, Gen.LEGACY), _ids(successor_level, Gen.Y2025)
        for old_code, new_codes, default in data["successions"][level]:
            for new_code in new_codes:
                pair = (old_ids[old_code], new_ids[new_code])
                if pair not in existing:
                    new.append(
                        AdminUnitSuccession(
                            predecessor_id=pair[0], successor_id=pair[1], is_default=new_code == default,
                            effective_on=effective_on,
                        )
                    )  # fmt: skip
    AdminUnitSuccession.objects.bulk_create(new, batch_size=BATCH)
    return len(new)
