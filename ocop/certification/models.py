"""Certificates of OCOP recognition. Issued by evaluation (source "evaluated") or recorded from published
lists (source "imported"). The evaluation app extends issuance; status over time is `rules.certificate_status_at`."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ocop.core.models import TimeStampedModel


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
        REVOKED = "revoked", _("Thu hồi")
        SUPERSEDED = "superseded", _("Được thay thế")

    product = models.ForeignKey(
        "registry.Product", on_delete=models.PROTECT, related_name="certificates", verbose_name=_("Sản phẩm")
    )
    star = models.PositiveSmallIntegerField(_("Hạng sao"))
    score = models.DecimalField(_("Điểm"), max_digits=5, decimal_places=2, null=True, blank=True)
    decision_number = models.CharField(_("Số quyết định"), max_length=255, blank=True)
    decided_on = models.DateField(_("Ngày quyết định"), null=True, blank=True)
    issuing_body = models.CharField(_("Cơ quan công nhận"), max_length=255, blank=True)
    issuing_level = models.CharField(
        _("Cấp công nhận"), max_length=16, choices=IssuingLevel.choices, default=IssuingLevel.PROVINCE
    )
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
        return f"{self.product} {self.star}★"
