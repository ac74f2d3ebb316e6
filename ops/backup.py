"""Backup and restore: a PostgreSQL dump plus every stored object, checked end to end.

A backup is a folder:

    manifest.json      what is in it, with a SHA-256 for every file
    database.dump      pg_dump --format=custom, taken from one exported snapshot
    files/<storage>/…  every object of the `default` (media) and `h5p` storages

The dump and the list of files the database refers to (its FileFields) are read from the
same PostgreSQL snapshot, so the backup knows exactly which objects its database needs; a
referenced object that is missing from storage is reported and fails the backup. Objects
written after the snapshot are copied too (harmless: nothing refers to them).

Restore goes into an empty system (an empty database and empty storages), checks every
checksum first, and ends by running the verifications (`verify_certificates`, and
`verify_audit_log` when the audit app provides it).
"""

import hashlib
import json
import os
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.core.files import File
from django.core.files.storage import storages
from django.core.management import call_command, get_commands
from django.db import connections, models
from django.utils.functional import LazyObject, empty

from .locks import lock_connection

FORMAT = 1
STORAGE_ALIASES = ("default", "h5p")
CHUNK = 1024 * 1024
VERIFY_COMMANDS = ("verify_certificates", "verify_audit_log")


class BackupError(RuntimeError):
    pass


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def say(self, text: str) -> None:
        self.lines.append(text)

    def problem(self, text: str) -> None:
        self.problems.append(text)


# --- PostgreSQL ---------------------------------------------------------------------------


