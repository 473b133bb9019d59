"""Import throughput: a 20,000-row XLSX in the vocabulary of the real lists (data/ocop-lists/*.csv:
legacy province/district/commune names from the geo data, legal-form prefixes, product groups, stars written
"3", "3 sao", "4*", "★★★", decisions, years) committed through the real importer (`import_run`), against a raw
`python_calamine` read of the same file in the same run. What the import created is deleted afterwards.

Peak memory goes to stderr (the JSON line keeps exactly the agreed keys): the process's peak RSS and the
Python-heap peak during the import (tracemalloc, measured in a second, untimed dry run).
"""

import io
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import vocabulary  # noqa: E402
from bench.common import REPO, django_setup, emit, figures  # noqa: E402

N = 20_000
SEED = 20251122
HEADERS = [
    "product_name",
    "subject_name",
    "subject_type",
    "province",
    "district",
    "commune",
    "product_group",
    "stars",
    "score",
    "year",
    "decision",
    "source_url",
]
PRODUCT_WORDS = vocabulary.PRODUCT_WORDS
QUALIFIERS = ["", "đặc biệt", "túi 500g", "hũ thủy tinh", "loại 1", "hữu cơ", "sấy thăng hoa", "truyền thống"]
GIVEN = ["Minh", "Hải", "Lan", "Huệ", "Thịnh", "Phát", "An", "Bình", "Hòa", "Quý", "Tâm", "Đức", "Ngọc", "Thủy"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
LEGAL_FORMS = [
    ("Công ty TNHH", "Doanh nghiệp"),
    ("Công ty Cổ phần", "Doanh nghiệp"),
    ("Doanh nghiệp tư nhân", "Doanh nghiệp"),
    ("Hợp tác xã Nông nghiệp", "Hợp tác xã"),
    ("HTX Dịch vụ", "Hợp tác xã"),
    ("Tổ hợp tác", "Tổ hợp tác"),
    ("Hộ kinh doanh", "Hộ sản xuất, kinh doanh"),
    ("Cơ sở sản xuất", "Hộ sản xuất, kinh doanh"),
    ("Hộ SXKD", ""),
]
GROUPS = ["Thực phẩm", "Đồ uống", "Thảo dược", "Thủ công mỹ nghệ", "Vải và may mặc", "Sinh vật cảnh", ""]
STARS = ["3", "4", "5", "3 sao", "4 sao", "4*", "5*", "★★★", "★★★★", ""]
SOURCE = "https://github.com/Luyen05/ocop-lamdong-portal/blob/main/data/ocop/ocop_records.json"


def _legacy_places(rng: random.Random) -> list[tuple[str, str, str]]:
    """(province, district, commune) as lists write them: legacy units with their kind, in mixed case."""
    from ocop.geo.models import AdminUnit

    communes = list(
        AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE, generation="legacy")
        .select_related("parent", "parent__parent")
        .order_by("pk")
    )
    places = []
    for commune in rng.sample(communes, 600):
        district = commune.parent
        province = district.parent if district and district.level == AdminUnit.Level.DISTRICT else district
        if province is None or district is None or district is province:
            continue
        kind = commune.kind if rng.random() < 0.5 else commune.kind.lower()
        places.append((province.name, f"{district.kind.lower()} {district.name}", f"{kind} {commune.name}"))
    return places


def generate(path: Path, rng: random.Random) -> None:
    import xlsxwriter

    places = _legacy_places(rng)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Danh sách")
    sheet.write_row(0, 0, HEADERS)
    row = 1
    while row <= N:
        province, district, commune = rng.choice(places)
        prefix, written_form = rng.choice(LEGAL_FORMS)
        subject = f"{prefix} {rng.choice(FAMILY)} {rng.choice(GIVEN)} {rng.choice(GIVEN)} {row}"
        year = rng.randint(2019, 2024)
        day, month = rng.randint(1, 28), rng.randint(1, 12)
        issuer = rng.choice([f"UBND tỉnh {province}", f"UBND {district}"])
        decision = rng.choice(
            [
                f"{rng.randint(100, 3999)}/QĐ-UBND ngày {day}/{month}/{year} của {issuer}",
                f"{issuer} công nhận năm {year} (số quyết định chưa xác định)",
            ]
        )
        # A subject has one to four products, as in the published lists.
        for _ in range(rng.randint(1, 4)):
            if row > N:
                break
            product = f"{rng.choice(PRODUCT_WORDS)} {rng.choice(GIVEN)} {rng.choice(QUALIFIERS)}".strip()
            score = str(rng.randint(50, 95)) if rng.random() < 0.3 else ""
            cells = [product, subject, written_form, province, district, commune, rng.choice(GROUPS)]
            cells += [rng.choice(STARS), score, str(year) if rng.random() < 0.7 else "", decision, SOURCE]
            sheet.write_row(row, 0, cells)
            row += 1
    workbook.close()


def _cleanup(batch_id: int) -> None:
    from ocop.certification.models import Certificate
    from ocop.registry.models import ImportBatch, Product, Subject

    Certificate.objects.filter(import_batch_id=batch_id).delete()
    Product.objects.filter(import_batch_id=batch_id).delete()
    Subject.objects.filter(import_batch_id=batch_id).delete()
    for model in (Product, Subject):
        model.history.filter(import_batch_id=batch_id).delete()
    if hasattr(Certificate, "history"):
        Certificate.history.filter(import_batch_id=batch_id).delete()
    ImportBatch.objects.filter(pk=batch_id).delete()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    django_setup()
    from python_calamine import CalamineWorkbook

    from ocop.registry.importing.commit import import_run
    from ocop.registry.importing.matching import CategoryMapper

    CategoryMapper()  # loads the classification on a fresh bench database, outside the measurement
    rng = random.Random(SEED)
    folder = REPO / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bench_import.xlsx"
    generate(path, rng)
    data = path.read_bytes()

    start = time.perf_counter()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    base_seconds = time.perf_counter() - start
    assert len(rows) == N + 1
    baseline = {"name": "python_calamine read of the same file", **figures(N, base_seconds, [])}

    rss_before = _rss_mb()
    start = time.perf_counter()
    result = import_run(data=data, filename=path.name)
    seconds = time.perf_counter() - start
    rss_after = _rss_mb()
    try:
        assert result.committed and not result.errors, result.errors[:5]
        created = (result.created_subjects, result.created_products, result.created_certificates)
    finally:
        if result.batch_id:
            _cleanup(result.batch_id)

    tracemalloc.start()
    dry = import_run(data=data, filename=path.name, dry_run=True)
    _current, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert not dry.errors

    print(
        f"import: {N} rows, created subjects/products/certificates {created}, "
        f"unresolved units {result.unresolved_units}; peak RSS {rss_after:.0f} MB "
        f"(+{rss_after - rss_before:.0f} MB during the import); Python heap peak {heap_peak / 2**20:.0f} MB",
        file=sys.stderr,
    )
    emit(
        "registry.import.xlsx_20k_rows_commit",
        **figures(N, seconds, []),
        baseline=baseline,
        ratio=round(seconds / base_seconds, 1) if base_seconds else None,
    )


if __name__ == "__main__":
    main()
