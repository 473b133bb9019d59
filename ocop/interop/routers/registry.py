"""Registry API: subjects, products, list imports (as jobs) and product statistics.

Operations call ocop.registry services/selectors; scoping happens there. Anonymous callers may read published,
recognised products and the statistics; everything else needs a session or an API token.
"""

import datetime
import uuid

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from ocop.core.audit import audit_record
from ocop.core.errors import NotFound
from ocop.core.jobs import jobrun_file_path, jobrun_get_for_user, jobrun_rerun
from ocop.interop.auth import api_auth
from ocop.interop.pagination import CappedCountPagination, DeferredJoinPagination
from ocop.registry import exports, selectors, services
from ocop.registry.jobs import import_job_start
from ocop.registry.models import ProductCategory

router = Router(tags=["registry"])


def _anonymous(request):
    """Lets unauthenticated requests through to endpoints whose selectors serve the public subset."""
    return True


optional_auth = [*api_auth, _anonymous]


class SubjectOut(Schema):
    id: int
    name: str
    legal_form: str
    tax_code: str
    province_code: str
    current_commune_code: str
    legacy_province: str
    legacy_district: str
    legacy_commune: str
    address_line: str
    verification_status: str


class SubjectIn(Schema):
    name: str
    legal_form: str = "other"
    tax_code: str = ""
    legal_representative: str = ""
    phone: str = ""
    email: str = ""
    address_line: str = ""
    province_code: str = ""
    commune_code: str = Field(
        "",
        description="5-digit code of the current commune (ward); sets the province too, and lets its commune "
        "officers see the subject",
    )
    founded_year: int | None = None
    workforce_total: int | None = None
    workforce_women: int | None = None
    workforce_ethnic_minority: int | None = None


class SubjectPatch(Schema):
    name: str | None = None
    legal_form: str | None = None
    tax_code: str | None = None
    legal_representative: str | None = None
    phone: str | None = None
    email: str | None = None
    address_line: str | None = None


class ProductOut(Schema):
    id: int
    ocop_code: str
    name: str
    subject_id: int
    subject_name: str
    province_code: str
    category: str | None
    category_text: str
    gtin: str
    stars: int | None
    has_valid_certificate: bool
    status: str

    @staticmethod
    def resolve_subject_name(obj):
        return obj.subject.name

    @staticmethod
    def resolve_province_code(obj):
        return obj.subject.province_code

    @staticmethod
    def resolve_category(obj):
        return obj.category.name if obj.category_id else None


class ProductIn(Schema):
    subject_id: int
    name: str
    category_id: int | None = None
    description: str = ""
    story: str = ""
    gtin: str = ""


class ProductPatch(Schema):
    name: str | None = None
    category_id: int | None = None
    description: str | None = None
    story: str | None = None
    gtin: str | None = None


class SubjectExportIn(Schema):
    """Filters as GET /subjects; empty values mean no filter."""

    province: str = ""
    commune: str = ""
    legal_form: str = ""
    verification_status: str = ""
    q: str = ""


class ProductExportIn(Schema):
    """Filters as GET /products; empty values mean no filter."""

    province: str = ""
    commune: str = ""
    legal_form: str = ""
    category: int | None = None
    stars: int | None = None
    certificate: str = ""
    q: str = ""


class JobOut(Schema):
    id: str
    kind: str
    status: str
    percent: int
    done: int
    total: int
    message: str
    result: dict


class StatsGroup(Schema):
    key: str
    products: int
    subjects: int


class StatsOut(Schema):
    at: datetime.date
    group_by: str
    units: str
    products: int
    subjects: int
    groups: list[StatsGroup]


def _category(category_id):
    return get_object_or_404(ProductCategory, pk=category_id) if category_id else None


@router.get("/subjects", response=list[SubjectOut], auth=api_auth, summary="List subjects in the caller's scope")
@paginate(CappedCountPagination)
def subject_list(
    request, province: str = "", commune: str = "", legal_form: str = "", verification_status: str = "", q: str = ""
):
    filters = {
        "province": province,
        "commune": commune,
        "legal_form": legal_form,
        "verification_status": verification_status,
        "q": q,
    }
    return selectors.subject_list_for_user(user=request.user, filters=filters)


@router.post("/subjects/export", response={202: JobOut}, auth=api_auth, summary="Export subjects to XLSX (a job)")
def subject_export(request, payload: SubjectExportIn):
    """Officers only. Queues the export of the caller's scope; poll GET /jobs/{id}."""
    job = exports.subjects_export_start(actor=request.user, filters=payload.dict())
    return Status(202, job_out(job))


@router.get("/subjects/{subject_id}", response=SubjectOut, auth=api_auth, summary="One subject")
def subject_detail(request, subject_id: int):
    return selectors.subject_get_for_user(user=request.user, subject_id=subject_id)


@router.post("/subjects", response={201: SubjectOut}, auth=api_auth, summary="Create a subject")
def subject_create(request, payload: SubjectIn):
    """Officers only, inside their units (commune officers in their communes). Producers register through the
    self-registration page, where the subject waits for verification."""
    subject = services.subject_create(actor=request.user, values=payload.dict(), verified=True)
    return Status(201, subject)


