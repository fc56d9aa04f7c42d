"""The arithmetic of a shared pace: a token bucket holding one token, kept as a due time.

A tenant's bucket is the time its next token is due. A caller asking at ``now`` takes
the token due then, or at once when it is already due, and the next token falls due one
``interval`` after the granted start. Written as a reservation, the caller learns at once
when it may start, so many callers (in many processes) never retry to get a token: each
waits for its own start, and the starts granted are at least ``interval`` apart in the
order the bucket saw the callers. No stretch of time of length ``L`` holds more than
``floor(L / interval) + 1`` granted starts, and a caller never waits beyond the start
the previous grant left due (the pace wastes no slot while someone asks).

Pure: the time is passed in, in seconds on one clock (the database's, when the bucket is
a row shared by replicas; see :mod:`storage.pacing`, which computes the same in SQL).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Grant:
    """A start granted: ``start`` (on the bucket's clock) and the next token's ``due``."""

    start: float
    due: float

    def wait(self, now: float) -> float:
        """Seconds from ``now`` until the granted start (0 when it has come)."""
        return max(0.0, self.start - now)


def take_token(due: float | None, *, now: float, interval: float) -> Grant:
    """Take the bucket's token at ``now``: ``due`` is when it falls due (None: a bucket
    never used, whose token is ready). ``interval`` must be positive."""
    if interval <= 0:
        raise ValueError("interval must be positive")
    start = now if due is None else max(due, now)
    return Grant(start=start, due=start + interval)
