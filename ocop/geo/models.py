from django.db import models
from django.utils.translation import gettext_lazy as _


class AdminUnit(models.Model):
    """An administrative unit as it existed over a period.

    Codes are official strings (province 2 characters, district 3, commune 5) and are reused across
    the 2025 reorganisation (legacy Hà Nội "01" and current Hà Nội "01" are two records), so a code
    alone is not an identity: (level, code, valid_from) is. History is never rewritten; the old → new
    mapping lives in AdminUnitSuccession.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh / thành phố")
        DISTRICT = "district", _("Quận / huyện")
        COMMUNE = "commune", _("Xã / phường")

    class Generation(models.TextChoices):
        LEGACY = "legacy", _("Trước 01/07/2025")
        Y2025 = "2025", _("Từ 01/07/2025")

    code = models.CharField(_("Mã"), max_length=8)
    generation = models.CharField(_("Thế hệ"), max_length=16, choices=Generation.choices)
    level = models.CharField(_("Cấp"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("Loại"), max_length=32)  # "Tỉnh", "Thành phố", "Huyện", "Xã", "Đặc khu"…
    name = models.CharField(_("Tên"), max_length=128)  # without the kind: "Hưng Yên"
    full_name = models.CharField(_("Tên đầy đủ"), max_length=160)  # "Tỉnh Hưng Yên"
    name_key = models.CharField(max_length=128, db_index=True)  # fold_compact(name)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    province_code = models.CharField(max_length=2, db_index=True)
    valid_from = models.DateField(_("Hiệu lực từ"), null=True, blank=True)
    valid_until = models.DateField(_("Hiệu lực đến"), null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code", "generation"], name="geo_unit_identity"),
        ]
        indexes = [
            models.Index(fields=["level", "valid_from", "valid_until"]),
            models.Index(fields=["code", "level"], name="geo_unit_code_level"),
        ]
        verbose_name = _("Đơn vị hành chính")
        verbose_name_plural = _("Đơn vị hành chính")

    def __str__(self):
        return self.full_name


class AdminUnitSuccession(models.Model):
    """Old → new: a legacy unit maps to one or more current units; one of them is the default."""

    predecessor = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="successions")
    successor = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="predecessions")
    is_default = models.BooleanField(default=True)
    effective_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="geo_succession_unique"),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"
