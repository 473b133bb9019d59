"""A member's score sheet as a PDF: the member prints their own once submitted; the chair, the secretary and the
officers managing the council print every sheet, only after the chair has closed scoring."""

import pypdfium2 as pdfium
import pytest
from django.urls import reverse

from ocop.evaluation.models import Dossier, ScoreSheet
from ocop.evaluation.services import (
    conflict_declare,
    council_close_scoring,
    council_create,
    council_member_add,
    council_open_scoring,
    dossier_create,
    score_sheet_save,
    score_sheet_submit,
)
from ocop.evaluation.tests.factories import answers, bind_producer, load_process_data, make_product

pytestmark = pytest.mark.django_db
S = Dossier.Status
SEATS = {
    "chair": ("chair", "Nguyễn Văn Thắng"),
    "m1": ("member", "Trần Thị Thu Hương"),
    "m2": ("member", "Lê Hoàng Đức"),
    "secretary": ("secretary", "Vũ Minh Nguyệt"),
}


@pytest.fixture
def council(db, province_officer_a, province_a, django_user_model):
    from ocop.evaluation.services import round_plan_year

    load_process_data()
    round_ = round_plan_year(actor=province_officer_a, level="province", province_code=province_a.code, year=2026)[1]
    council = council_create(actor=province_officer_a, round_=round_, name="Hội đồng OCOP tỉnh Lâm Đồng")
    for username, (role, full_name) in SEATS.items():
        user = django_user_model.objects.create_user(username=username, password="x", full_name=full_name)
        council_member_add(actor=province_officer_a, council=council, user=user, role=role)
    return council


@pytest.fixture
def seat(council):
    return lambda username: council.members.get(user__username=username).user


@pytest.fixture
def dossier(council, producer, province_a, commune_a, province_officer_a, seat):
    """Scoring open; the chair and m1 have submitted, m2 has a draft."""
    sheet = load_process_data()["26_2026"]
    product = make_product(province=province_a, commune=commune_a, category=sheet.product_set)
    bind_producer(producer, product.subject)
    dossier = dossier_create(actor=producer, product=product)
    Dossier.objects.filter(pk=dossier.pk).update(
        status=S.ADVISORY_REVIEW, council=council, round=council.round, advisory_report={"findings": "Đạt"}
    )
    dossier.refresh_from_db()
    council_open_scoring(actor=province_officer_a, dossier=dossier)
    dossier.refresh_from_db()
    for username, points in (("chair", (30, 25, 35)), ("m1", (30, 25, 30)), ("m2", (30, 25, 35))):
        user = seat(username)
        conflict_declare(actor=user, dossier=dossier, has_conflict=False, note="")
        score_sheet_save(actor=user, dossier=dossier, answers=answers(sheet, *points), comment="")
        if username != "m2":
            score_sheet_submit(actor=user, dossier=dossier)
    return dossier


def _sheet(dossier, username):
    return ScoreSheet.objects.get(dossier=dossier, member__user__username=username)


def _url(dossier, sheet):
    return reverse("bo:evaluation:score-sheet-print", args=[dossier.pk, sheet.pk])


def _close(dossier, seat):
    score_sheet_submit(actor=seat("m2"), dossier=dossier)
    council_close_scoring(actor=seat("chair"), dossier=dossier, accept_spread=True)


def text_of(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in doc)
    finally:
        doc.close()


def test_a_member_prints_their_own_submitted_sheet_before_the_close(dossier, seat, client_for):
    response = client_for(seat("m1")).get(_url(dossier, _sheet(dossier, "m1")))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "Trần Thị Thu Hương" in text_of(response.content)


