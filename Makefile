# provnews: `make demo` runs the pipeline on the local replica, `make test` runs every test (as CI) and
# `make check` the quick ones (lint, types and the tests not marked slow: under a minute).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8377
# empty: the replica follows the machine's clock (today in Vietnam); TODAY=YYYY-MM-DD fixes it
TODAY ?=

# The end-to-end tests that meet the clock (Airflow's scheduler, the replica following the clock, daily crawls),
# again under a clock shifted this far ahead (libfaketime, Debian's `faketime`): no test may depend on the date.
CLOCK_SHIFT ?= +400d
CLOCK_TESTS := tests/test_airflow_standalone.py tests/test_airflow_dag_test.py tests/test_crawl_daily.py

.PHONY: venv demo test check test-clock lint bench faults airflow ui-check clean

venv: $(VENV)/.installed

# the pipeline (provnews) and its tools (tools/: provnews-tools, the replica, demo and launcher), both editable
$(VENV)/.installed: pyproject.toml tools/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]' -e ./tools
	# Spark's S3A client (hadoop-aws and the AWS SDK jars) for tests/test_spark_read.py, from PyPI: its wheel's own
	# requirements pin pyspark 3.3, so it comes without them (warehouse.s3.s3a_jars finds the jars)
	$(BIN)/pip install --quiet --no-deps 'sagemaker-pyspark==1.4.5'
	touch $@

demo: venv
	$(BIN)/python -m provnews_tools.demo --port $(PORT) $(if $(TODAY),--today $(TODAY))

lint: venv
	$(BIN)/ruff check .
	$(BIN)/mypy provnews tools/provnews_tools tools/replica sources crawler transforms warehouse dags

test: venv lint
	$(BIN)/pytest -q --durations=10

check: venv lint
	$(BIN)/pytest -q -m "not slow"

test-clock: venv
	@command -v faketime >/dev/null || { echo "test-clock needs faketime: apt-get install faketime"; exit 2; }
	faketime -f '$(CLOCK_SHIFT)' date
	faketime -f '$(CLOCK_SHIFT)' $(BIN)/pytest -q $(CLOCK_TESTS)

bench: venv
	$(BIN)/python -m bench --help

# the daily pipeline over a faulty replica for six days: 0 lost, 0 duplicated, 0 wrong dates (bench/faults_bench.py)
faults: venv
	$(BIN)/python -m bench faults

bench-%: venv
	$(BIN)/python -m bench $*

airflow: venv
	$(BIN)/python -m provnews_tools.airflow_standalone --port $(PORT) $(if $(TODAY),--today $(TODAY))

# `make airflow` in headless Chromium (Debian's `chromium`): log in, trigger provnews_daily, read the run note;
# screenshots in build/ui-check/
ui-check: venv
	$(BIN)/pytest -q -s tests/test_airflow_ui.py

clean:
	rm -rf data/ build/ .pytest_cache .mypy_cache .ruff_cache
