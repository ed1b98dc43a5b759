"""Multi-workspace mode: Slack's OAuth v2 install flow, with tokens kept in Recap's database.

Selected when ``SLACK_CLIENT_ID`` and ``SLACK_CLIENT_SECRET`` are set (single-workspace mode with
``SLACK_BOT_TOKEN`` stays the default). Bolt does the work (source:
https://docs.slack.dev/tools/bolt-python/concepts/authenticating-oauth):

* ``GET /slack/install`` shows "Add to Slack" with a fresh ``state`` (``SQLAlchemyOAuthStateStore``,
  10 minutes; expired states are deleted as new ones are issued and by :func:`prune_oauth_states`);
* ``GET /slack/oauth_redirect`` consumes the state, calls ``oauth.v2.access`` and saves the
  installation (``SQLAlchemyInstallationStore``: tables ``slack_installations`` and ``slack_bots``),
  every token encrypted with ``RECAP_ENCRYPTION_KEYS`` (:mod:`bot.runtime.tokens`);
* every request is authorized from the installation store; with token rotation enabled in the app's
  settings, ``oauth.v2.access`` returns a refresh token and Bolt refreshes the bot token when it
  expires within ``token_rotation_expiration_minutes`` (source:
  https://docs.slack.dev/authentication/using-token-rotation).

``app_uninstalled``, and ``tokens_revoked`` naming a bot token (either order, either repeated), delete
the workspace's installation rows here and Recap's own rows in :meth:`bot.storage.store.Store.purge_team`
(:func:`bot.runtime.uninstalls.ends_installation`); a ``tokens_revoked`` naming only user tokens
changes nothing (Recap keeps no user token).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.middleware import Middleware
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Installation, InstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation import TokenRotator

from bot.config import FERNET_KEY_COMMAND, Settings
from bot.errors import ConfigError
from bot.runtime.tokens import (
    EncryptedInstallationStore,
    TokenKeys,
    WideTokenInstallationStore,
    seal_stored_tokens,
    widen_token_columns,
)
from bot.runtime.uninstalls import clear_uninstall, ends_installation

logger = logging.getLogger(__name__)

# The bot scopes of manifest.yml (tests/test_oauth.py checks they agree).
BOT_SCOPES: tuple[str, ...] = (
    "app_mentions:read", "channels:history", "groups:history", "im:history", "mpim:history", "channels:read",
    "groups:read", "im:read", "im:write", "mpim:read", "users:read", "chat:write", "commands", "reactions:write",
    "assistant:write", "files:read",
)
STATE_EXPIRATION_SECONDS = 600
TOKEN_ROTATION_MINUTES = 120  # refresh a bot token that expires within this many minutes (Bolt's default)
LIFECYCLE_EVENTS = frozenset({"app_uninstalled", "tokens_revoked"})


def oauth_enabled(settings: Settings) -> bool:
    """True when both OAuth credentials are set (multi-workspace mode)."""
    return bool(settings.slack_client_id and settings.slack_client_secret)


def make_installation_store(settings: Settings, engine: sa.Engine) -> EncryptedInstallationStore:
    """The installation store on Recap's database, tokens encrypted at rest (:mod:`bot.runtime.tokens`).

    Creates the tables when missing, widens the token columns of older ones, re-encrypts tokens stored in
    plain text or under an older key, and clears a workspace's uninstall record when it installs again.

    Raises:
        ConfigError: ``RECAP_ENCRYPTION_KEYS`` is not set or not a list of Fernet keys.
    """
    if settings.recap_encryption_keys is None:
        raise ConfigError("OAuth mode keeps tokens encrypted: set RECAP_ENCRYPTION_KEYS to a Fernet key "
                          f"(make one with: {FERNET_KEY_COMMAND})")
    inner = WideTokenInstallationStore(client_id=settings.slack_client_id or "", engine=engine)
    inner.metadata.create_all(engine)
    widen_token_columns(engine, inner)

    def installed_again(installation: Installation) -> None:
        clear_uninstall(engine, installation.team_id, installed_at=installation.installed_at)

    store = EncryptedInstallationStore(inner, TokenKeys(settings.recap_encryption_keys.get_secret_value()),
                                       on_save=installed_again)
    seal_stored_tokens(store)
    return store


class ExpiringOAuthStateStore(SQLAlchemyOAuthStateStore):
    """slack_sdk's SQL state store whose expired states are deleted: at most once per
    ``expiration_seconds`` in each process, as a state is issued (each visit to the install page issues
    one; the consumed ones are deleted by slack_sdk, the abandoned ones stayed forever)."""

    def __init__(self, *, expiration_seconds: int, engine: sa.Engine) -> None:
        super().__init__(expiration_seconds=expiration_seconds, engine=engine)
        self._next_prune = 0.0
        self._lock = threading.Lock()

    def issue(self, *args: Any, **kwargs: Any) -> str:
        """A new state (slack_sdk's), after deleting expired ones when a prune is due."""
        with self._lock:
            due = time.monotonic() >= self._next_prune
            if due:
                self._next_prune = time.monotonic() + self.expiration_seconds
        if due:
            prune_oauth_states(self.engine)
        return super().issue(*args, **kwargs)


def prune_oauth_states(engine: sa.Engine) -> int:
    """Delete expired OAuth install states (``slack_oauth_states.expire_at`` in the past, UTC) for the
    maintenance job; 0 when the table does not exist (single-workspace mode).

    Returns:
        the number of rows deleted.
    """
    if not sa.inspect(engine).has_table(SQLAlchemyOAuthStateStore.default_table_name):
        return 0
    table = SQLAlchemyOAuthStateStore.build_oauth_states_table(sa.MetaData(), SQLAlchemyOAuthStateStore.default_table_name)
    now = datetime.now(timezone.utc).replace(tzinfo=None)  # slack_sdk stores naive UTC (normalize_datetime_for_db)
    with engine.begin() as conn:
        result = conn.execute(sa.delete(table).where(table.c.expire_at < now))
    return int(result.rowcount or 0)


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
    state_store = ExpiringOAuthStateStore(expiration_seconds=STATE_EXPIRATION_SECONDS, engine=engine)
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
    """On ``app_uninstalled``, or ``tokens_revoked`` naming a bot token, delete the workspace's
    installation rows (:func:`bot.runtime.uninstalls.ends_installation`).

    Runs before the listeners (``handlers/lifecycle.py`` purges Recap's own tables). Deleting is
    idempotent, so the two events may arrive in either order, or be retried.

    Args:
        installation_store: the store whose ``delete_all(enterprise_id=, team_id=)`` is called.
    """

    def __init__(self, installation_store: InstallationStore) -> None:
        self.installation_store = installation_store

    def process(self, *, req: BoltRequest, resp: BoltResponse, next):  # noqa: A002 - Bolt's signature
        body: dict[str, Any] = req.body if isinstance(req.body, dict) else {}
        raw_event = body.get("event")
        event: dict[str, Any] = raw_event if isinstance(raw_event, dict) else {}
        if body.get("type") == "event_callback" and event.get("type") in LIFECYCLE_EVENTS \
                and ends_installation(event):
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
    from bot.slack.client import limiter_of, make_web_client

    limiter = limiter_of(app.client)  # one shared budget per workspace and method, across processes

    def client_for(team_id: str) -> WebClient:
        store = getattr(app, "installation_store", None)
        if store is None:
            return app.client
        bot = store.find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_token:
            return app.client
        if bot.bot_refresh_token and settings.slack_client_id and settings.slack_client_secret:
            rotator = TokenRotator(client_id=settings.slack_client_id, client_secret=settings.slack_client_secret,
                                   client=make_web_client(token="", base_url=settings.slack_api_url, limiter=limiter))
            refreshed = rotator.perform_bot_token_rotation(bot=bot, minutes_before_expiration=10)
            if refreshed is not None:
                store.save_bot(refreshed)
                bot = refreshed
        return make_web_client(token=bot.bot_token, base_url=settings.slack_api_url, limiter=limiter, team_id=team_id)

    return client_for
