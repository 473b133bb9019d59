"""Who may read and write lots and trace events.

- read: whoever may see the product's subject in the registry (officers covering it, its producer);
- write (create lots, record/capture events): provincial officers of the product's province, central
  officers and superusers, and the product's own producer. API tokens act as their user.
The public reads a lot's timeline only through `selectors.lot_timeline`, from the scan page.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocop.accounts.access import scope_for
from ocop.core.errors import NotFound, PermissionDenied
from ocop.registry.access import can_view_subject, subject_scope_q


def lot_scope_q(user, prefix: str = "") -> Q:
    """Q restricting lots (or, with prefix "lot__", events) to what `user` may read."""
    return subject_scope_q(user, prefix=f"{prefix}product__subject__")


def can_record_trace(user, product) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    scope = scope_for(user)
    subject = product.subject
    return scope.covers_province(subject.province_code) or str(subject.pk) in scope.subject_ids


def ensure_can_view_product_trace(user, product) -> None:
    """NotFound (not PermissionDenied) so that outsiders cannot probe which products or lots exist."""
    if not can_view_subject(user, product.subject):
        raise NotFound(_("Không tìm thấy sản phẩm."), code="product_not_found")


def ensure_can_record_trace(user, product, *, field: str | None = None) -> None:
    """Raise PermissionDenied unless `user` may create lots and events for `product`."""
    if not can_record_trace(user, product):
        message = _("Bạn không có quyền ghi dữ liệu truy xuất cho sản phẩm này.")
        raise PermissionDenied(message, code="trace_forbidden", fields={field: [message]} if field else None)
