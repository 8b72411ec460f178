"""arXiv identifiers: parse what users type (ids, ``arXiv:`` prefixes, abs/pdf URLs)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from synth.core.errors import SynthError

# YYMM.NNNN from 2007 to 2014, YYMM.NNNNN since 2015 (months 01-12).
_NEW = r"(?:0[7-9]|1[0-4])(?:0[1-9]|1[0-2])\.\d{4}|(?:1[5-9]|[2-9]\d)(?:0[1-9]|1[0-2])\.\d{5}"
_OLD = r"[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}"
_ID = re.compile(rf"^(?P<base>{_NEW}|{_OLD})(?P<version>v\d+)?$")
_URL = re.compile(
    r"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/(?P<id>.+?)(?:\.pdf)?/?$", re.I
)


@dataclass(frozen=True)
class ArxivId:
    base: str
    version: str | None = None  # "v2"

    @property
    def query(self) -> str:
        """The id to ask arXiv for: with the version when one was given."""
        return f"{self.base}{self.version or ''}"


def parse_arxiv_id(text: str) -> ArxivId:
    """Parse ``2005.13013``, ``2005.13013v2``, ``arXiv:2005.13013``, ``hep-th/9901001``
    or an arxiv.org abs/pdf URL. Raises :class:`SynthError` for anything else."""
    raw = re.sub(r"[?#].*$", "", text.strip())  # a copied URL's ?context=cs or #section
    url = _URL.match(raw)
    candidate = url.group("id") if url else re.sub(r"^arxiv:", "", raw, flags=re.I)
    match = _ID.match(candidate)
    if not match:
        raise SynthError(
            f"{text!r} is not an arXiv id",
            "write it as 2005.13013 or 2005.13013v2 (or an arxiv.org/abs/ URL)",
        )
    return ArxivId(match.group("base"), match.group("version"))
