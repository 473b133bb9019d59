from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from ninja import Router, Schema

from ocop.core.cache import cache_state

router = Router(tags=["system"])


class HealthOut(Schema):
    status: str
    database: str
    migrations_applied: bool
    task_queue: bool
    cache: str
    reasons: list[str]


def _migrations_applied() -> bool:
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def _task_queue_reachable() -> bool:
    from huey.contrib.djhuey import HUEY

    try:
        HUEY.pending_count()
    except Exception:
        return False
    return True


@router.get("/health", response=HealthOut, summary="Platform health")
def health(request):
    """Liveness and readiness: database vendor, whether every migration is applied, whether the task queue and the
    shared cache answer. `degraded` lists its `reasons`; the platform keeps serving without the cache."""
    migrated = _migrations_applied()
    queue = _task_queue_reachable()
    cache = cache_state()
    reasons = [
        reason
        for reason, failing in (
            ("migrations_pending", not migrated),
            ("task_queue_unreachable", not queue),
            ("cache_unreachable", cache != "ok"),
        )
        if failing
    ]
    return {
        "status": "degraded" if reasons else "ok",
        "database": connection.vendor,
        "migrations_applied": migrated,
        "task_queue": queue,
        "cache": cache,
        "reasons": reasons,
    }
