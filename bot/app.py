"""The composition root: ``build_services(settings)`` and ``create_app(settings)``.

Everything Recap runs on is built here and nowhere else: the store, the provider (or none), the
feature hooks (titles after each answer, digest job sync), the Bolt app with its middleware, the
acks-first executor (:mod:`bot.runtime.executor`) and every listener module's ``register``.
The same app serves Socket Mode (``SLACK_APP_TOKEN``) and HTTP mode (``SLACK_SIGNING_SECRET``), in
single-workspace mode (``SLACK_BOT_TOKEN``) or OAuth mode (``SLACK_CLIENT_ID`` + ``SLACK_CLIENT_SECRET``,
:mod:`bot.runtime.oauth`). Nothing here opens a connection at import time.
"""

from __future__ import annotations

import functools
import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient

import bot.digests.store  # noqa: F401 - registers the digest tables on the shared metadata
import bot.feedback.store  # noqa: F401 - registers the answers and feedback tables on the shared metadata
import bot.home.store  # noqa: F401 - registers the user settings table on the shared metadata
import bot.titles.store  # noqa: F401 - registers the titles tables on the shared metadata
from bot.config import Settings
from bot.digests.scheduler import DigestScheduler
from bot.feedback.service import FeedbackHook
from bot.home.service import user_language
from bot.llm.factory import build_provider
from bot.models import Message
from bot.queue.broker import warm_up as warm_up_broker
from bot.queue.web import install as enqueue_lazy_listeners
from bot.queue.worker import WorkerContext, WorkerLazyRunner
from bot.runtime.executor import AckFirst, WorkExecutor
from bot.runtime.middleware import DropDuplicateEvents
from bot.runtime.oauth import PurgeInstallations, make_client_for, make_oauth_settings, oauth_enabled
from bot.services import Services
from bot.slack.client import make_web_client
from bot.slack.ratelimit import SlackLimiter
from bot.storage.engine import make_serving_engine
from bot.storage.store import Store
from bot.summaries.extractive import summarize_offline
from bot.summaries.service import show_sign_of_life, tell_gave_up
from bot.titles.service import TitlesHook
from handlers import assistant, commands, feedback, home, lifecycle, membership, mentions, shortcuts

logger = logging.getLogger(__name__)

LISTENER_MODULES = (mentions, commands, shortcuts, assistant, home, lifecycle, membership, feedback)


def build_services(settings: Settings) -> Services:
    """Store, provider (None without a model) and the titles hook, from the settings.

    The digest job sync is attached by :func:`attach_digest_scheduler` in processes that serve Slack
    or run the scheduler; elsewhere (CLI, tests) it is a no-op.
    """
    services = Services(settings=settings, store=Store(make_serving_engine(settings.database_url)),
                        provider=build_provider(settings))
    services.after_answer = TitlesHook(services)
    services.feedback = FeedbackHook(services)
    services.chosen_language = lambda team_id, user_id: user_language(services, team_id=team_id, user_id=user_id)
    return services


def attach_digest_scheduler(services: Services, app: App, *, run_jobs: bool) -> DigestScheduler:
    """Give ``services`` a digest scheduler and start it.

    Args:
        app: the Bolt app (its installation store gives each workspace's bot token).
        run_jobs: True in the one scheduler process (runs digests, catch-up and maintenance); False in
            the processes that serve Slack, whose scheduler only writes jobs to the shared job store, so
            ``/summarize digest on`` is scheduled in the same request.

    Returns:
        the started scheduler (``stop()`` it on shutdown).
    """
    scheduler = DigestScheduler(services, make_client_for(app, services.settings), run_jobs=run_jobs)
    services.digest_jobs = scheduler
    scheduler.start()
    return scheduler


