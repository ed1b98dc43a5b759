"""Digest tables and the store that reads and writes them (on :class:`bot.storage.schema.Base`).

Tables (every one has ``team_id``, so :meth:`bot.storage.store.Store.purge_team` clears a workspace):
    recap_digest_subscriptions  one weekly digest per (team, channel): weekday, time, zone, quiet mode.
    recap_org_digests           "org news" digests: sources, destination, weekday, time, zone.
    recap_digest_runs           one row per (team, target, period start): the claim that makes each
                                digest post exactly once, across threads and processes.

Bounds (issue 14): an org digest reads at most :data:`MAX_ORG_SOURCES` distinct channels (duplicates are
dropped when it is added, and rows written before the bound are cut to it when read); one person may have
:data:`MAX_ORGS_PER_PERSON` org digests and a workspace :data:`MAX_ORGS_PER_TEAM`, checked in the
transaction that adds one (:class:`OrgLimitReached`), so requests at once cannot pass a bound together.

Exactly once: :meth:`DigestStore.claim_run` inserts the run row in its own transaction; the unique
constraint on ``(team_id, target_id, period_start)`` makes a second claimant's insert fail, and that
claimant does nothing. A run that failed *before posting* may be claimed again (an ``UPDATE … WHERE
status = 'failed'`` that only one claimant can win); a run that posted never is.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.storage.schema import Base, rowcount, utcnow
from bot.storage.store import Store

CLAIMED = "claimed"
POSTED = "posted"
QUIET = "quiet"
SKIPPED = "skipped"
FAILED = "failed"
STALE_CLAIM = timedelta(hours=1)  # a claim not finished by then belongs to a process that died
MAX_ORG_SOURCES = 10  # distinct channels in one org digest (a run reads each: history calls, Tier 3)
MAX_ORGS_PER_PERSON = 3  # org digests one person may have set up in a workspace
MAX_ORGS_PER_TEAM = 20  # org digests in a workspace


class OrgLimitReached(Exception):
    """Adding an org digest would pass a bound.

    Attributes:
        scope: ``"person"`` (:data:`MAX_ORGS_PER_PERSON`) or ``"team"`` (:data:`MAX_ORGS_PER_TEAM`).
        limit: the bound.
    """

    def __init__(self, scope: str, limit: int) -> None:
        super().__init__(f"org digest limit per {scope} ({limit}) reached")
        self.scope, self.limit = scope, limit


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
        store: the core store (its engine and sessions). Its ``create_schema`` creates the digest tables,
            which register on :class:`~bot.storage.schema.Base` when this module is imported.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    # ------------------------------------------------------------ subscriptions
    def subscribe(self, *, team_id: str, channel_id: str, schedule: Schedule, quiet: str = "post",
                  created_by: str = "") -> Subscription:
        """Create or update a channel's subscription; returns it. An update keeps the creator (when one is
        recorded): replacing the schedule does not transfer ownership."""
        with self.store.session() as session:
            row = session.scalar(sa.select(DigestSubscription).where(
                DigestSubscription.team_id == team_id, DigestSubscription.channel_id == channel_id))
            if row is None:
                row = DigestSubscription(team_id=team_id, channel_id=channel_id)
                session.add(row)
            row.weekday, row.hour, row.minute, row.tz = schedule.weekday, schedule.hour, schedule.minute, schedule.tz
            row.quiet = quiet
            row.created_by = row.created_by or created_by
            return _sub(row)

    def unsubscribe(self, *, team_id: str, channel_id: str) -> bool:
        """Remove a subscription; True if there was one."""
        with self.store.session() as session:
            result = session.execute(sa.delete(DigestSubscription).where(
                DigestSubscription.team_id == team_id, DigestSubscription.channel_id == channel_id))
            return bool(rowcount(result))

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
                created_by: str = "", max_per_person: int = MAX_ORGS_PER_PERSON,
                max_per_team: int = MAX_ORGS_PER_TEAM) -> OrgSubscription:
        """Create an org digest of the distinct ``source_ids`` (first mention kept); returns it (with its ID).

        The bounds are checked in the inserting transaction: on PostgreSQL under a transaction-level
        advisory lock of the workspace; on SQLite the INSERT comes first and takes the database's write
        lock, so a concurrent adder waits and then counts this row.

        Raises:
            ValueError: no source, or more than :data:`MAX_ORG_SOURCES` distinct ones.
            OrgLimitReached: ``created_by`` already has ``max_per_person`` org digests in the workspace,
                or the workspace has ``max_per_team``.
        """
        sources = list(dict.fromkeys(source_ids))
        if not 1 <= len(sources) <= MAX_ORG_SOURCES:
            raise ValueError(f"an org digest has 1 to {MAX_ORG_SOURCES} distinct sources, not {len(sources)}")
        with self.store.session() as session:
            if session.get_bind().dialect.name == "postgresql":
                session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _team_lock_key(team_id)})
            row = OrgDigestRow(team_id=team_id, destination_id=destination_id, sources_json=json.dumps(sources),
                               weekday=schedule.weekday, hour=schedule.hour, minute=schedule.minute,
                               tz=schedule.tz, created_by=created_by)
            session.add(row)
            session.flush()
            mine, total = self._org_counts(session, team_id=team_id, created_by=created_by)
            if created_by and mine > max_per_person:
                raise OrgLimitReached("person", max_per_person)  # rolls the INSERT back
            if total > max_per_team:
                raise OrgLimitReached("team", max_per_team)
            return _org(row)

    def org_counts(self, *, team_id: str, created_by: str) -> tuple[int, int]:
        """``(org digests set up by created_by, org digests of the workspace)``."""
        with self.store.session() as session:
            return self._org_counts(session, team_id=team_id, created_by=created_by)

    @staticmethod
    def _org_counts(session: Session, *, team_id: str, created_by: str) -> tuple[int, int]:
        mine = sa.func.sum(sa.case((OrgDigestRow.created_by == created_by, 1), else_=0))
        found = session.execute(sa.select(mine, sa.func.count()).where(OrgDigestRow.team_id == team_id)).one()
        return int(found[0] or 0), int(found[1] or 0)

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
            return bool(rowcount(result))

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
            if not rowcount(result):
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


def _team_lock_key(team_id: str) -> int:
    """A signed 64-bit advisory lock key for org digest creation in one workspace."""
    digest = hashlib.blake2b(f"recap-org-digests:{team_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _org(row: OrgDigestRow) -> OrgSubscription:
    # distinct and bounded even for rows written before the bound (a run reads every source)
    sources = tuple(dict.fromkeys(json.loads(row.sources_json)))[:MAX_ORG_SOURCES]
    return OrgSubscription(row.id, row.team_id, row.destination_id, sources,
                           Schedule(row.weekday, row.hour, row.minute, row.tz), row.created_by)


def _run(row: DigestRun) -> RunRecord:
    return RunRecord(row.id, row.target_id, _aware(row.period_start), row.status,
                     _aware(row.finished_at) if row.finished_at else None, row.permalink, row.error)


__all__ = [
    "CLAIMED", "FAILED", "POSTED", "QUIET", "SKIPPED",
    "DigestRun", "DigestStore", "DigestSubscription", "OrgDigestRow", "OrgSubscription", "RunRecord",
    "Schedule", "Subscription", "org_target",
]
