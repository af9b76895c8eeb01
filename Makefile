# Eventi: `make run` starts the whole system on the embedded default,
# `make test` runs every test tier, `make test-faults` the fault suite. Only Python 3 is needed to begin.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export VAR_DIR ?= $(CURDIR)/var

.PHONY: run setup migrate seed test test-deps test-unit test-integration test-e2e test-faults lint fmt bench clean parked

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(PIP) install --quiet -r requirements-test.txt
	touch $@

## test-deps: what the tests need outside Python: libical3, libxml2-utils, chromium, nginx, pgbouncer (apt-get, as root), ical.js and axe-core (npm)
test-deps:
	@bash scripts/install-test-deps

setup: $(VENV)/.installed
	$(PY) -m services.scheduling.cli init-keys
	$(PY) -m services.notifications.cli init-signing-key
	$(PY) -m shared.migrate

migrate: $(VENV)/.installed
	$(PY) -m shared.migrate

seed: setup
	$(PY) -m services.scheduling.seed

## run: set up, migrate, seed the demo and start web + workers + mail catcher on :8000
run: seed
	@echo "Eventi on http://localhost:8000  (mail sent: http://localhost:8000/notifications/mail; Ctrl-C stops it)"
	MAIL_PAGE_PUBLIC=1 $(VENV)/bin/honcho -f deploy/Procfile.embedded -d $(CURDIR) start

## test: every tier; PostgreSQL and RabbitMQ tests skip when absent (fail under CI=true)
test: $(VENV)/.installed-test test-deps
	$(PY) -m pytest $(PYTEST_ARGS)

test-unit: $(VENV)/.installed-test test-deps
	$(PY) -m pytest tests/unit $(PYTEST_ARGS)

test-integration: $(VENV)/.installed-test test-deps
	$(PY) -m pytest tests/integration $(PYTEST_ARGS)

test-e2e: $(VENV)/.installed-test test-deps
	$(PY) -m pytest tests/e2e $(PYTEST_ARGS)

## test-faults: the whole system on its own RabbitMQ and PostgreSQL under faults (docs/reliability.md; FAULTS_ARGS=--rounds 3)
test-faults: $(VENV)/.installed-test
	$(PY) -m pytest tests/faults --faults-report=var/faults/report.md $(FAULTS_ARGS) $(PYTEST_ARGS)

## lint: ruff (lint and format), the import contracts of docs/architecture.md, mypy
lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

## fmt: format the code and apply ruff's safe fixes
fmt: $(VENV)/.installed-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## parked: list parked messages of SERVICE (make parked SERVICE=notifications)
parked: $(VENV)/.installed
	$(PY) -m shared.messaging.parked list $(SERVICE)

bench: $(VENV)/.installed-test
	@ls bench/*.py >/dev/null 2>&1 && for b in bench/*.py; do $(PY) $$b; done || echo "no benchmarks yet"

clean:
	rm -rf var .pytest_cache
