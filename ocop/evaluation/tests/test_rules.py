"""Pure scoring rules: table-driven and property tests. The bands are those of 26/2026/QĐ-TTg Điều 3 khoản 3,
read from the regimes data file like the application does."""

import json
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ocop.evaluation.loading import REGIMES_FILE
from ocop.evaluation.rules import (
    NO_OPTIONS_PRINTED,
    SUM_OF_SELECTED,
    CriterionSpec,
    MemberSheet,
    OptionSpec,
    RoundingRule,
    ScoringError,
    ScoringPolicy,
    SheetSpec,
    StarBand,
    council_mean,
    council_result,
    criterion_points,
    minimums_missed,
    part_subtotals,
    round_score,
    sheet_total,
    spread_exceeds,
    star_band,
    star_minimum,
    star_rating,
    validate_bands,
)


def _regime(code="26_2026"):
    data = json.loads(REGIMES_FILE.read_text(encoding="utf-8"))
    return next(r for r in data["regimes"] if r["code"] == code)


POLICY = ScoringPolicy.from_dict(bands=_regime()["star_bands"], scoring=_regime()["scoring"])
BANDS = POLICY.bands
HALF_UP_2 = RoundingRule(decimals=2, mode="half_up")


def crit(key, part, max_points, *options, scoring="single_choice"):
    """options: points, or (points, min_star)."""
    specs = tuple(
        OptionSpec(points=o[0], min_star=o[1]) if isinstance(o, tuple) else OptionSpec(points=o) for o in options
    )
    return CriterionSpec(key=key, code=key, part=part, max_points=max_points, scoring=scoring, options=specs)


# A small sheet: A 40 / B 25 / C 35, with a 3★ minimum on "a2" and 4★/5★ minimums on "c1".
SHEET = SheetSpec(
    criteria=(
        crit("a1", "A", 30, 0, 10, 20, 30),
        crit("a2", "A", 10, 0, (5, 3), 10),
        crit("b1", "B", 25, 0, 10, 25),
        crit("c1", "C", 34, 0, 10, (20, 4), (34, 5)),
        crit("c2", "C", 1, scoring=NO_OPTIONS_PRINTED),
    ),
    part_max_points={"A": 40, "B": 25, "C": 35},
)
FULL = {"a1": 30, "a2": 10, "b1": 25, "c1": 34, "c2": 1}


# --- sheet total ------------------------------------------------------------------------------------------------


def test_sheet_total_is_the_sum_of_the_chosen_points():
    assert sheet_total(SHEET, FULL) == 100
    assert sheet_total(SHEET, {"a1": 10, "a2": 5, "b1": 0, "c1": 20, "c2": 0}) == 35


def test_part_subtotals_cover_every_part():
    assert part_subtotals(SHEET, {"a1": 10, "a2": 5, "b1": 0, "c1": 20, "c2": 1}) == {"A": 15, "B": 0, "C": 21}
    assert part_subtotals(SHEET, {}, require_complete=False) == {"A": 0, "B": 0, "C": 0}


@pytest.mark.parametrize(
    ("key", "chosen"),
    [("a1", 15), ("a1", 31), ("a1", -10), ("a1", True), ("a1", "10"), ("c2", 2), ("a2", [5])],
)
def test_points_not_printed_for_the_criterion_are_refused(key, chosen):
    with pytest.raises(ScoringError) as excinfo:
        sheet_total(SHEET, FULL | {key: chosen})
    assert key in excinfo.value.fields


def test_incomplete_sheet_is_refused_unless_partial_scoring_is_asked():
    choices = {"a1": 30, "b1": 25}
    with pytest.raises(ScoringError):
        sheet_total(SHEET, choices)
    assert sheet_total(SHEET, choices, require_complete=False) == 55


def test_unknown_criterion_is_refused():
    with pytest.raises(ScoringError):
        sheet_total(SHEET, FULL | {"zz": 1})


def test_option_printed_without_points_cannot_be_chosen():
    criterion = CriterionSpec(key="k", code="1.2", part="A", max_points=2, options=(OptionSpec(None), OptionSpec(1)))
    assert criterion.allowed_points() == (1,)
    with pytest.raises(ScoringError):
        criterion_points(criterion, 0)


