"""Printable documents of a dossier: Forms 01, 02 and 03 (Decision 26/2026/QĐ-TTg Annex III), the
council's minutes and each member's score sheet. Whoever may read the dossier may print its forms; the minutes,
which carry each member's total, are for officers and only once the chair has closed scoring.

A member's score sheet: the member prints their own once submitted; the council and the officers
who manage the council (provincial of its province, central) print every submitted sheet of a session only
after the chair has closed it. Before the close nobody but its author can tell a sheet exists (404)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import Http404, HttpResponse

from ocop.backoffice.evaluation import common
from ocop.core.audit import audit_record
from ocop.evaluation import access
from ocop.evaluation.models import ScoreSheet
from ocop.evaluation.printing import form01_pdf, form02_pdf, form03_pdf, minutes_pdf, score_sheet_pdf
from ocop.evaluation.selectors import score_sheet_list_for_user

DOCUMENTS = {
    "form01": (form01_pdf, "mau-01"),
    "form02": (form02_pdf, "mau-02"),
    "form03": (form03_pdf, "mau-03"),
    "minutes": (minutes_pdf, "bien-ban"),
}
OFFICER_KINDS = {access.COMMUNE, access.PROVINCE, access.CENTRAL, access.ADVISORY, access.CHAIR, access.MEMBER}


@login_required
def dossier_print(request, dossier_id: int, document: str):
    if document not in DOCUMENTS:
        raise Http404
    dossier = common.dossier_or_404(request, dossier_id)
    if document == "minutes":
        if not common.kinds_for(request.user, dossier) & OFFICER_KINDS:
            raise HttpPermissionDenied
        if not dossier.scoring_sessions.filter(result__isnull=False).exists():
            raise Http404
    build, name = DOCUMENTS[document]
    pdf = build(dossier)
    audit_record(
        action="dossier.print", actor=request.user, target=dossier, data={"document": document}, request=request
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}-{dossier.pk}.pdf"'
    return response


def printable_score_sheet(user, dossier, sheet_id: int) -> ScoreSheet | None:
    """The submitted sheet `sheet_id` of `dossier` if `user` may print it, else None. The dossier was already
    checked for read access."""
    sheet = (
        score_sheet_list_for_user(user=user, dossier=dossier)
        .filter(pk=sheet_id, status=ScoreSheet.Status.SUBMITTED)
        .first()
    )
    return sheet  # the selector applies the one rule (evaluation.access.can_read_member_sheets)


@login_required
def score_sheet_print(request, dossier_id: int, sheet_id: int):
    """One member's score sheet as a PDF (rules in the module docstring); 404 for anyone else."""
    dossier = common.dossier_or_404(request, dossier_id)
    sheet = printable_score_sheet(request.user, dossier, sheet_id)
    if sheet is None:
        raise Http404
    pdf = score_sheet_pdf(sheet)
    audit_record(
        action="dossier.print",
        actor=request.user,
        target=dossier,
        data={"document": "score_sheet", "sheet": sheet.pk},
        request=request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phieu-cham-{dossier.pk}-{sheet.pk}.pdf"'
    return response
