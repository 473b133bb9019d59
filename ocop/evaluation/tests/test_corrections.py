"""Correcting the source data: only central officers, the original kept, history written, sheet re-checked."""

import pytest
from django.contrib.auth import get_user_model

from ocop.core.errors import PermissionDenied, ValidationError
from ocop.core.models import AuditEvent
from ocop.evaluation.models import CriteriaSheet, Criterion, CriterionCorrection
from ocop.evaluation.services import criterion_correct

pytestmark = pytest.mark.django_db

REASON = "Đối chiếu bản ký 26/2026/QĐ-TTg, Phụ lục II"


@pytest.fixture
def central(db):
    return get_user_model().objects.create_superuser(username="central", password="x", email="c@example.vn")


@pytest.fixture
def officer(db):
    return get_user_model().objects.create_user(username="officer", password="x")


def _criterion(product_set, code, version="26_2026"):
    return Criterion.objects.get(sheet__version__code=version, sheet__product_set__code=product_set, code=code)


def test_correcting_the_last_defect_makes_the_sheet_usable_and_keeps_the_original(criteria_loaded, central):
    # given 26/2026 sheet 4: criterion 7 prints "13" for a 3-point maximum, 1.2 an option without points
    crit7, crit12 = _criterion("4", "7"), _criterion("4", "1.2")
    wrong = crit7.options.get(points=13)
    blank = crit12.options.get(points__isnull=True)
    # when
    criterion_correct(actor=central, criterion=crit7, option=wrong, field="points", new_value=3, reason=REASON)
    assert not CriteriaSheet.objects.get(pk=crit7.sheet_id).is_valid
    criterion_correct(actor=central, criterion=crit12, option=blank, field="points", new_value=0, reason=REASON)
    # then
    sheet = CriteriaSheet.objects.get(pk=crit7.sheet_id)
    assert sheet.is_valid and sheet.load_issues["errors"] == []
    correction = CriterionCorrection.objects.get(option=wrong)
    assert (correction.old_value, correction.new_value, correction.actor, correction.reason) == (13, 3, central, REASON)
    wrong.refresh_from_db()
    assert [h.points for h in wrong.history.order_by("history_id")] == [13, 3]
    assert wrong.history.latest().history_change_reason == REASON
    event = AuditEvent.objects.get(action="evaluation.criterion_corrected", target_id=str(crit7.pk))
    assert event.data["old"] == 13 and event.data["new"] == 3


def test_all_2026_sheets_are_usable_after_the_six_source_typos_are_corrected(criteria_loaded, central):
    for product_set in ("4", "7", "10", "11"):
        criterion = _criterion(product_set, "1.2")
        option = criterion.options.get(points__isnull=True)
        criterion_correct(actor=central, criterion=criterion, option=option, field="points", new_value=0, reason=REASON)
    for product_set, code, printed, meant in (("4", "7", 13, 3), ("11", "6.1.1", 11, 1)):
        criterion = _criterion(product_set, code)
        option = criterion.options.get(points=printed)
        criterion_correct(
            actor=central, criterion=criterion, option=option, field="points", new_value=meant, reason=REASON
        )
    assert CriteriaSheet.objects.filter(version__code="26_2026", is_valid=True).count() == 26


def test_renumbering_a_repeated_code_makes_the_sheet_usable(criteria_loaded, central):
    # given 1048 sheet 14 printing 6.1.3 twice ("Màu sắc", "Mùi") before 6.1.4 "Vị"
    def get(text):
        return Criterion.objects.get(sheet__version__code="1048_2019", sheet__product_set__code="14", text=text)

    taste, smell = get("Vị"), get("Mùi")
    # when the central officer renumbers them in printed order
    criterion_correct(actor=central, criterion=taste, field="code", new_value="6.1.5", reason="Đánh số lại")
    assert not CriteriaSheet.objects.get(pk=taste.sheet_id).is_valid
    criterion_correct(actor=central, criterion=smell, field="code", new_value="6.1.4", reason="Đánh số lại")
    # then
    assert CriteriaSheet.objects.get(pk=taste.sheet_id).is_valid
    smell.refresh_from_db()
    assert smell.code == "6.1.4" and smell.corrections.get().old_value == "6.1.3"
    assert [h.code for h in smell.history.order_by("history_id")] == ["6.1.3", "6.1.4"]


def test_only_central_officers_correct(criteria_loaded, officer):
    criterion = _criterion("4", "7")
    with pytest.raises(PermissionDenied):
        criterion_correct(actor=officer, criterion=criterion, field="max_points", new_value=13, reason=REASON)
    with pytest.raises(PermissionDenied):
        criterion_correct(actor=None, criterion=criterion, field="max_points", new_value=13, reason=REASON)
    assert not CriterionCorrection.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [("max_points", 5, "  "), ("position", 1, REASON), ("max_points", -1, REASON), ("max_points", 3, REASON)],
)
def test_bad_corrections_are_refused(criteria_loaded, central, field, value, reason):
    with pytest.raises(ValidationError):
        criterion_correct(actor=central, criterion=_criterion("4", "7"), field=field, new_value=value, reason=reason)
    assert not CriterionCorrection.objects.exists()


def test_an_option_of_another_criterion_is_refused(criteria_loaded, central):
    other = _criterion("4", "1.1").options.first()
    with pytest.raises(ValidationError):
        criterion_correct(
            actor=central, criterion=_criterion("4", "7"), option=other, field="points", new_value=1, reason=REASON
        )
