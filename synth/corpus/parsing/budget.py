"""Reading a file in a worker process under a budget of seconds and memory, so that no
file can hang synth or exhaust the machine: the worker is stopped when its time is up, its
address space is capped (``RLIMIT_AS``), and a crash in a parsing library ends only it.

The worker is a separate interpreter (``python -m synth.corpus.parsing.budget``), started
on first use with the parsing modules loaded and then kept for the next file, so a file
costs a message, not an interpreter start. It is never a fork of the caller (which may
hold threads, torch's among them), and it does not import the caller's main module, so a
script that uses synth needs no ``if __name__ == "__main__"`` guard. A worker that went
over its budget, crashed or was interrupted is stopped and replaced by a fresh one.
"""

from __future__ import annotations

import atexit
import contextlib
import math
import os
import signal
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from synth.core.errors import SynthError
from synth.core.settings import ParseSettings

T = TypeVar("T")
Progress = Callable[[int, int], None]
_PRELOAD = ("synth.corpus.parsing.pdf", "pypdfium2", "pdfplumber")
_MB = 1024 * 1024
_START_S = 120.0  # for a new worker to load the parsing modules, outside any file's budget
_CPU_SLACK_S = 5  # the worker's own CPU limit per file: a backstop should its parent be gone
_REPAIR = "or repair it (qpdf in.pdf out.pdf) and add the repaired copy"


class _Worker:
    """A worker process and the two channels to it (tasks in, messages out)."""

    def __init__(self, memory_mb: float) -> None:
        self.memory_mb = memory_mb
        self.owner = os.getpid()  # a forked copy of the caller must start its own
        root = str(Path(__file__).resolve().parents[3])  # synth's own folder, importable
        path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
        task_in, task_out = os.pipe()
        message_in, message_out = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-m", __name__, repr(memory_mb)],
            stdin=task_in,
            stdout=message_out,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": path},
        )
        os.close(task_in)
        os.close(message_out)
        self.tasks = Connection(task_out, readable=False)
        self.messages = Connection(message_in, writable=False)

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> int | None:
        """Stop the worker; its exit code (negative: the signal that ended it)."""
        if self.alive():
            self.process.kill()
        code = self.process.wait()
        self.tasks.close()
        self.messages.close()
        return code


_lock = threading.Lock()
_worker: _Worker | None = None


def _stop() -> int | None:
    """Stop the worker, if any; its exit code."""
    global _worker
    worker, _worker = _worker, None
    return worker.close() if worker is not None and worker.owner == os.getpid() else None


atexit.register(_stop)


def _over_memory(name: str, settings: ParseSettings, how: str = "") -> SynthError:
    return SynthError(
        f"{name}: reading it needs more than the {settings.max_memory_mb:g} MB memory budget{how}",
        f"raise SYNTH_PARSE_MAX_MEMORY_MB if the file is genuine, {_REPAIR}",
    )


def _died(name: str, settings: ParseSettings) -> SynthError:
    """The worker ended without an answer: an abort or a crash in a parsing library, most
    often an allocation refused under the memory budget."""
    code = _stop()
    how = f"exit code {code}"
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            how = signal.Signals(-code).name
    return _over_memory(name, settings, f" (the reader stopped: {how})")


def _ready(name: str, settings: ParseSettings) -> _Worker:
    """The running worker, or a new one (when there is none, it died, or its memory limit
    differs from this budget's), once it has loaded the parsing modules."""
    global _worker
    worker = _worker
    mine = worker is not None and worker.owner == os.getpid() and worker.alive()
    if worker is not None and mine and worker.memory_mb == settings.max_memory_mb:
        return worker
    _stop()
    worker = _worker = _Worker(settings.max_memory_mb)
    if not worker.messages.poll(_START_S):
        _stop()
        raise SynthError(
            f"{name}: the worker that reads PDFs did not start within {_START_S:g} s",
            "check that the parsing libraries load: python -c 'import pypdfium2, pdfplumber'",
        )
    try:
        answer = worker.messages.recv()
    except EOFError:
        raise _died(name, settings) from None
    if answer == ("ready",):
        return worker
    if answer == ("memory",):
        raise _over_memory(name, settings)
    raise RuntimeError(f"{answer[-1]} (starting the worker to read {name})")


