"""Back-office stamp pages: order a batch (→ PDF and CSV jobs), list and void batches, counterfeit alerts and their
lifecycle (acknowledge, resolve).
Access gates live in ocop.certification.stamps.access; lists come from scoped selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.registry.common import add_domain_error, paginate
from ocop.backoffice.stamps.forms import AlertAcknowledgeForm, AlertResolveForm, StampOrderForm, StampVoidForm
from ocop.certification.stamps import access
from ocop.certification.stamps.alerts import TRANSITIONS, counterfeit_alert_acknowledge, counterfeit_alert_resolve
from ocop.certification.stamps.models import CounterfeitAlert
from ocop.certification.stamps.selectors import (
    counterfeit_alert_get_for_user,
    counterfeit_alert_history,
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


def _ensure_alert_viewer(user):
    if not access.can_view_stamp_alerts(user):
        raise HttpPermissionDenied


def _alert_provinces(user) -> list:
    from ocop.accounts.access import scope_for
    from ocop.geo.models import AdminUnit

    scope = scope_for(user)
    units = AdminUnit.objects.filter(level="province", valid_until__isnull=True).order_by("code")
    if not scope.nationwide:
        units = units.filter(code__in=sorted(scope.province_codes))
    return list(units.values_list("code", "name"))


@login_required
def alert_list(request):
    """Alerts in the officer's provinces, filtered by status, kind, province and product (query parameters)."""
    _ensure_alert_viewer(request.user)
    product_id = request.GET.get("product", "")
    filters = {
        "status": request.GET.get("status", "")[:16],
        "kind": request.GET.get("kind", "")[:20],
        "province": request.GET.get("province", "")[:2],
    }
    alerts = counterfeit_alert_list_for_user(
        user=request.user,
        product_id=int(product_id) if product_id.isdigit() else None,
        province_code=filters["province"],
        kind=filters["kind"],
        status=filters["status"],
    )
    return render(
        request,
        "backoffice/stamps/alert_list.html",
        {
            "page": paginate(request, alerts),
            "kinds": CounterfeitAlert.Kind.choices,
            "statuses": CounterfeitAlert.Status.choices,
            "provinces": _alert_provinces(request.user),
            "product": product_id if product_id.isdigit() else "",
            **filters,
        },
    )


def _alert_or_404(request, alert_id):
    _ensure_alert_viewer(request.user)
    alert = counterfeit_alert_get_for_user(user=request.user, alert_id=alert_id)
    if alert is None:
        raise Http404
    return alert


def _render_alert(request, alert, *, ack_form=None, resolve_form=None, status=200):
    state = alert.state
    can_handle = access.can_handle_counterfeit_alert(request.user, alert)
    return render(
        request,
        "backoffice/stamps/alert_detail.html",
        {
            "alert": alert,
            "samples": (alert.evidence or {}).get("samples", []),
            "history": counterfeit_alert_history(alert),
            "can_acknowledge": can_handle and state in TRANSITIONS["acknowledge"],
            "can_resolve": can_handle and state in TRANSITIONS["resolve"],
            "ack_form": ack_form or AlertAcknowledgeForm(),
            "resolve_form": resolve_form or AlertResolveForm(),
        },
        status=status,
    )


@login_required
def alert_detail(request, alert_id: int):
    return _render_alert(request, _alert_or_404(request, alert_id))


def _alert_action(request, alert_id: int, *, form_class, form_key: str, run, done_message):
    alert = _alert_or_404(request, alert_id)
    form = form_class(request.POST)
    try:
        run(alert, form.data)
    except PermissionDenied as exc:
        raise HttpPermissionDenied(str(exc.message)) from exc
    except DomainError as exc:
        form.is_valid()
        add_domain_error(form, exc)
        return _render_alert(request, alert, status=exc.status, **{form_key: form})
    messages.success(request, done_message)
    return redirect("bo:stamps:alert-detail", alert_id=alert.pk)


@login_required
@require_POST
def alert_acknowledge(request, alert_id: int):
    return _alert_action(
        request,
        alert_id,
        form_class=AlertAcknowledgeForm,
        form_key="ack_form",
        run=lambda alert, data: counterfeit_alert_acknowledge(
            actor=request.user, alert=alert, note=data.get("note", ""), request=request
        ),
        done_message=_("Đã tiếp nhận cảnh báo để xác minh."),
    )


@login_required
@require_POST
def alert_resolve(request, alert_id: int):
    return _alert_action(
        request,
        alert_id,
        form_class=AlertResolveForm,
        form_key="resolve_form",
        run=lambda alert, data: counterfeit_alert_resolve(
            actor=request.user,
            alert=alert,
            resolution=data.get("resolution", ""),
            note=data.get("note", ""),
            request=request,
        ),
        done_message=_("Đã kết luận cảnh báo."),
    )
