# Two commands on a fresh machine with python3 and make: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 8000
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test
# both cores (pytest-xdist); a file's tests stay together in one process, in order
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: install demo test lint format bench soak clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

demo: install  ## migrate, apply examples/demo.yaml and serve on 127.0.0.1:$(PORT)
	$(BIN)/clicktrail demo examples/demo.yaml --port $(PORT)

# SQLite always; PostgreSQL too when CLICKTRAIL_TEST_POSTGRES_URL is set or one answers at TEST_POSTGRES_URL.
test: install
	@if [ -z "$$CLICKTRAIL_TEST_POSTGRES_URL" ] && $(BIN)/python -c "import psycopg; psycopg.connect('$(TEST_POSTGRES_URL)', connect_timeout=2).close()" 2>/dev/null; then \
		echo "PostgreSQL answers at $(TEST_POSTGRES_URL): testing on SQLite and PostgreSQL"; \
		CLICKTRAIL_TEST_POSTGRES_URL=$(TEST_POSTGRES_URL) $(BIN)/python -m pytest $(PYTEST_ARGS); \
	else \
		[ -n "$$CLICKTRAIL_TEST_POSTGRES_URL" ] || echo "no PostgreSQL at $(TEST_POSTGRES_URL): SQLite only"; \
		$(BIN)/python -m pytest $(PYTEST_ARGS); \
	fi

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

soak: install  ## SIGKILL a loaded server N times on each engine; SOAK_ARGS="--kills 10 --seconds 8"
	CLICKTRAIL_TEST_POSTGRES_URL=$${CLICKTRAIL_TEST_POSTGRES_URL:-$(TEST_POSTGRES_URL)} $(BIN)/python -m tests.e2e.soak $(SOAK_ARGS)

clean:
	rm -rf $(VENV) clicktrail.db clicktrail.db-wal clicktrail.db-shm
