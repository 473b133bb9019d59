from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render

from ocop.core.audit import audit_record
from ocop.core.errors import DomainError
from ocop.core.jobs import jobrun_file_path, jobrun_get_for_user


def _job_or_404(request, job_id):
    try:
        return jobrun_get_for_user(job_id=job_id, user=request.user)
    except DomainError as exc:
        raise Http404(str(exc.message)) from exc


@login_required
def job_detail(request, job_id):
    job = _job_or_404(request, job_id)
    return render(request, "backoffice/jobs/job_detail.html", {"job": job})


@login_required
def job_progress(request, job_id):
    """The htmx fragment polled every second until the job finishes (then polling stops)."""
    job = _job_or_404(request, job_id)
    return render(request, "backoffice/jobs/_job_progress.html", {"job": job})


@login_required
def job_download(request, job_id):
    job = _job_or_404(request, job_id)
    try:
        path = jobrun_file_path(job)
    except DomainError as exc:
        raise Http404(str(exc.message)) from exc
    if not path.exists():
        raise Http404
    audit_record(action="job.download", actor=request.user, target=job, request=request)
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.result_filename or path.name)
