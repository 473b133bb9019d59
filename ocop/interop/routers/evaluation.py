"""Evaluation API: rounds, dossiers and their workflow, evidence, councils, conflict declarations, scoring and
results. Every operation goes through ocop.evaluation services and selectors, so scoping and the workflow rules
are the back office's: out-of-scope dossiers are 404, a forbidden move 403, a bad input 422, a stale
`expected_revision` 409."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from ocop.core.errors import NotFound, found
from ocop.evaluation import access, selectors, services, workflow
from ocop.evaluation.models import (
    Council,
    CriteriaSheet,
    Criterion,
    Dossier,
    EvaluationRound,
    Evidence,
    ScoringSession,
)
from ocop.interop.auth import api_auth
from ocop.interop.pagination import BoundedPagination
from ocop.interop.schemas.evaluation import (
    AdvisoryReportIn,
    AnalyticsOut,
    CloseScoringIn,
    ConflictIn,
    ConflictOut,
    CouncilIn,
    CouncilOut,
    DossierDetailOut,
    DossierIn,
    DossierOut,
    DossierPatch,
    ErrorOut,
    EventOut,
    EvidenceLinkIn,
    EvidenceLinkOut,
    EvidenceOut,
    IssueOut,
    MemberIn,
    MemberOut,
    OpenScoringIn,
    ResultOut,
    RevisionIn,
    RoundExtraIn,
    RoundOut,
    RoundPlanIn,
    ScoreSheetIn,
    ScoreSheetOut,
    ScoreSheetSubmitIn,
    SelfAssessmentIn,
    SelfAssessmentOut,
    SessionOut,
    TransitionIn,
)
from ocop.registry.selectors import product_get_for_user

router = Router(tags=["evaluation"], auth=api_auth)

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _dossier(request, dossier_id: int) -> Dossier:
    return selectors.dossier_get_for_user(user=request.user, pk=dossier_id)


def _detail(request, dossier_id: int) -> Dossier:
    """The dossier as DossierDetailOut reads it, with the moves the caller may try (guards not evaluated)."""
    dossier = selectors.dossier_get_for_user(user=request.user, pk=dossier_id)
    kinds = access.dossier_actor_kinds(request.user, dossier)
    dossier.transitions = [t.target for t in workflow.transitions_available(kinds=kinds, source=dossier.status)]
    return dossier


# --- rounds ---------------------------------------------------------------------------------------------------


def _round(request, round_id: int) -> EvaluationRound:
    round_ = found(EvaluationRound.objects.select_related("regime").filter(pk=round_id).first(), "round_not_found")
    access.ensure_can_view_round(request.user, round_)
    return round_


@router.get("/rounds", response={200: list[RoundOut], 401: ErrorOut}, summary="Rounds in the caller's scope")
@paginate(BoundedPagination)
def round_list(request, year: int | None = None, level: str = "", status: str = ""):
    qs = selectors.round_list_for_user(user=request.user)
    if year:
        qs = qs.filter(year=year)
    if level:
        qs = qs.filter(level=level)
    if status:
        qs = qs.filter(status=status)
    return qs


@router.post(
    "/rounds/plan", response={201: list[RoundOut], **ERRORS}, summary="Plan a year's regular rounds (idempotent)"
)
def round_plan(request, payload: RoundPlanIn):
    """From the regime's calendar (26/2026/QĐ-TTg Art. 5). Provincial officers for their province, central
    officers for any level."""
    rounds = services.round_plan_year(
        actor=request.user, level=payload.level, province_code=payload.province_code, year=payload.year
    )
    return Status(201, rounds)


@router.post("/rounds", response={201: RoundOut, **ERRORS}, summary="Create an extra round")
def round_create(request, payload: RoundExtraIn):
    round_ = services.round_create_extra(
        actor=request.user,
        level=payload.level,
        province_code=payload.province_code,
        year=payload.year,
        forward_by=payload.forward_by,
        decide_by=payload.decide_by,
    )
    return Status(201, round_)


@router.get("/rounds/{round_id}", response={200: RoundOut, **ERRORS}, summary="One round")
def round_detail(request, round_id: int):
    return _round(request, round_id)


@router.get(
    "/rounds/{round_id}/analytics", response={200: AnalyticsOut, **ERRORS}, summary="Council scoring of a round"
)
def round_analytics(request, round_id: int):
    """Members' totals against the council mean (outliers), spread per criterion, distribution by star."""
    round_ = found(EvaluationRound.objects.filter(pk=round_id).first(), "round_not_found")
    return selectors.council_round_analytics(user=request.user, round_=round_)


