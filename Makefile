# OpenIMI: `make run` serves the app with demo data, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
STAMP := $(VENV)/.installed

.PHONY: help run mt-stop test lint translations static catalogs system-deps bench bench-search bench-pdf bench-calls bench-load clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "OpenIMI needs Python 3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,icu]' || { echo "PyICU did not build (no ICU headers): lists use a plain order"; $(BIN)/pip install -q -e '.[dev]'; }
	touch $(STAMP)

system-deps: ## Install the system libraries WeasyPrint needs (as root), or name them
	@sh scripts/system-deps.sh

translations: $(STAMP) ## Compile the interface catalogs (one per language)
	@$(BIN)/pybabel -q compile -d translations -D messages

static: $(STAMP) ## Pre-compress app/static (.br and .gz next to each file, for the app and nginx)
	@$(BIN)/python -c 'from app.compression import main; main()'

catalogs: $(STAMP) ## Re-extract strings and add new ones to every catalog
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2 --sort-by-file --project OpenIMI -o translations/messages.pot --no-wrap .
	$(BIN)/pybabel -q update -i translations/messages.pot -d translations -D messages --no-fuzzy-matching --no-wrap

run: system-deps $(STAMP) translations static ## Serve http://127.0.0.1:$(PORT) with demo data (SQLite, jobs in-process, Apertium machine translation)
	OPENIMI_ENV=development $(BIN)/flask --app wsgi db-upgrade
	OPENIMI_ENV=development $(BIN)/flask --app wsgi seed-demo
	@echo "Demo accounts: OPENIMI_ENV=development $(BIN)/flask --app wsgi demo-accounts"
	@mt="$$(sh scripts/mt-engine.sh start)" && echo "$$mt" && \
	  env $$mt OPENIMI_ENV=development PORT=$(PORT) $(BIN)/flask --app wsgi run --port $(PORT)

mt-stop: ## Stop the Apertium server `make run` started (it outlives the app, for a quick restart)
	@sh scripts/mt-engine.sh stop

test: $(STAMP) translations static ## Run the whole test suite
	OPENIMI_ENV=development $(BIN)/flask --app wsgi translations check
	OPENIMI_ENV=development $(BIN)/flask --app wsgi procedures check
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP) ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP) translations static ## Print page weights against the budgets
	$(BIN)/python bench/pages.py

bench-search: $(STAMP) translations ## Directory search p50/p95 at 50,000 authorities, cross-language top-3 share
	$(BIN)/python bench/search.py

bench-pdf: $(STAMP) translations ## PDF render time and peak RSS for cases of 5, 50 and 200 events
	$(BIN)/python bench/pdf.py

bench-calls: $(STAMP) translations static ## Python calls, SQL statements (and with --callgrind instructions) per page of the officer mix
	$(BIN)/python bench/calls.py

bench-load: $(STAMP) translations static ## Officers under Locust against gunicorn on PostgreSQL with 1M requests (about 10 min)
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python bench/load.py

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) instance
