"""The worker side of the queue: claim, run, renew, finish; and ``recap worker``'s consumer loop.

Each job runs as:

1. **claim** its key under a lease (:meth:`bot.storage.store.Store.claim_job`): the request's
   duplicate key (event ``team_id:event_id``, or the trigger key of a command/shortcut/action, so
   Slack's retries and replays of a signed request are dropped here), or ``job:<job_id>`` for a job
   without one. Done, or held by another job → dropped. The same job under a live lease (its worker
   was SIGKILLed moments ago, the broker redelivered at once) → retried when the lease runs out.
2. **run** inside :func:`bot.runtime.jobs.running_job` (``JobInfo(job_id, attempt, max_attempts)``), so
   service code can make its visible effects idempotent; a lazy listener is dispatched to the worker's
   Bolt app as Bolt's own lazy-only request, so the same listener code runs as in embedded mode.
3. **renew** the lease every third of ``queue_lease_seconds`` on a heartbeat thread while it runs.
4. **finish**: the claim is marked done, then Dramatiq acks the message. A failure releases the lease
   and raises, so Dramatiq retries it (backoff); on the last attempt the person is told why
   (:func:`tell_gave_up`) and the job ends.

Nothing here imports the composition root: ``recap worker`` builds the Bolt app once per process and
hands it over in a :class:`WorkerContext` (:func:`install`).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import dramatiq
from slack_bolt import App, BoltRequest
from slack_bolt.kwargs_injection import build_required_kwargs
from slack_bolt.lazy_listener import LazyListenerRunner
from slack_bolt.util.utils import get_arg_names_of_callable
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.webhook import WebhookClient

from bot import strings
from bot.config import Settings
from bot.queue.broker import declare_actors, make_broker
from bot.runtime.jobs import JobInfo, running_job
from bot.slack.client import limiter_of
from bot.storage.store import BUSY, DUPLICATE, Store

logger = logging.getLogger(__name__)

OUTCOME_KEY = "recap_job_outcome"
"""The request-context key under which a worker's dispatch collects what the lazy listener did."""

POLL_MS = 100
"""Longest wait between an idle Redis consumer's polls, milliseconds."""

DigestRunner = Callable[[str, str, str, float], str]
"""``(kind, team_id, target, due Unix seconds) -> status``: runs one scheduled digest (set by the
composition root; :func:`bot.digests.scheduler.run_digest_now`)."""


@dataclass
class WorkerContext:
    """What a worker process runs jobs with (built once per process by ``recap worker``).

    Attributes:
        app: the worker's Bolt app (``request_verification_enabled=False``, lazy runner
            :class:`WorkerLazyRunner`).
        store: the claims' store.
        settings: ``queue_lease_seconds``, ``queue_max_attempts``.
        client_for: ``team_id -> WebClient`` with the workspace's bot token (for the give-up notice).
        digest_runner: runs a scheduled digest (None: digest jobs fail with a clear log line).
        gave_up_notice: tells the person why their request gave up, in plain words
            (:func:`bot.summaries.service.tell_gave_up`: ``(client, body, reason=, attempts=, job_id=)``); None
            uses this module's plainer :func:`tell_gave_up`.
        sign_of_life: ``(client, body) -> shown`` shows a request's first sign of life the moment a worker
            takes its message, before the claim and Bolt's dispatch
            (:func:`bot.summaries.service.show_sign_of_life`: a mention's :eyes:); None shows nothing early.
            It must be harmless when repeated (Slack answers ``already_reacted``): it runs on every
            delivery of a job except Slack's own retries of a request (``X-Slack-Retry-Num``), which the claim
            usually drops as duplicates. Never raising is its contract; an exception is logged and ignored.
    """

    app: App
    store: Store
    settings: Settings
    client_for: Callable[[str], WebClient]
    digest_runner: DigestRunner | None = None
    gave_up_notice: Callable[..., bool] | None = None
    sign_of_life: Callable[[WebClient, dict[str, Any]], bool] | None = None


_CONTEXT: WorkerContext | None = None


def install(context: WorkerContext) -> None:
    """Make ``context`` the one this process's actors run with."""
    global _CONTEXT
    _CONTEXT = context


def _context() -> WorkerContext:
    if _CONTEXT is None:
        raise RuntimeError("no worker context in this process: start it with `recap worker`")
    return _CONTEXT


