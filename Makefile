# Birlik: one-command start and the developer/CI tasks. GNU make; needs only Python 3.11.
#   make demo             virtualenv + install + `birlik demo` (PORT=8000 by default)
#   make test             test dependencies + system packages + the whole test suite
#   make lint             ruff check, ruff format --check, mypy, lint-imports, migrations
#   make messages         extract UI strings into src/birlik/locale/{kk,ru,en}
#   make compilemessages  .po -> .mo (the .mo files are committed)
#   make screenshots      docs/screenshots/*.png from a throw-away demo server
#   make lighthouse       Lighthouse scores of 7 pages on a throw-away demo server (needs npm)
#   make bench            the benchmarks in bench/
#   make bench-scale      ten times the national year, every page cold and warm, the drill
#   make clean            remove the virtualenv and caches

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

VENV := .venv
BIN := $(VENV)/bin
LOCALES := kk ru en
LOCALE_DIR := src/birlik/locale
# Runtime and test installs are remembered separately; editing pyproject.toml reinstalls.
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

# The first Python 3.11 on PATH: python3.11, else python3 if that is 3.11.
PYTHON ?= $(shell for p in python3.11 python3; do \
	if command -v $$p >/dev/null 2>&1 && \
	   $$p -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then \
	   command -v $$p; break; fi; done)

.PHONY: help demo test pytest system lint format messages compilemessages screenshots \
	lighthouse bench bench-scale clean install install-test check-migrations

help:
	@sed -n '2,11s/^# \{0,1\}//p' Makefile

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "Birlik needs Python 3.11 (python3.11 or python3 on PATH); none was found." >&2; \
		echo "Install Python 3.11 (e.g. apt-get install python3.11 python3.11-venv)," >&2; \
		echo "or point make at it: make demo PYTHON=/path/to/python3.11" >&2; \
		exit 1; fi
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || { \
		echo "$(PYTHON) is not a working Python 3.11." >&2; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
		echo "$(PYTHON) cannot create virtual environments (no ensurepip)." >&2; \
		echo "On Debian/Ubuntu: apt-get install python3.11-venv (or python3-venv)." >&2; \
		exit 1; }
	@echo "Creating $(VENV) with $(PYTHON)…"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	@echo "Installing Birlik into $(VENV)…"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	@echo "Installing Birlik with its test and development tools into $(VENV)…"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test,dev]"
	@touch $@ $(STAMP_RUN)

install: $(STAMP_RUN)
install-test: $(STAMP_TEST)

demo: $(STAMP_RUN)
	$(BIN)/birlik demo

# Debian's chromium (browser tests) and gettext (catalogues); installs them as root.
system:
	@scripts/setup-system

# Test processes (pytest-xdist): one per core of a 2-core machine by default.
TEST_WORKERS ?= 2

# pytest exits 5 when it collected no test: that is a failure here as it is in CI.
# Locally the catalogues are compiled first; in CI (CI=true) the committed .mo files are
# tested as they are, so a .po change committed without its .mo fails the run.
test: $(STAMP_TEST) system
ifneq ($(CI),true)
	@if command -v msgfmt >/dev/null; then $(MAKE) --no-print-directory compilemessages; \
	else echo "msgfmt is missing: testing the committed .mo files as they are."; fi
endif
	$(BIN)/pytest -n $(TEST_WORKERS)

# The suite without the install steps, e.g. `make pytest ARGS="tests/registry -x"`.
pytest: $(STAMP_TEST)
	$(BIN)/pytest $(ARGS)

# All three run even when one fails, so one run shows every problem.
lint: $(STAMP_TEST)
	@failed=""; \
	echo "$(BIN)/ruff check ."; $(BIN)/ruff check . || failed="$$failed ruff-check"; \
	echo "$(BIN)/ruff format --check ."; $(BIN)/ruff format --check . || failed="$$failed ruff-format"; \
	echo "$(BIN)/mypy"; $(BIN)/mypy || failed="$$failed mypy"; \
	echo "$(BIN)/lint-imports"; $(BIN)/lint-imports || failed="$$failed lint-imports"; \
	echo "scripts/check_migrations.py"; $(BIN)/python scripts/check_migrations.py \
		|| failed="$$failed migrations"; \
	if [ -n "$$failed" ]; then echo "lint failed:$$failed" >&2; exit 1; fi

# New migrations against the zero-downtime rules (README "Zero-downtime migrations"; `make lint`
# runs it too). Once a release is deployed: `make check-migrations ARGS=--accept`.
check-migrations: $(STAMP_TEST)
	$(BIN)/python scripts/check_migrations.py $(ARGS)

format: $(STAMP_TEST)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Run from src/birlik so only the project's sources are read (no .venv, no tests); the
# project's copy of Django's user-facing messages lives in birlik/core/django_strings.py.
messages: $(STAMP_RUN)
	cd src/birlik && ../../$(BIN)/birlik makemessages $(addprefix -l ,$(LOCALES)) \
		--no-location --no-obsolete --ignore=migrations --ignore=static --ignore=locale \
		--ignore='__pycache__'

compilemessages: $(STAMP_RUN)
	@command -v msgfmt >/dev/null || { \
		echo "msgfmt is missing: run scripts/setup-system (installs gettext)." >&2; exit 1; }
	cd src/birlik && ../../$(BIN)/birlik compilemessages $(addprefix -l ,$(LOCALES)) \
		--ignore=static --ignore='__pycache__'

screenshots: $(STAMP_TEST) system
	scripts/screenshots.sh

# Installs lighthouse@12.2.3 from the npm registry into .cache/lighthouse/ (ignored by git);
# the JSON reports go to .cache/lighthouse/reports, e.g. `make lighthouse ARGS="--runs 5"`.
lighthouse: $(STAMP_RUN) system
	scripts/lighthouse.sh $(ARGS)

# Runs `python -m bench` when bench/ has a __main__.py, else each bench/*.py with defaults
# (one alone: .venv/bin/python bench/NAME.py --help), except the long runs that have their own
# target or need the peer: scale*.py (make bench-scale), drill.py, inbox_peer.py.
bench: $(STAMP_TEST)
	@if [ -f bench/__main__.py ]; then $(BIN)/python -m bench $(ARGS); exit 0; fi; \
	found=0; for f in bench/[!_]*.py; do \
		[ -e "$$f" ] || continue; \
		case "$$f" in bench/scale*.py|bench/drill.py|bench/inbox_peer.py) continue;; esac; found=1; echo "== $$f"; $(BIN)/python "$$f"; done; \
	if [ $$found = 0 ]; then echo "No benchmarks found in bench/." >&2; exit 1; fi

# The 10× national data set on PostgreSQL, every page cold and warm with its queries against
# /health/, then the fault drill (bench/README.md); ARGS="--factor 1 --db sqlite" for SQLite.
bench-scale: $(STAMP_TEST)
	$(BIN)/python bench/scale.py all $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis .cache build dist src/*.egg-info
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
