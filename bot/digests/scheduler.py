"""The digest scheduler: APScheduler 3.11 with its SQLAlchemy job store in Recap's own database.

:class:`DigestScheduler` is a process's :class:`bot.services.DigestJobs`, so ``/summarize digest on``
writes the channel's job into the shared job store in the same request, in any process:

* ``run_jobs=True`` — the scheduler process (``recap run``, ``recap scheduler``): runs the digest
  jobs, the maintenance job every :data:`MAINTENANCE_EVERY` seconds, and a catch-up at start.
* ``run_jobs=False`` — an HTTP worker: a scheduler on the same job store, started paused. A paused
  APScheduler 3.11 scheduler is not stopped, so ``add_job``/``remove_job`` go straight to the store
  (``_real_add_job`` -> ``SQLAlchemyJobStore.add_job``), and ``_process_jobs`` returns at once while
  paused: it never runs a job. The scheduler process reads the store whenever it wakes
  (``get_due_jobs(now)``, then its next wake-up from the store's earliest ``next_run_time``), at the
  latest at its next maintenance tick; a job due before that wake-up runs then (within the grace).

How jobs are kept:

* **Jobs** are module-level functions referenced by path (``bot.digests.scheduler:channel_digest_job``,
  ``bot.digests.scheduler:org_digest_job``) with JSON-able arguments (``team_id``, ``channel_id``/``org_id``),
  so the SQLAlchemy job store can persist them; they find their services and Slack clients through
  the one module-level slot :data:`_RUNNING`, set by :meth:`DigestScheduler.start` (``run_jobs=True``).
  Job IDs are ``digest:<team>:<channel>`` and ``org:<team>:<id>``.
* **Triggers** are ``CronTrigger(day_of_week, hour, minute, timezone=ZoneInfo(zone))``: 09:00 Monday in
  the subscription's zone, across DST changes.
* **Downtime**: the job store keeps each job's ``next_run_time``. When the app comes back after it,
  APScheduler runs the job once (``coalesce=True`` folds several missed runs into one) if it is late by
  at most :data:`MISFIRE_GRACE` seconds (12 hours: a Monday 09:00 digest still goes out by 21:00;
  later than that it would be stale and is skipped with a warning log). :func:`catch_up` does the same
  from the subscriptions table at start-up, so a lost job store never skips a digest silently.
* **With a broker** (``QUEUE_URL``) the scheduler process runs no digest itself: each due run (the
  job, or :func:`catch_up`) is sent to the queue as a ``recap_digest`` job
  (:func:`bot.queue.broker.enqueue_digest`) and the workers run it (:func:`run_digest_now`, through
  :func:`digest_runner`); the run's claim below keeps it exactly once however many workers there are.
* **Exactly once** does not rely on APScheduler: its FAQ warns that a job store shared by several
  processes can fire a job in each. Every run first claims ``(team, target, period start)`` in
  ``recap_digest_runs`` (:meth:`bot.digests.store.DigestStore.claim_run`); the losers do nothing.

Nothing starts at import.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from slack_sdk import WebClient

from bot.digests.runs import last_occurrence, run_org_subscription, run_subscription
from bot.digests.store import POSTED, DigestStore, Schedule
from bot.queue.broker import enqueue_digest
from bot.runtime.oauth import prune_oauth_states
from bot.runtime.uninstalls import purge_uninstalled
from bot.services import Services
from bot.storage.engine import make_engine

logger = logging.getLogger(__name__)

QUEUED = "queued"
"""The status of a run sent to the queue (a worker runs it)."""
MISFIRE_GRACE = 12 * 3600  # seconds a missed run may be late and still run once
MAINTENANCE_EVERY = 600  # seconds between maintenance runs
JOBS_TABLE = "recap_apscheduler_jobs"
MAINTENANCE_JOB_ID = "recap:maintenance"
_CHANNEL_JOB = "bot.digests.scheduler:channel_digest_job"
_ORG_JOB = "bot.digests.scheduler:org_digest_job"
_MAINTENANCE_JOB = "bot.digests.scheduler:maintenance_job"
_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

ClientFor = Callable[[str], WebClient]
"""``team_id -> WebClient`` with the workspace's bot token (:func:`bot.runtime.oauth.make_client_for`)."""


