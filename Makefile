# Suara — two commands: `make run` and `make test`. Needs only Python >= 3.11 and make.
# The first interpreter on PATH that really runs and is 3.11 or newer.
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint install install-test clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Suara needs Python 3.11 or newer on PATH"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## run: migrate, seed the demo regency if the database is empty, serve web + worker
run: install
	$(BIN)/suara db migrate
	$(BIN)/suara demo --if-empty
	$(BIN)/suara reports public-backfill
	@echo "Demo log-ins: admin/demo-admin-2026, operator/demo-operator-2026,"
	@echo "              organizer/demo-organizer-2026, inspector/demo-inspector-2026,"
	@echo "              operator-dlh/demo-operator-dlh-2026 (Dinas Lingkungan Hidup, no SKM this year)"
	$(BIN)/suara run --host $(HOST) --port $(PORT)

## test: the whole suite on SQLite, then the database tests again on PostgreSQL
# Two processes, one test file each at a time; every process has its own database and data dir.
PYTEST := $(BIN)/python -m pytest -n 2 --dist loadfile
test: install-test
	$(PYTEST) --db=sqlite
	$(PYTEST) --db=postgres -m db

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) var
