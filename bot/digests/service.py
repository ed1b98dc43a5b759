"""Running digests (claim, read, build, post, record) and the ``/summarize digest …`` subcommand.

One run, exactly once::

    claim (team, target, period start) in a transaction  -- a second claimant stops here
      -> read the period (history pages + conversations.replies for threads with new replies)
      -> build (bot.digests.build) -> post (≤ 1 message per second per channel) -> record status + permalink

A run that fails before posting is recorded ``failed`` and may be claimed again (the next scheduler
tick, a restart's catch-up, or ``/summarize digest run``); one that posted never runs twice.

Subcommand grammar (``args`` are the words after ``/summarize digest``)::

    on [weekday] [HH:MM] [Area/City] [quiet=post|skip]   subscribe this channel (default: monday 09:00,
                                                         the workspace zone, one-line quiet-week post)
    off | status | list
    org #a #b #c to #announcements [weekday] [HH:MM] [Area/City]
    run            asks for confirmation;  run confirm   posts this channel's digest of the last 7 days now
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as dtime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import strings
from bot.digests import build as dg
from bot.digests.store import FAILED, POSTED, QUIET, SKIPPED, DigestStore, Schedule, org_target
from bot.errors import InputError, RecapError, SlackAccessError
from bot.models import Message
from bot.slack.reader import Reader

logger = logging.getLogger(__name__)

POST_INTERVAL = 1.0  # seconds between two posts in one channel (Slack: 1 message/second/channel)
READ_CONCURRENCY = 4  # channels read at once for an org digest
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_WEEKDAY, DEFAULT_HOUR, DEFAULT_MINUTE = 0, 9, 0
ORG_WEEKDAY, ORG_HOUR = 4, 16

_CHANNEL = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$")
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?$")


# ---------------------------------------------------------------------------------------- pacing


class PostPacer:
    """At most one message per ``interval`` seconds per channel, across threads of one process.

    Slack allows about one ``chat.postMessage`` per second per channel (short bursts tolerated;
    https://docs.slack.dev/apis/web-api/rate-limits). :meth:`wait` sleeps until the channel's next slot.
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


PACER = PostPacer()


class MethodPacer:
    """Client-side pacing of Web API methods: at most ``limit`` calls per method in any ``window`` seconds.

    Slack's Tier 3 (``conversations.history``, ``conversations.replies``) allows about 50 calls per
    minute per workspace (https://docs.slack.dev/apis/web-api/rate-limits). Waiting for a slot before
    calling, instead of calling and being answered 429 + ``Retry-After`` (whole seconds), keeps a
    large read close to the rate-limit lower bound. 429s that still happen (other processes sharing
    the limit) are retried by slack_sdk's ``RateLimitErrorRetryHandler``.

    Args:
        limits: ``{method: calls per window}``.
        window: seconds (60 for Slack; a test server with scaled time uses less).
    """

    def __init__(self, limits: dict[str, int], *, window: float = 60.0,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self.limits, self.window = dict(limits), window
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._hits: dict[str, list[float]] = {m: [] for m in limits}

    def wait(self, method: str) -> None:
        """Block until ``method`` may be called, and record the call."""
        limit = self.limits.get(method)
        if limit is None:
            return
        while True:
            with self._lock:
                now = self._clock()
                hits = [t for t in self._hits[method] if now - t < self.window]
                if len(hits) < limit:
                    hits.append(now)
                    self._hits[method] = hits
                    return
                delay = hits[0] + self.window - now
                self._hits[method] = hits
            self._sleep(max(delay, 0.001))

    def wrap(self, client: WebClient) -> WebClient:
        """A shallow copy of ``client`` whose every call waits for its method's slot."""
        import copy

        paced = copy.copy(client)
        call = client.api_call

        def api_call(api_method: str, *args: Any, **kwargs: Any) -> Any:
            self.wait(api_method)
            return call(api_method, *args, **kwargs)

        paced.api_call = api_call  # type: ignore[method-assign]
        return paced


TIER3_READS = {"conversations.history": 50, "conversations.replies": 50}


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
    """The first scheduled time after ``now``."""
    last = last_occurrence(schedule, now)
    return datetime.combine(last.date() + timedelta(days=7), dtime(schedule.hour, schedule.minute),
                            tzinfo=ZoneInfo(schedule.tz))


def describe(schedule: Schedule) -> str:
    """``"Mondays at 09:00 (Europe/Berlin)"``."""
    return f"{WEEKDAYS[schedule.weekday].capitalize()}s at {schedule.hour:02d}:{schedule.minute:02d} ({schedule.tz})"


# ---------------------------------------------------------------------------------------- reading


def read_period(reader: Reader, channel_id: str, period: dg.Period) -> list[Message]:
    """Messages of a period with threads active in it (the reader's ``history(include_replies=True)``).

    The Web API reader pages ``conversations.history`` and calls ``conversations.replies`` only for
    threads whose ``latest_reply`` falls in the period (see :class:`bot.slack.webapi.WebAPIReader`).

    Raises:
        BotNotInChannel, SlackReadError: from the reader.
    """
    return reader.history(channel_id, oldest=period.oldest, latest=period.latest, include_replies=True)


def build_for_channel(*, reader: Reader, provider: Any, channel_id: str, channel_name: str,
                      period: dg.Period) -> tuple[dg.ChannelDigest, list[Message]]:
    """Read and build one channel's digest; returns it and the messages read."""
    messages = read_period(reader, channel_id, period)
    digest = dg.build_channel_digest(messages, channel_id=channel_id, channel_name=channel_name, period=period,
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
        error: why it failed.
    """

    status: str
    permalink: str | None = None
    error: str | None = None


def _post(client: WebClient, *, channel_id: str, blocks: list[dict], text: str, pacer: PostPacer) -> str:
    pacer.wait(channel_id)
    response = client.chat_postMessage(channel=channel_id, text=text, blocks=blocks, unfurl_links=False,
                                       unfurl_media=False)
    return str(response["ts"])


def run_channel_digest(
    *, services: Any, client: WebClient, team_id: str, channel_id: str, period: dg.Period, quiet: str = "post",
    period_key: datetime | None = None, pacer: PostPacer = PACER,
) -> RunOutcome:
    """Claim, build and post one channel's digest for ``period``, exactly once.

    Args:
        services: :class:`bot.summaries.service.Services` (store, provider, ``reader_for``).
        client: the workspace's WebClient.
        team_id, channel_id: the target.
        period: the period to digest.
        quiet: ``"post"`` a one-line quiet-week message, or ``"skip"`` it.
        period_key: the claim key (defaults to ``period.start``).
        pacer: posting pace (1 message/second/channel).

    Returns:
        A :class:`RunOutcome`; ``duplicate`` when another run holds the claim. Never raises for Slack
        or model failures: they are recorded as ``failed`` (and may be retried).
    """
    store = DigestStore(services.store)
    run_id = store.claim_run(team_id=team_id, target_id=channel_id, period_start=period_key or period.start)
    if run_id is None:
        return RunOutcome("duplicate")
    try:
        reader = services.reader_for(client)
        channel = reader.channel(channel_id)
        digest, _ = build_for_channel(reader=reader, provider=services.provider, channel_id=channel_id,
                                      channel_name=channel.name, period=period)
        if digest.quiet and quiet == "skip":
            store.finish_run(run_id, status=SKIPPED, channel_id=channel_id)
            return RunOutcome(SKIPPED)
        ts = _post(client, channel_id=channel_id, blocks=dg.channel_blocks(digest), text=dg.fallback_text(digest),
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
    *, services: Any, client: WebClient, team_id: str, org_id: int, period: dg.Period, pacer: PostPacer = PACER,
) -> RunOutcome:
    """Claim, check the audience, build and post an org digest for ``period``, exactly once.

    The audience rule is checked again at run time (channels change): every source must be readable by
    everyone in the destination (:meth:`bot.access.AccessChecker.check_share`); otherwise the run is
    recorded ``failed`` with the reason and nothing is posted.
    """
    store = DigestStore(services.store)
    org = store.org(team_id=team_id, org_id=org_id)
    if org is None:
        return RunOutcome(SKIPPED, error="no such org digest")
    run_id = store.claim_run(team_id=team_id, target_id=org_target(org_id), period_start=period.start)
    if run_id is None:
        return RunOutcome("duplicate")
    try:
        access = services.access_for(client)
        for source in org.source_ids:
            access.check_share(source_id=source, destination_id=org.destination_id)
        reader = services.reader_for(client)
        names = {source: reader.channel(source).name for source in org.source_ids}
        with ThreadPoolExecutor(max_workers=READ_CONCURRENCY, thread_name_prefix="digest-read") as pool:
            read = list(pool.map(lambda s: read_period(reader, s, period), org.source_ids))
        channels = [dg.build_channel_digest(msgs, channel_id=s, channel_name=names[s], period=period,
                                            provider=services.provider, permalink_for=reader.permalink)
                    for s, msgs in zip(org.source_ids, read, strict=True)]
        digest = dg.build_org_digest(channels, period=period, human_messages=[m for ms in read for m in ms],
                                     provider=services.provider)
        ts = _post(client, channel_id=org.destination_id, blocks=dg.org_blocks(digest),
                   text=dg.fallback_text(digest), pacer=pacer)
    except Exception as exc:  # noqa: BLE001 - recorded, never escapes the scheduler
        logger.exception("org digest %s/%s failed", team_id, org_id)
        store.finish_run(run_id, status=FAILED, channel_id=org.destination_id, error=_reason(exc))
        return RunOutcome(FAILED, error=_reason(exc))
    permalink = _permalink(reader, org.destination_id, ts)
    store.finish_run(run_id, status=POSTED, channel_id=org.destination_id, message_ts=ts, permalink=permalink)
    return RunOutcome(POSTED, permalink=permalink)


def run_subscription(*, services: Any, client: WebClient, team_id: str, channel_id: str,
                     now: datetime) -> RunOutcome:
    """Run a channel's subscription for its latest occurrence at or before ``now`` (the scheduler's job)."""
    sub = DigestStore(services.store).subscription(team_id=team_id, channel_id=channel_id)
    if sub is None:
        return RunOutcome(SKIPPED, error="not subscribed")
    occurrence = last_occurrence(sub.schedule, now)
    period = dg.period_before(occurrence, sub.schedule.tz)
    return run_channel_digest(services=services, client=client, team_id=team_id, channel_id=channel_id,
                              period=period, quiet=sub.quiet)


def run_org_subscription(*, services: Any, client: WebClient, team_id: str, org_id: int,
                         now: datetime) -> RunOutcome:
    """Run an org digest for its latest occurrence at or before ``now`` (the scheduler's job)."""
    org = DigestStore(services.store).org(team_id=team_id, org_id=org_id)
    if org is None:
        return RunOutcome(SKIPPED, error="no such org digest")
    period = dg.period_before(last_occurrence(org.schedule, now), org.schedule.tz)
    return run_org_digest(services=services, client=client, team_id=team_id, org_id=org_id, period=period)


def _reason(exc: Exception) -> str:
    return exc.user_message if isinstance(exc, RecapError) else f"{type(exc).__name__}: {exc}"[:500]


def _permalink(reader: Any, channel_id: str, ts: str) -> str | None:
    try:
        return reader.permalink(channel_id, ts)
    except Exception:  # noqa: BLE001 - a missing link must not fail a posted digest
        logger.warning("no permalink for %s/%s", channel_id, ts)
        return None


# ---------------------------------------------------------------------------------------- /summarize digest


def parse_schedule(words: Sequence[str], *, default: Schedule) -> tuple[Schedule, str]:
    """Parse ``[weekday] [HH:MM] [Area/City] [quiet=post|skip]``.

    Returns:
        The schedule and the quiet mode (``"post"`` or ``"skip"``).

    Raises:
        InputError: an unknown word, time or zone.
    """
    weekday, hour, minute, tz, quiet = default.weekday, default.hour, default.minute, default.tz, "post"
    for word in words:
        lowered = word.lower()
        day = next((i for i, name in enumerate(WEEKDAYS) if len(lowered) >= 3 and name.startswith(lowered)), None)
        match = _TIME.match(lowered)
        if day is not None:
            weekday = day
        elif match and int(match.group(1)) < 24 and int(match.group(2) or 0) < 60:
            hour, minute = int(match.group(1)), int(match.group(2) or 0)
        elif lowered.startswith("quiet="):
            quiet = lowered.split("=", 1)[1]
            if quiet not in ("post", "skip"):
                raise InputError(f"bad quiet mode {word}", user_message="Use `quiet=post` or `quiet=skip`.")
        elif "/" in word or word.upper() == "UTC":
            try:
                ZoneInfo(word)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise InputError(f"unknown zone {word}", user_message=(
                    f"I don't know the time zone `{word}`. Use an IANA name like `Europe/Berlin`.")) from exc
            tz = word
        else:
            raise InputError(f"unknown word {word}", user_message=(
                f"I didn't understand `{word}`. Try `/summarize digest on friday 16:00 Europe/Berlin`."))
    return Schedule(weekday, hour, minute, tz), quiet


def _channel_id(word: str) -> str:
    match = _CHANNEL.match(word)
    if not match:
        raise InputError(f"not a channel: {word}", user_message=(
            f"`{word}` isn't a channel I can use. Pick channels from the list Slack offers as you type `#`."))
    return match.group(1)


def _is_admin(client: WebClient, user_id: str) -> bool:
    try:
        user = client.users_info(user=user_id).get("user") or {}
    except SlackApiError:
        return False
    return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))


def _say(respond: Callable[..., Any], text: str) -> None:
    respond(text=text, response_type="ephemeral")


def handle_digest_command(
    *, services: Any, client: WebClient, respond: Callable[..., Any], team_id: str, channel_id: str, user_id: str,
    args: Sequence[str],
) -> None:
    """``/summarize digest on|off|status|org|run|list``: answered privately through ``respond``.

    Never raises: input and access problems are answered with their ``user_message``; anything else
    with a generic apology (and logged).
    """
    try:
        _dispatch(services=services, client=client, respond=respond, team_id=team_id, channel_id=channel_id,
                  user_id=user_id, args=list(args))
    except RecapError as exc:
        logger.info("/summarize digest by %s: %s", user_id, exc)
        _say(respond, exc.user_message)
    except Exception:
        logger.exception("/summarize digest by %s failed", user_id)
        _say(respond, strings.GENERIC_ERROR)


DIGEST_USAGE = (
    "*Weekly digests*\n"
    "• `/summarize digest on` — this channel every Monday 09:00 (`on friday 16:00 Europe/Berlin`, "
    "`quiet=skip` to post nothing in a quiet week)\n"
    "• `/summarize digest off` · `status` · `list` (admins)\n"
    "• `/summarize digest org #a #b #c to #announcements` — a Friday digest of several channels "
    "(`org off 3` to stop org digest #3)\n"
    "• `/summarize digest run` — post this channel's digest now (admins; asks to confirm)"
)


def _dispatch(*, services: Any, client: WebClient, respond: Callable[..., Any], team_id: str, channel_id: str,
              user_id: str, args: list[str]) -> None:
    store = DigestStore(services.store)
    verb = args[0].lower() if args else "status"
    rest = args[1:]
    zone = services.settings.workspace_tz
    now = services.clock()
    if verb == "on":
        access = services.access_for(client)
        access.check_read(user_id=user_id, channel_id=channel_id)  # BotNotInChannel says how to invite
        schedule, quiet = parse_schedule(rest, default=Schedule(DEFAULT_WEEKDAY, DEFAULT_HOUR, DEFAULT_MINUTE, zone))
        store.subscribe(team_id=team_id, channel_id=channel_id, schedule=schedule, quiet=quiet, created_by=user_id)
        _sync_job(team_id=team_id, channel_id=channel_id)
        when = next_occurrence(schedule, now)
        quiet_text = "a one-line note" if quiet == "post" else "nothing"
        _say(respond, f":calendar: <#{channel_id}> will get a weekly digest {describe(schedule)}. "
                      f"First one: {when:%a %-d %b %H:%M %Z}. In a quiet week I'll post {quiet_text}.")
    elif verb == "off":
        removed = store.unsubscribe(team_id=team_id, channel_id=channel_id)
        _sync_job(team_id=team_id, channel_id=channel_id)
        _say(respond, f"Weekly digest of <#{channel_id}> turned off." if removed
             else f"<#{channel_id}> has no weekly digest.")
    elif verb == "status":
        sub = store.subscription(team_id=team_id, channel_id=channel_id)
        if sub is None:
            _say(respond, f"<#{channel_id}> has no weekly digest. Turn it on with `/summarize digest on`.")
            return
        lines = [f"Weekly digest of <#{channel_id}>: {describe(sub.schedule)}.",
                 f"Next run: {next_occurrence(sub.schedule, now):%a %-d %b %H:%M %Z}."]
        last = store.last_run(team_id=team_id, target_id=channel_id)
        if last is not None:
            link = f" <{last.permalink}|see the post>" if last.permalink else ""
            lines.append(f"Last run: {last.status} for the week starting {last.period_start:%-d %b %Y}.{link}")
        _say(respond, "\n".join(lines))
    elif verb == "org":
        _org_command(services=services, client=client, respond=respond, team_id=team_id, user_id=user_id,
                     args=rest, store=store)
    elif verb == "list":
        if not _is_admin(client, user_id):
            raise SlackAccessError("not an admin", user_message="Only workspace admins can list every digest.")
        subs = store.subscriptions(team_id=team_id)
        orgs = store.orgs(team_id=team_id)
        lines = [f"• <#{s.channel_id}> — {describe(s.schedule)}" for s in subs]
        lines += [f"• org #{o.id}: {' '.join(f'<#{c}>' for c in o.source_ids)} → <#{o.destination_id}> — "
                  f"{describe(o.schedule)}" for o in orgs]
        _say(respond, "*Digests in this workspace*\n" + ("\n".join(lines) if lines else "none yet"))
    elif verb == "run":
        if not _is_admin(client, user_id):
            raise SlackAccessError("not an admin", user_message="Only workspace admins can run a digest now.")
        sub = store.subscription(team_id=team_id, channel_id=channel_id)
        period = dg.days_period((now.astimezone(ZoneInfo(zone)) - timedelta(days=7)).date(),
                                now.astimezone(ZoneInfo(zone)).date() + timedelta(days=1), zone)
        if not rest or rest[0].lower() != "confirm":
            _say(respond, f"This posts the digest of <#{channel_id}> for {period.label} in the channel, for "
                          "everyone. Type `/summarize digest run confirm` to go ahead.")
            return
        key = now.replace(second=0, microsecond=0)  # a double submit within a minute posts once
        outcome = run_channel_digest(services=services, client=client, team_id=team_id, channel_id=channel_id,
                                     period=period, quiet=sub.quiet if sub else "post", period_key=key)
        _say(respond, _outcome_text(outcome))
    else:
        _say(respond, DIGEST_USAGE)


def _outcome_text(outcome: RunOutcome) -> str:
    if outcome.status in (POSTED, QUIET):
        return f"Posted: {outcome.permalink or 'done'}"
    if outcome.status == "duplicate":
        return "That digest is already being posted."
    if outcome.status == SKIPPED:
        return "A quiet week: nothing posted (this channel's digest skips quiet weeks)."
    return f"The digest failed: {outcome.error}"


def _org_command(*, services: Any, client: WebClient, respond: Callable[..., Any], team_id: str, user_id: str,
                 args: list[str], store: DigestStore) -> None:
    lowered = [a.lower() for a in args]
    if lowered[:1] == ["off"]:
        number = args[1].lstrip("#") if len(args) > 1 else ""
        if not number.isdigit():
            raise InputError("org off without a number", user_message=(
                "Say which one: `/summarize digest org off 3` (the number is in its confirmation and in "
                "`/summarize digest list`)."))
        org = store.org(team_id=team_id, org_id=int(number))
        if org is None:
            raise InputError(f"no org digest {number}", user_message=f"There is no org digest #{number}.")
        if org.created_by != user_id and not _is_admin(client, user_id):
            raise SlackAccessError("not the org digest's creator", user_message=(
                f"Only the person who set up org digest #{number}, or a workspace admin, can turn it off."))
        store.remove_org(team_id=team_id, org_id=int(number))
        _sync_org_job(team_id=team_id, org_id=int(number))
        _say(respond, f"Org digest #{number} turned off.")
        return
    if "to" not in lowered:
        raise InputError("org without 'to'", user_message=(
            "Say where to post it: `/summarize digest org #a #b #c to #announcements`."))
    cut = lowered.index("to")
    sources = [_channel_id(w) for w in args[:cut]]
    if not sources or cut + 1 >= len(args):
        raise InputError("org without channels", user_message=(
            "Name the channels and the destination: `/summarize digest org #a #b to #announcements`."))
    destination = _channel_id(args[cut + 1])
    zone = services.settings.workspace_tz
    schedule, _ = parse_schedule(args[cut + 2:], default=Schedule(ORG_WEEKDAY, ORG_HOUR, 0, zone))
    access = services.access_for(client)
    for source in sources:
        access.check_read(user_id=user_id, channel_id=source)
    access.check_read(user_id=user_id, channel_id=destination)
    for source in sources:
        try:
            access.check_share(source_id=source, destination_id=destination)
        except SlackAccessError as exc:
            raise SlackAccessError(str(exc), user_message=(
                f"I can't post an org digest of <#{source}> in <#{destination}>: some people who can read "
                f"<#{destination}> can't read <#{source}> (a private channel). Pick a destination whose "
                "members are all in every private source, or leave that channel out.")) from exc
    org = store.add_org(team_id=team_id, destination_id=destination, source_ids=sources, schedule=schedule,
                        created_by=user_id)
    _sync_org_job(team_id=team_id, org_id=org.id)
    _say(respond, f":newspaper: Org digest #{org.id} of {' '.join(f'<#{s}>' for s in sources)} will be posted in "
                  f"<#{destination}> {describe(schedule)}.")


def _sync_job(*, team_id: str, channel_id: str) -> None:
    from bot.digests import scheduler

    scheduler.sync_channel_job(team_id=team_id, channel_id=channel_id)


def _sync_org_job(*, team_id: str, org_id: int) -> None:
    from bot.digests import scheduler

    scheduler.sync_org_job(team_id=team_id, org_id=org_id)


__all__ = [
    "DIGEST_USAGE",
    "PACER",
    "PostPacer",
    "RunOutcome",
    "build_for_channel",
    "describe",
    "handle_digest_command",
    "last_occurrence",
    "next_occurrence",
    "parse_schedule",
    "read_period",
    "run_channel_digest",
    "run_org_digest",
    "run_org_subscription",
    "run_subscription",
]
