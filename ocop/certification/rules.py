"""Pure rules about certificates (no ORM queries, no I/O). Numbers come from regime data (evaluation Regime
`deadlines`); the defaults below are 26/2026/QĐ-TTg's, kept only for callers that hold no regime (the importer)."""

import datetime

# A recognition lasts 36 months (26/2026/QĐ-TTg Art. 4, as 148/QĐ-TTg before it).
VALIDITY_MONTHS = 36

VALID = "valid"
EXPIRED = "expired"
REVOKED = "revoked"
SUPERSEDED = "superseded"
NOT_YET_VALID = "not_yet_valid"

CENTRAL_PREFIX = "TW"


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


def certificate_expiry(valid_from: datetime.date, months: int = VALIDITY_MONTHS) -> datetime.date:
    """Last day of validity: the day before the `months` anniversary of the issue date."""
    return add_months(valid_from, months) - datetime.timedelta(days=1)


def certificate_status_at(cert, date: datetime.date) -> str:
    """Status of `cert` on `date`: valid, expired, revoked, superseded or not_yet_valid.

    Revocation and supersession apply from `status_changed_on` (always, when that is unknown). A certificate
    without a start date (lists that give no year) counts as valid until its end date, if any. Past its end
    date a certificate with a re-evaluation pending stays valid through `reevaluation_grace_until`
    (26/2026/QĐ-TTg Art. 12(3)). The stored status "expired" is only a reporting copy: dates decide.
    """
    changed_on = getattr(cert, "status_changed_on", None)
    if cert.status in (REVOKED, SUPERSEDED) and (changed_on is None or changed_on <= date):
        return cert.status
    if cert.valid_from is not None and date < cert.valid_from:
        return NOT_YET_VALID
    if cert.valid_until is not None and date > cert.valid_until:
        grace_until = getattr(cert, "reevaluation_grace_until", None)
        if grace_until is not None and date <= grace_until:
            return VALID
        return EXPIRED
    return VALID


def reevaluation_window(valid_until: datetime.date, *, earliest_days: int, latest_days: int):
    """(first day, last day) a re-evaluation dossier may be filed: from `earliest_days` to `latest_days`
    before expiry (26/2026/QĐ-TTg Art. 7(6): 180 and 120 days)."""
    return (valid_until - datetime.timedelta(days=earliest_days), valid_until - datetime.timedelta(days=latest_days))


def reevaluation_reminder_on(valid_until: datetime.date, *, earliest_days: int, latest_days: int) -> datetime.date:
    """When to remind that the window is closing: its midpoint (150 days before expiry under 26/2026), so the
    subject still has half the window to file."""
    return valid_until - datetime.timedelta(days=(earliest_days + latest_days) // 2)


def revocation_deadline(conclusion_on: datetime.date, *, days: int) -> datetime.date:
    """Last day the revocation decision may be dated: `days` after the conclusion (26/2026/QĐ-TTg Art. 8)."""
    return conclusion_on + datetime.timedelta(days=days)


def certificate_number_prefix(*, level: str, province_code: str, year: int) -> str:
    """ "OCOP-CN-68-2026" for Lâm Đồng, "OCOP-CN-TW-2026" for the ministry (docs/decisions/0006)."""
    place = CENTRAL_PREFIX if level == "central" else province_code
    return f"OCOP-CN-{place}-{year:04d}"


def certificate_number_format(*, prefix: str, sequence: int) -> str:
    return f"{prefix}-{sequence:05d}"


def recognising_stars(regime_levels: list | None, level: str) -> set[int]:
    """Stars the `level` (province / central) evaluates and recognises under a regime's `levels` data
    (26/2026/QĐ-TTg Art. 4: the province 3★/4★, the ministry 5★)."""
    return {
        int(star)
        for entry in regime_levels or []
        if entry.get("level") == level and entry.get("role") == "evaluate_recognise"
        for star in entry.get("stars") or []
    }