@dataclass
class _Outcome:
    ran: bool = False
    error: Exception | None = None


class WorkerLazyRunner(LazyListenerRunner):
    """The worker's lazy-listener runner: runs the function in the calling (Dramatiq worker) thread
    and, unlike Bolt's own (which logs and swallows), hands an exception back to the job so the
    queue can retry it."""

    def __init__(self, logger: logging.Logger = logger) -> None:
        self.logger = logger

    def start(self, function: Callable[..., None], request: BoltRequest) -> None:
        """A worker only receives lazy-only requests; anything else runs here, synchronously."""
        self.run(function, request)

    def run(self, function: Callable[..., None], request: BoltRequest) -> None:
        """Call ``function`` with Bolt's keyword arguments; record success or the exception."""
        kwargs = build_required_kwargs(logger=self.logger, required_arg_names=get_arg_names_of_callable(function),
                                       request=request, response=None, this_func=function)
        outcome = request.context.get(OUTCOME_KEY)
        if not isinstance(outcome, _Outcome):
            function(**kwargs)
            return
        outcome.ran = True
        try:
            function(**kwargs)
        except Exception as exc:  # noqa: BLE001 - handed to the job, which retries or gives up
            outcome.error = exc


class _Lease:
    """Renews a claim's lease every third of its length until stopped (a daemon thread)."""

    def __init__(self, store: Store, key: str, job_id: str, seconds: float) -> None:
        self.store, self.key, self.job_id, self.seconds = store, key, job_id, seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"lease-{job_id[:8]}", daemon=True)

    def __enter__(self) -> _Lease:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.wait(self.seconds / 3):
            try:
                if not self.store.renew_job(self.key, job_id=self.job_id, lease_seconds=self.seconds):
                    logger.warning("job %s lost its claim on %s (lease expired and taken over)", self.job_id, self.key)
                    return
            except Exception:  # noqa: BLE001 - a database blip; the next beat tries again
                logger.exception("could not renew the lease of job %s", self.job_id)


def run_claimed(context: WorkerContext, *, key: str, job_id: str, team_id: str, work: Callable[[JobInfo], None],
                give_up: Callable[[JobInfo, str], None], sign_of_life_shown: bool = False) -> str:
    """Run ``work`` once per ``key`` across workers, under a renewed lease (see the module docstring).

    ``sign_of_life_shown`` is handed to ``work`` in its :class:`JobInfo`.

    Returns:
        ``done``, ``duplicate`` or ``gave_up``.

    Raises:
        dramatiq.Retry: the same job still holds a live lease (retried when it runs out).
        Exception: what ``work`` raised, when attempts remain (Dramatiq retries with backoff).
    """
    settings, store = context.settings, context.store
    claim = store.claim_job(key, job_id=job_id, team_id=team_id, lease_seconds=settings.queue_lease_seconds)
    if claim.outcome == DUPLICATE:
        logger.info("job %s: %s was handled by another job; dropped", job_id, key)
        return "duplicate"
    if claim.outcome == BUSY:
        raise dramatiq.Retry(f"job {job_id} still leased", delay=int(claim.wait * 1000) + 250)
    info = JobInfo(job_id=job_id, attempt=claim.attempt, max_attempts=settings.queue_max_attempts,
                   sign_of_life_shown=sign_of_life_shown)
    if info.attempt >= info.max_attempts:  # every earlier delivery died mid-work (e.g. SIGKILL)
        give_up(JobInfo(job_id, info.max_attempts - 1, info.max_attempts), "it was interrupted each time")
        store.finish_job(key, job_id=job_id)
        return "gave_up"
    try:
        with _Lease(store, key, job_id, settings.queue_lease_seconds), running_job(info):
            work(info)
    except Exception as exc:
        if info.last_attempt:
            logger.exception("job %s failed on its last attempt (%d); giving up", job_id, info.attempt + 1)
            give_up(info, type(exc).__name__)
            store.finish_job(key, job_id=job_id)
            return "gave_up"
        logger.warning("job %s failed (attempt %d of %d): %s; it will be retried", job_id, info.attempt + 1,
                       info.max_attempts, exc)
        store.release_job(key, job_id=job_id)
        raise
    store.finish_job(key, job_id=job_id)
    return "done"


