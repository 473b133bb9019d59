"""Periodic certification work, run by the Huey consumer."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from ocop.certification.services import certificates_daily
from ocop.geo.selectors import today_vn


# 01:30 server time, before offices open: notices are dated the day they are sent.
@db_periodic_task(crontab(hour="1", minute="30"))
def certificates_daily_task() -> dict:
    return certificates_daily(today=today_vn())
