"""Reading conversations through the Slack Web API.

:class:`WebAPIReader` implements :class:`bot.slack.reader.Reader` with ``conversations.history``
and ``conversations.replies`` (cursor pagination through slack_sdk's iteration over
``response_metadata.next_cursor``), ``conversations.info`` for channel records and names,
``users.info`` for the names of the people actually met (never the whole directory), and ``auth.test`` for
the team domain used in locally built permalinks. The lookups are cached on the reader (keep one reader
per workspace); names are also shared by every process through the limiter's shared store (Redis when
``RATE_LIMIT_URL`` is one), so a person is looked up once per deployment a day.

Every call goes through the shared rate limiter (:func:`bot.slack.client.paced`); the page size and the
number of ``conversations.replies`` calls made at once follow the app's distribution
(:class:`bot.slack.ratelimit.SlackLimiter`: 200 a page and 4 at once, or 15 and 1 for a commercially
distributed app outside the Slack Marketplace).

Errors are translated at the edge: ``not_in_channel``/``channel_not_found`` become
:class:`bot.errors.BotNotInChannel`, any other Slack API or connection failure (after the client's
own retry handlers, see :mod:`bot.slack.client`) becomes :class:`bot.errors.SlackReadError`.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import urllib.parse
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import strings
from bot.errors import BotNotInChannel, SlackAccessError, SlackReadError
from bot.models import Channel, Message
from bot.slack.attachments import AttachmentReader, SlackFileDownloader, files_of
from bot.slack.client import PacedWebClient, limiter_of, paced
from bot.slack.permalink import build_permalink
from bot.slack.ratelimit import SingleFlight
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

HISTORY_PAGE = 200  # conversations.history page size without a limiter (Slack recommends 200 or fewer)
REPLIES_PAGE = 200  # conversations.replies page size without a limiter
NAME_TTL = 86400.0  # seconds a person's display name stays in the shared store
DEFAULT_THREAD_LOOKBACK = 14 * 86400.0  # seconds before `oldest` scanned for parents of active threads
REPLY_CACHE_SECONDS = 120.0
"""How long a thread's replies read for a channel or week view are reused (seconds), while the thread's
``latest_reply`` and ``reply_count`` (as ``conversations.history`` shows them) are unchanged."""
REPLY_CACHE_THREADS = 2_000
"""Threads kept in a reader's reply cache at most (least recently used go first)."""

_ACCESS_ERRORS = {"not_in_channel", "channel_not_found"}
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def _ts_float(ts: str | None) -> float:
    try:
        return float(ts) if ts else 0.0
    except ValueError:
        return 0.0


def _fmt(seconds: float) -> str:
    return f"{seconds:.6f}"


class _NameLookups:
    """The names of a channel read's authors, looked up while its threads are still being read: each
    ``conversations.replies`` waits for its slot in Tier 3 and each ``users.info`` in Tier 4, so asking for the
    names as each thread arrives overlaps the two budgets. Looked up after the last thread (as before), a
    busy channel's 200 authors came after its replies and a weekly digest took up to 1.5× the replies' own
    bound. Leaving the ``with`` block waits for every lookup; errors stay with :meth:`WebAPIReader.user_name`
    (which keeps the ID when a name can't be read)."""

    def __init__(self, reader: WebAPIReader) -> None:
        self.reader = reader
        self._asked: set[str] = set()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=max(1, reader.reply_concurrency), thread_name_prefix="names")

    def __enter__(self) -> _NameLookups:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True)

    def ask(self, raws: list[dict[str, Any]]) -> None:
        """Start looking up the authors and people mentioned in ``raws`` that nobody has asked for yet."""
        wanted = self.reader._names_wanted(raws)
        with self._lock:
            new = sorted(wanted - self._asked)
            self._asked.update(new)
        for user_id in new:
            self._pool.submit(self.reader.user_name, user_id)


