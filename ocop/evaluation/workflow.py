"""The dossier workflow: a table of allowed moves, who may make each, and the guards that must hold.

26/2026/QĐ-TTg Điều 7: subject → commune (15 working days, Form 03) → province (intake, advisory team, council,
chair's decision for 3★/4★, or ≥ 90 points → central) → central (5★, or back to the province, which may recognise
3★/4★ on the central council's result). Moves marked `via` are made only by the named service (it does work the
generic `dossier_transition` cannot: submission checks, scoring, decisions).
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from ocop.core.errors import ValidationError
from ocop.evaluation.access import ADVISORY, CENTRAL, CHAIR, COMMUNE, PRODUCER, PROVINCE
from ocop.evaluation.models import Dossier, DossierResult

S = Dossier.Status

# Form 03 (Phụ lục III): the commune's assessment of Điều 7 khoản 2 and its proposal.
FORM03_FIELDS = ("local_raw_materials", "local_labour", "idea_origin", "local_identity", "proposal")


def _final_result(dossier, level: str) -> DossierResult | None:
    return dossier.results.filter(level=level, is_final=True).order_by("-closed_at", "-id").first()


def _require_form03(dossier, data) -> None:
    form = {**(dossier.form03 or {}), **((data or {}).get("form03") or {})}
    missing = [f for f in FORM03_FIELDS if not str(form.get(f, "")).strip()]
    if missing:
        raise ValidationError(
            _("Báo cáo của xã (Mẫu 03) chưa đủ nội dung."),
            code="form03_incomplete",
            fields={f"form03.{f}": _("Bắt buộc.") for f in missing},
        )


def _require_council(dossier, data) -> None:
    if not dossier.council_id and not (data or {}).get("council"):
        raise ValidationError(_("Chưa phân công hội đồng cho hồ sơ."), code="council_missing")


def _require_advisory_report(dossier, data) -> None:
    report = {**(dossier.advisory_report or {}), **((data or {}).get("advisory_report") or {})}
    if not str(report.get("findings", "")).strip():
        raise ValidationError(
            _("Tổ tư vấn chưa có báo cáo kết quả rà soát."),
            code="advisory_report_missing",
            fields={"advisory_report.findings": _("Bắt buộc.")},
        )


def _result_required(level: str) -> Callable:
    def guard(dossier, data):
        if _final_result(dossier, level) is None:
            raise ValidationError(_("Hội đồng chưa có kết quả chính thức."), code="result_missing")

    return guard


def _provincial_stars(dossier, result) -> list[int]:
    for entry in dossier.regime.levels or []:
        if entry.get("level") == "province":
            return list(entry.get("stars") or [])
    return []


def _recognise_provincial(dossier, data) -> None:
    """3★/4★ by the provincial chair: on the provincial result, or on the central one after fallback
    (Điều 7 khoản 4)."""
    level = "central" if dossier.status == S.CENTRAL_FALLBACK else "province"
    result = _final_result(dossier, level)
    if result is None:
        raise ValidationError(_("Hội đồng chưa có kết quả chính thức."), code="result_missing")
    if result.star not in _provincial_stars(dossier, result):
        raise ValidationError(
            _("Kết quả %(star)s sao không thuộc thẩm quyền công nhận của tỉnh.") % {"star": result.star},
            code="star_not_provincial",
        )


def _forward_central(dossier, data) -> None:
    """≥ 90 points (regime data) and the provincial chair's approval of the result (Điều 7 khoản 3)."""
    result = _final_result(dossier, "province")
    threshold = dossier.regime.data.get("forward_to_central_min_points")
    if result is None or threshold is None or Decimal(result.mean) < Decimal(str(threshold)) or result.star < 5:
        raise ValidationError(
            _("Chỉ sản phẩm đạt từ %(points)s điểm và đủ yêu cầu tối thiểu 5 sao được đề nghị trung ương.")
            % {"points": threshold},
            code="not_eligible_for_central",
        )
    if not str((data or {}).get("approval_ref", "")).strip():
        raise ValidationError(
            _("Cần số quyết định phê duyệt kết quả của Chủ tịch UBND tỉnh."),
            code="approval_ref_missing",
            fields={"approval_ref": _("Bắt buộc.")},
        )


def _not_recognised(dossier, data) -> None:
    level = "central" if dossier.status == S.CENTRAL_FALLBACK else "province"
    result = _final_result(dossier, level)
    minimum = dossier.regime.data.get("recognised_min_stars", 3)
    if result is None or result.star >= minimum:
        raise ValidationError(_("Sản phẩm đạt hạng sao được công nhận."), code="result_recognisable")