def test_nobody_prints_another_members_sheet_or_a_draft_before_the_close(
    dossier, seat, client_for, anon_client, province_officer_a, central_officer, producer, province_officer_b
):
    m1_sheet, draft = _sheet(dossier, "m1"), _sheet(dossier, "m2")
    assert anon_client.get(_url(dossier, m1_sheet)).status_code == 302
    for persona in (seat("chair"), seat("secretary"), seat("m2"), province_officer_a, central_officer):
        assert client_for(persona).get(_url(dossier, m1_sheet)).status_code == 404, persona.username
    # a draft is not printable, not even by its author
    assert client_for(seat("m2")).get(_url(dossier, draft)).status_code == 404
    # outsiders cannot read the dossier at all
    for persona in (producer, province_officer_b):
        assert client_for(persona).get(_url(dossier, m1_sheet)).status_code == 404, persona.username


def test_after_the_close_the_chair_secretary_and_council_officers_print_every_sheet(
    dossier, seat, client_for, province_officer_a, central_officer
):
    _close(dossier, seat)
    for persona in (seat("chair"), seat("secretary"), province_officer_a, central_officer):
        client = client_for(persona)
        for username in ("chair", "m1", "m2"):
            response = client.get(_url(dossier, _sheet(dossier, username)))
            assert response.status_code == 200, (persona.username, username)
            assert response.content.startswith(b"%PDF")
    text = text_of(client_for(seat("chair")).get(_url(dossier, _sheet(dossier, "m2"))).content)
    assert "Lê Hoàng Đức" in text


def test_after_the_close_the_council_prints_every_sheet_and_outsiders_none(
    dossier, seat, client_for, producer, commune_officer_a, province_officer_b
):
    # One rule with the API (evaluation.access.can_read_member_sheets): the council reads its members' sheets once
    # scoring is closed; the producer, the commune and another province never do.
    _close(dossier, seat)
    m1 = client_for(seat("m1"))
    assert m1.get(_url(dossier, _sheet(dossier, "m1"))).status_code == 200
    assert m1.get(_url(dossier, _sheet(dossier, "chair"))).status_code == 200
    for persona in (producer, commune_officer_a, province_officer_b):
        assert client_for(persona).get(_url(dossier, _sheet(dossier, "m1"))).status_code == 404, persona.username


def test_a_sheet_of_another_dossier_is_not_found(dossier, seat, client_for, producer, province_a, commune_a):
    sheet = _sheet(dossier, "m1")
    other = make_product(province=province_a, commune=commune_a, category=dossier.criteria_sheet.product_set)
    bind_producer(producer, other.subject)
    other_dossier = dossier_create(actor=producer, product=other)
    Dossier.objects.filter(pk=other_dossier.pk).update(status=S.ADVISORY_REVIEW, council=dossier.council)
    assert client_for(seat("m1")).get(_url(other_dossier, sheet)).status_code == 404


def test_the_scoring_page_links_the_members_own_sheet(dossier, seat, client_for):
    page = client_for(seat("m1")).get(reverse("bo:councils:sheet-detail", args=[dossier.pk])).content.decode()
    assert _url(dossier, _sheet(dossier, "m1")) in page
    assert _url(dossier, _sheet(dossier, "chair")) not in page
    page = client_for(seat("m2")).get(reverse("bo:councils:sheet-detail", args=[dossier.pk])).content.decode()
    assert "my-sheet-pdf" not in page  # only a draft


def test_the_result_page_links_the_minutes_and_the_sheets_by_capacity(dossier, seat, client_for, province_officer_a):
    _close(dossier, seat)
    result_url = reverse("bo:councils:dossier-result", args=[dossier.pk])
    minutes = reverse("bo:evaluation:dossier-print", args=[dossier.pk, "minutes"])
    sheets = [_url(dossier, _sheet(dossier, u)) for u in ("chair", "m1", "m2")]
    for persona in (seat("chair"), province_officer_a):
        page = client_for(persona).get(result_url).content.decode()
        assert minutes in page and all(url in page for url in sheets), persona.username
    page = client_for(seat("m1")).get(result_url).content.decode()
    assert all(url in page for url in sheets)  # a member of the council, as in the API
