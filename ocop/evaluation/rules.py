"""Pure scoring rules: dataclasses in, numbers out. No ORM, no I/O.

Every number these rules use — criterion maxima, option points, star markers, star bands, rounding,
the spread threshold — comes from data (the criteria sheets and `data/regimes.json`), never from
constants here (DESIGN.md §4).

Legal basis (26/2026/QĐ-TTg):
- Điều 3 khoản 1: a sheet has parts A/B/C; each criterion scores the points of the chosen option.
- Điều 3 khoản 3: the star band follows the council's average total ("Tổng điểm trung bình").
- Phụ lục II, legend: "Dấu sao là yêu cầu tối thiểu phải đạt theo các cấp độ sao" — an option marked
  with n asterisks is the minimum a product must reach on that criterion to get n stars.

Interpretations the decision leaves open are recorded in docs/decisions/0004-score-rounding.md.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from ocop.core.errors import ValidationError

SINGLE_CHOICE = "single_choice"
# 1048/QĐ-TTg Phụ lục III sheet 26 Part C: "(Được cộng tổng điểm các nội dung ghi Có)" — every ticked option adds up.
SUM_OF_SELECTED = "sum_of_selected"
# 26/2026 criterion 2.4 (bilingual label) prints only a maximum; read as yes/no (0 or the maximum).
NO_OPTIONS_PRINTED = "no_options_printed"
SCORING_KINDS = (SINGLE_CHOICE, SUM_OF_SELECTED, NO_OPTIONS_PRINTED)

ROUNDING_MODES = ("half_up", "half_even", "down")

Number = int | Fraction | Decimal


class ScoringError(ValidationError):
    code = "scoring_invalid"
    default_message = _("Phiếu đánh giá không hợp lệ.")


# --- data shapes ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionSpec:
    """One printed answer option. `min_star` is the asterisk marker (3, 4 or 5) or None."""

    points: int | None
    min_star: int | None = None
    text: str = ""


@dataclass(frozen=True)
class CriterionSpec:
    """One scored criterion. `key` identifies it within the sheet: the printed code is not always unique
    (1048 sheet 14 prints "6.1.3" twice), so callers use a row id or the position as the key."""

    key: str
    code: str
    part: str
    max_points: int
    scoring: str = SINGLE_CHOICE
    options: tuple[OptionSpec, ...] = ()

    def allowed_points(self) -> tuple[int, ...]:
        """The points a member may give on this criterion (for single choice and yes/no)."""
        if self.scoring == NO_OPTIONS_PRINTED:
            return (0, self.max_points)
        return tuple(sorted({o.points for o in self.options if o.points is not None}))


@dataclass(frozen=True)
class SheetSpec:
    """A scoring sheet: its criteria in printed order and the part maxima of its criteria version."""

    criteria: tuple[CriterionSpec, ...]
    part_max_points: Mapping[str, int]

    def criterion(self, key: str) -> CriterionSpec:
        for c in self.criteria:
            if c.key == key:
                return c
        raise ScoringError(_("Tiêu chí không thuộc phiếu đánh giá: %(key)s") % {"key": key}, fields={"criterion": key})


@dataclass(frozen=True)
class StarBand:
    """A star band: total ≥ `min_points` and (< `below`, or ≤ `up_to` for the top band)."""

    stars: int
    min_points: Fraction
    below: Fraction | None = None
    up_to: Fraction | None = None

    def contains(self, total: Number) -> bool:
        value = Fraction(total)
        if value < self.min_points:
            return False
        if self.below is not None and value >= self.below:
            return False
        return not (self.up_to is not None and value > self.up_to)

    @classmethod
    def from_dict(cls, data: Mapping) -> StarBand:
        """Build from the data shape of the criteria index ({"stars", "min", "max" | "max_exclusive"})."""

        def frac(value):
            return None if value is None else Fraction(str(value))

        return cls(
            stars=int(data["stars"]),
            min_points=frac(data["min"]),
            below=frac(data.get("max_exclusive")),
            up_to=frac(data.get("max")),
        )


@dataclass(frozen=True)
class RoundingRule:
    """How the council's mean is recorded: `decimals` places, `mode` one of ROUNDING_MODES."""

    decimals: int
    mode: str


