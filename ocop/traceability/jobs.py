"""Traceability jobs: the capture of an EPCIS document too large to hold a web thread for."""

import json
from pathlib import Path

from django.conf import settings

from ocop.core.jobs import job_handler
from ocop.traceability import services


# All or nothing in one transaction: a crash leaves nothing written, so running it again is safe.
@job_handler("traceability.epcis_capture", idempotent=True)
def epcis_capture_job(job, progress) -> dict:
    path = Path(settings.PRIVATE_ROOT) / job.params["path"]
    document = json.loads(path.read_bytes())
    progress(0, 3, force=True)
    rows = services.epcis_capture(actor=job.created_by, document=document, size=job.params["size"], progress=progress)
    path.unlink(missing_ok=True)
    progress(3, 3, force=True)
    return {"captured": len(rows), "eventIDs": [row.event_id for row in rows[:1000]]}
