"""Traceability API: the EPCIS 2.0 capture and query interfaces.

`POST /epcis/capture` takes an EPCISDocument (JSON or JSON-LD) and stores all its events or none;
`GET /epcis/events` returns one lot's or one product's events as an EPCISDocument, paginated by
`nextPageToken` (the next page's URL is in the `Link: <…>; rel="next"` header, as the EPCIS REST binding does).
The body is read here, not by ninja, so the size limit is checked before anything is parsed.
"""

import datetime
import json
from typing import Any

from django.http import JsonResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from ocop.interop.auth import api_auth
from ocop.interop.routers.registry import JobOut, job_out
from ocop.traceability import selectors, services

router = Router(tags=["traceability"])

MAX_PAGE = 500
JSON_TYPES = ("application/json", "application/ld+json", "")


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class CaptureOut(Schema):
    captured: int
    eventIDs: list[str]  # noqa: N815 — EPCIS spelling


class EventQuery(Schema):
    lot: int | None = None
    product: int | None = None
    from_: datetime.datetime | None = Field(None, alias="from")
    to: datetime.datetime | None = None
    limit: int = 100
    nextPageToken: str = ""  # noqa: N815 — EPCIS spelling


def _read_body(request) -> tuple[dict, int]:
    """The request body as JSON, refusing more than the document limit before reading it all."""
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if declared > services.MAX_DOCUMENT_BYTES:
        raise services.DocumentTooLarge(_("Tài liệu EPCIS lớn hơn 5 MB; hãy chia thành nhiều tài liệu."))
    content_type = (request.content_type or "").split(";")[0].strip().lower()
    if content_type not in JSON_TYPES:
        raise services.EpcisInvalid(_("Cần gửi tài liệu JSON (application/json hoặc application/ld+json)."))
    body = request.body
    try:
        return json.loads(body), len(body)
    except RecursionError as exc:  # thousands of nested levels: refused before anything else looks at it
        message = _("Tài liệu EPCIS lồng nhau quá sâu.")
        raise services.EpcisInvalid(message, fields={"$": [message]}) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        message = _("Nội dung không phải JSON hợp lệ.")
        raise services.EpcisInvalid(message, fields={"$": [message]}) from exc


@router.post(
    "/epcis/capture",
    auth=api_auth,
    response={
        201: CaptureOut,
        202: JobOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        422: ErrorOut,
    },
    summary="Capture an EPCIS 2.0 document",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/ld+json": {"schema": {"type": "object"}},
                "application/json": {"schema": {"type": "object"}},
            },
        }
    },
)
def epcis_capture(request):
    """All events of the document are stored in one transaction, or none: 400 `epcis_invalid` with schema errors
    keyed by JSON path, 422 `epcis_unknown_lot` with the events' paths, 413 `epcis_too_large` past 5 MB or
    10,000 events, 403 for a product outside the caller's rights, 409 for an eventID already stored. A document of
    more than 500 events is captured by a job: 202 with the job to poll at GET /jobs/{id} (its result holds the
    count, or the same errors)."""
    document, size = _read_body(request)
    if services.SYNC_MAX_EVENTS < services.epcis_event_count(document) <= services.MAX_DOCUMENT_EVENTS:
        job = services.epcis_capture_start(actor=request.user, body=request.body)
        return Status(202, job_out(job))
    rows = services.epcis_capture(actor=request.user, document=document, size=size)
    return Status(201, {"captured": len(rows), "eventIDs": [row.event_id for row in rows]})


@router.get(
    "/epcis/events",
    auth=api_auth,
    response={200: dict[str, Any], 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Query the events of a lot or a product",
)
def epcis_events(request, filters: Query[EventQuery]):
    """An EPCIS 2.0 EPCISDocument with the events of `lot` or `product` (one is required) in the caller's scope,
    ordered by event time, optionally within [`from_`, `to`). Up to `limit` (≤ 500) events; when more follow,
    the `Link` header holds the next page's URL and `GS1-Next-Page-Token` its token."""
    limit = max(1, min(filters.limit, MAX_PAGE))
    page = selectors.trace_event_page_for_user(
        user=request.user,
        lot_id=filters.lot,
        product_id=filters.product,
        since=filters.from_,
        until=filters.to,
        token=filters.nextPageToken,
        limit=limit,
    )
    response = JsonResponse(selectors.epcis_document_of(page.events), json_dumps_params={"ensure_ascii": False})
    if page.next_token:
        params = {k: v for k, v in request.GET.items() if k != "nextPageToken"}
        url = request.build_absolute_uri(f"{request.path}?{urlencode({**params, 'nextPageToken': page.next_token})}")
        response["Link"] = f'<{url}>; rel="next"'
        response["GS1-Next-Page-Token"] = page.next_token
    return response
