"""Ingest: sources -> passages -> store, one paper at a time.

Each paper is stored in its own transaction, so an interrupted run keeps every paper it
finished and the next run skips them. A paper that fails becomes a failed
:class:`Outcome` naming it and saying why; it never stops the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ParamSpec

from synth.core.arxiv_ids import parse_arxiv_id
from synth.core.errors import StoreFailure, SynthError
from synth.core.progress import NoProgress, ProgressSink
from synth.core.settings import Settings
from synth.core.types import AddStatus, Paper
from synth.corpus.parsing.chunk import chunk_page
from synth.corpus.sources import Document
from synth.corpus.sources.arxiv import ArxivSource
from synth.corpus.sources.local import (
    detect_format,
    file_paper_id,
    load_pdf,
    load_text,
    read_bytes,
    read_jsonl,
)
from synth.corpus.store import Store

P = ParamSpec("P")


@dataclass(frozen=True)
class Outcome:
    """What happened to one thing the user asked to add."""

    ref: str
    status: AddStatus | None  # None: it failed, see ``error``
    paper: Paper | None = None
    passages: int = 0
    error: SynthError | None = None

    @property
    def failed(self) -> bool:
        return self.status is None


def _guarded(ref: str, step: Callable[P, Outcome], *args: P.args, **kwargs: P.kwargs) -> Outcome:
    """``step(*args, **kwargs)``, with any failure turned into a failed outcome for ``ref``."""
    try:
        return step(*args, **kwargs)
    except StoreFailure:
        raise  # the database failed, not this paper: every later one would fail the same way
    except SynthError as exc:
        return Outcome(ref, None, error=exc)
    except Exception as exc:  # a bug on one odd paper must not stop the rest
        return Outcome(
            ref,
            None,
            error=SynthError(
                f"{ref}: unexpected error ({type(exc).__name__}: {exc})",
                "please report it with this file or id; the other papers are not affected",
            ),
        )


class Ingestor:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        progress: ProgressSink | None = None,
        arxiv: ArxivSource | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.progress = progress or NoProgress()
        self._arxiv = arxiv

    @property
    def arxiv(self) -> ArxivSource:
        """Built on first use, so a bad mirror setting only matters to ``fetch``."""
        if self._arxiv is None:
            self._arxiv = ArxivSource(
                self.settings.arxiv, self.settings.pdf_cache, parse=self.settings.parse
            )
        return self._arxiv

    def _store(self, ref: str, document: Document, replace: bool) -> Outcome:
        passages = [
            passage
            for page in document.pages
            for passage in chunk_page(page, document.paper.paper_id, self.settings.chunk)
        ]
        status = self.store.add(document.paper, document.pages, passages, replace)
        return Outcome(ref, status, document.paper, len(passages))

    def _pages(self, name: str) -> Callable[[int, int], None]:
        return lambda done, total: self.progress.update(f"parse {name}", done, total)

    def add_paths(
        self, paths: Iterable[Path], fmt: str = "auto", paper_id: str | None = None
    ) -> Iterator[Outcome]:
        """Local PDFs, text/Markdown files and JSONL corpora (one outcome per record).

        Args:
            paths: The files.
            fmt: ``auto``, ``pdf``, ``text`` or ``jsonl``.
            paper_id: The name to store a single PDF or text file under instead of its file
                name (a JSONL corpus names its records itself: refused).

        Returns:
            One :class:`Outcome` per file, or per record of a JSONL corpus.
        """
        for path in paths:
            try:  # read first: a folder or a pipe is named as such, whatever its suffix
                data = read_bytes(path, self.settings.parse)
                kind = detect_format(path, fmt)
                if kind == "jsonl" and paper_id is not None:
                    raise SynthError(f"{path}: a JSONL corpus holds many papers, each named "
                                     "by its id field", "add it without --id")  # fmt: skip
            except SynthError as exc:
                yield Outcome(str(path), None, error=exc)
                continue
            if kind == "jsonl":
                yield from self._add_jsonl(path, data)
            else:
                yield _guarded(str(path), self._add_file, path, kind, data, paper_id)

    def _add_file(self, path: Path, kind: str, data: bytes, paper_id: str | None) -> Outcome:
        stored = self.store.get(file_paper_id(path, data))
        if stored:
            return Outcome(str(path), AddStatus.UNCHANGED, stored)
        if kind == "pdf":
            document = load_pdf(path, data, self._pages(path.name), self.settings.parse, paper_id)
        else:
            document = load_text(path, data, paper_id)
        return self._store_local(str(path), document)

    def _store_local(self, ref: str, document: Document) -> Outcome:
        """A local paper replaces the one stored under its paper_id only when both come
        from the same file (an edited file, a re-exported corpus); else it is refused."""
        taken = self.store.by_paper_id(document.paper.paper_id)
        return self._store(ref, document, replace=bool(taken and taken.path == document.paper.path))

    def _add_jsonl(self, path: Path, data: bytes) -> Iterator[Outcome]:
        try:
            records = list(read_jsonl(path, data))
        except SynthError as exc:
            yield Outcome(str(path), None, error=exc)
            return
        for number, item in records:
            ref = f"{path}:{number}"
            self.progress.update(f"add {path.name}", number, len(records))
            if isinstance(item, SynthError):
                yield Outcome(ref, None, error=item)
                continue
            yield _guarded(ref, self._store_local, ref, item)

    def fetch_arxiv(self, refs: Iterable[str], refresh: bool = False) -> Iterator[Outcome]:
        """arXiv papers by id or URL. A paper already stored is not fetched again unless
        ``refresh`` (which also retries papers stored as abstract only)."""
        source = self.arxiv  # a broken mirror setting fails the command once, up front
        for text in refs:
            yield _guarded(text, self._fetch_one, source, text, refresh)

    def _fetch_one(self, source: ArxivSource, text: str, refresh: bool) -> Outcome:
        ref = parse_arxiv_id(text)
        stored = self.store.by_paper_id(ref.query)
        if stored and not refresh:
            return Outcome(text, AddStatus.UNCHANGED, stored)
        document = source.load(
            ref,
            ref.query,
            on_download=lambda done, total: self.progress.update(
                f"download {ref.query}", done, total
            ),
            on_page=self._pages(ref.query),
        )
        return self._store(text, document, replace=True)
