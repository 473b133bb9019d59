import pytest

from ocop.interop.openapi_check import assert_matches_openapi, openapi_spec


@pytest.mark.django_db
def test_health_reports_database_migrations_and_queue(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["migrations_applied"] is True
    assert body["task_queue"] is True
    assert body["database"] in ("sqlite", "postgresql")
    assert_matches_openapi(response, "/api/v1/health")


@pytest.mark.django_db
def test_unknown_api_path_is_json_not_found_in_the_request_language(client):
    response = client.get("/api/v1/no-such-thing", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found"
    assert body["fields"] == {}
    assert body["message"] == "This page or resource was not found."


def test_openapi_document_is_valid_openapi_31():
    from openapi_spec_validator import validate

    validate(openapi_spec())


@pytest.mark.django_db
def test_docs_page_uses_only_local_assets(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "cdn." not in html and "unpkg" not in html
