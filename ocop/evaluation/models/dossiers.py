"""Rounds (đợt đánh giá), dossiers (hồ sơ), their event history, self-assessment and evidence.

A dossier records the regime and criteria sheet it follows (DESIGN.md §4: every evaluation records the version
it used). Certificates live in the certification app, which depends on evaluation; a dossier therefore keeps the
prior certificate as plain values (id, star, validity end) instead of a foreign key, so the dependency stays
one-way.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocop.core.files import private_storage


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    CENTRAL = "central", _("Cấp trung ương")


class EvaluationRound(models.Model):
    """One evaluation round of a province or of the centre (26/2026/QĐ-TTg Điều 5)."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Định kỳ")
        EXTRA = "extra", _("Bổ sung")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Kế hoạch")
        OPEN = "open", _("Đang nhận hồ sơ")
        SCORING = "scoring", _("Đang chấm điểm")
        CLOSED = "closed", _("Đã kết thúc")

    level = models.CharField(_("Cấp"), max_length=16, choices=Level.choices)
    province_code = models.CharField(_("Mã tỉnh"), max_length=2, blank=True, db_index=True)
    year = models.PositiveSmallIntegerField(_("Năm"))
    number = models.PositiveSmallIntegerField(_("Đợt số"))
    kind = models.CharField(_("Loại đợt"), max_length=16, choices=Kind.choices, default=Kind.REGULAR)
    regime = models.ForeignKey(
        "evaluation.Regime", on_delete=models.PROTECT, related_name="rounds_planned", verbose_name=_("Quy trình")
    )
    # Dossiers forwarded (by the commune, or by the province for central rounds) before this day join the round.
    forward_by = models.DateField(_("Hạn chuyển hồ sơ"))
    decide_by = models.DateField(_("Hạn quyết định"))
    status = models.CharField(_("Trạng thái"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "level", "province_code", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "province_code", "year", "number"], name="evaluation_round_identity"
            ),
            models.CheckConstraint(
                condition=Q(level="central", province_code="") | (Q(level="province") & ~Q(province_code="")),
                name="evaluation_round_province_for_provincial",
            ),
            models.CheckConstraint(condition=Q(decide_by__gte=models.F("forward_by")), name="evaluation_round_dates"),
        ]
        verbose_name = _("Đợt đánh giá")
        verbose_name_plural = _("Đợt đánh giá")

    def __str__(self):
        return f"{self.get_level_display()} {self.province_code} {self.year}/{self.number}".replace("  ", " ")


