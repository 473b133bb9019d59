"""The producer's side of a dossier: create it, fill Form 01/02, self-assess on the sheet, attach evidence, check
and submit (26/2026/QĐ-TTg Điều 6, Điều 7 khoản 1). Every write goes through ocop.evaluation.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.access import scope_for
from ocop.backoffice.evaluation import common
from ocop.backoffice.evaluation.forms import DossierCreateForm, DossierFormsForm, EvidenceLinkForm, EvidenceUploadForm
from ocop.certification.models import Certificate
from ocop.core.errors import DomainError
from ocop.evaluation.models import Criterion
from ocop.evaluation.selectors import regime_for_filing
from ocop.evaluation.services import (
    dossier_create,
    dossier_evidence_link,
    dossier_submit,
    dossier_update,
    evidence_upload,
)
from ocop.evaluation.services.rounds import today
from ocop.registry.models import Product, ProductCategory, Subject

TEMPLATES = "backoffice/evaluation/"


def has_producer_role(user) -> bool:
    return scope_for(user).has_role("producer")


def _own_products(user):
    """Products of the verified subjects the user represents."""
    ids = [int(s) for s in scope_for(user).subject_ids if str(s).isdigit()]
    return (
        Product.objects.filter(subject_id__in=ids, subject__verification_status=Subject.Verification.VERIFIED)
        .select_related("subject", "category")
        .order_by("name")
    )


def _product_sets():
    try:
        version = regime_for_filing(filed_on=today()).criteria_version
    except DomainError:
        return ProductCategory.objects.none()
    return ProductCategory.objects.filter(version=version, level="product_set").order_by("position", "code")


def _current_certificate(product):
    return (
        Certificate.objects.filter(product=product, status=Certificate.Status.ACTIVE)
        .order_by("-valid_until", "-id")
        .first()
    )


@login_required
def dossier_create_page(request):
    if not has_producer_role(request.user):
        raise HttpPermissionDenied
    products = _own_products(request.user)
    form = DossierCreateForm(request.POST or None, products=products, product_sets=_product_sets())
    if request.method == "POST" and form.is_valid():
        product = form.cleaned_data["product"]
        try:
            dossier = dossier_create(
                actor=request.user,
                product=product,
                kind=form.cleaned_data["kind"],
                product_set_code=form.cleaned_data["product_set"] or None,
                certificate=_current_certificate(product),
            )
        except DomainError as exc:
            common.form_error(form, exc)
        else:
            messages.success(request, _("Đã lập hồ sơ. Hãy điền Mẫu 01, Mẫu 02 và tự đánh giá."))
            return redirect("bo:evaluation:dossier-forms", dossier_id=dossier.pk)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, TEMPLATES + "dossier_create.html", {"form": form, "products": products}, status=status)


@login_required
def dossier_forms(request, dossier_id: int):
    """Form 01 and Form 02. A stale revision re-renders what the person typed with the Conflict message."""
    dossier = common.dossier_or_404(request, dossier_id)
    common.require_edit(request.user, dossier)
    if request.method == "POST":
        form = DossierFormsForm(request.POST)
        if form.is_valid():
            try:
                dossier_update(
                    actor=request.user,
                    dossier=dossier,
                    expected_revision=form.cleaned_data["revision"],
                    form01=form.form01(),
                    form02=form.form02(),
                    changes_since_recognition=form.cleaned_data["changes_since_recognition"],
                )
            except DomainError as exc:
                common.form_error(form, exc)
            else:
                messages.success(request, _("Đã lưu Mẫu 01 và Mẫu 02."))
                return redirect("bo:evaluation:dossier-detail", dossier_id=dossier.pk)
    else:
        form = DossierFormsForm(initial=DossierFormsForm.initial_for(dossier))
    context = {
        "dossier": dossier,
        "form": form,
        "groups": form.groups(upgrade=dossier.kind == dossier.Kind.UPGRADE),
        "return_reason": common.return_reason(dossier),
    }
    return render(request, TEMPLATES + "dossier_forms.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def dossier_submit_action(request, dossier_id: int):
    dossier = common.dossier_or_404(request, dossier_id)
    common.require_edit(request.user, dossier)
    try:
        dossier_submit(actor=request.user, dossier=dossier, expected_revision=int(request.POST.get("revision") or 0))
    except DomainError as exc:
        if exc.status == 403:
            raise common.http_error(exc) from exc
        messages.error(request, common.error_text(exc))
    else:
        messages.success(request, _("Đã nộp hồ sơ cho UBND xã."))
    return redirect("bo:evaluation:dossier-detail", dossier_id=dossier.pk)


# --- evidence -----------------------------------------------------------------------------------------------


def _evidence_page(request, dossier, upload_form=None, link_form=None, status=200):
    library = common.subject_evidence(dossier)
    criteria = Criterion.objects.filter(sheet=dossier.criteria_sheet_id).order_by("position")
    link_form = link_form or EvidenceLinkForm(evidence=dossier.subject.evidence.all(), criteria=criteria)
    context = {
        "dossier": dossier,
        "library": library,
        "links": dossier.evidence_links.select_related("evidence", "criterion").order_by("criterion__position", "id"),
        "upload_form": upload_form or EvidenceUploadForm(),
        "link_form": link_form,
        "editable": common.can_edit(request.user, dossier),
        "today": today(),
    }
    return render(request, TEMPLATES + "dossier_evidence.html", context, status=status)


@login_required
def dossier_evidence(request, dossier_id: int):
    dossier = common.dossier_or_404(request, dossier_id)
    common.require_edit(request.user, dossier)
    return _evidence_page(request, dossier)


@login_required
@require_POST
def evidence_upload_action(request, dossier_id: int):
    dossier = common.dossier_or_404(request, dossier_id)
    common.require_edit(request.user, dossier)
    form = EvidenceUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            evidence = evidence_upload(actor=request.user, subject=dossier.subject, **form.cleaned_data)
        except DomainError as exc:
            common.form_error(form, exc)
        else:
            messages.success(request, _("Đã tải lên “%(title)s”.") % {"title": evidence.title})
            return redirect("bo:evaluation:dossier-evidence", dossier_id=dossier.pk)
    return _evidence_page(request, dossier, upload_form=form, status=422)


@login_required
@require_POST
def evidence_link_action(request, dossier_id: int):
    dossier = common.dossier_or_404(request, dossier_id)
    common.require_edit(request.user, dossier)
    criteria = Criterion.objects.filter(sheet=dossier.criteria_sheet_id)
    form = EvidenceLinkForm(request.POST, evidence=dossier.subject.evidence.all(), criteria=criteria)
    if form.is_valid():
        try:
            dossier_evidence_link(actor=request.user, dossier=dossier, **form.cleaned_data)
        except DomainError as exc:
            common.form_error(form, exc)
        else:
            messages.success(request, _("Đã gắn minh chứng vào hồ sơ."))
            return redirect("bo:evaluation:dossier-evidence", dossier_id=dossier.pk)
    return _evidence_page(request, dossier, link_form=form, status=422)
