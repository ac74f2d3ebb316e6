#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite: `scripts/testdb.sh start|stop|restart`.
# PostgreSQL refuses to run as root, so as root it runs as the `postgres` OS user.
set -euo pipefail

PORT="${TEST_PG_PORT:-55432}"
DATA="/tmp/elearning-pg-${PORT}"

pg_bin() {
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
        pg_config --bindir
        return
    fi
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

as_pg() {
    if [ "$(id -u)" = "0" ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() {
    local bin
    bin="$(pg_bin)"
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
        echo "PostgreSQL server binaries not found; installing them" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        bin="$(pg_bin)"
    fi
    stop_quietly
    mkdir -p "$DATA"
    [ "$(id -u)" = "0" ] && chown postgres:postgres "$DATA"
    chmod 700 "$DATA"
    as_pg "$bin/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    # Durability is pointless for a throwaway database; turning it off speeds tests up.
    as_pg "$bin/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 start \
        -o "-p $PORT -k $DATA -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" >/dev/null
    as_pg "$bin/createdb" -h 127.0.0.1 -p "$PORT" -U postgres elearning
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') listening on 127.0.0.1:$PORT (data in $DATA)"
}

stop_quietly() {
    local bin
    bin="$(pg_bin)"
    if [ -f "$DATA/postmaster.pid" ] && [ -n "$bin" ]; then
        as_pg "$bin/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$DATA"
}

restart() {
    # A real restart (fast shutdown, then start on the same data): clients lose their
    # connections, as when a production server restarts or fails over.
    as_pg "$(pg_bin)/pg_ctl" -D "$DATA" -m fast -w -t 60 restart \
        -o "-p $PORT -k $DATA -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" >/dev/null
}

case "${1:-}" in
    start) start ;;
    stop) stop_quietly ;;
    restart) restart ;;
    *) echo "usage: $0 start|stop|restart" >&2; exit 2 ;;
esac
