# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test lint bench bench-smoke dvc-repro clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,dvc]'
	touch $@ $(STAMP_RUN)

## make run: install (once) and run every offline stage on the bundled snapshot into outputs/
run: $(STAMP_RUN)
	$(BIN)/hankedata run

## make test: install with test extras (once) and run the whole suite, lint included
test: $(STAMP_TEST)
	$(BIN)/ruff check pipeline tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n 2 -q

lint: $(STAMP_TEST)
	$(BIN)/ruff check pipeline tests benchmarks
	$(BIN)/lint-imports

## make bench: the scale benchmark (see README, Performance)
bench: $(STAMP_TEST)
	$(BIN)/hankedata-bench --cards 10000 100000 --repeat 3

dvc-repro: $(STAMP_TEST)
	$(BIN)/dvc repro

clean:
	rm -rf build outputs .pytest_cache
