"""A worker killed mid-job (kill -9): its job is queued again (idempotent kinds) or failed with a message and a
"run again", never left "running" and never with a partial file to download. And `make run`'s launcher keeps the
web server up when the worker dies, restarts the worker, and stops both on Ctrl-C."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from ocop.core.errors import PermissionDenied
from ocop.core.jobs import _HANDLERS, _IDEMPOTENT, jobrun_file_path, jobrun_reap_dead, jobrun_rerun
from ocop.core.liveness import _heartbeat_key, _host, _start_time, worker_is_alive, worker_name
from ocop.core.models import JobRun
from ocop.core.supervise import Child, Supervisor


@pytest.fixture
def handlers():
    from ocop.core.jobs import job_handler

    def write(job, progress):
        progress.output_path("out.txt").write_text("complete")
        return {"ok": True}

    job_handler("test.export", idempotent=True)(write)
    job_handler("test.import")(write)
    yield
    for kind in ("test.export", "test.import"):
        _HANDLERS.pop(kind, None)
        _IDEMPOTENT.discard(kind)


@pytest.fixture
def dead_worker():
    """The name of a worker process on this host that was killed with SIGKILL."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    name = f"{_host()}:{proc.pid}:{_start_time(proc.pid)}"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return name


def _running_job(user, kind, worker):
    job = JobRun.objects.create(
        kind=kind, created_by=user, status=JobRun.Status.RUNNING, worker=worker, attempts=1, total=10, done=4
    )
    folder = Path(settings.PRIVATE_ROOT) / "jobs" / str(job.pk)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "out.txt").write_text("trunc")  # what the dead worker had written so far
    JobRun.objects.filter(pk=job.pk).update(result_file=f"jobs/{job.pk}/out.txt", result_filename="out.txt")
    job.refresh_from_db()
    return job, folder


@pytest.mark.django_db
def test_a_non_idempotent_job_of_a_dead_worker_fails_with_a_message_and_no_partial_file(
    handlers, dead_worker, django_user_model, django_capture_on_commit_callbacks
):
    user = django_user_model.objects.create_user("officer", password="x")
    job, folder = _running_job(user, "test.import", dead_worker)

    assert jobrun_reap_dead() == {"requeued": 0, "failed": 1}

    job.refresh_from_db()
    assert job.status == JobRun.Status.FAILED and job.finished_at is not None
    assert "Chạy lại" in job.message and job.result["code"] == "worker_died"
    assert not folder.exists()
    with pytest.raises(PermissionDenied):
        jobrun_file_path(job)
    # "Chạy lại": the same parameters, a new job, and this time it finishes.
    with django_capture_on_commit_callbacks(execute=True):
        again = jobrun_rerun(job=job, actor=user)
    again.refresh_from_db()
    assert again.status == JobRun.Status.SUCCEEDED and jobrun_file_path(again).read_text() == "complete"


@pytest.mark.django_db
def test_an_idempotent_job_of_a_dead_worker_runs_again_once(
    handlers, dead_worker, django_user_model, django_capture_on_commit_callbacks
):
    user = django_user_model.objects.create_user("officer", password="x")
    job, _folder = _running_job(user, "test.export", dead_worker)

    with django_capture_on_commit_callbacks(execute=True):
        assert jobrun_reap_dead() == {"requeued": 1, "failed": 0}

    job.refresh_from_db()
    assert job.status == JobRun.Status.SUCCEEDED and job.attempts == 2
    assert jobrun_file_path(job).read_text() == "complete"
    # A second death after the retry is final.
    JobRun.objects.filter(pk=job.pk).update(status=JobRun.Status.RUNNING, worker=dead_worker)
    assert jobrun_reap_dead() == {"requeued": 0, "failed": 1}


@pytest.mark.django_db
def test_a_job_whose_worker_is_alive_is_left_alone(handlers, django_user_model):
    user = django_user_model.objects.create_user("officer", password="x")
    job, folder = _running_job(user, "test.import", worker_name())

    assert jobrun_reap_dead() == {"requeued": 0, "failed": 0}

    job.refresh_from_db()
    assert job.status == JobRun.Status.RUNNING and folder.exists()
    with pytest.raises(PermissionDenied):  # not finished: the file may be partial
        jobrun_file_path(job)


def test_a_worker_on_another_host_is_alive_while_its_heartbeat_is_fresh():
    other = "another-host:4242:12345"
    assert not worker_is_alive(other)
    cache.set(_heartbeat_key(other), 1, timeout=60)
    assert worker_is_alive(other)
    assert worker_is_alive(worker_name())


def test_only_failed_jobs_run_again(db, django_user_model):
    user = django_user_model.objects.create_user("officer", password="x")
    job = JobRun.objects.create(kind="test.export", created_by=user, status=JobRun.Status.SUCCEEDED)
    with pytest.raises(Exception, match="thất bại"):
        jobrun_rerun(job=job, actor=user)


def _wait(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_the_launcher_restarts_a_dead_worker_and_keeps_the_web_server():
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
    web, worker = Child("web", sleeper), Child("worker", sleeper)
    supervisor = Supervisor([web, worker], say=lambda line: None, poll=0.05)
    thread = threading.Thread(target=supervisor.run, kwargs={"install_signals": False})
    thread.start()
    try:
        assert _wait(lambda: web.proc is not None and worker.proc is not None)
        web_pid, worker_pid = web.proc.pid, worker.proc.pid
        os.kill(worker_pid, signal.SIGKILL)

        assert _wait(lambda: worker.restarts == 1 and worker.proc.pid != worker_pid)
        assert web.proc.pid == web_pid and web.proc.poll() is None  # the web server never stopped
        assert worker.proc.poll() is None
    finally:
        supervisor.stop()  # what Ctrl-C does
        thread.join(timeout=20)
    assert not thread.is_alive()
    assert web.proc.poll() is not None and worker.proc.poll() is not None


@pytest.mark.django_db
def test_the_job_page_offers_run_again_to_its_creator_only(
    handlers, dead_worker, province_officer_a, province_officer_b, client_for, django_capture_on_commit_callbacks
):
    job, _folder = _running_job(province_officer_a, "test.import", dead_worker)
    jobrun_reap_dead()

    page = client_for(province_officer_a).get(f"/bo/jobs/{job.pk}/")
    assert page.status_code == 200
    assert "Chạy lại" in page.content.decode() and f"/bo/jobs/{job.pk}/rerun/" in page.content.decode()
    assert client_for(province_officer_b).post(f"/bo/jobs/{job.pk}/rerun/").status_code == 404
    assert JobRun.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(province_officer_a).post(f"/bo/jobs/{job.pk}/rerun/")
    again = JobRun.objects.exclude(pk=job.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/bo/jobs/{again.pk}/"
    assert again.status == JobRun.Status.SUCCEEDED


@pytest.mark.django_db
def test_the_api_runs_a_failed_job_again_and_refuses_bad_ids(
    handlers, dead_worker, province_officer_a, province_officer_b, client_for
):
    job, _folder = _running_job(province_officer_a, "test.import", dead_worker)
    jobrun_reap_dead()

    other = client_for(province_officer_b).post(f"/api/v1/jobs/{job.pk}/rerun")
    bad = client_for(province_officer_a).get("/api/v1/jobs/not-a-uuid")
    mine = client_for(province_officer_a).post(f"/api/v1/jobs/{job.pk}/rerun")

    assert other.status_code == 404 and other.json()["code"] == "job_not_found"
    assert bad.status_code == 422 and set(bad.json()) == {"code", "message", "fields"}
    assert mine.status_code == 202 and mine.json()["id"] != str(job.pk)
