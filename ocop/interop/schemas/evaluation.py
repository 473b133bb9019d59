"""API shapes for evaluation (rounds, dossiers, councils, scoring) and decisions. Shape only: every rule is in
the services, which raise the domain errors api.py maps to {code, message, fields}."""

import datetime
from typing import Any, Literal

from ninja import Field, Schema


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


# --- rounds ---------------------------------------------------------------------------------------------------


class RoundOut(Schema):
    id: int
    level: str
    province_code: str
    year: int
    number: int
    kind: str
    regime: str
    forward_by: datetime.date
    decide_by: datetime.date
    status: str

    @staticmethod
    def resolve_regime(obj):
        return obj.regime.code


class RoundPlanIn(Schema):
    level: Literal["province", "central"]
    province_code: str = ""
    year: int = Field(..., ge=2019, le=2100)


class RoundExtraIn(RoundPlanIn):
    forward_by: datetime.date
    decide_by: datetime.date


class AnalyticsOut(Schema):
    round: int
    dossiers: list[dict[str, Any]]
    members: dict[str, dict[str, Any]]
    stars: dict[int, int]


# --- dossiers -------------------------------------------------------------------------------------------------


class DossierOut(Schema):
    id: int
    product_id: int
    product_name: str
    subject_id: int
    subject_name: str
    kind: str
    status: str
    revision: int = Field(..., description="Send back as `expected_revision` on writes; a stale one gives 409.")
    province_code: str
    commune_code: str
    regime: str
    criteria_sheet_id: int
    round_id: int | None
    central_round_id: int | None
    council_id: int | None
    filed_on: datetime.date | None
    due_on: datetime.date | None
    transition_due_on: datetime.date | None = Field(
        ...,
        description="Dossiers filed before 22/05/2026: the day the whole evaluation must be finished by "
        "(26/2026/QĐ-TTg Art. 11-12); null otherwise.",
    )
    transition_overdue: bool = Field(..., description="Past `transition_due_on` and not decided.")
    commune_reception_number: str
    province_reception_number: str
    decision_ref: str
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_product_name(obj):
        return obj.product.name

    @staticmethod
    def resolve_subject_name(obj):
        return obj.subject.name

    @staticmethod
    def resolve_regime(obj):
        return obj.regime.code

    @staticmethod
    def resolve_transition_overdue(obj):
        # The overdue list annotates it as of its `on` day; elsewhere it is as of today.
        annotated = getattr(obj, "transition_overdue", None)
        return bool(annotated) if annotated is not None else obj.is_transition_overdue


class SelfAssessmentOut(Schema):
    answers: dict[str, Any]
    total: int
    implied_star: int | None
    minimums_missed: list[dict[str, Any]]
    revision: int = Field(..., description="The dossier's revision after the save.")

    @staticmethod
    def resolve_revision(obj):
        return obj.dossier.revision


class ResultOut(Schema):
    id: int
    level: str
    mean: str
    mean_exact: str
    star: int
    band_star: int
    spread: int
    spread_flag: bool
    needs_discussion: bool
    is_final: bool
    minimums_missed: list[dict[str, Any]]
    member_totals: dict[str, Any]
    closed_at: datetime.datetime

    @staticmethod
    def resolve_mean(obj):
        return str(obj.mean)


class DossierDetailOut(DossierOut):
    form01: dict[str, Any]
    form02: dict[str, Any]
    form03: dict[str, Any]
    advisory_report: dict[str, Any]
    changes_since_recognition: str
    self_assessment: SelfAssessmentOut | None
    results: list[ResultOut]
    transitions: list[str] = Field(..., description="Statuses the caller may try to move the dossier to.")

    @staticmethod
    def resolve_self_assessment(obj):
        return getattr(obj, "self_assessment", None)

    @staticmethod
    def resolve_results(obj):
        return list(obj.results.order_by("level", "closed_at", "id"))


class DossierIn(Schema):
    product_id: int
    kind: Literal["first", "upgrade", "reevaluation"] = "first"
    product_set_code: str | None = None
    certificate_number: str | None = Field(None, description="The product's current certificate (upgrade).")
    filed_on: datetime.date | None = None
    form01: dict[str, Any] | None = None
    form02: dict[str, Any] | None = None
    changes_since_recognition: str = ""


class DossierPatch(Schema):
    expected_revision: int
    form01: dict[str, Any] | None = None
    form02: dict[str, Any] | None = None
    changes_since_recognition: str | None = None


class SelfAssessmentIn(Schema):
    expected_revision: int
    answers: dict[str, int | list[int]] = Field(..., description="Criterion id → chosen points (a list for sums).")


class RevisionIn(Schema):
    expected_revision: int


class TransitionIn(Schema):
    to: str
    reason: str = ""
    data: dict[str, Any] = {}
    expected_revision: int


class AdvisoryReportIn(Schema):
    expected_revision: int
    report: dict[str, Any]


class IssueOut(Schema):
    code: str
    message: str
    blocking: bool
    field: str


class EventOut(Schema):
    id: int
    at: datetime.datetime
    actor_id: int | None
    from_status: str
    to_status: str
    reason: str
    data: dict[str, Any]
    revision: int


