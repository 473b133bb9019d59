"""Races on PostgreSQL: two members submitting at once, one member submitting twice at once, two officers moving
the same dossier at once. Row locks serialise them; SQLite has no row locks, so these run on PostgreSQL only."""

import threading

import pytest
from django.db import close_old_connections, connection

from ocop.core.errors import DomainError
from ocop.evaluation.models import Dossier, ScoreSheet
from ocop.evaluation.services import council_open_scoring, dossier_create, dossier_transition, score_sheet_submit
from ocop.evaluation.tests.factories import answers

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]
S = Dossier.Status


def _race(*calls):
    """Run the calls in threads released together; return each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            outcomes[i] = call()
        except Exception as exc:  # noqa: BLE001 — the outcome is the assertion
            outcomes[i] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.fixture
def open_scoring(product, producer, council_a, seat):
    dossier = dossier_create(actor=producer, product=product)
    Dossier.objects.filter(pk=dossier.pk).update(
        status=S.ADVISORY_REVIEW, council=council_a, advisory_report={"findings": "Đạt"}
    )
    council_open_scoring(actor=seat("chair"), dossier=dossier)
    return Dossier.objects.get(pk=dossier.pk)


def test_two_members_submitting_at_once_both_count(open_scoring, seat, process):
    sheet = process["26_2026"]
    m1, m2 = seat("m1"), seat("m2")
    outcomes = _race(
        lambda: score_sheet_submit(actor=m1, dossier=open_scoring, answers=answers(sheet, 20, 25, 30)),
        lambda: score_sheet_submit(actor=m2, dossier=open_scoring, answers=answers(sheet, 30, 25, 30)),
    )
    assert all(isinstance(o, ScoreSheet) for o in outcomes), outcomes
    assert ScoreSheet.objects.filter(dossier=open_scoring, status="submitted").count() == 2


def test_one_member_submitting_twice_at_once_submits_once(open_scoring, seat, process):
    sheet = process["26_2026"]
    m1 = seat("m1")
    outcomes = _race(
        lambda: score_sheet_submit(actor=m1, dossier=open_scoring, answers=answers(sheet, 20, 25, 30)),
        lambda: score_sheet_submit(actor=m1, dossier=open_scoring, answers=answers(sheet, 40, 25, 35)),
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["ScoreSheet", "ValidationError"], outcomes
    assert ScoreSheet.objects.filter(dossier=open_scoring).count() == 1


def test_two_officers_moving_the_same_dossier_at_once_one_wins(
    product, producer, council_a, commune_officer_a, django_user_model
):
    from ocop.accounts.tests.factories import RoleAssignmentFactory
    from ocop.geo.models import AdminUnit

    other = django_user_model.objects.create_user(username="commune-a2")
    RoleAssignmentFactory(
        user=other,
        role="commune_officer",
        admin_unit=AdminUnit.objects.get(
            level="commune", code=product.subject.current_commune_code, valid_until__isnull=True
        ),
    )
    dossier = dossier_create(actor=producer, product=product)
    Dossier.objects.filter(pk=dossier.pk).update(status=S.SUBMITTED)
    dossier.refresh_from_db()
    revision = dossier.revision
    outcomes = _race(
        lambda: dossier_transition(
            actor=commune_officer_a, dossier=dossier, to=S.COMMUNE_REVIEW, expected_revision=revision
        ),
        lambda: dossier_transition(
            actor=other, dossier=dossier, to=S.RETURNED, reason="Thiếu", expected_revision=revision
        ),
    )
    winners = [o for o in outcomes if isinstance(o, Dossier)]
    losers = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert losers[0].code == "dossier_revision_conflict"
    final = Dossier.objects.get(pk=dossier.pk)
    assert final.status == winners[0].status and final.revision == revision + 1
    assert final.events.exclude(from_status="").count() == 1


def test_two_dossiers_of_one_commune_received_at_once_get_distinct_reception_numbers(
    producer, process, province_a, commune_a, commune_officer_a, django_user_model
):
    from ocop.accounts.tests.factories import RoleAssignmentFactory
    from ocop.evaluation.tests.factories import bind_producer, make_product
    from ocop.geo.models import AdminUnit

    other = django_user_model.objects.create_user(username="commune-a2")
    RoleAssignmentFactory(
        user=other,
        role="commune_officer",
        admin_unit=AdminUnit.objects.get(level="commune", code=commune_a.code, valid_until__isnull=True),
    )
    product = make_product(province=province_a, commune=commune_a, category=process["26_2026"].product_set)
    bind_producer(producer, product.subject)
    first = dossier_create(actor=producer, product=product)
    second = dossier_create(actor=producer, product=product)
    Dossier.objects.filter(pk__in=[first.pk, second.pk]).update(status=S.SUBMITTED)
    first.refresh_from_db()
    second.refresh_from_db()
    outcomes = _race(
        lambda: dossier_transition(
            actor=commune_officer_a, dossier=first, to=S.COMMUNE_REVIEW, expected_revision=first.revision
        ),
        lambda: dossier_transition(actor=other, dossier=second, to=S.COMMUNE_REVIEW, expected_revision=second.revision),
    )
    assert all(isinstance(o, Dossier) for o in outcomes), outcomes
    numbers = sorted(
        Dossier.objects.filter(pk__in=[first.pk, second.pk]).values_list("commune_reception_number", flat=True)
    )
    year = numbers[0].rsplit("-", 1)[1]
    assert numbers == [
        f"1/PĐK-{province_a.code}-{commune_a.code}-{year}",
        f"2/PĐK-{province_a.code}-{commune_a.code}-{year}",
    ]
