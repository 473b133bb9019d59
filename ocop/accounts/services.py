"""Writes for accounts: users, role assignments, API tokens. Every write leaves an audit event in the
same transaction."""

import hashlib
import secrets
import unicodedata
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.accounts.access import (
    ensure_can_assign_role,
    ensure_can_create_user,
    ensure_can_manage_api_tokens,
    ensure_can_revoke_api_token,
    scope_forget,
)
from ocop.accounts.models import ApiToken, Role, RoleAssignment
from ocop.core.audit import audit_record
from ocop.core.errors import Conflict, PermissionDenied, ValidationError

# ---------------------------------------------------------------------------------------------- users


def user_create(
    *,
    actor,
    username: str,
    full_name: str,
    email: str = "",
    phone: str = "",
    password: str | None = None,
    is_superuser: bool = False,
    request=None,
):
    """Create an account. Without `password` the account cannot log in until a password reset.

    Only superusers (or the platform, `actor=None`) create superusers. Raises PermissionDenied, or
    ValidationError(code="username_taken") when the username exists (case-insensitively).
    """
    ensure_can_create_user(actor)
    if is_superuser and actor is not None and not actor.is_superuser:
        raise PermissionDenied(
            _("Chỉ quản trị hệ thống mới tạo được tài khoản quản trị."), code="user_create_forbidden"
        )
    username = unicodedata.normalize("NFC", username.strip())
    full_name = unicodedata.normalize("NFC", " ".join(full_name.split()))
    User = get_user_model()
    if not username:
        raise ValidationError(fields={"username": _("Cần nhập tên đăng nhập.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            _("Tên đăng nhập đã được sử dụng."),
            code="username_taken",
            fields={"username": _("Tên đăng nhập đã được sử dụng.")},
        )
    with transaction.atomic():
        user = User(username=username, full_name=full_name, email=email.strip(), phone=phone.strip())
        user.is_superuser = user.is_staff = is_superuser
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        audit_record(
            action="user.create",
            actor=actor,
            target=user,
            data={"username": username, "is_superuser": is_superuser},
            request=request,
        )
    return user


# ---------------------------------------------------------------------------------------------- roles


def _is_current(unit, on: date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= on) and (unit.valid_until is None or unit.valid_until >= on)


def _validate_unit(role: str, unit, on: date) -> None:
    """The unit rules per role; the messages name the field so forms can show them beside it."""

    def fail(message, code):
        raise ValidationError(message, code=code, fields={"unit": message})

    if role == Role.CENTRAL_OFFICER:
        if unit is not None:
            fail(_("Cán bộ trung ương không gắn với đơn vị hành chính."), "role_unit_not_allowed")
        return
    if role in (Role.PROVINCIAL_OFFICER, Role.COMMUNE_OFFICER):
        level = "province" if role == Role.PROVINCIAL_OFFICER else "commune"
        if unit is None:
            fail(_("Vai trò này cần một đơn vị hành chính."), "role_unit_required")
        if unit.level != level:
            if level == "province":
                fail(_("Cán bộ cấp tỉnh phải gắn với một tỉnh/thành phố."), "role_unit_wrong_level")
            fail(_("Cán bộ cấp xã phải gắn với một xã/phường."), "role_unit_wrong_level")
    elif role == Role.COUNCIL_MEMBER and unit is not None and unit.level != "province":
        # Provincial councils belong to a province; the central council has no unit.
        fail(_("Hội đồng cấp tỉnh phải gắn với một tỉnh/thành phố."), "role_unit_wrong_level")
    if unit is not None and not _is_current(unit, on):
        fail(
            _("Đơn vị hành chính này không còn hiệu lực; hãy chọn đơn vị hiện hành."),
            "role_unit_not_current",
        )


def role_assign(
    *,
    actor,
    user,
    role: str,
    unit=None,
    object_id: str = "",
    valid_from: date | None = None,
    valid_until: date | None = None,
    request=None,
) -> RoleAssignment:
    """Give `user` a role, scoped to `unit` and/or bound to `object_id`.

    Rules: a central officer has no unit; a provincial officer needs a current province, a commune
    officer a current commune; a council member's unit, if any, is a current province. Raises
    PermissionDenied (see `ensure_can_assign_role`), ValidationError (codes `role_invalid`,
    `role_unit_*`, `role_validity_invalid`) or Conflict (`role_already_assigned`) for an identical
    active assignment. Writes an audit event `role.assign`.
    """
    if role not in Role.values:
        raise ValidationError(
            _("Vai trò không hợp lệ."), code="role_invalid", fields={"role": _("Vai trò không hợp lệ.")}
        )
    valid_from = valid_from or timezone.localdate()
    if valid_until is not None and valid_until < valid_from:
        message = _("Ngày hết hiệu lực phải sau ngày bắt đầu.")
        raise ValidationError(message, code="role_validity_invalid", fields={"valid_until": message})
    object_id = str(object_id or "").strip()
    _validate_unit(role, unit, valid_from)
    ensure_can_assign_role(actor, role, unit)
    with transaction.atomic():
        # Lock the user row so two concurrent identical grants cannot both pass the duplicate check.
        type(user).objects.select_for_update().filter(pk=user.pk).first()
        duplicate = RoleAssignment.objects.active(on=valid_from).filter(
            user=user, role=role, admin_unit=unit, object_id=object_id
        )
        if duplicate.exists():
            raise Conflict(_("Người dùng đã có vai trò này."), code="role_already_assigned")
        assignment = RoleAssignment.objects.create(
            user=user,
            role=role,
            admin_unit=unit,
            object_id=object_id,
            granted_by=actor if getattr(actor, "is_authenticated", False) else None,
            valid_from=valid_from,
            valid_until=valid_until,
        )
        audit_record(
            action="role.assign",
            actor=actor,
            target=assignment,
            data={
                "user": user.username,
                "role": role,
                "unit": unit.code if unit is not None else "",
                "object_id": object_id,
            },
            request=request,
        )
    scope_forget(user)
    return assignment


def role_revoke(*, actor, assignment: RoleAssignment, request=None) -> RoleAssignment:
    """End an assignment now (the row stays for history). The actor needs the right to grant it.

    Revoking an already revoked assignment changes nothing and writes no event.
    """
    ensure_can_assign_role(actor, assignment.role, assignment.admin_unit)
    with transaction.atomic():
        locked = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            action="role.revoke",
            actor=actor,
            target=locked,
            data={"user_id": locked.user_id, "role": locked.role},
            request=request,
        )
    assignment.revoked_at, assignment.revoked_by = locked.revoked_at, locked.revoked_by
    scope_forget(assignment.user)
    return locked


# ------------------------------------------------------------------------------------------ API tokens

# Last-use time is informative, not a security control: writing it on every request would turn each
# API read into a write, so it is refreshed at most once a minute per token.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def api_token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def api_token_create(*, actor, name: str, expires_at: datetime | None = None, request=None) -> tuple[ApiToken, str]:
    """Create a token for `actor` and return it with its secret — the only time the secret exists in
    clear. Raises PermissionDenied for non-officers, ValidationError for an empty name or a past expiry."""
    ensure_can_manage_api_tokens(actor)
    name = unicodedata.normalize("NFC", " ".join((name or "").split()))
    if not name:
        raise ValidationError(fields={"name": _("Cần đặt tên cho token.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(fields={"expires_at": _("Thời hạn phải ở tương lai.")})
    # 32 random bytes (256 bits): unguessable, so a fast unsalted hash is a safe lookup key.
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor, name=name[:100], prefix=secret[:8], key_hash=api_token_hash(secret), expires_at=expires_at
        )
        audit_record(
            action="api_token.create",
            actor=actor,
            target=token,
            data={"name": token.name, "prefix": token.prefix},
            request=request,
        )
    return token, secret


def api_token_revoke(*, actor, token: ApiToken, request=None) -> ApiToken:
    """Revoke a token (owner or superuser). Already revoked tokens are left as they are."""
    ensure_can_revoke_api_token(actor, token)
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            audit_record(
                action="api_token.revoke",
                actor=actor,
                target=locked,
                data={"name": locked.name, "prefix": locked.prefix},
                request=request,
            )
    return locked


def api_token_authenticate(*, secret: str):
    """The active user a secret belongs to, or None (unknown, revoked, expired, inactive user).

    The lookup is by hash of the secret, so comparing does not leak the secret through timing.
    Refreshes `last_used_at` at most once a minute.
    """
    if not secret or len(secret) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=api_token_hash(secret)).first()
    now = timezone.now()
    if token is None or not token.is_usable(now=now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        # Conditional update: concurrent requests in the same minute write once.
        stale = now - LAST_USED_RESOLUTION
        ApiToken.objects.filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale), pk=token.pk).update(
            last_used_at=now
        )
    return token.user