def trigger_for(schedule: Schedule) -> CronTrigger:
    """The weekly cron trigger of a schedule, in its own zone."""
    return CronTrigger(day_of_week=_DAY_NAMES[schedule.weekday], hour=schedule.hour, minute=schedule.minute,
                       timezone=ZoneInfo(schedule.tz))


def channel_job_id(team_id: str, channel_id: str) -> str:
    """The job ID of a channel's weekly digest."""
    return f"digest:{team_id}:{channel_id}"


def org_job_id(team_id: str, org_id: int) -> str:
    """The job ID of an org digest."""
    return f"org:{team_id}:{org_id}"


def make_scheduler(database_url: str, *, timezone: str = "UTC") -> BackgroundScheduler:
    """A (not started) BackgroundScheduler whose jobs persist in the table :data:`JOBS_TABLE` of
    ``database_url`` (created here if missing; its own engine, which the scheduler's shutdown disposes).

    Job defaults: ``coalesce=True``, ``misfire_grace_time=MISFIRE_GRACE``, ``max_instances=1``.

    Raises:
        sqlalchemy.exc.DBAPIError: the database cannot be reached (after 5 attempts at the table).
    """
    jobstore = SQLAlchemyJobStore(engine=make_engine(database_url), tablename=JOBS_TABLE)
    _create_jobs_table(jobstore)
    return BackgroundScheduler(
        jobstores={"default": jobstore},
        job_defaults={"coalesce": True, "misfire_grace_time": MISFIRE_GRACE, "max_instances": 1},
        timezone=ZoneInfo(timezone),
    )


def _create_jobs_table(jobstore: SQLAlchemyJobStore, *, attempts: int = 5) -> None:
    """Create the job table up front: two processes starting together may race on ``CREATE TABLE``
    (PostgreSQL then raises a unique violation on ``pg_type``); the loser retries and finds it."""
    for attempt in range(attempts):
        try:
            jobstore.jobs_t.create(jobstore.engine, checkfirst=True)
            return
        except sa.exc.DBAPIError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.1 * (attempt + 1))


