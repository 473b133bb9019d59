"""Writes for evaluation's reference data."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ocop.core.audit import audit_record
from ocop.core.errors import PermissionDenied, ValidationError
from ocop.core.text import nfc
from ocop.evaluation.loading import sheet_recheck
from ocop.evaluation.models import Criterion, CriterionCorrection, CriterionOption

# Which fields a correction may change. Structure (parts, sections, positions) is never corrected: a sheet
# whose structure is wrong is reloaded from a corrected source file instead.
CRITERION_FIELDS = {"code": "text", "text": "text", "max_points": "points", "scoring": "scoring"}
OPTION_FIELDS = {"text": "text", "points": "points_or_null", "min_star": "star_or_null"}


def ensure_can_correct_criteria(user) -> None:
    """Only central officers (and superusers) correct the criteria data, which binds every province.

    Raises PermissionDenied.
    """
    from ocop.accounts.access import scope_for

    if user is None or not getattr(user, "is_authenticated", False):
        raise PermissionDenied()
    if not (user.is_superuser or scope_for(user).nationwide):
        raise PermissionDenied(_("Chỉ cán bộ trung ương được đính chính bộ tiêu chí."))


def _clean_value(kind: str, value, field: str):
    if kind == "text":
        value = nfc(value)
        if not value:
            raise ValidationError(fields={field: _("Không được để trống.")})
        return value
    if kind == "scoring":
        if value not in Criterion.Scoring.values:
            raise ValidationError(fields={field: _("Cách tính điểm không hợp lệ.")})
        return value
    if value is None and kind.endswith("_or_null"):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(fields={field: _("Phải là số nguyên không âm.")})
    if kind.startswith("star") and not 1 <= value <= 5:
        raise ValidationError(fields={field: _("Hạng sao phải từ 1 đến 5.")})
    return value


@transaction.atomic
def criterion_correct(
    *, actor, criterion: Criterion, field: str, new_value, reason: str, option: CriterionOption | None = None
) -> CriterionCorrection:
    """Correct one field of a criterion (or of one of its options) where the source data is wrong.

    Preconditions: `actor` is a central officer or superuser; `reason` is given (cite the official text);
    `field` is one of CRITERION_FIELDS (or OPTION_FIELDS when `option` is given).
    Side effects: saves the new value (django-simple-history keeps the previous row, and a baseline history
    row is written first when the row has none), writes a CriterionCorrection with the old and new value,
    re-runs the sheet's checks (so correcting the last defect makes the sheet usable for scoring) and
    writes the audit event `evaluation.criterion_corrected`.
    Errors: PermissionDenied; ValidationError for an unknown field, a bad value, an empty reason, an option of
    another criterion, or a value equal to the current one.
    """
    ensure_can_correct_criteria(actor)
    reason = nfc(reason)
    if not reason:
        raise ValidationError(fields={"reason": _("Cần ghi lý do đính chính.")})
    target = option if option is not None else criterion
    allowed = OPTION_FIELDS if option is not None else CRITERION_FIELDS
    if field not in allowed:
        raise ValidationError(fields={"field": _("Trường này không được đính chính.")})
    if option is not None and option.criterion_id != criterion.pk:
        raise ValidationError(fields={"option": _("Phương án không thuộc tiêu chí này.")})
    target = type(target).objects.select_for_update().get(pk=target.pk)
    value = _clean_value(allowed[field], new_value, field)
    old_value = getattr(target, field)
    if old_value == value:
        raise ValidationError(fields={"new_value": _("Giá trị mới trùng giá trị hiện tại.")})
    if not target.history.exists():
        # Loaded in bulk without history: record the source state first so history shows before and after.
        type(target).history.bulk_history_create([target], default_change_reason="source")
    setattr(target, field, value)
    target._change_reason = reason
    target.save(update_fields=[field])
    correction = CriterionCorrection.objects.create(
        criterion=criterion,
        option=option,
        field=field,
        old_value=old_value,
        new_value=value,
        reason=reason,
        actor=actor,
    )
    errors, _warnings = sheet_recheck(sheet=criterion.sheet)
    audit_record(
        action="evaluation.criterion_corrected",
        actor=actor,
        target=criterion,
        data={
            "sheet": criterion.sheet_id,
            "option": option.pk if option is not None else None,
            "field": field,
            "old": old_value,
            "new": value,
            "reason": reason,
            "sheet_valid": not errors,
        },
    )
    return correction
