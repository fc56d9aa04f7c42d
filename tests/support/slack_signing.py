"""Slack's v0 request signing, and the ways a delivery can differ from a first, honest one.

``X-Slack-Signature`` is ``v0=`` followed by the hex HMAC-SHA256 of
``v0:{timestamp}:{body}`` under the app's signing secret; ``X-Slack-Request-Timestamp``
carries that Unix timestamp. A `Delivery` adds the headers Slack sends when it redelivers
an event, or corrupts the request the way a replay or a forgery would.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import NamedTuple

# Slack (and Bolt) refuse a request whose timestamp is more than five minutes off.
STALE_AFTER_SECONDS = 5 * 60


class SignedRequest(NamedTuple):
    """A request body and its headers, as Slack would POST them."""

    body: bytes
    headers: dict[str, str]


@dataclass(frozen=True, kw_only=True)
class Delivery:
    """How a request is delivered.

    ``retry_num``/``retry_reason`` add Slack's redelivery headers. ``stale`` dates the
    signature ten minutes back; ``bad_signature`` signs with another secret. Either makes
    a verifying app answer 401.
    """

    retry_num: int | None = None
    retry_reason: str = "http_timeout"
    stale: bool = False
    bad_signature: bool = False


FIRST_DELIVERY = Delivery()


def v0_signature(*, signing_secret: str, timestamp: int, body: bytes) -> str:
    """Slack's ``v0=`` signature of ``body`` sent at ``timestamp``."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    digest = hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    return f"v0={digest}"


def sign(
    body: bytes,
    *,
    signing_secret: str,
    content_type: str,
    now: float,
    delivery: Delivery = FIRST_DELIVERY,
) -> SignedRequest:
    """Headers for ``body`` as Slack sends them at Unix time ``now``."""
    timestamp = int(now) - (2 * STALE_AFTER_SECONDS if delivery.stale else 0)
    secret = signing_secret + "-forged" if delivery.bad_signature else signing_secret
    headers = {
        "Content-Type": content_type,
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": v0_signature(signing_secret=secret, timestamp=timestamp, body=body),
    }
    if delivery.retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(delivery.retry_num)
        headers["X-Slack-Retry-Reason"] = delivery.retry_reason
    return SignedRequest(body, headers)
