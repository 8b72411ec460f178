"""Progress as plain lines for logs: a few lines per long task, none per record, and
never long silence."""

from __future__ import annotations

from synth.core.progress import ProgressLog, duration, rate


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _log() -> tuple[ProgressLog, Clock, list[str]]:
    clock, lines = Clock(), []
    return ProgressLog(lines.append, clock=clock), clock, lines


def test_a_long_task_writes_start_every_tenth_and_end() -> None:
    log, clock, lines = _log()
    for done in range(1, 5001):
        clock.now = done * 0.01  # 50 s in all
        log.update("add corpus.jsonl", done, 5000)
    log.close()
    assert lines[0] == "add corpus.jsonl: started, 5,000 to do"
    assert lines[1].startswith("add corpus.jsonl: 500/5,000 (10%), 100/s, about 45s left")
    assert lines[-1] == "add corpus.jsonl: done, 5,000 in 50s (100/s)"
    assert len(lines) == 11  # start, 20% ... 90%, end: never a line per record


def test_a_slow_task_writes_every_interval_between_tenths() -> None:
    log, clock, lines = _log()
    for step in range(1, 101):
        clock.now = step * 10.0  # 1,000 s for 100 steps: 10% per 100 s
        log.update("training: snli", step, 100)
    progress = [line for line in lines if "%" in line]
    assert len(progress) >= 20  # every 30 s as well as every 10%
    assert lines[-1] == "training: snli: done, 100 in 16m30s (0.1/s)"


def test_short_tasks_write_nothing_but_long_silence_is_broken() -> None:
    log, clock, lines = _log()
    for number in range(100):  # 100 files, half a second each
        clock.now = number * 0.5
        log.update(f"parse paper{number}.pdf", 0, 4)
        clock.now += 0.4
        log.update(f"parse paper{number}.pdf", 4, 4)
    assert 1 <= len(lines) <= 3
    assert lines[0].startswith("working: ") and "short tasks done" in lines[0]


def test_a_task_that_stops_short_says_where_and_one_run_again_starts_over() -> None:
    log, clock, lines = _log()
    log.update("audit", 0, 10)
    clock.now = 3.0
    log.update("audit", 4, 10)
    log.close()
    assert lines[-1] == "audit: ended at 4 of 10"
    clock.now = 4.0
    log.update("embed", 10, 10)
    log.update("embed", 0, 10)  # the same task run again
    clock.now = 7.0
    log.update("embed", 5, 10)
    assert lines[-2:] == ["embed: started, 10 to do", "embed: 5/10 (50%), 1.7/s, about 3s left"]


def test_rate_and_duration_in_words() -> None:
    assert (rate(0.05), rate(2.345), rate(1234.5)) == ("3.0/min", "2.3/s", "1,234/s")
    assert (duration(42.4), duration(125), duration(3725)) == ("42s", "2m05s", "1h02m")
