"""How long a delivery claim lasts, and how long one send may take inside it.

A sender claims an invitation (stamped with the time), sends it, and records the
platform's answer. Another process takes a claim over only once it is older than the
*lease*, so a claim must never outlive its send: each send is given up after its *send
limit* (its SDK's retries included), and a claim is renewed before a send starts if
the send could otherwise end past the lease. The *margin* leaves room for what a
limit cannot cut short: a request the platform received just before it was given up
and still carries out, a slow commit of the answer, and clocks of replicas a little
apart.

The send limit is ``SEND_TIMEOUT_SECONDS``, shortened when the lease is too short for
it: to half of what the lease leaves past the margin, so that a claim waiting for its
pace slot is seldom renewed. A lease of 0 means one sender only (a claim left
``sending`` is taken over at once, which is safe only without replicas): sends then
keep the configured timeout.
"""

from __future__ import annotations

from datetime import datetime, timedelta

DEFAULT_SEND_TIMEOUT_SECONDS = 120
"""One send, with all its SDK retries (rate-limit waits included), gives up after this."""

LONGEST_MARGIN = timedelta(seconds=30)
"""The margin of a long lease; a short one keeps a quarter of itself."""


def lease_margin(lease: timedelta) -> timedelta:
    """How much of ``lease`` no send may reach into."""
    return min(LONGEST_MARGIN, lease / 4)


def send_limit(*, lease: timedelta, send_timeout: timedelta) -> timedelta:
    """How long one send may take under ``lease`` with ``send_timeout`` configured."""
    if lease <= timedelta(0):
        return send_timeout
    return min(send_timeout, (lease - lease_margin(lease)) / 2)


def must_renew(*, claimed_at: datetime, now: datetime, lease: timedelta, limit: timedelta) -> bool:
    """Whether a send starting ``now``, given up after ``limit``, under a claim stamped
    ``claimed_at`` could still run once the claim is old enough to be taken over (the
    lease less its margin). Never under a lease of 0: nobody else sends then."""
    if lease <= timedelta(0):
        return False
    return now + limit > claimed_at + lease - lease_margin(lease)


def lease_warning(*, lease: timedelta, send_timeout: timedelta) -> str | None:
    """The one line to log at start-up when the lease changes how sends behave (None:
    it does not)."""
    if lease <= timedelta(0):
        return (
            "DELIVERY_LEASE_SECONDS is 0: a claim left sending is taken over at once, "
            "which is safe only when one process delivers (no replicas)"
        )
    limit = send_limit(lease=lease, send_timeout=send_timeout)
    if limit < send_timeout:
        return (
            f"DELIVERY_LEASE_SECONDS={lease.total_seconds():g} leaves each send "
            f"{limit.total_seconds():g} s, less than SEND_TIMEOUT_SECONDS="
            f"{send_timeout.total_seconds():g}: a slower send is given up and looked up by "
            "its nonce after the lease"
        )
    return None
