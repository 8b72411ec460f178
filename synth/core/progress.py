"""The progress protocol: long work reports how far it got to a sink the caller gives
(progress bars in the CLI, nothing in the library by default), and the plain-line sink for
logs and pipes."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


class ProgressSink(Protocol):
    def update(self, task: str, done: float, total: float | None) -> None:
        """Report that ``task`` has reached ``done`` of ``total`` (None: unknown)."""


class NoProgress:
    def update(self, task: str, done: float, total: float | None) -> None:
        """Progress goes nowhere."""


def rate(per_second: float) -> str:
    """A rate in words fit for a progress line: ``12.5/s``, ``340/s``, ``2.1/min``.

    Args:
        per_second: Items (or bytes) per second.

    Returns:
        The rate.
    """
    if per_second < 0.1:
        return f"{per_second * 60:.1f}/min"
    return f"{per_second:,.0f}/s" if per_second >= 10 else f"{per_second:.1f}/s"


def duration(seconds: float) -> str:
    """``45s``, ``2m05s``, ``1h03m``.

    Args:
        seconds: A time span.

    Returns:
        The span in words.
    """
    whole = round(seconds)
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m{whole % 60:02d}s"
    return f"{whole // 3600}h{whole % 3600 // 60:02d}m"


@dataclass
class _Task:
    started: float
    last_line: float
    done: float = 0.0
    total: float | None = None
    shown: bool = False  # its start line is written (it runs long enough to report)
    next_mark: float = 0.0  # the share of the total that writes the next line
    finished: bool = False


class ProgressLog:
    """Progress as a few plain lines, for a log file or a pipe: a task's start once it has
    run ``grace`` seconds, a line every ``step`` of its total or every ``interval``
    seconds, whichever comes first, and its end with its rate. Tasks that end within
    ``grace`` (one small file of many) write nothing, so there is never a line per record;
    when ``interval`` passes with no line at all, one line says work goes on.

    Args:
        write: Where each line goes.
        step: The share of a task's total between two lines.
        interval: The most seconds between two lines while work goes on.
        grace: Tasks shorter than this write no lines.
        clock: Seconds, monotonic (a fake one in tests).
    """

    def __init__(
        self, write: Callable[[str], None], step: float = 0.1, interval: float = 30.0,
        grace: float = 2.0, clock: Callable[[], float] = time.monotonic,
    ) -> None:  # fmt: skip
        self.write, self.step, self.interval, self.grace, self.clock = (
            write, step, interval, grace, clock)  # fmt: skip
        self.tasks: dict[str, _Task] = {}
        self.last_line = clock()
        self.quick = 0  # tasks that ended before they were shown

    def update(self, task: str, done: float, total: float | None) -> None:
        """Note that ``task`` reached ``done`` of ``total``; write a line when one is due."""
        now = self.clock()
        state = self.tasks.get(task)
        if state is None or (state.finished and done < state.done):  # new, or run again
            state = self.tasks[task] = _Task(started=now, last_line=now)
        state.done, state.total = done, total
        if state.finished:
            return
        if not state.shown and now - state.started >= self.grace:
            state.shown = True
            self._line(state, f"{task}: started" + (f", {total:,.0f} to do" if total else ""))
        if total is not None and done >= total:
            state.finished = True
            if state.shown:
                self._line(state, self._end(task, state, now))
            else:
                self.quick += 1
            return
        share = done / total if total else None
        due_mark = share is not None and share >= state.next_mark
        if state.shown and (due_mark or now - state.last_line >= self.interval):
            self._line(state, self._progress(task, state, now))
        if share is not None and due_mark:
            state.next_mark = (int(share / self.step) + 1) * self.step
        if now - self.last_line >= self.interval:  # only short tasks so far: say work goes on
            self._line(state, f"working: {self.quick} short tasks done; now {task}")

    def close(self) -> None:
        """Write where each long task was last when the work ended short of its total (an
        error, Ctrl-C) or had no total."""
        for task, state in self.tasks.items():
            if state.shown and not state.finished:
                of = f" of {state.total:,.0f}" if state.total else ""
                self.write(f"{task}: ended at {state.done:,.0f}{of}")

    def _line(self, state: _Task, text: str) -> None:
        self.write(text)
        state.last_line = self.last_line = self.clock()

    def _progress(self, task: str, state: _Task, now: float) -> str:
        elapsed = max(now - state.started, 1e-9)
        speed = state.done / elapsed
        line = f"{task}: {state.done:,.0f}"
        if state.total:
            line += f"/{state.total:,.0f} ({state.done / state.total:.0%})"
        line += f", {rate(speed)}"
        if state.total and speed > 0:
            line += f", about {duration((state.total - state.done) / speed)} left"
        return line

    def _end(self, task: str, state: _Task, now: float) -> str:
        elapsed = now - state.started
        return (f"{task}: done, {state.done:,.0f} in {duration(elapsed)}"
                f" ({rate(state.done / max(elapsed, 1e-9))})")  # fmt: skip
