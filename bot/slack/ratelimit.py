"""Slack's Web API rate limits, shared by every process of a deployment (per workspace and method).

Slack limits each Web API method "per app per workspace" in tiers (Tier 1: 1+/minute, Tier 2: 20+,
Tier 3: 50+, Tier 4: 100+; ``chat.postMessage`` about 1 message per second per channel), answers HTTP 429
with ``Retry-After`` (seconds) past them, and since 2025-05-29 gives commercially distributed apps that are
not in the Slack Marketplace Tier 1 (1 request a minute) and at most 15 messages a page on
``conversations.history`` / ``conversations.replies``. Sources:
https://docs.slack.dev/apis/web-api/rate-limits and
https://docs.slack.dev/changelog/2025/05/29/rate-limit-changes-for-non-marketplace-apps (each method's
tier: its page under https://docs.slack.dev/reference/methods/).

:class:`SlackLimiter` keeps every Recap process inside those budgets together:

* a moving window per ``(team_id, method)`` (per ``channel`` too for ``chat.postMessage``), with the
  ``limits`` library (the rate limiter of Flask-Limiter): atomic Lua scripts on Redis shared by every
  web and worker process (``RATE_LIMIT_URL=redis://…``), or ``memory://`` in the embedded single-process
  mode. ``limits`` was chosen over ``pyrate-limiter`` for its exact moving window on Redis, the same API on
  memory and Redis, and the window's reset time that tells a caller how long to sleep.
* a shared "blocked until" per ``(team_id, method)``: a 429 seen by any process (:class:`SharedRetryAfter`,
  slack_sdk's ``RateLimitErrorRetryHandler`` that still does the retry) makes every process wait
  ``Retry-After`` before its next call of that method in that workspace.

Calls go through it by :class:`bot.slack.client.PacedWebClient` (built by ``make_web_client`` and by
:func:`bot.slack.client.paced` from any client carrying a :class:`SharedRetryAfter`).
"""

from __future__ import annotations

import hashlib
import logging
import math
import random
import threading
import time
import urllib.parse
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Literal

from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage, RedisStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.slack.shared import MemoryStore, RedisStore, SharedStore

logger = logging.getLogger(__name__)

Distribution = Literal["internal", "marketplace", "distributed"]
DISTRIBUTIONS: tuple[str, ...] = ("internal", "marketplace", "distributed")


@dataclass(frozen=True)
class Budget:
    """At most ``calls`` calls in any ``seconds`` seconds (per channel when ``per_channel``)."""

    calls: int
    seconds: float
    per_channel: bool = False


TIER1 = Budget(1, 60)
TIER2 = Budget(20, 60)
TIER3 = Budget(50, 60)
TIER4 = Budget(100, 60)
POST_PER_CHANNEL = Budget(1, 1, per_channel=True)  # chat.postMessage: ~1 message/second/channel

METHOD_BUDGETS: dict[str, Budget] = {
    "conversations.history": TIER3,
    "conversations.replies": TIER3,
    "conversations.info": TIER3,
    "conversations.members": TIER4,
    "conversations.open": TIER3,
    "users.info": TIER4,
    "users.list": TIER2,
    "team.info": TIER3,
    "chat.postMessage": POST_PER_CHANNEL,
    "chat.postEphemeral": TIER4,
    "chat.update": TIER3,
    "chat.delete": TIER3,
    "reactions.add": TIER3,
    "reactions.remove": TIER2,
    "views.publish": TIER4,
    "views.open": TIER4,
    "assistant.threads.setStatus": TIER3,
    "assistant.threads.setTitle": TIER3,
    "assistant.threads.setSuggestedPrompts": TIER3,
}
"""Published tier of every method Recap calls. Methods not listed (``auth.test``, ``chat.getPermalink``,
``oauth.v2.access``, the streaming methods: Slack's "special" tiers of hundreds a minute) are not paced,
but still wait out a shared ``Retry-After``."""

