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

DIGEST_USAGE = (
    "*Weekly digests*\n"
    "• `/summarize digest on` — this channel every Monday 09:00 (`on friday 16:00 Europe/Berlin`, "
    "`quiet=skip` to post nothing in a quiet week)\n"
    "• `/summarize digest off` (whoever set it up, or an admin) · `status` · `list` (admins)\n"
    "• `/summarize digest org #a #b #c to #announcements` — a Friday digest of up to "
    f"{MAX_ORG_SOURCES} channels ({MAX_ORGS_PER_PERSON} per person; `org off 3` to stop org digest #3)\n"
    "• `/summarize digest run` — post this channel's digest now (admins; asks to confirm)"
)

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
            f"`{word}` isn't a channel I can use. Pick channels from the list Slack offers as you type `#`."))
    return match.group(1)


def _require_owner(access: AccessChecker, sub: Subscription, *, user_id: str, channel_id: str,
                   action: str) -> None:
    """Raise unless ``user_id`` set up the channel's digest or is a workspace admin/owner (read live).

    Raises:
        SlackAccessError: neither; the message names who may.
    """
    if (sub.created_by and sub.created_by == user_id) or access.is_admin(user_id):
        return
    if sub.created_by:
        text = (f"Only <@{sub.created_by}>, who set up the weekly digest of <#{channel_id}>, or a workspace "
                f"admin can {action} it.")
    else:
        text = f"Only a workspace admin can {action} the weekly digest of <#{channel_id}>."
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
        quiet_text = "a one-line note" if quiet == "post" else "nothing"
        _say(respond, f":calendar: <#{channel_id}> will get a weekly digest {describe(schedule)}. "
                      f"First one: {when:%a %-d %b %H:%M %Z}. In a quiet week I'll post {quiet_text}.")
    elif verb == "off":
        existing = store.subscription(team_id=team_id, channel_id=channel_id)
        if existing is not None:
            _require_owner(access, existing, user_id=user_id, channel_id=channel_id, action="turn off")
        removed = store.unsubscribe(team_id=team_id, channel_id=channel_id)
        services.digest_jobs.sync_channel(team_id=team_id, channel_id=channel_id)
        _say(respond, f"Weekly digest of <#{channel_id}> turned off." if removed
             else f"<#{channel_id}> has no weekly digest.")
    elif verb == "status":
        _status(respond=respond, team_id=team_id, channel_id=channel_id, store=store, now=now)
    elif verb == "org":
        _org_command(services=services, access=access, respond=respond, team_id=team_id, user_id=user_id,
                     args=rest, store=store)
    elif verb == "list":
        if not access.is_admin(user_id):
            raise SlackAccessError("not an admin", user_message="Only workspace admins can list every digest.")
        subs = store.subscriptions(team_id=team_id)
        orgs = store.orgs(team_id=team_id)
        lines = [f"• <#{s.channel_id}> — {describe(s.schedule)}" for s in subs]
        lines += [f"• org #{o.id}: {' '.join(f'<#{c}>' for c in o.source_ids)} → <#{o.destination_id}> — "
                  f"{describe(o.schedule)}" for o in orgs]
        _say(respond, "*Digests in this workspace*\n" + ("\n".join(lines) if lines else "none yet"))
    elif verb == "run":
        if not access.is_admin(user_id):
            raise SlackAccessError("not an admin", user_message="Only workspace admins can run a digest now.")
        sub = store.subscription(team_id=team_id, channel_id=channel_id)
        local_today = now.astimezone(ZoneInfo(zone)).date()
        period = days_window(local_today - timedelta(days=7), local_today + timedelta(days=1), zone)
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


def _status(*, respond: Respond, team_id: str, channel_id: str, store: DigestStore, now: datetime) -> None:
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


