"""Who may order, void and watch stamps.

A stamp carries the state's certification mark, so its issue stays with the province that recognised the product:
its provincial officers (or central officers), and the product's producer only where the province allows it
(`StampPolicy.producers_may_order`). Superusers repair data in the admin and do not order stamps here.
"""

from django.utils.translation import gettext_lazy as _

from ocop.accounts.access import scope_for
from ocop.accounts.models import Role
from ocop.core.errors import PermissionDenied


def _province_officer(actor, province_code: str) -> bool:
    scope = scope_for(actor)
    return (scope.has_role(Role.PROVINCIAL_OFFICER) and province_code in scope.province_codes) or scope.has_role(
        Role.CENTRAL_OFFICER
    )


def producers_may_order(province_code: str) -> bool:
    from ocop.certification.stamps.models import StampPolicy

    return StampPolicy.objects.filter(province_code=province_code, producers_may_order=True).exists()


def can_order_stamps_for(actor, product) -> bool:
    province_code = product.subject.province_code
    if actor is None or _province_officer(actor, province_code):
        return True
    scope = scope_for(actor)
    return str(product.subject_id) in scope.subject_ids and producers_may_order(province_code)


def ensure_can_order_stamps(actor, product) -> None:
    """Provincial officer of the product's province, central officer, or its producer where the province allows."""
    if not can_order_stamps_for(actor, product):
        raise PermissionDenied(_("Bạn không có quyền đặt tem cho sản phẩm này."), code="stamp_order_forbidden")


def ensure_can_void_stamp_batch(actor, batch) -> None:
    """Only officers of the product's province (or central officers) void a batch: it is a control measure."""
    if actor is None or _province_officer(actor, batch.product.subject.province_code):
        return
    raise PermissionDenied(_("Bạn không có quyền hủy lô tem này."), code="stamp_void_forbidden")


def can_use_stamps(user) -> bool:
    """Menu and list gate: officers with a province (or nationwide), or producers bound to a subject."""
    scope = scope_for(user)
    return bool(
        scope.nationwide
        or (scope.has_role(Role.PROVINCIAL_OFFICER) and scope.province_codes)
        or (scope.has_role(Role.PRODUCER) and scope.subject_ids)
    )


def can_view_stamp_alerts(user) -> bool:
    scope = scope_for(user)
    return bool(scope.nationwide or (scope.has_role(Role.PROVINCIAL_OFFICER) and scope.province_codes))


def ensure_can_view_stamp_alerts(user) -> None:
    """Provincial officers (their provinces) and central officers; commune officers, council members and
    producers never see counterfeit alerts."""
    if not can_view_stamp_alerts(user):
        raise PermissionDenied(_("Chỉ cán bộ quản lý mới xem được cảnh báo tem giả."), code="stamp_alerts_forbidden")


def can_handle_counterfeit_alert(user, alert) -> bool:
    """Acknowledge or resolve: provincial officers of the alert's province, central officers. An alert with no
    province (a forged code attributed to no product) belongs to central officers. Superusers read alerts but
    act on them only in the admin, like batches; commune officers and producers never see alerts."""
    return user is not None and _province_officer(user, alert.province_code)


def ensure_can_handle_counterfeit_alert(user, alert) -> None:
    if not can_handle_counterfeit_alert(user, alert):
        raise PermissionDenied(_("Bạn không có quyền xử lý cảnh báo tem giả này."), code="stamp_alert_handle_forbidden")
