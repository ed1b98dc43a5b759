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
* message ``metadata`` on ``chat.postMessage|update`` checked as Slack does, returned by history /
  replies only with ``include_all_metadata``; ``response_url`` endpoints (:meth:`FakeSlack.response_url`,
  ephemeral or ``in_channel``, five uses, failures by ``fail("response_url", …)``);
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


def _invalid(i: int, what: str) -> SlackError:
    return SlackError("invalid_blocks", errors=[f"{what} [json-pointer:/blocks/{i}]"])


def _check_plain_text(i: int, obj: Any, *, limit: int) -> None:
    if not isinstance(obj, dict) or obj.get("type") != "plain_text" or not str(obj.get("text") or ""):
        raise _invalid(i, "must be a plain_text object with text")
    if len(str(obj["text"])) > limit:
        raise _invalid(i, f"must be less than {limit + 1} characters")


def _check_interactive_block(i: int, block: dict[str, Any], block_ids: set[str]) -> None:
    """Slack's rules for ``actions`` and ``context_actions`` blocks and unique ``block_id``s
    (https://docs.slack.dev/reference/block-kit/blocks/actions-block,
    https://docs.slack.dev/reference/block-kit/blocks/context-actions-block,
    https://docs.slack.dev/reference/block-kit/block-elements/feedback-buttons-element)."""
    block_id = block.get("block_id")
    if block_id is not None:
        if not isinstance(block_id, str) or not block_id or len(block_id) > 255:
            raise _invalid(i, "block_id must be 1-255 characters")
        if block_id in block_ids:
            raise _invalid(i, "block_id must be unique in a message")
        block_ids.add(block_id)
    kind = block["type"]
    if kind not in ("actions", "context_actions"):
        return
    elements = block.get("elements")
    limit = 25 if kind == "actions" else 5
    if not isinstance(elements, list) or not elements or len(elements) > limit:
        raise _invalid(i, f"elements must hold 1 to {limit} items")
    action_ids: set[str] = set()
    for element in elements:
        if not isinstance(element, dict):
            raise _invalid(i, "invalid element")
        action_id = element.get("action_id")
        if action_id is not None:
            if not isinstance(action_id, str) or len(action_id) > 255 or action_id in action_ids:
                raise _invalid(i, "action_id must be unique and at most 255 characters")
            action_ids.add(action_id)
        etype = element.get("type")
        if kind == "context_actions" and etype not in ("feedback_buttons", "icon_button"):
            raise _invalid(i, "context_actions takes feedback_buttons and icon_button elements only")
        if etype == "feedback_buttons":
            for side in ("positive_button", "negative_button"):
                button = element.get(side)
                if not isinstance(button, dict) or not isinstance(button.get("value"), str):
                    raise _invalid(i, f"{side} needs text and a value")
                _check_plain_text(i, button.get("text"), limit=75)
                if len(button["value"]) > 2000 or len(str(button.get("accessibility_label") or "")) > 75:
                    raise _invalid(i, f"{side} value or accessibility_label too long")
        elif etype == "button":
            _check_plain_text(i, element.get("text"), limit=75)
            if len(str(element.get("value") or "")) > 2000:
                raise _invalid(i, "button value must be at most 2000 characters")


def _check_select(i: int, element: dict[str, Any]) -> None:
    """A ``static_select`` (https://docs.slack.dev/reference/block-kit/block-elements/select-menu-element):
    1-100 options of plain_text (≤ 75) and value (≤ 150), an ``initial_option`` that is one of them."""
    options = element.get("options")
    if not isinstance(options, list) or not 1 <= len(options) <= 100:
        raise _invalid(i, "options must hold 1 to 100 items")
    values = []
    for option in options:
        _check_plain_text(i, (option or {}).get("text"), limit=75)
        value = option.get("value")
        if not isinstance(value, str) or not value or len(value) > 150:
            raise _invalid(i, "option value must be 1-150 characters")
        values.append(value)
    if len(set(values)) != len(values):
        raise _invalid(i, "option values must be unique")
    initial = element.get("initial_option")
    if initial is not None and initial not in options:
        raise _invalid(i, "initial_option must be one of options")


def _check_confirm(i: int, confirm: Any) -> None:
    """A confirmation dialog: plain_text title ≤ 100, text ≤ 300, confirm and deny ≤ 30."""
    if confirm is None:
        return
    if not isinstance(confirm, dict):
        raise _invalid(i, "confirm must be an object")
    for key, limit in (("title", 100), ("text", 300), ("confirm", 30), ("deny", 30)):
        _check_plain_text(i, confirm.get(key), limit=limit)


