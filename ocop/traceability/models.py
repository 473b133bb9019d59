"""Traceability: production lots and their EPCIS 2.0 trace events.

TraceEvent is append-only and grows without bound (DESIGN.md §7): no other table points at it (evidence
photos are listed in its JSON, not in a child table), every read goes through the (lot, event_time) or
(product, event_time) index, and nothing joins it wholesale — so on PostgreSQL it can be converted into a
table partitioned by month of `event_time` without changing the code.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Lot(models.Model):
    """One production lot (lô) of a product. `origin_commune_codes` are the communes the raw materials came
    from, as codes of the units valid on the production date (history is never rewritten, DESIGN.md §4)."""

    class Unit(models.TextChoices):
        KG = "kg", _("kg")
        G = "g", _("g")
        L = "l", _("lít")
        ML = "ml", _("ml")
        PIECE = "piece", _("sản phẩm")
        BOX = "box", _("hộp")

    product = models.ForeignKey(
        "registry.Product", on_delete=models.PROTECT, related_name="lots", verbose_name=_("Sản phẩm")
    )
    lot_code = models.CharField(_("Mã lô"), max_length=20)
    produced_on = models.DateField(_("Ngày sản xuất"))
    expires_on = models.DateField(_("Hạn sử dụng"), null=True, blank=True)
    quantity = models.DecimalField(_("Số lượng"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("Đơn vị"), max_length=8, choices=Unit.choices, default=Unit.KG)
    origin_commune_codes = models.JSONField(_("Xã vùng nguyên liệu"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-produced_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "lot_code"], name="trace_lot_code_per_product"),
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=models.F("produced_on")),
                name="trace_lot_expiry_after_production",
            ),
        ]
        # Capture resolves lots by code (then checks the product's GTIN): keep that lookup indexed.
        indexes = [models.Index(fields=["lot_code"], name="trace_lot_code")]
        verbose_name = _("Lô sản phẩm")
        verbose_name_plural = _("Lô sản phẩm")

    def __str__(self):
        return self.lot_code


class TraceEvent(models.Model):
    """One EPCIS 2.0 event about a lot, kept verbatim (`document`) with its indexed columns derived from it.

    `seq`, `prev_hash` and `hash` chain a lot's events: hash = sha256(prev_hash + canonical JSON of
    `document`); `trace_chain_verify` recomputes it and re-derives the columns, so an edit to either the JSON
    or a column is detected. Corrections are new events (EPCIS `errorDeclaration`), never updates.
    """

    class Type(models.TextChoices):
        OBJECT = "ObjectEvent", _("Sự kiện đối tượng")
        AGGREGATION = "AggregationEvent", _("Sự kiện đóng gói")
        TRANSFORMATION = "TransformationEvent", _("Sự kiện chế biến")

    class Action(models.TextChoices):
        ADD = "ADD", "ADD"
        OBSERVE = "OBSERVE", "OBSERVE"
        DELETE = "DELETE", "DELETE"

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="events")
    # Denormalised from the lot so that "a product's events in a period" has its own index.
    product = models.ForeignKey("registry.Product", on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveIntegerField()
    # Unique except for error declarations, which repeat the eventID of the event they correct (EPCIS 2.0 §7.4.1.4).
    event_id = models.CharField(max_length=255)
    event_type = models.CharField(max_length=32, choices=Type.choices)
    action = models.CharField(max_length=8, choices=Action.choices, blank=True)
    biz_step = models.CharField(max_length=255, blank=True)  # CBV short name, or the full URI of another vocabulary
    disposition = models.CharField(max_length=255, blank=True)
    event_time = models.DateTimeField()
    event_time_zone_offset = models.CharField(max_length=6)
    record_time = models.DateTimeField()
    read_point = models.CharField(max_length=255, blank=True)
    biz_location = models.CharField(max_length=255, blank=True)
    epc_list = models.JSONField(default=list, blank=True)
    quantity_list = models.JSONField(default=list, blank=True)
    input_epc_list = models.JSONField(default=list, blank=True)
    output_epc_list = models.JSONField(default=list, blank=True)
    parent_id = models.CharField(max_length=255, blank=True)
    child_epcs = models.JSONField(default=list, blank=True)
    is_error_declaration = models.BooleanField(default=False)
    # The event exactly as stored and returned (recordTime and eventID filled in); the chain hashes this.
    document = models.JSONField()
    # [{"name", "content_type", "size", "sha256"}] of evidence photos; also inside `document` so it is hashed.
    evidence = models.JSONField(default=list, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["event_time", "id"]
        # On a month-partitioned PostgreSQL table these two become per-partition plus a check in the service
        # (unique keys there must contain the partition key); the service already checks both before inserting.
        constraints = [
            models.UniqueConstraint(fields=["lot", "seq"], name="trace_event_chain_position"),
            models.UniqueConstraint(
                fields=["event_id"], condition=models.Q(is_error_declaration=False), name="trace_event_id_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["event_id"], name="trace_event_id"),
            models.Index(fields=["lot", "event_time", "id"], name="trace_event_lot_time"),
            models.Index(fields=["product", "event_time", "id"], name="trace_event_product_time"),
        ]
        verbose_name = _("Sự kiện truy xuất")
        verbose_name_plural = _("Sự kiện truy xuất")

    def __str__(self):
        return self.event_id
