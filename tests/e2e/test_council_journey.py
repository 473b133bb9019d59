"""Three council members score one dossier on 360 px phones, the chair closes, the provincial officer records
the decision, and the certificate's public page shows it valid."""

import pytest
from django.utils import timezone

from ocop.certification.models import Certificate
from ocop.core.seeding import DEMO_PASSWORD
from ocop.evaluation.models import Criterion, Dossier
from ocop.evaluation.services import council_create, council_member_add, council_open_scoring, dossier_create
from ocop.evaluation.tests.factories import bind_producer, load_process_data, make_product
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# chair, member 1, member 2: 75 / 80 / 70 points → mean 75, criterion 1.1 below the 4★ minimum → 3★
SCORES = {"chair": (20, 25, 30), "member1": (20, 25, 35), "member2": (20, 25, 25)}


def _setup(province_officer_a, province_a, commune_a, producer, django_user_model):
    process = load_process_data()
    from ocop.evaluation.services import round_plan_year

    round_ = round_plan_year(actor=province_officer_a, level="province", province_code=province_a.code, year=2026)[1]
    council = council_create(actor=province_officer_a, round_=round_, name="Hội đồng OCOP tỉnh Lâm Đồng 2026")
    names = {"chair": "Lê Văn Chủ", "member1": "Trần Thị Một", "member2": "Phạm Văn Hai"}
    for username, role in (("chair", "chair"), ("member1", "member"), ("member2", "member")):
        user = django_user_model.objects.create_user(
            username=username, password=DEMO_PASSWORD, full_name=names[username]
        )
        council_member_add(actor=province_officer_a, council=council, user=user, role=role, organisation="Sở NN&MT")
    product = make_product(province=province_a, commune=commune_a, category=process["26_2026"].product_set)
    bind_producer(producer, product.subject)
    dossier = dossier_create(actor=producer, product=product)
    Dossier.objects.filter(pk=dossier.pk).update(
        status=Dossier.Status.ADVISORY_REVIEW, council=council, round=round_, advisory_report={"findings": "Đạt"}
    )
    council_open_scoring(actor=province_officer_a, dossier=dossier)
    return Dossier.objects.get(pk=dossier.pk)


def _login(page, username):
    page.context.clear_cookies()
    page.goto("/bo/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/bo/")


def _member_scores(page, dossier, username, points, keys):
    _login(page, username)
    page.goto("/bo/councils/scoring/")
    if username == "chair":
        screenshot(page, "council-scoring-list-phone")
    page.click(f"li[data-dossier='{dossier.pk}'] a.scoring-link")
    # the conflict-of-interest declaration comes first
    page.check("input[name=has_conflict][value=no]")
    if username == "chair":
        screenshot(page, "council-conflict-phone")
    page.click("#conflict button[type=submit]")
    page.wait_for_selector("#sheet-form")
    for key, value in zip(keys, points, strict=True):
        page.click(f"#criterion-{key} label.option:has(input[value='{value}'])")
        page.wait_for_selector(f"#criterion-{key} input[value='{value}']:checked")
    # the running total comes back from the server (htmx) after each answer
    page.wait_for_function(
        "t => document.querySelector('[data-testid=running-total]').textContent === t", arg=str(sum(points))
    )
    if username == "chair":
        screenshot(page, "council-sheet-phone")
    page.click("[data-testid=sheet-submit]")
    page.wait_for_selector("[data-testid=sheet-confirm]")
    if username == "chair":
        screenshot(page, "council-sheet-confirm-phone")
    page.click("[data-testid=sheet-confirm]")
    page.wait_for_selector("#submitted")
    assert f"Tổng điểm: {sum(points)}." in page.locator(".messages").inner_text()


def test_three_members_score_on_phones_the_chair_closes_and_the_officer_recognises(
    phone_page, page, province_officer_a, province_a, commune_a, producer, django_user_model
):
    dossier = _setup(province_officer_a, province_a, commune_a, producer, django_user_model)
    keys = list(
        Criterion.objects.filter(sheet=dossier.criteria_sheet).order_by("position").values_list("pk", flat=True)
    )
    province_officer_a.set_password(DEMO_PASSWORD)
    province_officer_a.save()

    # given three members each score on a 360 px phone
    for username, points in SCORES.items():
        _member_scores(phone_page, dossier, username, points, keys)
    screenshot(phone_page, "council-sheet-submitted-phone")

    # when the chair sees everyone has submitted and closes
    _login(phone_page, "chair")
    phone_page.goto(f"/bo/councils/dossiers/{dossier.pk}/")
    assert phone_page.locator("#quorum").get_attribute("data-met") == "1"
    screenshot(phone_page, "council-progress-phone")
    phone_page.click("[data-testid=close-scoring]")
    phone_page.wait_for_selector("[data-testid=result-star]")
    # then the result: mean 75, 3★ because criterion 1.1 misses the 4★ minimum; members' totals visible
    assert phone_page.locator("[data-testid=result-mean]").inner_text() == "75,00"
    assert phone_page.locator("[data-testid=result-star]").inner_text() == "3★"
    assert "1.1" in phone_page.locator("[data-testid=minimums-missed]").inner_text()
    assert phone_page.locator("table.member-totals tbody tr").count() == 3
    screenshot(phone_page, "council-result-phone")

    # when the provincial officer records the decision for the round
    page.goto("/bo/accounts/login/")
    page.fill("#id_username", province_officer_a.username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/bo/")
    page.goto(f"/bo/councils/decisions/?round={dossier.round_id}")
    page.check(f"tr[data-dossier='{dossier.pk}'] input[name=dossiers]")
    page.fill("#id_number", "245/QĐ-UBND")
    page.fill("#id_decided_on", timezone.localdate().isoformat())
    page.fill("#id_signer_name", "Nguyễn Văn Ký")
    page.fill("#id_signer_title", "Phó Chủ tịch UBND tỉnh")
    screenshot(page, "council-decision-form")
    page.click("[data-testid=record-decision]")
    page.wait_for_selector("table.certificates")
    screenshot(page, "council-certificates")
    certificate = Certificate.objects.get(product=dossier.product)
    assert page.locator(f"tr[data-certificate='{certificate.number}']").count() == 1

    # then the certificate's public page shows it valid
    page.click(f"tr[data-certificate='{certificate.number}'] [data-testid=certificate-verify]")
    page.wait_for_url(f"**/verify/certificate/{certificate.number}")
    assert page.locator("[data-status]").get_attribute("data-status") == "valid"
    assert "3" in page.content() and dossier.product.name in page.content()
    screenshot(page, "council-certificate-verify")

    # and the round's analytics show the three members against the mean
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/bo/councils/rounds/{dossier.round_id}/analytics/")
    assert page.locator("tr[data-star='3'] [data-testid=star-count]").inner_text() == "1"
    assert page.locator("table.member-deviations tbody tr").count() == 3
    screenshot(page, "council-analytics-phone")