@dataclass(frozen=True)
class ScoringPolicy:
    """The configurable part of a regime's scoring (regimes.json → "scoring" and "star_bands")."""

    bands: tuple[StarBand, ...]
    rounding: RoundingRule
    spread_threshold: Fraction

    @classmethod
    def from_dict(cls, *, bands: Iterable[Mapping], scoring: Mapping) -> ScoringPolicy:
        policy = cls(
            bands=tuple(StarBand.from_dict(b) for b in bands),
            rounding=RoundingRule(decimals=int(scoring["decimals"]), mode=scoring["rounding"]),
            spread_threshold=Fraction(str(scoring["spread_threshold"])),
        )
        validate_bands(policy.bands)
        if policy.rounding.mode not in ROUNDING_MODES or policy.rounding.decimals < 0:
            raise ScoringError(_("Quy tắc làm tròn không hợp lệ."))
        return policy


@dataclass(frozen=True)
class MemberSheet:
    """One council member's sheet: criterion key → chosen points (a list for sum-of-selected criteria)."""

    member: str
    choices: Mapping[str, int | Sequence[int]]
    submitted: bool = True


@dataclass(frozen=True)
class MissedMinimum:
    """A star minimum not reached: the criterion, the points required and the points achieved (None = unscored)."""

    criterion_key: str
    criterion_code: str
    stars: int
    required_points: int
    achieved_points: Number | None


@dataclass(frozen=True)
class CouncilResult:
    """The council's result for one product. `band_stars` is the band of the mean alone; `stars` is after the
    star-minimum gate; `missed` lists the minimums that kept the product below `band_stars`."""

    member_totals: Mapping[str, int]
    mean_exact: Fraction
    mean: Decimal
    spread: int
    spread_flag: bool
    band_stars: int
    stars: int
    missed: tuple[MissedMinimum, ...]


# --- one member's sheet -------------------------------------------------------------------------------------


def criterion_points(criterion: CriterionSpec, chosen: int | Sequence[int]) -> int:
    """Points a member gives on one criterion, validated against the printed options.

    Single choice and yes/no: `chosen` must be one of `criterion.allowed_points()`. Sum of selected
    (1048 sheet 26 Part C): `chosen` is the list of ticked options' points; each tick must match a distinct
    printed option. Raises ScoringError otherwise (also for options printed without points: they cannot
    be chosen until a central officer corrects them).
    """
    if criterion.scoring == SUM_OF_SELECTED:
        picks = [chosen] if isinstance(chosen, int) else list(chosen)
        available = Counter(o.points for o in criterion.options if o.points is not None)
        if any(not isinstance(p, int) for p in picks) or Counter(picks) - available:
            raise _bad_choice(criterion, picks)
        total = sum(picks)
        if total > criterion.max_points:
            raise _bad_choice(criterion, picks)
        return total
    if isinstance(chosen, bool) or not isinstance(chosen, int) or chosen not in criterion.allowed_points():
        raise _bad_choice(criterion, chosen)
    return chosen


def _bad_choice(criterion: CriterionSpec, chosen) -> ScoringError:
    return ScoringError(
        _("Điểm %(points)s không thuộc các mức điểm của tiêu chí %(code)s.")
        % {"points": chosen, "code": criterion.code},
        fields={criterion.key: _("Chọn một mức điểm có trong phiếu.")},
    )


def scored_points(
    sheet: SheetSpec, choices: Mapping[str, int | Sequence[int]], *, require_complete: bool
) -> dict[str, int]:
    """Validated points per criterion key. With `require_complete`, every criterion must be answered."""
    keys = {c.key for c in sheet.criteria}
    unknown = sorted(set(choices) - keys)
    if unknown:
        raise ScoringError(
            _("Tiêu chí không thuộc phiếu đánh giá: %(key)s") % {"key": ", ".join(unknown)},
            fields={k: _("Không thuộc phiếu.") for k in unknown},
        )
    if require_complete:
        missing = [c for c in sheet.criteria if c.key not in choices]
        if missing:
            raise ScoringError(
                _("Chưa chấm tiêu chí: %(codes)s") % {"codes": ", ".join(c.code for c in missing)},
                fields={c.key: _("Chưa chấm.") for c in missing},
            )
    return {c.key: criterion_points(c, choices[c.key]) for c in sheet.criteria if c.key in choices}


def sheet_total(sheet: SheetSpec, choices: Mapping[str, int | Sequence[int]], *, require_complete: bool = True) -> int:
    """A member's total: the sum of the chosen options' points (26/2026/QĐ-TTg Điều 3 khoản 1).

    `require_complete=False` scores a partial sheet (live self-assessment); unanswered criteria count 0.
    """
    return sum(scored_points(sheet, choices, require_complete=require_complete).values())


