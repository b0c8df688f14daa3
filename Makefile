# provnews: `make demo` runs the pipeline on the local replica, `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8377
TODAY ?= 2026-11-21

.PHONY: venv demo test lint bench airflow ui-check clean

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: venv
	$(BIN)/python -m provnews.demo --port $(PORT) --today $(TODAY)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/mypy provnews replica crawler transforms warehouse dags

test: venv lint
	$(BIN)/pytest -q --durations=10

bench: venv
	$(BIN)/python -m bench --help

bench-%: venv
	$(BIN)/python -m bench $*

airflow: venv
	$(BIN)/python -m provnews.airflow_standalone --port $(PORT) --today $(TODAY)

# `make airflow` in headless Chromium (Debian's `chromium`): log in, trigger provnews_daily, read the run note;
# screenshots in build/ui-check/
ui-check: venv
	$(BIN)/pytest -q -s tests/test_airflow_ui.py

clean:
	rm -rf data/ build/ .pytest_cache .mypy_cache .ruff_cache
