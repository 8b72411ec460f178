"""Papers from arXiv through the ``arxiv`` package: metadata from the API, then the PDF.

All HTTP goes through one :class:`~synth.corpus.sources.http.PoliteSession` (one request every
``delay_seconds``, a time-out on each) with retries and exponential back-off on 5xx, 429,
time-outs and dropped connections. An unreachable arXiv (its name does not resolve, the
connection is refused) is said at the first try: waiting would not help. With
``SYNTH_ARXIV_MIRROR`` set the session is wired to an offline mirror instead of the network.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path

import arxiv
import requests

from synth.core.arxiv_ids import ArxivId
from synth.core.errors import NotFound, SourceUnavailable, SynthError
from synth.core.settings import ArxivSettings, ParseSettings
from synth.core.types import Paper, SourceKind, content_id
from synth.corpus.parsing.chunk import split_sentences
from synth.corpus.parsing.pdf import read_pdf
from synth.corpus.parsing.structure import sentences_page
from synth.corpus.sources import Document
from synth.corpus.sources.http import (
    PoliteSession,
    RateLimiter,
    is_transient_status,
    unreachable,
    with_retries,
)
from synth.corpus.sources.mirror import MirrorAdapter, file_name

Advance = Callable[[int, int | None], None]  # (bytes so far, total bytes or None)


def _retryable(exc: Exception) -> bool:
    if isinstance(exc, arxiv.HTTPError):
        return is_transient_status(exc.status)
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return is_transient_status(exc.response.status_code)
    timeout_or_dropped = isinstance(exc, requests.Timeout | requests.ConnectionError)
    return timeout_or_dropped and unreachable(exc) is None


def build_session(settings: ArxivSettings) -> requests.Session:
    """The session the arXiv client and the PDF download share."""
    if settings.mirror is None:
        return PoliteSession(RateLimiter(settings.delay_seconds), settings.timeout_seconds)
    root = settings.mirror.expanduser()
    if not (root / "atom").is_dir():
        raise SynthError(
            f"offline arXiv mirror {root} has no atom/ directory"
            + ("" if root.is_dir() else " (the directory does not exist)"),
            "point SYNTH_ARXIV_MIRROR at a folder holding atom/<id>.xml (and pdf/), "
            "or unset it to use the live arXiv API",
        )
    session = PoliteSession(RateLimiter(0.0), settings.timeout_seconds)
    adapter = MirrorAdapter(root)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class ArxivSource:
    def __init__(
        self,
        settings: ArxivSettings,
        cache_dir: Path,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        parse: ParseSettings | None = None,
    ) -> None:
        self.settings = settings
        self.cache_dir = cache_dir
        self.parse = parse  # the PDF budget (None: the defaults)
        self._sleep = sleep
        self._session = session or build_session(settings)
        self._client = arxiv.Client(page_size=10, delay_seconds=0.0, num_retries=0)
        self._client._session = self._session  # the package's one HTTP hook

    @property
    def where(self) -> str:
        return f"the offline mirror {self.settings.mirror}" if self.settings.mirror else "arXiv"

    def _network_error(self, what: str, exc: Exception) -> SourceUnavailable:
        tries = self.settings.retries + 1
        why = unreachable(exc)
        if why is not None:
            return SourceUnavailable(
                f"{what}: cannot reach arXiv ({why}; not retried)",
                "check the connection, or use an offline mirror (SYNTH_ARXIV_MIRROR)",
            )
        if isinstance(exc, requests.Timeout):
            return SourceUnavailable(
                f"{what}: arXiv did not answer within {self.settings.timeout_seconds:g} s "
                f"({tries} tries)",
                "check the connection and run the command again, raise "
                "SYNTH_ARXIV_TIMEOUT_SECONDS, or use an offline mirror (SYNTH_ARXIV_MIRROR)",
            )
        if isinstance(exc, requests.ConnectionError):
            return SourceUnavailable(
                f"{what}: cannot reach arXiv ({tries} tries)",
                "check the connection, or use an offline mirror (SYNTH_ARXIV_MIRROR)",
            )
        status = (
            exc.status
            if isinstance(exc, arxiv.HTTPError)
            else getattr(getattr(exc, "response", None), "status_code", "?")
        )
        return SourceUnavailable(
            f"{what}: arXiv answered HTTP {status} ({tries} tries)",
            "arXiv may be busy: try again in a few minutes",
        )

    def metadata(self, ref: ArxivId) -> arxiv.Result:
        search = arxiv.Search(id_list=[ref.query], max_results=1)
        try:
            results = with_retries(
                lambda: list(self._client.results(search)),
                _retryable,
                self.settings.retries,
                self.settings.backoff_seconds,
                self._sleep,
            )
        except (arxiv.HTTPError, requests.RequestException) as exc:
            raise self._network_error(ref.query, exc) from exc
        if not results or "/api/errors" in results[0].entry_id:
            if self.settings.mirror:
                raise NotFound(
                    f"{ref.query}: not in the offline mirror {self.settings.mirror}",
                    f"add atom/{file_name(ref.query)}.xml to the mirror, or unset "
                    "SYNTH_ARXIV_MIRROR to ask the live arXiv API",
                )
            raise NotFound(
                f"{ref.query}: arXiv has no such paper"
                + (f" (or no version {ref.version})" if ref.version else ""),
                f"check the id at https://arxiv.org/abs/{ref.base}",
            )
        return results[0]

    def _download(self, url: str, advance: Advance | None) -> bytes:
        limit = int(self.settings.max_pdf_mb * 1024 * 1024)

        def attempt() -> bytes:
            with self._session.get(url, stream=True) as response:
                response.raise_for_status()
                total = int(response.headers.get("Content-Length") or 0) or None
                chunks, size = [], 0
                for chunk in response.iter_content(chunk_size=1 << 16):
                    size += len(chunk)
                    if size > limit:
                        raise SynthError(
                            f"{url}: the PDF is over {self.settings.max_pdf_mb:g} MB",
                            "raise SYNTH_ARXIV_MAX_PDF_MB if you really want it",
                        )
                    chunks.append(chunk)
                    if advance:
                        advance(size, total)
                return b"".join(chunks)

        return with_retries(
            attempt, _retryable, self.settings.retries, self.settings.backoff_seconds, self._sleep
        )

    def pdf(self, short_id: str, url: str, advance: Advance | None = None) -> bytes | None:
        """The PDF's bytes from the cache or a download; None when there is none (404).
        A download is written to a temporary name and renamed, so the cache never holds
        half a file."""
        cached = self.cache_dir / f"{file_name(short_id)}.pdf"
        if cached.is_file():
            return cached.read_bytes()
        url = url.replace("http://", "https://", 1)
        try:
            data = self._download(url, advance)
        except requests.HTTPError as exc:
            if exc.response is not None and exc.response.status_code in (403, 404, 410):
                return None
            raise self._network_error(short_id, exc) from exc
        except requests.RequestException as exc:
            raise self._network_error(short_id, exc) from exc
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".part{os.getpid()}")
        partial.write_bytes(data)
        partial.replace(cached)
        return data

    def load(
        self,
        ref: ArxivId,
        paper_id: str,
        on_download: Advance | None = None,
        on_page: Callable[[int, int], None] | None = None,
    ) -> Document:
        """Metadata, then the PDF. Without a usable PDF the abstract is kept, and the
        paper says why (``full_text=False``, ``note``)."""
        result = self.metadata(ref)
        short_id = result.get_short_id()
        version = short_id[len(ref.base) :] or None
        abstract = " ".join(result.summary.split())
        fields = dict(
            paper_id=paper_id,
            source=SourceKind.ARXIV,
            title=result.title,
            authors=tuple(a.name for a in result.authors),
            year=result.published.year,
            abstract=abstract,
            arxiv_id=ref.base,
            arxiv_version=version,
            url=result.entry_id,
        )
        note = ""
        data = self.pdf(short_id, result.pdf_url, on_download) if result.pdf_url else None
        if data is None:
            note = f"abstract only: {self.where} has no PDF for {short_id}"
        else:
            try:
                parsed = read_pdf(short_id, data, on_page, self.parse)
            except SynthError as exc:
                note = f"abstract only: {exc.message}"
            else:
                sha = hashlib.sha256(data).hexdigest()
                paper = Paper(
                    id=content_id("p", "pdf", sha),
                    pdf_sha256=sha,
                    pages=len(parsed.pages),
                    **fields,
                )
                return Document(paper, parsed.pages)
        sentences = [abstract[s:e] for s, e in split_sentences(abstract)]
        paper = Paper(
            id=content_id("p", "arxiv", short_id, abstract),
            full_text=False,
            note=note,
            pages=1,
            **fields,
        )
        return Document(paper, [sentences_page(sentences)])
