# Ordercraft: `make run` to use it, `make test` to test it.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: install run test test-dates lint format bench diagram clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --editable ".[dev]"
	touch $@

install: $(VENV)/.installed

## run: install, migrate, load demo data, start web + worker + beat (Ctrl-C stops all)
run: install
	mkdir -p var/mail
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --size small
	$(MANAGE) runstack

## test: lint, then the whole suite on PostgreSQL and Redis (see .ci/run)
test: install lint
	$(BIN)/pytest --create-db

## test-dates: the suite with every process's clock a year ahead, then a year back (libfaketime)
test-dates: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ordercraft}_ahead \
		faketime -f "+365d" $(BIN)/pytest --create-db
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ordercraft}_back \
		faketime -f "-365d" $(BIN)/pytest --create-db

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## bench: the planning engine at 1k, 2k, 5k and 10k demands (writes var/bench/engine.json),
## then the dashboard's server time on the 100,000-order data set (var/bench/dashboard.json)
bench: install
	$(BIN)/python -m bench.engine_bench
	$(BIN)/python -m bench.dashboard_bench

## diagram: rewrite the state-machine diagram in README.md from the code
diagram: install
	$(MANAGE) state_diagram --write README.md

clean:
	rm -rf var/broker var/mail var/celerybeat-schedule*