def _check_view_blocks(blocks: list[Any]) -> None:
    """The blocks of a view (``views.publish``/``open``): types Slack knows in a view, unique ``block_id``s,
    headers of plain_text ≤ 150, section text ≤ 3,000, and the interactive elements' rules (buttons,
    static selects, confirmation dialogs) (https://docs.slack.dev/reference/block-kit/blocks)."""
    block_ids: set[str] = set()
    for i, block in enumerate(blocks):
        if not isinstance(block, dict) or block.get("type") not in (
                "section", "header", "divider", "context", "actions", "image", "input", "rich_text", "markdown"):
            raise SlackError("invalid_arguments", errors=[f"invalid block [{i}]"])
        _check_interactive_block(i, block, block_ids)
        if block["type"] == "header":
            _check_plain_text(i, block.get("text"), limit=150)
        if block["type"] == "section":
            text = block.get("text")
            if text is not None and (not isinstance(text, dict) or len(str(text.get("text") or "")) > MAX_SECTION_TEXT
                                     or text.get("type") not in ("mrkdwn", "plain_text")):
                raise _invalid(i, f"section text must be a text object of at most {MAX_SECTION_TEXT} characters")
        elements = [block["accessory"]] if isinstance(block.get("accessory"), dict) else []
        elements += [e for e in block.get("elements") or [] if isinstance(e, dict)] if block["type"] == "actions" else []
        for element in elements:
            if element.get("type") == "static_select":
                _check_select(i, element)
            elif element.get("type") == "button":
                _check_plain_text(i, element.get("text"), limit=75)
            if element.get("type") in ("button", "static_select"):
                action_id = element.get("action_id")
                if not isinstance(action_id, str) or not action_id or len(action_id) > 255:
                    raise _invalid(i, "action_id must be 1-255 characters")
            _check_confirm(i, element.get("confirm"))


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
        if urllib.parse.urlsplit(self.path).path.startswith("/files-pri/"):
            self._serve_file(fake)
            return
        if urllib.parse.urlsplit(self.path).path.startswith("/response/"):
            self._write_answer(*fake.respond(urllib.parse.urlsplit(self.path).path.split("/")[2], self._params()))
            return
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


    def _write_answer(self, status: int | None, headers: dict, body: dict) -> None:
        """Write a JSON answer (``status`` None: drop the connection without one)."""
        if status is None:
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

    def _serve_file(self, fake: FakeSlack) -> None:
        """``GET /files-pri/<team>-<file_id>/…``: a shared file's bytes, as Slack's file host serves them.

        Only with a valid token in an ``Authorization: Bearer`` header; otherwise (like Slack, which
        redirects to its sign-in page) a 200 HTML page that is not the file. Each download is recorded
        in ``fake.calls`` as ``("files-pri", {"file": id})``.
        """
        auth = self.headers.get("Authorization") or ""
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        file_id = urllib.parse.urlsplit(self.path).path.split("/")[2].rsplit("-", 1)[-1]
        with fake.lock:
            fake.calls.append(("files-pri", {"file": file_id}))
            stored = fake.file_contents.get(file_id) if token in fake.tokens else None
        if stored is None:
            content, ctype = b"<html><body>Sign in to Slack</body></html>", "text/html; charset=utf-8"
        else:
            content, ctype = stored
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a burst of connections waits in the kernel, as at a real API, instead of being refused
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
        self.metadata_warnings: list[dict[str, Any]] = []
        self.responses: list[dict[str, Any]] = []
        self._response_urls: dict[str, dict[str, Any]] = {}
        self.file_contents: dict[str, tuple[bytes, str]] = {}  # file id -> (bytes, Content-Type)
        self.locales: dict[str, str] = {}  # user id -> Slack locale (users.info with include_locale)
        self.faults: dict[str, deque[SlackFault]] = {}
        self.rate_limits: dict[str, int] = {}
        self._rate_hits: dict[str, deque[float]] = {}
        self._per_channel: set[str] = set()  # rate-limited methods counted per channel (chat.postMessage)
        self.answered: dict[tuple[str, str], list[float]] = {}  # (team, method) -> monotonic times of answers
        self.read_page_max: int | None = None  # non-Marketplace: history/replies pages capped (15)
        self.oversized_pages: list[tuple[str, int]] = []  # (method, limit asked) above read_page_max
        self.throttled: dict[str, int] = {}  # method -> calls answered 429 by rate_limit (not by fail())
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

    def file_object(self, name: str, content: bytes, *, mimetype: str, filetype: str, title: str | None = None,
                    mode: str = "hosted", pretty_type: str | None = None) -> dict[str, Any]:
        """A Slack file object (https://docs.slack.dev/reference/objects/file-object) whose
        ``url_private_download`` this fake serves (with a valid Bearer token), for ``post(files=[…])``."""
        file_id = f"F{next(self._id_counter):08d}"
        url = f"http://127.0.0.1:{self.port}/files-pri/{self.team_id}-{file_id}/download/{urllib.parse.quote(name)}"
        with self.lock:
            self.file_contents[file_id] = (content, mimetype if "/" in mimetype else "application/octet-stream")
        file: dict[str, Any] = {
            "id": file_id, "name": name, "title": title or name, "mimetype": mimetype, "filetype": filetype,
            "pretty_type": pretty_type or filetype, "size": len(content), "mode": mode, "is_external": False,
            "url_private": url.replace("/download/", "/"), "url_private_download": url,
        }
        if mode == "snippet":
            file["preview"] = content.decode("utf-8", "replace")[:200]
        return file

    # ----------------------------------------------------------------- response_url
    RESPONSE_URL_USES = 5  # Slack: a response_url answers up to 5 times within 30 minutes

    def response_url(self, channel_id: str, user_id: str) -> str:
        """A new ``response_url``, as Slack sends with a slash command, a shortcut or a button click by
        ``user_id`` in ``channel_id`` (https://docs.slack.dev/interactivity/handling-user-interaction).

        What is posted to it is checked like a message (text or blocks, Block Kit limits), used at most
        :attr:`RESPONSE_URL_USES` times (then 404 ``used_url``; an unknown URL is 404 ``expired_url``),
        and recorded in :attr:`responses`. ``"response_type": "in_channel"`` posts a message everyone in
        the channel sees (as the app, member or not); otherwise the answer is an ephemeral message for
        ``user_id`` (also in :attr:`ephemerals`, with ``"via": "response_url"``). Failures are injected
        with ``fail("response_url", status=500 | 429 | 404, …)`` (or ``delay``, ``reset``).
        """
        url_id = f"R{next(self._id_counter):08d}"
        with self.lock:
            self._response_urls[url_id] = {"channel": channel_id, "user": user_id, "uses": 0}
        return f"http://127.0.0.1:{self.port}/response/{url_id}"

    def respond(self, url_id: str, params: Params) -> tuple[int | None, dict, dict]:
        """Answer a POST to a :meth:`response_url`: ``(status or None for a reset, headers, body)``."""
        with self.lock:
            self.calls.append(("response_url", {"url_id": url_id, **params}))
            fault = self._take_fault("response_url")
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.reset:
                return None, {}, {}
            if fault.status == 429:
                return 429, {"Retry-After": str(fault.retry_after)}, {"ok": False, "error": "ratelimited"}
            if fault.status is not None and fault.status >= 400:
                default = "expired_url" if fault.status == 404 else "internal_error"
                return fault.status, {}, {"ok": False, "error": fault.error or default}
        with self.lock:
            target = self._response_urls.get(url_id)
            if target is None:
                return 404, {}, {"ok": False, "error": "expired_url"}
            if target["uses"] >= self.RESPONSE_URL_USES:
                return 404, {}, {"ok": False, "error": "used_url"}
            if params.get("__invalid_json__"):
                return 400, {}, {"ok": False, "error": "invalid_payload"}
            target["uses"] += 1
            entry: dict[str, Any] = {"url_id": url_id, "channel": target["channel"], "user": target["user"],
                                     "replace_original": _truthy(params.get("replace_original", False)),
                                     "delete_original": _truthy(params.get("delete_original", False))}
            if entry["delete_original"]:
                self.responses.append(entry)
                return 200, {}, {"ok": True}
            response_type = params.get("response_type") or "ephemeral"
            if response_type not in ("ephemeral", "in_channel"):
                return 400, {}, {"ok": False, "error": "invalid_response_type"}
            try:
                text, blocks = self._check_content(params)
            except SlackError as exc:
                return 400, {}, {"ok": False, "error": exc.error}
            entry.update(response_type=response_type, text=text, blocks=blocks)
            if response_type == "in_channel" and target["channel"] in self.channels:
                extra = {"blocks": blocks} if blocks is not None else {}
                entry["ts"] = self.post(target["channel"], self.bot_user_id, text, bot_id=BOT_ID, **extra)["ts"]
            elif response_type == "ephemeral":
                self.ephemerals.append({"channel": target["channel"], "user": target["user"], "text": text,
                                        "blocks": blocks, "ts": self.next_ts(), "thread_ts": None,
                                        "via": "response_url"})
            self.responses.append(entry)
        return 200, {}, {"ok": True}

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

    def rate_limit(self, method: str, *, per_minute: int, per_channel: bool = False) -> None:
        """Emulate a per-method rate limit (Tier 3 is 50/min) in scaled time (:attr:`time_scale`): past it,
        HTTP 429 with ``Retry-After`` as Slack answers. ``per_channel`` counts each ``channel`` apart
        (``chat.postMessage``: about 60 a minute per channel)."""
        with self.lock:
            self.rate_limits[method] = per_minute
            self._rate_hits = {k: v for k, v in self._rate_hits.items() if k.split("#")[0] != method}
            self._rate_hits[method] = deque()
            (self._per_channel.add if per_channel else self._per_channel.discard)(method)

    def tier_limits(self, limits: dict[str, int], *, per_channel: tuple[str, ...] = ("chat.postMessage",)) -> None:
        """:meth:`rate_limit` for several methods at once: ``{method: calls per minute}``."""
        for method, per_minute in limits.items():
            self.rate_limit(method, per_minute=per_minute, per_channel=method in per_channel)

    def non_marketplace(self) -> None:
        """Slack's limits for a commercially distributed app outside the Marketplace (since 2025-05-29,
        https://docs.slack.dev/changelog/2025/05/29/rate-limit-changes-for-non-marketplace-apps):
        1 call a minute on ``conversations.history`` / ``conversations.replies``, at most 15 messages a
        page (a larger ``limit`` is answered with 15 and recorded in :attr:`oversized_pages`)."""
        with self.lock:
            self.read_page_max = 15
        self.tier_limits({"conversations.history": 1, "conversations.replies": 1})

    def max_per_window(self, method: str, *, team_id: str | None = None) -> int:
        """The most answered (not 429) calls of ``method`` in any window of one scaled minute
        (``60 / time_scale`` seconds): what Slack would have counted against the method's budget."""
        window = 60.0 / self.time_scale
        with self.lock:
            times = sorted(self.answered.get((team_id or self.team_id, method), []))
        best, lo = 0, 0
        for hi, t in enumerate(times):
            while t - times[lo] >= window:
                lo += 1
            best = max(best, hi - lo + 1)
        return best

    def _read_limit(self, method: str, params: Params, default: int, maximum: int) -> int:
        if self.read_page_max is None:
            return self._limit(params, default, maximum)
        asked = self._limit(params, default, 1 << 30)
        if asked > self.read_page_max:
            self.oversized_pages.append((method, asked))
        return min(asked, self.read_page_max)

    def _take_fault(self, method: str) -> SlackFault | None:
        queue = self.faults.get(method)
        if not queue:
            return None
        fault = queue[0]
        fault.times -= 1
        if fault.times <= 0:
            queue.popleft()
        return fault

    def _rate_limited(self, method: str, params: Params | None = None) -> int | None:
        limit = self.rate_limits.get(method)
        if limit is None:
            return None
        window = 60.0 / self.time_scale
        now = time.monotonic()
        key = f"{method}#{(params or {}).get('channel', '')}" if method in self._per_channel else method
        hits = self._rate_hits.setdefault(key, deque())
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
            limited = self._rate_limited(method, params) if fault is None else None
            if fault is None and limited is None:
                self.answered.setdefault((self.team_id, method), []).append(time.monotonic())
            elif limited is not None:
                self.throttled[method] = self.throttled.get(method, 0) + 1
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
            block_ids: set[str] = set()
            for i, block in enumerate(blocks):
                if not isinstance(block, dict) or "type" not in block:
                    raise SlackError("invalid_blocks", errors=[f"invalid block [{i}]"])
                _check_interactive_block(i, block, block_ids)
                if block["type"] == "section":
                    section_text = (block.get("text") or {}).get("text", "")
                    if len(section_text) > MAX_SECTION_TEXT:
                        raise SlackError(
                            "invalid_blocks",
                            errors=[f"must be less than {MAX_SECTION_TEXT + 1} characters [json-pointer:/blocks/{i}/text]"],
                        )
        return text, blocks

    def _message_view(self, message: dict[str, Any], params: Params | None = None) -> dict[str, Any]:
        """A stored message as history / replies return it: ``metadata`` only with ``include_all_metadata``."""
        view = dict(message)
        if not _truthy((params or {}).get("include_all_metadata", False)):
            view.pop("metadata", None)
        return view

    def _metadata(self, params: Params) -> tuple[dict[str, Any] | None, str | None]:
        """The ``metadata`` argument of ``chat.postMessage`` / ``chat.update`` checked as Slack checks it
        (https://docs.slack.dev/messaging/message-metadata): not JSON -> ``invalid_metadata_format``; an
        ``event_type`` that is not a string of letters, digits, ``_`` and ``-``, or an ``event_payload``
        that is not an object -> the message is posted, the metadata ignored, warning
        ``invalid_metadata_schema``. Returns ``(metadata or None, warning or None)``; accepted ones are
        ignored ones are kept in :attr:`metadata_warnings`."""
        raw = params.get("metadata")
        if raw in (None, ""):
            return None, None
        if isinstance(raw, str):
            try:
                raw = json.loads(raw)
            except ValueError as exc:
                raise SlackError("invalid_metadata_format") from exc
        if not isinstance(raw, dict):
            raise SlackError("invalid_metadata_format")
        event_type = raw.get("event_type")
        payload = raw.get("event_payload")
        valid_type = isinstance(event_type, str) and bool(event_type) and all(
            c.isascii() and (c.isalnum() or c in "_-") for c in event_type)
        if not valid_type or not isinstance(payload, dict):
            self.metadata_warnings.append(raw)
            return None, "invalid_metadata_schema"
        return {"event_type": event_type, "event_payload": payload}, None

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
        limit = self._read_limit("conversations.history", params, 100, 999)
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
            "messages": [self._message_view(m, params) for m in page],
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
        limit = self._read_limit("conversations.replies", params, 1000, 1000)
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
        page = ([self._message_view(parent, params)] if show_parent else []) + [
            self._message_view(m, params) for m in chunk]
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
        if str(params.get("include_locale", "")).lower() in ("1", "true"):  # only when asked, as Slack does
            user = {**user, "locale": self.locales.get(user["id"], "en-US")}
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
        metadata, warning = self._metadata(params)
        if metadata is not None:
            extra["metadata"] = metadata
        message = self.post(
            channel.id,
            identity["user_id"],
            text,
            thread_ts=str(thread_ts) if thread_ts else None,
            reply_broadcast=_truthy(params.get("reply_broadcast", False)),
            **extra,
        )
        body = {"channel": channel.id, "ts": message["ts"], "message": dict(message)}
        return {**body, "warning": warning} if warning else body

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
        metadata, warning = self._metadata(params)
        if metadata is not None:  # no metadata argument: the message keeps its metadata
            message["metadata"] = metadata
        message["edited"] = {"user": identity["user_id"], "ts": self.next_ts()}
        body = {"channel": channel.id, "ts": message["ts"], "text": message["text"], "message": dict(message)}
        return {**body, "warning": warning} if warning else body

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
        _check_view_blocks(blocks)
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

    # chat.startStream / appendStream / stopStream (https://docs.slack.dev/reference/methods/chat.startStream,
    # …/chat.appendStream, …/chat.stopStream): the documented arguments only; ``markdown_text`` (and each
    # ``markdown_text`` chunk) at most 12,000 characters; outside a DM ``recipient_team_id`` and
    # ``recipient_user_id`` are required; append / stop only on a message still streaming, posted by the
    # same app; ``stopStream``'s ``blocks`` go at the bottom of the finished message.
    STREAM_ARGS = {
        "chat.startStream": {"channel", "thread_ts", "markdown_text", "chunks", "recipient_team_id",
                             "recipient_user_id", "task_display_mode", "icon_emoji", "icon_url", "username"},
        "chat.appendStream": {"channel", "ts", "markdown_text", "chunks"},
        "chat.stopStream": {"channel", "ts", "markdown_text", "chunks", "blocks", "metadata", "session_status"},
    }
    MAX_STREAM_MARKDOWN = 12_000
    CHUNK_TYPES = {"markdown_text", "task_update", "plan_update", "blocks"}

    def _stream_text(self, method: str, params: Params) -> str:
        """The markdown a streaming call appends (``markdown_text``, then its ``markdown_text`` chunks), after
        checking its arguments as Slack documents them."""
        unknown = set(params) - self.STREAM_ARGS[method] - {"token", "team_id"}  # team_id: org-wide apps
        if unknown:
            raise SlackError("invalid_arguments", unknown=sorted(unknown))
        text = str(params.get("markdown_text") or "")
        if len(text) > self.MAX_STREAM_MARKDOWN:
            raise SlackError("msg_too_long")
        chunks = params.get("chunks")
        if isinstance(chunks, str):
            try:
                chunks = json.loads(chunks)
            except ValueError as exc:
                raise SlackError("invalid_chunks") from exc
        for chunk in chunks or []:
            if not isinstance(chunk, dict) or chunk.get("type") not in self.CHUNK_TYPES:
                raise SlackError("invalid_chunks")
            if chunk["type"] == "markdown_text":
                piece = chunk.get("text")
                if not isinstance(piece, str) or len(piece) > self.MAX_STREAM_MARKDOWN:
                    raise SlackError("invalid_chunks" if not isinstance(piece, str) else "msg_too_long")
                text += piece
        return text

    def _m_chat_startStream(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        text = self._stream_text("chat.startStream", params)
        channel = self._channel_for_write(params, identity)
        thread_ts = str(params.get("thread_ts") or "")
        if not thread_ts:
            raise SlackError("invalid_arguments")
        if not channel.is_im and not (params.get("recipient_team_id") and params.get("recipient_user_id")):
            raise SlackError("invalid_arguments", detail="recipient_team_id and recipient_user_id are required "
                                                           "when streaming to channels")
        if params.get("recipient_user_id") and str(params["recipient_user_id"]) not in self.users:
            raise SlackError("user_not_found")
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
        if message.get("user") != identity["user_id"]:
            raise SlackError("cant_update_message")
        return channel, message

    def _m_chat_appendStream(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        piece = self._stream_text("chat.appendStream", params)
        if not piece:
            raise SlackError("invalid_arguments", detail="markdown_text is required")
        channel, message = self._streaming_message(params, identity)
        text = message["text"] + piece
        if len(text) > MAX_TEXT_CHARS:
            raise SlackError("msg_too_long")
        message["text"] = text
        return {"channel": channel.id, "ts": message["ts"]}

    def end_streams(self) -> list[str]:
        """End every message still streaming, as Slack does by itself with a stream nobody appends to or
        stops for a while (a worker killed mid-stream): later ``appendStream`` / ``stopStream`` calls on it
        answer ``message_not_in_streaming_state`` (python-slack-sdk issue 1859). Returns their ``ts``."""
        ended = []
        for channel in self.channels.values():
            for message in [*channel.messages, *(m for replies in channel.replies.values() for m in replies)]:
                if message.pop("streaming", None):
                    ended.append(str(message["ts"]))
        return ended

    def _m_chat_stopStream(self, params: Params, identity: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        piece = self._stream_text("chat.stopStream", params)
        channel, message = self._streaming_message(params, identity)
        text = message["text"] + piece
        if len(text) > MAX_TEXT_CHARS:
            raise SlackError("msg_too_long")
        blocks = self._blocks(params)
        if blocks is not None:
            self._check_content({"blocks": blocks}, require=False)
            message["blocks"] = blocks
        metadata, _warning = self._metadata(params)
        if metadata is not None:
            message["metadata"] = metadata
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
        """``status`` is required (``""`` clears it); ``loading_messages`` is a list of at most 10 strings.
        Channel threads are accepted too (Slack, 2026-03: ``chat:write`` apps may set status in channels,
        https://docs.slack.dev/changelog/2026/03/05/set-status-scope-update); there ``thread_ts`` must be a
        message of the channel (``invalid_thread_ts``). DM threads are not checked (tests rarely store them)."""
        self._assistant_thread(params, identity)
        if not isinstance(params.get("status"), str):
            raise SlackError("invalid_arguments")
        loading = params.get("loading_messages")
        if isinstance(loading, str):
            try:
                loading = json.loads(loading)
            except ValueError as exc:
                raise SlackError("invalid_arguments") from exc
        if loading is not None and (not isinstance(loading, list) or len(loading) > 10
                                    or not all(isinstance(m, str) and m for m in loading)):
            raise SlackError("invalid_arguments")
        channel = self.channels[str(params["channel_id"])]
        if not channel.is_im and channel.find_any(str(params["thread_ts"])) is None:
            raise SlackError("invalid_thread_ts")
        return {}

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
