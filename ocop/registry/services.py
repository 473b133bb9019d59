"""Registry writes: subjects and products. Every entry point NFC-normalises text and recomputes the folded
copies used for matching and search. Access gates live in ocop.registry.access."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.audit import audit_record
from ocop.core.errors import Conflict, NotFound, ValidationError
from ocop.core.text import fold, fold_compact, nfc
from ocop.registry import access, photos, rules
from ocop.registry.models import Product, ProductCategory, Subject

SUBJECT_TEXT_FIELDS = (
    "name",
    "tax_code",
    "legal_representative",
    "phone",
    "email",
    "address_line",
    "legacy_province",
    "legacy_district",
    "legacy_commune",
)
SUBJECT_FIELDS = (
    *SUBJECT_TEXT_FIELDS,
    "legal_form",
    "commune",
    "district",
    "province_code",
    "current_commune_code",
    "legacy_province_code",
    "founded_year",
    "workforce_total",
    "workforce_women",
    "workforce_ethnic_minority",
)
PRODUCT_TEXT_FIELDS = ("name", "description", "story", "category_text", "gtin")
PRODUCT_FIELDS = (*PRODUCT_TEXT_FIELDS, "category", "status", "is_published")


def subject_refresh_keys(subject: Subject) -> None:
    subject.name_key = rules.subject_name_key(subject.name)
    subject.search_text = fold(f"{subject.name} {subject.tax_code}")


def product_refresh_keys(product: Product) -> None:
    product.name_key = fold_compact(product.name)
    subject = product.subject
    product.search_text = fold(f"{product.name} {subject.name} {subject.tax_code} {product.ocop_code}")


def _clean_subject(values: dict) -> dict:
    """NFC text, validated tax code and workforce numbers. Raises ValidationError with field messages."""
    data = {k: (nfc(v) if k in SUBJECT_TEXT_FIELDS else v) for k, v in values.items() if k in SUBJECT_FIELDS}
    errors = {}
    if "name" in data and not data["name"]:
        errors["name"] = [_("Nhập tên chủ thể.")]
    if data.get("tax_code"):
        data["tax_code"] = rules.tax_code_normalise(data["tax_code"])
        if not rules.tax_code_is_valid(data["tax_code"]):
            errors["tax_code"] = [_("Mã số thuế gồm 10 chữ số, hoặc 13 chữ số dạng 0123456789-001.")]
    if data.get("legal_form") and data["legal_form"] not in Subject.LegalForm.values:
        errors["legal_form"] = [_("Loại hình không hợp lệ.")]
    total = data.get("workforce_total")
    for part in ("workforce_women", "workforce_ethnic_minority"):
        if total is not None and data.get(part) is not None and data[part] > total:
            errors[part] = [_("Không được lớn hơn tổng số lao động.")]
    year = data.get("founded_year")
    if year is not None and not (1900 <= year <= timezone.now().year):
        errors["founded_year"] = [_("Năm thành lập không hợp lệ.")]
    if errors:
        raise ValidationError(fields=errors)
    return data


def _ensure_tax_code_free(tax_code: str, exclude_pk=None) -> None:
    if not tax_code:
        return
    taken = Subject.objects.filter(tax_code=tax_code).exclude(pk=exclude_pk).exists()
    if taken:
        raise ValidationError(
            _("Mã số thuế đã được đăng ký cho chủ thể khác."),
            code="duplicate_tax_code",
            fields={"tax_code": [_("Mã số thuế đã được đăng ký cho chủ thể khác.")]},
        )


def _place_subject(data: dict) -> None:
    """Derive the current province/commune codes from the commune FK (legacy units through their successor)."""
    commune = data.get("commune")
    if commune is None:
        return
    from ocop.geo.selectors import unit_current_successors

    successors = unit_current_successors(commune)
    current = successors[0] if successors else None
    data.setdefault("current_commune_code", current.code if current else "")
    data.setdefault("province_code", current.province_code if current else commune.province_code)


def _current_commune(code: str):
    """The commune in force today with this 5-digit code, or a field error (the API names communes by code)."""
    from ocop.geo.selectors import unit_get

    try:
        return unit_get(code=str(code), level="commune")
    except NotFound:
        raise ValidationError(
            fields={"commune_code": [_("Không có xã/phường nào đang có hiệu lực với mã này.")]}
        ) from None


def subject_create(
    *, actor, values: dict, verified: bool = False, import_batch=None, check_access=True, registration=False
) -> Subject:
    """Create a subject. Officers create verified subjects in their units; a producer registers a pending one
    (`registration=True`, the self-registration flow only).

    Raises ValidationError (field messages; duplicate tax code) or PermissionDenied.
    """
    data = _clean_subject(values)
    if values.get("commune_code"):
        data["commune"] = _current_commune(values["commune_code"])
        data.pop("province_code", None)  # the commune decides the province
        data.pop("current_commune_code", None)
    _place_subject(data)
    if check_access:
        access.ensure_can_create_subject(
            actor,
            province_code=data.get("province_code", ""),
            commune_code=data.get("current_commune_code", ""),
            registration=registration,
        )
        verified = verified and not registration
    _ensure_tax_code_free(data.get("tax_code", ""))
    subject = Subject(**data, import_batch=import_batch)
    subject.created_by = actor if getattr(actor, "is_authenticated", False) else None
    if verified:
        subject.verification_status = Subject.Verification.VERIFIED
        subject.verified_by = subject.created_by
        subject.verified_at = timezone.now()
    subject_refresh_keys(subject)
    try:
        with transaction.atomic():
            subject.save()
    except IntegrityError as exc:  # a concurrent insert took the tax code between check and save
        raise Conflict(_("Mã số thuế đã được đăng ký cho chủ thể khác."), code="duplicate_tax_code") from exc
    if check_access:
        audit_record(action="registry.subject.create", actor=actor, target=subject)
    return subject


def subject_update(*, actor, subject: Subject, values: dict) -> Subject:
    """Update a subject's details (history is kept by simple_history). Raises ValidationError / PermissionDenied."""
    access.ensure_can_edit_subject(actor, subject)
    data = _clean_subject(values)
    if "commune" in data:
        data.pop("province_code", None)
        data.pop("current_commune_code", None)
        _place_subject(data)
    _ensure_tax_code_free(data.get("tax_code", ""), exclude_pk=subject.pk)
    for key, value in data.items():
        setattr(subject, key, value)
    subject_refresh_keys(subject)
    subject.save()
    for product in subject.products.all():
        product_refresh_keys(product)
        product.save(update_fields=["search_text"])
    audit_record(action="registry.subject.update", actor=actor, target=subject, data={"fields": sorted(data)})
    return subject


