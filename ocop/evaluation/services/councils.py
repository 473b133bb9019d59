"""Councils, conflict declarations, scoring sessions, score sheets and the council's result.

26/2026/QĐ-TTg Điều 7 khoản 3-4: the council meets, scores and proposes; the result is the average of the
members' totals (Điều 3 khoản 3) with the star minimums of Phụ lục II. How the platform rounds, flags spread
and reads the minimums: docs/decisions/0004-score-rounding.md.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.audit import audit_record
from ocop.core.errors import PermissionDenied, ValidationError
from ocop.core.text import nfc
from ocop.evaluation import access, rules
from ocop.evaluation.models import (
    ConflictDeclaration,
    Council,
    CouncilMember,
    Dossier,
    DossierEvent,
    DossierResult,
    EvaluationRound,
    ScoreSheet,
    ScoringSession,
)
from ocop.evaluation.selectors import criteria_sheet_spec, regime_scoring_policy
from ocop.evaluation.services.dossiers import _locked, _transition

S = Dossier.Status
SCORING_STATUSES = {S.COUNCIL_SCORING: "province", S.CENTRAL_SCORING: "central"}


def _province_unit(province_code: str):
    from ocop.geo.models import AdminUnit

    return (
        AdminUnit.objects.filter(level="province", code=province_code, valid_until__isnull=True)
        .order_by("-valid_from")
        .first()
    )


@transaction.atomic
def council_create(*, actor, round_: EvaluationRound, name: str, quorum: dict | None = None) -> Council:
    """Set up the council of a round (the provincial chair / the minister establishes it, Điều 7 khoản 3-4;
    the standing agency records it). `quorum` is the council's operating rule as data."""
    access.ensure_can_manage_council(actor, round_)
    name = nfc(name or "")
    if not name:
        raise ValidationError(fields={"name": _("Bắt buộc.")})
    council = Council.objects.create(
        level=round_.level,
        province_code=round_.province_code,
        round=round_,
        name=name,
        quorum=quorum or {"min_fraction": "2/3", "chair_required": True},
        created_by=actor,
    )
    audit_record(action="evaluation.council_created", actor=actor, target=council)
    return council


@transaction.atomic
def council_member_add(
    *, actor, council: Council, user, role: str = CouncilMember.Role.MEMBER, organisation: str = ""
) -> CouncilMember:
    """Seat `user` on the council and give them the `council_member` role bound to it (through
    accounts.services.role_assign, so scoping works). Raises PermissionDenied, ValidationError, Conflict."""
    from ocop.accounts.models import Role, RoleAssignment
    from ocop.accounts.services import role_assign

    access.ensure_can_manage_council(actor, council)
    if role not in CouncilMember.Role.values:
        raise ValidationError(fields={"role": _("Vai trò không hợp lệ.")})
    if role == CouncilMember.Role.CHAIR and council.members.filter(role=role, active=True).exists():
        raise ValidationError(_("Hội đồng đã có chủ tịch."), code="chair_exists")
    unit = _province_unit(council.province_code) if council.level == "province" else None
    assignment = (
        RoleAssignment.objects.active().filter(user=user, role=Role.COUNCIL_MEMBER, object_id=str(council.pk)).first()
    )
    if assignment is None:
        assignment = role_assign(actor=actor, user=user, role=Role.COUNCIL_MEMBER, unit=unit, object_id=str(council.pk))
    member = CouncilMember.objects.create(
        council=council, user=user, role=role, organisation=nfc(organisation or ""), role_assignment=assignment
    )
    audit_record(
        action="evaluation.council_member_added", actor=actor, target=council, data={"user": user.pk, "role": role}
    )
    return member


def _seat(actor, dossier: Dossier) -> CouncilMember:
    seat = access.council_seat(actor, dossier.council) if dossier.council_id else None
    if seat is None:
        raise PermissionDenied(_("Bạn không phải thành viên hội đồng đánh giá hồ sơ này."), code="not_council_member")
    return seat


