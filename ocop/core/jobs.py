"""Background jobs with a progress bar.

A job kind is a plain function registered with `@job_handler("kind")`; it receives the JobRun and a
`Progress` and returns a summary dict. `jobrun_start` records the JobRun and queues the Huey task only
after the surrounding transaction commits, so the consumer never sees a job that was rolled back.
"""

import logging
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ocop.core.errors import DomainError, NotFound, PermissionDenied
from ocop.core.models import JobRun

logger = logging.getLogger(__name__)

JobHandler = Callable[[JobRun, "Progress"], dict]
_HANDLERS: dict[str, JobHandler] = {}


def job_handler(kind: str):
    def register(func: JobHandler) -> JobHandler:
        _HANDLERS[kind] = func
        return func

    return register


class Progress:
    """Writes progress to the JobRun at most every 0.3 s so a tight loop does not hammer the database."""

    def __init__(self, job: JobRun):
        self.job = job
        self._last = 0.0

    def __call__(self, done: int, total: int | None = None, message: str = "", force: bool = False):
        now = time.monotonic()
        if not force and now - self._last < 0.3:
            return
        self._last = now
        fields = {"done": done}
        if total is not None:
            fields["total"] = total
        if message:
            fields["message"] = message[:500]
        JobRun.objects.filter(pk=self.job.pk).update(**fields)
        for key, value in fields.items():
            setattr(self.job, key, value)

    def output_path(self, filename: str) -> Path:
        """Where the job writes its downloadable file (private storage, never served directly)."""
        folder = Path(settings.PRIVATE_ROOT) / "jobs" / str(self.job.pk)
        folder.mkdir(parents=True, exist_ok=True)
        self.job.result_file = str(Path("jobs") / str(self.job.pk) / filename)
        self.job.result_filename = filename
        return folder / filename


def _discover_handlers() -> None:
    """Each app declares its job kinds in its own `jobs.py` (imported once, like admin.py)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("jobs")


def jobrun_start(*, kind: str, actor, params: dict | None = None, title: str = "", scope_unit_code: str = "") -> JobRun:
    """Create a queued JobRun and queue its execution after commit. Raises ValueError for an unknown kind."""
    _discover_handlers()
    if kind not in _HANDLERS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = JobRun.objects.create(
        kind=kind,
        title=title,
        # The job speaks the language of the person who started it (file headers, messages).
        params={**(params or {}), "_language": translation.get_language() or settings.LANGUAGE_CODE},
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        scope_unit_code=scope_unit_code,
    )
    from ocop.core.tasks import jobrun_execute_task

    transaction.on_commit(lambda: jobrun_execute_task(str(job.pk)))
    return job


def jobrun_execute(job_id: str) -> None:
    """Run one job to completion, recording success or a user-readable failure."""
    _discover_handlers()
    job = JobRun.objects.filter(pk=job_id).first()
    if job is None or job.is_finished:
        return
    JobRun.objects.filter(pk=job.pk).update(status=JobRun.Status.RUNNING, started_at=timezone.now())
    job.status = JobRun.Status.RUNNING
    progress = Progress(job)
    try:
        with translation.override(job.params.get("_language", settings.LANGUAGE_CODE)):
            result = _HANDLERS[job.kind](job, progress) or {}
    except DomainError as exc:
        _finish(job, JobRun.Status.FAILED, message=str(exc.message), result=exc.as_dict())
        return
    except Exception:  # the person waiting gets a clear message; the traceback goes to the log
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, JobRun.Status.FAILED, message=str(_("Công việc gặp lỗi không mong muốn. Vui lòng thử lại.")))
        return
    _finish(job, JobRun.Status.SUCCEEDED, result=result, done=job.total or job.done)


def _finish(job: JobRun, status: str, *, message: str = "", result: dict | None = None, done: int | None = None):
    job.status = status
    job.finished_at = timezone.now()
    job.result = result or {}
    if message:
        job.message = message[:500]
    if done is not None:
        job.done = done
    job.save(update_fields=["status", "finished_at", "result", "message", "done", "result_file", "result_filename"])


def jobrun_get_for_user(*, job_id, user) -> JobRun:
    """A job is visible to the person who started it and to superusers; anyone else gets NotFound."""
    job = JobRun.objects.filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("Không tìm thấy công việc."), code="job_not_found")
    if not (user.is_superuser or (job.created_by_id and job.created_by_id == user.pk)):
        raise NotFound(_("Không tìm thấy công việc."), code="job_not_found")
    return job


def jobrun_file_path(job: JobRun) -> Path:
    if not job.result_file:
        raise PermissionDenied(_("Công việc này không có tệp kết quả."), code="job_no_file")
    return Path(settings.PRIVATE_ROOT) / job.result_file