def part_subtotals(
    sheet: SheetSpec, choices: Mapping[str, int | Sequence[int]], *, require_complete: bool = True
) -> dict[str, int]:
    """Points per part code ("A", "B", "C"), every part of the sheet present (0 when nothing is scored)."""
    points = scored_points(sheet, choices, require_complete=require_complete)
    subtotals = dict.fromkeys(sheet.part_max_points, 0)
    for c in sheet.criteria:
        subtotals[c.part] = subtotals.get(c.part, 0) + points.get(c.key, 0)
    return subtotals


# --- council ------------------------------------------------------------------------------------------------


def round_score(value: Number, rule: RoundingRule) -> Decimal:
    """Round exactly (no binary floating point) to `rule.decimals` places.

    half_up: ties away from zero (89.995 → 90.00); half_even: banker's rounding; down: truncate toward zero.
    """
    exact = Fraction(value)
    scale = 10**rule.decimals
    scaled = exact * scale
    sign = -1 if scaled < 0 else 1
    magnitude = abs(scaled)
    whole, remainder = divmod(magnitude.numerator, magnitude.denominator)
    fraction_part = Fraction(remainder, magnitude.denominator)
    if rule.mode == "down":
        rounded = whole
    elif fraction_part > Fraction(1, 2) or (fraction_part == Fraction(1, 2) and rule.mode == "half_up"):
        rounded = whole + 1
    elif fraction_part == Fraction(1, 2) and rule.mode == "half_even":
        rounded = whole + (whole % 2)
    else:
        rounded = whole
    return Decimal(sign * rounded).scaleb(-rule.decimals)


def council_mean(totals: Sequence[int]) -> Fraction:
    """Arithmetic mean of the members' totals, exact (26/2026/QĐ-TTg Điều 3 khoản 3: "Tổng điểm trung bình")."""
    if not totals:
        raise ScoringError(_("Chưa có phiếu đánh giá nào được nộp."), code="no_submitted_sheets")
    return Fraction(sum(totals), len(totals))


def spread(totals: Sequence[int]) -> int:
    """Largest minus smallest member total (0 for fewer than two members)."""
    return (max(totals) - min(totals)) if totals else 0


def spread_exceeds(totals: Sequence[int], threshold: Number) -> bool:
    """True when members' totals differ by more than `threshold` points, so the council discusses before it
    closes. A platform safeguard, not a rule of the decision (docs/decisions/0004-score-rounding.md)."""
    return spread(totals) > Fraction(threshold)


def validate_bands(bands: Sequence[StarBand]) -> None:
    """Bands must have distinct star counts and must not overlap. Raises ScoringError."""
    ordered = sorted(bands, key=lambda b: b.min_points)
    if len({b.stars for b in bands}) != len(bands) or not bands:
        raise ScoringError(_("Các hạng sao không hợp lệ."), code="bands_invalid")
    for lower, upper in zip(ordered, ordered[1:], strict=False):
        if lower.below is None or lower.below > upper.min_points or lower.stars >= upper.stars:
            raise ScoringError(_("Các hạng sao không hợp lệ."), code="bands_invalid")


def star_band(total: Number, bands: Sequence[StarBand]) -> int:
    """The star band that contains `total` (26/2026/QĐ-TTg Điều 3 khoản 3). Raises if none does."""
    for band in bands:
        if band.contains(total):
            return band.stars
    raise ScoringError(
        _("Tổng điểm %(total)s nằm ngoài các hạng sao.") % {"total": float(Fraction(total))}, code="out_of_bands"
    )


# --- star minimums ------------------------------------------------------------------------------------------


def star_minimum(criterion: CriterionSpec, stars: int) -> int | None:
    """Minimum points `criterion` requires for `stars`, or None when it requires nothing.

    Phụ lục II legend (26/2026): an option marked n asterisks is the minimum for n stars; a higher star level
    inherits the requirement of the highest marker at or below it (a "***" option binds 3★, 4★ and 5★ unless
    a "****" option raises the bar for 4★ and 5★). Options printed without points are ignored here.
    """
    marked = [o for o in criterion.options if o.min_star is not None and o.min_star <= stars and o.points is not None]
    if not marked:
        return None
    top = max(o.min_star for o in marked)
    return min(o.points for o in marked if o.min_star == top)


