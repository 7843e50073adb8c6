# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# `make run` serves the web view (venue screen) on this port and prints its links; a WEB_PORT in
# the environment or .env wins, and `make run WEB_PORT=` turns it off.
WEB_PORT ?= $(or $(shell sed -n 's/^WEB_PORT=//p' .env 2>/dev/null),8787)
PACKAGES := bot commands extraction deconfliction storage prompts bench web

.PHONY: run test lint typecheck pytest install bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,llm]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@mkdir -p data
	WEB_PORT=$(WEB_PORT) $(BIN)/hub run

lint: $(STAMP)
	$(BIN)/ruff check $(PACKAGES) tests
	$(BIN)/ruff format --check $(PACKAGES) tests

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,llm,bench]'
	$(BIN)/hub bench

clean:
	rm -rf $(VENV) data/*.db data/*.db-wal data/*.db-shm
