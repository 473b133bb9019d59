"""Shared fixtures: the test database gets the real administrative units once per session, and
personas (see DESIGN.md §8) are available to every test."""

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Reference data every test relies on: 34 current / 63 legacy provinces and their communes.
    with django_db_blocker.unblock():
        from ocop.geo.loading import load_admin_units

        load_admin_units()
    yield
    # A live-server request thread may still hold a PostgreSQL session; end it so that the test
    # database can be dropped cleanly.
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations():
    """English pages need the .mo files; `make test` builds them, this covers a bare `pytest`."""
    from django.core.management import call_command

    call_command("compile_translations", verbosity=0)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache and empty process memos: cached names and counters must come from that
    test's data."""
    from django.core.cache import cache

    from ocop.core.memo import memos_clear

    cache.clear()
    memos_clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Vietnamese: a request in English activates English for the thread, and that
    must not leak into the next test's messages."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (live server, concurrency) ends by emptying every table. Once its teardown,
    flush included, is over, put the reference data back for the tests that follow."""
    yield
    # After the session's last test the test database is already gone: nothing to restore.
    if nextitem is None or not _is_transactional(item):
        return
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        from ocop.geo.loading import load_admin_units

        load_admin_units()


# ------------------------------------------------------------------------------------------- personas
# Province A is Lâm Đồng and province B Gia Lai (current units, looked up by name in the loaded data);
# commune A is a current commune of province A. Each persona holds exactly one active role.


def _current_unit(**filters):
    from django.utils import timezone

    from ocop.geo.models import AdminUnit

    unit = (
        AdminUnit.objects.filter(valid_until__isnull=True, **filters)
        .exclude(valid_from__gt=timezone.localdate())
        .order_by("code")
        .first()
    )
    assert unit is not None, f"no current administrative unit matches {filters}: are the units loaded?"
    return unit


@pytest.fixture
def province_a(db):
    return _current_unit(level="province", name="Lâm Đồng")


@pytest.fixture
def province_b(db):
    return _current_unit(level="province", name="Gia Lai")


@pytest.fixture
def commune_a(province_a):
    return _current_unit(level="commune", province_code=province_a.code)


def _persona(username: str, full_name: str, role: str | None = None, unit=None, **user_fields):
    from ocop.accounts.tests.factories import RoleAssignmentFactory, UserFactory

    user = UserFactory(username=username, full_name=full_name, **user_fields)
    if role:
        RoleAssignmentFactory(user=user, role=role, admin_unit=unit)
    return user


@pytest.fixture
def central_officer(db):
    return _persona("central", "Nguyễn Văn Trung", "central_officer")


@pytest.fixture
def province_officer_a(province_a):
    return _persona("province-a", "Trần Thị Lâm", "provincial_officer", province_a)


@pytest.fixture
def province_officer_b(province_b):
    return _persona("province-b", "Rơ Mah Hờ Len", "provincial_officer", province_b)


@pytest.fixture
def commune_officer_a(commune_a):
    return _persona("commune-a", "Lê Văn Xuân", "commune_officer", commune_a)


@pytest.fixture
def council_member_a(province_a):
    return _persona("council-a", "Phạm Thị Hội", "council_member", province_a)


@pytest.fixture
def producer(db):
    # The registry binds the role to a Subject (object_id) when it creates one.
    return _persona("producer", "Đỗ Văn Sản", "producer")


@pytest.fixture
def superuser(db):
    return _persona("admin", "Quản Trị Viên", is_superuser=True, is_staff=True)


@pytest.fixture
def anon_client():
    from django.test import Client

    return Client()


@pytest.fixture
def client_for(db):
    """`client_for(user)` → a django test Client logged in as `user` (a fresh client per call)."""
    from django.test import Client

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make
