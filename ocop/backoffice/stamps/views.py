"""Back-office stamp pages: order a batch (→ PDF and CSV jobs), list and void batches, counterfeit alerts.
Access gates live in ocop.certification.stamps.access; lists come from scoped selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.registry.common import add_domain_error, paginate
from ocop.backoffice.stamps.forms import StampOrderForm, StampVoidForm
from ocop.certification.stamps import access
from ocop.certification.stamps.models import CounterfeitAlert
from ocop.certification.stamps.selectors import (
    counterfeit_alert_list_for_user,
    stamp_batch_get_for_user,
    stamp_batch_list_for_user,
    stamp_orderable_products_for_user,
)
from ocop.certification.stamps.services import stamp_batch_files_start, stamp_batch_order, stamp_batch_void
from ocop.core.errors import DomainError, PermissionDenied


def _ensure_stamp_user(user):
    if not access.can_use_stamps(user):
        raise HttpPermissionDenied


@login_required
def batch_list(request):
    _ensure_stamp_user(request.user)
    page = paginate(request, stamp_batch_list_for_user(user=request.user))
    return render(request, "backoffice/stamps/batch_list.html", {"page": page})


@login_required
def batch_order(request):
    _ensure_stamp_user(request.user)
    products = stamp_orderable_products_for_user(user=request.user)
    form = StampOrderForm(request.POST or None, products=products)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = stamp_batch_order(actor=request.user, request=request, **data)
            stamp_batch_files_start(actor=request.user, batch=batch)
        except PermissionDenied as exc:
            raise HttpPermissionDenied(str(exc.message)) from exc
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã đặt %(n)s tem. Tệp in đang được tạo.") % {"n": batch.quantity})
            return redirect("bo:stamps:batch-detail", batch_id=batch.pk)
    return render(request, "backoffice/stamps/batch_order.html", {"form": form})


def _batch_or_404(request, batch_id):
    batch = stamp_batch_get_for_user(user=request.user, batch_id=batch_id)
    if batch is None:
        raise Http404
    return batch


@login_required
def batch_detail(request, batch_id: int):
    _ensure_stamp_user(request.user)
    batch = _batch_or_404(request, batch_id)
    jobs = [j for j in (batch.pdf_job, batch.csv_job) if j is not None and j.created_by_id == request.user.pk]
    return render(
        request,
        "backoffice/stamps/batch_detail.html",
        {
            "batch": batch,
            "jobs": jobs,
            "can_void": batch.voided_at is None and _can_void(request.user, batch),
            "void_form": StampVoidForm(),
            "can_print": access.can_order_stamps_for(request.user, batch.product),
        },
    )


def _can_void(user, batch) -> bool:
    try:
        access.ensure_can_void_stamp_batch(user, batch)
    except PermissionDenied:
        return False
    return True


@login_required
@require_POST
def batch_files(request, batch_id: int):
    """Generate the PDF and CSV again (for someone who did not order the batch, or after files were cleaned up)."""
    _ensure_stamp_user(request.user)
    batch = _batch_or_404(request, batch_id)
    try:
        stamp_batch_files_start(actor=request.user, batch=batch)
    except PermissionDenied as exc:
        raise HttpPermissionDenied(str(exc.message)) from exc
    return redirect("bo:stamps:batch-detail", batch_id=batch.pk)


@login_required
@require_POST
def batch_void(request, batch_id: int):
    _ensure_stamp_user(request.user)
    batch = _batch_or_404(request, batch_id)
    form = StampVoidForm(request.POST)
    reason = form.data.get("reason", "")
    try:
        stamp_batch_void(actor=request.user, batch=batch, reason=reason, request=request)
    except PermissionDenied as exc:
        raise HttpPermissionDenied(str(exc.message)) from exc
    except DomainError as exc:
        form.is_valid()
        add_domain_error(form, exc)
        return render(
            request,
            "backoffice/stamps/batch_detail.html",
            {"batch": batch, "jobs": [], "can_void": True, "void_form": form, "can_print": False},
            status=422,
        )
    messages.success(request, _("Đã hủy lô tem. Các tem của lô sẽ báo không hợp lệ khi quét."))
    return redirect("bo:stamps:batch-detail", batch_id=batch.pk)


@login_required
def alert_list(request):
    if not access.can_view_stamp_alerts(request.user):
        raise HttpPermissionDenied
    product_id = request.GET.get("product", "")
    alerts = counterfeit_alert_list_for_user(
        user=request.user,
        product_id=int(product_id) if product_id.isdigit() else None,
        province_code=request.GET.get("province", "")[:2],
        kind=request.GET.get("kind", "")[:20],
    )
    return render(
        request,
        "backoffice/stamps/alert_list.html",
        {
            "page": paginate(request, alerts),
            "kinds": CounterfeitAlert.Kind.choices,
            "kind": request.GET.get("kind", ""),
        },
    )
