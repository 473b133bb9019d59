import io

import pytest
from django.conf import settings

from ocop.registry.importing.commit import import_run
from ocop.registry.models import Subject

pytestmark = pytest.mark.django_db

LISTS = settings.REFERENCE_DATA_DIR / "ocop-lists"


@pytest.fixture
def lists():
    # Lâm Đồng (province A, code 68) and Bình Định → Gia Lai (province B, code 52)
    for name in ("list_lamdong_ductrong_2025.csv", "list_binhdinh_github_gialai_ocop.csv"):
        import_run(data=(LISTS / name).read_bytes(), filename=name)


def test_province_officer_sees_only_their_province(lists, client_for, province_officer_a, province_officer_b):
    a = client_for(province_officer_a).get("/api/v1/subjects?limit=500").json()
    b = client_for(province_officer_b).get("/api/v1/subjects?limit=500").json()

    assert a["count"] == Subject.objects.filter(province_code="68").count() > 0
    assert {s["province_code"] for s in a["items"]} == {"68"}
    assert {s["province_code"] for s in b["items"]} == {"52"}
    other = Subject.objects.filter(province_code="52").first()
    assert client_for(province_officer_a).get(f"/api/v1/subjects/{other.pk}").status_code == 404


def test_subjects_need_authentication(anon_client):
    response = anon_client.get("/api/v1/subjects")
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "fields"}


def test_producer_sees_only_their_subject(lists, client_for, producer):
    from ocop.registry.services import subject_bind_producer

    subject = Subject.objects.filter(province_code="68").first()
    subject_bind_producer(subject=subject, user=producer)

    items = client_for(producer).get("/api/v1/subjects").json()["items"]

    assert [s["id"] for s in items] == [subject.pk]


def test_anonymous_reads_recognised_products_with_accent_insensitive_search(lists, anon_client):
    response = anon_client.get("/api/v1/products", {"q": "nam huong phu thinh"})

    assert response.status_code == 200
    names = [p["name"] for p in response.json()["items"]]
    assert "Nấm hương Phú Thịnh tươi" in names
    assert all(p["has_valid_certificate"] for p in response.json()["items"])


def test_products_filter_by_stars_and_province(lists, anon_client):
    four = anon_client.get("/api/v1/products", {"stars": 4, "limit": 500}).json()

    assert four["count"] == 41
    assert anon_client.get("/api/v1/products", {"province": "68", "stars": 4}).json()["count"] == 0


def test_stats_by_stars_and_legacy_province(lists, anon_client):
    by_stars = anon_client.get("/api/v1/stats/products", {"group_by": "stars", "at": "2026-01-01"}).json()
    legacy = anon_client.get(
        "/api/v1/stats/products", {"group_by": "province", "units": "legacy", "at": "2026-01-01"}
    ).json()

    assert {g["key"]: g["products"] for g in by_stars["groups"]}["4"] == 41
    assert {g["key"] for g in legacy["groups"]} >= {"68"}


def test_officer_creates_subject_and_product_with_ocop_code(client_for, province_officer_a):
    client = client_for(province_officer_a)

    subject = client.post(
        "/api/v1/subjects",
        {"name": "Hợp tác xã Cà phê Cầu Đất", "tax_code": "5800123456", "province_code": "68"},
        content_type="application/json",
    )
    assert subject.status_code == 201, subject.json()
    product = client.post(
        "/api/v1/products",
        {"subject_id": subject.json()["id"], "name": "Cà phê Arabica", "gtin": "8934588012228"},
        content_type="application/json",
    )

    assert product.status_code == 201, product.json()
    assert product.json()["ocop_code"].startswith("OCOP-68-")


def test_bad_gtin_and_duplicate_tax_code_are_422(client_for, province_officer_a):
    client = client_for(province_officer_a)
    body = {"name": "HTX A", "tax_code": "5800123456", "province_code": "68"}
    first = client.post("/api/v1/subjects", body, content_type="application/json")

    dup = client.post("/api/v1/subjects", {**body, "name": "HTX B"}, content_type="application/json")
    bad = client.post(
        "/api/v1/products",
        {"subject_id": first.json()["id"], "name": "X", "gtin": "8934588012220"},
        content_type="application/json",
    )

    assert dup.status_code == 422 and dup.json()["code"] == "duplicate_tax_code"
    assert bad.status_code == 422 and "gtin" in bad.json()["fields"]


def test_officer_of_b_cannot_create_in_a(client_for, province_officer_b):
    response = client_for(province_officer_b).post(
        "/api/v1/subjects", {"name": "HTX A", "province_code": "68"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_import_endpoint_returns_job_visible_only_to_its_creator(
    client_for, province_officer_a, province_officer_b, django_capture_on_commit_callbacks
):
    path = LISTS / "list_daknong_qd858_2025.csv"
    client = client_for(province_officer_a)
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as handle:
        response = client.post("/api/v1/imports", {"file": handle})
    assert response.status_code == 202, response.json()
    job_id = response.json()["id"]

    mine = client.get(f"/api/v1/jobs/{job_id}").json()
    theirs = client_for(province_officer_b).get(f"/api/v1/jobs/{job_id}")

    assert mine["status"] == "succeeded" and mine["result"]["created_products"] == 5
    assert theirs.status_code == 404


def test_producer_cannot_import(client_for, producer):
    path = LISTS / "list_daknong_qd858_2025.csv"
    with path.open("rb") as handle:
        response = client_for(producer).post("/api/v1/imports", {"file": handle})
    assert response.status_code == 403


def test_product_export_returns_a_job_whose_file_has_only_the_callers_province(
    lists, client_for, province_officer_a, province_officer_b, django_capture_on_commit_callbacks
):
    from python_calamine import CalamineWorkbook

    client = client_for(province_officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/products/export", {"stars": 3}, content_type="application/json")
    assert response.status_code == 202, response.json()
    job_id = response.json()["id"]

    job = client.get(f"/api/v1/jobs/{job_id}").json()
    download = client.get(f"/api/v1/jobs/{job_id}/file")
    theirs = client_for(province_officer_b).get(f"/api/v1/jobs/{job_id}/file")

    assert job["status"] == "succeeded" and job["kind"] == "registry.export_products"
    assert download.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(download.streaming_content)))
    codes = [row[0] for row in rows.get_sheet_by_index(0).to_python()[1:]]
    from ocop.registry.selectors import product_list_for_user

    expected = product_list_for_user(user=province_officer_a, filters={"stars": 3, "province": "68"}).count()
    assert job["result"]["rows"] == len(codes) == expected > 0
    assert all(code.startswith("OCOP-68-") for code in codes)
    assert theirs.status_code == 404


def test_subject_export_endpoint_permissions(client_for, province_officer_b, producer, anon_client):
    officer = client_for(province_officer_b).post("/api/v1/subjects/export", {}, content_type="application/json")
    own = client_for(producer).post("/api/v1/subjects/export", {}, content_type="application/json")
    anon = anon_client.post("/api/v1/subjects/export", {}, content_type="application/json")

    assert officer.status_code == 202 and officer.json()["kind"] == "registry.export_subjects"
    assert own.status_code == 403 and own.json()["code"] == "export_denied"
    assert anon.status_code == 401
