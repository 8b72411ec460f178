"""Rate limiting and retries, with a fake clock and a recorded sleep: nothing really waits;
and which failures say a host is unreachable, from real requests to local sockets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from synth.corpus.sources.http import RateLimiter, is_transient_status, unreachable, with_retries


class FakeTime:
    """A clock that only moves when something sleeps (or the test advances it)."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_first_call_does_not_sleep() -> None:
    time = FakeTime()
    RateLimiter(3.0, time.clock, time.sleep).wait()
    assert time.sleeps == []


def test_second_call_within_the_interval_sleeps_the_remainder() -> None:
    time = FakeTime()
    limiter = RateLimiter(3.0, time.clock, time.sleep)
    limiter.wait()
    time.now += 1.0
    limiter.wait()
    assert time.sleeps == [pytest.approx(2.0)]


def test_back_to_back_calls_sleep_the_whole_interval_each_time() -> None:
    time = FakeTime()
    limiter = RateLimiter(3.0, time.clock, time.sleep)
    for _ in range(4):
        limiter.wait()
    assert time.sleeps == [pytest.approx(3.0)] * 3
    assert time.now == pytest.approx(1009.0)


@pytest.mark.parametrize("later", [3.0, 5.0, 100.0])
def test_call_after_the_interval_does_not_sleep(later: float) -> None:
    time = FakeTime()
    limiter = RateLimiter(3.0, time.clock, time.sleep)
    limiter.wait()
    time.now += later
    limiter.wait()
    assert time.sleeps == []


def test_interval_counts_from_the_end_of_the_last_wait() -> None:
    time = FakeTime()
    limiter = RateLimiter(3.0, time.clock, time.sleep)
    limiter.wait()
    time.now += 2.0
    limiter.wait()  # sleeps 1.0, so the last call is at 1003.0
    time.now += 2.5
    limiter.wait()
    assert time.sleeps == [pytest.approx(1.0), pytest.approx(0.5)]


def test_zero_interval_never_sleeps() -> None:
    time = FakeTime()
    limiter = RateLimiter(0.0, time.clock, time.sleep)
    for _ in range(3):
        limiter.wait()
    assert time.sleeps == []


class Transient(Exception):
    pass


class Fatal(Exception):
    pass


def _retryable(exc: Exception) -> bool:
    return isinstance(exc, Transient)


def flaky(failures: list[Exception], result: str = "ok") -> tuple[Callable[[], str], list[int]]:
    """A call that raises ``failures`` in turn, then returns ``result``; and its call log."""
    calls: list[int] = []

    def call() -> str:
        calls.append(len(calls) + 1)
        if len(calls) <= len(failures):
            raise failures[len(calls) - 1]
        return result

    return call, calls


def test_success_first_time_does_not_sleep() -> None:
    time = FakeTime()
    call, calls = flaky([])
    assert with_retries(call, _retryable, retries=3, backoff=2.0, sleep=time.sleep) == "ok"
    assert calls == [1]
    assert time.sleeps == []


def test_retries_transient_errors_with_doubling_backoff() -> None:
    time = FakeTime()
    call, calls = flaky([Transient("a"), Transient("b"), Transient("c")])
    assert with_retries(call, _retryable, retries=4, backoff=2.0, sleep=time.sleep) == "ok"
    assert calls == [1, 2, 3, 4]
    assert time.sleeps == [2.0, 4.0, 8.0]


def test_gives_up_after_retries_and_raises_the_last_error() -> None:
    time = FakeTime()
    errors: list[Exception] = [Transient(f"failure {i}") for i in range(1, 6)]
    call, calls = flaky(errors)
    with pytest.raises(Transient) as info:
        with_retries(call, _retryable, retries=3, backoff=0.5, sleep=time.sleep)
    assert info.value is errors[3]
    assert calls == [1, 2, 3, 4]
    assert time.sleeps == [0.5, 1.0, 2.0]


def test_zero_retries_means_one_attempt() -> None:
    time = FakeTime()
    call, calls = flaky([Transient("once")])
    with pytest.raises(Transient):
        with_retries(call, _retryable, retries=0, backoff=1.0, sleep=time.sleep)
    assert calls == [1]
    assert time.sleeps == []


def test_non_retryable_error_is_raised_immediately() -> None:
    time = FakeTime()
    fatal = Fatal("bad request")
    call, calls = flaky([fatal])
    with pytest.raises(Fatal) as info:
        with_retries(call, _retryable, retries=5, backoff=1.0, sleep=time.sleep)
    assert info.value is fatal
    assert calls == [1]
    assert time.sleeps == []


def test_non_retryable_error_after_a_retry_stops_the_retries() -> None:
    time = FakeTime()
    fatal = Fatal("gone")
    call, calls = flaky([Transient("busy"), fatal, Transient("never reached")])
    with pytest.raises(Fatal) as info:
        with_retries(call, _retryable, retries=5, backoff=1.0, sleep=time.sleep)
    assert info.value is fatal
    assert calls == [1, 2]
    assert time.sleeps == [1.0]


def test_retryable_sees_each_error() -> None:
    seen: list[Exception] = []

    def retryable(exc: Exception) -> bool:
        seen.append(exc)
        return True

    errors: list[Exception] = [Transient("one"), Transient("two")]
    call, _ = flaky(errors)
    assert with_retries(call, retryable, retries=2, backoff=0.0, sleep=FakeTime().sleep) == "ok"
    assert seen == errors


@pytest.mark.parametrize(
    ("status", "transient"),
    [(200, False), (301, False), (400, False), (403, False), (404, False), (429, True),
     (500, True), (502, True), (503, True), (504, True)],
)  # fmt: skip
def test_is_transient_status(status: int, transient: bool) -> None:
    assert is_transient_status(status) is transient


def _failure(url: str, **kwargs: Any) -> requests.RequestException:
    """What a real GET of ``url`` raises (through no proxy the environment names)."""
    with requests.Session() as session:
        session.trust_env = False
        with pytest.raises(requests.RequestException) as caught:
            session.get(url, **kwargs)
    return caught.value


def test_a_refused_connection_is_unreachable(closed_port: int) -> None:
    exc = _failure(f"http://127.0.0.1:{closed_port}/api", timeout=5)
    assert unreachable(exc) == f"connecting to 127.0.0.1:{closed_port}: connection refused"


def test_a_name_that_does_not_resolve_is_unreachable() -> None:
    exc = _failure("http://export.arxiv.invalid/api", timeout=5)  # .invalid never resolves
    assert unreachable(exc) == "export.arxiv.invalid does not resolve"


def test_a_proxy_that_refuses_makes_the_host_unreachable(closed_port: int) -> None:
    proxies = {"http": f"http://127.0.0.1:{closed_port}"}
    exc = _failure("http://export.arxiv.org/api", timeout=5, proxies=proxies)
    assert isinstance(exc, requests.exceptions.ProxyError)
    assert unreachable(exc) == f"connecting to 127.0.0.1:{closed_port}: connection refused"


def test_time_outs_and_dropped_connections_are_worth_a_retry(
    silent_port: int, dropping_port: int
) -> None:
    timed_out = _failure(f"http://127.0.0.1:{silent_port}/api", timeout=0.2)
    dropped = _failure(f"http://127.0.0.1:{dropping_port}/api", timeout=5)
    assert isinstance(timed_out, requests.Timeout) and unreachable(timed_out) is None
    assert isinstance(dropped, requests.ConnectionError) and unreachable(dropped) is None
    assert unreachable(requests.HTTPError("503 Server Error")) is None
