# The two commands of the README: `make demo` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CODE := src synth tests bench
LOCK := requirements.lock

.PHONY: demo test lint typecheck lock bench clean system-packages web-assets screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Every dependency at the version and hashes of requirements.lock, then the two distributions of
# this repository without dependencies: unveil, and the synthetic world (synth/, unveil-synth),
# installed beside the product, never as one of its dependencies (only `unveil demo` and
# `unveil synth` use it). `pip check` fails when pyproject.toml asks for what the lock lacks.
$(STAMP): pyproject.toml synth/pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e . -e ./synth
	$(BIN)/pip check
	touch $(STAMP)

## Re-pin every dependency, with hashes, from pyproject.toml and synth/pyproject.toml (after changing one).
lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe \
	    --strip-extras --no-emit-index-url --no-emit-find-links --extra dev --extra spark \
	    --output-file $(LOCK) pyproject.toml synth/pyproject.toml

## Browser, Java and fonts from Debian's packages (tests drive Chromium; Spark needs Java).
system-packages:
	@bash scripts/system-packages.sh

## htmx and Cytoscape.js from the npm registry into src/unveil/web/static/vendor/ (git-ignored).
web-assets: $(STAMP)
	@PYTHON=$(BIN)/python bash scripts/web-assets.sh

demo: $(STAMP) web-assets
	$(BIN)/unveil demo

## Ruff's rules and its formatting (`ruff format src synth tests bench` fixes the latter).
lint: $(STAMP)
	$(BIN)/ruff check $(CODE)
	$(BIN)/ruff format --check $(CODE)

## mypy, strict, on unveil and unveil_synth (pyproject.toml [tool.mypy]).
typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck system-packages web-assets
	$(BIN)/python -m pytest

## Screenshots of each main page at 1,366 x 768 (synthetic world, Chromium) into docs/screenshots/.
screenshots: $(STAMP) system-packages web-assets
	$(BIN)/python scripts/screenshots.py --out docs/screenshots

bench: $(STAMP)
	$(BIN)/python -m bench

## Everything `make` and a test run leave in the checkout (all git-ignored): the venv and its
## editable installs' metadata, the demo, tool caches, the browser tests' screenshots.
clean:
	rm -rf $(VENV) src/unveil.egg-info synth/unveil_synth.egg-info demo-workspace \
	    .pytest_cache .mypy_cache .ruff_cache .hypothesis test-artifacts