@transaction.atomic
def conflict_declare(*, actor, dossier: Dossier, has_conflict: bool, note: str = "") -> ConflictDeclaration:
    """A member declares (no) conflict of interest with the dossier; a conflicted member is recused from
    scoring it (a platform safeguard: the decision leaves this to the council's operating rules)."""
    seat = _seat(actor, dossier)
    declaration, _created = ConflictDeclaration.objects.update_or_create(
        member=seat, dossier=dossier, defaults={"has_conflict": bool(has_conflict), "note": nfc(note or "")}
    )
    audit_record(
        action="evaluation.conflict_declared", actor=actor, target=dossier, data={"has_conflict": has_conflict}
    )
    return declaration


def _is_recused(member: CouncilMember, dossier: Dossier) -> bool:
    return ConflictDeclaration.objects.filter(member=member, dossier=dossier, has_conflict=True).exists()


def _open_session(dossier: Dossier) -> ScoringSession | None:
    return dossier.scoring_sessions.filter(status=ScoringSession.Status.OPEN).first()


@transaction.atomic
def council_open_scoring(
    *, actor, dossier: Dossier, council: Council | None = None, expected_revision: int | None = None
) -> ScoringSession:
    """Open a scoring session of the dossier's council.

    From advisory_review (provincial council, after the advisory team's report) or central_intake (central
    council) the dossier moves to council_scoring / central_scoring. While scoring, after a closed session
    that needs discussion (spread above the threshold), a new attempt lets members score again.
    Raises ValidationError (`scoring_already_open`, `transition_invalid`, guard codes), PermissionDenied, Conflict.
    """
    access.ensure_can_view_dossier(actor, dossier)
    dossier = _locked(dossier, expected_revision)
    if _open_session(dossier) is not None:
        raise ValidationError(_("Phiên chấm điểm đang mở."), code="scoring_already_open")
    if dossier.status in (S.ADVISORY_REVIEW, S.CENTRAL_INTAKE):
        target = S.COUNCIL_SCORING if dossier.status == S.ADVISORY_REVIEW else S.CENTRAL_SCORING
        data = {"council": council.pk} if council is not None else {}
        dossier = _transition(
            actor=actor,
            dossier=dossier,
            to=target,
            expected_revision=None,
            data=data,
            via="council_open_scoring",
            locked=True,
        )
    elif dossier.status in SCORING_STATUSES:
        kinds = access.dossier_actor_kinds(actor, dossier)
        if not kinds & {access.CHAIR, access.PROVINCE, access.CENTRAL}:
            raise PermissionDenied(code="transition_forbidden")
        if dossier.results.filter(level=SCORING_STATUSES[dossier.status], is_final=True).exists():
            raise ValidationError(_("Hội đồng đã có kết quả chính thức."), code="scoring_closed")
    else:
        raise ValidationError(_("Hồ sơ chưa đến bước chấm điểm."), code="transition_invalid")
    level = SCORING_STATUSES[dossier.status]
    attempt = dossier.scoring_sessions.filter(level=level).count() + 1
    session = ScoringSession.objects.create(
        council=dossier.council, dossier=dossier, level=level, attempt=attempt, opened_by=actor
    )
    audit_record(
        action="evaluation.scoring_opened", actor=actor, target=dossier, data={"level": level, "attempt": attempt}
    )
    return session


def _scoring_seat(actor, dossier: Dossier, session: ScoringSession | None) -> CouncilMember:
    if session is None:
        raise ValidationError(_("Phiên chấm điểm đã đóng hoặc chưa mở."), code="scoring_closed")
    seat = _seat(actor, dossier)
    if seat.council_id != session.council_id:
        raise PermissionDenied(code="not_council_member")
    if not seat.scores:
        raise PermissionDenied(_("Thư ký và tổ tư vấn không chấm điểm."), code="member_does_not_score")
    if _is_recused(seat, dossier):
        raise PermissionDenied(
            _("Thành viên đã khai báo xung đột lợi ích, không chấm hồ sơ này."), code="member_recused"
        )
    return seat


def _sheet_answers(dossier: Dossier, answers: dict, *, complete: bool) -> tuple[dict, int]:
    spec = criteria_sheet_spec(sheet=dossier.criteria_sheet)
    answers = {str(k): v for k, v in (answers or {}).items()}
    points = rules.scored_points(spec, answers, require_complete=complete)
    return answers, sum(points.values())


