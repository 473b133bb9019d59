"""Transition deadlines (26/2026/QĐ-TTg Điều 11-12): dossiers filed before 22/05/2026 stay under 148 as amended
by 1489 and are finished within 60 days (first evaluation, upgrade) or 30 days (re-evaluation) of 22/05/2026."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from ocop.evaluation import rules
from ocop.evaluation.models import Dossier, Regime
from ocop.evaluation.selectors import dossier_overdue_list, regime_transition_for
from ocop.evaluation.services import dossier_create

pytestmark = pytest.mark.django_db
S = Dossier.Status
D = datetime.date
CERTIFICATE = SimpleNamespace(pk=7, star=3, valid_until=D(2026, 9, 30))
TRANSITION = {"cutoff": "2026-05-22", "finish_within_days": {"first_or_upgrade": 60, "reevaluation": 30}}


@pytest.mark.parametrize(
    ("filed_on", "reevaluation", "expected"),
    [
        (D(2026, 5, 1), False, D(2026, 7, 21)),
        (D(2026, 5, 1), True, D(2026, 6, 21)),
        (D(2026, 5, 21), False, D(2026, 7, 21)),
        (D(2026, 5, 22), False, None),
        (D(2026, 8, 1), True, None),
        (None, False, None),
    ],
)
def test_transition_due_on_rule(filed_on, reevaluation, expected):
    assert rules.transition_due_on(filed_on=filed_on, reevaluation=reevaluation, transition=TRANSITION) == expected


def test_transition_due_on_without_transition_data_is_none():
    assert rules.transition_due_on(filed_on=D(2020, 1, 1), reevaluation=False, transition=None) is None


@pytest.mark.parametrize(
    ("due_on", "decided", "on", "expected"),
    [
        (D(2026, 7, 21), False, D(2026, 7, 22), True),
        (D(2026, 7, 21), False, D(2026, 7, 21), False),
        (D(2026, 7, 21), True, D(2026, 8, 1), False),
        (None, False, D(2026, 8, 1), False),
    ],
)
def test_transition_overdue_rule(due_on, decided, on, expected):
    assert rules.transition_overdue(due_on=due_on, decided=decided, on=on) is expected


def test_the_figures_are_regime_data(process):
    # 26/2026 holds the transition rules of the dossiers that stay under 148 + 1489
    assert regime_transition_for(regime=Regime.objects.get(code="148_1489"))["finish_within_days"] == {
        "first_or_upgrade": 60,
        "reevaluation": 30,
    }
    assert regime_transition_for(regime=Regime.objects.get(code="26_2026")) is None


def test_first_evaluation_filed_before_cutoff_is_due_60_days_after_it(producer, product):
    dossier = dossier_create(actor=producer, product=product, filed_on=D(2026, 5, 1))
    assert dossier.regime.code == "148_1489"
    assert dossier.transition_due_on == D(2026, 7, 21)


def test_upgrade_filed_before_cutoff_is_due_60_days_after_it(producer, product):
    dossier = dossier_create(
        actor=producer, product=product, kind=Dossier.Kind.UPGRADE, filed_on=D(2026, 5, 1), certificate=CERTIFICATE
    )
    assert dossier.transition_due_on == D(2026, 7, 21)


def test_reevaluation_filed_before_cutoff_is_due_30_days_after_it(producer, product):
    dossier = dossier_create(
        actor=producer,
        product=product,
        kind=Dossier.Kind.REEVALUATION,
        filed_on=D(2026, 5, 1),
        certificate=CERTIFICATE,
    )
    assert dossier.transition_due_on == D(2026, 6, 21)


def test_dossier_filed_after_cutoff_has_no_transition_deadline(producer, product):
    dossier = dossier_create(actor=producer, product=product, filed_on=D(2026, 6, 1))
    assert dossier.regime.code == "26_2026"
    assert dossier.transition_due_on is None


def test_overdue_list_flags_undecided_transition_dossiers_and_skips_decided_ones(producer, product, province_officer_a):
    late = dossier_create(actor=producer, product=product, filed_on=D(2026, 5, 1))
    decided = dossier_create(actor=producer, product=product, filed_on=D(2026, 5, 2))
    current = dossier_create(actor=producer, product=product, filed_on=D(2026, 6, 1))
    Dossier.objects.filter(pk=late.pk).update(status=S.COUNCIL_SCORING, due_on=D(2026, 12, 30))
    Dossier.objects.filter(pk=decided.pk).update(status=S.RECOGNISED_PROVINCIAL)
    Dossier.objects.filter(pk=current.pk).update(status=S.COUNCIL_SCORING, due_on=D(2026, 12, 30))

    before = dossier_overdue_list(user=province_officer_a, on=D(2026, 7, 21))
    after = dossier_overdue_list(user=province_officer_a, on=D(2026, 7, 22))
    only = dossier_overdue_list(user=province_officer_a, on=D(2026, 7, 22), transition_only=True)

    assert list(before) == []
    assert [(d.pk, d.transition_overdue) for d in after] == [(late.pk, True)]
    assert [d.pk for d in only] == [late.pk]
    decided.refresh_from_db()
    assert decided.is_decided and not decided.is_transition_overdue


def test_step_overdue_dossier_stays_in_the_list_without_the_transition_flag(producer, product, province_officer_a):
    current = dossier_create(actor=producer, product=product, filed_on=D(2026, 6, 1))
    Dossier.objects.filter(pk=current.pk).update(status=S.SUBMITTED, due_on=D(2026, 6, 20))
    rows = dossier_overdue_list(user=province_officer_a, on=D(2026, 7, 1))
    assert [(d.pk, d.transition_overdue) for d in rows] == [(current.pk, False)]
    assert list(dossier_overdue_list(user=province_officer_a, on=D(2026, 7, 1), transition_only=True)) == []


def test_dossier_page_shows_the_transition_deadline_and_overdue_marker(
    producer, product, province_officer_a, client_for
):
    dossier = dossier_create(actor=producer, product=product, filed_on=D(2026, 5, 1))
    url = reverse("bo:evaluation:dossier-detail", args=[dossier.pk])
    today = timezone.localdate()
    # the page reads "overdue" against today; move the stored deadline around today instead of the clock
    tomorrow, yesterday = today + datetime.timedelta(days=1), today - datetime.timedelta(days=1)

    Dossier.objects.filter(pk=dossier.pk).update(status=S.COUNCIL_SCORING, transition_due_on=tomorrow)
    html = client_for(province_officer_a).get(url).content.decode()
    assert f'data-testid="transition-due-on">{tomorrow:%d/%m/%Y}' in html
    assert 'data-testid="transition-overdue"' not in html

    Dossier.objects.filter(pk=dossier.pk).update(transition_due_on=yesterday)
    html = client_for(province_officer_a).get(url).content.decode()
    assert 'data-testid="transition-overdue"' in html

    Dossier.objects.filter(pk=dossier.pk).update(status=S.RECOGNISED_PROVINCIAL)
    html = client_for(province_officer_a).get(url).content.decode()
    assert f'data-testid="transition-due-on">{yesterday:%d/%m/%Y}' in html
    assert 'data-testid="transition-overdue"' not in html


def test_dossier_page_of_a_current_dossier_has_no_transition_deadline(producer, product, client_for):
    dossier = dossier_create(actor=producer, product=product, filed_on=D(2026, 6, 1))
    html = client_for(producer).get(reverse("bo:evaluation:dossier-detail", args=[dossier.pk])).content.decode()
    assert 'data-testid="transition-due-on"' not in html


def test_api_shows_the_transition_deadline_and_lists_transition_overdue_dossiers(
    producer, product, province_officer_a, client_for
):
    dossier = dossier_create(actor=producer, product=product, filed_on=D(2026, 5, 1))
    Dossier.objects.filter(pk=dossier.pk).update(status=S.COUNCIL_SCORING, due_on=D(2026, 12, 30))
    client = client_for(province_officer_a)
    detail = client.get(f"/api/v1/dossiers/{dossier.pk}").json()
    assert detail["transition_due_on"] == "2026-07-21"
    assert detail["transition_overdue"] is (timezone.localdate() > D(2026, 7, 21))
    rows = client.get("/api/v1/dossiers/overdue?on=2026-08-01&transition=true").json()
    items = rows["items"] if isinstance(rows, dict) else rows
    assert [(r["id"], r["transition_overdue"]) for r in items] == [(dossier.pk, True)]
