#!/usr/bin/env bash
# Everything `make test` checks, in order; stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=config.settings.test
export TEST_PG_PORT="${TEST_PG_PORT:-55432}"
export DATABASE_URL="postgres://postgres@127.0.0.1:${TEST_PG_PORT}/elearning"

echo "== ruff (lint, format)"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== djhtml (template indentation)"
.venv/bin/djhtml --check $(git ls-files '*.html')
echo "== import-linter"
.venv/bin/lint-imports
echo "== PostgreSQL"
scripts/testdb.sh start
trap 'scripts/testdb.sh stop' EXIT
echo "== makemigrations --check"
$PY manage.py makemigrations --check --dry-run
echo "== pytest"
set +e
.venv/bin/pytest "$@"
status=$?
set -e
# pytest's 5 means it collected nothing: that is a failure here, not a pass.
exit $status
