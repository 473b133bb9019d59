"""Stamp API: public verification of a stamp code, the same answer as the scan page (no personal data; every call
is logged as a scan and checked for counterfeit signals), and for officers the counterfeit alerts of their
provinces with their lifecycle (acknowledge, resolve) through ocop.certification.stamps.alerts."""

import datetime
from typing import Literal

from ninja import Field, Router, Schema
from ninja.pagination import paginate
from pydantic import BaseModel

from ocop.certification.stamps import access
from ocop.certification.stamps.alerts import counterfeit_alert_acknowledge, counterfeit_alert_resolve
from ocop.certification.stamps.models import CounterfeitAlert
from ocop.certification.stamps.selectors import (
    counterfeit_alert_get_for_user,
    counterfeit_alert_list_for_user,
    stamp_public_view,
)
from ocop.certification.stamps.services import scan_record
from ocop.core.errors import NotFound
from ocop.interop.auth import api_auth
from ocop.interop.pagination import CappedCountPagination

router = Router(tags=["stamps"])

Outcome = Literal["valid", "expired", "revoked", "superseded", "not_yet_valid", "voided", "invalid"]


# The verify answer's schemas are plain pydantic models, not ninja Schemas: it is built as a dict, and a Schema's
# attribute-reading validator wrapped every nested value on each scan (a quarter of the API's overhead over a bare
# view, bench/bench_scan.py). Same OpenAPI document.
class StampProductOut(BaseModel):
    name: str
    ocop_code: str
    gtin: str
    subject_name: str
    province_code: str
    province: str


class StampCertificateOut(BaseModel):
    number: str
    star: int
    status: str
    valid_until: datetime.date | None
    issuing_body: str
    decision_number: str


class StampContactOut(BaseModel):
    kind: Literal["tel"]
    value: str


class StampWhereToBuyOut(BaseModel):
    """Until sales points exist: the producer and its current commune and province; the street address and a
    business phone only for enterprises and cooperatives (a household's contact details are personal data)."""

    producer: str
    address: str
    commune: str
    province: str
    contacts: list[StampContactOut]


class StampVerifyOut(BaseModel):
    code: str
    outcome: Outcome
    genuine: bool
    warnings: list[str]
    lot_code: str
    product: StampProductOut | None
    certificate: StampCertificateOut | None
    where_to_buy: StampWhereToBuyOut | None


@router.get("/verify/{code}", response={200: StampVerifyOut}, auth=None, summary="Verify a stamp code")
def stamp_verify(request, code: str):
    """A stamp code (20 characters, hyphens and case ignored) and what it stands for now: `outcome` valid,
    expired, revoked, superseded, not_yet_valid, voided or invalid (malformed, forged or never issued), plus
    counterfeit `warnings` (bad_code, unissued, over_scanned, after_revocation, voided_batch) and `where_to_buy`
    for an issued code. Always 200."""
    verification, _event, kinds = scan_record(
        code=code[:64],
        channel="api",
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        remote_addr=request.META.get("REMOTE_ADDR", ""),
    )
    return stamp_public_view(verification, alert_kinds=kinds)


# --- officers: counterfeit alerts -------------------------------------------------------------------------------

AlertStatus = Literal["open", "acknowledged", "resolved"]


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class AlertOut(Schema):
    id: int
    kind: str
    status: AlertStatus = Field(description="As readers see it: a resolved alert scanned again is `open`.")
    reopened: bool
    product_id: int | None
    product_name: str | None
    ocop_code: str | None
    province_code: str
    serial: int | None
    count: int
    first_seen_at: datetime.datetime
    last_seen_at: datetime.datetime
    evidence: list[dict]
    acknowledged_at: datetime.datetime | None
    acknowledged_by: str | None
    acknowledge_note: str
    resolution: Literal["confirmed", "false_alarm", ""]
    resolved_at: datetime.datetime | None
    resolved_by: str | None
    resolution_note: str

    @staticmethod
    def resolve_status(obj):
        return obj.state

    @staticmethod
    def resolve_reopened(obj):
        return obj.is_reopened

    @staticmethod
    def resolve_product_name(obj):
        return obj.product.name if obj.product_id else None

    @staticmethod
    def resolve_ocop_code(obj):
        return obj.product.ocop_code if obj.product_id else None

    @staticmethod
    def resolve_evidence(obj):
        return list((obj.evidence or {}).get("samples", []))

    @staticmethod
    def resolve_acknowledged_by(obj):
        return str(obj.acknowledged_by) if obj.acknowledged_by_id else None

    @staticmethod
    def resolve_resolved_by(obj):
        return str(obj.resolved_by) if obj.resolved_by_id else None


class AlertAcknowledgeIn(Schema):
    note: str = ""


class AlertResolveIn(Schema):
    resolution: str = Field("", description="`confirmed` (counterfeit) or `false_alarm`.")
    note: str = ""


def _ensure_viewer(request):
    access.ensure_can_view_stamp_alerts(request.user)


def _alert(request, alert_id: int) -> CounterfeitAlert:
    _ensure_viewer(request)
    alert = counterfeit_alert_get_for_user(user=request.user, alert_id=alert_id)
    if alert is None:
        raise NotFound(code="stamp_alert_not_found")
    return alert


@router.get(
    "/stamps/alerts",
    response={200: list[AlertOut], 401: ErrorOut, 403: ErrorOut},
    auth=api_auth,
    summary="Counterfeit alerts in the caller's provinces",
)
@paginate(CappedCountPagination)
def alert_list(
    request, status: AlertStatus | None = None, kind: str = "", province: str = "", product: int | None = None
):
    """Provincial officers: their provinces; central officers: all. Commune officers, council members and
    producers get 403. `status=open` includes re-opened alerts (resolved, then scanned again)."""
    _ensure_viewer(request)
    return counterfeit_alert_list_for_user(
        user=request.user, product_id=product, province_code=province[:2], kind=kind[:20], status=status or ""
    ).select_related("acknowledged_by", "resolved_by")


@router.get(
    "/stamps/alerts/{alert_id}",
    response={200: AlertOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=api_auth,
    summary="One counterfeit alert",
)
def alert_detail(request, alert_id: int):
    """404 `stamp_alert_not_found` outside the caller's provinces."""
    return _alert(request, alert_id)


@router.post(
    "/stamps/alerts/{alert_id}/acknowledge",
    response={200: AlertOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=api_auth,
    summary="Acknowledge a counterfeit alert (investigating)",
)
def alert_acknowledge(request, alert_id: int, payload: AlertAcknowledgeIn):
    """Open (or re-opened) → acknowledged. 422 `stamp_alert_note_required` without a note; 409
    `stamp_alert_wrong_status` when not open; 403 for callers who may read but not handle it."""
    alert = _alert(request, alert_id)
    return counterfeit_alert_acknowledge(actor=request.user, alert=alert, note=payload.note, request=request)


@router.post(
    "/stamps/alerts/{alert_id}/resolve",
    response={200: AlertOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=api_auth,
    summary="Resolve a counterfeit alert",
)
def alert_resolve(request, alert_id: int, payload: AlertResolveIn):
    """Open or acknowledged → resolved as `confirmed` or `false_alarm`, with a note (422
    `stamp_alert_resolve_invalid` names the missing field). A later scan of the same fingerprint re-opens it."""
    alert = _alert(request, alert_id)
    return counterfeit_alert_resolve(
        actor=request.user, alert=alert, resolution=payload.resolution, note=payload.note, request=request
    )