class DigestScheduler:
    """The process's digest scheduler (a :class:`bot.services.DigestJobs`): keeps the shared job store
    in step with the digest tables and, in the scheduler process, runs the jobs.

    Args:
        services: the process's services (``settings.database_url`` and ``workspace_tz``, store,
            provider, clock, readers); jobs run with them.
        client_for: ``team_id -> WebClient`` for the workspace; required with ``run_jobs``.
        run_jobs: True in the one process that runs digests (jobs, maintenance, catch-up); False in
            HTTP workers, which only write jobs into the store.

    Raises:
        ValueError: ``run_jobs`` without ``client_for``.
    """

    def __init__(self, services: Services, client_for: ClientFor | None = None, *, run_jobs: bool) -> None:
        if run_jobs and client_for is None:
            raise ValueError("a DigestScheduler that runs jobs needs client_for")
        self.services = services
        self.run_jobs = run_jobs
        self._client_for = client_for
        self._lock = threading.Lock()
        self._scheduler: BackgroundScheduler | None = None

    @property
    def scheduler(self) -> BackgroundScheduler:
        """The started APScheduler scheduler. Raises RuntimeError before :meth:`start`."""
        if self._scheduler is None:
            raise RuntimeError("the digest scheduler is not started")
        return self._scheduler

    @property
    def client_for(self) -> ClientFor:
        """The ``team_id -> WebClient`` lookup. Raises RuntimeError in a scheduler built without one."""
        if self._client_for is None:
            raise RuntimeError("this digest scheduler has no client_for (built with run_jobs=False)")
        return self._client_for

    def start(self, *, run_catch_up: bool = True) -> None:
        """Open the job store and start (once per process).

        With ``run_jobs``: becomes the process's running scheduler (:data:`_RUNNING`), syncs every
        job with the tables, adds the maintenance job, starts running jobs, and (``run_catch_up``)
        runs :func:`catch_up` on a background thread. Without: starts paused, to write jobs only.

        Raises:
            RuntimeError: already started, or another scheduler already runs jobs in this process.
            sqlalchemy.exc.DBAPIError: the database cannot be reached.
        """
        global _RUNNING
        settings = self.services.settings
        with self._lock:
            if self._scheduler is not None:
                raise RuntimeError("the digest scheduler is already started")
            if self.run_jobs:
                with _RUNNING_LOCK:
                    if _RUNNING is not None:
                        raise RuntimeError("another digest scheduler already runs jobs in this process")
                    _RUNNING = self
            try:
                scheduler = make_scheduler(settings.database_url, timezone=settings.workspace_tz)
                scheduler.start(paused=True)
            except BaseException:
                self._release()
                raise
            self._scheduler = scheduler
        if not self.run_jobs:
            logger.info("digest jobs: writing to the shared job store (another process runs them)")
            return
        count = sync_all(scheduler, self.services)
        scheduler.add_job(_MAINTENANCE_JOB, IntervalTrigger(seconds=MAINTENANCE_EVERY), id=MAINTENANCE_JOB_ID,
                          replace_existing=True, coalesce=True, max_instances=1)
        scheduler.resume()
        logger.info("digest scheduler started with %d job(s)", count)
        if run_catch_up:
            threading.Thread(target=self._safe_catch_up, daemon=True, name="digest-catch-up").start()

    def stop(self, *, wait: bool = True) -> None:
        """Shut the scheduler down (``wait``: until running jobs finish); nothing if not started."""
        with self._lock:
            scheduler, self._scheduler = self._scheduler, None
            self._release()
        if scheduler is not None:
            scheduler.shutdown(wait=wait)

    def _release(self) -> None:
        global _RUNNING
        with _RUNNING_LOCK:
            if _RUNNING is self:
                _RUNNING = None

    def sync_channel(self, *, team_id: str, channel_id: str) -> None:
        """Add, reschedule or remove a channel's job as its subscription says now (written to the job
        store at once). Before :meth:`start` or after :meth:`stop` it does nothing: the scheduler
        process's maintenance job re-syncs from the tables."""
        scheduler = self._scheduler
        if scheduler is None:
            logger.debug("digest scheduler not started: %s/%s left to maintenance", team_id, channel_id)
            return
        _sync_channel(scheduler, DigestStore(self.services.store), team_id=team_id, channel_id=channel_id)

    def sync_org(self, *, team_id: str, org_id: int) -> None:
        """Like :meth:`sync_channel`, for an org digest."""
        scheduler = self._scheduler
        if scheduler is None:
            logger.debug("digest scheduler not started: org %s/%s left to maintenance", team_id, org_id)
            return
        _sync_org(scheduler, DigestStore(self.services.store), team_id=team_id, org_id=org_id)

    def maintenance(self) -> dict[str, int]:
        """One maintenance run (see :func:`maintenance_job`); returns counts for the log."""
        services = self.services
        counts = {"jobs": 0, "digest_runs": 0, "events_pruned": 0, "shares_pruned": 0}
        if self._scheduler is not None:
            counts["jobs"] = sync_all(self._scheduler, services)
        counts["digest_runs"] = sum(1 for status in catch_up(services, self.client_for) if status == POSTED)
        counts["events_pruned"] = services.store.prune_events()
        counts["shares_pruned"] = services.store.prune_shares()
        counts["oauth_states_pruned"] = prune_oauth_states(services.store.engine)
        if services.feedback is not None:
            counts["answers_pruned"] = services.feedback.prune()
        counts["uninstalled_rows_purged"] = purge_uninstalled(services)
        logger.info("maintenance: %s", counts)
        return counts

    def _safe_catch_up(self) -> None:
        try:
            catch_up(self.services, self.client_for)
        except Exception:  # noqa: BLE001 - logged; the scheduler keeps running
            logger.exception("digest catch-up failed")