def _libpq_env(alias: str = "default") -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore, the password in the environment (not in
    the process list)."""
    db = connections[alias].settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                found.append((model, model_field))
    return found


def _storage_alias(storage) -> str | None:
    if isinstance(storage, LazyObject):
        if storage._wrapped is empty:
            storage._setup()
        storage = storage._wrapped
    for alias in STORAGE_ALIASES:
        if storages[alias] is storage:
            return alias
    return None


def _referenced_files(cursor) -> dict[str, set[str]]:
    """Every file name the database refers to, by storage alias (read in the snapshot)."""
    referenced: dict[str, set[str]] = {alias: set() for alias in STORAGE_ALIASES}
    for model, file_field in _file_fields():
        alias = _storage_alias(file_field.storage)
        if alias is None:
            continue
        table = model._meta.db_table
        column = file_field.column
        cursor.execute(
            f'SELECT DISTINCT "{column}" FROM "{table}" WHERE "{column}" <> \'\''  # noqa: S608
        )
        referenced[alias].update(row[0] for row in cursor.fetchall())
    return referenced


# --- Storages -------------------------------------------------------------------------------


def _walk(storage, prefix: str = ""):
    try:
        folders, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{prefix}/{name}" if prefix else name
    for folder in folders:
        yield from _walk(storage, f"{prefix}/{folder}" if prefix else folder)


def _copy_out(storage, name: str, target: Path) -> tuple[int, str]:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with storage.open(name, "rb") as source, target.open("wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return size, digest.hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _safe_relative(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


# --- Backup -----------------------------------------------------------------------------------


def backup_create(destination: Path) -> Report:
    destination = Path(destination)
    if destination.exists() and any(destination.iterdir()):
        raise BackupError(f"{destination} is not empty")
    destination.mkdir(parents=True, exist_ok=True)
    report = Report()
    args, env = _libpq_env()
    manifest: dict = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": [],
    }
    snapshot_conn = lock_connection()
    try:
        # One snapshot for the dump and for the list of files the database refers to.
        snapshot_conn.autocommit = False
        with snapshot_conn.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            dump = destination / "database.dump"
            _run(
                [
                    "pg_dump",
                    *args,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={dump}",
                ],
                env,
            )
            referenced = _referenced_files(cursor)
        snapshot_conn.rollback()
    finally:
        snapshot_conn.close()
    manifest["database"] = {
        "file": "database.dump",
        "server_version": server_version,
        "size": dump.stat().st_size,
        "sha256": _sha256(dump),
    }
    report.say(f"database: {dump.stat().st_size} bytes (PostgreSQL {server_version})")

    for alias in STORAGE_ALIASES:
        storage = storages[alias]
        count = total = 0
        present = set()
        for name in _walk(storage):
            if not _safe_relative(name):
                report.problem(f"{alias}: skipped a strange object name {name!r}")
                continue
            size, digest = _copy_out(storage, name, destination / "files" / alias / name)
            manifest["files"].append(
                {"storage": alias, "name": name, "size": size, "sha256": digest}
            )
            present.add(name)
            count += 1
            total += size
        missing = sorted(referenced[alias] - present)
        for name in missing:
            report.problem(f"{alias}: the database refers to {name!r}, which is not in storage")
        report.say(
            f"{alias} storage: {count} object(s), {total} bytes; "
            f"{len(referenced[alias])} referenced by the database, {len(missing)} missing"
        )
    manifest["missing"] = report.problems
    (destination / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return report


# --- Restore ----------------------------------------------------------------------------------


def _manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / "manifest.json").read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"no readable manifest.json in {source}: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def backup_check(source: Path) -> dict:
    """Every checksum in the manifest matches; returns the manifest."""
    source = Path(source)
    manifest = _manifest(source)
    bad = []
    if _sha256(source / manifest["database"]["file"]) != manifest["database"]["sha256"]:
        bad.append(manifest["database"]["file"])
    for entry in manifest["files"]:
        if not _safe_relative(entry["name"]) or entry["storage"] not in STORAGE_ALIASES:
            bad.append(entry["name"])
            continue
        path = source / "files" / entry["storage"] / entry["name"]
        if not path.is_file() or _sha256(path) != entry["sha256"]:
            bad.append(f"{entry['storage']}/{entry['name']}")
    if bad:
        raise BackupError(f"{len(bad)} file(s) damaged or missing, e.g. {bad[0]}")
    return manifest


def _database_is_empty() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        )
        return cursor.fetchone()[0] == 0


def backup_restore(source: Path) -> Report:
    source = Path(source)
    report = Report()
    manifest = backup_check(source)
    report.say(f"checksums: {len(manifest['files']) + 1} file(s) match the manifest")
    if not _database_is_empty():
        raise BackupError("the database is not empty: restore goes into a new, empty database")
    for alias in STORAGE_ALIASES:
        if next(_walk(storages[alias]), None) is not None:
            raise BackupError(f"the {alias} storage is not empty: restore into empty storage")
    connections.close_all()
    args, env = _libpq_env()
    _run(
        [
            "pg_restore",
            *args,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            str(source / manifest["database"]["file"]),
        ],
        env,
    )
    report.say("database: restored")
    counts = dict.fromkeys(STORAGE_ALIASES, 0)
    for entry in manifest["files"]:
        storage = storages[entry["storage"]]
        with (source / "files" / entry["storage"] / entry["name"]).open("rb") as handle:
            saved = storage.save(entry["name"], File(handle))
        if saved != entry["name"]:
            raise BackupError(f"storage renamed {entry['name']!r} to {saved!r}")
        counts[entry["storage"]] += 1
    for alias, count in counts.items():
        report.say(f"{alias} storage: {count} object(s) restored")
    return report


def verifications_run(report: Report, *, stdout, stderr) -> None:
    """The checks a restored system must pass; a missing check command is reported."""
    available = get_commands()
    for name in VERIFY_COMMANDS:
        if name not in available:
            report.say(f"{name}: not available in this version, skipped")
            continue
        try:
            call_command(name, stdout=stdout, stderr=stderr)
        except Exception as error:  # a CommandError, or the command's own failure
            report.problem(f"{name}: {error}")
        else:
            report.say(f"{name}: passed")
