"""Audit events are written inside the service's transaction, so a rolled-back change leaves no trace."""

from ocop.core.models import AuditEvent


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(*, action: str, actor=None, target=None, data: dict | None = None, request=None) -> AuditEvent:
    """Append one audit event. `target` is any model instance (its label and pk are stored)."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        ip_address=client_ip(request),
        data=data or {},
    )
