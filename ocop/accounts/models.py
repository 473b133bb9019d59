from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person using the platform. What they may do comes from RoleAssignment rows, not from fields here."""

    full_name = models.CharField(_("Họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("Điện thoại"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("Người dùng")
        verbose_name_plural = _("Người dùng")

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class Role(models.TextChoices):
    CENTRAL_OFFICER = "central_officer", _("Cán bộ trung ương")
    PROVINCIAL_OFFICER = "provincial_officer", _("Cán bộ cấp tỉnh")
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ cấp xã")
    PRODUCER = "producer", _("Đại diện chủ thể")
    COUNCIL_MEMBER = "council_member", _("Thành viên hội đồng")


# Shown where roles are listed; superusers hold no assignment, they bypass role checks.
SUPERUSER_LABEL = _("Quản trị hệ thống")

OFFICER_ROLES = frozenset({Role.CENTRAL_OFFICER, Role.PROVINCIAL_OFFICER, Role.COMMUNE_OFFICER})


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self, *, on=None):
        """Assignments in force on the date `on` (today by default): not revoked and inside their validity."""
        on = on or timezone.localdate()
        return self.filter(
            Q(revoked_at__isnull=True),
            Q(valid_from__lte=on),
            Q(valid_until__isnull=True) | Q(valid_until__gte=on),
        )


class RoleAssignment(models.Model):
    """One role a user holds, scoped to an administrative unit and/or an object.

    Rows are never deleted: revoking sets `revoked_at`, so "who could do what, when" stays answerable.
    `object_id` points at the object a role is bound to (the Subject of a producer representative, the
    Council of a council member); it is a string so that accounts does not depend on later apps.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("Vai trò"), max_length=32, choices=Role.choices)
    admin_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("Đơn vị hành chính"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    object_id = models.CharField(_("Đối tượng"), max_length=64, blank=True, db_index=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    valid_from = models.DateField(_("Hiệu lực từ"), default=timezone.localdate)
    # Inclusive last day; empty means open-ended (council members are typically appointed per round).
    valid_until = models.DateField(_("Hiệu lực đến"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("Thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["user_id", "role", "id"]
        indexes = [models.Index(fields=["user", "revoked_at"]), models.Index(fields=["role", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="accounts_role_validity_order",
            ),
        ]
        verbose_name = _("Phân công vai trò")
        verbose_name_plural = _("Phân công vai trò")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """ "Cán bộ cấp tỉnh — Tỉnh Lâm Đồng" (the role, then the unit when there is one)."""
        role = str(self.get_role_display())
        if self.admin_unit_id:
            return f"{role} — {self.admin_unit.full_name}"
        return role

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return (
            self.revoked_at is None
            and self.valid_from <= today
            and (self.valid_until is None or self.valid_until >= today)
        )


class ApiToken(models.Model):
    """A secret a partner system sends as `Authorization: Bearer …`; it acts as its user.

    Only the SHA-256 of the secret is stored (the secret is random and long, so a plain hash is
    enough — no salt or slow hash needed), and the secret is shown once when the token is created.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("Tên"), max_length=100)
    prefix = models.CharField(_("Tiền tố"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("Dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("Thu hồi lúc"), null=True, blank=True)
    expires_at = models.DateTimeField(_("Hết hạn lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Token API")
        verbose_name_plural = _("Token API")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, *, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
