# synth: `make demo` runs the main job on the embedded defaults, `make test` runs every check.
# Both install what they need into .venv first (Python >= 3.11).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

# Offline sites and this repo's CI: use the recorded arXiv responses when they are beside
# the checkout. An explicit SYNTH_ARXIV_MIRROR wins; without either, the live API is used.
ifneq ($(wildcard ../shared/data/arxiv/atom),)
SYNTH_ARXIV_MIRROR ?= $(abspath ../shared/data/arxiv)
export SYNTH_ARXIV_MIRROR
endif

.PHONY: setup demo test lint typecheck unit clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Until `synth audit` exists (a later issue) the demo runs the corpus steps: fetch the
# papers of corpus/arxiv-ids.txt, add the demo notes, and show what was stored.
demo: setup
	$(BIN)/synth fetch $$(grep -v '^#' corpus/arxiv-ids.txt)
	$(BIN)/synth add corpus/demo-notes.md
	$(BIN)/synth corpus list
	$(BIN)/synth corpus show 2005.13013 --limit 5
	$(BIN)/synth info

lint: setup
	$(BIN)/ruff check synth tests benchmarks
	$(BIN)/ruff format --check synth tests benchmarks

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest

test: lint typecheck unit

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
