"""The one place Recap builds a :class:`slack_sdk.WebClient`.

Retries are slack_sdk's own (https://docs.slack.dev/tools/python-slack-sdk/web#retryhandler):
``RateLimitErrorRetryHandler`` waits for ``Retry-After`` on HTTP 429, ``ServerErrorRetryHandler``
retries HTTP 500/503 with exponential backoff, ``ConnectionErrorRetryHandler`` retries connection
resets and URL errors. No hand-written retry loops anywhere else.
"""

from __future__ import annotations

import random

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.jitter import Jitter


class _BoundedJitter(Jitter):
    """Adds a random ``[0, max_jitter)`` seconds to each backoff interval (the SDK's adds ``[0, 1)``)."""

    def __init__(self, max_jitter: float) -> None:
        self.max_jitter = max_jitter

    def recalculate(self, duration: float) -> float:
        return duration + random.random() * self.max_jitter


def make_web_client(
    *,
    token: str,
    base_url: str | None = None,
    timeout: float = 30,
    max_retries: int = 3,
    backoff_factor: float = 0.5,
    max_jitter: float = 1.0,
) -> WebClient:
    """Build a WebClient with rate-limit, server-error and connection-error retries.

    Args:
        token: a bot (``xoxb-``) or user (``xoxp-``) token.
        base_url: the Web API root, e.g. ``https://slack.com/api/`` (the default) or a fake
            server's ``http://127.0.0.1:PORT/api/`` in tests.
        timeout: socket timeout per HTTP request, seconds.
        max_retries: retries per handler (so up to ``max_retries`` extra attempts per failure kind).
        backoff_factor: base of the exponential wait between server/connection error retries,
            seconds (``backoff_factor * 2**attempt`` plus jitter). 429 waits ``Retry-After`` instead.
        max_jitter: upper bound of the random seconds added to each backoff wait (tests use 0).

    Returns:
        A configured :class:`slack_sdk.WebClient`. Calls still raise ``SlackApiError`` once the
        retries are spent; readers translate it into :class:`bot.errors.SlackReadError`.
    """
    interval = BackoffRetryIntervalCalculator(backoff_factor=backoff_factor, jitter=_BoundedJitter(max_jitter))
    kwargs: dict = {"token": token, "timeout": int(timeout) if timeout == int(timeout) else timeout}
    if base_url:
        kwargs["base_url"] = base_url if base_url.endswith("/") else base_url + "/"
    client = WebClient(**kwargs)
    client.retry_handlers = [
        RateLimitErrorRetryHandler(max_retry_count=max_retries),
        ServerErrorRetryHandler(max_retry_count=max_retries, interval_calculator=interval),
        ConnectionErrorRetryHandler(max_retry_count=max_retries, interval_calculator=interval),
    ]
    return client
