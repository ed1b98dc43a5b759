"""The composition root: ``build_services(settings)`` and ``create_app(settings)``.

Everything Recap runs on is built here and nowhere else: the store, the provider (or none), the
feature hooks (titles after each answer, digest job sync), the Bolt app with its middleware, the
acks-first executor (:mod:`bot.runtime.executor`) and every listener module's ``register``.
The same app serves Socket Mode (``SLACK_APP_TOKEN``) and HTTP mode (``SLACK_SIGNING_SECRET``), in
single-workspace mode (``SLACK_BOT_TOKEN``) or OAuth mode (``SLACK_CLIENT_ID`` + ``SLACK_CLIENT_SECRET``,
:mod:`bot.runtime.oauth`). Nothing here opens a connection at import time.
"""

from __future__ import annotations

from slack_bolt import App

import bot.digests.store  # noqa: F401 - registers the digest tables on the shared metadata
import bot.titles.store  # noqa: F401 - registers the titles tables on the shared metadata
from bot.config import Settings
from bot.digests.scheduler import DigestScheduler
from bot.llm.factory import build_provider
from bot.models import Message
from bot.runtime.executor import AckFirst, WorkExecutor
from bot.runtime.middleware import DropDuplicateEvents
from bot.runtime.oauth import PurgeInstallations, make_client_for, make_oauth_settings, oauth_enabled
from bot.services import Services
from bot.slack.client import make_web_client
from bot.storage.engine import make_serving_engine
from bot.storage.store import Store
from bot.summaries.extractive import summarize_offline
from bot.titles.service import TitlesHook
from handlers import assistant, commands, home, lifecycle, membership, mentions, shortcuts

LISTENER_MODULES = (mentions, commands, shortcuts, assistant, home, lifecycle, membership)


def build_services(settings: Settings) -> Services:
    """Store, provider (None without a model) and the titles hook, from the settings.

    The digest job sync is attached by :func:`attach_digest_scheduler` in processes that serve Slack
    or run the scheduler; elsewhere (CLI, tests) it is a no-op.
    """
    services = Services(settings=settings, store=Store(make_serving_engine(settings.database_url)),
                        provider=build_provider(settings))
    services.after_answer = TitlesHook(services)
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
    services = services or build_services(settings)
    multi = oauth_enabled(settings)
    client = make_web_client(token="" if multi else settings.slack_bot_token or "", base_url=settings.slack_api_url,
                             timeout=settings.slack_timeout)
    oauth_settings = None
    if multi:
        oauth_settings = make_oauth_settings(settings, services.store.engine, client=client)
    gate = AckFirst()
    app = App(
        token=None,  # single-workspace mode: the client carries the bot token (Bolt takes client.token)
        signing_secret=settings.slack_signing_secret or "socket-mode-has-no-signing-secret",
        client=client,
        oauth_settings=oauth_settings,
        # Only the (I/O-free) ack functions run before the response; lazy listeners still run after it.
        process_before_response=True,
        listener_executor=WorkExecutor(gate, max_workers=settings.listener_threads, thread_name_prefix="recap-work"),
    )
    app.dispatch = gate.wrap_dispatch(app.dispatch)  # type: ignore[method-assign]
    if oauth_settings is not None:
        app.use(PurgeInstallations(oauth_settings.installation_store))
    app.use(DropDuplicateEvents(services.store))
    for module in LISTENER_MODULES:
        module.register(app, services)
    warm_up()
    services.store.warm_up()
    return app


def warm_up() -> None:
    """Import the summarizer's libraries (scikit-learn, SciPy, NLTK, langdetect's profiles) before the
    first request: imported lazily by a worker they hold the GIL for seconds and stall the acks of
    requests arriving meanwhile. Runs a tiny offline summary once per process (~2 s at start-up)."""
    summarize_offline([
        Message(channel_id="C0", ts="1700000000.000100", user_id="U0", user_name="a",
                text="We decided to ship the release on Friday. Can you update the changelog?"),
        Message(channel_id="C0", ts="1700000001.000100", user_id="U1", user_name="b",
                text="Sure, I'll update it today."),
    ])
