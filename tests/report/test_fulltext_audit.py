"""An audit on a paper's full text: ``corpus/fulltext-report.txt`` cites 2005.13013v1 (the
preprint PDF in the recorded mirror) with sentences of the paper cut at 120 characters.
Each one must come back word for word from the paper itself. Skipped without ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO
from fakes import HashingEmbedder, PhraseScorer

import synth
from synth.report.parse import parse_report

REPORT = REPO / "corpus" / "fulltext-report.txt"


@pytest.fixture
def session(arxiv_mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> synth.Session:
    monkeypatch.setenv("SYNTH_ARXIV_MIRROR", str(arxiv_mirror))
    return synth.open(tmp_path, scorer=PhraseScorer({}), embedder=HashingEmbedder())


def test_every_truncated_claim_is_recovered_from_the_full_text(session: synth.Session) -> None:
    report = session.audit(REPORT)
    assert [c.truncated for c in report.claims] == [True] * 10
    for claim in report.claims:
        assert claim.recovered_from == "2005.13013v1", claim.text
        assert claim.recovered_text is not None
        assert claim.recovered_text.startswith(claim.text.rstrip())
        assert claim.verdict.claim.text == claim.recovered_text
        assert claim.notes == ()  # the full text was read
    assert report.claims[2].recovered_text == (
        "Evaluating our best performing models for each target task on the XTREME benchmark "
        "yields an average improvement of 6.1 points, setting the state of the art as of writing."
    )
    assert report.references[0].version == "v1" and report.references[0].full_text


def test_a_claim_cut_inside_a_number_is_recovered_never_checked_as_the_stub(
    session: synth.Session, tmp_path: Path
) -> None:
    cut = REPORT.read_text(encoding="utf-8").replace("average improvement of 6.1 \t", "average "
                                                      "improvement of 6.\t")  # fmt: skip
    lines = [line[:118] + "\t✓\t0.3" if "\t" in line and "Verified" not in line else line
             for line in cut.splitlines()]  # fmt: skip
    path = tmp_path / "cut-118.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    parsed = parse_report(path.read_text(encoding="utf-8"), 200)
    stub = next(c for c in parsed.claims if c.text.endswith("of 6."))
    assert stub.truncated
    report = session.audit(path)
    claim = next(c for c in report.claims if c.text.endswith("of 6."))
    assert claim.recovered_text is not None and "6.1 points" in claim.recovered_text


def test_the_latest_version_without_its_pdf_is_an_abstract_and_each_claim_says_so(
    session: synth.Session, tmp_path: Path
) -> None:
    path = tmp_path / "v2.txt"
    path.write_text(REPORT.read_text(encoding="utf-8").replace("2005.13013v1", "2005.13013v2"),
                    encoding="utf-8")  # fmt: skip
    report = session.audit(path)
    (reference,) = report.references
    assert reference.version == "v2" and reference.full_text is False
    assert all(len(c.notes) == 1 and "2005.13013v2" in c.notes[0] for c in report.claims)
    assert all("abstract only" in c.notes[0] for c in report.claims)
    # never the other version's text: nothing is recovered from v1's pages
    assert all(c.recovered_from in ("", "report", "2005.13013v2") for c in report.claims)
