"""An offline arXiv mirror served as an HTTP transport, so the real ``arxiv`` client and
PDF download code run unchanged against files on disk.

Layout of the mirror directory::

    atom/<id>.xml      the API's answer to ?id_list=<id> (id with or without version;
                       old-style ids write '/' as '_': hep-th_9901001.xml)
    pdf/<id>vN.pdf     the paper's PDF (optional: without it the abstract is stored)

An id that has no Atom file gets an empty feed, as arXiv answers for ids it does not know.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import requests
from requests.adapters import BaseAdapter

EMPTY_FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <title type="html">synth offline mirror: no entry</title>
  <id>synth-mirror-empty</id>
  <updated>1970-01-01T00:00:00Z</updated>
  <opensearch:totalResults>0</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
  <opensearch:itemsPerPage>100</opensearch:itemsPerPage>
</feed>
"""


def file_name(arxiv_id: str) -> str:
    return arxiv_id.replace("/", "_")


class MirrorAdapter(BaseAdapter):
    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root

    def _respond(
        self, request: requests.PreparedRequest, status: int, body: bytes
    ) -> requests.Response:
        response = requests.Response()
        response.status_code = status
        response.raw = io.BytesIO(body)  # read lazily, as from a socket: stream=True works
        response.url = str(request.url)
        response.request = request
        response.headers["Content-Length"] = str(len(body))
        return response

    def _feed(self, arxiv_id: str) -> bytes:
        """The recorded answer for ``arxiv_id``. A versioned id with no file of its own is
        served from the unversioned file when that holds the same version (the latest), as
        arXiv itself answers both."""
        path = self.root / "atom" / f"{file_name(arxiv_id)}.xml"
        if path.is_file():
            return path.read_bytes()
        base, _, version = arxiv_id.rpartition("v")
        latest = self.root / "atom" / f"{file_name(base)}.xml"
        if base and version.isdigit() and latest.is_file():
            body = latest.read_bytes()
            if f"/abs/{arxiv_id}</id>".encode() in body:
                return body
        return EMPTY_FEED

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        url = urlparse(str(request.url))
        if url.path.endswith("/api/query"):
            ids = parse_qs(url.query).get("id_list", [""])[0]
            if "," in ids or not ids:
                return self._respond(request, 400, b"the mirror answers single-id queries")
            return self._respond(request, 200, self._feed(ids))
        if url.path.startswith("/pdf/"):
            name = url.path[len("/pdf/") :].removesuffix(".pdf")
            path = self.root / "pdf" / f"{file_name(name)}.pdf"
            if path.is_file():
                return self._respond(request, 200, path.read_bytes())
        return self._respond(request, 404, b"not in the offline mirror")

    def close(self) -> None:
        """Nothing to release: the mirror holds no connections."""
