"""Demo and reference data for `make run`. Each app contributes an idempotent seeder, run in order:
reference data first (administrative units), then demo accounts, then demo records."""

from importlib import import_module

from django.conf import settings

DEMO_PASSWORD = "ocop-demo-2026"


def _seeders():
    for dotted in getattr(settings, "OCOP_SEEDERS", []):
        module, _, attr = dotted.rpartition(".")
        yield dotted, getattr(import_module(module), attr)


def seed_all(stdout=None) -> None:
    for name, seeder in _seeders():
        message = seeder()
        if stdout is not None and message:
            stdout.write(f"  {name}: {message}\n")


def demo_logins() -> list[str]:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(username__startswith="demo-").order_by("username")
    return [f"{u.username} / {DEMO_PASSWORD}  ({u.display_name})" for u in users]
