# synth: `make demo` runs the main job on the embedded defaults, `make test` runs every check
# (CI), `make test-fast` the quick tests in parallel. Each installs what it needs into .venv
# first (Python >= 3.11).

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

# The third-party data beside the checkout (SciFact, claims/): read in place to build and to
# measure the verifier. An explicit SYNTH_DATA_DIR wins.
ifneq ($(wildcard ../shared/data/scifact),)
SYNTH_DATA_DIR ?= $(abspath ../shared/data)
export SYNTH_DATA_DIR
endif
DATA = $(SYNTH_DATA_DIR)

.PHONY: setup demo example-reports model ship-model eval bench reproduce bench-transfer browser \
  test test-fast lint typecheck unit clean fuzz

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,experiments]'
	touch $@

# The main job: audit the demo report (claims supported, contradicted by a wrong number,
# unverifiable, truncated) against its arXiv references, then write a verified synthesis
# on the same question and papers. Both land in out/demo/<slug>/ (md, json, html), which
# git ignores. The verifier ships with the package: nothing is trained.
DEMO_OUT ?= out/demo
demo: setup
	$(BIN)/synth report --from corpus/demo-report.txt --out-dir $(DEMO_OUT)
	$(BIN)/synth audit corpus/demo-report.txt --out-dir $(DEMO_OUT)

# The example reports committed in reports/ (the demo's synthesis and audit, the seed
# report's audit), rewritten by the current code from the offline arXiv mirror under a fresh
# SYNTH_HOME (the shipped verifier, an empty store, no config). tests/test_example_reports.py
# fails when they differ from what the code writes (claims, verdicts, papers, settings hash).
SEED_REPORT ?= ../shared/seed/seed-report.txt
example-reports: setup
	@test -n "$(SYNTH_ARXIV_MIRROR)" || { echo "error: the example reports come from the \
	offline arXiv mirror — put ../shared/data/arxiv beside the checkout or set SYNTH_ARXIV_MIRROR" >&2; exit 1; }
	@test -f "$(SEED_REPORT)" || { echo "error: no seed report at $(SEED_REPORT) — set SEED_REPORT" >&2; exit 1; }
	home=$$(mktemp -d) && trap 'rm -rf "$$home"' EXIT && export SYNTH_HOME="$$home" && \
	  $(BIN)/synth report --from corpus/demo-report.txt --out-dir reports && \
	  $(BIN)/synth audit corpus/demo-report.txt --out-dir reports && \
	  $(BIN)/synth audit $(SEED_REPORT) --out-dir reports

# Rebuild the default verifier from the shared data (53 minutes on 2 CPU cores; see
# README), into SYNTH_HOME/models/synth-nli-minilm, where it takes precedence over the
# shipped one. `make ship-model` then copies it into the package.
model: setup
	$(BIN)/synth models build --data $(DATA)

ship-model:
	rm -rf synth/shipped/synth-nli-minilm
	mkdir -p synth/shipped
	cp -r $$($(BIN)/python -c 'from synth.core.settings import Settings; print(Settings().models_dir)')/synth-nli-minilm synth/shipped/

# The figures of the README's "Where we stand": every benchmark on its held-out part.
EVAL = $(BIN)/synth eval
eval: setup
	mkdir -p reports/verifier
	$(EVAL) scifact --claims $(DATA)/scifact/claims_train.jsonl --corpus $(DATA)/scifact/corpus.jsonl \
	  --split test --out reports/verifier/scifact-test.json
	$(EVAL) scifact --claims $(DATA)/scifact/claims_train.jsonl --corpus $(DATA)/scifact/corpus.jsonl \
	  --split test --max-papers 1 --out reports/verifier/scifact-test-1paper.json
	$(EVAL) scifact --claims $(DATA)/claims/citation-integrity/claims_dev.jsonl \
	  --corpus $(DATA)/claims/citation-integrity/corpus.jsonl --out reports/verifier/citint-dev.json
	$(EVAL) healthver --pairs $(DATA)/claims/healthver/healthver_test.csv \
	  --out reports/verifier/healthver-test.json
	$(EVAL) offtopic --claims $(DATA)/claims/healthver/healthver_test.csv \
	  --claims $(DATA)/claims/citation-integrity/claims_dev.jsonl \
	  $(foreach id,$(OFFTOPIC_PAPERS),--paper $(id)) --limit 150 --out reports/verifier/offtopic.json

# The NLP papers of the offline arXiv mirror: the other field for the off-topic benchmark.
OFFTOPIC_PAPERS = 2005.13013v1 2010.11934v1 1911.02116 2003.11080 2104.07412 1811.01088 \
  1901.07291 1906.01502 1912.07840 2005.00628 2010.12821 2105.00572 2111.09543 2310.09917

bench: setup
	SYNTH_SHARED_DATA=$(abspath ../shared/data) $(BIN)/python benchmarks/bench_check.py

# The experiment behind a claim, re-run at the lite preset (2 CPU cores: 23 minutes; see README).
reproduce: setup
	$(BIN)/synth reproduce --spec experiments/specs/phang2020-squad-tatoeba.toml --preset lite

# Training throughput of the experiments' loop (GPU: XLM-R Large; CPU: the small encoder).
bench-transfer: setup
	$(BIN)/python benchmarks/bench_transfer.py $(BENCH_ARGS)

lint: setup
	$(BIN)/ruff check synth experiments tests benchmarks examples
	$(BIN)/ruff format --check synth experiments tests benchmarks examples

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

# The quick loop while editing: every test not marked slow (those tests/slow_tests.txt names),
# spread over the cores with pytest-xdist, one thread per worker. `make test` is the gate.
TEST_WORKERS ?= auto
test-fast: setup
	OMP_NUM_THREADS=$${OMP_NUM_THREADS:-1} $(BIN)/pytest -m "not slow" -n $(TEST_WORKERS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache out

# The long fuzz run (about 21 minutes on 2 cores): mutated PDFs through `synth add`, texts,
# reports, JSONL corpora and claims through the library; figures in out/fuzz/summary.md.
FUZZ_ARGS ?= --pdfs 3000 --texts 500 --reports 500 --jsonl 500 --claims 500 --seed 14
fuzz: setup
	OMP_NUM_THREADS=1 $(BIN)/python benchmarks/fuzz.py $(FUZZ_ARGS) --out out/fuzz
