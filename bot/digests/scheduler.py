"""The digest scheduler: APScheduler 3.11 with its SQLAlchemy job store in Recap's own database.

* **Jobs** are module-level functions referenced by path (``bot.digests.scheduler:channel_digest_job``,
  ``bot.digests.scheduler:org_digest_job``) with JSON-able arguments (``team_id``, ``channel_id``/``org_id``), so
  the SQLAlchemy job store can persist them. Job IDs are ``digest:<team>:<channel>`` and
  ``org:<team>:<id>``.
* **Triggers** are ``CronTrigger(day_of_week, hour, minute, timezone=ZoneInfo(zone))``: 09:00 Monday in
  the subscription's zone, across DST changes.
* **Downtime**: the job store keeps each job's ``next_run_time``. When the app comes back after it,
  APScheduler runs the job once (``coalesce=True`` folds several missed runs into one) if it is late by
  at most :data:`MISFIRE_GRACE` seconds (12 hours: a Monday 09:00 digest still goes out by 21:00;
  later than that it would be stale and is skipped with a warning log). :func:`catch_up` does the same
  from the subscriptions table at start-up, so a lost job store never skips a digest silently.
* **Exactly once** does not rely on APScheduler: its FAQ warns that a job store shared by several
  processes can fire a job in each. Every run first claims ``(team, target, period start)`` in
  ``recap_digest_runs`` (:meth:`bot.digests.store.DigestStore.claim_run`); the losers do nothing.

``start_scheduler(services, client_for)`` is called by ``recap run``; nothing starts at import.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from slack_sdk import WebClient

from bot.digests.store import DigestStore, Schedule

logger = logging.getLogger(__name__)

MISFIRE_GRACE = 12 * 3600  # seconds a missed run may be late and still run once
JOBS_TABLE = "recap_apscheduler_jobs"
_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

ClientFor = Callable[[str], WebClient]


class _Runtime:
    """What job functions need, set by :func:`start_scheduler` (job functions take only JSON-able args)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.services: Any = None
        self.client_for: ClientFor | None = None
        self.scheduler: BackgroundScheduler | None = None


_RUNTIME = _Runtime()


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
    """A (not started) BackgroundScheduler whose jobs persist in ``database_url``.

    Job defaults: ``coalesce=True``, ``misfire_grace_time=MISFIRE_GRACE``, ``max_instances=1``.
    """
    from bot.storage.store import make_engine

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


# ---------------------------------------------------------------------------------------- jobs


def _context() -> tuple[Any, ClientFor]:
    if _RUNTIME.services is None or _RUNTIME.client_for is None:
        raise RuntimeError("the digest scheduler runtime is not set: call start_scheduler() first")
    return _RUNTIME.services, _RUNTIME.client_for


def channel_digest_job(team_id: str, channel_id: str) -> str:
    """Job: post a channel's digest for its latest scheduled occurrence (idempotent). Returns the status."""
    from bot.digests.service import run_subscription

    services, client_for = _context()
    outcome = run_subscription(services=services, client=client_for(team_id), team_id=team_id,
                               channel_id=channel_id, now=services.clock())
    logger.info("digest %s/%s: %s", team_id, channel_id, outcome.status)
    return outcome.status


def org_digest_job(team_id: str, org_id: int) -> str:
    """Job: post an org digest for its latest scheduled occurrence (idempotent). Returns the status."""
    from bot.digests.service import run_org_subscription

    services, client_for = _context()
    outcome = run_org_subscription(services=services, client=client_for(team_id), team_id=team_id,
                                   org_id=int(org_id), now=services.clock())
    logger.info("org digest %s/%s: %s", team_id, org_id, outcome.status)
    return outcome.status


# ---------------------------------------------------------------------------------------- sync


def _ensure(scheduler: BackgroundScheduler, *, job_id: str, func: str, args: list, trigger: CronTrigger) -> None:
    """Add the job, or keep the stored one when its trigger is unchanged (so a missed run survives)."""
    existing = scheduler.get_job(job_id)
    if existing is not None and str(existing.trigger) == str(trigger):
        return
    scheduler.add_job(func, trigger=trigger, args=args, id=job_id, replace_existing=True)


def _sync(scheduler: BackgroundScheduler, *, job_id: str, func: str, args: list, schedule: Schedule | None) -> None:
    """Add, reschedule or (``schedule`` None) remove one job."""
    if schedule is None:
        try:
            scheduler.remove_job(job_id)
        except JobLookupError:
            pass
        return
    _ensure(scheduler, job_id=job_id, func=func, args=args, trigger=trigger_for(schedule))


def sync_channel_job(*, team_id: str, channel_id: str, scheduler: BackgroundScheduler | None = None) -> None:
    """Make the scheduler's job match the subscription (added, rescheduled or removed); no-op when not running."""
    scheduler = scheduler or _RUNTIME.scheduler
    if scheduler is None or _RUNTIME.services is None:
        return
    sub = DigestStore(_RUNTIME.services.store).subscription(team_id=team_id, channel_id=channel_id)
    _sync(scheduler, job_id=channel_job_id(team_id, channel_id), func="bot.digests.scheduler:channel_digest_job",
          args=[team_id, channel_id], schedule=sub.schedule if sub else None)


def sync_org_job(*, team_id: str, org_id: int, scheduler: BackgroundScheduler | None = None) -> None:
    """Like :func:`sync_channel_job` for an org digest."""
    scheduler = scheduler or _RUNTIME.scheduler
    if scheduler is None or _RUNTIME.services is None:
        return
    org = DigestStore(_RUNTIME.services.store).org(team_id=team_id, org_id=org_id)
    _sync(scheduler, job_id=org_job_id(team_id, org_id), func="bot.digests.scheduler:org_digest_job",
          args=[team_id, org_id], schedule=org.schedule if org else None)


