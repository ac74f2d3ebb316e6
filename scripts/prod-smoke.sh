#!/usr/bin/env bash
# The production topology on this machine, tried as a client and broken on purpose (the end
# of `make test`): PostgreSQL, Redis, an S3-compatible server, two gunicorn app servers
# behind nginx, a task worker and two schedulers. See scripts/prod_smoke.py. Ports:
# SMOKE_PORT_BASE (default from TEST_PG_PORT) or SMOKE_{PG,REDIS,S3,APP1,APP2,HTTPS}_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/system-deps.sh smoke
echo "== production-topology smoke test"
exec timeout --signal=TERM --kill-after=30 "${SMOKE_TIMEOUT:-900}" .venv/bin/python scripts/prod_smoke.py
