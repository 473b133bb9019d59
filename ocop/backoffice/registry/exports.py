"""XLSX exports of the subject and product lists: the list's current filters go to a background job and
the officer lands on its progress bar. Scope is enforced by the export service, not here."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from ocop.backoffice.registry.forms import ProductFilterForm, SubjectFilterForm
from ocop.core.errors import PermissionDenied
from ocop.registry.exports import products_export_start, subjects_export_start


def _start(request, form, start):
    try:
        job = start(actor=request.user, filters=form.filters())
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from exc
    return redirect("bo:jobs:job-detail", job_id=job.pk)


@login_required
@require_POST
def subject_export(request):
    return _start(request, SubjectFilterForm(request.POST), subjects_export_start)


@login_required
@require_POST
def product_export(request):
    return _start(request, ProductFilterForm(request.POST), products_export_start)
