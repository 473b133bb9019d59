"""Lots and trace events in the back office: lists in the user's scope, lot pages with the timeline, the
GS1 and TCVN 13274 identifiers and the hash-chain state, and the forms that create lots and record events
through the traceability services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ocop.accounts.access import scope_for
from ocop.backoffice.registry.common import add_domain_error, http_error, paginate, querystring_without_page
from ocop.backoffice.traceability.forms import LotForm, TraceEventForm
from ocop.core.errors import DomainError, PermissionDenied
from ocop.registry.models import Product
from ocop.traceability import access
from ocop.traceability.selectors import (
    lot_get_for_user,
    lot_identifiers,
    lot_list_for_user,
    lot_timeline,
    product_get_for_trace,
)
from ocop.traceability.services import lot_create, trace_chain_verify, trace_event_record

TEMPLATES = "backoffice/traceability/"


def can_use_trace(user) -> bool:
    """Officers and producer representatives bound to a subject: the people who have lots to see."""
    scope = scope_for(user)
    return scope.is_officer or bool(scope.subject_ids)


def _gate(callable_, *args, **kwargs):
    try:
        return callable_(*args, **kwargs)
    except DomainError as exc:
        raise http_error(exc) from exc


@login_required
def lot_list(request):
    """Lots in the user's scope, newest first; `?product=<id>` narrows to one product (and offers "new lot")."""
    if not can_use_trace(request.user):
        raise http_error(PermissionDenied())
    product = None
    product_id = request.GET.get("product", "")
    ocop_code = request.GET.get("ocop_code", "").strip().upper()
    if ocop_code and not product_id:
        # The OCOP code is unique and indexed: officers pick a product by the code printed on its dossier.
        product_id = str(Product.objects.filter(ocop_code=ocop_code).values_list("pk", flat=True).first() or "0")
    if product_id.isdigit():
        product = _gate(product_get_for_trace, user=request.user, product_id=int(product_id))
    lots = lot_list_for_user(user=request.user, product_id=product.pk if product else None)
    context = {
        "product": product,
        "ocop_code": ocop_code,
        "page": paginate(request, lots),
        "querystring": querystring_without_page(request),
        "can_create": product is not None and access.can_record_trace(request.user, product),
    }
    return render(request, TEMPLATES + "lot_list.html", context)


@login_required
def lot_new(request, product_id: int):
    product = _gate(product_get_for_trace, user=request.user, product_id=product_id)
    _gate(access.ensure_can_record_trace, request.user, product)
    form = LotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lot = lot_create(actor=request.user, product=product, values=form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã tạo lô %(code)s.") % {"code": lot.lot_code})
            return redirect("bo:traceability:lot-detail", lot_id=lot.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, TEMPLATES + "lot_form.html", {"form": form, "product": product}, status=status)


@login_required
def lot_detail(request, lot_id: int):
    lot = _gate(lot_get_for_user, user=request.user, lot_id=lot_id)
    context = {
        "lot": lot,
        "product": lot.product,
        "timeline": lot_timeline(lot=lot),
        "identifiers": lot_identifiers(lot=lot),
        "chain": trace_chain_verify(lot=lot),
        "can_record": access.can_record_trace(request.user, lot.product),
    }
    return render(request, TEMPLATES + "lot_detail.html", context)


@login_required
def event_new(request, lot_id: int):
    lot = _gate(lot_get_for_user, user=request.user, lot_id=lot_id)
    _gate(access.ensure_can_record_trace, request.user, lot.product)
    form = TraceEventForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            trace_event_record(actor=request.user, lot=lot, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Đã ghi sự kiện truy xuất."))
            return redirect("bo:traceability:lot-detail", lot_id=lot.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, TEMPLATES + "event_form.html", {"form": form, "lot": lot}, status=status)
