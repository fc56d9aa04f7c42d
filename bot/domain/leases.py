"""How long a delivery claim lasts, and how long one send may take inside it.

A sender claims an invitation (stamped with the time), sends it, and records the
platform's answer. Another process takes a claim over only once it is older than the
*lease*, so a claim must never outlive its send: each send is abandoned after the *send
timeout* (its SDK's retries included), and a claim is renewed before a send starts if
the send could otherwise end past the lease. The *margin* leaves room for what a
timeout cannot cut short: a request the platform received just before it was abandoned
and still carries out, a slow commit of the answer, and clocks of replicas a little
apart.
"""

from __future__ import annotations

from datetime import datetime, timedelta

DEFAULT_SEND_TIMEOUT_SECONDS = 120
"""One send, with all its SDK retries (rate-limit waits included), gives up after this."""

LEASE_MARGIN_SECONDS = 30
"""How much longer than the send timeout a lease must be at least."""


def shortest_lease_seconds(send_timeout_seconds: float) -> float:
    """The shortest lease that leaves a send of ``send_timeout_seconds`` safe."""
    return send_timeout_seconds + LEASE_MARGIN_SECONDS


def must_renew(
    *, claimed_at: datetime, now: datetime, lease: timedelta, send_timeout: timedelta
) -> bool:
    """Whether a send starting ``now`` under a claim stamped ``claimed_at`` could still be
    running when the claim is old enough (``lease`` minus the margin) to be taken over."""
    margin = timedelta(seconds=LEASE_MARGIN_SECONDS)
    return now + send_timeout > claimed_at + lease - margin
