import pytest
from django.conf import settings

from ocop.core.errors import PermissionDenied
from ocop.core.models import JobRun
from ocop.registry.jobs import import_job_start
from ocop.registry.models import ImportBatch, Product
from ocop.registry.seed import seed

pytestmark = pytest.mark.django_db

LIST = settings.REFERENCE_DATA_DIR / "ocop-lists" / "list_daknong_qd858_2025.csv"


def test_import_job_runs_with_progress_and_result(province_officer_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_start(actor=province_officer_a, data=LIST.read_bytes(), filename=LIST.name)

    job.refresh_from_db()
    assert job.status == JobRun.Status.SUCCEEDED, job.message
    assert job.result["created_products"] == 5 and job.percent == 100


def test_import_job_with_row_errors_fails_and_writes_nothing(province_officer_a, django_capture_on_commit_callbacks):
    bad = LIST.read_bytes().replace(b",4,,2025", b",6,,2025")

    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_start(actor=province_officer_a, data=bad, filename="bad.csv")

    job.refresh_from_db()
    assert job.status == JobRun.Status.FAILED
    assert job.result["code"] == "import_rejected" and job.result["fields"]
    assert not Product.objects.exists()


def test_producer_may_not_start_an_import(producer):
    with pytest.raises(PermissionDenied):
        import_job_start(actor=producer, data=LIST.read_bytes(), filename=LIST.name)


def test_seed_imports_every_list_once():
    first = seed()
    count = Product.objects.count()

    second = seed()

    assert "9 lists imported" in first and "9 already there" in second
    assert Product.objects.count() == count > 300  # lists overlap: shared products are matched, not doubled
    assert ImportBatch.objects.count() == 9
