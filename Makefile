# One command to set up and see Recap summarize (offline, no keys): `make demo`. Tests: `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

$(BIN)/recap: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/recap

.PHONY: setup demo test lint evals
setup: $(BIN)/recap

demo: setup
	$(BIN)/recap summarize --sample

test: setup
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check .

evals: setup
	bash .ci/evals
