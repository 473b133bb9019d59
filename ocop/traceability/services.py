"""Writes of the traceability domain: lots, and trace events appended to each lot's hash chain.

Events come in two ways that share one path (`_append_events`): the back-office form
(`trace_event_record`, which builds an EPCIS 2.0 event) and the EPCIS capture interface (`epcis_capture`,
a whole EPCISDocument in one transaction). There is no update service: a correction is a new event with an
EPCIS `errorDeclaration`.
"""

import datetime
import hashlib
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.audit import audit_record
from ocop.core.errors import Conflict, DomainError, PermissionDenied, ValidationError
from ocop.core.text import nfc
from ocop.geo.models import AdminUnit
from ocop.geo.selectors import unit_get
from ocop.traceability import access, rules
from ocop.traceability.epcis_schema import document_errors
from ocop.traceability.models import Lot, TraceEvent

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
MAX_DOCUMENT_EVENTS = 10_000
MAX_PHOTOS = 5
SYNC_MAX_EVENTS = 500  # above this a capture is a job: a web thread is never held for minutes
MAX_DOCUMENT_DEPTH = 32  # EPCIS documents nest a few levels; thousands of levels only exhaust the parsers
BULK_BATCH = 500
EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
# Our own extension terms (note, evidence, non-CBV steps) live under this JSON-LD prefix.
OCOP_NS = "urn:ocop:epcis:"
DOCUMENT_CONTEXT = [EPCIS_CONTEXT, {"ocop": OCOP_NS, "cbvmda": "urn:epcglobal:cbv:mda:"}]
# "Chế biến" has no CBV 2.0 business step; it is recorded in our vocabulary.
BIZ_STEP_VALUES = {"transforming": "urn:ocop:bizstep:transforming"}
COMMUNE_LOCATION_URN = "urn:ocop:adminunit:"


class DocumentTooLarge(DomainError):
    status = 413
    code = "epcis_too_large"


class EpcisInvalid(ValidationError):
    """Not an EPCIS 2.0 document the schema accepts: a malformed request (400), not a domain refusal."""

    status = 400
    code = "epcis_invalid"


# ---------------------------------------------------------------------------------------------------- lots
def _clean_lot(*, product, values: dict) -> dict:
    errors: dict[str, list] = {}
    code = nfc(str(values.get("lot_code") or "")).strip()
    if not rules.lot_code_valid(code):
        errors["lot_code"] = [_("Mã lô gồm 1–20 ký tự chữ, số, dấu chấm, gạch ngang hoặc gạch dưới.")]
    produced_on, expires_on = values.get("produced_on"), values.get("expires_on")
    if not isinstance(produced_on, datetime.date):
        errors["produced_on"] = [_("Cần ngày sản xuất.")]
    elif expires_on and expires_on < produced_on:
        errors["expires_on"] = [_("Hạn sử dụng phải sau ngày sản xuất.")]
    try:
        quantity = Decimal(str(values.get("quantity")))
        if not quantity.is_finite() or quantity <= 0:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["quantity"] = [_("Số lượng phải lớn hơn 0.")]
        quantity = None
    unit = values.get("unit") or Lot.Unit.KG
    if unit not in Lot.Unit.values:
        errors["unit"] = [_("Đơn vị không hợp lệ.")]
    origins = []
    for raw in values.get("origin_commune_codes") or []:
        try:
            # Codes valid on the production date: a lot made before 1 July 2025 names the old communes.
            at = produced_on if isinstance(produced_on, datetime.date) else None
            origins.append(unit_get(code=str(raw), at=at, level=AdminUnit.Level.COMMUNE).code)
        except DomainError as exc:
            errors.setdefault("origin_commune_codes", []).append(exc.message)
    if errors:
        raise ValidationError(fields=errors)
    return {
        "lot_code": code,
        "produced_on": produced_on,
        "expires_on": expires_on or None,
        "quantity": quantity,
        "unit": unit,
        "origin_commune_codes": sorted(set(origins)),
    }


