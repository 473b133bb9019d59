from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from ninja import Router, Schema

router = Router(tags=["system"])


class HealthOut(Schema):
    status: str
    database: str
    migrations_applied: bool
    task_queue: bool


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
    """Liveness and readiness: database vendor, whether every migration is applied, whether the task queue answers."""
    migrated = _migrations_applied()
    queue = _task_queue_reachable()
    return {
        "status": "ok" if migrated and queue else "degraded",
        "database": connection.vendor,
        "migrations_applied": migrated,
        "task_queue": queue,
    }