_RUNNING: DigestScheduler | None = None
"""The one :class:`DigestScheduler` of this process that runs jobs (set by its ``start()``, cleared
by ``stop()``). APScheduler's SQLAlchemy job store keeps a job as a textual function reference with
JSON-able arguments, so the job functions below find their services and Slack clients here."""
_RUNNING_LOCK = threading.Lock()


def _running() -> DigestScheduler:
    scheduler = _RUNNING
    if scheduler is None:
        raise RuntimeError("no digest scheduler runs jobs in this process: start DigestScheduler(run_jobs=True)")
    return scheduler


# ---------------------------------------------------------------------------------------- jobs


def channel_digest_job(team_id: str, channel_id: str) -> str:
    """Job: post a channel's digest for its latest scheduled occurrence (idempotent), or with a broker
    send it to the queue. Returns the status (``queued`` when sent).

    Raises:
        RuntimeError: no :class:`DigestScheduler` runs jobs in this process.
    """
    runner = _running()
    status = run_or_enqueue(runner.services, runner.client_for, "channel", team_id, channel_id,
                            runner.services.clock())
    logger.info("digest %s/%s: %s", team_id, channel_id, status)
    return status


def org_digest_job(team_id: str, org_id: int) -> str:
    """Job: post an org digest for its latest scheduled occurrence (idempotent), or with a broker send
    it to the queue. Returns the status (``queued`` when sent).

    Raises:
        RuntimeError: no :class:`DigestScheduler` runs jobs in this process.
    """
    runner = _running()
    status = run_or_enqueue(runner.services, runner.client_for, "org", team_id, str(org_id), runner.services.clock())
    logger.info("org digest %s/%s: %s", team_id, org_id, status)
    return status


def run_digest_now(services: Services, client_for: ClientFor, kind: str, team_id: str, target: str,
                   now: datetime) -> str:
    """Run one digest here: ``kind`` ``channel`` (``target`` a channel ID) or ``org`` (``target`` the
    org's id), for its latest occurrence at ``now``. Returns the run's status (``posted``, ``duplicate``…).

    Raises:
        ValueError: an unknown ``kind``.
    """
    if kind == "channel":
        return run_subscription(services=services, client=client_for(team_id), team_id=team_id,
                                channel_id=target, now=now).status
    if kind == "org":
        return run_org_subscription(services=services, client=client_for(team_id), team_id=team_id,
                                    org_id=int(target), now=now).status
    raise ValueError(f"unknown digest kind {kind!r}")


def run_or_enqueue(services: Services, client_for: ClientFor, kind: str, team_id: str, target: str,
                   now: datetime) -> str:
    """With a broker (``settings.queue_url``) send the run to the queue and return ``queued``; else run
    it here (:func:`run_digest_now`).

    Raises:
        dramatiq.errors.ConnectionError: the broker is unreachable (the maintenance job's catch-up
            sends it again later, within the grace window).
    """
    if services.settings.queue_url:
        enqueue_digest(services.settings, kind=kind, team_id=team_id, target=target, due=now.timestamp())
        return QUEUED
    return run_digest_now(services, client_for, kind, team_id, target, now)


def digest_runner(services: Services, client_for: ClientFor) -> Callable[[str, str, str, float], str]:
    """The queue worker's digest runner: ``(kind, team_id, target, due Unix seconds) -> status``, which
    runs :func:`run_digest_now` for the occurrence due at ``due`` (the scheduler's "now")."""

    def run(kind: str, team_id: str, target: str, due: float) -> str:
        return run_digest_now(services, client_for, kind, team_id, target, datetime.fromtimestamp(due, timezone.utc))

    return run


def maintenance_job() -> dict[str, int]:
    """Job, every :data:`MAINTENANCE_EVERY` seconds in the scheduler process: re-sync the job store
    with the tables (a safety net: processes write their jobs at once, but one that could not reach the
    job store is caught here); :func:`catch_up` (a digest that failed or was missed within the grace
    window is retried; runs already posted are skipped by their claim); retention (processed events
    older than 2 days, pending shares older than 24 hours are deleted).

    Returns:
        Counts for the log: ``jobs``, ``digest_runs`` (posted), ``events_pruned``, ``shares_pruned``.

    Raises:
        RuntimeError: no :class:`DigestScheduler` runs jobs in this process.
    """
    return _running().maintenance()


