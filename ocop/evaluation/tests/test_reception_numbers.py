"""Form 01 reception numbers (Phụ lục III Mẫu 01, "…/PĐK-(tỉnh)-(xã)-(năm)"): issued in sequence per commune and
per province and year, unique in the database. The race between two officers is in test_concurrency.py."""

import pytest
from django.db import IntegrityError, transaction

from ocop.evaluation.models import Dossier, ReceptionCounter
from ocop.evaluation.services import dossier_create, dossier_transition
from ocop.evaluation.services.rounds import today

pytestmark = pytest.mark.django_db
S = Dossier.Status


def _submitted(producer, product, n):
    dossiers = [dossier_create(actor=producer, product=product) for _ in range(n)]
    Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).update(status=S.SUBMITTED)
    for d in dossiers:
        d.refresh_from_db()
    return dossiers


def _receive(officer, dossier):
    return dossier_transition(actor=officer, dossier=dossier, to=S.COMMUNE_REVIEW, expected_revision=dossier.revision)


def test_commune_numbers_follow_each_other(producer, product, commune_officer_a):
    first, second = _submitted(producer, product, 2)
    prefix = f"PĐK-{product.subject.province_code}-{product.subject.current_commune_code}-{today().year}"
    assert _receive(commune_officer_a, first).commune_reception_number == f"1/{prefix}"
    assert _receive(commune_officer_a, second).commune_reception_number == f"2/{prefix}"
    counter = ReceptionCounter.objects.get(issuer="commune", unit_code=product.subject.current_commune_code)
    assert counter.last == 2


def test_numbering_continues_after_numbers_issued_before_the_counter(producer, product, commune_officer_a):
    # given a number 7 issued before the counter existed (an import, or the old allocation)
    old, new = _submitted(producer, product, 2)
    prefix = f"PĐK-{product.subject.province_code}-{product.subject.current_commune_code}-{today().year}"
    Dossier.objects.filter(pk=old.pk).update(commune_reception_number=f"7/{prefix}")
    # when the commune receives the next one, then it is 8, not a second 1 or 2
    assert _receive(commune_officer_a, new).commune_reception_number == f"8/{prefix}"


def test_the_database_refuses_a_number_issued_twice(producer, product):
    first, second = _submitted(producer, product, 2)
    Dossier.objects.filter(pk=first.pk).update(commune_reception_number="1/PĐK-68-24823-2026")
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=second.pk).update(commune_reception_number="1/PĐK-68-24823-2026")
    # empty numbers (not yet received) are not duplicates
    assert Dossier.objects.filter(province_reception_number="").count() == 2
