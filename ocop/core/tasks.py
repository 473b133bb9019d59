import logging

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from ocop.core.jobs import jobrun_execute, jobrun_reap_dead

logger = logging.getLogger(__name__)


@db_task()
def jobrun_execute_task(job_id: str) -> None:
    jobrun_execute(job_id)


@db_periodic_task(crontab(minute="*"))
def jobrun_reap_dead_task() -> None:
    """Every minute: jobs whose worker died are queued again or marked failed (ocop.core.jobs)."""
    jobrun_reap_dead()


@HUEY.on_startup()
def _reap_on_startup() -> None:
    """A consumer that starts after a crash settles the jobs the dead one left running, without waiting a minute."""
    from django.db import close_old_connections

    try:
        outcome = jobrun_reap_dead()
        if any(outcome.values()):
            logger.warning("jobs left by a dead worker: %s", outcome)
    except Exception:  # noqa: BLE001 — never stop a consumer from starting
        logger.exception("reaping dead jobs at start-up failed")
    finally:
        close_old_connections()
