"""Connections as spans of time: reconnections and overlaps merged, then
clipped to the session (or day) the report is imported for."""

from __future__ import annotations

from .model import Interval


def merged(intervals: list[Interval]) -> list[Interval]:
    """Overlapping or touching spans as one (a rejoin from a second device counts once)."""
    result: list[Interval] = []
    for start, end in sorted(intervals):
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], end))
        else:
            result.append((start, end))
    return result


def clipped(intervals: list[Interval], window: Interval) -> list[Interval]:
    """The parts inside `window`: time in the waiting room before the start, or after the end, does not count."""
    opens, closes = window
    return [(max(s, opens), min(e, closes)) for s, e in merged(intervals) if s < closes and e > opens]


def minutes(intervals: list[Interval]) -> int:
    return int(sum((end - start).total_seconds() for start, end in merged(intervals)) // 60)
