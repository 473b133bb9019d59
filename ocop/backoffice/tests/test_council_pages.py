"""Council pages: councils, members' score sheets (phone-first), the chair's close and result, analytics,
decisions and certificates — the happy paths and the permission matrix over the personas."""

import datetime

import pytest
from django.urls import reverse

from ocop.certification.models import Certificate
from ocop.evaluation.models import Criterion, Dossier, DossierResult, ScoreSheet
from ocop.evaluation.services import council_create, council_member_add, dossier_create
from ocop.evaluation.tests.factories import bind_producer, load_process_data, make_product

pytestmark = pytest.mark.django_db
S = Dossier.Status
SEATS = (
    ("chair", "chair"),
    ("m1", "member"),
    ("m2", "member"),
    ("m3", "member"),
    ("secretary", "secretary"),
)


# --- fixtures ------------------------------------------------------------------------------------------------


@pytest.fixture
def process(db):
    return load_process_data()


@pytest.fixture
def round_a(process, province_officer_a, province_a):
    from ocop.evaluation.services import round_plan_year

    return round_plan_year(actor=province_officer_a, level="province", province_code=province_a.code, year=2026)[1]


@pytest.fixture
def council(round_a, province_officer_a, django_user_model):
    council = council_create(actor=province_officer_a, round_=round_a, name="Hội đồng OCOP tỉnh Lâm Đồng")
    for username, role in SEATS:
        user = django_user_model.objects.create_user(username=username, password="x", full_name=f"Ông {username}")
        council_member_add(actor=province_officer_a, council=council, user=user, role=role, organisation="Sở NN&MT")
    return council


@pytest.fixture
def seat(council):
    return lambda username: council.members.get(user__username=username).user


def _dossier_in_advisory_review(producer, province_a, commune_a, process, council):
    product = make_product(province=province_a, commune=commune_a, category=process["26_2026"].product_set)
    bind_producer(producer, product.subject)
    dossier = dossier_create(actor=producer, product=product)
    Dossier.objects.filter(pk=dossier.pk).update(
        status=S.ADVISORY_REVIEW, council=council, round=council.round, advisory_report={"findings": "Đạt"}
    )
    dossier.refresh_from_db()
    return dossier


@pytest.fixture
def dossier(producer, province_a, commune_a, process, council, client_for, province_officer_a):
    """A dossier of the council with scoring opened by the officer through the council page."""
    dossier = _dossier_in_advisory_review(producer, province_a, commune_a, process, council)
    response = client_for(province_officer_a).post(
        reverse("bo:councils:dossier-open", args=[council.pk, dossier.pk]), follow=True
    )
    assert "Đã mở chấm điểm" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == S.COUNCIL_SCORING
    return dossier


def _fields(dossier, *points):
    keys = Criterion.objects.filter(sheet=dossier.criteria_sheet).order_by("position").values_list("pk", flat=True)
    return {f"c{pk}": str(p) for pk, p in zip(keys, points, strict=True)}


def _declare(client, dossier, conflict="no"):
    return client.post(reverse("bo:councils:conflict-save", args=[dossier.pk]), {"has_conflict": conflict})


def _submit(client, dossier, *points):
    """Declare no conflict, post the answers, confirm; returns the final (followed) response."""
    _declare(client, dossier)
    confirm = client.post(reverse("bo:councils:sheet-submit", args=[dossier.pk]), _fields(dossier, *points))
    assert confirm.status_code == 200 and "Xác nhận nộp phiếu" in confirm.content.decode()
    return client.post(reverse("bo:councils:sheet-submit", args=[dossier.pk]), {"confirm": "1"}, follow=True)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- permission matrix ---------------------------------------------------------------------------------------


def _urls(council, dossier):
    return {
        "council-list": reverse("bo:councils:council-list"),
        "council-new": reverse("bo:councils:council-new"),
        "council-detail": reverse("bo:councils:council-detail", args=[council.pk]),
        "my-scoring": reverse("bo:councils:my-scoring"),
        "sheet": reverse("bo:councils:sheet-detail", args=[dossier.pk]),
        "progress": reverse("bo:councils:dossier-progress", args=[dossier.pk]),
        "result": reverse("bo:councils:dossier-result", args=[dossier.pk]),
        "analytics": reverse("bo:councils:round-analytics", args=[council.round_id]),
        "decisions": reverse("bo:councils:decision-list") + f"?round={council.round_id}",
        "certificates": reverse("bo:councils:certificate-list"),
    }


