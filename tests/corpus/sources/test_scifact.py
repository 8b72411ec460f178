"""SciFact claim files and the hashed train/calib/test split."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXTURES

from synth.core.errors import SynthError
from synth.corpus.sources.scifact import read_claims, split_of


def test_read_claims_gold_and_labels() -> None:
    claims = {c.id: c for c in read_claims(FIXTURES / "scifact" / "claims.jsonl")}
    assert claims["1"].gold == {"201": "SUPPORT"} and claims["1"].label == "SUPPORT"
    assert claims["2"].label == "CONTRADICT"
    assert claims["7"].gold == {} and claims["7"].label == "NEI"
    assert claims["7"].cited_doc_ids == ("202",)
    assert claims["3"].evidence["203"][0].sentences == (0, 1)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "not JSON"),
        ('{"id": 1}', "not a SciFact claim"),
        ('{"id": 1, "claim": "x", "evidence": {"5": [{"sentences": [0], "label": "MAYBE"}]}}',
         "evidence label"),
    ],
)  # fmt: skip
def test_bad_claim_files(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "claims.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(SynthError, match=message):
        read_claims(path)


def test_empty_claims_file(tmp_path: Path) -> None:
    (tmp_path / "c.jsonl").write_text("\n")
    with pytest.raises(SynthError, match="no claims"):
        read_claims(tmp_path / "c.jsonl")


def test_split_is_stable_and_proportional() -> None:
    splits = [split_of(str(i), seed=0) for i in range(10_000)]
    assert splits == [split_of(str(i), seed=0) for i in range(10_000)]  # a pure function
    counts = Counter(splits)
    assert counts["test"] == pytest.approx(2_000, abs=150)
    assert counts["calib"] == pytest.approx(1_000, abs=120)
    assert [split_of(str(i), seed=1) for i in range(50)] != splits[:50]  # seeds differ
