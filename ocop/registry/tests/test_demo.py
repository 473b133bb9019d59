import pytest
from django.core.files.storage import default_storage

from ocop.certification.models import Certificate
from ocop.registry import rules
from ocop.registry.classification import load_classifications
from ocop.registry.demo import demo_tax_codes, product_card, seed_demo
from ocop.registry.models import Product, Subject

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def demo():
    load_classifications()
    return seed_demo()


def test_seeding_twice_creates_the_demo_once(demo):
    counts = (Subject.objects.count(), Product.objects.count(), Certificate.objects.count())

    again = seed_demo()

    assert "already there" in again
    assert (Subject.objects.count(), Product.objects.count(), Certificate.objects.count()) == counts
    assert counts[0] == len(demo_tax_codes()) >= 12 and counts[1] >= 30


@pytest.mark.parametrize("province_code", ["68", "52"])
def test_each_province_has_verified_subjects_pending_one_and_photographed_products(demo, province_code):
    subjects = Subject.objects.filter(province_code=province_code, tax_code__in=demo_tax_codes())
    products = Product.objects.filter(subject__in=subjects)

    assert subjects.filter(verification_status=Subject.Verification.VERIFIED).count() >= 5
    assert subjects.filter(verification_status=Subject.Verification.PENDING).count() == 1
    assert all(len(s.current_commune_code) == 5 and rules.tax_code_is_valid(s.tax_code) for s in subjects)
    assert all(p.category is not None and p.category.version.code == "26_2026" for p in products)
    assert all(default_storage.exists(p.photo.name) and default_storage.exists(p.thumbnail.name) for p in products)
    assert {c.star for c in Certificate.objects.filter(product__in=products)} >= {3, 4}


def test_product_card_draws_vietnamese_text():
    data = product_card(name="Cà phê Arabica Cầu Đất", subject="HTX", province="Tỉnh Lâm Đồng", industry="I", stars=4)

    assert data.startswith(b"\x89PNG")
