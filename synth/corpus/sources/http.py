"""HTTP plumbing shared by the network sources: rate limit, time-outs, retry with back-off."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import requests

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