def _ensure(scheduler: BackgroundScheduler, *, job_id: str, func: str, args: list[str | int],
            trigger: CronTrigger) -> None:
    """Add the job, or keep the stored one when its trigger is unchanged (so a missed run survives)."""
    existing = scheduler.get_job(job_id)
    if existing is not None and str(existing.trigger) == str(trigger):
        return
    scheduler.add_job(func, trigger=trigger, args=args, id=job_id, replace_existing=True)


def _sync(scheduler: BackgroundScheduler, *, job_id: str, func: str, args: list[str | int],
          schedule: Schedule | None) -> None:
    """Add, reschedule or (``schedule`` None) remove one job."""
    if schedule is None:
        try:
            scheduler.remove_job(job_id)
        except JobLookupError:
            pass
        return
    _ensure(scheduler, job_id=job_id, func=func, args=args, trigger=trigger_for(schedule))


def _sync_channel(scheduler: BackgroundScheduler, digests: DigestStore, *, team_id: str, channel_id: str) -> None:
    sub = digests.subscription(team_id=team_id, channel_id=channel_id)
    _sync(scheduler, job_id=channel_job_id(team_id, channel_id), func=_CHANNEL_JOB, args=[team_id, channel_id],
          schedule=sub.schedule if sub else None)


def _sync_org(scheduler: BackgroundScheduler, digests: DigestStore, *, team_id: str, org_id: int) -> None:
    org = digests.org(team_id=team_id, org_id=org_id)
    _sync(scheduler, job_id=org_job_id(team_id, org_id), func=_ORG_JOB, args=[team_id, org_id],
          schedule=org.schedule if org else None)


def sync_all(scheduler: BackgroundScheduler, services: Services) -> int:
    """Make the job store match every subscription and org digest (jobs of deleted ones are removed);
    returns the number of digest jobs."""
    digests = DigestStore(services.store)
    wanted: set[str] = set()
    for sub in digests.subscriptions():
        _sync_channel(scheduler, digests, team_id=sub.team_id, channel_id=sub.channel_id)
        wanted.add(channel_job_id(sub.team_id, sub.channel_id))
    for org in digests.orgs():
        _sync_org(scheduler, digests, team_id=org.team_id, org_id=org.id)
        wanted.add(org_job_id(org.team_id, org.id))
    for job in scheduler.get_jobs():
        if job.id.startswith(("digest:", "org:")) and job.id not in wanted:
            scheduler.remove_job(job.id)
    return len(wanted)


def catch_up(services: Services, client_for: ClientFor, *, now: datetime | None = None,
             grace: float = MISFIRE_GRACE) -> list[str]:
    """Run every digest whose latest occurrence is within ``grace`` seconds before ``now`` (default:
    ``services.clock()``) and not yet claimed.

    Runs are claimed like any other, so this never double-posts alongside APScheduler's own misfire
    handling. Returns the statuses of the runs attempted (``posted``, ``duplicate``, ``failed``, …;
    ``queued`` for each run sent to the queue when a broker is configured).
    """
    now = now or services.clock()
    digests = DigestStore(services.store)
    statuses = []
    for sub in digests.subscriptions():
        if now - last_occurrence(sub.schedule, now) <= timedelta(seconds=grace):
            statuses.append(run_or_enqueue(services, client_for, "channel", sub.team_id, sub.channel_id, now))
    for org in digests.orgs():
        if now - last_occurrence(org.schedule, now) <= timedelta(seconds=grace):
            statuses.append(run_or_enqueue(services, client_for, "org", org.team_id, str(org.id), now))
    return statuses


__all__ = ["JOBS_TABLE", "MAINTENANCE_EVERY", "MAINTENANCE_JOB_ID", "MISFIRE_GRACE", "QUEUED", "ClientFor",
           "DigestScheduler", "catch_up", "channel_digest_job", "channel_job_id", "digest_runner", "make_scheduler",
           "maintenance_job", "org_digest_job", "org_job_id", "run_digest_now", "run_or_enqueue", "sync_all",
           "trigger_for"]
