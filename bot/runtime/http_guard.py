"""HTTP mode's front door: a request is bounded and its Slack signature checked before Bolt reads it.

Bolt's WSGI adapter reads the whole body, decodes it and parses its JSON before its own signature
check runs, and nothing bounds the body: one unsigned 200 MB POST took a worker from 263 MB to
1,672 MB. :class:`VerifiedRequests` wraps the adapter and answers each ``POST`` in this order, reading
nothing more once a check fails:

1. ``Content-Length`` missing, or ``Transfer-Encoding`` present (chunked): **413** (a length is
   required); not a non-negative integer: **400**; over ``max_body_bytes``: **413**. Nothing read.
2. ``X-Slack-Signature`` or ``X-Slack-Request-Timestamp`` missing, the timestamp not an integer or more
   than 5 minutes from now: **401**. Nothing read.
3. The body is read: exactly ``Content-Length`` bytes (fewer before the end of the stream: **400**).
4. The signature, ``v0=`` HMAC-SHA256 of ``v0:{timestamp}:{raw body}`` with the signing secret
   (:class:`slack_sdk.signature.SignatureVerifier`), does not match: **401**.
5. The body is not what Bolt can parse (UTF-8; JSON, or a form whose ``payload`` is JSON; an object):
   **400**, where Bolt would have answered 500. (A body that is not UTF-8 gets 400 only when its
   signature, computed over the raw bytes, matches; otherwise 401.)
6. Bolt gets the request already parsed: a ``POST`` to the path of Bolt's ``SlackRequestHandler``
   goes straight to ``App.dispatch`` with the :class:`slack_bolt.BoltRequest` built for check 5 (the
   same body text, query and headers the adapter would have given it, so Bolt's middleware and
   listeners see what they always saw); any other handler gets the bytes already read, in a
   :class:`io.BytesIO` as ``wsgi.input``. The socket is never read twice, the body never parsed twice.
   With a ``direct`` handler (the web tier of a queue: :class:`bot.queue.web.DirectAcks`), a signed request
   to the events path is offered to it first, after check 4; it answers the request kinds it knows (a
   mention, ``/summarize``) without Bolt, checking their shape as check 5 does, and returns None for the rest.

Requests without a body pass through with an empty ``wsgi.input``: the OAuth pages
(``GET /slack/install``, ``GET /slack/oauth_redirect`` in multi-workspace mode) and anything else Bolt
answers 404. Source of the signature scheme: https://docs.slack.dev/authentication/verifying-requests-from-slack
(5-minute window, ``v0`` basestring). Status codes: RFC 9110 §15.5 (413 Content Too Large).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from slack_sdk.signature import Clock, SignatureVerifier

logger = logging.getLogger(__name__)

MAX_CLOCK_SKEW = 60 * 5  # seconds: Slack's window for X-Slack-Request-Timestamp
READ_CHUNK = 64 * 1024  # bytes read from the socket at a time

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
DirectHandler = Callable[[bytes, dict[str, Any]], BoltResponse | None]
"""Answers a signed request to the events path itself (the raw body, the WSGI environ), or returns None
to hand it to Bolt (:class:`bot.queue.web.DirectAcks`)."""


class _Clock(Clock):
    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now

    def now(self) -> float:
        return self._now()


class VerifiedRequests:
    """WSGI middleware in front of Bolt's ``SlackRequestHandler`` (see the module docstring for the checks).

    Args:
        handler: the WSGI app to call with verified requests (Bolt's ``SlackRequestHandler``).
        signing_secret: the app's signing secret (``SLACK_SIGNING_SECRET``).
        max_body_bytes: the largest body accepted, bytes (``HTTP_MAX_BODY_BYTES``).
        open_paths: paths served to ``GET`` without a signature (the OAuth install and redirect pages).
        clock: returns now, Unix seconds (tests move it).
        direct: called with each signed request to the events path before Bolt's request is built; its
            response, when not None, is the answer and Bolt never sees the request (the web tier of a
            queue: :class:`bot.queue.web.DirectAcks`).

    Attributes:
        app: the Bolt app behind ``handler`` (None when it has none).
        events_path: the path whose ``POST`` requests go straight to ``app.dispatch`` (the handler's
            ``path``, ``/slack/events``; None when ``handler`` is not Bolt's ``SlackRequestHandler``).

    Raises:
        ValueError: an empty signing secret.
    """

    def __init__(self, handler: WSGIApp, *, signing_secret: str, max_body_bytes: int,
                 open_paths: Iterable[str] = (), clock: Callable[[], float] = time.time,
                 direct: DirectHandler | None = None) -> None:
        self.handler = handler
        self.direct = direct
        self.app: Any = getattr(handler, "app", None)
        self.events_path: str | None = handler.path if isinstance(handler, SlackRequestHandler) else None
        self.max_body_bytes = max_body_bytes
        self.open_paths = frozenset(open_paths)
        self.clock = clock
        self.verifier = SignatureVerifier(signing_secret, clock=_Clock(clock))

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD", "GET").upper() != "POST":
            # No body is ever read for these (Bolt serves the OAuth pages or answers 404).
            environ["wsgi.input"] = io.BytesIO(b"")
            environ["CONTENT_LENGTH"] = "0"
            return self.handler(environ, start_response)
        refusal, body = self._signed_body(environ)
        to_bolt = (self.events_path is not None and environ.get("PATH_INFO") == self.events_path
                   and str(environ.get("SERVER_PROTOCOL", "")).startswith("HTTP"))  # else the adapter's 400
        if refusal is None and to_bolt and self.direct is not None:
            answer = self.direct(body, environ)
            if answer is not None:
                return _respond(start_response, answer)
        request = None
        if refusal is None:
            refusal, request = _checked_request(body, environ)
        if refusal is not None:
            status, message = refusal
            logger.info("refused %s %s: %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"), status,
                        message)
            return _answer(start_response, status, message)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        if request is not None and to_bolt:
            # What SlackRequestHandler.dispatch does, minus building (and parsing) the request again.
            return _respond(start_response, self.app.dispatch(request))
        return self.handler(environ, start_response)

    def check(self, environ: dict[str, Any]) -> tuple[tuple[str, str] | None, bytes]:
        """Run the checks on a ``POST``.

        Returns:
            ``(None, raw body)`` when the request may go to Bolt, else ``((HTTP status line, reason), b"")``.
        """
        refusal, body, _ = self.verify(environ)
        return refusal, body

    def verify(self, environ: dict[str, Any]) -> tuple[tuple[str, str] | None, bytes, BoltRequest | None]:
        """Run the checks on a ``POST`` and keep what they parsed.

        Returns:
            ``(None, raw body, the BoltRequest Bolt's WSGI adapter would have built)`` when the request may
            go to Bolt, else ``((HTTP status line, reason), b"", None)``.
        """
        refusal, body = self._signed_body(environ)
        if refusal is None:
            refusal, request = _checked_request(body, environ)
            if request is not None:
                return None, body, request
        return refusal, b"", None

    def _signed_body(self, environ: dict[str, Any]) -> tuple[tuple[str, str] | None, bytes]:
        """Checks 1–4: ``(None, raw body)`` when the body is within bounds and signed, else
        ``((HTTP status line, reason), b"")``."""
        if environ.get("HTTP_TRANSFER_ENCODING"):
            return ("413 Content Too Large", "a Content-Length is required (chunked bodies are refused)"), b""
        declared = (environ.get("CONTENT_LENGTH") or "").strip()
        if not declared:
            return ("413 Content Too Large", "a Content-Length is required"), b""
        if not declared.isascii() or not declared.isdigit():
            return ("400 Bad Request", "malformed Content-Length"), b""
        length = int(declared)
        if length > self.max_body_bytes:
            return ("413 Content Too Large", f"the body is over {self.max_body_bytes} bytes"), b""
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or ""
        signature = environ.get("HTTP_X_SLACK_SIGNATURE") or ""
        if (not signature or not signature.isascii()  # compare_digest raises on non-ASCII text
                or not timestamp.isascii() or not timestamp.isdigit()
                or abs(self.clock() - int(timestamp)) > MAX_CLOCK_SKEW):
            return ("401 Unauthorized", "missing, stale or malformed Slack signature headers"), b""
        body = _read_exactly(environ.get("wsgi.input"), length)
        if body is None:
            return ("400 Bad Request", "the body is shorter than its Content-Length"), b""
        try:
            signed = self.verifier.is_valid(body=body, timestamp=timestamp, signature=signature)
        except UnicodeDecodeError:  # the verifier decodes the body first; check the raw bytes here
            if self._signed_bytes(body, timestamp, signature):
                return ("400 Bad Request", "the body is not UTF-8"), b""
            signed = False
        if not signed:
            return ("401 Unauthorized", "invalid Slack signature"), b""
        return None, body

    def _signed_bytes(self, body: bytes, timestamp: str, signature: str) -> bool:
        """Slack's ``v0`` signature computed over raw bytes (for a body that is not UTF-8, which
        :class:`SignatureVerifier` cannot take)."""
        basestring = b"v0:" + timestamp.encode() + b":" + body
        digest = hmac.new(self.verifier.signing_secret.encode(), basestring, hashlib.sha256).hexdigest()
        return hmac.compare_digest(f"v0={digest}", signature)


def _read_exactly(stream: Any, length: int) -> bytes | None:
    """``length`` bytes from ``stream``, read in chunks; None when the stream ends first."""
    if length == 0:
        return b""
    if stream is None:
        return None
    buffer = bytearray()
    while len(buffer) < length:
        chunk = stream.read(min(READ_CHUNK, length - len(buffer)))
        if not chunk:
            return None
        buffer += chunk
    return bytes(buffer)


def _parses_as_bolt_does(body: bytes, content_type: str | None) -> bool:
    """True when Bolt can build its request from ``body``: UTF-8 text that Bolt's own parser turns into
    an object (JSON, a form, or a form whose ``payload`` field is JSON), shaped as Slack's payloads are
    where Bolt's middleware reads into them (:func:`slack_shaped`), and from which it can read the team,
    user and channel without an error."""
    return _bolt_request(body, {"CONTENT_TYPE": content_type or ""}) is not None


def _checked_request(body: bytes, environ: dict[str, Any]) -> tuple[tuple[str, str] | None, BoltRequest | None]:
    """Check 5: ``(None, the BoltRequest)`` when Bolt can take ``body``, else ``((400 status line, reason), None)``."""
    request = _bolt_request(body, environ)
    if request is None:
        return ("400 Bad Request", "the body is not a Slack payload"), None
    return None, request


def _bolt_request(body: bytes, environ: dict[str, Any]) -> BoltRequest | None:
    """The request Bolt's WSGI adapter would build from ``environ`` with ``body`` (its text, the query
    string and the headers, as ``slack_bolt.adapter.wsgi.WsgiHttpRequest`` reads them), when Bolt can
    parse it and it is shaped as :func:`_parses_as_bolt_does` requires; else None."""
    try:
        request = BoltRequest(body=body.decode("utf-8"), query=environ.get("QUERY_STRING", ""),
                              headers=WsgiHttpRequest(environ).get_headers())
    except Exception:  # noqa: BLE001 - any failure to parse is a malformed request, never a crash
        return None
    return request if isinstance(request.body, dict) and slack_shaped(request.body) else None


# Where Bolt's middleware, its context builders and Recap's acks read into a payload, the shapes Slack
# sends (source: slack_bolt/request/internals.py, slack_bolt/middleware/*/internals.py; Slack's reference
# of event, slash command and interaction payloads). Checked on the envelope and one level down.
_OBJECTS = ("event", "view", "message", "previous_message", "item", "container", "assistant_thread",
            "function_data", "state", "tokens")
_OBJECT_OR_ID = ("team", "enterprise", "user", "channel")
_LISTS_OF_OBJECTS = ("authorizations", "actions", "response_urls")
_REQUIRED = {"event_callback": ("event",), "block_actions": ("actions",), "interactive_message": ("actions",),
             "view_submission": ("view",), "view_closed": ("view",)}
_STRINGS = ("type", "subtype", "team_id", "user_id", "channel_id", "enterprise_id", "trigger_id", "response_url",
            "event_id", "api_app_id", "callback_id", "command", "thread_ts", "ts", "event_ts", "message_ts",
            "action_ts", "action_id", "block_id", "bot_id", "id", "value", "private_metadata", "token")


def slack_shaped(payload: dict[str, Any], *, depth: int = 0) -> bool:
    """True when the fields of ``payload`` that Bolt and Recap's acks read have the shapes Slack sends:

    * a string (or null) for IDs, types, timestamps and URLs (``team_id``, ``trigger_id``, ``ts``, …);
    * an object or an ID string for ``team``, ``enterprise``, ``user`` and ``channel`` (an object's
      ``id`` a string);
    * ``text`` a string or a text object; objects (never null) for ``event``, ``view``, ``message``, …;
      lists of objects for ``authorizations``, ``actions`` and ``response_urls``;
    * what each payload type cannot lack: an event with a ``type`` in ``event_callback``, a non-empty
      ``actions`` in ``block_actions`` and ``interactive_message``, a ``view`` in ``view_submission``
      and ``view_closed``;

    checked on the envelope and again one level down (an event's or an action's own fields). Genuine
    Slack payloads always pass; a body that does not would make Bolt answer 500.
    """
    for name in _STRINGS:
        if not isinstance(payload.get(name), str | None):
            return False
    if not isinstance(payload.get("text"), str | dict | None):
        return False
    for name in _OBJECT_OR_ID:
        value = payload.get(name)
        if isinstance(value, dict):
            if not isinstance(value.get("id"), str | None):
                return False
        elif not isinstance(value, str | None):
            return False
    for name in _OBJECTS:
        if name in payload and not (isinstance(payload[name], dict)
                                    and (depth > 0 or slack_shaped(payload[name], depth=1))):
            return False
    if depth == 0:
        for name in _REQUIRED.get(str(payload.get("type")), ()):
            if not payload.get(name):  # Bolt reads ``event["type"]``, ``actions[0]``, ``view[…]``
                return False
        if payload.get("type") == "event_callback" and not isinstance(payload["event"].get("type"), str):
            return False
    for name in _LISTS_OF_OBJECTS:
        value = payload.get(name)
        if value is None:
            continue
        if not isinstance(value, list) or not all(
                isinstance(item, dict) and (depth > 0 or slack_shaped(item, depth=1)) for item in value):
            return False
    return True


def _respond(start_response: StartResponse, answer: BoltResponse) -> Iterable[bytes]:
    """Write Bolt's response as its WSGI adapter does (``SlackRequestHandler``)."""
    response = WsgiHttpResponse(status=answer.status, headers=answer.headers, body=answer.body)
    start_response(response.status, response.get_headers())
    return response.get_body()


def _answer(start_response: StartResponse, status: str, message: str) -> list[bytes]:
    body = f"{status.split(' ', 1)[1]}: {message}\n".encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


def default_http_threads() -> int:
    """2 × the CPU cores this process may use + 1: Granian's guidance for the WSGI threads of a worker
    (more threads only contend for the GIL; acks do almost no I/O)."""
    import os

    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return 2 * cores + 1
