"""Evaluation API: a whole provincial round through the API, the permission matrix over the personas, bad input,
scoring refusals and stale revisions."""

import json

import pytest

from ocop.evaluation.models import Dossier, ScoreSheet
from ocop.evaluation.services import council_open_scoring, dossier_create
from ocop.evaluation.tests.conftest import council_a, process, product, round_a, seat  # noqa: F401  (fixtures)
from ocop.evaluation.tests.factories import FORM03, answers, form02_complete
from ocop.interop.openapi_check import assert_matches_openapi

pytestmark = pytest.mark.django_db
S = Dossier.Status
API = "/api/v1"


def _json(client, method, path, body=None):
    if method == "get":
        return client.get(f"{API}{path}")
    return getattr(client, method)(f"{API}{path}", json.dumps(body or {}), content_type="application/json")


def test_a_provincial_round_end_to_end_through_the_api(
    process,  # noqa: F811
    product,  # noqa: F811
    producer,
    commune_officer_a,
    province_officer_a,
    province_a,
    client_for,
    anon_client,
    django_user_model,
):
    sheet = process["26_2026"]
    prod, commune, province = client_for(producer), client_for(commune_officer_a), client_for(province_officer_a)

    # the producer opens a dossier, fills Form 02 and scores itself
    created = _json(prod, "post", "/dossiers", {"product_id": product.pk})
    assert created.status_code == 201, created.json()
    assert_matches_openapi(created, f"{API}/dossiers", "post")
    dossier_id, revision = created.json()["id"], created.json()["revision"]
    assert created.json()["status"] == "draft" and created.json()["regime"] == "26_2026"
    edited = _json(
        prod, "patch", f"/dossiers/{dossier_id}", {"expected_revision": revision, "form02": form02_complete()}
    )
    assert edited.status_code == 200, edited.json()
    assessed = _json(
        prod,
        "put",
        f"/dossiers/{dossier_id}/self-assessment",
        {"expected_revision": edited.json()["revision"], "answers": answers(sheet, 30, 25, 30)},
    )
    assert assessed.status_code == 200, assessed.json()
    assert_matches_openapi(assessed, f"{API}/dossiers/{{dossier_id}}/self-assessment", "put")
    assert (assessed.json()["total"], assessed.json()["implied_star"], assessed.json()["minimums_missed"]) == (
        85,
        4,
        [],
    )
    check = prod.get(f"{API}/dossiers/{dossier_id}/check")
    assert check.status_code == 200 and [i for i in check.json() if i["blocking"]] == []
    submitted = _json(
        prod, "post", f"/dossiers/{dossier_id}/submit", {"expected_revision": assessed.json()["revision"]}
    )
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"

    # the province has planned next year's rounds (the dossier joins the first open one when forwarded)
    planned = _json(
        province, "post", "/rounds/plan", {"level": "province", "province_code": province_a.code, "year": 2027}
    )
    assert planned.status_code == 201, planned.json()
    assert_matches_openapi(planned, f"{API}/rounds/plan", "post")
    round_id = planned.json()[0]["id"]
    rounds = province.get(f"{API}/rounds", {"year": 2027})
    assert rounds.json()["count"] == 2
    # the commune reviews and forwards with Form 03
    moved = _json(
        commune,
        "post",
        f"/dossiers/{dossier_id}/transitions",
        {"to": "commune_review", "expected_revision": submitted.json()["revision"]},
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["commune_reception_number"]
    moved = _json(
        commune,
        "post",
        f"/dossiers/{dossier_id}/transitions",
        {"to": "forwarded_to_province", "data": {"form03": FORM03}, "expected_revision": moved.json()["revision"]},
    )
    assert moved.status_code == 200 and moved.json()["status"] == "forwarded_to_province"
    assert moved.json()["round_id"] == round_id
    assert_matches_openapi(moved, f"{API}/dossiers/{{dossier_id}}/transitions", "post")

    # the province sets up the council
    council = _json(province, "post", "/councils", {"round_id": round_id, "name": "Hội đồng OCOP tỉnh 2027"})
    assert council.status_code == 201, council.json()
    assert_matches_openapi(council, f"{API}/councils", "post")
    council_id = council.json()["id"]
    users = {}
    for username, role in (("chair", "chair"), ("m1", "member"), ("m2", "member"), ("advisor", "advisory")):
        users[username] = django_user_model.objects.create_user(username=username, password="x", full_name=username)
        added = _json(
            province, "post", f"/councils/{council_id}/members", {"user_id": users[username].pk, "role": role}
        )
        assert added.status_code == 201, added.json()
    moved = _json(
        province,
        "post",
        f"/dossiers/{dossier_id}/transitions",
        {"to": "provincial_intake", "expected_revision": moved.json()["revision"]},
    )
    assert moved.json()["province_reception_number"]
    moved = _json(
        province,
        "post",
        f"/dossiers/{dossier_id}/transitions",
        {"to": "advisory_review", "data": {"council": council_id}, "expected_revision": moved.json()["revision"]},
    )
    assert moved.status_code == 200 and moved.json()["council_id"] == council_id
    reported = _json(
        client_for(users["advisor"]),
        "post",
        f"/dossiers/{dossier_id}/advisory-report",
        {"report": {"findings": "Hồ sơ đầy đủ"}, "expected_revision": moved.json()["revision"]},
    )
    assert reported.status_code == 200, reported.json()

    # the chair opens scoring; three members score; each sees only their own sheet until the close
    chair = client_for(users["chair"])
    opened = _json(chair, "post", f"/dossiers/{dossier_id}/scoring-sessions", {})
    assert opened.status_code == 201, opened.json()
    assert_matches_openapi(opened, f"{API}/dossiers/{{dossier_id}}/scoring-sessions", "post")
    for username, points in (("chair", (30, 25, 30)), ("m1", (30, 25, 35)), ("m2", (30, 25, 25))):
        member = client_for(users[username])
        draft = _json(member, "put", f"/dossiers/{dossier_id}/score-sheet", {"answers": answers(sheet, *points)})
        assert draft.status_code == 200, draft.json()
        assert_matches_openapi(draft, f"{API}/dossiers/{{dossier_id}}/score-sheet", "put")
        done = _json(member, "post", f"/dossiers/{dossier_id}/score-sheet/submit", {})
        assert done.status_code == 200 and done.json()["status"] == "submitted"
    own = client_for(users["m1"]).get(f"{API}/dossiers/{dossier_id}/score-sheets")
    assert [s["member_name"] for s in own.json()] == ["m1"]
    assert province.get(f"{API}/dossiers/{dossier_id}/score-sheets").json() == []

    closed = _json(chair, "post", f"/dossiers/{dossier_id}/scoring/close", {})
    assert closed.status_code == 201, closed.json()
    assert_matches_openapi(closed, f"{API}/dossiers/{{dossier_id}}/scoring/close", "post")
    assert (closed.json()["mean"], closed.json()["star"], closed.json()["is_final"]) == ("85.00", 4, True)
    assert len(province.get(f"{API}/dossiers/{dossier_id}/score-sheets").json()) == 3
    analytics = province.get(f"{API}/rounds/{round_id}/analytics")
    assert analytics.status_code == 200 and analytics.json()["stars"] == {"4": 1}
    assert_matches_openapi(analytics, f"{API}/rounds/{{round_id}}/analytics")

    # the province records the decision; the certificate verifies publicly
    decided = _json(
        province,
        "post",
        "/decisions",
        {
            "level": "province",
            "number": "321/QĐ-UBND",
            "decided_on": "2026-11-20",
            "signer_name": "Trần Văn Ký",
            "signer_title": "Chủ tịch UBND tỉnh",
            "dossier_ids": [dossier_id],
        },
    )
    assert decided.status_code == 201, decided.json()
    assert_matches_openapi(decided, f"{API}/decisions", "post")
    number = decided.json()["certificates"][0]["number"]
    verified = anon_client.get(f"{API}/certificates/{number}")
    assert verified.status_code == 200
    assert (verified.json()["star"], verified.json()["decision_number"]) == (4, "321/QĐ-UBND")
    assert verified.json()["product_name"] == product.name

    detail = prod.get(f"{API}/dossiers/{dossier_id}")
    assert detail.json()["status"] == "recognised_provincial" and detail.json()["decision_ref"] == "321/QĐ-UBND"
    assert_matches_openapi(detail, f"{API}/dossiers/{{dossier_id}}")
    events = prod.get(f"{API}/dossiers/{dossier_id}/events")
    assert_matches_openapi(events, f"{API}/dossiers/{{dossier_id}}/events")
    assert [e["to_status"] for e in events.json()["items"]][-1] == "recognised_provincial"
    assert events.json()["count"] >= 9


# --- permission matrix ----------------------------------------------------------------------------------------


@pytest.fixture
def intake(product, producer, council_a):  # noqa: F811
    """A dossier of province A waiting at provincial intake."""
    dossier = dossier_create(actor=producer, product=product)
    Dossier.objects.filter(pk=dossier.pk).update(status=S.FORWARDED_TO_PROVINCE, round=council_a.round)
    dossier.refresh_from_db()
    return dossier


READERS = {
    "producer": 200,
    "commune_officer_a": 200,
    "province_officer_a": 200,
    "central_officer": 200,
    "province_officer_b": 404,
    "council_member_a": 404,
}


@pytest.mark.parametrize(("persona", "status"), READERS.items())
def test_who_reads_a_dossier(request, intake, client_for, persona, status):
    client = client_for(request.getfixturevalue(persona))

    detail = client.get(f"{API}/dossiers/{intake.pk}")
    listed = client.get(f"{API}/dossiers").json()

    assert detail.status_code == status
    assert (intake.pk in [d["id"] for d in listed["items"]]) == (status == 200)
    if status == 404:
        assert detail.json()["code"] == "dossier_not_found"
        assert_matches_openapi(detail, f"{API}/dossiers/{{dossier_id}}")


def test_another_producer_does_not_see_the_dossier(intake, client_for, django_user_model):
    from ocop.accounts.tests.factories import RoleAssignmentFactory

    other = django_user_model.objects.create_user(username="other-producer", password="x")
    RoleAssignmentFactory(user=other, role="producer", object_id="999999")

    assert client_for(other).get(f"{API}/dossiers/{intake.pk}").status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/dossiers"),
        ("get", "/dossiers/1"),
        ("post", "/dossiers"),
        ("post", "/dossiers/1/transitions"),
        ("get", "/rounds"),
        ("post", "/councils"),
        ("put", "/dossiers/1/score-sheet"),
        ("post", "/decisions"),
        ("get", "/certificates"),
    ],
)
def test_anonymous_gets_401(anon_client, method, path, db):
    response = _json(anon_client, method, path, {})
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "fields"}


