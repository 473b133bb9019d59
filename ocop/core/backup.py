"""Backup and restore of everything that cannot be rebuilt (`manage.py backup`, `verify_backup`, `restore`).

Reference data (units, criteria, regimes) can be loaded again; these cannot:
- the database: dossiers, scores, decisions, certificates, stamp batches, scans, audit;
- the files: public media (product photos) and private files (evidence, generated documents, uploads);
- the stamp keys: every printed stamp is a MAC under them. Production reads them from `OCOP_STAMP_KEYS`, a secret
  the operator keeps in their secret store, never in a backup; the embedded set-up derives them from the secret
  key in `var/secret_key`, which the backup therefore carries. Either way the manifest records a fingerprint of
  every key in use (an HMAC of a fixed label, which reveals nothing), and `verify_backup` says whether the keys
  configured where it runs would verify the backup's stamps.

One `.tar.gz` holds `manifest.json` (date, database vendor, row counts per table, SHA-256 of every member, key
fingerprints), `database.sqlite3` (SQLite's online backup API: a consistent copy while the platform runs) or
`database.pgdump` (`pg_dump -Fc`), and `media/`, `private/`, `secret_key`.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

FORMAT = 1


class BackupError(Exception):
    pass


@dataclass
class VerifyReport:
    manifest: dict
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def row_counts() -> dict[str, int]:
    """Rows per table of every installed model (what a restore must give back)."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.db_table] = model._base_manager.using("default").count()
    return dict(sorted(counts.items()))


def key_fingerprints() -> dict[str, str]:
    from ocop.certification.stamps.keys import stamp_key_secret
    from ocop.certification.stamps.models import StampKey

    return {
        str(key_id): hmac.new(stamp_key_secret(key_id), b"ocop-backup-fingerprint", hashlib.sha256).hexdigest()[:16]
        for key_id in StampKey.objects.order_by("key_id").values_list("key_id", flat=True)
    }


def _secret_key_file() -> Path:
    return Path(settings.VAR_DIR) / "secret_key"


def _dump_database(target: Path) -> str:
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        source = sqlite3.connect(str(db["NAME"]))
        copy = sqlite3.connect(str(target / "database.sqlite3"))
        with copy:
            source.backup(copy)
        copy.close()
        source.close()
        return "database.sqlite3"
    if connection.vendor == "postgresql":
        env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
        command = ["pg_dump", "-Fc", "--no-owner", "-f", str(target / "database.pgdump"), *_pg_args(db)]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()[:500]}")
        return "database.pgdump"
    raise BackupError(f"unsupported database {connection.vendor}")


def _pg_args(db: dict) -> list[str]:
    args = ["-d", str(db["NAME"])]
    for option, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if db.get(key):
            args += [option, str(db[key])]
    return args


def backup_create(output: Path) -> dict:
    """Write the backup archive to `output`; returns its manifest."""
    output = Path(output)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        database_member = _dump_database(work)
        members = {database_member: work / database_member}
        for name, root in (("media", Path(settings.MEDIA_ROOT)), ("private", Path(settings.PRIVATE_ROOT))):
            if root.is_dir():
                for path in sorted(p for p in root.rglob("*") if p.is_file()):
                    members[f"{name}/{path.relative_to(root).as_posix()}"] = path
        if _secret_key_file().is_file() and not os.environ.get("DJANGO_SECRET_KEY"):
            members["secret_key"] = _secret_key_file()
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": connection.vendor,
            "rows": row_counts(),
            "stamp_keys": key_fingerprints(),
            "files": {name: _sha256(path) for name, path in members.items()},
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            for name, path in members.items():
                archive.add(str(path), arcname=name, recursive=False)
        partial.replace(output)  # never a half-written backup under the real name
    return manifest


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in archive.getmembers():
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"unsafe member in archive: {member.name}")
        members.append(member)
    return members


def backup_verify(path: Path, *, compare_database: bool = False) -> VerifyReport:
    """Check the archive's checksums and whether this installation's stamp keys match the backup's."""
    with tarfile.open(path, "r:gz") as archive:
        members = {m.name: m for m in _safe_members(archive)}
        if "manifest.json" not in members:
            raise BackupError("no manifest.json: not an OCOP backup")
        manifest = json.loads(archive.extractfile(members["manifest.json"]).read())
        report = VerifyReport(manifest)
        for name, expected in manifest["files"].items():
            if name not in members:
                report.problems.append(f"missing: {name}")
                continue
            digest = hashlib.sha256()
            handle = archive.extractfile(members[name])
            for chunk in iter(lambda handle=handle: handle.read(1 << 20), b""):
                digest.update(chunk)
            if digest.hexdigest() != expected:
                report.problems.append(f"checksum mismatch: {name}")
    current = key_fingerprints() if compare_database else None
    if current is not None:
        differing = [k for k, v in manifest["stamp_keys"].items() if current.get(k) not in (None, v)]
        if differing:
            report.warnings.append(
                "the stamp keys configured here differ from the backup's (key ids "
                + ", ".join(differing)
                + "): its stamps would read 'may be counterfeit'; configure the backup's OCOP_STAMP_KEYS"
            )
        rows = row_counts()
        report.problems += [
            f"rows differ in {table}: backup {count}, database {rows.get(table)}"
            for table, count in manifest["rows"].items()
            if rows.get(table) != count
        ]
    return report


def backup_restore(path: Path) -> dict:
    """Replace this installation's database and files with the backup's. The platform must be stopped."""
    report = backup_verify(path)
    if not report.ok:
        raise BackupError("; ".join(report.problems))
    manifest = report.manifest
    if manifest["database"] != connection.vendor:
        raise BackupError(
            f"the backup holds a {manifest['database']} database; this installation uses {connection.vendor}"
        )
    with tempfile.TemporaryDirectory() as folder, tarfile.open(path, "r:gz") as archive:
        work = Path(folder)
        archive.extractall(work, members=_safe_members(archive), filter="data")
        _restore_database(work)
        for name, root in (("media", Path(settings.MEDIA_ROOT)), ("private", Path(settings.PRIVATE_ROOT))):
            if (work / name).is_dir():
                shutil.rmtree(root, ignore_errors=True)
                shutil.copytree(work / name, root)
        if (work / "secret_key").is_file():
            shutil.copyfile(work / "secret_key", _secret_key_file())
            _secret_key_file().chmod(0o600)
    return manifest


def _restore_database(work: Path) -> None:
    db = settings.DATABASES["default"]
    connections.close_all()
    if connection.vendor == "sqlite":
        target = Path(db["NAME"])
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        shutil.copyfile(work / "database.sqlite3", target)
        return
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *_pg_args(db)]
    result = subprocess.run([*command, str(work / "database.pgdump")], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[:500]}")
