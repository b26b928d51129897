# The two commands of the README:
#   make run   - venv, install, build + validate, export build/linzi.ttl
#   make test  - venv, install with test extras, lint, type-check, pytest
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= build

.PHONY: run test lint venv clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

venv: $(BIN)/python

run: venv
	$(BIN)/python -m pip install --quiet .
	mkdir -p $(OUT)
	$(BIN)/linzi-kg build
	$(BIN)/linzi-kg export --format turtle --output $(OUT)/linzi.ttl
	$(BIN)/linzi-kg viz --output $(OUT)/linzi-graph.html

lint: venv
	$(BIN)/ruff check kg tests visualize
	$(BIN)/ruff format --check kg tests visualize
	$(BIN)/mypy

test: venv
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(MAKE) lint
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(OUT) dist *.egg-info
