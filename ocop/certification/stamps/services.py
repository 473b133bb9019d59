"""Stamp writes and the verification every scan runs.

`stamp_batch_order` takes a serial range from the active key's counter under a row lock; `stamp_verify` needs no
per-stamp row (parse → MAC → batch by range → certificate status now); `scan_record` logs the scan and evaluates
the counterfeit rules (signals_rules) in the same request.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.certification import rules as cert_rules
from ocop.certification.models import Certificate
from ocop.certification.stamps import access, codes, rules, signals_rules
from ocop.certification.stamps.keys import stamp_key_secret
from ocop.certification.stamps.links import stamp_url
from ocop.certification.stamps.lookup import batch_cached, batch_covering, scan_log_checked
from ocop.certification.stamps.models import CounterfeitAlert, ScanEvent, ScanOutcome, StampBatch, StampKey
from ocop.core.audit import audit_record
from ocop.core.errors import Conflict, ValidationError
from ocop.core.inserting import insert_one
from ocop.core.text import nfc

LOCATION_SALT = "ocop.stamps.scan-location"


def _setting(name: str, default):
    return getattr(settings, name, default)


def max_batch_quantity() -> int:
    return int(_setting("OCOP_STAMP_MAX_BATCH", rules.DEFAULT_MAX_BATCH))


# ----------------------------------------------------------------------------------------------- keys


def stamp_key_active() -> StampKey:
    """The key new batches use; key 1 is created on first use so a fresh platform can order stamps."""
    key = StampKey.objects.filter(active=True).order_by("-key_id").first()
    if key is None:
        key, _created = StampKey.objects.get_or_create(key_id=1, defaults={"active": True})
        if not key.active:
            raise Conflict(_("Chưa có khóa tem nào đang dùng."), code="stamp_key_missing")
    return key


def stamp_key_rotate(*, actor=None) -> StampKey:
    """Start using a new key id for new batches. Old key ids keep verifying (their secrets stay configured).
    Raises Conflict when all 15 key ids are used."""
    with transaction.atomic():
        last = StampKey.objects.select_for_update().aggregate(m=Max("key_id"))["m"] or 0
        if last >= codes.MAX_KEY_ID:
            raise Conflict(_("Đã dùng hết mã khóa tem."), code="stamp_keys_exhausted")
        StampKey.objects.filter(active=True).update(active=False, retired_at=timezone.now())
        key = StampKey.objects.create(key_id=last + 1, active=True)
        audit_record(action="stamp.key_rotate", actor=actor, target=key, data={"key_id": key.key_id})
    return key


# ----------------------------------------------------------------------------------------------- batches


def certificate_valid_for_product(product, *, on: datetime.date | None = None) -> Certificate | None:
    """The product's certificate valid on `on` (today), highest star first; None when it has none."""
    on = on or timezone.localdate()
    candidates = Certificate.objects.filter(product=product).exclude(status__in=["revoked", "superseded"])
    valid = [c for c in candidates if cert_rules.certificate_status_at(c, on) == cert_rules.VALID]
    valid.sort(key=lambda c: (c.star, c.valid_from or datetime.date.min), reverse=True)
    return valid[0] if valid else None


def _decimal(value, default) -> Decimal | None:
    try:
        return Decimal(str(default if value in (None, "") else value))
    except (InvalidOperation, ValueError):
        return None


def _order_errors(quantity, lot_code: str, layout: dict) -> dict:
    errors = {}
    problem = rules.quantity_error(quantity, maximum=max_batch_quantity())
    if problem:
        errors["quantity"] = [
            _("Số lượng tem phải từ 1 đến %(max)s.") % {"max": f"{max_batch_quantity():,}".replace(",", ".")}
        ]
    if lot_code and not rules.LOT_CODE_RE.match(lot_code):
        errors["lot_code"] = [_("Mã lô gồm tối đa 20 chữ cái, chữ số, dấu chấm, gạch ngang hoặc gạch dưới.")]
    if any(v is None for v in layout.values()):
        errors["label_width_mm"] = [_("Kích thước tem không hợp lệ.")]
        return errors
    for name in rules.label_layout_errors(
        width=layout["label_width_mm"],
        height=layout["label_height_mm"],
        margin=layout["margin_mm"],
        bleed=layout["bleed_mm"],
    ):
        errors[name] = [_("Kích thước tem, lề hoặc tràn lề không in được trên khổ A4.")]
    return errors


