"""A provincial scoring round: 200 dossiers × 9 council members on a real 26/2026 sheet, scored through the
services (score_sheet_save + score_sheet_submit per member, council_close_scoring per dossier), against the pure
rules (rules.sheet_total per sheet + rules.council_result per dossier) on the same 1,800 sheets, no database.

`seconds` is the whole round's wall time (sheets and closes); p50/p99 are per sheet (save + submit).
Set-up (subjects, products, users, council, dossiers and open sessions) is bulk-created and not measured; every
run uses fresh rows tagged with the run's time, so the bench database can be reused.
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import django_setup, emit, figures  # noqa: E402

DOSSIERS = 200
MEMBERS = 9
SEED = 20260522


def _answers(spec, rng: random.Random) -> dict:
    """A plausible sheet: per criterion one printed option (all options for sum-of-selected picks a subset)."""
    from ocop.evaluation import rules

    chosen = {}
    for c in spec.criteria:
        if c.scoring == rules.SUM_OF_SELECTED:
            options = [o.points for o in c.options if o.points is not None]
            picks, total = [], 0
            for points in options:
                if rng.random() < 0.5 and total + points <= c.max_points:
                    picks.append(points)
                    total += points
            chosen[c.key] = picks
        else:
            allowed = c.allowed_points()
            # Members of one council mostly agree: skew to the upper options.
            chosen[c.key] = allowed[max(0, len(allowed) - 1 - min(int(rng.expovariate(1.5)), len(allowed) - 1))]
    return chosen


def setup_round():
    """Criteria, regimes, a product set with a valid sheet, 200 subjects/products/dossiers in council scoring
    with an open session, a council with a chair and 8 members. Returns (dossiers, users, spec, policy)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from ocop.evaluation.loading import load_criteria, load_regimes
    from ocop.evaluation.models import (
        Council,
        CouncilMember,
        CriteriaSheet,
        Dossier,
        EvaluationRound,
        Regime,
        ScoringSession,
    )
    from ocop.evaluation.selectors import criteria_sheet_spec, regime_scoring_policy
    from ocop.geo.models import AdminUnit
    from ocop.registry.classification import load_classifications
    from ocop.registry.models import Product, Subject

    load_classifications()
    load_criteria(versions=["26_2026"])
    load_regimes()
    regime = Regime.objects.select_related("criteria_version").get(code="26_2026")
    sheet = (
        CriteriaSheet.objects.filter(version=regime.criteria_version, is_valid=True)
        .select_related("product_set", "version")
        .order_by("product_set__position")
        .first()
    )
    commune = AdminUnit.objects.filter(level="commune", valid_until__isnull=True).order_by("code").first()
    province_code = commune.province_code
    tag = f"b{int(time.time())}"
    now = timezone.now()
    year = timezone.localdate().year
    round_ = EvaluationRound.objects.create(
        level="province",
        province_code=province_code,
        year=year,
        number=100 + EvaluationRound.objects.filter(province_code=province_code, year=year).count(),
        kind="extra",
        regime=regime,
        forward_by=timezone.localdate(),
        decide_by=timezone.localdate(),
        status="scoring",
    )
    council = Council.objects.create(level="province", province_code=province_code, round=round_, name=f"HĐ {tag}")
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"{tag}-m{i}", full_name=f"Thành viên {i}", password="!") for i in range(MEMBERS)]
    )
    users = list(User.objects.filter(username__startswith=f"{tag}-m").order_by("username"))
    CouncilMember.objects.bulk_create(
        [
            CouncilMember(council=council, user=u, role="chair" if i == 0 else "member", organisation="Sở")
            for i, u in enumerate(users)
        ]
    )
    Subject.objects.bulk_create(
        [
            Subject(
                name=f"Hợp tác xã {tag} {i}",
                name_key=f"hoptacxa{tag}{i}",
                legal_form="cooperative",
                province_code=province_code,
                current_commune_code=commune.code,
            )
            for i in range(DOSSIERS)
        ]
    )
    subjects = list(Subject.objects.filter(name_key__startswith=f"hoptacxa{tag}").order_by("pk"))
    Product.objects.bulk_create(
        [
            Product(
                subject=s,
                name=f"Sản phẩm {tag} {i}",
                name_key=f"sanpham{tag}{i}",
                ocop_code=f"BENCH-{tag}-{i}",
                category=sheet.product_set,
            )
            for i, s in enumerate(subjects)
        ]
    )
    products = list(Product.objects.filter(ocop_code__startswith=f"BENCH-{tag}-").select_related("subject"))
    Dossier.objects.bulk_create(
        [
            Dossier(
                product=p,
                subject=p.subject,
                regime=regime,
                criteria_sheet=sheet,
                round=round_,
                council=council,
                status=Dossier.Status.COUNCIL_SCORING,
                province_code=province_code,
                commune_code=commune.code,
                filed_on=timezone.localdate(),
                status_changed_at=now,
                advisory_report={"findings": "Đạt"},
            )
            for p in products
        ]
    )
    dossiers = list(Dossier.objects.filter(round=round_).order_by("pk"))
    ScoringSession.objects.bulk_create(
        [ScoringSession(council=council, dossier=d, level="province", attempt=1) for d in dossiers]
    )
    spec = criteria_sheet_spec(sheet=sheet)
    policy = regime_scoring_policy(regime=regime)
    print(f"sheet: {sheet} ({len(spec.criteria)} criteria)", file=sys.stderr)
    return dossiers, users, spec, policy


def main() -> None:
    django_setup()
    from ocop.evaluation import rules
    from ocop.evaluation.services import council_close_scoring, score_sheet_save, score_sheet_submit

    dossiers, users, spec, policy = setup_round()
    rng = random.Random(SEED)
    plan = [[_answers(spec, rng) for _ in users] for _ in dossiers]
    n = len(dossiers) * len(users)

    # Baseline: the same 1,800 sheets through the pure rules.
    start = time.perf_counter()
    base_lat = []
    for sheets in plan:
        members = []
        for i, choices in enumerate(sheets):
            t0 = time.perf_counter()
            rules.sheet_total(spec, choices)
            base_lat.append((time.perf_counter() - t0) * 1000)
            members.append(rules.MemberSheet(member=str(i), choices=choices))
        rules.council_result(sheet=spec, members=members, policy=policy)
    base_seconds = time.perf_counter() - start
    baseline = {"name": "rules.sheet_total + rules.council_result, no database", **figures(n, base_seconds, base_lat)}

    latencies, close_lat, stars = [], [], {}
    start = time.perf_counter()
    for dossier, sheets in zip(dossiers, plan, strict=True):
        for user, choices in zip(users, sheets, strict=True):
            t0 = time.perf_counter()
            score_sheet_save(actor=user, dossier=dossier, answers=choices)
            score_sheet_submit(actor=user, dossier=dossier)
            latencies.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        result = council_close_scoring(actor=users[0], dossier=dossier, accept_spread=True)
        close_lat.append((time.perf_counter() - t0) * 1000)
        stars[result.star] = stars.get(result.star, 0) + 1
    seconds = time.perf_counter() - start
    close_lat.sort()
    print(
        f"close p50 {close_lat[len(close_lat) // 2]:.1f} ms; stars {dict(sorted(stars.items()))}",
        file=sys.stderr,
    )
    emit(
        "evaluation.scoring_round_200x9",
        **figures(n, seconds, latencies),
        baseline=baseline,
        ratio=round(seconds / base_seconds, 1) if base_seconds else None,
    )


if __name__ == "__main__":
    main()
