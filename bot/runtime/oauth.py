"""Multi-workspace mode: Slack's OAuth v2 install flow, with tokens kept in Recap's database.

Selected when ``SLACK_CLIENT_ID`` and ``SLACK_CLIENT_SECRET`` are set (single-workspace mode with
``SLACK_BOT_TOKEN`` stays the default). Bolt does the work (source:
https://docs.slack.dev/tools/bolt-python/concepts/authenticating-oauth):

* ``GET /slack/install`` shows "Add to Slack" with a fresh ``state`` (``SQLAlchemyOAuthStateStore``,
  10 minutes);
* ``GET /slack/oauth_redirect`` consumes the state, calls ``oauth.v2.access`` and saves the
  installation (``SQLAlchemyInstallationStore``: tables ``slack_installations`` and ``slack_bots``);
* every request is authorized from the installation store; with token rotation enabled in the app's
  settings, ``oauth.v2.access`` returns a refresh token and Bolt refreshes the bot token when it
  expires within ``token_rotation_expiration_minutes`` (source:
  https://docs.slack.dev/authentication/using-token-rotation).

``app_uninstalled`` and ``tokens_revoked`` (either order, either repeated) delete the workspace's
installation rows here and Recap's own rows in :meth:`bot.storage.store.Store.purge_team`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.middleware import Middleware
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation import TokenRotator

from bot.config import Settings

logger = logging.getLogger(__name__)

# The bot scopes of manifest.yml (tests/test_oauth.py checks they agree).
BOT_SCOPES: tuple[str, ...] = (
    "app_mentions:read", "channels:history", "groups:history", "im:history", "mpim:history", "channels:read",
    "groups:read", "im:read", "im:write", "mpim:read", "users:read", "chat:write", "commands", "reactions:write",
    "assistant:write",
)
STATE_EXPIRATION_SECONDS = 600
TOKEN_ROTATION_MINUTES = 120  # refresh a bot token that expires within this many minutes (Bolt's default)
LIFECYCLE_EVENTS = frozenset({"app_uninstalled", "tokens_revoked"})


def oauth_enabled(settings: Settings) -> bool:
    """True when both OAuth credentials are set (multi-workspace mode)."""
    return bool(settings.slack_client_id and settings.slack_client_secret)


def make_installation_store(settings: Settings, engine: sa.Engine) -> SQLAlchemyInstallationStore:
    """The installation store on Recap's database (tables created when missing)."""
    store = SQLAlchemyInstallationStore(client_id=settings.slack_client_id or "", engine=engine)
    store.metadata.create_all(engine)
    return store


def make_oauth_settings(settings: Settings, engine: sa.Engine, *, client: WebClient) -> OAuthSettings:
    """Bolt's OAuth settings: SQLAlchemy installation and state stores, the manifest's bot scopes,
    token rotation on.

    Args:
        settings: needs ``slack_client_id`` and ``slack_client_secret``.
        engine: Recap's database engine (SQLite or PostgreSQL).
        client: the app's WebClient; token refreshes go through it (its ``base_url`` and retries),
            where Bolt's default would build a bare ``WebClient()`` aimed at slack.com.
    """
    installation_store = make_installation_store(settings, engine)
    state_store = SQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRATION_SECONDS, engine=engine)
    state_store.metadata.create_all(engine)
    oauth = OAuthSettings(
        client_id=settings.slack_client_id, client_secret=settings.slack_client_secret,
        scopes=list(BOT_SCOPES), redirect_uri=settings.slack_redirect_uri,
        installation_store=installation_store, state_store=state_store,
        token_rotation_expiration_minutes=TOKEN_ROTATION_MINUTES,
    )
    oauth.authorize = InstallationStoreAuthorize(
        logger=logger, client_id=oauth.client_id, client_secret=oauth.client_secret,
        token_rotation_expiration_minutes=TOKEN_ROTATION_MINUTES, installation_store=installation_store,
        client=client,
    )
    return oauth


class PurgeInstallations(Middleware):
    """On ``app_uninstalled`` / ``tokens_revoked``, delete the workspace's installation rows.

    Runs before the listeners (``handlers/lifecycle.py`` purges Recap's own tables). Deleting is
    idempotent, so the two events may arrive in either order, or be retried.

    Args:
        installation_store: the store whose ``delete_all(enterprise_id=, team_id=)`` is called.
    """

    def __init__(self, installation_store: SQLAlchemyInstallationStore) -> None:
        self.installation_store = installation_store

    def process(self, *, req: BoltRequest, resp: BoltResponse, next):  # noqa: A002 - Bolt's signature
        body = req.body if isinstance(req.body, dict) else {}
        event = body.get("event") if isinstance(body.get("event"), dict) else {}
        if body.get("type") == "event_callback" and event.get("type") in LIFECYCLE_EVENTS:
            team_id = body.get("team_id") or req.context.team_id
            enterprise_id = body.get("enterprise_id") or req.context.enterprise_id
            if team_id or enterprise_id:
                self.installation_store.delete_all(enterprise_id=enterprise_id or None, team_id=team_id or None)
                logger.info("deleted installation of workspace %s (%s)", team_id, event.get("type"))
        return next()


def make_client_for(app: Any, settings: Settings) -> Callable[[str], WebClient]:
    """A ``team_id -> WebClient`` lookup for work that no Slack request starts (scheduled digests).

    Multi-workspace mode: the installation store's bot token, refreshed first when token rotation is
    on and it expires within 10 minutes (``TokenRotator``, as Bolt does for each request; source:
    slack_sdk's token rotation docs). Single-workspace mode: the app's own client.

    Returns:
        the lookup; it raises ``slack_sdk`` errors when a refresh fails.
    """
    from bot.slack.client import make_web_client

    def client_for(team_id: str) -> WebClient:
        store = getattr(app, "installation_store", None)
        if store is None:
            return app.client
        bot = store.find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_token:
            return app.client
        if bot.bot_refresh_token and settings.slack_client_id and settings.slack_client_secret:
            rotator = TokenRotator(client_id=settings.slack_client_id, client_secret=settings.slack_client_secret,
                                   client=make_web_client(token="", base_url=settings.slack_api_url))
            refreshed = rotator.perform_bot_token_rotation(bot=bot, minutes_before_expiration=10)
            if refreshed is not None:
                store.save_bot(refreshed)
                bot = refreshed
        return make_web_client(token=bot.bot_token, base_url=settings.slack_api_url)

    return client_for
