"""``create_app(settings)``: the Bolt app with every listener registered.

The same app serves Socket Mode (development, ``SLACK_APP_TOKEN``) and HTTP mode (production,
``SLACK_SIGNING_SECRET``), in single-workspace mode (``SLACK_BOT_TOKEN``) or multi-workspace OAuth mode
(``SLACK_CLIENT_ID`` + ``SLACK_CLIENT_SECRET``, see :mod:`bot.installs`). Nothing here opens a
connection at import time.

Acks never wait for work (measured by ``bench/load_bench.py``, see ``docs/benchmarks.md``). With
``process_before_response=False`` Bolt runs each ``ack()`` on its ``listener_executor``, the same pool
as the lazy listeners, and polls for it every 10 ms: a burst of slow model calls fills every thread
and later acks wait past Slack's 3 seconds. Recap's ack functions do no I/O, so they run in the
request's own thread (``process_before_response=True``: the ack function only, the lazy listeners
still run afterwards on the executor), and lazy work yields to pending acks (:class:`AckFirst`).
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.config import Settings
from bot.service import Services
from bot.slack.client import make_web_client
from bot.store import Store

logger = logging.getLogger(__name__)


class DropDuplicateEvents(Middleware):
    """Acknowledge and drop an event whose ``event_id`` was already claimed (Slack retries and
    duplicate deliveries, ``X-Slack-Retry-Num`` 1–3 over HTTP, ``retry_attempt`` in Socket Mode),
    across processes sharing one database.

    The key is the envelope's ``team_id`` and ``event_id``: Socket Mode hands Bolt the same
    ``event_callback`` body (``SocketModeRequest.payload``), so one check serves both transports.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def process(self, *, req: BoltRequest, resp: BoltResponse, next):  # noqa: A002 - Bolt's signature
        body = req.body or {}
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if body.get("type") == "event_callback" and event_id:
            team_id = body.get("team_id") or ""
            if not self.store.claim_event(f"{team_id}:{event_id}", team_id=team_id):
                logger.info("dropping duplicate event %s (retry %s)", event_id,
                            (req.headers.get("x-slack-retry-num") or ["0"])[0])
                return BoltResponse(status=200, body="")
        return next()


class AckFirst:
    """Counts requests whose ack is still pending, so lazy work can yield to them.

    With CPython's GIL, 100 lazy listeners starting their (CPU-bound) reading and prompt building
    while 100 acks are pending share one core round-robin, and every ack waits for all of them.
    Lazy tasks therefore wait until no ack is pending — at most ``max_defer`` seconds, so a steady
    stream of requests cannot starve the work.

    Args:
        max_defer: longest wait of a lazy task, seconds.
    """

    def __init__(self, *, max_defer: float = 1.0) -> None:
        self.max_defer = max_defer
        self.pending = 0
        self._cond = threading.Condition()

    def wrap_dispatch(self, dispatch: Any) -> Any:
        """``App.dispatch`` counted: pending from entry until the ack response is returned."""

        def counted(req: BoltRequest) -> BoltResponse:
            with self._cond:
                self.pending += 1
            try:
                return dispatch(req)
            finally:
                with self._cond:
                    self.pending -= 1
                    if not self.pending:
                        self._cond.notify_all()

        return counted

    def wait(self) -> None:
        """Block until no ack is pending, or ``max_defer`` seconds."""
        deadline = time.monotonic() + self.max_defer
        with self._cond:
            while self.pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                self._cond.wait(left)


