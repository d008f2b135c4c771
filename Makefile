# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck bench docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# builds the default store (.citykg/store, or $CITYKG_STORE), the one the README's commands use
demo: $(STAMP)
	$(BIN)/citykg build data/
	@echo
	@echo "Which cities partner with hospitals on data?"
	$(BIN)/citykg query cities-with-data-partner -p partner=hospitals

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

docs: $(STAMP)
	$(BIN)/python -m citykg.queries.reference

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .citykg build src/*.egg-info
