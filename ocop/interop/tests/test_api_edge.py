"""Every answer under /api/ is JSON in {code, message, fields}, even when Django answers before the API does; NUL
characters, over-long strings and deeply nested documents are 422/400 on both databases, never 500; an invalid
Bearer token does not lift the public rate limit."""

import pytest

from ocop.accounts.services import api_token_create
from ocop.registry.models import Subject

pytestmark = pytest.mark.django_db

SHAPE = {"code", "message", "fields"}


def test_a_method_a_path_does_not_take_answers_json_405_with_allow(client):
    response = client.delete("/api/v1/health")
    assert response.status_code == 405 and set(response.json()) == SHAPE
    assert response.json()["code"] == "method_not_allowed" and "GET" in response["Allow"]


def test_an_unknown_api_path_answers_json_404(client):
    response = client.get("/api/v1/no-such-thing", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert response.json()["message"] and "Không" not in response.json()["message"]  # in the client's language


def test_a_disallowed_host_answers_json_400(client):
    response = client.get("/api/v1/health", HTTP_HOST="evil.example")
    assert response.status_code == 400 and set(response.json()) == SHAPE


def test_pages_outside_the_api_keep_their_html_errors(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "text/html" in response["Content-Type"]


def test_nul_in_a_query_is_422(client):
    response = client.get("/api/v1/admin-units?level=province&q=a%00b")
    assert response.status_code == 422 and "q" in response.json()["fields"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "x" * 400, "province_code": "68"}, "name"),
        ({"name": "HTX Hoa Sen", "province_code": "68", "phone": "1" * 100}, "phone"),
        ({"name": "HTX\u0000", "province_code": "68"}, "body"),
    ],
)
def test_bad_text_is_422_with_the_field_and_writes_nothing(client_for, province_officer_a, payload, field):
    response = client_for(province_officer_a).post("/api/v1/subjects", payload, content_type="application/json")

    assert response.status_code == 422, response.content
    assert list(response.json()["fields"]) == [field]
    assert not Subject.objects.exists()


def test_a_deeply_nested_epcis_document_is_refused(client_for, province_officer_a):
    for depth in (5000, 40):
        body = '{"a":' * depth + "1" + "}" * depth
        response = client_for(province_officer_a).post("/api/v1/epcis/capture", body, content_type="application/json")
        assert response.status_code == 400, (depth, response.content)
        assert response.json()["code"] == "epcis_invalid"


def test_an_invalid_bearer_token_counts_as_anonymous(client, settings, province_officer_a):
    settings.OCOP_PUBLIC_RATE_LIMIT = "2/60"
    _token, secret = api_token_create(actor=province_officer_a, name="partner")
    statuses = [client.get("/api/v1/health", HTTP_AUTHORIZATION="Bearer x").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    # A valid token is a partner system: not limited here.
    valid = [client.get("/api/v1/health", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code for _ in range(3)]
    assert valid == [200, 200, 200]
