import math
from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value) -> int | None:
    """Whole minutes in a timedelta, rounded up (a 29 min 10 s wait is shown as 30 minutes)."""
    if not isinstance(value, timedelta):
        return None
    return max(1, math.ceil(value.total_seconds() / 60))
