"""Councils for the standing agency (provincial / central officers): set up a council for a round, seat its
members with their role and organisation, and open scoring for the dossiers assigned to it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.councils import common
from ocop.backoffice.councils.forms import CouncilCreateForm, MemberAddForm
from ocop.backoffice.registry.common import add_domain_error
from ocop.core.errors import DomainError
from ocop.evaluation.services import council_create, council_member_add, council_open_scoring

TEMPLATES = "backoffice/councils/"


@login_required
def council_list(request):
    common.ensure_council_manager(request.user)
    context = {
        "councils": common.council_list_for_manager(request.user).prefetch_related("members"),
        "rounds": common.round_list_for_manager(request.user)[:20],
    }
    return render(request, TEMPLATES + "council_list.html", context)


@login_required
def council_new(request):
    common.ensure_council_manager(request.user)
    rounds = common.round_list_for_manager(request.user)
    form = CouncilCreateForm(request.POST or None, rounds=rounds, initial={"round": request.GET.get("round")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            council = council_create(
                actor=request.user,
                round_=data["round"],
                name=data["name"],
                quorum={"min_fraction": data["min_fraction"], "chair_required": data["chair_required"]},
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã lập hội đồng. Thêm các thành viên."))
            return redirect("bo:councils:council-detail", council_id=council.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, TEMPLATES + "council_new.html", {"form": form}, status=status)


def _detail(request, council, member_form=None, status=200):
    dossiers = []
    for dossier in common.council_dossiers(council):
        dossiers.append(
            {
                "dossier": dossier,
                "session": common.open_session(dossier),
                "can_open": dossier.status == common.S.ADVISORY_REVIEW,
            }
        )
    context = {
        "council": council,
        "members": council.members.select_related("user").order_by("role", "id"),
        "member_form": member_form or MemberAddForm(),
        "dossiers": dossiers,
    }
    return render(request, TEMPLATES + "council_detail.html", context, status=status)


@login_required
def council_detail(request, council_id: int):
    common.ensure_council_manager(request.user)
    return _detail(request, common.council_get_for_manager(request.user, council_id))


@login_required
@require_POST
def member_add(request, council_id: int):
    common.ensure_council_manager(request.user)
    council = common.council_get_for_manager(request.user, council_id)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        try:
            member = council_member_add(
                actor=request.user,
                council=council,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data["organisation"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        except IntegrityError:  # the unique (council, user) constraint
            form.add_error("username", _("Người này đã là thành viên hội đồng."))
        else:
            messages.success(request, _("Đã thêm %(name)s vào hội đồng.") % {"name": member.user.display_name})
            return redirect("bo:councils:council-detail", council_id=council.pk)
    return _detail(request, council, member_form=form, status=422)


@login_required
@require_POST
def dossier_open(request, council_id: int, dossier_id: int):
    common.ensure_council_manager(request.user)
    council = common.council_get_for_manager(request.user, council_id)
    dossier, _seat = common.dossier_for_council_page(request.user, dossier_id)
    if dossier.council_id != council.pk:
        raise Http404
    try:
        council_open_scoring(actor=request.user, dossier=dossier, council=council)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Đã mở chấm điểm hồ sơ %(name)s.") % {"name": dossier.product.name})
    return redirect("bo:councils:council-detail", council_id=council.pk)
