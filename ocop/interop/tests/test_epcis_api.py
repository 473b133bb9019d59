"""EPCIS 2.0 capture and query through the API: round trip, schema errors, unknown lots, size limits,
and the permission matrix."""

import json

import pytest

from ocop.accounts.services import api_token_create
from ocop.interop.openapi_check import assert_matches_openapi
from ocop.traceability.epcis_schema import document_errors
from ocop.traceability.models import TraceEvent
from ocop.traceability.tests.factories import epcis_doc, make_lot, make_product, object_event

pytestmark = pytest.mark.django_db

CAPTURE = "/api/v1/epcis/capture"
EVENTS = "/api/v1/epcis/events"


@pytest.fixture
def lot(province_a, producer):
    return make_lot(product=make_product(province_code=province_a.code, producer=producer))


def _post(client, document, **headers):
    body = document if isinstance(document, bytes | str) else json.dumps(document)
    return client.post(CAPTURE, data=body, content_type="application/ld+json", **headers)


def _event_set(events):
    keys = ("eventID", "type", "action", "bizStep", "disposition", "eventTime", "eventTimeZoneOffset", "readPoint")
    return [
        ({k: e.get(k) for k in keys}, sorted(q["epcClass"] for q in e.get("quantityList", [])), e.get("epcList"))
        for e in events
    ]


def test_capture_then_query_round_trip(lot, province_officer_a, client_for):
    # given
    client = client_for(province_officer_a)
    sent = [
        object_event(
            lot, eventID="urn:uuid:0e1c7d4e-1f5a-4a8e-8d0c-8a6b1d2f3c01", action="ADD", bizStep="commissioning"
        ),
        object_event(lot, eventID="urn:uuid:0e1c7d4e-1f5a-4a8e-8d0c-8a6b1d2f3c02"),
        object_event(lot, epcList=["urn:epc:id:sgtin:8930000.000001.1"], ilmd=None),
    ]
    sent[2].pop("ilmd")
    # when
    captured = _post(client, epcis_doc(sent))
    queried = client.get(EVENTS, {"lot": lot.pk})
    # then
    assert captured.status_code == 201, captured.content
    assert_matches_openapi(captured, CAPTURE, "post")
    assert captured.json()["captured"] == 3
    assert queried.status_code == 200
    document = queried.json()
    assert document["type"] == "EPCISDocument" and "@context" in document
    assert document_errors(document) == {}
    returned = document["epcisBody"]["eventList"]
    expected = [{**e, "eventID": i} for e, i in zip(sent, captured.json()["eventIDs"], strict=True)]
    assert _event_set(returned) == _event_set(sorted(expected, key=lambda e: e["eventTime"]))
    assert all("recordTime" in e for e in returned)


def test_query_paginates_with_next_page_token(lot, producer, client_for):
    client = client_for(producer)
    _post(client, epcis_doc([object_event(lot) for _ in range(5)]))

    first = client.get(EVENTS, {"lot": lot.pk, "limit": 2})
    token = first["GS1-Next-Page-Token"]
    second = client.get(EVENTS, {"lot": lot.pk, "limit": 2, "nextPageToken": token})
    third = client.get(EVENTS, {"lot": lot.pk, "limit": 2, "nextPageToken": second["GS1-Next-Page-Token"]})

    assert 'rel="next"' in first["Link"]
    ids = [e["eventID"] for page in (first, second, third) for e in page.json()["epcisBody"]["eventList"]]
    assert len(ids) == len(set(ids)) == 5
    assert "Link" not in third


def test_query_filters_by_product_and_time(lot, producer, client_for):
    client = client_for(producer)
    _post(client, epcis_doc([object_event(lot, eventTime="2025-08-02T08:00:00+07:00")]))
    _post(client, epcis_doc([object_event(lot, eventTime="2025-09-02T08:00:00+07:00")]))

    response = client.get(EVENTS, {"product": lot.product_id, "from": "2025-09-01T00:00:00+07:00"})

    assert [e["eventTime"] for e in response.json()["epcisBody"]["eventList"]] == ["2025-09-02T08:00:00+07:00"]


def test_query_needs_a_lot_or_a_product(producer, client_for):
    response = client_for(producer).get(EVENTS)

    assert response.status_code == 422
    assert response.json()["code"] == "trace_filter_required"


def test_invalid_document_is_400_with_schema_errors_and_stores_nothing(lot, producer, client_for):
    document = epcis_doc([object_event(lot), object_event(lot, action="MOVE", eventTime="soon")])
    del document["schemaVersion"]

    response = _post(client_for(producer), document)

    assert response.status_code == 400
    assert_matches_openapi(response, CAPTURE, "post")
    body = response.json()
    assert body["code"] == "epcis_invalid"
    assert "$" in body["fields"] and "$.epcisBody.eventList[1].eventTime" in body["fields"]
    assert "$.epcisBody.eventList[1].action" in body["fields"]
    assert not TraceEvent.objects.exists()


