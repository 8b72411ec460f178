"""The arXiv source, exercised through the real ``arxiv`` client and requests: the
recorded API responses in the shared mirror, a mirror with PDFs, scripted network
faults served by a transport adapter (the HTTP layer is faked, never our logic), and real
sockets on 127.0.0.1 for an unreachable, a busy and a silent arXiv."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from conftest import FAKE_ABSTRACT, FAKE_ID, FAKE_TITLE, atom_feed
from pdfgen import marker
from requests.adapters import BaseAdapter

from synth.core.arxiv_ids import parse_arxiv_id
from synth.core.errors import SynthError
from synth.core.settings import ArxivSettings
from synth.corpus.sources.arxiv import ArxivSource, build_session
from synth.corpus.sources.http import PoliteSession, RateLimiter


def _source(mirror: Path | None, tmp_path: Path, **kwargs: Any) -> ArxivSource:
    settings = ArxivSettings(mirror=mirror, delay_seconds=0, backoff_seconds=0)
    return ArxivSource(settings, tmp_path / "cache", **kwargs)


def test_recorded_response_gives_title_authors_and_abstract(
    arxiv_mirror: Path, tmp_path: Path
) -> None:
    record = next(
        json.loads(line)
        for line in (arxiv_mirror / "papers.jsonl").read_text().splitlines()
        if json.loads(line)["arxiv_id"] == "2005.13013"
    )
    doc = _source(arxiv_mirror, tmp_path).load(parse_arxiv_id("2005.13013"), "2005.13013")
    paper = doc.paper
    assert paper.title == record["title"]
    assert list(paper.authors) == record["authors"]
    assert paper.abstract == record["abstract"]
    assert paper.arxiv_version == record["version"]
    assert not paper.full_text and "no PDF" in paper.note
    assert doc.pages[0].text == record["abstract"]


def test_explicit_version_resolves_to_that_version(arxiv_mirror: Path, tmp_path: Path) -> None:
    source = _source(arxiv_mirror, tmp_path)
    latest = source.load(parse_arxiv_id("2005.13013"), "2005.13013").paper
    first = source.load(parse_arxiv_id("arXiv:2005.13013v1"), "2005.13013v1").paper
    assert (latest.arxiv_version, first.arxiv_version) == ("v2", "v1")
    assert latest.authors != first.authors  # v1 lists the authors in another order
    assert latest.id != first.id


def test_latest_version_asked_by_number_is_served_from_the_unversioned_file(
    arxiv_mirror: Path, tmp_path: Path
) -> None:
    source = _source(arxiv_mirror, tmp_path)
    paper = source.load(parse_arxiv_id("http://arxiv.org/abs/2005.13013v2"), "2005.13013v2").paper
    assert paper.arxiv_version == "v2" and paper.title.startswith("English Intermediate-Task")
    with pytest.raises(SynthError):  # v3 does not exist: the latest file is v2
        source.load(parse_arxiv_id("2005.13013v3"), "2005.13013v3")


def test_unknown_id_in_mirror_names_the_mirror(arxiv_mirror: Path, tmp_path: Path) -> None:
    with pytest.raises(SynthError) as caught:
        _source(arxiv_mirror, tmp_path).load(parse_arxiv_id("2205.08497v1"), "2205.08497v1")
    assert "2205.08497v1" in caught.value.message and "offline mirror" in caught.value.message
    assert "atom/2205.08497v1.xml" in (caught.value.hint or "")


def test_missing_mirror_directory(tmp_path: Path) -> None:
    with pytest.raises(SynthError) as caught:
        build_session(ArxivSettings(mirror=tmp_path / "nowhere"))
    assert "does not exist" in caught.value.message and "SYNTH_ARXIV_MIRROR" in (
        caught.value.hint or ""
    )


def test_mirror_pdf_is_parsed_and_cached(fake_mirror: Path, tmp_path: Path) -> None:
    source = _source(fake_mirror, tmp_path)
    seen: list[tuple[int, int | None]] = []
    doc = source.load(
        parse_arxiv_id(FAKE_ID), FAKE_ID, on_download=lambda d, t: seen.append((d, t))
    )
    assert doc.paper.full_text and doc.paper.pages == 5 and doc.paper.pdf_sha256
    assert doc.paper.title == FAKE_TITLE and doc.paper.abstract == FAKE_ABSTRACT
    assert marker(4) in doc.pages[3].text
    assert seen and seen[-1][0] == seen[-1][1]  # progress reached the announced size
    cached = tmp_path / "cache" / f"{FAKE_ID}v2.pdf"
    assert cached.is_file() and not list(cached.parent.glob("*.part*"))
    (fake_mirror / "pdf" / f"{FAKE_ID}v2.pdf").unlink()  # the cache now serves it
    assert source.load(parse_arxiv_id(FAKE_ID), FAKE_ID).paper.id == doc.paper.id


def test_paper_without_pdf_keeps_its_abstract(fake_mirror: Path, tmp_path: Path) -> None:
    doc = _source(fake_mirror, tmp_path).load(parse_arxiv_id("2101.00002"), "2101.00002")
    assert not doc.paper.full_text and "has no PDF for 2101.00002v1" in doc.paper.note
    assert doc.pages[0].text == "Only an abstract. Nothing more."


class Scripted(BaseAdapter):
    """Answers each request with the next scripted item: a status and body, or an
    exception to raise (a time-out, a dropped connection). Records the URLs asked."""

    def __init__(self, script: list[tuple[int, bytes] | Exception]) -> None:
        super().__init__()
        self.script = list(script)
        self.urls: list[str] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        self.urls.append(str(request.url))
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        response = requests.Response()
        response.status_code, response.raw = step[0], io.BytesIO(step[1])
        response.url, response.request = str(request.url), request
        return response

    def close(self) -> None:
        """No connections to close."""


FEED = atom_feed(FAKE_ID, "v2", FAKE_TITLE, FAKE_ABSTRACT, ["Ada Lovelace"]).encode()


def _scripted(
    tmp_path: Path, script: list[tuple[int, bytes] | Exception], retries: int = 2
) -> tuple[ArxivSource, Scripted, list[float]]:
    adapter = Scripted(script)
    session = PoliteSession(RateLimiter(0), timeout=5)
    session.mount("https://", adapter)
    sleeps: list[float] = []
    settings = ArxivSettings(delay_seconds=0, backoff_seconds=1.0, retries=retries)
    return (
        ArxivSource(settings, tmp_path / "cache", session=session, sleep=sleeps.append),
        adapter,
        sleeps,
    )


def test_server_errors_are_retried_with_backoff(tmp_path: Path) -> None:
    source, adapter, sleeps = _scripted(tmp_path, [(503, b""), (502, b""), (200, FEED), (404, b"")])
    doc = source.load(parse_arxiv_id(FAKE_ID), FAKE_ID)
    assert doc.paper.title == FAKE_TITLE and not doc.paper.full_text
    assert sleeps == [1.0, 2.0]
    assert adapter.urls[0].startswith("https://export.arxiv.org/api/query?")
    assert adapter.urls[-1] == f"https://arxiv.org/pdf/{FAKE_ID}v2"


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        (lambda: requests.ReadTimeout("read timed out"), "did not answer within 5 s"),
        (lambda: requests.ConnectionError("connection reset by peer"), "cannot reach arXiv"),
        (lambda: (503, b"busy"), "HTTP 503"),
    ],
)
def test_persistent_network_faults_give_up_with_a_remedy(
    tmp_path: Path, fault: Callable[[], Any], words: str
) -> None:
    source, adapter, sleeps = _scripted(tmp_path, [fault() for _ in range(3)], retries=2)
    source.settings = source.settings.model_copy(update={"timeout_seconds": 5})
    with pytest.raises(SynthError) as caught:
        source.load(parse_arxiv_id(FAKE_ID), FAKE_ID)
    assert FAKE_ID in caught.value.message and words in caught.value.message
    assert "(3 tries)" in caught.value.message and caught.value.hint
    assert len(adapter.urls) == 3 and sleeps == [1.0, 2.0]


def test_client_errors_are_not_retried(tmp_path: Path) -> None:
    source, adapter, sleeps = _scripted(tmp_path, [(400, b"bad id")])
    with pytest.raises(SynthError, match="HTTP 400"):
        source.load(parse_arxiv_id(FAKE_ID), FAKE_ID)
    assert len(adapter.urls) == 1 and sleeps == []


def test_unknown_id_on_live_api(tmp_path: Path) -> None:
    from synth.corpus.sources.mirror import EMPTY_FEED

    source, _, _ = _scripted(tmp_path, [(200, EMPTY_FEED)])
    with pytest.raises(SynthError) as caught:
        source.load(parse_arxiv_id("2912.99999"), "2912.99999")
    assert "2912.99999: arXiv has no such paper" in caught.value.message
    assert "arxiv.org/abs/2912.99999" in (caught.value.hint or "")


def test_pdf_download_timeout_after_metadata_is_an_error(tmp_path: Path) -> None:
    timeouts: list[tuple[int, bytes] | Exception] = [requests.ReadTimeout("slow")] * 3
    source, _, _ = _scripted(tmp_path, [(200, FEED), *timeouts])
    with pytest.raises(SynthError, match="did not answer"):
        source.load(parse_arxiv_id(FAKE_ID), FAKE_ID)
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())


def test_oversized_pdf_download_is_refused_and_not_cached(tmp_path: Path) -> None:
    source, _, _ = _scripted(tmp_path, [(200, FEED), (200, b"%PDF-1.7\n" + b"0" * 300_000)])
    source.settings = source.settings.model_copy(update={"max_pdf_mb": 0.1})
    with pytest.raises(SynthError, match=r"over 0\.1 MB") as caught:
        source.load(parse_arxiv_id(FAKE_ID), FAKE_ID)
    assert "SYNTH_ARXIV_MAX_PDF_MB" in (caught.value.hint or "")
    assert not (tmp_path / "cache").exists()


class LocalArxiv:
    """An HTTP server on 127.0.0.1 answering each GET with the next scripted status and
    body; records the paths asked."""

    def __init__(self) -> None:
        self.script: list[tuple[int, bytes]] = []
        self.paths: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.paths.append(self.path)
                status, body = outer.script.pop(0)
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                """Quiet."""

        self.httpd = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"


@pytest.fixture
def local_arxiv() -> Iterator[LocalArxiv]:
    server = LocalArxiv()
    thread = threading.Thread(target=server.httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def _live(
    tmp_path: Path, api: str, retries: int = 4, timeout: float = 5.0
) -> tuple[ArxivSource, list[float]]:
    """The source as it runs against the live API (its own session and real transport, no
    mirror), its client asking ``api`` instead of export.arxiv.org; the back-off sleeps are
    recorded, not slept."""
    settings = ArxivSettings(
        delay_seconds=0, backoff_seconds=1.0, retries=retries, timeout_seconds=timeout
    )
    session = build_session(settings)
    session.trust_env = False  # no proxy from the environment between the test and 127.0.0.1
    sleeps: list[float] = []
    source = ArxivSource(settings, tmp_path / "cache", session=session, sleep=sleeps.append)
    source._client.query_url_format = f"{api}/api/query?{{}}"
    return source, sleeps


@pytest.mark.parametrize("host", ["closed port", "unknown name"])
def test_an_unreachable_arxiv_is_said_at_the_first_try(
    tmp_path: Path, closed_port: int, host: str
) -> None:
    api, why = {
        "closed port": (
            f"http://127.0.0.1:{closed_port}",
            f"connecting to 127.0.0.1:{closed_port}: connection refused",
        ),
        "unknown name": ("http://export.arxiv.invalid", "export.arxiv.invalid does not resolve"),
    }[host]
    source, sleeps = _live(tmp_path, api)
    with pytest.raises(SynthError) as caught:
        source.load(parse_arxiv_id(FAKE_ID), FAKE_ID)
    assert caught.value.message == f"{FAKE_ID}: cannot reach arXiv ({why}; not retried)"
    assert "SYNTH_ARXIV_MIRROR" in (caught.value.hint or "")
    assert sleeps == []  # before: four back-offs (30 s at the default settings) first


def test_an_unreachable_pdf_host_is_said_at_the_first_try(tmp_path: Path, closed_port: int) -> None:
    source, sleeps = _live(tmp_path, f"http://127.0.0.1:{closed_port}")
    with pytest.raises(SynthError, match=r"cannot reach arXiv \(connecting to 127\.0\.0\.1"):
        source.pdf(f"{FAKE_ID}v2", f"http://127.0.0.1:{closed_port}/pdf/{FAKE_ID}v2")
    assert sleeps == []


def test_a_busy_arxiv_is_still_retried_with_backoff(
    tmp_path: Path, local_arxiv: LocalArxiv
) -> None:
    local_arxiv.script = [(503, b"busy"), (502, b"busy"), (200, FEED)]
    source, sleeps = _live(tmp_path, local_arxiv.url)
    result = source.metadata(parse_arxiv_id(FAKE_ID))
    assert result.title == FAKE_TITLE
    assert sleeps == [1.0, 2.0] and len(local_arxiv.paths) == 3
    assert local_arxiv.paths[0].startswith(f"/api/query?search_query=&id_list={FAKE_ID}")


def test_a_silent_arxiv_is_still_retried_with_backoff(tmp_path: Path, silent_port: int) -> None:
    source, sleeps = _live(tmp_path, f"http://127.0.0.1:{silent_port}", retries=2, timeout=0.2)
    with pytest.raises(SynthError) as caught:
        source.load(parse_arxiv_id(FAKE_ID), FAKE_ID)
    assert "did not answer within 0.2 s (3 tries)" in caught.value.message
    assert sleeps == [1.0, 2.0]
