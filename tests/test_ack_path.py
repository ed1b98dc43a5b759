"""The ack path of HTTP mode: what one request costs between the socket and Bolt's answer.

The guard in front of Bolt (:class:`bot.runtime.http_guard.VerifiedRequests`) parses each body once and
hands Bolt that request (Bolt's WSGI adapter would parse it again), and Bolt's own signature check, a
second HMAC over the same bytes, is dropped behind it; the web tier of a queue opens its broker
connections at start-up, one per HTTP thread, not in the first burst. Measured by
``bench/load_bench.py --baseline`` (``docs/queue.md``).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import socket
import time
import uuid
from typing import Any
from urllib.parse import urlsplit

import pytest
from slack_bolt import App, BoltRequest
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.middleware import RequestVerification

from bot.config import load_settings
from tests.conftest import IN_CI
from tests.fakeslack import fake_slack  # noqa: F401 - fixture

SECRET = "ack-path-secret"
REDIS_URL = os.environ.get("RECAP_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _environ(body: bytes, *, path: str = "/slack/events", query: str = "", secret: str = SECRET,
             content_type: str = "application/json") -> dict[str, Any]:
    """A WSGI environ of a ``POST`` as Slack sends it, signed with ``secret`` now."""
    ts = str(int(time.time()))
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"REQUEST_METHOD": "POST", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_PROTOCOL": "HTTP/1.1",
            "CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body),
            "HTTP_X_SLACK_REQUEST_TIMESTAMP": ts, "HTTP_X_SLACK_SIGNATURE": f"v0={digest}",
            "HTTP_X_SLACK_RETRY_NUM": "1"}


def _mention(event_id: str = "Ev1") -> bytes:
    return json.dumps({"type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": event_id,
                       "event": {"type": "app_mention", "user": "U1", "text": "<@U0> hi", "ts": "1.1",
                                 "channel": "C1", "event_ts": "1.1"}}).encode()


def _guarded_app(tmp_path) -> tuple[Any, list[BoltRequest]]:
    """A Bolt app with one ``app_mention`` listener (recording the request it saw) behind
    :func:`bot.wsgi.create_wsgi_app`, authorized without a network call."""
    from bot.wsgi import create_wsgi_app

    seen: list[BoltRequest] = []
    app = App(signing_secret=SECRET, request_verification_enabled=False, authorize=lambda **_: AuthorizeResult(
        enterprise_id=None, team_id="T1", bot_token="xoxb-test", bot_user_id="U0", bot_id="B0"))

    @app.event("app_mention")
    def on_mention(ack, request: BoltRequest) -> None:  # noqa: ANN001 - Bolt injects by name
        seen.append(request)
        ack()

    settings = load_settings(None, slack_bot_token="xoxb-test", slack_signing_secret=SECRET,
                             database_url=f"sqlite:///{tmp_path}/recap.sqlite3")
    return create_wsgi_app(settings, app=app), seen


def _call(wsgi: Any, environ: dict[str, Any]) -> tuple[str, bytes]:
    answer: dict[str, str] = {}
    body = b"".join(wsgi(environ, lambda status, _headers: answer.setdefault("status", status)))
    return answer["status"], body


def test_bolt_gets_the_request_the_guard_parsed_once_and_checks_no_signature_again(tmp_path, monkeypatch):
    import slack_bolt.request.request as bolt_request_module

    wsgi, seen = _guarded_app(tmp_path)
    assert not any(isinstance(m, RequestVerification) for m in wsgi.app._middleware_list)  # noqa: SLF001
    parses = []
    real_parse = bolt_request_module.parse_body
    monkeypatch.setattr(bolt_request_module, "parse_body",
                        lambda body, content_type: parses.append(content_type) or real_parse(body, content_type))

    body = _mention()
    environ = _environ(body, query="a=1")
    expected = WsgiHttpRequest(dict(environ))  # what Bolt's adapter would have built from it
    status, _ = _call(wsgi, environ)

    assert status.startswith("200") and len(seen) == 1
    assert len(parses) == 1, "the body was parsed more than once on the way to Bolt"
    request = seen[0]
    assert request.raw_body == body.decode()
    assert request.query == {"a": ["1"]}
    assert request.headers == BoltRequest(body=body.decode(), headers=expected.get_headers()).headers
    assert request.headers["x-slack-retry-num"] == ["1"] and request.body["event_id"] == "Ev1"


def test_a_wrong_signature_never_reaches_bolt_now_that_bolt_does_not_check_it(tmp_path):
    wsgi, seen = _guarded_app(tmp_path)
    status, _ = _call(wsgi, _environ(_mention(), secret="not-the-secret"))
    assert status.startswith("401") and seen == []
    status, _ = _call(wsgi, _environ(_mention()))
    assert status.startswith("200") and len(seen) == 1


def test_other_paths_and_protocols_still_get_bolts_own_adapter_answers(tmp_path):
    wsgi, seen = _guarded_app(tmp_path)
    status, body = _call(wsgi, _environ(_mention(), path="/elsewhere"))
    assert status.startswith("404") and body == b"Not Found"
    environ = _environ(_mention())
    del environ["SERVER_PROTOCOL"]
    status, body = _call(wsgi, environ)
    assert status.startswith("400") and body == b"Bad Request" and seen == []


def _redis_url() -> str:
    parts = urlsplit(REDIS_URL)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=2):
            return REDIS_URL
    except OSError:
        if IN_CI:
            pytest.fail(f"CI is set but Redis at {REDIS_URL} is unreachable")
        pytest.skip(f"Redis not reachable at {REDIS_URL}")


def test_the_web_tier_opens_one_broker_connection_per_http_thread_before_the_first_request(tmp_path):
    from bot.queue.broker import make_broker, warm_up

    url = _redis_url()
    settings = load_settings(None, slack_bot_token="xoxb-test", slack_signing_secret=SECRET,
                             database_url=f"sqlite:///{tmp_path}/recap.sqlite3", queue_url=url,
                             queue_name=f"recap-ackpath-{uuid.uuid4().hex[:8]}", http_threads=6)
    broker = make_broker(settings)
    try:
        warm_up(settings)
        pool = broker.client.connection_pool
        idle = list(pool._available_connections)  # noqa: SLF001 - redis-py keeps no public list of them
        assert len(idle) >= 6
        assert all(connection._sock is not None for connection in idle)  # noqa: SLF001 - connected, not lazy
        connected = len(idle)
        for _ in range(6):  # six threads answering at once take six of them, and open none
            pool.get_connection()
        assert len(pool._available_connections) + len(pool._in_use_connections) == connected  # noqa: SLF001
    finally:
        for key in broker.client.scan_iter(f"dramatiq-{settings.queue_name}*"):
            broker.client.delete(key)


def test_recaps_own_app_behind_the_guard_is_built_without_a_second_signature_check(tmp_path, fake_slack):  # noqa: F811
    from bot.wsgi import create_wsgi_app
    from tests.fakeslack import BOT_TOKEN

    settings = load_settings(None, slack_bot_token=BOT_TOKEN, slack_signing_secret=SECRET,
                             slack_api_url=fake_slack.base_url, database_url=f"sqlite:///{tmp_path}/recap.sqlite3")
    wsgi = create_wsgi_app(settings)
    assert not any(isinstance(m, RequestVerification) for m in wsgi.app._middleware_list)  # noqa: SLF001
    status, _ = _call(wsgi, _environ(_mention(), secret="not-the-secret"))
    assert status.startswith("401")
