"""Content-Security-Policy (self only, no inline scripts), Referrer-Policy and Permissions-Policy on public pages,
back-office pages, the API and its docs."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/verify/", "/bo/accounts/login/", "/api/v1/health", "/api/v1/docs"])
def test_every_answer_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "unsafe-eval" not in policy and "frame-ancestors 'none'" in policy
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_back_office_pages_for_a_signed_in_officer(client_for, province_officer_a):
    response = client_for(province_officer_a).get("/bo/")
    assert response.status_code == 200 and "script-src 'self'" in response["Content-Security-Policy"]
    assert "<script>" not in response.content.decode()  # no inline script to refuse
