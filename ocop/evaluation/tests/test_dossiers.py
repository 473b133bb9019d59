"""Dossiers: regime by filing date, re-evaluation window, checks before submission, evidence, revisions."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ocop.core.errors import Conflict, PermissionDenied, ValidationError
from ocop.evaluation import rules
from ocop.evaluation.models import Dossier, DossierEvent
from ocop.evaluation.services import (
    dossier_check,
    dossier_create,
    dossier_evidence_link,
    dossier_submit,
    dossier_transition,
    dossier_update,
    evidence_upload,
    round_plan_year,
    self_assessment_save,
)
from ocop.evaluation.services.rounds import holidays
from ocop.evaluation.tests.factories import answers, form02_complete

pytestmark = pytest.mark.django_db


class Cert:
    def __init__(self, valid_until, star=3, pk=7):
        self.valid_until, self.star, self.pk = valid_until, star, pk


def _ready(dossier, producer, sheet, points=(20, 25, 30)):
    dossier = dossier_update(
        actor=producer, dossier=dossier, expected_revision=dossier.revision, form02=form02_complete()
    )
    self_assessment_save(
        actor=producer, dossier=dossier, answers=answers(sheet, *points), expected_revision=dossier.revision
    )
    return Dossier.objects.get(pk=dossier.pk)


def test_dossier_filed_before_22_05_2026_follows_148_as_amended_by_1489(product, producer, process):
    # when
    dossier = dossier_create(actor=producer, product=product, filed_on=datetime.date(2026, 5, 21))
    # then
    assert dossier.regime.code == "148_1489"
    assert dossier.criteria_sheet == process["148_2023"]
    later = dossier_create(actor=producer, product=product, filed_on=datetime.date(2026, 5, 22))
    assert (later.regime.code, later.criteria_sheet) == ("26_2026", process["26_2026"])


def test_self_assessment_gives_total_implied_star_and_missed_minimums(product, producer, process):
    dossier = dossier_create(actor=producer, product=product)
    # when: 20 + 25 + 30 = 75 points, but criterion 1 is below its 4★ minimum (30)
    assessment = self_assessment_save(
        actor=producer, dossier=dossier, answers=answers(process["26_2026"], 20, 25, 30), expected_revision=1
    )
    # then
    assert (assessment.total, assessment.implied_star) == (75, 3)
    assert assessment.minimums_missed == [{"criterion": "1.1", "stars": 4, "required": 30}]


def test_self_assessment_refuses_points_not_on_the_sheet(product, producer, process):
    dossier = dossier_create(actor=producer, product=product)
    with pytest.raises(ValidationError):
        self_assessment_save(
            actor=producer, dossier=dossier, answers=answers(process["26_2026"], 21, 25, 30), expected_revision=1
        )


def test_reevaluation_accepted_only_180_to_120_days_before_expiry(product, producer):
    expiry = datetime.date(2027, 6, 30)
    opens, closes = expiry - datetime.timedelta(days=180), expiry - datetime.timedelta(days=120)
    for day in (opens, closes):
        dossier = dossier_create(
            actor=producer, product=product, kind="reevaluation", filed_on=day, certificate=Cert(expiry)
        )
        assert dossier.written_opinions
    for day in (opens - datetime.timedelta(days=1), closes + datetime.timedelta(days=1)):
        with pytest.raises(ValidationError) as err:
            dossier_create(actor=producer, product=product, kind="reevaluation", filed_on=day, certificate=Cert(expiry))
        assert err.value.code == "reevaluation_window"
        assert "01/01/2027" in str(err.value.message) and "02/03/2027" in str(err.value.message)
        assert "27/12/2027" in str(err.value.message)  # 180 days past expiry (Điều 12 khoản 3)


def test_certificate_grace_is_180_days_past_expiry():
    assert rules.certificate_grace_until(expires_on=datetime.date(2027, 6, 30), max_days=180) == datetime.date(
        2027, 12, 27
    )


def test_reevaluation_is_prefilled_from_the_products_last_dossier(product, producer, process):
    first = _ready(dossier_create(actor=producer, product=product), producer, process["26_2026"])
    dossier_submit(actor=producer, dossier=first, expected_revision=first.revision)
    expiry = datetime.date(2027, 6, 30)
    again = dossier_create(
        actor=producer,
        product=product,
        kind="reevaluation",
        filed_on=datetime.date(2027, 1, 10),
        certificate=Cert(expiry),
    )
    assert again.form02 == form02_complete() and again.previous_dossier == first
    assert again.self_assessment.answers == first.self_assessment.answers


def test_upgrade_needs_changes_since_recognition(product, producer, process):
    dossier = dossier_create(
        actor=producer, product=product, kind="upgrade", certificate=Cert(datetime.date(2028, 1, 1))
    )
    dossier = _ready(dossier, producer, process["26_2026"])
    assert "upgrade_changes_missing" in [i.code for i in dossier_check(dossier=dossier)]
    with pytest.raises(ValidationError) as err:
        dossier_submit(actor=producer, dossier=dossier, expected_revision=dossier.revision)
    assert err.value.code == "dossier_incomplete"


def test_expired_food_safety_certificate_is_flagged_before_submission(product, producer, process, settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path
    dossier = _ready(dossier_create(actor=producer, product=product), producer, process["26_2026"])
    pdf = SimpleUploadedFile("attp.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    evidence = evidence_upload(
        actor=producer,
        subject=product.subject,
        file=pdf,
        title="Giấy ATTP",
        kind="food_safety",
        issued_on=datetime.date(2022, 1, 1),
        expires_on=datetime.date(2025, 1, 1),
    )
    assert evidence.file.path.startswith(str(tmp_path))
    dossier_evidence_link(actor=producer, dossier=dossier, evidence=evidence)
    # then
    issues = dossier_check(dossier=dossier, on=datetime.date(2026, 6, 1))
    assert [i.code for i in issues] == ["food_safety_expired"]


def test_evidence_type_is_checked_by_content_and_size(product, producer, settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path
    fake = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as err:
        evidence_upload(actor=producer, subject=product.subject, file=fake, title="x")
    assert err.value.code == "evidence_type"
    big = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (10 * 1024 * 1024), content_type="image/png")
    with pytest.raises(ValidationError) as err:
        evidence_upload(actor=producer, subject=product.subject, file=big, title="x")
    assert err.value.code == "evidence_too_large"
    png = evidence_upload(
        actor=producer, subject=product.subject, file=io.BytesIO(b"\x89PNG\r\n\x1a\nabc"), title="ảnh"
    )
    assert png.content_type == "image/png"


def test_update_with_a_stale_revision_is_a_conflict(product, producer):
    dossier = dossier_create(actor=producer, product=product)
    dossier_update(actor=producer, dossier=dossier, expected_revision=1, form01={"a": 1})
    with pytest.raises(Conflict):
        dossier_update(actor=producer, dossier=dossier, expected_revision=1, form01={"a": 2})


def test_only_the_subjects_producer_edits_and_only_while_draft_or_returned(
    product, producer, process, commune_officer_a, province_officer_b
):
    dossier = _ready(dossier_create(actor=producer, product=product), producer, process["26_2026"])
    with pytest.raises((PermissionDenied, Exception)):
        dossier_update(actor=province_officer_b, dossier=dossier, expected_revision=dossier.revision, form01={})
    dossier = dossier_submit(actor=producer, dossier=dossier, expected_revision=dossier.revision)
    with pytest.raises(ValidationError) as err:
        dossier_update(actor=producer, dossier=dossier, expected_revision=dossier.revision, form01={})
    assert err.value.code == "dossier_not_editable"
    # a return (reason required) gives it back to the producer, with a new revision
    with pytest.raises(ValidationError):
        dossier_transition(actor=commune_officer_a, dossier=dossier, to="returned", expected_revision=dossier.revision)
    returned = dossier_transition(
        actor=commune_officer_a,
        dossier=dossier,
        to="returned",
        reason="Thiếu phiếu kiểm nghiệm",
        expected_revision=dossier.revision,
    )
    assert returned.revision == dossier.revision + 1
    dossier_update(actor=producer, dossier=returned, expected_revision=returned.revision, form01={"b": 1})
    event = DossierEvent.objects.filter(dossier=dossier, to_status="returned").get()
    assert (event.actor, event.reason, event.from_status) == (commune_officer_a, "Thiếu phiếu kiểm nghiệm", "submitted")


def test_commune_due_date_is_15_working_days_skipping_weekends_and_holidays(product, producer, process, monkeypatch):
    from ocop.evaluation.services import dossiers as module

    # Thursday 23/04/2026: weekends and the 27/04, 30/04 and 01/05 holidays are skipped
    monkeypatch.setattr(module, "today", lambda: datetime.date(2026, 5, 25))
    dossier = _ready(dossier_create(actor=producer, product=product), producer, process["26_2026"])
    submitted = dossier_submit(actor=producer, dossier=dossier, expected_revision=dossier.revision)
    assert submitted.due_on == datetime.date(2026, 6, 15)  # 25/05 (Mon) + 15 working days
    assert rules.add_working_days(datetime.date(2026, 4, 23), 15, holidays()) == datetime.date(2026, 5, 19)
    assert submitted.filed_on == datetime.date(2026, 5, 25) and submitted.snapshot["self_assessment"]["total"] == 75


def test_round_plan_reads_the_calendar_from_the_regime_data(process, province_officer_a, province_a, central_officer):
    provincial = round_plan_year(actor=province_officer_a, level="province", province_code=province_a.code, year=2027)
    assert [(r.number, r.forward_by, r.decide_by) for r in provincial] == [
        (1, datetime.date(2027, 4, 30), datetime.date(2027, 6, 30)),
        (2, datetime.date(2027, 10, 30), datetime.date(2027, 12, 30)),
    ]
    central = round_plan_year(actor=central_officer, level="central", year=2027)
    assert [(r.forward_by, r.decide_by) for r in central] == [
        (datetime.date(2027, 1, 30), datetime.date(2027, 3, 30)),
        (datetime.date(2027, 7, 30), datetime.date(2027, 9, 30)),
    ]
    again = round_plan_year(actor=province_officer_a, level="province", province_code=province_a.code, year=2027)
    assert [r.pk for r in again] == [r.pk for r in provincial]
    with pytest.raises(PermissionDenied):
        round_plan_year(actor=province_officer_a, level="central", year=2027)
