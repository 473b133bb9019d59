"""Reference data and demo data are kept apart: production settings load reference data only and refuse demo data."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from ocop.core.seeding import DemoDataRefused, demo_logins, seed_demo
from ocop.registry.models import CriteriaVersion, Product, Subject

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "seed-test-" + "s" * 50,
    "DJANGO_ALLOWED_HOSTS": "ocop.example.vn",
    "OCOP_PUBLIC_URL": "https://ocop.example.vn",
    "OCOP_STAMP_KEYS": "1:" + "ab" * 32,
}


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_production_seed_loads_reference_data_and_creates_no_account_and_no_product(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "OCOP_", "DATABASE_URL", "REDIS_URL"))}
    env.update(PRODUCTION_ENV, DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}", OCOP_VAR_DIR=str(tmp_path))
    assert _manage("migrate", "--no-input", env=env).returncode == 0

    seeded = _manage("seed_platform", env=env)
    refused = _manage("seed_platform", "--demo", env=env)

    assert seeded.returncode == 0, seeded.stderr
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "production" in refused.stderr
    with sqlite3.connect(tmp_path / "prod.sqlite3") as db:
        count = lambda table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: E731
        assert count("accounts_user") == 0
        assert count("registry_product") == 0 and count("registry_subject") == 0
        assert count("geo_adminunit") > 14_000  # reference data is there
        assert count("evaluation_criteriasheet") == 78


@pytest.mark.django_db
def test_reference_seed_creates_no_account(settings):
    call_command("seed_platform", stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert not get_user_model().objects.exists()
    assert not Subject.objects.exists() and not Product.objects.exists()
    assert CriteriaVersion.objects.filter(code="26_2026", is_current=True).exists()


@pytest.mark.django_db
def test_demo_seed_is_refused_when_demo_data_is_not_allowed(settings):
    settings.OCOP_DEMO_DATA_ALLOWED = False

    with pytest.raises(DemoDataRefused):
        seed_demo()
    with pytest.raises(CommandError, match="production"):
        call_command("seed_platform", "--demo", stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert not get_user_model().objects.exists()
    assert demo_logins() == []
