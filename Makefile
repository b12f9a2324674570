# Quickstart: `make run` serves on the embedded SQLite default; `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed

.PHONY: install run test migrate demo scheduler bench

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/flask --app diary db upgrade

run: migrate
	$(BIN)/flask --app diary run

test: install
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

scheduler: migrate
	$(BIN)/flask --app diary scheduler
