"""Storage: SQLAlchemy 2 models, the engine, and the small store Recap's core needs.

SQLite file by default, PostgreSQL in production; the same code runs on both (the test suite runs the
storage tests on both). Schema version is recorded in ``recap_schema``; ``create_schema`` creates
what is missing (new tables only; a column change bumps ``SCHEMA_VERSION`` and adds a migration step).

Tables owned here:
    recap_processed_events  one row per Slack ``event_id`` (or request key) already handled:
                            the de-duplication of retries and duplicate deliveries, across processes.
    recap_shared_summaries  a private summary awaiting "Share to channel" (deleted when shared or
                            after 24 hours).
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from bot.storage.engine import make_engine
from bot.storage.schema import Base, create_schema, rowcount, utcnow

logger = logging.getLogger(__name__)

SHARE_TTL = timedelta(hours=24)


class ProcessedEvent(Base):
    """A Slack event (or request) that has been claimed for handling."""

    __tablename__ = "recap_processed_events"

    event_key: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    team_id: Mapped[str] = mapped_column(sa.String(32), default="", index=True)
    claimed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)


class SharedSummary(Base):
    """A private summary waiting for its owner to press "Share to channel" (kept 24 hours at most)."""

    __tablename__ = "recap_shared_summaries"

    share_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    team_id: Mapped[str] = mapped_column(sa.String(32), index=True)
    user_id: Mapped[str] = mapped_column(sa.String(32))
    source_channel_id: Mapped[str] = mapped_column(sa.String(32))
    destination_channel_id: Mapped[str] = mapped_column(sa.String(32))
    blocks_json: Mapped[str] = mapped_column(sa.Text)
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)


_CLAIM = sa.insert(ProcessedEvent)


class Store:
    """Recap's core store: event de-duplication and workspace purge.

    Args:
        engine: a SQLAlchemy engine (see :func:`make_engine`); tables are created on construction.
    """

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        if engine.dialect.name == "sqlite":
            self._claim_engine = engine
            self._claim_lock: Any = threading.Lock()
        else:  # a small pool of its own: claims run before the ack and must not wait behind workers
            # Autocommit: the INSERT is its own transaction, one round trip instead of BEGIN, INSERT,
            # COMMIT (each a GIL hand-off under load). No pre-ping either: a connection the database
            # dropped is replaced when the claim fails (see claim_event).
            self._claim_engine = sa.create_engine(
                engine.url, isolation_level="AUTOCOMMIT", pool_size=4, max_overflow=4, pool_timeout=2,
                pool_recycle=1800, connect_args={"application_name": "recap-claims"})
            self._claim_lock = nullcontext()
        create_schema(engine)
        self.sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def from_url(cls, database_url: str) -> Store:
        """A store on a new engine for ``database_url``."""
        return cls(make_engine(database_url))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in a transaction: committed on success, rolled back on error."""
        with self.sessions() as session, session.begin():
            yield session

    def claim_event(self, event_key: str, *, team_id: str = "") -> bool:
        """Claim an event for handling; True only for the first claimant, across processes.

        Slack retries an event up to 3 times (``X-Slack-Retry-Num``) and may deliver the same
        ``event_id`` twice; the primary key makes the second insert fail, so exactly one handler wins.
        (Source: Slack's Events API docs, "Responding to events" / retries.)
        """
        # A Core INSERT, not the ORM: this runs before every ack, and the unit of work costs ~4 ms.
        # On SQLite, claims queue on a lock in this process instead of in SQLite's busy handler, whose
        # growing sleeps (up to 100 ms each) made acks wait seconds under a burst of events.
        retried = False
        while True:
            try:
                with self._claim_lock, self._claim_engine.begin() as conn:
                    conn.execute(_CLAIM, {"event_key": event_key[:200], "team_id": team_id, "claimed_at": utcnow()})
                return True
            except IntegrityError:
                return False
            except sa.exc.DBAPIError as exc:
                # A pooled connection the database had closed (restart, idle timeout): SQLAlchemy has
                # dropped the pool's stale connections; the claim never ran, so it is safe to try again.
                # ("Dealing with Disconnects", optimistic handling, in SQLAlchemy's pooling docs.)
                if retried or not exc.connection_invalidated:
                    raise
                retried = True
                logger.info("claim connection was closed by the database; retrying on a fresh one")

    def warm_up(self) -> None:
        """Open the claim pool's connections before the first request.

        The first use of an engine connects and, on PostgreSQL, initializes the dialect (several
        queries); done by the first event of a burst, it made that ack wait ~250 ms and the others
        behind it. Nothing is written.
        """
        pool_size = getattr(self._claim_engine.pool, "size", lambda: 1)()
        conns = []
        try:
            for _ in range(max(1, pool_size)):
                conn = self._claim_engine.connect()
                conns.append(conn)
                conn.execute(sa.text("SELECT 1"))
        finally:
            for conn in conns:
                conn.close()

    def prune_events(self, *, older_than: timedelta = timedelta(days=2)) -> int:
        """Delete claims older than ``older_than`` (Slack stops retrying after about an hour).

        Returns:
            the number of rows deleted.
        """
        cutoff = utcnow() - older_than
        with self.session() as session:
            result = session.execute(sa.delete(ProcessedEvent).where(ProcessedEvent.claimed_at < cutoff))
            return rowcount(result)

    def save_share(
        self, *, team_id: str, user_id: str, source_channel_id: str, destination_channel_id: str,
        blocks: list, text: str,
    ) -> str:
        """Keep a rendered private summary so its owner can share it; returns the share ID."""
        share_id = uuid.uuid4().hex
        with self.session() as session:
            session.add(SharedSummary(
                share_id=share_id, team_id=team_id, user_id=user_id, source_channel_id=source_channel_id,
                destination_channel_id=destination_channel_id, blocks_json=json.dumps(blocks), text=text,
            ))
        return share_id

    def peek_share(self, *, share_id: str, team_id: str, user_id: str,
                   max_age: timedelta = SHARE_TTL) -> SharedSummary | None:
        """A pending share of ``user_id``, left in place (None if unknown, someone else's or expired)."""
        with self.session() as session:
            row = session.get(SharedSummary, share_id)
            if row is None or row.team_id != team_id or row.user_id != user_id:
                return None
            created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=timezone.utc)
            if utcnow() - created > max_age:
                return None
            session.expunge(row)
            return row

    def take_share(self, *, share_id: str, team_id: str, user_id: str,
                   max_age: timedelta = SHARE_TTL) -> SharedSummary | None:
        """Remove and return a pending share of ``user_id`` (None if unknown, someone else's, expired, or
        already taken): the DELETE's row count decides, so of two clicks at once only one wins."""
        row = self.peek_share(share_id=share_id, team_id=team_id, user_id=user_id, max_age=max_age)
        if row is None:
            return None
        with self.session() as session:
            deleted = rowcount(session.execute(sa.delete(SharedSummary).where(SharedSummary.share_id == share_id)))
        return row if deleted == 1 else None

    def forget_shares(self, *, team_id: str, user_id: str) -> int:
        """Delete a person's pending shares (``/summarize forget me``); returns how many."""
        with self.session() as session:
            result = session.execute(sa.delete(SharedSummary).where(
                SharedSummary.team_id == team_id, SharedSummary.user_id == user_id))
            return rowcount(result)

    def prune_shares(self, *, max_age: timedelta = SHARE_TTL) -> int:
        """Delete pending shares older than ``max_age``; returns how many."""
        with self.session() as session:
            result = session.execute(sa.delete(SharedSummary).where(SharedSummary.created_at < utcnow() - max_age))
            return rowcount(result)

    def purge_team(self, team_id: str) -> int:
        """Delete every row of ``team_id`` from every Recap table that has a ``team_id`` column (every
        table registered on :class:`~bot.storage.schema.Base`: the composition root imports every feature store).

        Used on ``app_uninstalled`` / ``tokens_revoked``. Returns the number of rows deleted.
        """
        deleted = 0
        with self.session() as session:
            for table in Base.metadata.sorted_tables:
                if "team_id" in table.c:
                    result = session.execute(sa.delete(table).where(table.c.team_id == team_id))
                    deleted += rowcount(result)
        return deleted
