# Two commands for a fresh Debian machine with Python 3.11, Node 20 and PostgreSQL 15:
#   make run   – install, migrate, load the demo, serve http://localhost:8000
#   make test  – install, start a throwaway PostgreSQL, run linters and every test, then the
#                production-topology smoke test (scripts/prod-smoke.sh)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMPS := .stamps

.PHONY: run test install bench system-deps system-deps-test system-deps-bench messages clean

install: $(STAMPS)/python $(STAMPS)/npm messages

$(STAMPS)/python: requirements.txt requirements-dev.txt
	@mkdir -p $(STAMPS)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

$(STAMPS)/npm: package.json package-lock.json
	@mkdir -p $(STAMPS)
	# --ignore-scripts: no package may run install hooks (h5p-standalone's would fail).
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

system-deps:
	scripts/system-deps.sh run

system-deps-test:
	scripts/system-deps.sh test

system-deps-bench:
	scripts/system-deps.sh bench

messages: system-deps $(STAMPS)/python
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) compilemessages --ignore '.venv' --ignore 'node_modules' -v 0

.dev-signing-key.pem: | $(STAMPS)/python
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) generate_signing_key > $@

run: install .dev-signing-key.pem
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) migrate --noinput -v 0
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) load_demo
	@echo "Serving http://localhost:8000 (admin: http://localhost:8000/admin/). Mail is printed here."
	DJANGO_SETTINGS_MODULE=config.settings.dev $(MANAGE) runserver 127.0.0.1:8000

test: system-deps-test install
	scripts/test.sh
	scripts/prod-smoke.sh

# The speed benchmark (not a test): `make bench BENCH_ARGS="--only pages --rounds 1"`.
bench: system-deps-bench install
	$(PY) scripts/bench_pages.py $(BENCH_ARGS)

clean:
	rm -rf $(STAMPS) $(VENV) node_modules staticfiles
