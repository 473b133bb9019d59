"""The loaded reference data: counts per generation, successions the press reported, idempotent loading."""

import datetime

import pytest

from ocop.geo.loading import load_admin_units
from ocop.geo.models import AdminUnit, AdminUnitSuccession
from ocop.geo.selectors import province_list, unit_current_successors, unit_get, unit_list, unit_predecessors

LEGACY_DAY = datetime.date(2024, 1, 1)
CURRENT_DAY = datetime.date(2025, 7, 1)
pytestmark = pytest.mark.django_db


def test_current_map_has_34_provinces_and_3321_communes():
    assert province_list(at=CURRENT_DAY).count() == 34
    assert unit_list(level="commune", at=CURRENT_DAY).count() == 3321
    assert unit_list(level="district", at=CURRENT_DAY).count() == 0


def test_legacy_map_has_63_provinces_and_its_districts_and_communes():
    assert province_list(at=LEGACY_DAY).count() == 63
    assert unit_list(level="district", at=LEGACY_DAY).count() == 696
    assert unit_list(level="commune", at=LEGACY_DAY).count() == 10035


def test_the_switch_happens_between_30_june_and_1_july_2025():
    assert province_list(at=datetime.date(2025, 6, 30)).count() == 63
    assert province_list(at=datetime.date(2025, 7, 1)).count() == 34


def test_codes_are_reused_across_generations_as_separate_records():
    legacy, current = unit_get(code="01", at=LEGACY_DAY), unit_get(code="01", at=CURRENT_DAY)
    assert legacy.pk != current.pk
    assert (legacy.name, current.name) == ("Hà Nội", "Hà Nội")
    assert legacy.valid_until == datetime.date(2025, 6, 30) and current.valid_from == CURRENT_DAY


def test_units_are_nfc_with_string_codes_and_centroids():
    commune = unit_get(code="00004", at=CURRENT_DAY)
    assert commune.full_name == "Phường Ba Đình" and commune.kind == "Phường"
    assert commune.parent.code == "01" and commune.province_code == "01"
    assert commune.latitude and commune.longitude
    legacy = unit_get(code="00004", at=LEGACY_DAY)
    assert legacy.full_name == "Phường Trúc Bạch" and legacy.parent.level == "district"
    assert legacy.province_code == "01"


@pytest.mark.parametrize(
    ("legacy", "current"),
    [
        ("Thái Bình", "Hưng Yên"),
        ("Bắc Kạn", "Thái Nguyên"),
        ("Tiền Giang", "Đồng Tháp"),
        ("Thanh Hóa", "Thanh Hóa"),
        ("Bình Định", "Gia Lai"),
        ("Trà Vinh", "Vĩnh Long"),
        ("Đắk Nông", "Lâm Đồng"),
        ("Bình Thuận", "Lâm Đồng"),
    ],
)
def test_legacy_province_succeeds_to_the_province_the_press_reported(legacy, current):
    province = province_list(at=LEGACY_DAY).get(name=legacy)
    successors = unit_current_successors(province)
    assert successors[0].name == current
    assert successors[0].valid_until is None


def test_every_legacy_unit_has_exactly_one_default_successor():
    legacy = AdminUnit.objects.filter(generation="legacy")
    with_default = AdminUnitSuccession.objects.filter(is_default=True).values("predecessor").distinct().count()
    assert with_default == legacy.count()
    assert AdminUnitSuccession.objects.filter(is_default=True).count() == legacy.count()


def test_districts_succeed_to_current_provinces():
    district = unit_get(code="540", at=LEGACY_DAY)  # Thành phố Quy Nhơn
    assert [u.full_name for u in unit_current_successors(district)] == ["Tỉnh Gia Lai"]


def test_split_commune_lists_all_successors_with_the_default_first():
    row = AdminUnitSuccession.objects.filter(is_default=False, predecessor__level="commune").first()
    successors = unit_current_successors(row.predecessor)
    assert len(successors) >= 2
    default = AdminUnitSuccession.objects.get(predecessor=row.predecessor, is_default=True).successor
    assert successors[0] == default


def test_a_current_unit_is_its_own_successor_and_knows_its_predecessors():
    hung_yen = unit_get(code="33", at=CURRENT_DAY)
    assert unit_current_successors(hung_yen) == [hung_yen]
    predecessors = unit_predecessors(hung_yen)
    assert {u.name for u in predecessors if u.level == "province"} == {"Hưng Yên", "Thái Bình"}
    assert {u.level for u in predecessors} == {"province", "district"}


def test_loading_again_changes_nothing(django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        result = load_admin_units()
    assert result["already_loaded"] is True
    assert AdminUnit.objects.count() == 3355 + 63 + 696 + 10035


def test_seed_reports_units_already_loaded():
    from ocop.geo.seed import seed

    assert "already" in seed()
