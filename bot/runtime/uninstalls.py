"""Uninstalls: which Slack lifecycle events end a workspace's installation, the record of each uninstall,
and the purge that catches rows written by work still in flight when it came.

Work that started before an uninstall (a summary being written, a title, a digest run) may write rows after
:meth:`bot.storage.store.Store.purge_team` ran. So the uninstall is recorded (table
``recap_uninstalls``), and the maintenance job calls :func:`purge_uninstalled`, which purges the
workspace again on each run for :data:`WATCH` after the uninstall, unless the workspace installed Recap
again: a Slack request from it claimed after the uninstall (events and commands are claimed before any
work, ``recap_processed_events``), or, in OAuth mode, a new installation saved
(:func:`clear_uninstall`, hooked on the installation store).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.schema import Base, rowcount, utcnow
from bot.storage.store import ProcessedEvent, Store

logger = logging.getLogger(__name__)

WATCH = timedelta(hours=24)
"""How long after an uninstall the maintenance job keeps purging the workspace's rows."""
SLACK_INSTALLATION_TABLES = ("slack_installations", "slack_bots")


class UninstalledTeam(Base):
    """A workspace that uninstalled Recap (or revoked its bot token), and when.

    The column is ``uninstalled_team_id``, not ``team_id``, so that :meth:`Store.purge_team` (which
    empties every table with a ``team_id`` column) leaves the record in place.
    """

    __tablename__ = "recap_uninstalls"

    uninstalled_team_id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    uninstalled_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


UNINSTALLS: sa.Table = UninstalledTeam.__table__  # type: ignore[assignment]


class HasStore(Protocol):
    """What :func:`purge_uninstalled` needs of :class:`bot.services.Services`."""

    store: Store


def ends_installation(event: Mapping[str, Any]) -> bool:
    """True for the events after which Recap can no longer act in the workspace: ``app_uninstalled``, and
    ``tokens_revoked`` whose ``tokens.bot`` lists a revoked bot token. A ``tokens_revoked`` naming only
    user tokens (``tokens.oauth``) leaves the workspace installed: Recap asks for bot scopes only and
    keeps no user token. Source: https://docs.slack.dev/reference/events/tokens_revoked."""
    if event.get("type") == "app_uninstalled":
        return True
    if event.get("type") != "tokens_revoked":
        return False
    tokens = event.get("tokens")
    return isinstance(tokens, Mapping) and bool(tokens.get("bot"))


def record_uninstall(store: Store, team_id: str, *, now: datetime | None = None) -> None:
    """Record that ``team_id`` uninstalled Recap now (a later record of the same workspace moves it on)."""
    at = now or utcnow()
    _ensure_table(store.engine)
    for attempt in range(2):
        try:
            with store.session() as session:
                row = session.get(UninstalledTeam, team_id)
                if row is None:
                    session.add(UninstalledTeam(uninstalled_team_id=team_id, uninstalled_at=at))
                elif _aware(row.uninstalled_at) < at:
                    row.uninstalled_at = at
            return
        except IntegrityError:  # another process recorded it first: update that row instead
            if attempt:
                raise


def clear_uninstall(engine: sa.Engine, team_id: str | None, *, installed_at: float | None = None) -> bool:
    """Forget the uninstall of ``team_id``: Recap was installed again. With ``installed_at`` (Unix
    seconds of the saved installation), only an installation newer than the uninstall counts, so a token
    refresh of the old installation saved by work in flight does not.

    Returns:
        True when a record was deleted.
    """
    if not team_id:
        return False
    _ensure_table(engine)
    table = UNINSTALLS
    condition = table.c.uninstalled_team_id == team_id
    if installed_at is not None:
        condition = sa.and_(condition, table.c.uninstalled_at < datetime.fromtimestamp(installed_at, timezone.utc))
    with engine.begin() as conn:
        return rowcount(conn.execute(sa.delete(table).where(condition))) > 0


def purge_uninstalled(services: HasStore, *, now: datetime | None = None) -> int:
    """For the maintenance job: purge again every workspace that uninstalled Recap in the last
    :data:`WATCH` (rows written by work in flight at the uninstall), and drop its record after that.

    A workspace with a request claimed after its uninstall has installed Recap again: its record is
    dropped and nothing is purged. Rows purged: every Recap table with a ``team_id`` column
    (:meth:`Store.purge_team`) and, in OAuth mode, the workspace's installation rows.

    Returns:
        the number of rows deleted.
    """
    store = services.store
    now = now or utcnow()
    _ensure_table(store.engine)
    with store.session() as session:
        records = [(row.uninstalled_team_id, _aware(row.uninstalled_at))
                   for row in session.scalars(sa.select(UninstalledTeam))]
    deleted = 0
    for team_id, uninstalled_at in records:
        if _claimed_since(store, team_id, uninstalled_at):
            clear_uninstall(store.engine, team_id)
            logger.info("workspace %s installed Recap again; its uninstall record is dropped", team_id)
            continue
        deleted += store.purge_team(team_id) + _purge_installation_rows(store.engine, team_id)
        if now - uninstalled_at > WATCH:
            clear_uninstall(store.engine, team_id)
    if deleted:
        logger.info("purged %d rows written after an uninstall", deleted)
    return deleted


def _claimed_since(store: Store, team_id: str, since: datetime) -> bool:
    with store.session() as session:
        found = session.scalar(sa.select(ProcessedEvent.event_key).where(
            ProcessedEvent.team_id == team_id, ProcessedEvent.claimed_at > since).limit(1))
    return found is not None


def _purge_installation_rows(engine: sa.Engine, team_id: str) -> int:
    """Delete the workspace's rows in slack_sdk's installation tables, where they exist (OAuth mode)."""
    present = set(sa.inspect(engine).get_table_names())
    deleted = 0
    with engine.begin() as conn:
        for name in SLACK_INSTALLATION_TABLES:
            if name in present:
                table = sa.table(name, sa.column("team_id"))
                deleted += rowcount(conn.execute(sa.delete(table).where(table.c.team_id == team_id)))
    return deleted


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time stored here is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _ensure_table(engine: sa.Engine) -> None:
    """Create ``recap_uninstalls`` if missing (it is also created with the schema when this module is
    imported before the store is built, as the composition root does). Uninstalls are rare: no cache."""
    UNINSTALLS.create(engine, checkfirst=True)
