"""A producer registers on a phone; the provincial officer returns the application with a reason; the
producer fixes and resubmits it; the officer approves it."""

import pytest

from ocop.core.seeding import DEMO_PASSWORD
from ocop.registry.models import Subject
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRODUCER_PASSWORD = "Mat-Ong-Hoa-2026!"


def _officer_logs_in(page, officer):
    page.goto("/bo/accounts/login/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/bo/")


def _officer_decides(page, subject, decision: str, reason: str = ""):
    page.goto(f"/bo/subjects/{subject.pk}/")
    page.check(f"input[name=decision][value={decision}]")
    if reason:
        page.fill("#id_reason", reason)
    page.click("#verify button[type=submit]")
    page.wait_for_selector(".alert-success")


def test_producer_registers_is_returned_fixes_and_is_approved(
    phone_page, page, province_officer_a, province_a, commune_a
):
    producer_page, officer_page = phone_page, page
    province_officer_a.set_password(DEMO_PASSWORD)
    province_officer_a.save()

    # given a person on a 360 px phone filling in the registration
    producer_page.goto("/bo/register/")
    assert producer_page.locator("h1").inner_text() == "Đăng ký chủ thể OCOP"
    producer_page.fill("#id_username", "hoa.hoang")
    producer_page.fill("#id_full_name", "Hoàng Thị Hoa")
    producer_page.fill("#id_phone", "0912 345 678")
    producer_page.fill("#id_email", "hoa@example.vn")
    producer_page.fill("#id_password1", PRODUCER_PASSWORD)
    producer_page.fill("#id_password2", PRODUCER_PASSWORD)
    producer_page.select_option("#id_legal_form", "household")
    producer_page.fill("#id_name", "Hộ kinh doanh Mật ong Hoa")
    producer_page.fill("#id_address_line", "Thôn 3")
    producer_page.select_option("#id_province", province_a.code)
    # the commune select is reloaded for the chosen province (htmx)
    producer_page.wait_for_selector(f"#id_commune option[value='{commune_a.code}']", state="attached")
    producer_page.select_option("#id_commune", commune_a.code)
    screenshot(producer_page, "registry-register-phone")
    producer_page.click("button.button-block[type=submit]")

    # then the application waits for verification
    producer_page.wait_for_url("**/bo/my-subject/")
    assert "Chờ xác minh" in producer_page.locator(".application").inner_text()
    screenshot(producer_page, "registry-my-subject-pending-phone")
    subject = Subject.objects.get(name="Hộ kinh doanh Mật ong Hoa")

    # when the officer finds it among pending applications and returns it with a reason
    _officer_logs_in(officer_page, province_officer_a)
    officer_page.goto("/bo/subjects/?status=pending")
    officer_page.click(f"tr[data-subject='{subject.pk}'] a")
    officer_page.wait_for_selector("#verify")
    screenshot(officer_page, "registry-subject-verify")
    _officer_decides(officer_page, subject, "returned", "Ghi rõ số nhà và thôn.")

    # then the producer sees the reason, fixes the address and resubmits
    producer_page.reload()
    assert "Ghi rõ số nhà và thôn." in producer_page.locator(".reason").inner_text()
    assert producer_page.locator("#id_commune").input_value() == commune_a.code
    screenshot(producer_page, "registry-my-subject-returned-phone")
    producer_page.fill("#id_address_line", "Số 12, thôn 3")
    producer_page.click("form.panel button[type=submit]")
    producer_page.wait_for_selector(".alert-success")
    assert producer_page.locator(".application").get_attribute("data-status") == "pending"

    # and the officer approves it
    _officer_decides(officer_page, subject, "verified")
    assert "Số 12, thôn 3" in officer_page.locator(".history").inner_text()
    screenshot(officer_page, "registry-subject-approved")
    producer_page.reload()
    assert producer_page.locator(".application").get_attribute("data-status") == "verified"
    screenshot(producer_page, "registry-my-subject-verified-phone")

    # and the page fits the phone: nothing wider than the viewport
    width = producer_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