def stamp_batch_order(
    *,
    actor,
    product,
    quantity,
    lot_code: str = "",
    label_width_mm=None,
    label_height_mm=None,
    margin_mm=None,
    bleed_mm=None,
    request=None,
) -> StampBatch:
    """Order `quantity` stamps for `product`, bound to its certificate valid today.

    Checks shape (1 <= quantity <= OCOP_STAMP_MAX_BATCH, lot code, a label that fits A4), then access
    (access.ensure_can_order_stamps), then the certificate; nothing is stored when any fails (ValidationError
    with fields, PermissionDenied, ValidationError code `no_valid_certificate`). The serial range comes from the
    active key's counter, locked with select_for_update, so concurrent orders never overlap. Audited.
    """
    lot_code = nfc(lot_code or "").strip()
    layout = {
        "label_width_mm": _decimal(label_width_mm, "32"),
        "label_height_mm": _decimal(label_height_mm, "44"),
        "margin_mm": _decimal(margin_mm, "10"),
        "bleed_mm": _decimal(bleed_mm, "1.5"),
    }
    errors = _order_errors(quantity, lot_code, layout)
    if errors:
        raise ValidationError(_("Yêu cầu đặt tem chưa hợp lệ."), code="stamp_order_invalid", fields=errors)
    access.ensure_can_order_stamps(actor, product)
    certificate = certificate_valid_for_product(product)
    if certificate is None:
        raise ValidationError(
            _("Sản phẩm chưa có giấy chứng nhận OCOP còn hiệu lực nên không được cấp tem."),
            code="no_valid_certificate",
            fields={"product": [_("Sản phẩm chưa có giấy chứng nhận OCOP còn hiệu lực.")]},
        )
    stamp_key_active()
    with transaction.atomic():
        key = StampKey.objects.select_for_update().filter(active=True).order_by("-key_id").first()
        start = key.next_serial
        if start + quantity > codes.MAX_SERIAL + 1:
            raise Conflict(_("Khóa tem đã hết số sê-ri; cần đổi khóa mới."), code="stamp_serials_exhausted")
        key.next_serial = start + quantity
        key.save(update_fields=["next_serial"])
        batch = StampBatch.objects.create(
            product=product,
            certificate=certificate,
            key_id=key.key_id,
            serial_start=start,
            serial_end=start + quantity,
            quantity=quantity,
            lot_code=lot_code,
            ordered_by=actor if getattr(actor, "is_authenticated", False) else None,
            **layout,
        )
        audit_record(
            action="stamp.batch_order",
            actor=actor,
            target=batch,
            data={"product": product.pk, "quantity": quantity, "key_id": key.key_id, "serial_start": start},
            request=request,
        )
    return batch


def stamp_batch_files_start(*, actor, batch: StampBatch):
    """Queue the print PDF and the printing-house CSV as two jobs (after commit); returns (pdf_job, csv_job)."""
    from ocop.core.jobs import jobrun_start

    access.ensure_can_order_stamps(actor, batch.product)
    params = {"batch_id": batch.pk}
    pdf_job = jobrun_start(
        kind="certification.stamp_sheets", actor=actor, params=params, title=str(_("Tệp in tem (PDF)"))
    )
    csv_job = jobrun_start(
        kind="certification.stamp_codes", actor=actor, params=params, title=str(_("Danh sách mã tem (CSV)"))
    )
    StampBatch.objects.filter(pk=batch.pk).update(pdf_job=pdf_job, csv_job=csv_job)
    batch.pdf_job, batch.csv_job = pdf_job, csv_job
    return pdf_job, csv_job


def stamp_batch_void(*, actor, batch: StampBatch, reason: str, request=None) -> StampBatch:
    """Void a batch: from now on its stamps verify as voided. Reason required (ValidationError); officers of the
    product's province only (PermissionDenied); a voided batch cannot be voided again (Conflict). Audited."""
    reason = nfc(reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Nhập lý do hủy lô tem."), code="stamp_void_reason", fields={"reason": [_("Nhập lý do hủy lô tem.")]}
        )
    access.ensure_can_void_stamp_batch(actor, batch)
    with transaction.atomic():
        locked = StampBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.voided_at is not None:
            raise Conflict(_("Lô tem này đã bị hủy."), code="stamp_batch_already_voided")
        locked.voided_at = timezone.now()
        locked.voided_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.void_reason = reason
        locked.save(update_fields=["voided_at", "voided_by", "void_reason"])
        audit_record(action="stamp.batch_void", actor=actor, target=locked, data={"reason": reason}, request=request)
    return locked


