"""Dossier pages: producers prepare and submit, the commune reviews and forwards, the province takes in, the
advisory team reports. Permission matrix over the personas for every page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ocop.evaluation.models import Dossier, Evidence, Regime
from ocop.evaluation.services import (
    dossier_create,
    dossier_submit,
    dossier_transition,
    dossier_update,
    self_assessment_save,
)
from ocop.evaluation.tests.factories import (
    FORM03,
    answers,
    bind_producer,
    form02_complete,
    load_process_data,
    make_product,
)
from ocop.geo.models import AdminUnit
from ocop.registry.models import Subject

S = Dossier.Status
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
DOSSIER_PAGES = (
    "dossier-detail",
    "dossier-forms",
    "self-assessment",
    "dossier-evidence",
    "commune-review",
    "province-intake",
    "advisory-review",
)
PRODUCER_PAGES = ("dossier-forms", "self-assessment", "dossier-evidence")


@pytest.fixture
def sheet(db):
    return load_process_data()["26_2026"]


def _verified_product(sheet, province, commune):
    product = make_product(province=province, commune=commune, category=sheet.product_set)
    Subject.objects.filter(pk=product.subject_id).update(verification_status=Subject.Verification.VERIFIED)
    product.subject.refresh_from_db()
    return product


@pytest.fixture
def product(sheet, province_a, commune_a, producer):
    product = _verified_product(sheet, province_a, commune_a)
    bind_producer(producer, product.subject)
    return product


@pytest.fixture
def dossier(product, producer):
    return dossier_create(actor=producer, product=product)


def _complete(dossier, producer, sheet):
    dossier = dossier_update(
        actor=producer, dossier=dossier, expected_revision=dossier.revision, form02=form02_complete()
    )
    self_assessment_save(
        actor=producer, dossier=dossier, answers=answers(sheet, 30, 25, 35), expected_revision=dossier.revision
    )
    dossier.refresh_from_db()
    return dossier


@pytest.fixture
def submitted(dossier, producer, sheet):
    dossier = _complete(dossier, producer, sheet)
    return dossier_submit(actor=producer, dossier=dossier, expected_revision=dossier.revision)


def _foreign_dossier(sheet, province, commune, status=S.SUBMITTED):
    """A dossier of another subject, written directly (its history does not matter here)."""
    other = _verified_product(sheet, province, commune)
    return Dossier.objects.create(
        product=other,
        subject=other.subject,
        regime=Regime.objects.get(code="26_2026"),
        criteria_sheet=sheet,
        province_code=province.code,
        commune_code=commune.code,
        status=status,
    )


def _move(dossier, actor, to, **kwargs):
    dossier.refresh_from_db()
    return dossier_transition(actor=actor, dossier=dossier, to=to, expected_revision=dossier.revision, **kwargs)


def _url(name, dossier=None):
    return reverse(f"bo:evaluation:{name}", args=[dossier.pk] if dossier else [])


# --- permission matrix --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DOSSIER_PAGES)
def test_anonymous_is_sent_to_login_from_every_dossier_page(anon_client, submitted, name):
    response = anon_client.get(_url(name, submitted))
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_anonymous_is_sent_to_login_from_the_list_and_create_pages(anon_client, db):
    for url in (_url("dossier-list"), _url("dossier-create")):
        response = anon_client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize("name", DOSSIER_PAGES)
def test_producer_gets_404_on_another_subjects_dossier(client_for, producer, sheet, province_a, commune_a, name):
    # given a dossier of a subject the producer does not represent
    foreign = _foreign_dossier(sheet, province_a, commune_a)
    # then every page of it is 404 for the producer
    assert client_for(producer).get(_url(name, foreign)).status_code == 404


@pytest.mark.parametrize("name", PRODUCER_PAGES)
def test_producer_pages_open_for_the_own_draft(client_for, producer, dossier, name):
    assert client_for(producer).get(_url(name, dossier)).status_code == 200


@pytest.mark.parametrize("name", PRODUCER_PAGES)
def test_officers_cannot_edit_the_producers_content(client_for, commune_officer_a, submitted, name):
    assert client_for(commune_officer_a).get(_url(name, submitted)).status_code == 403


def test_drafts_are_the_producers_until_submitted(client_for, commune_officer_a, province_officer_a, dossier):
    for officer in (commune_officer_a, province_officer_a):
        assert client_for(officer).get(_url("dossier-detail", dossier)).status_code == 404


def test_producer_cannot_open_the_officers_steps(client_for, producer, submitted):
    for name in ("commune-review", "province-intake", "advisory-review"):
        assert client_for(producer).get(_url(name, submitted)).status_code == 403


def test_commune_officer_sees_only_their_commune(
    client_for, commune_officer_a, submitted, sheet, province_a, commune_a
):
    # given a submitted dossier of another commune of the same province
    other_commune = (
        AdminUnit.objects.filter(level="commune", province_code=province_a.code, valid_until__isnull=True)
        .exclude(code=commune_a.code)
        .first()
    )
    elsewhere = _foreign_dossier(sheet, province_a, other_commune)
    client = client_for(commune_officer_a)
    # then the list shows their commune's dossier waiting for review, and not the other
    listing = client.get(_url("dossier-list")).content.decode()
    assert f'data-dossier="{submitted.pk}"' in listing
    assert f'data-dossier="{elsewhere.pk}"' not in listing
    assert client.get(_url("commune-review", submitted)).status_code == 200
    for name in ("dossier-detail", "commune-review"):
        assert client.get(_url(name, elsewhere)).status_code == 404


def test_commune_officer_cannot_take_the_provinces_steps(client_for, commune_officer_a, submitted):
    for name in ("province-intake", "advisory-review"):
        assert client_for(commune_officer_a).get(_url(name, submitted)).status_code == 403


def test_province_b_never_sees_province_a(client_for, province_officer_a, province_officer_b, submitted):
    client_b = client_for(province_officer_b)
    assert f'data-dossier="{submitted.pk}"' not in client_b.get(_url("dossier-list") + "?f=1").content.decode()
    for name in DOSSIER_PAGES:
        assert client_b.get(_url(name, submitted)).status_code == 404
    client_a = client_for(province_officer_a)
    assert f'data-dossier="{submitted.pk}"' in client_a.get(_url("dossier-list") + "?f=1").content.decode()
    assert client_a.get(_url("dossier-detail", submitted)).status_code == 200


def test_nav_offers_dossiers_to_producers_and_officers(client_for, producer, commune_officer_a, product):
    for user in (producer, commune_officer_a):
        assert _url("dossier-list") in client_for(user).get(reverse("bo:home")).content.decode()


# --- producer -----------------------------------------------------------------------------------------------


def test_producer_creates_a_first_evaluation_dossier(client_for, producer, product):
    client = client_for(producer)
    page = client.get(_url("dossier-create")).content.decode()
    assert product.name in page
    response = client.post(_url("dossier-create"), {"product": product.pk, "kind": "first", "product_set": ""})
    dossier = Dossier.objects.get(product=product)
    assert response.status_code == 302 and response["Location"] == _url("dossier-forms", dossier)
    listing = client.get(_url("dossier-list")).content.decode()
    assert f'data-dossier="{dossier.pk}"' in listing and "Nháp" in listing


def test_upgrade_without_a_certificate_shows_the_services_message(client_for, producer, product):
    response = client_for(producer).post(_url("dossier-create"), {"product": product.pk, "kind": "upgrade"})
    assert response.status_code == 422
    assert "cần giấy chứng nhận đang có" in response.content.decode()
    assert not Dossier.objects.filter(product=product).exists()


def test_unverified_subjects_products_are_not_offered(client_for, producer, product):
    Subject.objects.filter(pk=product.subject_id).update(verification_status=Subject.Verification.PENDING)
    page = client_for(producer).get(_url("dossier-create")).content.decode()
    assert product.name not in page


def _forms_post(dossier, **overrides):
    data = {
        "revision": dossier.revision,
        "representative": "Nguyễn Thị Hoa",
        "phone": "0901234567",
        "representative_gender": "Nữ",
        "representative_ethnicity": "Tày",
        "legal_papers": ["business_registration", "food_safety"],
        "history": "Thành lập năm 2015",
        "revenue": "1200000000",
        "business_summary": "Đạt kế hoạch",
        "plan_ahead": "Mở rộng thị trường",
    }
    return {**data, **overrides}


def test_producer_fills_form01_and_form02(client_for, producer, dossier):
    response = client_for(producer).post(_url("dossier-forms", dossier), _forms_post(dossier))
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.form01["representative"] == "Nguyễn Thị Hoa"
    assert dossier.form02["general"] == {"representative_gender": "Nữ", "representative_ethnicity": "Tày"}
    assert dossier.form02["legal_papers"] == ["business_registration", "food_safety"]
    assert dossier.form02["business_results"]["revenue"] == 1_200_000_000
    page = client_for(producer).get(_url("dossier-detail", dossier)).content.decode()
    assert "1.200.000.000" in page or "1,200,000,000" in page


def test_stale_revision_shows_conflict_and_keeps_what_was_typed(client_for, producer, dossier):
    # given someone saved the dossier after the form was opened
    stale = dossier.revision
    dossier_update(actor=producer, dossier=dossier, expected_revision=stale, form01={"representative": "Khác"})
    # when the old form is posted
    response = client_for(producer).post(
        _url("dossier-forms", dossier), _forms_post(dossier, revision=stale, history="Chữ tôi vừa gõ")
    )
    # then the conflict is explained and the typed text is still in the form; nothing was overwritten
    page = response.content.decode()
    assert response.status_code == 422
    assert "Hồ sơ vừa được người khác thay đổi" in page
    assert "Chữ tôi vừa gõ" in page
    dossier.refresh_from_db()
    assert dossier.form01 == {"representative": "Khác"}


def _sa_post(dossier, sheet, *points, revision=None):
    keys = list(answers(sheet, *points).items())
    data = {f"c-{k}": v for k, v in keys}
    data["revision"] = revision or dossier.revision
    return data


def test_self_assessment_page_lists_the_sheet_as_radio_buttons(client_for, producer, dossier):
    page = client_for(producer).get(_url("self-assessment", dossier)).content.decode()
    assert page.count('type="radio"') == 4 + 3 + 5
    assert "hx-post" in page and _url("self-assessment-answer", dossier) in page


def test_htmx_answer_saves_and_returns_running_total_and_implied_star(client_for, producer, dossier, sheet):
    client = client_for(producer)
    # when the producer answers A with 30 (the 4★ minimum) and B with 25
    data = _sa_post(dossier, sheet, 30, 25, 0)
    response = client.post(_url("self-assessment-answer", dossier), data, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="sa-total">55<' in page
    assert 'data-testid="sa-star">3★<' in page
    assert 'hx-swap-oob="true"' in page and f'value="{dossier.revision + 1}"' in page
    # and then C with 35: 90 points, but A's 30 misses the 5★ minimum (40) → 4★
    data = _sa_post(dossier, sheet, 30, 25, 35, revision=dossier.revision + 1)
    page = client.post(_url("self-assessment-answer", dossier), data, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="sa-total">90<' in page
    assert 'data-testid="sa-star">4★<' in page
    assert "cần ít nhất 40 điểm để đạt 5 sao" in page
    dossier.refresh_from_db()
    assert dossier.self_assessment.total == 90


def test_self_assessment_works_without_javascript(client_for, producer, dossier, sheet):
    response = client_for(producer).post(_url("self-assessment", dossier), _sa_post(dossier, sheet, 20, 10, 25))
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.self_assessment.total == 55 and dossier.self_assessment.implied_star == 3


def test_self_assessment_refuses_points_not_on_the_sheet(client_for, producer, dossier, sheet):
    response = client_for(producer).post(_url("self-assessment", dossier), _sa_post(dossier, sheet, 20, 11, 25))
    assert response.status_code == 422
    assert "không thuộc các mức điểm" in response.content.decode()


def test_stale_self_assessment_shows_conflict_and_keeps_the_choices(client_for, producer, dossier, sheet):
    stale = dossier.revision
    dossier_update(actor=producer, dossier=dossier, expected_revision=stale, form01={"phone": "1"})
    response = client_for(producer).post(
        _url("self-assessment", dossier), _sa_post(dossier, sheet, 40, 25, 35, revision=stale)
    )
    page = response.content.decode()
    assert response.status_code == 422 and "Hồ sơ vừa được người khác thay đổi" in page
    assert page.count("checked") == 3


def test_evidence_upload_refuses_a_wrong_type_and_accepts_png(client_for, producer, dossier):
    client = client_for(producer)
    fake = SimpleUploadedFile("giay.pdf", b"not really a pdf", content_type="application/pdf")
    response = client.post(
        _url("evidence-upload", dossier), {"title": "Giấy ATTP", "kind": "food_safety", "file": fake}
    )
    assert response.status_code == 422
    assert "Chỉ nhận tệp PDF, JPEG hoặc PNG." in response.content.decode()
    assert not Evidence.objects.exists()
    png = SimpleUploadedFile("anh.png", PNG, content_type="image/png")
    data = {"title": "Giấy ATTP", "kind": "food_safety", "file": png, "expires_on": "2020-01-31"}
    assert client.post(_url("evidence-upload", dossier), data).status_code == 302
    evidence = Evidence.objects.get()
    page = client.get(_url("dossier-evidence", dossier)).content.decode()
    assert "Đã hết hạn" in page and "31/01/2020" in page
    # linking it to the dossier makes the check flag the expired food-safety certificate
    assert client.post(_url("evidence-link", dossier), {"evidence": evidence.pk}).status_code == 302
    assert "đã hết hạn ngày 31/01/2020" in client.get(_url("dossier-detail", dossier)).content.decode()


def test_check_issues_show_and_submit_is_refused_until_complete(client_for, producer, dossier, sheet):
    client = client_for(producer)
    page = client.get(_url("dossier-detail", dossier)).content.decode()
    assert "Chưa tự đánh giá đủ các tiêu chí." in page and "Mẫu 02 còn thiếu mục này." in page
    response = client.post(_url("dossier-submit", dossier), {"revision": dossier.revision}, follow=True)
    assert "Hồ sơ chưa đủ để nộp." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == S.DRAFT


def test_producer_submits_a_complete_dossier(client_for, producer, dossier, sheet):
    dossier = _complete(dossier, producer, sheet)
    client = client_for(producer)
    assert "Hồ sơ đã đủ để nộp." in client.get(_url("dossier-detail", dossier)).content.decode()
    response = client.post(_url("dossier-submit", dossier), {"revision": dossier.revision})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == S.SUBMITTED and dossier.due_on is not None
    page = client.get(_url("dossier-list")).content.decode()
    assert dossier.due_on.strftime("%d/%m/%Y") in page
    assert client.get(_url("dossier-forms", dossier)).status_code == 200  # readable, but the service refuses
    response = client.post(_url("dossier-forms", dossier), _forms_post(dossier))
    assert response.status_code == 422 and "Hồ sơ đã nộp, không sửa được." in response.content.decode()


# --- commune ------------------------------------------------------------------------------------------------


def test_commune_receives_and_forwards_with_form03(client_for, commune_officer_a, submitted):
    client = client_for(commune_officer_a)
    response = client.post(_url("commune-review", submitted), {"action": "receive", "revision": submitted.revision})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.COMMUNE_REVIEW and submitted.commune_reception_number
    # Form 03 incomplete: refused with the field errors
    data = {"action": "forward", "revision": submitted.revision, **FORM03, "local_labour": ""}
    response = client.post(_url("commune-review", submitted), data)
    assert response.status_code == 422
    data["local_labour"] = "20 lao động"
    assert client.post(_url("commune-review", submitted), data).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.FORWARDED_TO_PROVINCE and submitted.form03["local_labour"] == "20 lao động"
    page = client.get(_url("dossier-detail", submitted)).content.decode()
    assert "Xã đang xem xét" in page and "Đã chuyển tỉnh" in page  # the timeline


def test_commune_return_needs_a_reason_and_the_producer_sees_it(client_for, commune_officer_a, producer, submitted):
    client = client_for(commune_officer_a)
    data = {"action": "return", "revision": submitted.revision, "reason": "  "}
    response = client.post(_url("commune-review", submitted), data)
    assert response.status_code == 422 and "Cần ghi lý do trả lại." in response.content.decode()
    data["reason"] = "Thiếu phiếu kiểm nghiệm"
    assert client.post(_url("commune-review", submitted), data).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.RETURNED
    page = client_for(producer).get(_url("dossier-detail", submitted)).content.decode()
    assert "Thiếu phiếu kiểm nghiệm" in page and 'data-testid="self-assessment-link"' in page
    assert client_for(producer).get(_url("dossier-forms", submitted)).status_code == 200


# --- province -----------------------------------------------------------------------------------------------


@pytest.fixture
def forwarded(submitted, commune_officer_a):
    _move(submitted, commune_officer_a, S.COMMUNE_REVIEW)
    return _move(submitted, commune_officer_a, S.FORWARDED_TO_PROVINCE, data={"form03": FORM03})


@pytest.fixture
def council(province_officer_a, province_a, sheet):
    from ocop.evaluation.services import council_create, round_plan_year

    round_ = round_plan_year(actor=province_officer_a, level="province", province_code=province_a.code, year=2026)[1]
    return council_create(actor=province_officer_a, round_=round_, name="Hội đồng OCOP tỉnh")


def test_province_receives_returns_with_reason(client_for, province_officer_a, forwarded):
    client = client_for(province_officer_a)
    listing = client.get(_url("dossier-list")).content.decode()  # default: the officer's to-do list
    assert f'data-dossier="{forwarded.pk}"' in listing
    assert client.post(_url("province-intake", forwarded), {"action": "receive", "revision": forwarded.revision})
    forwarded.refresh_from_db()
    assert forwarded.status == S.PROVINCIAL_INTAKE and forwarded.province_reception_number
    data = {"action": "return", "revision": forwarded.revision, "reason": ""}
    assert client.post(_url("province-intake", forwarded), data).status_code == 422
    data["reason"] = "Bổ sung phiếu kiểm nghiệm"
    assert client.post(_url("province-intake", forwarded), data).status_code == 302
    forwarded.refresh_from_db()
    assert forwarded.status == S.RETURNED


def test_province_accepts_into_advisory_review_and_the_report_opens_scoring(
    client_for, province_officer_a, forwarded, council
):
    client = client_for(province_officer_a)
    _move(forwarded, province_officer_a, S.PROVINCIAL_INTAKE)
    forwarded.refresh_from_db()
    data = {"action": "advisory", "revision": forwarded.revision, "council": council.pk}
    assert client.post(_url("province-intake", forwarded), data).status_code == 302
    forwarded.refresh_from_db()
    assert forwarded.status == S.ADVISORY_REVIEW and forwarded.council == council
    # scoring cannot open before the advisory team's findings
    response = client.post(_url("advisory-review", forwarded), {"action": "scoring", "revision": forwarded.revision})
    assert response.status_code == 422 and "Tổ tư vấn chưa có báo cáo" in response.content.decode()
    data = {"action": "save", "revision": forwarded.revision, "findings": "Hồ sơ đầy đủ", "site_survey": "Đã khảo sát"}
    assert client.post(_url("advisory-review", forwarded), data).status_code == 302
    forwarded.refresh_from_db()
    assert forwarded.advisory_report["findings"] == "Hồ sơ đầy đủ"
    response = client.post(_url("advisory-review", forwarded), {"action": "scoring", "revision": forwarded.revision})
    assert response.status_code == 302
    forwarded.refresh_from_db()
    assert forwarded.status == S.COUNCIL_SCORING


def test_province_list_filters_by_status_commune_and_overdue(client_for, province_officer_a, forwarded, commune_a):
    client = client_for(province_officer_a)
    base = _url("dossier-list")
    assert f'data-dossier="{forwarded.pk}"' in client.get(f"{base}?status=forwarded_to_province").content.decode()
    assert f'data-dossier="{forwarded.pk}"' not in client.get(f"{base}?status=draft").content.decode()
    assert f'data-dossier="{forwarded.pk}"' in client.get(f"{base}?commune={commune_a.code}").content.decode()
    Dossier.objects.filter(pk=forwarded.pk).update(due_on="2020-01-01")
    page = client.get(f"{base}?overdue=on").content.decode()
    assert f'data-dossier="{forwarded.pk}"' in page and "Quá hạn" in page
    Dossier.objects.filter(pk=forwarded.pk).update(due_on="2999-01-01")
    assert f'data-dossier="{forwarded.pk}"' not in client.get(f"{base}?overdue=on").content.decode()


def test_province_stale_return_keeps_the_reason_typed(client_for, province_officer_a, forwarded):
    client = client_for(province_officer_a)
    stale = forwarded.revision
    _move(forwarded, province_officer_a, S.PROVINCIAL_INTAKE)
    data = {"action": "return", "revision": stale, "reason": "Lý do tôi vừa gõ"}
    response = client.post(_url("province-intake", forwarded), data)
    page = response.content.decode()
    assert response.status_code == 422
    assert "Hồ sơ vừa được người khác thay đổi" in page and "Lý do tôi vừa gõ" in page


def _pdf_text(response) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(response.content)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def test_producer_prints_forms_01_and_02_of_their_dossier(client_for, producer, submitted):
    client = client_for(producer)
    assert "/print/form01.pdf" in client.get(f"/bo/dossiers/{submitted.pk}/").content.decode()
    for document in ("form01", "form02"):
        response = client.get(f"/bo/dossiers/{submitted.pk}/print/{document}.pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert submitted.product.name in _pdf_text(response)


def test_printing_follows_dossier_access(client_for, province_officer_b, producer, submitted):
    assert client_for(province_officer_b).get(f"/bo/dossiers/{submitted.pk}/print/form01.pdf").status_code == 404
    # the minutes carry members' totals: not for producers, and only after the chair closed scoring
    assert client_for(producer).get(f"/bo/dossiers/{submitted.pk}/print/minutes.pdf").status_code == 403
    assert client_for(producer).get(f"/bo/dossiers/{submitted.pk}/print/nope.pdf").status_code == 404


def test_minutes_are_404_before_any_closed_scoring(client_for, commune_officer_a, submitted):
    assert client_for(commune_officer_a).get(f"/bo/dossiers/{submitted.pk}/print/minutes.pdf").status_code == 404
