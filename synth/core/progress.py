"""The progress protocol: long work reports how far it got to a sink the caller gives
(progress bars in the CLI, nothing in the library by default)."""

from __future__ import annotations

from typing import Protocol


class ProgressSink(Protocol):
    def update(self, task: str, done: float, total: float | None) -> None:
        """Report that ``task`` has reached ``done`` of ``total`` (None: unknown)."""


class NoProgress:
    def update(self, task: str, done: float, total: float | None) -> None:
        """Progress goes nowhere."""