class Dossier(models.Model):
    """A product's evaluation dossier (26/2026/QĐ-TTg Điều 6, Phụ lục III Mẫu 01-03) and its place in the process.

    `status` moves only through `ocop.evaluation.workflow`; `revision` increases with every write so a stale
    form or a second officer acting on the same dossier gets a Conflict instead of overwriting.
    """

    class Kind(models.TextChoices):
        FIRST = "first", _("Đánh giá lần đầu")
        UPGRADE = "upgrade", _("Nâng hạng")
        REEVALUATION = "reevaluation", _("Đánh giá lại")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Nháp")
        SUBMITTED = "submitted", _("Đã nộp")
        COMMUNE_REVIEW = "commune_review", _("Xã đang xem xét")
        RETURNED = "returned", _("Trả lại để bổ sung")
        FORWARDED_TO_PROVINCE = "forwarded_to_province", _("Đã chuyển tỉnh")
        PROVINCIAL_INTAKE = "provincial_intake", _("Tỉnh tiếp nhận")
        ADVISORY_REVIEW = "advisory_review", _("Tổ tư vấn xem xét")
        COUNCIL_SCORING = "council_scoring", _("Hội đồng cấp tỉnh chấm điểm")
        SCORED = "scored", _("Đã có kết quả cấp tỉnh")
        RECOGNISED_PROVINCIAL = "recognised_provincial", _("Được công nhận cấp tỉnh")
        PROPOSED_CENTRAL = "proposed_central", _("Đề nghị trung ương")
        CENTRAL_INTAKE = "central_intake", _("Trung ương tiếp nhận")
        CENTRAL_SCORING = "central_scoring", _("Hội đồng trung ương chấm điểm")
        RECOGNISED_CENTRAL = "recognised_central", _("Được công nhận 5 sao")
        CENTRAL_FALLBACK = "central_fallback", _("Trả về tỉnh theo kết quả trung ương")
        NOT_RECOGNISED = "not_recognised", _("Không được công nhận")

    product = models.ForeignKey(
        "registry.Product", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("Sản phẩm")
    )
    subject = models.ForeignKey(
        "registry.Subject", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("Chủ thể")
    )
    kind = models.CharField(_("Loại hồ sơ"), max_length=16, choices=Kind.choices, default=Kind.FIRST)
    regime = models.ForeignKey(
        "evaluation.Regime", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("Quy trình")
    )
    criteria_sheet = models.ForeignKey(
        "evaluation.CriteriaSheet", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("Phiếu đánh giá")
    )
    round = models.ForeignKey(
        EvaluationRound,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("Đợt đánh giá cấp tỉnh"),
    )
    central_round = models.ForeignKey(
        EvaluationRound,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="central_dossiers",
        verbose_name=_("Đợt đánh giá cấp trung ương"),
    )
    council = models.ForeignKey(
        "evaluation.Council",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("Hội đồng"),
    )
    status = models.CharField(_("Trạng thái"), max_length=32, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(_("Phiên bản"), default=1)
    # Copied from the subject when the dossier is created: scoping follows the unit the dossier was filed in.
    province_code = models.CharField(_("Mã tỉnh"), max_length=2, db_index=True)
    commune_code = models.CharField(_("Mã xã"), max_length=8, db_index=True)
    filed_on = models.DateField(_("Ngày nộp"), null=True, blank=True)
    commune_reception_number = models.CharField(_("Số tiếp nhận của xã"), max_length=64, blank=True)
    province_reception_number = models.CharField(_("Số tiếp nhận của tỉnh"), max_length=64, blank=True)
    form01 = models.JSONField(_("Phiếu đăng ký (Mẫu 01)"), default=dict, blank=True)
    form02 = models.JSONField(_("Báo cáo tự đánh giá (Mẫu 02)"), default=dict, blank=True)
    form03 = models.JSONField(_("Báo cáo của xã (Mẫu 03)"), default=dict, blank=True)
    advisory_report = models.JSONField(_("Báo cáo của tổ tư vấn"), default=dict, blank=True)
    # Upgrade dossiers: what changed since recognition, with evidence (Điều 6).
    changes_since_recognition = models.TextField(_("Thay đổi từ khi được công nhận"), blank=True)
    previous_dossier = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("Hồ sơ trước")
    )
    prior_certificate_id = models.PositiveIntegerField(null=True, blank=True)
    prior_certificate_star = models.PositiveSmallIntegerField(null=True, blank=True)
    prior_certificate_valid_until = models.DateField(null=True, blank=True)
    # Re-evaluations: the council decides by written opinions and meets only when they diverge (Điều 7 khoản 6).
    written_opinions = models.BooleanField(_("Đánh giá bằng ý kiến bằng văn bản"), default=False)
    meeting_required = models.BooleanField(_("Cần họp hội đồng"), default=False)
    snapshot = models.JSONField(_("Bản chụp khi nộp"), default=dict, blank=True)
    due_on = models.DateField(_("Hạn xử lý bước hiện tại"), null=True, blank=True, db_index=True)
    # Filed before a new regime's cutoff: the whole dossier must be finished by this day (26/2026/QĐ-TTg
    # Điều 11-12; days from the regime's "transition" data). Null for dossiers filed under the current regime.
    transition_due_on = models.DateField(_("Hạn hoàn thành theo quy định chuyển tiếp"), null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    decision_ref = models.CharField(_("Số quyết định"), max_length=255, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["province_code", "status"]),
            models.Index(fields=["commune_code", "status"]),
            models.Index(fields=["product", "status"]),
            models.Index(fields=["transition_due_on", "status"], name="evaluation_dossier_transition"),
        ]
        constraints = [
            # Phụ lục III Mẫu 01: "…/PĐK-(tỉnh)-(xã)-(năm)" identifies one filing; numbers come from ReceptionCounter.
            models.UniqueConstraint(
                fields=["commune_reception_number"],
                condition=~Q(commune_reception_number=""),
                name="evaluation_dossier_commune_reception_unique",
            ),
            models.UniqueConstraint(
                fields=["province_reception_number"],
                condition=~Q(province_reception_number=""),
                name="evaluation_dossier_province_reception_unique",
            ),
        ]
        verbose_name = _("Hồ sơ đánh giá")
        verbose_name_plural = _("Hồ sơ đánh giá")

    def __str__(self):
        return f"{self.product} ({self.get_kind_display()})"

    @property
    def is_decided(self) -> bool:
        from ocop.evaluation.workflow import TERMINAL

        return self.status in TERMINAL

    @property
    def is_transition_overdue(self) -> bool:
        """Past the transition deadline (26/2026/QĐ-TTg Điều 12) and still not decided, as of today."""
        from django.utils import timezone

        from ocop.evaluation.rules import transition_overdue

        return transition_overdue(due_on=self.transition_due_on, decided=self.is_decided, on=timezone.localdate())


