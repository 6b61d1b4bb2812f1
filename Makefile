# Two commands are the contract: `make reports` and `make test`. Both set up .venv themselves.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUN_FILE ?= notebooks/reports.yml
RUNNER_ARGS ?=
# One BLAS thread unless the caller sets otherwise: the estimators make thousands of small
# least-squares fits, which a multi-threaded BLAS slows down, over ten times on a busy machine
# (benchmarks/validate_placebo_timing.py); the notebook kernels inherit these.
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1

.PHONY: reports test lab lint format bench clean help

help:
	@echo "make reports  - set up .venv and render every notebook into reports/ (index.html)"
	@echo "make test     - set up .venv with test tools and run the test suite"
	@echo "make lab      - open JupyterLab on the project's kernel"
	@echo "make lint     - ruff lint and format check"
	@echo "make bench    - run the benchmark scripts (slow; prints ratios)"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (found " + sys.version.split()[0] + "); set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamp files make reinstalling idempotent: pip runs again only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	$(PY) -m ipykernel install --sys-prefix --name ceasefire-analysis --display-name "Python (ceasefire-analysis)" >/dev/null
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test,dask]'
	@touch $@

reports: $(VENV)/.installed
	$(PY) -m analysis.runner run $(RUN_FILE) $(RUNNER_ARGS)

test: $(VENV)/.installed-test
	$(PY) -m pytest

lab: $(VENV)/.installed
	$(PY) -m jupyter lab notebooks/

lint: $(VENV)/.installed-test
	$(PY) -m ruff check analysis tests benchmarks notebooks
	$(PY) -m ruff format --check analysis tests benchmarks notebooks

format: $(VENV)/.installed-test
	$(PY) -m ruff check --fix analysis tests benchmarks notebooks
	$(PY) -m ruff format analysis tests benchmarks notebooks

bench: $(VENV)/.installed-test
	$(PY) benchmarks/validate_estimators.py
	$(PY) benchmarks/bench_batch.py
	$(PY) benchmarks/bench_load.py
	$(PY) benchmarks/bench_suite.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache
