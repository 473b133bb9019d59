"""Administrative units in the back office: the current provinces and the XLSX export job."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.accounts.access import ensure_can_access_province, is_officer, scope_for
from ocop.core.audit import audit_record
from ocop.core.errors import DomainError
from ocop.core.jobs import jobrun_start
from ocop.geo.jobs import EXPORT_UNITS
from ocop.geo.models import AdminUnit
from ocop.geo.selectors import province_list as current_province_list
from ocop.geo.selectors import unit_get


def _current_provinces():
    return current_province_list().annotate(
        commune_count=Count("children", filter=Q(children__level=AdminUnit.Level.COMMUNE))
    )


@login_required
def province_list(request):
    """Officers see every province (public reference data); export buttons only where they have access."""
    if not is_officer(request.user):
        raise DjangoPermissionDenied
    scope = scope_for(request.user)
    provinces = list(_current_provinces())
    for province in provinces:
        province.can_export = scope.nationwide or province.code in scope.province_codes
    return render(request, "backoffice/geo/province_list.html", {"provinces": provinces})


@login_required
@require_POST
def province_export(request, code: str):
    try:
        province = unit_get(code=code, level=AdminUnit.Level.PROVINCE)
    except DomainError as exc:
        raise Http404(str(exc.message)) from exc
    try:
        ensure_can_access_province(request.user, province.code)
    except DomainError as exc:
        raise DjangoPermissionDenied(str(exc.message)) from exc
    job = jobrun_start(
        kind=EXPORT_UNITS,
        actor=request.user,
        params={"province_id": province.pk},
        title=_("Xuất danh sách đơn vị hành chính — %(name)s") % {"name": province.full_name},
        scope_unit_code=province.code,
    )
    audit_record(action="geo.export", actor=request.user, target=province, request=request)
    return redirect("bo:jobs:job-detail", job_id=job.pk)
