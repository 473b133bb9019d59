"""A council member's pages: the dossiers assigned to them, the conflict declaration, the score sheet (saved
answer by answer through htmx, or with the save button without JavaScript) and its submission."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.councils import common
from ocop.backoffice.councils.forms import ConflictForm
from ocop.core.errors import DomainError, PermissionDenied
from ocop.evaluation.models import ScoreSheet
from ocop.evaluation.selectors import score_sheet_list_for_user
from ocop.evaluation.services import conflict_declare, score_sheet_save, score_sheet_submit

TEMPLATES = "backoffice/councils/"


@login_required
def my_scoring(request):
    """Every dossier on the councils where the user sits (their own sheets only)."""
    if not common.has_council_seat(request.user):
        raise HttpPermissionDenied
    return render(request, TEMPLATES + "scoring_list.html", {"rows": common.member_dossier_rows(request.user)})


def _member_dossier(request, dossier_id):
    dossier, seat = common.dossier_for_council_page(request.user, dossier_id)
    if seat is None:
        raise Http404
    return dossier, seat


def _own_sheet(request, dossier, seat, session):
    if session is None:
        return None
    # The selector: before the close a member reads only their own sheet.
    return score_sheet_list_for_user(user=request.user, dossier=dossier).filter(member=seat, session=session).first()


def _sheet_context(request, dossier, seat, *, answers=None, comment=None, preview_error=None):
    session = common.open_session(dossier)
    sheet = _own_sheet(request, dossier, seat, session)
    declaration = common.declaration_for(seat, dossier)
    if answers is None:
        answers = sheet.answers if sheet else {}
    context = {
        "dossier": dossier,
        "seat": seat,
        "session": session,
        "sheet": sheet,
        "declaration": declaration,
        "conflict_form": ConflictForm(),
        "answers": answers,
        "comment": sheet.comment if comment is None and sheet else (comment or ""),
        "parts": [],
        "preview": None,
        "preview_error": preview_error,
        "last_result": dossier.results.order_by("-closed_at", "-id").first(),
        # The member's own submitted sheets (every session), each with a PDF link.
        "my_sheets": score_sheet_list_for_user(user=request.user, dossier=dossier)
        .filter(member=seat, status=ScoreSheet.Status.SUBMITTED)
        .order_by("session__attempt"),
    }
    can_score = seat.scores and declaration is not None and not declaration.has_conflict and session is not None
    if can_score:
        context["parts"] = common.sheet_form(dossier, answers)
        context["preview"] = _preview(dossier, answers)
    context["can_score"] = can_score
    context["editable"] = can_score and (sheet is None or sheet.status == sheet.Status.DRAFT)
    return context


def _preview(dossier, answers):
    try:
        return common.sheet_preview(dossier, answers)
    except DomainError:
        return None


@login_required
def sheet_detail(request, dossier_id: int):
    dossier, seat = _member_dossier(request, dossier_id)
    return render(request, TEMPLATES + "sheet_detail.html", _sheet_context(request, dossier, seat))


@login_required
@require_POST
def conflict_save(request, dossier_id: int):
    dossier, seat = _member_dossier(request, dossier_id)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        context = _sheet_context(request, dossier, seat)
        context["conflict_form"] = form
        return render(request, TEMPLATES + "sheet_detail.html", context, status=422)
    try:
        conflict_declare(
            actor=request.user,
            dossier=dossier,
            has_conflict=form.cleaned_data["has_conflict"],
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        raise common.http_error(exc) from exc
    if form.cleaned_data["has_conflict"]:
        messages.info(request, _("Đã ghi khai báo: bạn không chấm hồ sơ này."))
    else:
        messages.success(request, _("Đã ghi khai báo không có xung đột lợi ích. Mời chấm điểm."))
    return redirect("bo:councils:sheet-detail", dossier_id=dossier.pk)


def _refusal(request, exc: DomainError, dossier):
    """Domain refusals of scoring as a message on the sheet page."""
    if isinstance(exc, PermissionDenied) and exc.code == "not_council_member":
        raise common.http_error(exc) from exc
    messages.error(request, str(exc.message))
    return redirect("bo:councils:sheet-detail", dossier_id=dossier.pk)


@login_required
@require_POST
def sheet_save(request, dossier_id: int):
    """Save the draft. From htmx (each answer): the running summary fragment; otherwise back to the page."""
    dossier, seat = _member_dossier(request, dossier_id)
    answers = common.answers_from_post(dossier, request.POST)
    comment = request.POST.get("comment", "")
    htmx = request.headers.get("HX-Request") == "true"
    try:
        score_sheet_save(actor=request.user, dossier=dossier, answers=answers, comment=comment)
    except DomainError as exc:
        if htmx:
            saved = _own_sheet(request, dossier, seat, common.open_session(dossier))
            context = {
                "preview": _preview(dossier, saved.answers if saved else {}),
                "preview_error": str(exc.message),
                "dossier": dossier,
            }
            return render(request, TEMPLATES + "_sheet_summary.html", context)
        return _refusal(request, exc, dossier)
    if htmx:
        context = {"preview": _preview(dossier, answers), "dossier": dossier, "saved": True}
        return render(request, TEMPLATES + "_sheet_summary.html", context)
    messages.success(request, _("Đã lưu phiếu nháp."))
    return redirect("bo:councils:sheet-detail", dossier_id=dossier.pk)


@login_required
@require_POST
def sheet_submit(request, dossier_id: int):
    """First the answers are saved and a confirmation is asked; the confirmed post submits the saved sheet."""
    dossier, seat = _member_dossier(request, dossier_id)
    try:
        if request.POST.get("confirm") != "1":
            answers = common.answers_from_post(dossier, request.POST)
            score_sheet_save(
                actor=request.user, dossier=dossier, answers=answers, comment=request.POST.get("comment", "")
            )
            context = _sheet_context(request, dossier, seat)
            return render(request, TEMPLATES + "sheet_confirm.html", context)
        sheet = score_sheet_submit(actor=request.user, dossier=dossier)
    except DomainError as exc:
        return _refusal(request, exc, dossier)
    messages.success(request, _("Đã nộp phiếu chấm điểm. Tổng điểm: %(total)s.") % {"total": sheet.total})
    return redirect("bo:councils:sheet-detail", dossier_id=dossier.pk)
