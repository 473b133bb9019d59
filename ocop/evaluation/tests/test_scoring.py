"""Council scoring: sheets, refusals, the mean and the star, spread, quorum, visibility, the path to a decision."""

from decimal import Decimal

import pytest

from ocop.core.errors import DomainError, PermissionDenied, ValidationError
from ocop.evaluation.models import Dossier, ScoreSheet
from ocop.evaluation.selectors import council_round_analytics, score_sheet_list_for_user
from ocop.evaluation.services import (
    conflict_declare,
    council_close_scoring,
    council_open_scoring,
    dossier_create,
    dossier_mark_decided,
    dossier_transition,
    score_sheet_save,
    score_sheet_submit,
)
from ocop.evaluation.tests.factories import answers

pytestmark = pytest.mark.django_db
S = Dossier.Status


@pytest.fixture
def scoring(product, producer, council_a, province_officer_a, process):
    """A dossier in advisory review with the advisory report, then scoring opened by the chair."""
    dossier = dossier_create(actor=producer, product=product)
    Dossier.objects.filter(pk=dossier.pk).update(
        status=S.ADVISORY_REVIEW, council=council_a, round=council_a.round, advisory_report={"findings": "Đạt"}
    )
    dossier.refresh_from_db()
    chair = council_a.members.get(role="chair").user
    council_open_scoring(actor=chair, dossier=dossier)
    dossier.refresh_from_db()
    return dossier


def _score(dossier, seat, sheet, per_member):
    for username, points in per_member.items():
        score_sheet_submit(actor=seat(username), dossier=dossier, answers=answers(sheet, *points))


def test_total_is_the_sum_and_a_75_point_result_missing_a_4_star_minimum_is_3_stars(scoring, seat, process):
    sheet = process["26_2026"]
    _score(scoring, seat, sheet, {"chair": (20, 25, 30), "m1": (20, 25, 30), "m2": (20, 25, 30)})
    assert sorted(ScoreSheet.objects.filter(dossier=scoring).values_list("total", flat=True)) == [75, 75, 75]
    # when
    result = council_close_scoring(actor=seat("chair"), dossier=scoring)
    # then
    assert (result.mean, result.band_star, result.star, result.is_final) == (Decimal("75.00"), 4, 3, True)
    assert result.minimums_missed[0]["code"] == "1.1" and result.minimums_missed[0]["stars"] == 4
    assert Dossier.objects.get(pk=scoring.pk).status == S.SCORED


def test_mean_of_members_is_rounded_per_regime_data(scoring, seat, process):
    _score(scoring, seat, process["26_2026"], {"chair": (30, 25, 30), "m1": (30, 25, 35), "m2": (30, 25, 35)})
    result = council_close_scoring(actor=seat("chair"), dossier=scoring)
    assert (result.mean, result.mean_exact, result.star) == (Decimal("88.33"), "265/3", 4)


def test_points_must_be_among_the_options(scoring, seat, process):
    with pytest.raises(ValidationError):
        score_sheet_save(actor=seat("m1"), dossier=scoring, answers=answers(process["26_2026"], 21, 25, 30))


def test_sheet_of_another_product_set_is_refused(scoring, seat, process):
    with pytest.raises(ValidationError) as err:
        score_sheet_save(actor=seat("m1"), dossier=scoring, answers={}, criteria_sheet=process["148_2023"])
    assert err.value.code == "sheet_mismatch"


def test_a_member_cannot_submit_twice(scoring, seat, process):
    _score(scoring, seat, process["26_2026"], {"m1": (20, 25, 30)})
    with pytest.raises(ValidationError) as err:
        score_sheet_submit(actor=seat("m1"), dossier=scoring, answers=answers(process["26_2026"], 40, 25, 35))
    assert err.value.code == "sheet_already_submitted"


def test_recused_member_and_secretary_do_not_score(scoring, seat, process):
    conflict_declare(actor=seat("m3"), dossier=scoring, has_conflict=True, note="Người thân của chủ thể")
    with pytest.raises(PermissionDenied) as err:
        score_sheet_save(actor=seat("m3"), dossier=scoring, answers={})
    assert err.value.code == "member_recused"
    with pytest.raises(PermissionDenied) as err:
        score_sheet_save(actor=seat("secretary"), dossier=scoring, answers={})
    assert err.value.code == "member_does_not_score"


def test_scoring_after_close_is_refused(scoring, seat, process):
    _score(scoring, seat, process["26_2026"], {"chair": (20, 25, 30), "m1": (20, 25, 30), "m2": (20, 25, 30)})
    council_close_scoring(actor=seat("chair"), dossier=scoring)
    with pytest.raises(ValidationError) as err:
        score_sheet_submit(actor=seat("m3"), dossier=scoring, answers=answers(process["26_2026"], 20, 25, 30))
    assert err.value.code == "scoring_closed"


def test_only_the_chair_closes_and_quorum_is_checked(scoring, seat, process):
    _score(scoring, seat, process["26_2026"], {"chair": (20, 25, 30), "m1": (20, 25, 30)})
    with pytest.raises(PermissionDenied):
        council_close_scoring(actor=seat("m1"), dossier=scoring)
    with pytest.raises(ValidationError) as err:  # 2 of 4 scoring members < 2/3
        council_close_scoring(actor=seat("chair"), dossier=scoring)
    assert err.value.code == "quorum_not_met"


