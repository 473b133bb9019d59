"""A consumer scans a stamp on a phone: the live status, the producer and the star, then shares the province
with consent; a forged code gets a plain-words warning."""

import pytest

from ocop.certification.stamps import codes
from ocop.certification.stamps import testing as stamp_testing
from ocop.certification.stamps.models import ScanEvent
from ocop.certification.stamps.testing import first_code
from ocop.certification.tests import conftest as cert_fixtures
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
certified_a = stamp_testing.certified_a
stamp_batch = stamp_testing.stamp_batch
product_a, province_decision, issue = cert_fixtures.product_a, cert_fixtures.province_decision, cert_fixtures.issue
regime, regimes = cert_fixtures.regime, cert_fixtures.regimes


def test_consumer_scans_a_stamp_on_a_phone(stamp_batch, phone_page, province_a):
    code = first_code(stamp_batch)

    phone_page.goto(f"/s/{code}")

    status = phone_page.locator("[data-outcome]")
    assert status.get_attribute("data-outcome") == "valid"
    assert "Tem OCOP hợp lệ" in status.inner_text()
    body = phone_page.locator("main").inner_text()
    assert "Cà phê Arabica Cầu Đất" in body and "Hợp tác xã Nông nghiệp Cầu Đất" in body and "★★★★" in body
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    screenshot(phone_page, "stamp-scan-valid-phone")

    phone_page.select_option("#province", province_a.code)
    phone_page.check("input[name=consent]")
    phone_page.get_by_role("button", name="Gửi").click()

    assert "Cảm ơn bạn đã cho biết vị trí." in phone_page.locator("main").inner_text()
    assert ScanEvent.objects.get().province_code == province_a.code


def test_consumer_sees_a_warning_for_a_forged_code(stamp_batch, phone_page):
    forged = codes.code_format(stamp_batch.key_id, stamp_batch.serial_start, b"\x07" * 8)

    phone_page.goto(f"/s/{forged}")

    assert phone_page.locator("[data-outcome]").get_attribute("data-outcome") == "invalid"
    assert "tem giả" in phone_page.locator("[data-warning]").first.inner_text()
    screenshot(phone_page, "stamp-scan-forged-phone")
