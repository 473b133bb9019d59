"""The write matrix: every API write on an object of province A — a subject, a product, a dossier, a council — made
by someone outside it (an officer of province B, a producer of another subject) is refused, with valid bodies
generated from the OpenAPI document, and no table changes."""

import json
import warnings
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.test import Client
from hypothesis.errors import NonInteractiveExampleWarning
from schemathesis import GenerationMode

from ocop.accounts.services import api_token_create
from ocop.core.models import AuditEvent
from ocop.evaluation.services import dossier_create
from ocop.interop.tests.test_fuzz import schema

pytestmark = pytest.mark.django_db

OBJECT_PARAMS = ("subject_id", "product_id", "dossier_id", "council_id")
WRITES = schema.include(method=["POST", "PUT", "PATCH", "DELETE"], path_regex=r"\{(" + "|".join(OBJECT_PARAMS) + r")\}")
EXAMPLES = 3


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in ("registry", "evaluation", "certification", "traceability")
        and model is not AuditEvent
    }


@pytest.fixture
def outsiders(province_officer_b, django_user_model):
    from ocop.accounts.models import Role
    from ocop.accounts.services import role_assign

    stranger = django_user_model.objects.create_user("nsx-khac", password="x", full_name="Nhà Sản Xuất Khác")
    role_assign(actor=None, user=stranger, role=Role.PRODUCER, unit=None)
    return {
        "officer of B": api_token_create(actor=province_officer_b, name="matrix")[1],
        "another producer": None,  # a producer has no API token rights: session auth below
        "_stranger": stranger,
    }


def test_no_outsider_writes_to_province_a(product, producer, council_a, outsiders, client_for):
    dossier = dossier_create(actor=producer, product=product)
    ids = {
        "subject_id": product.subject_id,
        "product_id": product.pk,
        "dossier_id": dossier.pk,
        "council_id": council_a.pk,
    }
    stranger_client = client_for(outsiders["_stranger"])
    officer_b_client = Client(HTTP_AUTHORIZATION=f"Bearer {outsiders['officer of B']}")
    before = _row_counts()
    operations = [result.ok() for result in WRITES.get_all_operations()]
    assert len(operations) >= 15

    accepted = []
    for operation in operations:
        strategy = operation.as_strategy(generation_mode=GenerationMode.POSITIVE)
        for _ in range(EXAMPLES):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", NonInteractiveExampleWarning)
                case = strategy.example()
            case.path_parameters = {k: ids.get(k, v) for k, v in (case.path_parameters or {}).items()}
            # Django's test client for both (schemathesis' WSGI transport and the client disagree about when to
            # close the test's database connection).
            path = case.formatted_path
            if case.query:
                path += "?" + urlencode(case.query, doseq=True)
            body = json.dumps(case.body) if isinstance(case.body, dict | list) else "{}"
            for who, client in (("officer of B", officer_b_client), ("another producer", stranger_client)):
                answer = getattr(client, operation.method.lower())(path, body, content_type="application/json")
                if answer.status_code < 300:
                    accepted.append((who, operation.label, answer.status_code))

    assert accepted == []
    assert _row_counts() == before
