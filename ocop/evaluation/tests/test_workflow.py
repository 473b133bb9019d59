"""The workflow table, move by move and persona by persona; the whole path to a provincial and a central decision."""

import pytest

from ocop.core.errors import DomainError, PermissionDenied, ValidationError
from ocop.evaluation import workflow
from ocop.evaluation.models import Dossier, DossierEvent
from ocop.evaluation.services import dossier_create, dossier_mark_decided, dossier_transition
from ocop.evaluation.tests.factories import FORM03, make_result

pytestmark = pytest.mark.django_db
S = Dossier.Status

# move → (the persona allowed, data, reason, setup needed before the move)
GENERIC_MOVES = {
    (S.SUBMITTED, S.COMMUNE_REVIEW): ("commune", {}, "", None),
    (S.SUBMITTED, S.RETURNED): ("commune", {}, "Thiếu hồ sơ", None),
    (S.COMMUNE_REVIEW, S.RETURNED): ("commune", {}, "Thiếu hồ sơ", None),
    (S.COMMUNE_REVIEW, S.FORWARDED_TO_PROVINCE): ("commune", {"form03": FORM03}, "", None),
    (S.FORWARDED_TO_PROVINCE, S.PROVINCIAL_INTAKE): ("province", {}, "", None),
    (S.PROVINCIAL_INTAKE, S.RETURNED): ("province", {}, "Bổ sung kiểm nghiệm", None),
    (S.PROVINCIAL_INTAKE, S.ADVISORY_REVIEW): ("province", {}, "", None),
    (S.SCORED, S.PROPOSED_CENTRAL): ("province", {"approval_ref": "123/QĐ-UBND"}, "", ("province", "91.00", 5)),
    (S.SCORED, S.NOT_RECOGNISED): ("province", {}, "", ("province", "45.00", 2)),
    (S.PROPOSED_CENTRAL, S.CENTRAL_INTAKE): ("central", {}, "", None),
    (S.CENTRAL_SCORING, S.CENTRAL_FALLBACK): ("central", {}, "", ("central", "85.00", 4)),
    (S.CENTRAL_FALLBACK, S.PROVINCIAL_INTAKE): ("province", {}, "Đánh giá lại cấp tỉnh", ("central", "85.00", 4)),
    (S.CENTRAL_FALLBACK, S.NOT_RECOGNISED): ("central_fallback_low", {}, "", ("central", "40.00", 2)),
}
PERSONAS = ("producer", "commune", "province", "province_b", "central", "chair", "advisor", "m1")


@pytest.fixture
def people(producer, commune_officer_a, province_officer_a, province_officer_b, central_officer, seat):
    return {
        "producer": producer,
        "commune": commune_officer_a,
        "province": province_officer_a,
        "province_b": province_officer_b,
        "central": central_officer,
        "chair": seat("chair"),
        "advisor": seat("advisor"),
        "m1": seat("m1"),
    }


def _at(dossier, status, council, result=None):
    Dossier.objects.filter(pk=dossier.pk).update(status=status, council=council)
    dossier.refresh_from_db()
    if result:
        level, mean, star = result
        make_result(dossier, level=level, mean=mean, star=star)
    return dossier


def test_every_generic_move_is_in_the_table_and_every_table_move_is_covered():
    generic = {(t.source, t.target) for t in workflow.TRANSITIONS if not t.via}
    assert generic == set(GENERIC_MOVES)


@pytest.mark.parametrize("move", list(GENERIC_MOVES), ids=lambda m: f"{m[0]}->{m[1]}")
@pytest.mark.parametrize("persona", PERSONAS)
def test_generic_move_allowed_only_for_its_actor(move, persona, product, producer, council_a, people):
    allowed, data, reason, result = GENERIC_MOVES[move]
    allowed = "province" if allowed == "central_fallback_low" else allowed
    dossier = _at(dossier_create(actor=producer, product=product), move[0], council_a, result)
    actor = people[persona]
    if persona == allowed:
        moved = dossier_transition(
            actor=actor, dossier=dossier, to=move[1], reason=reason, data=data, expected_revision=dossier.revision
        )
        assert moved.status == move[1]
        event = DossierEvent.objects.filter(dossier=dossier).latest("id")
        assert (event.from_status, event.to_status, event.actor) == (move[0], move[1], actor)
    else:
        with pytest.raises(DomainError) as err:
            dossier_transition(
                actor=actor, dossier=dossier, to=move[1], reason=reason, data=data, expected_revision=dossier.revision
            )
        assert err.value.code in ("transition_forbidden", "dossier_not_found")
        assert Dossier.objects.get(pk=dossier.pk).status == move[0]


