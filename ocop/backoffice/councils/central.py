"""The central round's steps on a dossier (26/2026/QĐ-TTg Điều 7 khoản 3-4): the province proposes a product of
at least 90 points with the provincial chair's approval; the ministry's standing agency receives it and assigns a
central council, opens scoring, and — when the central council's result is below 5 stars — returns it to the
province, which may recognise 3★/4★ on that result. Scoring and closing use the council pages; the 5★ decision
and the province's decision after a return use the decision pages. Each action posts the revision the officer
saw to `dossier_transition` (or `council_open_scoring`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ocop.backoffice.councils.forms import CentralProposalForm, CentralStepForm
from ocop.backoffice.evaluation import common
from ocop.backoffice.evaluation.views import dossier_context
from ocop.core.errors import DomainError
from ocop.evaluation import access
from ocop.evaluation.models import Council, Dossier
from ocop.evaluation.selectors import dossier_result_final
from ocop.evaluation.services import council_open_scoring, dossier_transition

S = Dossier.Status
TEMPLATES = "backoffice/councils/"
CENTRAL_ACTIONS = {"receive": S.PROPOSED_CENTRAL, "scoring": S.CENTRAL_INTAKE, "fallback": S.CENTRAL_SCORING}


def _run(form, action) -> bool:
    """Call the service; a domain error lands on the form (Conflict: "someone changed this dossier")."""
    try:
        action()
    except DomainError as exc:
        common.form_error(form, exc)
        return False
    return True


def _page(request, template, dossier, status=200, **extra):
    context = {
        **dossier_context(request, dossier),
        "provincial_result": dossier_result_final(dossier=dossier, level="province"),
        "central_result": dossier_result_final(dossier=dossier, level="central"),
        **extra,
    }
    return render(request, TEMPLATES + template, context, status=status)


@login_required
def central_proposal(request, dossier_id: int):
    """Propose a scored dossier to the central round (scored → proposed_central): the workflow's guard wants at
    least the regime's 90 points, the 5★ minimums and the approval's reference."""
    dossier = common.dossier_or_404(request, dossier_id)
    common.require_kind(request.user, dossier, access.PROVINCE)
    posted = request.method == "POST"
    form = CentralProposalForm(request.POST if posted else None, initial={"revision": dossier.revision})
    if posted and form.is_valid():
        data = {"approval_ref": form.cleaned_data["approval_ref"]}
        revision = form.cleaned_data["revision"]
        move = lambda: dossier_transition(  # noqa: E731
            actor=request.user, dossier=dossier, to=S.PROPOSED_CENTRAL, data=data, expected_revision=revision
        )
        if _run(form, move):
            messages.success(request, _("Đã đề nghị hội đồng cấp trung ương đánh giá sản phẩm."))
            return redirect("bo:evaluation:dossier-detail", dossier_id=dossier.pk)
    return _page(request, "central_proposal.html", dossier, status=422 if posted else 200, form=form)


def _central_councils(dossier):
    councils = Council.objects.filter(level="central")
    if dossier.central_round_id:
        councils = councils.filter(round=dossier.central_round_id)
    return councils.select_related("round").order_by("-created_at")


def _central_step(request, dossier, action, form) -> bool:
    revision = form.cleaned_data["revision"]
    if action == "receive":
        council = form.cleaned_data.get("council")
        if council is None:
            form.add_error("council", _("Chọn hội đồng cấp trung ương."))
            return False
        return _run(
            form,
            lambda: dossier_transition(
                actor=request.user,
                dossier=dossier,
                to=S.CENTRAL_INTAKE,
                data={"council": council.pk},
                expected_revision=revision,
            ),
        )
    if action == "scoring":
        return _run(form, lambda: council_open_scoring(actor=request.user, dossier=dossier, expected_revision=revision))
    return _run(
        form,
        lambda: dossier_transition(
            actor=request.user,
            dossier=dossier,
            to=S.CENTRAL_FALLBACK,
            reason=form.cleaned_data["reason"],
            expected_revision=revision,
        ),
    )


@login_required
def central_review(request, dossier_id: int):
    """The central standing agency: receive a proposed dossier and assign a central council, open scoring, or
    return a dossier whose central result is below 5★ to the province (Điều 7 khoản 4)."""
    dossier = common.dossier_or_404(request, dossier_id)
    common.require_kind(request.user, dossier, access.CENTRAL)
    action = request.POST.get("action") if request.method == "POST" else None
    form = CentralStepForm(
        request.POST if action else None, initial={"revision": dossier.revision}, councils=_central_councils(dossier)
    )
    if action is not None and action not in CENTRAL_ACTIONS:
        form.add_error(None, _("Thao tác không hợp lệ."))
    elif action and form.is_valid() and _central_step(request, dossier, action, form):
        messages.success(request, _("Đã cập nhật hồ sơ."))
        return redirect("bo:councils:central-review", dossier_id=dossier.pk)
    return _page(request, "central_review.html", dossier, status=422 if action else 200, form=form)
