"""Registry: the OCOP classification (versioned data), subjects (chủ thể), products and import batches.

Names are NFC-normalised by the services before they reach these models; each searchable row keeps a
folded copy (`search_text`, `name_key`) computed in Python so search works the same on SQLite and PostgreSQL.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ocop.core.models import TimeStampedModel


class CriteriaVersion(models.Model):
    """One legal version of the OCOP criteria (1048/2019, 148/2023, 26/2026), loaded from data files."""

    code = models.CharField(_("Mã"), max_length=16, unique=True)  # "26_2026" | "148_2023" | "1048_2019"
    name = models.CharField(_("Tên"), max_length=255)
    decision = models.CharField(_("Quyết định"), max_length=64)  # "26/2026/QĐ-TTg"
    effective_on = models.DateField(_("Hiệu lực từ"), null=True, blank=True)
    part_max_points = models.JSONField(_("Điểm tối đa theo phần"), default=dict, blank=True)
    is_current = models.BooleanField(_("Đang áp dụng"), default=False)
    # False for 148/2023, whose Annex I was not recovered: its classification is a labelled proxy.
    classification_is_official = models.BooleanField(default=True)
    source_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-effective_on"]
        verbose_name = _("Phiên bản bộ tiêu chí")
        verbose_name_plural = _("Phiên bản bộ tiêu chí")

    def __str__(self):
        return self.decision


class ProductCategory(models.Model):
    """A node of Annex I: industry (ngành) → group (nhóm) → subgroup (phân nhóm), plus product sets (bộ sản phẩm)."""

    class Level(models.TextChoices):
        INDUSTRY = "industry", _("Ngành")
        GROUP = "group", _("Nhóm")
        SUBGROUP = "subgroup", _("Phân nhóm")
        PRODUCT_SET = "product_set", _("Bộ sản phẩm")

    version = models.ForeignKey(CriteriaVersion, on_delete=models.CASCADE, related_name="categories")
    level = models.CharField(_("Cấp"), max_length=16, choices=Level.choices)
    code = models.CharField(_("Mã"), max_length=16)  # "I", "I.1", "I.1.a"; product sets "1".."26"
    name = models.CharField(_("Tên"), max_length=255)
    name_key = models.CharField(max_length=255, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    managing_authority = models.CharField(_("Cơ quan quản lý"), max_length=255, blank=True)
    sheet_file = models.CharField(_("Tệp phiếu đánh giá"), max_length=255, blank=True)
    # For product sets: the classification path in Annex I ("I.1.a").
    classification_code = models.CharField(max_length=16, blank=True)
    is_proxy = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "level", "code"], name="registry_category_identity"),
        ]
        verbose_name = _("Phân loại sản phẩm")
        verbose_name_plural = _("Phân loại sản phẩm")

    def __str__(self):
        return f"{self.code} {self.name}"


class Subject(TimeStampedModel):
    """A producer (chủ thể OCOP): enterprise, cooperative, cooperative group or household business."""

    class LegalForm(models.TextChoices):
        ENTERPRISE = "enterprise", _("Doanh nghiệp")
        COOPERATIVE = "cooperative", _("Hợp tác xã")
        COOPERATIVE_GROUP = "cooperative_group", _("Tổ hợp tác")
        HOUSEHOLD = "household", _("Hộ sản xuất, kinh doanh")
        OTHER = "other", _("Khác")

    class Verification(models.TextChoices):
        PENDING = "pending", _("Chờ xác minh")
        VERIFIED = "verified", _("Đã xác minh")
        RETURNED = "returned", _("Trả lại để bổ sung")
        REJECTED = "rejected", _("Từ chối")

    name = models.CharField(_("Tên chủ thể"), max_length=255)
    name_key = models.CharField(max_length=255, db_index=True)
    legal_form = models.CharField(_("Loại hình"), max_length=32, choices=LegalForm.choices, default=LegalForm.OTHER)
    tax_code = models.CharField(_("Mã số thuế"), max_length=14, blank=True)
    legal_representative = models.CharField(_("Người đại diện theo pháp luật"), max_length=150, blank=True)
    phone = models.CharField(_("Điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("Thư điện tử"), blank=True)
    address_line = models.CharField(_("Địa chỉ"), max_length=255, blank=True)
    # The unit valid when the address was recorded (may be a legacy commune); history is never rewritten.
    commune = models.ForeignKey(
        "geo.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("Xã")
    )
    district = models.ForeignKey(
        "geo.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("Huyện")
    )
    # Current units (successors), used for scoping and current-unit statistics.
    province_code = models.CharField(_("Mã tỉnh hiện hành"), max_length=2, blank=True, db_index=True)
    current_commune_code = models.CharField(max_length=8, blank=True, db_index=True)
    # The province/district/commune as written in an imported list, kept verbatim.
    legacy_province = models.CharField(_("Tỉnh (theo nguồn)"), max_length=128, blank=True)
    legacy_district = models.CharField(_("Huyện (theo nguồn)"), max_length=128, blank=True)
    legacy_commune = models.CharField(_("Xã (theo nguồn)"), max_length=128, blank=True)
    legacy_province_code = models.CharField(max_length=2, blank=True)
    founded_year = models.PositiveSmallIntegerField(_("Năm thành lập"), null=True, blank=True)
    workforce_total = models.PositiveIntegerField(_("Tổng số lao động"), null=True, blank=True)
    workforce_women = models.PositiveIntegerField(_("Lao động nữ"), null=True, blank=True)
    workforce_ethnic_minority = models.PositiveIntegerField(_("Lao động dân tộc thiểu số"), null=True, blank=True)
    verification_status = models.CharField(
        _("Trạng thái xác minh"), max_length=16, choices=Verification.choices, default=Verification.PENDING
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_reason = models.TextField(_("Lý do"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    import_batch = models.ForeignKey("ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    search_text = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"], condition=~Q(tax_code=""), name="registry_subject_tax_code_unique"
            ),
        ]
        indexes = [models.Index(fields=["province_code", "name_key"])]
        verbose_name = _("Chủ thể")
        verbose_name_plural = _("Chủ thể")

    def __str__(self):
        return self.name


class Product(TimeStampedModel):
    """A product of a subject. `ocop_code` is the human-readable national identity (docs/decisions/0003)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Nháp")
        ACTIVE = "active", _("Đang hoạt động")
        WITHDRAWN = "withdrawn", _("Ngừng")

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="products", verbose_name=_("Chủ thể"))
    name = models.CharField(_("Tên sản phẩm"), max_length=255)
    name_key = models.CharField(max_length=255, db_index=True)
    category = models.ForeignKey(
        ProductCategory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("Phân loại"),
    )
    # Imported lists name a group loosely ("Thực phẩm"); kept verbatim next to the mapped category.
    category_text = models.CharField(_("Nhóm sản phẩm (theo nguồn)"), max_length=128, blank=True)
    description = models.TextField(_("Mô tả"), blank=True)
    story = models.TextField(_("Câu chuyện sản phẩm"), blank=True)
    photo = models.ImageField(_("Ảnh"), upload_to="products/%Y/%m/", blank=True)
    thumbnail = models.ImageField(upload_to="products/thumbs/%Y/%m/", blank=True)
    gtin = models.CharField(_("Mã GTIN"), max_length=14, blank=True)
    ocop_code = models.CharField(_("Mã OCOP"), max_length=32, unique=True)
    status = models.CharField(_("Trạng thái"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    is_published = models.BooleanField(_("Công khai"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    import_batch = models.ForeignKey("ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    search_text = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_key", "id"]
        indexes = [models.Index(fields=["subject", "name_key"])]
        verbose_name = _("Sản phẩm")
        verbose_name_plural = _("Sản phẩm")

    def __str__(self):
        return self.name


class ImportBatch(models.Model):
    """One committed import of a recognised-product list; the sha256 lets seeding skip files already imported."""

    sha256 = models.CharField(max_length=64, db_index=True)
    filename = models.CharField(_("Tên tệp"), max_length=255)
    as_of = models.DateField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Lần nhập dữ liệu")
        verbose_name_plural = _("Các lần nhập dữ liệu")

    def __str__(self):
        return self.filename
