# Two commands matter: `make run` and `make test`. Each builds .venv on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test quick lint typecheck pytest bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found (Python 3.11+ is required; set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/nps-bot run

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check bot adapters storage tests $(wildcard bench)
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy bot storage adapters bench

# Tests run in parallel, one worker per core (pytest-xdist); each test module stays on one
# worker, so module-scoped fixtures are built once.
pytest: $(STAMP)
	$(BIN)/pytest -n auto --dist loadfile

# Everything but the end-to-end process tests (marked slow): for the edit-test loop.
quick: $(STAMP)
	$(BIN)/pytest -n auto --dist loadfile -m "not slow"

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
