"""GET /api/v1/me and the API authentication (Bearer token and browser session)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from ocop.accounts.models import ApiToken
from ocop.accounts.services import api_token_create, api_token_revoke
from ocop.interop.openapi_check import assert_matches_openapi

ME = "/api/v1/me"


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_me_with_bearer_token_returns_user_and_roles(province_officer_a, province_a):
    _, secret = api_token_create(actor=province_officer_a, name="Đối tác")

    response = Client().get(ME, **bearer(secret))

    assert response.status_code == 200
    assert_matches_openapi(response, ME)
    body = response.json()
    assert body["username"] == "province-a"
    assert body["display_name"] == "Trần Thị Lâm"
    assert body["is_superuser"] is False
    assert body["roles"] == [
        {
            "role": "provincial_officer",
            "label": "Cán bộ cấp tỉnh",
            "unit_code": province_a.code,
            "unit_level": "province",
            "unit_name": province_a.full_name,
            "object_id": "",
        }
    ]


def test_me_with_session(client_for, commune_officer_a, commune_a):
    response = client_for(commune_officer_a).get(ME)
    assert response.status_code == 200
    assert [r["unit_code"] for r in response.json()["roles"]] == [commune_a.code]


@pytest.mark.parametrize("persona", ["producer", "council_member_a", "central_officer", "superuser"])
def test_me_answers_every_signed_in_persona(persona, request, client_for):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(ME)
    assert response.status_code == 200
    assert response.json()["username"] == user.username


def test_me_without_credentials_is_401_with_error_shape(anon_client):
    response = anon_client.get(ME)
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "fields"}
    assert response.json()["code"] == "unauthorized"


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer ", "Token abc", "Basic dXNlcjpwYXNz"])
def test_me_with_bad_authorization_header_is_401(header, db):
    response = Client().get(ME, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_revoked_token_is_401(province_officer_a):
    token, secret = api_token_create(actor=province_officer_a, name="x")
    assert Client().get(ME, **bearer(secret)).status_code == 200
    api_token_revoke(actor=province_officer_a, token=token)
    assert Client().get(ME, **bearer(secret)).status_code == 401


def test_expired_token_is_401(province_officer_a):
    token, secret = api_token_create(
        actor=province_officer_a, name="x", expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert Client().get(ME, **bearer(secret)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert Client().get(ME, **bearer(secret)).status_code == 401


def test_bearer_use_updates_last_used_at(province_officer_a):
    token, secret = api_token_create(actor=province_officer_a, name="x")
    Client().get(ME, **bearer(secret))
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_token_acts_as_its_user_even_with_another_session(client_for, province_officer_a, province_officer_b):
    _, secret = api_token_create(actor=province_officer_b, name="x")
    response = client_for(province_officer_a).get(ME, **bearer(secret))
    assert response.json()["username"] == "province-b"


def test_me_is_in_the_openapi_schema_with_both_auth_schemes(db):
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/me"]["get"]
    names = {name for requirement in operation["security"] for name in requirement}
    assert names == {"BearerTokenAuth", "SessionAuth"}
