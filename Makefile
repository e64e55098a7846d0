# Two commands do everything: `make run` (set up, index, serve the chat) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run ingest test lint eval fit-decision bench bench-ui bench-load audit mutate clean

# torch first, pinned to the CPU build this project is tested with; a plain `torch`
# requirement would pull a multi-GB CUDA build. llama-cpp-python compiles once (~5 min).
# constraints.txt holds every other version the committed eval runs were measured with.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install torch==2.13.0
	$(BIN)/pip install -e '.[dev]' -c constraints.txt
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/rag ingest
	$(BIN)/rag serve

ingest: setup
	$(BIN)/rag ingest

# The browser test drives Debian's Chromium (never a browser downloaded by Playwright).
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(CHROMIUM):
	@echo "Installing Debian's chromium and chromium-driver for the browser test"
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver

test: setup $(CHROMIUM)
	$(BIN)/ruff check rag ui tools tests
	$(BIN)/ruff format --check rag ui tools tests
	$(BIN)/python -m pytest

# The hand-written set with the tutorial baseline, then the readers' tuning part (the decision
# is fitted on it), the frozen test part and the fresh sets (never tuned on), each with its own
# report and compared with the committed run of the same set.
eval: setup
	$(BIN)/rag eval --baseline --out eval/runs/latest --compare eval/baseline
	$(BIN)/rag eval --dataset eval/readers_tune.jsonl --out eval/runs/latest/readers_tune \
		--compare eval/baseline/readers_tune
	$(BIN)/rag eval --dataset eval/readers_test.jsonl --out eval/runs/latest/readers_test \
		--compare eval/baseline/readers_test
	$(BIN)/rag eval --dataset eval/readers_fresh3.jsonl --out eval/runs/latest/readers_fresh3 \
		--compare eval/baseline/readers_fresh3
	$(BIN)/rag eval --dataset eval/readers_fresh4.jsonl --out eval/runs/latest/readers_fresh4 \
		--compare eval/baseline/readers_fresh4
	$(BIN)/rag eval --dataset eval/readers_fresh5.jsonl --out eval/runs/latest/readers_fresh5 \
		--compare eval/baseline/readers_fresh5

# Refit the answer/decline decision on the tuning part (writes rag/answer/decision.json).
fit-decision: setup
	$(BIN)/python -m tools.fit_decision

bench: setup
	$(BIN)/rag bench --out eval/bench

bench-ui: setup $(CHROMIUM)
	$(BIN)/python -m tools.ui_bench --out eval/bench

# 20 readers at once through Gradio's API for 60 s: p50/p95 latency and throughput.
bench-load: setup
	$(BIN)/python -m tools.load --out eval/bench

# Known vulnerabilities of the installed packages (README: "Dependency audit").
audit: setup
	$(BIN)/python -m tools.audit

# Mutation testing of decide.py, verify.py and index.py with the fast tests (eval/mutation.md;
# settings in pyproject.toml's [tool.mutmut]). From scratch each time: about 7 min on 2 cores.
# Prints the surviving mutants (`mutmut show NAME` gives a diff), every module's counts and the
# score, killed / tested; `mutmut browse` explores them.
mutate: setup
	rm -rf mutants
	$(BIN)/mutmut run --max-children $$(nproc)
	@echo "Surviving and untested mutants:"
	@$(BIN)/mutmut results
	@echo "Per module (count, module, status):"
	@$(BIN)/mutmut results --all true | sed -E 's/^ *([a-z_.]+)\.x.*: /\1 /' | sort | uniq -c
	@$(BIN)/mutmut export-cicd-stats && cat mutants/mutmut-cicd-stats.json
	@$(BIN)/mutmut badge --output mutants/score.json >/dev/null && \
		sed -n 's/.*"message": "\(.*\)".*/Mutation score (killed \/ total): \1/p' mutants/score.json

clean:
	rm -rf $(VENV) data eval/runs
