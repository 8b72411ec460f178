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

# The offline XTREME data pack beside the checkout: `synth reproduce` reads it instead of the hub.
ifneq ($(wildcard ../shared/data/xtreme/README.md),)
SYNTH_EXPERIMENTS_DATA_DIR ?= $(abspath ../shared/data/xtreme)
export SYNTH_EXPERIMENTS_DATA_DIR
endif

# SciFact (claims + abstracts) beside the checkout: used to train and to evaluate the verifier.
SCIFACT ?= $(wildcard ../shared/data/scifact)

.PHONY: setup demo model eval bench reproduce bench-transfer browser test lint typecheck unit clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The main job: audit the demo report (claims supported, contradicted by a wrong number,
# unverifiable, truncated) against its arXiv references, then write a verified synthesis
# on the same question and papers. Both land in reports/<slug>/ (md, json, html).
demo: model
	$(BIN)/synth report --from corpus/demo-report.txt
	$(BIN)/synth audit corpus/demo-report.txt

# The default verifier, built once (about 20 minutes on 2 CPU cores; see README), then its
# verdict calibration fitted on SciFact's calibration split (embeds the corpus: ~8 minutes).
model: setup
	@$(BIN)/synth models list | grep -q '^synth-nli-minilm ' || { \
	  $(BIN)/synth models build $(if $(SCIFACT),--scifact $(SCIFACT)) && \
	  $(if $(SCIFACT),$(BIN)/synth eval scifact --claims $(SCIFACT)/claims_train.jsonl \
	    --corpus $(SCIFACT)/corpus.jsonl --split calib --fit-calibration,true); }

# The SciFact figures of the README: the held-out test split of the training claims.
eval: model
	$(BIN)/synth eval scifact --claims $(SCIFACT)/claims_train.jsonl \
	  --corpus $(SCIFACT)/corpus.jsonl --split test --out reports/scifact-eval.json

bench: model
	SYNTH_SHARED_DATA=$(abspath ../shared/data) $(BIN)/python benchmarks/bench_check.py

# The experiment behind a claim, re-run at the lite preset (2 CPU cores: 23 minutes; see README).
reproduce: setup
	$(BIN)/synth reproduce --spec experiments/specs/phang2020-squad-tatoeba.toml --preset lite

# Training throughput of the experiments' loop (GPU: XLM-R Large; CPU: the small encoder).
bench-transfer: setup
	$(BIN)/python benchmarks/bench_transfer.py $(BENCH_ARGS)

lint: setup
	$(BIN)/ruff check synth experiments tests benchmarks
	$(BIN)/ruff format --check synth experiments tests benchmarks

typecheck: setup
	$(BIN)/mypy

# Debian's Chromium and ChromeDriver for the browser test of the HTML report (as root with
# apt-get; elsewhere the test is skipped with a note, unless SYNTH_REQUIRE_BROWSER=1).
browser:
	@if [ ! -x /usr/bin/chromedriver ] && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1 || \
	  { apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; } || \
	  echo "note: could not install chromium; the browser test will skip"; fi

unit: setup browser
	$(BIN)/pytest

test: lint typecheck unit

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