def test_sum_of_selected_adds_each_ticked_option_once():
    # 1048 sheet 26 Part C, criterion 6 "Vị trí": options 1, 1, 2, 1 summing to the maximum 5.
    criterion = crit("6", "C", 5, 1, 1, 2, 1, scoring=SUM_OF_SELECTED)
    assert criterion_points(criterion, [1, 1, 2, 1]) == 5
    assert criterion_points(criterion, [2]) == 2
    assert criterion_points(criterion, []) == 0
    with pytest.raises(ScoringError):
        criterion_points(criterion, [2, 2])  # only one 2-point option is printed


# --- council mean, rounding, spread -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "mode", "decimals", "expected"),
    [
        (Fraction(89995, 1000), "half_up", 2, "90.00"),
        (Fraction(899949, 10000), "half_up", 2, "89.99"),
        (Fraction(70, 3), "half_up", 2, "23.33"),
        (Fraction(1, 8), "half_up", 2, "0.13"),
        (Fraction(1, 8), "half_even", 2, "0.12"),
        (Fraction(3, 8), "half_even", 2, "0.38"),
        (Fraction(89999, 1000), "down", 2, "89.99"),
        (Fraction(179, 2), "half_up", 0, "90"),
    ],
)
def test_round_score(value, mode, decimals, expected):
    assert round_score(value, RoundingRule(decimals=decimals, mode=mode)) == Decimal(expected)
    assert str(round_score(value, RoundingRule(decimals=decimals, mode=mode))) == expected


def test_mean_of_no_sheet_is_refused():
    with pytest.raises(ScoringError) as excinfo:
        council_mean([])
    assert excinfo.value.code == "no_submitted_sheets"


@pytest.mark.parametrize(
    ("totals", "flag"), [([70, 80], False), ([70, 80, 81], True), ([75], False), ([60, 70, 70, 69], False)]
)
def test_spread_flag_is_raised_above_the_threshold_only(totals, flag):
    assert spread_exceeds(totals, POLICY.spread_threshold) is flag


# --- bands ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "stars"),
    [
        ("0", 1),
        ("29.99", 1),
        ("30", 2),
        ("49.99", 2),
        ("50", 3),
        ("69.99", 3),
        ("70", 4),
        ("89.99", 4),
        ("89.995", 4),
        ("90", 5),
        ("100", 5),
    ],
)
def test_star_band_edges(total, stars):
    assert star_band(Fraction(total), BANDS) == stars


def test_total_outside_the_bands_is_refused():
    with pytest.raises(ScoringError):
        star_band(101, BANDS)


def test_overlapping_bands_are_refused():
    with pytest.raises(ScoringError):
        validate_bands([StarBand(4, Fraction(70), below=Fraction(91)), StarBand(5, Fraction(90), up_to=Fraction(100))])


def test_every_regime_of_the_data_file_has_valid_bands_and_policy():
    data = json.loads(REGIMES_FILE.read_text(encoding="utf-8"))
    for regime in data["regimes"]:
        ScoringPolicy.from_dict(bands=regime["star_bands"], scoring=regime["scoring"])


# --- star minimums ----------------------------------------------------------------------------------------------


def test_star_minimum_follows_the_highest_marker_at_or_below_the_level():
    a2, c1 = SHEET.criterion("a2"), SHEET.criterion("c1")
    assert [star_minimum(a2, s) for s in (1, 2, 3, 4, 5)] == [None, None, 5, 5, 5]
    assert [star_minimum(c1, s) for s in (3, 4, 5)] == [None, 20, 34]


def test_a_75_point_product_missing_a_4_star_minimum_gets_3_stars():
    # given 75 points with c1 below its 4★ minimum (20) but the 3★ minimum of a2 met
    choices = {"a1": 30, "a2": 10, "b1": 25, "c1": 10, "c2": 0}
    total = sheet_total(SHEET, choices)
    assert total == 75
    # when / then
    assert star_band(total, BANDS) == 4
    assert star_rating(total=total, achieved=choices, sheet=SHEET, bands=BANDS) == 3


def test_missing_a_3_star_minimum_drops_to_2_stars():
    choices = {"a1": 30, "a2": 0, "b1": 25, "c1": 20, "c2": 1}
    assert sheet_total(SHEET, choices) == 76
    assert star_rating(total=76, achieved=choices, sheet=SHEET, bands=BANDS) == 2


def test_minimums_do_not_lift_a_total_into_a_higher_band():
    assert star_rating(total=Fraction(6999, 100), achieved=FULL, sheet=SHEET, bands=BANDS) == 3