@router.patch("/subjects/{subject_id}", response=SubjectOut, auth=api_auth, summary="Update a subject")
def subject_update(request, subject_id: int, payload: SubjectPatch):
    subject = selectors.subject_get_for_user(user=request.user, subject_id=subject_id)
    values = payload.dict(exclude_none=True)
    return services.subject_update(actor=request.user, subject=subject, values=values)


@router.get("/products", response=list[ProductOut], auth=optional_auth, summary="List products")
@paginate(DeferredJoinPagination)
def product_list(
    request,
    province: str = "",
    commune: str = "",
    legal_form: str = "",
    category: int | None = None,
    stars: int | None = None,
    certificate: str = "",
    q: str = "",
):
    """Anonymous callers get published products with a valid recognition; others get their scope as well."""
    filters = {
        "province": province,
        "commune": commune,
        "legal_form": legal_form,
        "category": category,
        "stars": stars,
        "certificate": certificate,
        "q": q,
    }
    return selectors.product_list_for_user(user=request.user, filters=filters)


@router.post("/products/export", response={202: JobOut}, auth=api_auth, summary="Export products to XLSX (a job)")
def product_export(request, payload: ProductExportIn):
    """Officers only. Queues the export of the caller's scope (never other provinces' rows); poll GET /jobs/{id}."""
    job = exports.products_export_start(actor=request.user, filters=payload.dict())
    return Status(202, job_out(job))


@router.get("/products/{product_id}", response=ProductOut, auth=optional_auth, summary="One product")
def product_detail(request, product_id: int):
    return selectors.product_get_for_user(user=request.user, product_id=product_id)


@router.post("/products", response={201: ProductOut}, auth=api_auth, summary="Create a product")
def product_create(request, payload: ProductIn):
    subject = selectors.subject_get_for_user(user=request.user, subject_id=payload.subject_id)
    values = payload.dict(exclude={"subject_id", "category_id"})
    values["category"] = _category(payload.category_id)
    product = services.product_create(actor=request.user, subject=subject, values=values)
    return Status(201, selectors.product_get_for_user(user=request.user, product_id=product.pk))


@router.patch("/products/{product_id}", response=ProductOut, auth=api_auth, summary="Update a product")
def product_update(request, product_id: int, payload: ProductPatch):
    product = selectors.product_get_for_user(user=request.user, product_id=product_id)
    values = payload.dict(exclude_none=True, exclude={"category_id"})
    if payload.category_id is not None:
        values["category"] = _category(payload.category_id)
    services.product_update(actor=request.user, product=product, values=values)
    return selectors.product_get_for_user(user=request.user, product_id=product_id)


@router.post("/imports", response={202: JobOut}, auth=api_auth, summary="Import a list of recognised products")
def import_create(request, file: File[UploadedFile], as_of: Form[datetime.date | None] = None):
    """Queues the import as a job; poll GET /jobs/{id}. A file with row errors fails the job, writing nothing."""
    job = import_job_start(actor=request.user, data=file.read(), filename=file.name or "", as_of=as_of)
    return Status(202, job_out(job))


@router.get("/jobs/{job_id}", response=JobOut, auth=api_auth, summary="Status and result of a job you started")
def job_detail(request, job_id: uuid.UUID):
    return job_out(jobrun_get_for_user(job_id=job_id, user=request.user))


@router.post(
    "/jobs/{job_id}/rerun",
    response={202: JobOut},
    auth=api_auth,
    summary="Start a failed job again with the same parameters (e.g. after its worker died)",
)
def job_rerun(request, job_id: uuid.UUID):
    """Only the job's creator (or a superuser), only for a failed job; answers the new job to poll."""
    job = jobrun_rerun(job=jobrun_get_for_user(job_id=job_id, user=request.user), actor=request.user)
    return Status(202, job_out(job))


@router.get(
    "/jobs/{job_id}/file",
    auth=api_auth,
    summary="Download the file a finished job produced (e.g. an XLSX export)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def job_file(request, job_id: uuid.UUID):
    """Only the job's creator (or a superuser); a job without a file, or not finished, gives 403/404."""
    job = jobrun_get_for_user(job_id=job_id, user=request.user)
    path = jobrun_file_path(job)
    if not path.exists():
        raise NotFound(code="job_file_not_found")
    audit_record(action="job.download", actor=request.user, target=job, request=request)
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.result_filename or path.name)


def job_out(job) -> dict:
    return {
        "id": str(job.pk),
        "kind": job.kind,
        "status": job.status,
        "percent": job.percent,
        "done": job.done,
        "total": job.total,
        "message": job.message,
        "result": job.result,
    }


@router.get("/stats/products", response=StatsOut, auth=optional_auth, summary="Recognised products at a date")
def product_stats(
    request, group_by: str = "province", at: datetime.date | None = None, units: str = "current", province: str = ""
):
    return selectors.product_stats(group_by=group_by, at=at, units=units, province=province)