NON_MARKETPLACE_BUDGETS: dict[str, Budget] = {"conversations.history": TIER1, "conversations.replies": TIER1}
"""Commercially distributed apps outside the Marketplace, since 2025-05-29 (the changelog above)."""

PAGE_SIZES: dict[str, int] = {"internal": 200, "marketplace": 200, "distributed": 15}
"""``limit=`` for conversations.history / conversations.replies: Slack recommends ≤ 200; 15 is the
non-Marketplace maximum (a larger ``limit`` returns 15 anyway)."""

READ_CONCURRENCY: dict[str, int] = {"internal": 4, "marketplace": 4, "distributed": 1}
"""``conversations.replies`` calls one read makes at once (at 1 a minute, more threads only wait)."""

HEADROOM = 0.04  # share of a tier's calls left unused: clocks of the workers and Slack are not one
BLOCK_KEY = "ratelimit:block:{team}:{method}"


def retry_after_seconds(response: HttpResponse | None) -> float:
    """The ``Retry-After`` header of a 429 answer, seconds (1 when absent or malformed)."""
    if response is None:
        return 1.0
    for name, values in response.headers.items():
        if name.lower() == "retry-after":
            value = values[0] if isinstance(values, list) and values else values
            try:
                return max(0.0, float(str(value)))
            except ValueError:
                return 1.0
    return 1.0


