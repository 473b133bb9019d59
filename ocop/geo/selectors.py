"""Reads of administrative units. Units are public reference data, so no actor scoping applies here;
callers that must restrict by role do so with ocop.accounts.access."""

import datetime
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.errors import NotFound
from ocop.core.memo import ProcessMemo
from ocop.geo.models import AdminUnit, AdminUnitSuccession

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# Code length says the level: province 2, district 3, commune 5 characters.
LEVEL_BY_CODE_LENGTH = {2: AdminUnit.Level.PROVINCE, 3: AdminUnit.Level.DISTRICT, 5: AdminUnit.Level.COMMUNE}


def today_vn() -> datetime.date:
    """Today in Vietnam: a unit's validity flips at local midnight, not UTC midnight."""
    return timezone.now().astimezone(VN_TZ).date()


def valid_at_q(at: datetime.date, prefix: str = "") -> Q:
    """Q for units valid on `at` (validity bounds are inclusive; NULL means open-ended)."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": at})) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": at})
    )


def unit_list(*, level: str, parent_code: str | None = None, at: datetime.date | None = None) -> QuerySet[AdminUnit]:
    """Units of `level` valid on `at` (default: today in Vietnam), ordered by code.

    `parent_code` keeps the units whose parent or grand-parent (legacy commune → district → province) has
    that code at the same date. Unknown level or parent gives an empty queryset, never an error.
    """
    at = at or today_vn()
    units = AdminUnit.objects.filter(valid_at_q(at), level=level).select_related("parent")
    if parent_code:
        units = units.filter(
            (Q(parent__code=parent_code) & valid_at_q(at, "parent__"))
            | (Q(parent__parent__code=parent_code) & valid_at_q(at, "parent__parent__"))
        )
    return units.order_by("code")


def province_list(*, at: datetime.date | None = None) -> QuerySet[AdminUnit]:
    """Provinces valid on `at` (default today): 34 from 2025-07-01, 63 before."""
    return unit_list(level=AdminUnit.Level.PROVINCE, at=at)


# Unit names as this process last read them, on top of the shared cache (ocop.core.memo).
_names = ProcessMemo(seconds=300, max_entries=20_000)


def unit_current_name(level: str, code: str) -> str:
    """Full name of the unit with this code today ("Tỉnh Lâm Đồng"), else its latest name; "" when unknown.

    Units change by law, not by the minute: a name is kept for an hour in the shared cache and for five minutes in
    the process. Scans, certificates and printed forms show names on every request."""
    if not code:
        return ""

    def load() -> str:
        units = AdminUnit.objects.filter(level=level, code=code).only("full_name")
        unit = units.filter(valid_until__isnull=True).first() or units.order_by("-valid_from").first()
        return unit.full_name if unit else ""

    return _names.get_or_set((level, code), lambda: cache.get_or_set(f"geo:unit-name:{level}:{code}", load, 3600))


def unit_get(*, code: str, at: datetime.date | None = None, level: str | None = None) -> AdminUnit:
    """The unit with `code` valid on `at` (default today). Without `level`, the code's length decides it.

    Raises NotFound(code="admin_unit_not_found") when no such unit is valid on that date.
    """
    at = at or today_vn()
    code = (code or "").strip()
    level = level or LEVEL_BY_CODE_LENGTH.get(len(code))
    unit = (
        AdminUnit.objects.filter(valid_at_q(at), code=code, level=level).select_related("parent__parent").first()
        if level
        else None
    )
    if unit is None:
        raise NotFound(
            _("Không tìm thấy đơn vị hành chính mã %(code)s.") % {"code": code[:16]}, code="admin_unit_not_found"
        )
    return unit


def unit_successions(unit: AdminUnit) -> list[AdminUnitSuccession]:
    """Rows mapping `unit` to its successors, default first."""
    rows = AdminUnitSuccession.objects.filter(predecessor=unit).select_related("successor")
    return sorted(rows, key=lambda row: (not row.is_default, row.successor.code))


def unit_current_successors(unit: AdminUnit) -> list[AdminUnit]:
    """The units that replaced `unit`, default first. A unit still in force is its own successor."""
    if unit.valid_until is None:
        return [unit]
    return [row.successor for row in unit_successions(unit)]


def unit_predecessors(unit: AdminUnit) -> list[AdminUnit]:
    """The legacy units merged (wholly or partly) into `unit`, ordered by code; empty for legacy units."""
    rows = AdminUnitSuccession.objects.filter(successor=unit).select_related("predecessor")
    return sorted((row.predecessor for row in rows), key=lambda u: u.code)
