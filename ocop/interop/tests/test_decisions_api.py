"""Decisions from council results, the officer's certificate list and revocations through the API."""

import datetime
import json

import pytest

from ocop.certification.models import Certificate, Decision, Revocation
from ocop.evaluation.models import Dossier
from ocop.evaluation.services import council_close_scoring, council_open_scoring, dossier_create, score_sheet_submit
from ocop.evaluation.tests.conftest import council_a, process, round_a, seat  # noqa: F401  (fixtures)
from ocop.evaluation.tests.factories import answers, bind_producer, make_product
from ocop.interop.openapi_check import assert_matches_openapi

pytestmark = pytest.mark.django_db
S = Dossier.Status
API = "/api/v1"
POINTS = {4: (30, 25, 30), 3: (20, 25, 30), 2: (10, 10, 15)}


def _post(client, path, body):
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json")


@pytest.fixture
def scored(process, council_a, seat, province_officer_a, province_a, commune_a):  # noqa: F811
    """scored(star) → a dossier of a new product of province A with the council's final result."""

    def make(star):
        product = make_product(province=province_a, commune=commune_a, category=process["26_2026"].product_set)
        dossier = dossier_create(actor=province_officer_a, product=product)
        Dossier.objects.filter(pk=dossier.pk).update(
            status=S.ADVISORY_REVIEW, council=council_a, round=council_a.round, advisory_report={"findings": "Đạt"}
        )
        council_open_scoring(actor=seat("chair"), dossier=dossier)
        for username in ("chair", "m1", "m2"):
            score_sheet_submit(
                actor=seat(username), dossier=dossier, answers=answers(process["26_2026"], *POINTS[star])
            )
        council_close_scoring(actor=seat("chair"), dossier=dossier)
        dossier.refresh_from_db()
        return dossier

    return make


def _decision(dossiers, **kw):
    return {
        "level": "province",
        "number": "77/QĐ-UBND",
        "decided_on": "2026-11-20",
        "signer_name": "Trần Văn Ký",
        "signer_title": "Chủ tịch UBND tỉnh",
        "dossier_ids": [d.pk for d in dossiers],
        **kw,
    }


def test_officer_records_a_decision_for_several_dossiers(scored, client_for, province_officer_a):
    four, two = scored(4), scored(2)

    response = _post(client_for(province_officer_a), "/decisions", _decision([four, two]))

    assert response.status_code == 201, response.json()
    assert_matches_openapi(response, f"{API}/decisions", "post")
    body = response.json()
    assert (body["number"], body["level"], body["regime"]) == ("77/QĐ-UBND", "province", "26_2026")
    assert [(c["product_id"], c["star"], c["score"]) for c in body["certificates"]] == [(four.product_id, 4, "85.00")]
    assert (body["recognised"], body["not_recognised"]) == ([four.pk], [two.pk])
    assert Dossier.objects.get(pk=two.pk).status == S.NOT_RECOGNISED


@pytest.mark.parametrize(("missing", "value"), [("number", ""), ("decided_on", None)])
def test_decision_without_number_or_date_is_422_and_writes_nothing(
    scored, client_for, province_officer_a, missing, value
):
    dossier = scored(4)

    response = _post(client_for(province_officer_a), "/decisions", _decision([dossier], **{missing: value}))

    assert response.status_code == 422
    assert_matches_openapi(response, f"{API}/decisions", "post")
    assert response.json()["code"] == "decision_invalid" and missing in response.json()["fields"]
    assert not Decision.objects.exists() and not Certificate.objects.exists()
    assert Dossier.objects.get(pk=dossier.pk).status == S.SCORED


def test_decision_with_a_dossier_not_yet_scored_is_422_and_writes_nothing(scored, client_for, province_officer_a):
    ok, pending = scored(4), scored(3)
    Dossier.objects.filter(pk=pending.pk).update(status=S.COUNCIL_SCORING)

    response = _post(client_for(province_officer_a), "/decisions", _decision([ok, pending]))

    assert response.status_code == 422
    assert response.json()["code"] == "decision_dossiers_invalid"
    assert list(response.json()["fields"]) == [f"dossiers.{pending.pk}"]
    assert not Decision.objects.exists() and Dossier.objects.get(pk=ok.pk).status == S.SCORED