MATRIX = {
    # page: (officer A, officer B, central, council member m1, producer)
    "council-list": (200, 200, 200, 403, 403),
    "council-new": (200, 200, 200, 403, 403),
    "council-detail": (200, 404, 200, 403, 403),
    "my-scoring": (403, 403, 403, 200, 403),
    "sheet": (404, 404, 404, 200, 403),
    "progress": (200, 404, 200, 200, 403),
    "result": (200, 404, 200, 200, 403),
    "analytics": (200, 404, 200, 403, 403),
    "decisions": (200, 404, 200, 403, 403),
    "certificates": (200, 200, 200, 403, 403),
}


def test_permission_matrix_of_every_council_page(
    dossier, council, seat, client_for, anon_client, province_officer_a, province_officer_b, central_officer, producer
):
    urls = _urls(council, dossier)
    personas = (province_officer_a, province_officer_b, central_officer, seat("m1"), producer)
    for page, expected in MATRIX.items():
        for persona, status in zip(personas, expected, strict=True):
            got = client_for(persona).get(urls[page]).status_code
            assert got == status, (page, persona.username, got)
        response = anon_client.get(urls[page])
        assert response.status_code == 302 and "/login/" in response["Location"], page


def test_province_b_officer_sees_nothing_of_province_a(dossier, council, client_for, province_officer_b):
    client = client_for(province_officer_b)
    assert council.name not in client.get(reverse("bo:councils:council-list")).content.decode()
    response = client.post(reverse("bo:councils:dossier-rescore", args=[dossier.pk]))
    assert response.status_code == 404
    response = client.post(reverse("bo:councils:member-add", args=[council.pk]), {"username": "m1", "role": "member"})
    assert response.status_code == 404


def test_a_member_of_another_council_gets_nothing_of_this_one(
    dossier, round_a, province_officer_a, django_user_model, client_for
):
    other = council_create(actor=province_officer_a, round_=round_a, name="Hội đồng khác")
    outsider = django_user_model.objects.create_user(username="outsider", password="x")
    council_member_add(actor=province_officer_a, council=other, user=outsider, role="chair")
    client = client_for(outsider)
    assert client.get(reverse("bo:councils:my-scoring")).status_code == 200
    for name in ("sheet-detail", "dossier-progress", "dossier-result"):
        assert client.get(reverse(f"bo:councils:{name}", args=[dossier.pk])).status_code == 404
    assert client.post(reverse("bo:councils:sheet-save", args=[dossier.pk]), {}).status_code == 404
    assert client.post(reverse("bo:councils:dossier-close", args=[dossier.pk])).status_code == 404


def test_nav_shows_council_items_by_role(dossier, seat, client_for, province_officer_a, producer):
    officer_page = client_for(province_officer_a).get(reverse("bo:home")).content.decode()
    assert "Hội đồng" in officer_page and "Quyết định &amp; giấy chứng nhận" in officer_page
    member_page = client_for(seat("m1")).get(reverse("bo:home")).content.decode()
    assert "Chấm điểm" in member_page and "Quyết định &amp; giấy chứng nhận" not in member_page
    assert "Chấm điểm" not in client_for(producer).get(reverse("bo:home")).content.decode()


# --- councils (officer) ---------------------------------------------------------------------------------------


