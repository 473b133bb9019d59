"""From council results to a recognition decision and its certificates (26/2026/QĐ-TTg Art. 4 and 7(3)-(4)).

The glue between evaluation (final council results, the dossier workflow) and certification (decisions,
certificates): one decision lists every dossier it decides; each recognised dossier gets a certificate and moves
to its recognised status; 1★/2★ dossiers move to not-recognised. All in one transaction.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ocop.certification import rules
from ocop.certification.access import ensure_can_create_decision
from ocop.certification.models import Certificate, Decision, Level
from ocop.certification.services import certificate_issue, certificate_reevaluation_end, decision_create
from ocop.core.errors import ValidationError
from ocop.evaluation.access import ensure_can_view_dossier
from ocop.evaluation.models import Dossier
from ocop.evaluation.selectors import dossier_result_final
from ocop.evaluation.services import dossier_mark_decided, dossier_transition

S = Dossier.Status
# Status the dossier is in → (the level whose council result it is decided on, the decision level).
# A dossier returned by the centre (central_fallback) is decided by the province on the central result (Art. 7(4)).
DECIDABLE = {
    S.SCORED: ("province", Level.PROVINCE),
    S.CENTRAL_FALLBACK: ("central", Level.PROVINCE),
    S.CENTRAL_SCORING: ("central", Level.CENTRAL),
}


@dataclass
class DecisionRecord:
    decision: Decision
    certificates: list[Certificate] = field(default_factory=list)
    recognised: list[Dossier] = field(default_factory=list)
    not_recognised: list[Dossier] = field(default_factory=list)


@dataclass(frozen=True)
class _Plan:
    dossier: Dossier
    result: object
    recognise: bool


def _plan_one(dossier: Dossier, level: str) -> tuple[_Plan | None, str]:
    """What the decision does with one dossier, or the reason it cannot decide it."""
    if dossier.status not in DECIDABLE:
        return None, str(
            _("Hồ sơ đang ở trạng thái “%(status)s”, chưa thể ra quyết định.") % {"status": S(dossier.status).label}
        )
    result_level, decision_level = DECIDABLE[dossier.status]
    if decision_level != level:
        return None, str(_("Hồ sơ này do cấp khác ra quyết định công nhận."))
    result = dossier_result_final(dossier=dossier, level=result_level)
    if result is None:
        return None, str(_("Hội đồng chưa có kết quả chính thức cho hồ sơ này."))
    minimum = int((dossier.regime.data or {}).get("recognised_min_stars", 3))
    if result.star < minimum:
        if level == Level.CENTRAL:
            # The centre does not decide non-recognition: it returns the dossier to the province (Art. 7(4)).
            return None, str(_("Kết quả dưới 5 sao: trả hồ sơ về tỉnh thay vì ra quyết định cấp trung ương."))
        return _Plan(dossier, result, recognise=False), ""
    if result.star not in rules.recognising_stars(dossier.regime.levels, level):
        return None, str(
            _("Kết quả %(star)s sao không thuộc thẩm quyền công nhận của cấp này.") % {"star": result.star}
        )
    return _Plan(dossier, result, recognise=True), ""


def _plan(*, actor, dossiers, level: str) -> list[_Plan]:
    """Lock the dossiers (in id order, so two decisions cannot deadlock) and plan each one; every problem is
    reported at once as field errors keyed `dossiers.<id>`."""
    ids = sorted({d.pk for d in dossiers})
    if not ids:
        raise ValidationError(
            _("Chọn ít nhất một hồ sơ."), code="decision_invalid", fields={"dossiers": [_("Bắt buộc.")]}
        )
    for dossier in dossiers:
        ensure_can_view_dossier(actor, dossier)
    locked = list(
        Dossier.objects.select_for_update()
        .filter(pk__in=ids)
        .select_related("regime", "product__subject")
        .order_by("pk")
    )
    plans, errors = [], {}
    provinces = {d.province_code for d in locked}
    if level == Level.PROVINCE and len(provinces) > 1:
        errors["dossiers"] = [_("Một quyết định cấp tỉnh chỉ công nhận sản phẩm của một tỉnh.")]
    for dossier in locked:
        plan, problem = _plan_one(dossier, level)
        if plan is None:
            errors[f"dossiers.{dossier.pk}"] = [problem]
        else:
            plans.append(plan)
    if errors:
        raise ValidationError(
            _("Không thể ra quyết định cho các hồ sơ đã chọn."), code="decision_dossiers_invalid", fields=errors
        )
    return plans


def _regime_of(plans: list[_Plan]):
    """The regime the decision follows: the dossiers' own, the newest when they differ (transition rules)."""
    regimes = {p.dossier.regime_id: p.dossier.regime for p in plans}
    return max(regimes.values(), key=lambda r: r.effective_from)


