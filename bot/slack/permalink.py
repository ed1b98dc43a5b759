"""Slack permalinks: build them locally, parse the ones users paste.

Format (https://docs.slack.dev/reference/methods/chat.getPermalink): a top-level message is
``https://<domain>.slack.com/archives/<channel_id>/p<ts without the dot>``; a reply adds
``?thread_ts=<thread_ts>&cid=<channel_id>``. The web client's
``https://app.slack.com/client/<team_id>/<channel_id>/thread/<channel_id>-<thread_ts>`` form is
accepted too.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

from bot import strings
from bot.errors import InputError

_TS = re.compile(r"^\d{1,12}\.\d{1,9}$")
_ID = re.compile(r"^[CGDZ][A-Z0-9]{2,}$")
_P_TS = re.compile(r"^p(\d{7,})$")



@dataclass(frozen=True)
class Permalink:
    """A parsed permalink.

    Attributes:
        channel_id: the conversation's ID.
        ts: the linked message's ``ts`` (``"1700000000.000100"``).
        thread_ts: the thread parent's ``ts`` when the link points inside a thread, else None.
    """

    channel_id: str
    ts: str
    thread_ts: str | None = None


def build_permalink(*, domain: str, channel_id: str, ts: str, thread_ts: str | None = None) -> str:
    """A Slack permalink for one message, built without an API call.

    Args:
        domain: the workspace subdomain (``"rcontrib"`` for ``rcontrib.slack.com``).
        channel_id: the conversation's ID.
        ts: the message ``ts``.
        thread_ts: the parent's ``ts`` when the message is a reply (ignored when equal to ``ts``).

    Returns:
        ``https://<domain>.slack.com/archives/<C>/p<digits>`` with ``?thread_ts=…&cid=…`` for replies.
    """
    sec, _, frac = ts.partition(".")
    url = f"https://{domain}.slack.com/archives/{channel_id}/p{sec}{(frac + '000000')[:6]}"
    if thread_ts and thread_ts != ts:
        url += f"?thread_ts={thread_ts}&cid={channel_id}"
    return url


def _ts_from_p(digits: str) -> str:
    return f"{digits[:-6]}.{digits[-6:]}"


def parse_permalink(url: str) -> Permalink:
    """Parse a pasted Slack message link.

    Accepts ``https://<domain>.slack.com/archives/<C>/p<digits>[?thread_ts=…&cid=…]`` (with or
    without the ``<…>`` / ``<…|label>`` wrapping of slash-command text) and
    ``https://app.slack.com/client/<T>/<C>/thread/<C>-<ts>``.

    Returns:
        A :class:`Permalink`; ``thread_ts`` is set only for replies (None when it would equal
        ``ts``), so the thread to read is ``link.thread_ts or link.ts``.

    Raises:
        InputError: anything else, with a friendly ``user_message`` saying what a link looks like.
    """
    if not isinstance(url, str):
        raise InputError(f"not a permalink: {url!r}", user_message=strings.PERMALINK_HELP)
    text = url.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].partition("|")[0].strip()
    text = text.replace("&amp;", "&")
    try:
        parts = urllib.parse.urlsplit(text)
    except ValueError as exc:
        raise InputError(f"not a permalink: {url!r}", user_message=strings.PERMALINK_HELP) from exc
    host = (parts.hostname or "").lower() if parts.scheme in ("http", "https") else ""
    segments = [s for s in parts.path.split("/") if s]
    if host.endswith(".slack.com") and len(segments) >= 3 and segments[0] == "archives":
        channel_id, p_part = segments[1], segments[2]
        match = _P_TS.match(p_part)
        if _ID.match(channel_id) and match:
            ts = _ts_from_p(match.group(1))
            query = urllib.parse.parse_qs(parts.query)
            thread_ts: str | None = (query.get("thread_ts") or [""])[0] or None
            if thread_ts is not None and not _TS.match(thread_ts):
                raise InputError(f"bad thread_ts in permalink: {url!r}", user_message=strings.PERMALINK_HELP)
            return Permalink(channel_id=channel_id, ts=ts, thread_ts=thread_ts if thread_ts != ts else None)
    if host == "app.slack.com" and len(segments) >= 3 and segments[0] == "client":
        channel_id = segments[2]
        if len(segments) >= 5 and segments[3] == "thread":
            cid, _, ts = segments[4].partition("-")
            if _ID.match(cid) and _TS.match(ts):
                return Permalink(channel_id=cid, ts=ts)
        elif len(segments) >= 4 and _ID.match(channel_id) and _P_TS.match(segments[3]):
            match = _P_TS.match(segments[3])
            assert match is not None
            return Permalink(channel_id=channel_id, ts=_ts_from_p(match.group(1)))
    raise InputError(f"not a permalink: {url!r}", user_message=strings.PERMALINK_HELP)
