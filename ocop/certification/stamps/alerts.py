"""Counterfeit alert lifecycle: open → acknowledged (investigating) → resolved (confirmed counterfeit or false
alarm). Each step records who, when and a mandatory note on the row and as an audit event.

Re-opening. The scan path (services.counterfeit_alert_raise) only increments `count` on the alert row of a
fingerprint, whatever its status, so a scan writes nothing more than before. Resolving stores the count at that
moment (`resolved_count`); a resolved alert whose `count` has grown since is open again ("re-opened") for every
read (`CounterfeitAlert.state`, selectors.counterfeit_alert_list_for_user) and for the transitions below: it can be
acknowledged or resolved again, and the earlier resolution stays in the audit trail. Re-opening keeps one row per
fingerprint (the running count and the evidence continue) instead of starting a new alert.

An open alert may be resolved directly (an obvious false alarm needs no investigation step).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.certification.stamps import access
from ocop.certification.stamps.models import CounterfeitAlert
from ocop.core.audit import audit_record
from ocop.core.errors import Conflict, ValidationError
from ocop.core.text import nfc

Status = CounterfeitAlert.Status
NOTE_MAX = 2000

# Allowed moves by current state (a re-opened alert is in state "open").
TRANSITIONS = {
    "acknowledge": {Status.OPEN},
    "resolve": {Status.OPEN, Status.ACKNOWLEDGED},
}


def _clean_note(note: str, *, message) -> str:
    note = nfc(note or "").strip()
    if not note:
        raise ValidationError(message, code="stamp_alert_note_required", fields={"note": [message]})
    if len(note) > NOTE_MAX:
        msg = _("Ghi chú tối đa %(n)s ký tự.") % {"n": NOTE_MAX}
        raise ValidationError(msg, code="stamp_alert_note_too_long", fields={"note": [msg]})
    return note


def _locked(alert: CounterfeitAlert, move: str) -> CounterfeitAlert:
    locked = CounterfeitAlert.objects.select_for_update().get(pk=alert.pk)
    if locked.state not in TRANSITIONS[move]:
        raise Conflict(
            _("Cảnh báo đang ở trạng thái “%(status)s”, không thực hiện được thao tác này.")
            % {"status": Status(locked.state).label},
            code="stamp_alert_wrong_status",
        )
    return locked


def counterfeit_alert_acknowledge(*, actor, alert: CounterfeitAlert, note: str, request=None) -> CounterfeitAlert:
    """Take an open (or re-opened) alert into investigation.

    Note required (ValidationError `stamp_alert_note_required`, field `note`); provincial officers of the alert's
    province or central officers (PermissionDenied); an alert already acknowledged or resolved raises Conflict
    `stamp_alert_wrong_status`. Nothing is written when any check fails. Audited (`stamp.alert_acknowledge`).
    """
    note = _clean_note(note, message=_("Nhập ghi chú khi tiếp nhận cảnh báo."))
    access.ensure_can_handle_counterfeit_alert(actor, alert)
    with transaction.atomic():
        locked = _locked(alert, "acknowledge")
        reopened = locked.is_reopened
        locked.status = Status.ACKNOWLEDGED
        locked.acknowledged_at = timezone.now()
        locked.acknowledged_by = actor
        locked.acknowledge_note = note
        locked.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "acknowledge_note"])
        audit_record(
            action="stamp.alert_acknowledge",
            actor=actor,
            target=locked,
            data={"note": note, "count": locked.count, "reopened": reopened},
            request=request,
        )
    return locked


def counterfeit_alert_resolve(
    *, actor, alert: CounterfeitAlert, resolution: str, note: str, request=None
) -> CounterfeitAlert:
    """Close an open or acknowledged alert as `confirmed` (counterfeit) or `false_alarm`.

    Resolution and note required (ValidationError with fields `resolution` / `note`); same access as acknowledging;
    an alert already resolved (and not re-opened since) raises Conflict. Stores the count at resolution, so a later
    scan of the same fingerprint re-opens it. Audited (`stamp.alert_resolve`).
    """
    errors = {}
    if resolution not in CounterfeitAlert.Resolution.values:
        errors["resolution"] = [_("Chọn kết luận: tem giả hay báo động nhầm.")]
    try:
        note = _clean_note(note, message=_("Nhập ghi chú kết luận xử lý cảnh báo."))
    except ValidationError as exc:
        errors.update(exc.fields)
    if errors:
        raise ValidationError(
            _("Chưa đủ thông tin để kết luận cảnh báo."), code="stamp_alert_resolve_invalid", fields=errors
        )
    access.ensure_can_handle_counterfeit_alert(actor, alert)
    with transaction.atomic():
        locked = _locked(alert, "resolve")
        reopened = locked.is_reopened
        locked.status = Status.RESOLVED
        locked.resolution = resolution
        locked.resolved_at = timezone.now()
        locked.resolved_by = actor
        locked.resolution_note = note
        locked.resolved_count = locked.count
        locked.save(
            update_fields=["status", "resolution", "resolved_at", "resolved_by", "resolution_note", "resolved_count"]
        )
        audit_record(
            action="stamp.alert_resolve",
            actor=actor,
            target=locked,
            data={"resolution": resolution, "note": note, "count": locked.count, "reopened": reopened},
            request=request,
        )
    return locked
