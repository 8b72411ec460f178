"""Claim-checking throughput and peak memory on a 5,000-abstract corpus (not part of the
test run).

    SYNTH_SHARED_DATA=../shared/data .venv/bin/python benchmarks/bench_check.py --claims 100

Input: the SciFact corpus (5,183 abstracts, read in place from ``$SYNTH_SHARED_DATA/scifact``)
cut to ``--abstracts`` abstracts, and the first ``--claims`` SciFact training claims.
Into a fresh SYNTH_HOME it times, one by one: ingest (parse + chunk + SQLite), embedding
every passage (the embedder of SYNTH_EMBED_MODEL, all-MiniLM-L6-v2 by default), building
the exact FAISS index and, separately, an HNSW index; then checking the claims against the
whole corpus through the Python API, as ``synth check`` does (``synth.open(home)``, then
``check_many``: the verifier of SYNTH_VERIFY_MODEL, by default the one shipped with synth,
and its verdict head, in the precision ``SYNTH_VERIFY_PRECISION`` gives: bf16 on a CPU with
native bf16), then the same claims again in fp32 (the path before bf16; how many verdict
labels differ is reported), then without the head (sentences only and the threshold
rule: the path before the head). torch runs on ``--threads`` CPU threads.
Reports seconds, claims/s and the process's peak resident memory as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path

import synth
from synth.api import Session
from synth.corpus.sources.scifact import read_claims
from synth.retrieval.index import DenseIndex
from synth.verify.nli import HFNLIScorer, use_bf16


def _timed(step: str, times: dict[str, float], start: float) -> float:
    now = time.perf_counter()
    times[step] = round(now - start, 2)
    return now


def _check_all(session: Session, claims: list[str]) -> tuple[float, list[str]]:
    t = time.perf_counter()
    labels = [verdict.label.value for verdict in session.check_many(claims)]
    return time.perf_counter() - t, labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--abstracts", type=int, default=5000)
    parser.add_argument("--claims", type=int, default=100)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    data = Path(os.environ.get("SYNTH_SHARED_DATA", "../shared/data")) / "scifact"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        corpus = root / "corpus.jsonl"
        lines = (data / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
        corpus.write_text("\n".join(lines[: args.abstracts]) + "\n", encoding="utf-8")
        times: dict[str, float] = {}
        # a fresh home: the verifier a new user gets (the shipped one, or SYNTH_VERIFY_MODEL)
        with synth.open(root / "home") as session:
            settings = session.settings
            t = time.perf_counter()
            session.add([corpus], "jsonl")
            t = _timed("ingest_s", times, t)
            # the checker users get (verifier, verdict head, retriever), exactly as synth check
            session.checker.retriever.embed_pending()
            t = _timed("embed_s", times, t)
            checker = session.checker  # exact index: every vector is stored already
            t = _timed("index_exact_s", times, t)
            all_hnsw = settings.index.model_copy(update={"exact_max": 0})
            hnsw = DenseIndex(root / "hnsw", checker.retriever.embedder.name, all_hnsw)
            hnsw.sync(session.store)
            t = _timed("index_hnsw_s", times, t)
            claims = [c.claim for c in read_claims(data / "claims_train.jsonl")[: args.claims]]
            session.check(claims[0])  # load the verifier before timing
            seconds, labels = _check_all(session, claims)
            # the previous paths in the same run: the verifier in fp32 (where the default
            # computes in bf16), and no verdict head, so sentences only and the threshold
            # rule (what synth check did before the head)
            scorer = checker.scorer
            if not isinstance(scorer, HFNLIScorer):
                raise SystemExit("the benchmark times the Hugging Face verifier synth checks with")
            precision, scorer.precision = scorer.precision, "fp32"
            fp32_seconds, fp32_labels = _check_all(session, claims)
            scorer.precision = precision
            head, checker.head = checker.head, None
            rule_seconds, _ = _check_all(session, claims)
            checker.head = head
            passages = session.store.count_passages()
    print(
        json.dumps(
            {
                "abstracts": args.abstracts,
                "passages": passages,
                "claims": len(claims),
                **times,
                "check_s": round(seconds, 2),
                "claims_per_s": round(len(claims) / seconds, 2),
                "precision": "bf16" if use_bf16(precision) else "fp32",
                "fp32_check_s": round(fp32_seconds, 2),
                "fp32_claims_per_s": round(len(claims) / fp32_seconds, 2),
                "labels_differing_from_fp32": sum(
                    a != b for a, b in zip(labels, fp32_labels, strict=True)
                ),
                "without_head_check_s": round(rule_seconds, 2),
                "without_head_claims_per_s": round(len(claims) / rule_seconds, 2),
                "top_k": settings.retrieve.top_k,
                "threads": args.threads,
                "embedder": settings.embed.model,
                "verifier": settings.verify.model,
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
