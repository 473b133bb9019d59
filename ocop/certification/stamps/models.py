"""Stamp models, imported by ocop/certification/models.py (app label "certification").

There is no row per stamp: a batch owns a half-open serial range under one key id, and a scan finds its batch by
range (docs/decisions/0007-stamp-codes.md). Scans and alerts are append-heavy; `ScanEvent` has no foreign-key
constraints so that PostgreSQL can partition it by month without cross-table locks (DESIGN §7).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StampKey(models.Model):
    """A key id that codes may carry. The secret is not stored here (stamps.keys). `next_serial` is the serial
    counter of this key id, locked with select_for_update while a batch takes its range."""

    key_id = models.PositiveSmallIntegerField(_("Mã khóa"), unique=True)
    active = models.BooleanField(_("Dùng cho lô mới"), default=False)
    next_serial = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["key_id"]
        constraints = [
            models.CheckConstraint(condition=Q(key_id__gte=1, key_id__lte=15), name="certification_stampkey_id_1_15"),
        ]
        verbose_name = _("Khóa tem")
        verbose_name_plural = _("Khóa tem")

    def __str__(self):
        return f"K{self.key_id}{' *' if self.active else ''}"


class StampPolicy(models.Model):
    """Per-province setting: may producers order stamps themselves (else only provincial officers)?"""

    province_code = models.CharField(_("Mã tỉnh"), max_length=2, unique=True)
    producers_may_order = models.BooleanField(_("Chủ thể được tự đặt tem"), default=False)

    class Meta:
        verbose_name = _("Quy định cấp tem")
        verbose_name_plural = _("Quy định cấp tem")

    def __str__(self):
        return f"{self.province_code}: {self.producers_may_order}"


class StampBatch(models.Model):
    """N stamps for a certified product: serials [serial_start, serial_end) under key `key_id`."""

    product = models.ForeignKey(
        "registry.Product", on_delete=models.PROTECT, related_name="stamp_batches", verbose_name=_("Sản phẩm")
    )
    certificate = models.ForeignKey(
        "certification.Certificate",
        on_delete=models.PROTECT,
        related_name="stamp_batches",
        verbose_name=_("Giấy chứng nhận"),
    )
    key_id = models.PositiveSmallIntegerField(_("Mã khóa"))
    serial_start = models.BigIntegerField(_("Số sê-ri đầu"))
    serial_end = models.BigIntegerField(_("Số sê-ri cuối (không gồm)"))
    quantity = models.PositiveIntegerField(_("Số lượng"))
    lot_code = models.CharField(_("Mã lô"), max_length=20, blank=True)
    label_width_mm = models.DecimalField(_("Chiều rộng tem (mm)"), max_digits=5, decimal_places=1, default=32)
    label_height_mm = models.DecimalField(_("Chiều cao tem (mm)"), max_digits=5, decimal_places=1, default=44)
    margin_mm = models.DecimalField(_("Lề trang (mm)"), max_digits=5, decimal_places=1, default=10)
    bleed_mm = models.DecimalField(_("Tràn lề (mm)"), max_digits=4, decimal_places=1, default=1.5)
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ordered_at = models.DateTimeField(_("Đặt lúc"), default=timezone.now)
    voided_at = models.DateTimeField(_("Hủy lúc"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    void_reason = models.TextField(_("Lý do hủy"), blank=True)
    pdf_job = models.ForeignKey("core.JobRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    csv_job = models.ForeignKey("core.JobRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-ordered_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(serial_end__gt=F("serial_start")), name="certification_batch_range"),
            models.CheckConstraint(
                condition=Q(quantity=F("serial_end") - F("serial_start")), name="certification_batch_quantity"
            ),
            # Ranges come from a locked counter, so they never overlap; the unique start guards the lookup.
            models.UniqueConstraint(fields=["key_id", "serial_start"], name="certification_batch_key_start"),
        ]
        verbose_name = _("Lô tem")
        verbose_name_plural = _("Lô tem")

    def __str__(self):
        return f"K{self.key_id}:{self.serial_start}–{self.serial_end - 1} ({self.quantity})"

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class ScanOutcome(models.TextChoices):
    VALID = "valid", _("Hợp lệ")
    EXPIRED = "expired", _("Giấy chứng nhận hết hiệu lực")
    REVOKED = "revoked", _("Giấy chứng nhận đã bị thu hồi")
    SUPERSEDED = "superseded", _("Giấy chứng nhận đã được thay thế")
    NOT_YET_VALID = "not_yet_valid", _("Giấy chứng nhận chưa có hiệu lực")
    VOIDED = "voided", _("Lô tem đã bị hủy")
    INVALID = "invalid", _("Không phải tem OCOP hợp lệ")


class ScanEvent(models.Model):
    """One scan or lookup of a stamp code. No raw personal data: the origin is a truncated address, the user agent
    a coarse family, a location only when the person ticked the consent box."""

    id = models.BigAutoField(primary_key=True)
    scanned_at = models.DateTimeField(default=timezone.now, db_index=True)
    code = models.CharField(max_length=20, blank=True)
    key_id = models.PositiveSmallIntegerField(null=True, blank=True)
    serial = models.BigIntegerField(null=True, blank=True)
    batch = models.ForeignKey(
        StampBatch, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    product = models.ForeignKey(
        "registry.Product", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    outcome = models.CharField(max_length=16, choices=ScanOutcome.choices)
    channel = models.CharField(max_length=8, default="page")
    device = models.CharField(max_length=8, blank=True)
    browser = models.CharField(max_length=16, blank=True)
    origin = models.CharField(max_length=64, blank=True)
    province_code = models.CharField(max_length=2, blank=True)
    location_consent = models.BooleanField(default=False)

    class Meta:
        ordering = ["-scanned_at", "-id"]
        indexes = [
            models.Index(fields=["key_id", "serial", "scanned_at"], name="cert_scan_serial_idx"),
            models.Index(fields=["product", "scanned_at"], name="cert_scan_product_idx"),
        ]
        verbose_name = _("Lượt quét tem")
        verbose_name_plural = _("Lượt quét tem")

    def __str__(self):
        return f"{self.code or '?'} {self.outcome} {self.scanned_at:%Y-%m-%d %H:%M}"


class CounterfeitAlert(models.Model):
    """A counterfeit signal, one row per (kind, product, serial, province) with a running count.

    Lifecycle (stamps.alerts): open → acknowledged (investigating) → resolved (confirmed counterfeit or false
    alarm), each step with who, when and a note. A resolved alert remembers the count it was resolved at
    (`resolved_count`); a later scan with the same fingerprint only increments `count`, and every read treats a
    resolved alert with `count > resolved_count` as open again ("re-opened") — see stamps.alerts.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Mới")
        ACKNOWLEDGED = "acknowledged", _("Đang xác minh")
        RESOLVED = "resolved", _("Đã xử lý")

    class Resolution(models.TextChoices):
        CONFIRMED = "confirmed", _("Xác nhận tem giả")
        FALSE_ALARM = "false_alarm", _("Báo động nhầm")

    class Kind(models.TextChoices):
        BAD_CODE = "bad_code", _("Mã tem sai (không đúng chữ ký)")
        UNISSUED = "unissued", _("Mã tem chưa từng được cấp")
        OVER_SCANNED = "over_scanned", _("Một tem bị quét quá nhiều lần")
        DISTANT_SCANS = "distant_scans", _("Một tem được quét ở các tỉnh cách xa nhau trong thời gian ngắn")
        AFTER_REVOCATION = "after_revocation", _("Quét tem sau khi giấy chứng nhận bị thu hồi")
        VOIDED_BATCH = "voided_batch", _("Quét tem thuộc lô đã hủy")

    kind = models.CharField(_("Loại cảnh báo"), max_length=20, choices=Kind.choices)
    fingerprint = models.CharField(max_length=96, unique=True)
    product = models.ForeignKey(
        "registry.Product",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="counterfeit_alerts",
        verbose_name=_("Sản phẩm"),
    )
    batch = models.ForeignKey(StampBatch, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts")
    serial = models.BigIntegerField(null=True, blank=True)
    province_code = models.CharField(_("Mã tỉnh"), max_length=2, blank=True, db_index=True)
    evidence = models.JSONField(default=dict)
    first_seen_at = models.DateTimeField(_("Lần đầu"))
    last_seen_at = models.DateTimeField(_("Lần cuối"), db_index=True)
    count = models.PositiveIntegerField(_("Số lần"), default=1)
    status = models.CharField(_("Trạng thái"), max_length=16, choices=Status.choices, default=Status.OPEN)
    acknowledged_at = models.DateTimeField(_("Tiếp nhận lúc"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledge_note = models.TextField(_("Ghi chú tiếp nhận"), blank=True)
    resolution = models.CharField(_("Kết luận"), max_length=16, choices=Resolution.choices, blank=True)
    resolved_at = models.DateTimeField(_("Xử lý lúc"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution_note = models.TextField(_("Ghi chú kết luận"), blank=True)
    resolved_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        indexes = [models.Index(fields=["status", "province_code"], name="cert_alert_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="resolved") | (Q(resolved_at__isnull=False) & ~Q(resolution="")),
                name="certification_alert_resolved_has_resolution",
            ),
        ]
        verbose_name = _("Cảnh báo tem giả")
        verbose_name_plural = _("Cảnh báo tem giả")

    def __str__(self):
        return f"{self.kind} {self.product_id} ×{self.count}"

    @property
    def is_reopened(self) -> bool:
        """Resolved, then scanned again with the same fingerprint."""
        return self.status == self.Status.RESOLVED and self.count > (self.resolved_count or 0)

    @property
    def state(self) -> str:
        """The status readers see: a re-opened alert is open."""
        return self.Status.OPEN if self.is_reopened else self.status

    def get_state_display(self) -> str:
        return self.Status(self.state).label