class EvidenceOut(Schema):
    id: int
    subject_id: int
    kind: str
    title: str
    content_type: str
    size: int
    sha256: str
    issued_on: datetime.date | None
    expires_on: datetime.date | None


class EvidenceLinkIn(Schema):
    evidence_id: int
    criterion_id: int | None = None
    note: str = ""


class EvidenceLinkOut(Schema):
    id: int
    dossier_id: int
    evidence_id: int
    criterion_id: int | None
    note: str


# --- councils and scoring -------------------------------------------------------------------------------------


class CouncilIn(Schema):
    round_id: int
    name: str
    quorum: dict[str, Any] | None = None


class MemberOut(Schema):
    id: int
    user_id: int
    full_name: str
    role: str
    organisation: str
    active: bool

    @staticmethod
    def resolve_full_name(obj):
        return obj.user.full_name or obj.user.get_username()


class CouncilOut(Schema):
    id: int
    level: str
    province_code: str
    round_id: int
    name: str
    quorum: dict[str, Any]
    members: list[MemberOut]

    @staticmethod
    def resolve_members(obj):
        return list(obj.members.select_related("user"))


class MemberIn(Schema):
    user_id: int
    role: Literal["chair", "member", "secretary", "advisory"] = "member"
    organisation: str = ""


class ConflictIn(Schema):
    has_conflict: bool
    note: str = ""


class ConflictOut(Schema):
    id: int
    member_id: int
    dossier_id: int
    has_conflict: bool
    note: str


class OpenScoringIn(Schema):
    council_id: int | None = None
    expected_revision: int | None = None


class SessionOut(Schema):
    id: int
    council_id: int
    dossier_id: int
    level: str
    attempt: int
    status: str


class ScoreSheetIn(Schema):
    answers: dict[str, int | list[int]] = {}
    comment: str = ""
    criteria_sheet_id: int | None = Field(None, description="When given, must be the dossier's sheet (422).")


class ScoreSheetSubmitIn(Schema):
    answers: dict[str, int | list[int]] | None = None
    comment: str = ""


class ScoreSheetOut(Schema):
    id: int
    session_id: int
    attempt: int
    member_id: int
    member_name: str
    member_role: str
    criteria_sheet_id: int
    status: str
    answers: dict[str, Any]
    total: int
    comment: str
    submitted_at: datetime.datetime | None

    @staticmethod
    def resolve_attempt(obj):
        return obj.session.attempt

    @staticmethod
    def resolve_member_name(obj):
        return obj.member.user.full_name or obj.member.user.get_username()

    @staticmethod
    def resolve_member_role(obj):
        return obj.member.role


class CloseScoringIn(Schema):
    accept_spread: bool = False


# --- decisions and certificates -------------------------------------------------------------------------------


class DecisionIn(Schema):
    level: Literal["province", "central"]
    number: str = ""
    decided_on: datetime.date | None = None
    signer_name: str = ""
    signer_title: str = ""
    issuing_body: str = ""
    note: str = ""
    dossier_ids: list[int] = Field(..., min_length=1)


class CertificateBrief(Schema):
    number: str
    product_id: int
    star: int
    score: str | None
    valid_from: datetime.date | None
    valid_until: datetime.date | None

    @staticmethod
    def resolve_score(obj):
        return None if obj.score is None else str(obj.score)


class DecisionOut(Schema):
    id: int
    level: str
    number: str
    decided_on: datetime.date
    issuing_body: str
    province_code: str
    signer_name: str
    signer_title: str
    regime: str | None
    certificates: list[CertificateBrief]
    recognised: list[int]
    not_recognised: list[int]


class CertificateListOut(Schema):
    id: int
    number: str | None
    star: int
    score: str | None
    product_id: int
    product_name: str
    ocop_code: str
    subject_name: str
    province_code: str
    status: Literal["valid", "expired", "revoked", "superseded", "not_yet_valid"]
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    decision_number: str
    decided_on: datetime.date | None
    level: str
    superseded_by: str | None

    @staticmethod
    def resolve_score(obj):
        return None if obj.score is None else str(obj.score)

    @staticmethod
    def resolve_product_name(obj):
        return obj.product.name

    @staticmethod
    def resolve_ocop_code(obj):
        return obj.product.ocop_code

    @staticmethod
    def resolve_subject_name(obj):
        return obj.product.subject.name

    @staticmethod
    def resolve_province_code(obj):
        return obj.product.subject.province_code

    @staticmethod
    def resolve_status(obj):
        from ocop.certification.selectors import certificate_status

        return certificate_status(obj)

    @staticmethod
    def resolve_level(obj):
        return obj.issuing_level

    @staticmethod
    def resolve_superseded_by(obj):
        return obj.superseded_by.number if obj.superseded_by_id else None


class RevocationIn(Schema):
    ground: str
    conclusion_on: datetime.date | None = None
    report: str = ""
    decision_number: str = ""
    decided_on: datetime.date | None = None


class RevocationOut(Schema):
    id: int
    certificate_number: str
    ground: str
    conclusion_on: datetime.date
    report: str
    decision_number: str
    decided_on: datetime.date
    level: str
    certificate_status: str
