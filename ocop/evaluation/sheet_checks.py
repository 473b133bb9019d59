"""Pure checks of a criteria sheet's structure (no ORM, no I/O).

A sheet is usable for scoring only when its maxima add up as the decision sets them and every option can be
scored fairly. The same checks run on a sheet parsed from its source file (at load) and on the rows in the
database (after a correction), through the neutral `SheetData` shape.

Errors make a sheet unusable for scoring (`is_valid=False`); warnings are reported and kept visible.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from ocop.evaluation.rules import NO_OPTIONS_PRINTED, SCORING_KINDS, SUM_OF_SELECTED


class SheetFormatError(Exception):
    """The file does not have the shape of a criteria sheet (README § JSON shape); nothing is written."""


@dataclass
class OptionData:
    text: str
    points: int | None
    points_raw: str = ""
    min_star: int | None = None
    case: str = ""
    notes: list = field(default_factory=list)


@dataclass
class CriterionData:
    code: str
    text: str
    max_points: int
    scoring: str
    options: list[OptionData]
    mandatory_for_stars: list = field(default_factory=list)
    star_requirements: list = field(default_factory=list)
    title_star_marker: int | None = None
    notes: list = field(default_factory=list)
    cases: list = field(default_factory=list)
    group_code: str = ""
    source_label: str = ""
    source_anomalies: list = field(default_factory=list)


@dataclass
class SectionData:
    code: str
    name: str
    max_points: int
    criteria: list[CriterionData]
    max_points_basis: str = ""
    criterion_groups: list = field(default_factory=list)
    notes: list = field(default_factory=list)


@dataclass
class PartData:
    code: str
    name: str
    max_points: int
    sections: list[SectionData]
    stated_in_heading: int | None = None
    notes: list = field(default_factory=list)


@dataclass
class SheetData:
    product_set_code: str
    title: str
    parts: list[PartData]
    disqualification: list = field(default_factory=list)
    footer_notes: list = field(default_factory=list)
    source_note: str = ""

    def criteria(self):
        for part in self.parts:
            for section in part.sections:
                for criterion in section.criteria:
                    yield part, section, criterion


@dataclass(frozen=True)
class Issue:
    """One finding: a stable `code` (for machines and tests) and `params` for its message."""

    code: str
    params: dict

    def message(self) -> str:
        return str(MESSAGES[self.code]) % self.params

    def as_dict(self) -> dict:
        return {"code": self.code, "params": self.params, "message": self.message()}


MESSAGES = {
    # errors
    "sheet_total": _("Tổng điểm tối đa của phiếu là %(actual)s, không phải %(expected)s."),
    "part_missing": _("Thiếu phần %(part)s."),
    "part_unexpected": _("Phần %(part)s không có trong bộ tiêu chí."),
    "part_max": _("Phần %(part)s: điểm tối đa ghi %(actual)s, quyết định quy định %(expected)s."),
    "part_sum": _("Phần %(part)s: tổng điểm các tiêu chí là %(actual)s, không phải %(expected)s."),
    "part_sections_sum": _("Phần %(part)s: tổng điểm các mục là %(actual)s, không phải %(expected)s."),
    "section_sum": _("Mục %(section)s: tổng điểm các tiêu chí là %(actual)s, không phải %(expected)s."),
    "duplicate_code": _("Mã tiêu chí %(criterion)s xuất hiện %(count)s lần."),
    "option_over_max": _("Tiêu chí %(criterion)s: phương án %(points)s điểm vượt điểm tối đa %(max)s."),
    "options_sum_over_max": _("Tiêu chí %(criterion)s: tổng các phương án %(actual)s điểm vượt điểm tối đa %(max)s."),
    "option_no_points": _("Tiêu chí %(criterion)s: phương án «%(option)s» không có điểm."),
    "no_options": _("Tiêu chí %(criterion)s không có phương án nào."),
    "unknown_scoring": _("Tiêu chí %(criterion)s: cách tính điểm «%(scoring)s» không được hỗ trợ."),
    "format": _("Tệp không đúng cấu trúc phiếu đánh giá: %(detail)s"),
    "product_set_missing": _("Không có bộ sản phẩm %(product_set)s trong phân loại của phiên bản."),
    "source_changed": _("Tệp nguồn đã thay đổi nhưng phiếu đã có đính chính hoặc đang được sử dụng; giữ nguyên."),
    # warnings
    "max_unreachable": _("Tiêu chí %(criterion)s: phương án cao nhất %(best)s điểm, thấp hơn điểm tối đa %(max)s."),
    "heading_mismatch": _("Phần %(part)s: tiêu đề ghi %(stated)s điểm, quyết định quy định %(expected)s."),
    "title_marker_unenforced": _(
        "Tiêu chí %(criterion)s: dấu sao in ở tên tiêu chí, không xác định được mức tối thiểu nên không áp dụng."
    ),
    "source_note": _("Tiêu chí %(criterion)s: ghi chú của nguồn dữ liệu: %(note)s"),
}

ERROR_CODES = frozenset(
    {
        "sheet_total",
        "part_missing",
        "part_unexpected",
        "part_max",
        "part_sum",
        "part_sections_sum",
        "section_sum",
        "duplicate_code",
        "option_over_max",
        "options_sum_over_max",
        "option_no_points",
        "no_options",
        "unknown_scoring",
        "format",
        "product_set_missing",
        "source_changed",
    }
)


def check_sheet(sheet: SheetData, part_max_points: dict[str, int]) -> tuple[list[Issue], list[Issue]]:
    """Validate a sheet against its version's part maxima. Returns (errors, warnings).

    Errors: the sheet total is not the sum of the version's parts (100); a part's maximum or its criteria or
    sections do not add up to the version's value (26/2026 Điều 3 khoản 1: A 40 / B 25 / C 35; 1048: 35/25/40);
    a section's criteria do not add up to it; a criterion code repeats; an option exceeds its criterion's
    maximum or has no points; a criterion has no options to choose from.
    Warnings: a criterion whose maximum no option reaches; a part heading that disagrees with the decision;
    a star marker with no determinable minimum; notes the source data flags that no check above covers.
    """
    errors: list[Issue] = []
    warnings: list[Issue] = []
    expected_total = sum(part_max_points.values())
    _check_parts(sheet, part_max_points, errors, warnings)
    total = sum(c.max_points for _p, _s, c in sheet.criteria())
    if total != expected_total:
        errors.append(Issue("sheet_total", {"actual": total, "expected": expected_total}))
    counts = Counter(c.code for _p, _s, c in sheet.criteria())
    for code, count in counts.items():
        if count > 1:
            errors.append(Issue("duplicate_code", {"criterion": code, "count": count}))
    for _part, _section, criterion in sheet.criteria():
        found = _check_criterion(criterion, errors, warnings)
        if not found:
            for note in criterion.source_anomalies:
                warnings.append(Issue("source_note", {"criterion": criterion.code, "note": note}))
    return errors, warnings


def _check_parts(sheet, part_max_points, errors, warnings) -> None:
    codes = [p.code for p in sheet.parts]
    for code in part_max_points:
        if code not in codes:
            errors.append(Issue("part_missing", {"part": code}))
    for part in sheet.parts:
        expected = part_max_points.get(part.code)
        if expected is None:
            errors.append(Issue("part_unexpected", {"part": part.code}))
            continue
        if part.max_points != expected:
            errors.append(Issue("part_max", {"part": part.code, "actual": part.max_points, "expected": expected}))
        if part.stated_in_heading is not None and part.stated_in_heading != expected:
            warnings.append(
                Issue("heading_mismatch", {"part": part.code, "stated": part.stated_in_heading, "expected": expected})
            )
        criteria_sum = sum(c.max_points for s in part.sections for c in s.criteria)
        if criteria_sum != expected:
            errors.append(Issue("part_sum", {"part": part.code, "actual": criteria_sum, "expected": expected}))
        sections_sum = sum(s.max_points for s in part.sections)
        if sections_sum != expected:
            errors.append(Issue("part_sections_sum", {"part": part.code, "actual": sections_sum, "expected": expected}))
        for section in part.sections:
            in_section = sum(c.max_points for c in section.criteria)
            if in_section != section.max_points:
                errors.append(
                    Issue(
                        "section_sum", {"section": section.code, "actual": in_section, "expected": section.max_points}
                    )
                )


def _check_criterion(c: CriterionData, errors: list, warnings: list) -> bool:
    """Append the criterion's issues; True when any was found."""
    before = len(errors) + len(warnings)
    code = c.code
    if c.scoring not in SCORING_KINDS:
        errors.append(Issue("unknown_scoring", {"criterion": code, "scoring": c.scoring}))
    elif c.scoring != NO_OPTIONS_PRINTED and not c.options:
        errors.append(Issue("no_options", {"criterion": code}))
    for option in c.options:
        if option.points is None:
            errors.append(Issue("option_no_points", {"criterion": code, "option": option.text[:80]}))
        elif option.points > c.max_points:
            errors.append(Issue("option_over_max", {"criterion": code, "points": option.points, "max": c.max_points}))
    scored = [o.points for o in c.options if o.points is not None]
    if c.scoring == SUM_OF_SELECTED:
        if sum(scored) > c.max_points:
            errors.append(
                Issue("options_sum_over_max", {"criterion": code, "actual": sum(scored), "max": c.max_points})
            )
        elif sum(scored) < c.max_points:
            warnings.append(Issue("max_unreachable", {"criterion": code, "best": sum(scored), "max": c.max_points}))
    elif scored and max(scored) < c.max_points:
        warnings.append(Issue("max_unreachable", {"criterion": code, "best": max(scored), "max": c.max_points}))
    if c.title_star_marker is not None and not any(o.min_star for o in c.options):
        warnings.append(Issue("title_marker_unenforced", {"criterion": code}))
    return len(errors) + len(warnings) > before