def stamp_batch_codes(batch: StampBatch):
    """(serial, code, url) for every stamp of the batch, generated on the fly (nothing stored per stamp)."""
    key = stamp_key_secret(batch.key_id)
    gtin = batch.product.gtin or ""
    for serial in range(batch.serial_start, batch.serial_end):
        code = codes.code_make(key, batch.key_id, serial)
        yield serial, code, stamp_url(code, gtin=gtin, lot_code=batch.lot_code)


# ----------------------------------------------------------------------------------------------- verification


@dataclass
class Verification:
    """What one code says now. `outcome` is a ScanOutcome value; `mac_ok`/`issued` feed the counterfeit rules."""

    outcome: str
    code: str = ""
    key_id: int | None = None
    serial: int | None = None
    mac_ok: bool = False
    batch: StampBatch | None = None
    certificate: Certificate | None = None
    warnings: list[str] = field(default_factory=list)
    previous_scans: int = 0  # logged scans of this stamp before now, counted up to the over-scan limit + 1

    @property
    def issued(self) -> bool:
        return self.batch is not None

    @property
    def product(self):
        return self.batch.product if self.batch else None


def _max_scans() -> int:
    return int(_setting("OCOP_STAMP_MAX_SCANS", signals_rules.DEFAULT_MAX_SCANS))


def _certificate_now(certificate: Certificate, today: datetime.date) -> tuple[Certificate, str]:
    """The certificate a stamp stands for today: a renewal at the same star level carries the stamp over
    (the printed star is still true); a change of star does not."""
    status = cert_rules.certificate_status_at(certificate, today)
    seen = 0
    while status == cert_rules.SUPERSEDED and certificate.superseded_by_id and seen < 5:
        successor = Certificate.objects.get(pk=certificate.superseded_by_id)
        if successor.star != certificate.star:
            break
        certificate, status = successor, cert_rules.certificate_status_at(successor, today)
        seen += 1
    return certificate, status


def _code_checked(code) -> Verification:
    """The code parsed and its MAC checked: `mac_ok` False (with the bad_code warning) for a forgery, an INVALID
    outcome without a code for text not shaped like one. No database access."""
    parsed = codes.code_parse(code)
    if parsed is None:
        return Verification(outcome=ScanOutcome.INVALID)
    result = Verification(outcome=ScanOutcome.INVALID, code=parsed.code, key_id=parsed.key_id, serial=parsed.serial)
    if not codes.code_check(parsed, stamp_key_secret(parsed.key_id)):
        # Keep the batch for attribution of the forgery, but never show its product as genuine.
        result.warnings.append("bad_code")
        return result
    result.mac_ok = True
    return result


def _judge(result: Verification, batch: StampBatch | None, *, now, gtin, lot_code) -> Verification:
    """Complete a genuine code's verification from the batch holding its serial (None: never issued)."""
    if batch is None:
        result.warnings.append("unissued")
        return result
    result.batch = batch
    if (
        gtin is not None
        and (batch.product.gtin or "").zfill(14) != gtin.zfill(14)
        or (lot_code is not None and lot_code != batch.lot_code)
    ):
        result.batch = None
        result.warnings.append("link_mismatch")
        return result
    if batch.voided_at is not None and batch.voided_at <= now:
        result.outcome = ScanOutcome.VOIDED
        result.certificate = batch.certificate
        return result
    certificate, status = _certificate_now(batch.certificate, timezone.localdate(now))
    result.certificate = certificate
    result.outcome = status if status in ScanOutcome.values else ScanOutcome.INVALID
    return result


def stamp_verify(*, code, now: datetime.datetime | None = None, gtin: str | None = None, lot_code: str | None = None):
    """Verify a code (any input: never raises on garbage). With `gtin`/`lot_code` from a Digital Link the batch's
    product and lot must match, else the code was copied onto another product's link."""
    return _verify_checked(_code_checked(code), now=now or timezone.now(), gtin=gtin, lot_code=lot_code)


