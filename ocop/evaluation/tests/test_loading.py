"""Loading the criteria sheets: every 2026 sheet is checked, the defects the criteria README lists are
reported, a second load changes nothing, a broken file leaves nothing half-written."""

import json

import pytest
from django.core.management import call_command

from ocop.core.errors import ValidationError
from ocop.evaluation.loading import load_criteria, load_regimes
from ocop.evaluation.models import CriteriaSheet, Criterion, CriterionOption, Regime
from ocop.evaluation.rules import sheet_total
from ocop.evaluation.selectors import criteria_sheet_get, criteria_sheet_spec, regime_for_filing, regime_scoring_policy

pytestmark = pytest.mark.django_db

# Source defects of data/criteria/README.md §6 that make a sheet unusable for scoring: sums that do
# not add up, options above their criterion's maximum or printed without points, repeated criterion codes.
EXPECTED_INVALID = {
    "1048_2019": {"4", "13", "14", "17", "25", "26"},
    "148_2023": {"11", "12", "13", "17", "18", "19"},
    "26_2026": {"4", "7", "10", "11"},
}
# Flagged by the README but still scorable (a maximum no option reaches, a heading, a source note).
EXPECTED_WARNED_VALID = {"1048_2019": {"7", "19"}, "148_2023": {"3", "7"}, "26_2026": {"23", "26"}}


def test_every_sheet_of_every_version_is_loaded(criteria_loaded):
    assert len(criteria_loaded.sheets) == 78
    for version in EXPECTED_INVALID:
        assert CriteriaSheet.objects.filter(version__code=version).count() == 26
    assert Criterion.objects.filter(sheet__version__code="26_2026").count() == 787
    assert CriterionOption.objects.filter(criterion__sheet__version__code="26_2026").count() == 2535
    assert Criterion.objects.filter(sheet__version__code="1048_2019").count() == 773
    assert Criterion.objects.filter(sheet__version__code="148_2023").count() == 795


@pytest.mark.parametrize("version", sorted(EXPECTED_INVALID))
def test_invalid_sheets_are_exactly_the_known_source_defects(criteria_loaded, version):
    invalid = {s.product_set for s in criteria_loaded.for_version(version) if not s.is_valid}
    assert invalid == EXPECTED_INVALID[version]
    stored = set(
        CriteriaSheet.objects.filter(version__code=version, is_valid=False).values_list("product_set__code", flat=True)
    )
    assert stored == EXPECTED_INVALID[version]


def test_2026_sheets_pass_every_sum_check(criteria_loaded):
    sum_codes = {"sheet_total", "part_sum", "part_sections_sum", "section_sum", "part_max", "duplicate_code"}
    for s in criteria_loaded.for_version("26_2026"):
        assert not [i for i in s.errors if i.code in sum_codes], s.product_set
    for s in CriteriaSheet.objects.filter(version__code="26_2026"):
        assert s.max_points == 100


def test_readme_defects_are_reported_with_what_fails(criteria_loaded):
    def codes(version, product_set):
        sheet = criteria_loaded.get(version, product_set)
        return {i.code for i in sheet.errors}, {i.code for i in sheet.warnings}

    assert {"part_sum", "sheet_total"} <= codes("1048_2019", "4")[0]
    assert "max_unreachable" in codes("1048_2019", "4")[1]
    assert "option_over_max" in codes("1048_2019", "13")[0]
    assert {"part_sum", "sheet_total"} <= codes("1048_2019", "26")[0]
    assert "duplicate_code" in codes("1048_2019", "14")[0]
    assert {"part_sum", "sheet_total"} <= codes("148_2023", "11")[0]
    assert "option_no_points" in codes("148_2023", "17")[0]
    assert "option_no_points" in codes("26_2026", "7")[0]
    assert "option_over_max" in codes("26_2026", "4")[0]
    assert "option_over_max" in codes("26_2026", "11")[0]
    assert "heading_mismatch" in codes("26_2026", "26")[1]
    assert "source_note" in codes("26_2026", "23")[1]
    assert "source_note" in codes("148_2023", "3")[1]
    for version, sets in EXPECTED_WARNED_VALID.items():
        for product_set in sets:
            sheet = criteria_loaded.get(version, product_set)
            assert sheet.is_valid and sheet.warnings, (version, product_set)
    stored = CriteriaSheet.objects.get(version__code="1048_2019", product_set__code="4")
    assert "101" in stored.load_report and stored.load_issues["errors"]


def test_second_load_changes_nothing(criteria_loaded):
    before = (CriteriaSheet.objects.count(), Criterion.objects.count(), CriterionOption.objects.count())
    ids = set(CriteriaSheet.objects.values_list("pk", flat=True))
    report = load_criteria()
    assert {s.status for s in report.sheets} == {"unchanged"}
    assert {(s.version, s.product_set) for s in report.invalid} == {
        (v, p) for v, sets in EXPECTED_INVALID.items() for p in sets
    }
    assert (CriteriaSheet.objects.count(), Criterion.objects.count(), CriterionOption.objects.count()) == before
    assert set(CriteriaSheet.objects.values_list("pk", flat=True)) == ids
    assert load_regimes() == Regime.objects.count() == 4


def test_a_valid_sheet_scores_and_an_invalid_one_is_refused(criteria_loaded):
    sheet = criteria_sheet_get(version_code="26_2026", product_set_code="1")
    spec = criteria_sheet_spec(sheet=sheet)
    best = {c.key: max(c.allowed_points()) for c in spec.criteria}
    assert sheet_total(spec, best) == 100
    with pytest.raises(ValidationError) as excinfo:
        criteria_sheet_spec(sheet=criteria_sheet_get(version_code="26_2026", product_set_code="4"))
    assert excinfo.value.code == "sheet_invalid"


def test_regimes_are_data_with_the_2026_calendar(criteria_loaded):
    import datetime

    current = regime_for_filing(filed_on=datetime.date(2026, 6, 1))
    assert current.code == "26_2026" and current.criteria_version.code == "26_2026"
    assert current.deadlines["commune_review_working_days"] == 15
    assert current.deadlines["reevaluation_window_days_before_expiry"] == {"earliest": 180, "latest": 120}
    assert {"forwarded_before": "04-30", "decided_before": "06-30", "round": 1} in current.rounds["province"]
    assert regime_for_filing(filed_on=datetime.date(2026, 5, 21)).code == "148_1489"
    assert regime_for_filing(filed_on=datetime.date(2024, 1, 10)).code == "148_2023"
    assert regime_for_filing(filed_on=datetime.date(2020, 1, 10)).code == "1048_2019"
    assert [b.stars for b in regime_scoring_policy(regime=current).bands] == [5, 4, 3, 2, 1]


def test_command_prints_a_json_report(criteria_loaded, capsys):
    call_command("load_criteria", "--json", "--criteria-version", "26_2026")
    payload = json.loads(capsys.readouterr().out)
    assert payload["valid"] == 22 and payload["invalid"] == 4
    assert {s["product_set"] for s in payload["sheets"] if not s["is_valid"]} == EXPECTED_INVALID["26_2026"]
    assert all(e["message"] for s in payload["sheets"] for e in s["errors"])


def test_seeder_is_idempotent_and_says_what_it_loaded(criteria_loaded):
    from ocop.evaluation.seed import seed

    message = seed()
    assert "78" in message and "16" in message and "4" in message
    assert CriteriaSheet.objects.count() == 78
