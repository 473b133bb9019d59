from pathlib import Path

import pytest
from django.conf import settings

from ocop.certification.models import Certificate
from ocop.registry.importing.commit import import_run
from ocop.registry.models import ImportBatch, Product, Subject

pytestmark = pytest.mark.django_db

LISTS = Path(settings.REFERENCE_DATA_DIR) / "ocop-lists"
# Rows and stars 3/4/5/empty per list, from data/README.md.
README_COUNTS = {
    "list_binhdinh_github_gialai_ocop.csv": (223, 182, 41, 0, 0),
    "list_travinh_cauke_github.csv": (37, 24, 11, 1, 1),
    "list_lamdong_ductrong_2025.csv": (22, 22, 0, 0, 0),
    "list_lamdong_qd3981_2026.csv": (9, 9, 0, 0, 0),
    "list_daknong_cujut_qd768_2025.csv": (2, 2, 0, 0, 0),
    "list_daknong_daksong_qd1887_2025.csv": (8, 8, 0, 0, 0),
    "list_daknong_qd858_2025.csv": (5, 0, 5, 0, 0),
    "list_binhthuan_tanhlinh_2024.csv": (3, 3, 0, 0, 0),
    "list_binhthuan_4star_2025_partial.csv": (11, 0, 11, 0, 0),
}


def run(name, **kw):
    path = LISTS / name
    return import_run(data=path.read_bytes(), filename=name, **kw)


def test_every_shared_list_is_covered():
    assert {p.name for p in LISTS.glob("*.csv")} == set(README_COUNTS)


@pytest.mark.parametrize("name", sorted(README_COUNTS))
def test_real_list_imports_clean_with_readme_star_counts(name):
    rows, three, four, five, none = README_COUNTS[name]

    result = run(name)

    summary = result.summary()
    assert summary["errors"] == []
    assert result.committed
    assert summary["rows"] == rows
    assert summary["by_stars"] == {"3": three, "4": four, "5": five, "none": none}
    assert Certificate.objects.filter(import_batch_id=result.batch_id).count() == rows - none
    assert summary["unresolved_units"] == 0


def test_legacy_units_map_to_current_provinces():
    run("list_binhdinh_github_gialai_ocop.csv")
    run("list_travinh_cauke_github.csv")

    # Bình Định merged into Gia Lai (52), Trà Vinh into Vĩnh Long (86) on 1 July 2025.
    assert set(Subject.objects.filter(legacy_province="Bình Định").values_list("province_code", flat=True)) == {"52"}
    assert set(Subject.objects.filter(legacy_province="Trà Vinh").values_list("province_code", flat=True)) == {"86"}
    legacy = Subject.objects.filter(legacy_province="Trà Vinh").exclude(commune=None).first()
    assert legacy.commune.valid_until is not None  # the unit valid at the time is kept
    assert legacy.current_commune_code


def test_reimporting_the_same_list_changes_nothing():
    first = run("list_travinh_cauke_github.csv")
    counts = (Subject.objects.count(), Product.objects.count(), Certificate.objects.count())

    second = run("list_travinh_cauke_github.csv")

    assert (Subject.objects.count(), Product.objects.count(), Certificate.objects.count()) == counts
    assert second.created_subjects == second.created_products == second.created_certificates == 0
    assert second.matched_products == first.created_products


def test_overlapping_list_adds_only_what_is_new():
    text = (LISTS / "list_lamdong_ductrong_2025.csv").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    import_run(data="".join(lines[:6]).encode(), filename="part.csv")
    assert Product.objects.count() == 5

    result = run("list_lamdong_ductrong_2025.csv")

    assert result.created_products == 17
    assert result.matched_products == 5
    assert Product.objects.count() == 22


def test_dry_run_writes_nothing_but_counts_the_same():
    result = run("list_daknong_qd858_2025.csv", dry_run=True)

    assert result.created_products == 5 and not result.committed
    assert not Product.objects.exists() and not ImportBatch.objects.exists()


def test_imported_products_get_unique_readable_codes_and_search_text():
    run("list_daknong_qd858_2025.csv")

    product = Product.objects.get(name="Mắc ca Lê Anh Tuy Đức")
    assert product.ocop_code.startswith("OCOP-68-2025-")
    assert "mac ca le anh tuy duc" in product.search_text
    assert product.category.level == "industry"
    assert Product.objects.values("ocop_code").distinct().count() == 5