def minimums_missed(sheet: SheetSpec, achieved: Mapping[str, Number | None], stars: int) -> list[MissedMinimum]:
    """The star minimums of `stars` not reached by `achieved` (criterion key → points, e.g. a council mean
    per criterion or a producer's self-assessment). Unscored criteria with a minimum count as missed."""
    missed = []
    for c in sheet.criteria:
        required = star_minimum(c, stars)
        if required is None:
            continue
        value = achieved.get(c.key)
        if value is None or Fraction(value) < required:
            missed.append(
                MissedMinimum(
                    criterion_key=c.key,
                    criterion_code=c.code,
                    stars=stars,
                    required_points=required,
                    achieved_points=value,
                )
            )
    return missed


def star_rating(
    *, total: Number, achieved: Mapping[str, Number | None], sheet: SheetSpec, bands: Sequence[StarBand]
) -> int:
    """The highest band whose total is reached AND whose star minimums are all met.

    26/2026/QĐ-TTg Phụ lục II: a product cannot get a star level whose marked minimums it misses, whatever its
    total — a 75-point product missing a 4★ minimum gets 3★ (if it meets the 3★ minimums), and so on down.
    """
    value = Fraction(total)
    reached = sorted((b for b in bands if value >= b.min_points), key=lambda b: b.stars, reverse=True)
    if not reached:
        star_band(total, bands)  # raises out_of_bands
    for band in reached:
        if not minimums_missed(sheet, achieved, band.stars):
            return band.stars
    # Only possible when even the lowest band carries minimums (no regime's data does): no star at all.
    return 0


def criterion_means(sheet: SheetSpec, member_points: Sequence[Mapping[str, int]]) -> dict[str, Fraction]:
    """Mean points per criterion across members (the basis of the star-minimum gate on a council result)."""
    count = len(member_points)
    return {c.key: Fraction(sum(p.get(c.key, 0) for p in member_points), count) for c in sheet.criteria}


def council_result(*, sheet: SheetSpec, members: Sequence[MemberSheet], policy: ScoringPolicy) -> CouncilResult:
    """Score a council: each submitted member's complete sheet, their mean, the spread flag, the star.

    - Only submitted sheets count; at least one is required (ScoringError `no_submitted_sheets`).
    - The band is decided on the exact mean; `mean` is the recorded value rounded by `policy.rounding`
      (docs/decisions/0004-score-rounding.md: 89.995 rounds to 90.00 but stays 4★).
    - Minimums are checked on the per-criterion mean of the members (0004, "Star minimums").
    """
    submitted = [m for m in members if m.submitted]
    if not submitted:
        raise ScoringError(_("Chưa có phiếu đánh giá nào được nộp."), code="no_submitted_sheets")
    per_member = [scored_points(sheet, m.choices, require_complete=True) for m in submitted]
    totals = [sum(p.values()) for p in per_member]
    mean_exact = council_mean(totals)
    achieved = criterion_means(sheet, per_member)
    band_stars = star_band(mean_exact, policy.bands)
    stars = star_rating(total=mean_exact, achieved=achieved, sheet=sheet, bands=policy.bands)
    return CouncilResult(
        member_totals={m.member: t for m, t in zip(submitted, totals, strict=True)},
        mean_exact=mean_exact,
        mean=round_score(mean_exact, policy.rounding),
        spread=spread(totals),
        spread_flag=spread_exceeds(totals, policy.spread_threshold),
        band_stars=band_stars,
        stars=stars,
        missed=tuple(minimums_missed(sheet, achieved, band_stars)) if stars != band_stars else (),
    )


# --- calendar and process rules -------------------------------------------------------------------------------


def add_working_days(start: datetime.date, days: int, holidays: Iterable[datetime.date] = ()) -> datetime.date:
    """The day `days` working days after `start` (Saturdays, Sundays and `holidays` skipped; `start` not counted).

    26/2026/QĐ-TTg Điều 7 khoản 2: the commune checks and assesses within 15 working days of receipt. Public
    holidays are data (data/holidays.json), since they move with the lunar calendar and with government decisions.
    """
    off = set(holidays)
    day, left = start, days
    while left > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in off:
            left -= 1
    return day


def month_day(year: int, value: str) -> datetime.date:
    """ "MM-DD" of the data files in `year`."""
    month, day = (int(part) for part in value.split("-"))
    return datetime.date(year, month, day)


@dataclass(frozen=True)
class RoundDates:
    number: int
    forward_by: datetime.date
    decide_by: datetime.date