def test_officer_creates_a_council_adds_members_and_sees_the_quorum_rule(
    round_a, province_officer_a, client_for, django_user_model
):
    client = client_for(province_officer_a)
    response = client.post(
        reverse("bo:councils:council-new"),
        {"round": round_a.pk, "name": "Hội đồng đợt 2", "min_fraction": "3/4", "chair_required": "on"},
        follow=True,
    )
    council = round_a.councils.get(name="Hội đồng đợt 2")
    assert council.quorum == {"min_fraction": "3/4", "chair_required": True}
    assert "3/4" in response.content.decode()
    expert = django_user_model.objects.create_user(username="expert", password="x", full_name="Chuyên gia")
    url = reverse("bo:councils:member-add", args=[council.pk])
    client.post(url, {"username": "expert", "role": "chair", "organisation": "Sở Y tế"})
    member = council.members.get(user=expert)
    assert (member.role, member.organisation) == ("chair", "Sở Y tế")
    # a second chair and an unknown user are refused as form errors
    django_user_model.objects.create_user(username="second", password="x")
    response = client.post(url, {"username": "second", "role": "chair"})
    assert response.status_code == 422 and "Hội đồng đã có chủ tịch." in response.content.decode()
    response = client.post(url, {"username": "nobody", "role": "member"})
    assert response.status_code == 422 and "Không có tài khoản" in response.content.decode()
    response = client.post(url, {"username": "expert", "role": "member"})
    assert response.status_code == 422 and "đã là thành viên" in response.content.decode()


# --- the member's sheet ---------------------------------------------------------------------------------------


def test_member_declares_then_scores_and_the_total_is_the_sum(dossier, seat, client_for):
    client = client_for(seat("m1"))
    url = reverse("bo:councils:sheet-detail", args=[dossier.pk])
    # given: the conflict declaration comes first, no sheet yet
    page = client.get(url).content.decode()
    assert 'id="conflict"' in page and 'id="sheet-form"' not in page
    _declare(client, dossier)
    assert 'id="sheet-form"' in client.get(url).content.decode()
    # when: each answer is posted by htmx
    save = reverse("bo:councils:sheet-save", args=[dossier.pk])
    fragment = client.post(save, _fields(dossier, 30, 10, 25), HTTP_HX_REQUEST="true")
    # then: the running total, the star band and the saved draft
    html = fragment.content.decode()
    assert '<strong data-testid="running-total">65</strong>' in html and "3★" in html
    assert ScoreSheet.objects.get(member__user=seat("m1")).total == 65
    # without JavaScript the save button reloads the page
    response = client.post(save, _fields(dossier, 40, 25, 35), follow=True)
    assert "Đã lưu phiếu nháp." in _messages(response)
    assert '<strong data-testid="running-total">100</strong>' in response.content.decode()
    # submit asks for a confirmation, then submits
    response = _submit(client, dossier, 20, 25, 30)
    assert "Đã nộp phiếu chấm điểm. Tổng điểm: 75." in _messages(response)
    sheet = ScoreSheet.objects.get(member__user=seat("m1"))
    assert (sheet.status, sheet.total) == ("submitted", 20 + 25 + 30)
    assert 'id="submitted"' in response.content.decode()


def test_live_summary_shows_a_missed_star_minimum(dossier, seat, client_for):
    client = client_for(seat("m1"))
    _declare(client, dossier)
    html = client.post(
        reverse("bo:councils:sheet-save", args=[dossier.pk]), _fields(dossier, 20, 25, 30), HTTP_HX_REQUEST="true"
    ).content.decode()
    # 75 points is the 4★ band, but criterion 1.1 needs 30 for 4★: 3★
    assert 'data-testid="running-missed"' in html and "1.1" in html
    assert '<span class="stars" data-testid="running-star">3★</span>' in html


def test_points_outside_the_options_are_refused_with_a_message(dossier, seat, client_for):
    client = client_for(seat("m1"))
    _declare(client, dossier)
    save = reverse("bo:councils:sheet-save", args=[dossier.pk])
    html = client.post(save, _fields(dossier, 21, 25, 30), HTTP_HX_REQUEST="true").content.decode()
    assert "không thuộc các mức điểm" in html
    assert not ScoreSheet.objects.filter(member__user=seat("m1")).exists()


def test_incomplete_sheet_cannot_be_submitted(dossier, seat, client_for):
    client = client_for(seat("m1"))
    _declare(client, dossier)
    fields = _fields(dossier, 20, 25, 30)
    fields.popitem()
    client.post(reverse("bo:councils:sheet-submit", args=[dossier.pk]), fields)
    response = client.post(reverse("bo:councils:sheet-submit", args=[dossier.pk]), {"confirm": "1"}, follow=True)
    assert any(m.startswith("Chưa chấm tiêu chí") for m in _messages(response))
    assert ScoreSheet.objects.get(member__user=seat("m1")).status == "draft"


