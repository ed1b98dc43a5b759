"""Digest tables and the store that reads and writes them (on :class:`bot.storage.store.Base`).

Tables (every one has ``team_id``, so :meth:`bot.storage.store.Store.purge_team` clears a workspace):
    recap_digest_subscriptions  one weekly digest per (team, channel): weekday, time, zone, quiet mode.
    recap_org_digests           "org news" digests: sources, destination, weekday, time, zone.
    recap_digest_runs           one row per (team, target, period start): the claim that makes each
                                digest post exactly once, across threads and processes.

Exactly once: :meth:`DigestStore.claim_run` inserts the run row in its own transaction; the unique
constraint on ``(team_id, target_id, period_start)`` makes a second claimant's insert fail, and that
claimant does nothing. A run that failed *before posting* may be claimed again (an ``UPDATE … WHERE
status = 'failed'`` that only one claimant can win); a run that posted never is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.store import Base, Store, utcnow

CLAIMED = "claimed"
POSTED = "posted"
QUIET = "quiet"
SKIPPED = "skipped"
FAILED = "failed"
STALE_CLAIM = timedelta(hours=1)  # a claim not finished by then belongs to a process that died


class DigestSubscription(Base):
    """A channel's weekly digest."""

    __tablename__ = "recap_digest_subscriptions"
    __table_args__ = (sa.UniqueConstraint("team_id", "channel_id", name="uq_recap_digest_sub"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(sa.String(32), index=True)
    channel_id: Mapped[str] = mapped_column(sa.String(32))
    weekday: Mapped[int] = mapped_column(sa.Integer)  # 0 = Monday … 6 = Sunday
    hour: Mapped[int] = mapped_column(sa.Integer)
    minute: Mapped[int] = mapped_column(sa.Integer)
    tz: Mapped[str] = mapped_column(sa.String(64))
    quiet: Mapped[str] = mapped_column(sa.String(8), default="post")  # "post" or "skip"
    created_by: Mapped[str] = mapped_column(sa.String(32), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class OrgDigestRow(Base):
    """An "org news" digest of several channels posted into one destination."""

    __tablename__ = "recap_org_digests"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(sa.String(32), index=True)
    destination_id: Mapped[str] = mapped_column(sa.String(32))
    sources_json: Mapped[str] = mapped_column(sa.Text)
    weekday: Mapped[int] = mapped_column(sa.Integer)
    hour: Mapped[int] = mapped_column(sa.Integer)
    minute: Mapped[int] = mapped_column(sa.Integer)
    tz: Mapped[str] = mapped_column(sa.String(64))
    created_by: Mapped[str] = mapped_column(sa.String(32), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class DigestRun(Base):
    """The claim (then the outcome) of one digest for one period."""

    __tablename__ = "recap_digest_runs"
    __table_args__ = (sa.UniqueConstraint("team_id", "target_id", "period_start", name="uq_recap_digest_run"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(sa.String(32), index=True)
    target_id: Mapped[str] = mapped_column(sa.String(64))  # channel ID, or "org:<id>"
    period_start: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    status: Mapped[str] = mapped_column(sa.String(16), default=CLAIMED)
    claimed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True), nullable=True)
    channel_id: Mapped[str] = mapped_column(sa.String(32), default="")  # where it was posted
    message_ts: Mapped[str | None] = mapped_column(sa.String(32), nullable=True)
    permalink: Mapped[str | None] = mapped_column(sa.Text, nullable=True)
    error: Mapped[str | None] = mapped_column(sa.Text, nullable=True)


@dataclass(frozen=True)
class Schedule:
    """When a digest runs: a weekday and a local time in an IANA zone."""

    weekday: int
    hour: int
    minute: int
    tz: str


@dataclass(frozen=True)
class Subscription:
    """A channel's weekly digest subscription (a detached copy of the row)."""

    team_id: str
    channel_id: str
    schedule: Schedule
    quiet: str
    created_by: str


@dataclass(frozen=True)
class OrgSubscription:
    """An org digest (a detached copy of the row)."""

    id: int
    team_id: str
    destination_id: str
    source_ids: tuple[str, ...]
    schedule: Schedule
    created_by: str


@dataclass(frozen=True)
class RunRecord:
    """A digest run (a detached copy of the row)."""

    id: int
    target_id: str
    period_start: datetime
    status: str
    finished_at: datetime | None
    permalink: str | None
    error: str | None


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def org_target(org_id: int) -> str:
    """The run target ID of an org digest."""
    return f"org:{org_id}"


class DigestStore:
    """Subscriptions, org digests and run claims on a :class:`bot.storage.store.Store`.

    Args:
        store: the core store (its engine and sessions; tables are created by it).
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    # ------------------------------------------------------------ subscriptions
    def subscribe(self, *, team_id: str, channel_id: str, schedule: Schedule, quiet: str = "post",
                  created_by: str = "") -> Subscription:
        """Create or update a channel's subscription; returns it."""
        with self.store.session() as session:
            row = session.scalar(sa.select(DigestSubscription).where(
                DigestSubscription.team_id == team_id, DigestSubscription.channel_id == channel_id))
            if row is None:
                row = DigestSubscription(team_id=team_id, channel_id=channel_id)
                session.add(row)
            row.weekday, row.hour, row.minute, row.tz = schedule.weekday, schedule.hour, schedule.minute, schedule.tz
            row.quiet, row.created_by = quiet, created_by
        return Subscription(team_id, channel_id, schedule, quiet, created_by)

    def unsubscribe(self, *, team_id: str, channel_id: str) -> bool:
        """Remove a subscription; True if there was one."""
        with self.store.session() as session:
            result = session.execute(sa.delete(DigestSubscription).where(
                DigestSubscription.team_id == team_id, DigestSubscription.channel_id == channel_id))
            return bool(result.rowcount)

    def subscription(self, *, team_id: str, channel_id: str) -> Subscription | None:
        """A channel's subscription, or None."""
        with self.store.session() as session:
            row = session.scalar(sa.select(DigestSubscription).where(
                DigestSubscription.team_id == team_id, DigestSubscription.channel_id == channel_id))
            return _sub(row) if row else None

    def subscriptions(self, *, team_id: str | None = None) -> list[Subscription]:
        """Every subscription (of one team, when given)."""
        query = sa.select(DigestSubscription).order_by(DigestSubscription.team_id, DigestSubscription.channel_id)
        if team_id is not None:
            query = query.where(DigestSubscription.team_id == team_id)
        with self.store.session() as session:
            return [_sub(row) for row in session.scalars(query)]

    # ------------------------------------------------------------ org digests
    def add_org(self, *, team_id: str, destination_id: str, source_ids: list[str], schedule: Schedule,
                created_by: str = "") -> OrgSubscription:
        """Create an org digest; returns it (with its ID)."""
        with self.store.session() as session:
            row = OrgDigestRow(team_id=team_id, destination_id=destination_id, sources_json=json.dumps(source_ids),
                               weekday=schedule.weekday, hour=schedule.hour, minute=schedule.minute,
                               tz=schedule.tz, created_by=created_by)
            session.add(row)
            session.flush()
            return _org(row)

    def org(self, *, team_id: str, org_id: int) -> OrgSubscription | None:
        """One org digest, or None."""
        with self.store.session() as session:
            row = session.get(OrgDigestRow, org_id)
            return _org(row) if row is not None and row.team_id == team_id else None

    def orgs(self, *, team_id: str | None = None) -> list[OrgSubscription]:
        """Every org digest (of one team, when given)."""
        query = sa.select(OrgDigestRow).order_by(OrgDigestRow.id)
        if team_id is not None:
            query = query.where(OrgDigestRow.team_id == team_id)
        with self.store.session() as session:
            return [_org(row) for row in session.scalars(query)]

    def remove_org(self, *, team_id: str, org_id: int) -> bool:
        """Delete an org digest; True if it existed."""
        with self.store.session() as session:
            result = session.execute(sa.delete(OrgDigestRow).where(OrgDigestRow.team_id == team_id,
                                                                   OrgDigestRow.id == org_id))
            return bool(result.rowcount)

    # ------------------------------------------------------------ runs
    def claim_run(self, *, team_id: str, target_id: str, period_start: datetime) -> int | None:
        """Claim the run of ``target_id`` for the period starting at ``period_start``.

        Returns:
            the run ID for the one claimant that wins, None for every other (already claimed, posted,
            or being retried by someone else). A failed run, or a claim older than :data:`STALE_CLAIM`
            that never finished (its process died), can be claimed again.
        """
        start = period_start.astimezone(timezone.utc)
        try:
            with self.store.session() as session:
                row = DigestRun(team_id=team_id, target_id=target_id, period_start=start, status=CLAIMED)
                session.add(row)
                session.flush()
                return row.id
        except IntegrityError:
            pass
        # A failed run may be retried, by one claimant only; so may a claim left behind by a process that
        # died before posting (still "claimed" after STALE_CLAIM: a run takes minutes at most).
        with self.store.session() as session:
            retryable = sa.or_(DigestRun.status == FAILED,
                               sa.and_(DigestRun.status == CLAIMED, DigestRun.claimed_at < utcnow() - STALE_CLAIM))
            result = session.execute(
                sa.update(DigestRun)
                .where(DigestRun.team_id == team_id, DigestRun.target_id == target_id,
                       DigestRun.period_start == start, retryable)
                .values(status=CLAIMED, claimed_at=utcnow(), error=None)
            )
            if not result.rowcount:
                return None
            return session.scalar(sa.select(DigestRun.id).where(
                DigestRun.team_id == team_id, DigestRun.target_id == target_id, DigestRun.period_start == start))

    def finish_run(self, run_id: int, *, status: str, channel_id: str = "", message_ts: str | None = None,
                   permalink: str | None = None, error: str | None = None) -> None:
        """Record a run's outcome (``posted``, ``quiet``, ``skipped`` or ``failed``)."""
        with self.store.session() as session:
            row = session.get(DigestRun, run_id)
            if row is None:
                return
            row.status, row.finished_at, row.channel_id = status, utcnow(), channel_id
            row.message_ts, row.permalink, row.error = message_ts, permalink, (error or None)

    def last_run(self, *, team_id: str, target_id: str) -> RunRecord | None:
        """The most recent run of a target (by period), or None."""
        with self.store.session() as session:
            row = session.scalar(sa.select(DigestRun).where(DigestRun.team_id == team_id,
                                                            DigestRun.target_id == target_id)
                                 .order_by(DigestRun.period_start.desc(), DigestRun.id.desc()).limit(1))
            return _run(row) if row else None

    def runs(self, *, team_id: str, target_id: str | None = None) -> list[RunRecord]:
        """Every run of a team (or of one target), oldest period first."""
        query = sa.select(DigestRun).where(DigestRun.team_id == team_id).order_by(DigestRun.period_start, DigestRun.id)
        if target_id is not None:
            query = query.where(DigestRun.target_id == target_id)
        with self.store.session() as session:
            return [_run(row) for row in session.scalars(query)]


def _sub(row: DigestSubscription) -> Subscription:
    return Subscription(row.team_id, row.channel_id, Schedule(row.weekday, row.hour, row.minute, row.tz),
                        row.quiet, row.created_by)


def _org(row: OrgDigestRow) -> OrgSubscription:
    return OrgSubscription(row.id, row.team_id, row.destination_id, tuple(json.loads(row.sources_json)),
                           Schedule(row.weekday, row.hour, row.minute, row.tz), row.created_by)


def _run(row: DigestRun) -> RunRecord:
    return RunRecord(row.id, row.target_id, _aware(row.period_start), row.status,
                     _aware(row.finished_at) if row.finished_at else None, row.permalink, row.error)


__all__ = [
    "CLAIMED", "FAILED", "POSTED", "QUIET", "SKIPPED",
    "DigestRun", "DigestStore", "DigestSubscription", "OrgDigestRow", "OrgSubscription", "RunRecord",
    "Schedule", "Subscription", "org_target",
]
