"""Load the OCOP classification (Annex I) of each criteria version from the project's data/criteria.

The files are the source of truth (DESIGN.md §4: criteria are versioned data, never constants). 148/2023's
Annex I was never recovered: its file lists the product-set names plus the same-ordinal 26/2026 entries as a
labelled proxy, so its industries/groups/subgroups are loaded with `is_proxy=True`.
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ocop.core.text import fold_compact, nfc
from ocop.registry.models import CriteriaVersion, ProductCategory

Level = ProductCategory.Level

VERSIONS = {
    "26_2026": {"name": "Quyết định 26/2026/QĐ-TTg", "effective_on": datetime.date(2026, 5, 22), "is_current": True},
    "148_2023": {"name": "Quyết định 148/QĐ-TTg", "effective_on": datetime.date(2023, 2, 24), "is_current": False},
    "1048_2019": {"name": "Quyết định 1048/QĐ-TTg", "effective_on": datetime.date(2019, 8, 21), "is_current": False},
}


def criteria_dir() -> Path:
    return Path(settings.REFERENCE_DATA_DIR) / "criteria"


def _read(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


class _Writer:
    """Upserts categories of one version, keyed by (level, code), remembering the order they appear in."""

    def __init__(self, version: CriteriaVersion):
        self.version = version
        self.position = 0
        self.seen: set[tuple[str, str]] = set()

    def put(self, *, level, code, name, parent=None, authority="", sheet_file="", classification_code="", proxy=False):
        self.position += 1
        self.seen.add((level, code))
        name = nfc(name)
        obj, _created = ProductCategory.objects.update_or_create(
            version=self.version,
            level=level,
            code=code,
            defaults={
                "name": name,
                "name_key": fold_compact(name),
                "parent": parent,
                "managing_authority": nfc(authority),
                "sheet_file": sheet_file,
                "classification_code": classification_code,
                "is_proxy": proxy,
                "position": self.position,
            },
        )
        return obj

    def product_set(self, node: dict, parent: ProductCategory, folder: str, classification_code: str):
        ps = node.get("product_set")
        if not ps:
            return
        self.put(
            level=Level.PRODUCT_SET,
            code=str(ps["code"]),
            name=ps["name"],
            parent=parent,
            authority=node.get("managing_authority") or "",
            sheet_file=f"{folder}/{ps['file']}" if ps.get("file") else "",
            classification_code=classification_code,
        )


def _load_annex(writer: _Writer, data: dict, folder: str) -> None:
    for industry in data["industries"]:
        ind = writer.put(level=Level.INDUSTRY, code=industry["code"], name=industry["name"])
        writer.product_set(industry, ind, folder, industry["code"])
        for group in industry.get("groups") or []:
            grp = writer.put(
                level=Level.GROUP,
                code=group["code"],
                name=group["name"],
                parent=ind,
                authority=group.get("managing_authority") or "",
            )
            writer.product_set(group, grp, folder, group["code"])
            for sub in group.get("subgroups") or []:
                node = writer.put(
                    level=Level.SUBGROUP,
                    code=sub["code"],
                    name=sub["name"],
                    parent=grp,
                    authority=sub.get("managing_authority") or "",
                )
                writer.product_set(sub, node, folder, sub["code"])


def _load_proxy(writer: _Writer, data: dict, folder: str) -> None:
    sheets = {p.name[:2].lstrip("0"): p.name for p in (criteria_dir() / folder / "sheets").glob("*.json")}
    for entry in data["product_sets"]:
        proxy = entry.get("proxy_classification_26_2026") or {}
        parent = None
        for level, key in ((Level.INDUSTRY, "industry"), (Level.GROUP, "group"), (Level.SUBGROUP, "subgroup")):
            node = proxy.get(key)
            if node:
                parent = writer.put(level=level, code=node["code"], name=node["name"], parent=parent, proxy=True)
        name = entry["name_in_csv_file"].split("_", 1)[-1]
        code = str(entry["code"])
        writer.put(
            level=Level.PRODUCT_SET,
            code=code,
            name=name,
            parent=parent,
            authority=proxy.get("managing_authority") or "",
            sheet_file=f"{folder}/sheets/{sheets[code]}" if code in sheets else "",
            classification_code=proxy.get("classification_code", ""),
            proxy=True,
        )


@transaction.atomic
def load_classifications() -> dict[str, int]:
    """Create or update the three criteria versions and their categories; idempotent.

    Returns the number of categories per version code. Categories no longer in a file are deleted
    unless products refer to them (then they are kept, so no reference is lost).
    """
    index = {v["dir"]: v for v in _read(criteria_dir() / "index.json")["versions"]}
    counts = {}
    for code, meta in VERSIONS.items():
        folder = criteria_dir() / code
        version_info = _read(folder / "index.json")
        decision = version_info.get("decision") or {}
        data = _read(folder / "classification.json")
        parts = version_info.get("part_max_points") or index.get(code, {}).get("part_max_points", {})
        official = "industries" in data
        version, _created = CriteriaVersion.objects.update_or_create(
            code=code,
            defaults={
                "name": meta["name"],
                "decision": decision.get("number") or data.get("decision", ""),
                "effective_on": meta["effective_on"],
                "part_max_points": parts,
                "is_current": meta["is_current"],
                "classification_is_official": official,
                "source_note": str(index.get(code, {}).get("source_quality", "")),
            },
        )
        writer = _Writer(version)
        if official:
            _load_annex(writer, data, code)
        else:
            _load_proxy(writer, data, code)
        stale = ProductCategory.objects.filter(version=version).exclude(products__isnull=False)
        for obj in stale:
            if (obj.level, obj.code) not in writer.seen:
                obj.delete()
        counts[code] = len(writer.seen)
    return counts


def category_current_version() -> CriteriaVersion | None:
    return CriteriaVersion.objects.filter(is_current=True).first()
