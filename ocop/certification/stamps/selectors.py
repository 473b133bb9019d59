"""Stamp reads. Public reads carry no personal data; back-office lists are scoped to the actor's provinces
(officers) or subjects (producers)."""

from django.db.models import F, Q

from ocop.accounts.access import scope_for
from ocop.accounts.models import Role
from ocop.certification.selectors import province_name
from ocop.certification.stamps import codes
from ocop.certification.stamps.models import CounterfeitAlert, StampBatch
from ocop.geo.selectors import unit_current_name

# Plain-word warnings for the consumer, by verification warning / outcome (the template translates them).
WARNING_KINDS = ("bad_code", "unissued", "link_mismatch")


def stamp_public_view(verification, *, alert_kinds=()) -> dict:
    """What anyone may read about a scanned code: the product, the producer's name, the star, the certificate's
    status now. Same dict for the page and the API."""
    batch, certificate = verification.batch, verification.certificate
    view = {
        "code": codes.code_grouped(verification.code) if verification.code else "",
        "outcome": verification.outcome,
        "genuine": verification.outcome == "valid",
        "warnings": [w for w in verification.warnings if w in WARNING_KINDS] + list(alert_kinds),
        "product": None,
        "certificate": None,
        "lot_code": "",
        "where_to_buy": None,
    }
    if batch is None:
        return view
    product, subject = batch.product, batch.product.subject
    view["lot_code"] = batch.lot_code
    view["product"] = {
        "name": product.name,
        "ocop_code": product.ocop_code,
        "gtin": product.gtin or "",
        "subject_name": subject.name,
        "province_code": subject.province_code,
        "province": province_name(subject.province_code),
    }
    view["where_to_buy"] = stamp_where_to_buy(subject)
    if certificate is not None:
        view["certificate"] = {
            "number": certificate.number or "",
            "star": certificate.star,
            "status": verification.outcome if verification.outcome != "voided" else certificate.status,
            "valid_until": certificate.valid_until,
            "issuing_body": certificate.issuing_body,
            "decision_number": certificate.decision_number,
        }
    return view


# Legal entities whose contact details are public in the business / cooperative registration portals. A household
# business, a cooperative group or an unclassified producer is often one person: their phone and street address are
# personal data (Decree 13/2023/NĐ-CP), and the registry has no field marking a contact as public.
PUBLIC_CONTACT_LEGAL_FORMS = ("enterprise", "cooperative")


def stamp_where_to_buy(subject) -> dict:
    """The "where to buy" answer until sales points exist (Decision 950/QĐ-BCT points come with a later issue):
    the producer, its current commune and province, and — only for enterprises and cooperatives — the registered
    street address and business phone. `contacts` is a list of {kind, value} (kind "tel" today) so sales points and
    shop links can join without a schema break. Nothing else about the subject (tax code, representative, e-mail)
    is included."""
    public_contact = subject.legal_form in PUBLIC_CONTACT_LEGAL_FORMS
    phone = (subject.phone or "").strip() if public_contact else ""
    return {
        "producer": subject.name,
        "address": (subject.address_line or "").strip() if public_contact else "",
        "commune": unit_current_name("commune", subject.current_commune_code),
        "province": province_name(subject.province_code),
        "contacts": [{"kind": "tel", "value": phone}] if phone else [],
    }


def _batch_scope_q(user) -> Q:
    scope = scope_for(user)
    if scope.nationwide:
        return Q()
    q = Q(pk__in=[])
    if scope.has_role(Role.PROVINCIAL_OFFICER) and scope.province_codes:
        q |= Q(product__subject__province_code__in=sorted(scope.province_codes))
    if scope.has_role(Role.PRODUCER) and scope.subject_ids:
        q |= Q(product__subject_id__in=sorted(int(s) for s in scope.subject_ids if s.isdigit()))
    return q


def stamp_batch_list_for_user(*, user):
    """Batches of products the user manages (province officers) or owns (producers), newest first."""
    return StampBatch.objects.filter(_batch_scope_q(user)).select_related(
        "product__subject", "certificate", "ordered_by"
    )


def stamp_batch_get_for_user(*, user, batch_id: int) -> StampBatch | None:
    return stamp_batch_list_for_user(user=user).filter(pk=batch_id).first()


def stamp_orderable_products_for_user(*, user):
    """Products the user may order stamps for, before the certificate check (the service checks that)."""
    from ocop.certification.stamps.access import producers_may_order
    from ocop.registry.models import Product

    scope = scope_for(user)
    qs = Product.objects.select_related("subject").filter(certificates__isnull=False).distinct()
    if scope.nationwide:
        return qs.order_by("name")
    q = Q(pk__in=[])
    if scope.has_role(Role.PROVINCIAL_OFFICER) and scope.province_codes:
        q |= Q(subject__province_code__in=sorted(scope.province_codes))
    if scope.has_role(Role.PRODUCER) and scope.subject_ids:
        ids = [int(s) for s in scope.subject_ids if s.isdigit()]
        allowed = [
            p.pk
            for p in Product.objects.filter(subject_id__in=ids).select_related("subject")
            if producers_may_order(p.subject.province_code)
        ]
        q |= Q(pk__in=allowed)
    return qs.filter(q).order_by("name")


def counterfeit_alert_status_q(status: str) -> Q:
    """Alerts in the state readers see (CounterfeitAlert.state): a resolved alert scanned again since is open."""
    reopened = Q(status=CounterfeitAlert.Status.RESOLVED, count__gt=F("resolved_count"))
    if status == CounterfeitAlert.Status.OPEN:
        return Q(status=CounterfeitAlert.Status.OPEN) | reopened
    if status == CounterfeitAlert.Status.RESOLVED:
        return Q(status=CounterfeitAlert.Status.RESOLVED) & ~reopened
    return Q(status=status)


def counterfeit_alert_list_for_user(
    *, user, product_id=None, province_code: str = "", kind: str = "", status: str = ""
):
    """Alerts in the user's provinces (nationwide for central officers and superusers), newest first, optionally
    filtered by product, province, kind and status (open includes re-opened alerts). Users who may not view
    alerts (access.can_view_stamp_alerts: commune officers, council members, producers) get none."""
    from ocop.certification.stamps.access import can_view_stamp_alerts

    scope = scope_for(user)
    qs = CounterfeitAlert.objects.select_related("product__subject")
    if not can_view_stamp_alerts(user):
        return qs.none()
    if not scope.nationwide:
        qs = qs.filter(province_code__in=sorted(scope.province_codes))
    if product_id:
        qs = qs.filter(product_id=product_id)
    if province_code:
        qs = qs.filter(province_code=province_code)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(counterfeit_alert_status_q(status))
    return qs


def counterfeit_alert_get_for_user(*, user, alert_id: int) -> CounterfeitAlert | None:
    """One alert in the user's scope (None outside it), with the people who handled it."""
    return (
        counterfeit_alert_list_for_user(user=user)
        .select_related("batch", "acknowledged_by", "resolved_by")
        .filter(pk=alert_id)
        .first()
    )


def counterfeit_alert_history(alert: CounterfeitAlert) -> list:
    """The alert's lifecycle steps from the audit trail (indexed by target), newest first."""
    from ocop.core.models import AuditEvent

    return list(
        AuditEvent.objects.filter(target_type=alert._meta.label_lower, target_id=str(alert.pk))
        .select_related("actor")
        .order_by("-at", "-id")[:50]
    )
