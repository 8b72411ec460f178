"""synth's Python API: :func:`open` a :class:`Session`, then fetch, add, check, audit,
synthesize, evaluate and reproduce through it. The CLI is a thin shell over the same calls.

Extension points (pass instances to :func:`open`): :class:`NLIScorer`, :class:`Embedder`,
:class:`Reranker`, :class:`Generator`. They are imported only when asked for, so importing
this package stays instant."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from synth.api.session import BatchResult, Session, open

if TYPE_CHECKING:
    from synth.report.synthesis import Generator
    from synth.retrieval.embed import Embedder
    from synth.retrieval.search import Reranker
    from synth.verify.nli import NLIScorer

_LAZY = {
    "NLIScorer": "synth.verify.nli",
    "Embedder": "synth.retrieval.embed",
    "Reranker": "synth.retrieval.search",
    "Generator": "synth.report.synthesis",
}

__all__ = ["BatchResult", "Embedder", "Generator", "NLIScorer", "Reranker", "Session", "open"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'synth.api' has no attribute {name!r}")