def run_lazy_job(*, job_id: str, lazy_function_name: str, body: dict[str, Any], headers: dict[str, str],
                 claim_key: str | None, team_id: str, enqueued_at: float | None = None) -> str:
    """Run one lazy listener of one Slack request (see the module docstring); the actor ``recap_lazy``
    is :func:`lazy_actor`.

    Returns:
        ``done``, ``duplicate`` or ``gave_up``.
    """
    context = _context()
    if enqueued_at is not None:
        logger.debug("job %s waited %.3f s in the queue", job_id, time.time() - enqueued_at)

    def work(info: JobInfo) -> None:
        outcome = _Outcome()
        request = BoltRequest(body=body, headers={**headers, "x-slack-bolt-lazy-only": "1",
                                                  "x-slack-bolt-lazy-function-name": lazy_function_name},
                              context={OUTCOME_KEY: outcome}, mode="socket_mode")
        response = context.app.dispatch(request)
        if outcome.error is not None:
            raise outcome.error
        if not outcome.ran:
            logger.warning("job %s: no listener ran %s (status %s)", job_id, lazy_function_name, response.status)

    def give_up(info: JobInfo, reason: str) -> None:
        if context.gave_up_notice is not None:
            try:
                context.gave_up_notice(context.client_for(team_id), body, reason=reason, attempts=info.attempt + 1,
                                       job_id=job_id)
                return
            except Exception:  # noqa: BLE001 - fall back to the plain notice below
                logger.exception("job %s: the give-up notice failed", job_id)
        tell_gave_up(context, body=body, team_id=team_id, attempts=info.attempt + 1, reason=reason)

    return run_claimed(context, key=claim_key or f"job:{job_id}", job_id=job_id, team_id=team_id, work=work,
                       give_up=give_up, sign_of_life_shown=_early_sign_of_life(context, body, headers, team_id))


def _early_sign_of_life(context: WorkerContext, body: dict[str, Any], headers: dict[str, str], team_id: str) -> bool:
    """Show the request's sign of life before the claim (:attr:`WorkerContext.sign_of_life`); True when shown.

    Under a burst the claim (a database write) and Bolt's dispatch wait their turn on a busy worker: the
    :eyes: came 0.3–1.9 s after the job was taken. A reaction is idempotent at Slack (``already_reacted``),
    so showing it before the claim risks nothing but a repeated call. Slack's own retries are left to the
    listener (the claim drops them, and their first delivery showed it already)."""
    if context.sign_of_life is None or any(name.lower() == "x-slack-retry-num" for name in headers):
        return False
    try:
        return bool(context.sign_of_life(context.client_for(team_id), body))
    except Exception:  # noqa: BLE001 - best effort: the listener shows it instead
        logger.warning("the early sign of life failed", exc_info=True)
        return False


def run_digest_job(*, job_id: str, kind: str, team_id: str, target: str, due: float) -> str:
    """Run one scheduled digest (the actor ``recap_digest`` is :func:`digest_actor`) (exactly once per channel-period is kept by the
    digest run's own claim; this claim keeps two workers from running the same job at once).

    Returns:
        ``done``, ``duplicate`` or ``gave_up``.
    """
    context = _context()
    runner = context.digest_runner
    if runner is None:
        raise RuntimeError("this worker cannot run digests (no digest runner installed)")

    def work(info: JobInfo) -> None:
        status = runner(kind, team_id, target, due)
        logger.info("digest job %s (%s %s/%s): %s", job_id, kind, team_id, target, status)

    def give_up(info: JobInfo, reason: str) -> None:
        logger.error("digest job %s (%s %s/%s) gave up after %d attempts: %s", job_id, kind, team_id, target,
                     info.attempt + 1, reason)

    return run_claimed(context, key=f"job:{job_id}", job_id=job_id, team_id=team_id, work=work, give_up=give_up)


def lazy_actor(**kwargs: Any) -> None:
    """Actor ``recap_lazy`` (:func:`run_lazy_job`; Dramatiq keeps no results, so it returns nothing)."""
    run_lazy_job(**kwargs)


def digest_actor(**kwargs: Any) -> None:
    """Actor ``recap_digest`` (:func:`run_digest_job`)."""
    run_digest_job(**kwargs)