# --- dossiers -------------------------------------------------------------------------------------------------


@router.get("/dossiers", response={200: list[DossierOut], 401: ErrorOut}, summary="Dossiers in the caller's scope")
@paginate(BoundedPagination)
def dossier_list(request, status: str = "", round_id: int | None = None, province: str = ""):
    """Producers see their subjects' dossiers; officers their commune/province (not drafts); council members
    their council's; central officers all."""
    qs = selectors.dossier_list_for_user(user=request.user, status=status or None)
    if round_id:
        qs = qs.filter(Q(round_id=round_id) | Q(central_round_id=round_id))
    if province:
        qs = qs.filter(province_code=province)
    return qs


@router.get(
    "/dossiers/overdue", response={200: list[DossierOut], 401: ErrorOut}, summary="Dossiers past their step's due date"
)
@paginate(BoundedPagination)
def dossier_overdue(request, on: datetime.date | None = None, transition: bool = False):
    """Past the current step's due date, or past the transition deadline (dossiers filed before 22/05/2026,
    26/2026/QĐ-TTg Art. 12; `transition_overdue` on each row). `transition=true`: only the latter."""
    return selectors.dossier_overdue_list(user=request.user, on=on, transition_only=transition)


@router.get("/dossiers/{dossier_id}", response={200: DossierDetailOut, **ERRORS}, summary="One dossier")
def dossier_detail(request, dossier_id: int):
    return _detail(request, dossier_id)


@router.post("/dossiers", response={201: DossierDetailOut, **ERRORS}, summary="Open a draft dossier")
def dossier_create(request, payload: DossierIn):
    """The product's producer, or an officer covering its commune (a paper dossier). Upgrades and
    re-evaluations name the product's current certificate."""
    product = product_get_for_user(user=request.user, product_id=payload.product_id)
    certificate = None
    if payload.certificate_number:
        from ocop.certification.models import Certificate
        from ocop.certification.selectors import normalise_number

        certificate = Certificate.objects.filter(
            product=product, number=normalise_number(payload.certificate_number)
        ).first()
        if certificate is None:
            raise NotFound(code="certificate_not_found")
    dossier = services.dossier_create(
        actor=request.user,
        product=product,
        kind=payload.kind,
        filed_on=payload.filed_on,
        product_set_code=payload.product_set_code,
        certificate=certificate,
        form01=payload.form01,
        form02=payload.form02,
        changes_since_recognition=payload.changes_since_recognition,
    )
    return Status(201, _detail(request, dossier.pk))


@router.patch("/dossiers/{dossier_id}", response={200: DossierDetailOut, **ERRORS}, summary="Edit a draft dossier")
def dossier_update(request, dossier_id: int, payload: DossierPatch):
    services.dossier_update(
        actor=request.user,
        dossier=_dossier(request, dossier_id),
        expected_revision=payload.expected_revision,
        form01=payload.form01,
        form02=payload.form02,
        changes_since_recognition=payload.changes_since_recognition,
    )
    return _detail(request, dossier_id)


@router.put(
    "/dossiers/{dossier_id}/self-assessment",
    response={200: SelfAssessmentOut, **ERRORS},
    summary="Save the producer's self-assessment",
)
def self_assessment_save(request, dossier_id: int, payload: SelfAssessmentIn):
    """Returns the running total, the star it implies and the star minimums it misses. Partial answers are
    fine until submission; points must be among the criterion's options (422)."""
    dossier = _dossier(request, dossier_id)
    return services.self_assessment_save(
        actor=request.user, dossier=dossier, answers=payload.answers, expected_revision=payload.expected_revision
    )


@router.post(
    "/dossiers/{dossier_id}/evidence",
    response={201: EvidenceOut, **ERRORS},
    summary="Upload evidence to the subject's library (multipart), optionally linking it to the dossier",
)
def evidence_upload(
    request,
    dossier_id: int,
    file: File[UploadedFile],
    title: Form[str],
    kind: Form[str] = "other",
    issued_on: Form[datetime.date | None] = None,
    expires_on: Form[datetime.date | None] = None,
    link: Form[bool] = True,
    criterion_id: Form[int | None] = None,
    note: Form[str] = "",
):
    """PDF, JPEG or PNG (by content), at most 10 MB; stored privately. With `link` (default) it is attached to
    the dossier, against `criterion_id` when given."""
    dossier = _dossier(request, dossier_id)
    evidence = services.evidence_upload(
        actor=request.user,
        subject=dossier.subject,
        file=file,
        title=title,
        kind=kind,
        issued_on=issued_on,
        expires_on=expires_on,
    )
    if link:
        services.dossier_evidence_link(
            actor=request.user, dossier=dossier, evidence=evidence, criterion=_criterion(criterion_id), note=note
        )
    return Status(201, evidence)


