"""Administrative units: public reference data (no auth). Lists, name resolution with the current
successor, and one unit with its predecessors and successors."""

import datetime

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from ocop.geo import resolver, selectors
from ocop.geo.models import AdminUnit
from ocop.interop.pagination import BoundedPagination

router = Router(tags=["geo"])

LevelParam = AdminUnit.Level


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class UnitRef(Schema):
    code: str
    level: str
    kind: str
    name: str
    full_name: str


class UnitOut(UnitRef):
    generation: str
    province_code: str
    parent: UnitRef | None
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    latitude: float | None
    longitude: float | None


class SuccessorRef(UnitRef):
    is_default: bool


class UnitDetailOut(UnitOut):
    predecessors: list[UnitRef]
    successors: list[SuccessorRef]


class MatchOut(Schema):
    unit: UnitOut
    score: float = Field(..., ge=0, le=1)
    successor: UnitRef | None
    successors: list[UnitRef]


class ResolveOut(Schema):
    items: list[MatchOut]


class ListFilters(Schema):
    level: LevelParam = Field(LevelParam.PROVINCE, description="province, district or commune")
    parent: str | None = Field(None, max_length=8, description="code of the parent unit")
    at: datetime.date | None = Field(None, description="date of validity (YYYY-MM-DD), default today")


@router.get("/admin-units", response=list[UnitOut], summary="List administrative units valid at a date")
@paginate(BoundedPagination)
def admin_unit_list(request, filters: Query[ListFilters]):
    """Units of one level valid on `at` (default today, Asia/Ho_Chi_Minh), optionally inside `parent`."""
    return selectors.unit_list(level=filters.level, parent_code=filters.parent, at=filters.at)


@router.get(
    "/admin-units/resolve",
    response={200: ResolveOut, 422: ErrorOut},
    summary="Resolve a messy unit name to units valid at a date, with their current successors",
)
def admin_unit_resolve(
    request,
    name: str,
    at: datetime.date | None = None,
    parent: str | None = None,
    level: LevelParam | None = None,
    limit: int = Query(5, ge=1, le=20),
):
    """Ranked matches; `parent` is a code or a name. Empty or absurd names give 422 `invalid_name`."""
    matches = resolver.resolve(name, level=level, at=at, parent=parent or None, limit=limit)
    return {
        "items": [
            {"unit": m.unit, "score": m.score, "successor": m.successor, "successors": m.successors} for m in matches
        ]
    }


@router.get(
    "/admin-units/{code}",
    response={200: UnitDetailOut, 404: ErrorOut, 422: ErrorOut},
    summary="One administrative unit with its predecessors and successors",
)
def admin_unit_detail(request, code: str, at: datetime.date | None = None, level: LevelParam | None = None):
    """The unit with `code` valid on `at` (default today); 404 `admin_unit_not_found` otherwise."""
    unit = selectors.unit_get(code=code, at=at, level=level)
    rows = [] if unit.valid_until is None else selectors.unit_successions(unit)
    # Attributes for the response schema only; the instance is never saved.
    unit.predecessors = selectors.unit_predecessors(unit)
    unit.successors = [_ref(row.successor) | {"is_default": row.is_default} for row in rows]
    return unit


def _ref(unit: AdminUnit) -> dict:
    return {"code": unit.code, "level": unit.level, "kind": unit.kind, "name": unit.name, "full_name": unit.full_name}
