"""Councils (hội đồng), their members, conflict declarations, scoring sessions, score sheets and results.

A scoring session is one pass of a council over one dossier; a spread the council must discuss closes the
session without a final result and a new session lets members score again (docs/decisions/0004).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocop.evaluation.models.dossiers import Dossier, EvaluationRound, Level


def default_quorum():
    return {"min_fraction": "2/3", "chair_required": True}


class Council(models.Model):
    """A provincial or central evaluation council set up for a round (26/2026/QĐ-TTg Điều 7 khoản 3-4)."""

    level = models.CharField(_("Cấp"), max_length=16, choices=Level.choices)
    province_code = models.CharField(_("Mã tỉnh"), max_length=2, blank=True, db_index=True)
    round = models.ForeignKey(
        EvaluationRound, on_delete=models.PROTECT, related_name="councils", verbose_name=_("Đợt đánh giá")
    )
    name = models.CharField(_("Tên hội đồng"), max_length=255)
    # The council's operating rules as data: {"min_fraction": "2/3", "chair_required": true}.
    quorum = models.JSONField(_("Điều kiện hợp lệ"), default=default_quorum)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Hội đồng đánh giá")
        verbose_name_plural = _("Hội đồng đánh giá")

    def __str__(self):
        return self.name


class CouncilMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chủ tịch hội đồng")
        MEMBER = "member", _("Thành viên")
        SECRETARY = "secretary", _("Thư ký")
        ADVISORY = "advisory", _("Tổ tư vấn")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_seats")
    role = models.CharField(_("Vai trò"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    organisation = models.CharField(_("Cơ quan, đơn vị"), max_length=255, blank=True)
    role_assignment = models.ForeignKey(
        "accounts.RoleAssignment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["council", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["council", "user"], name="evaluation_council_member_once")]
        verbose_name = _("Thành viên hội đồng")
        verbose_name_plural = _("Thành viên hội đồng")

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"

    @property
    def scores(self) -> bool:
        """Chair and members score; the secretary and the advisory team do not."""
        return self.role in (self.Role.CHAIR, self.Role.MEMBER)


class ConflictDeclaration(models.Model):
    """A member's declaration of interest in one dossier; a conflicted member is recused from scoring it."""

    member = models.ForeignKey(CouncilMember, on_delete=models.CASCADE, related_name="declarations")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="conflict_declarations")
    has_conflict = models.BooleanField(_("Có xung đột lợi ích"))
    note = models.TextField(_("Ghi chú"), blank=True)
    declared_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "dossier"], name="evaluation_conflict_once")]
        verbose_name = _("Khai báo xung đột lợi ích")
        verbose_name_plural = _("Khai báo xung đột lợi ích")

    def __str__(self):
        return f"{self.member_id}/{self.dossier_id}: {self.has_conflict}"


class ScoringSession(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Đang chấm")
        CLOSED = "closed", _("Đã đóng")

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="sessions")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="scoring_sessions")
    level = models.CharField(_("Cấp"), max_length=16, choices=Level.choices)
    attempt = models.PositiveSmallIntegerField(_("Lần chấm"), default=1)
    status = models.CharField(_("Trạng thái"), max_length=16, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "level", "attempt"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "level", "attempt"], name="evaluation_session_attempt"),
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(status="open"), name="evaluation_one_open_session_per_dossier"
            ),
        ]
        verbose_name = _("Phiên chấm điểm")
        verbose_name_plural = _("Phiên chấm điểm")

    def __str__(self):
        return f"{self.dossier_id} {self.level} #{self.attempt}"


class ScoreSheet(models.Model):
    """One member's scoring of one dossier in one session (phiếu đánh giá)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang chấm")
        SUBMITTED = "submitted", _("Đã nộp")

    session = models.ForeignKey(ScoringSession, on_delete=models.CASCADE, related_name="sheets")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="score_sheets")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="score_sheets")
    criteria_sheet = models.ForeignKey("evaluation.CriteriaSheet", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("Trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Criterion id (string) → chosen points (a list for sum-of-selected criteria).
    answers = models.JSONField(_("Điểm từng tiêu chí"), default=dict, blank=True)
    total = models.PositiveSmallIntegerField(_("Tổng điểm"), default=0)
    comment = models.TextField(_("Nhận xét"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "member"]
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="evaluation_sheet_once")]
        verbose_name = _("Phiếu chấm điểm")
        verbose_name_plural = _("Phiếu chấm điểm")

    def __str__(self):
        return f"{self.member_id}: {self.total}"


class DossierResult(models.Model):
    """The council's result for a dossier at one level, computed by `rules.council_result` when the chair closes.

    `needs_discussion` results (spread above the threshold) are kept but are not final; the final one is the
    basis of the decision the certification app issues.
    """

    session = models.OneToOneField(ScoringSession, on_delete=models.CASCADE, related_name="result")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="results")
    level = models.CharField(_("Cấp"), max_length=16, choices=Level.choices)
    mean = models.DecimalField(_("Điểm trung bình"), max_digits=6, decimal_places=2)
    # Exact mean as a fraction "numerator/denominator" (the band is decided on it, docs/decisions/0004).
    mean_exact = models.CharField(max_length=32)
    star = models.PositiveSmallIntegerField(_("Hạng sao"))
    band_star = models.PositiveSmallIntegerField(_("Hạng sao theo điểm"))
    spread = models.PositiveSmallIntegerField(_("Chênh lệch điểm"), default=0)
    spread_flag = models.BooleanField(_("Chênh lệch lớn"), default=False)
    needs_discussion = models.BooleanField(_("Cần thảo luận"), default=False)
    is_final = models.BooleanField(_("Kết quả chính thức"), default=False)
    minimums_missed = models.JSONField(default=list, blank=True)
    member_totals = models.JSONField(default=dict, blank=True)
    criteria_sheet = models.ForeignKey("evaluation.CriteriaSheet", on_delete=models.PROTECT, related_name="+")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField()

    class Meta:
        ordering = ["dossier", "-closed_at"]
        verbose_name = _("Kết quả đánh giá")
        verbose_name_plural = _("Kết quả đánh giá")

    def __str__(self):
        return f"{self.dossier_id}: {self.mean} ({self.star}★)"
