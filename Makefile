# Every command in the README is a target here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

# Settings come from the environment (see .env.example); none is needed for `make run` and `make test`.

.PHONY: run test install worker beat lint format check messages bench-estimator bench-usage bench-otlp

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable ".[dev]"
	touch $@

install: $(BIN)/.installed

## make run: install, migrate, compile translations, load the demo data, serve http://127.0.0.1:8000
run: export DJANGO_DEBUG ?= 1
run: install
	$(MANAGE) migrate --noinput
	@if command -v msgfmt >/dev/null; then $(MANAGE) compilemessages --ignore=.venv -v0; \
	else echo "GNU gettext not installed: using the committed French catalogue"; fi
	$(MANAGE) load_demo
	$(MANAGE) runserver 127.0.0.1:8000

## make test: install and run the whole suite (SQLite by default; PostgreSQL/Redis from DATABASE_URL/CELERY_BROKER_URL)
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

worker: install
	$(BIN)/celery -A portal worker --loglevel=INFO

beat: install
	$(BIN)/celery -A portal beat --loglevel=INFO

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: export DJANGO_DEBUG ?= 1
check: lint
	$(MANAGE) makemigrations --check --dry-run
	$(MAKE) test

## make messages: refresh the French catalogue after changing strings (needs GNU gettext)
messages: export DJANGO_DEBUG ?= 1
messages: install
	$(MANAGE) makemessages -l fr --ignore=.venv --ignore=tests --ignore=bench --no-obsolete
	$(MANAGE) compilemessages --ignore=.venv

## make bench-estimator: core estimates per second, and the estimate API against a bare Django view
bench-estimator: install
	$(BIN)/python -m bench.estimator_bench

## make bench-usage: 1M usage records on PostgreSQL (DATABASE_URL): import vs psql \copy, dashboard at 10k vs 1M
bench-usage: install
	$(BIN)/python -m bench.usage_bench
	$(BIN)/python -m bench.connectors_bench

## make bench-otlp BASELINE=<commit>: the OTLP receiver against a baseline commit, interleaved (PostgreSQL)
bench-otlp: install
	$(BIN)/python -m bench.otlp_compare $(BASELINE)
