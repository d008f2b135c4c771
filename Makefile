# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# what ruff checks and formats (mypy's files are in pyproject.toml)
PY_PATHS := src tests bench .ci

.PHONY: demo chromium virtuoso test test-virtuoso test-fast fuzz lint typecheck docs docs-check check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# reinstalled when the metadata changes: pyproject.toml, or the version in citykg/__init__.py
$(STAMP): $(BIN)/python pyproject.toml src/citykg/__init__.py
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# builds the default store (.citykg/store, or $CITYKG_STORE), which the README's next commands read
demo: $(STAMP)
	$(BIN)/citykg build data/
	@echo
	@echo "Which cities partner with hospitals on data?"
	$(BIN)/citykg query cities-with-data-partner -p partner=hospitals

# the browser tests (tests/test_browser_*.py) need Debian's Chromium: installed when missing (as root)
chromium:
	bash .ci/ensure-chromium

test: $(STAMP) chromium
	$(BIN)/python -m pytest

# Virtuoso Open Source 7 (Debian's virtuoso-opensource), for make test-virtuoso: installed when
# missing (as root)
virtuoso:
	bash .ci/ensure-virtuoso

# the tests marked virtuoso (pyproject.toml leaves them out of make test): a private Virtuoso on
# free loopback ports, its database under a temporary folder
test-virtuoso: $(STAMP) virtuoso
	$(BIN)/python -m pytest -m virtuoso

# the tests not marked slow (pytest -m slow runs those alone)
test-fast: $(STAMP) chromium
	$(BIN)/python -m pytest -m "not slow and not virtuoso"

# the fuzz targets of tests/test_fuzz_readers.py with many examples (about a minute, bounded)
fuzz: $(STAMP)
	CITYKG_FUZZ_EXAMPLES=4000 $(BIN)/python -m pytest -p no:cacheprovider tests/test_fuzz_readers.py

lint: $(STAMP)
	$(BIN)/ruff check $(PY_PATHS)
	$(BIN)/ruff format --check $(PY_PATHS)
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python .ci/import_cycles.py

typecheck: $(STAMP)
	$(BIN)/mypy

docs: $(STAMP)
	$(BIN)/python -m citykg.queries.reference

# fails when a generated document (docs/queries.md, ...) differs from what `make docs` writes
docs-check: $(STAMP)
	$(BIN)/python -m citykg.queries.reference --check

# what CI runs
check: lint docs-check test test-virtuoso

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .citykg build src/*.egg-info