def lot_create(*, actor, product, values: dict) -> Lot:
    """Create a lot of `product`. `values`: lot_code, produced_on, expires_on, quantity, unit, origin_commune_codes.

    Raises PermissionDenied (not the product's province officer or producer) and ValidationError (fields,
    or `lot_code_taken` when the product already has a lot with that code). Writes an audit event.
    """
    access.ensure_can_record_trace(actor, product)
    data = _clean_lot(product=product, values=values)
    taken = ValidationError(
        _("Sản phẩm đã có lô mang mã này."), code="lot_code_taken", fields={"lot_code": [_("Mã lô đã tồn tại.")]}
    )
    if Lot.objects.filter(product=product, lot_code=data["lot_code"]).exists():
        raise taken
    try:
        with transaction.atomic():
            lot = Lot.objects.create(product=product, created_by=actor, **data)
            audit_record(action="trace.lot_create", actor=actor, target=lot, data={"lot_code": lot.lot_code})
    except IntegrityError as exc:  # a concurrent create with the same code
        raise taken from exc
    return lot


def lot_class_uri(lot: Lot) -> str:
    """The class-level identifier events use for this lot (GS1 Digital Link, or the OCOP URN without GTIN)."""
    return rules.lot_class_uri(gtin=lot.product.gtin, ocop_code=lot.product.ocop_code, lot_code=lot.lot_code)


# -------------------------------------------------------------------------------------------- event columns
def _location(value) -> str:
    return value.get("id", "") if isinstance(value, dict) else ""


def _parse_time(value: str) -> datetime.datetime:
    moment = datetime.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def event_columns(event: dict) -> dict:
    """The indexed columns of a TraceEvent, derived from its stored EPCIS JSON. Capture and chain verification
    both use this, so a column edited behind the JSON's back shows up as a broken link."""
    return {
        "event_id": event.get("eventID", ""),
        "event_type": event.get("type", ""),
        "action": event.get("action", ""),
        "biz_step": rules.vocab_short(event.get("bizStep"), "bizstep"),
        "disposition": rules.vocab_short(event.get("disposition"), "disp"),
        "event_time": _parse_time(event["eventTime"]),
        "event_time_zone_offset": event.get("eventTimeZoneOffset", ""),
        "record_time": _parse_time(event["recordTime"]),
        "read_point": _location(event.get("readPoint")),
        "biz_location": _location(event.get("bizLocation")),
        "epc_list": event.get("epcList") or [],
        "quantity_list": (
            event.get("quantityList") or event.get("childQuantityList") or event.get("outputQuantityList") or []
        ),
        "input_epc_list": event.get("inputEPCList") or [],
        "output_epc_list": event.get("outputEPCList") or [],
        "parent_id": event.get("parentID", ""),
        "child_epcs": event.get("childEPCs") or [],
        "is_error_declaration": "errorDeclaration" in event,
        "evidence": event.get("ocop:evidence") or [],
    }


# ------------------------------------------------------------------------------------------ the hash chain
@dataclass
class _ChainHead:
    seq: int
    hash: str


def _lock_heads(lot_ids: set[int]) -> dict[int, _ChainHead]:
    """Lock the lots (in id order, so two captures never deadlock) and read each chain's last link."""
    list(Lot.objects.select_for_update().filter(pk__in=sorted(lot_ids)).order_by("pk").values_list("pk"))
    heads = {lot_id: _ChainHead(0, rules.GENESIS_HASH) for lot_id in lot_ids}
    for lot_id in lot_ids:
        last = TraceEvent.objects.filter(lot_id=lot_id).order_by("-seq").values("seq", "hash").first()
        if last:
            heads[lot_id] = _ChainHead(last["seq"], last["hash"])
    return heads


def _append_events(*, actor, items: list[tuple[Lot, dict]]) -> list[TraceEvent]:
    """Append events (lot, EPCIS event JSON) to their lots' chains. Call inside a transaction.

    Sets recordTime (the repository's time, as EPCIS requires) and a missing eventID, refuses an eventID
    already stored (Conflict, with the event's index), and inserts in batches.
    """
    now = timezone.now()
    heads = _lock_heads({lot.pk for lot, _ in items})
    rows, seen = [], set()
    for index, (lot, event) in enumerate(items):
        event = dict(event)
        event["recordTime"] = rules.iso_time(now)
        event.setdefault("eventID", rules.event_id_for(event))
        columns = event_columns(event)
        if not columns["is_error_declaration"]:
            if columns["event_id"] in seen:
                raise _duplicate(index)
            seen.add(columns["event_id"])
        head = heads[lot.pk]
        link = rules.chain_hash(head.hash, event)
        rows.append(
            TraceEvent(
                lot=lot,
                product_id=lot.product_id,
                seq=head.seq + 1,
                document=event,
                prev_hash=head.hash,
                hash=link,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                **columns,
            )
        )
        heads[lot.pk] = _ChainHead(head.seq + 1, link)
    _refuse_stored_ids(rows)
    TraceEvent.objects.bulk_create(rows, batch_size=BULK_BATCH)
    return rows


