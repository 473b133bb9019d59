"""Load criteria sheets and process regimes from data files (DESIGN.md §4: criteria are versioned data).

`load_criteria` is idempotent: a sheet whose source file is unchanged (same sha256) is left alone, so
corrections made since stay in force. Each sheet is written in its own savepoint — all of its rows or none —
and a sheet that fails its checks is still loaded, marked `is_valid=False` with its report, so the defect is
visible and can be corrected; one bad file never stops the others.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from ocop.evaluation.models import CriteriaPart, CriteriaSection, CriteriaSheet, Criterion, CriterionOption, Regime
from ocop.evaluation.sheet_checks import (
    CriterionData,
    Issue,
    OptionData,
    PartData,
    SectionData,
    SheetData,
    SheetFormatError,
    check_sheet,
    parse_sheet,
)
from ocop.registry.classification import criteria_dir, load_classifications
from ocop.registry.models import CriteriaVersion, ProductCategory

REGIMES_FILE = Path(__file__).resolve().parent / "data" / "regimes.json"
VERSION_CODES = ("26_2026", "148_2023", "1048_2019")


@dataclass
class SheetReport:
    """What happened to one sheet file: `status` is created | replaced | unchanged | rejected | kept."""

    version: str
    product_set: str
    path: str
    status: str
    is_valid: bool
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "version": self.version,
            "product_set": self.product_set,
            "path": self.path,
            "status": self.status,
            "is_valid": self.is_valid,
            "errors": [i.as_dict() for i in self.errors],
            "warnings": [i.as_dict() for i in self.warnings],
        }


@dataclass
class LoadReport:
    sheets: list[SheetReport] = field(default_factory=list)

    @property
    def invalid(self) -> list[SheetReport]:
        return [s for s in self.sheets if not s.is_valid]

    def for_version(self, version: str) -> list[SheetReport]:
        return [s for s in self.sheets if s.version == version]

    def get(self, version: str, product_set: str) -> SheetReport | None:
        return next((s for s in self.sheets if s.version == version and s.product_set == product_set), None)

    def as_dict(self) -> dict:
        return {
            "sheets": [s.as_dict() for s in self.sheets],
            "valid": sum(1 for s in self.sheets if s.is_valid),
            "invalid": len(self.invalid),
        }

    def lines(self, *, verbose: bool = False) -> list[str]:
        """Human-readable report: one line per sheet with a finding (every sheet with `verbose`)."""
        out = []
        for s in self.sheets:
            if not (verbose or s.errors or s.warnings):
                continue
            state = _("hợp lệ") if s.is_valid else _("KHÔNG dùng được để chấm điểm")
            out.append(
                _("%(version)s · bộ %(code)s (%(path)s): %(state)s")
                % {"version": s.version, "code": s.product_set, "path": s.path, "state": state}
            )
            out += [f"  ✗ {i.message()}" for i in s.errors]
            out += [f"  ! {i.message()}" for i in s.warnings]
        out.append(
            _("Tổng cộng: %(valid)s phiếu hợp lệ, %(invalid)s phiếu có lỗi.")
            % {"valid": len(self.sheets) - len(self.invalid), "invalid": len(self.invalid)}
        )
        return out


def load_criteria(versions=None, *, root: Path | None = None) -> LoadReport:
    """Load the scoring sheets of `versions` (codes such as "26_2026"; all three by default). Idempotent.

    Ensures the versions and their product sets exist (registry's `load_classifications`) first. Returns a
    LoadReport listing, per sheet, its status and its errors/warnings; it never raises for a defective file.
    """
    root = Path(root) if root else criteria_dir()
    codes = list(versions or VERSION_CODES)
    if _classifications_missing(codes):
        load_classifications()
    report = LoadReport()
    for code in codes:
        version = CriteriaVersion.objects.get(code=code)
        index = json.loads((root / code / "index.json").read_text(encoding="utf-8"))
        categories = {
            c.code: c for c in ProductCategory.objects.filter(version=version, level=ProductCategory.Level.PRODUCT_SET)
        }
        existing = {
            s.product_set.code: s for s in CriteriaSheet.objects.filter(version=version).select_related("product_set")
        }
        for entry in index["product_sets"]:
            rel = f"{code}/{entry['file']}"
            report.sheets.append(
                _load_one(version, root / rel, rel, str(entry["code"]), categories, existing.get(str(entry["code"])))
            )
    return report


def _classifications_missing(codes) -> bool:
    present = set(
        ProductCategory.objects.filter(level=ProductCategory.Level.PRODUCT_SET, version__code__in=codes)
        .values_list("version__code", flat=True)
        .distinct()
    )
    return bool(set(codes) - present)


def _load_one(version, path: Path, rel: str, code: str, categories, existing) -> SheetReport:
    def rejected(issue, status="rejected"):
        return SheetReport(version.code, code, rel, status, existing.is_valid if existing else False, errors=[issue])

    raw = path.read_bytes() if path.exists() else None
    if raw is None:
        return rejected(Issue("format", {"detail": _("không tìm thấy tệp")}))
    sha = hashlib.sha256(raw).hexdigest()
    if existing is not None and existing.source_sha256 == sha:
        errors, warnings = _stored_issues(existing)
        return SheetReport(version.code, code, rel, "unchanged", existing.is_valid, errors, warnings)
    try:
        data = parse_sheet(json.loads(raw.decode("utf-8")))
    except (ValueError, SheetFormatError) as exc:
        return rejected(Issue("format", {"detail": str(exc)[:200]}))
    category = categories.get(data.product_set_code)
    if category is None or data.product_set_code != code:
        return rejected(Issue("product_set_missing", {"product_set": data.product_set_code}))
    errors, warnings = check_sheet(data, version.part_max_points)
    status = "created"
    try:
        with transaction.atomic():
            if existing is not None:
                if existing.criteria.filter(corrections__isnull=False).exists():
                    return rejected(Issue("source_changed", {}), status="kept")
                existing.delete()
                status = "replaced"
            _write_sheet(version, category, data, rel, sha, errors, warnings)
    except ProtectedError:
        return rejected(Issue("source_changed", {}), status="kept")
    return SheetReport(version.code, code, rel, status, not errors, errors, warnings)


def _stored_issues(sheet: CriteriaSheet) -> tuple[list[Issue], list[Issue]]:
    stored = sheet.load_issues or {}
    return (
        [Issue(i["code"], i["params"]) for i in stored.get("errors", [])],
        [Issue(i["code"], i["params"]) for i in stored.get("warnings", [])],
    )


def issues_payload(errors, warnings) -> dict:
    return {
        "errors": [{"code": i.code, "params": i.params} for i in errors],
        "warnings": [{"code": i.code, "params": i.params} for i in warnings],
    }


def report_text(errors, warnings) -> str:
    return "\n".join([f"✗ {i.message()}" for i in errors] + [f"! {i.message()}" for i in warnings])


def _write_sheet(version, category, data: SheetData, rel: str, sha: str, errors, warnings) -> CriteriaSheet:
    sheet = CriteriaSheet.objects.create(
        version=version,
        product_set=category,
        title=data.title,
        max_points=sum(c.max_points for _p, _s, c in data.criteria()),
        source_path=rel,
        source_sha256=sha,
        source_note=data.source_note,
        disqualification=data.disqualification,
        footer_notes=data.footer_notes,
        is_valid=not errors,
        load_issues=issues_payload(errors, warnings),
        load_report=report_text(errors, warnings),
    )
    criteria, options_per_criterion = [], []
    for p_pos, p in enumerate(data.parts, start=1):
        part = CriteriaPart.objects.create(
            sheet=sheet,
            code=p.code,
            name=p.name,
            max_points=p.max_points,
            stated_in_heading=p.stated_in_heading,
            position=p_pos,
            notes=p.notes,
        )
        for s_pos, s in enumerate(p.sections, start=1):
            section = CriteriaSection.objects.create(
                part=part,
                code=s.code,
                name=s.name,
                max_points=s.max_points,
                max_points_basis=s.max_points_basis,
                criterion_groups=s.criterion_groups,
                notes=s.notes,
                position=s_pos,
            )
            for c in s.criteria:
                criteria.append(_criterion_row(sheet, section, len(criteria) + 1, c))
                options_per_criterion.append(c.options)
    Criterion.objects.bulk_create(criteria)
    if any(c.pk is None for c in criteria):  # databases that do not return ids from bulk inserts
        by_position = dict(Criterion.objects.filter(sheet=sheet).values_list("position", "pk"))
        for c in criteria:
            c.pk = by_position[c.position]
    CriterionOption.objects.bulk_create(
        [
            CriterionOption(
                criterion=criterion,
                position=pos,
                text=o.text,
                points=o.points,
                points_raw=o.points_raw,
                min_star=o.min_star,
                case=o.case,
                notes=o.notes,
            )
            for criterion, options in zip(criteria, options_per_criterion, strict=True)
            for pos, o in enumerate(options, start=1)
        ]
    )
    return sheet


def _criterion_row(sheet, section, position: int, c: CriterionData) -> Criterion:
    return Criterion(
        sheet=sheet,
        section=section,
        position=position,
        code=c.code,
        text=c.text,
        max_points=c.max_points,
        scoring=c.scoring,
        mandatory_for_stars=c.mandatory_for_stars,
        star_requirements=c.star_requirements,
        title_star_marker=c.title_star_marker,
        notes=c.notes,
        cases=c.cases,
        group_code=c.group_code,
        source_label=c.source_label,
        source_anomalies=c.source_anomalies,
    )


# --- re-checking after a correction --------------------------------------------------------------------------


def sheet_data_from_db(sheet: CriteriaSheet) -> SheetData:
    """The sheet as stored (with corrections applied), in the neutral shape the checks read."""
    options: dict[int, list[OptionData]] = {}
    for o in CriterionOption.objects.filter(criterion__sheet=sheet).order_by("criterion_id", "position"):
        options.setdefault(o.criterion_id, []).append(
            OptionData(text=o.text, points=o.points, points_raw=o.points_raw, min_star=o.min_star, case=o.case)
        )
    criteria: dict[int, list[CriterionData]] = {}
    for c in Criterion.objects.filter(sheet=sheet).order_by("position"):
        criteria.setdefault(c.section_id, []).append(
            CriterionData(
                code=c.code,
                text=c.text,
                max_points=c.max_points,
                scoring=c.scoring,
                options=options.get(c.pk, []),
                title_star_marker=c.title_star_marker,
                source_anomalies=c.source_anomalies,
            )
        )
    parts = []
    for p in sheet.parts.order_by("position").prefetch_related("sections"):
        sections = [
            SectionData(code=s.code, name=s.name, max_points=s.max_points, criteria=criteria.get(s.pk, []))
            for s in sorted(p.sections.all(), key=lambda s: s.position)
        ]
        parts.append(
            PartData(
                code=p.code,
                name=p.name,
                max_points=p.max_points,
                sections=sections,
                stated_in_heading=p.stated_in_heading,
            )
        )
    return SheetData(product_set_code=sheet.product_set.code, title=sheet.title, parts=parts)


def sheet_recheck(*, sheet: CriteriaSheet) -> tuple[list[Issue], list[Issue]]:
    """Re-run the checks on the stored sheet and save `is_valid`, `max_points` and the report. Returns them."""
    data = sheet_data_from_db(sheet)
    errors, warnings = check_sheet(data, sheet.version.part_max_points)
    sheet.is_valid = not errors
    sheet.max_points = sum(c.max_points for _p, _s, c in data.criteria())
    sheet.load_issues = issues_payload(errors, warnings)
    sheet.load_report = report_text(errors, warnings)
    sheet.save(update_fields=["is_valid", "max_points", "load_issues", "load_report", "loaded_at"])
    return errors, warnings


# --- regimes -------------------------------------------------------------------------------------------------


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def load_regimes(*, path: Path | None = None) -> int:
    """Create or update the process regimes from `data/regimes.json`; idempotent. Returns how many.

    The star bands and scoring policy of each regime are validated (ScoringPolicy.from_dict) before anything
    is written, so a bad file raises ScoringError and changes nothing.
    """
    from ocop.evaluation.rules import ScoringPolicy

    entries = json.loads(Path(path or REGIMES_FILE).read_text(encoding="utf-8"))["regimes"]
    for entry in entries:
        ScoringPolicy.from_dict(bands=entry["star_bands"], scoring=entry["scoring"])
    versions = {v.code: v for v in CriteriaVersion.objects.all()}
    if any(e["criteria_version"] not in versions for e in entries):
        load_classifications()
        versions = {v.code: v for v in CriteriaVersion.objects.all()}
    for entry in entries:
        Regime.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "decision": entry["decision"],
                "criteria_version": versions[entry["criteria_version"]],
                "effective_from": _date(entry["effective_from"]),
                "effective_until": _date(entry.get("effective_until")),
                "accepts_new_dossiers_until": _date(entry.get("accepts_new_dossiers_until")),
                "star_bands": entry["star_bands"],
                "scoring": entry["scoring"],
                "levels": entry.get("levels") or [],
                "rounds": entry.get("rounds"),
                "deadlines": entry.get("deadlines") or {},
                "transition": entry.get("transition"),
                "data": entry,
            },
        )
    return len(entries)