@pytest.mark.parametrize("body", [b"{not json", json.dumps({"type": "EPCISQueryDocument"}), json.dumps([1])])
def test_non_documents_are_400(lot, producer, client_for, body):
    response = _post(client_for(producer), body)

    assert response.status_code == 400
    assert response.json()["code"] == "epcis_invalid"


def test_unknown_lot_is_422_with_the_event_index_and_stores_nothing(lot, producer, client_for):
    stray = object_event(lot, quantityList=[{"epcClass": "urn:epc:class:lgtin:8930000.000001.UNKNOWN"}])

    response = _post(client_for(producer), epcis_doc([object_event(lot), object_event(lot), stray]))

    assert response.status_code == 422
    assert response.json()["code"] == "epcis_unknown_lot"
    assert list(response.json()["fields"]) == ["$.epcisBody.eventList[2]"]
    assert not TraceEvent.objects.exists()


def test_document_over_5_mb_is_413(lot, producer, client_for):
    padding = {"ocop:padding": "x" * (5 * 1024 * 1024)}

    response = _post(client_for(producer), epcis_doc([object_event(lot, **padding)]))

    assert response.status_code == 413
    assert response.json()["code"] == "epcis_too_large"


def test_document_over_10000_events_is_413(lot, producer, client_for):
    tiny = {"type": "ObjectEvent"}

    response = _post(client_for(producer), epcis_doc([tiny] * 10_001))

    assert response.status_code == 413
    assert "10.000" in response.json()["message"]
    assert not TraceEvent.objects.exists()


def test_anonymous_capture_and_query_are_401(lot, anon_client):
    assert _post(anon_client, epcis_doc([object_event(lot)])).status_code == 401
    assert anon_client.get(EVENTS, {"lot": lot.pk}).status_code == 401


@pytest.mark.parametrize(
    ("persona", "capture_status", "query_status"),
    [
        ("producer", 201, 200),
        ("province_officer_a", 201, 200),
        ("central_officer", 201, 200),
        ("commune_officer_a", 403, 200),  # reads its commune's lots only if the subject is there: see below
        ("province_officer_b", 403, 404),
        ("council_member_a", 403, 404),
        ("other_producer", 403, 404),
    ],
)
def test_permission_matrix(request, lot, client_for, persona, capture_status, query_status):
    if persona == "other_producer":
        from ocop.accounts.tests.factories import UserFactory

        user = UserFactory(username="other-producer")
        make_product(province_code=lot.product.subject.province_code, producer=user, name="Khác")
    else:
        user = request.getfixturevalue(persona)
    if persona == "commune_officer_a":
        # The commune officer covers the subject only when it lies in their commune.
        commune = request.getfixturevalue("commune_a")
        type(lot.product.subject).objects.filter(pk=lot.product.subject_id).update(current_commune_code=commune.code)
    client = client_for(user)

    captured = _post(client, epcis_doc([object_event(lot)]))
    queried = client.get(EVENTS, {"lot": lot.pk})

    assert captured.status_code == capture_status, captured.content
    assert queried.status_code == query_status
    if capture_status == 403:
        assert list(captured.json()["fields"]) == ["$.epcisBody.eventList[0]"]
        assert not TraceEvent.objects.exists()


def test_api_token_of_the_province_officer_captures(lot, province_officer_a, anon_client):
    _token, secret = api_token_create(actor=province_officer_a, name="Hệ thống HTX")

    response = _post(anon_client, epcis_doc([object_event(lot)]), HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert response.status_code == 201
    assert TraceEvent.objects.get().created_by == province_officer_a


def test_api_token_of_another_province_is_refused(lot, province_officer_b, anon_client):
    _token, secret = api_token_create(actor=province_officer_b, name="Khác")

    response = _post(anon_client, epcis_doc([object_event(lot)]), HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert response.status_code == 403


def test_a_large_document_is_captured_by_a_job_with_progress(
    lot, province_officer_a, client_for, django_capture_on_commit_callbacks
):
    # More than 500 events would hold a web thread for long: 202 with a job to poll, all or nothing.
    document = epcis_doc([object_event(lot, eventID=f"urn:uuid:00000000-0000-4000-8000-{i:012d}") for i in range(520)])
    client = client_for(province_officer_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, document)

    assert response.status_code == 202, response.content
    job = client.get(f"/api/v1/jobs/{response.json()['id']}").json()
    assert job["status"] == "succeeded" and job["percent"] == 100, (job["message"], job["result"])
    assert job["result"]["captured"] == 520 and TraceEvent.objects.count() == 520


def test_a_large_document_of_another_province_fails_its_job_and_stores_nothing(
    lot, province_officer_b, client_for, django_capture_on_commit_callbacks
):
    document = epcis_doc([object_event(lot, eventID=f"urn:uuid:00000000-0000-4000-8000-{i:012d}") for i in range(520)])
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client_for(province_officer_b), document)

    assert response.status_code == 202
    job = client_for(province_officer_b).get(f"/api/v1/jobs/{response.json()['id']}").json()
    assert job["status"] == "failed" and job["result"]["code"] == "trace_forbidden"
    assert not TraceEvent.objects.exists()
