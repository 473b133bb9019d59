"""The producer's self-assessment on the dossier's sheet (Mẫu 02): parts → sections → criteria → options.

With JavaScript, every change posts the whole form to `self_assessment_answer`, which saves through
`self_assessment_save` and returns the summary (running total, implied star, missed star minimums) and the new
revision; without it, the same form submits normally to `self_assessment_edit`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.evaluation import common
from ocop.core.errors import DomainError
from ocop.evaluation import rules
from ocop.evaluation.models import Criterion, SelfAssessment
from ocop.evaluation.selectors import criteria_sheet_spec
from ocop.evaluation.services import self_assessment_save

TEMPLATES = "backoffice/evaluation/"


def _posted_answers(post, dossier) -> dict:
    """Criterion id → points (a list for sum-of-selected criteria), from fields named `c-<criterion id>`.
    Values that are not numbers are passed on as given: the service refuses them with a field message."""
    answers = {}
    for pk, scoring in Criterion.objects.filter(sheet=dossier.criteria_sheet_id).values_list("pk", "scoring"):
        name = f"c-{pk}"
        values = [v for v in post.getlist(name) if v != ""]
        if scoring == Criterion.Scoring.SUM_OF_SELECTED:
            if name in post or f"{name}-shown" in post:
                answers[str(pk)] = [_number(v) for v in values]
        elif values:
            answers[str(pk)] = _number(values[0])
    return {k: v for k, v in answers.items() if v != []}


def _number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _summary(dossier, assessment: SelfAssessment | None, answers: dict) -> dict:
    """What the summary panel shows; sums come from rules.py on the sheet, never from the template."""
    summary = {
        "answered": len(answers),
        "criteria_count": Criterion.objects.filter(sheet=dossier.criteria_sheet_id).count(),
        "max_points": dossier.criteria_sheet.max_points,
        "total": assessment.total if assessment else 0,
        "star": assessment.implied_star if assessment else None,
        "missed": assessment.minimums_missed if assessment else [],
        "parts": [],
    }
    try:
        spec = criteria_sheet_spec(sheet=dossier.criteria_sheet)
        subtotals = rules.part_subtotals(spec, answers, require_complete=False)
    except DomainError:
        return summary
    summary["parts"] = [
        {"code": code, "points": subtotals.get(code, 0), "max": maximum}
        for code, maximum in sorted(spec.part_max_points.items())
    ]
    return summary


def _saved_answers(assessment: SelfAssessment | None) -> dict:
    return dict(assessment.answers) if assessment else {}


def _tree(dossier, answers: dict, field_errors: dict) -> list[dict]:
    """The sheet with each criterion's chosen points and error, for the radio buttons' checked state."""
    tree = common.sheet_tree(dossier.criteria_sheet)
    for part in tree:
        for section in part["sections"]:
            for item in section["criteria"]:
                key = str(item["criterion"].pk)
                chosen = answers.get(key)
                item["key"] = key
                item["chosen"] = chosen if isinstance(chosen, list) else ([] if chosen is None else [chosen])
                item["error"] = field_errors.get(key, "")
                item["multiple"] = item["criterion"].scoring == Criterion.Scoring.SUM_OF_SELECTED
                item["yes_no"] = item["criterion"].scoring == Criterion.Scoring.NO_OPTIONS_PRINTED
    return tree


def _page(request, dossier, answers, *, error="", field_errors=None, status=200):
    assessment = getattr(dossier, "self_assessment", None)
    context = {
        "dossier": dossier,
        "tree": _tree(dossier, answers, field_errors or {}),
        "answers": answers,
        "summary": _summary(dossier, assessment, answers),
        "editable": common.can_edit(request.user, dossier),
        "error": error,
        "field_errors": field_errors or {},
        "revision": request.POST.get("revision") if error else dossier.revision,
    }
    return render(request, TEMPLATES + "self_assessment.html", context, status=status)


def _save(request, dossier):
    answers = _posted_answers(request.POST, dossier)
    try:
        revision = int(request.POST.get("revision") or 0)
        self_assessment_save(actor=request.user, dossier=dossier, answers=answers, expected_revision=revision)
    except DomainError as exc:
        if exc.status == 403:
            raise common.http_error(exc) from exc
        return answers, exc
    return answers, None


@login_required
def self_assessment_edit(request, dossier_id: int):
    dossier = common.dossier_or_404(request, dossier_id)
    common.require_edit(request.user, dossier)
    if request.method != "POST":
        return _page(request, dossier, _saved_answers(getattr(dossier, "self_assessment", None)))
    answers, exc = _save(request, dossier)
    if exc is not None:
        fields = {k: str(v) for k, v in exc.fields.items()}
        return _page(request, dossier, answers, error=common.error_text(exc), field_errors=fields, status=422)
    messages.success(request, _("Đã lưu phần tự đánh giá."))
    return redirect("bo:evaluation:dossier-detail", dossier_id=dossier.pk)


@login_required
@require_POST
def self_assessment_answer(request, dossier_id: int):
    """htmx: save the sheet as it stands after one change, return the summary (and the new revision)."""
    dossier = common.dossier_or_404(request, dossier_id)
    common.require_edit(request.user, dossier)
    answers, exc = _save(request, dossier)
    dossier.refresh_from_db()
    assessment = SelfAssessment.objects.filter(dossier=dossier).first()
    context = {
        "dossier": dossier,
        "summary": _summary(dossier, assessment, answers if exc is None else _saved_answers(assessment)),
        "error": common.error_text(exc) if exc else "",
        "revision": request.POST.get("revision") if exc else dossier.revision,
        "oob": True,
    }
    return render(request, TEMPLATES + "_self_assessment_summary.html", context, status=200)
