from huey.contrib.djhuey import db_task

from ocop.core.jobs import jobrun_execute


@db_task()
def jobrun_execute_task(job_id: str) -> None:
    jobrun_execute(job_id)
