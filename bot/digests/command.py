"""``/summarize digest …``: subscribe channels, set up org digests, run one now; answered privately.

Grammar (``args`` are the words after ``/summarize digest``)::

    on [weekday] [HH:MM] [Area/City] [quiet=post|skip]   subscribe this channel (default: monday 09:00,
                                                         the workspace zone, one-line quiet-week post)
    off | status | list
    org #a #b #c to #announcements [weekday] [HH:MM] [Area/City]
    org off <number>
    run            asks for confirmation;  run confirm   posts this channel's digest of the last 7 days now

Owners and bounds (issue 14): turning off or replacing a channel's digest, or turning off an org digest, is
for the person who set it up or a workspace admin/owner (``users.info`` ``is_admin``/``is_owner``, read
live). Slack's "channel manager" role is not readable with a bot token (only through the Enterprise
Grid admin API), so it does not count here. An org digest has at most
:data:`~bot.digests.store.MAX_ORG_SOURCES` distinct channels (duplicates dropped); a person may have
:data:`~bot.digests.store.MAX_ORGS_PER_PERSON` org digests and a workspace
:data:`~bot.digests.store.MAX_ORGS_PER_TEAM`. Each refusal says why and what to do instead.

Every change to a subscription or an org digest is handed to ``services.digest_jobs``
(:class:`bot.services.DigestJobs`, the process's :class:`bot.digests.scheduler.DigestScheduler`), which
writes the job into the shared job store in the same request.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient

from bot import strings
from bot.access import AccessChecker, ShareRefused
from bot.digests.runs import DUPLICATE, RunOutcome, next_occurrence, run_channel_digest
from bot.digests.store import (
    MAX_ORG_SOURCES,
    MAX_ORGS_PER_PERSON,
    MAX_ORGS_PER_TEAM,
    POSTED,
    QUIET,
    SKIPPED,
    DigestStore,
    OrgLimitReached,
    Schedule,
    Subscription,
)
from bot.errors import InputError, SlackAccessError, answer_errors
from bot.periods import WEEKDAYS, days_window
from bot.services import Respond, Services

DEFAULT_WEEKDAY, DEFAULT_HOUR, DEFAULT_MINUTE = 0, 9, 0
ORG_WEEKDAY, ORG_HOUR = 4, 16



def digest_usage() -> str:
    """The help of ``/summarize digest``, in the current language (:mod:`bot.strings`)."""
    return strings.DIGEST_USAGE.format(max_sources=MAX_ORG_SOURCES, max_per_person=MAX_ORGS_PER_PERSON)


_CHANNEL = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$")
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?$")


def describe(schedule: Schedule) -> str:
    """``"Mondays at 09:00 (Europe/Berlin)"``."""
    return f"{WEEKDAYS[schedule.weekday].capitalize()}s at {schedule.hour:02d}:{schedule.minute:02d} ({schedule.tz})"


def parse_schedule(words: Sequence[str], *, default: Schedule) -> tuple[Schedule, str]:
    """Parse ``[weekday] [HH:MM] [Area/City] [quiet=post|skip]``; what is not given comes from ``default``.

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
                raise InputError(f"bad quiet mode {word}", user_message=strings.DIGEST_BAD_QUIET)
        elif "/" in word or word.upper() == "UTC":
            try:
                ZoneInfo(word)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise InputError(f"unknown zone {word}", user_message=(
                    strings.DIGEST_UNKNOWN_ZONE.format(word=word))) from exc
            tz = word
        else:
            raise InputError(f"unknown word {word}", user_message=(
                strings.DIGEST_UNKNOWN_WORD.format(word=word)))
    return Schedule(weekday, hour, minute, tz), quiet


def handle_digest_command(
    *, services: Services, client: WebClient, respond: Respond, team_id: str, channel_id: str, user_id: str,
    args: Sequence[str],
) -> None:
    """``/summarize digest on|off|status|org|run|list``: answered privately through ``respond``.

    Args:
        services: settings (``workspace_tz``), store, clock, ``access_for``, ``digest_jobs``.
        client: the workspace's WebClient (admin checks, and the post of ``run confirm``).
        respond: Bolt's ``respond``; every answer is ephemeral.
        team_id, channel_id, user_id: where and by whom the command was typed.
        args: the words after ``/summarize digest`` (none means ``status``).

    Never raises (the error boundary :func:`bot.errors.answer_errors`): input and access problems are
    answered with their ``user_message``; anything else with a generic apology (and logged).
    """
    with answer_errors(lambda text: _say(respond, text), what=f"/summarize digest by {user_id}"):
        _dispatch(services=services, client=client, respond=respond, team_id=team_id, channel_id=channel_id,
                  user_id=user_id, args=list(args))


def _say(respond: Respond, text: str) -> None:
    respond(text=text, response_type="ephemeral")


def _channel_id(word: str) -> str:
    match = _CHANNEL.match(word)
    if not match:
        raise InputError(f"not a channel: {word}", user_message=(
            strings.DIGEST_NOT_A_CHANNEL.format(word=word)))
    return match.group(1)


