"""ops.dbcheck: the pool's health check costs no round trip on a connection that is as the
last request left it, and still replaces one that PostgreSQL ended (real PostgreSQL)."""

import select
import time

import psycopg
import pytest
from django.db import connection
from psycopg_pool import ConnectionPool

from ops import dbcheck

pytestmark = pytest.mark.django_db


@pytest.fixture
def params():
    found = dict(connection.get_connection_params())
    found.pop("cursor_factory", None)
    found.pop("context", None)
    found.pop("prepare_threshold", None)
    return found


@pytest.fixture
def checks(monkeypatch):
    """The empty-query checks sent."""
    sent = []
    original = dbcheck._empty_query_check

    def counted(conn):
        sent.append(conn.info.backend_pid)
        original(conn)

    monkeypatch.setattr(dbcheck, "_empty_query_check", counted)
    return sent


@pytest.fixture
def pool(params):
    pool = ConnectionPool(
        kwargs={**params, "autocommit": True},
        min_size=1,
        max_size=1,
        check=dbcheck.check_connection,
        open=True,
    )
    pool.wait()
    yield pool
    pool.close()


def test_django_pools_get_this_check():
    assert ConnectionPool.check_connection is dbcheck.check_connection


def test_a_connection_as_the_last_request_left_it_is_not_queried(pool, checks):
    for _ in range(5):
        conn = pool.getconn()
        assert conn.execute("SELECT 1").fetchone() == (1,)
        pool.putconn(conn)
    assert checks == []


def test_a_connection_postgresql_ended_is_replaced_before_a_request_gets_it(pool, checks, params):
    conn = pool.getconn()
    pid = conn.info.backend_pid
    socket = conn.pgconn.socket
    pool.putconn(conn)
    with psycopg.connect(**params, autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)
    deadline = time.monotonic() + 5
    while not select.select([socket], [], [], 0.05)[0] and time.monotonic() < deadline:
        pass

    conn = pool.getconn(timeout=10)
    try:
        assert conn.execute("SELECT 1").fetchone() == (1,)
        assert conn.info.backend_pid != pid
    finally:
        pool.putconn(conn)
    assert checks == [pid]  # the ended one was checked (and failed), the new one not