def test_spread_above_threshold_needs_discussion_and_allows_rescoring(scoring, seat, process):
    sheet = process["26_2026"]
    _score(scoring, seat, sheet, {"chair": (20, 25, 30), "m1": (40, 25, 35), "m2": (20, 25, 30)})
    result = council_close_scoring(actor=seat("chair"), dossier=scoring)
    assert (result.spread, result.spread_flag, result.needs_discussion, result.is_final) == (25, True, True, False)
    assert Dossier.objects.get(pk=scoring.pk).status == S.COUNCIL_SCORING
    # re-scoring in a new session, then the chair accepts the spread after discussion
    session = council_open_scoring(actor=seat("chair"), dossier=scoring)
    assert session.attempt == 2
    _score(scoring, seat, sheet, {"chair": (20, 25, 30), "m1": (30, 25, 35), "m2": (20, 25, 30)})
    final = council_close_scoring(actor=seat("chair"), dossier=scoring, accept_spread=True)
    assert final.is_final and final.spread_flag and Dossier.objects.get(pk=scoring.pk).status == S.SCORED


def test_nobody_sees_another_members_sheet_until_the_chair_closes(scoring, seat, process, province_officer_a):
    sheet = process["26_2026"]
    _score(scoring, seat, sheet, {"chair": (20, 25, 30), "m1": (20, 25, 30), "m2": (20, 25, 30)})
    assert [s.member.user.username for s in score_sheet_list_for_user(user=seat("m1"), dossier=scoring)] == ["m1"]
    assert list(score_sheet_list_for_user(user=province_officer_a, dossier=scoring)) == []
    council_close_scoring(actor=seat("chair"), dossier=scoring)
    assert score_sheet_list_for_user(user=seat("m1"), dossier=scoring).count() == 3
    assert score_sheet_list_for_user(user=province_officer_a, dossier=scoring).count() == 3


def test_path_to_provincial_decision_and_analytics(scoring, seat, process, province_officer_a, province_officer_b):
    _score(scoring, seat, process["26_2026"], {"chair": (20, 25, 30), "m1": (30, 25, 30), "m2": (20, 25, 30)})
    council_close_scoring(actor=seat("chair"), dossier=scoring)
    decided = dossier_mark_decided(actor=province_officer_a, dossier=scoring, decision_ref="12/QĐ-UBND")
    assert decided.status == S.RECOGNISED_PROVINCIAL
    report = council_round_analytics(user=province_officer_a, round_=scoring.council.round)
    assert report["stars"] == {3: 1}
    m1 = str(scoring.council.members.get(user__username="m1").pk)
    assert report["members"][m1]["rows"][0]["total"] == 85
    assert report["dossiers"][0]["criteria_spread"][str(sheet_first_criterion(process))] == 10
    with pytest.raises(DomainError):
        council_round_analytics(user=province_officer_b, round_=scoring.council.round)


def sheet_first_criterion(process):
    return process["26_2026"].criteria.order_by("position").first().pk


def test_central_path_5_stars(scoring, seat, process, province_officer_a, central_officer, django_user_model):
    from ocop.evaluation.services import council_create, council_member_add, round_plan_year

    _score(scoring, seat, process["26_2026"], {"chair": (40, 25, 25), "m1": (40, 25, 25), "m2": (40, 25, 25)})
    council_close_scoring(actor=seat("chair"), dossier=scoring)
    dossier = Dossier.objects.get(pk=scoring.pk)
    dossier = dossier_transition(
        actor=province_officer_a,
        dossier=dossier,
        to=S.PROPOSED_CENTRAL,
        data={"approval_ref": "9/QĐ-UBND"},
        expected_revision=dossier.revision,
    )
    dossier = dossier_transition(
        actor=central_officer, dossier=dossier, to=S.CENTRAL_INTAKE, expected_revision=dossier.revision
    )
    central_round = round_plan_year(actor=central_officer, level="central", year=2026)[0]
    council = council_create(actor=central_officer, round_=central_round, name="Hội đồng trung ương")
    chair = django_user_model.objects.create_user(username="cchair")
    council_member_add(actor=central_officer, council=council, user=chair, role="chair")
    council_open_scoring(actor=central_officer, dossier=dossier, council=council)
    score_sheet_submit(actor=chair, dossier=dossier, answers=answers(process["26_2026"], 40, 25, 30))
    result = council_close_scoring(actor=chair, dossier=dossier)
    assert (result.level, result.star) == ("central", 5)
    decided = dossier_mark_decided(actor=central_officer, dossier=dossier, decision_ref="1/QĐ-BNNMT")
    assert decided.status == S.RECOGNISED_CENTRAL


def test_the_producer_never_reads_members_sheets_in_the_api_or_the_pages(
    scoring, seat, process, client_for, producer, commune_officer_a
):
    # One rule for the API, the pages and the PDFs: before, the API let the producer read every sheet after the close.
    _score(scoring, seat, process["26_2026"], {"chair": (20, 25, 30), "m1": (20, 25, 30), "m2": (20, 25, 30)})
    council_close_scoring(actor=seat("chair"), dossier=scoring)
    for persona in (producer, commune_officer_a):
        if persona is producer:
            from ocop.registry.services import subject_bind_producer

            subject_bind_producer(subject=scoring.subject, user=producer)
        answer = client_for(persona).get(f"/api/v1/dossiers/{scoring.pk}/score-sheets")
        assert answer.status_code == 200 and answer.json() == [], persona.username
        assert not score_sheet_list_for_user(user=persona, dossier=scoring).exists()
    assert score_sheet_list_for_user(user=seat("m2"), dossier=scoring).count() == 3
