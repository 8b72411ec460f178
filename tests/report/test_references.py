"""Resolving a report's references through the real ingest path (the arXiv client against
a mirror on disk): arXiv ids, URLs and DOIs, stored papers, and what cannot resolve."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
from conftest import FAKE_ID, FAKE_TITLE

from synth.core.settings import Settings
from synth.core.types import Reference
from synth.corpus.ingest import Ingestor, Outcome
from synth.corpus.store import Store
from synth.report.references import arxiv_target, resolve_references


@pytest.mark.parametrize(
    ("ref", "query"),
    [
        ("http://arxiv.org/abs/2005.13013v2", "2005.13013v2"),
        ("<https://arxiv.org/pdf/2005.13013.pdf>", "2005.13013"),
        ("Phang et al. 2020. arXiv:2005.13013.", "2005.13013"),
        ("https://doi.org/10.48550/arXiv.2010.11934", "2010.11934"),
        ("see 1911.02116v2 for details", "1911.02116v2"),
        ("https://doi.org/10.18653/v1/2020.aacl-main.56", None),
        ("Someone, a blog post", None),
    ],
)
def test_arxiv_target(ref: str, query: str | None) -> None:
    target = arxiv_target(ref)
    assert (target.query if target else None) == query


def _resolve(refs: list[str], mirror: Path) -> tuple[list[Reference], list[list[str]]]:
    """Resolve twice; the second time only what did not resolve is fetched again."""
    settings = Settings(arxiv={"mirror": mirror, "delay_seconds": 0})
    fetched: list[list[str]] = []
    with Store(settings.db_path) as store:

        def fetch(ids: Sequence[str]) -> Iterable[Outcome]:
            fetched.append(list(ids))
            return Ingestor(store, settings).fetch_arxiv(ids)

        first = resolve_references(refs, store, fetch)
        assert resolve_references(refs, store, fetch) == first
    return first, fetched


def test_resolved_unresolved_and_explained(fake_mirror: Path) -> None:
    refs = [
        f"http://arxiv.org/abs/{FAKE_ID}v2",
        "http://arxiv.org/abs/2205.08497v1",
        "https://doi.org/10.18653/v1/2020.aacl-main.56",
        "A blog post",
    ]
    (ok, missing, doi, text), fetched = _resolve(refs, fake_mirror)
    assert fetched == [[f"{FAKE_ID}v2", "2205.08497v1"], ["2205.08497v1"]]
    assert ok.resolved and ok.paper_id == f"{FAKE_ID}v2" and ok.title == FAKE_TITLE
    assert not missing.resolved and "offline mirror" in missing.why
    assert not doi.resolved and "not an arXiv paper" in doi.why and "synth add" in doi.why
    assert not text.resolved and "not an arXiv id" in text.why


def test_the_seed_references_against_the_recorded_responses(arxiv_mirror: Path) -> None:
    refs = [
        "http://arxiv.org/abs/2005.13013v2",
        "http://arxiv.org/abs/2205.08497v1",
        "http://arxiv.org/abs/2310.09917v3",
    ]
    (phang, unknown, study), _ = _resolve(refs, arxiv_mirror)
    assert phang.resolved and phang.title.startswith("English Intermediate-Task Training")
    assert study.resolved and study.paper_id == "2310.09917v3"
    assert not unknown.resolved and "2205.08497v1" in unknown.why


def test_a_stored_paper_is_found_by_its_paper_id(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n\nIntermediate training helps transfer to other languages.\n")
    settings = Settings()
    with Store(settings.db_path) as store:
        list(Ingestor(store, settings).add_paths([notes]))
        (ref,) = resolve_references(["notes.md"], store, lambda ids: [])
    assert ref.resolved and ref.paper_id == "notes.md"
