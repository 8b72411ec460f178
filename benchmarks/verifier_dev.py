"""Development figures of verifiers, on the calibration claims only (not a test).

    .venv/bin/python benchmarks/verifier_dev.py MODEL [MODEL ...] --data ../shared/data

Each MODEL is a folder holding a verifier (``synth/shipped/synth-nli-minilm``, or one
``synth models build`` wrote under ``SYNTH_HOME/models``). Its calibration rows are made as
``synth models build`` makes them (SciFact and Citation-Integrity calibration claims
against their cited abstracts and BM25's top 3; HealthVer calibration pairs; the corpora
are embedded once into ``SYNTH_HOME/eval`` and reused), then judged as ``synth check``
judges them by heads fitted on the other folds
(:func:`synth.evaluate.calibrate.held_out_verdicts`). Per data set it prints paper-level
macro-F1 and REFUTED F1, and claim-level accuracy, macro-F1, REFUTED F1, ECE of the raw
confidence and of the confidence map (itself fitted on the other folds' claims) and AUROC.
The experiment log's variants E5-E9 (reports/verifier/experiments.md) were compared with
these figures; the test parts are never read. ``--rows DIR`` keeps each model's rows in
``DIR/NAME-seedN.pickle`` (made by this script, read back only from there) so that heads and
features can be compared again without scoring anything. With more than one model, each
after the first is compared with it claim by claim: the difference in claim macro-F1 with
its 90% paired bootstrap interval, so that a gain these few claims cannot tell from chance
reads as one. Last, the open checks' abstract-level label-only precision, recall and F1.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path

from synth.core.progress import ProgressLog
from synth.core.settings import Settings
from synth.core.types import Label
from synth.evaluate.build import HEAD_FEATURES, calibration_rows
from synth.evaluate.calibrate import (
    CONFIDENCE_FOLDS,
    HeldOut,
    Rows,
    dealt,
    held_out_verdicts,
)
from synth.verify.aggregate import ORDER
from synth.verify.head import fit_confidence_map
from synth.verify.metrics import (
    auroc,
    bootstrap_interval,
    expected_calibration_error,
    macro_f1,
    per_class,
    prf,
)

CLASSES = [label.value for label in ORDER]
REFUTED = ORDER[1].value
NEI = Label.NOT_ENOUGH_INFO


def mapped_confidence(held: HeldOut) -> list[float]:
    """Each claim's confidence under a map fitted on the other folds' claims."""
    fold_of = dealt(range(len(held.confidence)), CONFIDENCE_FOLDS)
    out = [0.0] * len(fold_of)
    for fold in range(CONFIDENCE_FOLDS):
        outside = [i for i, f in fold_of.items() if f != fold]
        mapping = fit_confidence_map([held.confidence[i] for i in outside],
                                     [held.right[i] for i in outside])  # fmt: skip
        for i in (i for i, f in fold_of.items() if f == fold):
            out[i] = mapping(held.confidence[i])
    return out


def claim_checks(rows: Rows, held: HeldOut) -> tuple[list[str], list[str], list[str]]:
    """Per claim check, in the order of ``held``: its data set, gold label and verdict."""
    order = list(dict.fromkeys(rows.checks))
    first = {check: rows.checks.index(check) for check in order}
    return ([rows.sources[first[c]] for c in order],
            [ORDER[rows.claim_labels[first[c]]].value for c in order],
            [label.value for label in held.labels])  # fmt: skip


def report(name: str, rows: Rows, held: HeldOut) -> list[str]:
    """Markdown rows, one per data set and one for all claims."""
    claim_source, claim_gold, claim_pred = claim_checks(rows, held)
    mapped = mapped_confidence(held)
    lines = []
    for source in [*sorted(set(rows.sources)), "all"]:
        r = [i for i, s in enumerate(rows.sources) if source in (s, "all")]
        c = [i for i, s in enumerate(claim_source) if source in (s, "all")]
        gold = [ORDER[rows.labels[i]].value for i in r]
        pred = [held.papers[i].label.value for i in r]
        right = [held.right[i] for i in c]
        claims = per_class([claim_gold[i] for i in c], [claim_pred[i] for i in c], CLASSES)
        area = auroc([held.confidence[i] for i in c], right)
        lines.append(
            f"| {name} | {source} | {macro_f1(gold, pred, CLASSES):.3f} / "
            f"{per_class(gold, pred, CLASSES)[REFUTED].f1:.3f} | {len(c)} | "
            f"{sum(right) / len(c):.3f} | "
            f"{macro_f1([claim_gold[i] for i in c], [claim_pred[i] for i in c], CLASSES):.3f} / "
            f"{claims[REFUTED].f1:.3f} | "
            f"{expected_calibration_error([held.confidence[i] for i in c], right):.3f} -> "
            f"{expected_calibration_error([mapped[i] for i in c], right):.3f} | "
            f"{'-' if area is None else f'{area:.3f}'} |"
        )
    return lines


def open_papers(rows: Rows, held: HeldOut) -> list[str]:
    """Markdown rows per SciFact-format set: the abstract-level label-only precision, recall
    and F1 of the open checks (BM25's top 3 papers; recall over the gold evidence papers of
    the claims' cited checks), the shape of the issue's open-retrieval target."""
    lines = []
    for source in sorted({s for s, k in zip(rows.sources, rows.kinds, strict=True) if k == "open"}):
        mine = [i for i, s in enumerate(rows.sources) if s == source]
        gold = sum(rows.kinds[i] == "cited" and ORDER[rows.labels[i]] is not NEI for i in mine)
        said = [i for i in mine if rows.kinds[i] == "open" and held.papers[i].label is not NEI]
        right = sum(held.papers[i].label is ORDER[rows.labels[i]] for i in said)
        got = prf(right, len(said), gold)
        lines.append(f"| {source} | {got.precision:.3f} | {got.recall:.3f} | {got.f1:.3f} |")
    return lines


def paired_difference(
    base: tuple[list[str], list[str], list[str]], other: tuple[list[str], list[str], list[str]],
) -> list[str]:  # fmt: skip
    """Markdown cells per data set and for all claims: how much higher ``other``'s claim
    macro-F1 is than ``base``'s on the same claim checks, with its 90% paired bootstrap
    interval (1,000 resamples of the claim checks): an interval holding 0 is no difference
    these claims can show."""
    sources, gold, base_pred = base
    if other[:2] != base[:2]:
        raise SystemExit("the models' rows hold different claim checks: compare like with like")
    other_pred = other[2]
    cells = []
    for source in [*sorted(set(sources)), "all"]:
        c = [i for i, s in enumerate(sources) if source in (s, "all")]

        def gain(sample: Sequence[int], c: list[int] = c) -> float:
            picked = [c[i] for i in sample]
            g = [gold[i] for i in picked]
            return (macro_f1(g, [other_pred[i] for i in picked], CLASSES)
                    - macro_f1(g, [base_pred[i] for i in picked], CLASSES))  # fmt: skip

        low, high = bootstrap_interval(gain, len(c))
        cells.append(f"{gain(range(len(c))):+.3f} [{low:+.3f}, {high:+.3f}]")
    return cells


def model_rows(model: Path, args: argparse.Namespace, settings: Settings,
               progress: ProgressLog) -> Rows:  # fmt: skip
    """The model's calibration rows, from ``--rows`` when an earlier run kept them there."""
    kept = args.rows / f"{model.name}-seed{args.seed}.pickle" if args.rows else None
    if kept is not None and kept.is_file():
        with kept.open("rb") as f:
            rows: Rows = pickle.load(f)  # a file this script wrote
        return rows
    rows = calibration_rows(model, args.data, settings, args.seed, progress)
    if kept is not None:
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_bytes(pickle.dumps(rows))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+", type=Path, help="verifier folders")
    parser.add_argument("--data", type=Path, required=True, help="the shared data folder")
    parser.add_argument("--seed", type=int, default=0, help="the seed of the splits")
    parser.add_argument("--rows", type=Path, help="a folder to keep (and reuse) the rows in")
    args = parser.parse_args()
    settings = Settings()
    progress = ProgressLog(lambda line: print(line, file=sys.stderr, flush=True))
    lines = [
        "| model | set | paper macro-F1 / REFUTED F1 | claims | claim acc | "
        "claim macro-F1 / REFUTED F1 | ECE raw -> mapped | AUROC |",
        "|---|---|---|---|---|---|---|---|",
    ]
    checks, opened = [], []
    for model in args.models:
        rows = model_rows(model, args, settings, progress)
        held = held_out_verdicts(rows, HEAD_FEATURES)
        lines += report(model.name, rows, held)
        checks.append((model.name, rows, claim_checks(rows, held)))
        opened += [f"| {model.name} " + line for line in open_papers(rows, held)]
    lines += ["", "Open checks, abstract-level label-only:", "",
              "| model | set | precision | recall | F1 |", "|---|---|---|---|---|",
              *opened]  # fmt: skip
    if len(checks) > 1:
        base_name, base_rows, base = checks[0]
        lines += ["", f"Claim macro-F1 against {base_name} (90% paired bootstrap interval):", "",
                  "| model | " + " | ".join([*sorted(set(base_rows.sources)), "all"]) + " |",
                  "|---" * (len(set(base_rows.sources)) + 2) + "|"]  # fmt: skip
        lines += [f"| {name} | " + " | ".join(paired_difference(base, other)) + " |"
                  for name, _, other in checks[1:]]  # fmt: skip
    print("\n".join(lines))


if __name__ == "__main__":
    main()
