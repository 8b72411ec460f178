"""The errors synth raises on purpose: a message plus what to do about it.

:class:`SynthError` is the base a caller catches; the few subclasses are the kinds a
caller needs to tell apart (a missing paper or file, a verifier that is not built, input
that cannot be used, a source that cannot be reached)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError


class SynthError(Exception):
    """An expected failure (bad input, unreachable service, missing file).

    ``message`` says what went wrong and names the thing (file, id) it went wrong on;
    ``hint`` says what the user can do instead. The CLI prints both on one line and
    exits 1; library callers can catch this one type.
    """

    kind = "error"

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message


class NotFound(SynthError):
    """A paper, file, run or model the caller named does not exist."""

    kind = "not_found"


class ModelNotBuilt(NotFound):
    """A verifier or encoder that has to be built (or installed) first."""

    kind = "model_not_built"


class BadInput(SynthError):
    """Input synth cannot use: a malformed file, an empty or over-long claim, a bad setting."""

    kind = "bad_input"


class SourceUnavailable(SynthError):
    """A source (arXiv, the hub, an LLM endpoint) could not be reached or answered badly."""

    kind = "source_unavailable"


class StoreFailure(SynthError):
    """The database itself failed (damaged, disk full, read-only): every later write would
    fail the same way, so work stops at the first one instead of failing paper by paper."""

    kind = "store_failure"


def invalid(exc: ValidationError, source: str, hint: str) -> BadInput:
    """The first problem of a pydantic ValidationError as one line naming ``source`` and
    the key (the one converter every settings, config and spec reader uses).

    Args:
        exc: The validation error.
        source: What was being read (a file path, "setting").
        hint: What to do about it.

    Returns:
        A :class:`BadInput` to raise ``from exc``.
    """
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return BadInput(f"{source}: {where + ': ' if where else ''}{first['msg']}", hint)
