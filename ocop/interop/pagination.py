"""Pagination for large searchable lists.

An exact COUNT over a broad accent-free search ("dong thap" matches tens of thousands of products)
costs more than the page itself. Lists count at most `COUNT_CAP` rows (`SELECT COUNT(*) FROM (… LIMIT
cap + 1)`) and say when the count is a lower bound, which is all a paging UI or a partner needs.
"""

from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

COUNT_CAP = 1000
DEFAULT_LIMIT = 20
MAX_LIMIT = 500


class CappedCountPagination(LimitOffsetPagination):
    """Limit/offset with a capped count; pages of 20 by default (a search result page, not a dump —
    exports are jobs)."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0)

    class Output(Schema):
        items: list[Any]
        count: int = Field(description=f"Number of matching rows, at most {COUNT_CAP}.")
        count_is_lower_bound: bool = Field(
            description=f"True when more than {COUNT_CAP} rows match and `count` stops at the cap."
        )

    def paginate_queryset(self, queryset: QuerySet, pagination: Any, request, **params) -> Any:
        offset = pagination.offset
        limit: int = min(pagination.limit, self.max_limit)
        counted = self._count(queryset)
        return {
            self.items_attribute: self._page(queryset, offset, limit),
            "count": min(counted, COUNT_CAP),
            "count_is_lower_bound": counted > COUNT_CAP,
        }

    def _count(self, queryset: QuerySet) -> int:
        return queryset.order_by()[: COUNT_CAP + 1].count()

    def _page(self, queryset: QuerySet, offset: int, limit: int):
        return queryset[offset : offset + limit]


class DeferredJoinPagination(CappedCountPagination):
    """For lists walked in an indexed order with a covering index (products: registry migration 0004).

    The page's primary keys come first, from a query that selects nothing but the key, so PostgreSQL answers it
    with an index-only scan; the rows, with their joins and annotations, are then read by key. The capped count
    keeps the list's order for the same reason: the ordered walk stops after `COUNT_CAP + 1` matches, where an
    unordered count chose a heap scan by primary key.
    """

    def _count(self, queryset: QuerySet) -> int:
        return queryset[: COUNT_CAP + 1].count()

    def _page(self, queryset: QuerySet, offset: int, limit: int):
        keys = list(queryset.values_list("pk", flat=True)[offset : offset + limit])
        rows = {row.pk: row for row in queryset.filter(pk__in=keys)}
        return [rows[key] for key in keys if key in rows]
