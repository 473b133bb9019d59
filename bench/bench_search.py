"""Product search at 100,000 products: p50/p99 of `GET /api/v1/products?q=…` with accent-free queries, as an
anonymous caller through the Django test Client (in-process, the whole request stack), against the exact-match
primary-key lookup `GET /api/v1/products/{id}` through the same stack in the same run.

SQLite by default (var/bench); PostgreSQL when DATABASE_URL is set, e.g.
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench .venv/bin/python bench/bench_search.py
The data set (subjects spread across the current provinces, products with realistic names, most of them with a
valid certificate so anonymous callers see them) is created once per database and reused by later runs.
"""

import datetime
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import vocabulary  # noqa: E402
from bench.common import django_setup, emit, figures, timed  # noqa: E402

N_PRODUCTS = 100_000
N_SUBJECTS = 30_000
REQUESTS = 300
SEED = 20251123
MARKER = "bench_search"  # ImportBatch.filename of the generated data
QUERIES = [
    "ca phe",
    "mam cay",
    "mat ong rung",
    "dong thap",
    "tra shan tuyet",
    "gao st25",
    "nuoc mam ca com",
    "hat mac ca",
    "xoai cat hoa loc",
    "banh trang",
    "hop tac xa",
    "yen sao",
]
PRODUCT_WORDS = [*vocabulary.PRODUCT_WORDS, "Miến dong", "Bánh pía", "Kẹo dừa", "Lạp xưởng", "Trà atisô"]
QUALIFIERS = ["", "đặc biệt", "túi 500g", "hũ thủy tinh", "loại 1", "hữu cơ", "sấy thăng hoa", "truyền thống"]
PLACES = ["Đồng Tháp", "Cầu Đất", "Kim Bồng", "Phú Quốc", "Tây Bắc", "Mộc Châu", "Bảo Lộc", "Cái Bè", "Tam Nông"]
GIVEN = ["Minh", "Hải", "Lan", "Huệ", "Thịnh", "Phát", "An", "Bình", "Hòa", "Quý", "Tâm", "Đức", "Ngọc", "Thủy"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
PREFIXES = ["Công ty TNHH", "Công ty Cổ phần", "Hợp tác xã", "HTX Nông nghiệp", "Tổ hợp tác", "Hộ kinh doanh", "Cơ sở"]
FORMS = {"Công": "enterprise", "Hợp": "cooperative", "HTX": "cooperative", "Tổ": "cooperative_group"}


def ensure_data(rng: random.Random) -> list[int]:
    """Create the data set once; the ids of the published, certified products."""
    from django.db import transaction

    from ocop.certification.models import Certificate
    from ocop.core.text import fold, fold_compact
    from ocop.geo.models import AdminUnit
    from ocop.registry.models import ImportBatch, Product, Subject

    batch = ImportBatch.objects.filter(filename=MARKER).first()
    if batch is None or Product.objects.filter(import_batch=batch).count() != N_PRODUCTS:
        if batch is not None:
            Certificate.objects.filter(import_batch=batch).delete()
            Product.objects.filter(import_batch=batch).delete()
            Subject.objects.filter(import_batch=batch).delete()
            batch.delete()
        provinces = list(
            AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE, valid_until__isnull=True).values_list(
                "code", "name"
            )
        )
        with transaction.atomic():
            batch = ImportBatch.objects.create(sha256=MARKER, filename=MARKER)
            subjects = []
            for i in range(N_SUBJECTS):
                code, province = rng.choice(provinces)
                prefix = rng.choice(PREFIXES)
                name = f"{prefix} {rng.choice(FAMILY)} {rng.choice(GIVEN)} {rng.choice(PLACES)} {i}"
                subjects.append(
                    Subject(
                        name=name,
                        name_key=fold_compact(name),
                        legal_form=FORMS.get(prefix.split()[0], "household"),
                        province_code=code,
                        legacy_province=province,
                        verification_status=Subject.Verification.VERIFIED,
                        import_batch=batch,
                        search_text=fold(name),
                    )
                )
            subjects = Subject.objects.bulk_create(subjects, batch_size=1000)
            products = []
            for i in range(N_PRODUCTS):
                subject = subjects[i % N_SUBJECTS] if i < N_SUBJECTS else rng.choice(subjects)
                name = f"{rng.choice(PRODUCT_WORDS)} {rng.choice(PLACES)} {rng.choice(QUALIFIERS)}".strip()
                code = f"OCOP-{subject.province_code}-2024-{i:06d}"
                products.append(
                    Product(
                        subject=subject,
                        name=name,
                        name_key=fold_compact(name),
                        ocop_code=code,
                        import_batch=batch,
                        search_text=fold(f"{name} {subject.name} {subject.tax_code} {code}"),
                    )
                )
            products = Product.objects.bulk_create(products, batch_size=1000)
            start = datetime.date(2024, 1, 1)
            certificates = [
                Certificate(
                    product=p,
                    star=rng.choice((3, 3, 3, 4, 4, 5)),
                    decision_number=f"{rng.randint(100, 3999)}/QĐ-UBND",
                    valid_from=start,
                    valid_until=start + datetime.timedelta(days=3 * 365),
                    source=Certificate.Source.IMPORTED,
                    import_batch=batch,
                )
                for p in products
                if rng.random() < 0.85
            ]
            Certificate.objects.bulk_create(certificates, batch_size=1000)
        _analyze()
    return list(Certificate.objects.filter(import_batch=batch).values_list("product_id", flat=True))


def _analyze() -> None:
    from django.db import connection

    # VACUUM as autovacuum would soon after a bulk load: it marks the pages all-visible, which the index-only
    # scans of the product search rely on (registry migration 0004).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def main() -> None:
    django_setup()
    from django.db import connection
    from django.test import Client

    rng = random.Random(SEED)
    ids = ensure_data(rng)
    client = Client()

    def search(q):
        response = client.get("/api/v1/products", {"q": q})
        assert response.status_code == 200, response.content[:200]
        return response

    def detail(pk):
        response = client.get(f"/api/v1/products/{pk}")
        assert response.status_code == 200, response.content[:200]

    queries = [QUERIES[i % len(QUERIES)] for i in range(REQUESTS)]
    pks = [rng.choice(ids) for _ in range(REQUESTS)]
    for q in QUERIES:  # warm-up: caches, prepared plans, the page cache of the database
        search(q)
    detail(pks[0])

    base_seconds, base_lat = timed(detail, pks)
    baseline = {"name": "GET /api/v1/products/{id} (primary key)", **figures(REQUESTS, base_seconds, base_lat)}
    seconds, latencies = timed(search, queries)
    counts = {q: search(q).json()["count"] for q in QUERIES[:4]}
    print(f"{connection.vendor}: {len(ids)} public products; matches {counts}", file=sys.stderr)
    emit(
        f"registry.search.products_q_100k_{connection.vendor}",
        **figures(REQUESTS, seconds, latencies),
        baseline=baseline,
        ratio=round(seconds / base_seconds, 1) if base_seconds else None,
    )


if __name__ == "__main__":
    main()
