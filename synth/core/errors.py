"""The one error type synth raises on purpose: a message plus what to do about it."""

from __future__ import annotations


class SynthError(Exception):
    """An expected failure (bad input, unreachable service, missing file).

    ``message`` says what went wrong and names the thing (file, id) it went wrong on;
    ``hint`` says what the user can do instead. The CLI prints both on one line and
    exits 1; library callers can catch this one type.
    """

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message
