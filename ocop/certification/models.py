"""Certificates of OCOP recognition, the decisions that issue them and their revocations.

Certificates are issued on the platform (`services.certificate_issue`, source "evaluated") or recorded from
published lists (source "imported", by the registry importer). Status over time is `rules.certificate_status_at`;
the `status` column is kept in sync for reporting (docs/decisions/0006-certificate-number.md).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ocop.core.files import private_storage
from ocop.core.models import TimeStampedModel


class Level(models.TextChoices):
    """Who recognises: the Provincial People's Committee (3★/4★) or the ministry (5★) — 26/2026/QĐ-TTg Art. 4."""

    PROVINCE = "province", _("Tỉnh")
    CENTRAL = "central", _("Trung ương")


class Decision(TimeStampedModel):
    """A recognition decision (quyết định công nhận) of a province or of the ministry."""

    issuing_body = models.CharField(_("Cơ quan ban hành"), max_length=255)
    level = models.CharField(_("Cấp"), max_length=16, choices=Level.choices)
    number = models.CharField(_("Số quyết định"), max_length=64)
    decided_on = models.DateField(_("Ngày quyết định"))
    signer_name = models.CharField(_("Người ký"), max_length=150, blank=True)
    signer_title = models.CharField(_("Chức vụ người ký"), max_length=150, blank=True)
    # Current province code (2 chars) of a provincial decision; empty for the ministry.
    province_code = models.CharField(_("Mã tỉnh"), max_length=2, blank=True, db_index=True)
    regime = models.ForeignKey(
        "evaluation.Regime",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("Quy trình đánh giá"),
    )
    note = models.TextField(_("Ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(number=""), name="certification_decision_number_required"),
            models.CheckConstraint(
                condition=Q(level="central") | ~Q(province_code=""), name="certification_decision_province_required"
            ),
        ]
        verbose_name = _("Quyết định công nhận")
        verbose_name_plural = _("Quyết định công nhận")

    def __str__(self):
        return f"{self.number} ({self.decided_on:%d/%m/%Y})"


class Certificate(TimeStampedModel):
    class IssuingLevel(models.TextChoices):
        CENTRAL = "central", _("Trung ương")
        PROVINCE = "province", _("Tỉnh")
        DISTRICT = "district", _("Huyện")

    class Source(models.TextChoices):
        EVALUATED = "evaluated", _("Đánh giá trên nền tảng")
        IMPORTED = "imported", _("Nhập từ danh sách công bố")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Hiệu lực")
        EXPIRED = "expired", _("Hết hiệu lực")
        REVOKED = "revoked", _("Thu hồi")
        SUPERSEDED = "superseded", _("Được thay thế")

    # Nullable-unique: certificates issued here get one (docs/decisions/0006); imported ones keep only the
    # published decision number, since no number was printed for them that a consumer could type in.
    number = models.CharField(_("Số giấy chứng nhận"), max_length=32, unique=True, null=True, blank=True)
    product = models.ForeignKey(
        "registry.Product", on_delete=models.PROTECT, related_name="certificates", verbose_name=_("Sản phẩm")
    )
    star = models.PositiveSmallIntegerField(_("Hạng sao"))
    score = models.DecimalField(_("Điểm"), max_digits=5, decimal_places=2, null=True, blank=True)
    decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("Quyết định công nhận"),
    )
    # Copied from `decision` on issue; the only record for imported certificates.
    decision_number = models.CharField(_("Số quyết định"), max_length=255, blank=True)
    decided_on = models.DateField(_("Ngày quyết định"), null=True, blank=True)
    issuing_body = models.CharField(_("Cơ quan công nhận"), max_length=255, blank=True)
    issuing_level = models.CharField(
        _("Cấp công nhận"), max_length=16, choices=IssuingLevel.choices, default=IssuingLevel.PROVINCE
    )
    regime = models.ForeignKey(
        "evaluation.Regime",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("Quy trình đánh giá"),
    )
    # `valid_from` is the issue date: validity runs from issue (26/2026/QĐ-TTg Art. 4); `issued_on` reads it.
    # Published lists often give only a year; then valid_from is 1 January of it and `dates_estimated` is set.
    valid_from = models.DateField(_("Hiệu lực từ"), null=True, blank=True)
    valid_until = models.DateField(_("Hiệu lực đến"), null=True, blank=True)
    dates_estimated = models.BooleanField(default=False)
    source = models.CharField(_("Nguồn"), max_length=16, choices=Source.choices, default=Source.EVALUATED)
    source_url = models.URLField(_("Đường dẫn nguồn"), max_length=500, blank=True)
    criteria_version = models.ForeignKey(
        "registry.CriteriaVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    status = models.CharField(_("Trạng thái"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    status_changed_on = models.DateField(null=True, blank=True)
    status_reason = models.TextField(blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes", verbose_name=_("Thay bằng")
    )
    revoked_at = models.DateTimeField(_("Thu hồi lúc"), null=True, blank=True)
    # A re-evaluation filed keeps the certificate valid pending the result, at most N days past expiry
    # (26/2026/QĐ-TTg Art. 12(3)); `reevaluation_grace_until` is that last day, computed from regime data.
    reevaluation_filed_on = models.DateField(_("Ngày nộp hồ sơ đánh giá lại"), null=True, blank=True)
    reevaluation_grace_until = models.DateField(_("Gia hạn chờ kết quả đánh giá lại đến"), null=True, blank=True)
    import_batch = models.ForeignKey(
        "registry.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(star__gte=1, star__lte=5), name="certification_star_1_5"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100), name="certification_score_0_100"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gt=models.F("valid_from")),
                name="certification_valid_until_after_from",
            ),
        ]
        indexes = [models.Index(fields=["product", "status"]), models.Index(fields=["valid_from", "valid_until"])]
        verbose_name = _("Giấy chứng nhận OCOP")
        verbose_name_plural = _("Giấy chứng nhận OCOP")

    def __str__(self):
        return f"{self.number or self.product} {self.star}★"

    @property
    def issued_on(self):
        return self.valid_from


