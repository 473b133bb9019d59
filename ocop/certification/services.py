"""Certification writes: recognition decisions, certificate issue and supersession, revocation, re-evaluation
grace and the daily job. Every rule number (validity, windows, limits) comes from regime data
(ocop/evaluation/data/regimes.json) through `selectors.regime_deadline`.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.certification import access, rules
from ocop.certification.models import Certificate, Decision, Level, Notification, NumberSequence, Revocation
from ocop.certification.selectors import regime_deadline, regime_setting
from ocop.core.audit import audit_record
from ocop.core.errors import Conflict, ValidationError
from ocop.core.files import sniff_content_type
from ocop.core.text import nfc
from ocop.registry.models import Product

MAX_REPORT_BYTES = 10 * 1024 * 1024


def _text(value) -> str:
    return nfc(value or "").strip()


def _authority(regime, level: str) -> str:
    for entry in (regime.levels if regime else None) or []:
        if entry.get("level") == level and entry.get("authority"):
            return entry["authority"]
    return ""


def decision_create(
    *,
    actor,
    level: str,
    number: str,
    decided_on: datetime.date | None,
    issuing_body: str = "",
    province_code: str = "",
    signer_name: str = "",
    signer_title: str = "",
    regime=None,
    note: str = "",
) -> Decision:
    """Record a recognition decision of a province (3★/4★) or of the ministry (5★) — 26/2026/QĐ-TTg Art. 4.

    Number and date are required; a provincial decision names its province. The issuing body defaults to the
    regime's authority for the level. Raises ValidationError (fields) before writing anything, PermissionDenied
    unless the actor acts for that level (access.ensure_can_create_decision). Audited.
    """
    number, province_code = _text(number), _text(province_code)
    errors = {}
    if level not in Level.values:
        errors["level"] = [_("Cấp quyết định không hợp lệ.")]
    if not number:
        errors["number"] = [_("Nhập số quyết định.")]
    if not isinstance(decided_on, datetime.date):
        errors["decided_on"] = [_("Nhập ngày quyết định.")]
    if level == Level.PROVINCE and not province_code:
        errors["province_code"] = [_("Quyết định cấp tỉnh phải ghi rõ tỉnh.")]
    if level == Level.CENTRAL:
        province_code = ""
    issuing_body = _text(issuing_body) or _authority(regime, level)
    if not issuing_body:
        errors["issuing_body"] = [_("Nhập cơ quan ban hành quyết định.")]
    if errors:
        raise ValidationError(_("Quyết định chưa đủ thông tin."), code="decision_invalid", fields=errors)
    access.ensure_can_create_decision(actor, level=level, province_code=province_code)
    with transaction.atomic():
        decision = Decision.objects.create(
            level=level,
            number=number,
            decided_on=decided_on,
            issuing_body=issuing_body,
            province_code=province_code,
            signer_name=_text(signer_name),
            signer_title=_text(signer_title),
            regime=regime,
            note=_text(note),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(action="certification.decision.create", actor=actor, target=decision, data={"number": number})
    return decision


def _check_issue(*, decision, product, star, score, regime, level) -> dict:
    """Field errors for an issue request (empty when it may go ahead)."""
    errors: dict[str, list] = {}
    min_stars = int((regime.data or {}).get("recognised_min_stars", 3))
    if not isinstance(star, int) or star < min_stars or star > 5:
        errors["star"] = [_("Chỉ sản phẩm đạt từ 3 đến 5 sao được cấp giấy chứng nhận.")]
    elif star not in rules.recognising_stars(regime.levels, level):
        # 26/2026/QĐ-TTg Art. 4: the province recognises 3★/4★, the ministry 5★.
        errors["star"] = [_("Cấp quyết định này không có thẩm quyền công nhận hạng sao đã chọn.")]
    if level != decision.level:
        errors["level"] = [_("Cấp cấp giấy chứng nhận phải trùng với cấp của quyết định.")]
    if level == Level.PROVINCE and decision.province_code != product.subject.province_code:
        errors["decision"] = [_("Quyết định cấp tỉnh chỉ công nhận sản phẩm của tỉnh đó.")]
    if score is not None and not (Decimal(0) <= score <= Decimal(100)):
        errors["score"] = [_("Điểm phải từ 0 đến 100.")]
    return errors


def _as_score(score):
    if score is None or score == "":
        return None
    try:
        return Decimal(str(score))
    except InvalidOperation as exc:
        raise ValidationError(fields={"score": [_("Điểm không hợp lệ.")]}) from exc


def _next_number(*, level: str, province_code: str, year: int) -> str:
    """Next number for (level, province, year), docs/decisions/0006. The sequence row is locked, so two
    concurrent issues in the same province and year cannot take the same number."""
    prefix = rules.certificate_number_prefix(level=level, province_code=province_code or "00", year=year)
    NumberSequence.objects.get_or_create(prefix=prefix)
    seq = NumberSequence.objects.select_for_update().get(prefix=prefix)
    seq.last += 1
    seq.save(update_fields=["last"])
    return rules.certificate_number_format(prefix=prefix, sequence=seq.last)


def certificate_issue(
    *, actor, decision: Decision, product: Product, star: int, score, regime, level: str, issued_on=None
) -> Certificate:
    """Issue a certificate on `decision` (26/2026/QĐ-TTg Art. 4; docs/decisions/0006-certificate-number.md).

    Preconditions: 3★–5★ only; the star must be one the level recognises in `regime` (province 3★/4★, central
    5★); a provincial decision only for products of its province; `level` equals the decision's level.
    Validity: from `issued_on` (default: the decision date) for the regime's `certificate_validity_months`.
    Side effects: a new number; the product's certificate valid on `issued_on` (upgrade, re-evaluation) becomes
    superseded from that day; audit event `certification.certificate.issue`.
    Raises ValidationError (fields), PermissionDenied (access.ensure_can_issue_certificate).
    """
    score = _as_score(score)
    issued_on = issued_on or decision.decided_on
    errors = _check_issue(decision=decision, product=product, star=star, score=score, regime=regime, level=level)
    if issued_on < decision.decided_on:
        errors["issued_on"] = [_("Ngày cấp không được trước ngày quyết định.")]
    if errors:
        raise ValidationError(_("Không cấp được giấy chứng nhận."), code="certificate_issue_invalid", fields=errors)
    access.ensure_can_issue_certificate(actor, level=level, province_code=product.subject.province_code)
    months = regime_deadline(key="certificate_validity_months", on=issued_on, regime=regime)
    with transaction.atomic():
        # Lock the product so two decisions for it cannot both supersede the same certificate.
        Product.objects.select_for_update().filter(pk=product.pk).first()
        previous = [
            c
            for c in Certificate.objects.select_for_update()
            .filter(product=product)
            .exclude(status__in=[Certificate.Status.REVOKED, Certificate.Status.SUPERSEDED])
            if rules.certificate_status_at(c, issued_on) == rules.VALID
        ]
        cert = Certificate.objects.create(
            number=_next_number(level=level, province_code=product.subject.province_code, year=issued_on.year),
            product=product,
            star=star,
            score=score,
            decision=decision,
            decision_number=decision.number,
            decided_on=decision.decided_on,
            issuing_body=decision.issuing_body,
            issuing_level=level,
            regime=regime,
            criteria_version=regime.criteria_version,
            valid_from=issued_on,
            valid_until=rules.certificate_expiry(issued_on, months),
            source=Certificate.Source.EVALUATED,
        )
        for old in previous:
            old.status = Certificate.Status.SUPERSEDED
            old.status_changed_on = issued_on
            old.superseded_by = cert
            old.status_reason = str(_("Được thay thế bởi giấy chứng nhận %(number)s") % {"number": cert.number})
            old.save(update_fields=["status", "status_changed_on", "superseded_by", "status_reason", "updated_at"])
        audit_record(
            action="certification.certificate.issue",
            actor=actor,
            target=cert,
            data={
                "number": cert.number,
                "star": star,
                "decision": decision.number,
                "supersedes": [c.pk for c in previous],
            },
        )
    return cert


def _check_report_file(report_file) -> None:
    if report_file is None:
        return
    if report_file.size > MAX_REPORT_BYTES:
        raise ValidationError(fields={"report_file": [_("Tệp báo cáo quá lớn (tối đa 10 MB).")]})
    head = report_file.read(16)
    report_file.seek(0)
    if sniff_content_type(head) != "application/pdf":
        raise ValidationError(fields={"report_file": [_("Tệp báo cáo phải là PDF.")]})


def certificate_revoke(
    *,
    actor,
    certificate: Certificate,
    ground: str,
    conclusion_on: datetime.date,
    report: str,
    decision_number: str,
    decided_on: datetime.date,
    report_file=None,
) -> Revocation:
    """Revoke a certificate (26/2026/QĐ-TTg Art. 8).

    Preconditions: a ground of Art. 8(1); the verification report; the decision dated on or after the
    conclusion and no later than the regime's `revocation_decision_days` after it (15 under 26/2026); the
    certificate valid on the decision date. `report_file` is an optional PDF kept in private storage.
    Side effects: Revocation row; certificate revoked from `decided_on`; audit `certification.certificate.revoke`.
    Raises ValidationError (fields), PermissionDenied (provincial officer of the province for 3★/4★, central
    officer for 5★), Conflict when the certificate is already revoked.
    """
    report, decision_number = _text(report), _text(decision_number)
    errors: dict[str, list] = {}
    if ground not in Revocation.Ground.values:
        errors["ground"] = [_("Chọn căn cứ thu hồi theo Điều 8.")]
    if not report:
        errors["report"] = [_("Nhập báo cáo xác minh.")]
    if not decision_number:
        errors["decision_number"] = [_("Nhập số quyết định thu hồi.")]
    if not isinstance(conclusion_on, datetime.date):
        errors["conclusion_on"] = [_("Nhập ngày kết luận.")]
    if not isinstance(decided_on, datetime.date):
        errors["decided_on"] = [_("Nhập ngày quyết định thu hồi.")]
    if errors:
        raise ValidationError(_("Quyết định thu hồi chưa đủ thông tin."), code="revocation_invalid", fields=errors)
    access.ensure_can_revoke_certificate(actor, certificate)
    days = regime_deadline(key="revocation_decision_days", on=conclusion_on)
    deadline = rules.revocation_deadline(conclusion_on, days=days)
    if decided_on < conclusion_on:
        raise ValidationError(
            fields={"decided_on": [_("Quyết định thu hồi không được trước ngày kết luận.")]}, code="revocation_invalid"
        )
    if decided_on > deadline:
        raise ValidationError(
            _(
                "Quá thời hạn: quyết định thu hồi phải ban hành trong %(days)s ngày kể từ ngày kết luận "
                "(chậm nhất %(deadline)s)."
            )
            % {"days": days, "deadline": deadline.strftime("%d/%m/%Y")},
            code="revocation_too_late",
            fields={"decided_on": [_("Quá thời hạn %(days)s ngày.") % {"days": days}]},
        )
    _check_report_file(report_file)
    with transaction.atomic():
        cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if cert.status == Certificate.Status.REVOKED:
            raise Conflict(_("Giấy chứng nhận đã bị thu hồi."), code="certificate_already_revoked")
        if rules.certificate_status_at(cert, decided_on) != rules.VALID:
            raise ValidationError(
                _("Giấy chứng nhận không còn hiệu lực vào ngày quyết định thu hồi."), code="certificate_not_valid"
            )
        revocation = Revocation(
            certificate=cert,
            ground=ground,
            conclusion_on=conclusion_on,
            report=report,
            decision_number=decision_number,
            decided_on=decided_on,
            level=access.revocation_level(cert),
            decided_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if report_file is not None:
            revocation.report_file.save(f"{cert.number or cert.pk}.pdf", report_file, save=False)
        revocation.save()
        cert.status = Certificate.Status.REVOKED
        cert.status_changed_on = decided_on
        cert.revoked_at = timezone.now()
        cert.status_reason = str(Revocation.Ground(ground).label)
        cert.save(update_fields=["status", "status_changed_on", "revoked_at", "status_reason", "updated_at"])
        audit_record(
            action="certification.certificate.revoke",
            actor=actor,
            target=cert,
            data={"ground": ground, "decision": decision_number, "decided_on": decided_on.isoformat()},
        )
    certificate.refresh_from_db()
    return revocation


def certificate_reevaluation_file(*, actor, certificate: Certificate, filed_on: datetime.date) -> Certificate:
    """Record that a re-evaluation dossier was filed: the certificate stays valid pending the result, at most the
    regime's `late_reevaluation_extension_max_days` past its expiry (26/2026/QĐ-TTg Art. 12(3): 180 days)."""
    access.ensure_can_record_reevaluation(actor, certificate)
    if certificate.valid_until is None:
        raise ValidationError(_("Giấy chứng nhận không có ngày hết hiệu lực."), code="certificate_without_expiry")
    days = regime_deadline(key="late_reevaluation_extension_max_days", on=filed_on)
    with transaction.atomic():
        cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
        cert.reevaluation_filed_on = filed_on
        cert.reevaluation_grace_until = cert.valid_until + datetime.timedelta(days=days)
        if cert.status == Certificate.Status.EXPIRED and filed_on <= cert.reevaluation_grace_until:
            cert.status, cert.status_changed_on = Certificate.Status.ACTIVE, None
        cert.save()
        audit_record(
            action="certification.certificate.reevaluation_file",
            actor=actor,
            target=cert,
            data={"filed_on": filed_on.isoformat()},
        )
    certificate.refresh_from_db()
    return certificate


