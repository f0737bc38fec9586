# The two commands of the README: `make demo` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

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

test: $(STAMP) system-packages web-assets
	$(BIN)/ruff check src synth tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) demo-workspace .pytest_cache .mypy_cache .ruff_cache
