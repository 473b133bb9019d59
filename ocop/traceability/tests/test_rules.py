import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ocop.traceability import rules
from ocop.traceability.selectors import trace_codes_config


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("urn:epc:class:lgtin:8930000.000001.L2025-01", rules.LotRef("L2025-01", gtin="08930000000019")),
        ("https://id.gs1.org/01/08930000000019/10/L2025-01", rules.LotRef("L2025-01", gtin="08930000000019")),
        ("https://example.vn/shop/01/8930000000019/10/L1/21/99", rules.LotRef("L1", gtin="08930000000019")),
        ("urn:ocop:class:lot:OCOP-68-2025-000001.L7", rules.LotRef("L7", ocop_code="OCOP-68-2025-000001")),
        ("urn:epc:id:sgtin:8930000.000001.1234", None),
        ("https://id.gs1.org/01/08930000000018/10/L1", None),  # wrong check digit
        ("urn:epc:class:lgtin:89300.1.L1", None),
    ],
)
def test_lot_ref_from_epc(uri, expected):
    assert rules.lot_ref_from_epc(uri) == expected


def test_ilmd_lot_number_pairs_with_the_sgtin_gtin():
    event = {"epcList": ["urn:epc:id:sgtin:8930000.000001.1234"], "ilmd": {"cbvmda:lotNumber": "L9"}}

    assert rules.event_lot_refs(event) == [rules.LotRef("L9", gtin="08930000000019")]


def test_transformation_event_belongs_to_its_output_lot_first():
    event = {
        "inputQuantityList": [{"epcClass": "urn:ocop:class:lot:OCOP-1.IN"}],
        "outputQuantityList": [{"epcClass": "urn:ocop:class:lot:OCOP-1.OUT"}],
    }

    assert [r.lot_code for r in rules.event_lot_refs(event)] == ["OUT", "IN"]


@given(st.text(alphabet="0123456789", min_size=13, max_size=13))
def test_every_gtin_body_with_its_check_digit_is_a_gtin(body):
    assert rules.gtin14(body + rules.gs1_check_digit(body)) == (body + rules.gs1_check_digit(body)).zfill(14)


@pytest.mark.parametrize(
    ("value", "short"),
    [
        ("urn:epcglobal:cbv:bizstep:packing", "packing"),
        ("https://ref.gs1.org/cbv/BizStep-receiving", "receiving"),
        ("inspecting", "inspecting"),
        ("urn:ocop:bizstep:transforming", "urn:ocop:bizstep:transforming"),
    ],
)
def test_vocab_short(value, short):
    assert rules.vocab_short(value) == short


def test_chain_hash_changes_with_any_field_and_with_the_previous_link():
    event = {"type": "ObjectEvent", "eventTime": "2025-08-02T01:30:00Z", "quantityList": [{"quantity": 1}]}
    first = rules.chain_hash(rules.GENESIS_HASH, event)

    assert first == rules.chain_hash(rules.GENESIS_HASH, dict(reversed(list(event.items()))))  # key order is irrelevant
    assert first != rules.chain_hash(rules.GENESIS_HASH, {**event, "quantityList": [{"quantity": 2}]})
    assert first != rules.chain_hash("1" * 64, event)


def test_event_id_ignores_record_time():
    event = {"type": "ObjectEvent", "eventTime": "2025-08-02T01:30:00Z"}

    assert rules.event_id_for(event) == rules.event_id_for({**event, "recordTime": "2025-09-01T00:00:00Z"})
    assert rules.event_id_for(event).startswith("ni:///sha-256;")


def test_gs1_element_string_puts_the_lot_last():
    text = rules.gs1_element_string(
        gtin="8930000000019", lot_code="L1", produced_on=datetime.date(2025, 3, 1), expires_on=datetime.date(2026, 3, 1)
    )

    assert text == "(01)08930000000019(11)250301(17)260301(10)L1"
    assert rules.gs1_element_string(gtin="", lot_code="L1") == ""


def test_trace_codes_with_gtin_and_without():
    moment = datetime.datetime(2025, 8, 2, 1, 30, tzinfo=datetime.UTC)
    config = trace_codes_config()

    with_gtin = rules.trace_codes(
        config=config,
        gtin="8930000000019",
        ocop_code="OCOP-68-2025-000001",
        lot_code="L1",
        location_code="24823",
        event_time=moment,
    )
    without = rules.trace_codes(
        config=config,
        gtin="",
        ocop_code="OCOP-68-2025-000001",
        lot_code="L1",
        location_code="24823",
        gln="8930000000019",
    )

    assert with_gtin == {
        "product": "08930000000019",
        "location": "VN-24823",
        "lot": "L1",
        "time": "202508020830",  # Vietnam time
        "combined": "08930000000019|VN-24823|L1|202508020830",
    }
    assert without["product"] == "OCOP:OCOP-68-2025-000001"
    assert without["location"] == "8930000000019"


def test_timezone_offset_of_vietnam():
    assert rules.timezone_offset(datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)) == "+07:00"