def round_calendar(rounds: Mapping | None, *, level: str, year: int) -> list[RoundDates]:
    """The regular rounds of `level` ("province" | "central") in `year` from a regime's "rounds" data
    (26/2026/QĐ-TTg Điều 5), numbered in calendar order. Raises ScoringError `round_calendar_missing` when the
    regime has no calendar for the level."""
    entries = (rounds or {}).get(level) or []
    if not entries:
        raise ScoringError(_("Quy trình này không quy định lịch đợt đánh giá."), code="round_calendar_missing")
    dates = sorted((month_day(year, e["forwarded_before"]), month_day(year, e["decided_before"])) for e in entries)
    return [RoundDates(number=i, forward_by=f, decide_by=d) for i, (f, d) in enumerate(dates, start=1)]


@dataclass(frozen=True)
class ReevaluationWindow:
    opens_on: datetime.date
    closes_on: datetime.date

    def contains(self, day: datetime.date) -> bool:
        return self.opens_on <= day <= self.closes_on


def reevaluation_window(*, expires_on: datetime.date, earliest_days: int, latest_days: int) -> ReevaluationWindow:
    """When a re-evaluation may be filed: no earlier than `earliest_days` and no later than `latest_days` before
    the certificate's expiry (26/2026/QĐ-TTg Điều 7 khoản 6: 180 and 120 days, from data)."""
    return ReevaluationWindow(
        opens_on=expires_on - datetime.timedelta(days=earliest_days),
        closes_on=expires_on - datetime.timedelta(days=latest_days),
    )


def certificate_grace_until(*, expires_on: datetime.date, max_days: int) -> datetime.date:
    """Last day a certificate stays valid past its expiry while a re-evaluation filed outside the window is
    pending (26/2026/QĐ-TTg Điều 12 khoản 3: until the decision, at most 180 days past expiry — from data)."""
    return expires_on + datetime.timedelta(days=max_days)


def transition_due_on(*, filed_on: datetime.date | None, reevaluation: bool, transition: Mapping | None):
    """The day a dossier filed before a new regime's cutoff must be finished by, or None.

    26/2026/QĐ-TTg Điều 11-12: dossiers filed before 22/05/2026 and not yet decided continue under 148 as
    amended by 1489 and are finished within 60 days (first evaluation or upgrade) or 30 days (re-evaluation)
    of 22/05/2026. `transition` is the new regime's "transition" data ({"cutoff", "finish_within_days":
    {"first_or_upgrade", "reevaluation"}}); the cutoff, the days and their keys all come from it.
    """
    if not transition or filed_on is None:
        return None
    cutoff = datetime.date.fromisoformat(transition["cutoff"])
    if filed_on >= cutoff:
        return None
    days = (transition.get("finish_within_days") or {}).get("reevaluation" if reevaluation else "first_or_upgrade")
    if days is None:
        return None
    return cutoff + datetime.timedelta(days=int(days))


def transition_overdue(*, due_on: datetime.date | None, decided: bool, on: datetime.date) -> bool:
    """A transition dossier is overdue once its deadline has passed without a decision."""
    return due_on is not None and not decided and due_on < on


def quorum_met(*, rule: Mapping, eligible: int, submitted: int, chair_submitted: bool) -> bool:
    """Whether enough members scored for the council's result to stand.

    `rule` is the council's operating rules as data, e.g. {"min_fraction": "2/3", "chair_required": true}
    (the decision leaves the quorum to each council's rules, Điều 7 khoản 3).
    """
    if eligible <= 0 or submitted <= 0:
        return False
    fraction = Fraction(str(rule.get("min_fraction", "1/2")))
    if Fraction(submitted, eligible) < fraction:
        return False
    return chair_submitted or not rule.get("chair_required", False)


def reception_number(*, sequence: int, province_code: str, commune_code: str, year: int) -> str:
    """ "12/PĐK-68-24823-2026": the reception number of Phụ lục III Mẫu 01 ("…/PĐK-(tỉnh)-(xã)-(năm)")."""
    return f"{sequence}/PĐK-{province_code}-{commune_code}-{year}"


def deviations(member_totals: Mapping[str, int], mean: Number, threshold: Number) -> dict[str, dict]:
    """Each member's total against the council mean; `outlier` when it deviates by more than `threshold`."""
    out = {}
    for member, total in member_totals.items():
        deviation = Fraction(total) - Fraction(mean)
        out[member] = {"total": total, "deviation": float(deviation), "outlier": abs(deviation) > Fraction(threshold)}
    return out
