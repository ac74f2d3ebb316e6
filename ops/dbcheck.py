"""The database pool's health check without a round trip per request.

With CONN_HEALTH_CHECKS, Django gives psycopg's pool `ConnectionPool.check_connection`,
which sends an empty query each time a request takes a connection: one more round trip to
PostgreSQL on every page. A connection whose socket has nothing to read is as the last
request left it (the server sends nothing unasked on a connection that does not LISTEN);
one the server ended (a restart, pg_terminate_backend, a crash) has its FATAL message or
its end waiting to be read. So the empty query is sent only when the socket is readable,
or the connection is not plainly fine: a failed check makes the pool discard it and take
another, as before, and no request meets a dead connection after a restart.
"""

from __future__ import annotations

import select

import psycopg
from psycopg import pq
from psycopg_pool import ConnectionPool

_empty_query_check = ConnectionPool.check_connection


def check_connection(conn) -> None:
    """psycopg_pool's check, run only when the connection may have been ended."""
    try:
        pending = bool(select.select([conn.pgconn.socket], [], [], 0)[0])
    except (OSError, ValueError, psycopg.Error):  # no socket any more
        pending = True
    if (
        pending
        or conn.closed
        or conn.pgconn.status != pq.ConnStatus.OK
        or conn.pgconn.transaction_status != pq.TransactionStatus.IDLE
    ):
        _empty_query_check(conn)


def install() -> None:
    """Make Django's pools use it (they look the check up when they are created)."""
    ConnectionPool.check_connection = staticmethod(check_connection)