def _verify_checked(result: Verification, *, now, gtin, lot_code) -> Verification:
    """Complete the verification of a code already parsed and MAC-checked, looking its batch up."""
    if not result.mac_ok:
        return result
    # Once past the limit the exact number of earlier scans does not matter on the request path.
    batch, result.previous_scans = batch_covering(result.key_id, result.serial, count_scans_up_to=_max_scans() + 1)
    return _judge(result, batch, now=now, gtin=gtin, lot_code=lot_code)


# ----------------------------------------------------------------------------------------------- scans


def _alert_fingerprint(kind: str, product_id, serial, province_code: str) -> str:
    per_serial = kind in (signals_rules.OVER_SCANNED, signals_rules.DISTANT_SCANS)
    return f"{kind}:{product_id or 0}:{serial if per_serial else '-'}:{province_code or '-'}"


def counterfeit_alert_raise(*, kind: str, product=None, batch=None, serial=None, province_code="", at, sample: dict):
    """Add one occurrence to the alert row of (kind, product, serial for per-serial kinds, province): created on
    first sight, counted after. `sample` (no personal data) joins the last ten samples in `evidence`."""
    product_province = product.subject.province_code if product is not None else province_code
    fingerprint = _alert_fingerprint(kind, getattr(product, "pk", None), serial, product_province)
    with transaction.atomic():
        alert = CounterfeitAlert.objects.select_for_update().filter(fingerprint=fingerprint).first()
        if alert is None:
            try:
                with transaction.atomic():
                    return CounterfeitAlert.objects.create(
                        kind=kind,
                        fingerprint=fingerprint,
                        product=product,
                        batch=batch,
                        serial=serial,
                        province_code=product_province,
                        evidence={"samples": [sample]},
                        first_seen_at=at,
                        last_seen_at=at,
                    )
            except IntegrityError:  # another scan created it between our read and insert
                alert = CounterfeitAlert.objects.select_for_update().get(fingerprint=fingerprint)
        samples = ([sample] + list((alert.evidence or {}).get("samples", [])))[:10]
        CounterfeitAlert.objects.filter(pk=alert.pk).update(
            count=F("count") + 1, last_seen_at=max(at, alert.last_seen_at), evidence={"samples": samples}
        )
        alert.refresh_from_db()
    return alert


def _attribute_forgery(verification: Verification):
    """A forged code that reuses an issued serial points at the product being imitated."""
    if verification.key_id is None or verification.mac_ok:
        return None
    return batch_covering(verification.key_id, verification.serial)[0]


def _logged_result(verification: Verification, batch: StampBatch | None) -> dict:
    """The scan log's columns that depend on the verification and the batch the scan is attributed to."""
    return {
        "batch_id": batch.pk if batch else None,
        "product_id": batch.product_id if batch else None,
        "outcome": verification.outcome,
    }


