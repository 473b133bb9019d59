import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ocop.certification.models import Certificate, Decision, Revocation
from ocop.certification.selectors import certificate_status
from ocop.certification.services import (
    certificate_reevaluation_end,
    certificate_reevaluation_file,
    certificate_revoke,
    decision_create,
)
from ocop.core.errors import Conflict, PermissionDenied, ValidationError
from ocop.core.models import AuditEvent

pytestmark = pytest.mark.django_db
D = datetime.date


# --- decisions ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "decided_on", "field"),
    [("", D(2026, 9, 1), "number"), ("  ", D(2026, 9, 1), "number"), ("1/QĐ", None, "decided_on")],
)
def test_decision_without_number_or_date_is_refused_and_nothing_is_written(
    regime, province_a, number, decided_on, field
):
    with pytest.raises(ValidationError) as exc:
        decision_create(
            actor=None,
            level="province",
            number=number,
            decided_on=decided_on,
            province_code=province_a.code,
            regime=regime,
        )

    assert exc.value.code == "decision_invalid"
    assert field in exc.value.fields
    assert not Decision.objects.exists()
    assert not AuditEvent.objects.filter(action="certification.decision.create").exists()


def test_decision_issuing_body_defaults_to_the_regime_authority(regime):
    decision = decision_create(
        actor=None, level="central", number="9/QĐ-BNNMT", decided_on=D(2026, 10, 1), regime=regime
    )

    assert decision.issuing_body == "Bộ trưởng Bộ Nông nghiệp và Môi trường"
    assert decision.province_code == ""


def test_decisions_are_recorded_by_their_own_level(
    regime, province_a, province_officer_a, province_officer_b, central_officer
):
    values = {"level": "province", "number": "1/QĐ-UBND", "decided_on": D(2026, 9, 1), "province_code": province_a.code}

    assert decision_create(actor=province_officer_a, regime=regime, **values).created_by == province_officer_a
    for outsider in (province_officer_b, central_officer):
        with pytest.raises(PermissionDenied):
            decision_create(actor=outsider, regime=regime, **values)
    with pytest.raises(PermissionDenied):
        decision_create(actor=province_officer_a, regime=regime, level="central", number="2", decided_on=D(2026, 9, 1))


# --- issue -------------------------------------------------------------------------------------------------


def test_issue_numbers_the_certificate_and_runs_36_months_from_regime_data(province_decision, product_a, issue):
    cert = issue(province_decision, product_a, 4)

    assert cert.number == f"OCOP-CN-{product_a.subject.province_code}-2026-00001"
    assert cert.issued_on == D(2026, 9, 15)
    assert cert.valid_until == D(2029, 9, 14)
    assert cert.decision_number == "1234/QĐ-UBND" and cert.issuing_level == "province"
    assert issue(province_decision, product_a, 3).number.endswith("-00002")
    assert AuditEvent.objects.filter(action="certification.certificate.issue", target_id=str(cert.pk)).exists()


def test_validity_months_are_read_from_the_regime(province_decision, product_a, issue, regime):
    regime.deadlines = {**regime.deadlines, "certificate_validity_months": 24}
    regime.save()

    assert issue(province_decision, product_a, 4).valid_until == D(2028, 9, 14)


@pytest.mark.parametrize("star", [1, 2, 6])
def test_only_three_to_five_stars_get_a_certificate(province_decision, product_a, issue, star):
    with pytest.raises(ValidationError) as exc:
        issue(province_decision, product_a, star)
    assert "star" in exc.value.fields
    assert not Certificate.objects.exists()


def test_five_stars_only_by_a_central_decision(province_decision, central_decision, product_a, issue):
    with pytest.raises(ValidationError) as exc:
        issue(province_decision, product_a, 5)
    assert "star" in exc.value.fields

    assert issue(central_decision, product_a, 5).number == "OCOP-CN-TW-2026-00001"
    with pytest.raises(ValidationError):
        issue(central_decision, product_a, 4)


