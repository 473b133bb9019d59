"""Evaluation: criteria sheets (versioned data loaded from data/criteria), process regimes, and
corrections of the source data.

The sheet rows mirror the source files as printed. A sheet whose checks fail is still loaded, with
`is_valid=False`, so the defect is visible and can be corrected; scoring refuses invalid sheets.
Corrections never overwrite silently: each is a `CriterionCorrection` row (old and new value, who, why),
and Criterion/CriterionOption keep django-simple-history records.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Regime(models.Model):
    """A process regime (26/2026; 148 as amended by 1489; 148/2023; 1048/2019), loaded from data/regimes.json.

    `levels`, `rounds`, `deadlines`, `star_bands`, `scoring` and `transition` keep the data file's shape;
    `data` keeps the whole entry so nothing in the file is lost.
    """

    code = models.CharField(_("Mã"), max_length=16, unique=True)
    name = models.CharField(_("Tên"), max_length=255)
    decision = models.CharField(_("Quyết định"), max_length=64)
    criteria_version = models.ForeignKey(
        "registry.CriteriaVersion", on_delete=models.PROTECT, related_name="regimes", verbose_name=_("Bộ tiêu chí")
    )
    effective_from = models.DateField(_("Áp dụng từ"))
    # First day the regime no longer applies (exclusive); null while in force.
    effective_until = models.DateField(_("Hết áp dụng từ"), null=True, blank=True)
    accepts_new_dossiers_until = models.DateField(null=True, blank=True)
    star_bands = models.JSONField(_("Hạng sao"), default=list)
    scoring = models.JSONField(_("Quy tắc chấm điểm"), default=dict)
    levels = models.JSONField(_("Cấp đánh giá"), default=list)
    rounds = models.JSONField(_("Lịch đợt đánh giá"), null=True, blank=True)
    deadlines = models.JSONField(_("Thời hạn"), default=dict)
    transition = models.JSONField(null=True, blank=True)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("Quy trình đánh giá")
        verbose_name_plural = _("Quy trình đánh giá")

    def __str__(self):
        return self.name


class CriteriaSheet(models.Model):
    """The scoring sheet (phiếu đánh giá) of one product set in one criteria version."""

    version = models.ForeignKey(
        "registry.CriteriaVersion", on_delete=models.PROTECT, related_name="sheets", verbose_name=_("Bộ tiêu chí")
    )
    product_set = models.ForeignKey(
        "registry.ProductCategory",
        on_delete=models.PROTECT,
        related_name="criteria_sheets",
        verbose_name=_("Bộ sản phẩm"),
    )
    title = models.CharField(_("Tên phiếu"), max_length=255)
    max_points = models.PositiveSmallIntegerField(_("Điểm tối đa"))
    # Relative to the criteria data folder, e.g. "26_2026/sheets/01-rau-cu-qua-hat-tuoi.json".
    source_path = models.CharField(_("Tệp nguồn"), max_length=255)
    source_sha256 = models.CharField(max_length=64)
    source_note = models.TextField(blank=True)
    # "Hồ sơ bị loại khi ..." lines, kept as printed (how they stop scoring is not written in the sheets).
    disqualification = models.JSONField(_("Trường hợp loại hồ sơ"), default=list, blank=True)
    footer_notes = models.JSONField(default=list, blank=True)
    is_valid = models.BooleanField(_("Dùng được để chấm điểm"), default=False)
    # Structured issues {"errors": [{code, params}], "warnings": [...]}; `load_report` is their text.
    load_issues = models.JSONField(default=dict, blank=True)
    load_report = models.TextField(_("Báo cáo nạp dữ liệu"), blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["version", "product_set__position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "product_set"], name="evaluation_sheet_per_product_set"),
        ]
        verbose_name = _("Phiếu đánh giá")
        verbose_name_plural = _("Phiếu đánh giá")

    def __str__(self):
        return f"{self.version.code} · {self.product_set.code}. {self.title}"


class CriteriaPart(models.Model):
    """Part A / B / C of a sheet (26/2026/QĐ-TTg Điều 3 khoản 1)."""

    sheet = models.ForeignKey(CriteriaSheet, on_delete=models.CASCADE, related_name="parts")
    code = models.CharField(_("Mã"), max_length=4)
    name = models.CharField(_("Tên"), max_length=255)
    max_points = models.PositiveSmallIntegerField(_("Điểm tối đa"))
    # As printed in the part heading; 26/2026 sheet 26 prints "(35 Điểm)" for a 40-point Part A.
    stated_in_heading = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    notes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["sheet", "position"]
        constraints = [models.UniqueConstraint(fields=["sheet", "code"], name="evaluation_part_code")]

    def __str__(self):
        return f"{self.code}. {self.name}"


class CriteriaSection(models.Model):
    """A numbered section of a part ("1. TỔ CHỨC SẢN XUẤT")."""

    part = models.ForeignKey(CriteriaPart, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(_("Mã"), max_length=8)
    name = models.CharField(_("Tên"), max_length=500)
    max_points = models.PositiveSmallIntegerField(_("Điểm tối đa"))
    max_points_basis = models.CharField(max_length=255, blank=True)
    # Third-level headings ("6.1 Ngoại hình") grouping criteria such as 6.1.1, kept as printed.
    criterion_groups = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["part", "position"]

    def __str__(self):
        return f"{self.code}. {self.name}"


class Criterion(models.Model):
    """A scored criterion. `position` (order in the sheet) is its identity: printed codes can repeat."""

    class Scoring(models.TextChoices):
        SINGLE_CHOICE = "single_choice", _("Chọn một phương án")
        SUM_OF_SELECTED = "sum_of_selected", _("Cộng các phương án được chọn")
        NO_OPTIONS_PRINTED = "no_options_printed", _("Không in phương án (có/không)")

    sheet = models.ForeignKey(CriteriaSheet, on_delete=models.CASCADE, related_name="criteria")
    section = models.ForeignKey(CriteriaSection, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(_("Mã"), max_length=16)
    text = models.TextField(_("Nội dung"))
    max_points = models.PositiveSmallIntegerField(_("Điểm tối đa"))
    scoring = models.CharField(_("Cách tính điểm"), max_length=24, choices=Scoring.choices)
    # Derived in the source data from the asterisk markers on options; the rules re-derive minimums from
    # the options' `min_star`, so a corrected marker takes effect (these stay as printed).
    mandatory_for_stars = models.JSONField(_("Bắt buộc với hạng sao"), default=list, blank=True)
    star_requirements = models.JSONField(default=list, blank=True)
    # 148 CSV prints "****" on the "Sở hữu trí tuệ" title, not on an option: the minimum is unknown.
    title_star_marker = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.JSONField(default=list, blank=True)
    cases = models.JSONField(default=list, blank=True)
    group_code = models.CharField(max_length=16, blank=True)
    source_label = models.CharField(max_length=16, blank=True)
    source_anomalies = models.JSONField(default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sheet", "position"]
        constraints = [models.UniqueConstraint(fields=["sheet", "position"], name="evaluation_criterion_position")]
        verbose_name = _("Tiêu chí")
        verbose_name_plural = _("Tiêu chí")

    def __str__(self):
        return f"{self.code} {self.text[:60]}"


class CriterionOption(models.Model):
    """A printed answer option. `points` is null where the source prints no number; `min_star` is the
    asterisk marker (the option is the minimum for that star level)."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    text = models.TextField(_("Nội dung"))
    points = models.SmallIntegerField(_("Điểm"), null=True, blank=True)
    points_raw = models.CharField(max_length=32, blank=True)
    min_star = models.PositiveSmallIntegerField(_("Yêu cầu tối thiểu cho hạng sao"), null=True, blank=True)
    case = models.CharField(max_length=255, blank=True)
    notes = models.JSONField(default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["criterion", "position"]
        constraints = [models.UniqueConstraint(fields=["criterion", "position"], name="evaluation_option_position")]
        verbose_name = _("Phương án")
        verbose_name_plural = _("Phương án")

    def __str__(self):
        return f"{self.text[:60]} ({self.points})"


class CriterionCorrection(models.Model):
    """One correction of the source data by a central officer: the original value is kept here and in history."""

    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="corrections")
    option = models.ForeignKey(
        CriterionOption, null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    field = models.CharField(_("Trường"), max_length=32)
    old_value = models.JSONField(_("Giá trị cũ"), null=True)
    new_value = models.JSONField(_("Giá trị mới"), null=True)
    reason = models.TextField(_("Lý do"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("Thời điểm"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Đính chính tiêu chí")
        verbose_name_plural = _("Đính chính tiêu chí")

    def __str__(self):
        return f"{self.criterion.code} {self.field}: {self.old_value} → {self.new_value}"