@pytest.mark.parametrize(
    ("persona", "status"),
    [("province_officer_a", 200), ("province_officer_b", 404), ("producer", 403), ("commune_officer_a", 403)],
)
def test_who_takes_the_dossier_in(request, intake, client_for, persona, status):
    client = client_for(request.getfixturevalue(persona))

    response = _json(
        client,
        "post",
        f"/dossiers/{intake.pk}/transitions",
        {"to": "provincial_intake", "expected_revision": intake.revision},
    )

    assert response.status_code == status, response.json()
    assert_matches_openapi(response, f"{API}/dossiers/{{dossier_id}}/transitions", "post")


def test_stale_revision_is_409_and_changes_nothing(intake, client_for, province_officer_a):
    client = client_for(province_officer_a)
    body = {"to": "provincial_intake", "expected_revision": intake.revision}
    assert _json(client, "post", f"/dossiers/{intake.pk}/transitions", body).status_code == 200

    again = _json(client, "post", f"/dossiers/{intake.pk}/transitions", {**body, "to": "returned", "reason": "x"})

    assert again.status_code == 409
    assert again.json()["code"] == "dossier_revision_conflict"
    assert_matches_openapi(again, f"{API}/dossiers/{{dossier_id}}/transitions", "post")
    assert Dossier.objects.get(pk=intake.pk).status == S.PROVINCIAL_INTAKE


