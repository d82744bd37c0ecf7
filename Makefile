# sofs-notebooks — the two front-door commands are `make dashboards` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Every dependency (runtime + dev) is pinned with hashes in uv.lock; uv installs exactly that.
# uv itself: the one on PATH, else the version pinned (with hashes) in requirements-uv.txt,
# installed from PyPI on first use into a per-user folder named for that version (shared by
# every clone, like the package cache).
UV_VERSION := $(shell sed -n 's/^uv==\([^ ]*\).*/\1/p' requirements-uv.txt)
TOOLS := $(or $(XDG_CACHE_HOME),$(if $(HOME),$(HOME)/.cache,.tools))/sofs-notebooks/uv-$(UV_VERSION)
UV ?= $(or $(shell command -v uv 2>/dev/null),$(TOOLS)/bin/uv)
export UV
# The machine's own Python, never one downloaded by uv.
export UV_PYTHON_DOWNLOADS := never
SYNC := $(UV) sync --locked --extra dev --python "$(PYTHON)"
EXPORT := $(UV) export --frozen --all-extras --no-emit-project --no-header --no-annotate
UPGRADE_DIR := build/upgrade
SYNTH := data/synthetic/MANIFEST.json
VOILA_PORT ?= 8866
VOILA_IP ?= 127.0.0.1
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))

.PHONY: help install lock upgrade environment.yml hooks data dashboards test test-fast lint notebooks report bench calibrate clean

help:
	@echo "make dashboards   build what is missing and serve the dashboards on http://localhost:$(VOILA_PORT)"
	@echo "make test         run every test (lint, unit, property, back-tests, nbval, browser)"
	@echo "make notebooks    re-execute the notebooks in place (after sofs_lib/ or data/ changes)"
	@echo "make report       render each dashboard for 'Alle organisaties' to standalone HTML in reports/"
	@echo "make data         regenerate the synthetic raw exports in data/synthetic/"
	@echo "make calibrate    print the calibration table: report vs synthetic"
	@echo "make bench        run the benchmarks (ratios against a baseline measured in the same run)"
	@echo "make lock         re-lock after editing dependencies in pyproject.toml (keeps every other pin)"
	@echo "make upgrade      move every pin to the newest release, reinstall, re-execute the notebooks"
	@echo "make hooks        install the pre-commit checks (.pre-commit-config.yaml) in this clone"

# Installed next to its final place and moved there in one step, so clones set up at the
# same time never see half of it.
$(TOOLS)/bin/uv:
	mkdir -p "$(dir $(TOOLS))"
	tmp=$$(mktemp -d "$(TOOLS).XXXXXX"); \
	if $(PYTHON) -m pip --version >/dev/null 2>&1; then pip=($(PYTHON) -m pip); \
	else $(PYTHON) -m venv "$$tmp/pip" && pip=("$$tmp/pip/bin/python" -m pip); fi; \
	"$${pip[@]}" install --quiet --disable-pip-version-check --root-user-action=ignore \
	  --require-hashes --no-deps --target "$$tmp/uv" -r requirements-uv.txt \
	  || { rm -rf "$$tmp"; exit 1; }; \
	[ -x "$@" ] || mv "$$tmp/uv" "$(TOOLS)"; rm -rf "$$tmp"

# uv sync: creates .venv, installs exactly the locked set (the project itself editable) and
# refuses to run when pyproject.toml and uv.lock disagree (then: make lock).
$(STAMP): pyproject.toml uv.lock | $(UV)
	$(SYNC) || { echo "make: if uv says the lockfile needs to be updated, run 'make lock'" >&2; exit 1; }
	touch $(STAMP)

install: $(STAMP)

# After editing the dependencies in pyproject.toml: re-resolve what changed, keep every other
# pin, and regenerate environment.yml from the lock. Then `make install` installs it.
lock: | $(UV)
	$(UV) lock
	$(MAKE) --no-print-directory environment.yml

hooks: $(STAMP)
	$(VENV)/bin/pre-commit install

environment.yml: | $(UV)
	{ sed -n '1,/^  - pip:$$/p' $@; $(EXPORT) --no-hashes | sed 's/^/      - /'; echo '      - -e .'; } > $@.tmp
	mv $@.tmp $@

# The README's upgrade routine, step 1: new pins, reinstall, and what they changed.
upgrade: $(STAMP)
	mkdir -p $(UPGRADE_DIR)
	-$(VENV)/bin/sofs calibrate > $(UPGRADE_DIR)/calibration-before.txt
	$(UV) lock --upgrade
	echo uv | $(UV) pip compile - --quiet --upgrade --universal --generate-hashes \
	  --python-version 3.11 --custom-compile-command "make lock" -o requirements-uv.txt
	$(MAKE) --no-print-directory environment.yml
	$(SYNC)
	touch $(STAMP)
	-$(PY) -m pytest -q --nbval --nbval-sanitize-with notebooks/nbval_sanitize.cfg \
	  $(NOTEBOOKS) > $(UPGRADE_DIR)/nbval.txt 2>&1
	-$(VENV)/bin/sofs calibrate > $(UPGRADE_DIR)/calibration-after.txt
	-diff -u $(UPGRADE_DIR)/calibration-before.txt $(UPGRADE_DIR)/calibration-after.txt \
	  > $(UPGRADE_DIR)/calibration.diff
	$(PY) -m sofs_lib.notebook_run $(NOTEBOOKS)
	@echo
	@echo "Pins that moved:            git diff uv.lock requirements-uv.txt"
	@echo "Stored outputs that moved:  $(UPGRADE_DIR)/nbval.txt (nbval on the old outputs)"
	@echo "Calibration that moved:     $(UPGRADE_DIR)/calibration.diff"
	@echo "Then: make test, read git diff notebooks/, commit (README: Upgrading dependencies)."

$(SYNTH): | $(STAMP)
	$(VENV)/bin/sofs synth --out data/synthetic

data: $(STAMP)
	$(VENV)/bin/sofs synth --out data/synthetic

dashboards: $(STAMP) $(SYNTH)
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
	rm -rf reports .pytest_cache .ruff_cache $(UPGRADE_DIR)