def token_key(token: str) -> str:
    """A short, stable digest of a token, to key what is kept per token without keeping the token."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


COALESCED_METHODS = frozenset({"users.info", "conversations.info", "team.info"})
"""Read methods whose concurrent identical calls in one process share one Slack call (:class:`SingleFlight`):
their answer does not depend on who asks or when within a call's time. Pages, history and replies are not
here (their arguments carry cursors and time bounds)."""


class SingleFlight:
    """Concurrent identical calls in this process share one call: the first caller makes it, the others wait
    for its result (or its exception). Nothing is kept afterwards: a later call asks again (caches are the
    callers' business). Under a burst of requests that each look up the same person or channel, this turns 100
    ``users.info`` calls for 3 people into one call a person and process, instead of spending the workspace's
    Tier 4 budget (and making every later request wait for the next minute's).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[tuple[str, ...], Future[Any]] = {}

    def run(self, key: tuple[str, ...], call: Callable[[], Any]) -> Any:
        """``call()``, or the result of the identical call (same ``key``) another thread is making now.

        Raises:
            whatever ``call`` raised (in every caller that waited for it).
        """
        with self._lock:
            future = self._calls.get(key)
            leader = future is None
            if future is None:
                future = self._calls[key] = Future()
        if not leader:
            return future.result()
        try:
            result = call()
        except BaseException as exc:
            future.set_exception(exc)
            raise
        else:
            future.set_result(result)
            return result
        finally:
            with self._lock:
                self._calls.pop(key, None)


class SlackLimiter:
    """Per-workspace, per-method pacing of Slack Web API calls, shared through ``storage_url``.

    Args:
        storage_url: ``memory://`` (this process) or ``redis://host:port/db`` (every process).
        distribution: ``internal`` (a customer-built app), ``marketplace`` (approved for the Slack
            Marketplace) or ``distributed`` (commercially distributed outside the Marketplace: Tier 1 and
            15 a page on history/replies).
        time_scale: how much faster than real time the budgets run (benchmarks and tests against the fake
            Slack: 60 makes a minute last one second). 1 in production.
        namespace: prefix of the shared keys (deployments sharing one Redis, tests).
        headroom: share of each tier's calls left unused (default 4%): a call is counted when it leaves,
            Slack counts it when it arrives, and transit times differ by a few milliseconds.
        sleep: ``time.sleep`` (injectable for tests).

    Raises:
        ValueError: an unknown distribution or storage scheme.
    """

    def __init__(self, storage_url: str = "memory://", *, distribution: str = "internal", time_scale: float = 1.0,
                 namespace: str = "recap", headroom: float = HEADROOM,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if distribution not in DISTRIBUTIONS:
            raise ValueError(f"unknown Slack app distribution {distribution!r}: use {', '.join(DISTRIBUTIONS)}")
        self.storage_url = storage_url
        self.distribution = distribution
        self.time_scale = time_scale
        self.headroom = headroom
        self._sleep = sleep
        redis = storage_url.startswith(("redis://", "rediss://"))
        if not (redis or storage_url.startswith("memory://")):
            raise ValueError(f"unsupported rate limit storage {storage_url.split(':', 1)[0]!r}: use redis:// or memory://")
        self._storage = (storage_from_string(storage_url, key_prefix=f"{namespace}:limits") if redis
                         else storage_from_string(storage_url))
        self._window = MovingWindowRateLimiter(self._storage)
        self.shared: SharedStore = (RedisStore(self._storage.get_connection(), prefix=f"{namespace}:")
                                    if isinstance(self._storage, RedisStorage) else MemoryStore())
        self._budgets = dict(METHOD_BUDGETS)
        if distribution == "distributed":
            self._budgets.update(NON_MARKETPLACE_BUDGETS)
        self._items: dict[str, RateLimitItemPerSecond] = {}
        self._teams: dict[str, str] = {}  # token hash -> team_id (filled by the paced client)
        self._auth: dict[str, dict[str, Any]] = {}  # token hash -> auth.test answer
        self._lock = threading.Lock()
        self.single_flight = SingleFlight()  # one per process, shared by every client copy

    def __deepcopy__(self, memo: dict[int, Any]) -> SlackLimiter:
        """The limiter itself: it is shared state (Bolt deep-copies each request's client, and with it
        the retry handler that carries the limiter)."""
        return self

    def __copy__(self) -> SlackLimiter:
        return self

    @property
    def shared_across_processes(self) -> bool:
        """True when the budgets and blocks are shared with other processes (Redis)."""
        return not isinstance(self._storage, MemoryStorage)

    # ------------------------------------------------------------------ budgets
    def budget(self, method: str) -> Budget | None:
        """The published budget of ``method`` for this distribution, or None (not paced)."""
        return self._budgets.get(method)

    def page_size(self, method: str) -> int:
        """``limit=`` for a paginated read of ``method`` (200, or 15 when distributed outside the Marketplace)."""
        if method in NON_MARKETPLACE_BUDGETS:
            return PAGE_SIZES[self.distribution]
        return 200

    @property
    def read_concurrency(self) -> int:
        """How many ``conversations.replies`` one read makes at once (4, or 1 outside the Marketplace)."""
        return READ_CONCURRENCY[self.distribution]

    def effective(self, method: str) -> tuple[int, int] | None:
        """``(calls, window seconds)`` enforced for ``method``: the published budget less ``headroom``
        (a 1-call-a-minute budget gets one more second of window instead), scaled by ``time_scale``, in whole
        seconds (``limits`` counts windows in seconds)."""
        budget = self.budget(method)
        if budget is None:
            return None
        calls, seconds = float(budget.calls), float(budget.seconds)
        if seconds / self.time_scale < 1:  # e.g. 1 a second, scaled -> 60 a minute, so the window stays ≥ 1 s
            calls, seconds = calls * 60 / seconds, 60.0
        window = max(1, round(seconds / self.time_scale))
        if calls > 1:
            calls = calls - math.ceil(calls * self.headroom)
        elif seconds >= 60:  # Tier 1: one more second of window rather than no call at all
            window += 1
        return max(1, int(calls)), window

    def _item(self, method: str) -> RateLimitItemPerSecond | None:
        item = self._items.get(method)
        if item is None:
            effective = self.effective(method)
            if effective is None:
                return None
            item = self._items[method] = RateLimitItemPerSecond(effective[0], effective[1])
        return item

    # ------------------------------------------------------------------ teams
    def remember_team(self, token: str, team_id: str) -> None:
        """Record which workspace a token belongs to (so a 429 seen on it blocks the right workspace)."""
        if token and team_id:
            with self._lock:
                self._teams[token_key(token)] = team_id
                if len(self._teams) > 10_000:
                    self._teams.pop(next(iter(self._teams)))

    def remember_auth(self, token: str, auth: dict[str, Any]) -> None:
        """Keep ``auth.test``'s answer for ``token`` (and its workspace, :meth:`remember_team`)."""
        if token:
            with self._lock:
                self._auth[token_key(token)] = dict(auth)
                if len(self._auth) > 10_000:
                    self._auth.pop(next(iter(self._auth)))
            self.remember_team(token, str(auth.get("team_id") or ""))

    def auth_of(self, token: str | None) -> dict[str, Any] | None:
        """The ``auth.test`` answer kept for ``token`` by :meth:`remember_auth`, or None."""
        if not token:
            return None
        with self._lock:
            found = self._auth.get(token_key(token))
        return dict(found) if found is not None else None

    def team_of_token(self, token: str | None) -> str | None:
        """The workspace recorded for ``token`` by :meth:`remember_team`, or None."""
        if not token:
            return None
        with self._lock:
            return self._teams.get(token_key(token))

    # ------------------------------------------------------------------ pacing
    def blocked_until(self, *, team_id: str, method: str) -> float:
        """Unix time before which no process may call ``method`` in ``team_id`` (0.0 when not blocked)."""
        return self.shared.until(BLOCK_KEY.format(team=team_id, method=method))

    def block(self, *, team_id: str, method: str, seconds: float) -> None:
        """Stop every process calling ``method`` in ``team_id`` for ``seconds`` (a 429's ``Retry-After``)."""
        if seconds > 0:
            logger.info("Slack rate-limited %s in %s: every worker waits %.1f s", method, team_id, seconds)
            self.shared.raise_until(BLOCK_KEY.format(team=team_id, method=method), time.time() + seconds)

    def acquire(self, *, team_id: str, method: str, channel_id: str | None = None) -> float:
        """Block until ``method`` may be called in ``team_id`` (and ``channel_id`` for per-channel methods),
        and take that call's slot in the shared window.

        Returns:
            seconds waited.
        """
        started = time.monotonic()
        item = self._item(method)
        keys = self._keys(team_id, method, channel_id)
        while True:
            until = self.blocked_until(team_id=team_id, method=method)
            now = time.time()
            if until > now:
                self._sleep(until - now)
                continue
            if item is None or self._window.hit(item, *keys):
                return time.monotonic() - started
            # Wait for the oldest call to leave the window, plus a random share of one call's spacing:
            # waiters of every process then spread over the window instead of leaving in a burst at the
            # same instant (a burst's calls reach Slack in a different order than they left).
            reset = self._window.get_window_stats(item, *keys).reset_time
            stagger = random.uniform(0, item.get_expiry() / item.amount)
            self._sleep(min(max(reset - time.time(), 0.005) + stagger, item.get_expiry()))

    def try_acquire(self, *, team_id: str, method: str, channel_id: str | None = None) -> bool:
        """Take ``method``'s slot in the shared window only if one is free now (never waits).

        For what is worth doing only at once, such as a sign of life: past the budget it would come too late
        to mean anything, and it would take a slot the work itself needs.

        Returns:
            True when the call may be made now (its slot is taken); False when it would have had to wait
            (the window is full, or a ``Retry-After`` is running).
        """
        if self.blocked_until(team_id=team_id, method=method) > time.time():
            return False
        item = self._item(method)
        return item is None or self._window.hit(item, *self._keys(team_id, method, channel_id))

    def warm_up(self, connections: int) -> int:
        """Open ``connections`` connections to the shared storage now (Redis; nothing for ``memory://``), so a
        burst's first calls do not each open one: 50 threads of a worker taking their first slot at once waited
        65 ms each for a new connection (connect and redis-py's handshake, under the GIL) against 14 ms on open
        ones, and 0.25 s in the middle of a load-bench burst. Never raises.

        Returns:
            how many connections are open and idle in the pool afterwards (0 without Redis or when it is down).
        """
        if not isinstance(self._storage, RedisStorage) or connections <= 0:
            return 0
        client: Any = self._storage.get_connection()
        pool = client.connection_pool  # redis-py's pool
        taken = []
        try:
            for _ in range(connections):
                taken.append(pool.get_connection())
        except Exception as exc:  # noqa: BLE001 - Redis down: the calls will say so when they happen
            logger.warning("could not open the rate limiter's Redis connections: %s", exc)
        finally:
            for connection in taken:
                pool.release(connection)
        return len(taken)

    def _keys(self, team_id: str, method: str, channel_id: str | None) -> list[str]:
        budget = self.budget(method)
        keys = [team_id, method]
        if budget is not None and budget.per_channel:
            keys.append(channel_id or "-")
        return keys

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_settings(cls, settings: Any) -> SlackLimiter:
        """A limiter for ``settings``: build one per process (the composition root) and give it to every
        client (``make_web_client(limiter=…)``).

        ``settings.rate_limit_url``; when unset, ``settings.queue_url`` if it is a Redis URL, else
        ``memory://``. ``settings.slack_app_distribution``: see the class.

        Raises:
            ValueError: an unknown distribution or storage scheme.
        """
        url = getattr(settings, "rate_limit_url", None) or ""
        if not url:
            queue_url = str(getattr(settings, "queue_url", None) or "")
            url = queue_url if queue_url.startswith(("redis://", "rediss://")) else "memory://"
        distribution = str(getattr(settings, "slack_app_distribution", None) or "internal")
        return cls(url, distribution=distribution)


def _request_params(request: HttpRequest) -> dict[str, Any]:
    params: dict[str, Any] = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(request.url).query))
    if request.body_params:
        params.update(request.body_params)
    if request.data:
        try:
            import json

            body = json.loads(request.data)
            if isinstance(body, dict):
                params.update(body)
        except ValueError:
            params.update(urllib.parse.parse_qsl(request.data.decode("utf-8", "replace")))
    return params


class SharedRetryAfter(RateLimitErrorRetryHandler):
    """slack_sdk's ``RateLimitErrorRetryHandler`` that also tells every process about the 429.

    On HTTP 429 it records ``Retry-After`` as the workspace+method's shared "blocked until"
    (:meth:`SlackLimiter.block`), lets the SDK's handler wait and retry as usual, and takes the retry's slot
    in the shared window. It also carries the limiter with the client: Bolt's per-request ``WebClient``
    copies the app client's ``retry_handlers``, and :func:`bot.slack.client.paced` finds it there.

    Args:
        limiter: the shared limiter.
        max_retry_count: retries of a rate-limited call.
    """

    def __init__(self, limiter: SlackLimiter, max_retry_count: int = 3) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.limiter = limiter

    def prepare_for_next_attempt(self, *, state: RetryState, request: HttpRequest,
                                 response: HttpResponse | None = None, error: Exception | None = None) -> None:
        """Record ``Retry-After`` as the shared block, wait until it has passed and the retry has a slot in
        the shared window, then let the SDK retry. Without a known workspace, the SDK's own wait
        (``Retry-After`` plus up to a second of jitter)."""
        method = urllib.parse.urlsplit(request.url).path.rsplit("/", 1)[-1]
        params = _request_params(request)
        auth = request.headers.get("Authorization") or request.headers.get("authorization") or [""]
        token = str(auth[0] if isinstance(auth, list) else auth).removeprefix("Bearer ").strip()
        team_id = str(params.get("team_id") or "") or self.limiter.team_of_token(token or params.get("token"))
        if response is None or not team_id:
            super().prepare_for_next_attempt(state=state, request=request, response=response, error=error)
            return
        state.next_attempt_requested = True
        self.limiter.block(team_id=team_id, method=method, seconds=retry_after_seconds(response))
        channel = params.get("channel")
        self.limiter.acquire(team_id=team_id, method=method, channel_id=str(channel) if channel else None)
        state.increment_current_attempt()
