"""A provincial officer logs in on a phone, switches to English, exports their province's
administrative units and watches the progress bar finish; the download is a real XLSX."""

import io

import pytest
from python_calamine import CalamineWorkbook

from ocop.core.seeding import DEMO_PASSWORD
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_logs_in_switches_language_and_exports_units(phone_page, province_officer_a, province_a):
    page = phone_page
    province_officer_a.set_password(DEMO_PASSWORD)
    province_officer_a.save()

    # given the login page in Vietnamese
    page.goto("/bo/")
    assert page.locator("h1").inner_text() == "Đăng nhập"
    page.fill("#id_username", province_officer_a.username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/bo/")
    screenshot(page, "bo-home-vi")

    # when the officer switches to English
    page.select_option("#lang-select", "en")
    page.click("[data-testid=lang-submit]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Hello" in page.locator("h1").inner_text()

    # and exports their province
    page.goto("/bo/geo/")
    row = page.locator(f"tr[data-code='{province_a.code}']")
    assert row.locator("button").count() == 1
    other_rows_with_export = page.locator("tr[data-code] button").count()
    assert other_rows_with_export == 1  # only their own province can be exported
    row.locator("button").click()

    # then the progress bar reaches 100% and the file downloads
    page.wait_for_selector(".job[data-status=succeeded]")
    assert page.locator(".progress-bar").get_attribute("style").strip().startswith("width: 100%")
    screenshot(page, "bo-export-done-en")
    with page.expect_download() as download_info:
        page.click("a[download]")
    data = download_info.value.path().read_bytes()
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert sheet[0][0] == "Code"
    assert len(sheet) > 10
