# The two commands of the README: `make demo` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CODE := src synth tests bench

.PHONY: demo test lint typecheck bench clean system-packages web-assets

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The synthetic world (synth/, distribution unveil-synth) is installed beside the product, never
# as one of its dependencies: only `unveil demo` and `unveil synth` use it.
$(STAMP): pyproject.toml synth/pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	$(BIN)/pip install --quiet -e ./synth
	touch $(STAMP)

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

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) demo-workspace .pytest_cache .mypy_cache .ruff_cache
