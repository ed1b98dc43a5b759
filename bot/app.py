"""``create_app(settings)``: the Bolt app with every listener registered.

The same app serves Socket Mode (development, ``SLACK_APP_TOKEN``) and HTTP mode (production,
``SLACK_SIGNING_SECRET``), in single-workspace mode (``SLACK_BOT_TOKEN``) or multi-workspace OAuth mode
(``SLACK_CLIENT_ID`` + ``SLACK_CLIENT_SECRET``, see :mod:`bot.runtime.oauth`). Nothing here opens a
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
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.config import Settings
from bot.slack.client import make_web_client
from bot.storage.store import Store
from bot.summaries.service import Services

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
    """Holds lazy work back while acks are pending, so a burst of requests is acknowledged first.

    With CPython's GIL, 100 lazy listeners starting their (CPU-bound) reading and prompt building
    while 100 acks are pending share one core round-robin, and every ack waits for all of them. So
    work submitted to the listener executor is held here and released by one thread once no ack is
    pending and none has been for ``quiet`` seconds (the requests of a burst arrive a little apart),
    or once it has waited ``max_defer`` seconds, so a steady stream of requests cannot starve it.
    Holding the work, rather than parking a pool thread per task, keeps thread start-up and wake-ups
    out of the burst too (each costs the GIL: measured in ``bench/load_bench.py``).

    Args:
        max_defer: longest hold of a task, seconds.
        quiet: how long no ack must have been pending before held work is released, seconds.
    """

    def __init__(self, *, max_defer: float = 1.0, quiet: float = 0.05) -> None:
        self.max_defer = max_defer
        self.quiet = quiet
        self.pending = 0
        self.last_ack = 0.0  # monotonic seconds when the last pending ack was answered
        self._held: deque[tuple[float, Callable[[], Any]]] = deque()
        self._cond = threading.Condition()
        self._releaser: threading.Thread | None = None

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
                    self.last_ack = time.monotonic()
                    if not self.pending and self._held:
                        self._cond.notify()

        return counted

    def hold(self, release: Callable[[], Any]) -> None:
        """Call ``release()`` (e.g. a pool submit) from the releaser thread when acks are done."""
        with self._cond:
            self._held.append((time.monotonic(), release))
            if self._releaser is None:
                self._releaser = threading.Thread(target=self._release_loop, name="recap-ack-first", daemon=True)
                self._releaser.start()
            self._cond.notify()

    def flush(self) -> None:
        """Release everything held now (shutdown)."""
        with self._cond:
            ready = [release for _, release in self._held]
            self._held.clear()
        for release in ready:
            release()

    def _due(self, now: float) -> tuple[list[Callable[[], Any]], float | None]:
        """Tasks to release now and how long to wait for the next check (None: until notified)."""
        if not self._held:
            return [], None
        if not self.pending and now - self.last_ack >= self.quiet:
            ready = [release for _, release in self._held]
            self._held.clear()
            return ready, None
        ready = []
        while self._held and now - self._held[0][0] >= self.max_defer:
            ready.append(self._held.popleft()[1])
        waits = [self._held[0][0] + self.max_defer - now] if self._held else []
        if not self.pending:
            waits.append(self.last_ack + self.quiet - now)
        return ready, max(0.001, min(waits)) if waits else None

    def _release_loop(self) -> None:
        while True:
            with self._cond:
                ready, timeout = self._due(time.monotonic())
                if not ready:
                    self._cond.wait(timeout)
                    continue
            for release in ready:
                try:
                    release()
                except Exception:  # e.g. the pool was shut down; nothing else to do with the task
                    logger.exception("could not start held work")


class _WorkExecutor(ThreadPoolExecutor):
    """The lazy-listener executor: tasks start once pending acks are answered (:class:`AckFirst`)."""

    def __init__(self, gate: AckFirst, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gate = gate

    def submit(self, fn, /, *args, **kwargs) -> Future:  # noqa: ANN001 - Executor's signature
        outer: Future = Future()

        def call() -> None:
            if not outer.set_running_or_notify_cancel():
                return
            try:
                outer.set_result(fn(*args, **kwargs))
            except BaseException as exc:  # noqa: BLE001 - handed to the future, as the pool does
                outer.set_exception(exc)

        self.gate.hold(lambda: super(_WorkExecutor, self).submit(call))
        return outer

    def prestart(self) -> int:
        """Start every worker thread now, idle until work arrives; returns how many run.

        :class:`ThreadPoolExecutor` starts a thread per submit until ``max_workers``, and
        ``Thread.start()`` waits for the new thread to run: with 100 tasks released at once into a busy
        process, the last tasks started seconds late (their ``:eyes:`` too). Prestarted, releasing a
        task is a queue put.
        """
        barrier = threading.Barrier(self._max_workers + 1)
        started = [super(_WorkExecutor, self).submit(barrier.wait) for _ in range(self._max_workers)]
        barrier.wait()
        for future in started:
            future.result()
        return len(self._threads)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Start what is held, then shut the pool down as :class:`ThreadPoolExecutor` does."""
        self.gate.flush()
        super().shutdown(wait=wait, cancel_futures=cancel_futures)