def test_minimums_missed_lists_each_unmet_requirement_for_a_target_star():
    achieved = {"a1": 30, "a2": 0, "c1": 20}
    missed = minimums_missed(SHEET, achieved, 5)
    assert [(m.criterion_key, m.required_points, m.achieved_points) for m in missed] == [("a2", 5, 0), ("c1", 34, 20)]
    assert [m.criterion_key for m in minimums_missed(SHEET, {}, 3)] == ["a2"]  # unscored counts as missed
    assert minimums_missed(SHEET, FULL, 5) == []


def test_council_result_averages_submitted_sheets_and_gates_on_criterion_means():
    members = [
        MemberSheet("m1", {"a1": 30, "a2": 10, "b1": 25, "c1": 20, "c2": 1}),  # 86
        MemberSheet("m2", {"a1": 30, "a2": 10, "b1": 25, "c1": 10, "c2": 0}),  # 75
        MemberSheet("m3", {"a1": 0, "a2": 0, "b1": 0, "c1": 0, "c2": 0}, submitted=False),
    ]
    result = council_result(sheet=SHEET, members=members, policy=POLICY)
    assert result.member_totals == {"m1": 86, "m2": 75}
    assert result.mean_exact == Fraction(161, 2)
    assert result.mean == Decimal("80.50")
    assert result.spread == 11 and result.spread_flag is True
    # c1's mean is 15 < 20 (4★ minimum): banded 4★, awarded 3★, with the reason listed
    assert (result.band_stars, result.stars) == (4, 3)
    assert [(m.criterion_key, m.required_points, m.achieved_points) for m in result.missed] == [("c1", 20, 15)]


def test_council_result_without_submitted_sheets_is_refused():
    with pytest.raises(ScoringError):
        council_result(sheet=SHEET, members=[MemberSheet("m", FULL, submitted=False)], policy=POLICY)


# --- properties -------------------------------------------------------------------------------------------------

option_points = st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=5)


@st.composite
def sheets_and_choices(draw):
    criteria, choices, expected = [], {}, 0
    for i, points in enumerate(draw(st.lists(option_points, min_size=1, max_size=12))):
        c = crit(f"k{i}", draw(st.sampled_from("ABC")), max(points), *points)
        criteria.append(c)
        chosen = draw(st.sampled_from(points))
        choices[c.key] = chosen
        expected += chosen
    return SheetSpec(criteria=tuple(criteria), part_max_points={"A": 40, "B": 25, "C": 35}), choices, expected


@given(sheets_and_choices())
def test_property_total_is_sum_of_chosen_options_and_of_part_subtotals(case):
    sheet, choices, expected = case
    assert sheet_total(sheet, choices) == expected
    assert sum(part_subtotals(sheet, choices).values()) == expected


@given(st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=15))
def test_property_mean_is_exact_and_rounds_half_up(totals):
    mean = council_mean(totals)
    assert mean * len(totals) == sum(totals)
    exact = Decimal(mean.numerator) / Decimal(mean.denominator)  # 28 significant digits is plenty here
    assert round_score(mean, HALF_UP_2) == exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert min(totals) <= mean <= max(totals)


@given(st.fractions(min_value=0, max_value=100))
def test_property_every_total_falls_in_exactly_one_band(total):
    containing = [b.stars for b in BANDS if b.contains(total)]
    assert containing == [star_band(total, BANDS)]


@given(
    st.integers(min_value=0, max_value=100),
    st.fixed_dictionaries({"a2": st.sampled_from([0, 5, 10]), "c1": st.sampled_from([0, 10, 20, 34])}),
)
def test_property_gate_never_raises_the_band_and_the_awarded_star_has_no_missed_minimum(total, achieved):
    stars = star_rating(total=total, achieved=achieved, sheet=SHEET, bands=BANDS)
    assert stars <= star_band(total, BANDS)
    assert minimums_missed(SHEET, achieved, stars) == []


def test_scoring_errors_are_translated():
    from django.utils import translation

    from ocop.evaluation.sheet_checks import Issue

    issue = Issue("sheet_total", {"actual": 101, "expected": 100})
    with translation.override("en"):
        assert issue.message() == "The sheet's maximum total is 101, not 100."
        with pytest.raises(ScoringError) as excinfo:
            council_mean([])
        assert str(excinfo.value.message) == "No score sheet has been submitted yet."
    with translation.override("vi"):
        assert issue.message() == "Tổng điểm tối đa của phiếu là 101, không phải 100."
