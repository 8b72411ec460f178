"""synth: check what scientific writing claims against the papers it cites.

    import synth

    with synth.open() as s:
        print(s.check("XLM-R gains 5.4 points on XTREME", papers=["2005.13013"]).label)

``synth.open`` and the rest of :mod:`synth.api` are imported on first use, so
``import synth`` stays instant."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from synth.api import Embedder, Generator, NLIScorer, Reranker, Session, open

__version__ = "0.1.0"
__all__ = ["Embedder", "Generator", "NLIScorer", "Reranker", "Session", "__version__", "open"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        import synth.api

        return getattr(synth.api, name)
    raise AttributeError(f"module 'synth' has no attribute {name!r}")
