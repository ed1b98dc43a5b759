"""Reading a Slack workspace export (a folder or its ``.zip``).

Layout (https://slack.com/help/articles/220556107-How-to-read-Slack-data-exports): ``users.json``,
``channels.json`` (public channels), and when present ``groups.json`` (private channels),
``mpims.json`` (group DMs), ``dms.json`` (DMs); messages in ``<folder>/<YYYY-MM-DD>.json``, one file
per day, where ``<folder>`` is the channel's name (the ID for DMs). Exports since 2019 keep threads
(``thread_ts``, ``reply_count``, ``latest_reply``/``replies`` on the parent, each reply in the file of
its own day); older ones have no threads at all. Both are read.

:class:`ExportReader` loads lazily: the index files on first use, then for each window only the day
files it needs (a day of margin on each side, since day files follow the workspace's time zone).
"""

from __future__ import annotations

import logging
import re
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

from bot.errors import SlackReadError
from bot.models import Channel, Message
from bot.slack.export_files import ExportFiles, derive_domain
from bot.slack.permalink import build_permalink
from bot.slack.text import (
    approval_count,
    is_bot_message,
    is_noise,
    message_text,
    reaction_count,
    resolve_mrkdwn,
    user_display_name,
)

logger = logging.getLogger(__name__)

_DAY_FILE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.json$")
_INDEX_FILES = ("channels.json", "groups.json", "mpims.json", "dms.json")
MARGIN = timedelta(days=1)


def _ts_float(ts: Any) -> float:
    try:
        return float(ts)
    except (TypeError, ValueError):
        return 0.0


def _day(seconds: float) -> date:
    return datetime.fromtimestamp(max(seconds, 0.0), tz=UTC).date()


