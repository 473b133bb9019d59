"""Background jobs with a progress bar.

A job kind is a plain function registered with `@job_handler("kind")`; it receives the JobRun and a
`Progress` and returns a summary dict. `jobrun_start` records the JobRun and queues the Huey task only
after the surrounding transaction commits, so the consumer never sees a job that was rolled back.

A worker can die mid-job (kill -9, out of memory, a reboot). Each running job records its worker
(ocop.core.liveness); `jobrun_reap_dead`, run when a consumer starts and every minute, finds running jobs whose
worker is gone. A handler registered `idempotent=True` (it writes all or nothing, or only regenerates a file) is
queued again once; any other is marked failed with a message the user understands, and its partial output is
removed. Result files are served only for succeeded jobs, so a truncated file is never downloaded.
"""

import logging
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ocop.core.errors import DomainError, NotFound, PermissionDenied
from ocop.core.liveness import Heartbeat, worker_is_alive, worker_name
from ocop.core.models import JobRun

logger = logging.getLogger(__name__)

JobHandler = Callable[[JobRun, "Progress"], dict]
_HANDLERS: dict[str, JobHandler] = {}
_IDEMPOTENT: set[str] = set()
MAX_ATTEMPTS = 2  # an idempotent job whose worker died is taken up once more


def job_handler(kind: str, *, idempotent: bool = False):
    """Register a job kind. `idempotent`: running it again after a crash is safe (all-or-nothing writes, or a file
    regenerated from scratch), so a job whose worker died is queued again instead of failed."""

    def register(func: JobHandler) -> JobHandler:
        _HANDLERS[kind] = func
        if idempotent:
            _IDEMPOTENT.add(kind)
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
    worker = worker_name()
    JobRun.objects.filter(pk=job.pk).update(
        status=JobRun.Status.RUNNING, started_at=timezone.now(), worker=worker, attempts=job.attempts + 1
    )
    job.status, job.worker, job.attempts = JobRun.Status.RUNNING, worker, job.attempts + 1
    progress = Progress(job)
    try:
        with Heartbeat(), translation.override(job.params.get("_language", settings.LANGUAGE_CODE)):
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
    if status == JobRun.Status.FAILED:
        _remove_output(job)
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
    try:
        job_id = uuid.UUID(str(job_id))
    except ValueError:
        raise NotFound(_("Không tìm thấy công việc."), code="job_not_found") from None
    job = JobRun.objects.filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("Không tìm thấy công việc."), code="job_not_found")
    if not (user.is_superuser or (job.created_by_id and job.created_by_id == user.pk)):
        raise NotFound(_("Không tìm thấy công việc."), code="job_not_found")
    return job


def jobrun_file_path(job: JobRun) -> Path:
    """The result file of a succeeded job; a failed or unfinished job's file may be partial and is never served."""
    if not job.result_file or job.status != JobRun.Status.SUCCEEDED:
        raise PermissionDenied(_("Công việc này không có tệp kết quả."), code="job_no_file")
    return Path(settings.PRIVATE_ROOT) / job.result_file


def _remove_output(job: JobRun) -> None:
    """Remove whatever the job wrote to its output folder: a failed job leaves no partial file behind."""
    shutil.rmtree(Path(settings.PRIVATE_ROOT) / "jobs" / str(job.pk), ignore_errors=True)
    job.result_file = job.result_filename = ""


WORKER_DIED = _(
    "Tiến trình xử lý đã dừng đột ngột trước khi công việc xong; không có dữ liệu nào được ghi dở. Hãy bấm «Chạy lại»."
)


def jobrun_reap_dead() -> dict[str, int]:
    """Find running jobs whose worker is gone: queue idempotent ones again (once), fail the others. Safe to run
    in every consumer at once: each change is conditional on the job still being in the state it was read in."""
    from ocop.core.tasks import jobrun_execute_task

    _discover_handlers()
    requeued = failed = 0
    for job in JobRun.objects.filter(status=JobRun.Status.RUNNING).exclude(worker=""):
        if worker_is_alive(job.worker):
            continue
        if job.kind in _IDEMPOTENT and job.attempts < MAX_ATTEMPTS:
            _remove_output(job)
            taken = JobRun.objects.filter(pk=job.pk, status=JobRun.Status.RUNNING, worker=job.worker).update(
                status=JobRun.Status.QUEUED, worker="", result_file="", result_filename=""
            )
            if taken:
                requeued += 1
                logger.warning("job %s (%s): worker %s died; queued again", job.pk, job.kind, job.worker)
                transaction.on_commit(lambda pk=str(job.pk): jobrun_execute_task(pk))
            continue
        _remove_output(job)
        taken = JobRun.objects.filter(pk=job.pk, status=JobRun.Status.RUNNING, worker=job.worker).update(
            status=JobRun.Status.FAILED,
            finished_at=timezone.now(),
            message=str(WORKER_DIED)[:500],
            result={"code": "worker_died", "message": str(WORKER_DIED), "fields": {}},
            result_file="",
            result_filename="",
        )
        if taken:
            failed += 1
            logger.warning("job %s (%s): worker %s died; marked failed", job.pk, job.kind, job.worker)
    return {"requeued": requeued, "failed": failed}


def jobrun_rerun(*, job: JobRun, actor) -> JobRun:
    """Start a failed job again with the same parameters, for the person who started it."""
    if job.status != JobRun.Status.FAILED:
        raise DomainError(_("Chỉ chạy lại được công việc đã thất bại."), code="job_not_failed")
    if not getattr(actor, "is_active", False):
        raise PermissionDenied()
    params = {k: v for k, v in job.params.items() if k != "_language"}
    return jobrun_start(kind=job.kind, actor=actor, params=params, title=job.title, scope_unit_code=job.scope_unit_code)