class _WorkExecutor(ThreadPoolExecutor):
    """The lazy-listener executor: each task first lets pending acks finish (:class:`AckFirst`)."""

    def __init__(self, gate: AckFirst, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gate = gate

    def submit(self, fn, /, *args, **kwargs) -> Future:  # noqa: ANN001 - Executor's signature
        def gated() -> Any:
            self.gate.wait()
            return fn(*args, **kwargs)

        return super().submit(gated)


def _make_engine(settings: Settings):
    """The store's engine (workers' reads and writes). The duplicate-event claim, which runs before the
    ack, has its own small pool in :class:`bot.store.Store`, so busy workers never delay an ack (with one
    shared pool of SQLAlchemy's default size, ack p99 was 5.1 s under the 50 + 50 load on PostgreSQL).
    Per process: at most 10 + 30 connections here plus 4 + 4 for claims; size PostgreSQL's
    ``max_connections`` (or a PgBouncer) for the number of processes."""
    import sqlalchemy as sa

    from bot.store import make_engine

    if settings.database_url.startswith("sqlite"):
        return make_engine(settings.database_url)
    return sa.create_engine(settings.database_url, pool_pre_ping=True, pool_size=10, max_overflow=30,
                            pool_timeout=30)


def build_services(settings: Settings) -> Services:
    """Store and provider from the settings."""
    from bot.llm.factory import make_provider

    store = Store(_make_engine(settings))
    provider = make_provider(
        provider=settings.llm_provider, anthropic_api_key=settings.anthropic_api_key,
        openai_api_key=settings.openai_api_key, openai_base_url=settings.openai_base_url,
        anthropic_base_url=settings.anthropic_base_url, model=settings.llm_model,
        timeout=settings.llm_timeout, max_retries=settings.llm_max_retries,
        context_tokens=settings.llm_context_tokens,
    )
    return Services(settings=settings, store=store, provider=provider)


def create_app(settings: Settings, *, services: Services | None = None) -> App:
    """Build the Bolt app.

    Args:
        settings: single-workspace mode needs ``slack_bot_token``; OAuth mode needs
            ``slack_client_id``, ``slack_client_secret`` and ``slack_signing_secret``; Socket Mode needs
            ``slack_app_token`` instead of a signing secret.
        services: prebuilt services (tests); built from ``settings`` otherwise.

    Returns:
        the Bolt ``App`` with all listeners, the duplicate-event middleware, acks answered in the
        request's thread and lazy work on an executor of ``settings.listener_threads`` threads.
    """
    from handlers import commands, lifecycle, mentions, shortcuts

    services = services or build_services(settings)
    multi = bool(settings.slack_client_id and settings.slack_client_secret)
    if multi:  # imported only here: slack_sdk's SQLAlchemy stores need ``greenlet``
        from bot.installs import PurgeInstallations, make_oauth_settings
    client = make_web_client(token="" if multi else settings.slack_bot_token or "", base_url=settings.slack_api_url,
                             timeout=settings.slack_timeout)
    oauth_settings = make_oauth_settings(settings, services.store.engine, client=client) if multi else None
    gate = AckFirst()
    app = App(
        token=None if multi else settings.slack_bot_token,
        signing_secret=settings.slack_signing_secret or "socket-mode-has-no-signing-secret",
        client=client,
        oauth_settings=oauth_settings,
        # Only the (I/O-free) ack functions run before the response; lazy listeners still run after it.
        process_before_response=True,
        listener_executor=_WorkExecutor(gate, max_workers=settings.listener_threads, thread_name_prefix="recap-work"),
    )
    app.dispatch = gate.wrap_dispatch(app.dispatch)  # type: ignore[method-assign]
    if oauth_settings is not None:
        app.use(PurgeInstallations(oauth_settings.installation_store))
    app.use(DropDuplicateEvents(services.store))
    for module in (mentions, commands, shortcuts, lifecycle):
        module.register(app, services)
    for extra in _optional_feature_modules():
        extra.register(app, services)
    warm_up()
    return app


def warm_up() -> None:
    """Import the summarizer's libraries (scikit-learn, SciPy, NLTK, langdetect's profiles) before the
    first request: imported lazily by a worker they hold the GIL for seconds and stall the acks of
    requests arriving meanwhile. Runs a tiny offline summary once per process (~2 s at start-up)."""
    from bot.llm.offline import summarize_offline
    from bot.models import Message

    summarize_offline([
        Message(channel_id="C0", ts="1700000000.000100", user_id="U0", user_name="a",
                text="We decided to ship the release on Friday. Can you update the changelog?"),
        Message(channel_id="C0", ts="1700000001.000100", user_id="U1", user_name="b",
                text="Sure, I'll update it today."),
    ])


def _optional_feature_modules() -> list:
    """Feature listeners that register themselves when present (assistant, home, digests)."""
    import importlib

    modules = []
    for name in ("handlers.assistant", "handlers.home", "handlers.digests"):
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return modules