class ProductCodeAllocator:
    """Hands out `OCOP-PP-YYYY-NNNNNN` codes; one query per prefix, then counts in memory (imports)."""

    def __init__(self):
        self._next: dict[str, int] = {}

    def next(self, *, province_code: str, year: int) -> str:
        prefix = rules.ocop_code_format(province_code=province_code, year=year, sequence=0)[:-6]
        if prefix not in self._next:
            last = (
                Product.objects.filter(ocop_code__startswith=prefix)
                .order_by("-ocop_code")
                .values_list("ocop_code", flat=True)
                .first()
            )
            self._next[prefix] = int(last[-6:]) + 1 if last else 1
        sequence = self._next[prefix]
        self._next[prefix] += 1
        return rules.ocop_code_format(province_code=province_code, year=year, sequence=sequence)


def product_code_next(*, province_code: str, year: int | None = None) -> str:
    """The next free OCOP code for a province and year (docs/decisions/0003-ocop-product-code.md)."""
    year = year or timezone.localdate().year
    return ProductCodeAllocator().next(province_code=province_code, year=year)


def _clean_product(values: dict) -> dict:
    data = {k: (nfc(v) if k in PRODUCT_TEXT_FIELDS else v) for k, v in values.items() if k in PRODUCT_FIELDS}
    errors = {}
    if "name" in data and not data["name"]:
        errors["name"] = [_("Nhập tên sản phẩm.")]
    if data.get("gtin"):
        try:
            data["gtin"] = rules.gtin_parse(data["gtin"]).value
        except ValueError:
            errors["gtin"] = [_("Mã GTIN không hợp lệ (sai độ dài hoặc số kiểm tra).")]
    category = data.get("category")
    if category is not None and not isinstance(category, ProductCategory):
        errors["category"] = [_("Phân loại không hợp lệ.")]
    if data.get("status") and data["status"] not in Product.Status.values:
        errors["status"] = [_("Trạng thái không hợp lệ.")]
    if errors:
        raise ValidationError(fields=errors)
    return data


def product_create(
    *,
    actor,
    subject: Subject,
    values: dict,
    year: int | None = None,
    import_batch=None,
    check_access=True,
    allocator=None,
    photo=None,
) -> Product:
    """Create a product of `subject` with a fresh OCOP code. Raises ValidationError / PermissionDenied.

    `photo` (an uploaded file) is checked and normalised before anything is written (ocop.registry.photos);
    a refused photo raises ValidationError with fields={"photo": ...} and creates nothing.
    """
    if check_access:
        access.ensure_can_edit_subject(actor, subject)
    data = _clean_product(values)
    prepared = photos.photo_prepare(upload=photo) if photo is not None else None
    stored: list[str] = []
    allocator = allocator or ProductCodeAllocator()
    for _attempt in range(3):
        product = Product(subject=subject, import_batch=import_batch, **data)
        if prepared is not None:
            stored = stored or photos.photo_attach(product=product, prepared=prepared)
            product.photo.name, product.thumbnail.name = stored
        product.ocop_code = allocator.next(province_code=subject.province_code, year=year or timezone.localdate().year)
        product.created_by = actor if getattr(actor, "is_authenticated", False) else None
        product_refresh_keys(product)
        try:
            with transaction.atomic():
                product.save()
            break
        except IntegrityError:  # another writer took the code: the allocator moves on to the next one
            continue
    else:
        photos.photo_files_delete(stored)
        raise Conflict(_("Không cấp được mã OCOP, vui lòng thử lại."), code="ocop_code_conflict")
    if check_access:
        audit_record(action="registry.product.create", actor=actor, target=product)
    return product


