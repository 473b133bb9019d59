import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image

from ocop.core.errors import Conflict, PermissionDenied, ValidationError
from ocop.traceability.epcis_schema import document_errors
from ocop.traceability.models import TraceEvent
from ocop.traceability.selectors import epcis_document_of, lot_identifiers, lot_timeline
from ocop.traceability.services import (
    DocumentTooLarge,
    epcis_capture,
    lot_class_uri,
    trace_chain_verify,
    trace_event_record,
)
from ocop.traceability.tests.factories import epcis_doc, make_lot, make_product, object_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(province_a, producer):
    return make_product(province_code=province_a.code, producer=producer)


@pytest.fixture
def lot(product, commune_a):
    return make_lot(product=product, origin=[commune_a.code])


def _jpeg() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(buffer, format="JPEG")
    buffer.seek(0)
    buffer.name = "evidence.jpg"
    return buffer


def test_lot_create_refuses_a_second_lot_with_the_same_code(lot, product, producer):
    with pytest.raises(ValidationError) as exc:
        make_lot(product=product, actor=producer, lot_code=lot.lot_code)

    assert exc.value.code == "lot_code_taken"


def test_lot_create_checks_origin_communes_on_the_production_date(product, producer):
    with pytest.raises(ValidationError) as exc:
        make_lot(product=product, actor=producer, lot_code="X1", origin=["99999"])

    assert "origin_commune_codes" in exc.value.fields


def test_lot_create_is_refused_to_another_provinces_officer(product, province_officer_b):
    with pytest.raises(PermissionDenied):
        make_lot(product=product, actor=province_officer_b)


def test_capture_stores_events_on_the_lot_chain(lot, producer):
    rows = epcis_capture(actor=producer, document=epcis_doc([object_event(lot), object_event(lot, action="ADD")]))

    assert [r.seq for r in rows] == [1, 2]
    assert rows[1].prev_hash == rows[0].hash
    assert rows[0].biz_step == "shipping"
    assert trace_chain_verify(lot=lot).ok


def test_chain_verify_reports_an_event_edited_in_the_database(lot, producer):
    # given
    epcis_capture(actor=producer, document=epcis_doc([object_event(lot), object_event(lot), object_event(lot)]))
    second = TraceEvent.objects.get(lot=lot, seq=2)
    document = {**second.document, "disposition": "recalled"}
    # when: someone edits a stored event behind the services' back
    TraceEvent.objects.filter(pk=second.pk).update(document=document)
    # then
    report = trace_chain_verify(lot=lot)
    assert not report.ok
    assert report.broken_seq == 2
    assert report.broken_event_id == second.event_id
    assert report.reason == "hash_mismatch"


def test_chain_verify_reports_an_edited_column(lot, producer):
    epcis_capture(actor=producer, document=epcis_doc([object_event(lot)]))
    TraceEvent.objects.filter(lot=lot).update(event_time=timezone.now())

    report = trace_chain_verify(lot=lot)

    assert (report.ok, report.broken_seq, report.reason) == (False, 1, "column_mismatch:event_time")


def test_chain_verify_reports_a_deleted_event(lot, producer):
    epcis_capture(actor=producer, document=epcis_doc([object_event(lot), object_event(lot)]))
    TraceEvent.objects.filter(lot=lot, seq=1).delete()

    assert trace_chain_verify(lot=lot).reason == "missing_event"


def test_invalid_document_stores_nothing(lot, producer):
    bad = object_event(lot, eventTime="not a time")

    with pytest.raises(ValidationError) as exc:
        epcis_capture(actor=producer, document=epcis_doc([object_event(lot), bad]))

    assert exc.value.code == "epcis_invalid"
    assert "$.epcisBody.eventList[1].eventTime" in exc.value.fields
    assert not TraceEvent.objects.exists()


def test_unknown_lot_stores_nothing_and_names_the_event(lot, producer):
    unknown = object_event(lot, quantityList=[{"epcClass": "https://id.gs1.org/01/08930000000019/10/NOPE"}])

    with pytest.raises(ValidationError) as exc:
        epcis_capture(actor=producer, document=epcis_doc([object_event(lot), unknown]))

    assert exc.value.code == "epcis_unknown_lot"
    assert list(exc.value.fields) == ["$.epcisBody.eventList[1]"]
    assert not TraceEvent.objects.exists()


def test_lgtin_and_ilmd_resolve_the_lot(lot, producer):
    by_lgtin = object_event(lot, quantityList=[{"epcClass": f"urn:epc:class:lgtin:8930000.000001.{lot.lot_code}"}])
    by_ilmd = object_event(
        lot,
        action="ADD",
        quantityList=[],
        epcList=["urn:epc:id:sgtin:8930000.000001.77"],
        ilmd={"cbvmda:lotNumber": lot.lot_code},
    )
    by_ilmd.pop("quantityList")

    rows = epcis_capture(actor=producer, document=epcis_doc([by_lgtin, by_ilmd]))

    assert {r.lot_id for r in rows} == {lot.pk}


def test_too_many_events_is_refused_before_validation(lot, producer):
    with pytest.raises(DocumentTooLarge):
        epcis_capture(actor=producer, document=epcis_doc([{}] * 10_001))