def _prior_certificate(dossier: Dossier) -> Certificate | None:
    if not dossier.prior_certificate_id:
        return None
    return Certificate.objects.select_related("product__subject").filter(pk=dossier.prior_certificate_id).first()


def decision_record_from_results(
    *,
    actor,
    dossiers,
    number: str,
    decided_on: datetime.date | None,
    signer_name: str = "",
    signer_title: str = "",
    level: str,
    issuing_body: str = "",
    note: str = "",
) -> DecisionRecord:
    """Record ONE recognition decision over `dossiers` from their final council results, all or nothing.

    Per dossier, by its status: `scored` (provincial result) and `central_fallback` (central result, Art. 7(4))
    are decided by the province; `central_scoring` (central result) by the ministry. A 3★/4★ (province) or 5★
    (central) result gets a certificate (`certificate_issue`: star, the council mean as score, the dossier's
    regime; it supersedes the product's valid certificate — upgrade, re-evaluation) and the dossier moves to its
    recognised status (`dossier_mark_decided`, decision number as reference). A 1★/2★ result gets no
    certificate: the dossier moves to not_recognised, and a re-evaluated product's old certificate loses its
    waiting grace (`certificate_reevaluation_end`).
    Raises ValidationError (`decision_invalid`: number, date, level; `decision_dossiers_invalid` with one field
    per dossier: not decidable in its status, no final result, a star the level does not recognise),
    PermissionDenied (not an officer of that level/province), NotFound (dossier out of scope). Nothing is written
    unless every dossier can be decided.
    """
    if level not in Level.values:
        raise ValidationError(
            _("Quyết định chưa đủ thông tin."),
            code="decision_invalid",
            fields={"level": [_("Cấp quyết định không hợp lệ.")]},
        )
    dossiers = list(dossiers)
    provinces = {d.province_code for d in dossiers}
    if level == Level.CENTRAL or len(provinces) == 1:
        # Who may record this level's decision is known before the dossiers are examined: refuse early (403).
        for dossier in dossiers:
            ensure_can_view_dossier(actor, dossier)
        ensure_can_create_decision(actor, level=level, province_code="" if level == Level.CENTRAL else provinces.pop())
    with transaction.atomic():
        plans = _plan(actor=actor, dossiers=dossiers, level=level)
        province_code = plans[0].dossier.province_code if level == Level.PROVINCE else ""
        decision = decision_create(
            actor=actor,
            level=level,
            number=number,
            decided_on=decided_on,
            issuing_body=issuing_body,
            province_code=province_code,
            signer_name=signer_name,
            signer_title=signer_title,
            regime=_regime_of(plans),
            note=note,
        )
        record = DecisionRecord(decision=decision)
        for plan in plans:
            _apply(actor=actor, plan=plan, decision=decision, level=level, record=record)
    return record


def _apply(*, actor, plan: _Plan, decision: Decision, level: str, record: DecisionRecord) -> None:
    dossier, result = plan.dossier, plan.result
    if plan.recognise:
        record.certificates.append(
            certificate_issue(
                actor=actor,
                decision=decision,
                product=dossier.product,
                star=result.star,
                score=result.mean,
                regime=dossier.regime,
                level=level,
            )
        )
        record.recognised.append(dossier_mark_decided(actor=actor, dossier=dossier, decision_ref=decision.number))
        return
    moved = dossier_transition(
        actor=actor,
        dossier=dossier,
        to=S.NOT_RECOGNISED,
        data={"decision_ref": decision.number, "star": result.star},
        expected_revision=dossier.revision,
    )
    moved.decision_ref = decision.number
    moved.save(update_fields=["decision_ref"])
    record.not_recognised.append(moved)
    prior = _prior_certificate(dossier) if dossier.kind == Dossier.Kind.REEVALUATION else None
    if prior is not None and prior.reevaluation_grace_until is not None:
        certificate_reevaluation_end(actor=actor, certificate=prior, decided_on=decision.decided_on)
