"""Small, fast fixtures for the dossier workflow: a synthetic 3-criterion sheet per criteria version (the real
sheets are tested in test_loading*; the process does not need them), the regimes from data/regimes.json, a
subject and product in province A, and council seats."""

import datetime
import itertools
from fractions import Fraction

from ocop.evaluation.loading import load_regimes
from ocop.evaluation.models import (
    CriteriaPart,
    CriteriaSection,
    CriteriaSheet,
    Criterion,
    CriterionOption,
    Dossier,
    DossierResult,
    ScoringSession,
)
from ocop.registry.models import CriteriaVersion, Product, ProductCategory, Subject

_seq = itertools.count(1)

# (part, max, [(points, min_star), ...]) — c1's markers make a 75-point product miss the 4★ minimum.
CRITERIA = (
    ("A", 40, [(10, None), (20, 3), (30, 4), (40, 5)]),
    ("B", 25, [(0, None), (10, None), (25, None)]),
    ("C", 35, [(0, None), (15, None), (25, None), (30, None), (35, None)]),
)
PARTS = {"A": 40, "B": 25, "C": 35}


def load_process_data() -> dict[str, CriteriaSheet]:
    """Criteria versions with one synthetic valid sheet each (product set "1"), and the regimes."""
    sheets = {}
    for code, effective in (("26_2026", "2026-05-22"), ("148_2023", "2023-02-24"), ("1048_2019", "2019-08-21")):
        version, _ = CriteriaVersion.objects.get_or_create(
            code=code,
            defaults={
                "name": code,
                "decision": code,
                "effective_on": datetime.date.fromisoformat(effective),
                "part_max_points": PARTS,
            },
        )
        category, _ = ProductCategory.objects.get_or_create(
            version=version, level="product_set", code="1", defaults={"name": "Rau củ quả", "name_key": "raucuqua"}
        )
        sheet = CriteriaSheet.objects.filter(version=version, product_set=category).first()
        if sheet is None:
            sheet = _make_sheet(version, category)
        sheets[code] = sheet
    load_regimes()
    return sheets


def _make_sheet(version, category) -> CriteriaSheet:
    sheet = CriteriaSheet.objects.create(
        version=version,
        product_set=category,
        title="Phiếu thử",
        max_points=100,
        source_path="test",
        source_sha256="0",
        is_valid=True,
    )
    for index, (part_code, maximum, options) in enumerate(CRITERIA, start=1):
        part = CriteriaPart.objects.create(
            sheet=sheet, code=part_code, name=part_code, max_points=maximum, position=index
        )
        section = CriteriaSection.objects.create(part=part, code=str(index), name=part_code, max_points=maximum)
        criterion = Criterion.objects.create(
            sheet=sheet,
            section=section,
            position=index,
            code=f"{index}.1",
            text=f"Tiêu chí {index}",
            max_points=maximum,
            scoring="single_choice",
        )
        for opt_position, (points, min_star) in enumerate(options, start=1):
            CriterionOption.objects.create(
                criterion=criterion, position=opt_position, text=str(points), points=points, min_star=min_star
            )
    return sheet


def answers(sheet: CriteriaSheet, *points: int) -> dict[str, int]:
    keys = [str(pk) for pk in Criterion.objects.filter(sheet=sheet).order_by("position").values_list("pk", flat=True)]
    return dict(zip(keys, points, strict=True))


def make_product(*, province, commune, category=None) -> Product:
    n = next(_seq)
    subject = Subject.objects.create(
        name=f"HTX {n}", name_key=f"htx{n}", province_code=province.code, current_commune_code=commune.code
    )
    return Product.objects.create(
        subject=subject,
        name=f"Sản phẩm {n}",
        name_key=f"sanpham{n}",
        ocop_code=f"T-{n}-{id(subject)}",
        category=category,
    )


def bind_producer(user, subject) -> None:
    from ocop.accounts.access import scope_forget
    from ocop.accounts.models import RoleAssignment

    RoleAssignment.objects.filter(user=user, role="producer").update(object_id=str(subject.pk))
    scope_forget(user)


def form02_complete() -> dict:
    return {
        "general": {"representative_gender": "Nữ", "representative_ethnicity": "Kinh"},
        "legal_papers": ["Giấy đăng ký kinh doanh"],
        "history": "Thành lập 2015",
        "business_results": {"revenue": 1_200_000_000},
        "plan_ahead": "Mở rộng thị trường",
    }


FORM03 = {
    "local_raw_materials": "100% nguyên liệu tại xã",
    "local_labour": "20 lao động địa phương",
    "idea_origin": "Sản phẩm truyền thống",
    "local_identity": "Tri thức bản địa",
    "proposal": "Đề nghị đánh giá",
}


def make_result(dossier: Dossier, *, level: str, mean: str, star: int, band_star: int | None = None) -> DossierResult:
    """A final result written directly (for workflow tests that start after scoring)."""
    from django.utils import timezone

    attempt = dossier.scoring_sessions.filter(level=level).count() + 1
    session = ScoringSession.objects.create(
        council=dossier.council, dossier=dossier, level=level, attempt=attempt, status="closed"
    )
    exact = Fraction(mean)
    return DossierResult.objects.create(
        session=session,
        dossier=dossier,
        level=level,
        mean=mean,
        mean_exact=f"{exact.numerator}/{exact.denominator}",
        star=star,
        band_star=band_star or star,
        is_final=True,
        criteria_sheet=dossier.criteria_sheet,
        closed_at=timezone.now(),
    )
