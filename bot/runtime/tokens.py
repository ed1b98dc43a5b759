"""Tokens at rest: the installation store keeps bot, user and refresh tokens encrypted.

OAuth mode keeps each workspace's tokens in slack_sdk's ``SQLAlchemyInstallationStore`` (tables
``slack_installations`` and ``slack_bots``), in plain text by default: anyone who reads the database or a
backup could act as Recap in every workspace. :class:`EncryptedInstallationStore` wraps that store:
``save``/``save_bot`` encrypt, ``find_bot``/``find_installation`` decrypt, with ``cryptography``'s Fernet
(AES-128-CBC with HMAC-SHA256, a timestamped and authenticated token; source:
https://cryptography.io/en/latest/fernet/). Keys come from ``RECAP_ENCRYPTION_KEYS`` (comma-separated):
:class:`~cryptography.fernet.MultiFernet` encrypts with the first and decrypts with any.

Rotation: put a new key first and restart; every process re-encrypts the rows it finds under an older
key (or in plain text, from before encryption) with the first key as it starts
(:func:`seal_stored_tokens`); once all have restarted, drop the old key. See ``docs/security.md``.

The token columns are widened to ``TEXT`` (a Fernet token is about 1.4 × the plain token + 76
characters; slack_sdk declares ``VARCHAR(200)``, which PostgreSQL enforces).
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from logging import Logger
from typing import Any, TypeVar

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from slack_sdk.oauth.installation_store import InstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

from bot.config import FERNET_KEY_COMMAND
from bot.errors import ConfigError

logger = logging.getLogger(__name__)

SECRET_FIELDS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token", "incoming_webhook_url")
"""The fields of an installation (and, where they exist, of a bot) kept encrypted."""
FERNET_PREFIX = "gAAAAA"  # every Fernet token: version byte 0x80 and a 64-bit timestamp, base64url
Entity = TypeVar("Entity", Installation, Bot)


class TokenKeys:
    """The keys of ``RECAP_ENCRYPTION_KEYS``: the first encrypts, every one decrypts.

    Args:
        keys: the setting's value, comma-separated Fernet keys (32 url-safe base64-encoded bytes each).

    Raises:
        ConfigError: no key, or one that is not a Fernet key (the message never shows a key).
    """

    def __init__(self, keys: str) -> None:
        parts = [part.strip() for part in keys.split(",") if part.strip()]
        if not parts:
            raise ConfigError(f"RECAP_ENCRYPTION_KEYS is empty; make a key with: {FERNET_KEY_COMMAND}")
        try:
            self.fernets = [Fernet(part.encode("ascii")) for part in parts]
        except (ValueError, UnicodeEncodeError) as exc:
            raise ConfigError("RECAP_ENCRYPTION_KEYS holds a value that is not a Fernet key; make one with: "
                              f"{FERNET_KEY_COMMAND}") from exc
        self.multi = MultiFernet(self.fernets)

    def seal(self, value: str | None) -> str | None:
        """``value`` encrypted with the first key (None and empty stay as they are)."""
        if not value:
            return value
        return self.multi.encrypt(value.encode()).decode("ascii")

    def open(self, value: str | None) -> str | None:
        """``value`` decrypted with whichever key encrypted it; a value from before encryption (not a
        Fernet token: Slack's tokens start ``xox``) is returned as it is.

        Raises:
            cryptography.fernet.InvalidToken: no configured key encrypted it (a key was dropped too soon).
        """
        if not value or not value.startswith(FERNET_PREFIX):
            return value
        return self.multi.decrypt(value.encode("ascii")).decode()

    def is_current(self, value: str | None) -> bool:
        """True when ``value`` needs no re-encryption: empty, or encrypted with the first key."""
        if not value:
            return True
        if not value.startswith(FERNET_PREFIX):
            return False
        try:
            self.fernets[0].decrypt(value.encode("ascii"))
        except InvalidToken:
            return False
        return True


class WideTokenInstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's SQLAlchemy installation store with its secret columns declared ``TEXT``."""

    @classmethod
    def build_installations_table(cls, metadata: sa.MetaData, table_name: str) -> sa.Table:
        return _widen(super().build_installations_table(metadata, table_name))

    @classmethod
    def build_bots_table(cls, metadata: sa.MetaData, table_name: str) -> sa.Table:
        return _widen(super().build_bots_table(metadata, table_name))


def _widen(table: sa.Table) -> sa.Table:
    for name in SECRET_FIELDS:
        if name in table.c:
            table.c[name].type = sa.Text()
    return table


class EncryptedInstallationStore(InstallationStore):
    """An installation store that encrypts every token it saves and decrypts every token it finds.

    Wraps (rather than subclasses) the SQLAlchemy store: its ``save`` also saves the bot row through its
    own ``save_bot``, which here receives the already encrypted copy, so nothing is encrypted twice.

    Args:
        inner: the SQL store (:class:`WideTokenInstallationStore`).
        keys: the encryption keys.
        on_save: called with the installation (as given, tokens in clear) after it is saved: an install,
            a re-install or a token refresh (:func:`bot.runtime.uninstalls.clear_uninstall` is hooked here).
    """

    def __init__(self, inner: SQLAlchemyInstallationStore, keys: TokenKeys, *,
                 on_save: Callable[[Installation], None] | None = None) -> None:
        self.inner = inner
        self.keys = keys
        self.on_save = on_save

    @property
    def logger(self) -> Logger:
        return self.inner.logger

    @property
    def engine(self) -> sa.Engine:
        """The database engine of the wrapped store."""
        return self.inner.engine

    def save(self, installation: Installation) -> None:
        """Save ``installation`` (and its bot) with every token encrypted."""
        self.inner.save(self._sealed(installation))
        if self.on_save is not None:
            self.on_save(installation)

    def save_bot(self, bot: Bot) -> None:
        """Save ``bot`` with its tokens encrypted (token rotation saves the refreshed bot here)."""
        self.inner.save_bot(self._sealed(bot))

    def find_bot(self, *, enterprise_id: str | None, team_id: str | None,
                 is_enterprise_install: bool | None = False) -> Bot | None:
        """The workspace's latest bot, tokens decrypted (None when none, or when no key decrypts them)."""
        found = self.inner.find_bot(enterprise_id=enterprise_id, team_id=team_id,
                                    is_enterprise_install=is_enterprise_install)
        return self._opened(found, team_id)

    def find_installation(self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None,
                          is_enterprise_install: bool | None = False) -> Installation | None:
        """The workspace's (or installer's) latest installation, tokens decrypted (None as for
        :meth:`find_bot`)."""
        found = self.inner.find_installation(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id,
                                             is_enterprise_install=is_enterprise_install)
        return self._opened(found, team_id)

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """Delete the workspace's bot rows."""
        self.inner.delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    def delete_installation(self, *, enterprise_id: str | None, team_id: str | None,
                            user_id: str | None = None) -> None:
        """Delete the workspace's (or one installer's) installation rows."""
        self.inner.delete_installation(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id)

    def _sealed(self, entity: Entity) -> Entity:
        sealed = copy.copy(entity)
        for name in SECRET_FIELDS:
            if hasattr(sealed, name):
                setattr(sealed, name, self.keys.seal(getattr(sealed, name)))
        return sealed

    def _opened(self, entity: Entity | None, team_id: str | None) -> Entity | None:
        if entity is None:
            return None
        try:
            for name in SECRET_FIELDS:
                if hasattr(entity, name):
                    setattr(entity, name, self.keys.open(getattr(entity, name)))
        except InvalidToken:
            logger.error("the tokens of workspace %s cannot be decrypted: RECAP_ENCRYPTION_KEYS lacks the key that "
                         "encrypted them (keep an old key until every process has restarted with the new one)",
                         team_id)
            return None
        return entity


def seal_stored_tokens(store: EncryptedInstallationStore) -> int:
    """Re-encrypt, with the first key, every stored token that is in plain text (from before encryption)
    or encrypted with another configured key (rotation). Safe to run in several processes at once: each
    writes the same plain token, encrypted with the same key.

    A row that no configured key decrypts is left as it is and logged (its workspace then reads as not
    installed until it installs again).

    Returns:
        the number of rows rewritten.
    """
    rewritten = 0
    with store.engine.begin() as conn:
        for table in (store.inner.installations, store.inner.bots):
            columns = [name for name in SECRET_FIELDS if name in table.c]
            query = sa.select(table.c.id, table.c.team_id, *(table.c[name] for name in columns))
            for row in conn.execute(query).mappings().all():
                stale = {name: row[name] for name in columns if not store.keys.is_current(row[name])}
                if not stale:
                    continue
                try:
                    values = {name: store.keys.seal(store.keys.open(value)) for name, value in stale.items()}
                except InvalidToken:
                    logger.error("the tokens of workspace %s cannot be decrypted: RECAP_ENCRYPTION_KEYS lacks the "
                                 "key that encrypted them; the workspace must install Recap again", row["team_id"])
                    continue
                conn.execute(sa.update(table).where(table.c.id == row["id"]).values(**values))
                rewritten += 1
    if rewritten:
        logger.info("re-encrypted the tokens of %d installation rows with the first RECAP_ENCRYPTION_KEYS key",
                    rewritten)
    return rewritten


def widen_token_columns(engine: sa.Engine, store: SQLAlchemyInstallationStore) -> int:
    """On PostgreSQL, turn the secret columns of tables created by an earlier version (``VARCHAR(200)``)
    into ``TEXT`` (a metadata-only change there); SQLite does not enforce lengths. Returns how many
    columns changed."""
    if engine.dialect.name != "postgresql":
        return 0
    changed = 0
    inspector = sa.inspect(engine)
    with engine.begin() as conn:
        for table in (store.installations, store.bots):
            if not inspector.has_table(table.name):
                continue
            for column in inspector.get_columns(table.name):
                length: Any = getattr(column["type"], "length", None)
                if column["name"] in SECRET_FIELDS and length is not None:
                    conn.execute(sa.text(f'ALTER TABLE "{table.name}" ALTER COLUMN "{column["name"]}" TYPE TEXT'))
                    changed += 1
    return changed
