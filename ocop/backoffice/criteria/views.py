"""Criteria sets (bộ tiêu chí) in the back office: the versions, their sheets with the loader's findings, a sheet
as printed, and the correction of one criterion by a central officer.

Officers read (the sheets bind their scoring); only central officers and superusers correct
(`ensure_can_correct_criteria`, also called by the service). Everyone else gets 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ocop.accounts.access import is_officer
from ocop.backoffice.criteria.forms import FIELD_LABELS, CriterionCorrectForm
from ocop.backoffice.evaluation.common import sheet_tree
from ocop.core.errors import DomainError
from ocop.evaluation.models import CriteriaSheet, Criterion, CriterionCorrection
from ocop.evaluation.services import criterion_correct
from ocop.evaluation.services.criteria import ensure_can_correct_criteria
from ocop.evaluation.sheet_checks import MESSAGES, Issue
from ocop.registry.models import CriteriaVersion

TEMPLATES = "backoffice/criteria/"


def can_view_criteria(user) -> bool:
    return getattr(user, "is_authenticated", False) and is_officer(user)


def can_correct_criteria(user) -> bool:
    try:
        ensure_can_correct_criteria(user)
    except DomainError:
        return False
    return True


def _require_view(user) -> None:
    if not can_view_criteria(user):
        raise HttpPermissionDenied


def issue_messages(sheet: CriteriaSheet, kind: str) -> list[str]:
    """The loader's structured findings (`load_issues`) in the reader's language; the stored text otherwise."""
    items = (sheet.load_issues or {}).get(kind) or []
    out = []
    for item in items:
        code, params = item.get("code"), item.get("params") or {}
        try:
            out.append(Issue(code, params).message() if code in MESSAGES else str(code))
        except (KeyError, TypeError, ValueError):
            out.append(f"{code}: {params}")
    return out


@login_required
def version_list(request):
    _require_view(request.user)
    versions = CriteriaVersion.objects.annotate(
        sheet_count=Count("sheets"),
        valid_count=Count("sheets", filter=Q(sheets__is_valid=True)),
        invalid_count=Count("sheets", filter=Q(sheets__is_valid=False)),
    ).order_by("-effective_on")
    return render(request, TEMPLATES + "version_list.html", {"versions": versions})


@login_required
def sheet_list(request, version_code: str):
    _require_view(request.user)
    version = get_object_or_404(CriteriaVersion, code=version_code)
    sheets = list(
        CriteriaSheet.objects.filter(version=version)
        .select_related("product_set")
        .annotate(correction_count=Count("criteria__corrections"))
        .order_by("product_set__position", "product_set__code")
    )
    for sheet in sheets:
        sheet.errors = issue_messages(sheet, "errors")
        sheet.warnings = issue_messages(sheet, "warnings")
    return render(request, TEMPLATES + "sheet_list.html", {"version": version, "sheets": sheets})


def _corrections(**filters):
    return CriterionCorrection.objects.filter(**filters).select_related("actor", "criterion", "option")


@login_required
def sheet_detail(request, sheet_id: int):
    _require_view(request.user)
    sheet = get_object_or_404(CriteriaSheet.objects.select_related("version", "product_set"), pk=sheet_id)
    context = {
        "sheet": sheet,
        "tree": sheet_tree(sheet),
        "errors": issue_messages(sheet, "errors"),
        "warnings": issue_messages(sheet, "warnings"),
        "corrections": _history(_corrections(criterion__sheet=sheet)),
        "can_correct": can_correct_criteria(request.user),
    }
    return render(request, TEMPLATES + "sheet_detail.html", context)


def _history(corrections) -> list[dict]:
    return [
        {"correction": c, "field_label": FIELD_LABELS.get(c.field, c.field), "option": c.option}
        for c in corrections.order_by("-created_at", "-id")
    ]


@login_required
def criterion_correct_page(request, criterion_id: int):
    """GET: the criterion, its options and its correction history (read-only for officers who cannot correct).
    POST: one correction; on success back here with the sheet's validity after the re-check."""
    _require_view(request.user)
    criterion = get_object_or_404(Criterion.objects.select_related("sheet__version", "section__part"), pk=criterion_id)
    can_correct = can_correct_criteria(request.user)
    if request.method == "POST" and not can_correct:
        raise HttpPermissionDenied
    options = list(criterion.options.order_by("position"))
    form = CriterionCorrectForm(request.POST or None, criterion=criterion, options=options)
    status = 200
    if request.method == "POST":
        if form.is_valid() and _apply(request, form, criterion):
            return redirect("bo:criteria:criterion-correct", criterion_id=criterion.pk)
        status = 422
    criterion.sheet.refresh_from_db()
    context = {
        "criterion": criterion,
        "sheet": criterion.sheet,
        "options": options,
        "form": form,
        "can_correct": can_correct,
        "scoring_choices": Criterion.Scoring.choices,
        "errors": issue_messages(criterion.sheet, "errors"),
        "corrections": _history(_corrections(criterion=criterion)),
    }
    return render(request, TEMPLATES + "criterion_correct.html", context, status=status)


# Service error fields → the form field that shows them.
ERROR_FIELDS = {"reason": "reason", "field": "target", "option": "target"}


def _apply(request, form, criterion) -> bool:
    data = form.cleaned_data
    try:
        criterion_correct(
            actor=request.user,
            criterion=criterion,
            option=data["option"],
            field=data["field"],
            new_value=data["value"],
            reason=data["reason"],
        )
    except DomainError as exc:
        if exc.status == 403:
            raise HttpPermissionDenied(str(exc.message)) from exc
        for field, texts in exc.as_dict()["fields"].items():
            form.add_error(ERROR_FIELDS.get(field, "new_value"), texts)
        if not exc.fields:
            form.add_error(None, str(exc.message))
        return False
    sheet = CriteriaSheet.objects.get(pk=criterion.sheet_id)
    if sheet.is_valid:
        messages.success(request, _("Đã đính chính. Phiếu đánh giá hợp lệ, dùng được để chấm điểm."))
    else:
        messages.warning(
            request,
            _("Đã đính chính. Phiếu đánh giá vẫn còn %(n)s lỗi, chưa dùng được để chấm điểm.")
            % {"n": len(sheet.load_issues.get("errors") or [])},
        )
    return True
