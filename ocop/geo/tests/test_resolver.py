"""Resolver on messy names: diacritics, tone placement, prefixes, abbreviations, numbers, parents."""

import datetime

import pytest

from ocop.core.errors import ValidationError
from ocop.geo.resolver import resolve
from ocop.geo.selectors import unit_get

LEGACY_DAY = datetime.date(2024, 1, 1)
CURRENT_DAY = datetime.date(2026, 1, 1)
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "level", "at", "expected_code"),
    [
        # provinces, with and without prefixes and diacritics
        ("Thái Bình", "province", LEGACY_DAY, "34"),
        ("tinh thai binh", None, LEGACY_DAY, "34"),
        ("THÁI BÌNH", "province", LEGACY_DAY, "34"),
        ("TP. Hồ Chí Minh", None, CURRENT_DAY, "79"),
        ("Tp HCM", None, CURRENT_DAY, "79"),
        ("T.P Hà Nội", None, CURRENT_DAY, "01"),
        ("thành phố Huế", None, CURRENT_DAY, "46"),
        ("Thừa Thiên Huế", "province", LEGACY_DAY, "46"),
        ("Khánh Hoà", "province", CURRENT_DAY, "56"),
        ("Khanh Hoa", "province", CURRENT_DAY, "56"),
        ("Bà Rịa - Vũng Tàu", "province", LEGACY_DAY, "77"),
        ("ba ria vung tau", "province", LEGACY_DAY, "77"),
        ("Dak Nong", "province", LEGACY_DAY, "67"),
        # districts, with kind prefixes and abbreviations
        ("TP. Quy Nhơn", "district", LEGACY_DAY, "540"),
        ("Tp Quy Nhon", "district", LEGACY_DAY, "540"),
        ("thị xã An Nhơn", "district", LEGACY_DAY, "549"),
        ("TX. An Nhơn", "district", LEGACY_DAY, "549"),
        ("TX An Nhon", None, LEGACY_DAY, "549"),
        ("H. Tây Sơn", "district", LEGACY_DAY, "547"),
        ("huyện Cầu Kè", "district", LEGACY_DAY, "845"),
        ("Quận 1", "district", LEGACY_DAY, "760"),
        ("Q.1", "district", LEGACY_DAY, "760"),
        ("Q1", "district", LEGACY_DAY, "760"),
        # old tone placement and typos in the vowel cluster
        ("Xã Mỹ Thuỷ", "commune", CURRENT_DAY, None),
    ],
)
def test_resolve_finds_the_unit_valid_at_the_date(name, level, at, expected_code):
    matches = resolve(name, level=level, at=at)
    assert matches, name
    if expected_code:
        assert matches[0].unit.code == expected_code, [(m.unit.full_name, m.score) for m in matches]
        assert matches[0].score == 1.0


@pytest.mark.parametrize(
    ("name", "parent_code", "expected"),
    [
        ("Phường 1", "774", "Phường 1"),  # Quận 5, Hồ Chí Minh
        ("P.01", "774", "Phường 1"),
        ("P1", "774", "Phường 1"),
        ("p. 1", "774", "Phường 1"),
        ("X. An Hoà", "542", "Xã An Hòa"),  # huyện An Lão, Bình Định
        ("xa an hoa", "542", "Xã An Hòa"),
        ("TT. An Lão", "542", "Thị trấn An Lão"),
        ("thi tran an lao", "542", "Thị trấn An Lão"),
        ("TT Phú Phong", "547", "Thị trấn Phú Phong"),
    ],
)
def test_resolve_inside_a_parent_district(name, parent_code, expected):
    parent = unit_get(code=parent_code, at=LEGACY_DAY)
    matches = resolve(name, level="commune", at=LEGACY_DAY, parent=parent)
    assert matches[0].unit.full_name == expected
    assert all(m.unit.parent_id == parent.pk for m in matches)


def test_parent_given_as_a_code_or_a_name_narrows_shared_commune_names():
    everywhere = resolve("Xã An Hòa", level="commune", at=LEGACY_DAY, limit=50)
    assert len(everywhere) > 5
    by_code = resolve("Xã An Hòa", level="commune", at=LEGACY_DAY, parent="542")
    by_name = resolve("Xã An Hòa", level="commune", at=LEGACY_DAY, parent="tỉnh Bình Định")
    assert len(by_code) == 1
    assert by_code[0].unit.code in [m.unit.code for m in by_name]
    assert all(m.unit.province_code == "52" for m in by_name)


def test_province_parent_reaches_legacy_communes_through_their_district():
    province = unit_get(code="52", at=LEGACY_DAY)  # Bình Định
    matches = resolve("xã Nhơn Lý", level="commune", at=LEGACY_DAY, parent=province)
    assert matches[0].unit.parent.full_name == "Thành phố Quy Nhơn"


def test_exact_kind_ranks_above_kind_mismatch():
    # "Thị trấn Yên Viên" and "Xã Yên Viên" both exist in Gia Lâm (Hà Nội) before 2025-07-01.
    township = resolve("Thị trấn Yên Viên", level="commune", at=LEGACY_DAY)
    commune = resolve("xã Yên Viên", level="commune", at=LEGACY_DAY)
    assert township[0].unit.kind == "Thị trấn" and township[0].score > township[1].score
    assert commune[0].unit.kind == "Xã"


def test_kind_mismatch_still_finds_a_unit_renamed_to_another_kind():
    # Hoài Nhơn became a thị xã in 2020; lists still say "huyện".
    matches = resolve("huyện Hoài Nhơn", level="district", at=LEGACY_DAY)
    assert matches[0].unit.full_name == "Thị xã Hoài Nhơn"
    assert 0 < matches[0].score < 1


def test_match_carries_the_current_successor():
    match = resolve("Thái Bình", level="province", at=datetime.date(2023, 11, 1))[0]
    assert match.unit.name == "Thái Bình" and match.unit.valid_until is not None
    assert match.successor.name == "Hưng Yên" and match.successors == [match.successor]


def test_current_unit_is_its_own_successor():
    match = resolve("Hưng Yên", level="province", at=CURRENT_DAY)[0]
    assert match.successor == match.unit and match.successors == [match.unit]


def test_misspelt_name_falls_back_to_a_fuzzy_match_below_one():
    match = resolve("Thai Bihn", level="province", at=LEGACY_DAY)[0]
    assert match.unit.name == "Thái Bình" and 0.5 < match.score < 1


def test_unknown_name_gives_no_match():
    assert resolve("Zzyzx Qwerty", level="province", at=LEGACY_DAY) == []


@pytest.mark.parametrize("name", ["", "   ", "...", "-/-", "x" * 201, None])
def test_empty_or_absurd_names_are_refused(name):
    with pytest.raises(ValidationError) as error:
        resolve(name, at=LEGACY_DAY)
    assert error.value.code == "invalid_name"


def test_limit_caps_the_matches():
    assert len(resolve("Phường 1", level="commune", at=LEGACY_DAY, limit=3)) == 3
