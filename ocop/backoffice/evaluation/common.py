"""Helpers shared by the dossier pages: the dossier in the user's scope or 404, the capacities the user acts in,
domain errors as form errors, and the reads the pages display (timeline, return reason, the sheet as a tree)."""

import datetime

from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.access import scope_for
from ocop.backoffice.registry.common import http_error
from ocop.core.errors import Conflict, DomainError
from ocop.evaluation import access
from ocop.evaluation.models import CriteriaPart, Criterion, CriterionOption, Dossier, Evidence
from ocop.evaluation.selectors import dossier_get_for_user
from ocop.evaluation.workflow import TERMINAL, TRANSITIONS

S = Dossier.Status
EDITABLE = (S.DRAFT, S.RETURNED)


def dossier_or_404(request, dossier_id: int) -> Dossier:
    """The dossier if the user may read it; 404 otherwise (outsiders cannot probe which dossiers exist)."""
    try:
        return dossier_get_for_user(user=request.user, pk=dossier_id)
    except DomainError as exc:
        raise http_error(exc) from exc


def kinds_for(user, dossier) -> frozenset[str]:
    return access.dossier_actor_kinds(user, dossier)


def require_kind(user, dossier, *allowed: str) -> frozenset[str]:
    """403 unless the user acts on the dossier in one of `allowed` capacities (they can already read it)."""
    kinds = kinds_for(user, dossier)
    if not kinds & set(allowed):
        raise HttpPermissionDenied
    return kinds


def can_edit(user, dossier) -> bool:
    if dossier.status not in EDITABLE:
        return False
    try:
        access.ensure_can_edit_dossier(user, dossier)
    except DomainError:
        return False
    return True


def require_edit(user, dossier) -> None:
    """403 for users who cannot edit the content; the status check stays with the services."""
    try:
        access.ensure_can_edit_dossier(user, dossier)
    except DomainError as exc:
        raise http_error(exc) from exc


def form_error(form, exc: DomainError) -> None:
    """A Conflict gets the "someone changed this dossier" message; other domain errors go to their fields."""
    if isinstance(exc, Conflict):
        form.add_error(None, error_text(exc))
        return
    if exc.status == 403:
        raise http_error(exc)
    off_form = [f for f in exc.fields if f not in form.fields]
    for field, messages in exc.as_dict()["fields"].items():
        if field in form.fields:
            form.add_error(field, messages)
    if off_form or not exc.fields:
        # A field the form does not have ("certificate", "form02.general"): the error's own sentence says it.
        form.add_error(None, str(exc.message))


def is_overdue(dossier, on: datetime.date | None = None) -> bool:
    on = on or timezone.localdate()
    if dossier.due_on is None or dossier.status in (*TERMINAL, S.DRAFT, S.RETURNED):
        return False
    return dossier.due_on < on


def statuses_acted_by(kind: str) -> list[str]:
    """Statuses from which the workflow table lets `kind` move a dossier: an officer's "to do" list."""
    return sorted({t.source for t in TRANSITIONS if kind in t.actors})


def officer_kind(user) -> str | None:
    scope = scope_for(user)
    if scope.nationwide:
        return access.CENTRAL
    if scope.has_role("provincial_officer"):
        return access.PROVINCE
    if scope.has_role("commune_officer"):
        return access.COMMUNE
    return None


def return_reason(dossier) -> str:
    """The reason of the latest return, shown to the producer while the dossier is back with them."""
    if dossier.status != S.RETURNED:
        return ""
    event = dossier.events.filter(to_status=S.RETURNED).order_by("-at", "-id").first()
    return event.reason if event else ""


def timeline(dossier) -> list[dict]:
    labels = dict(S.choices)
    return [
        {
            "at": e.at,
            "actor": e.actor.display_name if e.actor else _("Hệ thống"),
            "from": labels.get(e.from_status, e.from_status),
            "to": labels.get(e.to_status, e.to_status),
            "same": e.from_status == e.to_status,
            "reason": e.reason,
        }
        for e in dossier.events.select_related("actor").order_by("at", "id")
    ]


def sheet_tree(sheet) -> list[dict]:
    """Parts → sections → criteria → options of a sheet, in printed order, in four queries."""
    parts = list(CriteriaPart.objects.filter(sheet=sheet).prefetch_related("sections").order_by("position"))
    criteria = list(Criterion.objects.filter(sheet=sheet).order_by("position"))
    options: dict[int, list] = {}
    for o in CriterionOption.objects.filter(criterion__sheet=sheet).order_by("criterion_id", "position"):
        options.setdefault(o.criterion_id, []).append(o)
    by_section: dict[int, list] = {}
    for c in criteria:
        by_section.setdefault(c.section_id, []).append({"criterion": c, "options": options.get(c.pk, [])})
    tree = []
    for part in parts:
        sections = [
            {"section": s, "criteria": by_section.get(s.pk, [])}
            for s in sorted(part.sections.all(), key=lambda s: s.position)
        ]
        tree.append({"part": part, "sections": sections})
    return tree


def subject_evidence(dossier, on: datetime.date | None = None) -> list[Evidence]:
    """The subject's evidence library (the dossier was already checked for access), expired ones flagged."""
    on = on or timezone.localdate()
    items = list(Evidence.objects.filter(subject=dossier.subject_id).order_by("-uploaded_at", "-id"))
    for item in items:
        item.is_expired = bool(item.expires_on and item.expires_on < on)
    return items


def error_text(exc: DomainError) -> str:
    """One line for a message banner: the Conflict wording, or the error's message."""
    if isinstance(exc, Conflict):
        return _("Hồ sơ vừa được người khác thay đổi. Hãy tải lại trang để xem bản mới nhất.")
    return str(exc.message)