def _make_engine(settings: Settings):
    """The store's engine (workers' reads and writes). The duplicate-event claim, which runs before the
    ack, has its own small pool in :class:`bot.storage.store.Store`, so busy workers never delay an ack (with one
    shared pool of SQLAlchemy's default size, ack p99 was 5.1 s under the 50 + 50 load on PostgreSQL).
    Per process: at most 10 + 30 connections here plus 4 + 4 for claims; size PostgreSQL's
    ``max_connections`` (or a PgBouncer) for the number of processes."""
    import sqlalchemy as sa

    from bot.storage.store import make_engine

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
        from bot.runtime.oauth import PurgeInstallations, make_oauth_settings
    client = make_web_client(token="" if multi else settings.slack_bot_token or "", base_url=settings.slack_api_url,
                             timeout=settings.slack_timeout)
    oauth_settings = make_oauth_settings(settings, services.store.engine, client=client) if multi else None
    gate = AckFirst()
    app = App(
        token=None,  # single-workspace mode: the client carries the bot token (Bolt takes client.token)
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
    services.store.warm_up()
    return app


def warm_up() -> None:
    """Import the summarizer's libraries (scikit-learn, SciPy, NLTK, langdetect's profiles) before the
    first request: imported lazily by a worker they hold the GIL for seconds and stall the acks of
    requests arriving meanwhile. Runs a tiny offline summary once per process (~2 s at start-up)."""
    from bot.models import Message
    from bot.summaries.extractive import summarize_offline

    summarize_offline([
        Message(channel_id="C0", ts="1700000000.000100", user_id="U0", user_name="a",
                text="We decided to ship the release on Friday. Can you update the changelog?"),
        Message(channel_id="C0", ts="1700000001.000100", user_id="U1", user_name="b",
                text="Sure, I'll update it today."),
    ])


def prepare_to_serve(app: App) -> None:
    """Make a serving process ready for bursts: start the work threads (:meth:`_WorkExecutor.prestart`)
    and freeze the start-up heap (:func:`freeze_heap`). Call once per process, after
    :func:`create_app`, in processes that serve Slack (not in tests that build many apps)."""
    executor = app.listener_runner.listener_executor
    if isinstance(executor, _WorkExecutor):
        executor.prestart()
    freeze_heap()


def freeze_heap() -> None:
    """Move every object alive now out of the garbage collector's reach (``gc.freeze()``).

    Call once in a serving process after the app is built and warmed up. The warm-up leaves ~430,000
    long-lived objects (scikit-learn, SciPy, NLTK); a full collection walks them all while holding
    the GIL, and one landing in a burst of requests held every ack for ~180 ms (measured with
    ``bench/load_bench.py``). Frozen objects are never collected, so this is for start-up objects
    only. Source: Python's ``gc.freeze`` documentation (frozen objects move to a permanent generation
    that every later collection ignores).
    """
    import gc

    gc.collect()
    gc.freeze()


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
