"""Parse the text of ``/summarize`` into a request.

Grammar (Slack escapes channels and links in the text when the command has ``should_escape: true``,
so a channel arrives as ``<#C123|name>`` and a link as ``<https://…>``)::

    /summarize                         this channel, last 24 h
    /summarize [#channel] [period]     a channel (default: this one) over a period (see bot.periods)
    /summarize <thread permalink>      one thread
    /summarize help                    usage
    /summarize digest …                weekly digests (see bot.digests.build)
    /summarize style                   your title-style profile
    /summarize forget me               delete what Recap keeps about you

Errors are :class:`bot.errors.InputError` carrying the usage text, never a stack trace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot import strings
from bot.errors import InputError
from bot.periods import PERIOD_HELP, parse_period

# English, for importers that read it once; resolve ``strings.USAGE`` at call time to answer in the person's language.
USAGE = str(strings.english()["USAGE"])

_CHANNEL = re.compile(r"^<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>$")
_LINK = re.compile(r"^<?(https?://[^>|\s]+)(?:\|[^>]*)?>?$")


@dataclass(frozen=True)
class HelpRequest:
    """``/summarize help``."""


@dataclass(frozen=True)
class ChannelRequest:
    """Summarize a channel over a period.

    Attributes:
        channel_id: the channel asked for, or None for the channel the command was typed in.
        period: the period text (already validated), or None for the default window.
    """

    channel_id: str | None
    period: str | None


@dataclass(frozen=True)
class ThreadRequest:
    """Summarize the thread a permalink points to."""

    channel_id: str
    ts: str
    thread_ts: str | None


@dataclass(frozen=True)
class SubcommandRequest:
    """``digest …``, ``style``, ``forget me``: handed to the feature that owns it.

    Attributes:
        name: ``"digest"``, ``"style"`` or ``"forget"``.
        args: the remaining words.
    """

    name: str
    args: tuple[str, ...]


Request = HelpRequest | ChannelRequest | ThreadRequest | SubcommandRequest


def parse_command(text: str | None, *, now: datetime, tz: str = "UTC") -> Request:
    """Parse the text after ``/summarize``.

    Args:
        text: the command's ``text`` field.
        now: current time, to validate periods.
        tz: the workspace time zone.

    Raises:
        InputError: unknown arguments; ``user_message`` holds a short explanation plus usage.
    """
    words = (text or "").split()
    if not words:
        return ChannelRequest(channel_id=None, period=None)
    head = words[0].lower()
    if head in {"help", "-h", "--help", "?", "usage"}:
        return HelpRequest()
    if head in {"digest", "digests"}:
        return SubcommandRequest("digest", tuple(words[1:]))
    if head == "style" and len(words) == 1:
        return SubcommandRequest("style", ())
    if head == "forget" and [w.lower() for w in words[1:]] in ([], ["me"]):
        return SubcommandRequest("forget", ())

    link = _LINK.match(words[0])
    if link:
        if len(words) > 1:
            raise _usage_error(strings.THREAD_LINK_ALONE)
        from bot.slack.permalink import parse_permalink

        try:
            permalink = parse_permalink(link.group(1))
        except InputError as exc:
            raise _usage_error(exc.user_message) from exc
        return ThreadRequest(channel_id=permalink.channel_id, ts=permalink.ts, thread_ts=permalink.thread_ts)

    channel_id = None
    rest = words
    channel = _CHANNEL.match(words[0])
    if channel:
        channel_id = channel.group(1)
        rest = words[1:]
    elif words[0].startswith("#"):
        raise _usage_error(strings.UNKNOWN_CHANNEL.format(channel=words[0]))
    period = " ".join(rest) or None
    if period:
        try:
            parse_period(period, now=now, tz=tz)
        except InputError as exc:
            raise _usage_error(exc.user_message) from exc
    return ChannelRequest(channel_id=channel_id, period=period)


def _usage_error(reason: str) -> InputError:
    return InputError(reason, user_message=f"{reason}\n\n{strings.USAGE}")


__all__ = [
    "USAGE",
    "PERIOD_HELP",
    "ChannelRequest",
    "HelpRequest",
    "Request",
    "SubcommandRequest",
    "ThreadRequest",
    "parse_command",
]
