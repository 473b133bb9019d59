import io

import pytest
from python_calamine import CalamineWorkbook

from ocop.core.models import AuditEvent, JobRun

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("central_officer", 200),
        ("province_officer_a", 200),
        ("commune_officer_a", 200),
        ("producer", 403),
    ],
)
def test_province_list_permission_matrix(request, client_for, persona, status):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/bo/geo/").status_code == status


def test_province_list_redirects_anonymous_to_login(anon_client):
    response = anon_client.get("/bo/geo/")
    assert response.status_code == 302
    assert "/bo/accounts/login/" in response["Location"]


def test_province_list_shows_34_provinces_and_export_only_for_own_province(client_for, province_officer_a, province_a):
    html = client_for(province_officer_a).get("/bo/geo/").content.decode()
    assert html.count("<tr data-code=") == 34
    assert html.count('type="submit">Xuất</button>') == 1
    assert f"/bo/geo/{province_a.code}/export/" in html


def test_officer_exports_own_province_to_xlsx_with_progress_and_download(
    client_for, province_officer_a, province_a, django_capture_on_commit_callbacks
):
    client = client_for(province_officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/bo/geo/{province_a.code}/export/")
    assert response.status_code == 302
    job = JobRun.objects.get()
    assert response["Location"] == f"/bo/jobs/{job.pk}/"
    assert job.status == JobRun.Status.SUCCEEDED
    assert job.scope_unit_code == province_a.code

    progress = client.get(f"/bo/jobs/{job.pk}/progress/").content.decode()
    assert 'data-status="succeeded"' in progress
    assert "hx-trigger" not in progress  # polling stops when the job is done

    download = client.get(f"/bo/jobs/{job.pk}/download/")
    assert download.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(download.streaming_content))).get_sheet_by_index(0)
    rows = rows.to_python()
    assert rows[0][0] == "Mã"
    assert len(rows) - 1 == job.result["rows"] > 50
    assert all(str(row[3]) == province_a.full_name for row in rows[1:])
    assert AuditEvent.objects.filter(action="geo.export", actor=province_officer_a).exists()


def test_officer_of_province_a_cannot_export_province_b(client_for, province_officer_a, province_b):
    response = client_for(province_officer_a).post(f"/bo/geo/{province_b.code}/export/")
    assert response.status_code == 403
    assert not JobRun.objects.exists()


def test_export_of_unknown_province_is_404(client_for, central_officer):
    assert client_for(central_officer).post("/bo/geo/99/export/").status_code == 404


def test_another_officer_cannot_see_or_download_the_job(
    client_for, province_officer_a, province_officer_b, province_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(province_officer_a).post(f"/bo/geo/{province_a.code}/export/")
    job = JobRun.objects.get()
    other = client_for(province_officer_b)
    for suffix in ("", "progress/", "download/"):
        assert other.get(f"/bo/jobs/{job.pk}/{suffix}").status_code == 404


def test_export_get_is_not_allowed(client_for, province_officer_a, province_a):
    assert client_for(province_officer_a).get(f"/bo/geo/{province_a.code}/export/").status_code == 405
