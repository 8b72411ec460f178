#!/bin/bash
# Same inputs through the code before issue 12 (d4fbef7, /tmp/old) and after (working tree):
# demo report + audit, three claims with synth check --json, SciFact test (first 40 claims).
set -u
which=$1   # old | new
out=/work/exp/compare/$which
rm -rf $out; mkdir -p $out
export SYNTH_HOME=$out/home SYNTH_ARXIV_MIRROR=/work/shared/data/arxiv OMP_NUM_THREADS=2
if [ $which = old ]; then export PYTHONPATH=/tmp/old; cd /tmp/old; else export PYTHONPATH=/tmp/new; cd /tmp/new; fi
S="/work/main/.venv/bin/python -c 'from synth.cli import app; app()'"
run() { bash -c "$S $*"; }
/usr/bin/time -f "%e s report" bash -c "$S report --from corpus/demo-report.txt --out-dir $out/reports --json > $out/report.json" 2>>$out/times
/usr/bin/time -f "%e s audit" bash -c "$S audit corpus/demo-report.txt --out-dir $out/reports --json > $out/audit.json" 2>>$out/times
i=0
while read -r claim; do i=$((i+1)); bash -c "$S check \"$claim\" --paper 2005.13013 --json" > $out/check$i.json; done <<'CL'
Intermediate-task training gives XLM-R Large a 5.4 point improvement on the XTREME benchmark.
Intermediate-task training gives XLM-R Large an 8.2 point improvement on the XTREME benchmark.
XLM-R outperforms multilingual BERT by 14.6% average accuracy on XNLI.
CL
D=/work/shared/data/scifact
# the new run reuses the old run's eval store (same corpus, same embedder): the verdicts are compared, not the embedding
[ $which = new ] && cp -r /work/exp/compare/old/home/eval $out/home/
/usr/bin/time -f "%e s eval" bash -c "$S eval scifact --claims $D/claims_train.jsonl --corpus $D/corpus.jsonl --split test --limit 40 --json > $out/eval.json" 2>>$out/times
echo done > $out/DONE