def _duplicate(index: int) -> Conflict:
    message = _("Sự kiện có eventID đã được ghi nhận trước đó.")
    return Conflict(message, code="epcis_duplicate_event", fields={f"$.epcisBody.eventList[{index}]": [message]})


def _refuse_stored_ids(rows: list[TraceEvent]) -> None:
    positions = {row.event_id: i for i, row in enumerate(rows) if not row.is_error_declaration}
    ids = list(positions)
    for start in range(0, len(ids), BULK_BATCH):
        stored = TraceEvent.objects.filter(event_id__in=ids[start : start + BULK_BATCH], is_error_declaration=False)
        first = stored.values_list("event_id", flat=True).first()
        if first is not None:
            raise _duplicate(positions[first])


@dataclass(frozen=True)
class ChainReport:
    """Result of `trace_chain_verify`: `ok`, how many events were checked, and the first broken link."""

    ok: bool
    checked: int
    broken_seq: int | None = None
    broken_event_id: str = ""
    reason: str = ""


def trace_chain_verify(*, lot: Lot) -> ChainReport:
    """Recompute a lot's chain in order and report the first broken link.

    A link is broken when its position skips, its prev_hash is not the previous hash, its hash does not match
    sha256(prev_hash + canonical JSON of the stored event), or a column differs from what the JSON says.
    Reads only this lot's events (through the (lot, seq) index), streaming.
    """
    previous, checked = rules.GENESIS_HASH, 0
    for event in TraceEvent.objects.filter(lot=lot).order_by("seq").iterator(chunk_size=500):
        checked += 1
        reason = _link_problem(event, expected_seq=checked, previous=previous)
        if reason:
            return ChainReport(False, checked, event.seq, event.event_id, reason)
        previous = event.hash
    return ChainReport(True, checked)


def _link_problem(event: TraceEvent, *, expected_seq: int, previous: str) -> str:
    if event.seq != expected_seq:
        return "missing_event"
    if event.prev_hash != previous:
        return "prev_hash_mismatch"
    if rules.chain_hash(event.prev_hash, event.document) != event.hash:
        return "hash_mismatch"
    try:
        columns = event_columns(event.document)
    except (KeyError, TypeError, ValueError):
        return "document_invalid"
    for name, value in columns.items():
        if getattr(event, name) != value:
            return f"column_mismatch:{name}"
    return ""


# ------------------------------------------------------------------------------------------ EPCIS capture
def _event_path(index: int) -> str:
    return f"$.epcisBody.eventList[{index}]"


def _lot_for_ref(ref: rules.LotRef, cache: dict) -> Lot | None:
    if ref not in cache:
        lots = Lot.objects.select_related("product__subject").filter(lot_code=ref.lot_code)
        if ref.gtin:
            lots = lots.filter(product__gtin__in=rules.gtin_variants(ref.gtin))
        else:
            lots = lots.filter(product__ocop_code=ref.ocop_code)
        cache[ref] = lots.first()
    return cache[ref]


def _resolve_lots(*, actor, events: list) -> list[tuple[Lot, dict]]:
    """Each event's lot (the first lot it names that we know, outputs first). Unknown lots are collected for
    one 422 listing every such event; a lot outside the actor's rights raises PermissionDenied at once."""
    cache: dict = {}
    items, unknown = [], {}
    for index, event in enumerate(events):
        lot = next((lot for ref in rules.event_lot_refs(event) if (lot := _lot_for_ref(ref, cache))), None)
        if lot is None:
            unknown[_event_path(index)] = [_("Sự kiện không gắn với lô nào đã khai báo trên hệ thống.")]
            continue
        access.ensure_can_record_trace(actor, lot.product, field=_event_path(index))
        items.append((lot, event))
    if unknown:
        raise ValidationError(
            _("Có sự kiện gắn với lô chưa được khai báo; không sự kiện nào được lưu."),
            code="epcis_unknown_lot",
            fields=unknown,
        )
    return items