def test_duplicate_event_id_is_a_conflict_and_stores_nothing(lot, producer):
    event = object_event(lot, eventID="urn:uuid:6f2f0c3e-7d4b-4b7a-9a55-0a8c3f0f0f01")
    epcis_capture(actor=producer, document=epcis_doc([event]))

    with pytest.raises(Conflict):
        epcis_capture(actor=producer, document=epcis_doc([object_event(lot), event]))

    assert TraceEvent.objects.count() == 1


def test_error_declaration_repeats_the_event_id_and_is_kept(lot, producer):
    event = object_event(lot, eventID="urn:uuid:6f2f0c3e-7d4b-4b7a-9a55-0a8c3f0f0f02")
    epcis_capture(actor=producer, document=epcis_doc([event]))
    correction = {**event, "errorDeclaration": {"declarationTime": "2025-08-03T00:00:00Z", "reason": "incorrect_data"}}

    (row,) = epcis_capture(actor=producer, document=epcis_doc([correction]))

    assert row.is_error_declaration and row.event_id == event["eventID"]
    assert lot_timeline(lot=lot)[-1].is_correction


def test_capture_for_a_product_without_gtin_uses_the_ocop_urn(province_a, producer):
    product = make_product(province_code=province_a.code, gtin="", producer=producer)
    lot = make_lot(product=product)

    (row,) = epcis_capture(actor=producer, document=epcis_doc([object_event(lot)]))

    assert lot_class_uri(lot).startswith("urn:ocop:class:lot:OCOP-")
    assert row.lot_id == lot.pk


def test_form_event_is_schema_valid_and_carries_photos(lot, producer, commune_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    moment = timezone.now() - datetime.timedelta(hours=1)

    with pytest.raises(ValidationError):
        trace_event_record(
            actor=producer,
            lot=lot,
            event_type="ObjectEvent",
            biz_step="packing",
            event_time=moment,
            read_point_commune="00000",
        )
    row = trace_event_record(
        actor=producer,
        lot=lot,
        event_type="ObjectEvent",
        biz_step="commissioning",
        event_time=moment,
        read_point_commune=commune_a.code,
        quantity=120,
        note="Thu hoạch  ",
        photos=[_jpeg()],
    )

    assert document_errors(epcis_document_of([row])) == {}
    assert row.action == "ADD" and row.document["ilmd"]["cbvmda:lotNumber"] == lot.lot_code
    assert row.document["ocop:note"] == "Thu hoạch"
    assert row.evidence[0]["contentType"] == "image/jpeg"
    assert trace_chain_verify(lot=lot).ok


@pytest.mark.parametrize(
    ("event_type", "biz_step"), [("TransformationEvent", "transforming"), ("AggregationEvent", "packing")]
)
def test_form_builds_valid_transformation_and_aggregation_events(lot, producer, event_type, biz_step):
    row = trace_event_record(
        actor=producer,
        lot=lot,
        event_type=event_type,
        biz_step=biz_step,
        event_time=timezone.now() - datetime.timedelta(minutes=1),
        quantity=5,
    )

    assert document_errors(epcis_document_of([row])) == {}


def test_form_refuses_a_non_image_photo(lot, producer):
    fake = io.BytesIO(b"%PDF-1.4 not an image")
    fake.name = "x.jpg"

    with pytest.raises(ValidationError):
        trace_event_record(
            actor=producer,
            lot=lot,
            event_type="ObjectEvent",
            biz_step="packing",
            event_time=timezone.now(),
            photos=[fake],
        )
    assert not TraceEvent.objects.exists()


def test_timeline_is_display_ready_in_vietnam_time(lot, producer, commune_a):
    trace_event_record(
        actor=producer,
        lot=lot,
        event_type="ObjectEvent",
        biz_step="packing",
        event_time=datetime.datetime(2025, 8, 2, 1, 30, tzinfo=datetime.UTC),
        read_point_commune=commune_a.code,
        quantity=10,
    )

    (entry,) = lot_timeline(lot=lot)

    assert entry.time == "02/08/2025 08:30"
    assert entry.step == "Đóng gói"
    assert entry.place.startswith(commune_a.full_name)
    assert entry.quantity == "10 KGM"


def test_lot_identifiers_give_gs1_and_tcvn_codes(lot, commune_a):
    ids = lot_identifiers(lot=lot)

    assert ids["class_uri"] == f"https://id.gs1.org/01/08930000000019/10/{lot.lot_code}"
    assert ids["element_string"] == f"(01)08930000000019(11)250801(17)260801(10){lot.lot_code}"
    assert ids["tcvn"]["location"] == f"VN-{commune_a.code}"
    assert ids["tcvn"]["time"] == "20250801"


def test_cbv_urn_vocabulary_is_refused_in_json_as_the_official_schema_says(lot, producer):
    # EPCIS 2.0 JSON/JSON-LD uses the short names ("shipping"); the urn:epcglobal:cbv form belongs to XML.
    event = object_event(lot, bizStep="urn:epcglobal:cbv:bizstep:shipping")

    with pytest.raises(ValidationError) as exc:
        epcis_capture(actor=producer, document=epcis_doc([event]))

    assert "$.epcisBody.eventList[0].bizStep" in exc.value.fields