def _require_owner(access: AccessChecker, sub: Subscription, *, user_id: str, channel_id: str,
                   action: str) -> None:
    """Raise unless ``user_id`` set up the channel's digest or is a workspace admin/owner (read live).

    Raises:
        SlackAccessError: neither; the message names who may.
    """
    if (sub.created_by and sub.created_by == user_id) or access.is_admin(user_id):
        return
    verb = strings.DIGEST_ACTION_CHANGE if action == "change" else strings.DIGEST_ACTION_TURN_OFF
    if sub.created_by:
        text = strings.DIGEST_OWNER_ONLY.format(owner_id=sub.created_by, channel_id=channel_id, action=verb)
    else:
        text = strings.DIGEST_ADMIN_ONLY.format(action=verb, channel_id=channel_id)
    raise SlackAccessError(f"{user_id} may not {action} the digest of {channel_id} (owner {sub.created_by!r})",
                           user_message=text)


def _dispatch(*, services: Services, client: WebClient, respond: Respond, team_id: str, channel_id: str,
              user_id: str, args: list[str]) -> None:
    store = DigestStore(services.store)
    verb = args[0].lower() if args else "status"
    rest = args[1:]
    zone = services.settings.workspace_tz
    now = services.clock()
    access = services.access_for(client)
    if verb == "on":
        access.check_read(user_id=user_id, channel_id=channel_id)  # BotNotInChannel says how to invite
        schedule, quiet = parse_schedule(rest, default=Schedule(DEFAULT_WEEKDAY, DEFAULT_HOUR, DEFAULT_MINUTE, zone))
        existing = store.subscription(team_id=team_id, channel_id=channel_id)
        if existing is not None:
            _require_owner(access, existing, user_id=user_id, channel_id=channel_id, action="change")
        store.subscribe(team_id=team_id, channel_id=channel_id, schedule=schedule, quiet=quiet, created_by=user_id)
        services.digest_jobs.sync_channel(team_id=team_id, channel_id=channel_id)
        when = next_occurrence(schedule, now)
        quiet_text = strings.DIGEST_QUIET_POST if quiet == "post" else strings.DIGEST_QUIET_SKIP
        _say(respond, strings.DIGEST_ON_DONE.format(channel_id=channel_id, schedule=describe(schedule),
                                                    when=f"{when:%a %-d %b %H:%M %Z}",
                                                    quiet_text=quiet_text))
    elif verb == "off":
        existing = store.subscription(team_id=team_id, channel_id=channel_id)
        if existing is not None:
            _require_owner(access, existing, user_id=user_id, channel_id=channel_id, action="turn off")
        removed = store.unsubscribe(team_id=team_id, channel_id=channel_id)
        services.digest_jobs.sync_channel(team_id=team_id, channel_id=channel_id)
        _say(respond, (strings.DIGEST_OFF_DONE if removed else strings.DIGEST_NONE).format(channel_id=channel_id))
    elif verb == "status":
        _status(respond=respond, team_id=team_id, channel_id=channel_id, store=store, now=now)
    elif verb == "org":
        _org_command(services=services, access=access, respond=respond, team_id=team_id, user_id=user_id,
                     args=rest, store=store)
    elif verb == "list":
        if not access.is_admin(user_id):
            raise SlackAccessError("not an admin", user_message=strings.DIGEST_LIST_ADMIN_ONLY)
        subs = store.subscriptions(team_id=team_id)
        orgs = store.orgs(team_id=team_id)
        lines = [f"• <#{s.channel_id}> — {describe(s.schedule)}" for s in subs]
        lines += [f"• org #{o.id}: {' '.join(f'<#{c}>' for c in o.source_ids)} → <#{o.destination_id}> — "
                  f"{describe(o.schedule)}" for o in orgs]
        _say(respond, strings.DIGEST_LIST_HEADER + "\n" + ("\n".join(lines) if lines else strings.DIGEST_LIST_EMPTY))
    elif verb == "run":
        if not access.is_admin(user_id):
            raise SlackAccessError("not an admin", user_message=strings.DIGEST_RUN_ADMIN_ONLY)
        sub = store.subscription(team_id=team_id, channel_id=channel_id)
        local_today = now.astimezone(ZoneInfo(zone)).date()
        period = days_window(local_today - timedelta(days=7), local_today + timedelta(days=1), zone)
        if not rest or rest[0].lower() != "confirm":
            _say(respond, strings.DIGEST_RUN_CONFIRM.format(channel_id=channel_id, period=period.label))
            return
        key = now.replace(second=0, microsecond=0)  # a double submit within a minute posts once
        outcome = run_channel_digest(services=services, client=client, team_id=team_id, channel_id=channel_id,
                                     period=period, quiet=sub.quiet if sub else "post", period_key=key)
        _say(respond, _outcome_text(outcome))
    else:
        _say(respond, digest_usage())


