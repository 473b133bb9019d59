"""Downloading an evidence document from private storage.

Who may: `ocop.evaluation.access.can_download_evidence`. Everyone else gets 404, so nobody can probe which
documents exist. The file is streamed as an attachment under the type sniffed at upload, with an ASCII
fallback name and the real (Vietnamese) name in RFC 5987 form."""

import re
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404

from ocop.core.audit import audit_record
from ocop.core.text import fold, nfc
from ocop.evaluation.access import can_download_evidence
from ocop.evaluation.models import Evidence

EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def content_disposition(title: str, content_type: str) -> str:
    """`attachment` with a safe ASCII `filename` (accents folded, anything odd replaced) and the real name as
    RFC 5987 `filename*`, so no quote, slash or line break in a title can break the header or a path."""
    extension = EXTENSIONS.get(content_type, "bin")
    name = nfc(re.sub(r"[\x00-\x1f\x7f/\\\"]+", " ", nfc(title))).strip(" .") or "minh-chung"
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", fold(name)).strip("-.") or "minh-chung"
    full = f"{name}.{extension}"
    return f"attachment; filename=\"{ascii_name}.{extension}\"; filename*=UTF-8''{quote(full, safe='')}"


@login_required
def evidence_download(request, evidence_id: int):
    evidence = Evidence.objects.select_related("subject").filter(pk=evidence_id).first()
    if evidence is None or not can_download_evidence(request.user, evidence):
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    audit_record(action="evaluation.evidence_downloaded", actor=request.user, target=evidence, request=request)
    response = FileResponse(handle, content_type=evidence.content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition(evidence.title, evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
