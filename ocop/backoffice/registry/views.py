"""Subjects and products in the back office: scoped lists with filters and search, details with history,
and the verification of producers' applications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.access import scope_for
from ocop.backoffice.registry.common import (
    add_domain_error,
    ensure_officer,
    history_entries,
    http_error,
    paginate,
    querystring_without_page,
)
from ocop.backoffice.registry.forms import ProductFilterForm, SubjectFilterForm, VerificationForm
from ocop.core.errors import DomainError
from ocop.registry import access
from ocop.registry.models import Subject
from ocop.registry.selectors import (
    product_annotate_recognition,
    product_get_for_user,
    product_list_for_user,
    subject_get_for_user,
    subject_list_for_user,
)
from ocop.registry.services import subject_verification_decide

TEMPLATES = "backoffice/registry/"


@login_required
def subject_list(request):
    ensure_officer(request.user)
    form = SubjectFilterForm(request.GET or None)
    subjects = subject_list_for_user(user=request.user, filters=form.filters())
    page = paginate(request, subjects)
    context = {"form": form, "page": page, "querystring": querystring_without_page(request)}
    return render(request, TEMPLATES + "subject_list.html", context)


def _subject_or_404(request, subject_id) -> Subject:
    try:
        return subject_get_for_user(user=request.user, subject_id=subject_id)
    except DomainError as exc:
        raise http_error(exc) from exc


def _can_verify(user, subject) -> bool:
    if subject.verification_status != Subject.Verification.PENDING:
        return False
    try:
        access.ensure_can_verify_subject(user, subject)
    except DomainError:
        return False
    return True


def _subject_page(request, subject, verification_form=None, status=200):
    products = product_annotate_recognition(subject.products.select_related("category"), timezone.localdate())
    context = {
        "subject": subject,
        "products": products,
        "history": history_entries(subject),
        "can_verify": _can_verify(request.user, subject),
        "verification_form": verification_form or VerificationForm(),
        "is_officer": scope_for(request.user).is_officer,
    }
    return render(request, TEMPLATES + "subject_detail.html", context, status=status)


@login_required
def subject_detail(request, subject_id: int):
    """Officers covering the subject and its own producer; everyone else gets 404 (no probing)."""
    return _subject_page(request, _subject_or_404(request, subject_id))


@login_required
@require_POST
def subject_verify(request, subject_id: int):
    subject = _subject_or_404(request, subject_id)
    form = VerificationForm(request.POST)
    if form.is_valid():
        try:
            subject = subject_verification_decide(
                actor=request.user,
                subject=subject,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            if exc.status == 403:
                raise http_error(exc) from exc
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Đã ghi quyết định: %(status)s.") % {"status": subject.get_verification_status_display()},
            )
            return redirect("bo:registry:subject-detail", subject_id=subject.pk)
    return _subject_page(request, subject, verification_form=form, status=422)


@login_required
def product_list(request):
    """Officers only. The back office keeps to the officer's own area, even for published products."""
    ensure_officer(request.user)
    form = ProductFilterForm(request.GET or None)
    products = product_list_for_user(user=request.user, filters=form.filters(), own_area=True)
    page = paginate(request, products)
    context = {"form": form, "page": page, "querystring": querystring_without_page(request)}
    return render(request, TEMPLATES + "product_list.html", context)


@login_required
def product_detail(request, product_id: int):
    try:
        product = product_get_for_user(user=request.user, product_id=product_id)
        # The selector also returns other provinces' published products (public data); not here.
        access.ensure_can_view_subject(request.user, product.subject)
    except DomainError as exc:
        raise http_error(exc) from exc
    context = {
        "product": product,
        "certificates": product.certificates.all(),
        "history": history_entries(product),
    }
    return render(request, TEMPLATES + "product_detail.html", context)