@pytest.mark.parametrize("move", [t for t in workflow.TRANSITIONS if t.via], ids=lambda t: f"{t.source}->{t.target}")
def test_moves_reserved_to_a_service_are_refused_by_the_generic_transition(
    move, product, producer, council_a, central_officer
):
    dossier = _at(dossier_create(actor=producer, product=product), move.source, council_a)
    actor = producer if move.source == S.DRAFT else central_officer
    with pytest.raises(ValidationError) as err:
        dossier_transition(actor=actor, dossier=dossier, to=move.target, expected_revision=dossier.revision)
    assert err.value.code == "transition_via_service"


def test_moves_outside_the_table_are_invalid(product, producer, council_a, province_officer_a):
    dossier = _at(dossier_create(actor=producer, product=product), S.SUBMITTED, council_a)
    with pytest.raises(ValidationError) as err:
        dossier_transition(actor=province_officer_a, dossier=dossier, to=S.SCORED, expected_revision=dossier.revision)
    assert err.value.code == "transition_invalid"


def test_guards_forward_needs_form03_and_central_needs_90_points_and_approval(product, producer, council_a, people):
    dossier = _at(dossier_create(actor=producer, product=product), S.COMMUNE_REVIEW, council_a)
    with pytest.raises(ValidationError) as err:
        dossier_transition(
            actor=people["commune"], dossier=dossier, to=S.FORWARDED_TO_PROVINCE, expected_revision=dossier.revision
        )
    assert err.value.code == "form03_incomplete"
    scored = _at(dossier_create(actor=producer, product=product), S.SCORED, council_a, ("province", "89.99", 4))
    with pytest.raises(ValidationError) as err:
        dossier_transition(
            actor=people["province"],
            dossier=scored,
            to=S.PROPOSED_CENTRAL,
            data={"approval_ref": "1"},
            expected_revision=scored.revision,
        )
    assert err.value.code == "not_eligible_for_central"


def test_central_fallback_lets_the_province_recognise_4_stars_on_the_central_result(
    product, producer, council_a, people
):
    # given: the central council scored 85 (4★)
    dossier = _at(
        dossier_create(actor=producer, product=product), S.CENTRAL_SCORING, council_a, ("central", "85.00", 4)
    )
    with pytest.raises(ValidationError):
        dossier_mark_decided(actor=people["central"], dossier=dossier, decision_ref="5/QĐ-BNNMT")
    # when
    dossier = dossier_transition(
        actor=people["central"], dossier=dossier, to=S.CENTRAL_FALLBACK, expected_revision=dossier.revision
    )
    with pytest.raises(PermissionDenied):
        dossier_mark_decided(actor=people["central"], dossier=dossier, decision_ref="1/QĐ-UBND")
    decided = dossier_mark_decided(actor=people["province"], dossier=dossier, decision_ref="77/QĐ-UBND")
    # then
    assert (decided.status, decided.decision_ref) == (S.RECOGNISED_PROVINCIAL, "77/QĐ-UBND")


def test_a_provincial_5_star_result_cannot_be_recognised_by_the_province(product, producer, council_a, people):
    dossier = _at(dossier_create(actor=producer, product=product), S.SCORED, council_a, ("province", "92.00", 5))
    with pytest.raises(ValidationError) as err:
        dossier_mark_decided(actor=people["province"], dossier=dossier, decision_ref="1/QĐ-UBND")
    assert err.value.code == "star_not_provincial"


def test_overdue_list_shows_steps_past_due_in_scope(product, producer, council_a, people):
    import datetime

    from ocop.evaluation.selectors import dossier_overdue_list

    dossier = _at(dossier_create(actor=producer, product=product), S.SUBMITTED, council_a)
    Dossier.objects.filter(pk=dossier.pk).update(due_on=datetime.date(2026, 1, 1))
    assert list(dossier_overdue_list(user=people["commune"], on=datetime.date(2026, 1, 2))) == [dossier]
    assert list(dossier_overdue_list(user=people["province_b"], on=datetime.date(2026, 1, 2))) == []
    assert list(dossier_overdue_list(user=people["commune"], on=datetime.date(2026, 1, 1))) == []


def test_advisory_team_records_findings_then_the_chair_opens_scoring(product, producer, council_a, people):
    from ocop.evaluation.services import advisory_report_save, council_open_scoring

    dossier = _at(dossier_create(actor=producer, product=product), S.ADVISORY_REVIEW, council_a)
    with pytest.raises(ValidationError) as err:
        council_open_scoring(actor=people["chair"], dossier=dossier)
    assert err.value.code == "advisory_report_missing"
    with pytest.raises(PermissionDenied):
        advisory_report_save(
            actor=people["m1"], dossier=dossier, report={"findings": "x"}, expected_revision=dossier.revision
        )
    dossier = advisory_report_save(
        actor=people["advisor"],
        dossier=dossier,
        report={"findings": "Đạt", "site_survey": True},
        expected_revision=dossier.revision,
    )
    session = council_open_scoring(actor=people["chair"], dossier=dossier)
    assert session.attempt == 1 and Dossier.objects.get(pk=dossier.pk).status == S.COUNCIL_SCORING
