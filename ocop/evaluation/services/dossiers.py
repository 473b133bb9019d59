"""Dossiers: creation, editing, self-assessment, evidence, checks, submission and every status move.

Every move locks the dossier row (`select_for_update`), checks the caller's revision, writes a DossierEvent and
an audit event in the same transaction (DESIGN.md §3).
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.audit import audit_record
from ocop.core.errors import Conflict, PermissionDenied, ValidationError
from ocop.core.files import sniff_content_type
from ocop.core.text import nfc
from ocop.evaluation import access, rules, workflow
from ocop.evaluation.models import (
    CriteriaSheet,
    Criterion,
    Dossier,
    DossierEvent,
    DossierEvidence,
    Evidence,
    ReceptionCounter,
    SelfAssessment,
)
from ocop.evaluation.selectors import (
    criteria_sheet_spec,
    regime_for_filing,
    regime_scoring_policy,
    regime_transition_for,
)
from ocop.evaluation.services.rounds import holidays, round_for_forwarding, today

S = Dossier.Status
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024  # platform limit on uploads, not a legal number
# Form 02 (Phụ lục III Mẫu 02) sections the subject fills before submitting.
FORM02_SECTIONS = ("general", "legal_papers", "history", "business_results", "plan_ahead")
FORM02_GENERAL_FIELDS = ("representative_gender", "representative_ethnicity")


# --- creation and editing -----------------------------------------------------------------------------------


def _sheet_for(*, regime, product, product_set_code: str | None) -> CriteriaSheet:
    code = product_set_code
    if not code and product.category_id and product.category.level == "product_set":
        code = product.category.code
    if not code:
        raise ValidationError(
            _("Chưa xác định bộ sản phẩm để chọn phiếu đánh giá."),
            code="product_set_missing",
            fields={"product_set": _("Bắt buộc.")},
        )
    sheet = CriteriaSheet.objects.filter(version=regime.criteria_version, product_set__code=str(code)).first()
    if sheet is None:
        raise ValidationError(
            _("Không có phiếu đánh giá cho bộ sản phẩm này trong bộ tiêu chí %(version)s.")
            % {"version": regime.criteria_version.code},
            code="sheet_missing",
            fields={"product_set": _("Không có phiếu đánh giá.")},
        )
    return sheet


def _reevaluation_deadlines(regime) -> tuple[dict | None, int | None]:
    deadlines = regime.deadlines or {}
    return deadlines.get("reevaluation_window_days_before_expiry"), deadlines.get(
        "late_reevaluation_extension_max_days"
    )


def reevaluation_window_check(*, regime, expires_on: datetime.date, filed_on: datetime.date) -> None:
    """A re-evaluation is filed no earlier than 180 and no later than 120 days before expiry (26/2026/QĐ-TTg
    Điều 7 khoản 6; the numbers are the regime's data). Raises ValidationError `reevaluation_window` naming the
    window and, per Điều 12 khoản 3, how long the old certificate stays valid while a late filing is decided."""
    window_data, grace_days = _reevaluation_deadlines(regime)
    if not window_data:
        return  # the regime's data sets no window (148 and earlier)
    window = rules.reevaluation_window(
        expires_on=expires_on, earliest_days=window_data["earliest"], latest_days=window_data["latest"]
    )
    if window.contains(filed_on):
        return
    params = {
        "opens": window.opens_on.strftime("%d/%m/%Y"),
        "closes": window.closes_on.strftime("%d/%m/%Y"),
        "expires": expires_on.strftime("%d/%m/%Y"),
    }
    message = _("Hồ sơ đánh giá lại chỉ được nộp từ %(opens)s đến %(closes)s (giấy chứng nhận hết hạn %(expires)s).")
    if grace_days is not None:
        params["grace"] = rules.certificate_grace_until(expires_on=expires_on, max_days=grace_days).strftime("%d/%m/%Y")
        message = _(
            "Hồ sơ đánh giá lại chỉ được nộp từ %(opens)s đến %(closes)s (giấy chứng nhận hết hạn %(expires)s). "
            "Nộp ngoài thời hạn này, giấy chứng nhận cũ còn hiệu lực đến khi có quyết định nhưng không quá %(grace)s."
        )
    raise ValidationError(message % params, code="reevaluation_window", fields={"kind": message % params})


def _transition_due_on(*, regime, kind: str, filed_on: datetime.date | None) -> datetime.date | None:
    """26/2026/QĐ-TTg Điều 11-12: the finish-by day of a dossier kept under the previous regime (data)."""
    return rules.transition_due_on(
        filed_on=filed_on,
        reevaluation=kind == Dossier.Kind.REEVALUATION,
        transition=regime_transition_for(regime=regime),
    )


@transaction.atomic
def dossier_create(
    *,
    actor,
    product,
    kind: str = Dossier.Kind.FIRST,
    filed_on: datetime.date | None = None,
    product_set_code: str | None = None,
    certificate=None,
    form01: dict | None = None,
    form02: dict | None = None,
    changes_since_recognition: str = "",
) -> Dossier:
    """Open a draft dossier for `product` (26/2026/QĐ-TTg Điều 6).

    The regime follows the filing date (`filed_on`, default today): dossiers filed before 22/05/2026 follow
    148 as amended by 1489 (Điều 12) and its criteria version, and get the transition deadline
    (`transition_due_on`, recomputed at submission). `certificate` (any object with `pk`, `star`,
    `valid_until`, e.g. certification.Certificate) is required for upgrades and re-evaluations; a
    re-evaluation must be filed inside the window before its expiry and is pre-filled from the product's last
    dossier, and decided by written opinions (Điều 7 khoản 6). Raises PermissionDenied, ValidationError.
    Writes a DossierEvent ("" → draft) and the audit event `evaluation.dossier_created`.
    """
    subject = product.subject
    access.ensure_can_create_dossier(actor, subject)
    if kind not in Dossier.Kind.values:
        raise ValidationError(fields={"kind": _("Loại hồ sơ không hợp lệ.")})
    day = filed_on or today()
    regime = regime_for_filing(filed_on=day)
    sheet = _sheet_for(regime=regime, product=product, product_set_code=product_set_code)
    previous = Dossier.objects.filter(product=product).exclude(status=S.DRAFT).order_by("-created_at", "-id").first()
    if kind != Dossier.Kind.FIRST:
        if certificate is None or getattr(certificate, "valid_until", None) is None:
            raise ValidationError(
                _("Hồ sơ nâng hạng hoặc đánh giá lại cần giấy chứng nhận đang có."),
                code="certificate_required",
                fields={"certificate": _("Bắt buộc.")},
            )
        if kind == Dossier.Kind.REEVALUATION:
            reevaluation_window_check(regime=regime, expires_on=certificate.valid_until, filed_on=day)
    if kind == Dossier.Kind.REEVALUATION and previous is not None:
        form01 = form01 if form01 is not None else dict(previous.form01)
        form02 = form02 if form02 is not None else dict(previous.form02)
    dossier = Dossier.objects.create(
        product=product,
        subject=subject,
        kind=kind,
        regime=regime,
        criteria_sheet=sheet,
        province_code=subject.province_code,
        commune_code=subject.current_commune_code,
        filed_on=filed_on,
        transition_due_on=_transition_due_on(regime=regime, kind=kind, filed_on=filed_on),
        form01=form01 or {},
        form02=form02 or {},
        changes_since_recognition=nfc(changes_since_recognition or ""),
        previous_dossier=previous,
        prior_certificate_id=getattr(certificate, "pk", None),
        prior_certificate_star=getattr(certificate, "star", None),
        prior_certificate_valid_until=getattr(certificate, "valid_until", None),
        written_opinions=kind == Dossier.Kind.REEVALUATION,
        created_by=actor,
        status_changed_at=timezone.now(),
    )
    reuse = previous is not None and kind == Dossier.Kind.REEVALUATION and previous.criteria_sheet_id == sheet.pk
    if reuse and hasattr(previous, "self_assessment"):
        SelfAssessment.objects.create(dossier=dossier, answers=dict(previous.self_assessment.answers))
    DossierEvent.objects.create(dossier=dossier, actor=actor, to_status=S.DRAFT, revision=dossier.revision)
    audit_record(
        action="evaluation.dossier_created",
        actor=actor,
        target=dossier,
        data={"kind": kind, "regime": regime.code, "sheet": sheet.pk},
    )
    return dossier


def _locked(dossier: Dossier, expected_revision: int | None) -> Dossier:
    """Re-read the row under a lock; a stale revision means someone else changed it first (Conflict)."""
    locked = Dossier.objects.select_for_update().select_related("regime", "criteria_sheet").get(pk=dossier.pk)
    if expected_revision is not None and locked.revision != expected_revision:
        raise Conflict(code="dossier_revision_conflict")
    return locked


def _bump(dossier: Dossier, *fields: str) -> None:
    dossier.revision += 1
    dossier.save(update_fields=["revision", "updated_at", *fields])


@transaction.atomic
def dossier_update(
    *,
    actor,
    dossier: Dossier,
    expected_revision: int,
    form01: dict | None = None,
    form02: dict | None = None,
    changes_since_recognition: str | None = None,
) -> Dossier:
    """Edit the subject's forms while the dossier is a draft or was returned. Raises PermissionDenied,
    ValidationError (`dossier_not_editable`), Conflict (`dossier_revision_conflict`) on a stale revision."""
    access.ensure_can_edit_dossier(actor, dossier)
    dossier = _locked(dossier, expected_revision)
    if dossier.status not in (S.DRAFT, S.RETURNED):
        raise ValidationError(_("Hồ sơ đã nộp, không sửa được."), code="dossier_not_editable")
    changed = []
    if form01 is not None:
        dossier.form01, changed = form01, [*changed, "form01"]
    if form02 is not None:
        dossier.form02, changed = form02, [*changed, "form02"]
    if changes_since_recognition is not None:
        dossier.changes_since_recognition = nfc(changes_since_recognition)
        changed.append("changes_since_recognition")
    _bump(dossier, *changed)
    audit_record(action="evaluation.dossier_updated", actor=actor, target=dossier, data={"fields": changed})
    return dossier


@transaction.atomic
def self_assessment_save(*, actor, dossier: Dossier, answers: dict, expected_revision: int) -> SelfAssessment:
    """Save the producer's self-scoring (Mẫu 02): the running total, the star it implies and the star minimums
    it misses, computed by rules.py on the dossier's sheet. Partial answers are allowed until submission.
    Raises PermissionDenied, ValidationError (bad points, `dossier_not_editable`, `sheet_invalid`), Conflict."""
    access.ensure_can_edit_dossier(actor, dossier)
    dossier = _locked(dossier, expected_revision)
    if dossier.status not in (S.DRAFT, S.RETURNED):
        raise ValidationError(_("Hồ sơ đã nộp, không sửa được."), code="dossier_not_editable")
    spec = criteria_sheet_spec(sheet=dossier.criteria_sheet)
    answers = {str(k): v for k, v in answers.items()}
    points = rules.scored_points(spec, answers, require_complete=False)
    total = sum(points.values())
    policy = regime_scoring_policy(regime=dossier.regime)
    star = rules.star_rating(total=total, achieved=points, sheet=spec, bands=policy.bands)
    band = rules.star_band(total, policy.bands)
    missed = rules.minimums_missed(spec, points, band) if star != band else []
    assessment, _created = SelfAssessment.objects.update_or_create(
        dossier=dossier,
        defaults={
            "answers": answers,
            "total": total,
            "implied_star": star,
            "minimums_missed": [
                {"criterion": m.criterion_code, "stars": m.stars, "required": m.required_points} for m in missed
            ],
        },
    )
    _bump(dossier)
    return assessment


# --- evidence -----------------------------------------------------------------------------------------------


@transaction.atomic
def evidence_upload(
    *,
    actor,
    subject,
    file,
    title: str,
    kind: str = Evidence.Kind.OTHER,
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
) -> Evidence:
    """Add a document to the subject's evidence library, stored in private storage (PRIVATE_ROOT).

    PDF, JPEG or PNG only, decided by the file's content, and at most 10 MB. Raises PermissionDenied,
    ValidationError (`evidence_type`, `evidence_too_large`, bad dates).
    """
    access.ensure_can_upload_evidence(actor, subject)
    title = nfc(title or "")
    if not title:
        raise ValidationError(fields={"title": _("Bắt buộc.")})
    if kind not in Evidence.Kind.values:
        raise ValidationError(fields={"kind": _("Loại minh chứng không hợp lệ.")})
    if issued_on and expires_on and expires_on < issued_on:
        raise ValidationError(fields={"expires_on": _("Ngày hết hạn phải sau ngày cấp.")})
    file.seek(0)
    content = file.read(EVIDENCE_MAX_BYTES + 1)
    if len(content) > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("Tệp vượt quá 10 MB."), code="evidence_too_large", fields={"file": _("Tệp vượt quá 10 MB.")}
        )
    content_type = sniff_content_type(content[:16])
    if content_type is None:
        message = _("Chỉ nhận tệp PDF, JPEG hoặc PNG.")
        raise ValidationError(message, code="evidence_type", fields={"file": message})
    file.seek(0)
    evidence = Evidence(
        subject=subject,
        kind=kind,
        title=title,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        issued_on=issued_on,
        expires_on=expires_on,
        uploaded_by=actor,
    )
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[content_type]
    evidence.file.save(f"{evidence.sha256[:16]}.{extension}", ContentFile(content), save=False)
    evidence.save()
    audit_record(action="evaluation.evidence_uploaded", actor=actor, target=evidence, data={"kind": kind})
    return evidence


@transaction.atomic
def dossier_evidence_link(
    *, actor, dossier: Dossier, evidence: Evidence, criterion: Criterion | None = None, note: str = ""
) -> DossierEvidence:
    """Attach library evidence to the dossier, optionally against a criterion of the dossier's sheet."""
    access.ensure_can_edit_dossier(actor, dossier)
    if dossier.status not in (S.DRAFT, S.RETURNED):
        raise ValidationError(_("Hồ sơ đã nộp, không sửa được."), code="dossier_not_editable")
    if evidence.subject_id != dossier.subject_id:
        raise ValidationError(fields={"evidence": _("Minh chứng không thuộc chủ thể của hồ sơ.")})
    if criterion is not None and criterion.sheet_id != dossier.criteria_sheet_id:
        raise ValidationError(fields={"criterion": _("Tiêu chí không thuộc phiếu đánh giá của hồ sơ.")})
    link, _created = DossierEvidence.objects.get_or_create(
        dossier=dossier, evidence=evidence, criterion=criterion, defaults={"note": nfc(note)}
    )
    return link


# --- checks and submission ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DossierIssue:
    code: str
    message: str
    blocking: bool = True
    field: str = ""


def dossier_check(*, dossier: Dossier, on: datetime.date | None = None) -> list[DossierIssue]:
    """What stops (or should be fixed before) submission: forms incomplete, self-assessment incomplete, an
    unusable sheet, an upgrade without its changes since recognition (Điều 6), an expired food-safety
    certificate among the evidence. Read-only."""
    on = on or today()
    issues: list[DossierIssue] = []
    if not dossier.criteria_sheet.is_valid:
        issues.append(DossierIssue("sheet_invalid", str(_("Phiếu đánh giá đang có lỗi dữ liệu, chờ đính chính."))))
    form02 = dossier.form02 or {}
    for section in FORM02_SECTIONS:
        if not form02.get(section):
            issues.append(
                DossierIssue("form02_incomplete", str(_("Mẫu 02 còn thiếu mục này.")), field=f"form02.{section}")
            )
    general = form02.get("general") or {}
    for name in FORM02_GENERAL_FIELDS:
        if general and not str(general.get(name, "")).strip():
            issues.append(
                DossierIssue("form02_incomplete", str(_("Mẫu 02 còn thiếu mục này.")), field=f"form02.general.{name}")
            )
    if dossier.kind == Dossier.Kind.UPGRADE and not dossier.changes_since_recognition.strip():
        issues.append(
            DossierIssue(
                "upgrade_changes_missing",
                str(_("Hồ sơ nâng hạng cần nêu các thay đổi từ khi được công nhận.")),
                field="changes_since_recognition",
            )
        )
    assessment = getattr(dossier, "self_assessment", None)
    criteria_count = Criterion.objects.filter(sheet=dossier.criteria_sheet_id).count()
    if assessment is None or len(assessment.answers) < criteria_count:
        issues.append(DossierIssue("self_assessment_incomplete", str(_("Chưa tự đánh giá đủ các tiêu chí."))))
    expired = dossier.evidence_links.filter(
        evidence__kind=Evidence.Kind.FOOD_SAFETY, evidence__expires_on__lt=on
    ).select_related("evidence")
    for link in expired:
        issues.append(
            DossierIssue(
                "food_safety_expired",
                str(
                    _("Giấy chứng nhận an toàn thực phẩm “%(title)s” đã hết hạn ngày %(date)s.")
                    % {"title": link.evidence.title, "date": link.evidence.expires_on.strftime("%d/%m/%Y")}
                ),
                field="evidence",
            )
        )
    return issues


def _snapshot(dossier: Dossier) -> dict:
    assessment = getattr(dossier, "self_assessment", None)
    return {
        "revision": dossier.revision,
        "regime": dossier.regime.code,
        "criteria_sheet": dossier.criteria_sheet_id,
        "product": {"id": dossier.product_id, "name": dossier.product.name, "ocop_code": dossier.product.ocop_code},
        "subject": {"id": dossier.subject_id, "name": dossier.subject.name},
        "form01": dossier.form01,
        "form02": dossier.form02,
        "changes_since_recognition": dossier.changes_since_recognition,
        "self_assessment": {"answers": assessment.answers, "total": assessment.total} if assessment else None,
        "evidence": [
            {
                "id": link.evidence_id,
                "title": link.evidence.title,
                "sha256": link.evidence.sha256,
                "criterion": link.criterion_id,
            }
            for link in dossier.evidence_links.select_related("evidence")
        ],
    }


def dossier_submit(*, actor, dossier: Dossier, expected_revision: int) -> Dossier:
    """Submit (or resubmit after a return) the dossier to the commune (26/2026/QĐ-TTg Điều 7 khoản 1).

    Refused while `dossier_check` finds blocking issues (ValidationError `dossier_incomplete`, with the issues
    as fields) or when the filing date now falls under another regime (`regime_changed`). Records the filing
    date, a snapshot of the dossier and the commune's due date (15 working days, data).
    """
    with transaction.atomic():
        access.ensure_can_edit_dossier(actor, dossier)
        locked = _locked(dossier, expected_revision)
        filed_on = locked.filed_on or today()
        if regime_for_filing(filed_on=filed_on).pk != locked.regime_id:
            raise ValidationError(
                _("Hồ sơ lập theo quy trình cũ; ngày nộp thuộc quy trình mới. Hãy lập hồ sơ mới."),
                code="regime_changed",
            )
        issues = [i for i in dossier_check(dossier=locked) if i.blocking]
        if issues:
            raise ValidationError(
                _("Hồ sơ chưa đủ để nộp."),
                code="dossier_incomplete",
                fields={(i.field or i.code): i.message for i in issues},
            )
        locked.filed_on = filed_on
        locked.transition_due_on = _transition_due_on(regime=locked.regime, kind=locked.kind, filed_on=filed_on)
        locked.snapshot = _snapshot(locked)
        locked.save(update_fields=["filed_on", "transition_due_on", "snapshot"])
        return _transition(
            actor=actor, dossier=locked, to=S.SUBMITTED, expected_revision=None, via="dossier_submit", locked=True
        )


# --- transitions --------------------------------------------------------------------------------------------


def _highest_issued(*, field: str, scope: dict, year: int) -> int:
    """The highest sequence already printed in `field` for the scope and year (numbers issued before the
    counter existed, or imported)."""
    numbers = Dossier.objects.filter(**scope, **{f"{field}__endswith": f"-{year}"}).values_list(field, flat=True)
    sequences = [int(n.split("/", 1)[0]) for n in numbers if n.split("/", 1)[0].isdigit()]
    return max(sequences, default=0)


def _next_reception_number(*, issuer: str, dossier: Dossier) -> str:
    """The next Form 01 reception number of the commune or the province (Phụ lục III Mẫu 01).

    Race: two officers receiving two dossiers of the same commune at once used to count the same rows and
    print the same number. The year's ReceptionCounter row is locked (`select_for_update`) for the rest of the
    transaction, so allocations queue; the first one of a year creates the row in a savepoint and, if another
    transaction created it first (IntegrityError), locks theirs. The unique constraints on the number fields
    are the backstop."""
    year = today().year
    unit = dossier.commune_code if issuer == ReceptionCounter.Issuer.COMMUNE else dossier.province_code
    key = {"issuer": issuer, "unit_code": unit, "year": year}
    counter = ReceptionCounter.objects.select_for_update().filter(**key).first()
    if counter is None:
        field = f"{issuer}_reception_number"
        scope = {"commune_code": unit} if issuer == ReceptionCounter.Issuer.COMMUNE else {"province_code": unit}
        try:
            with transaction.atomic():
                counter = ReceptionCounter.objects.create(
                    **key, last=_highest_issued(field=field, scope=scope, year=year)
                )
        except IntegrityError:
            counter = ReceptionCounter.objects.select_for_update().get(**key)
    counter.last += 1
    counter.save(update_fields=["last"])
    return rules.reception_number(
        sequence=counter.last, province_code=dossier.province_code, commune_code=dossier.commune_code, year=year
    )


def _due_on(dossier: Dossier, to: str, on: datetime.date) -> datetime.date | None:
    deadlines = dossier.regime.deadlines or {}
    if to == S.SUBMITTED and deadlines.get("commune_review_working_days"):
        return rules.add_working_days(on, deadlines["commune_review_working_days"], holidays())
    if to in (S.SUBMITTED, S.COMMUNE_REVIEW):
        return dossier.due_on
    if to in workflow.TERMINAL or to == S.RETURNED:
        return None
    if (
        dossier.kind == Dossier.Kind.REEVALUATION
        and to == S.PROVINCIAL_INTAKE
        and deadlines.get("reevaluation_max_days")
    ):
        return on + datetime.timedelta(days=deadlines["reevaluation_max_days"])
    if to in (S.PROPOSED_CENTRAL, S.CENTRAL_INTAKE, S.CENTRAL_SCORING) and dossier.central_round_id:
        return dossier.central_round.decide_by
    if dossier.round_id:
        return dossier.round.decide_by
    return dossier.due_on


def _on_enter(dossier: Dossier, to: str, data: dict, on: datetime.date) -> list[str]:
    """Side work of entering a status: reception numbers, forms, round and council assignment."""
    from ocop.evaluation.models import Council

    changed = []
    if to == S.COMMUNE_REVIEW and not dossier.commune_reception_number:
        dossier.commune_reception_number = _next_reception_number(
            issuer=ReceptionCounter.Issuer.COMMUNE, dossier=dossier
        )
        changed.append("commune_reception_number")
    if to == S.FORWARDED_TO_PROVINCE:
        dossier.form03 = {**dossier.form03, **(data.get("form03") or {})}
        changed.append("form03")
        if dossier.round_id is None:
            dossier.round = round_for_forwarding(level="province", province_code=dossier.province_code, on=on)
            changed.append("round")
    if to == S.PROVINCIAL_INTAKE and not dossier.province_reception_number:
        dossier.province_reception_number = _next_reception_number(
            issuer=ReceptionCounter.Issuer.PROVINCE, dossier=dossier
        )
        changed.append("province_reception_number")
    if data.get("advisory_report"):
        dossier.advisory_report = {**dossier.advisory_report, **data["advisory_report"]}
        changed.append("advisory_report")
    if data.get("council"):
        council = Council.objects.filter(pk=data["council"]).first()
        expected_level = "central" if to in (S.CENTRAL_INTAKE, S.CENTRAL_SCORING) else "province"
        if (
            council is None
            or council.level != expected_level
            or (expected_level == "province" and council.province_code != dossier.province_code)
        ):
            raise ValidationError(fields={"council": _("Hội đồng không phù hợp với hồ sơ.")})
        dossier.council = council
        changed.append("council")
    if to == S.PROPOSED_CENTRAL:
        dossier.central_round = round_for_forwarding(level="central", province_code="", on=on)
        changed.append("central_round")
    return changed


def _transition(*, actor, dossier, to, expected_revision, reason="", data=None, via="", locked=False) -> Dossier:
    data = dict(data or {})
    reason = nfc(reason or "")
    if not locked:
        dossier = _locked(dossier, expected_revision)
    source = dossier.status
    move = workflow.transition_find(source, to)
    if move is None:
        raise ValidationError(
            _("Không thể chuyển hồ sơ từ “%(source)s” sang “%(target)s”.")
            % {"source": S(source).label, "target": S(to).label if to in S.values else to},
            code="transition_invalid",
        )
    if move.via and move.via != via:
        raise ValidationError(_("Bước này được thực hiện qua chức năng riêng."), code="transition_via_service")
    kinds = access.dossier_actor_kinds(actor, dossier)
    if not (move.actors & kinds):
        raise PermissionDenied(_("Bạn không được thực hiện bước này với hồ sơ."), code="transition_forbidden")
    if move.reason_required and not reason:
        raise ValidationError(_("Cần ghi lý do."), code="reason_required", fields={"reason": _("Bắt buộc.")})
    for guard in move.guards:
        guard(dossier, data)
    on = today()
    changed = _on_enter(dossier, to, data, on)
    dossier.status = to
    dossier.due_on = _due_on(dossier, to, on)
    dossier.status_changed_at = timezone.now()
    _bump(dossier, "status", "due_on", "status_changed_at", *changed)
    DossierEvent.objects.create(
        dossier=dossier,
        actor=actor,
        from_status=source,
        to_status=to,
        reason=reason,
        data=data,
        revision=dossier.revision,
    )
    audit_record(
        action="evaluation.dossier_transition",
        actor=actor,
        target=dossier,
        data={"from": source, "to": to, "reason": reason, "revision": dossier.revision},
    )
    return dossier


def dossier_transition(
    *, actor, dossier: Dossier, to: str, reason: str = "", data: dict | None = None, expected_revision: int
) -> Dossier:
    """Move the dossier along the workflow table (ocop.evaluation.workflow.TRANSITIONS).

    Checks, in order: the move exists (ValidationError `transition_invalid`); it is not reserved to a dedicated
    service (`transition_via_service`: submission, scoring, decisions); the actor acts in one of the allowed
    capacities (PermissionDenied `transition_forbidden`); a reason where required (`reason_required`, e.g. a
    return, Điều 7 khoản 2-3); the move's guards. Locks the row, refuses a stale `expected_revision`
    (Conflict), sets the step's due date, writes a DossierEvent and the audit event
    `evaluation.dossier_transition`. `data` carries the step's input: {"form03": {...}} when the commune
    forwards, {"council": id} at intake, {"advisory_report": {...}}, {"approval_ref": "..."} for central.
    """
    with transaction.atomic():
        access.ensure_can_view_dossier(actor, dossier)
        return _transition(
            actor=actor, dossier=dossier, to=to, reason=reason, data=data, expected_revision=expected_revision
        )


def dossier_mark_decided(
    *, actor, dossier: Dossier, decision_ref: str, expected_revision: int | None = None
) -> Dossier:
    """Record the recognition decision (called by the certification app when it issues the decision).

    scored → recognised_provincial (3★/4★, provincial chair, Điều 4 and 7 khoản 3); central_fallback →
    recognised_provincial on the central council's result (Điều 7 khoản 4); central_scoring →
    recognised_central (5★, the minister). Raises ValidationError (`decision_ref_missing`, `transition_invalid`,
    guard codes), PermissionDenied, Conflict.
    """
    decision_ref = nfc(decision_ref or "")
    if not decision_ref:
        raise ValidationError(fields={"decision_ref": _("Bắt buộc.")}, code="decision_ref_missing")
    with transaction.atomic():
        access.ensure_can_view_dossier(actor, dossier)
        locked = _locked(dossier, expected_revision)
        to = S.RECOGNISED_CENTRAL if locked.status == S.CENTRAL_SCORING else S.RECOGNISED_PROVINCIAL
        locked = _transition(
            actor=actor,
            dossier=locked,
            to=to,
            expected_revision=None,
            data={"decision_ref": decision_ref},
            via="dossier_mark_decided",
            locked=True,
        )
        locked.decision_ref = decision_ref
        locked.decided_at = timezone.now()
        locked.save(update_fields=["decision_ref", "decided_at"])
        return locked


def advisory_report_save(*, actor, dossier: Dossier, report: dict, expected_revision: int) -> Dossier:
    """The advisory team (or the provincial agency) records its review while the dossier is in advisory review:
    {"findings", "site_survey", "extra_tests_requested", ...} (26/2026/QĐ-TTg Điều 7 khoản 3). Scoring cannot
    open without findings. Raises PermissionDenied, ValidationError (`transition_invalid`), Conflict."""
    with transaction.atomic():
        access.ensure_can_view_dossier(actor, dossier)
        locked = _locked(dossier, expected_revision)
        if locked.status != S.ADVISORY_REVIEW:
            raise ValidationError(_("Hồ sơ không ở bước tổ tư vấn xem xét."), code="transition_invalid")
        if not access.dossier_actor_kinds(actor, locked) & {access.ADVISORY, access.PROVINCE}:
            raise PermissionDenied(code="advisory_only")
        locked.advisory_report = {**locked.advisory_report, **(report or {})}
        _bump(locked, "advisory_report")
        DossierEvent.objects.create(
            dossier=locked,
            actor=actor,
            from_status=locked.status,
            to_status=locked.status,
            data={"advisory_report": report},
            revision=locked.revision,
        )
        audit_record(action="evaluation.advisory_report_saved", actor=actor, target=locked)
        return locked
