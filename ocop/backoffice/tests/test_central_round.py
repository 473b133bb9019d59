"""The central round end to end through the back office (26/2026/QĐ-TTg Điều 7 khoản 3-4): a product scoring ≥ 90
at the provincial council is proposed by the province, received by the central agency with a central council,
scored there, and recognised 5★ by the ministry with a central certificate that verifies publicly; or, below 90 at
the central council, returned to the province which recognises it 4★ on the central result.

Set-up that is not the point (rounds, councils, a dossier reaching the provincial council) uses the services; the
scoring and every central step go through the views."""

import pytest
from django.urls import reverse

from ocop.certification.models import Certificate
from ocop.evaluation.models import Criterion, Dossier
from ocop.evaluation.services import council_create, council_member_add, dossier_create, round_plan_year
from ocop.evaluation.services.rounds import today
from ocop.evaluation.tests.factories import bind_producer, load_process_data, make_product

pytestmark = pytest.mark.django_db
S = Dossier.Status
PROVINCE_SEATS = (("p-chair", "chair"), ("p-m1", "member"), ("p-m2", "member"))
CENTRAL_SEATS = (("c-chair", "chair"), ("c-m1", "member"), ("c-m2", "member"))


def _council(actor, round_, name, seats, django_user_model):
    council = council_create(actor=actor, round_=round_, name=name)
    for username, role in seats:
        user = django_user_model.objects.create_user(username=username, password="x", full_name=username)
        council_member_add(actor=actor, council=council, user=user, role=role)
    return council


@pytest.fixture
def setting(db, province_a, commune_a, producer, province_officer_a, central_officer, django_user_model):
    """A provincial round and council, the central rounds (this year and next, so a proposal made today finds the
    next one) with a central council on each, and a dossier in advisory review at the provincial council."""
    process = load_process_data()
    year = today().year
    province_round = round_plan_year(
        actor=province_officer_a, level="province", province_code=province_a.code, year=year
    )[-1]
    province_council = _council(province_officer_a, province_round, "Hội đồng tỉnh", PROVINCE_SEATS, django_user_model)
    central_rounds = [
        *round_plan_year(actor=central_officer, level="central", year=year),
        *round_plan_year(actor=central_officer, level="central", year=year + 1),
    ]
    for index, round_ in enumerate(central_rounds):
        seats = tuple((f"{name}-{index}", role) for name, role in CENTRAL_SEATS)
        _council(central_officer, round_, f"Hội đồng trung ương {round_}", seats, django_user_model)
    product = make_product(province=province_a, commune=commune_a, category=process["26_2026"].product_set)
    bind_producer(producer, product.subject)
    dossier = dossier_create(actor=producer, product=product)
    Dossier.objects.filter(pk=dossier.pk).update(
        status=S.ADVISORY_REVIEW,
        council=province_council,
        round=province_round,
        advisory_report={"findings": "Đạt"},
        filed_on=today(),
    )
    return {"dossier": dossier, "province_council": province_council}


def _fields(dossier, *points):
    keys = Criterion.objects.filter(sheet=dossier.criteria_sheet).order_by("position").values_list("pk", flat=True)
    return {f"c{pk}": str(p) for pk, p in zip(keys, points, strict=True)}


def _score_and_close(client_for, dossier, council, points_by_member):
    """Each seat declares no conflict and submits its sheet through the scoring pages; the chair closes."""
    for member in council.members.select_related("user").order_by("id"):
        client = client_for(member.user)
        client.post(reverse("bo:councils:conflict-save", args=[dossier.pk]), {"has_conflict": "no"})
        url = reverse("bo:councils:sheet-submit", args=[dossier.pk])
        assert client.post(url, _fields(dossier, *points_by_member)).status_code == 200
        client.post(url, {"confirm": "1"})
    chair = council.members.get(role="chair").user
    response = client_for(chair).post(reverse("bo:councils:dossier-close", args=[dossier.pk]), follow=True)
    assert response.status_code == 200


def _scored_at_province(setting, client_for, province_officer_a):
    dossier, council = setting["dossier"], setting["province_council"]
    response = client_for(province_officer_a).post(
        reverse("bo:councils:dossier-open", args=[council.pk, dossier.pk]), follow=True
    )
    assert "Đã mở chấm điểm" in response.content.decode()
    _score_and_close(client_for, dossier, council, (40, 25, 30))  # 95 points, the 5★ minimum of c1 met
    dossier.refresh_from_db()
    assert dossier.status == S.SCORED
    return dossier


def _to_central_scoring(dossier, client_for, province_officer_a, central_officer):
    province = client_for(province_officer_a)
    detail = reverse("bo:evaluation:dossier-detail", args=[dossier.pk])
    assert 'data-testid="central-proposal-link"' in province.get(detail).content.decode()
    url = reverse("bo:councils:central-proposal", args=[dossier.pk])
    page = province.get(url)
    assert page.status_code == 200 and 'data-testid="propose-central"' in page.content.decode()
    # the provincial chair's approval is required
    refused = province.post(url, {"revision": dossier.revision, "approval_ref": ""})
    assert refused.status_code == 422
    response = province.post(url, {"revision": dossier.revision, "approval_ref": "55/QĐ-UBND"}, follow=True)
    assert "Đã đề nghị hội đồng cấp trung ương" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == S.PROPOSED_CENTRAL and dossier.central_round is not None

    central = client_for(central_officer)
    assert 'data-testid="central-review-link"' in central.get(detail).content.decode()
    assert 'data-testid="central-review-link"' not in province.get(detail).content.decode()
    url = reverse("bo:councils:central-review", args=[dossier.pk])
    council = dossier.central_round.councils.get()
    # without a council the intake is refused on the form
    assert central.post(url, {"action": "receive", "revision": dossier.revision}).status_code == 422
    central.post(url, {"action": "receive", "revision": dossier.revision, "council": council.pk})
    dossier.refresh_from_db()
    assert (dossier.status, dossier.council_id) == (S.CENTRAL_INTAKE, council.pk)
    central.post(url, {"action": "scoring", "revision": dossier.revision})
    dossier.refresh_from_db()
    assert dossier.status == S.CENTRAL_SCORING
    return dossier, council


