"""The chair's pages for one dossier: who has submitted (never their scores), the quorum, closing the session,
re-scoring after a spread that needs discussion, and the council's result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.councils import common
from ocop.backoffice.councils.forms import CloseForm
from ocop.backoffice.evaluation.printing import OFFICER_KINDS
from ocop.core.errors import DomainError
from ocop.evaluation import access, rules
from ocop.evaluation.access import can_read_member_sheets
from ocop.evaluation.models import ConflictDeclaration, CouncilMember, ScoreSheet, ScoringSession
from ocop.evaluation.selectors import score_sheet_list_for_user
from ocop.evaluation.services import council_close_scoring, council_open_scoring

TEMPLATES = "backoffice/councils/"


def _submission_rows(dossier, session):
    """Each scoring seat with its state in the open session: submitted / draft / not started / recused."""
    recused = set(
        ConflictDeclaration.objects.filter(dossier=dossier, has_conflict=True).values_list("member_id", flat=True)
    )
    # Status only: the scores stay hidden until the close.
    states = dict(ScoreSheet.objects.filter(session=session).values_list("member_id", "status")) if session else {}
    rows = []
    for member in dossier.council.members.filter(active=True).select_related("user"):
        if not member.scores:
            continue
        state = "recused" if member.pk in recused else states.get(member.pk, "none")
        rows.append({"member": member, "state": state})
    return rows


def _quorum(dossier, rows):
    eligible = [r for r in rows if r["state"] != "recused"]
    submitted = [r for r in eligible if r["state"] == ScoreSheet.Status.SUBMITTED]
    chair_submitted = any(r["member"].role == CouncilMember.Role.CHAIR for r in submitted)
    rule = dossier.council.quorum or {}
    return {
        "eligible": len(eligible),
        "submitted": len(submitted),
        "min_fraction": rule.get("min_fraction", "1/2"),
        "chair_required": bool(rule.get("chair_required")),
        "met": rules.quorum_met(
            rule=rule, eligible=len(eligible), submitted=len(submitted), chair_submitted=chair_submitted
        ),
    }


def _progress_context(request, dossier, seat, close_form=None):
    session = common.open_session(dossier)
    rows = _submission_rows(dossier, session)
    results = list(dossier.results.order_by("-closed_at", "-id"))
    is_chair = seat is not None and seat.role == CouncilMember.Role.CHAIR
    kinds = access.dossier_actor_kinds(request.user, dossier)
    has_final = any(r.is_final for r in results)
    return {
        "dossier": dossier,
        "seat": seat,
        "session": session,
        "rows": rows,
        "quorum": _quorum(dossier, rows),
        "is_chair": is_chair,
        "results": results,
        "can_close": is_chair and session is not None,
        "offer_accept": any(r.needs_discussion for r in results),
        "can_reopen": session is None
        and not has_final
        and dossier.status in common.SCORING_STATUSES
        and bool(kinds & {access.CHAIR, access.PROVINCE, access.CENTRAL}),
        "close_form": close_form or CloseForm(),
    }


@login_required
def dossier_progress(request, dossier_id: int):
    dossier, seat = common.dossier_for_council_page(request.user, dossier_id)
    return render(request, TEMPLATES + "dossier_progress.html", _progress_context(request, dossier, seat))


@login_required
@require_POST
def dossier_close(request, dossier_id: int):
    dossier, seat = common.dossier_for_council_page(request.user, dossier_id)
    form = CloseForm(request.POST)
    form.is_valid()
    try:
        result = council_close_scoring(
            actor=request.user, dossier=dossier, accept_spread=form.cleaned_data.get("accept_spread", False)
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("bo:councils:dossier-progress", dossier_id=dossier.pk)
    if result.needs_discussion:
        messages.warning(request, _("Chênh lệch điểm lớn: hội đồng cần thảo luận, rồi chấm lại."))
    else:
        messages.success(request, _("Đã kết thúc chấm điểm. Kết quả đã được ghi."))
    return redirect("bo:councils:dossier-result", dossier_id=dossier.pk)


@login_required
@require_POST
def dossier_rescore(request, dossier_id: int):
    """A new scoring session after a result that needs discussion (or opening scoring from the progress page)."""
    dossier, seat = common.dossier_for_council_page(request.user, dossier_id)
    try:
        session = council_open_scoring(actor=request.user, dossier=dossier)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Đã mở phiên chấm điểm lần %(n)s.") % {"n": session.attempt})
    return redirect("bo:councils:dossier-progress", dossier_id=dossier.pk)


@login_required
def dossier_result(request, dossier_id: int):
    """Results of every closed session, newest first, with the members' totals (visible after the close)."""
    dossier, seat = common.dossier_for_council_page(request.user, dossier_id)
    sheets = score_sheet_list_for_user(user=request.user, dossier=dossier).filter(
        session__status=ScoringSession.Status.CLOSED, status=ScoreSheet.Status.SUBMITTED
    )
    print_all = can_read_member_sheets(request.user, dossier)
    by_session: dict[int, list] = {}
    for sheet in sheets.order_by("member__role", "member_id"):
        by_session.setdefault(sheet.session_id, []).append(sheet)
    results = []
    for result in dossier.results.select_related("session").order_by("-closed_at", "-id"):
        members = by_session.get(result.session_id, [])
        mean = float(result.mean)
        results.append(
            {
                "result": result,
                "sheets": [
                    {
                        "sheet": s,
                        "deviation": round(s.total - mean, 2),
                        "printable": print_all or s.member.user_id == request.user.pk,
                    }
                    for s in members
                ],
            }
        )
    context = {"dossier": dossier, "seat": seat, "results": results}
    context.update(_progress_context(request, dossier, seat))
    context["results"] = results
    kinds = access.dossier_actor_kinds(request.user, dossier)
    context["can_print_minutes"] = bool(results) and bool(kinds & OFFICER_KINDS)
    return render(request, TEMPLATES + "dossier_result.html", context)
