"""Reads of lots and trace events, scoped to the actor; the public lot timeline for the scan page.

Trace events are only ever read for one lot or one product, through the (lot, event_time) and
(product, event_time) indexes, with keyset pagination: never a scan of the whole table (DESIGN.md §7).
"""

import base64
import datetime
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ocop.core.errors import NotFound, ValidationError
from ocop.geo.models import AdminUnit
from ocop.registry.models import Product
from ocop.traceability import access, rules
from ocop.traceability.models import Lot, TraceEvent
from ocop.traceability.services import COMMUNE_LOCATION_URN, epcis_document

TIMELINE_LIMIT = 200
TRACE_CODES_CONFIG = Path(__file__).resolve().parent / "data" / "tcvn13274.json"

STEP_LABELS = {
    "commissioning": _("Khởi tạo lô / sản xuất"),
    "packing": _("Đóng gói"),
    "shipping": _("Xuất hàng"),
    "receiving": _("Nhận hàng"),
    "inspecting": _("Kiểm tra"),
    "transforming": _("Chế biến"),
    "urn:ocop:bizstep:transforming": _("Chế biến"),
    "creating_class_instance": _("Tạo lô sản phẩm"),
    "storing": _("Lưu kho"),
    "transporting": _("Vận chuyển"),
    "retail_selling": _("Bán lẻ"),
}


# ---------------------------------------------------------------------------------------------------- lots
def lot_list_for_user(*, user, product_id: int | None = None) -> QuerySet[Lot]:
    """Lots the user may read (officers covering the product's subject, its producer), newest first."""
    lots = Lot.objects.filter(access.lot_scope_q(user)).select_related("product__subject")
    if product_id is not None:
        lots = lots.filter(product_id=product_id)
    return lots.order_by("-produced_on", "-id")


def lot_get_for_user(*, user, lot_id) -> Lot:
    """One lot the user may read; NotFound otherwise (no probing)."""
    lot = lot_list_for_user(user=user).filter(pk=lot_id).first()
    if lot is None:
        raise NotFound(_("Không tìm thấy lô."), code="lot_not_found")
    return lot


def product_get_for_trace(*, user, product_id) -> Product:
    """A product whose lots the user may read; NotFound otherwise."""
    product = Product.objects.select_related("subject").filter(pk=product_id).first()
    if product is None:
        raise NotFound(_("Không tìm thấy sản phẩm."), code="product_not_found")
    access.ensure_can_view_product_trace(user, product)
    return product


