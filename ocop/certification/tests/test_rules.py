import datetime
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ocop.certification.rules import certificate_expiry, certificate_status_at

D = datetime.date


def cert(**kw):
    base = {"status": "active", "status_changed_on": None, "valid_from": D(2024, 3, 1), "valid_until": D(2027, 2, 28)}
    return SimpleNamespace(**{**base, **kw})


@pytest.mark.parametrize(
    ("kwargs", "on", "expected"),
    [
        ({}, D(2025, 1, 1), "valid"),
        ({}, D(2024, 3, 1), "valid"),
        ({}, D(2027, 2, 28), "valid"),
        ({}, D(2027, 3, 1), "expired"),
        ({}, D(2024, 2, 29), "not_yet_valid"),
        ({"status": "revoked", "status_changed_on": D(2025, 1, 1)}, D(2024, 12, 31), "valid"),
        ({"status": "revoked", "status_changed_on": D(2025, 1, 1)}, D(2025, 1, 1), "revoked"),
        ({"status": "superseded", "status_changed_on": None}, D(2024, 6, 1), "superseded"),
        ({"valid_from": None, "valid_until": None}, D(2030, 1, 1), "valid"),
    ],
)
def test_certificate_status_at(kwargs, on, expected):
    assert certificate_status_at(cert(**kwargs), on) == expected


def test_expiry_is_the_day_before_the_36_month_anniversary():
    assert certificate_expiry(D(2024, 3, 1)) == D(2027, 2, 28)
    assert certificate_expiry(D(2024, 2, 29)) == D(2027, 2, 27)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 1, 1)))
def test_expiry_is_about_three_years_later(start):
    end = certificate_expiry(start)
    assert 1090 <= (end - start).days <= 1096