def certificate_reevaluation_end(*, actor, certificate: Certificate, decided_on: datetime.date) -> Certificate:
    """The authority decided against re-recognition: the grace ends on `decided_on` (it never extends it).
    A positive result needs no call: `certificate_issue` supersedes the old certificate."""
    access.ensure_can_record_reevaluation(actor, certificate)
    with transaction.atomic():
        cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if cert.reevaluation_grace_until is not None:
            cert.reevaluation_grace_until = min(cert.reevaluation_grace_until, max(decided_on, cert.valid_until))
            cert.save()
        audit_record(
            action="certification.certificate.reevaluation_end",
            actor=actor,
            target=cert,
            data={"decided_on": decided_on.isoformat()},
        )
    certificate.refresh_from_db()
    return certificate


# --- daily job ---------------------------------------------------------------------------------------------


def _producer_users(subject):
    from ocop.accounts.models import Role, RoleAssignment

    return [
        a.user
        for a in RoleAssignment.objects.active()
        .filter(role=Role.PRODUCER, object_id=str(subject.pk), user__is_active=True)
        .select_related("user")
    ]


def _notify(*, certificate: Certificate, kind: str, today: datetime.date, user=None, province_code="") -> bool:
    """One notification row per certificate, kind and recipient; False when it was already sent."""
    from django.db import IntegrityError

    lookup = {"recipient_user": user} if user else {"recipient_user__isnull": True, "province_code": province_code}
    if Notification.objects.filter(certificate=certificate, kind=kind, **lookup).exists():
        return False
    try:
        with transaction.atomic():  # a concurrent run may insert the same row; the constraints refuse it
            note = Notification.objects.create(
                certificate=certificate,
                kind=kind,
                recipient_user=user,
                province_code=province_code,
                sent_on=today,
                emailed=bool(user and user.email),
            )
    except IntegrityError:
        return False
    if user and user.email:
        transaction.on_commit(lambda: _send_mail(note.pk))
    return True


