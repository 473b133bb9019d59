"""Import of recognised-product lists: upload → preview (mapping, row report, counts) → commit as a job.

Between preview and commit the file waits in private storage (PRIVATE_ROOT/uploads), named by an opaque
token that only this user's session knows; the URL token is checked against the session.
"""

import datetime
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.backoffice.registry.common import add_domain_error
from ocop.backoffice.registry.forms import ImportMappingForm, ImportUploadForm
from ocop.core.errors import DomainError
from ocop.core.errors import PermissionDenied as DomainPermissionDenied
from ocop.registry.access import ensure_can_import_products
from ocop.registry.importing.commit import import_prepare, import_run
from ocop.registry.importing.mapping import LABELS
from ocop.registry.importing.parsing import MAX_BYTES
from ocop.registry.jobs import import_job_start

TEMPLATES = "backoffice/registry/"
SESSION_KEY = "registry_import_uploads"
MAX_SHOWN_ISSUES = 500


def can_import(user) -> bool:
    try:
        ensure_can_import_products(user)
    except DomainError:
        return False
    return True


def _ensure_can_import(user) -> None:
    try:
        ensure_can_import_products(user)
    except DomainError as exc:
        raise HttpPermissionDenied(str(exc.message)) from exc


def _upload_path(token: str) -> Path:
    return Path(settings.PRIVATE_ROOT) / "uploads" / f"{token}.upload"


def _upload_store(request, data: bytes, filename: str, as_of) -> str:
    token = secrets.token_urlsafe(24)
    path = _upload_path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    uploads = request.session.get(SESSION_KEY, {})
    uploads[token] = {"filename": filename, "as_of": as_of.isoformat() if as_of else "", "mapping": {}}
    request.session[SESSION_KEY] = uploads
    return token


def _upload_get(request, token: str) -> tuple[dict, bytes]:
    upload = request.session.get(SESSION_KEY, {}).get(token)
    path = _upload_path(token)
    if upload is None or not path.exists():
        raise Http404
    return upload, path.read_bytes()


def _upload_forget(request, token: str) -> None:
    uploads = request.session.get(SESSION_KEY, {})
    uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads
    _upload_path(token).unlink(missing_ok=True)


def _as_of(upload):
    return datetime.date.fromisoformat(upload["as_of"]) if upload["as_of"] else None


@login_required
def import_upload(request):
    """The upload form; a file-level problem (type, header row, required columns) is shown on the form."""
    _ensure_can_import(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", _("Tệp lớn hơn 50 MB. Hãy chia nhỏ danh sách."))
        else:
            data, filename = upload.read(), upload.name
            try:
                import_prepare(data=data, filename=filename, as_of=form.cleaned_data["as_of"], actor=request.user)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                token = _upload_store(request, data, filename, form.cleaned_data["as_of"])
                return redirect("bo:registry:import-preview", token=token)
    return render(request, TEMPLATES + "import_upload.html", {"form": form}, status=422 if form.errors else 200)


@login_required
def import_preview(request, token: str):
    """A dry run with the current mapping: the same counts and row report a real import would give.

    POST with the mapping selects re-runs it with that mapping (kept in the session for the commit)."""
    _ensure_can_import(request.user)
    upload, data = _upload_get(request, token)
    if request.method == "POST":
        upload["mapping"] = {k: request.POST.get(k, "") for k in LABELS}
        uploads = request.session[SESSION_KEY]
        uploads[token] = upload
        request.session[SESSION_KEY] = uploads
    error = None
    result = None
    try:
        result = import_run(
            data=data,
            filename=upload["filename"],
            actor=request.user,
            as_of=_as_of(upload),
            mapping=upload["mapping"] or None,
            dry_run=True,
        )
    except DomainError as exc:
        error = exc
    headers = result.headers if result else []
    mapping_form = ImportMappingForm(headers=headers, detected=result.mapping if result else {})
    context = {
        "token": token,
        "upload": upload,
        "as_of": _as_of(upload),
        "result": result,
        "error": error,
        "mapping_form": mapping_form,
        "issues": result.issues[:MAX_SHOWN_ISSUES] if result else [],
        "errors_count": len(result.errors) if result else 0,
        "warnings_count": (len(result.issues) - len(result.errors)) if result else 0,
    }
    return render(request, TEMPLATES + "import_preview.html", context)


@login_required
@require_POST
def import_commit(request, token: str):
    """Start the import job with the previewed file and mapping, then follow its progress bar."""
    _ensure_can_import(request.user)
    upload, data = _upload_get(request, token)
    try:
        job = import_job_start(
            actor=request.user,
            data=data,
            filename=upload["filename"],
            as_of=_as_of(upload),
            mapping=upload["mapping"] or None,
        )
    except DomainPermissionDenied as exc:
        raise HttpPermissionDenied(str(exc.message)) from exc
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("bo:registry:import-preview", token=token)
    _upload_forget(request, token)
    return redirect("bo:jobs:job-detail", job_id=job.pk)
