"""Certification API: public verification of a certificate by its number (anyone may call it; it returns the
recognition only, never personal data)."""

import datetime
from typing import Literal

from ninja import Router, Schema, Status

from ocop.certification.selectors import certificate_get_by_number, certificate_public_view

router = Router(tags=["certification"])


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class CertificateOut(Schema):
    number: str
    star: int
    product_name: str
    ocop_code: str
    subject_name: str
    province_code: str
    province: str
    status: Literal["valid", "expired", "revoked", "superseded", "not_yet_valid"]
    issued_on: datetime.date | None
    valid_until: datetime.date | None
    regime: str | None
    regime_name: str | None
    decision_number: str
    decided_on: datetime.date | None
    issuing_body: str
    level: str
    superseded_by: str | None


@router.get(
    "/certificates/{number}",
    response={200: CertificateOut, 404: ErrorOut},
    auth=None,
    summary="Verify a certificate",
)
def certificate_verify(request, number: str):
    """A certificate by its number (`OCOP-CN-68-2026-00001`) and its status today. No personal data.
    404 `certificate_not_found` for an unknown number."""
    return Status(200, certificate_public_view(certificate_get_by_number(number=number)))