def _send_mail(notification_id: int) -> None:
    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils import translation

    note = Notification.objects.select_related("certificate__product", "recipient_user").get(pk=notification_id)
    cert = note.certificate
    window = regime_setting(key="reevaluation_window_days_before_expiry", on=note.sent_on)
    opens, closes = rules.reevaluation_window(
        cert.valid_until, earliest_days=int(window["earliest"]), latest_days=int(window["latest"])
    )
    with translation.override(settings.LANGUAGE_CODE):
        params = {
            "product": cert.product.name,
            "number": cert.number or cert.decision_number,
            "until": cert.valid_until.strftime("%d/%m/%Y"),
            "opens": opens.strftime("%d/%m/%Y"),
            "closes": closes.strftime("%d/%m/%Y"),
        }
        subject = str(Notification.Kind(note.kind).label)
        body = str(
            _(
                "Giấy chứng nhận OCOP %(number)s của sản phẩm “%(product)s” hết hiệu lực ngày %(until)s. "
                "Hồ sơ đánh giá lại nộp từ ngày %(opens)s đến ngày %(closes)s."
            )
            % params
        )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [note.recipient_user.email])


def _window_notices(*, today: datetime.date, kind: str, from_days: int, to_days: int) -> int:
    """Notify holders of active certificates expiring between today+to_days and today+from_days that have not
    filed a re-evaluation yet."""
    sent = 0
    due = (
        Certificate.objects.filter(
            status=Certificate.Status.ACTIVE,
            reevaluation_filed_on__isnull=True,
            valid_until__gte=today + datetime.timedelta(days=to_days),
            valid_until__lte=today + datetime.timedelta(days=from_days),
        )
        .exclude(valid_from__gt=today)
        .select_related("product__subject")
    )
    for cert in due.iterator():
        subject = cert.product.subject
        if subject.province_code:
            sent += _notify(certificate=cert, kind=kind, today=today, province_code=subject.province_code)
        for user in _producer_users(subject):
            sent += _notify(certificate=cert, kind=kind, today=today, user=user)
    return sent


