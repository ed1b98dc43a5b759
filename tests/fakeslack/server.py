"""FakeSlack: an in-process, stateful Slack Web API on ``127.0.0.1:<free port>``.

Like bolt-python's own test server (a real HTTP server the real ``slack_sdk.WebClient`` talks to), but
with a workspace model so reads see earlier writes:

* state: a team (``team_id``, ``domain``, name), users (``users.info`` objects), channels
  (:class:`FakeChannel`) with top-level messages and threads;
* endpoints with Slack's documented semantics (https://docs.slack.dev/reference/methods):
  ``auth.test``, ``conversations.history|replies|info|members|open``, ``users.info|list``,
  ``chat.postMessage|postEphemeral|update|delete|getPermalink``, ``reactions.add|remove``,
  ``views.publish|open``, ``assistant.threads.*``, ``chat.startStream|appendStream|stopStream``;
  any other method answers ``{"ok": true}`` and is recorded;
* recording: :attr:`FakeSlack.calls` holds ``(method, params)``; :meth:`FakeSlack.calls_to` filters;
* faults: :meth:`FakeSlack.fail` (429 + ``Retry-After``, 5xx, ``ok: false`` errors, slow answers,
  reset connections) and :meth:`FakeSlack.rate_limit` (per-method limits with a time scale);
* bulk load: :meth:`FakeSlack.load_julialang` reads ``../shared/data/slack-api-julialang``.

Requests may be form-encoded, JSON, or GET query strings; the token comes from
``Authorization: Bearer`` (or a ``token`` parameter).
"""

from __future__ import annotations

import base64
import bisect
import itertools
import json
import math
import threading
import time
import urllib.parse
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

BOT_TOKEN = "xoxb-test"
BOT_USER_ID = "U0BOT"
BOT_ID = "B0BOT"

MAX_TEXT_CHARS = 40_000  # chat.postMessage: text is truncated/refused past 40,000 characters
MAX_BLOCKS = 50  # Block Kit: at most 50 blocks per message
MAX_SECTION_TEXT = 3000  # Block Kit: a section's text is at most 3000 characters

Params = dict[str, Any]


def ts_key(ts: str) -> int:
    """A Slack ``ts`` (``"1700000000.000100"``) as integer microseconds, for exact ordering."""
    sec, _, frac = str(ts).partition(".")
    return int(sec) * 1_000_000 + int((frac + "000000")[:6])


def _key_of_bound(value: Any, default: int) -> int:
    if value in (None, ""):
        return default
    return ts_key(str(value))


def _truthy(value: Any) -> bool:
    return str(value).lower() in ("1", "true", "yes")


def _encode_cursor(value: str) -> str:
    return base64.urlsafe_b64encode(value.encode()).decode()


def _decode_cursor(cursor: str) -> str | None:
    try:
        return base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        return None


