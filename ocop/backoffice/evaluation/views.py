"""Dossier list and dossier page, for producers (their own dossiers) and officers (the dossiers of their area)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.shortcuts import render
from django.utils import timezone

from ocop.accounts.access import scope_for
from ocop.backoffice.evaluation import common, printing
from ocop.backoffice.evaluation.forms import DossierFilterForm
from ocop.backoffice.registry.common import paginate, querystring_without_page
from ocop.evaluation import access
from ocop.evaluation.models import EvaluationRound
from ocop.evaluation.selectors import dossier_list_for_user, dossier_overdue_list
from ocop.evaluation.services import dossier_check
from ocop.geo.models import AdminUnit

TEMPLATES = "backoffice/evaluation/"


def can_see_dossiers(user) -> bool:
    scope = scope_for(user)
    return bool(scope.is_officer or scope.subject_ids or scope.has_role("producer"))


def _filter_choices(user, dossiers):
    scope = scope_for(user)
    rounds = EvaluationRound.objects.filter(level="province")
    if not scope.nationwide:
        rounds = rounds.filter(province_code__in=scope.province_codes)
    commune_codes = dossiers.order_by().values_list("commune_code", flat=True).distinct()
    communes = AdminUnit.objects.filter(level="commune", code__in=commune_codes, valid_until__isnull=True)
    return rounds.order_by("-year", "number"), communes.order_by("name")


def _apply_filters(user, dossiers, filters: dict, kind: str | None):
    if filters.get("todo") and kind:
        dossiers = dossiers.filter(status__in=common.statuses_acted_by(kind))
    if filters.get("status"):
        dossiers = dossiers.filter(status=filters["status"])
    if filters.get("round"):
        dossiers = dossiers.filter(round_id=filters["round"])
    if filters.get("commune"):
        dossiers = dossiers.filter(commune_code=filters["commune"])
    if filters.get("overdue"):
        dossiers = dossiers.filter(pk__in=dossier_overdue_list(user=user).values("pk"))
    return dossiers


@login_required
def dossier_list(request):
    """Producers: their dossiers. Officers: the dossiers of their area, their own "to do" first by default."""
    if not can_see_dossiers(request.user):
        raise HttpPermissionDenied
    kind = common.officer_kind(request.user)
    dossiers = dossier_list_for_user(user=request.user)
    rounds, communes = _filter_choices(request.user, dossiers)
    data = request.GET or ({"todo": "on"} if kind in (access.COMMUNE, access.PROVINCE) else None)
    form = DossierFilterForm(data, rounds=rounds, communes=communes)
    dossiers = _apply_filters(request.user, dossiers, form.filters(), kind).order_by("due_on", "-created_at", "-id")
    page = paginate(request, dossiers)
    today = timezone.localdate()
    for dossier in page.object_list:
        dossier.is_overdue = common.is_overdue(dossier, today)
    context = {"form": form, "page": page, "querystring": querystring_without_page(request), "officer_kind": kind}
    return render(request, TEMPLATES + "dossier_list.html", context)


def dossier_context(request, dossier) -> dict:
    """Everything the dossier page (and the officers' pages built on it) shows."""
    kinds = common.kinds_for(request.user, dossier)
    editable = common.can_edit(request.user, dossier)
    assessment = getattr(dossier, "self_assessment", None)
    return {
        "dossier": dossier,
        "kinds": kinds,
        "is_producer": access.PRODUCER in kinds,
        "is_commune": access.COMMUNE in kinds,
        "is_province": bool(kinds & {access.PROVINCE, access.CENTRAL}),
        "is_advisory": bool(kinds & {access.ADVISORY, access.PROVINCE}),
        "is_central": access.CENTRAL in kinds,
        "editable": editable,
        "issues": dossier_check(dossier=dossier) if editable else [],
        "assessment": assessment,
        "links": dossier.evidence_links.select_related("evidence", "criterion").order_by("criterion__position", "id"),
        "timeline": common.timeline(dossier),
        "return_reason": common.return_reason(dossier),
        "is_overdue": common.is_overdue(dossier),
        "today": timezone.localdate(),
        "can_print_minutes": bool(kinds & printing.OFFICER_KINDS)
        and dossier.scoring_sessions.filter(result__isnull=False).exists(),
    }


@login_required
def dossier_detail(request, dossier_id: int):
    dossier = common.dossier_or_404(request, dossier_id)
    return render(request, TEMPLATES + "dossier_detail.html", dossier_context(request, dossier))
