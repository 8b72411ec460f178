"""Where papers come from: arXiv (live or an offline mirror) and local files."""

from __future__ import annotations

from dataclasses import dataclass

from synth.core.types import PageText, Paper


@dataclass(frozen=True)
class Document:
    """A paper and its page texts, ready to be cut into passages and stored."""

    paper: Paper
    pages: list[PageText]