def _criterion(criterion_id: int | None):
    if criterion_id is None:
        return None
    return found(Criterion.objects.filter(pk=criterion_id).first(), "criterion_not_found")


@router.get(
    "/dossiers/{dossier_id}/evidence",
    response={200: list[EvidenceLinkOut], **ERRORS},
    summary="Evidence attached to a dossier",
)
def evidence_link_list(request, dossier_id: int):
    return list(_dossier(request, dossier_id).evidence_links.order_by("id"))


@router.post(
    "/dossiers/{dossier_id}/evidence-links",
    response={201: EvidenceLinkOut, **ERRORS},
    summary="Attach library evidence to a dossier",
)
def evidence_link(request, dossier_id: int, payload: EvidenceLinkIn):
    dossier = _dossier(request, dossier_id)
    evidence = Evidence.objects.filter(pk=payload.evidence_id, subject_id=dossier.subject_id).first()
    found(evidence, "evidence_not_found")
    link = services.dossier_evidence_link(
        actor=request.user,
        dossier=dossier,
        evidence=evidence,
        criterion=_criterion(payload.criterion_id),
        note=payload.note,
    )
    return Status(201, link)


@router.get("/dossiers/{dossier_id}/check", response={200: list[IssueOut], **ERRORS}, summary="What blocks submission")
def dossier_check(request, dossier_id: int):
    return services.dossier_check(dossier=_dossier(request, dossier_id))


@router.post(
    "/dossiers/{dossier_id}/submit", response={200: DossierDetailOut, **ERRORS}, summary="Submit to the commune"
)
def dossier_submit(request, dossier_id: int, payload: RevisionIn):
    """Refused (422 `dossier_incomplete`, one field per issue) while the check finds blocking issues."""
    services.dossier_submit(
        actor=request.user, dossier=_dossier(request, dossier_id), expected_revision=payload.expected_revision
    )
    return _detail(request, dossier_id)


@router.post(
    "/dossiers/{dossier_id}/transitions",
    response={200: DossierDetailOut, **ERRORS},
    summary="Move the dossier along the workflow",
)
def dossier_transition(request, dossier_id: int, payload: TransitionIn):
    """`data` carries the step's input: {"form03": {...}} when the commune forwards, {"council": id} at intake,
    {"advisory_report": {...}}, {"approval_ref": "..."} to propose to the centre. Submission, scoring and
    decisions have their own endpoints (422 `transition_via_service`)."""
    services.dossier_transition(
        actor=request.user,
        dossier=_dossier(request, dossier_id),
        to=payload.to,
        reason=payload.reason,
        data=payload.data,
        expected_revision=payload.expected_revision,
    )
    return _detail(request, dossier_id)


@router.post(
    "/dossiers/{dossier_id}/advisory-report",
    response={200: DossierDetailOut, **ERRORS},
    summary="The advisory team's findings",
)
def advisory_report_save(request, dossier_id: int, payload: AdvisoryReportIn):
    services.advisory_report_save(
        actor=request.user,
        dossier=_dossier(request, dossier_id),
        report=payload.report,
        expected_revision=payload.expected_revision,
    )
    return _detail(request, dossier_id)


@router.get("/dossiers/{dossier_id}/events", response={200: list[EventOut], **ERRORS}, summary="The dossier's history")
@paginate(BoundedPagination)
def dossier_events(request, dossier_id: int):
    return _dossier(request, dossier_id).events.order_by("at", "id")


@router.get("/dossiers/{dossier_id}/results", response={200: list[ResultOut], **ERRORS}, summary="Council results")
def dossier_results(request, dossier_id: int):
    return list(_dossier(request, dossier_id).results.order_by("level", "closed_at", "id"))


# --- councils -------------------------------------------------------------------------------------------------


def _council(request, council_id: int) -> Council:
    council = found(Council.objects.select_related("round").filter(pk=council_id).first(), "council_not_found")
    access.ensure_can_view_round(request.user, council.round)
    return council