def scan_record(
    *,
    code,
    channel: str = "page",
    user_agent: str = "",
    remote_addr: str = "",
    gtin: str | None = None,
    lot_code: str | None = None,
    now: datetime.datetime | None = None,
):
    """Verify `code`, log the scan and raise counterfeit alerts. Returns (Verification, ScanEvent, alert kinds).

    Stores only a truncated origin and a coarse user-agent family (rules.origin_truncate, user_agent_family).
    Never raises on any input.
    """
    now = now or timezone.now()
    # A stamp of a batch this process has seen is judged from the cached batch and logged in one round trip that
    # also says whether the cache was still right (stamps.lookup); anything else takes the full lookup.
    verification = _code_checked(code)
    cached = batch_cached(verification.key_id, verification.serial) if verification.mac_ok else None
    if cached is not None:
        _judge(verification, cached[0], now=now, gtin=gtin, lot_code=lot_code)
    else:
        _verify_checked(verification, now=now, gtin=gtin, lot_code=lot_code)
    device, browser = rules.user_agent_family(user_agent)
    batch = verification.batch or _attribute_forgery(verification)  # a forgery points at the batch it imitates
    event = ScanEvent(
        scanned_at=now,
        code=verification.code,
        key_id=verification.key_id,
        serial=verification.serial,
        channel=channel[:8],
        device=device,
        browser=browser,
        origin=rules.origin_truncate(remote_addr),
        **_logged_result(verification, batch),
    )
    if cached is None:
        # One planned INSERT, committed without waiting for the disk flush (core.inserting.insert_one).
        insert_one(event, durable=False)
    else:
        count_up_to = _max_scans() + 1
        previous, fresh = scan_log_checked(event, batch=cached[0], digest=cached[1], count_scans_up_to=count_up_to)
        if not fresh:  # the batch, product, subject or certificate changed since this process cached them
            verification = stamp_verify(code=code, now=now, gtin=gtin, lot_code=lot_code)
            batch = verification.batch  # the code is genuine (cached path): no forgery to attribute
            corrected = _logged_result(verification, batch)
            if any(getattr(event, name) != value for name, value in corrected.items()):
                ScanEvent.objects.filter(pk=event.pk).update(**corrected)
                for name, value in corrected.items():
                    setattr(event, name, value)
        verification.previous_scans = previous  # counted before this scan was logged
    facts = signals_rules.ScanFacts(
        at=now,
        outcome=verification.outcome,
        mac_ok=verification.mac_ok,
        issued=verification.issued or "link_mismatch" in verification.warnings,
        previous_scans=verification.previous_scans if verification.issued else 0,
    )
    kinds = signals_rules.signals_for_scan(facts, max_scans=_max_scans())
    if not verification.mac_ok and verification.code == "":
        # Text that is not even shaped like a code (a URL typo, a bot probing): logged, not an alert.
        kinds = []
    for kind in kinds:
        counterfeit_alert_raise(
            kind=kind,
            product=batch.product if batch else None,
            batch=batch,
            serial=verification.serial,
            at=now,
            sample={"at": now.isoformat(), "code": verification.code, "origin": event.origin, "scan": event.pk},
        )
    return verification, event, kinds


def scan_location_token(event: ScanEvent) -> str:
    """A signed reference to the scan, put in the page's location form so a POST can only annotate that scan."""
    return signing.dumps(event.pk, salt=LOCATION_SALT)


def scan_locate(*, token: str, province_code: str, consent: bool, now=None) -> list[str]:
    """Record the province a consumer says they are in (only with `consent`) and check the distant-scans rule.

    Raises ValidationError (code scan_location_invalid) for a missing consent, an unknown province or a bad or
    stale token (a scan can be located within an hour). Returns the alert kinds raised.
    """
    from ocop.geo.models import AdminUnit

    now = now or timezone.now()
    try:
        scan_id = signing.loads(token or "", salt=LOCATION_SALT, max_age=3600)
    except signing.BadSignature:
        scan_id = None
    valid_province = AdminUnit.objects.filter(level="province", code=province_code, valid_until__isnull=True).exists()
    if not consent or scan_id is None or not valid_province:
        raise ValidationError(_("Không ghi nhận được vị trí."), code="scan_location_invalid")
    event = ScanEvent.objects.filter(pk=scan_id).first()
    if event is None:
        raise ValidationError(_("Không ghi nhận được vị trí."), code="scan_location_invalid")
    ScanEvent.objects.filter(pk=event.pk).update(province_code=province_code, location_consent=True)
    if event.serial is None or event.batch_id is None:
        return []
    window = datetime.timedelta(
        hours=float(_setting("OCOP_STAMP_DISTANT_HOURS", signals_rules.DEFAULT_DISTANT_WINDOW.total_seconds() / 3600))
    )
    earlier = (
        ScanEvent.objects.filter(
            key_id=event.key_id, serial=event.serial, scanned_at__gte=event.scanned_at - window, province_code__gt=""
        )
        .exclude(pk=event.pk)
        .order_by("-scanned_at")[:50]
    )
    current = signals_rules.PlacedScan(at=event.scanned_at, province_code=province_code)
    placed = [signals_rules.PlacedScan(at=e.scanned_at, province_code=e.province_code) for e in earlier]
    hit = signals_rules.distant_scan(current, placed, window=window)
    if hit is None:
        return []
    batch = StampBatch.objects.select_related("product__subject").get(pk=event.batch_id)
    counterfeit_alert_raise(
        kind=signals_rules.DISTANT_SCANS,
        product=batch.product,
        batch=batch,
        serial=event.serial,
        at=now,
        sample={
            "at": event.scanned_at.isoformat(),
            "province": province_code,
            "earlier_at": hit.at.isoformat(),
            "earlier_province": hit.province_code,
        },
    )
    return [signals_rules.DISTANT_SCANS]
