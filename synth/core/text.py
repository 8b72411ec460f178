"""The words of a text that carry its topic: shared by theme titles (synth.report.themes)
and the verifier's hard negatives (synth.verify.nli_data). Pure."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9\-]*[A-Za-z0-9]|[A-Za-z]")
_STOP = """a about above across after again against all also although among an and any are as at
    be been before being between both but by can could did do does doing during each either
    et al few for from further had has have having here how however if in into is it its
    itself more most much no nor not of off on once only or other our ours out over own per
    same several should so some such than that the their them then there these they this
    those through thus to too under until up upon very via was we were what when where which
    while who whom why will with within without would yet you your us paper work study show
    shows showed shown find finds found result results propose proposed present approach
    using use used uses based new well many may might must one two three first second"""
STOP_WORDS = frozenset(_STOP.split())


def content_words(text: str) -> list[str]:
    """The words of ``text`` that carry its topic: three letters or more, no stop word."""
    return [w for w in _TOKEN.findall(text) if len(w) > 2 and w.lower() not in STOP_WORDS]