def test_stale_revision_on_a_draft_edit_is_409(product, producer, client_for):  # noqa: F811
    dossier = dossier_create(actor=producer, product=product)
    client = client_for(producer)
    first = _json(client, "patch", f"/dossiers/{dossier.pk}", {"expected_revision": dossier.revision, "form01": {}})
    assert first.status_code == 200

    second = _json(client, "patch", f"/dossiers/{dossier.pk}", {"expected_revision": dossier.revision, "form01": {}})

    assert second.status_code == 409


def test_province_b_cannot_create_a_dossier_for_a_product_of_a(product, client_for, province_officer_b):  # noqa: F811
    response = _json(client_for(province_officer_b), "post", "/dossiers", {"product_id": product.pk})
    assert response.status_code == 404
    assert not Dossier.objects.exists()


def test_self_assessment_with_points_not_among_the_options_is_422(product, producer, client_for, process):  # noqa: F811
    dossier = dossier_create(actor=producer, product=product)
    response = _json(
        client_for(producer),
        "put",
        f"/dossiers/{dossier.pk}/self-assessment",
        {"expected_revision": dossier.revision, "answers": answers(process["26_2026"], 21, 25, 30)},
    )
    assert response.status_code == 422
    assert_matches_openapi(response, f"{API}/dossiers/{{dossier_id}}/self-assessment", "put")


