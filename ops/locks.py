"""PostgreSQL advisory locks on a connection of their own.

A session-level advisory lock lives as long as its connection: if the process holding it
dies, PostgreSQL releases it. The lock gets its own connection (not Django's, which may be
pooled or closed by the code that runs under the lock)."""

import hashlib
from contextlib import contextmanager

import psycopg
from django.db import connections


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for `name` (advisory locks take a bigint)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def lock_connection(alias: str = "default") -> psycopg.Connection:
    params = connections[alias].get_connection_params()
    params.pop("context", None)
    params.pop("cursor_factory", None)
    params.pop("prepare_threshold", None)
    return psycopg.connect(**params, autocommit=True, connect_timeout=5)


def try_lock(conn: psycopg.Connection, name: str) -> bool:
    return conn.execute("SELECT pg_try_advisory_lock(%s)", [lock_key(name)]).fetchone()[0]


def is_held_elsewhere(name: str) -> bool:
    """True while another session holds the lock `name`."""
    with lock_connection() as conn:
        if try_lock(conn, name):
            conn.execute("SELECT pg_advisory_unlock(%s)", [lock_key(name)])
            return False
        return True


@contextmanager
def advisory_lock(name: str):
    """Yield True with the lock held, or False at once if another session holds it."""
    conn = lock_connection()
    try:
        yield try_lock(conn, name)
    finally:
        conn.close()  # releases the lock with the session
