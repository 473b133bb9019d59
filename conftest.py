"""Shared fixtures: the test database gets the real administrative units once per session, and
personas (see DESIGN.md §8) are available to every test."""

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Reference data every test relies on: 34 current / 63 legacy provinces and their communes.
    with django_db_blocker.unblock():
        from ocop.geo.loading import load_admin_units

        load_admin_units()
