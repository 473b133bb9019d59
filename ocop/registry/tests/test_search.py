"""Accent-free search and Vietnamese name order (DESIGN.md §4) on SQLite and PostgreSQL.

PostgreSQL-only checks (the `vi-x-icu` order, the trigram index in the plan) skip themselves at run time, so the
same file runs on both databases.
"""

import pytest
from django.db import connection

from ocop.registry import selectors
from ocop.registry.models import Product, Subject
from ocop.registry.services import product_create, subject_create

SUBJECTS = {
    "coffee": "Hợp tác xã Cà phê Cầu Đất",
    "sauce": "Cơ sở Mắm cáy Kim Bồng",
    "mango": "Công ty TNHH Xoài Đồng Tháp",
}
PRODUCTS = [
    ("coffee", "Cà phê Arabica Cầu Đất rang xay"),
    ("coffee", "Cà phê Robusta hạt"),
    ("sauce", "Mắm cáy Kim Bồng"),
    ("mango", "Xoài cát Hòa Lộc"),
    ("mango", "Ấp Bắc sấy dẻo"),
    ("mango", "An Phú trà túi lọc"),
    ("mango", "Bà Đen mật ong"),
    ("mango", "Dừa sáp sấy"),
    ("mango", "Đậu phộng rang"),
]


def _skip_unless_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (ICU collation, trigram index)")


@pytest.fixture
def registry(province_a):
    subjects = {
        key: subject_create(
            actor=None, values={"name": name, "province_code": province_a.code}, verified=True, check_access=False
        )
        for key, name in SUBJECTS.items()
    }
    products = {
        name: product_create(actor=None, subject=subjects[key], values={"name": name}, year=2025, check_access=False)
        for key, name in PRODUCTS
    }
    return subjects, products


def _product_names(user, q):
    return [p.name for p in selectors.product_list_for_user(user=user, filters={"q": q})]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("ca phe arabica", {"Cà phê Arabica Cầu Đất rang xay"}),
        ("CA PHE", {"Cà phê Arabica Cầu Đất rang xay", "Cà phê Robusta hạt"}),
        ("mam cay", {"Mắm cáy Kim Bồng"}),
        ("Mắm Cáy", {"Mắm cáy Kim Bồng"}),
        # The subject's name is part of a product's search text.
        ("dong thap", {name for key, name in PRODUCTS if key == "mango"}),
        ("cau dat", {"Cà phê Arabica Cầu Đất rang xay", "Cà phê Robusta hạt"}),
        ("khong co", set()),
    ],
)
def test_accent_free_product_search(registry, province_officer_a, q, expected):
    assert set(_product_names(province_officer_a, q)) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [("dong thap", {"mango"}), ("mam cay", {"sauce"}), ("ca phe", {"coffee"}), ("hop tac xa", {"coffee"})],
)
def test_accent_free_subject_search(registry, province_officer_a, q, expected):
    subjects, _products = registry
    found = set(selectors.subject_list_for_user(user=province_officer_a, filters={"q": q}))
    assert found == {subjects[key] for key in expected}


def test_api_product_search_is_accent_free(registry, province_officer_a, client_for):
    response = client_for(province_officer_a).get("/api/v1/products", {"q": "ca phe arabica"})
    assert response.status_code == 200
    assert [item["name"] for item in response.json()["items"]] == ["Cà phê Arabica Cầu Đất rang xay"]


def test_list_order_is_alphabetical_on_every_database(registry, province_officer_a):
    names = _product_names(province_officer_a, "")
    assert names.index("An Phú trà túi lọc") < names.index("Bà Đen mật ong") < names.index("Xoài cát Hòa Lộc")
    assert names.index("Cà phê Arabica Cầu Đất rang xay") < names.index("Dừa sáp sấy")


def test_vietnamese_order_on_postgresql(registry, province_officer_a):
    _skip_unless_postgresql()
    names = _product_names(province_officer_a, "")
    assert names.index("An Phú trà túi lọc") < names.index("Ấp Bắc sấy dẻo") < names.index("Bà Đen mật ong")
    assert names.index("Dừa sáp sấy") < names.index("Đậu phộng rang") < names.index("Mắm cáy Kim Bồng")
    # Vietnamese alphabet: o < ô < ơ, so "Công" comes before "Cơ".
    subject_names = [s.name for s in selectors.subject_list_for_user(user=province_officer_a)]
    assert subject_names == [SUBJECTS["mango"], SUBJECTS["sauce"], SUBJECTS["coffee"]]


def _plan(queryset) -> str:
    with connection.cursor() as cursor:
        # A handful of rows would always be read sequentially; the question is whether the index *can* serve the
        # query, as it does at 100,000 rows (bench/bench_search.py).
        # GIN is only read through bitmap scans, so plain index scans (name_key order) are ruled out as well.
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        try:
            return queryset.explain()
        finally:
            cursor.execute("SET LOCAL enable_seqscan = on; SET LOCAL enable_indexscan = on")


@pytest.mark.parametrize("q", ["ca phe arabica", "mam cay", "dong thap", "abc"])
def test_search_uses_trigram_index_on_postgresql(registry, province_officer_a, q):
    _skip_unless_postgresql()
    assert "registry_product_search_trgm" in _plan(Product.objects.filter(selectors._search_q(q)))
    assert "registry_subject_search_trgm" in _plan(Subject.objects.filter(selectors._search_q(q)))
    listing = selectors.product_list_for_user(user=province_officer_a, filters={"q": q})
    assert "registry_product_search_trgm" in _plan(listing)
