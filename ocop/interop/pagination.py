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
# Beyond this, a client is dumping the table: exports are jobs. Also keeps offsets inside every database's integer.
MAX_OFFSET = 1_000_000


class BoundedPagination(LimitOffsetPagination):
    """Limit/offset with both bounded (an unbounded `limit` or `offset` overflowed the database: a 500), 100 rows a
    page by default, as ninja's."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class CappedCountPagination(BoundedPagination):
    """Limit/offset with a capped count; pages of 20 by default (a search result page, not a dump —
    exports are jobs)."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

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
        # Only the keys: annotations (a product's best star, a subquery) would be computed for every counted row.
        return queryset.order_by().values("pk")[: COUNT_CAP + 1].count()

    def _page(self, queryset: QuerySet, offset: int, limit: int):
        return queryset[offset : offset + limit]


class DeferredJoinPagination(CappedCountPagination):
    """For lists walked in an indexed order with a covering index (products: registry migration 0004).

    Within the counted range, one query reads the keys of the first `COUNT_CAP + 1` rows in list order: their
    number is the count, and the page is a slice of them. Selecting nothing but the key lets PostgreSQL answer from
    the covering index, and asking for 1,001 rows rather than 20 lets its planner weigh the two ways to get them
    right: walking the name index (cheap when matches are dense) or collecting the trigram index's matches and
    sorting them (cheap when they are few, or clustered late in the alphabet, where the walk for 20 rows passed
    through nearly the whole index: 30–40 ms at 100,000 products, bench/bench_search.py). The rows, with their
    joins and annotations, are then read by key. Pages beyond the counted range count and walk separately.
    """

    def paginate_queryset(self, queryset: QuerySet, pagination: Any, request, **params) -> Any:
        offset = pagination.offset
        limit: int = min(pagination.limit, self.max_limit)
        if offset + limit <= COUNT_CAP + 1:
            keys = list(queryset.values_list("pk", flat=True)[: COUNT_CAP + 1])
            counted, page_keys = len(keys), keys[offset : offset + limit]
        else:
            counted = self._count(queryset)
            page_keys = list(queryset.values_list("pk", flat=True)[offset : offset + limit])
        rows = {row.pk: row for row in queryset.filter(pk__in=page_keys)}
        return {
            self.items_attribute: [rows[key] for key in page_keys if key in rows],
            "count": min(counted, COUNT_CAP),
            "count_is_lower_bound": counted > COUNT_CAP,
        }

    def _count(self, queryset: QuerySet) -> int:
        return queryset.values("pk")[: COUNT_CAP + 1].count()
