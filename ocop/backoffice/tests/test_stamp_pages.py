"""Back-office stamp pages: order → jobs → downloads, void with a reason, alerts; permission matrix."""

import pytest

from ocop.certification.stamps import testing as stamp_testing
from ocop.certification.stamps.models import CounterfeitAlert, StampBatch, StampPolicy
from ocop.certification.stamps.services import scan_record, stamp_batch_void
from ocop.certification.stamps.testing import bind_producer, first_code
from ocop.certification.tests import conftest as cert_fixtures
from ocop.core.jobs import jobrun_execute

pytestmark = pytest.mark.django_db
certified_a = stamp_testing.certified_a
stamp_batch = stamp_testing.stamp_batch
product_a, province_decision, issue = cert_fixtures.product_a, cert_fixtures.province_decision, cert_fixtures.issue
regime, regimes = cert_fixtures.regime, cert_fixtures.regimes

ORDER = {"quantity": 5, "lot_code": "", "label_width_mm": 32, "label_height_mm": 44, "margin_mm": 10, "bleed_mm": 1.5}


def test_officer_orders_a_batch_and_downloads_pdf_and_csv(certified_a, province_officer_a, client_for):
    client = client_for(province_officer_a)

    response = client.post("/bo/stamps/order/", {**ORDER, "product": certified_a.pk})

    batch = StampBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bo/stamps/{batch.pk}/"
    assert batch.ordered_by == province_officer_a and batch.quantity == 5
    for job in (batch.pdf_job, batch.csv_job):
        jobrun_execute(str(job.pk))
    html = client.get(f"/bo/stamps/{batch.pk}/").content.decode()
    assert html.count('data-status="succeeded"') == 2
    pdf = client.get(f"/bo/jobs/{batch.pdf_job.pk}/download/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    csv = client.get(f"/bo/jobs/{batch.csv_job.pk}/download/")
    assert b"serial,code,printed_code,url" in b"".join(csv.streaming_content)


@pytest.mark.parametrize("quantity", [0, 100_000_000])
def test_order_form_shows_clear_error_for_bad_quantity(certified_a, province_officer_a, client_for, quantity):
    response = client_for(province_officer_a).post(
        "/bo/stamps/order/", {**ORDER, "product": certified_a.pk, "quantity": quantity}
    )

    assert response.status_code == 200 and "Số lượng tem phải từ 1 đến 100.000" in response.content.decode()
    assert not StampBatch.objects.exists()


def test_order_form_refuses_product_without_valid_certificate(
    product_a, province_decision, issue, province_officer_a, client_for
):
    from ocop.certification.models import Certificate

    issue(province_decision, product_a, 4)
    Certificate.objects.update(status="revoked")  # listed (it has a certificate) but none valid
    response = client_for(province_officer_a).post("/bo/stamps/order/", {**ORDER, "product": product_a.pk})

    assert response.status_code == 200 and "còn hiệu lực" in response.content.decode()
    assert not StampBatch.objects.exists()


def test_void_needs_a_reason_and_flips_the_scan(stamp_batch, province_officer_a, client_for):
    client = client_for(province_officer_a)

    empty = client.post(f"/bo/stamps/{stamp_batch.pk}/void/", {"reason": ""})
    done = client.post(f"/bo/stamps/{stamp_batch.pk}/void/", {"reason": "Lô tem bị mất"})

    assert empty.status_code == 422 and "Nhập lý do hủy lô tem." in empty.content.decode()
    assert done.status_code == 302
    stamp_batch.refresh_from_db()
    assert stamp_batch.void_reason == "Lô tem bị mất"
    assert 'data-outcome="voided"' in client.get(f"/s/{first_code(stamp_batch)}").content.decode()


def test_alerts_page_lists_alerts_per_product_and_province(
    stamp_batch, province_officer_a, province_officer_b, client_for
):
    stamp_batch_void(actor=None, batch=stamp_batch, reason="Mất")
    scan_record(code=first_code(stamp_batch))
    assert CounterfeitAlert.objects.count() == 1

    html_a = client_for(province_officer_a).get(f"/bo/stamps/alerts/?product={stamp_batch.product_id}").content.decode()
    html_b = client_for(province_officer_b).get("/bo/stamps/alerts/").content.decode()

    assert 'data-kind="voided_batch"' in html_a and stamp_batch.product.name in html_a
    assert 'data-kind="voided_batch"' not in html_b


@pytest.mark.parametrize(
    ("persona", "list_", "order", "detail", "void", "alerts"),
    [
        ("central_officer", 200, 200, 200, 302, 200),
        ("province_officer_a", 200, 200, 200, 302, 200),
        ("province_officer_b", 200, 200, 404, 404, 200),
        ("commune_officer_a", 403, 403, 403, 403, 403),
        ("council_member_a", 403, 403, 403, 403, 403),
        ("producer", 200, 200, 200, 403, 403),
        ("superuser", 200, 200, 200, 403, 200),  # repairs data in the admin, not here,
    ],
)
def test_permission_matrix(request, stamp_batch, client_for, persona, list_, order, detail, void, alerts):
    user = request.getfixturevalue(persona)
    if persona == "producer":
        bind_producer(user, stamp_batch.product.subject)
    client = client_for(user)

    assert client.get("/bo/stamps/").status_code == list_
    assert client.get("/bo/stamps/order/").status_code == order
    assert client.get(f"/bo/stamps/{stamp_batch.pk}/").status_code == detail
    assert client.post(f"/bo/stamps/{stamp_batch.pk}/void/", {"reason": "x"}).status_code == void
    assert client.get("/bo/stamps/alerts/").status_code == alerts


def test_anonymous_is_sent_to_login(stamp_batch, anon_client):
    for path in ("/bo/stamps/", "/bo/stamps/order/", f"/bo/stamps/{stamp_batch.pk}/", "/bo/stamps/alerts/"):
        assert anon_client.get(path).status_code == 302


def test_producer_orders_only_where_the_province_allows(certified_a, producer, client_for):
    bind_producer(producer, certified_a.subject)
    client = client_for(producer)
    assert client.post("/bo/stamps/order/", {**ORDER, "product": certified_a.pk}).status_code == 200  # not offered
    assert not StampBatch.objects.exists()

    StampPolicy.objects.create(province_code=certified_a.subject.province_code, producers_may_order=True)
    response = client.post("/bo/stamps/order/", {**ORDER, "product": certified_a.pk})

    assert response.status_code == 302 and StampBatch.objects.get().ordered_by == producer


def test_nav_shows_stamp_entries_to_officers_only(province_officer_a, commune_officer_a, client_for):
    assert "/bo/stamps/alerts/" in client_for(province_officer_a).get("/bo/").content.decode()
    assert "/bo/stamps/" not in client_for(commune_officer_a).get("/bo/").content.decode()