def is_error(issue: Issue) -> bool:
    return issue.code in ERROR_CODES


# --- parsing the source file ---------------------------------------------------------------------------------


def _int_or_none(value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise SheetFormatError(f"not an integer: {value!r}")
    return value


def parse_sheet(data: dict) -> SheetData:
    """Turn a sheet file (README § JSON shape) into `SheetData`. Raises SheetFormatError on a wrong shape."""
    try:
        product_set = data["product_set"]
        parts = [_parse_part(p) for p in data["parts"]]
        return SheetData(
            product_set_code=str(product_set["code"]),
            title=str(product_set["name"]),
            parts=parts,
            disqualification=list(data.get("disqualification") or []),
            footer_notes=list(data.get("footer_notes") or []),
            source_note=str(data.get("source") or ""),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise SheetFormatError(f"{type(exc).__name__}: {exc}") from exc


def _parse_part(p: dict) -> PartData:
    return PartData(
        code=str(p["code"]),
        name=str(p["name"]),
        max_points=_int_or_none(p["max_points"]),
        stated_in_heading=_int_or_none(p.get("stated_in_heading")),
        notes=list(p.get("notes") or []),
        sections=[_parse_section(s) for s in p["sections"]],
    )


def _parse_section(s: dict) -> SectionData:
    return SectionData(
        code=str(s["code"]),
        name=str(s["name"]),
        max_points=_int_or_none(s["max_points"]),
        max_points_basis=str(s.get("max_points_basis") or ""),
        criterion_groups=list(s.get("criterion_groups") or []),
        notes=list(s.get("notes") or []),
        criteria=[_parse_criterion(c) for c in s["criteria"]],
    )


def _parse_criterion(c: dict) -> CriterionData:
    if c["max_points"] is None:
        raise SheetFormatError(f"criterion {c.get('code')}: no maximum")
    return CriterionData(
        code=str(c["code"]),
        text=str(c["text"]),
        max_points=_int_or_none(c["max_points"]),
        scoring=str(c["scoring"]),
        mandatory_for_stars=list(c.get("mandatory_for_stars") or []),
        star_requirements=list(c.get("star_requirements") or []),
        title_star_marker=_int_or_none(c.get("criterion_star_marker")),
        notes=list(c.get("notes") or []),
        cases=list(c.get("cases") or []),
        group_code=str(c.get("group_code") or ""),
        source_label=str(c.get("source_label") or ""),
        source_anomalies=list(c.get("source_anomalies") or []),
        options=[
            OptionData(
                text=str(o["text"]),
                points=_int_or_none(o["points"]),
                points_raw=str(o.get("points_raw") or ""),
                min_star=_int_or_none(o.get("star_marker")),
                case=str(o.get("case") or ""),
                notes=list(o.get("notes") or []),
            )
            for o in c["options"]
        ],
    )
