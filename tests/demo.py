"""The demo, loaded once per test session.

`load_demo` (the full curriculum, 30–45 s) runs for real once, in a subprocess, against a
copy of the freshly migrated test database (CREATE DATABASE … TEMPLATE) and with folders of
its own for media, H5P and package files. A test that needs the demo then gets that
database's rows copied into its own with COPY (inside the test's transaction when it has one,
so a rollback still undoes it) and those files copied into the folders its settings name:
about a second instead of a load.

Tests of `load_demo` itself still run the command on top of the copy (a second run must
change nothing), and the copy is what the command built on an empty database."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection, connections, transaction

ROOT = Path(__file__).resolve().parents[1]


def _connect(dbname: str) -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        dbname=dbname,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        autocommit=True,
    )


class DemoSnapshot:
    def __init__(self, folder: Path):
        self.folder = folder
        self.template = connection.settings_dict["NAME"]
        self.name = f"{self.template}_demo"
        self.process: subprocess.Popen | None = None
        self.tables: list[tuple[str, bytes]] | None = None
        self.sequences: list[tuple[str, int | None]] = []

    def start(self) -> None:
        """Copy the (still pristine) test database and start load_demo in the copy."""
        connections.close_all()  # a template database must have no other sessions
        with _connect("postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
            admin.execute(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"')
        db = connection.settings_dict
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{self.name}"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": url,
            "TEST_MEDIA_ROOT": str(self.folder / "media"),
            "TEST_H5P_ROOT": str(self.folder / "h5p"),
            "TEST_PACKAGE_ROOT": str(self.folder / "packages"),
            # Anything signed while loading verifies with this session's key.
            "CERTIFICATE_SIGNING_KEY": settings.CERTIFICATE_SIGNING_KEY,
        }
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "load_demo", "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )

    def _read(self) -> None:
        assert self.process is not None
        output, _ = self.process.communicate(timeout=600)
        if self.process.returncode != 0:
            raise RuntimeError(f"load_demo failed in the demo database:\n{output.decode()}")
        with _connect(self.name) as demo:
            names = [
                row[0]
                for row in demo.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
            ]
            self.tables = []
            for name in names:
                data = bytearray()
                with demo.cursor().copy(f'COPY "{name}" TO STDOUT') as copy:
                    for chunk in copy:
                        data += chunk
                self.tables.append((name, bytes(data)))
            self.sequences = list(
                demo.execute(
                    "SELECT quote_ident(sequencename), last_value FROM pg_sequences "
                    "WHERE schemaname = 'public'"
                )
            )

    def restore(self) -> None:
        """Make the current database and file folders hold the demo, nothing else."""
        if self.tables is None:
            self._read()
        assert self.tables is not None
        with transaction.atomic(), connection.cursor() as wrapper:
            cursor = wrapper.cursor
            # Foreign keys and the audit log's append-only triggers are not checked while
            # the rows are put back as they were; they are on again before anything else.
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("TRUNCATE " + ", ".join(f'"{n}"' for n, _ in self.tables))
            for name, data in self.tables:
                if data:
                    with cursor.copy(f'COPY "{name}" FROM STDIN') as copy:
                        copy.write(data)
            for sequence, value in self.sequences:
                if value is None:
                    cursor.execute(f"SELECT setval('{sequence}', 1, false)")
                else:
                    cursor.execute(f"SELECT setval('{sequence}', {int(value)}, true)")
            cursor.execute("SET LOCAL session_replication_role = origin")
        for source, target in (
            ("media", settings.MEDIA_ROOT),
            ("h5p", settings.H5P_ROOT),
            ("packages", settings.COURSE_PACKAGE_ROOT),
        ):
            if (self.folder / source).is_dir():
                shutil.copytree(self.folder / source, target, dirs_exist_ok=True)
        _forget_cached_rows()

    def drop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        with _connect("postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def _forget_cached_rows() -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache

    ContentType.objects.clear_cache()
    cache.clear()
