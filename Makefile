# OCOP Platform — the short list of commands. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT
MANAGE := $(BIN)/python manage.py
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ocop

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.runtime: requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

$(VENV)/.dev: requirements-dev.lock $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	@touch $@

.PHONY: install
install: $(VENV)/.runtime ## Create .venv and install the pinned runtime dependencies

.PHONY: translations
translations: $(VENV)/.runtime
	@$(MANAGE) compile_translations

.PHONY: run
run: install translations ## Prepare the database with demo data and start the web server and the task worker
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_platform --demo
	$(MANAGE) serve --host $(HOST) --port $(PORT)

.PHONY: migrate
migrate: install ## Apply database migrations
	$(MANAGE) migrate --no-input

.PHONY: messages
messages: $(VENV)/.dev ## Extract translatable strings into the .po catalogues and compile them
	$(MANAGE) update_translations
	$(MANAGE) compile_translations

.PHONY: lint
lint: $(VENV)/.dev ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

.PHONY: fmt
fmt: $(VENV)/.dev ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

.PHONY: test
test: $(VENV)/.dev translations lint ## The whole suite: lint, migrations check, OpenAPI diff, pytest on SQLite and PostgreSQL
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) openapi_snapshot --check
	DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_SECRET_KEY=check-deploy-$$RANDOM$$RANDOM$$RANDOM$$RANDOM-0123456789abcdefghijklmnop DJANGO_ALLOWED_HOSTS=ocop.example.vn OCOP_PUBLIC_URL=https://ocop.example.vn OCOP_STAMP_KEYS=1:$$(printf '%064d' 0) $(MANAGE) check --deploy --fail-level WARNING
	@echo "== pytest on SQLite =="
	TEST_DATABASE_URL= $(BIN)/python -m pytest -q
	@echo "== pytest on PostgreSQL ($(TEST_DATABASE_URL)) =="
	@if $(BIN)/python scripts/db_reachable.py "$(TEST_DATABASE_URL)"; then \
		TEST_DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/python -m pytest -q; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is not reachable at $(TEST_DATABASE_URL) and CI=true: failing."; exit 1; \
	else \
		echo "PostgreSQL is not reachable at $(TEST_DATABASE_URL): skipped (set TEST_DATABASE_URL or start it)."; \
	fi

.PHONY: openapi
openapi: $(VENV)/.dev ## Rewrite docs/openapi.json from the code
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) openapi_snapshot --write

.PHONY: bench
bench: $(VENV)/.dev ## Run every benchmark in bench/ (one JSON line each)
	$(BIN)/python bench/run.py

.PHONY: lock
lock: ## Regenerate the lock files from pyproject.toml (needs the registry)
	rm -rf /tmp/ocop-lock && $(PYTHON) -m venv /tmp/ocop-lock
	/tmp/ocop-lock/bin/pip install --quiet -e . && /tmp/ocop-lock/bin/pip freeze --exclude-editable > requirements.lock
	/tmp/ocop-lock/bin/pip install --quiet -e '.[dev]' && /tmp/ocop-lock/bin/pip freeze --exclude-editable > requirements-dev.lock

.PHONY: clean
clean: ## Remove the virtualenv and local data (var/)
	rm -rf $(VENV) var