def product_update(*, actor, product: Product, values: dict, photo=None) -> Product:
    """Update a product (its OCOP code never changes). Raises ValidationError / PermissionDenied.

    A new `photo` replaces the old one; the old files are deleted only after the transaction commits, so a
    rollback leaves the product pointing at files that still exist.
    """
    access.ensure_can_edit_subject(actor, product.subject)
    data = _clean_product(values)
    prepared = photos.photo_prepare(upload=photo) if photo is not None else None
    for key, value in data.items():
        setattr(product, key, value)
    fields = sorted(data)
    if prepared is not None:
        old = [product.photo.name, product.thumbnail.name]
        photos.photo_attach(product=product, prepared=prepared)
        transaction.on_commit(lambda: photos.photo_files_delete(old))
        fields.append("photo")
    product_refresh_keys(product)
    product.save()
    audit_record(action="registry.product.update", actor=actor, target=product, data={"fields": fields})
    return product


def subject_verification_decide(*, actor, subject: Subject, decision: str, reason: str = "") -> Subject:
    """Approve, return (reason required) or reject (reason required) a pending subject application.

    Raises PermissionDenied outside the officer's scope, ValidationError for a missing reason or a subject
    that is not pending.
    """
    access.ensure_can_verify_subject(actor, subject)
    reason = nfc(reason)
    allowed = {Subject.Verification.VERIFIED, Subject.Verification.RETURNED, Subject.Verification.REJECTED}
    if decision not in allowed:
        raise ValidationError(fields={"decision": [_("Quyết định không hợp lệ.")]})
    if decision != Subject.Verification.VERIFIED and not reason:
        raise ValidationError(_("Cần nêu lý do."), code="reason_required", fields={"reason": [_("Cần nêu lý do.")]})
    with transaction.atomic():
        locked = Subject.objects.select_for_update().get(pk=subject.pk)
        if locked.verification_status != Subject.Verification.PENDING:
            raise ValidationError(_("Hồ sơ chủ thể không ở trạng thái chờ xác minh."), code="not_pending")
        locked.verification_status = decision
        locked.verification_reason = reason
        locked.verified_by = actor
        locked.verified_at = timezone.now()
        locked.save()
        audit_record(action=f"registry.subject.{decision}", actor=actor, target=locked, data={"reason": reason})
    return locked


def subject_resubmit(*, actor, subject: Subject, values: dict) -> Subject:
    """The producer fixes a returned application and sends it back for verification."""
    access.ensure_can_edit_subject(actor, subject)
    if subject.verification_status != Subject.Verification.RETURNED:
        raise ValidationError(_("Chỉ gửi lại hồ sơ đã bị trả lại."), code="not_returned")
    subject = subject_update(actor=actor, subject=subject, values=values)
    subject.verification_status = Subject.Verification.PENDING
    subject.save(update_fields=["verification_status", "updated_at"])
    return subject


def today() -> datetime.date:
    return timezone.localdate()


def subject_bind_producer(*, subject: Subject, user) -> None:
    """Bind `user`'s producer role to `subject` (RoleAssignment role "producer", object_id = subject pk).

    Reuses an unbound producer assignment when the user has one, so a self-registered producer ends with
    exactly one. Written here rather than through accounts' role_assign because self-registration has no
    granting officer; the assignment still records no grantor, which is what happened.
    """
    from ocop.accounts.access import scope_forget
    from ocop.accounts.models import Role, RoleAssignment

    unbound = RoleAssignment.objects.active().filter(user=user, role=Role.PRODUCER, object_id="").first()
    if unbound is not None:
        unbound.object_id = str(subject.pk)
        unbound.save(update_fields=["object_id"])
    elif not RoleAssignment.objects.active().filter(user=user, role=Role.PRODUCER, object_id=str(subject.pk)).exists():
        RoleAssignment.objects.create(user=user, role=Role.PRODUCER, object_id=str(subject.pk))
    scope_forget(user)
    audit_record(action="registry.subject.bind_producer", actor=user, target=subject)
