"""Officers' steps on a dossier (26/2026/QĐ-TTg Điều 7): the commune's review with its Form 03, the province's
intake, the advisory team's review and the move to council scoring. Each page shows the dossier and posts one
action to `dossier_transition` (or the dedicated service) with the revision the officer saw."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ocop.backoffice.evaluation import common
from ocop.backoffice.evaluation.forms import AdvisoryReportForm, CouncilForm, Form03Form, ReasonForm
from ocop.backoffice.evaluation.views import dossier_context
from ocop.core.errors import DomainError
from ocop.evaluation import access
from ocop.evaluation.models import Council, Dossier
from ocop.evaluation.services import advisory_report_save, council_open_scoring, dossier_transition

S = Dossier.Status
TEMPLATES = "backoffice/evaluation/"


def _initial(dossier, **extra) -> dict:
    return {"revision": dossier.revision, **extra}


def _run(request, form, action) -> bool:
    """Call the service; a domain error lands on the form (Conflict: "someone changed this dossier")."""
    try:
        action()
    except DomainError as exc:
        common.form_error(form, exc)
        return False
    return True


def _reason_required(form) -> bool:
    if not form.cleaned_data["reason"].strip():
        form.add_error("reason", _("Cần ghi lý do trả lại."))
        return False
    return True


def _move(request, dossier, form, to, *, data=None, reason="") -> bool:
    return _run(
        request,
        form,
        lambda: dossier_transition(
            actor=request.user,
            dossier=dossier,
            to=to,
            reason=reason,
            data=data,
            expected_revision=form.cleaned_data["revision"],
        ),
    )


def _render(request, template, dossier, forms: dict, status=200):
    context = {**dossier_context(request, dossier), **forms}
    return render(request, TEMPLATES + template, context, status=status)


# --- commune ------------------------------------------------------------------------------------------------


@login_required
def commune_review(request, dossier_id: int):
    """Receive (submitted → commune review), forward to the province with Form 03, or return with a reason."""
    dossier = common.dossier_or_404(request, dossier_id)
    common.require_kind(request.user, dossier, access.COMMUNE)
    action = request.POST.get("action") if request.method == "POST" else None
    form03 = Form03Form(request.POST if action == "forward" else None, initial=_initial(dossier, **dossier.form03))
    receive = ReasonForm(request.POST if action == "receive" else None, initial=_initial(dossier))
    back = ReasonForm(request.POST if action == "return" else None, initial=_initial(dossier))
    done = False
    if action == "receive" and receive.is_valid():
        done = _move(request, dossier, receive, S.COMMUNE_REVIEW)
    elif action == "forward" and form03.is_valid():
        done = _move(request, dossier, form03, S.FORWARDED_TO_PROVINCE, data={"form03": form03.form03()})
    elif action == "return" and back.is_valid() and _reason_required(back):
        done = _move(request, dossier, back, S.RETURNED, reason=back.cleaned_data["reason"])
    if done:
        messages.success(request, _("Đã cập nhật hồ sơ."))
        return redirect("bo:evaluation:dossier-detail", dossier_id=dossier.pk)
    forms = {"form03": form03, "receive_form": receive, "return_form": back}
    return _render(request, "commune_review.html", dossier, forms, status=422 if action else 200)


# --- province -----------------------------------------------------------------------------------------------


def _councils(dossier):
    councils = Council.objects.filter(level="province", province_code=dossier.province_code)
    if dossier.round_id:
        councils = councils.filter(round=dossier.round_id)
    return councils.select_related("round").order_by("-created_at")


@login_required
def province_intake(request, dossier_id: int):
    """Receive the forwarded dossier, then send it to the advisory team with a council, or return it."""
    dossier = common.dossier_or_404(request, dossier_id)
    common.require_kind(request.user, dossier, access.PROVINCE, access.CENTRAL)
    action = request.POST.get("action") if request.method == "POST" else None
    receive = ReasonForm(request.POST if action == "receive" else None, initial=_initial(dossier))
    council = CouncilForm(
        request.POST if action == "advisory" else None, initial=_initial(dossier), councils=_councils(dossier)
    )
    back = ReasonForm(request.POST if action == "return" else None, initial=_initial(dossier))
    done = False
    if action == "receive" and receive.is_valid():
        done = _move(request, dossier, receive, S.PROVINCIAL_INTAKE)
    elif action == "advisory" and council.is_valid():
        data = {"council": council.cleaned_data["council"].pk}
        done = _move(request, dossier, council, S.ADVISORY_REVIEW, data=data)
    elif action == "return" and back.is_valid() and _reason_required(back):
        done = _move(request, dossier, back, S.RETURNED, reason=back.cleaned_data["reason"])
    if done:
        messages.success(request, _("Đã cập nhật hồ sơ."))
        return redirect("bo:evaluation:dossier-detail", dossier_id=dossier.pk)
    forms = {"receive_form": receive, "council_form": council, "return_form": back}
    return _render(request, "province_intake.html", dossier, forms, status=422 if action else 200)


@login_required
def advisory_review(request, dossier_id: int):
    """The advisory team's findings, site survey and extra tests; then scoring opens (council_open_scoring)."""
    dossier = common.dossier_or_404(request, dossier_id)
    common.require_kind(request.user, dossier, access.ADVISORY, access.PROVINCE)
    action = request.POST.get("action") if request.method == "POST" else None
    report = AdvisoryReportForm(
        request.POST if action == "save" else None, initial=_initial(dossier, **dossier.advisory_report)
    )
    scoring = ReasonForm(request.POST if action == "scoring" else None, initial=_initial(dossier))
    done = False
    if action == "save" and report.is_valid():
        done = _run(
            request,
            report,
            lambda: advisory_report_save(
                actor=request.user,
                dossier=dossier,
                report=report.report(),
                expected_revision=report.cleaned_data["revision"],
            ),
        )
    elif action == "scoring" and scoring.is_valid():
        revision = scoring.cleaned_data["revision"]
        done = _run(
            request,
            scoring,
            lambda: council_open_scoring(actor=request.user, dossier=dossier, expected_revision=revision),
        )
    if done:
        messages.success(request, _("Đã cập nhật hồ sơ."))
        return redirect("bo:evaluation:dossier-detail", dossier_id=dossier.pk)
    forms = {"report_form": report, "scoring_form": scoring}
    return _render(request, "advisory_review.html", dossier, forms, status=422 if action else 200)