def _outcome_text(outcome: RunOutcome) -> str:
    if outcome.status in (POSTED, QUIET):
        return f"Posted: {outcome.permalink or 'done'}"
    if outcome.status == DUPLICATE:
        return "That digest is already being posted."
    if outcome.status == SKIPPED:
        return "A quiet week: nothing posted (this channel's digest skips quiet weeks)."
    return f"The digest failed: {outcome.error}"


def _org_command(*, services: Services, access: AccessChecker, respond: Respond, team_id: str, user_id: str,
                 args: list[str], store: DigestStore) -> None:
    lowered = [a.lower() for a in args]
    if lowered[:1] == ["off"]:
        _org_off(services=services, access=access, respond=respond, team_id=team_id, user_id=user_id, args=args,
                 store=store)
        return
    if "to" not in lowered:
        raise InputError("org without 'to'", user_message=(
            "Say where to post it: `/summarize digest org #a #b #c to #announcements`."))
    cut = lowered.index("to")
    sources = list(dict.fromkeys(_channel_id(w) for w in args[:cut]))  # each channel once
    if not sources or cut + 1 >= len(args):
        raise InputError("org without channels", user_message=(
            "Name the channels and the destination: `/summarize digest org #a #b to #announcements`."))
    if len(sources) > MAX_ORG_SOURCES:
        raise InputError(f"org digest of {len(sources)} channels", user_message=(
            f"An org digest can cover at most {MAX_ORG_SOURCES} channels; you named {len(sources)}. "
            "Leave some out, or split them over two org digests."))
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
            f"I can't post an org digest of <#{exc.source_id}> in <#{destination}>: some people who can read "
            f"<#{destination}> can't read <#{exc.source_id}>. Pick a destination whose members are all in "
            "every private source (and has no guests or people from other organisations), or leave that "
            "channel out.")) from exc
    try:
        org = store.add_org(team_id=team_id, destination_id=destination, source_ids=sources, schedule=schedule,
                            created_by=user_id)
    except OrgLimitReached as exc:  # a request at the same time got there first
        raise _org_limit_error(exc.scope, exc.limit) from exc
    services.digest_jobs.sync_org(team_id=team_id, org_id=org.id)
    _say(respond, f":newspaper: Org digest #{org.id} of {' '.join(f'<#{s}>' for s in sources)} will be posted in "
                  f"<#{destination}> {describe(schedule)}.")


def _org_limit_error(scope: str, count: int) -> InputError:
    """The refusal of one more org digest: the requester has ``count`` (``scope == "person"``), or the
    workspace has (``"team"``)."""
    if scope == "person":
        return InputError(f"{count} org digests of one person", user_message=(
            f"You already have {count} org digests, the most one person can set up. Turn one off with "
            "`/summarize digest org off <number>` first (the numbers are in their confirmations)."))
    return InputError(f"{count} org digests in the workspace", user_message=(
        f"This workspace already has {count} org digests, the most it can have. A workspace admin can "
        "see them with `/summarize digest list` and turn some off."))


def _org_off(*, services: Services, access: AccessChecker, respond: Respond, team_id: str, user_id: str,
             args: list[str], store: DigestStore) -> None:
    number = args[1].lstrip("#") if len(args) > 1 else ""
    if not number.isdigit():
        raise InputError("org off without a number", user_message=(
            "Say which one: `/summarize digest org off 3` (the number is in its confirmation and in "
            "`/summarize digest list`)."))
    org = store.org(team_id=team_id, org_id=int(number))
    if org is None:
        raise InputError(f"no org digest {number}", user_message=f"There is no org digest #{number}.")
    if not (org.created_by and org.created_by == user_id) and not access.is_admin(user_id):
        raise SlackAccessError("not the org digest's creator", user_message=(
            f"Only the person who set up org digest #{number}, or a workspace admin, can turn it off."))
    store.remove_org(team_id=team_id, org_id=int(number))
    services.digest_jobs.sync_org(team_id=team_id, org_id=int(number))
    _say(respond, f"Org digest #{number} turned off.")


__all__ = ["DIGEST_USAGE", "describe", "handle_digest_command", "parse_schedule"]
