import pytest

from ocop.registry.classification import load_classifications
from ocop.registry.models import CriteriaVersion, ProductCategory

pytestmark = pytest.mark.django_db


def test_load_classifications_creates_three_versions_with_26_product_sets_each():
    load_classifications()

    assert set(CriteriaVersion.objects.values_list("code", flat=True)) == {"26_2026", "148_2023", "1048_2019"}
    assert CriteriaVersion.objects.get(is_current=True).code == "26_2026"
    for code in ("26_2026", "148_2023", "1048_2019"):
        sets = ProductCategory.objects.filter(version__code=code, level="product_set")
        assert sets.count() == 26
        assert all(s.sheet_file for s in sets)


def test_load_classifications_keeps_hierarchy_and_codes():
    load_classifications()

    fresh = ProductCategory.objects.get(version__code="26_2026", level="subgroup", code="I.1.a")
    assert fresh.parent.code == "I.1" and fresh.parent.parent.code == "I"
    rau = ProductCategory.objects.get(version__code="26_2026", level="product_set", code="1")
    assert rau.parent == fresh and rau.classification_code == "I.1.a"
    assert rau.sheet_file == "26_2026/sheets/01-rau-cu-qua-hat-tuoi.json"
    assert ProductCategory.objects.filter(version__code="26_2026", level="industry").count() == 6


def test_148_classification_is_flagged_as_proxy():
    load_classifications()

    version = CriteriaVersion.objects.get(code="148_2023")
    assert not version.classification_is_official
    assert not ProductCategory.objects.filter(version=version, is_proxy=False).exists()


def test_load_classifications_is_idempotent():
    first = load_classifications()
    count = ProductCategory.objects.count()

    second = load_classifications()

    assert first == second
    assert ProductCategory.objects.count() == count