class SlackError(Exception):
    """An ``{"ok": false, "error": ...}`` answer raised inside a method handler."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


@dataclass
class SlackFault:
    """One injected failure for a method (see :meth:`FakeSlack.fail`).

    Attributes:
        status: HTTP status to answer with (429, 500, 503, …), or None for 200.
        retry_after: ``Retry-After`` header, seconds (429 only).
        error: the ``error`` of a 200 ``ok: false`` answer (or of the 4xx/5xx body).
        delay: seconds to wait before answering.
        reset: close the connection without an answer.
        times: how many calls it affects.
    """

    status: int | None = None
    retry_after: int = 1
    error: str | None = None
    delay: float = 0.0
    reset: bool = False
    times: int = 1


@dataclass
class FakeChannel:
    """A conversation in the fake workspace.

    Attributes:
        id, name, is_private, is_im, is_mpim, is_ext_shared, is_archived: as in ``conversations.info``.
        members: user IDs of the members (the bot reads only where it is one).
        user: the other person of a DM (``is_im``).
        messages: top-level messages (and thread broadcasts), oldest first.
        replies: ``thread_ts`` -> replies of that thread, oldest first (parent excluded).
    """

    id: str
    name: str
    is_private: bool = False
    is_im: bool = False
    is_mpim: bool = False
    is_ext_shared: bool = False
    is_archived: bool = False
    members: list[str] = field(default_factory=list)
    user: str | None = None
    created: int = 1_600_000_000
    topic: str = ""
    purpose: str = ""
    messages: list[dict[str, Any]] = field(default_factory=list)
    replies: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _keys: list[int] = field(default_factory=list, repr=False)

    def info(self, *, bot_user_id: str) -> dict[str, Any]:
        """The ``channel`` object of ``conversations.info``."""
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "is_channel": not (self.is_private or self.is_im or self.is_mpim),
            "is_group": self.is_private and not self.is_mpim,
            "is_im": self.is_im,
            "is_mpim": self.is_mpim,
            "is_private": self.is_private or self.is_im or self.is_mpim,
            "is_archived": self.is_archived,
            "is_ext_shared": self.is_ext_shared,
            "is_shared": self.is_ext_shared,
            "is_org_shared": False,
            "is_general": self.name == "general",
            "is_member": bot_user_id in self.members,
            "created": self.created,
            "num_members": len(self.members),
            "topic": {"value": self.topic, "creator": "", "last_set": 0},
            "purpose": {"value": self.purpose, "creator": "", "last_set": 0},
        }
        if self.is_im:
            data["user"] = self.user
            data.pop("name")
        return data

    def insert_top(self, message: dict[str, Any]) -> None:
        """Insert a top-level message keeping ``messages`` sorted by ``ts``."""
        key = ts_key(message["ts"])
        i = bisect.bisect_left(self._keys, key)
        self._keys.insert(i, key)
        self.messages.insert(i, message)

    def find(self, ts: str) -> dict[str, Any] | None:
        """The top-level message with this ``ts``, or None."""
        key = ts_key(ts)
        i = bisect.bisect_left(self._keys, key)
        if i < len(self._keys) and self._keys[i] == key:
            return self.messages[i]
        return None

    def find_any(self, ts: str) -> dict[str, Any] | None:
        """A top-level message or a reply with this ``ts``, or None."""
        found = self.find(ts)
        if found is not None:
            return found
        for replies in self.replies.values():
            for reply in replies:
                if reply["ts"] == ts:
                    return reply
        return None

    def remove(self, ts: str) -> bool:
        """Delete a message (top level or reply); True when found."""
        key = ts_key(ts)
        i = bisect.bisect_left(self._keys, key)
        found = False
        if i < len(self._keys) and self._keys[i] == key:
            del self._keys[i]
            del self.messages[i]
            found = True
        for thread_ts, replies in self.replies.items():
            kept = [r for r in replies if r["ts"] != ts]
            if len(kept) != len(replies):
                self.replies[thread_ts] = kept
                found = True
                self._refresh_parent(thread_ts)
        return found

    def _refresh_parent(self, thread_ts: str) -> None:
        parent = self.find(thread_ts)
        if parent is None:
            return
        replies = self.replies.get(thread_ts, [])
        parent["thread_ts"] = thread_ts
        parent["reply_count"] = len(replies)
        users = list(dict.fromkeys(r.get("user") for r in replies if r.get("user")))
        parent["reply_users"] = users
        parent["reply_users_count"] = len(users)
        if replies:
            parent["latest_reply"] = replies[-1]["ts"]
        else:
            for k in ("latest_reply", "reply_users", "reply_users_count"):
                parent.pop(k, None)
            parent["reply_count"] = 0

    def add_reply(self, thread_ts: str, message: dict[str, Any]) -> None:
        """Append a reply to a thread and update the parent's ``reply_count``/``latest_reply``."""
        replies = self.replies.setdefault(thread_ts, [])
        keys = [ts_key(r["ts"]) for r in replies]
        replies.insert(bisect.bisect_left(keys, ts_key(message["ts"])), message)
        self._refresh_parent(thread_ts)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self._handle()

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        self._handle()

    def _params(self) -> Params:
        parsed = urllib.parse.urlsplit(self.path)
        params: Params = dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        ctype = (self.headers.get("Content-Type") or "").lower()
        if body:
            if "application/json" in ctype:
                try:
                    loaded = json.loads(body.decode("utf-8"))
                    if isinstance(loaded, dict):
                        params.update(loaded)
                except (ValueError, UnicodeDecodeError):
                    params["__invalid_json__"] = True
            elif "x-www-form-urlencoded" in ctype:
                params.update(urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        return params

    def _handle(self) -> None:
        fake = self.server.fake
        method = urllib.parse.urlsplit(self.path).path.rsplit("/", 1)[-1]
        params = self._params()
        auth = self.headers.get("Authorization") or ""
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else params.pop("token", None)
        status, headers, body = fake.dispatch(method, params, token=token)
        if status is None:  # reset: drop the connection without an answer
            self.close_connection = True
            return
        payload = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeSlack


class FakeSlack:
    """A stateful fake Slack Web API served over HTTP on ``127.0.0.1`` (free port), for tests.

    Args:
        team_id: the workspace ID returned by ``auth.test``.
        domain: the workspace subdomain (``https://<domain>.slack.com/``).
        team_name: the workspace name.
        time_scale: how much faster than real time the emulated rate limits run (60 makes a
            "minute" last one second).
        replies_parent_every_page: repeat the thread parent at the top of every page of
            ``conversations.replies`` (reported of real Slack, not documented; readers must
            de-duplicate); False shows it on the first page only. Readers should pass with both.

    Use it as a context manager (``with FakeSlack() as fake``) or call :meth:`start`/:meth:`stop`.
    Point ``slack_sdk.WebClient(token=BOT_TOKEN, base_url=fake.base_url)`` at it.
    """

    def __init__(
        self,
        *,
        team_id: str = "T0TEST",
        domain: str = "recap-test",
        team_name: str = "Recap Test",
        time_scale: float = 1.0,
        replies_parent_every_page: bool = True,
    ) -> None:
        self.team_id = team_id
        self.domain = domain
        self.team_name = team_name
        self.time_scale = time_scale
        self.replies_parent_every_page = replies_parent_every_page
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, FakeChannel] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.calls: list[tuple[str, Params]] = []
        self.ephemerals: list[dict[str, Any]] = []
        self.views: list[dict[str, Any]] = []
        self.faults: dict[str, deque[SlackFault]] = {}
        self.rate_limits: dict[str, int] = {}
        self._rate_hits: dict[str, deque[float]] = {}
        self.lock = threading.RLock()
        self._ts_clock = 0
        self._id_counter = itertools.count(1)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.bot_user_id = BOT_USER_ID
        self.add_token(BOT_TOKEN, user_id=BOT_USER_ID, bot_id=BOT_ID)
        self.add_user(BOT_USER_ID, "recap", real_name="Recap", is_bot=True, bot_id=BOT_ID)

    # ----------------------------------------------------------------- lifecycle
    def start(self) -> FakeSlack:
        """Start serving on a free port in a daemon thread; returns self."""
        if self._server is None:
            self._server = _Server(("127.0.0.1", 0), _Handler)
            self._server.fake = self
            self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True, name="fakeslack")
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the server and close its socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The TCP port served (starts the server if needed)."""
        self.start()
        assert self._server is not None
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/api/``: the ``base_url`` for ``slack_sdk.WebClient``."""
        return f"http://127.0.0.1:{self.port}/api/"

    # ----------------------------------------------------------------- workspace builders
    def add_token(self, token: str, *, user_id: str, bot_id: str | None = None) -> None:
        """Accept ``token`` as the identity of ``user_id`` (a bot when ``bot_id`` is given)."""
        self.tokens[token] = {"user_id": user_id, "bot_id": bot_id}

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        real_name: str | None = None,
        display_name: str | None = None,
        is_bot: bool = False,
        tz: str = "America/New_York",
        tz_offset: int = -18000,
        deleted: bool = False,
        bot_id: str | None = None,
        is_admin: bool = False,
        is_owner: bool = False,
        is_restricted: bool = False,
        is_ultra_restricted: bool = False,
    ) -> dict[str, Any]:
        """Add (or replace) a user; returns its ``users.info`` object.

        The role flags are the user object's (https://docs.slack.dev/reference/objects/user-object):
        ``is_admin``, ``is_owner`` (``is_primary_owner`` stays False), ``is_restricted`` (a multi-channel
        guest) and ``is_ultra_restricted`` (a single-channel guest, who is also ``is_restricted``).
        """
        real = real_name if real_name is not None else name
        user: dict[str, Any] = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "deleted": deleted,
            "real_name": real,
            "tz": tz,
            "tz_offset": tz_offset,
            "is_bot": is_bot,
            "is_admin": is_admin,
            "is_owner": is_owner,
            "is_primary_owner": False,
            "is_restricted": is_restricted or is_ultra_restricted,
            "is_ultra_restricted": is_ultra_restricted,
            "is_app_user": False,
            "profile": {
                "real_name": real,
                "display_name": display_name if display_name is not None else "",
                "team": self.team_id,
            },
        }
        if bot_id:
            user["profile"]["bot_id"] = bot_id
        with self.lock:
            self.users[user_id] = user
        return user

    def add_channel(
        self,
        channel_id: str,
        name: str,
        *,
        is_private: bool = False,
        is_im: bool = False,
        is_mpim: bool = False,
        is_ext_shared: bool = False,
        is_archived: bool = False,
        members: list[str] | None = None,
        bot_member: bool = True,
        user: str | None = None,
    ) -> FakeChannel:
        """Add a channel; the bot is added to ``members`` unless ``bot_member`` is False."""
        members = list(members or [])
        if bot_member and self.bot_user_id not in members:
            members.append(self.bot_user_id)
        if not bot_member and self.bot_user_id in members:
            members.remove(self.bot_user_id)
        channel = FakeChannel(
            id=channel_id,
            name=name,
            is_private=is_private,
            is_im=is_im,
            is_mpim=is_mpim,
            is_ext_shared=is_ext_shared,
            is_archived=is_archived,
            members=members,
            user=user,
        )
        with self.lock:
            self.channels[channel_id] = channel
        return channel

    def join(self, channel_id: str, user_id: str) -> None:
        """``user_id`` joins ``channel_id`` (``conversations.members`` lists them from now on). The app is
        told by a ``member_joined_channel`` event, which a test sends through the harness."""
        with self.lock:
            members = self.channels[channel_id].members
            if user_id not in members:
                members.append(user_id)

    def leave(self, channel_id: str, user_id: str) -> None:
        """``user_id`` leaves (or is removed from) ``channel_id`` (``member_left_channel``)."""
        with self.lock:
            members = self.channels[channel_id].members
            if user_id in members:
                members.remove(user_id)

    def set_role(self, user_id: str, **flags: bool) -> dict[str, Any]:
        """Change a user's role flags (``is_restricted=True`` turns a member guest; ``user_change``);
        returns the updated user object."""
        allowed = {"is_admin", "is_owner", "is_primary_owner", "is_restricted", "is_ultra_restricted", "deleted"}
        if not set(flags) <= allowed:
            raise ValueError(f"unknown role flags {sorted(set(flags) - allowed)}")
        with self.lock:
            user = self.users[user_id]
            user.update(flags)
            if user.get("is_ultra_restricted"):
                user["is_restricted"] = True
            return dict(user)

    def next_ts(self) -> str:
        """A fresh, increasing message ``ts`` near the current time."""
        with self.lock:
            now = int(time.time() * 1_000_000)
            self._ts_clock = max(self._ts_clock + 1, now)
            return f"{self._ts_clock // 1_000_000}.{self._ts_clock % 1_000_000:06d}"

    def post(
        self,
        channel_id: str,
        user: str | None,
        text: str,
        *,
        thread_ts: str | None = None,
        ts: str | float | None = None,
        subtype: str | None = None,
        bot_id: str | None = None,
        reply_broadcast: bool = False,
        **extra: Any,
    ) -> dict[str, Any]:
        """Add a message to a channel's state (no checks, no recording); returns the message dict.

        Args:
            channel_id: an existing channel.
            user: author's user ID (None for an integration).
            text: mrkdwn text.
            thread_ts: the parent's ``ts`` to post a reply (the parent's ``reply_count`` and
                ``latest_reply`` are updated).
            ts: the message ``ts`` (string or Unix seconds); a fresh one by default.
            subtype: e.g. ``"channel_join"``, ``"bot_message"``, ``"thread_broadcast"``.
            bot_id: the integration's bot ID.
            reply_broadcast: also show a reply in the channel (``subtype: thread_broadcast``).
            **extra: more fields (``files``, ``edited``, ``attachments``, …).
        """
        if ts is None:
            ts_str = self.next_ts()
        elif isinstance(ts, float | int):
            ts_str = f"{float(ts):.6f}"
        else:
            ts_str = ts
        message: dict[str, Any] = {"type": "message", "ts": ts_str, "text": text}
        if user is not None:
            message["user"] = user
        if subtype:
            message["subtype"] = subtype
        if bot_id:
            message["bot_id"] = bot_id
        message.update(extra)
        with self.lock:
            channel = self.channels[channel_id]
            if thread_ts and thread_ts != ts_str:
                message["thread_ts"] = thread_ts
                if reply_broadcast:
                    message["subtype"] = "thread_broadcast"
                channel.add_reply(thread_ts, message)
                if reply_broadcast:
                    channel.insert_top(message)
            else:
                channel.insert_top(message)
        return message

    # ----------------------------------------------------------------- recording and faults
    def calls_to(self, method: str) -> list[Params]:
        """The params of every recorded call to ``method``, in order."""
        with self.lock:
            return [params for name, params in self.calls if name == method]

    def fail(
        self,
        method: str,
        *,
        status: int | None = None,
        retry_after: int = 1,
        times: int = 1,
        error: str | None = None,
        delay: float = 0.0,
        reset: bool = False,
    ) -> None:
        """Make the next ``times`` calls to ``method`` fail.

        With no ``error``, ``delay`` or ``reset`` the failure is HTTP 429 with ``Retry-After`` and
        ``{"ok": false, "error": "ratelimited"}``. ``status=500``/``503`` answer a server error;
        ``error="..."`` answers 200 with ``ok: false``; ``delay`` waits before answering normally (or
        with the status/error given); ``reset`` closes the connection without an answer.
        """
        if status is None and error is None and not delay and not reset:
            status = 429
        fault = SlackFault(status=status, retry_after=retry_after, error=error, delay=delay, reset=reset,
                           times=times)
        with self.lock:
            self.faults.setdefault(method, deque()).append(fault)

    def rate_limit(self, method: str, *, per_minute: int) -> None:
        """Emulate a per-method rate limit (Tier 3 is 50/min) in scaled time (:attr:`time_scale`)."""
        with self.lock:
            self.rate_limits[method] = per_minute
            self._rate_hits[method] = deque()

    def _take_fault(self, method: str) -> SlackFault | None:
        queue = self.faults.get(method)
        if not queue:
            return None
        fault = queue[0]
        fault.times -= 1
        if fault.times <= 0:
            queue.popleft()
        return fault

    def _rate_limited(self, method: str) -> int | None:
        limit = self.rate_limits.get(method)
        if limit is None:
            return None
        window = 60.0 / self.time_scale
        now = time.monotonic()
        hits = self._rate_hits[method]
        while hits and now - hits[0] >= window:
            hits.popleft()
        if len(hits) >= limit:
            return max(0, math.ceil(window - (now - hits[0])) - 1) if window > 1 else 0
        hits.append(now)
        return None

    # ----------------------------------------------------------------- dispatch
    def dispatch(self, method: str, params: Params, *, token: str | None) -> tuple[int | None, dict, dict]:
        """Answer one call: ``(status or None for a reset, headers, body)``. Used by the HTTP handler."""
        with self.lock:
            self.calls.append((method, dict(params)))
            fault = self._take_fault(method)
            limited = self._rate_limited(method) if fault is None else None
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.reset:
                return None, {}, {}
            if fault.status == 429:
                return 429, {"Retry-After": str(fault.retry_after)}, {"ok": False, "error": "ratelimited"}
            if fault.status is not None and fault.status >= 400:
                return fault.status, {}, {"ok": False, "error": fault.error or "internal_error"}
            if fault.error:
                return 200, {}, {"ok": False, "error": fault.error}
        if limited is not None:
            return 429, {"Retry-After": str(limited)}, {"ok": False, "error": "ratelimited"}
        if not token:
            return 200, {}, {"ok": False, "error": "not_authed"}
        identity = self.tokens.get(token)
        if identity is None:
            return 200, {}, {"ok": False, "error": "invalid_auth"}
        if params.get("__invalid_json__"):
            return 200, {}, {"ok": False, "error": "invalid_json"}
        handler: Callable[[Params, dict[str, Any]], dict[str, Any]] | None = getattr(
            self, "_m_" + method.replace(".", "_"), None
        )
        try:
            with self.lock:
                body = handler(params, identity) if handler else {}
        except SlackError as exc:
            return 200, {}, {"ok": False, "error": exc.error, **exc.extra}
        return 200, {}, {"ok": True, **body}

    # ----------------------------------------------------------------- helpers for methods
    def _channel_for_read(self, params: Params, identity: dict[str, Any]) -> FakeChannel:
        channel_id = params.get("channel")
        if not channel_id:
            raise SlackError("invalid_arguments")
        channel = self.channels.get(str(channel_id))
        if channel is None:
            raise SlackError("channel_not_found")
        if identity["user_id"] not in channel.members:
            if channel.is_private or channel.is_im or channel.is_mpim:
                raise SlackError("channel_not_found")
            raise SlackError("not_in_channel")
        return channel

    def _channel_for_write(self, params: Params, identity: dict[str, Any]) -> FakeChannel:
        channel_id = str(params.get("channel") or "")
        if channel_id in self.users:  # posting to a user ID writes to the DM with them
            return self._open_im(channel_id, identity)
        channel = self._channel_for_read(params, identity)
        if channel.is_archived:
            raise SlackError("is_archived")
        return channel

    def _open_im(self, user_id: str, identity: dict[str, Any]) -> FakeChannel:
        for channel in self.channels.values():
            if channel.is_im and channel.user == user_id and identity["user_id"] in channel.members:
                return channel
        channel_id = f"D{next(self._id_counter):08d}"
        return self.add_channel(channel_id, user_id, is_im=True, members=[identity["user_id"], user_id],
                                user=user_id)

    @staticmethod
    def _limit(params: Params, default: int, maximum: int) -> int:
        try:
            limit = int(params.get("limit") or default)
        except ValueError as exc:
            raise SlackError("invalid_limit") from exc
        if limit <= 0:
            limit = default
        return min(limit, maximum)

    @staticmethod
    def _blocks(params: Params) -> list[Any] | None:
        blocks = params.get("blocks")
        if blocks in (None, ""):
            return None
        if isinstance(blocks, str):
            try:
                blocks = json.loads(blocks)
            except ValueError as exc:
                raise SlackError("invalid_blocks_format") from exc
        if not isinstance(blocks, list):
            raise SlackError("invalid_blocks_format")
        return blocks

    def _check_content(self, params: Params, *, require: bool = True) -> tuple[str, list[Any] | None]:
        text = str(params.get("text") or params.get("markdown_text") or "")
        blocks = self._blocks(params)
        if require and not text and not blocks and not params.get("attachments"):
            raise SlackError("no_text")
        if len(text) > MAX_TEXT_CHARS:
            raise SlackError("msg_too_long")
        if blocks is not None:
            if len(blocks) > MAX_BLOCKS:
                raise SlackError("invalid_blocks", errors=[f"must provide less than {MAX_BLOCKS + 1} items"])
            for i, block in enumerate(blocks):
                if not isinstance(block, dict) or "type" not in block:
                    raise SlackError("invalid_blocks", errors=[f"invalid block [{i}]"])
                if block["type"] == "section":
                    section_text = (block.get("text") or {}).get("text", "")
                    if len(section_text) > MAX_SECTION_TEXT:
                        raise SlackError(
                            "invalid_blocks",
                            errors=[f"must be less than {MAX_SECTION_TEXT + 1} characters [json-pointer:/blocks/{i}/text]"],
                        )
        return text, blocks

    def _message_view(self, message: dict[str, Any]) -> dict[str, Any]:
        return dict(message)

    # ----------------------------------------------------------------- methods
    def _m_auth_test(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(identity["user_id"], {})
        body = {
            "url": f"https://{self.domain}.slack.com/",
            "team": self.team_name,
            "user": user.get("name", identity["user_id"]),
            "team_id": self.team_id,
            "user_id": identity["user_id"],
            "is_enterprise_install": False,
        }
        if identity.get("bot_id"):
            body["bot_id"] = identity["bot_id"]
        return body

    def _m_conversations_history(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_for_read(params, identity)
        limit = self._limit(params, 100, 999)
        inclusive = _truthy(params.get("inclusive", False))
        oldest = _key_of_bound(params.get("oldest"), 0)
        latest = _key_of_bound(params.get("latest"), 1 << 62)
        cursor = params.get("cursor")
        if cursor:
            decoded = _decode_cursor(str(cursor))
            if not decoded or not decoded.startswith("h:"):
                raise SlackError("invalid_cursor")
            latest, inclusive_latest = int(decoded[2:]), False
        else:
            inclusive_latest = inclusive
        keys = channel._keys
        lo = bisect.bisect_left(keys, oldest) if inclusive else bisect.bisect_right(keys, oldest)
        hi = bisect.bisect_right(keys, latest) if inclusive_latest else bisect.bisect_left(keys, latest)
        window = channel.messages[lo:hi]
        page = list(reversed(window[-limit:]))
        has_more = len(window) > limit
        body: dict[str, Any] = {
            "messages": [self._message_view(m) for m in page],
            "has_more": has_more,
            "pin_count": 0,
            "channel_actions_ts": None,
            "channel_actions_count": 0,
        }
        if has_more:
            body["response_metadata"] = {"next_cursor": _encode_cursor(f"h:{ts_key(page[-1]['ts'])}")}
        else:
            body["response_metadata"] = {"next_cursor": ""}
        return body

    def _m_conversations_replies(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_for_read(params, identity)
        thread_ts = str(params.get("ts") or "")
        if not thread_ts:
            raise SlackError("invalid_arguments")
        parent = channel.find(thread_ts)
        replies = channel.replies.get(thread_ts, [])
        if parent is None:
            reply = channel.find_any(thread_ts)
            if reply is None:
                raise SlackError("thread_not_found")
            if reply.get("thread_ts") and reply["thread_ts"] != thread_ts:
                parent = channel.find(reply["thread_ts"])
                replies = channel.replies.get(reply["thread_ts"], [])
                if parent is None:
                    parent = reply
                    replies = []
            else:
                parent = reply
        limit = self._limit(params, 1000, 1000)
        oldest = _key_of_bound(params.get("oldest"), 0)
        latest = _key_of_bound(params.get("latest"), 1 << 62)
        inclusive = _truthy(params.get("inclusive", False))
        start = 0
        cursor = params.get("cursor")
        if cursor:
            decoded = _decode_cursor(str(cursor))
            if not decoded or not decoded.startswith("r:"):
                raise SlackError("invalid_cursor")
            start = int(decoded[2:])

        def in_range(m: dict[str, Any]) -> bool:
            k = ts_key(m["ts"])
            lo_ok = k >= oldest if inclusive else k > oldest or oldest == 0
            hi_ok = k <= latest if inclusive else k < latest
            return lo_ok and hi_ok

        selected = [r for r in replies if in_range(r)]
        first_page = start == 0
        show_parent = first_page or self.replies_parent_every_page
        room = limit - 1 if show_parent else limit
        room = max(room, 1)
        chunk = selected[start : start + room]
        page = ([self._message_view(parent)] if show_parent else []) + [self._message_view(m) for m in chunk]
        has_more = start + room < len(selected)
        body: dict[str, Any] = {"messages": page, "has_more": has_more}
        body["response_metadata"] = {"next_cursor": _encode_cursor(f"r:{start + room}") if has_more else ""}
        return body

    def _m_conversations_info(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:
        channel = self.channels.get(str(params.get("channel") or ""))
        if channel is None:
            raise SlackError("channel_not_found")
        restricted = channel.is_private or channel.is_im or channel.is_mpim
        if restricted and identity["user_id"] not in channel.members:
            raise SlackError("channel_not_found")
        return {"channel": channel.info(bot_user_id=identity["user_id"])}

    def _m_conversations_members(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:
        channel = self.channels.get(str(params.get("channel") or ""))
        if channel is None:
            raise SlackError("channel_not_found")
        restricted = channel.is_private or channel.is_im or channel.is_mpim
        if restricted and identity["user_id"] not in channel.members:
            raise SlackError("channel_not_found")
        return self._paginate(channel.members, params, key="members", default=100, maximum=1000)

    def _paginate(self, items: list[Any], params: Params, *, key: str, default: int, maximum: int) -> dict:
        limit = self._limit(params, default, maximum)
        start = 0
        cursor = params.get("cursor")
        if cursor:
            decoded = _decode_cursor(str(cursor))
            if not decoded or not decoded.startswith("o:"):
                raise SlackError("invalid_cursor")
            start = int(decoded[2:])
        chunk = items[start : start + limit]
        more = start + limit < len(items)
        return {key: chunk, "response_metadata": {"next_cursor": _encode_cursor(f"o:{start + limit}") if more else ""}}

    def _m_conversations_open(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:
        if params.get("channel"):
            channel = self._channel_for_read(params, identity)
            return {"channel": {"id": channel.id}}
        users = [u for u in str(params.get("users") or "").split(",") if u]
        if not users:
            raise SlackError("users_list_not_supplied")
        for user_id in users:
            if user_id not in self.users:
                raise SlackError("user_not_found")
        if len(users) == 1:
            channel = self._open_im(users[0], identity)
            return {"channel": {"id": channel.id}, "no_op": False, "already_open": False}
        members = sorted({identity["user_id"], *users})
        for channel in self.channels.values():
            if channel.is_mpim and sorted(channel.members) == members:
                return {"channel": {"id": channel.id}}
        channel_id = f"G{next(self._id_counter):08d}"
        name = "mpdm-" + "--".join(self.users[u]["name"] for u in members) + "-1"
        self.add_channel(channel_id, name, is_mpim=True, is_private=True, members=members)
        return {"channel": {"id": channel_id}}

    def _m_users_info(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(params.get("user") or ""))
        if user is None:
            raise SlackError("user_not_found")
        return {"user": user}

    def _m_users_list(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:
        body = self._paginate(list(self.users.values()), params, key="members", default=100, maximum=1000)
        body["cache_ts"] = int(time.time())
        return body

    def _m_chat_postMessage(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        channel = self._channel_for_write(params, identity)
        text, blocks = self._check_content(params)
        thread_ts = params.get("thread_ts") or None
        if thread_ts and channel.find(str(thread_ts)) is None:
            raise SlackError("thread_not_found")
        extra: dict[str, Any] = {}
        if blocks is not None:
            extra["blocks"] = blocks
        if identity.get("bot_id"):
            extra["bot_id"] = identity["bot_id"]
            extra["app_id"] = "A0RECAP"
        if params.get("metadata"):
            meta = params["metadata"]
            extra["metadata"] = json.loads(meta) if isinstance(meta, str) else meta
        message = self.post(
            channel.id,
            identity["user_id"],
            text,
            thread_ts=str(thread_ts) if thread_ts else None,
            reply_broadcast=_truthy(params.get("reply_broadcast", False)),
            **extra,
        )
        return {"channel": channel.id, "ts": message["ts"], "message": dict(message)}

    def _m_chat_postEphemeral(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        channel = self._channel_for_write(params, identity)
        user = str(params.get("user") or "")
        if user not in self.users:
            raise SlackError("user_not_found")
        if user not in channel.members:
            raise SlackError("user_not_in_channel")
        text, blocks = self._check_content(params)
        ts = self.next_ts()
        self.ephemerals.append(
            {"channel": channel.id, "user": user, "text": text, "blocks": blocks, "ts": ts,
             "thread_ts": params.get("thread_ts")}
        )
        return {"message_ts": ts}

    def _m_chat_update(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_for_write(params, identity)
        message = channel.find_any(str(params.get("ts") or ""))
        if message is None:
            raise SlackError("message_not_found")
        if message.get("user") != identity["user_id"]:
            raise SlackError("cant_update_message")
        text, blocks = self._check_content(params, require=False)
        if "text" in params or "markdown_text" in params:
            message["text"] = text
        if blocks is not None:
            message["blocks"] = blocks
        message["edited"] = {"user": identity["user_id"], "ts": self.next_ts()}
        return {"channel": channel.id, "ts": message["ts"], "text": message["text"], "message": dict(message)}

    def _m_chat_delete(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_for_write(params, identity)
        ts = str(params.get("ts") or "")
        message = channel.find_any(ts)
        if message is None:
            raise SlackError("message_not_found")
        if message.get("user") != identity["user_id"]:
            raise SlackError("cant_delete_message")
        channel.remove(ts)
        return {"channel": channel.id, "ts": ts}

    def _m_chat_getPermalink(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        channel = self.channels.get(str(params.get("channel") or ""))
        if channel is None:
            raise SlackError("channel_not_found")
        ts = str(params.get("message_ts") or "")
        message = channel.find_any(ts)
        if message is None:
            raise SlackError("message_not_found")
        url = f"https://{self.domain}.slack.com/archives/{channel.id}/p{ts.replace('.', '')}"
        thread_ts = message.get("thread_ts")
        if thread_ts and thread_ts != ts:
            url += f"?thread_ts={thread_ts}&cid={channel.id}"
        return {"channel": channel.id, "permalink": url}

    def _reaction_target(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_for_read(params, identity)
        message = channel.find_any(str(params.get("timestamp") or ""))
        if message is None:
            raise SlackError("message_not_found")
        if not params.get("name"):
            raise SlackError("invalid_name")
        return message

    def _m_reactions_add(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:
        message = self._reaction_target(params, identity)
        name = str(params["name"]).strip(":")
        reactions = message.setdefault("reactions", [])
        for reaction in reactions:
            if reaction["name"] == name:
                if identity["user_id"] in reaction["users"]:
                    raise SlackError("already_reacted")
                reaction["users"].append(identity["user_id"])
                reaction["count"] += 1
                return {}
        reactions.append({"name": name, "users": [identity["user_id"]], "count": 1})
        return {}

    def _m_reactions_remove(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:
        message = self._reaction_target(params, identity)
        name = str(params["name"]).strip(":")
        for reaction in message.get("reactions", []):
            if reaction["name"] == name and identity["user_id"] in reaction["users"]:
                reaction["users"].remove(identity["user_id"])
                reaction["count"] -= 1
                if not reaction["count"]:
                    message["reactions"].remove(reaction)
                return {}
        raise SlackError("no_reaction")

    def _view(self, params: Params) -> dict[str, Any]:
        view = params.get("view")
        if isinstance(view, str):
            try:
                view = json.loads(view)
            except ValueError as exc:
                raise SlackError("invalid_arguments") from exc
        if not isinstance(view, dict) or "type" not in view:
            raise SlackError("invalid_arguments")
        blocks = view.get("blocks") or []
        if len(blocks) > 100:
            raise SlackError("invalid_arguments")
        stored = {"id": f"V{next(self._id_counter):08d}", "team_id": self.team_id, **view}
        self.views.append(stored)
        return stored

    def _m_views_publish(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:
        if str(params.get("user_id") or "") not in self.users:
            raise SlackError("user_not_found")
        return {"view": self._view(params)}

    def _m_views_open(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:
        if not params.get("trigger_id") and not params.get("interactivity_pointer"):
            raise SlackError("invalid_arguments")
        return {"view": self._view(params)}

    def _m_chat_startStream(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        channel = self._channel_for_write(params, identity)
        thread_ts = str(params.get("thread_ts") or "")
        if not thread_ts:
            raise SlackError("invalid_arguments")
        text = str(params.get("markdown_text") or "")
        if len(text) > MAX_TEXT_CHARS:
            raise SlackError("msg_too_long")
        message = self.post(channel.id, identity["user_id"], text, thread_ts=thread_ts,
                            bot_id=identity.get("bot_id"), streaming=True)
        return {"channel": channel.id, "ts": message["ts"]}

    def _streaming_message(self, params: Params, identity: dict[str, Any]) -> tuple[FakeChannel, dict]:
        channel = self._channel_for_write(params, identity)
        message = channel.find_any(str(params.get("ts") or ""))
        if message is None:
            raise SlackError("message_not_found")
        if not message.get("streaming"):
            raise SlackError("message_not_in_streaming_state")
        return channel, message

    def _m_chat_appendStream(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        channel, message = self._streaming_message(params, identity)
        text = message["text"] + str(params.get("markdown_text") or "")
        if len(text) > MAX_TEXT_CHARS:
            raise SlackError("msg_too_long")
        message["text"] = text
        return {"channel": channel.id, "ts": message["ts"]}

    def _m_chat_stopStream(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        channel, message = self._streaming_message(params, identity)
        text = message["text"] + str(params.get("markdown_text") or "")
        if len(text) > MAX_TEXT_CHARS:
            raise SlackError("msg_too_long")
        blocks = self._blocks(params)
        if blocks is not None:
            self._check_content({"blocks": blocks}, require=False)
            message["blocks"] = blocks
        message["text"] = text
        message.pop("streaming", None)
        return {"channel": channel.id, "ts": message["ts"], "message": dict(message)}

    def _assistant_thread(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:
        """``assistant.threads.*`` take ``channel_id`` + ``thread_ts`` (not ``channel``)."""
        if not params.get("channel_id") or not params.get("thread_ts"):
            raise SlackError("invalid_arguments")
        self._channel_for_read({"channel": params["channel_id"]}, identity)
        return {}

    def _m_assistant_threads_setStatus(self, params: Params, identity: dict[str, Any]) -> dict:  # noqa: N802
        return self._assistant_thread(params, identity)

    def _m_assistant_threads_setTitle(self, params: Params, identity: dict[str, Any]) -> dict:  # noqa: N802
        return self._assistant_thread(params, identity)

    def _m_assistant_threads_setSuggestedPrompts(self, params: Params, identity: dict[str, Any]) -> dict:  # noqa: N802
        """``thread_ts`` is optional here: agent apps set prompts for the DM without it (Slack's docs)."""
        if not params.get("channel_id") or not params.get("prompts"):
            raise SlackError("invalid_arguments")
        self._channel_for_read({"channel": params["channel_id"]}, identity)
        return {}

    # ----------------------------------------------------------------- bulk load
    @classmethod
    def load_julialang(
        cls, path: str | Path, channel_names: list[str] | None = None, **kwargs: Any
    ) -> FakeSlack:
        """A FakeSlack holding channels of the JuliaLang Web API capture (not started).

        Args:
            path: the ``slack-api-julialang`` folder: ``messages/<C>/<n>.json`` history pages
                (``{"cursor", "messages"}``), ``threads/<C>/<ts>.json`` (parent then replies),
                ``users/<U>.json`` (``users.info`` objects), ``names.json`` (``{channel_id: name}``).
            channel_names: names (``"helpdesk"``) or IDs to load; all captured channels by default.
            **kwargs: passed to the constructor (``time_scale``, …).

        The bot is a member of every loaded channel; the team is ``T68168MUP``, domain ``julialang``.
        """
        root = Path(path)
        kwargs.setdefault("team_id", "T68168MUP")
        kwargs.setdefault("domain", "julialang")
        kwargs.setdefault("team_name", "JuliaLang")
        fake = cls(**kwargs)
        names: dict[str, str] = json.loads((root / "names.json").read_text(encoding="utf-8"))
        wanted = set(channel_names) if channel_names else None
        for channel_dir in sorted((root / "messages").iterdir()):
            channel_id = channel_dir.name
            name = names.get(channel_id, channel_id)
            if wanted is not None and channel_id not in wanted and name not in wanted:
                continue
            channel = fake.add_channel(channel_id, name)
            seen: set[str] = set()
            messages: list[dict[str, Any]] = []
            for page in channel_dir.glob("*.json"):
                for message in json.loads(page.read_text(encoding="utf-8"))["messages"]:
                    if message["ts"] not in seen:
                        seen.add(message["ts"])
                        messages.append(message)
            messages.sort(key=lambda m: ts_key(m["ts"]))
            channel.messages = messages
            channel._keys = [ts_key(m["ts"]) for m in messages]
            thread_dir = root / "threads" / channel_id
            if thread_dir.is_dir():
                for thread_file in thread_dir.glob("*.json"):
                    thread = json.loads(thread_file.read_text(encoding="utf-8"))
                    if not thread:
                        continue
                    parent_ts = thread[0]["ts"]
                    replies = [m for m in thread[1:] if m["ts"] != parent_ts]
                    replies.sort(key=lambda m: ts_key(m["ts"]))
                    channel.replies[parent_ts] = replies
                    if channel.find(parent_ts) is None:  # parent missing from the history pages
                        channel.insert_top(thread[0])
        users_dir = root / "users"
        if users_dir.is_dir():
            for user_file in users_dir.glob("*.json"):
                user = json.loads(user_file.read_text(encoding="utf-8"))
                fake.users[user["id"]] = user
        return fake