class Revocation(TimeStampedModel):
    """A revocation decision (26/2026/QĐ-TTg Art. 8): the ground, the conclusion it rests on and the decision."""

    class Ground(models.TextChoices):
        DISHONEST_DOSSIER = "dishonest_dossier", _("Hồ sơ không trung thực hoặc giả mạo")
        CRITERIA_NOT_MET = "criteria_not_met", _("Sản phẩm không còn đáp ứng tiêu chí theo kết luận kiểm tra")
        LEGAL_VIOLATION = (
            "legal_violation",
            _(
                "Vi phạm quy định về chất lượng, an toàn thực phẩm, môi trường, sở hữu trí tuệ, nhãn hàng hóa "
                "hoặc pháp luật khác"
            ),
        )
        MARK_MISUSE = "mark_misuse", _("Sử dụng biểu trưng OCOP sai mục đích, gây nhầm lẫn")
        PRODUCTION_STOPPED = "production_stopped", _("Chủ thể không còn sản xuất sản phẩm")
        OTHER_AUTHORITY = "other_authority", _("Kết luận khác của cơ quan có thẩm quyền")

    certificate = models.OneToOneField(
        Certificate, on_delete=models.PROTECT, related_name="revocation", verbose_name=_("Giấy chứng nhận")
    )
    ground = models.CharField(_("Căn cứ thu hồi"), max_length=32, choices=Ground.choices)
    conclusion_on = models.DateField(_("Ngày kết luận"))
    report = models.TextField(_("Báo cáo xác minh"))
    report_file = models.FileField(
        _("Tệp báo cáo xác minh"), storage=private_storage, upload_to="revocations/%Y/", blank=True
    )
    decision_number = models.CharField(_("Số quyết định thu hồi"), max_length=64)
    decided_on = models.DateField(_("Ngày quyết định thu hồi"))
    level = models.CharField(_("Cấp"), max_length=16, choices=Level.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__gte=models.F("conclusion_on")), name="certification_revocation_after_conclusion"
            ),
        ]
        verbose_name = _("Quyết định thu hồi")
        verbose_name_plural = _("Quyết định thu hồi")

    def __str__(self):
        return f"{self.decision_number} → {self.certificate}"


class NumberSequence(models.Model):
    """Last certificate number handed out per prefix ("OCOP-CN-68-2026"); the row is locked while numbering."""

    prefix = models.CharField(max_length=32, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.prefix}: {self.last}"


class Notification(models.Model):
    """A notice about a certificate to a producer's user or to a provincial office (recipient_user empty).

    One per certificate, kind and recipient: the daily job may run any number of times.
    """

    class Kind(models.TextChoices):
        REEVALUATION_WINDOW_OPEN = "reevaluation_window_open", _("Mở thời hạn nộp hồ sơ đánh giá lại")
        REEVALUATION_WINDOW_CLOSING = "reevaluation_window_closing", _("Sắp hết thời hạn nộp hồ sơ đánh giá lại")

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("Loại"), max_length=32, choices=Kind.choices)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    province_code = models.CharField(_("Mã tỉnh"), max_length=2, blank=True)
    sent_on = models.DateField(_("Ngày gửi"))
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "kind", "recipient_user"],
                condition=Q(recipient_user__isnull=False),
                name="certification_notification_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["certificate", "kind", "province_code"],
                condition=Q(recipient_user__isnull=True),
                name="certification_notification_once_per_office",
            ),
        ]
        verbose_name = _("Thông báo")
        verbose_name_plural = _("Thông báo")

    def __str__(self):
        return f"{self.kind} {self.certificate_id}"


# Stamp models live in their own module; importing them here registers them with the certification app.
from ocop.certification.stamps.models import (  # noqa: E402, F401
    CounterfeitAlert,
    ScanEvent,
    ScanOutcome,
    StampBatch,
    StampKey,
    StampPolicy,
)