def test_decision_needs_at_least_one_dossier(client_for, province_officer_a, db):
    response = _post(client_for(province_officer_a), "/decisions", _decision([]))
    assert response.status_code == 422 and response.json()["code"] == "validation_error"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("province_officer_b", 404),
        ("council_member_a", 404),
        ("commune_officer_a", 403),
        ("producer", 403),
        ("central_officer", 403),  # sees it, but a provincial decision is the province's to record
    ],
)
def test_who_records_a_decision(request, scored, client_for, producer, persona, status):
    dossier = scored(4)
    bind_producer(producer, dossier.subject)

    response = _post(client_for(request.getfixturevalue(persona)), "/decisions", _decision([dossier]))

    assert response.status_code == status, response.json()
    assert_matches_openapi(response, f"{API}/decisions", "post")
    assert not Decision.objects.exists()


def test_a_provincial_officer_cannot_record_a_central_decision(scored, client_for, province_officer_a):
    dossier = scored(4)
    Dossier.objects.filter(pk=dossier.pk).update(status=S.CENTRAL_SCORING)

    response = _post(client_for(province_officer_a), "/decisions", _decision([dossier], level="central"))

    assert (response.status_code, response.json()["code"]) == (403, "decision_forbidden")
    assert not Decision.objects.exists()


# --- certificates and revocations -----------------------------------------------------------------------------


@pytest.fixture
def certified(scored, province_officer_a, producer):
    from ocop.certification.issuing import decision_record_from_results

    dossier = scored(4)
    bind_producer(producer, dossier.subject)
    record = decision_record_from_results(
        actor=province_officer_a,
        dossiers=[dossier],
        number="77/QĐ-UBND",
        decided_on=datetime.date(2026, 11, 20),
        signer_name="",
        signer_title="",
        level="province",
    )
    return record.certificates[0]


@pytest.mark.parametrize(
    ("persona", "count"),
    [("province_officer_a", 1), ("central_officer", 1), ("producer", 1), ("province_officer_b", 0)],
)
def test_certificate_list_is_scoped(request, certified, client_for, persona, count):
    response = client_for(request.getfixturevalue(persona)).get(f"{API}/certificates")

    assert response.status_code == 200
    assert_matches_openapi(response, f"{API}/certificates")
    assert response.json()["count"] == count
    if count:
        item = response.json()["items"][0]
        assert (item["number"], item["star"], item["status"], item["level"]) == (
            certified.number,
            4,
            "valid",
            "province",
        )


def test_certificate_list_needs_authentication(anon_client, db):
    assert anon_client.get(f"{API}/certificates").status_code == 401


def _revocation(**kw):
    return {
        "ground": "criteria_not_met",
        "conclusion_on": "2026-11-21",
        "report": "Kết luận kiểm tra: không còn đáp ứng tiêu chí",
        "decision_number": "90/QĐ-UBND",
        "decided_on": "2026-11-22",
        **kw,
    }


def test_officer_revokes_and_the_public_answer_follows(certified, client_for, province_officer_a, anon_client):
    path = f"/certificates/{certified.number}/revocations"

    response = _post(client_for(province_officer_a), path, _revocation())

    assert response.status_code == 201, response.json()
    assert_matches_openapi(response, f"{API}/certificates/{{number}}/revocations", "post")
    assert (response.json()["certificate_status"], response.json()["level"]) == ("revoked", "province")
    assert anon_client.get(f"{API}/certificates/{certified.number}").json()["status"] == "revoked"
    again = _post(client_for(province_officer_a), path, _revocation())
    assert again.status_code == 409
    assert_matches_openapi(again, f"{API}/certificates/{{number}}/revocations", "post")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("province_officer_b", 404), ("producer", 403), ("commune_officer_a", 403), ("central_officer", 403)],
)
def test_who_revokes(request, certified, client_for, persona, status):
    user = request.getfixturevalue(persona)  # the product is in commune A of province A

    response = _post(client_for(user), f"/certificates/{certified.number}/revocations", _revocation())

    assert response.status_code == status, response.json()
    assert not Revocation.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ground": "dislike"}, "ground"),
        ({"report": ""}, "report"),
        ({"decided_on": "2026-12-31"}, "decided_on"),  # beyond the regime's days after the conclusion
    ],
)
def test_bad_revocations_are_422(certified, client_for, province_officer_a, change, field):
    response = _post(
        client_for(province_officer_a), f"/certificates/{certified.number}/revocations", _revocation(**change)
    )

    assert response.status_code == 422
    assert field in response.json()["fields"]
    assert not Revocation.objects.exists()


def test_unknown_certificate_revocation_is_404(client_for, province_officer_a, db):
    response = _post(client_for(province_officer_a), "/certificates/OCOP-CN-00-2026-99999/revocations", _revocation())
    assert response.status_code == 404 and response.json()["code"] == "certificate_not_found"