def tell_gave_up(context: WorkerContext, *, body: dict[str, Any], team_id: str, attempts: int, reason: str) -> bool:
    """Tell the person who asked that their request gave up (:data:`bot.strings.JOB_GAVE_UP`).

    By the request's ``response_url`` when it has one (commands, shortcuts, buttons; an ephemeral
    message), else ``chat.postEphemeral`` to the event's user in its channel, else a DM. Never raises.
    Source: https://docs.slack.dev/interactivity/handling-user-interaction (``response_url``) and
    https://docs.slack.dev/reference/methods/chat.postEphemeral.

    Returns:
        True when a notice was accepted by Slack.
    """
    text = strings.JOB_GAVE_UP.format(attempts=attempts, reason=reason)
    response_url = body.get("response_url")
    if (isinstance(response_url, str) and response_url.startswith("https://")) or _allowed_test_url(response_url):
        try:
            answer = WebhookClient(str(response_url), timeout=10).send(text=text, response_type="ephemeral",
                                                                       replace_original=False)
            if answer.status_code == 200:
                return True
        except (OSError, SlackClientError):
            logger.warning("could not tell the person by response_url that their job gave up")
    event: dict[str, Any] = body["event"] if isinstance(body.get("event"), dict) else {}
    person: dict[str, Any] = body["user"] if isinstance(body.get("user"), dict) else {}
    channel_obj: dict[str, Any] = body["channel"] if isinstance(body.get("channel"), dict) else {}
    user = str(event.get("user") or person.get("id") or body.get("user_id") or "")
    channel = str(event.get("channel") or channel_obj.get("id") or body.get("channel_id") or "")
    if not user:
        return False
    try:
        client = context.client_for(team_id)
    except Exception:  # noqa: BLE001 - an uninstalled workspace: nobody to tell
        return False
    for call in (lambda: client.chat_postEphemeral(channel=channel, user=user, text=text) if channel else None,
                 lambda: client.chat_postMessage(channel=user, text=text)):
        try:
            if call() is not None:
                return True
        except (SlackApiError, SlackClientError, OSError) as exc:
            logger.info("notice that a job gave up was refused: %s", exc)
    return False


def _allowed_test_url(url: object) -> bool:
    """``http://127.0.0.1`` response URLs (the test harness's receiver); production ones are https."""
    return isinstance(url, str) and url.startswith(("http://127.0.0.1:", "http://localhost:"))


def prefetch_for(threads: int) -> int:
    """Messages one worker process takes from the queue ahead of running them: as many as it has threads,
    so a burst spreads over every worker instead of queueing behind the first one's busy threads."""
    return max(1, threads)


def consume(context: WorkerContext, *, threads: int, stop: threading.Event | None = None) -> None:
    """Run a Dramatiq worker with ``threads`` threads in this process until SIGTERM/SIGINT (or ``stop``).

    Messages are acknowledged only after their job returns; on a stop signal the worker finishes the
    jobs in hand (bounded by Dramatiq's shutdown timeout) and the rest stay on the broker. It takes at
    most ``threads`` messages ahead (:func:`prefetch_for`), so every job it holds is running.
    """
    settings = context.settings
    broker = make_broker(settings)
    declare_actors(broker, settings, lazy=lazy_actor, digest=digest_actor)
    install(context)
    limiter = limiter_of(context.app.client)
    if limiter is not None:  # each thread's first Slack call of a burst then finds its connection open
        limiter.warm_up(threads)
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    # An idle Redis consumer polls up to every ``worker_timeout`` ms (Dramatiq's default, 1,000, would
    # put up to a second between a mention and its sign of life); RabbitMQ pushes, so it is moot there.
    worker = dramatiq.Worker(broker, worker_threads=threads, worker_timeout=POLL_MS)
    # Take from the queue only what this process can start at once (Dramatiq's default prefetches twice its
    # threads): otherwise the first worker to poll after a burst holds jobs that other, idle workers could be
    # running, and those jobs show nothing (no :eyes:) until one of its threads is free.
    worker.queue_prefetch = prefetch_for(threads)
    worker.start()
    logger.info("worker consuming %s with %d thread(s)", settings.queue_name, threads)
    try:
        stop.wait()
    finally:
        worker.stop(timeout=30_000)
        broker.close()
