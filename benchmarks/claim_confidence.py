"""Probe (not shipped, not a test): can a claim's confidence read more than its deciding
paper's probability? Development rows only.

    .venv/bin/python benchmarks/claim_confidence.py ROWS.pickle [ROWS.pickle ...]

Reads the calibration rows ``benchmarks/verifier_dev.py --rows DIR`` kept, judges every
claim check by heads fitted on the other folds
(:func:`synth.evaluate.calibrate.held_out_verdicts`), and compares two confidences, each
fitted on the other folds' claim verdicts: the shipped map (Platt on the deciding paper's
probability) and a logistic regression over what all the claim's papers said (the deciding
paper's log-odds for its label, the label, its margin over its second likeliest label, the
strongest support or refutation among the papers, its place in retrieval order), then the
same without each feature. Prints ECE / AUROC per data set. The experiment log's "claim
confidence model" figures come from here.
"""

from __future__ import annotations

import argparse
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from synth.core.types import Label, PaperVerdict
from synth.evaluate.build import HEAD_FEATURES
from synth.evaluate.calibrate import CONFIDENCE_FOLDS, HeldOut, Rows, dealt, held_out_verdicts
from synth.verify.aggregate import ORDER, deciding_paper
from synth.verify.head import fit_confidence_map, fit_logistic, logit
from synth.verify.metrics import auroc, expected_calibration_error

FEATURES = ("confidence", "supported", "refuted", "margin", "strongest", "rank")


def claim_features(papers: Sequence[PaperVerdict]) -> list[float]:
    """The features of a claim check's verdict, from its papers' head probabilities."""
    best = deciding_paper(papers)
    if best is None:
        raise ValueError("a claim check without papers")
    probs = [np.asarray(p.probabilities) for p in papers]
    at = next(i for i, p in enumerate(papers) if p is best)
    own = np.sort(probs[at])[::-1]
    return [float(logit(probs[at][ORDER.index(best.label)])), float(best.label is Label.SUPPORTED),
            float(best.label is Label.REFUTED), float(own[0] - own[1]),
            max(float(max(p[0], p[1])) for p in probs), float(at)]  # fmt: skip


def fitted_confidence(x: np.ndarray, y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """P(right) by logistic regression on standardized features, at least a third as the
    shipped map's."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    w = fit_logistic((x - mean) / scale, y)
    return lambda z: np.maximum(1 / 3, 1 / (1 + np.exp(-(((z - mean) / scale) @ w[:-1] + w[-1]))))


def compare(rows: Rows, held: HeldOut) -> list[str]:
    order = list(dict.fromkeys(rows.checks))
    members: dict[int, list[int]] = {}
    for i, check in enumerate(rows.checks):
        members.setdefault(check, []).append(i)
    x = np.array([claim_features([held.papers[i] for i in members[c]]) for c in order])
    right = np.array(held.right, dtype=np.float64)
    source = np.array([rows.sources[members[c][0]] for c in order])
    fold = np.array(list(dealt(range(len(order)), CONFIDENCE_FOLDS).values()))
    variants: dict[str, np.ndarray] = {"map": np.zeros(len(order))}
    columns = {"all six": list(range(len(FEATURES)))}
    columns |= {f"without {name}": [j for j in range(len(FEATURES)) if j != k]
                for k, name in enumerate(FEATURES)}  # fmt: skip
    for name, keep in columns.items():
        variants[name] = np.zeros(len(order))
        for f in range(CONFIDENCE_FOLDS):
            inside, outside = fold != f, fold == f
            variants[name][outside] = fitted_confidence(x[inside][:, keep], right[inside])(
                x[outside][:, keep]
            )
    for f in range(CONFIDENCE_FOLDS):
        inside, outside = fold != f, fold == f
        mapping = fit_confidence_map(list(np.array(held.confidence)[inside]),
                                     list(right[inside] > 0))  # fmt: skip
        variants["map"][outside] = [mapping(c) for c in np.array(held.confidence)[outside]]
    lines = []
    for name, confidence in variants.items():
        cells = []
        for s in [*sorted(set(source)), "all"]:
            sel = np.ones(len(order), bool) if s == "all" else source == s
            ok = list(right[sel] > 0)
            cells.append(f"{expected_calibration_error(list(confidence[sel]), ok):.3f} / "
                         f"{auroc(list(confidence[sel]), ok) or 0:.3f}")  # fmt: skip
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="+", type=Path, help="rows verifier_dev.py --rows kept")
    args = parser.parse_args()
    for path in args.rows:
        with path.open("rb") as f:
            rows: Rows = pickle.load(f)  # a file verifier_dev.py wrote
        print(f"\n{path.stem}: ECE / AUROC per set\n")
        print("| confidence | " + " | ".join([*sorted(set(rows.sources)), "all"]) + " |")
        print("|---" * (len(set(rows.sources)) + 2) + "|")
        print("\n".join(compare(rows, held_out_verdicts(rows, HEAD_FEATURES))))


if __name__ == "__main__":
    main()