@transaction.atomic
def score_sheet_save(*, actor, dossier: Dossier, answers: dict, comment: str = "", criteria_sheet=None) -> ScoreSheet:
    """Save a member's draft sheet. Points must be among the option values of the dossier's sheet (the sheet of
    the product's set, recorded on the dossier); partial answers allowed. Refused when scoring is closed
    (`scoring_closed`), for the secretary/advisory team (`member_does_not_score`), when recused
    (`member_recused`), when already submitted (`sheet_already_submitted`) or for another sheet (`sheet_mismatch`)."""
    dossier = Dossier.objects.select_related("criteria_sheet", "council").get(pk=dossier.pk)
    if criteria_sheet is not None and criteria_sheet.pk != dossier.criteria_sheet_id:
        raise ValidationError(_("Phiếu đánh giá không đúng bộ sản phẩm của hồ sơ."), code="sheet_mismatch")
    session = _open_session(dossier)
    session = ScoringSession.objects.select_for_update().filter(pk=getattr(session, "pk", None)).first()
    if session is None or session.status != ScoringSession.Status.OPEN:
        raise ValidationError(_("Phiên chấm điểm đã đóng hoặc chưa mở."), code="scoring_closed")
    seat = _scoring_seat(actor, dossier, session)
    answers, total = _sheet_answers(dossier, answers, complete=False)
    sheet = ScoreSheet.objects.select_for_update().filter(session=session, member=seat).first()
    if sheet is not None and sheet.status == ScoreSheet.Status.SUBMITTED:
        raise ValidationError(_("Phiếu đã nộp, không sửa được."), code="sheet_already_submitted")
    if sheet is None:
        sheet = ScoreSheet(session=session, dossier=dossier, member=seat, criteria_sheet=dossier.criteria_sheet)
    sheet.answers, sheet.total, sheet.comment = answers, total, nfc(comment or "")
    sheet.save()
    return sheet


def score_sheet_submit(*, actor, dossier: Dossier, answers: dict | None = None, comment: str = "") -> ScoreSheet:
    """Submit a member's complete sheet (every criterion scored); the total is the sum of the chosen points
    (Điều 3 khoản 1). The session row is locked so a submission and the chair's close cannot interleave.
    Same refusals as `score_sheet_save`."""
    with transaction.atomic():
        if answers is not None:
            score_sheet_save(actor=actor, dossier=dossier, answers=answers, comment=comment)
        session = (
            ScoringSession.objects.select_for_update()
            .filter(dossier=dossier, status=ScoringSession.Status.OPEN)
            .first()
        )
        dossier = Dossier.objects.select_related("criteria_sheet", "council").get(pk=dossier.pk)
        seat = _scoring_seat(actor, dossier, session)
        sheet = ScoreSheet.objects.select_for_update().filter(session=session, member=seat).first()
        if sheet is None:
            raise ValidationError(_("Chưa có phiếu để nộp."), code="sheet_missing")
        if sheet.status == ScoreSheet.Status.SUBMITTED:
            raise ValidationError(_("Phiếu đã nộp, không sửa được."), code="sheet_already_submitted")
        sheet.answers, sheet.total = _sheet_answers(dossier, sheet.answers, complete=True)
        sheet.status = ScoreSheet.Status.SUBMITTED
        sheet.submitted_at = timezone.now()
        sheet.save()
        audit_record(
            action="evaluation.score_submitted",
            actor=actor,
            target=sheet,
            data={"dossier": dossier.pk, "total": sheet.total},
        )
        return sheet


def _quorum_check(session: ScoringSession, dossier: Dossier, submitted: list[ScoreSheet]) -> None:
    seats = [m for m in session.council.members.filter(active=True) if m.scores and not _is_recused(m, dossier)]
    chair_submitted = any(s.member.role == CouncilMember.Role.CHAIR for s in submitted)
    if not rules.quorum_met(
        rule=session.council.quorum, eligible=len(seats), submitted=len(submitted), chair_submitted=chair_submitted
    ):
        raise ValidationError(
            _("Chưa đủ số thành viên nộp phiếu theo quy chế hội đồng (%(submitted)s/%(eligible)s).")
            % {"submitted": len(submitted), "eligible": len(seats)},
            code="quorum_not_met",
        )


