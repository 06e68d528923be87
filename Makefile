# The two commands (README): `make run` serves the app; `make test` runs the whole test suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEPS := $(VENV)/.deps-installed

# The test suite runs against real services; override any of these from the environment.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mlaexam
TEST_BROKER_URL ?= redis://127.0.0.1:6379/0

# The browser app (frontend/): Node.js 20.19+ with npm builds it.
NPM := cd frontend && npm
NODE_DEPS := frontend/node_modules/.installed
APP_BUILD := frontend/dist/index.html
APP_SOURCES := $(shell find frontend/src -type f 2>/dev/null) frontend/index.html frontend/vite.config.ts frontend/tsconfig.json

.PHONY: run test lint format deps clean frontend api-types bench-deps

$(DEPS): requirements/dev.txt requirements/base.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	@touch $@

deps: $(DEPS)

$(NODE_DEPS): frontend/package-lock.json
	@command -v npm >/dev/null || { echo "mlaexam: Node.js 20.19+ and npm are needed to build the browser app (apt-get install nodejs npm)"; exit 1; }
	$(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $@

$(APP_BUILD): $(NODE_DEPS) $(APP_SOURCES)
	$(NPM) run build

## The benchmark tools (locust, pyinstrument) on top of the test tools; see bench/README.md
bench-deps: $(DEPS)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/bench.txt

## Build the browser app into frontend/dist (Django serves it)
frontend: $(APP_BUILD)

## Regenerate the OpenAPI schema and the frontend's API types after an API change
api-types: $(DEPS) $(NODE_DEPS)
	$(BIN)/python manage.py spectacular --file frontend/openapi.yaml
	$(NPM) run gen:api

## Run the app on the embedded defaults (SQLite, in-process tasks) at http://127.0.0.1:8000
run: $(DEPS) $(APP_BUILD)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py loadbank
	$(BIN)/python manage.py seeddemo
	$(BIN)/python manage.py seedcohort
	@echo "mlaexam: serving http://127.0.0.1:8000 (admin at /admin/, API docs at /api/docs/)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## Run the whole test suite: lint, the frontend's type check and unit tests (Vitest), then pytest
## against PostgreSQL, Redis and a real Celery worker, with the end-to-end tests in headless Chromium
test: $(DEPS) $(APP_BUILD)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(NPM) run typecheck
	$(NPM) test
	DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) $(BIN)/pytest $(PYTEST_ARGS)

lint: $(DEPS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEPS)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache frontend/node_modules frontend/dist
