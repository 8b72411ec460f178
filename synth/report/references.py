"""Resolving a report's references to stored papers: arXiv ids and URLs (and arXiv DOIs)
are fetched through the corpus layer (the offline mirror included); anything else is
looked up in the corpus by its paper_id, or explained."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from synth.core.arxiv_ids import ArxivId, parse_arxiv_id
from synth.core.errors import SynthError
from synth.core.types import Paper, Reference
from synth.corpus.ingest import Outcome
from synth.corpus.store import Store

Fetch = Callable[[Sequence[str]], Iterable[Outcome]]  # Ingestor.fetch_arxiv

_DOI = re.compile(r"\b(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/[^\s\])>]+)", re.I)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.I)
_ARXIV_IN_TEXT = re.compile(
    r"(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/[^\s)>\]]+"
    r"|\barxiv:\s?[\w./-]+\d"
    r"|\b\d{4}\.\d{4,5}(?:v\d+)?\b",
    re.I,
)


def arxiv_target(ref: str) -> ArxivId | None:
    """The arXiv paper a reference names: an id, an arXiv URL, ``arXiv:ID`` inside a
    citation, or an arXiv DOI (10.48550/arXiv.ID). None when it names no arXiv paper."""
    doi = _DOI.search(ref)
    if doi and (arxiv := _ARXIV_DOI.match(doi.group(1).rstrip(".,;"))):
        candidates = [arxiv.group(1)]
    else:
        candidates = [m.group(0).rstrip(".,;") for m in _ARXIV_IN_TEXT.finditer(ref)]
    for candidate in candidates:
        try:
            return parse_arxiv_id(re.sub(r"^arxiv:\s?", "arXiv:", candidate, flags=re.I))
        except SynthError:
            continue
    return None


def _stored(store: Store, target: ArxivId) -> Paper | None:
    """A stored paper of that arXiv id, and of that version when one was asked for."""
    paper = store.by_paper_id(target.query) or store.find(target.base)
    if paper is None or (target.version and paper.arxiv_version != target.version):
        return None
    return paper


def _resolved(ref: str, paper: Paper) -> Reference:
    return Reference(ref=ref, paper_id=paper.paper_id, resolved=True, title=paper.title,
                     url=paper.url, version=paper.arxiv_version, full_text=paper.full_text,
                     note=paper.note)  # fmt: skip


def resolve_references(refs: Sequence[str], store: Store, fetch: Fetch) -> list[Reference]:
    """One :class:`Reference` per ref, in order: resolved to a stored paper (fetched when
    needed), or unresolved with the reason. Never raises for a bad reference."""
    targets = {ref: arxiv_target(ref) for ref in refs}
    wanted = [
        t.query for t in dict.fromkeys(t for t in targets.values() if t is not None)
        if _stored(store, t) is None
    ]  # fmt: skip
    failures = {o.ref: o.error for o in fetch(wanted) if o.error is not None} if wanted else {}
    references = []
    for ref, target in targets.items():
        if target is not None:
            paper = _stored(store, target)
            error = failures.get(target.query)
            if paper is not None:
                references.append(_resolved(ref, paper))
            else:
                why = str(error) if error else f"arXiv returned no paper {target.query}"
                references.append(Reference(ref=ref, why=why))
            continue
        local = store.find(ref)
        if local is not None:
            references.append(_resolved(ref, local))
        elif doi := _DOI.search(ref):
            references.append(Reference(ref=ref, why=(
                f"DOI {doi.group(1)} is not an arXiv paper: synth fetches from arXiv only; "
                "add the paper's PDF with synth add FILE and cite its file name"
            )))  # fmt: skip
        else:
            references.append(Reference(ref=ref, why=(
                "not an arXiv id, arXiv URL or DOI, nor a stored paper "
                "(synth corpus list shows the stored ones)"
            )))  # fmt: skip
    return references
