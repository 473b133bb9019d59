"""A producer on a phone self-assesses their product and watches the running total and the implied star change,
then submits the dossier; the commune officer receives it, writes the Form 03 assessment and forwards it."""

import re

import pytest
from playwright.sync_api import expect

from ocop.core.seeding import DEMO_PASSWORD
from ocop.evaluation.models import Criterion, Dossier
from ocop.evaluation.services import dossier_create, dossier_update
from ocop.evaluation.tests.factories import FORM03, bind_producer, form02_complete, load_process_data, make_product
from ocop.registry.models import Subject
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, user, next_url):
    page.goto(next_url)
    page.fill("#id_username", user.username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{next_url}")


def _pick(page, criterion, points):
    page.locator(f"fieldset[data-criterion='{criterion.pk}'] input[value='{points}']").check()


def test_producer_self_assesses_on_a_phone_and_the_commune_forwards(
    phone_page, page, producer, commune_officer_a, province_a, commune_a
):
    # given a verified subject's draft dossier with Form 01/02 filled
    for user in (producer, commune_officer_a):
        user.set_password(DEMO_PASSWORD)
        user.save()
    sheet = load_process_data()["26_2026"]
    product = make_product(province=province_a, commune=commune_a, category=sheet.product_set)
    Subject.objects.filter(pk=product.subject_id).update(verification_status=Subject.Verification.VERIFIED)
    bind_producer(producer, product.subject)
    dossier = dossier_create(actor=producer, product=product)
    dossier_update(actor=producer, dossier=dossier, expected_revision=dossier.revision, form02=form02_complete())
    c1, c2, c3 = Criterion.objects.filter(sheet=sheet).order_by("position")

    # when the producer opens the self-assessment on a 360 px phone
    phone = phone_page
    _login(phone, producer, f"/bo/dossiers/{dossier.pk}/self-assessment/")
    total = phone.locator("[data-testid=sa-total]")
    expect(total).to_have_text("0")
    screenshot(phone, "dossier-self-assessment-empty-phone")

    # then each answer updates the running total and the implied star
    _pick(phone, c1, 30)
    expect(total).to_have_text("30")
    _pick(phone, c2, 25)
    expect(total).to_have_text("55")
    expect(phone.locator("[data-testid=sa-star]")).to_have_text("3★")
    _pick(phone, c3, 35)
    expect(total).to_have_text("90")
    expect(phone.locator("[data-testid=sa-star]")).to_have_text("4★")  # c1's 30 misses the 5★ minimum
    expect(phone.locator("[data-testid=sa-missed]")).to_be_visible()
    screenshot(phone, "dossier-self-assessment-phone")
    _pick(phone, c1, 40)
    expect(phone.locator("[data-testid=sa-star]")).to_have_text("5★")
    expect(total).to_have_text("100")

    # and the producer submits from the dossier page
    phone.goto(f"/bo/dossiers/{dossier.pk}/")
    expect(phone.locator(".score-total")).to_have_text("100")
    screenshot(phone, "dossier-detail-ready-phone")
    phone.click("[data-testid=submit]")
    expect(phone.locator(".dossier-status .badge-dossier")).to_have_text("Đã nộp")
    screenshot(phone, "dossier-submitted-phone")

    # when the commune officer reviews it
    _login(page, commune_officer_a, "/bo/dossiers/")
    row = page.locator(f"tr[data-dossier='{dossier.pk}']")
    expect(row).to_contain_text(re.compile(r"\d{2}/\d{2}/\d{4}"))
    screenshot(page, "dossier-commune-list")
    row.locator("a").click()
    page.click("[data-testid=commune-review-link]")
    page.click("[data-testid=receive]")
    page.click("[data-testid=commune-review-link]")
    for name, value in FORM03.items():
        page.fill(f"#id_{name}", value)
    screenshot(page, "dossier-commune-form03")
    page.click("[data-testid=forward]")

    # then the dossier is with the province and the timeline shows each step
    expect(page.locator(".dossier-status .badge-dossier")).to_have_text("Đã chuyển tỉnh")
    expect(page.locator(".timeline li")).to_have_count(4)
    screenshot(page, "dossier-forwarded")
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.FORWARDED_TO_PROVINCE
    assert dossier.form03["proposal"] == FORM03["proposal"]
