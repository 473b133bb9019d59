"""The public scan page: live status, plain-word warnings, every scan logged, never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocop.certification.stamps import codes
from ocop.certification.stamps import testing as stamp_testing
from ocop.certification.stamps.models import CounterfeitAlert, ScanEvent
from ocop.certification.stamps.services import stamp_batch_void
from ocop.certification.stamps.testing import first_code

pytestmark = pytest.mark.django_db
certified_a = stamp_testing.certified_a
stamp_batch = stamp_testing.stamp_batch
PRIVATE = ("0912345678", "htx@example.vn", "Nguyễn Thị Bí Mật", "5800123456")
PHONE_UA = "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"


def test_scan_page_shows_product_star_and_status(stamp_batch, client):
    code = first_code(stamp_batch)

    response = client.get(f"/s/{code}", HTTP_USER_AGENT=PHONE_UA, REMOTE_ADDR="203.0.113.77")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-outcome="valid"' in html and "Tem OCOP hợp lệ" in html
    assert "Cà phê Arabica Cầu Đất" in html and "Hợp tác xã Nông nghiệp Cầu Đất" in html and "★★★★" in html
    assert "Nơi mua" in html and "L2026-01" in html
    assert "<script" not in html.split("</main>")[0]
    assert len(response.content) < 30 * 1024
    for private in PRIVATE:
        assert private not in html
    scan = ScanEvent.objects.get()
    assert (scan.outcome, scan.serial, scan.batch_id, scan.channel) == (
        "valid",
        stamp_batch.serial_start,
        stamp_batch.pk,
        "page",
    )
    assert (scan.device, scan.browser, scan.origin, scan.province_code) == ("mobile", "chrome", "203.0.113.0/24", "")


def test_scan_page_in_english(stamp_batch, client):
    html = client.get(f"/s/{first_code(stamp_batch)}", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<html lang="en">' in html and "Valid OCOP stamp" in html and "Where to buy" in html


def test_digital_link_path_scans(stamp_batch, client):
    stamp_batch.product.gtin = "8935049500018"
    stamp_batch.product.save(update_fields=["gtin"])
    code = first_code(stamp_batch)

    ok = client.get(f"/01/08935049500018/10/L2026-01/21/{code}")
    wrong_lot = client.get(f"/01/08935049500018/10/OTHER/21/{code}")

    assert ok.status_code == 200 and 'data-outcome="valid"' in ok.content.decode()
    assert wrong_lot.status_code == 404 and 'data-outcome="invalid"' in wrong_lot.content.decode()
    assert ScanEvent.objects.filter(channel="link").count() == 2


def test_voiding_flips_the_page(stamp_batch, client):
    code = first_code(stamp_batch)
    assert 'data-outcome="valid"' in client.get(f"/s/{code}").content.decode()

    stamp_batch_void(actor=None, batch=stamp_batch, reason="Lô in lỗi")

    html = client.get(f"/s/{code}").content.decode()
    assert 'data-outcome="voided"' in html and "data-warning" in html
    assert CounterfeitAlert.objects.filter(kind="voided_batch", product=stamp_batch.product).exists()


def test_forged_code_warns_in_plain_words(stamp_batch, client):
    forged = codes.code_format(stamp_batch.key_id, stamp_batch.serial_start + 1, b"\1" * 8)

    response = client.get(f"/s/{forged}")

    assert response.status_code == 404
    assert "Đây không phải tem OCOP hợp lệ" in response.content.decode() and "tem giả" in response.content.decode()
    alert = CounterfeitAlert.objects.get(kind="bad_code")
    assert alert.product == stamp_batch.product  # the imitated product, from the serial's range


@pytest.mark.parametrize(
    "path",
    [
        "/s/x",
        "/s/" + "A" * 5000,
        "/s/%00%ff",
        "/s/ZZZZZZZZZZZZZZZZZZZZ",
        "/01/123/21/abc",
        "/01/08935049500018/21/%25%25",
    ],
)
def test_garbage_never_errors(path, client):
    response = client.get(path)

    assert response.status_code in (200, 404)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="/?#"), min_size=1, max_size=300)
)
def test_any_text_gets_a_page(client, text):
    from urllib.parse import quote

    assert client.get("/s/" + quote(text, safe="")).status_code in (200, 404)


def test_consented_location_records_province_and_flags_distant_scans(stamp_batch, client, province_a, province_b):
    code = first_code(stamp_batch)

    def scan_and_locate(province):
        html = client.get(f"/s/{code}").content.decode()
        token = html.split('name="scan" value="')[1].split('"')[0]
        return client.post(f"/s/{code}/location", {"scan": token, "province": province.code, "consent": "on"})

    scan_and_locate(province_a)
    response = scan_and_locate(province_b)

    assert response.status_code == 200 and "data-warning" in response.content.decode()
    assert set(ScanEvent.objects.values_list("province_code", flat=True)) == {province_a.code, province_b.code}
    assert CounterfeitAlert.objects.filter(kind="distant_scans", serial=stamp_batch.serial_start).exists()


def test_location_without_consent_is_not_stored(stamp_batch, client, province_a):
    code = first_code(stamp_batch)
    html = client.get(f"/s/{code}").content.decode()
    token = html.split('name="scan" value="')[1].split('"')[0]

    response = client.post(f"/s/{code}/location", {"scan": token, "province": province_a.code})

    assert response.status_code == 200
    assert ScanEvent.objects.get().province_code == ""


def test_verify_form_opens_a_typed_stamp_code(stamp_batch, client):
    code = first_code(stamp_batch)

    response = client.get("/verify/", {"q": codes.code_grouped(code).lower()})

    assert response.status_code == 302 and response["Location"] == f"/s/{code}"


def test_scan_page_shows_the_lots_trace_timeline(stamp_batch, client, central_officer):
    import datetime

    from django.utils import timezone

    from ocop.traceability.services import lot_create, trace_event_record

    # given the stamp's lot is recorded with two events
    lot = lot_create(
        actor=central_officer,
        product=stamp_batch.product,
        values={"lot_code": stamp_batch.lot_code, "produced_on": datetime.date(2026, 10, 1), "quantity": 100},
    )
    now = timezone.now()
    trace_event_record(
        actor=central_officer,
        lot=lot,
        event_type="ObjectEvent",
        biz_step="commissioning",
        event_time=now - datetime.timedelta(days=2),
        note="Rang xay tại xưởng",
    )
    trace_event_record(
        actor=central_officer,
        lot=lot,
        event_type="ObjectEvent",
        biz_step="shipping",
        event_time=now - datetime.timedelta(days=1),
    )
    # when a consumer scans the stamp
    html = client.get(f"/s/{first_code(stamp_batch)}").content.decode()
    # then the page shows the lot's journey, oldest first
    timeline = html.split('data-testid="trace-timeline"')[1].split("</ol>")[0]
    assert timeline.count("<li>") == 2
    assert timeline.index("Rang xay tại xưởng") < timeline.rindex("<li>")


def test_scan_page_without_a_recorded_lot_has_no_timeline(stamp_batch, client):
    assert "trace-timeline" not in client.get(f"/s/{first_code(stamp_batch)}").content.decode()