# ------------------------------------------------------------------------------------------- event queries
def cursor_encode(event: TraceEvent) -> str:
    raw = json.dumps([event.event_time.isoformat(), event.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursor_decode(token: str) -> tuple[datetime.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        moment, pk = json.loads(raw)
        return datetime.datetime.fromisoformat(moment), int(pk)
    except (ValueError, TypeError) as exc:
        raise ValidationError(fields={"nextPageToken": [_("Mã trang không hợp lệ.")]}) from exc


@dataclass(frozen=True)
class EventPage:
    events: list[TraceEvent]
    next_token: str


def trace_event_page_for_user(
    *,
    user,
    lot_id: int | None = None,
    product_id: int | None = None,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
    token: str = "",
    limit: int = 100,
) -> EventPage:
    """A page of events of one lot or one product the user may read, by (event_time, id).

    `lot_id` or `product_id` is required (ValidationError otherwise): the table is never scanned whole.
    NotFound for a lot/product outside the user's reach. `token` continues after the previous page.
    """
    if lot_id is None and product_id is None:
        raise ValidationError(
            _("Cần chọn lô hoặc sản phẩm."), code="trace_filter_required", fields={"lot": [_("Cần chọn lô.")]}
        )
    events = TraceEvent.objects.all()
    if lot_id is not None:
        events = events.filter(lot=lot_get_for_user(user=user, lot_id=lot_id))
    if product_id is not None:
        events = events.filter(product=product_get_for_trace(user=user, product_id=product_id))
    if since:
        events = events.filter(event_time__gte=since)
    if until:
        events = events.filter(event_time__lt=until)
    if token:
        moment, pk = _cursor_decode(token)
        events = events.filter(Q(event_time__gt=moment) | Q(event_time=moment, pk__gt=pk))
    rows = list(events.order_by("event_time", "id")[: limit + 1])
    next_token = cursor_encode(rows[limit - 1]) if len(rows) > limit else ""
    return EventPage(rows[:limit], next_token)


def epcis_document_of(events: list[TraceEvent]) -> dict:
    """Stored events as an EPCIS 2.0 EPCISDocument (each event exactly as stored, recordTime included)."""
    return epcis_document(events=[event.document for event in events])


# --------------------------------------------------------------------------------------- public timeline
def commune_code_of(location: str) -> str:
    """The commune code in one of our read points (`urn:ocop:adminunit:<code>`), else ''."""
    return location[len(COMMUNE_LOCATION_URN) :] if location.startswith(COMMUNE_LOCATION_URN) else ""


def _place_names(events: list[TraceEvent]) -> dict[tuple[str, datetime.date], str]:
    """Names of the communes the events happened in, as those communes were on each event's date."""
    wanted = {(commune_code_of(e.read_point), e.event_time.astimezone(rules.VN_TZ).date()) for e in events}
    wanted = {w for w in wanted if w[0]}
    if not wanted:
        return {}
    units = AdminUnit.objects.filter(code__in={c for c, _ in wanted}, level=AdminUnit.Level.COMMUNE).select_related(
        "parent"
    )
    names = {}
    for code, on in wanted:
        for unit in units:
            if unit.code == code and _valid_on(unit, on):
                province = unit.parent.full_name if unit.parent_id else ""
                names[(code, on)] = f"{unit.full_name}, {province}" if province else unit.full_name
                break
    return names


def _valid_on(unit: AdminUnit, on: datetime.date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= on) and (unit.valid_until is None or on <= unit.valid_until)


@dataclass(frozen=True)
class TimelineEntry:
    time: str  # dd/mm/yyyy HH:MM in Asia/Ho_Chi_Minh
    step: str  # translated label of the business step
    step_code: str
    place: str
    event_type: str
    quantity: str
    note: str
    event_id: str
    is_correction: bool


def _quantity_text(event: TraceEvent) -> str:
    parts = []
    for element in event.quantity_list:
        if isinstance(element, dict) and element.get("quantity") is not None:
            parts.append(f"{element['quantity']:g} {element.get('uom', '')}".strip())
    return ", ".join(parts)


def lot_timeline(*, lot: Lot, limit: int = TIMELINE_LIMIT) -> list[TimelineEntry]:
    """Display-ready events of a lot for the public scan page and the back office, oldest first.

    No access check: the scan page shows a lot's journey to anyone holding its stamp. Labels follow the
    active language. At most `limit` events (a lot's journey is short; the cap keeps the page bounded).
    """
    events = list(TraceEvent.objects.filter(lot=lot).order_by("event_time", "id")[:limit])
    places = _place_names(events)
    entries = []
    for event in events:
        local = event.event_time.astimezone(rules.VN_TZ)
        code = commune_code_of(event.read_point)
        entries.append(
            TimelineEntry(
                time=local.strftime("%d/%m/%Y %H:%M"),
                step=str(STEP_LABELS.get(event.biz_step, event.biz_step or _("Sự kiện"))),
                step_code=event.biz_step,
                place=places.get((code, local.date()), "") or event.read_point,
                event_type=event.event_type,
                quantity=_quantity_text(event),
                note=str(event.document.get("ocop:note", "")),
                event_id=event.event_id,
                is_correction=event.is_error_declaration,
            )
        )
    return entries


# --------------------------------------------------------------------------------------------- identifiers
@lru_cache(maxsize=1)
def trace_codes_config() -> dict:
    return json.loads(TRACE_CODES_CONFIG.read_text(encoding="utf-8"))


def lot_identifiers(*, lot: Lot) -> dict:
    """GS1 identifiers and TCVN 13274 trace-code elements of a lot, for the lot page and the scan page."""
    from ocop.traceability.services import lot_class_uri

    product, subject = lot.product, lot.product.subject
    first = TraceEvent.objects.filter(lot=lot).order_by("event_time", "id").only("event_time", "read_point").first()
    location = commune_code_of(first.read_point) if first else ""
    location = location or (lot.origin_commune_codes[0] if lot.origin_commune_codes else "")
    location = location or subject.current_commune_code
    return {
        "gtin": rules.gtin14(product.gtin) or "",
        "class_uri": lot_class_uri(lot),
        "element_string": rules.gs1_element_string(
            gtin=product.gtin, lot_code=lot.lot_code, produced_on=lot.produced_on, expires_on=lot.expires_on
        ),
        "tcvn": rules.trace_codes(
            config=trace_codes_config(),
            gtin=product.gtin,
            ocop_code=product.ocop_code,
            lot_code=lot.lot_code,
            location_code=location,
            event_time=first.event_time if first else None,
            produced_on=lot.produced_on,
        ),
    }