def test_a_second_submit_is_refused_with_a_message(dossier, seat, client_for):
    client = client_for(seat("m1"))
    _submit(client, dossier, 20, 25, 30)
    response = client.post(reverse("bo:councils:sheet-submit", args=[dossier.pk]), {"confirm": "1"}, follow=True)
    assert "Phiếu đã nộp, không sửa được." in _messages(response)
    response = client.post(reverse("bo:councils:sheet-save", args=[dossier.pk]), _fields(dossier, 40, 25, 35))
    assert ScoreSheet.objects.get(member__user=seat("m1")).total == 75


def test_recused_member_gets_no_sheet(dossier, seat, client_for):
    client = client_for(seat("m3"))
    _declare(client, dossier, conflict="yes")
    page = client.get(reverse("bo:councils:sheet-detail", args=[dossier.pk])).content.decode()
    assert 'id="recused"' in page and 'id="sheet-form"' not in page
    response = client.post(reverse("bo:councils:sheet-save", args=[dossier.pk]), _fields(dossier, 20, 25, 30))
    response = client.get(response["Location"])
    assert "Thành viên đã khai báo xung đột lợi ích, không chấm hồ sơ này." in _messages(response)
    assert not ScoreSheet.objects.filter(member__user=seat("m3")).exists()


def test_secretary_does_not_score(dossier, seat, client_for):
    page = client_for(seat("secretary")).get(reverse("bo:councils:sheet-detail", args=[dossier.pk]))
    assert 'id="no-scoring"' in page.content.decode()


def test_sheets_are_hidden_until_the_chair_closes(dossier, seat, client_for, province_officer_a):
    _submit(client_for(seat("m1")), dossier, 40, 10, 15)  # 65: a total no other page shows
    # the chair sees who submitted, not the score
    progress = client_for(seat("chair")).get(reverse("bo:councils:dossier-progress", args=[dossier.pk]))
    html = progress.content.decode()
    assert 'data-member="m1" data-state="submitted"' in html and ">65<" not in html
    for user in (seat("chair"), seat("m2"), province_officer_a):
        result = client_for(user).get(reverse("bo:councils:dossier-result", args=[dossier.pk])).content.decode()
        assert 'id="no-result"' in result and ">65<" not in result
    # another member's own sheet page shows only their own (empty) sheet
    m2 = client_for(seat("m2"))
    _declare(m2, dossier)
    assert "65" not in m2.get(reverse("bo:councils:sheet-detail", args=[dossier.pk])).content.decode()


# --- the chair ------------------------------------------------------------------------------------------------


def _three_score(dossier, seat, client_for, per_member):
    for username, points in per_member.items():
        _submit(client_for(seat(username)), dossier, *points)


def test_quorum_is_shown_and_closing_without_it_is_refused(dossier, seat, client_for):
    chair = client_for(seat("chair"))
    _three_score(dossier, seat, client_for, {"chair": (20, 25, 30), "m1": (20, 25, 30)})
    page = chair.get(reverse("bo:councils:dossier-progress", args=[dossier.pk])).content.decode()
    assert 'data-met="0"' in page and "Đã nộp 2/4 phiếu" in page
    response = chair.post(reverse("bo:councils:dossier-close", args=[dossier.pk]), follow=True)
    assert any("Chưa đủ số thành viên" in m for m in _messages(response))
    # a member is not the chair
    response = client_for(seat("m1")).post(reverse("bo:councils:dossier-close", args=[dossier.pk]), follow=True)
    assert "Chỉ chủ tịch hội đồng được kết thúc chấm điểm." in _messages(response)