def _recognise_central(dossier, data) -> None:
    result = _final_result(dossier, "central")
    if result is None or result.star < 5:
        raise ValidationError(_("Hội đồng trung ương chưa xác định đạt 5 sao."), code="not_five_stars")


def _central_fallback(dossier, data) -> None:
    result = _final_result(dossier, "central")
    if result is None:
        raise ValidationError(_("Hội đồng chưa có kết quả chính thức."), code="result_missing")
    if result.star >= 5:
        raise ValidationError(_("Sản phẩm đạt 5 sao, không trả về tỉnh."), code="result_five_stars")


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    actors: frozenset[str]
    reason_required: bool = False
    guards: tuple[Callable, ...] = ()
    # Only this service makes the move (it does work the generic transition cannot).
    via: str = ""


def _t(source, target, actors, *, reason=False, guards=(), via=""):
    return Transition(source, target, frozenset(actors), reason, tuple(guards), via)


TRANSITIONS: tuple[Transition, ...] = (
    _t(S.DRAFT, S.SUBMITTED, {PRODUCER}, via="dossier_submit"),
    _t(S.RETURNED, S.SUBMITTED, {PRODUCER}, via="dossier_submit"),
    _t(S.SUBMITTED, S.COMMUNE_REVIEW, {COMMUNE}),
    _t(S.SUBMITTED, S.RETURNED, {COMMUNE}, reason=True),
    _t(S.COMMUNE_REVIEW, S.RETURNED, {COMMUNE}, reason=True),
    _t(S.COMMUNE_REVIEW, S.FORWARDED_TO_PROVINCE, {COMMUNE}, guards=[_require_form03]),
    _t(S.FORWARDED_TO_PROVINCE, S.PROVINCIAL_INTAKE, {PROVINCE}),
    _t(S.PROVINCIAL_INTAKE, S.RETURNED, {PROVINCE}, reason=True),
    _t(S.PROVINCIAL_INTAKE, S.ADVISORY_REVIEW, {PROVINCE}, guards=[_require_council]),
    _t(
        S.ADVISORY_REVIEW,
        S.COUNCIL_SCORING,
        {ADVISORY, CHAIR, PROVINCE},
        guards=[_require_advisory_report],
        via="council_open_scoring",
    ),
    _t(S.COUNCIL_SCORING, S.SCORED, {CHAIR}, guards=[_result_required("province")], via="council_close_scoring"),
    _t(S.SCORED, S.RECOGNISED_PROVINCIAL, {PROVINCE}, guards=[_recognise_provincial], via="dossier_mark_decided"),
    _t(S.SCORED, S.PROPOSED_CENTRAL, {PROVINCE}, guards=[_forward_central]),
    _t(S.SCORED, S.NOT_RECOGNISED, {PROVINCE}, guards=[_not_recognised]),
    _t(S.PROPOSED_CENTRAL, S.CENTRAL_INTAKE, {CENTRAL}),
    _t(S.CENTRAL_INTAKE, S.CENTRAL_SCORING, {CENTRAL, CHAIR}, guards=[_require_council], via="council_open_scoring"),
    _t(S.CENTRAL_SCORING, S.RECOGNISED_CENTRAL, {CENTRAL}, guards=[_recognise_central], via="dossier_mark_decided"),
    _t(S.CENTRAL_SCORING, S.CENTRAL_FALLBACK, {CENTRAL}, guards=[_central_fallback]),
    _t(
        S.CENTRAL_FALLBACK,
        S.RECOGNISED_PROVINCIAL,
        {PROVINCE},
        guards=[_recognise_provincial],
        via="dossier_mark_decided",
    ),
    _t(S.CENTRAL_FALLBACK, S.PROVINCIAL_INTAKE, {PROVINCE}, reason=True),
    _t(S.CENTRAL_FALLBACK, S.NOT_RECOGNISED, {PROVINCE}, guards=[_not_recognised]),
)

TERMINAL = frozenset({S.RECOGNISED_PROVINCIAL, S.RECOGNISED_CENTRAL, S.NOT_RECOGNISED})


def transition_find(source: str, target: str) -> Transition | None:
    for t in TRANSITIONS:
        if t.source == source and t.target == target:
            return t
    return None


def transitions_from(source: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == source]


def transitions_available(*, kinds: frozenset[str], source: str) -> list[Transition]:
    """Moves a user acting in `kinds` may attempt from `source` (guards not evaluated): for the UI's buttons."""
    return [t for t in transitions_from(source) if t.actors & kinds]
