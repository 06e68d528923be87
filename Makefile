# The two commands (README): `make run` serves the app; `make test` runs the whole test suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEPS := $(VENV)/.deps-installed

# The test suite runs against real services; override any of these from the environment.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mlaexam
TEST_BROKER_URL ?= redis://127.0.0.1:6379/0

.PHONY: run test lint format deps clean

$(DEPS): requirements/dev.txt requirements/base.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	@touch $@

deps: $(DEPS)

## Run the app on the embedded defaults (SQLite, in-process tasks) at http://127.0.0.1:8000
run: $(DEPS)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py loadbank
	$(BIN)/python manage.py seeddemo
	@echo "mlaexam: serving http://127.0.0.1:8000 (admin at /admin/, API docs at /api/docs/)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## Run the whole test suite against PostgreSQL, Redis and a real Celery worker
test: $(DEPS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) $(BIN)/pytest $(PYTEST_ARGS)

lint: $(DEPS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEPS)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
