"""HTTP plumbing shared by the network sources: rate limit, time-outs, retry with back-off,
and telling an unreachable host (worth no retry) from a busy or slow one."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import Any, TypeVar

import requests
import urllib3

T = TypeVar("T")
USER_AGENT = "synth/0.1 (claim verification; https://github.com/synth)"


class RateLimiter:
    """At most one call every ``interval`` seconds (arXiv asks for one per 3 s)."""

    def __init__(
        self,
        interval: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._last: float | None = None

    def wait(self) -> None:
        if self._last is not None:
            remaining = self._last + self.interval - self._clock()
            if remaining > 0:
                self._sleep(remaining)
        self._last = self._clock()


class PoliteSession(requests.Session):
    """A session whose every request waits for the rate limiter and carries a time-out."""

    def __init__(self, limiter: RateLimiter, timeout: float) -> None:
        super().__init__()
        self.limiter = limiter
        self.timeout = timeout
        self.headers["User-Agent"] = USER_AGENT

    def request(
        self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        self.limiter.wait()
        return super().request(method, url, *args, **kwargs)


def is_transient_status(status: int) -> bool:
    return status == 429 or status >= 500


def unreachable(exc: BaseException) -> str | None:
    """Why a request's host cannot be reached at all, or None for any other failure.

    Its name does not resolve, or the connection is refused (or the network is down) before
    anything is sent, by the host or by a proxy in between. Trying again seconds later meets
    the same wall, unlike a time-out, a dropped connection or a 5xx, which are worth a retry.

    Args:
        exc: what a ``requests`` call raised.

    Returns:
        A few words naming the host and what failed ("export.arxiv.org does not resolve",
        "connecting to 127.0.0.1:9: connection refused"); None when ``exc`` is of another kind.
    """
    if not isinstance(exc, requests.ConnectionError) or isinstance(exc, requests.Timeout):
        return None
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    if isinstance(reason, urllib3.exceptions.ProxyError):
        reason = reason.original_error
    if not isinstance(reason, urllib3.exceptions.NewConnectionError):
        return None
    cause = reason.__cause__
    if isinstance(cause, socket.gaierror):
        return f"{reason.conn.host} does not resolve"
    why = cause.strerror if isinstance(cause, OSError) and cause.strerror else "failed"
    return f"connecting to {reason.conn.host}:{reason.conn.port}: {why.lower()}"


def with_retries(
    call: Callable[[], T],
    retryable: Callable[[Exception], bool],
    retries: int,
    backoff: float,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Call ``call``; on a retryable error wait ``backoff * 2**n`` and try again, at most
    ``retries`` more times. The last error propagates."""
    for attempt in range(retries + 1):
        try:
            return call()
        except Exception as exc:
            if attempt == retries or not retryable(exc):
                raise
            sleep(backoff * 2**attempt)
    raise AssertionError("unreachable")  # the loop always returns or raises
