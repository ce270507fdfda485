# Two commands on a fresh machine with python3 and make: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 8000
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install demo test lint format bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

demo: install  ## migrate, apply examples/demo.yaml and serve on 127.0.0.1:$(PORT)
	$(BIN)/clicktrail demo examples/demo.yaml --port $(PORT)

test: install  ## SQLite always; PostgreSQL too when CLICKTRAIL_TEST_POSTGRES_URL is set
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install  ## wrk against a real server on loopback, SQLite and PostgreSQL; BENCH_ARGS="--seconds 5"
	command -v wrk || (apt-get update && apt-get install -y wrk)
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) clicktrail.db clicktrail.db-wal clicktrail.db-shm