def test_provincial_decision_only_for_products_of_its_province(province_decision, product_b, issue):
    with pytest.raises(ValidationError) as exc:
        issue(province_decision, product_b, 4)
    assert "decision" in exc.value.fields


@pytest.mark.parametrize(
    ("persona", "star", "allowed"),
    [
        ("province_officer_a", 4, True),
        ("province_officer_b", 4, False),
        ("central_officer", 4, False),
        ("commune_officer_a", 3, False),
        ("council_member_a", 3, False),
        ("producer", 3, False),
        ("superuser", 3, False),
        ("central_officer", 5, True),
        ("province_officer_a", 5, False),
        ("superuser", 5, False),
    ],
)
def test_issue_permission_matrix(
    request, province_decision, central_decision, product_a, issue, persona, star, allowed
):
    actor = request.getfixturevalue(persona)
    decision = central_decision if star == 5 else province_decision
    if allowed:
        assert issue(decision, product_a, star, actor=actor).pk
    else:
        with pytest.raises(PermissionDenied):
            issue(decision, product_a, star, actor=actor)
        assert not Certificate.objects.exists()


def test_upgrade_supersedes_the_previous_certificate(province_decision, central_decision, product_a, issue):
    four = issue(province_decision, product_a, 4)

    five = issue(central_decision, product_a, 5)

    four.refresh_from_db()
    assert four.status == "superseded" and four.superseded_by == five
    assert certificate_status(four, D(2026, 9, 30)) == "valid"
    assert certificate_status(four, D(2026, 10, 1)) == "superseded"
    assert certificate_status(five, D(2026, 10, 1)) == "valid"
    assert four.history.count() == 2


def test_reevaluation_reissue_supersedes_a_certificate_in_grace(regime, province_a, product_a, issue):
    old = issue(_decision(province_a, regime, D(2023, 6, 1)), product_a, 3)
    certificate_reevaluation_file(actor=None, certificate=old, filed_on=D(2026, 3, 1))

    new = issue(_decision(province_a, regime, D(2026, 7, 1), "2/QĐ"), product_a, 4)

    old.refresh_from_db()
    assert old.superseded_by == new
    assert certificate_status(old, D(2026, 6, 30)) == "valid"  # grace: expired 31/05/2026, re-evaluation pending


def _decision(province, regime, on, number="1/QĐ"):
    return decision_create(
        actor=None, level="province", number=number, decided_on=on, province_code=province.code, regime=regime
    )


# --- status and grace ----------------------------------------------------------------------------------------


def test_status_at_dates_with_reevaluation_grace(regime, province_a, product_a, issue):
    cert = issue(_decision(province_a, regime, D(2026, 6, 1)), product_a, 4)
    assert cert.valid_until == D(2029, 5, 31)
    assert certificate_status(cert, D(2026, 5, 31)) == "not_yet_valid"
    assert certificate_status(cert, D(2029, 5, 31)) == "valid"
    assert certificate_status(cert, D(2029, 6, 1)) == "expired"

    certificate_reevaluation_file(actor=None, certificate=cert, filed_on=D(2029, 5, 20))

    assert cert.reevaluation_grace_until == D(2029, 11, 27)  # 180 days past expiry
    assert certificate_status(cert, D(2029, 11, 27)) == "valid"
    assert certificate_status(cert, D(2029, 11, 28)) == "expired"

    certificate_reevaluation_end(actor=None, certificate=cert, decided_on=D(2029, 7, 10))
    assert certificate_status(cert, D(2029, 7, 10)) == "valid"
    assert certificate_status(cert, D(2029, 7, 11)) == "expired"


# --- revocation ------------------------------------------------------------------------------------------------


@pytest.fixture
def four_star(province_decision, product_a, issue):
    return issue(province_decision, product_a, 4)


