"""The one place Recap builds a :class:`slack_sdk.WebClient`.

Retries are slack_sdk's own (https://docs.slack.dev/tools/python-slack-sdk/web#retryhandler):
``RateLimitErrorRetryHandler`` waits for ``Retry-After`` on HTTP 429, ``ServerErrorRetryHandler``
retries HTTP 500/503 with exponential backoff, ``ConnectionErrorRetryHandler`` retries connection
resets and URL errors. No hand-written retry loops anywhere else.

Pacing is not a retry: every call of a client built here (or wrapped by :func:`paced`) first waits for
its slot in the shared per-workspace, per-method budget (:class:`bot.slack.ratelimit.SlackLimiter`), and
the rate-limit handler is :class:`bot.slack.ratelimit.SharedRetryAfter` (slack_sdk's own, which also tells
every process about the 429).
"""

from __future__ import annotations

import copy
import json
import random
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.jitter import Jitter
from slack_sdk.web.slack_response import SlackResponse

from bot.slack.ratelimit import COALESCED_METHODS, SharedRetryAfter, SlackLimiter, token_key


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
    limiter: SlackLimiter | None = None,
    team_id: str | None = None,
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
        limiter: the shared rate limiter (one per process, :meth:`SlackLimiter.from_settings`); a new
            ``memory://`` one for this client (and the per-request copies Bolt makes of it) when None.
        team_id: the workspace of ``token`` when known (otherwise ``auth.test`` tells it, once per token).

    Returns:
        A :class:`PacedWebClient`. Calls still raise ``SlackApiError`` once the retries are spent;
        readers translate it into :class:`bot.errors.SlackReadError`.
    """
    interval = BackoffRetryIntervalCalculator(backoff_factor=backoff_factor, jitter=_BoundedJitter(max_jitter))
    limiter = limiter or SlackLimiter()
    kwargs: dict = {"token": token, "timeout": int(timeout) if timeout == int(timeout) else timeout}
    if base_url:
        kwargs["base_url"] = base_url if base_url.endswith("/") else base_url + "/"
    if team_id:
        limiter.remember_team(token, team_id)
    client = PacedWebClient(limiter=limiter, **kwargs)
    client.retry_handlers = [
        SharedRetryAfter(limiter, max_retry_count=max_retries),
        ServerErrorRetryHandler(max_retry_count=max_retries, interval_calculator=interval),
        ConnectionErrorRetryHandler(max_retry_count=max_retries, interval_calculator=interval),
    ]
    return client


class PacedWebClient(WebClient):
    """A ``WebClient`` whose every call first waits for its slot in the shared budget.

    The workspace is the client's ``team_id`` (Bolt sets it on each request's client), else the token's,
    read once with ``auth.test`` and remembered by the limiter. ``chat.postMessage`` is paced per channel
    (the ``channel`` argument). Retries (429, 5xx, connection errors) stay slack_sdk's.

    Args:
        limiter: the shared limiter.
        *args, **kwargs: ``WebClient``'s.
    """

    limiter: SlackLimiter

    def __init__(self, *args: Any, limiter: SlackLimiter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limiter = limiter

    def auth(self) -> dict[str, Any]:
        """``auth.test``'s answer for this token (``team_id``, ``user_id``, ``url``, …), asked once per token
        and process (the limiter keeps it).

        Raises:
            SlackApiError, SlackClientError: Slack refused or could not be reached (nothing is kept).
        """
        found = self.limiter.auth_of(self.token)
        if found is None:
            found = dict(WebClient.api_call(self, "auth.test").data)  # type: ignore[arg-type]
            self.limiter.remember_auth(self.token or "", found)
        return found

    def team(self) -> str:
        """The workspace this client calls (``team_id``, or the token's from :meth:`auth`); ``-`` when
        Slack cannot tell (a bad token: the call itself then fails with Slack's error)."""
        team_id = self.default_params.get("team_id") or self.limiter.team_of_token(self.token)
        if team_id:
            return str(team_id)
        try:
            return str(self.auth().get("team_id") or "-")
        except (SlackApiError, SlackClientError, OSError):
            return "-"

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:
        """Wait for ``api_method``'s slot in this workspace (shared), then call Slack (``WebClient.api_call``).

        A read of :data:`~bot.slack.ratelimit.COALESCED_METHODS` (``users.info``, ``conversations.info``) made
        while the identical one (same token and arguments) is in flight in this process waits for that one's
        answer instead of spending another slot (:class:`~bot.slack.ratelimit.SingleFlight`)."""
        if api_method in COALESCED_METHODS:
            key = (api_method, token_key(self.token or ""),
                   json.dumps([kwargs.get(part) for part in ("params", "data", "json")], sort_keys=True, default=str))
            response: SlackResponse = self.limiter.single_flight.run(key, lambda: self._paced_call(api_method, **kwargs))
            return response
        return self._paced_call(api_method, **kwargs)

    def _paced_call(self, api_method: str, **kwargs: Any) -> SlackResponse:
        if api_method != "auth.test":
            args = kwargs.get("json") or kwargs.get("data") or kwargs.get("params") or {}
            channel = args.get("channel") if isinstance(args, dict) else None
            self.limiter.acquire(team_id=self.team(), method=api_method,
                                 channel_id=str(channel) if channel else None)
            return super().api_call(api_method, **kwargs)
        response = super().api_call(api_method, **kwargs)
        if isinstance(response.data, dict) and response.data.get("ok") and self.token:
            self.limiter.remember_auth(self.token, response.data)
        return response


def limiter_of(client: WebClient) -> SlackLimiter | None:
    """The shared limiter a client carries (a :class:`PacedWebClient`'s, or a :class:`SharedRetryAfter`
    among its ``retry_handlers``: Bolt copies those into each request's client), or None."""
    if isinstance(client, PacedWebClient):
        return client.limiter
    for handler in client.retry_handlers or []:
        if isinstance(handler, SharedRetryAfter):
            return handler.limiter
    return None


def call_if_free(client: WebClient, api_method: str, *, channel_id: str | None = None,
                 **kwargs: Any) -> SlackResponse | None:
    """Call ``api_method`` (``WebClient.api_call`` keyword arguments, e.g. ``json={…}``) only when the shared
    window has a slot for it now (:meth:`SlackLimiter.try_acquire`); never waits. A client without a limiter
    calls at once.

    Returns:
        Slack's response, or None when the call was skipped for want of budget.

    Raises:
        slack_sdk.errors.SlackApiError: Slack refused the call.
    """
    client = paced(client)
    if isinstance(client, PacedWebClient):
        if not client.limiter.try_acquire(team_id=client.team(), method=api_method, channel_id=channel_id):
            return None
        return WebClient.api_call(client, api_method, **kwargs)
    return client.api_call(api_method, **kwargs)


def paced(client: WebClient) -> WebClient:
    """``client`` with every call paced by its shared limiter.

    A :class:`PacedWebClient` is returned as is; any other client (Bolt's per-request ``WebClient``)
    is copied into one (same token, ``team_id``, base URL, timeout, headers and retry handlers) when it
    carries a limiter (:func:`limiter_of`), else returned unchanged.
    """
    if isinstance(client, PacedWebClient):
        return client
    limiter = limiter_of(client)
    if limiter is None:
        return client
    copied = copy.copy(client)
    copied.__class__ = PacedWebClient
    copied.limiter = limiter  # type: ignore[attr-defined]  # the copy is a PacedWebClient now
    return copied