@router.post("/councils", response={201: CouncilOut, **ERRORS}, summary="Set up a round's council")
def council_create(request, payload: CouncilIn):
    council = services.council_create(
        actor=request.user, round_=_round(request, payload.round_id), name=payload.name, quorum=payload.quorum
    )
    return Status(201, council)


@router.get("/councils/{council_id}", response={200: CouncilOut, **ERRORS}, summary="One council and its members")
def council_detail(request, council_id: int):
    return _council(request, council_id)


@router.post(
    "/councils/{council_id}/members", response={201: MemberOut, **ERRORS}, summary="Seat a user on the council"
)
def council_member_add(request, council_id: int, payload: MemberIn):
    council = _council(request, council_id)
    user = found(get_user_model().objects.filter(pk=payload.user_id, is_active=True).first(), "user_not_found")
    member = services.council_member_add(
        actor=request.user, council=council, user=user, role=payload.role, organisation=payload.organisation
    )
    return Status(201, member)


@router.put(
    "/dossiers/{dossier_id}/conflict",
    response={200: ConflictOut, **ERRORS},
    summary="Declare (no) conflict of interest with a dossier",
)
def conflict_declare(request, dossier_id: int, payload: ConflictIn):
    """A member with a conflict is recused from scoring the dossier."""
    return services.conflict_declare(
        actor=request.user, dossier=_dossier(request, dossier_id), has_conflict=payload.has_conflict, note=payload.note
    )


# --- scoring --------------------------------------------------------------------------------------------------


@router.post(
    "/dossiers/{dossier_id}/scoring-sessions",
    response={201: SessionOut, **ERRORS},
    summary="Open a scoring session (moves the dossier to scoring)",
)
def scoring_open(request, dossier_id: int, payload: OpenScoringIn):
    council = None
    if payload.council_id is not None:
        council = found(Council.objects.filter(pk=payload.council_id).first(), "council_not_found")
    session = services.council_open_scoring(
        actor=request.user,
        dossier=_dossier(request, dossier_id),
        council=council,
        expected_revision=payload.expected_revision,
    )
    return Status(201, session)


@router.get(
    "/dossiers/{dossier_id}/score-sheets",
    response={200: list[ScoreSheetOut], **ERRORS},
    summary="Score sheets the caller may read",
)
def score_sheet_list(request, dossier_id: int):
    """Until the chair closes a session a member sees only their own sheet and nobody else sees any."""
    sheets = selectors.score_sheet_list_for_user(user=request.user, dossier=_dossier(request, dossier_id))
    return list(sheets.order_by("session__attempt", "member_id"))


@router.put(
    "/dossiers/{dossier_id}/score-sheet",
    response={200: ScoreSheetOut, **ERRORS},
    summary="Save the caller's draft score sheet",
)
def score_sheet_save(request, dossier_id: int, payload: ScoreSheetIn):
    sheet = None
    if payload.criteria_sheet_id is not None:
        sheet = found(CriteriaSheet.objects.filter(pk=payload.criteria_sheet_id).first(), "sheet_not_found")
    return services.score_sheet_save(
        actor=request.user,
        dossier=_dossier(request, dossier_id),
        answers=payload.answers,
        comment=payload.comment,
        criteria_sheet=sheet,
    )


@router.post(
    "/dossiers/{dossier_id}/score-sheet/submit",
    response={200: ScoreSheetOut, **ERRORS},
    summary="Submit the caller's complete score sheet",
)
def score_sheet_submit(request, dossier_id: int, payload: ScoreSheetSubmitIn):
    return services.score_sheet_submit(
        actor=request.user, dossier=_dossier(request, dossier_id), answers=payload.answers, comment=payload.comment
    )


@router.post(
    "/dossiers/{dossier_id}/scoring/close",
    response={201: ResultOut, **ERRORS},
    summary="The chair closes scoring: the council's result",
)
def scoring_close(request, dossier_id: int, payload: CloseScoringIn):
    """Mean of the members' totals and the star (docs/decisions/0004). A spread above the regime's threshold
    keeps the result as needing discussion (not final) unless `accept_spread`."""
    result = services.council_close_scoring(
        actor=request.user, dossier=_dossier(request, dossier_id), accept_spread=payload.accept_spread
    )
    return Status(201, result)


@router.get(
    "/dossiers/{dossier_id}/scoring-sessions",
    response={200: list[SessionOut], **ERRORS},
    summary="Scoring sessions of a dossier",
)
def scoring_sessions(request, dossier_id: int):
    return list(ScoringSession.objects.filter(dossier=_dossier(request, dossier_id)).order_by("level", "attempt"))
