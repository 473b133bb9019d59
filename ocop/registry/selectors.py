"""Registry reads, always scoped to the actor (ocop.registry.access)."""

import datetime

from django.db import connection
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Collate
from django.utils import timezone

from ocop.certification.models import Certificate
from ocop.core.errors import NotFound, ValidationError
from ocop.core.text import fold, nfc
from ocop.registry import access
from ocop.registry.models import Product, Subject


def certificate_valid_q(at: datetime.date, prefix: str = "") -> Q:
    """Certificates giving a valid recognition on `at` (see certification.rules.certificate_status_at)."""
    p = prefix
    active = Q(**{f"{p}status": Certificate.Status.ACTIVE}) | Q(**{f"{p}status_changed_on__gt": at})
    started = Q(**{f"{p}valid_from__isnull": True}) | Q(**{f"{p}valid_from__lte": at})
    not_ended = Q(**{f"{p}valid_until__isnull": True}) | Q(**{f"{p}valid_until__gte": at})
    return active & started & not_ended


def _valid_certs(at: datetime.date):
    return Certificate.objects.filter(certificate_valid_q(at), product=OuterRef("pk"))


def _any_certs():
    return Certificate.objects.filter(product=OuterRef("pk"))


def product_annotate_recognition(products: QuerySet, at: datetime.date) -> QuerySet:
    """Adds `has_valid_certificate` and `stars` (best valid star on `at`, or None)."""
    best = _valid_certs(at).order_by().values("product").annotate(best=Max("star")).values("best")
    # A valid certificate always has a star, so "has one" is "best star is not null": one subquery, not two (the
    # second was planned as a hash of every certificate on PostgreSQL, on each search).
    return products.annotate(stars=Subquery(best)).annotate(
        has_valid_certificate=ExpressionWrapper(Q(stars__isnull=False), output_field=BooleanField())
    )


VI_COLLATION = "vi-x-icu"


def name_ordering() -> tuple:
    """Order by name the Vietnamese way: on PostgreSQL the ICU collation `vi-x-icu` ("An" < "Ấp" < "Bà",
    "D" < "Đ"); SQLite has no ICU, so there the accent-free `name_key` gives a stable, near-alphabetical order."""
    if connection.vendor == "postgresql":
        return (Collate("name", VI_COLLATION).asc(), "id")
    return ("name_key", "id")


def _search_q(text: str) -> Q:
    """Accent-free substring match on the folded copy; on PostgreSQL a trigram GIN index (registry 0002) serves it
    for three characters or more."""
    return Q(search_text__contains=fold(nfc(text)))


def subject_list_for_user(*, user, filters: dict | None = None) -> QuerySet[Subject]:
    """Subjects the user may see (officer scope, or the producer's own), filtered and ordered by name."""
    filters = filters or {}
    subjects = Subject.objects.filter(access.subject_scope_q(user))
    if getattr(user, "is_authenticated", False):
        subjects = subjects | Subject.objects.filter(created_by=user)
    if filters.get("province"):
        subjects = subjects.filter(province_code=filters["province"])
    if filters.get("commune"):
        subjects = subjects.filter(current_commune_code=filters["commune"])
    if filters.get("legal_form"):
        subjects = subjects.filter(legal_form=filters["legal_form"])
    if filters.get("verification_status"):
        subjects = subjects.filter(verification_status=filters["verification_status"])
    if filters.get("q"):
        subjects = subjects.filter(_search_q(filters["q"]))
    return subjects.distinct().order_by(*name_ordering())


def subject_get_for_user(*, user, subject_id) -> Subject:
    """One subject the user may see; NotFound otherwise (no probing)."""
    subject = Subject.objects.filter(pk=subject_id).first()
    if subject is None:
        raise NotFound(code="subject_not_found")
    access.ensure_can_view_subject(user, subject)
    return subject


def _public_q(at: datetime.date) -> Q:
    return Q(Exists(_valid_certs(at)), is_published=True, status=Product.Status.ACTIVE) & ~Q(
        subject__verification_status=Subject.Verification.REJECTED
    )


