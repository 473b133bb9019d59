"""Printable documents of a dossier: Forms 01, 02 and 03 (Decision 26/2026/QĐ-TTg Annex III) and the
council's minutes. Whoever may read the dossier may print its forms; the minutes, which carry each
member's total, are for officers and only once the chair has closed scoring."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import Http404, HttpResponse

from ocop.backoffice.evaluation import common
from ocop.core.audit import audit_record
from ocop.evaluation import access
from ocop.evaluation.printing import form01_pdf, form02_pdf, form03_pdf, minutes_pdf

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
