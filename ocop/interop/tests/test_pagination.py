import pytest
from django.conf import settings

from ocop.interop import pagination
from ocop.interop.openapi_check import assert_matches_openapi
from ocop.registry.importing.commit import import_run

LIST = settings.REFERENCE_DATA_DIR / "ocop-lists" / "list_daknong_daksong_qd1887_2025.csv"


@pytest.fixture
def eight_products(db):
    import_run(data=LIST.read_bytes(), filename=LIST.name)


def test_count_is_exact_below_the_cap(eight_products, anon_client):
    body = anon_client.get("/api/v1/products", {"limit": 3}).json()
    assert body["count"] == 8
    assert body["count_is_lower_bound"] is False
    assert len(body["items"]) == 3


def test_count_stops_at_the_cap_and_says_so(eight_products, anon_client, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    response = anon_client.get("/api/v1/products", {"limit": 2, "offset": 6})
    body = response.json()
    assert body["count"] == 5
    assert body["count_is_lower_bound"] is True
    assert len(body["items"]) == 2  # paging past the cap still works
    assert_matches_openapi(response, "/api/v1/products")


def test_pages_inside_and_beyond_the_counted_range_join_up(eight_products, anon_client, monkeypatch):
    whole = [item["id"] for item in anon_client.get("/api/v1/products", {"limit": 8}).json()["items"]]
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)

    # Offsets 0 and 3 are read from the first COUNT_CAP + 1 keys; offset 6 counts and walks on its own.
    pages = [anon_client.get("/api/v1/products", {"limit": 3, "offset": o}).json() for o in (0, 3, 6)]

    assert [item["id"] for page in pages for item in page["items"]] == whole
    assert [(page["count"], page["count_is_lower_bound"]) for page in pages] == [(5, True)] * 3