class WebAPIReader:
    """A :class:`~bot.slack.reader.Reader` over the Slack Web API.

    Args:
        client: a ``slack_sdk.WebClient`` (build it with :func:`bot.slack.client.make_web_client` so
            429/5xx/connection errors are retried by the SDK).
        domain: the workspace subdomain for permalinks; read once from ``auth.test`` when None.
        thread_lookback: seconds before ``oldest`` that :meth:`history` also scans for thread parents
            whose replies fall in the window (``conversations.history`` returns no parent older than
            ``oldest``, so older threads active in the window are only found within this lookback).
        reply_concurrency: how many ``conversations.replies`` calls :meth:`history` makes at once;
            None = the limiter's (:attr:`bot.slack.ratelimit.SlackLimiter.read_concurrency`), else 4.
        reply_cache_seconds: how long :meth:`history` reuses a thread's replies while the thread is
            unchanged (its ``latest_reply`` and ``reply_count``); 0 turns the cache off.

    Thread safety: the caches are guarded by a lock; one reader may serve many requests.
    """

    def __init__(
        self,
        client: WebClient,
        *,
        domain: str | None = None,
        thread_lookback: float = DEFAULT_THREAD_LOOKBACK,
        reply_concurrency: int | None = None,
        reply_cache_seconds: float = REPLY_CACHE_SECONDS,
    ) -> None:
        self._client = paced(client)
        self._limiter = limiter_of(self._client)
        if reply_concurrency is None:
            reply_concurrency = self._limiter.read_concurrency if self._limiter is not None else 4
        self.reply_concurrency = reply_concurrency
        self.history_page = self._limiter.page_size("conversations.history") if self._limiter else HISTORY_PAGE
        self.replies_page = self._limiter.page_size("conversations.replies") if self._limiter else REPLIES_PAGE
        self._domain = domain
        self.thread_lookback = thread_lookback
        self._users: dict[str, str] = {}
        self._channels: dict[str, Channel] = {}
        self._channel_names: dict[str, str] = {}
        self._lock = threading.Lock()
        self.reply_cache_seconds = reply_cache_seconds
        # (channel_id, parent ts) -> (latest_reply, reply_count, read at (monotonic seconds), replies)
        self._reply_cache: OrderedDict[tuple[str, str], tuple[str, int, float, list[dict[str, Any]]]] = OrderedDict()
        self._reading = SingleFlight()  # one read in flight per thread version serves every caller

    # ------------------------------------------------------------------ errors
    def _translate(self, exc: Exception, *, method: str, channel_id: str | None = None) -> Exception:
        if isinstance(exc, SlackApiError):
            error = str(exc.response.get("error", "unknown_error")) if exc.response is not None else "unknown"
            if channel_id and error in _ACCESS_ERRORS:
                return BotNotInChannel(
                    f"{method} on {channel_id}: {error}",
                    user_message=strings.READ_NOT_A_MEMBER.format(channel_id=channel_id),
                )
            return SlackReadError(
                f"Slack API {method} failed: {error}",
                user_message=strings.READ_FAILED,
            )
        return SlackReadError(
            f"Slack API {method} failed: {exc!r}",
            user_message=strings.READ_UNREACHABLE,
        )

    def _pages(self, method: str, channel_id: str | None, **kwargs: Any) -> Iterator[dict[str, Any]]:
        """Every page of a cursor-paginated method, with errors translated."""
        call = getattr(self._client, method.replace(".", "_"))
        cursor: str | None = None
        try:
            # An explicit cursor loop (not SlackResponse iteration, which calls the client's private
            # ``_request``): every page goes through the client's public method, so wrappers such as
            # client-side pacing see each call. Source: Slack's "Pagination" docs (next_cursor).
            while True:
                page = call(**kwargs, **({"cursor": cursor} if cursor else {}))
                data = dict(page.data) if hasattr(page, "data") else dict(page)
                yield data
                cursor = (data.get("response_metadata") or {}).get("next_cursor") or None
                if not cursor:
                    return
        except (SlackApiError, SlackClientError, OSError) as exc:
            raise self._translate(exc, method=method, channel_id=channel_id) from exc

    def _call(self, method: str, channel_id: str | None = None, **kwargs: Any) -> dict[str, Any]:
        call = getattr(self._client, method.replace(".", "_"))
        try:
            return dict(call(**kwargs).data)
        except (SlackApiError, SlackClientError, OSError) as exc:
            raise self._translate(exc, method=method, channel_id=channel_id) from exc

    # ------------------------------------------------------------------ lookups
    @property
    def domain(self) -> str:
        """The workspace subdomain (``"acme"`` of ``https://acme.slack.com/``), from ``auth.test`` once."""
        if self._domain is None:
            if isinstance(self._client, PacedWebClient):
                try:
                    url = str(self._client.auth().get("url") or "")
                except (SlackApiError, SlackClientError, OSError) as exc:
                    raise self._translate(exc, method="auth.test") from exc
            else:
                url = str(self._call("auth.test").get("url") or "")
            host = urllib.parse.urlsplit(url).hostname or ""
            self._domain = host.removesuffix(".slack.com") or "app"
        return self._domain

    def _name_key(self, user_id: str) -> str | None:
        if self._limiter is None or not isinstance(self._client, PacedWebClient):
            return None
        return f"name:{self._client.team()}:{user_id}"

    def user_name(self, user_id: str) -> str:
        """A user's display name: this reader's cache, then the shared store, then ``users.info`` (Tier 4);
        the ID itself when it can't be read (kept by this reader only)."""
        with self._lock:
            cached = self._users.get(user_id)
        if cached is not None:
            return cached
        key = self._name_key(user_id)
        shared = self._limiter.shared.get_json(key) if self._limiter is not None and key else None
        if isinstance(shared, str):
            name = shared
        else:
            try:
                user = self._call("users.info", user=user_id).get("user") or {}
                name = user_display_name(user)
            except SlackReadError as exc:
                logger.warning("users.info %s failed: %s", user_id, exc)
                with self._lock:  # not shared: another process (or this one's next reader) tries again
                    self._users[user_id] = user_id
                return user_id
            if self._limiter is not None and key:
                self._limiter.shared.set_json(key, name, ttl=NAME_TTL)
        with self._lock:
            self._users[user_id] = name
        return name

    def channel_name(self, channel_id: str) -> str:
        """A channel's name via ``conversations.info`` (cached); the ID itself when it can't be read."""
        with self._lock:
            cached = self._channel_names.get(channel_id)
        if cached is not None:
            return cached
        try:
            channel = self.channel(channel_id)
            # Like Slack shows non-members: a private conversation mentioned elsewhere keeps its name hidden.
            return "private-channel" if channel.is_restricted else channel.name
        except (SlackReadError, SlackAccessError):  # e.g. a private channel the bot isn't in
            with self._lock:
                self._channel_names[channel_id] = channel_id
            return channel_id

    def channel(self, channel: str) -> Channel:
        """The :class:`~bot.models.Channel` for an ID, via ``conversations.info`` (cached).

        Raises:
            BotNotInChannel: a private channel the bot is not in (Slack answers ``channel_not_found``).
            SlackReadError: any other failure.
        """
        with self._lock:
            cached = self._channels.get(channel)
        if cached is not None:
            return cached
        info = self._call("conversations.info", channel, channel=channel).get("channel") or {}
        name = info.get("name") or ""
        if info.get("is_im") and info.get("user"):
            name = self.user_name(str(info["user"]))
        record = Channel(
            id=str(info.get("id") or channel),
            name=str(name or channel),
            is_private=bool(info.get("is_private") or info.get("is_group")),
            is_im=bool(info.get("is_im")),
            is_mpim=bool(info.get("is_mpim")),
            is_ext_shared=bool(info.get("is_ext_shared")),
            is_member=bool(info.get("is_member", True)),
            is_archived=bool(info.get("is_archived")),
        )
        with self._lock:
            self._channels[channel] = record
            self._channel_names[channel] = "private-channel" if record.is_restricted else record.name
        return record

    # ------------------------------------------------------------------ conversion
    def _author(self, raw: dict[str, Any]) -> tuple[str | None, str]:
        user_id = raw.get("user")
        if is_bot_message(raw) and not user_id:
            profile = raw.get("bot_profile") or {}
            return None, str(raw.get("username") or profile.get("name") or raw.get("bot_id") or "bot")
        if not user_id:
            return None, str(raw.get("username") or "unknown")
        profile = raw.get("user_profile")
        if isinstance(profile, dict):
            with self._lock:
                if user_id not in self._users:
                    self._users[user_id] = user_display_name({"id": user_id, "profile": profile, **profile})
        return str(user_id), self.user_name(str(user_id))

    def to_message(self, raw: dict[str, Any], channel_id: str,
                   files: AttachmentReader | None = None) -> Message:
        """Convert one Web API message object into a :class:`~bot.models.Message`.

        Args:
            files: reads the text of the files the message shares (snippets, text files, canvases;
                :mod:`bot.slack.attachments`); None names them only.
        """
        ts = str(raw["ts"])
        user_id, user_name = self._author(raw)
        text = resolve_mrkdwn(message_text(raw, files.text_of if files is not None else None),
                              user_name=self.user_name, channel_name=self.channel_name)
        reply_count = int(raw.get("reply_count") or 0)
        thread_ts = raw.get("thread_ts")
        if thread_ts == ts and not reply_count:
            thread_ts = None
        return Message(
            channel_id=channel_id,
            ts=ts,
            user_id=user_id,
            user_name=user_name,
            text=text,
            thread_ts=str(thread_ts) if thread_ts else None,
            reply_count=reply_count,
            is_bot=is_bot_message(raw),
            reactions=reaction_count(raw), approvals=approval_count(raw),
            permalink=self.permalink(channel_id, ts, str(thread_ts) if thread_ts else None),
        )

    def _convert(self, raws: Iterable[dict[str, Any]], channel_id: str) -> list[Message]:
        seen: set[str] = set()
        kept: list[dict[str, Any]] = []
        for raw in raws:
            ts = raw.get("ts")
            if not ts or ts in seen or is_noise(raw):
                continue
            seen.add(str(ts))
            kept.append(raw)
        kept.sort(key=lambda r: _ts_float(r["ts"]))
        self._prefetch_names(kept)
        files = self.attachment_reader() if any(files_of(raw) for raw in kept) else None
        return [self.to_message(raw, channel_id, files) for raw in kept]

    def attachment_reader(self) -> AttachmentReader:
        """A reader of shared files for one conversation read (its size budget is per conversation), that
        downloads with this workspace's token from Slack's file host only (needs ``files:read``)."""
        return AttachmentReader(SlackFileDownloader(self._client.token or "", api_base_url=self._client.base_url,
                                                    timeout=float(self._client.timeout or 10)))

    def _prefetch_names(self, raws: list[dict[str, Any]]) -> None:
        """Look up the names of every author and mentioned person not yet known, :attr:`reply_concurrency`
        at a time (each ``users.info`` waits for its slot in the shared budget), instead of one by one while
        converting."""
        wanted = self._names_wanted(raws)
        with self._lock:
            missing = sorted(u for u in wanted if u not in self._users)
        if len(missing) > 1 and self.reply_concurrency > 1:
            with ThreadPoolExecutor(max_workers=self.reply_concurrency, thread_name_prefix="names") as pool:
                list(pool.map(self.user_name, missing))

    def _names_wanted(self, raws: list[dict[str, Any]]) -> set[str]:
        """The user IDs whose names a conversion of ``raws`` needs (authors without a profile, mentions) and
        this reader does not know yet."""
        wanted: set[str] = set()
        for raw in raws:
            if raw.get("user") and not isinstance(raw.get("user_profile"), dict):
                wanted.add(str(raw["user"]))
            wanted.update(_MENTION.findall(str(raw.get("text") or "")))
        with self._lock:
            return {u for u in wanted if u not in self._users}

    # ------------------------------------------------------------------ Reader
    def _replies(self, channel_id: str, thread_ts: str) -> list[dict[str, Any]]:
        raws: list[dict[str, Any]] = []
        for page in self._pages("conversations.replies", channel_id, channel=channel_id, ts=thread_ts,
                                limit=self.replies_page):
            raws.extend(page.get("messages") or [])
        return raws

    def _thread_replies(self, channel_id: str, parent: dict[str, Any]) -> list[dict[str, Any]]:
        """A channel view's read of one thread, shared: while the thread is unchanged (the parent's
        ``latest_reply`` and ``reply_count`` as ``conversations.history`` just showed them), a read made
        in the last :attr:`reply_cache_seconds` is reused, and one read in flight serves every request
        that wants the same thread (a dozen people running ``/summarize #general`` in the same minute cost
        one ``conversations.replies`` per thread, not a dozen, against Slack's Tier 3 budget).
        An edited reply shows up at most :attr:`reply_cache_seconds` late; a new reply at once."""
        parent_ts = str(parent["ts"])
        latest_reply, reply_count = str(parent.get("latest_reply") or ""), int(parent.get("reply_count") or 0)
        if self.reply_cache_seconds <= 0 or not latest_reply:
            return self._replies(channel_id, parent_ts)
        key = (channel_id, parent_ts)

        def cached() -> list[dict[str, Any]] | None:
            with self._lock:
                entry = self._reply_cache.get(key)
                if (entry is not None and entry[:2] == (latest_reply, reply_count)
                        and time.monotonic() - entry[2] < self.reply_cache_seconds):
                    self._reply_cache.move_to_end(key)
                    return entry[3]
            return None

        def read() -> list[dict[str, Any]]:
            found = cached()  # a read that ended just before this one began
            if found is not None:
                return found
            replies = self._replies(channel_id, parent_ts)
            with self._lock:
                self._reply_cache[key] = (latest_reply, reply_count, time.monotonic(), replies)
                self._reply_cache.move_to_end(key)
                while len(self._reply_cache) > REPLY_CACHE_THREADS:
                    self._reply_cache.popitem(last=False)
            return replies

        found = cached()
        if found is not None:
            return found
        replies: list[dict[str, Any]] = self._reading.run((channel_id, parent_ts, latest_reply, str(reply_count)), read)
        return replies

    def thread(self, channel_id: str, thread_ts: str) -> list[Message]:
        """The parent and every reply of a thread, oldest first, noise dropped.

        Raises:
            BotNotInChannel: the bot is not a member.
            SlackReadError: e.g. ``thread_not_found``.
        """
        return self._convert(self._replies(channel_id, thread_ts), channel_id)

    def history(
        self, channel_id: str, *, oldest: float, latest: float, include_replies: bool = True
    ) -> list[Message]:
        """Messages posted in ``[oldest, latest)`` (Unix seconds), oldest first.

        With ``include_replies``, replies posted in the window are added for every thread active in
        it: parents in the window, and parents up to :attr:`thread_lookback` seconds older whose
        ``latest_reply`` is in the window (their parent is included too, for context, even though
        it was posted before ``oldest``). Thread broadcasts appear once.

        Raises:
            BotNotInChannel: the bot is not a member (``not_in_channel``/``channel_not_found``).
            SlackReadError: any other Slack failure.
        """
        scan_oldest = oldest - self.thread_lookback if include_replies else oldest
        top: list[dict[str, Any]] = []
        for page in self._pages(
            "conversations.history",
            channel_id,
            channel=channel_id,
            oldest=_fmt(max(scan_oldest, 0.0)),
            latest=_fmt(latest),
            inclusive=True,
            limit=self.history_page,
        ):
            top.extend(page.get("messages") or [])
        in_window = [m for m in top if oldest <= _ts_float(m.get("ts")) < latest]
        raws: list[dict[str, Any]] = list(in_window)
        with _NameLookups(self) as names:
            names.ask(in_window)
            if include_replies:
                self._add_replies(channel_id, top, raws, names, oldest=oldest, latest=latest)
        return self._convert(raws, channel_id)

    def _add_replies(self, channel_id: str, top: list[dict[str, Any]], raws: list[dict[str, Any]],
                     names: _NameLookups, *, oldest: float, latest: float) -> None:
        """Add to ``raws`` the replies in ``[oldest, latest)`` of the threads of ``top`` (see :meth:`history`),
        asking ``names`` for their authors as each thread arrives."""
        parents = []
        for parent in top:
            if not parent.get("reply_count") or parent.get("thread_ts") != parent.get("ts"):
                continue
            latest_reply = _ts_float(parent.get("latest_reply"))
            parent_ts = _ts_float(parent.get("ts"))
            if (latest_reply and latest_reply < oldest) or parent_ts >= latest:
                continue
            parents.append(parent)
        # conversations.replies for several threads at once (bounded), each waiting for its slot in the
        # workspace's shared budget; a 429's Retry-After blocks every process (bot.slack.ratelimit).
        # Order is kept: results come back in input order.
        def read(parent: dict[str, Any]) -> list[dict[str, Any]]:
            replies = self._thread_replies(channel_id, parent)
            names.ask(replies)  # the authors' users.info (Tier 4) while the next threads wait for theirs
            return replies

        with ThreadPoolExecutor(max_workers=max(1, self.reply_concurrency)) as pool:
            all_replies = list(pool.map(read, parents))
        for parent, replies in zip(parents, all_replies, strict=True):
            parent_ts = _ts_float(parent.get("ts"))
            fresh = [r for r in replies if r.get("ts") != parent["ts"] and oldest <= _ts_float(r.get("ts")) < latest]
            if not fresh and parent_ts < oldest:
                continue
            if parent_ts < oldest:
                raws.append(parent)
            raws.extend(fresh)

    def permalink(self, channel_id: str, ts: str, thread_ts: str | None = None) -> str:
        """A permalink built locally with the team domain (one ``auth.test`` per reader)."""
        return build_permalink(domain=self.domain, channel_id=channel_id, ts=ts, thread_ts=thread_ts)
