"""Stamp API: public verification of a stamp code, the same answer as the scan page (no personal data).
Every call is logged as a scan and checked for counterfeit signals."""

import datetime
from typing import Literal

from ninja import Router, Schema

from ocop.certification.stamps.selectors import stamp_public_view
from ocop.certification.stamps.services import scan_record

router = Router(tags=["stamps"])

Outcome = Literal["valid", "expired", "revoked", "superseded", "not_yet_valid", "voided", "invalid"]


class StampProductOut(Schema):
    name: str
    ocop_code: str
    gtin: str
    subject_name: str
    province_code: str
    province: str


class StampCertificateOut(Schema):
    number: str
    star: int
    status: str
    valid_until: datetime.date | None
    issuing_body: str
    decision_number: str


class StampVerifyOut(Schema):
    code: str
    outcome: Outcome
    genuine: bool
    warnings: list[str]
    lot_code: str
    product: StampProductOut | None
    certificate: StampCertificateOut | None


@router.get("/verify/{code}", response={200: StampVerifyOut}, auth=None, summary="Verify a stamp code")
def stamp_verify(request, code: str):
    """A stamp code (20 characters, hyphens and case ignored) and what it stands for now: `outcome` valid,
    expired, revoked, superseded, not_yet_valid, voided or invalid (malformed, forged or never issued), plus
    counterfeit `warnings` (bad_code, unissued, over_scanned, after_revocation, voided_batch). Always 200."""
    verification, _event, kinds = scan_record(
        code=code[:64],
        channel="api",
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        remote_addr=request.META.get("REMOTE_ADDR", ""),
    )
    return stamp_public_view(verification, alert_kinds=kinds)