class ReceptionCounter(models.Model):
    """The last reception number (Phụ lục III Mẫu 01, "…/PĐK-…") issued by one commune or one province in one
    year. Allocation locks this row (`select_for_update`), so two officers receiving dossiers at the same moment
    get consecutive numbers instead of the same one."""

    class Issuer(models.TextChoices):
        COMMUNE = "commune", _("UBND cấp xã")
        PROVINCE = "province", _("Cơ quan thường trực cấp tỉnh")

    issuer = models.CharField(max_length=16, choices=Issuer.choices)
    unit_code = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "unit_code", "year"], name="evaluation_reception_counter"),
        ]

    def __str__(self):
        return f"{self.issuer} {self.unit_code} {self.year}: {self.last}"


class DossierEvent(models.Model):
    """One status change or notable write on a dossier, written in the same transaction."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("Thời điểm"), auto_now_add=True)
    from_status = models.CharField(_("Từ trạng thái"), max_length=32, blank=True)
    to_status = models.CharField(_("Sang trạng thái"), max_length=32)
    reason = models.TextField(_("Lý do"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["dossier", "at", "id"]
        verbose_name = _("Sự kiện hồ sơ")
        verbose_name_plural = _("Sự kiện hồ sơ")

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class SelfAssessment(models.Model):
    """The producer's self-scoring on the dossier's sheet (Mẫu 02 phần tự đánh giá)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="self_assessment")
    # Criterion id (string) → chosen points (a list for sum-of-selected criteria).
    answers = models.JSONField(_("Phương án đã chọn"), default=dict, blank=True)
    total = models.PositiveSmallIntegerField(_("Tổng điểm"), default=0)
    implied_star = models.PositiveSmallIntegerField(_("Hạng sao dự kiến"), null=True, blank=True)
    minimums_missed = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Tự đánh giá")
        verbose_name_plural = _("Tự đánh giá")

    def __str__(self):
        return f"{self.dossier_id}: {self.total}"


class Evidence(models.Model):
    """A document in a subject's evidence library, reused across dossiers (test reports, certificates, papers)."""

    class Kind(models.TextChoices):
        FOOD_SAFETY = "food_safety", _("Giấy chứng nhận an toàn thực phẩm")
        QUALITY_TEST = "quality_test", _("Phiếu kiểm nghiệm")
        QUALITY_DECLARATION = "quality_declaration", _("Công bố chất lượng")
        BUSINESS_REGISTRATION = "business_registration", _("Đăng ký kinh doanh")
        INTELLECTUAL_PROPERTY = "intellectual_property", _("Sở hữu trí tuệ")
        CERTIFICATION = "certification", _("Chứng nhận chất lượng, môi trường")
        PHOTO = "photo", _("Hình ảnh")
        OTHER = "other", _("Khác")

    subject = models.ForeignKey(
        "registry.Subject", on_delete=models.PROTECT, related_name="evidence", verbose_name=_("Chủ thể")
    )
    kind = models.CharField(_("Loại minh chứng"), max_length=32, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("Tên tài liệu"), max_length=255)
    file = models.FileField(_("Tệp"), upload_to="evidence/%Y/%m/", storage=private_storage)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    issued_on = models.DateField(_("Ngày cấp"), null=True, blank=True)
    expires_on = models.DateField(_("Ngày hết hạn"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["subject", "-uploaded_at"]
        verbose_name = _("Minh chứng")
        verbose_name_plural = _("Minh chứng")

    def __str__(self):
        return self.title


class DossierEvidence(models.Model):
    """Evidence attached to a dossier, optionally against one criterion of its sheet."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="evidence_links")
    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="dossier_links")
    criterion = models.ForeignKey(
        "evaluation.Criterion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("Ghi chú"), max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dossier", "evidence", "criterion"], name="evaluation_evidence_link"),
        ]
        verbose_name = _("Minh chứng của hồ sơ")
        verbose_name_plural = _("Minh chứng của hồ sơ")

    def __str__(self):
        return f"{self.dossier_id}/{self.evidence_id}"
