"""Claims about table cells of a real paper, checked as users check them (not a test).

    SYNTH_ARXIV_MIRROR=../shared/data/arxiv .venv/bin/python benchmarks/table_claims.py

Ten claims about Tables 1 and 2 of 2005.13013v1 (the preprint with its tables, served by
the offline mirror), five true and five with a wrong number, are checked with
``synth.open(...).check(claim, papers=["2005.13013v1"])`` in a fresh synth home with the
default verifier. Prints one Markdown row per claim (expected label, synth's label and
confidence, the numeric check, the first quote and its page) and the count right; the
README's table-claims figures come from here.
"""

from __future__ import annotations

import argparse
import tempfile

import synth

PAPER = "2005.13013v1"
CLAIMS = (
    ("Intermediate-task training on HellaSwag improves BUCC by 20.4 points over XLM-R.", True),
    ("Intermediate-task training on HellaSwag improves BUCC by 12.0 points over XLM-R.", False),
    ("CommonsenseQA has 9,741 training examples.", True),
    ("CommonsenseQA has 12,000 training examples.", False),
    ("Without MLM, HellaSwag improves BUCC by 20.4 points.", True),
    ("Without MLM, HellaSwag improves BUCC by 25.0 points.", False),
    ("SQuAD has 87,599 training examples.", True),
    ("SQuAD has 50,000 training examples.", False),
    ("XLM-R alone scores 71.5 F1 on BUCC.", True),
    ("XLM-R alone scores 80.2 F1 on BUCC.", False),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", help="a synth home to reuse (default: a fresh one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as fresh, synth.open(home=args.home or fresh) as session:
        right = 0
        print("| claim | expected | synth | numbers | quote (page) |\n|---|---|---|---|---|")
        for text, true in CLAIMS:
            verdict = session.check(text, papers=[PAPER])
            expected = "SUPPORTED" if true else "REFUTED"
            right += verdict.label.value == expected
            top = verdict.evidence[0] if verdict.evidence else None
            quote = f"{top.quote} ({top.passage.page_start})" if top else "-"
            numbers = verdict.numeric.status.value if verdict.numeric else "-"
            print(f"| {text} | {expected} | {verdict.label.value} {verdict.confidence:.2f} "
                  f"| {numbers} | {quote} |")  # fmt: skip
        print(f"\n{right} of {len(CLAIMS)} right")


if __name__ == "__main__":
    main()
