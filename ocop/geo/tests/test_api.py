"""Public API for administrative units: lists, resolve, detail, errors (checked against the OpenAPI)."""

import pytest

from ocop.interop.openapi_check import assert_matches_openapi

pytestmark = pytest.mark.django_db
LIST = "/api/v1/admin-units"
RESOLVE = "/api/v1/admin-units/resolve"
DETAIL = "/api/v1/admin-units/{code}"


def test_provinces_today_are_the_34_current_ones(client):
    response = client.get(LIST, {"level": "province", "limit": 100})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 34 and len(body["items"]) == 34
    assert body["items"][0]["code"] == "01" and body["items"][0]["valid_until"] is None
    assert_matches_openapi(response, LIST)


def test_provinces_in_2024_are_the_63_legacy_ones(client):
    body = client.get(LIST, {"level": "province", "at": "2024-01-01"}).json()
    assert body["count"] == 63


def test_list_paginates_with_limit_and_offset(client):
    first = client.get(LIST, {"level": "commune", "limit": 10}).json()
    second = client.get(LIST, {"level": "commune", "limit": 10, "offset": 10}).json()
    assert first["count"] == second["count"] == 3321
    assert len(first["items"]) == len(second["items"]) == 10
    assert first["items"][-1]["code"] < second["items"][0]["code"]


def test_list_filters_by_parent_code(client):
    body = client.get(LIST, {"level": "district", "parent": "52", "at": "2024-01-01"}).json()
    assert body["count"] == 11
    assert {item["parent"]["code"] for item in body["items"]} == {"52"}
    communes = client.get(LIST, {"level": "commune", "parent": "52", "at": "2024-01-01", "limit": 1}).json()
    assert communes["count"] > 100  # legacy communes reach their province through the district


def test_list_with_an_invalid_date_or_level_is_422(client):
    for params in ({"at": "yesterday"}, {"level": "hamlet"}):
        response = client.get(LIST, params)
        assert response.status_code == 422
        assert response.json()["code"] == "validation_error"


def test_resolve_returns_ranked_matches_with_the_current_successor(client):
    response = client.get(RESOLVE, {"name": "Thái Bình", "at": "2023-11-01"})
    assert response.status_code == 200
    item = response.json()["items"][0]
    assert item["unit"]["full_name"] == "Tỉnh Thái Bình" and item["score"] == 1.0
    assert item["successor"]["full_name"] == "Tỉnh Hưng Yên"
    assert [s["code"] for s in item["successors"]] == ["33"]
    assert_matches_openapi(response, RESOLVE)


def test_resolve_with_parent_and_level(client):
    body = client.get(RESOLVE, {"name": "xa an hoa", "level": "commune", "parent": "542", "at": "2024-01-01"}).json()
    assert [item["unit"]["full_name"] for item in body["items"]] == ["Xã An Hòa"]


@pytest.mark.parametrize(("language", "message"), [("vi", "Tên đơn vị hành chính"), ("en", "administrative unit")])
def test_resolve_refuses_an_empty_name_in_the_request_language(client, language, message):
    response = client.get(RESOLVE, {"name": " .. "}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_name" and message in body["message"]
    assert "name" in body["fields"]
    assert_matches_openapi(response, RESOLVE)


def test_resolve_refuses_a_name_over_200_characters(client):
    response = client.get(RESOLVE, {"name": "a" * 201})
    assert response.status_code == 422 and response.json()["code"] == "invalid_name"


def test_detail_has_parent_validity_predecessors_and_successors(client):
    response = client.get(DETAIL.format(code="33"))
    assert response.status_code == 200
    body = response.json()
    assert body["full_name"] == "Tỉnh Hưng Yên" and body["kind"] == "Tỉnh" and body["parent"] is None
    assert body["valid_from"] == "2025-07-01" and body["valid_until"] is None
    assert {"Tỉnh Thái Bình", "Tỉnh Hưng Yên"} <= {p["full_name"] for p in body["predecessors"]}
    assert body["successors"] == []
    assert_matches_openapi(response, DETAIL)


def test_detail_of_a_legacy_commune_lists_its_successors_default_first(client):
    response = client.get(DETAIL.format(code="00004"), {"at": "2024-01-01"})
    body = response.json()
    assert body["full_name"] == "Phường Trúc Bạch" and body["parent"]["level"] == "district"
    assert body["valid_until"] == "2025-06-30"
    assert body["successors"][0]["is_default"] is True and body["successors"][0]["level"] == "commune"
    assert_matches_openapi(response, DETAIL)


def test_detail_of_a_district_code_needs_no_level(client):
    body = client.get(DETAIL.format(code="540"), {"at": "2024-01-01"}).json()
    assert body["full_name"] == "Thành phố Quy Nhơn"
    assert [s["full_name"] for s in body["successors"]] == ["Tỉnh Gia Lai"]


@pytest.mark.parametrize(("language", "message"), [("vi", "Không tìm thấy"), ("en", "not found")])
def test_unknown_code_is_404_in_the_request_language(client, language, message):
    response = client.get(DETAIL.format(code="99"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "admin_unit_not_found" and message in body["message"] and body["fields"] == {}
    assert_matches_openapi(response, DETAIL)


def test_district_code_is_unknown_after_the_reorganisation(client):
    assert client.get(DETAIL.format(code="540"), {"at": "2025-07-01"}).status_code == 404


def test_detail_with_an_invalid_date_is_422(client):
    response = client.get(DETAIL.format(code="01"), {"at": "2024-13-45"})
    assert response.status_code == 422
    assert response.json()["fields"]


def test_unit_names_are_read_once_per_process(django_assert_num_queries, monkeypatch):
    """A scan shows unit names on every request: after the first read neither the database nor the shared cache
    (Redis in production, a network round trip) is asked again."""
    from django.core.cache import cache

    from ocop.geo.selectors import unit_current_name

    name = unit_current_name("province", "68")
    assert name.endswith("Lâm Đồng")
    shared_reads = []
    monkeypatch.setattr(cache, "get_or_set", lambda *args, **kwargs: shared_reads.append(args))
    with django_assert_num_queries(0):
        assert unit_current_name("province", "68") == name
    assert shared_reads == []
