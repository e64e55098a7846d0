# Two commands do everything: `make run` (set up, index, serve the chat) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run ingest test lint eval bench clean

# torch first, pinned to the CPU build this project is tested with; a plain `torch`
# requirement would pull a multi-GB CUDA build. llama-cpp-python compiles once (~5 min).
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install torch==2.13.0
	$(BIN)/pip install -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/rag ingest
	$(BIN)/rag serve

ingest: setup
	$(BIN)/rag ingest

test: setup
	$(BIN)/ruff check rag ui tests
	$(BIN)/ruff format --check rag ui tests
	$(BIN)/python -m pytest

eval: setup
	$(BIN)/rag eval --baseline --out eval/runs/latest

bench: setup
	$(BIN)/rag bench --out eval/bench

clean:
	rm -rf $(VENV) data eval/runs
