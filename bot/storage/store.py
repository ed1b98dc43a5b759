"""Storage: SQLAlchemy 2 models, the engine, and the small store Recap's core needs.

SQLite file by default, PostgreSQL in production; the same code runs on both (the test suite runs the
storage tests on both). Schema version is recorded in ``recap_schema``; ``create_schema`` creates
what is missing (new tables only; a column change bumps ``SCHEMA_VERSION`` and adds a migration step).

Tables owned here:
    recap_processed_events  one row per Slack ``event_id`` (or request key) already handled:
                            the de-duplication of retries and duplicate deliveries, across processes.
    recap_shared_summaries  a private summary awaiting "Share to channel" (deleted when shared or
                            after 24 hours).
    recap_job_claims        the queue workers' claims: one row per claim key (an event, a request, a
                            job), held by one job under a renewable lease, marked done at the end
                            (:meth:`Store.claim_job`; pruned with the processed events).
    recap_job_messages      a message a job started streaming, by job id and step (its ``ts``),
                            written as soon as ``chat.startStream`` returns: the streamed message
                            carries no job metadata until ``chat.stopStream``, so a job redelivered
                            after its worker died mid-stream finds it here (:meth:`Store.record_job_message`,
                            :meth:`Store.job_messages`; pruned with the processed events).
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
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


class JobClaim(Base):
    """A queue worker's claim on a piece of work (an event, a request, a scheduled job).

    ``lease_until`` is Unix seconds (a float: the same on SQLite and PostgreSQL, no time zones); the
    holder renews it while working. ``attempts`` counts the deliveries that took the claim (1 on the
    first), across retries and redeliveries after a crash.
    """

    __tablename__ = "recap_job_claims"

    claim_key: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    team_id: Mapped[str] = mapped_column(sa.String(32), default="", index=True)
    job_id: Mapped[str] = mapped_column(sa.String(64))
    lease_until: Mapped[float] = mapped_column(sa.Float)
    attempts: Mapped[int] = mapped_column(sa.Integer, default=1)
    done: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    claimed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)


class JobMessage(Base):
    """A message a job started streaming (``chat.startStream`` returned its ``ts``), by job and step.

    Slack's streaming takes message ``metadata`` only at ``chat.stopStream``, so a worker killed mid-stream
    leaves a message that no metadata look-up finds; its redelivered job finds it here and updates it
    (:class:`bot.slack.writer.JobPoster`, ``recorded``) instead of answering a second time.
    """

    __tablename__ = "recap_job_messages"

    job_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    step: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    team_id: Mapped[str] = mapped_column(sa.String(32), default="", index=True)
    channel_id: Mapped[str] = mapped_column(sa.String(32))
    ts: Mapped[str] = mapped_column(sa.String(32))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)


TAKEN, DUPLICATE, BUSY = "taken", "duplicate", "busy"


@dataclass(frozen=True)
class JobClaimResult:
    """What :meth:`Store.claim_job` decided.

    Attributes:
        outcome: ``taken`` (run the job), ``duplicate`` (done already, or held by another job: drop this
            delivery) or ``busy`` (this same job is held under a live lease, e.g. by a worker that died
            moments ago: try again after ``wait`` seconds).
        attempt: with ``taken``, 0 on the first delivery, then 1, 2, … (retries and redeliveries).
        wait: with ``busy``, seconds until the lease expires.
    """

    outcome: str
    attempt: int = 0
    wait: float = 0.0


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

    def claim_job(self, claim_key: str, *, job_id: str, team_id: str = "", lease_seconds: float,
                  now: float | None = None) -> JobClaimResult:
        """Claim ``claim_key`` for ``job_id`` under a lease of ``lease_seconds``, across processes.

        * no row: insert it (the primary key lets one job win a race) → ``taken``, attempt 0;
        * a row of the same job, not done, lease expired (its worker died): take it over → ``taken``,
          with its attempts counted;
        * a row of the same job with a live lease → ``busy`` (``wait`` = seconds left on the lease);
        * a row that is done, or held by another job → ``duplicate`` (that job's message is still
          unacknowledged in the broker and is redelivered if its worker dies).

        Args:
            now: Unix seconds (``time.time()`` by default; tests pass their own).
        """
        key, now = claim_key[:200], time.time() if now is None else now
        try:
            with self.engine.begin() as conn:
                conn.execute(sa.insert(JobClaim).values(claim_key=key, team_id=team_id, job_id=job_id,
                                                     lease_until=now + lease_seconds, attempts=1, done=False,
                                                     claimed_at=utcnow()))
            return JobClaimResult(TAKEN, attempt=0)
        except IntegrityError:
            pass
        with self.engine.begin() as conn:
            took = rowcount(conn.execute(
                sa.update(JobClaim)
                .where(JobClaim.claim_key == key, JobClaim.job_id == job_id, JobClaim.done.is_(False),
                       JobClaim.lease_until < now)
                .values(lease_until=now + lease_seconds, attempts=JobClaim.attempts + 1)))
            row = conn.execute(sa.select(JobClaim.job_id, JobClaim.done, JobClaim.lease_until, JobClaim.attempts)
                               .where(JobClaim.claim_key == key)).one_or_none()
        if row is None:  # pruned between the two statements: a claim that old is done
            return JobClaimResult(DUPLICATE)
        if took:
            return JobClaimResult(TAKEN, attempt=max(0, int(row.attempts) - 1))
        if row.done or row.job_id != job_id:
            return JobClaimResult(DUPLICATE)
        return JobClaimResult(BUSY, wait=max(0.0, float(row.lease_until) - now))

    def renew_job(self, claim_key: str, *, job_id: str, lease_seconds: float) -> bool:
        """Extend ``job_id``'s lease on ``claim_key`` to now + ``lease_seconds``; False when it no
        longer holds it (done, or taken over after the lease expired)."""
        with self.engine.begin() as conn:
            return rowcount(conn.execute(
                sa.update(JobClaim).where(JobClaim.claim_key == claim_key[:200], JobClaim.job_id == job_id,
                                       JobClaim.done.is_(False))
                .values(lease_until=time.time() + lease_seconds))) == 1

    def finish_job(self, claim_key: str, *, job_id: str) -> None:
        """Mark ``claim_key`` done by ``job_id``: every later delivery of it is a duplicate."""
        with self.engine.begin() as conn:
            conn.execute(sa.update(JobClaim).where(JobClaim.claim_key == claim_key[:200], JobClaim.job_id == job_id)
                         .values(done=True, lease_until=time.time()))

    def release_job(self, claim_key: str, *, job_id: str) -> None:
        """End ``job_id``'s lease now without marking it done, so its retry can take it at once."""
        with self.engine.begin() as conn:
            conn.execute(sa.update(JobClaim).where(JobClaim.claim_key == claim_key[:200], JobClaim.job_id == job_id,
                                                JobClaim.done.is_(False))
                         .values(lease_until=time.time() - 1))

    def record_job_message(self, job_id: str, step: str, *, channel_id: str, ts: str, team_id: str = "") -> None:
        """Remember that job ``job_id`` started its ``step`` message ``ts`` in ``channel_id`` (a later record
        of the same job and step replaces it). Committed before it returns: durable even if the worker is
        killed right after."""
        values = {"job_id": job_id[:64], "step": step[:64], "team_id": team_id, "channel_id": channel_id, "ts": ts}
        try:
            with self.engine.begin() as conn:
                conn.execute(sa.insert(JobMessage).values(**values, created_at=utcnow()))
        except IntegrityError:
            with self.engine.begin() as conn:
                conn.execute(sa.update(JobMessage)
                             .where(JobMessage.job_id == values["job_id"], JobMessage.step == values["step"])
                             .values(channel_id=channel_id, ts=ts, team_id=team_id, created_at=utcnow()))

    def job_messages(self, job_id: str, channel_id: str) -> dict[str, str]:
        """The messages job ``job_id`` started in ``channel_id`` (:meth:`record_job_message`): ``{step: ts}``."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(JobMessage.step, JobMessage.ts)
                                .where(JobMessage.job_id == job_id[:64], JobMessage.channel_id == channel_id))
            return {str(row.step): str(row.ts) for row in rows}

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
        """Delete claims (event claims, and queue job claims whose lease is over) older than ``older_than``
        (Slack stops retrying after about an hour), and the job messages recorded as long ago.

        Returns:
            the number of claims deleted.
        """
        cutoff = utcnow() - older_than
        with self.session() as session:
            result = session.execute(sa.delete(ProcessedEvent).where(ProcessedEvent.claimed_at < cutoff))
            jobs = session.execute(sa.delete(JobClaim).where(JobClaim.claimed_at < cutoff,
                                                             JobClaim.lease_until < time.time()))
            session.execute(sa.delete(JobMessage).where(JobMessage.created_at < cutoff))
            return rowcount(result) + rowcount(jobs)

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

    def restore_share(self, share: SharedSummary, *, blocks: list | None = None) -> None:
        """Put back a share that :meth:`take_share` returned but whose post failed, so its owner can try
        again: same ``share_id`` and age (it still expires :data:`SHARE_TTL` after it was made).

        Args:
            blocks: the messages still to post, when the first ones were posted; None keeps them all.
        """
        with self.session() as session:
            session.merge(SharedSummary(
                share_id=share.share_id, team_id=share.team_id, user_id=share.user_id,
                source_channel_id=share.source_channel_id, destination_channel_id=share.destination_channel_id,
                blocks_json=json.dumps(blocks) if blocks is not None else share.blocks_json, text=share.text,
                created_at=share.created_at,
            ))
