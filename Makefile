# One command to set up and see Recap summarize (offline, no keys): `make demo`. Tests: `make test`.
# Needs Python 3.11 or newer (PY=python3.12 make demo to choose one).
PY ?= python3
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin

$(BIN)/recap: pyproject.toml
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Recap needs Python 3.11 or newer; this is " + sys.version.split()[0] + ": run  make demo PY=python3.11  (or newer)")'
	@if [ -x $(BIN)/python ] && ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then \
		echo "$(VENV) was made with an older Python: making it again"; rm -rf $(VENV); fi
	@echo "Setting up $(VENV) (a few minutes the first time)…"
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	@$(BIN)/pip install -e '.[dev]' | grep --line-buffered -E '^(Collecting|Successfully)'; \
		test $${PIPESTATUS[0]} -eq 0 || { echo "installing Recap failed: run  $(BIN)/pip install -e '.[dev]'  to see why"; exit 1; }
	touch $(BIN)/recap

.PHONY: setup demo test lint evals
setup: $(BIN)/recap

demo: setup
	$(BIN)/recap summarize --sample

test: setup
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

evals: setup
	bash .ci/evals
