"""Readiness checks, each cheap enough for a monitor polling every few seconds."""

import logging
import os
from pathlib import Path

from django.core.cache import caches
from django.core.files.storage import storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.crypto import get_random_string

logger = logging.getLogger("ops.health")

# Once every migration is applied it stays so for the life of the process (a deployment
# with new migrations restarts the app servers), so that slow check runs until it passes.
_migrations_applied = False


def _database():
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache():
    cache = caches["default"]
    key = f"readyz:{get_random_string(12)}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not return what was written")
    cache.delete(key)


def _storage(alias):
    def check():
        storage = storages[alias]
        bucket = getattr(storage, "bucket_name", None)
        if bucket:
            storage.connection.meta.client.head_bucket(Bucket=bucket)
            return
        root = Path(storage.path(""))
        root.mkdir(parents=True, exist_ok=True)  # as the storage would on its first save
        if not root.is_dir() or not os.access(root, os.R_OK | os.W_OK | os.X_OK):
            raise RuntimeError(f"{root} is not a writable folder")

    return check


def _migrations():
    global _migrations_applied
    if _migrations_applied:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migration(s) not applied")
    _migrations_applied = True


CHECKS = {
    "database": _database,
    "cache": _cache,
    "storage": _storage("default"),
    "h5p_storage": _storage("h5p"),
    "migrations": _migrations,
}


def readiness() -> dict[str, str]:
    results = {}
    for name, check in CHECKS.items():
        if name == "migrations" and results.get("database") != "ok":
            results[name] = "fail"
            continue
        try:
            check()
        except Exception:
            logger.exception("readiness check %s failed", name, extra={"check": name})
            results[name] = "fail"
        else:
            results[name] = "ok"
    return results
