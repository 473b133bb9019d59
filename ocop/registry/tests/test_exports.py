import datetime

import pytest
from django.conf import settings
from python_calamine import CalamineWorkbook

from ocop.certification.models import Certificate
from ocop.core.errors import PermissionDenied, ValidationError
from ocop.core.jobs import jobrun_file_path
from ocop.core.models import AuditEvent, JobRun
from ocop.geo.models import AdminUnit
from ocop.registry import selectors
from ocop.registry.exports import products_export_start, subjects_export_start
from ocop.registry.importing.commit import import_run
from ocop.registry.models import Subject
from ocop.registry.services import product_create, subject_create

pytestmark = pytest.mark.django_db

LISTS = settings.REFERENCE_DATA_DIR / "ocop-lists"


@pytest.fixture
def lists():
    # Lâm Đồng (province A, code 68) from a published list; Gia Lai (province B, code 52) built here with
    # recognised products, which the product selector shows to anyone — the export must still leave them out.
    name = "list_lamdong_ductrong_2025.csv"
    import_run(data=(LISTS / name).read_bytes(), filename=name)
    communes = list(AdminUnit.objects.filter(level="commune", province_code="52", valid_until__isnull=True)[:2])
    for index, commune in enumerate(communes):
        subject = subject_create(
            actor=None,
            values={"name": f"HTX Cà phê Chư Sê {index}", "commune": commune},
            verified=True,
            check_access=False,
        )
        for star in (3, 4):
            product = product_create(actor=None, subject=subject, values={"name": f"Cà phê {star}"}, check_access=False)
            today = datetime.date.today()
            Certificate.objects.create(
                product=product, star=star, valid_from=today.replace(day=1), valid_until=today + datetime.timedelta(700)
            )


def _run(start, django_capture_on_commit_callbacks, **kwargs) -> tuple[JobRun, list[list]]:
    with django_capture_on_commit_callbacks(execute=True):
        job = start(**kwargs)
    job.refresh_from_db()
    assert job.status == JobRun.Status.SUCCEEDED, job.message
    rows = CalamineWorkbook.from_path(str(jobrun_file_path(job))).get_sheet_by_index(0).to_python()
    return job, rows


def test_product_export_matches_scoped_selector_and_has_no_other_province(
    lists, province_officer_a, django_capture_on_commit_callbacks
):
    # given products in A and recognised (publicly visible) products in B
    browsable = selectors.product_list_for_user(user=province_officer_a)
    assert browsable.filter(subject__province_code="52").exists()
    expected = selectors.product_list_for_user(user=province_officer_a, filters={"province": "68"})

    # when officer A exports without a province filter
    job, rows = _run(products_export_start, django_capture_on_commit_callbacks, actor=province_officer_a, filters={})

    # then the file holds exactly A's products (header + one row each), none from B
    codes = {row[0] for row in rows[1:]}
    assert len(rows) - 1 == job.result["rows"] == expected.count() > 0
    assert codes == set(expected.values_list("ocop_code", flat=True))
    assert not any(code.startswith("OCOP-52-") for code in codes)
    assert job.percent == 100
    assert AuditEvent.objects.filter(action="registry.export", actor=province_officer_a).exists()


def test_product_export_applies_filters(lists, province_officer_a, django_capture_on_commit_callbacks):
    filters = {"q": "ca phe", "certificate": "valid"}
    expected = selectors.product_list_for_user(user=province_officer_a, filters={**filters, "province": "68"})

    job, rows = _run(
        products_export_start, django_capture_on_commit_callbacks, actor=province_officer_a, filters=filters
    )

    assert len(rows) - 1 == expected.count()
    assert job.result["filters"] == filters


def test_subject_export_for_province_b_has_no_a_rows(lists, province_officer_b, django_capture_on_commit_callbacks):
    job, rows = _run(subjects_export_start, django_capture_on_commit_callbacks, actor=province_officer_b, filters={})

    names = {row[0] for row in rows[1:]}
    assert len(names) == Subject.objects.filter(province_code="52").count() > 0
    assert names.isdisjoint(Subject.objects.filter(province_code="68").values_list("name", flat=True))


def test_officer_of_a_filtering_on_b_gets_an_empty_file(lists, province_officer_a, django_capture_on_commit_callbacks):
    job, rows = _run(
        products_export_start, django_capture_on_commit_callbacks, actor=province_officer_a, filters={"province": "52"}
    )

    assert job.result["rows"] == 0 and len(rows) == 1


def test_producer_and_anonymous_are_refused(producer):
    from django.contrib.auth.models import AnonymousUser

    for actor in (producer, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            products_export_start(actor=actor, filters={})
        with pytest.raises(PermissionDenied):
            subjects_export_start(actor=actor, filters={})
    assert not JobRun.objects.exists()


def test_role_withdrawn_before_the_job_runs_fails_it(province_officer_a, django_capture_on_commit_callbacks):
    from ocop.accounts.models import RoleAssignment

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = products_export_start(actor=province_officer_a, filters={})
    RoleAssignment.objects.filter(user=province_officer_a).delete()
    for callback in callbacks:
        callback()

    job.refresh_from_db()
    assert job.status == JobRun.Status.FAILED and not job.result_file


def test_malformed_filter_is_refused(province_officer_a):
    with pytest.raises(ValidationError):
        products_export_start(actor=province_officer_a, filters={"stars": "bốn"})
