# The two commands of the README:
#   make run   - venv, install, build + validate, export build/linzi.ttl,
#                draw build/linzi-graph.html, then serve the explorer
#   make test  - venv, install with test extras, lint, type-check, pytest
# (make build does the first part of make run without serving;
#  make bench runs the benchmark and writes docs/benchmarks/.)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= build

.PHONY: run build test lint venv clean bench
PORT ?= 8000

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

venv: $(BIN)/python

run: build
	$(BIN)/linzi-kg serve --port $(PORT)

build: venv
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

bench: venv
	$(BIN)/python -m pip install --quiet '.[bench]'
	$(BIN)/linzi-kg bench --out docs/benchmarks
	$(BIN)/python -m kg.bench.report README.md docs/benchmarks/results.md

clean:
	rm -rf $(OUT) dist *.egg-info