def _expire(*, today: datetime.date) -> int:
    """Keep the reporting copy of the status in step with the dates (rules.certificate_status_at decides)."""
    expired = 0
    candidates = Certificate.objects.filter(status=Certificate.Status.ACTIVE, valid_until__lt=today)
    for cert in candidates.iterator():
        if rules.certificate_status_at(cert, today) != rules.EXPIRED:
            continue  # still in a re-evaluation grace
        end = max(d for d in (cert.valid_until, cert.reevaluation_grace_until) if d is not None)
        cert.status = Certificate.Status.EXPIRED
        cert.status_changed_on = end + datetime.timedelta(days=1)
        cert.save(update_fields=["status", "status_changed_on", "updated_at"])
        expired += 1
    return expired


def certificates_daily(*, today: datetime.date) -> dict:
    """The daily certification run (tasks.certificates_daily_task); safe to run any number of times a day.

    1. Re-evaluation window (26/2026/QĐ-TTg Art. 7(6), regime `reevaluation_window_days_before_expiry`):
       when it opens (180 days before expiry) and at its midpoint before it closes (120 days before), tell the
       provincial office and each producer user of the subject (a Notification row each, e-mail after commit
       to users with an address). Never twice for the same certificate, kind and recipient.
    2. Marks certificates whose validity (and any re-evaluation grace) ended before `today` as expired.
    Returns counts {"opened", "closing", "expired"}.
    """
    window = regime_setting(key="reevaluation_window_days_before_expiry", on=today)
    earliest, latest = int(window["earliest"]), int(window["latest"])
    midpoint = (earliest + latest) // 2
    with transaction.atomic():
        opened = _window_notices(
            today=today, kind=Notification.Kind.REEVALUATION_WINDOW_OPEN, from_days=earliest, to_days=latest
        )
        closing = _window_notices(
            today=today, kind=Notification.Kind.REEVALUATION_WINDOW_CLOSING, from_days=midpoint, to_days=latest
        )
        expired = _expire(today=today)
    return {"opened": opened, "closing": closing, "expired": expired}