def test_chair_closes_and_a_75_point_result_missing_a_4_star_minimum_is_3_stars(dossier, seat, client_for):
    _three_score(dossier, seat, client_for, {"chair": (20, 25, 30), "m1": (20, 25, 30), "m2": (20, 25, 30)})
    chair = client_for(seat("chair"))
    assert 'data-met="1"' in chair.get(reverse("bo:councils:dossier-progress", args=[dossier.pk])).content.decode()
    response = chair.post(reverse("bo:councils:dossier-close", args=[dossier.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("bo:councils:dossier-result", args=[dossier.pk])
    html = response.content.decode()
    assert '<strong data-testid="result-mean">75,00</strong>' in html
    assert '<strong class="stars" data-testid="result-star">3★</strong>' in html
    assert 'data-testid="minimums-missed"' in html and "tiêu chí 1.1: cần 30, đạt 20" in html
    # the members' totals are visible now, to members and officers
    assert html.count('<td class="num" data-label="Tổng điểm">75</td>') == 3
    assert Dossier.objects.get(pk=dossier.pk).status == S.SCORED


def test_scoring_after_close_is_refused_with_a_message(dossier, seat, client_for):
    _three_score(dossier, seat, client_for, {"chair": (20, 25, 30), "m1": (20, 25, 30), "m2": (20, 25, 30)})
    client_for(seat("chair")).post(reverse("bo:councils:dossier-close", args=[dossier.pk]))
    m3 = client_for(seat("m3"))
    _declare(m3, dossier)
    assert 'id="scoring-closed"' in m3.get(reverse("bo:councils:sheet-detail", args=[dossier.pk])).content.decode()
    response = m3.post(reverse("bo:councils:sheet-save", args=[dossier.pk]), _fields(dossier, 20, 25, 30), follow=True)
    assert "Phiên chấm điểm đã đóng hoặc chưa mở." in _messages(response)


def _spread_then_accept(dossier, seat, client_for):
    """First pass: spread 25 → needs discussion; re-score; the chair accepts a 20-point spread."""
    _three_score(dossier, seat, client_for, {"chair": (20, 25, 30), "m1": (40, 25, 35), "m2": (20, 25, 30)})
    chair = client_for(seat("chair"))
    response = chair.post(reverse("bo:councils:dossier-close", args=[dossier.pk]), follow=True)
    html = response.content.decode()
    assert 'data-testid="spread-flag"' in html and "Cần thảo luận" in html and 'data-testid="rescore"' in html
    chair.post(reverse("bo:councils:dossier-rescore", args=[dossier.pk]))
    page = chair.get(reverse("bo:councils:dossier-progress", args=[dossier.pk])).content.decode()
    assert "Phiên chấm lần 2" in page and 'name="accept_spread"' in page
    _three_score(dossier, seat, client_for, {"chair": (20, 25, 30), "m1": (20, 25, 30), "m2": (20, 10, 25)})
    return chair.post(reverse("bo:councils:dossier-close", args=[dossier.pk]), {"accept_spread": "on"}, follow=True)


def test_spread_needs_discussion_then_rescoring_and_acceptance(dossier, seat, client_for):
    response = _spread_then_accept(dossier, seat, client_for)
    final = DossierResult.objects.get(dossier=dossier, is_final=True)
    assert (final.spread, final.spread_flag, final.star, str(final.mean)) == (20, True, 3, "68.33")
    assert "đã được hội đồng thảo luận và chấp nhận" in response.content.decode()


# --- analytics ------------------------------------------------------------------------------------------------


def test_round_analytics_shows_deviations_outliers_criterion_spread_and_stars(
    dossier, seat, client_for, province_officer_a
):
    _spread_then_accept(dossier, seat, client_for)
    response = client_for(province_officer_a).get(reverse("bo:councils:round-analytics", args=[dossier.round_id]))
    html = response.content.decode()
    # mean 68.33: chair and m1 at 75 (+6.67), m2 at 55 (−13.33, beyond the 10-point outlier threshold)
    assert 'data-member="m2" data-outlier="1"' in html and "-13,33" in html
    assert 'data-member="m1" data-outlier="0"' in html and "+6,67" in html
    assert [s["count"] for s in response.context["stars"]] == [0, 0, 1, 0, 0]
    spreads = {r["code"]: r["spread"] for r in response.context["criteria_rows"]}
    assert spreads == {"1.1": 0, "2.1": 15, "3.1": 5}


# --- decisions and certificates -----------------------------------------------------------------------------------


def test_officer_records_the_decision_and_downloads_the_certificate(dossier, seat, client_for, province_officer_a):
    _three_score(dossier, seat, client_for, {"chair": (20, 25, 30), "m1": (20, 25, 30), "m2": (20, 25, 30)})
    client_for(seat("chair")).post(reverse("bo:councils:dossier-close", args=[dossier.pk]))
    officer = client_for(province_officer_a)
    page = officer.get(reverse("bo:councils:decision-list") + f"?round={dossier.round_id}").content.decode()
    assert f'data-dossier="{dossier.pk}"' in page and "3★" in page
    url = reverse("bo:councils:decision-record", args=[dossier.round_id])
    # shape errors first: nothing chosen
    response = officer.post(url, {"number": "123/QĐ-UBND", "decided_on": "2026-11-20"})
    assert response.status_code == 422 and not Certificate.objects.exists()
    response = officer.post(
        url,
        {
            "number": "123/QĐ-UBND",
            "decided_on": "2026-11-20",
            "signer_name": "Nguyễn Văn A",
            "signer_title": "Phó Chủ tịch UBND tỉnh",
            "dossiers": [str(dossier.pk)],
        },
        follow=True,
    )
    certificate = Certificate.objects.get(product=dossier.product)
    assert (certificate.star, certificate.decided_on) == (3, datetime.date(2026, 11, 20))
    assert any("123/QĐ-UBND" in m for m in _messages(response))
    html = response.content.decode()
    assert certificate.number in html and f"/verify/certificate/{certificate.number}" in html
    assert Dossier.objects.get(pk=dossier.pk).status == S.RECOGNISED_PROVINCIAL
    pdf = officer.get(reverse("bo:councils:certificate-pdf", args=[certificate.number]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_decision_errors_are_shown_on_the_dossier_row(dossier, client_for, province_officer_a, province_officer_b):
    # the dossier is still being scored: not decidable, so not even listed
    officer = client_for(province_officer_a)
    page = officer.get(reverse("bo:councils:decision-list") + f"?round={dossier.round_id}").content.decode()
    assert f'data-dossier="{dossier.pk}"' not in page
    # another province's officer cannot record for this round, nor download a certificate of province A
    response = client_for(province_officer_b).post(reverse("bo:councils:decision-record", args=[dossier.round_id]))
    assert response.status_code == 404
    assert client_for(province_officer_b).get(reverse("bo:councils:certificate-pdf", args=["X"])).status_code == 404


def test_sheet_page_in_english(dossier, seat, client_for):
    client = client_for(seat("m1"))
    client.post(reverse("set_language"), {"language": "en"})
    page = client.get(reverse("bo:councils:sheet-detail", args=[dossier.pk])).content.decode()
    assert "Conflict of interest declaration" in page and "No conflict of interest" in page


def test_sum_of_selected_and_yes_no_criteria_render_and_score(dossier, seat, client_for):
    # given criterion 2 printed without options (yes/no) and criterion 3 scored as the sum of ticked items
    c1, c2, c3 = Criterion.objects.filter(sheet=dossier.criteria_sheet).order_by("position")
    Criterion.objects.filter(pk=c2.pk).update(scoring="no_options_printed")
    Criterion.objects.filter(pk=c3.pk).update(scoring="sum_of_selected")
    client = client_for(seat("m1"))
    _declare(client, dossier)
    page = client.get(reverse("bo:councils:sheet-detail", args=[dossier.pk])).content.decode()
    assert f'type="checkbox" name="c{c3.pk}"' in page and f'name="c{c2.pk}" value="25"' in page
    assert "Đạt" in page and "Không đạt" in page
    # when two items of criterion 3 are ticked (0 and 15) and criterion 2 is met
    data = {f"c{c1.pk}": "20", f"c{c2.pk}": "25", f"c{c3.pk}": ["0", "15"], f"c{c3.pk}-present": "1"}
    html = client.post(reverse("bo:councils:sheet-save", args=[dossier.pk]), data, HTTP_HX_REQUEST="true")
    # then the total adds the ticked items
    assert '<strong data-testid="running-total">60</strong>' in html.content.decode()
    assert ScoreSheet.objects.get(member__user=seat("m1")).answers[str(c3.pk)] == [0, 15]
