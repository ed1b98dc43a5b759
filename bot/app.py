"""``create_app(settings)``: the Bolt app with every listener registered.

The same app serves Socket Mode (development, ``SLACK_APP_TOKEN``) and HTTP mode (production,
``SLACK_SIGNING_SECRET``). Nothing here opens a connection at import time.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.config import Settings
from bot.service import Services
from bot.slack.client import make_web_client
from bot.store import Store

logger = logging.getLogger(__name__)


class DropDuplicateEvents(Middleware):
    """Acknowledge and drop an event whose ``event_id`` was already claimed (Slack retries and
    duplicate deliveries, ``X-Slack-Retry-Num`` 1–3), across processes sharing one database."""

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


def build_services(settings: Settings) -> Services:
    """Store and provider from the settings."""
    from bot.llm.factory import make_provider

    store = Store.from_url(settings.database_url)
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
        settings: needs ``slack_bot_token`` and a signing secret (HTTP) or app token (Socket Mode).
        services: prebuilt services (tests); built from ``settings`` otherwise.

    Returns:
        the Bolt ``App`` with all listeners, the duplicate-event middleware and a listener executor of
        ``settings.listener_threads`` threads so slow model calls never starve acks.
    """
    from handlers import commands, lifecycle, mentions, shortcuts

    services = services or build_services(settings)
    client = make_web_client(token=settings.slack_bot_token or "", base_url=settings.slack_api_url)
    app = App(
        token=settings.slack_bot_token,
        signing_secret=settings.slack_signing_secret or "socket-mode-has-no-signing-secret",
        client=client,
        process_before_response=False,
        listener_executor=ThreadPoolExecutor(max_workers=settings.listener_threads, thread_name_prefix="recap"),
    )
    app.use(DropDuplicateEvents(services.store))
    for module in (mentions, commands, shortcuts, lifecycle):
        module.register(app, services)
    for extra in _optional_feature_modules():
        extra.register(app, services)
    return app


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
