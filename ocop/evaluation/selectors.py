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


def regime_scoring_policy(*, regime: Regime) -> ScoringPolicy:
    """The regime's star bands, rounding and spread threshold as rules input."""
    return ScoringPolicy.from_dict(bands=regime.star_bands, scoring=regime.scoring)