def _public_products(at: datetime.date) -> QuerySet[Product]:
    return Product.objects.filter(_public_q(at))


def product_list_for_user(
    *, user, filters: dict | None = None, at: datetime.date | None = None, own_area: bool = False
) -> QuerySet[Product]:
    """Products the user may see: scoped for officers/producers; published recognised products for anyone else.

    Everyone may also read other areas' published products (the open catalogue); `own_area=True` keeps to the
    user's own scope, as the back office and exports do.

    Filters: province, commune, legal_form, category (id), stars, certificate ("valid" | "expired" | "none"), q.
    """
    filters = filters or {}
    at = at or timezone.localdate()
    scope_q = access.subject_scope_q(user, prefix="subject__")
    if getattr(user, "is_authenticated", False):
        if own_area:
            products = Product.objects.filter(scope_q) if scope_q else Product.objects.all()
        elif scope_q:
            products = Product.objects.filter(scope_q | Q(subject__created_by=user) | _public_q(at))
        else:  # Q() means everything (nationwide): OR-ing it would narrow it to the user's own subjects
            products = Product.objects.all()
    else:
        products = _public_products(at)
    # One WHERE over single-valued joins, and certificate conditions as EXISTS: no row can repeat, so no
    # SELECT DISTINCT (which sorted every matching row, all columns, before the LIMIT: bench/bench_search.py).
    products = product_annotate_recognition(products, at).select_related("subject", "category")
    if filters.get("province"):
        products = products.filter(subject__province_code=filters["province"])
    if filters.get("commune"):
        products = products.filter(subject__current_commune_code=filters["commune"])
    if filters.get("legal_form"):
        products = products.filter(subject__legal_form=filters["legal_form"])
    if filters.get("category"):
        category = filters["category"]
        products = products.filter(Q(category_id=category) | Q(category__parent_id=category))
    if filters.get("stars"):
        products = products.filter(stars=filters["stars"])
    status = filters.get("certificate")
    if status == "valid":
        products = products.filter(has_valid_certificate=True)
    elif status == "none":
        products = products.filter(~Exists(_any_certs()))
    elif status == "expired":
        products = products.filter(Exists(_any_certs()), has_valid_certificate=False)
    if filters.get("q"):
        products = products.filter(_search_q(filters["q"]))
    return products.order_by(*name_ordering())


def product_get_for_user(*, user, product_id) -> Product:
    """One product the user may see (anonymous: only published recognised ones); NotFound otherwise."""
    product = product_list_for_user(user=user).filter(pk=product_id).first()
    if product is None:
        raise NotFound(code="product_not_found")
    return product


STATS_GROUPS = {
    "province": ("subject__province_code", "subject__legacy_province_code"),
    "stars": ("stars", "stars"),
    "legal_form": ("subject__legal_form", "subject__legal_form"),
    "group": ("category__name", "category__name"),
}


def product_stats(*, group_by: str, at: datetime.date | None = None, units: str = "current", province: str = ""):
    """Counts of products with a valid recognition on `at`, and of their subjects, grouped.

    `units="legacy"` groups provinces as they were before 1 July 2025 (the unit recorded at import).
    `province` restricts to one current province. Raises ValidationError for an unknown grouping.
    Public aggregate data: no actor scoping (counts only, no records).
    """
    if group_by not in STATS_GROUPS or units not in ("current", "legacy"):
        raise ValidationError(fields={"group_by": ["province | stars | legal_form | group"]})
    at = at or timezone.localdate()
    products = product_annotate_recognition(_public_products(at), at)
    if province:
        products = products.filter(subject__province_code=province)
    key = STATS_GROUPS[group_by][0 if units == "current" else 1]
    rows = (
        products.order_by()
        .values(key)
        .annotate(products=Count("id", distinct=True), subjects=Count("subject", distinct=True))
        .order_by(key)
    )
    groups = [{"key": str(r[key] or ""), "products": r["products"], "subjects": r["subjects"]} for r in rows]
    totals = products.order_by().aggregate(
        products=Count("id", distinct=True), subjects=Count("subject", distinct=True)
    )
    return {"at": at, "group_by": group_by, "units": units, "groups": groups, **totals}
