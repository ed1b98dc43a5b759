"""End-to-end harness: the real Bolt app over HTTP (signed requests), a fake Slack Web API, and a
receiver for ``response_url`` posts — all on free ports of 127.0.0.1.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode
from wsgiref.simple_server import WSGIRequestHandler, make_server

from slack_sdk.signature import SignatureVerifier

from bot.wsgi import ThreadingWSGIServer
from tests.fakeslack import BOT_TOKEN, FakeSlack

SIGNING_SECRET = "test-signing-secret"


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


_ThreadingWSGIServer = ThreadingWSGIServer  # the stdlib server the tests serve an in-process app with


def signed_post(url: str, body: str, content_type: str, *, headers: dict | None = None,
                timestamp: int | None = None, secret: str = SIGNING_SECRET,
                timeout: float = 10) -> tuple[int, bytes, float]:
    """POST ``body`` to ``url`` signed as Slack signs it (``v0`` HMAC-SHA256 of ``v0:timestamp:body``).

    Args:
        timestamp: ``X-Slack-Request-Timestamp`` in Unix seconds (now by default; tests forge old ones).
        secret: the signing secret (a wrong one forges the signature).
        timeout: socket timeout, seconds.

    Returns:
        ``(HTTP status, answer body, seconds to the answer)``; an HTTP error status is returned, not raised.
    """
    ts = str(timestamp if timestamp is not None else int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    request = urllib.request.Request(url, data=body.encode(), method="POST", headers={
        "Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature,
        **(headers or {})})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            return resp.status, resp.read(), time.monotonic() - started
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), time.monotonic() - started


def event_body(fake: FakeSlack, event: dict, *, event_id: str) -> str:
    """An ``event_callback`` envelope around ``event`` as Slack sends it (JSON text)."""
    return json.dumps({"token": "x", "team_id": fake.team_id, "api_app_id": "A0RECAP", "type": "event_callback",
                       "event_id": event_id, "event_time": int(time.time()), "event": event,
                       "authorizations": [{"team_id": fake.team_id, "user_id": fake.bot_user_id, "is_bot": True}]})


class ResponseUrlReceiver:
    """Records JSON posted to ``response_url`` (what ``respond()`` sends)."""

    def __init__(self) -> None:
        self.posts: list[dict] = []
        self.cond = threading.Condition()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with outer.cond:
                    outer.posts.append({"path": self.path, **json.loads(body or b"{}")})
                    outer.cond.notify_all()
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, name: str = "cmd") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/{name}"

    def wait_for(self, predicate: Callable[[list[dict]], bool], timeout: float = 15) -> list[dict]:
        with self.cond:
            if not self.cond.wait_for(lambda: predicate(self.posts), timeout=timeout):
                raise AssertionError(f"response_url never satisfied the condition; got {self.posts}")
            return list(self.posts)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Harness:
    """A running Recap app wired to fakes."""

    fake: FakeSlack
    receiver: ResponseUrlReceiver
    app_url: str
    services: Any
    server: Any = field(repr=False)

    def post(self, body: str, content_type: str, *, headers: dict | None = None,
             timestamp: int | None = None, secret: str = SIGNING_SECRET) -> tuple[int, bytes, float]:
        """Send a signed request (:func:`signed_post`); returns (status, body, seconds taken)."""
        return signed_post(self.app_url, body, content_type, headers=headers, timestamp=timestamp, secret=secret)

    def event(self, event: dict, *, event_id: str = "Ev001", retry_num: int | None = None) -> tuple[int, bytes, float]:
        body = event_body(self.fake, event, event_id=event_id)
        headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"} if retry_num else None
        return self.post(body, "application/json", headers=headers)

    def command(self, text: str, *, user_id: str, channel_id: str, name: str = "cmd") -> tuple[int, bytes, float]:
        body = urlencode({"token": "x", "team_id": self.fake.team_id, "team_domain": self.fake.domain,
                          "channel_id": channel_id, "user_id": user_id, "command": "/summarize", "text": text,
                          "api_app_id": "A0RECAP", "response_url": self.receiver.url(name),
                          "trigger_id": "1.2.3"})
        return self.post(body, "application/x-www-form-urlencoded")

    def interactive(self, payload: dict) -> tuple[int, bytes, float]:
        return self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def wait_calls(self, method: str, count: int = 1, timeout: float = 15) -> list[dict]:
        """Wait until the fake Slack has seen ``count`` calls to ``method``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            calls = self.fake.calls_to(method)
            if len(calls) >= count:
                return calls
            time.sleep(0.02)
        raise AssertionError(f"expected {count} call(s) to {method}, got {self.fake.calls_to(method)}")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.receiver.stop()


def start_harness(fake: FakeSlack, *, tmp_path, provider=None, **setting_overrides: Any) -> Harness:
    """Start the Recap app (HTTP mode) against ``fake``; database in ``tmp_path``."""
    from bot.app import build_services
    from bot.config import load_settings
    from bot.wsgi import create_wsgi_app

    settings = load_settings(
        None, slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET, slack_api_url=fake.base_url,
        database_url=f"sqlite:///{tmp_path}/recap.sqlite3", llm_provider="offline", **setting_overrides,
    )
    services = build_services(settings)
    if provider is not None:
        services.provider = provider
    wsgi = create_wsgi_app(settings, services=services)
    server = make_server("127.0.0.1", 0, wsgi, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/slack/events"
    return Harness(fake=fake, receiver=ResponseUrlReceiver(), app_url=url, services=services, server=server)