def _status(*, respond: Respond, team_id: str, channel_id: str, store: DigestStore, now: datetime) -> None:
    sub = store.subscription(team_id=team_id, channel_id=channel_id)
    if sub is None:
        _say(respond, strings.DIGEST_STATUS_NONE.format(channel_id=channel_id))
        return
    lines = [strings.DIGEST_STATUS_SCHEDULE.format(channel_id=channel_id, schedule=describe(sub.schedule)),
             strings.DIGEST_STATUS_NEXT.format(when=f"{next_occurrence(sub.schedule, now):%a %-d %b %H:%M %Z}")]
    last = store.last_run(team_id=team_id, target_id=channel_id)
    if last is not None:
        link = strings.DIGEST_STATUS_LINK.format(permalink=last.permalink) if last.permalink else ""
        lines.append(strings.DIGEST_STATUS_LAST.format(status=last.status, start=f"{last.period_start:%-d %b %Y}",
                                                      link=link))
    _say(respond, "\n".join(lines))


def _outcome_text(outcome: RunOutcome) -> str:
    if outcome.status in (POSTED, QUIET):
        return strings.DIGEST_POSTED.format(permalink=outcome.permalink or strings.DIGEST_POSTED_DONE)
    if outcome.status == DUPLICATE:
        return strings.DIGEST_DUPLICATE
    if outcome.status == SKIPPED:
        return strings.DIGEST_SKIPPED
    return strings.DIGEST_FAILED.format(error=outcome.error)


def _org_command(*, services: Services, access: AccessChecker, respond: Respond, team_id: str, user_id: str,
                 args: list[str], store: DigestStore) -> None:
    lowered = [a.lower() for a in args]
    if lowered[:1] == ["off"]:
        _org_off(services=services, access=access, respond=respond, team_id=team_id, user_id=user_id, args=args,
                 store=store)
        return
    if "to" not in lowered:
        raise InputError("org without 'to'", user_message=strings.ORG_NO_DESTINATION)
    cut = lowered.index("to")
    sources = list(dict.fromkeys(_channel_id(w) for w in args[:cut]))  # each channel once
    if not sources or cut + 1 >= len(args):
        raise InputError("org without channels", user_message=strings.ORG_NO_CHANNELS)
    if len(sources) > MAX_ORG_SOURCES:
        raise InputError(f"org digest of {len(sources)} channels", user_message=(
            strings.ORG_TOO_MANY_SOURCES.format(max_sources=MAX_ORG_SOURCES, count=len(sources))))
    destination = _channel_id(args[cut + 1])
    zone = services.settings.workspace_tz
    schedule, _ = parse_schedule(args[cut + 2:], default=Schedule(ORG_WEEKDAY, ORG_HOUR, 0, zone))
    mine, total = store.org_counts(team_id=team_id, created_by=user_id)  # checked before any Slack call
    if mine >= MAX_ORGS_PER_PERSON:
        raise _org_limit_error("person", mine)
    if total >= MAX_ORGS_PER_TEAM:
        raise _org_limit_error("team", total)
    for source in sources:
        access.check_read(user_id=user_id, channel_id=source)
    access.check_read(user_id=user_id, channel_id=destination)
    try:
        access.check_shares(source_ids=sources, destination_id=destination)
    except ShareRefused as exc:
        raise SlackAccessError(str(exc), user_message=(
            strings.ORG_NOT_SHAREABLE.format(source_id=exc.source_id, destination_id=destination))) from exc
    try:
        org = store.add_org(team_id=team_id, destination_id=destination, source_ids=sources, schedule=schedule,
                            created_by=user_id)
    except OrgLimitReached as exc:  # a request at the same time got there first
        raise _org_limit_error(exc.scope, exc.limit) from exc
    services.digest_jobs.sync_org(team_id=team_id, org_id=org.id)
    _say(respond, strings.ORG_CREATED.format(org_id=org.id, sources=" ".join(f"<#{s}>" for s in sources),
                                             destination_id=destination, schedule=describe(schedule)))


def _org_limit_error(scope: str, count: int) -> InputError:
    """The refusal of one more org digest: the requester has ``count`` (``scope == "person"``), or the
    workspace has (``"team"``)."""
    if scope == "person":
        return InputError(f"{count} org digests of one person", user_message=strings.ORG_LIMIT_PERSON.format(count=count))
    return InputError(f"{count} org digests in the workspace", user_message=strings.ORG_LIMIT_TEAM.format(count=count))


def _org_off(*, services: Services, access: AccessChecker, respond: Respond, team_id: str, user_id: str,
             args: list[str], store: DigestStore) -> None:
    number = args[1].lstrip("#") if len(args) > 1 else ""
    if not number.isdigit():
        raise InputError("org off without a number", user_message=strings.ORG_OFF_NO_NUMBER)
    org = store.org(team_id=team_id, org_id=int(number))
    if org is None:
        raise InputError(f"no org digest {number}", user_message=strings.ORG_NOT_FOUND.format(number=number))
    if not (org.created_by and org.created_by == user_id) and not access.is_admin(user_id):
        raise SlackAccessError("not the org digest's creator", user_message=strings.ORG_OFF_NOT_YOURS.format(number=number))
    store.remove_org(team_id=team_id, org_id=int(number))
    services.digest_jobs.sync_org(team_id=team_id, org_id=int(number))
    _say(respond, strings.ORG_OFF_DONE.format(number=number))


__all__ = ["digest_usage", "describe", "handle_digest_command", "parse_schedule"]
