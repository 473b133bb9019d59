import pytest

from ocop.core.errors import ValidationError
from ocop.core.jobs import _HANDLERS, job_handler, jobrun_file_path, jobrun_get_for_user, jobrun_start
from ocop.core.models import JobRun


@pytest.fixture
def handlers():
    @job_handler("test.ok")
    def ok(job, progress):
        progress(0, 3, "start", force=True)
        path = progress.output_path("out.txt")
        path.write_text("done")
        progress(3, 3, force=True)
        return {"rows": 3}

    @job_handler("test.refused")
    def refused(job, progress):
        raise ValidationError("Tệp rỗng.", code="empty_file")

    @job_handler("test.crash")
    def crash(job, progress):
        raise RuntimeError("boom")

    yield
    for kind in ("test.ok", "test.refused", "test.crash"):
        _HANDLERS.pop(kind, None)


@pytest.mark.django_db
def test_job_runs_after_commit_and_records_result_and_file(
    handlers, django_user_model, django_capture_on_commit_callbacks
):
    user = django_user_model.objects.create_user("u1", password="x")
    with django_capture_on_commit_callbacks(execute=True):
        job = jobrun_start(kind="test.ok", actor=user)
    job.refresh_from_db()
    assert job.status == JobRun.Status.SUCCEEDED
    assert job.percent == 100
    assert job.result == {"rows": 3}
    assert jobrun_file_path(job).read_text() == "done"


@pytest.mark.django_db
def test_domain_error_fails_the_job_with_its_message(handlers, django_user_model, django_capture_on_commit_callbacks):
    user = django_user_model.objects.create_user("u2", password="x")
    with django_capture_on_commit_callbacks(execute=True):
        job = jobrun_start(kind="test.refused", actor=user)
    job.refresh_from_db()
    assert job.status == JobRun.Status.FAILED
    assert job.message == "Tệp rỗng."
    assert job.result["code"] == "empty_file"


@pytest.mark.django_db
def test_unexpected_error_fails_the_job_without_leaking_the_traceback(
    handlers, django_user_model, django_capture_on_commit_callbacks
):
    user = django_user_model.objects.create_user("u3", password="x")
    with django_capture_on_commit_callbacks(execute=True):
        job = jobrun_start(kind="test.crash", actor=user)
    job.refresh_from_db()
    assert job.status == JobRun.Status.FAILED
    assert "boom" not in job.message
    assert job.message


@pytest.mark.django_db
def test_a_job_is_invisible_to_other_users(handlers, django_user_model, django_capture_on_commit_callbacks):
    owner = django_user_model.objects.create_user("owner", password="x")
    other = django_user_model.objects.create_user("other", password="x")
    with django_capture_on_commit_callbacks(execute=True):
        job = jobrun_start(kind="test.ok", actor=owner)
    assert jobrun_get_for_user(job_id=job.pk, user=owner) == job
    with pytest.raises(Exception) as excinfo:
        jobrun_get_for_user(job_id=job.pk, user=other)
    assert getattr(excinfo.value, "code", "") == "job_not_found"


def test_unknown_job_kind_is_refused():
    with pytest.raises(ValueError):
        jobrun_start(kind="nope", actor=None)
