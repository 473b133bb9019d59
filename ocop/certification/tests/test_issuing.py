"""From council results to one decision and its certificates (decision_record_from_results)."""

import datetime

import pytest

from ocop.certification.issuing import decision_record_from_results
from ocop.certification.models import Certificate, Decision
from ocop.certification.selectors import certificate_list_for_user
from ocop.certification.tests.conftest import issue_certificate
from ocop.core.errors import NotFound, PermissionDenied, ValidationError
from ocop.evaluation.models import Dossier, DossierEvent
from ocop.evaluation.services import (
    council_close_scoring,
    council_open_scoring,
    dossier_create,
    score_sheet_submit,
)
from ocop.evaluation.tests.conftest import council_a, process, round_a, seat  # noqa: F401  (fixtures)
from ocop.evaluation.tests.factories import answers, make_product, make_result

pytestmark = pytest.mark.django_db
S = Dossier.Status
D = datetime.date
POINTS = {5: (40, 25, 35), 4: (30, 25, 30), 3: (20, 25, 30), 2: (10, 10, 15)}


@pytest.fixture
def scored(process, council_a, seat, province_officer_a, province_a, commune_a):  # noqa: F811
    """scored(star) → a dossier of a new product of province A, scored by the council to that star."""

    def make(star, *, kind=Dossier.Kind.FIRST, product=None, certificate=None):
        product = product or make_product(
            province=province_a, commune=commune_a, category=process["26_2026"].product_set
        )
        dossier = dossier_create(actor=province_officer_a, product=product, kind=kind, certificate=certificate)
        Dossier.objects.filter(pk=dossier.pk).update(
            status=S.ADVISORY_REVIEW, council=council_a, round=council_a.round, advisory_report={"findings": "Đạt"}
        )
        dossier.refresh_from_db()
        council_open_scoring(actor=seat("chair"), dossier=dossier)
        for username in ("chair", "m1", "m2"):
            score_sheet_submit(
                actor=seat(username), dossier=dossier, answers=answers(process["26_2026"], *POINTS[star])
            )
        result = council_close_scoring(actor=seat("chair"), dossier=dossier)
        assert result.star == star and result.is_final
        dossier.refresh_from_db()
        return dossier

    return make


def _record(actor, dossiers, **kw):
    values = {
        "number": "88/QĐ-UBND",
        "decided_on": D(2026, 11, 20),
        "signer_name": "Trần Văn Ký",
        "signer_title": "Chủ tịch UBND tỉnh",
        "level": "province",
        **kw,
    }
    return decision_record_from_results(actor=actor, dossiers=dossiers, **values)


def test_one_decision_certifies_3_and_4_stars_and_refuses_recognition_to_2_stars(scored, province_officer_a):
    # given
    four, three, two = scored(4), scored(3), scored(2)
    # when
    record = _record(province_officer_a, [four, three, two])
    # then
    assert Decision.objects.count() == 1
    decision = record.decision
    assert (decision.number, decision.level, decision.province_code) == ("88/QĐ-UBND", "province", four.province_code)
    assert decision.issuing_body == "Chủ tịch UBND cấp tỉnh" and decision.regime.code == "26_2026"
    certs = {c.product_id: c for c in Certificate.objects.all()}
    assert set(certs) == {four.product_id, three.product_id}
    assert (certs[four.product_id].star, str(certs[four.product_id].score)) == (4, "85.00")
    assert certs[three.product_id].star == 3 and certs[three.product_id].decision == decision
    assert certs[four.product_id].valid_from == D(2026, 11, 20) and certs[four.product_id].issuing_level == "province"
    statuses = dict(Dossier.objects.values_list("pk", "status"))
    assert statuses == {four.pk: S.RECOGNISED_PROVINCIAL, three.pk: S.RECOGNISED_PROVINCIAL, two.pk: S.NOT_RECOGNISED}
    assert {d.decision_ref for d in Dossier.objects.all()} == {"88/QĐ-UBND"}
    assert DossierEvent.objects.filter(dossier=two, to_status=S.NOT_RECOGNISED).exists()


def test_upgrade_supersedes_the_previous_certificate(scored, province_officer_a):
    # given a 3★ product holding a certificate, then upgraded to 4★
    first = scored(3)
    old = _record(province_officer_a, [first], number="1/QĐ-UBND", decided_on=D(2026, 7, 1)).certificates[0]
    upgrade = scored(4, kind=Dossier.Kind.UPGRADE, product=first.product, certificate=old)
    # when
    new = _record(province_officer_a, [upgrade], number="2/QĐ-UBND").certificates[0]
    # then
    old.refresh_from_db()
    assert (old.status, old.superseded_by) == (Certificate.Status.SUPERSEDED, new)
    assert new.star == 4


def test_nothing_is_written_when_one_dossier_cannot_be_decided(scored, province_officer_a):
    # given one scored dossier and one still scoring (no final result)
    ok = scored(4)
    pending = scored(3)
    Dossier.objects.filter(pk=pending.pk).update(status=S.COUNCIL_SCORING)
    # when
    with pytest.raises(ValidationError) as err:
        _record(province_officer_a, [ok, pending])
    # then
    assert err.value.code == "decision_dossiers_invalid"
    assert list(err.value.fields) == [f"dossiers.{pending.pk}"]
    assert not Decision.objects.exists() and not Certificate.objects.exists()
    assert Dossier.objects.get(pk=ok.pk).status == S.SCORED