def council_close_scoring(*, actor, dossier: Dossier, accept_spread: bool = False) -> DossierResult:
    """The chair closes scoring and the result is computed by `rules.council_result`: mean of the submitted
    members' totals (Điều 3 khoản 3), rounded per the regime's data, star = highest band reached whose marked
    minimums are met (Phụ lục II), spread flag above the regime's threshold.

    With the spread flag (and not `accept_spread`, the chair's decision after discussion) the result is kept
    with `needs_discussion` and is not final: the chair opens a new session to re-score (a written-opinions
    re-evaluation then needs a meeting, Điều 7 khoản 6). Otherwise the result is final and a provincial dossier
    moves to `scored`. Refused without quorum (`quorum_not_met`) or for anyone but the chair.
    """
    with transaction.atomic():
        dossier = _locked(dossier, None)
        session = (
            ScoringSession.objects.select_for_update()
            .filter(dossier=dossier, status=ScoringSession.Status.OPEN)
            .first()
        )
        if session is None:
            raise ValidationError(_("Phiên chấm điểm đã đóng hoặc chưa mở."), code="scoring_closed")
        seat = access.council_seat(actor, session.council)
        if seat is None or seat.role != CouncilMember.Role.CHAIR:
            raise PermissionDenied(_("Chỉ chủ tịch hội đồng được kết thúc chấm điểm."), code="chair_only")
        submitted = list(session.sheets.filter(status=ScoreSheet.Status.SUBMITTED).select_related("member__user"))
        _quorum_check(session, dossier, submitted)
        spec = criteria_sheet_spec(sheet=dossier.criteria_sheet)
        outcome = rules.council_result(
            sheet=spec,
            members=[rules.MemberSheet(member=str(s.member_id), choices=s.answers) for s in submitted],
            policy=regime_scoring_policy(regime=dossier.regime),
        )
        needs_discussion = outcome.spread_flag and not accept_spread
        now = timezone.now()
        result = DossierResult.objects.create(
            session=session,
            dossier=dossier,
            level=session.level,
            mean=outcome.mean,
            mean_exact=f"{outcome.mean_exact.numerator}/{outcome.mean_exact.denominator}",
            star=outcome.stars,
            band_star=outcome.band_stars,
            spread=outcome.spread,
            spread_flag=outcome.spread_flag,
            needs_discussion=needs_discussion,
            is_final=not needs_discussion,
            minimums_missed=[
                {
                    "criterion": m.criterion_key,
                    "code": m.criterion_code,
                    "stars": m.stars,
                    "required": m.required_points,
                    "achieved": None if m.achieved_points is None else float(m.achieved_points),
                }
                for m in outcome.missed
            ],
            member_totals=dict(outcome.member_totals),
            criteria_sheet=dossier.criteria_sheet,
            closed_by=actor,
            closed_at=now,
        )
        session.status, session.closed_by, session.closed_at = ScoringSession.Status.CLOSED, actor, now
        session.save(update_fields=["status", "closed_by", "closed_at"])
        summary = {
            "mean": str(outcome.mean),
            "star": outcome.stars,
            "spread": outcome.spread,
            "needs_discussion": needs_discussion,
        }
        if needs_discussion:
            if dossier.written_opinions and not dossier.meeting_required:
                dossier.meeting_required = True
                dossier.save(update_fields=["meeting_required"])
            DossierEvent.objects.create(
                dossier=dossier,
                actor=actor,
                from_status=dossier.status,
                to_status=dossier.status,
                reason=str(_("Chênh lệch điểm lớn, hội đồng cần thảo luận.")),
                data=summary,
                revision=dossier.revision,
            )
        elif dossier.status == S.COUNCIL_SCORING:
            _transition(
                actor=actor,
                dossier=dossier,
                to=S.SCORED,
                expected_revision=None,
                data=summary,
                via="council_close_scoring",
                locked=True,
            )
        else:
            DossierEvent.objects.create(
                dossier=dossier,
                actor=actor,
                from_status=dossier.status,
                to_status=dossier.status,
                data=summary,
                revision=dossier.revision,
            )
        audit_record(action="evaluation.scoring_closed", actor=actor, target=dossier, data=summary)
        return result
