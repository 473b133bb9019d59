"""Certification reads. Public reads expose no personal data: no phone, e-mail, representative or tax code."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.accounts.access import scope_for
from ocop.certification import rules
from ocop.certification.models import Certificate
from ocop.core.errors import NotFound, ValidationError
from ocop.evaluation.models import Regime
from ocop.geo.selectors import unit_current_name


def regime_setting(*, key: str, on: datetime.date, regime: Regime | None = None):
    """A value from a regime's `deadlines` (evaluation/data/regimes.json): from `regime` when it has the key,
    else from the regime in force on `on`, else from the latest regime that has it. Raises ValidationError
    when no regime defines it (regimes not loaded)."""
    if regime is not None and key in (regime.deadlines or {}):
        return regime.deadlines[key]
    in_force = Q(effective_from__lte=on) & (Q(effective_until__isnull=True) | Q(effective_until__gt=on))
    for candidate in (
        Regime.objects.filter(in_force).order_by("-effective_from"),
        Regime.objects.order_by("-effective_from"),
    ):
        for r in candidate:
            if key in (r.deadlines or {}):
                return r.deadlines[key]
    raise ValidationError(
        _("Chưa nạp dữ liệu quy trình đánh giá (thiếu thời hạn “%(key)s”).") % {"key": key}, code="regime_missing"
    )


def regime_deadline(*, key: str, on: datetime.date, regime: Regime | None = None) -> int:
    """A whole number of days or months from regime data (see `regime_setting`)."""
    return int(regime_setting(key=key, on=on, regime=regime))


def normalise_number(text: str) -> str:
    return "".join((text or "").split()).upper()


def certificate_get_by_number(*, number: str) -> Certificate:
    """The certificate with this number (spaces and case ignored). Raises NotFound(code certificate_not_found)."""
    cert = (
        Certificate.objects.select_related("product__subject", "regime", "decision")
        .filter(number=normalise_number(number))
        .first()
        if number
        else None
    )
    if cert is None:
        raise NotFound(_("Không tìm thấy giấy chứng nhận."), code="certificate_not_found")
    return cert


def province_name(code: str) -> str:
    """Full current name of a province ("Tỉnh Lâm Đồng"), or "" when unknown."""
    return unit_current_name("province", code)


def certificate_status(certificate: Certificate, on: datetime.date | None = None) -> str:
    """valid / expired / revoked / superseded / not_yet_valid on `on` (today in Vietnam by default)."""
    return rules.certificate_status_at(certificate, on or timezone.localdate())


def certificate_public_view(certificate: Certificate, *, on: datetime.date | None = None) -> dict:
    """What anyone may read about a certificate: the recognition, never the people behind it."""
    product = certificate.product
    subject = product.subject
    regime = certificate.regime
    return {
        "number": certificate.number,
        "star": certificate.star,
        "product_name": product.name,
        "ocop_code": product.ocop_code,
        "subject_name": subject.name,
        "province_code": subject.province_code,
        "province": province_name(subject.province_code),
        "status": certificate_status(certificate, on),
        "issued_on": certificate.issued_on,
        "valid_until": certificate.valid_until,
        "regime": regime.code if regime else None,
        "regime_name": regime.name if regime else None,
        "decision_number": certificate.decision_number,
        "decided_on": certificate.decided_on,
        "issuing_body": certificate.issuing_body,
        "level": certificate.issuing_level,
        "superseded_by": certificate.superseded_by.number if certificate.superseded_by_id else None,
    }


def certificate_list_for_user(*, user, status: str = "", star: int | None = None, q: str = ""):
    """Certificates of products in `user`'s scope (officers: their province/commune, nationwide for central
    officers; producers: their subjects' products), newest first. Anyone else gets none."""
    if not getattr(user, "is_authenticated", False):
        return Certificate.objects.none()
    scope = scope_for(user)
    visible = scope.filter_q(
        province_field="product__subject__province_code", commune_field="product__subject__current_commune_code"
    )
    subject_ids = [int(s) for s in scope.subject_ids if str(s).isdigit()]
    if subject_ids:
        visible |= Q(product__subject_id__in=subject_ids)
    qs = Certificate.objects.filter(visible).select_related("product__subject", "regime", "superseded_by")
    if status:
        qs = qs.filter(status=status)
    if star:
        qs = qs.filter(star=star)
    if q:
        qs = qs.filter(number__icontains=q.strip())
    return qs.order_by("-valid_from", "-id")
