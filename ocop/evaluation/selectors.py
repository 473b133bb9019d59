"""Reads for evaluation: criteria sheets as rules input, regimes and their scoring policy."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocop.core.errors import NotFound, ValidationError
from ocop.evaluation.models import CriteriaSheet, Criterion, CriterionOption, Regime
from ocop.evaluation.rules import CriterionSpec, OptionSpec, ScoringPolicy, SheetSpec


def criteria_sheet_get(*, version_code: str, product_set_code: str) -> CriteriaSheet:
    """The sheet of one product set ("1".."26") in one criteria version. Raises NotFound."""
    sheet = (
        CriteriaSheet.objects.select_related("version", "product_set")
        .filter(version__code=version_code, product_set__code=product_set_code)
        .first()
    )
    if sheet is None:
        raise NotFound(_("Không tìm thấy phiếu đánh giá."))
    return sheet


def criteria_sheet_list(*, version_code: str):
    """Sheets of a version in annex order, valid or not (the report shows why a sheet is unusable)."""
    return CriteriaSheet.objects.filter(version__code=version_code).select_related("version", "product_set")


def criteria_sheet_spec(*, sheet: CriteriaSheet, for_scoring: bool = True) -> SheetSpec:
    """The sheet as input for `ocop.evaluation.rules`; criterion keys are the Criterion ids as strings.

    With `for_scoring` (the default) an invalid sheet is refused (ValidationError `sheet_invalid`): it cannot
    be used to score until a central officer corrects it (see `criterion_correct`).
    """
    if for_scoring and not sheet.is_valid:
        raise ValidationError(
            _("Phiếu đánh giá này có lỗi trong dữ liệu nguồn, chưa dùng được để chấm điểm."), code="sheet_invalid"
        )
    options: dict[int, list[OptionSpec]] = {}
    for o in CriterionOption.objects.filter(criterion__sheet=sheet).order_by("criterion_id", "position"):
        options.setdefault(o.criterion_id, []).append(OptionSpec(points=o.points, min_star=o.min_star, text=o.text))
    criteria = tuple(
        CriterionSpec(
            key=str(c.pk),
            code=c.code,
            part=c.section.part.code,
            max_points=c.max_points,
            scoring=c.scoring,
            options=tuple(options.get(c.pk, ())),
        )
        for c in Criterion.objects.filter(sheet=sheet).select_related("section__part").order_by("position")
    )
    return SheetSpec(criteria=criteria, part_max_points=dict(sheet.version.part_max_points))


def regime_get(*, code: str) -> Regime:
    regime = Regime.objects.select_related("criteria_version").filter(code=code).first()
    if regime is None:
        raise NotFound(_("Không tìm thấy quy trình đánh giá."))
    return regime


def regime_for_filing(*, filed_on: datetime.date) -> Regime:
    """The regime a dossier filed on `filed_on` follows (26/2026/QĐ-TTg Điều 12: dossiers filed before
    22/05/2026 continue under 148 as amended by 1489). Raises NotFound when none accepted dossiers that day."""
    regime = (
        Regime.objects.select_related("criteria_version")
        .filter(effective_from__lte=filed_on)
        .filter(Q(accepts_new_dossiers_until__isnull=True) | Q(accepts_new_dossiers_until__gt=filed_on))
        .order_by("-effective_from")
        .first()
    )
    if regime is None:
        raise NotFound(_("Không có quy trình đánh giá áp dụng cho ngày này."))
    return regime


def regime_transition_for(*, regime: Regime) -> dict | None:
    """The transition rules that keep dossiers under `regime` after a newer regime took over (the newer
    regime's "transition" data naming `regime` in `dossiers_filed_before_cutoff_follow`), or None.
    26/2026/QĐ-TTg Điều 11-12 for 148 as amended by 1489."""
    newer = Regime.objects.filter(transition__dossiers_filed_before_cutoff_follow=regime.code).first()
    return newer.transition if newer is not None else None


def regime_scoring_policy(*, regime: Regime) -> ScoringPolicy:
    """The regime's star bands, rounding and spread threshold as rules input."""
    return ScoringPolicy.from_dict(bands=regime.star_bands, scoring=regime.scoring)


# --- dossiers, sheets, analytics ----------------------------------------------------------------------------


def round_list_for_user(*, user):
    """Rounds `user` may read: the query form of access.ensure_can_view_round (their province's rounds,
    every round for nationwide officers, and rounds whose council they sit on)."""
    from ocop.accounts.access import scope_for
    from ocop.evaluation.models import EvaluationRound

    scope = scope_for(user)
    qs = EvaluationRound.objects.select_related("regime")
    if scope.nationwide:
        return qs
    visible = Q(province_code__in=sorted(scope.province_codes)) | Q(
        councils__members__user=user, councils__members__active=True
    )
    return qs.filter(pk__in=EvaluationRound.objects.filter(visible).values("pk"))


def dossier_list_for_user(*, user, status: str | None = None):
    """Dossiers `user` may read (ocop.evaluation.access.dossier_scope_q), newest first."""
    from ocop.evaluation.access import dossier_scope_q
    from ocop.evaluation.models import Dossier

    qs = Dossier.objects.filter(dossier_scope_q(user)).select_related("product", "subject", "regime", "round")
    return qs.filter(status=status) if status else qs


def dossier_get_for_user(*, user, pk: int):
    """One dossier `user` may read. Raises NotFound (also for dossiers out of scope)."""
    dossier = dossier_list_for_user(user=user).filter(pk=pk).first()
    if dossier is None:
        raise NotFound(_("Không tìm thấy hồ sơ."), code="dossier_not_found")
    return dossier


def dossier_overdue_list(*, user, on: datetime.date | None = None, transition_only: bool = False):
    """Dossiers in `user`'s scope whose current step is past its due date (the commune's 15 working days, the
    round's decision date, a re-evaluation's 45 days), oldest due first. Finished and returned dossiers are
    not overdue (the subject holds a returned one).

    Transition dossiers (filed before 22/05/2026, 26/2026/QĐ-TTg Điều 12) past their `transition_due_on`
    and not decided are overdue too, whatever step they are at (returned ones included: the deadline runs
    for the whole dossier); each row carries `transition_overdue`. With `transition_only`, only those."""
    from django.db.models import BooleanField, Case, Value, When
    from django.utils import timezone

    from ocop.evaluation.models import Dossier
    from ocop.evaluation.workflow import TERMINAL

    on = on or timezone.localdate()
    transition_late = Q(transition_due_on__lt=on) & ~Q(status__in=[*TERMINAL, Dossier.Status.DRAFT])
    step_late = Q(due_on__lt=on) & ~Q(status__in=[*TERMINAL, Dossier.Status.DRAFT, Dossier.Status.RETURNED])
    late = transition_late if transition_only else step_late | transition_late
    return (
        dossier_list_for_user(user=user)
        .filter(late)
        .annotate(
            transition_overdue=Case(When(transition_late, then=Value(True)), default=False, output_field=BooleanField())
        )
        .order_by("due_on", "id")
    )


def score_sheet_list_for_user(*, user, dossier):
    """Score sheets of `dossier` that `user` may read. Until the chair closes a session, a member sees only their
    own sheet of it and nobody else sees any; after the close, those of `access.can_read_member_sheets` (the
    council and its managing officers, never the producer) see every sheet of that session."""
    from ocop.evaluation.access import can_read_member_sheets, council_seat, ensure_can_view_dossier
    from ocop.evaluation.models import ScoreSheet, ScoringSession

    ensure_can_view_dossier(user, dossier)
    visible = Q(pk__in=[])
    if can_read_member_sheets(user, dossier):
        visible |= Q(session__status=ScoringSession.Status.CLOSED)
    seat = council_seat(user, dossier.council) if dossier.council_id else None
    if seat is not None:
        visible |= Q(member=seat)
    return ScoreSheet.objects.filter(visible, dossier=dossier).select_related("member__user", "session")


def dossier_result_final(*, dossier, level: str | None = None):
    """The latest final council result of `dossier` (at `level` when given), or None. Read by certification."""
    qs = dossier.results.filter(is_final=True)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("-closed_at", "-id").first()


def council_round_analytics(*, user, round_) -> dict:
    """A round's scoring at a glance, from final results: each member's totals against the council mean
    (outliers beyond the regime's `outlier_threshold`), the spread per criterion, and the distribution by star.

    Only officers covering the round (or nationwide) may read it (NotFound otherwise)."""
    from collections import Counter, defaultdict

    from ocop.evaluation import rules
    from ocop.evaluation.access import ensure_can_plan_round
    from ocop.evaluation.models import DossierResult, ScoreSheet

    try:
        ensure_can_plan_round(user, level=round_.level, province_code=round_.province_code)
    except Exception as exc:
        raise NotFound(_("Không tìm thấy đợt đánh giá."), code="round_not_found") from exc
    level_field = "dossier__central_round" if round_.level == "central" else "dossier__round"
    results = list(
        DossierResult.objects.filter(is_final=True, level=round_.level, **{level_field: round_}).select_related(
            "dossier__product", "dossier__regime"
        )
    )
    members: dict[str, list] = defaultdict(list)
    per_dossier = []
    for result in results:
        threshold = result.dossier.regime.scoring.get(
            "outlier_threshold", result.dossier.regime.scoring["spread_threshold"]
        )
        devs = rules.deviations({k: int(v) for k, v in result.member_totals.items()}, result.mean, threshold)
        for member_id, row in devs.items():
            members[member_id].append({"dossier": result.dossier_id, **row})
        criteria_spread = {}
        sheets = ScoreSheet.objects.filter(session=result.session_id, status=ScoreSheet.Status.SUBMITTED)
        by_criterion: dict[str, list[int]] = defaultdict(list)
        for sheet in sheets:
            for key, value in sheet.answers.items():
                by_criterion[key].append(sum(value) if isinstance(value, list) else int(value))
        for key, values in by_criterion.items():
            criteria_spread[key] = max(values) - min(values)
        per_dossier.append(
            {
                "dossier": result.dossier_id,
                "product": result.dossier.product.name,
                "mean": str(result.mean),
                "star": result.star,
                "spread": result.spread,
                "criteria_spread": criteria_spread,
            }
        )
    return {
        "round": round_.pk,
        "dossiers": per_dossier,
        "members": {
            m: {"scored": len(rows), "outliers": sum(r["outlier"] for r in rows), "rows": rows}
            for m, rows in members.items()
        },
        "stars": dict(sorted(Counter(r.star for r in results).items())),
    }
