"""Back-office traceability pages: lots of a product, lot detail (timeline, identifiers, chain state), the lot
and event forms, and the permission matrix over the personas."""

import datetime
import io

import pytest
from django.urls import reverse
from PIL import Image

from ocop.backoffice.navigation import nav_for_user
from ocop.traceability.epcis_schema import document_errors
from ocop.traceability.models import Lot, TraceEvent
from ocop.traceability.selectors import epcis_document_of
from ocop.traceability.tests.factories import make_lot, make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(province_a, producer):
    return make_product(province_code=province_a.code, producer=producer)


@pytest.fixture
def lot(product):
    return make_lot(product=product)


def _png(name="a.png"):
    buffer = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 128, 0, 128)).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = name
    return buffer


@pytest.mark.parametrize(
    ("persona", "list_status", "detail_status", "form_status"),
    [
        ("producer", 200, 200, 200),
        ("province_officer_a", 200, 200, 200),
        ("central_officer", 200, 200, 200),
        ("province_officer_b", 200, 404, 404),
        ("council_member_a", 403, 404, 404),
    ],
)
def test_permission_matrix(request, lot, client_for, persona, list_status, detail_status, form_status):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(reverse("bo:traceability:lot-list")).status_code == list_status
    assert client.get(reverse("bo:traceability:lot-detail", args=[lot.pk])).status_code == detail_status
    assert client.get(reverse("bo:traceability:event-new", args=[lot.pk])).status_code == form_status
    assert client.get(reverse("bo:traceability:lot-new", args=[lot.product_id])).status_code == form_status


def test_anonymous_is_sent_to_login(lot, anon_client):
    response = anon_client.get(reverse("bo:traceability:lot-detail", args=[lot.pk]))

    assert response.status_code == 302 and "login" in response["Location"]


def test_other_province_officer_sees_none_of_the_lots(lot, province_officer_b, client_for):
    response = client_for(province_officer_b).get(reverse("bo:traceability:lot-list"))

    assert lot.lot_code not in response.content.decode()


def test_lots_of_a_product_by_ocop_code(lot, province_officer_a, client_for):
    response = client_for(province_officer_a).get(
        reverse("bo:traceability:lot-list"), {"ocop_code": lot.product.ocop_code.lower()}
    )

    assert response.status_code == 200
    assert lot.lot_code in response.content.decode()
    assert 'data-testid="lot-new"' in response.content.decode()


def test_commune_officer_reads_but_cannot_create(lot, commune_officer_a, commune_a, client_for):
    subject = lot.product.subject
    type(subject).objects.filter(pk=subject.pk).update(current_commune_code=commune_a.code)
    client = client_for(commune_officer_a)

    assert client.get(reverse("bo:traceability:lot-detail", args=[lot.pk])).status_code == 200
    assert client.get(reverse("bo:traceability:lot-new", args=[lot.product_id])).status_code == 403


def test_producer_creates_a_lot(product, producer, client_for, commune_a):
    response = client_for(producer).post(
        reverse("bo:traceability:lot-new", args=[product.pk]),
        {
            "lot_code": "HT-2025-07",
            "produced_on": "2025-07-15",
            "expires_on": "2026-07-15",
            "quantity": "50",
            "unit": "l",
            "origin_commune_codes": commune_a.code,
        },
    )

    lot = Lot.objects.get(product=product)
    assert response.status_code == 302
    assert response["Location"] == reverse("bo:traceability:lot-detail", args=[lot.pk])
    assert lot.origin_commune_codes == [commune_a.code]


def test_lot_form_shows_service_errors(product, lot, producer, client_for):
    response = client_for(producer).post(
        reverse("bo:traceability:lot-new", args=[product.pk]),
        {"lot_code": lot.lot_code, "produced_on": "2025-07-15", "quantity": "5", "unit": "kg"},
    )

    assert response.status_code == 422
    assert "Mã lô đã tồn tại." in response.content.decode()


def test_event_form_records_a_schema_valid_event_with_photos(
    lot, producer, client_for, commune_a, settings, tmp_path, django_capture_on_commit_callbacks
):
    # given
    settings.MEDIA_ROOT = tmp_path
    client = client_for(producer)
    # when (photos are written once the event has committed)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("bo:traceability:event-new", args=[lot.pk]),
            {
                "event_type": "ObjectEvent",
                "biz_step": "packing",
                "event_time": "2025-08-03T09:15",
                "read_point_commune": commune_a.code,
                "quantity": "20",
                "note": "Đóng chai 500 ml",
                "photos": [_png("a.png"), _png("b.png")],
            },
        )
    # then
    assert response.status_code == 302
    event = TraceEvent.objects.get(lot=lot)
    assert document_errors(epcis_document_of([event])) == {}
    assert event.event_time == datetime.datetime(2025, 8, 3, 2, 15, tzinfo=datetime.UTC)
    assert len(event.evidence) == 2
    assert all((tmp_path / e["name"]).exists() for e in event.evidence)
    page = client.get(reverse("bo:traceability:lot-detail", args=[lot.pk])).content.decode()
    assert "03/08/2025 09:15" in page and "Đóng gói" in page and commune_a.full_name in page
    assert 'data-testid="chain-ok"' in page
    assert "(01)08930000000019" in page


def test_event_form_refuses_a_fake_image(lot, producer, client_for):
    fake = io.BytesIO(b"MZ not an image")
    fake.name = "photo.jpg"

    response = client_for(producer).post(
        reverse("bo:traceability:event-new", args=[lot.pk]),
        {"event_type": "ObjectEvent", "biz_step": "packing", "event_time": "2025-08-03T09:15", "photos": [fake]},
    )

    assert response.status_code == 422
    assert not TraceEvent.objects.exists()


def test_lot_page_shows_a_broken_chain(lot, producer, client_for):
    client = client_for(producer)
    client.post(
        reverse("bo:traceability:event-new", args=[lot.pk]),
        {"event_type": "ObjectEvent", "biz_step": "inspecting", "event_time": "2025-08-03T09:15"},
    )
    TraceEvent.objects.filter(lot=lot).update(biz_step="shipping")

    page = client.get(reverse("bo:traceability:lot-detail", args=[lot.pk])).content.decode()

    assert 'data-testid="chain-broken"' in page


def test_nav_item_for_officers_and_producers(lot, producer, province_officer_a, council_member_a):
    url = reverse("bo:traceability:lot-list")

    assert url in [i["url"] for i in nav_for_user(producer)["bo_nav"]]
    assert url in [i["url"] for i in nav_for_user(province_officer_a)["bo_nav"]]
    assert url not in [i["url"] for i in nav_for_user(council_member_a)["bo_nav"]]


def test_lot_page_in_english(lot, producer, client_for):
    client = client_for(producer)

    response = client.get(reverse("bo:traceability:lot-detail", args=[lot.pk]), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "Location trace code (TCVN 13274)" in response.content.decode()
