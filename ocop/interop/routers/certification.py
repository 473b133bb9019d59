"""Certification API: public verification of a certificate by its number (anyone may call it; it returns the
recognition only, never personal data); for officers, decisions recorded from council results, their scope's
certificates and revocations (through ocop.certification services)."""

import datetime
from typing import Literal

from ninja import Router, Schema, Status
from ninja.pagination import paginate

from ocop.certification import services
from ocop.certification.issuing import decision_record_from_results
from ocop.certification.selectors import (
    certificate_get_by_number,
    certificate_list_for_user,
    certificate_public_view,
    certificate_status,
)
from ocop.core.errors import NotFound
from ocop.evaluation.selectors import dossier_get_for_user
from ocop.interop.auth import api_auth
from ocop.interop.pagination import BoundedPagination
from ocop.interop.schemas.evaluation import CertificateListOut, DecisionIn, DecisionOut, RevocationIn, RevocationOut

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


# --- authenticated: decisions from council results, the officer's certificates, revocations ---------------------


@router.post(
    "/decisions",
    response={201: DecisionOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=api_auth,
    summary="Record a recognition decision from council results",
)
def decision_create(request, payload: DecisionIn):
    """One decision over the listed dossiers, from their final council results: certificates for 3★/4★
    (province; also on the central result after a fallback) or 5★ (central), not-recognised for 1★/2★.
    All or nothing: 422 `decision_dossiers_invalid` names each dossier that cannot be decided
    (`dossiers.<id>`), 422 `decision_invalid` a missing number or date; nothing is written then."""
    dossiers = [dossier_get_for_user(user=request.user, pk=pk) for pk in dict.fromkeys(payload.dossier_ids)]
    record = decision_record_from_results(
        actor=request.user,
        dossiers=dossiers,
        number=payload.number,
        decided_on=payload.decided_on,
        signer_name=payload.signer_name,
        signer_title=payload.signer_title,
        level=payload.level,
        issuing_body=payload.issuing_body,
        note=payload.note,
    )
    decision = record.decision
    return Status(
        201,
        {
            "id": decision.pk,
            "level": decision.level,
            "number": decision.number,
            "decided_on": decision.decided_on,
            "issuing_body": decision.issuing_body,
            "province_code": decision.province_code,
            "signer_name": decision.signer_name,
            "signer_title": decision.signer_title,
            "regime": decision.regime.code if decision.regime_id else None,
            "certificates": record.certificates,
            "recognised": [d.pk for d in record.recognised],
            "not_recognised": [d.pk for d in record.not_recognised],
        },
    )


@router.get(
    "/certificates",
    response={200: list[CertificateListOut], 401: ErrorOut},
    auth=api_auth,
    summary="Certificates in the caller's scope",
)
@paginate(BoundedPagination)
def certificate_list(request, status: str = "", star: int | None = None, q: str = ""):
    """Officers: their province/commune (central officers: all); producers: their own products."""
    return certificate_list_for_user(user=request.user, status=status, star=star, q=q)


@router.post(
    "/certificates/{number}/revocations",
    response={201: RevocationOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=api_auth,
    summary="Revoke a certificate",
)
def certificate_revoke(request, number: str, payload: RevocationIn):
    """26/2026/QĐ-TTg Art. 8: a ground, the verification report and the revocation decision within the regime's
    deadline after the conclusion. The province revokes 3★/4★, the ministry 5★ (403 otherwise); 409 when already
    revoked. A certificate outside the caller's scope is 404."""
    cert = certificate_get_by_number(number=number)
    if not certificate_list_for_user(user=request.user).filter(pk=cert.pk).exists():
        raise NotFound(code="certificate_not_found")
    revocation = services.certificate_revoke(
        actor=request.user,
        certificate=cert,
        ground=payload.ground,
        conclusion_on=payload.conclusion_on,
        report=payload.report,
        decision_number=payload.decision_number,
        decided_on=payload.decided_on,
    )
    cert.refresh_from_db()
    return Status(
        201,
        {
            "id": revocation.pk,
            "certificate_number": cert.number,
            "ground": revocation.ground,
            "conclusion_on": revocation.conclusion_on,
            "report": revocation.report,
            "decision_number": revocation.decision_number,
            "decided_on": revocation.decided_on,
            "level": revocation.level,
            "certificate_status": certificate_status(cert),
        },
    )