class ExportReader:
    """A :class:`~bot.slack.reader.Reader` over a Slack workspace export folder or ``.zip``.

    Args:
        path: the export folder (holding ``users.json`` and ``channels.json``) or its zip.
        domain: the workspace subdomain for permalinks (``"rcontrib"``); guessed from the folder
            name by default (see :func:`derive_domain`).

    Raises:
        SlackReadError: the path does not exist, or the zip is truncated/corrupt.

    ``channel()`` takes an ID or a name (``"general"``, ``"#general"``). A folder of day files that
    no index file lists (a channel deleted or renamed after the index was written) is still readable:
    its ID is its folder name. Messages come back oldest
    first with noise dropped, bots flagged, mentions resolved and permalinks built locally.
    """

    def __init__(self, path: str | Path, *, domain: str | None = None) -> None:
        self.path = Path(path)
        self.domain = domain or derive_domain(self.path)
        self.skipped_days: list[str] = []  # day files that could not be read (logged and left out)
        self._source = ExportFiles(self.path)
        self._lock = threading.RLock()
        self._channels: dict[str, Channel] | None = None
        self._folders: dict[str, str] = {}
        self._by_name: dict[str, str] = {}
        self._users: dict[str, str] | None = None
        self._day_index: dict[str, list[tuple[date, str]]] = {}
        self._day_cache: dict[str, list[dict[str, Any]]] = {}

    # ------------------------------------------------------------------ indexes
    def _load_index(self) -> dict[str, Channel]:
        with self._lock:
            if self._channels is not None:
                return self._channels
            if not (self._source.exists("channels.json") or self._source.exists("users.json")):
                raise SlackReadError(
                    f"{self.path} does not look like a Slack export (no channels.json or users.json)"
                )
            channels: dict[str, Channel] = {}
            for index in _INDEX_FILES:
                if not self._source.exists(index):
                    continue
                entries = self._source.read_json(index)
                for entry in entries if isinstance(entries, list) else []:
                    if not isinstance(entry, dict) or not entry.get("id"):
                        continue
                    channel_id = str(entry["id"])
                    is_im = index == "dms.json"
                    is_mpim = index == "mpims.json" or bool(entry.get("is_mpim"))
                    name = str(entry.get("name") or "")
                    folder = channel_id if is_im else (name or channel_id)
                    if is_im and not name:
                        members = [str(m) for m in entry.get("members") or []]
                        name = ", ".join(self.user_name(m) for m in members) or channel_id
                    channels[channel_id] = Channel(
                        id=channel_id,
                        name=name,
                        is_private=index == "groups.json" or bool(entry.get("is_private")),
                        is_im=is_im,
                        is_mpim=is_mpim,
                        is_ext_shared=bool(entry.get("is_ext_shared") or entry.get("is_shared")),
                        is_member=True,
                        is_archived=bool(entry.get("is_archived")),
                    )
                    self._folders[channel_id] = folder
                    self._by_name.setdefault(name.lower(), channel_id)
            # Folders of channels missing from the index files (deleted or renamed since; seen in
            # real exports whose channels.json is newer than the folders): the folder name is the ID.
            known_folders = set(self._folders.values())
            for folder in self._source.folders():
                if folder in known_folders or folder in channels:
                    continue
                if not any(_DAY_FILE.match(n) for n in self._source.listdir(folder)):
                    continue
                channels[folder] = Channel(id=folder, name=folder)
                self._folders[folder] = folder
                self._by_name.setdefault(folder.lower(), folder)
            self._channels = channels
            return channels

    def _load_users(self) -> dict[str, str]:
        with self._lock:
            if self._users is None:
                users: dict[str, str] = {}
                if self._source.exists("users.json"):
                    entries = self._source.read_json("users.json")
                    for user in entries if isinstance(entries, list) else []:
                        if isinstance(user, dict) and user.get("id"):
                            users[str(user["id"])] = user_display_name(user)
                self._users = users
            return self._users

    def user_name(self, user_id: str) -> str:
        """A user's display name from ``users.json``; the ID when unknown."""
        return self._load_users().get(user_id, user_id)

    def channel_name(self, channel_id: str) -> str:
        """A channel's name from the index files; the ID when unknown."""
        channel = self._load_index().get(channel_id)
        return channel.name if channel else channel_id

    def channels(self) -> list[Channel]:
        """Every conversation listed by the export, public channels first then by name."""
        return sorted(self._load_index().values(), key=lambda c: (c.is_restricted, c.name))

    def channel(self, channel: str) -> Channel:
        """Look a channel up by ID or name (``"general"``/``"#general"``).

        Raises:
            SlackReadError: unknown channel; the message lists a few known names.
        """
        channels = self._load_index()
        key = channel.strip().lstrip("#")
        if key in channels:
            return channels[key]
        channel_id = self._by_name.get(key.lower())
        if channel_id:
            return channels[channel_id]
        known = ", ".join(sorted(c.name for c in channels.values() if not c.is_im)[:8])
        raise SlackReadError(
            f"no channel {channel!r} in the Slack export {self.path}; known channels include: {known}",
            user_message=f"I can't find #{key} in this export. Known channels include: {known}.",
        )

    # ------------------------------------------------------------------ day files
    def _days(self, channel_id: str) -> list[tuple[date, str]]:
        with self._lock:
            if channel_id not in self._day_index:
                folder = self._folders[channel_id]
                days: list[tuple[date, str]] = []
                for name in self._source.listdir(folder):
                    match = _DAY_FILE.match(name)
                    if match:
                        try:
                            day = date(int(match[1]), int(match[2]), int(match[3]))
                        except ValueError:
                            continue
                        days.append((day, str(PurePosixPath(folder) / name)))
                days.sort()
                self._day_index[channel_id] = days
            return self._day_index[channel_id]

    def _read_day(self, name: str) -> list[dict[str, Any]]:
        with self._lock:
            cached = self._day_cache.get(name)
        if cached is not None:
            return cached
        try:
            data = self._source.read_json(name)
        except SlackReadError as exc:  # one broken day must not cost the summaries of every other day
            logger.warning("skipping a day file: %s", exc)
            self.skipped_days.append(name)
            data = []
        messages = [m for m in data if isinstance(m, dict) and m.get("ts")] if isinstance(data, list) else []
        with self._lock:
            self._day_cache[name] = messages
        return messages

    def _raw_between(self, channel_id: str, first: date | None, last: date | None) -> list[dict[str, Any]]:
        """Raw messages of the day files from ``first`` to ``last`` (inclusive; None = open)."""
        out: list[dict[str, Any]] = []
        for day, name in self._days(channel_id):
            if (first is None or day >= first) and (last is None or day <= last):
                out.extend(self._read_day(name))
        return out

    def _resolve_id(self, channel_id: str) -> str:
        return self.channel(channel_id).id

    # ------------------------------------------------------------------ conversion
    def _author(self, raw: dict[str, Any]) -> tuple[str | None, str]:
        user_id = raw.get("user")
        if is_bot_message(raw) and not user_id:
            profile = raw.get("bot_profile") or {}
            return None, str(raw.get("username") or profile.get("name") or raw.get("bot_id") or "bot")
        if not user_id:
            return None, str(raw.get("username") or "unknown")
        users = self._load_users()
        if user_id in users:
            return str(user_id), users[user_id]
        profile = raw.get("user_profile")
        if isinstance(profile, dict):
            return str(user_id), user_display_name({"id": user_id, "profile": profile, **profile})
        return str(user_id), str(raw.get("username") or user_id)

    def _to_message(self, raw: dict[str, Any], channel_id: str) -> Message:
        ts = str(raw["ts"])
        user_id, user_name = self._author(raw)
        text = resolve_mrkdwn(message_text(raw), user_name=self.user_name, channel_name=self.channel_name)
        reply_count = int(raw.get("reply_count") or len(raw.get("replies") or []) or 0)
        thread_ts = raw.get("thread_ts")
        if thread_ts == ts and not reply_count:
            thread_ts = None
        thread = str(thread_ts) if thread_ts else None
        return Message(
            channel_id=channel_id,
            ts=ts,
            user_id=user_id,
            user_name=user_name,
            text=text,
            thread_ts=thread,
            reply_count=reply_count,
            is_bot=is_bot_message(raw),
            reactions=reaction_count(raw), approvals=approval_count(raw),
            permalink=self.permalink(channel_id, ts, thread),
        )

    def _convert(self, raws: list[dict[str, Any]], channel_id: str) -> list[Message]:
        by_ts: dict[str, dict[str, Any]] = {}
        for raw in raws:
            if is_noise(raw):
                continue
            by_ts.setdefault(str(raw["ts"]), raw)
        ordered = sorted(by_ts.values(), key=lambda r: _ts_float(r["ts"]))
        return [self._to_message(raw, channel_id) for raw in ordered]

    def _find(self, channel_id: str, ts: str) -> dict[str, Any] | None:
        day = _day(_ts_float(ts))
        for raw in self._raw_between(channel_id, day - MARGIN, day + MARGIN):
            if raw.get("ts") == ts:
                return raw
        return None

    # ------------------------------------------------------------------ Reader
    def thread(self, channel_id: str, thread_ts: str) -> list[Message]:
        """The parent and every reply of a thread, oldest first.

        Reads the day files from the parent's day to its ``latest_reply`` day (plus margin); when
        the parent lacks that field, every later day. In a pre-2019 export a thread is the message alone.
        Replies the parent's ``reply_count`` promises but the export lacks are logged (one warning), not hidden.

        Raises:
            SlackReadError: unknown channel, or no message with ``thread_ts``.
        """
        channel_id = self._resolve_id(channel_id)
        parent = self._find(channel_id, thread_ts)
        if parent is None:
            raise SlackReadError(
                f"no message {thread_ts} in #{self.channel_name(channel_id)} of the export {self.path}",
                user_message="I couldn't find that message in the export.",
            )
        if parent.get("thread_ts") and parent["thread_ts"] != thread_ts:  # a reply: read its thread
            return self.thread(channel_id, str(parent["thread_ts"]))
        start = _day(_ts_float(thread_ts)) - MARGIN
        last_ts = parent.get("latest_reply") or max(
            (r.get("ts") for r in parent.get("replies") or [] if isinstance(r, dict) and r.get("ts")),
            key=_ts_float,
            default=None,
        )
        if not parent.get("thread_ts") and not parent.get("reply_count"):
            return self._convert([parent], channel_id)
        end = _day(_ts_float(last_ts)) + MARGIN if last_ts else None
        raws = [parent] + [
            r for r in self._raw_between(channel_id, start, end) if r.get("thread_ts") == thread_ts
        ]
        expected = parent.get("reply_count")
        found = sum(1 for r in raws if r.get("ts") != thread_ts)
        if isinstance(expected, int) and found < expected:  # an export that lost them: say so, do not hide it
            logger.warning("%d of the %d replies of thread %s in #%s are not in the export; the summary reads "
                           "the %d it has", expected - found, expected, thread_ts, self.channel_name(channel_id),
                           found)
        return self._convert(raws, channel_id)

    def history(
        self, channel_id: str, *, oldest: float, latest: float, include_replies: bool = True
    ) -> list[Message]:
        """Messages posted in ``[oldest, latest)`` (Unix seconds), oldest first.

        Only the day files of the window (plus a day of margin) are read. With ``include_replies``
        the replies posted in the window are included, and so is the parent of each such thread
        even when it was posted before ``oldest`` (for context, like the Web API reader).

        Raises:
            SlackReadError: unknown channel, unreadable file.
        """
        channel_id = self._resolve_id(channel_id)
        raws = self._raw_between(channel_id, _day(oldest) - MARGIN, _day(latest) + MARGIN)
        window = [r for r in raws if oldest <= _ts_float(r.get("ts")) < latest]
        picked: list[dict[str, Any]] = []
        parents_needed: set[str] = set()
        for raw in window:
            thread_ts = raw.get("thread_ts")
            is_reply = bool(thread_ts) and thread_ts != raw.get("ts")
            if not is_reply or raw.get("subtype") == "thread_broadcast":
                picked.append(raw)
            elif include_replies:
                picked.append(raw)
            if is_reply and include_replies:
                parents_needed.add(str(thread_ts))
        have = {str(r["ts"]) for r in picked}
        for parent_ts in sorted(parents_needed - have, key=_ts_float):
            parent = self._find(channel_id, parent_ts)
            if parent is not None:
                picked.append(parent)
        return self._convert(picked, channel_id)

    def permalink(self, channel_id: str, ts: str, thread_ts: str | None = None) -> str:
        """A permalink with the export's domain (no API call)."""
        return build_permalink(domain=self.domain, channel_id=channel_id, ts=ts, thread_ts=thread_ts)