def _revoke(cert, actor=None, *, ground="mark_misuse", conclusion_on=D(2027, 3, 1), decided_on=D(2027, 3, 10), **kw):
    return certificate_revoke(
        actor=actor,
        certificate=cert,
        ground=ground,
        conclusion_on=conclusion_on,
        report=kw.pop("report", "Đoàn kiểm tra xác định sản phẩm dùng biểu trưng OCOP cho sản phẩm khác."),
        decision_number=kw.pop("decision_number", "88/QĐ-UBND"),
        decided_on=decided_on,
        **kw,
    )


@pytest.mark.parametrize("ground", [g.value for g in Revocation.Ground])
def test_revocation_on_each_ground_of_article_8(four_star, province_officer_a, ground):
    revocation = _revoke(four_star, province_officer_a, ground=ground)

    assert revocation.level == "province" and revocation.decided_by == province_officer_a
    four_star.refresh_from_db()
    assert four_star.status == "revoked" and four_star.revoked_at is not None
    assert certificate_status(four_star, D(2027, 3, 9)) == "valid"
    assert certificate_status(four_star, D(2027, 3, 10)) == "revoked"
    assert AuditEvent.objects.filter(action="certification.certificate.revoke", actor=province_officer_a).exists()


def test_revocation_refuses_an_unknown_ground_and_a_missing_report(four_star):
    with pytest.raises(ValidationError) as exc:
        _revoke(four_star, ground="bad_mood", report="")
    assert set(exc.value.fields) == {"ground", "report"}


def test_revocation_must_be_decided_within_15_days_of_the_conclusion(four_star):
    with pytest.raises(ValidationError) as exc:
        _revoke(four_star, conclusion_on=D(2027, 3, 1), decided_on=D(2027, 3, 17))
    assert exc.value.code == "revocation_too_late"
    assert "15" in str(exc.value.message) and "16/03/2027" in str(exc.value.message)
    assert not Revocation.objects.exists()

    assert _revoke(four_star, conclusion_on=D(2027, 3, 1), decided_on=D(2027, 3, 16)).pk


def test_revocation_limit_comes_from_regime_data(four_star, regime):
    regime.deadlines = {**regime.deadlines, "revocation_decision_days": 30}
    regime.save()

    assert _revoke(four_star, conclusion_on=D(2027, 3, 1), decided_on=D(2027, 3, 31)).pk


def test_revocation_before_the_conclusion_is_refused(four_star):
    with pytest.raises(ValidationError):
        _revoke(four_star, conclusion_on=D(2027, 3, 10), decided_on=D(2027, 3, 1))


def test_a_certificate_is_revoked_once(four_star):
    _revoke(four_star)
    with pytest.raises(Conflict):
        _revoke(four_star)


@pytest.mark.parametrize(
    ("persona", "star", "allowed"),
    [
        ("province_officer_a", 4, True),
        ("province_officer_b", 4, False),
        ("central_officer", 4, False),
        ("commune_officer_a", 4, False),
        ("producer", 4, False),
        ("superuser", 4, False),
        ("central_officer", 5, True),
        ("province_officer_a", 5, False),
    ],
)
def test_revocation_permission_matrix(
    request, province_decision, central_decision, product_a, issue, persona, star, allowed
):
    cert = issue(central_decision if star == 5 else province_decision, product_a, star)
    actor = request.getfixturevalue(persona)
    if allowed:
        assert _revoke(cert, actor).level == ("central" if star == 5 else "province")
    else:
        with pytest.raises(PermissionDenied):
            _revoke(cert, actor)


def test_revocation_report_pdf_goes_to_private_storage(four_star, settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test report", content_type="application/pdf")

    revocation = _revoke(four_star, report_file=upload)

    assert (tmp_path / revocation.report_file.name).read_bytes().startswith(b"%PDF-")
    assert revocation.report_file.path.startswith(str(tmp_path))
    assert revocation.report_file.storage.base_url is None


def test_revocation_report_must_be_a_pdf(four_star):
    upload = SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>")
    with pytest.raises(ValidationError) as exc:
        _revoke(four_star, report_file=upload)
    assert "report_file" in exc.value.fields
    assert not Revocation.objects.exists()