def _depth_exceeds(document, limit: int) -> bool:
    """Whether JSON nesting goes deeper than `limit` (iterative: a deep document cannot exhaust the stack here)."""
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def epcis_document_check(*, document) -> None:
    """Raise EpcisInvalid (400, fields={JSON path: [schema errors]}) unless `document` is an
    EPCIS 2.0 EPCISDocument valid against the vendored official schema."""
    if not isinstance(document, dict) or document.get("type") != "EPCISDocument":
        message = _("Cần một EPCISDocument (type = EPCISDocument).")
        raise EpcisInvalid(message, fields={"$.type": [message]})
    errors = document_errors(document)
    if errors:
        raise EpcisInvalid(_("Tài liệu EPCIS không hợp lệ theo lược đồ EPCIS 2.0."), fields=errors)


def epcis_event_count(document) -> int:
    events = ((document or {}).get("epcisBody") or {}).get("eventList") if isinstance(document, dict) else None
    return len(events) if isinstance(events, list) else 0


def epcis_capture_start(*, actor, body: bytes):
    """Queue the capture of a large document (more than SYNC_MAX_EVENTS events) as a job with a progress bar; the
    job captures it all or nothing with the actor's rights, like `epcis_capture`. Returns the JobRun."""
    import uuid
    from pathlib import Path

    from django.conf import settings

    from ocop.core.jobs import jobrun_start

    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied()
    relative = Path("epcis") / f"{uuid.uuid4().hex}.json"
    target = Path(settings.PRIVATE_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    return jobrun_start(
        kind="traceability.epcis_capture",
        actor=actor,
        params={"path": str(relative), "size": len(body)},
        title=str(_("Ghi nhận tài liệu EPCIS")),
    )


def epcis_capture(*, actor, document: dict, size: int = 0, progress=None) -> list[TraceEvent]:
    """Capture every event of an EPCIS 2.0 EPCISDocument, all or nothing.

    `size` is the request body's length in bytes. Errors: DocumentTooLarge (413) past 5 MB or 10,000 events;
    ValidationError `epcis_invalid` (schema) or `epcis_unknown_lot` (an event naming no lot we know, with
    each event's index); PermissionDenied for a lot of a product the actor may not record for; Conflict for
    an eventID already stored. Writes one audit event.
    """
    if size > MAX_DOCUMENT_BYTES:
        raise DocumentTooLarge(_("Tài liệu EPCIS lớn hơn 5 MB; hãy chia thành nhiều tài liệu."))
    events = ((document or {}).get("epcisBody") or {}).get("eventList") if isinstance(document, dict) else None
    if isinstance(events, list) and len(events) > MAX_DOCUMENT_EVENTS:
        raise DocumentTooLarge(_("Tài liệu EPCIS có hơn 10.000 sự kiện; hãy chia thành nhiều tài liệu."))
    if _depth_exceeds(document, MAX_DOCUMENT_DEPTH):
        message = _("Tài liệu EPCIS lồng nhau quá sâu (tối đa %(max)s cấp).") % {"max": MAX_DOCUMENT_DEPTH}
        raise EpcisInvalid(message, fields={"$": [message]})
    epcis_document_check(document=document)
    if progress is not None:
        progress(1, 3, str(_("Đã kiểm tra lược đồ; đang đối chiếu các lô…")), force=True)
    items = _resolve_lots(actor=actor, events=events)
    if progress is not None:
        progress(2, 3, str(_("Đang ghi các sự kiện…")), force=True)
    with transaction.atomic():
        rows = _append_events(actor=actor, items=items)
        audit_record(action="trace.epcis_capture", actor=actor, data={"events": len(rows)})
    return rows


# ------------------------------------------------------------------------------------ the back-office form
def _save_photos(photos) -> list[dict]:
    """Check photos (content, not name: registry.photos) and schedule their storage after commit."""
    from ocop.registry.photos import photo_prepare

    if len(photos) > MAX_PHOTOS:
        raise ValidationError(fields={"photos": [_("Tối đa 5 ảnh cho một sự kiện.")]})
    evidence, files = [], []
    for upload in photos:
        prepared = photo_prepare(upload=upload)
        name = f"trace/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"
        digest = hashlib.sha256(prepared.photo).hexdigest()
        evidence.append({"name": name, "contentType": "image/jpeg", "size": len(prepared.photo), "sha256": digest})
        files.append((name, prepared.photo))
    # The event names the files and their digests; writing them only if the event commits leaves no orphans.
    transaction.on_commit(lambda: [default_storage.save(n, ContentFile(b)) for n, b in files])
    return evidence


def trace_event_build(
    *,
    lot: Lot,
    event_type: str,
    biz_step: str,
    event_time: datetime.datetime,
    read_point_commune: str = "",
    quantity=None,
    note: str = "",
    evidence: list | None = None,
) -> dict:
    """The EPCIS 2.0 event JSON the back-office form stands for (no eventID/recordTime yet)."""
    element = {"epcClass": lot_class_uri(lot)}
    if quantity is not None:
        element.update(quantity=float(quantity), uom=rules.UOM_BY_UNIT[lot.unit])
    event = {
        "type": event_type,
        "eventTime": event_time.astimezone(rules.VN_TZ).isoformat(timespec="seconds"),
        "eventTimeZoneOffset": rules.timezone_offset(event_time),
    }
    if event_type == TraceEvent.Type.TRANSFORMATION:
        # The form knows only the output lot; EPCIS then requires a transformationID to link the inputs later.
        event.update(transformationID=f"urn:uuid:{uuid.uuid4()}", outputQuantityList=[element])
    elif event_type == TraceEvent.Type.AGGREGATION:
        event.update(action="ADD", childQuantityList=[element])
    else:
        event.update(action="ADD" if biz_step == "commissioning" else "OBSERVE", quantityList=[element])
    event["bizStep"] = BIZ_STEP_VALUES.get(biz_step, biz_step)
    if read_point_commune:
        event["readPoint"] = {"id": f"{COMMUNE_LOCATION_URN}{read_point_commune}"}
    if event.get("action") == "ADD" and event_type == TraceEvent.Type.OBJECT:
        event["ilmd"] = {"cbvmda:lotNumber": lot.lot_code}
        if lot.expires_on:
            event["ilmd"]["cbvmda:itemExpirationDate"] = lot.expires_on.isoformat()
    if note:
        event["ocop:note"] = nfc(note).strip()
    if evidence:
        event["ocop:evidence"] = evidence
    return event


def trace_event_record(
    *,
    actor,
    lot: Lot,
    event_type: str,
    biz_step: str,
    event_time: datetime.datetime,
    read_point_commune: str = "",
    quantity=None,
    note: str = "",
    photos=(),
) -> TraceEvent:
    """Record one event of `lot` from the back-office form: build the EPCIS event, check it against the same
    schema as capture (wrapped in a document), and append it to the lot's chain.

    Raises PermissionDenied, ValidationError (fields: read_point_commune, photos, event_time, or
    `epcis_invalid`). Photos are stored after commit and listed, with their SHA-256, inside the event.
    """
    access.ensure_can_record_trace(actor, lot.product)
    if event_type not in TraceEvent.Type.values or biz_step not in rules.FORM_BIZ_STEPS:
        raise ValidationError(fields={"biz_step": [_("Bước không hợp lệ.")]})
    if event_time > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError(fields={"event_time": [_("Thời điểm không được ở tương lai.")]})
    if read_point_commune:
        try:
            read_point_commune = unit_get(
                code=read_point_commune, at=event_time.astimezone(rules.VN_TZ).date(), level=AdminUnit.Level.COMMUNE
            ).code
        except DomainError as exc:
            raise ValidationError(fields={"read_point_commune": [exc.message]}) from exc
    with transaction.atomic():
        evidence = _save_photos(list(photos or []))
        event = trace_event_build(
            lot=lot,
            event_type=event_type,
            biz_step=biz_step,
            event_time=event_time,
            read_point_commune=read_point_commune,
            quantity=quantity,
            note=note,
            evidence=evidence,
        )
        epcis_document_check(document=epcis_document(events=[event]))
        (row,) = _append_events(actor=actor, items=[(lot, event)])
        audit_record(action="trace.event_record", actor=actor, target=lot, data={"event_id": row.event_id})
    return row


def epcis_document(*, events: list[dict]) -> dict:
    """Wrap events in an EPCIS 2.0 EPCISDocument with our JSON-LD context."""
    return {
        "@context": DOCUMENT_CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": rules.iso_time(timezone.now()),
        "epcisBody": {"eventList": events},
    }