def _exchange(
    name: str,
    work: Callable[[Progress], Any],
    settings: ParseSettings,
    on_progress: Progress | None,
) -> tuple[str, Any]:
    """Send ``work`` to the worker and wait for its answer, relaying progress.

    Returns:
        ``("done", result)``, or ``("error", (message, hint))`` for a SynthError of
        ``work``'s; the worker is then idle. Anything else raises, the worker mid-file.
    """
    worker = _ready(name, settings)
    try:
        worker.tasks.send((work, settings.timeout_seconds))
    except OSError:
        raise _died(name, settings) from None
    deadline = time.monotonic() + settings.timeout_seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not worker.messages.poll(left):
            raise SynthError(
                f"{name}: reading it took longer than the {settings.timeout_seconds:g} s"
                " time budget, so it was stopped",
                f"raise SYNTH_PARSE_TIMEOUT_SECONDS if the file is genuine, {_REPAIR}",
            )
        try:
            kind, *rest = worker.messages.recv()
        except EOFError:
            raise _died(name, settings) from None
        if kind == "page":
            if on_progress:
                on_progress(*rest)
        elif kind in ("done", "error"):
            return kind, rest[0] if kind == "done" else rest
        elif kind == "memory":
            raise _over_memory(name, settings)
        else:
            raise RuntimeError(f"{rest[0]} (in the worker reading {name})")


def run_budgeted(
    name: str,
    work: Callable[[Progress], T],
    settings: ParseSettings,
    on_progress: Progress | None = None,
) -> T:
    """``work(progress)`` run in the worker process under ``settings``' time and memory
    budget. ``work`` and its result must pickle (a module-level function, or a
    :func:`functools.partial` of one). One file at a time: callers in other threads wait.

    Args:
        name: The file's name, for messages.
        work: What to run; it reports progress through the callable it is given.
        settings: The budget: ``timeout_seconds`` and ``max_memory_mb``.
        on_progress: Called here with each ``(done, total)`` the worker reports.

    Returns:
        What ``work`` returned.

    Raises:
        SynthError: ``work`` raised one (passed on), or the file went over its time or
            memory budget (the worker is stopped; the message names the setting to raise).
        RuntimeError: ``work`` failed with any other error (a bug, reported as one).
    """
    with _lock:
        try:
            kind, payload = _exchange(name, work, settings, on_progress)
        except BaseException:  # over budget, dead, a bug, Ctrl-C: the worker is mid-file
            _stop()
            raise
    if kind == "error":
        raise SynthError(*payload)
    result: T = payload
    return result


# -- the worker's side ---------------------------------------------------------------


def _serve(memory_mb: float) -> None:
    """The worker: cap the address space, keep stdout and stderr for the channel and
    silence (what the parsing libraries print reaches the user as one line, or not at
    all), load the parsing modules, then run each task sent until the channel closes."""
    import importlib
    import resource

    channel = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        os.dup2(devnull, fd)
    warnings.simplefilter("ignore")
    memory = int(memory_mb * _MB)
    with contextlib.suppress(ValueError, OSError):  # a hard limit already lower than ours
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    tasks, messages = Connection(0, writable=False), Connection(channel, readable=False)
    try:
        for module in _PRELOAD:
            importlib.import_module(module)
    except MemoryError:
        messages.send(("memory",))
        return
    except Exception as exc:  # synth or a parsing library cannot be imported here
        messages.send(("bug", f"{type(exc).__name__}: {exc}"))
        return
    messages.send(("ready",))
    while True:
        try:
            work, seconds = tasks.recv()
        except EOFError:
            return
        except Exception as exc:  # a task that does not unpickle here: a bug
            messages.send(("bug", f"{type(exc).__name__}: {exc}"))
            continue
        used = resource.getrusage(resource.RUSAGE_SELF)
        cpu = math.ceil(used.ru_utime + used.ru_stime + seconds) + _CPU_SLACK_S
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, hard))
        try:
            reply: tuple[Any, ...] = ("done", work(lambda d, t: messages.send(("page", d, t))))
        except SynthError as exc:
            reply = ("error", exc.message, exc.hint)
        except MemoryError:
            reply = ("memory",)
        except Exception as exc:  # a bug: the parent reports it as one
            reply = ("bug", f"{type(exc).__name__}: {exc}")
        try:
            messages.send(reply)
        except MemoryError:
            messages.send(("memory",))


if __name__ == "__main__":
    _serve(float(sys.argv[1]))
