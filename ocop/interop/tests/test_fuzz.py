"""schemathesis over the whole OpenAPI document: every operation, anonymous and with a provincial officer's token.
Pass condition: no server error (5xx) and no status code the document does not declare. A small example budget per
operation keeps the suite fast; the generator still sends what broke us before (huge offsets, non-UUID ids, NUL
characters, over-long strings, nested JSON)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

FUZZ = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
)
CHECKS = [not_a_server_error, status_code_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go straight to the WSGI app, not through Django's test client: like the client, keep Django from
    closing the test's database connection (and its transaction) at the start and end of each request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def officer_token(province_officer_a):
    from ocop.accounts.services import api_token_create

    return api_token_create(actor=province_officer_a, name="fuzz")[1]


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_api_anonymous(case):
    case.call_and_validate(checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_api_officer(case, officer_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {officer_token}"}, checks=CHECKS)
