"""Reference data and demo data, kept apart (`manage.py seed_platform [--demo]`).

Reference data is what every installation needs to work: administrative units, the OCOP classification, the
criteria sheets, the process regimes. Production loads it. Demo data is what `make run` shows a newcomer: demo
accounts with a published password, generated producers and products, the real published lists. It is refused
under production settings (`OCOP_DEMO_DATA_ALLOWED = False`), whatever the command line says.

Each seeder is idempotent and fast when its data is already there (content hashes, existence checks), so a
second `make run` starts in seconds.
"""

from importlib import import_module

from django.conf import settings
from django.utils.translation import gettext as _

from ocop.core.errors import DomainError

DEMO_PASSWORD = "ocop-demo-2026"


class DemoDataRefused(DomainError):
    code = "demo_data_refused"


def _seeders(setting: str):
    for dotted in getattr(settings, setting, []):
        module, _sep, attr = dotted.rpartition(".")
        yield dotted, getattr(import_module(module), attr)


def _run(setting: str, stdout) -> None:
    for name, seeder in _seeders(setting):
        message = seeder()
        if stdout is not None and message:
            stdout.write(f"  {name}: {message}\n")


def seed_reference(stdout=None) -> None:
    """Load the reference data every installation needs; creates no account and no record of anyone's."""
    _run("OCOP_REFERENCE_SEEDERS", stdout)


def demo_data_allowed() -> bool:
    return bool(getattr(settings, "OCOP_DEMO_DATA_ALLOWED", False))


def seed_demo(stdout=None) -> None:
    """Load the demo accounts and records on top of the reference data; refused under production settings."""
    if not demo_data_allowed():
        raise DemoDataRefused(
            _("Không nạp dữ liệu demo (tài khoản có mật khẩu công khai, sản phẩm giả) với cấu hình production.")
        )
    _run("OCOP_DEMO_SEEDERS", stdout)


def seed_all(stdout=None, *, demo: bool = False) -> None:
    seed_reference(stdout)
    if demo:
        seed_demo(stdout)


def demo_logins() -> list[str]:
    from django.contrib.auth import get_user_model

    if not demo_data_allowed():
        return []
    users = get_user_model().objects.filter(username__startswith="demo-").order_by("username")
    return [f"{u.username} / {DEMO_PASSWORD}  ({u.display_name})" for u in users]