def create_app(settings: Settings, *, services: Services | None = None, worker: bool = False,
               verified_upstream: bool = False) -> App:
    """Build the Bolt app, in one of three roles.

    * **Embedded** (no ``queue_url``): the duplicate-event middleware claims each request before work,
      acks are answered in the request's thread and lazy work runs on an executor of
      ``settings.listener_threads`` threads (:mod:`bot.runtime.executor`).
    * **Web tier** (``queue_url`` set): acks only; each lazy listener is enqueued
      (:class:`bot.queue.web.QueueLazyListenerRunner`) and nothing touches the database before the ack
      (the worker claims the request).
    * **Worker** (``worker=True``): runs the lazy-only requests a queue worker dispatches
      (:class:`bot.queue.worker.WorkerLazyRunner`), without request verification (a job retried later
      than Slack's 5-minute signature window must still run; the queue is trusted, not the signature).

    Args:
        settings: single-workspace mode needs ``slack_bot_token``; OAuth mode needs
            ``slack_client_id``, ``slack_client_secret`` and ``slack_signing_secret``; Socket Mode needs
            ``slack_app_token`` instead of a signing secret.
        services: prebuilt services (tests); built from ``settings`` otherwise.
        worker: build a queue worker's app.
        verified_upstream: every request reaching the app has had its Slack signature checked already
            (:class:`bot.runtime.http_guard.VerifiedRequests`, :func:`bot.wsgi.create_wsgi_app`): Bolt's
            own check is left out.

    Returns:
        the Bolt ``App`` with all listeners.
    """
    services = services or build_services(settings)
    queued = bool(settings.queue_url) and not worker
    multi = oauth_enabled(settings)
    if queued:
        # The web tier of a queue calls Slack only for auth.test (cached) and the OAuth flow: a plain client,
        # which Bolt copies for every lazy request far faster than the paced one the workers use.
        client = WebClient(token=None if multi else settings.slack_bot_token, base_url=settings.slack_api_url,
                           timeout=int(settings.slack_timeout))
    else:
        client = make_web_client(token="" if multi else settings.slack_bot_token or "",
                                 base_url=settings.slack_api_url, timeout=settings.slack_timeout,
                                 limiter=SlackLimiter.from_settings(settings))
    oauth_settings = None
    if multi:
        oauth_settings = make_oauth_settings(settings, services.store.engine, client=client)
    gate = AckFirst()
    embedded = not queued and not worker
    app = App(
        token=None,  # single-workspace mode: the client carries the bot token (Bolt takes client.token)
        signing_secret=settings.slack_signing_secret or "socket-mode-has-no-signing-secret",
        client=client,
        oauth_settings=oauth_settings,
        # Only the (I/O-free) ack functions run before the response; lazy listeners still run after it.
        process_before_response=True,
        request_verification_enabled=not (worker or verified_upstream),
        # With a queue no listener work runs here: Bolt's executor stays tiny (it is not used for acks).
        listener_executor=WorkExecutor(gate, max_workers=settings.listener_threads, thread_name_prefix="recap-work")
        if embedded else ThreadPoolExecutor(max_workers=2, thread_name_prefix="recap-bolt"),
    )
    if embedded:
        app.dispatch = gate.wrap_dispatch(app.dispatch)  # type: ignore[method-assign]
    elif queued:
        enqueue_lazy_listeners(app, settings)
    else:
        app.listener_runner.lazy_listener_runner = WorkerLazyRunner()
    if oauth_settings is not None:
        app.use(PurgeInstallations(oauth_settings.installation_store))
    if embedded:  # with a queue the worker claims (bot.queue.worker.run_claimed), with the enqueue
        app.use(DropDuplicateEvents(services.store))
    for module in LISTENER_MODULES:
        module.register(app, services)
    if not queued:  # the web tier of a queue summarizes nothing and claims nothing
        warm_up()
        services.store.warm_up()
    else:
        warm_up_broker(settings)
    logger.info("Bolt app built (%s)", "queue worker" if worker else "web tier, work on the queue" if queued
                else "embedded: acks and work in this process")
    return app


def start_scheduler(settings: Settings) -> DigestScheduler:
    """The one digest scheduler process's scheduler (``recap scheduler``, ``recap run --http``'s
    parent), started, without building a Bolt app: its Slack clients come from the bot token or the
    OAuth installation store directly (:func:`bot.runtime.oauth.make_client_for`). With a broker it
    sends each due digest to the queue; without one it runs them.

    Raises:
        sqlalchemy.exc.DBAPIError: the database cannot be reached.
    """
    from types import SimpleNamespace

    services = build_services(settings)
    multi = oauth_enabled(settings)
    client = make_web_client(token="" if multi else settings.slack_bot_token or "", base_url=settings.slack_api_url,
                             timeout=settings.slack_timeout, limiter=SlackLimiter.from_settings(settings))
    installations = (make_oauth_settings(settings, services.store.engine, client=client).installation_store
                     if multi else None)
    slack = SimpleNamespace(client=client, installation_store=installations)
    scheduler = DigestScheduler(services, make_client_for(slack, settings), run_jobs=True)
    services.digest_jobs = scheduler
    scheduler.start()
    return scheduler


def create_worker_context(settings: Settings) -> WorkerContext:
    """Everything one ``recap worker`` process runs jobs with, built once: services, the worker's Bolt
    app (:func:`create_app` with ``worker=True``), a digest scheduler that writes jobs only (so
    ``/summarize digest on`` run here schedules at once) and the digest runner.

    Raises:
        sqlalchemy.exc.DBAPIError: the database cannot be reached.
        slack_bolt.error.BoltError: the Slack settings are incomplete.
    """
    from bot.digests.scheduler import digest_runner

    services = build_services(settings)
    app = create_app(settings, services=services, worker=True)
    attach_digest_scheduler(services, app, run_jobs=False)
    client_for = make_client_for(app, settings)
    return WorkerContext(app=app, store=services.store, settings=settings, client_for=client_for,
                         digest_runner=digest_runner(services, client_for),
                         gave_up_notice=functools.partial(tell_gave_up, recorded=services.store.job_messages),
                         sign_of_life=show_sign_of_life)


def warm_up() -> None:
    """Import the summarizer's libraries (scikit-learn, SciPy, NLTK, lingua's language models) before the
    first request: imported lazily by a worker they hold the GIL for seconds and stall the acks of
    requests arriving meanwhile. Runs a tiny offline summary once per process (~2 s at start-up)."""
    summarize_offline([
        Message(channel_id="C0", ts="1700000000.000100", user_id="U0", user_name="a",
                text="We decided to ship the release on Friday. Can you update the changelog?"),
        Message(channel_id="C0", ts="1700000001.000100", user_id="U1", user_name="b",
                text="Sure, I'll update it today."),
    ])