def test_submit_incomplete_is_422_with_fields(product, producer, client_for):  # noqa: F811
    dossier = dossier_create(actor=producer, product=product)
    response = _json(client_for(producer), "post", f"/dossiers/{dossier.pk}/submit", {"expected_revision": 1})
    assert response.status_code == 422
    assert response.json()["code"] == "dossier_incomplete" and "form02.general" in response.json()["fields"]


def test_evidence_upload_multipart_and_type_check(product, producer, client_for):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    dossier = dossier_create(actor=producer, product=product)
    client = client_for(producer)
    pdf = SimpleUploadedFile("kn.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    ok = client.post(f"{API}/dossiers/{dossier.pk}/evidence", {"file": pdf, "title": "Phiếu kiểm nghiệm"})
    assert ok.status_code == 201, ok.json()
    assert_matches_openapi(ok, f"{API}/dossiers/{{dossier_id}}/evidence", "post")
    assert ok.json()["content_type"] == "application/pdf"
    links = client.get(f"{API}/dossiers/{dossier.pk}/evidence").json()
    assert [link["evidence_id"] for link in links] == [ok.json()["id"]]
    exe = SimpleUploadedFile("x.pdf", b"MZ\x90\x00", content_type="application/pdf")
    bad = client.post(f"{API}/dossiers/{dossier.pk}/evidence", {"file": exe, "title": "x"})
    assert bad.status_code == 422 and bad.json()["code"] == "evidence_type"


# --- scoring refusals -----------------------------------------------------------------------------------------


@pytest.fixture
def scoring(product, producer, council_a, seat):  # noqa: F811
    dossier = dossier_create(actor=producer, product=product)
    Dossier.objects.filter(pk=dossier.pk).update(
        status=S.ADVISORY_REVIEW, council=council_a, round=council_a.round, advisory_report={"findings": "Đạt"}
    )
    dossier.refresh_from_db()
    council_open_scoring(actor=seat("chair"), dossier=dossier)
    return dossier


def _sheet(client, dossier, body, submit=False):
    path = f"/dossiers/{dossier.pk}/score-sheet" + ("/submit" if submit else "")
    return _json(client, "post" if submit else "put", path, body)


def test_score_sheet_refusals(scoring, seat, client_for, process):  # noqa: F811
    sheet = process["26_2026"]
    m1 = client_for(seat("m1"))
    # points not among the options
    bad = _sheet(m1, scoring, {"answers": answers(sheet, 21, 25, 30)})
    assert bad.status_code == 422
    assert_matches_openapi(bad, f"{API}/dossiers/{{dossier_id}}/score-sheet", "put")
    # the sheet of another product set / criteria version
    other = _sheet(m1, scoring, {"answers": {}, "criteria_sheet_id": process["148_2023"].pk})
    assert (other.status_code, other.json()["code"]) == (422, "sheet_mismatch")
    # scoring twice
    assert _sheet(m1, scoring, {"answers": answers(sheet, 30, 25, 30)}, submit=True).status_code == 200
    twice = _sheet(m1, scoring, {"answers": answers(sheet, 40, 25, 35)}, submit=True)
    assert (twice.status_code, twice.json()["code"]) == (422, "sheet_already_submitted")
    # the secretary does not score
    secretary = _sheet(client_for(seat("secretary")), scoring, {"answers": {}})
    assert (secretary.status_code, secretary.json()["code"]) == (403, "member_does_not_score")


def test_recused_member_cannot_score(scoring, seat, client_for):  # noqa: F811
    m3 = client_for(seat("m3"))
    declared = _json(m3, "put", f"/dossiers/{scoring.pk}/conflict", {"has_conflict": True, "note": "Người thân"})
    assert declared.status_code == 200, declared.json()
    assert_matches_openapi(declared, f"{API}/dossiers/{{dossier_id}}/conflict", "put")

    response = _sheet(m3, scoring, {"answers": {}})

    assert (response.status_code, response.json()["code"]) == (403, "member_recused")


def test_scoring_after_close_is_refused_and_only_the_chair_closes(scoring, seat, client_for, process):  # noqa: F811
    sheet = process["26_2026"]
    for username in ("chair", "m1", "m2"):
        done = _sheet(client_for(seat(username)), scoring, {"answers": answers(sheet, 20, 25, 30)}, submit=True)
        assert done.status_code == 200
    assert _json(client_for(seat("m1")), "post", f"/dossiers/{scoring.pk}/scoring/close", {}).status_code == 403
    assert _json(client_for(seat("chair")), "post", f"/dossiers/{scoring.pk}/scoring/close", {}).status_code == 201

    late = _sheet(client_for(seat("m3")), scoring, {"answers": answers(sheet, 20, 25, 30)}, submit=True)

    assert (late.status_code, late.json()["code"]) == (422, "scoring_closed")
    assert not ScoreSheet.objects.filter(member__user=seat("m3")).exists()


def test_outsiders_cannot_score(scoring, client_for, province_officer_b, council_member_a):
    for user in (province_officer_b, council_member_a):
        response = _sheet(client_for(user), scoring, {"answers": {}})
        assert response.status_code == 404


def test_council_management_permissions(round_a, client_for, province_officer_b, commune_officer_a, producer):  # noqa: F811
    for user, status in ((province_officer_b, 404), (commune_officer_a, 404), (producer, 404)):
        response = _json(client_for(user), "post", "/councils", {"round_id": round_a.pk, "name": "HĐ"})
        assert response.status_code == status, response.json()
    assert client_for(province_officer_b).get(f"{API}/rounds/{round_a.pk}/analytics").status_code == 404


def test_rounds_list_is_scoped(round_a, client_for, province_officer_a, province_officer_b, central_officer):  # noqa: F811
    assert client_for(province_officer_a).get(f"{API}/rounds").json()["count"] == 2
    assert client_for(central_officer).get(f"{API}/rounds").json()["count"] == 2
    assert client_for(province_officer_b).get(f"{API}/rounds").json()["count"] == 0
    forbidden = _json(
        client_for(province_officer_b),
        "post",
        "/rounds/plan",
        {"level": "province", "province_code": round_a.province_code, "year": 2027},
    )
    assert forbidden.status_code == 403
    assert_matches_openapi(forbidden, f"{API}/rounds/plan", "post")


def test_overdue_list(intake, client_for, province_officer_a):
    import datetime

    Dossier.objects.filter(pk=intake.pk).update(due_on=datetime.date(2026, 1, 1))
    response = client_for(province_officer_a).get(f"{API}/dossiers/overdue")
    assert response.status_code == 200
    assert_matches_openapi(response, f"{API}/dossiers/overdue")
    assert [d["id"] for d in response.json()["items"]] == [intake.pk]
