# sofs-notebooks — the two front-door commands are `make dashboards` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SYNTH := data/synthetic/MANIFEST.json
VOILA_PORT ?= 8866
VOILA_IP ?= 127.0.0.1
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))

.PHONY: help install data dashboards test test-fast lint notebooks report bench calibrate clean

help:
	@echo "make dashboards   build what is missing and serve the dashboards on http://localhost:$(VOILA_PORT)"
	@echo "make test         run every test (lint, unit, property, back-tests, nbval, browser)"
	@echo "make notebooks    re-execute the notebooks in place (after sofs_lib/ or data/ changes)"
	@echo "make report       render each dashboard for 'Alle organisaties' to standalone HTML in reports/"
	@echo "make data         regenerate the synthetic raw exports in data/synthetic/"
	@echo "make calibrate    print the calibration table: report vs synthetic"
	@echo "make bench        run the benchmarks (ratios against a baseline measured in the same run)"

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

$(SYNTH): | $(STAMP)
	$(VENV)/bin/sofs synth --out data/synthetic

data: $(STAMP)
	$(VENV)/bin/sofs synth --out data/synthetic

dashboards: $(STAMP) $(SYNTH)
	$(PY) -m sofs_lib release --if-stale
	$(PY) -m sofs_lib.serve --port $(VOILA_PORT) --ip $(VOILA_IP)

lint: $(STAMP)
	$(PY) -m ruff check .

test: $(STAMP) $(SYNTH) lint
	$(PY) -m pytest --nbval --nbval-sanitize-with notebooks/nbval_sanitize.cfg tests $(NOTEBOOKS)

test-fast: $(STAMP) $(SYNTH)
	$(PY) -m pytest -m "not browser and not slow" tests

notebooks: $(STAMP) $(SYNTH)
	$(PY) -m sofs_lib.notebook_run $(NOTEBOOKS)

report: $(STAMP) $(SYNTH)
	$(PY) -m sofs_lib.report --out reports

calibrate: $(STAMP) $(SYNTH)
	$(VENV)/bin/sofs calibrate

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf reports .pytest_cache .ruff_cache
