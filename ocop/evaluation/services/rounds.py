"""Rounds (26/2026/QĐ-TTg Điều 5) and the shared helpers of the evaluation services."""

import datetime
import json
from functools import lru_cache
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.audit import audit_record
from ocop.core.errors import ValidationError
from ocop.evaluation import access, rules
from ocop.evaluation.models import EvaluationRound, Level
from ocop.evaluation.selectors import regime_for_filing

HOLIDAYS_FILE = Path(__file__).resolve().parent.parent / "data" / "holidays.json"


@lru_cache(maxsize=1)
def holidays() -> frozenset[datetime.date]:
    """Public holidays from data/holidays.json (non-working days for working-day deadlines)."""
    data = json.loads(HOLIDAYS_FILE.read_text(encoding="utf-8"))
    return frozenset(datetime.date.fromisoformat(d) for d in data["dates"])


def today() -> datetime.date:
    return timezone.localdate()


def _check_level(level: str, province_code: str) -> str:
    if level not in Level.values:
        raise ValidationError(fields={"level": _("Cấp đánh giá không hợp lệ.")})
    if level == Level.PROVINCE and not province_code:
        raise ValidationError(fields={"province_code": _("Đợt cấp tỉnh cần mã tỉnh.")})
    return province_code if level == Level.PROVINCE else ""


@transaction.atomic
def round_plan_year(*, actor, level: str, province_code: str = "", year: int) -> list[EvaluationRound]:
    """Create the regular rounds of `year` for a province (or the centre) from the regime's calendar data.

    26/2026/QĐ-TTg Điều 5: province round 1 decides before 30/06 for dossiers forwarded before 30/04, round 2
    before 30/12 for those forwarded before 30/10; central before 30/03 (forwarded before 30/01) and before
    30/09 (forwarded before 30/07). The dates come from data/regimes.json of the regime in force at the year's
    end. Idempotent: rounds already planned are kept. Raises PermissionDenied, ValidationError
    (`round_calendar_missing` when the regime has no calendar).
    """
    province_code = _check_level(level, province_code)
    access.ensure_can_plan_round(actor, level=level, province_code=province_code)
    regime = regime_for_filing(filed_on=datetime.date(year, 12, 31))
    try:
        calendar = rules.round_calendar(regime.rounds, level=level, year=year)
    except rules.ScoringError as exc:
        raise ValidationError(exc.message, code=exc.code) from exc
    created = []
    for dates in calendar:
        round_, was_created = EvaluationRound.objects.get_or_create(
            level=level,
            province_code=province_code,
            year=year,
            number=dates.number,
            defaults={
                "kind": EvaluationRound.Kind.REGULAR,
                "regime": regime,
                "forward_by": dates.forward_by,
                "decide_by": dates.decide_by,
                "created_by": actor,
            },
        )
        if was_created:
            audit_record(action="evaluation.round_planned", actor=actor, target=round_, data={"year": year})
        created.append(round_)
    return created


@transaction.atomic
def round_create_extra(
    *, actor, level: str, province_code: str = "", year: int, forward_by: datetime.date, decide_by: datetime.date
) -> EvaluationRound:
    """An extra round, allowed when the council's operating rules plan it (26/2026/QĐ-TTg Điều 5; the regime's
    `rounds.extra_rounds_allowed`). Numbered after the year's existing rounds. Raises PermissionDenied,
    ValidationError (`extra_rounds_not_allowed`, bad dates)."""
    province_code = _check_level(level, province_code)
    access.ensure_can_plan_round(actor, level=level, province_code=province_code)
    regime = regime_for_filing(filed_on=datetime.date(year, 12, 31))
    if regime.rounds is not None and not regime.rounds.get("extra_rounds_allowed", True):
        raise ValidationError(_("Quy trình này không cho phép đợt bổ sung."), code="extra_rounds_not_allowed")
    if decide_by < forward_by:
        raise ValidationError(fields={"decide_by": _("Hạn quyết định phải sau hạn chuyển hồ sơ.")})
    existing = EvaluationRound.objects.select_for_update().filter(level=level, province_code=province_code, year=year)
    number = max((r.number for r in existing), default=0) + 1
    round_ = EvaluationRound.objects.create(
        level=level,
        province_code=province_code,
        year=year,
        number=number,
        kind=EvaluationRound.Kind.EXTRA,
        regime=regime,
        forward_by=forward_by,
        decide_by=decide_by,
        created_by=actor,
    )
    audit_record(action="evaluation.round_planned", actor=actor, target=round_, data={"year": year, "extra": True})
    return round_


def round_set_status(*, actor, round_: EvaluationRound, status: str) -> EvaluationRound:
    """Open, move to scoring or close a round. Raises PermissionDenied, ValidationError."""
    access.ensure_can_plan_round(actor, level=round_.level, province_code=round_.province_code)
    if status not in EvaluationRound.Status.values:
        raise ValidationError(fields={"status": _("Trạng thái không hợp lệ.")})
    previous = round_.status
    round_.status = status
    round_.save(update_fields=["status"])
    audit_record(action="evaluation.round_status", actor=actor, target=round_, data={"from": previous, "to": status})
    return round_


def round_for_forwarding(*, level: str, province_code: str, on: datetime.date) -> EvaluationRound | None:
    """The earliest non-closed round a dossier forwarded on `on` joins ("forwarded before" the round's date)."""
    return (
        EvaluationRound.objects.filter(level=level, province_code=province_code, forward_by__gt=on)
        .exclude(status=EvaluationRound.Status.CLOSED)
        .order_by("forward_by", "number")
        .first()
    )
