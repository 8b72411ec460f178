"""The session: one settings object, one store, one checker, and every job synth does.

    import synth

    with synth.open() as s:
        s.fetch(["2005.13013"])
        verdict = s.check("XLM-R gains 5.4 points on XTREME", papers=["2005.13013"])
        print(verdict.label, verdict.confidence)

The store opens on first use and the checker (embedder, retriever, verifier and its
verdict head) is built on first use, so opening a session costs nothing. Adapters passed
to :func:`open` (an :class:`~synth.verify.nli.NLIScorer`, an
:class:`~synth.retrieval.embed.Embedder`, a :class:`~synth.retrieval.search.Reranker`, a
:class:`~synth.report.synthesis.Generator`) replace the built-in ones everywhere the
session checks claims. The CLI is a thin shell over this class.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from synth.core.errors import BadInput, invalid
from synth.core.progress import NoProgress, ProgressSink

if TYPE_CHECKING:
    from synth.api.evaluation import ModelEntry
    from synth.api.experiments import Reproduction
    from synth.api.upkeep import Cache, IndexSummary
    from synth.check.checker import Checker
    from synth.core.settings import Settings
    from synth.core.types import Paper, Passage, Report, Verdict
    from synth.corpus.ingest import Ingestor, Outcome
    from synth.corpus.store import PaperSummary, Store
    from synth.report.synthesis import Generator
    from synth.retrieval.embed import Embedder
    from synth.retrieval.search import Reranker
    from synth.verify.nli import NLIScorer

log = logging.getLogger("synth")


def open(
    home: str | Path | None = None,
    *,
    settings: Settings | None = None,
    scorer: NLIScorer | None = None,
    embedder: Embedder | None = None,
    reranker: Reranker | None = None,
    generator: Generator | None = None,
    progress: ProgressSink | None = None,
    **overrides: Any,
) -> Session:
    """Open a session on a synth home.

    Args:
        home: The folder holding the corpus, index, models and caches; default
            ``SYNTH_HOME`` (or ``~/.local/share/synth``).
        settings: A complete settings object; default read from the ``SYNTH_*``
            environment, then ``home`` and ``overrides`` applied.
        scorer: An NLI scorer to verify with instead of the configured verifier.
        embedder: A passage embedder instead of the configured sentence-transformers model.
        reranker: A re-ranker for the fused passages.
        generator: Writes extra sentences for syntheses (each is checked, kept only when
            supported); default the built-in one named by ``report.generator``, if any.
        progress: Where long work (embedding, checking many claims) reports progress.
        **overrides: Settings sections or fields, e.g. ``retrieve={"max_papers": 1}``.

    Returns:
        A :class:`Session`; use it as a context manager to close the store.

    Raises:
        BadInput: a setting has the wrong type or value, or ``SYNTH_HOME`` is set but
            empty (which would put the corpus in whatever folder the command runs in).
    """
    from pydantic import ValidationError

    from synth.core.settings import Settings, merge_nested

    if not home and settings is None and os.environ.get("SYNTH_HOME", "unset").strip() == "":
        raise BadInput("SYNTH_HOME is set but empty", "unset it (synth then uses "
                       "~/.local/share/synth) or set it to a folder")  # fmt: skip
    try:
        values: dict[str, Any] = {**overrides, **({"home": Path(home)} if home else {})}
        if settings is None:
            settings = Settings(**values)  # the environment, then these values
        elif values:
            settings = Settings.model_validate(merge_nested(settings.model_dump(), values))
    except ValidationError as exc:
        raise invalid(exc, "bad setting", "see the Settings section of the README") from exc
    return Session(settings, scorer=scorer, embedder=embedder, reranker=reranker,
                   generator=generator, progress=progress)  # fmt: skip


@dataclass(frozen=True)
class BatchResult:
    """What :meth:`Session.check_file` did: lines checked, lines that failed, and where the
    verdicts went."""

    done: int
    failed: int
    out: Path


class Session:
    """Everything synth does, over one store and one set of settings.

    Args:
        settings: The settings (see :func:`open`, which reads them for you).
        scorer, embedder, reranker, generator: Adapters replacing the built-in ones.
        progress: Where long work reports progress.
    """

    def __init__(
        self, settings: Settings, *, scorer: NLIScorer | None = None,
        embedder: Embedder | None = None, reranker: Reranker | None = None,
        generator: Generator | None = None, progress: ProgressSink | None = None,
    ) -> None:  # fmt: skip
        self.settings = settings
        self.progress = progress or NoProgress()
        self.adapters: dict[str, Any] = {
            k: v for k, v in (("scorer", scorer), ("embedder", embedder), ("reranker", reranker))
            if v is not None
        }  # fmt: skip
        self.generator = generator
        self._store: Store | None = None
        self._checker: Checker | None = None

    # -- lifetime ---------------------------------------------------------------------

    @property
    def store(self) -> Store:
        """The corpus (SQLite), opened on first use."""
        if self._store is None:
            from synth.corpus.store import Store

            self._store = Store(self.settings.db_path)
        return self._store

    def close(self) -> None:
        """Close the store; the session can be opened again by using it."""
        if self._store is not None:
            self._store.close()
        self._store = self._checker = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the corpus -------------------------------------------------------------------

    def fetch(self, ids: Sequence[str], refresh: bool = False) -> list[Outcome]:
        """Fetch arXiv papers (or their copies in ``SYNTH_ARXIV_MIRROR``) into the corpus.

        Args:
            ids: arXiv ids (``2005.13013``, ``2005.13013v1``) or arxiv.org URLs.
            refresh: Fetch papers that are already stored again.

        Returns:
            One :class:`~synth.corpus.ingest.Outcome` per paper; a failed one says why.

        Raises:
            StoreFailure: the database failed (disk full, damaged, read-only); its message
                ends with how many papers were stored before.
        """
        return _collected(self._ingestor().fetch_arxiv(list(ids), refresh))

    def add(
        self, paths: Sequence[str | Path], format: str = "auto", paper_id: str | None = None
    ) -> list[Outcome]:
        """Add local papers: PDFs, text/Markdown files, or JSONL corpora of abstracts.

        Args:
            paths: Files (a folder is not read: name the files in it).
            format: ``auto``, ``pdf``, ``text`` or ``jsonl``.
            paper_id: Store the one file of ``paths`` under this name instead of its file
                name (two files both called notes.md can then both be stored).

        Returns:
            One :class:`~synth.corpus.ingest.Outcome` per paper; a failed one says why, and
            one stored with ``passages == 0`` holds no text that can be checked.

        Raises:
            BadInput: an unknown format, or ``paper_id`` with other than one file, empty,
                or shaped like an arXiv id (fetched papers are stored under those).
            StoreFailure: as :meth:`fetch` raises it.
        """
        from synth.corpus.sources.local import FORMATS

        if format not in FORMATS:
            raise BadInput(f"unknown format {format!r}", f"use one of: {', '.join(FORMATS)}")
        if paper_id is not None:
            from synth.api.upkeep import check_name

            check_name(paper_id, len(paths))
        return _collected(self._ingestor().add_paths([Path(p) for p in paths], format, paper_id))

    def _has_corpus(self) -> bool:
        """Whether the database exists (reading a home that has none creates nothing)."""
        return self._store is not None or self.settings.db_path.exists()

    def papers(
        self, limit: int | None = None, source: str | None = None, search: str = ""
    ) -> list[PaperSummary]:
        """The stored papers, oldest first, filtered by the database (not in memory).

        Args:
            limit: At most this many (None: all).
            source: Only those from ``arxiv``, ``pdf``, ``text`` or ``jsonl``.
            search: Words that must each appear in the title or paper_id (any case).

        Returns:
            A :class:`~synth.corpus.store.PaperSummary` (paper, passage count, when added)
            per paper.

        Raises:
            BadInput: an unknown source or a negative limit.
        """
        from synth.api.upkeep import check_listing

        check_listing(limit, source)
        return self.store.summaries(limit, source, search) if self._has_corpus() else []

    def count_papers(self, source: str | None = None, search: str = "") -> int:
        """How many papers :meth:`papers` lists with no limit (same filters)."""
        from synth.api.upkeep import check_listing

        check_listing(None, source)
        return self.store.count_papers(source, search) if self._has_corpus() else 0

    def paper(self, ref: str) -> Paper:
        """The stored paper ``ref`` names.

        Args:
            ref: Its paper_id, content id, or arXiv id (with or without version).

        Returns:
            The :class:`~synth.core.types.Paper`.

        Raises:
            NotFound: no stored paper has that name.
        """
        return self.store.require(ref)

    def passages(self, ref: str) -> list[Passage]:
        """The passages of a stored paper.

        Args:
            ref: As :meth:`paper` takes it.

        Returns:
            Its :class:`~synth.core.types.Passage` records in reading order, each with page
            and character offsets.
        """
        return self.store.passages(self.paper(ref))

    def remove(self, ref: str) -> Paper:
        """Remove a paper with its pages, passages and vectors.

        Returns:
            The removed paper.
        """
        paper = self.paper(ref)
        self.store.remove(paper)
        self._checker = None
        return paper

    def _ingestor(self) -> Ingestor:
        from synth.corpus.ingest import Ingestor

        self._checker = None  # new passages: the index is brought up to date on next use
        return Ingestor(self.store, self.settings, self.progress)

    def index(self) -> IndexSummary:
        """Embed every passage that has no vector yet and bring the search index up to
        date, ahead of the first check (progress goes to the session's sink).

        Returns:
            An :class:`IndexSummary`.

        Raises:
            SynthError: the corpus is empty, or the embedding model cannot be loaded.
        """
        from synth.api.upkeep import build_index

        return build_index(self.store, self.settings, self.progress,
                           self.adapters.get("embedder"))  # fmt: skip

    def caches(self) -> list[Cache]:
        """The caches (downloaded PDFs, the SNLI archive, the Hugging Face hub) and their
        sizes.

        Returns:
            A :class:`~synth.api.caches.Cache` per cache.
        """
        from synth.api.upkeep import list_caches

        return list_caches(self.settings)

    def clear_cache(self, which: str) -> list[Cache]:
        """Delete a cache: ``pdf``, ``snli``, ``hub`` (shared with other programs, so only
        when named) or ``all`` (the PDF and SNLI caches).

        Returns:
            The caches cleared, with what they held.
        """
        from synth.api.upkeep import clear_caches

        return clear_caches(self.settings, which)

    # -- checking claims --------------------------------------------------------------

    @property
    def checker(self) -> Checker:
        """The checker (retriever, verifier, verdict head) with its index up to date."""
        return self._prepared(True)

    def _prepared(self, prepare: bool) -> Checker:
        from synth.check.checker import configured_checker

        if self._checker is None:
            self._checker = configured_checker(self.store, self.settings, self.progress,
                                               **self.adapters)  # fmt: skip
            if not prepare:
                return self._checker
            self._checker.retriever.prepare()
            why = self._checker.retriever.index.rebuilt_because
            if why not in (None, "no index yet"):
                log.warning("rebuilt the search index: %s", why)
        return self._checker

    def check(self, claim: str, papers: Sequence[str] = ()) -> Verdict:
        """Check one claim against the papers it cites, or the whole corpus.

        Args:
            claim: The claim, one English sentence or two.
            papers: Papers to check against (ids as :meth:`paper` takes them; an arXiv id
                that is not stored yet is fetched first); empty: the whole corpus
                (evidence from ``retrieve.max_papers`` papers).

        Returns:
            The :class:`~synth.core.types.Verdict`: label, calibrated confidence, per-paper
            verdicts and the evidence with quotes, papers and pages.

        Raises:
            BadInput: the claim is empty, too long or not English.
            NotFound: a named paper is not stored (nor an arXiv paper that exists).
            SourceUnavailable: arXiv could not be reached to fetch a named paper.
        """
        refs = self._stored(papers)  # before the checker: a fetch brings new passages
        return self.checker.check(claim, refs)

    def _stored(self, refs: Sequence[str]) -> list[str]:
        """``refs``, with the arXiv papers among them that are not stored yet fetched first
        (a failed fetch raises its error; other unknown refs fail in the check)."""
        from synth.core.arxiv_ids import parse_arxiv_id
        from synth.core.errors import SynthError

        wanted = []
        for ref in refs:
            if self.store.find(ref) is not None:
                continue
            try:
                parse_arxiv_id(ref)
            except SynthError:
                continue
            wanted.append(ref)
        for outcome in self.fetch(wanted) if wanted else ():
            if outcome.error is not None:
                raise outcome.error
        return list(refs)

    def check_many(self, claims: Iterable[str], papers: Sequence[str] = ()) -> Iterator[Verdict]:
        """Check claims one by one, each against ``papers`` (or the whole corpus).

        Args:
            claims: The claims.
            papers: As in :meth:`check`.

        Returns:
            An iterator of verdicts, in order; a claim that cannot be checked raises when
            its turn comes (use :meth:`check_file` to record failures and go on).
        """
        for claim in claims:
            yield self.check(claim, papers)

    def check_file(self, source: Path, out: Path, papers: Sequence[str] = ()) -> BatchResult:
        """Check a JSONL file of ``{"id", "claim"[, "papers"]}`` lines, one verdict per line.

        Verdicts are written as they are made to ``out`` (``.partial`` until the end); a bad
        line becomes an error line naming it and the batch goes on. A line without an id
        gets ``"line N"`` (its line number in ``source``) as its id.

        Args:
            source: The JSONL file of claims.
            out: Where the verdicts go (JSONL, one per input line).
            papers: Papers for lines that name none.

        Returns:
            A :class:`BatchResult`.
        """
        from synth.check.batch import check_jsonl

        refs = self._stored(papers)
        done, failed = check_jsonl(self.checker, source, out, refs)
        return BatchResult(done, failed, out)

    # -- reports ----------------------------------------------------------------------

    def audit(self, path: str | Path) -> Report:
        """Re-verify every claim of a synthesis report against the papers it cites.

        Args:
            path: A report, text or Markdown (references fetched from arXiv when needed).

        Returns:
            The audit :class:`~synth.core.types.Report`. A file synth cannot read gives a
            report that checks nothing and says why in ``problems``.

        Raises:
            NotFound: ``path`` is not a file.
        """
        from synth.api.reports import audit

        return audit(self, Path(path))

    def synthesize(
        self, question: str | None = None, papers: Sequence[str] = (), *,
        from_report: str | Path | None = None, generator: Generator | str | None = None,
    ) -> Report:  # fmt: skip
        """Write a verified synthesis: key claims of each paper, checked, grouped by theme.

        Args:
            question: The research question (default: the one of ``from_report``).
            papers: arXiv ids/URLs or stored papers.
            from_report: Take the question and references from an existing report.
            generator: Adds checked sentences per theme: a :class:`Generator`, or the name
                of a built-in one (``openai``); default the session's.

        Returns:
            The synthesis :class:`~synth.core.types.Report`.
        """
        from synth.api.reports import synthesize

        named = generator if isinstance(generator, str) else self.settings.report.generator
        chosen = (
            self._generator(named)
            if isinstance(generator, str) or not (generator or self.generator)
            else (generator or self.generator)
        )
        return synthesize(self, question, list(papers),
                          Path(from_report) if from_report else None, chosen)  # fmt: skip

    def _generator(self, name: str | None) -> Generator | None:
        from synth.report.generators import generator_by_name

        return generator_by_name(name, self.settings.report) if name else None

    @staticmethod
    def write_report(report: Report, folder: str | Path) -> dict[str, Path]:
        """Write a report as report.md, report.json and report.html into ``folder``.

        Returns:
            The three paths by kind (``md``, ``json``, ``html``).
        """
        from synth.report.output import write_report

        return write_report(report, Path(folder))

    # -- measuring the verifier, building it, reproducing experiments -----------------

    def evaluate(self, benchmark: str, **options: Any) -> dict[str, Any]:
        """Measure the verifier on labelled claims, as ``synth eval BENCHMARK`` does.

        Args:
            benchmark: ``scifact`` (options ``claims``, ``corpus``, ``split``, ``seed``,
                ``limit``, ``max_papers``), ``healthver`` (``pairs``, ``limit``) or
                ``offtopic`` (``claims``: list of files, ``papers``, ``limit``).
            **options: The benchmark's options.

        Returns:
            The figures (the JSON ``synth eval --json`` prints).
        """
        from synth.api import evaluation

        runs: dict[str, Callable[..., dict[str, Any]]] = {
            "scifact": evaluation.scifact, "healthver": evaluation.healthver,
            "offtopic": evaluation.offtopic,
        }  # fmt: skip
        if benchmark not in runs:
            raise BadInput(f"unknown benchmark {benchmark!r}", f"use one of: {', '.join(runs)}")
        return runs[benchmark](self, **options)

    def build_model(self, **options: Any) -> dict[str, Any]:
        """Build the default verifier from the shared data (``synth models build``).

        Args:
            **options: ``data`` (the shared data folder; default ``SYNTH_DATA_DIR``),
                ``snli``, ``name``, ``seed``, ``precision`` (default
                :data:`synth.core.precision.BUILD_PRECISION`, the shipped weights' own, so
                the build makes them again; ``fp32`` / ``bf16`` / ``auto``).

        Returns:
            The model's metadata (held-out figures, verdict head, build time).
        """
        from synth.api.evaluation import build_model

        return build_model(self, **options)

    def calibrate_model(self, name: str, data: Path | None = None, seed: int = 0) -> dict[str, Any]:
        """Fit a built verifier's verdict head again (``synth models calibrate``).

        Returns:
            The model's new metadata.
        """
        from synth.api.evaluation import calibrate_model

        return calibrate_model(self, name, data, seed)

    def models(self) -> list[ModelEntry]:
        """The verifiers: those built under ``SYNTH_HOME/models``, then the shipped one.

        Returns:
            A :class:`~synth.api.evaluation.ModelEntry` per model folder.
        """
        from synth.api.evaluation import list_models

        return list_models(self.settings)

    def reproduce(self, claim: str | None = None, *, preset: str = "lite",
                  **options: Any) -> Reproduction:  # fmt: skip
        """Re-run the experiment behind a claim (needs ``pip install 'synth[experiments]'``).

        Args:
            claim: The claim, in English (or pass ``spec=PATH`` to a spec TOML).
            preset: ``tiny``, ``lite`` or ``full``.
            **options: ``spec``, ``intermediate``, ``targets``, ``direction``, ``model``,
                ``device``, ``ask``, ``log`` (see :func:`synth.api.experiments.reproduce`).

        Returns:
            The reproduction: verdict, measured delta with its interval, per-language table.
        """
        from synth.api import experiments

        return experiments.reproduce(self.settings, claim, preset=preset, **options)

    def info(self) -> dict[str, Any]:
        """Where synth keeps its state, what the corpus holds and which verifier checks.

        Returns:
            ``home``, ``database``, ``exists`` (whether the database has been created:
            asking creates nothing), ``papers``, ``passages``, ``pdf_cache``, ``arxiv``,
            ``verifier`` (the model folder, or None when it cannot be found) and
            ``verifier_model`` (the configured verifier's name or path).
        """
        from synth.core.errors import SynthError
        from synth.core.models import resolve_model

        try:
            verifier: str | None = resolve_model(self.settings.verify.model,
                                                 self.settings.models_dir)  # fmt: skip
        except SynthError:
            verifier = None
        exists = self._has_corpus()
        return {
            "home": str(self.settings.home), "database": str(self.settings.db_path),
            "exists": exists, "papers": self.count_papers(),
            "passages": self.store.count_passages() if exists else 0,
            "pdf_cache": str(self.settings.pdf_cache), "arxiv": self.settings.arxiv.mirror,
            "verifier": verifier, "verifier_model": self.settings.verify.model,
        }  # fmt: skip


def _collected(outcomes: Iterable[Outcome]) -> list[Outcome]:
    """Every outcome of an ingest. A database failure ends it: every later paper would fail
    the same way, so it is raised once, saying how many papers were stored before it."""
    from synth.core.errors import StoreFailure
    from synth.core.types import AddStatus

    done: list[Outcome] = []
    try:
        for outcome in outcomes:
            done.append(outcome)
    except StoreFailure as exc:
        stored = sum(o.status in (AddStatus.ADDED, AddStatus.UPDATED) for o in done)
        raise StoreFailure(f"{exc.message}: {stored} papers stored", exc.hint) from exc
    return done
