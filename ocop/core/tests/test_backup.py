"""A backup restores into a fresh installation with the same rows, the same files and the same stamp keys."""

import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

MAKE_DATA = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.conf import settings
from pathlib import Path
from ocop.certification.stamps.models import StampKey
from ocop.geo.models import AdminUnit
from ocop.registry.services import subject_create
commune = AdminUnit.objects.filter(level="commune", province_code="68", valid_until__isnull=True).first()
subject_create(actor=None, values={"name": "HTX Sao Lưu", "commune": commune}, verified=True, check_access=False)
default_storage.save("photos/mam.jpg", ContentFile(b"photo-bytes"))
(Path(settings.PRIVATE_ROOT) / "evidence").mkdir(parents=True, exist_ok=True)
(Path(settings.PRIVATE_ROOT) / "evidence" / "giay-phep.pdf").write_bytes(b"%PDF-evidence")
StampKey.objects.get_or_create(key_id=1)
"""


def _env(var: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "OCOP_", "DATABASE_URL", "REDIS_URL"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.local", OCOP_VAR_DIR=str(var))
    return env


def _manage(var: Path, *args, stdin: str | None = None):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_env(var),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def test_backup_restores_into_a_fresh_installation(tmp_path):
    source, target = tmp_path / "source", tmp_path / "target"
    archive = tmp_path / "ocop.tar.gz"
    _manage(source, "migrate", "--no-input")
    _manage(source, "shell", "-c", "from ocop.geo.seed import seed; seed()")
    _manage(source, "shell", "-c", MAKE_DATA)

    _manage(source, "backup", str(archive))
    _manage(source, "verify_backup", str(archive))

    with tarfile.open(archive) as opened:
        names = opened.getnames()
    assert {"manifest.json", "database.sqlite3", "secret_key", "media/photos/mam.jpg"} <= set(names)
    # Restore into an empty installation (a new machine): same rows, files, secret key and stamp keys.
    _manage(target, "migrate", "--no-input")
    _manage(target, "restore", str(archive), "--yes")
    checked = _manage(target, "verify_backup", str(archive), "--against-database")
    assert "differ" not in checked.stderr
    assert (target / "media" / "photos" / "mam.jpg").read_bytes() == b"photo-bytes"
    assert (target / "private" / "evidence" / "giay-phep.pdf").read_bytes() == b"%PDF-evidence"
    assert (target / "secret_key").read_text() == (source / "secret_key").read_text()
    names_after = _manage(
        target, "shell", "-c", "from ocop.registry.models import Subject; print(Subject.objects.get().name)"
    )
    assert names_after.stdout.strip().endswith("HTX Sao Lưu")


def test_a_tampered_backup_is_refused(tmp_path):
    var = tmp_path / "var"
    archive, tampered = tmp_path / "ocop.tar.gz", tmp_path / "tampered.tar.gz"
    _manage(var, "migrate", "--no-input")
    _manage(var, "backup", str(archive))
    with tarfile.open(archive) as src, tarfile.open(tampered, "w:gz") as out:
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else None
            if member.name == "database.sqlite3":
                data = data[:-10] + b"0123456789"
            member.size = len(data) if data is not None else 0
            out.addfile(member, io.BytesIO(data) if data is not None else None)

    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(tampered), "--yes"],
        cwd=ROOT,
        env=_env(var),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "checksum mismatch: database.sqlite3" in result.stderr
    assert "Traceback" not in result.stderr
