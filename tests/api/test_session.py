"""The Python API: a session over a fresh home with deterministic adapters (a hashing
embedder, a phrase-rule NLI scorer), as a notebook user would drive it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from fakes import HashingEmbedder, PhraseScorer, Recorder

import synth
from synth.api import Session
from synth.core.errors import BadInput, NotFound, StoreFailure, SynthError
from synth.core.types import AddStatus, Label, ReportKind
from synth.report.synthesis import Generator

PAPER = """# Intermediate training for cross-lingual transfer

Intermediate-task training on SQuAD improves XLM-R Large by 5.4 points on XTREME.
Gains are largest on Tatoeba and BUCC retrieval.
"""
RULES = {
    "improves XLM-R Large by 5.4|improves XLM-R Large by 5.4": (0.9, 0.05, 0.05),
    "largest on Tatoeba|smallest on Tatoeba": (0.05, 0.05, 0.9),
}
CLAIM = "Intermediate-task training on SQuAD improves XLM-R Large by 5.4 points on XTREME."


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    (tmp_path / "phang.md").write_text(PAPER, encoding="utf-8")
    with synth.open(tmp_path / "home", scorer=PhraseScorer(RULES),
                    embedder=HashingEmbedder()) as opened:  # fmt: skip
        outcomes = opened.add([tmp_path / "phang.md"])
        assert [o.status for o in outcomes] == [AddStatus.ADDED]
        yield opened


def test_import_synth_is_instant_and_open_is_there() -> None:
    code = (
        "import sys, synth; synth.open; print(sorted(m for m in ('torch', 'requests', "
        "'synth.corpus.store', 'synth.check.checker') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)  # fmt: skip
    assert out.stdout.strip() == "[]"


def test_check_with_the_given_adapters(session: Session) -> None:
    verdict = session.check(CLAIM, papers=["phang.md"])
    assert verdict.label is Label.SUPPORTED and verdict.model == "phrase-scorer"
    assert verdict.evidence[0].passage.paper_id == "phang.md"
    refuted = session.check("Gains are smallest on Tatoeba and BUCC retrieval.")
    assert refuted.label is Label.REFUTED


def test_check_many_yields_in_order_and_errors_carry_their_kind(session: Session) -> None:
    labels = [v.label for v in session.check_many([CLAIM, "Nothing like it is said here."])]
    assert labels == [Label.SUPPORTED, Label.NOT_ENOUGH_INFO]
    with pytest.raises(BadInput, match="empty"):
        session.check("  ")
    with pytest.raises(NotFound, match="no such paper"):
        session.check(CLAIM, papers=["nope"])


def test_check_file_records_bad_lines_and_goes_on(session: Session, tmp_path: Path) -> None:
    source, out = tmp_path / "claims.jsonl", tmp_path / "verdicts.jsonl"
    source.write_text(json.dumps({"id": "a", "claim": CLAIM}) + "\nnot json\n", encoding="utf-8")
    result = session.check_file(source, out)
    assert (result.done, result.failed) == (2, 1)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["label"] == "SUPPORTED" and rows[1]["line"] == 2 and "error" in rows[1]


def test_the_corpus_calls(session: Session) -> None:
    assert [s.paper.paper_id for s in session.papers()] == ["phang.md"]
    assert session.paper("phang.md").title.startswith("Intermediate training")
    assert session.passages("phang.md")
    facts = session.info()
    assert facts["papers"] == 1 and facts["passages"] >= 1
    session.remove("phang.md")
    assert session.papers() == []


def test_audit_of_a_report_that_is_not_there_and_of_one_that_cannot_be_read(
    session: Session, tmp_path: Path
) -> None:
    with pytest.raises(NotFound):
        session.audit(tmp_path / "missing.md")
    binary = tmp_path / "report.pdf"
    binary.write_bytes(b"\x00\x01binary")
    report = session.audit(binary)
    assert report.kind is ReportKind.AUDIT and report.claims == () and report.problems


class OneSentence(Generator):
    def __init__(self, sentence: str) -> None:
        self.name = "one-sentence"
        self.sentence = sentence

    def write(self, question: str, theme: str, claims: Sequence[str]) -> list[str]:
        return [self.sentence]


def test_synthesize_of_stored_papers_with_a_generator(session: Session) -> None:
    report = session.synthesize("Does intermediate training help?", ["phang.md"],
                                generator=OneSentence(CLAIM))  # fmt: skip
    assert report.kind is ReportKind.SYNTHESIS and report.title.startswith("Does")
    assert report.claims and report.synthesis is not None
    with pytest.raises(BadInput, match="research question"):
        session.synthesize(None, ["phang.md"])
    with pytest.raises(BadInput, match="unknown generator"):
        session.synthesize("Q?", ["phang.md"], generator="nope")


def test_unknown_benchmark_and_bad_settings_are_one_line_errors(session: Session) -> None:
    with pytest.raises(BadInput, match="unknown benchmark"):
        session.evaluate("nope")
    with pytest.raises(BadInput, match=r"retrieve\.top_k"):
        synth.open(retrieve={"top_k": 0})


def test_settings_overrides_and_progress(tmp_path: Path) -> None:
    recorder = Recorder()
    with synth.open(tmp_path, retrieve={"max_papers": 1}, progress=recorder,
                    embedder=HashingEmbedder(), scorer=PhraseScorer(RULES)) as s:  # fmt: skip
        assert s.settings.retrieve.max_papers == 1 and s.settings.retrieve.top_k == 10
        assert s.settings.home == tmp_path
        (tmp_path / "p.md").write_text(PAPER, encoding="utf-8")
        s.add([tmp_path / "p.md"])
        s.check(CLAIM)
    assert recorder.updates  # embedding reported its progress
    again = synth.open(settings=s.settings, retrieve={"top_k": 3})
    assert (again.settings.retrieve.top_k, again.settings.retrieve.max_papers) == (3, 1)


def test_a_closed_session_reopens_its_store(session: Session) -> None:
    session.close()
    assert session.papers()[0].paper.paper_id == "phang.md"


def test_every_error_kind_is_a_synth_error() -> None:
    for kind in (BadInput, NotFound):
        assert issubclass(kind, SynthError)


def test_an_arxiv_paper_that_is_not_stored_is_fetched_first(
    fake_mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import FAKE_ID

    monkeypatch.setenv("SYNTH_ARXIV_MIRROR", str(fake_mirror))
    rules = {"gain of 3.5 points|gain of 3.5 points": (0.9, 0.05, 0.05)}
    with synth.open(tmp_path, scorer=PhraseScorer(rules), embedder=HashingEmbedder()) as s:
        verdict = s.check("Intermediate training gives a gain of 3.5 points.", papers=[FAKE_ID])
        assert verdict.label is Label.SUPPORTED
        assert [p.paper.arxiv_id for p in s.papers()] == [FAKE_ID]
        with pytest.raises(NotFound, match="not in the offline mirror"):
            s.check(CLAIM, papers=["2912.99999"])


def test_a_garbled_or_empty_model_card_is_listed_as_a_problem(tmp_path: Path) -> None:
    for name, text in (("garbled", "{garbled"), ("empty", "")):
        (tmp_path / "models" / name).mkdir(parents=True)
        (tmp_path / "models" / name / "synth-model.json").write_text(text)
    entries = {e.folder.name: e for e in synth.open(tmp_path).models()}
    for name in ("garbled", "empty"):
        assert entries[name].metadata is None and "unreadable model metadata" in str(
            entries[name].problem)  # fmt: skip
    assert entries["synth-nli-minilm"].where == "shipped" and entries["synth-nli-minilm"].metadata


def test_a_full_disk_stops_adding_and_says_how_many_papers_were_stored(tmp_path: Path) -> None:
    notes = []
    for i in range(40):
        notes.append(tmp_path / f"n{i}.md")
        notes[-1].write_text(f"# Note {i}\n\n" + f"Sentence {i} of a note. " * 60, "utf-8")
    with synth.open(tmp_path / "home") as s:
        pages = s.store._conn.execute("PRAGMA page_count").fetchone()[0]
        s.store._conn.execute(f"PRAGMA max_page_count={pages + 30}")  # a disk that fills up
        with pytest.raises(StoreFailure, match=r"^disk full ") as caught:
            s.add(notes)
        stored = len(s.papers())
    assert 0 < stored < len(notes)
    assert caught.value.message.endswith(f": {stored} papers stored")
    assert caught.value.hint == "run again after freeing space"


def test_an_empty_synth_home_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNTH_HOME", "")
    with pytest.raises(BadInput, match="SYNTH_HOME is set but empty"):
        synth.open()


def test_info_on_a_home_that_does_not_exist_creates_nothing(tmp_path: Path) -> None:
    with synth.open(tmp_path / "nowhere") as s:
        facts = s.info()
        assert (facts["exists"], facts["papers"], facts["passages"]) == (False, 0, 0)
        assert s.papers() == []
    assert not (tmp_path / "nowhere").exists()


def test_index_ahead_of_time_and_listing_filters(session: Session) -> None:
    recorder = Recorder()
    session.progress = recorder
    done = session.index()
    assert done.passages > 0 and done.embedded == done.passages and done.path.exists()
    assert recorder.updates[-1][0] == "embedding passages"
    assert session.index().embedded == 0
    assert [s.paper.paper_id for s in session.papers(search="PHANG")] == ["phang.md"]
    assert session.papers(source="pdf") == [] and session.count_papers("text") == 1
    with pytest.raises(BadInput, match="unknown source"):
        session.papers(source="web")
