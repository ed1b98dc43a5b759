"""Running digests, exactly once: claim, read, build, post, record.

One run::

    claim (team, target, period start) in a transaction  -- a second claimant stops here
      -> read the period (history pages + conversations.replies for threads with new replies)
      -> build (bot.digests.build) -> render (bot.digests.render)
      -> post -> record status + permalink

Pacing is the shared rate limiter's (:mod:`bot.slack.ratelimit`), for every process together: history
pages and ``conversations.replies`` within the workspace's per-method budget (a few at once, waiting for
their slots), posts at ≤ 1 message per second per channel, and a 429 seen by one worker makes every
worker wait its ``Retry-After``. Two digest workers therefore share one budget instead of spending it twice.

A run that fails before posting is recorded ``failed`` and may be claimed again (the next scheduler
tick, a restart's catch-up, or ``/summarize digest run``); one that posted never runs twice.

Called by the scheduler's jobs (:mod:`bot.digests.scheduler`) and by ``/summarize digest run``
(:mod:`bot.digests.command`); the command line (:mod:`bot.digests.cli`) reads and builds with
:func:`build_for_channel` too.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as dtime
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.digests.build import ChannelDigest, batched_provider, build_channel_digest, build_org_digest
from bot.digests.render import Block, channel_blocks, fallback_text, org_blocks
from bot.digests.store import FAILED, POSTED, QUIET, SKIPPED, DigestStore, Schedule, org_target
from bot.errors import RecapError
from bot.llm.base import Provider
from bot.models import Message
from bot.periods import Window, days_before
from bot.services import Services
from bot.slack import writer
from bot.slack.client import paced
from bot.slack.reader import Reader
from bot.summaries.service import job_ref

logger = logging.getLogger(__name__)

POST_INTERVAL = 1.0  # PostPacer's default: seconds between two posts in one channel
READ_CONCURRENCY = 4  # channels read at once for an org digest
DUPLICATE = "duplicate"  # RunOutcome.status when another claimant holds the run


# ---------------------------------------------------------------------------------------- pacing


class PostPacer:
    """An extra, per-process spacing of posts: at most one message per ``interval`` seconds per channel.

    Not needed for Slack's limit: every post already waits for its channel's slot in the shared limiter
    (~1 ``chat.postMessage`` per second per channel across all processes,
    https://docs.slack.dev/apis/web-api/rate-limits). Kept for callers that want wider spacing.

    Args:
        interval: seconds between two posts in one channel (0 for tests).
        sleep, clock: ``time.sleep`` and ``time.monotonic`` (injectable for tests).
    """

    def __init__(self, interval: float = POST_INTERVAL, *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self._sleep, self._clock = sleep, clock
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}

    def wait(self, channel_id: str) -> None:
        """Block until a message may be posted in ``channel_id``, and take that slot."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(channel_id, now))
            self._next[channel_id] = slot + self.interval
        if slot > now:
            self._sleep(slot - now)


# ---------------------------------------------------------------------------------------- schedule


def last_occurrence(schedule: Schedule, now: datetime) -> datetime:
    """The latest scheduled time at or before ``now`` (aware, in the schedule's zone; DST-correct)."""
    zone = ZoneInfo(schedule.tz)
    local = now.astimezone(zone)
    day = local.date() - timedelta(days=(local.weekday() - schedule.weekday) % 7)
    when = datetime.combine(day, dtime(schedule.hour, schedule.minute), tzinfo=zone)
    if when > now:
        when = datetime.combine(day - timedelta(days=7), dtime(schedule.hour, schedule.minute), tzinfo=zone)
    return when


def next_occurrence(schedule: Schedule, now: datetime) -> datetime:
    """The first scheduled time after ``now`` (aware, in the schedule's zone)."""
    last = last_occurrence(schedule, now)
    return datetime.combine(last.date() + timedelta(days=7), dtime(schedule.hour, schedule.minute),
                            tzinfo=ZoneInfo(schedule.tz))


# ---------------------------------------------------------------------------------------- reading


def read_period(reader: Reader, channel_id: str, period: Window) -> list[Message]:
    """Messages of a period with threads active in it (the reader's ``history(include_replies=True)``).

    The Web API reader pages ``conversations.history`` and calls ``conversations.replies`` only for
    threads whose ``latest_reply`` falls in the period (see :class:`bot.slack.webapi.WebAPIReader`).

    Raises:
        BotNotInChannel, SlackReadError: from the reader.
    """
    return reader.history(channel_id, oldest=period.oldest_ts, latest=period.latest_ts, include_replies=True)


def build_for_channel(*, reader: Reader, provider: Provider | None, channel_id: str, channel_name: str,
                      period: Window, batch_deadline: float = 0.0) -> tuple[ChannelDigest, list[Message]]:
    """Read and build one channel's digest; returns it and the messages read.

    Args:
        batch_deadline: seconds a scheduled digest may wait for the provider's batch API (half the token
            price; :func:`bot.digests.build.batched_provider`); 0 calls the model directly (someone waits).

    Raises:
        BotNotInChannel, SlackReadError: from the reader.
    """
    messages = read_period(reader, channel_id, period)
    provider = batched_provider(provider, {channel_id: messages}, period=period, deadline=batch_deadline)
    digest = build_channel_digest(messages, channel_id=channel_id, channel_name=channel_name, period=period,
                                  provider=provider, permalink_for=reader.permalink)
    return digest, messages


# ---------------------------------------------------------------------------------------- runs


@dataclass(frozen=True)
class RunOutcome:
    """What one digest run did.

    Attributes:
        status: ``posted``, ``quiet`` (one-line post), ``skipped`` (quiet week, nothing posted),
            ``failed``, or ``duplicate`` (another claimant has it: nothing done).
        permalink: link to the post, when one was made.
        error: why it failed (or was skipped).
    """

    status: str
    permalink: str | None = None
    error: str | None = None


def _post(client: WebClient, *, channel_id: str, blocks: list[Block], text: str, pacer: PostPacer | None,
          oldest: str | None = None) -> str:
    """Post a digest once per job: a redelivered job finds its earlier post (message metadata) instead of
    posting twice (:func:`bot.slack.writer.post_once`)."""
    if pacer is not None:
        pacer.wait(channel_id)
    return str(writer.post_once(paced(client), channel_id=channel_id, thread_ts=None, text=text, blocks=blocks,
                                job=job_ref(), step="digest", oldest=oldest))


def run_channel_digest(
    *, services: Services, client: WebClient, team_id: str, channel_id: str, period: Window, quiet: str = "post",
    period_key: datetime | None = None, pacer: PostPacer | None = None, batch_deadline: float = 0.0,
) -> RunOutcome:
    """Claim, build and post one channel's digest for ``period``, exactly once.

    Args:
        services: the store, provider and ``reader_for``.
        client: the workspace's WebClient.
        team_id, channel_id: the target.
        period: the period to digest.
        quiet: ``"post"`` a one-line quiet-week message, or ``"skip"`` it.
        period_key: the claim key (defaults to ``period.oldest``).
        pacer: an extra per-process spacing of posts (the shared limiter already keeps Slack's pace).
        batch_deadline: see :func:`build_for_channel` (scheduled runs only).

    Returns:
        A :class:`RunOutcome`; ``duplicate`` when another run holds the claim. Never raises for Slack
        or model failures: they are recorded as ``failed`` (and may be retried).
    """
    store = DigestStore(services.store)
    run_id = store.claim_run(team_id=team_id, target_id=channel_id, period_start=period_key or period.oldest)
    if run_id is None:
        return RunOutcome(DUPLICATE)
    try:
        reader = services.reader_for(client)
        channel = reader.channel(channel_id)
        digest, _ = build_for_channel(reader=reader, provider=services.provider, channel_id=channel_id,
                                      channel_name=channel.name, period=period, batch_deadline=batch_deadline)
        if digest.quiet and quiet == "skip":
            store.finish_run(run_id, status=SKIPPED, channel_id=channel_id)
            return RunOutcome(SKIPPED)
        ts = _post(client, channel_id=channel_id, blocks=channel_blocks(digest), text=fallback_text(digest),
                   pacer=pacer)
    except Exception as exc:  # noqa: BLE001 - recorded, retried later; never escapes the scheduler
        logger.exception("digest of %s/%s for %s failed", team_id, channel_id, period.label)
        store.finish_run(run_id, status=FAILED, channel_id=channel_id, error=_reason(exc))
        return RunOutcome(FAILED, error=_reason(exc))
    permalink = _permalink(reader, channel_id, ts)
    status = QUIET if digest.quiet else POSTED
    store.finish_run(run_id, status=status, channel_id=channel_id, message_ts=ts, permalink=permalink)
    return RunOutcome(status, permalink=permalink)


def run_org_digest(
    *, services: Services, client: WebClient, team_id: str, org_id: int, period: Window, pacer: PostPacer | None = None,
    batch_deadline: float = 0.0,
) -> RunOutcome:
    """Claim, check the audience, build and post an org digest for ``period``, exactly once.

    The audience rule is checked again at run time (channels change): every source must be readable by
    everyone in the destination (:meth:`bot.access.AccessChecker.check_share`); otherwise the run is
    recorded ``failed`` with the reason and nothing is posted.

    Returns:
        A :class:`RunOutcome` (``skipped`` when the org digest no longer exists). Never raises for
        Slack or model failures: they are recorded as ``failed``.
    """
    store = DigestStore(services.store)
    org = store.org(team_id=team_id, org_id=org_id)
    if org is None:
        return RunOutcome(SKIPPED, error="no such org digest")
    run_id = store.claim_run(team_id=team_id, target_id=org_target(org_id), period_start=period.oldest)
    if run_id is None:
        return RunOutcome(DUPLICATE)
    try:
        access = services.access_for(client)
        access.check_shares(source_ids=org.source_ids, destination_id=org.destination_id)
        reader = services.reader_for(client)
        names = {source: reader.channel(source).name for source in org.source_ids}
        with ThreadPoolExecutor(max_workers=READ_CONCURRENCY, thread_name_prefix="digest-read") as pool:
            read = list(pool.map(lambda s: read_period(reader, s, period), org.source_ids))
        provider = batched_provider(services.provider, dict(zip(org.source_ids, read, strict=True)), period=period,
                                    deadline=batch_deadline)
        channels = [build_channel_digest(msgs, channel_id=s, channel_name=names[s], period=period,
                                         provider=provider, permalink_for=reader.permalink)
                    for s, msgs in zip(org.source_ids, read, strict=True)]
        digest = build_org_digest(channels, period=period, human_messages=[m for ms in read for m in ms],
                                  provider=provider)
        ts = _post(client, channel_id=org.destination_id, blocks=org_blocks(digest),
                   text=fallback_text(digest), pacer=pacer)
    except Exception as exc:  # noqa: BLE001 - recorded, never escapes the scheduler
        logger.exception("org digest %s/%s failed", team_id, org_id)
        store.finish_run(run_id, status=FAILED, channel_id=org.destination_id, error=_reason(exc))
        return RunOutcome(FAILED, error=_reason(exc))
    permalink = _permalink(reader, org.destination_id, ts)
    store.finish_run(run_id, status=POSTED, channel_id=org.destination_id, message_ts=ts, permalink=permalink)
    return RunOutcome(POSTED, permalink=permalink)


def run_subscription(*, services: Services, client: WebClient, team_id: str, channel_id: str,
                     now: datetime) -> RunOutcome:
    """Run a channel's subscription for its latest occurrence at or before ``now`` (the scheduler's job):
    the 7 local days before that occurrence's day. ``skipped`` when the channel is not subscribed."""
    sub = DigestStore(services.store).subscription(team_id=team_id, channel_id=channel_id)
    if sub is None:
        return RunOutcome(SKIPPED, error="not subscribed")
    period = days_before(last_occurrence(sub.schedule, now), sub.schedule.tz)
    return run_channel_digest(services=services, client=client, team_id=team_id, channel_id=channel_id,
                              period=period, quiet=sub.quiet, batch_deadline=services.settings.llm_batch_deadline)


def run_org_subscription(*, services: Services, client: WebClient, team_id: str, org_id: int,
                         now: datetime) -> RunOutcome:
    """Run an org digest for its latest occurrence at or before ``now`` (the scheduler's job).
    ``skipped`` when the org digest no longer exists."""
    org = DigestStore(services.store).org(team_id=team_id, org_id=org_id)
    if org is None:
        return RunOutcome(SKIPPED, error="no such org digest")
    period = days_before(last_occurrence(org.schedule, now), org.schedule.tz)
    return run_org_digest(services=services, client=client, team_id=team_id, org_id=org_id, period=period,
                          batch_deadline=services.settings.llm_batch_deadline)


def _reason(exc: Exception) -> str:
    return exc.user_message if isinstance(exc, RecapError) else f"{type(exc).__name__}: {exc}"[:500]


def _permalink(reader: Reader, channel_id: str, ts: str) -> str | None:
    try:
        return reader.permalink(channel_id, ts)
    except Exception:  # noqa: BLE001 - a missing link must not fail a posted digest
        logger.warning("no permalink for %s/%s", channel_id, ts)
        return None


__all__ = [
    "DUPLICATE",
    "READ_CONCURRENCY",
    "PostPacer",
    "RunOutcome",
    "build_for_channel",
    "last_occurrence",
    "next_occurrence",
    "read_period",
    "run_channel_digest",
    "run_org_digest",
    "run_org_subscription",
    "run_subscription",
]
