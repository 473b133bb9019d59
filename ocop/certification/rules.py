"""Pure rules about certificates (no ORM queries, no I/O)."""

import datetime

# A recognition lasts 36 months (26/2026/QĐ-TTg, as 148/QĐ-TTg before it).
VALIDITY_MONTHS = 36

VALID = "valid"
EXPIRED = "expired"
REVOKED = "revoked"
SUPERSEDED = "superseded"
NOT_YET_VALID = "not_yet_valid"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day `months` later, clamped to the month's end (29 Feb → 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def certificate_expiry(valid_from: datetime.date) -> datetime.date:
    """Last day of validity: the day before the 36-month anniversary."""
    return add_months(valid_from, VALIDITY_MONTHS) - datetime.timedelta(days=1)


def certificate_status_at(cert, date: datetime.date) -> str:
    """Status of `cert` on `date`: valid, expired, revoked, superseded or not_yet_valid.

    Revocation and supersession apply from `status_changed_on` (always, when that is unknown). A certificate
    without a start date (lists that give no year) counts as valid until its end date, if any.
    """
    changed_on = getattr(cert, "status_changed_on", None)
    if cert.status in (REVOKED, SUPERSEDED) and (changed_on is None or changed_on <= date):
        return cert.status
    if cert.valid_from is not None and date < cert.valid_from:
        return NOT_YET_VALID
    if cert.valid_until is not None and date > cert.valid_until:
        return EXPIRED
    return VALID
