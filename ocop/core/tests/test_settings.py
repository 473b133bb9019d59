import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


SECRETS = {
    "DJANGO_SECRET_KEY": "x" * 60,
    "DJANGO_ALLOWED_HOSTS": "ocop.example.vn",
    "OCOP_STAMP_KEYS": "1:" + "ab" * 32,
    "OCOP_PUBLIC_URL": "https://ocop.example.vn",
}


def _run_check(env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in SECRETS}
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_production_refuses_to_start_without_secret_key():
    result = _run_check({"DJANGO_ALLOWED_HOSTS": "ocop.example.vn"})
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if "DJANGO_SECRET_KEY" in line]
    assert lines and "refuses to start" in lines[0]
    assert "Traceback" not in result.stderr


def test_production_starts_with_its_secrets():
    result = _run_check(SECRETS)
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_public_url():
    # Printed QR codes and certificates carry it for years: no default may end up on paper.
    result = _run_check({k: v for k, v in SECRETS.items() if k != "OCOP_PUBLIC_URL"})
    assert result.returncode != 0
    assert "OCOP_PUBLIC_URL" in result.stderr and "Traceback" not in result.stderr


def test_production_refuses_to_start_without_stamp_keys():
    result = _run_check({k: v for k, v in SECRETS.items() if k != "OCOP_STAMP_KEYS"})
    assert result.returncode != 0
    assert "OCOP_STAMP_KEYS" in result.stderr and "Traceback" not in result.stderr
