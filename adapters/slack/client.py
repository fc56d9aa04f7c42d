"""The Web API client, with slack_sdk's own retry handlers instead of retry loops."""

from __future__ import annotations

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

DEFAULT_BASE_URL = "https://slack.com/api/"

# Enough to ride out a burst (each rate-limit retry waits Retry-After seconds) without
# holding a request forever; a call that still fails surfaces as SlackApiError.
RATE_LIMIT_RETRIES = 3
SERVER_ERROR_RETRIES = 2
CONNECTION_RETRIES = 2


def build_client(*, token: str | None, base_url: str | None = None) -> AsyncWebClient:
    """An `AsyncWebClient` that honours 429 Retry-After and retries 5xx and lost connections.

    ``base_url`` points the client at another Web API (a proxy, a local test double).
    ``token`` may be None for a client whose token comes with each request (Bolt's
    per-request client in distribution mode copies this one's settings).
    """
    return AsyncWebClient(
        token=token,
        base_url=base_url or DEFAULT_BASE_URL,
        retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            AsyncServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
            AsyncConnectionErrorRetryHandler(max_retry_count=CONNECTION_RETRIES),
        ],
    )
