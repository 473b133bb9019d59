from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from ocop.certification.models import Certificate
from ocop.certification.selectors import certificate_get_by_number, certificate_public_view, normalise_number
from ocop.certification.stamps.codes import code_normalise
from ocop.core.errors import NotFound

STATUS_LABELS = {
    "valid": _("Còn hiệu lực"),
    "expired": _("Hết hiệu lực"),
    "revoked": _("Đã bị thu hồi"),
    "superseded": _("Đã được thay thế bằng giấy chứng nhận mới"),
    "not_yet_valid": _("Chưa có hiệu lực"),
}
STATUS_ALERT = {"valid": "success", "expired": "warning", "superseded": "info", "revoked": "error"}


def landing(request):
    return render(request, "public/landing.html")


def verify(request):
    """Entry to verification: a certificate number opens its page, a typed stamp code its scan page."""
    query = request.GET.get("q", "").strip()[:64]
    if query and Certificate.objects.filter(number=normalise_number(query)).exists():
        return redirect("public:certificate-verify", number=normalise_number(query))
    if query and code_normalise(query):
        return redirect("public:stamp-scan", code=code_normalise(query))
    return render(request, "public/verify.html", {"query": query})


def certificate_verify(request, number: str):
    """Public page of one certificate: the recognition and its status today, no personal data (readable
    without JavaScript: the QR code on the paper certificate opens this page)."""
    try:
        certificate = certificate_get_by_number(number=number)
    except NotFound:
        return render(request, "public/verify.html", {"query": number[:64]}, status=404)
    view = certificate_public_view(certificate)
    return render(
        request,
        "public/certification/certificate_verify.html",
        {
            "c": view,
            "status_label": STATUS_LABELS.get(view["status"], view["status"]),
            "status_alert": STATUS_ALERT.get(view["status"], "warning"),
            "stars": range(view["star"]),
        },
    )