def test_result_not_final_is_refused(scored, province_officer_a):
    dossier = scored(4)
    dossier.results.update(is_final=False, needs_discussion=True)
    with pytest.raises(ValidationError) as err:
        _record(province_officer_a, [dossier])
    assert f"dossiers.{dossier.pk}" in err.value.fields


@pytest.mark.parametrize("missing", ["number", "decided_on"])
def test_decision_without_number_or_date_writes_nothing(scored, province_officer_a, missing):
    dossier = scored(4)
    with pytest.raises(ValidationError) as err:
        _record(province_officer_a, [dossier], **{missing: "" if missing == "number" else None})
    assert missing in err.value.fields
    assert not Decision.objects.exists() and not Certificate.objects.exists()
    assert Dossier.objects.get(pk=dossier.pk).status == S.SCORED


def test_five_stars_are_not_recognised_by_a_provincial_decision(scored, province_officer_a):
    dossier = scored(5)
    with pytest.raises(ValidationError) as err:
        _record(province_officer_a, [dossier])
    assert f"dossiers.{dossier.pk}" in err.value.fields
    assert not Decision.objects.exists()


def test_central_decision_certifies_five_stars(scored, central_officer, province_officer_a):
    dossier = scored(5)
    Dossier.objects.filter(pk=dossier.pk).update(status=S.CENTRAL_SCORING)
    make_result(dossier, level="central", mean="93.00", star=5)
    # a provincial officer cannot record the ministry's decision
    with pytest.raises(PermissionDenied):
        _record(province_officer_a, [dossier], level="central")
    # when
    record = _record(central_officer, [dossier], level="central", number="9/QĐ-BNNMT")
    # then
    cert = record.certificates[0]
    assert (cert.star, cert.issuing_level, str(cert.score)) == (5, "central", "93.00")
    assert Dossier.objects.get(pk=dossier.pk).status == S.RECOGNISED_CENTRAL


def test_province_recognises_on_the_central_result_after_fallback(scored, province_officer_a):
    # given the centre scored 4★ and returned the dossier to the province (Art. 7(4))
    dossier = scored(5)
    Dossier.objects.filter(pk=dossier.pk).update(status=S.CENTRAL_FALLBACK)
    make_result(dossier, level="central", mean="86.00", star=4)
    # when
    record = _record(province_officer_a, [dossier])
    # then the certificate carries the central council's star and score
    assert (record.certificates[0].star, str(record.certificates[0].score)) == (4, "86.00")
    assert Dossier.objects.get(pk=dossier.pk).status == S.RECOGNISED_PROVINCIAL


def test_wrong_level_for_the_dossier_status(scored, central_officer):
    dossier = scored(4)
    with pytest.raises(ValidationError) as err:
        _record(central_officer, [dossier], level="central")
    assert f"dossiers.{dossier.pk}" in err.value.fields


def test_another_province_officer_cannot_decide(scored, province_officer_b):
    dossier = scored(4)
    with pytest.raises(NotFound):
        _record(province_officer_b, [dossier])
    assert not Decision.objects.exists()


def test_a_producer_cannot_record_a_decision(scored, producer):
    from ocop.evaluation.tests.factories import bind_producer

    dossier = scored(4)
    bind_producer(producer, dossier.subject)
    with pytest.raises(PermissionDenied):
        _record(producer, [dossier])


def test_empty_list_and_unknown_level_are_refused(province_officer_a):
    with pytest.raises(ValidationError) as err:
        _record(province_officer_a, [])
    assert "dossiers" in err.value.fields
    with pytest.raises(ValidationError) as err:
        _record(province_officer_a, [], level="district")
    assert "level" in err.value.fields


def test_certificate_list_is_scoped(scored, province_officer_a, province_officer_b, central_officer, producer):
    from ocop.evaluation.tests.factories import bind_producer

    dossier = scored(4)
    _record(province_officer_a, [dossier])
    bind_producer(producer, dossier.subject)

    assert certificate_list_for_user(user=province_officer_a).count() == 1
    assert certificate_list_for_user(user=central_officer).count() == 1
    assert certificate_list_for_user(user=producer).count() == 1
    assert certificate_list_for_user(user=province_officer_b).count() == 0


def test_reevaluation_not_recognised_ends_the_old_certificates_grace(scored, province_officer_a, regime):
    from ocop.certification.services import certificate_reevaluation_file, decision_create

    first = scored(4)
    decision = decision_create(
        actor=None,
        level="province",
        number="1/QĐ-UBND",
        decided_on=D(2023, 12, 1),
        province_code=first.province_code,
        regime=regime,
    )
    old = issue_certificate(regime, decision, first.product, 4)
    certificate_reevaluation_file(actor=province_officer_a, certificate=old, filed_on=old.valid_until)
    old.refresh_from_db()
    assert old.reevaluation_grace_until > old.valid_until
    again = scored(2, kind=Dossier.Kind.FIRST, product=first.product)
    Dossier.objects.filter(pk=again.pk).update(
        kind=Dossier.Kind.REEVALUATION, prior_certificate_id=old.pk, prior_certificate_star=4
    )
    again.refresh_from_db()
    # when
    _record(province_officer_a, [again], number="3/QĐ-UBND", decided_on=D(2026, 11, 20))
    # then
    old.refresh_from_db()
    assert old.reevaluation_grace_until == max(D(2026, 11, 20), old.valid_until)
