from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ocop.core.audit import audit_record
from ocop.core.errors import DomainError
from ocop.core.jobs import jobrun_file_path, jobrun_get_for_user, jobrun_rerun


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


@login_required
@require_POST
def job_rerun(request, job_id):
    """«Chạy lại»: a failed job starts again with the same parameters; the page of the new job follows."""
    job = _job_or_404(request, job_id)
    try:
        again = jobrun_rerun(job=job, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("bo:jobs:job-detail", job_id=job.pk)
    return redirect("bo:jobs:job-detail", job_id=again.pk)