def test_central_round_recognises_5_stars_and_the_certificate_verifies(
    setting, client_for, anon_client, province_officer_a, province_officer_b, central_officer
):
    dossier = _scored_at_province(setting, client_for, province_officer_a)
    # only the dossier's province proposes; only the central agency receives
    assert (
        client_for(province_officer_b).get(reverse("bo:councils:central-proposal", args=[dossier.pk])).status_code
        == 404
    )
    assert (
        client_for(province_officer_a).get(reverse("bo:councils:central-review", args=[dossier.pk])).status_code == 403
    )
    dossier, council = _to_central_scoring(dossier, client_for, province_officer_a, central_officer)

    _score_and_close(client_for, dossier, council, (40, 25, 35))  # 100 points
    central = client_for(central_officer)
    page = central.get(reverse("bo:councils:central-review", args=[dossier.pk])).content.decode()
    assert 'data-testid="central-decision-link"' in page and 'data-testid="central-fallback"' not in page

    response = central.post(
        reverse("bo:councils:decision-record", args=[dossier.central_round_id]),
        {
            "number": "888/QĐ-BNNMT",
            "decided_on": today().isoformat(),
            "signer_name": "Lê Minh Hoan",
            "signer_title": "Bộ trưởng",
            "dossiers": [str(dossier.pk)],
        },
        follow=True,
    )
    assert response.status_code == 200
    certificate = Certificate.objects.get(product=dossier.product)
    assert (certificate.star, certificate.issuing_level) == (5, "central")
    assert Dossier.objects.get(pk=dossier.pk).status == S.RECOGNISED_CENTRAL
    verify = anon_client.get(f"/verify/certificate/{certificate.number}")
    html = verify.content.decode()
    assert verify.status_code == 200 and certificate.number in html and "888/QĐ-BNNMT" in html
    assert "Còn hiệu lực" in html


def test_central_result_below_90_returns_to_the_province_which_recognises_4_stars(
    setting, client_for, province_officer_a, central_officer
):
    dossier = _scored_at_province(setting, client_for, province_officer_a)
    dossier, council = _to_central_scoring(dossier, client_for, province_officer_a, central_officer)
    _score_and_close(client_for, dossier, council, (40, 25, 15))  # 80 points: 4★ at the central council

    central = client_for(central_officer)
    url = reverse("bo:councils:central-review", args=[dossier.pk])
    assert 'data-testid="central-fallback"' in central.get(url).content.decode()
    # the ministry does not decide below 5★: the decision page refuses it
    refused = central.post(
        reverse("bo:councils:decision-record", args=[dossier.central_round_id]),
        {"number": "9/QĐ-BNNMT", "decided_on": today().isoformat(), "dossiers": [str(dossier.pk)]},
    )
    assert refused.status_code == 422 and not Certificate.objects.exists()
    dossier.refresh_from_db()
    central.post(url, {"action": "fallback", "revision": dossier.revision, "reason": "Dưới 90 điểm"})
    dossier.refresh_from_db()
    assert dossier.status == S.CENTRAL_FALLBACK

    province = client_for(province_officer_a)
    page = province.get(reverse("bo:councils:decision-list") + f"?round={dossier.round_id}").content.decode()
    assert f'data-dossier="{dossier.pk}"' in page
    response = province.post(
        reverse("bo:councils:decision-record", args=[dossier.round_id]),
        {
            "number": "321/QĐ-UBND",
            "decided_on": today().isoformat(),
            "signer_name": "Nguyễn Văn A",
            "signer_title": "Chủ tịch UBND tỉnh",
            "dossiers": [str(dossier.pk)],
        },
        follow=True,
    )
    assert response.status_code == 200
    certificate = Certificate.objects.get(product=dossier.product)
    assert (certificate.star, certificate.issuing_level, str(certificate.score)) == (4, "province", "80.00")
    assert Dossier.objects.get(pk=dossier.pk).status == S.RECOGNISED_PROVINCIAL


def test_central_pages_refuse_other_personas(setting, client_for, producer, commune_officer_a, central_officer):
    dossier = setting["dossier"]
    for persona, page, status in (
        (producer, "central-proposal", 403),
        (producer, "central-review", 403),
        (commune_officer_a, "central-proposal", 403),
        (central_officer, "central-proposal", 403),
    ):
        got = client_for(persona).get(reverse(f"bo:councils:{page}", args=[dossier.pk])).status_code
        assert got == status, (persona.username, page, got)
    assert client_for(central_officer).get(reverse("bo:councils:central-review", args=[dossier.pk])).status_code == 200
