"""Traceability fixtures: a subject and products in province A (one with a GTIN, one without), their
producer, lots, and EPCIS documents naming those lots."""

import datetime
import itertools

from ocop.registry.services import product_create, subject_bind_producer, subject_create
from ocop.traceability.services import EPCIS_CONTEXT, lot_class_uri, lot_create

GTIN = "08930000000019"  # a valid GTIN-14 (Vietnam 893 prefix)
_seq = itertools.count(1)


def make_product(*, province_code: str, gtin: str = GTIN, producer=None, name: str = "Mắm cáy"):
    subject = subject_create(
        actor=None,
        values={"name": f"HTX {name} {next(_seq)}", "province_code": province_code},
        verified=True,
        check_access=False,
    )
    if producer is not None:
        subject_bind_producer(subject=subject, user=producer)
    return product_create(
        actor=None, subject=subject, values={"name": name, "gtin": gtin}, year=2025, check_access=False
    )


def make_lot(*, product, actor=None, lot_code: str = "L2025-01", origin=()):
    from ocop.accounts.tests.factories import UserFactory

    actor = actor or UserFactory(is_superuser=True, username=f"root-{next(_seq)}")
    return lot_create(
        actor=actor,
        product=product,
        values={
            "lot_code": lot_code,
            "produced_on": datetime.date(2025, 8, 1),
            "expires_on": datetime.date(2026, 8, 1),
            "quantity": "120.5",
            "unit": "kg",
            "origin_commune_codes": list(origin),
        },
    )


def object_event(lot, **extra) -> dict:
    event = {
        "type": "ObjectEvent",
        # Distinct times: two identical events are one event (same computed eventID).
        "eventTime": f"2025-08-02T08:{next(_seq) % 60:02d}:00.000+07:00",
        "eventTimeZoneOffset": "+07:00",
        "action": "OBSERVE",
        "bizStep": "shipping",
        "disposition": "in_transit",
        "readPoint": {"id": "urn:epc:id:sgln:8930000.00001.0"},
        "quantityList": [{"epcClass": lot_class_uri(lot), "quantity": 10, "uom": "KGM"}],
    }
    event.update(extra)
    return event


def epcis_doc(events: list[dict]) -> dict:
    return {
        "@context": [EPCIS_CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2025-08-02T09:00:00Z",
        "epcisBody": {"eventList": events},
    }