def sync_all(scheduler: BackgroundScheduler, services: Any) -> int:
    """Make the job store match every subscription and org digest; returns the number of jobs."""
    store = DigestStore(services.store)
    wanted: set[str] = set()
    for sub in store.subscriptions():
        sync_channel_job(team_id=sub.team_id, channel_id=sub.channel_id, scheduler=scheduler)
        wanted.add(channel_job_id(sub.team_id, sub.channel_id))
    for org in store.orgs():
        sync_org_job(team_id=org.team_id, org_id=org.id, scheduler=scheduler)
        wanted.add(org_job_id(org.team_id, org.id))
    for job in scheduler.get_jobs():
        if job.id.startswith(("digest:", "org:")) and job.id not in wanted:
            scheduler.remove_job(job.id)
    return len(wanted)


def catch_up(services: Any, client_for: ClientFor, *, now: datetime | None = None,
             grace: float = MISFIRE_GRACE) -> list[str]:
    """Run every digest whose latest occurrence is within ``grace`` seconds before ``now`` and not yet claimed.

    Runs are claimed like any other, so this never double-posts alongside APScheduler's own misfire
    handling. Returns the statuses of the runs attempted.
    """
    from bot.digests.service import last_occurrence, run_org_subscription, run_subscription

    now = now or services.clock()
    store = DigestStore(services.store)
    statuses = []
    for sub in store.subscriptions():
        if now - last_occurrence(sub.schedule, now) <= timedelta(seconds=grace):
            statuses.append(run_subscription(services=services, client=client_for(sub.team_id), team_id=sub.team_id,
                                             channel_id=sub.channel_id, now=now).status)
    for org in store.orgs():
        if now - last_occurrence(org.schedule, now) <= timedelta(seconds=grace):
            statuses.append(run_org_subscription(services=services, client=client_for(org.team_id),
                                                 team_id=org.team_id, org_id=org.id, now=now).status)
    return statuses


MAINTENANCE_EVERY = 600  # seconds between maintenance runs


def maintenance_job() -> dict[str, int]:
    """Every :data:`MAINTENANCE_EVERY` seconds in the scheduler process:

    * re-sync the job store with the subscriptions table, so subscriptions changed by other processes
      (HTTP workers answering ``/summarize digest on``) are scheduled;
    * :func:`catch_up`: a digest that failed, or was missed, within the grace window is retried (runs
      already posted are skipped by their claim);
    * retention: processed events older than 2 days and pending shares older than 24 hours are deleted.

    Returns counts for the log.
    """
    services, client_for = _context()
    counts = {"jobs": 0, "digest_runs": 0, "events_pruned": 0, "shares_pruned": 0}
    if _RUNTIME.scheduler is not None:
        counts["jobs"] = sync_all(_RUNTIME.scheduler, services)
    counts["digest_runs"] = sum(1 for status in catch_up(services, client_for) if status == "posted")
    counts["events_pruned"] = services.store.prune_events()
    counts["shares_pruned"] = services.store.prune_shares()
    logger.info("maintenance: %s", counts)
    return counts


def start_scheduler(services: Any, client_for: ClientFor, *, run_catch_up: bool = True) -> BackgroundScheduler:
    """Start the digest scheduler for this process (``recap run`` calls it once).

    Args:
        services: :class:`bot.summaries.service.Services` (``settings.database_url``, store, provider, clock).
        client_for: ``team_id -> WebClient`` for the workspace (bot token).
        run_catch_up: also run :func:`catch_up` (in the scheduler's thread pool) after starting.

    Returns:
        The running scheduler; stop it with ``scheduler.shutdown()``.
    """
    with _RUNTIME.lock:
        _RUNTIME.services, _RUNTIME.client_for = services, client_for
        scheduler = make_scheduler(services.settings.database_url, timezone=services.settings.workspace_tz)
        scheduler.start(paused=True)
        _RUNTIME.scheduler = scheduler
    count = sync_all(scheduler, services)
    scheduler.add_job("bot.digests.scheduler:maintenance_job", IntervalTrigger(seconds=MAINTENANCE_EVERY),
                      id="recap:maintenance", replace_existing=True, coalesce=True, max_instances=1)
    scheduler.resume()
    logger.info("digest scheduler started with %d job(s)", count)
    if run_catch_up:
        threading.Thread(target=_safe_catch_up, args=(services, client_for), daemon=True,
                         name="digest-catch-up").start()
    return scheduler


def _safe_catch_up(services: Any, client_for: ClientFor) -> None:
    try:
        catch_up(services, client_for)
    except Exception:  # noqa: BLE001 - logged; the scheduler keeps running
        logger.exception("digest catch-up failed")


def stop_scheduler(*, wait: bool = True) -> None:
    """Shut down the process's digest scheduler, if started."""
    with _RUNTIME.lock:
        scheduler, _RUNTIME.scheduler = _RUNTIME.scheduler, None
    if scheduler is not None:
        scheduler.shutdown(wait=wait)


__all__ = [
    "JOBS_TABLE",
    "MISFIRE_GRACE",
    "catch_up",
    "channel_digest_job",
    "channel_job_id",
    "make_scheduler",
    "org_digest_job",
    "org_job_id",
    "start_scheduler",
    "stop_scheduler",
    "sync_all",
    "sync_channel_job",
    "sync_org_job",
    "trigger_for",
]
