"""The web tier's fast lane (:class:`bot.queue.web.DirectAcks`): a mention or a ``/summarize`` reaching the
web tier of a queue is answered and enqueued without Bolt's dispatch, with the very response and job
Bolt's own path gives; everything else still goes to Bolt. Measured by ``bench/load_bench.py --baseline``
(``docs/queue.md``)."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode

import pytest

import bot.queue.web as web
from bot.config import load_settings
from tests.fakeslack import fake_slack  # noqa: F401 - fixture
from tests.test_ack_path import _redis_url

SECRET = "direct-ack-secret"


def _environ(body: bytes, content_type: str, *, secret: str = SECRET, retry: bool = False) -> dict[str, Any]:
    ts = str(int(time.time()))
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/slack/events", "QUERY_STRING": "",
               "SERVER_PROTOCOL": "HTTP/1.1", "CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(body)),
               "wsgi.input": io.BytesIO(body), "HTTP_X_SLACK_REQUEST_TIMESTAMP": ts,
               "HTTP_X_SLACK_SIGNATURE": f"v0={digest}"}
    if retry:
        environ.update(HTTP_X_SLACK_RETRY_NUM="2", HTTP_X_SLACK_RETRY_REASON="http_timeout")
    return environ


def _mention(event_type: str = "app_mention") -> tuple[bytes, str]:
    body = {"type": "event_callback", "team_id": "T0RECAP", "api_app_id": "A0RECAP", "event_id": "EvDirect1",
            "authorizations": [{"team_id": "T0RECAP", "user_id": "U0BOT", "is_bot": True}],
            "event": {"type": event_type, "user": "U1", "text": "<@U0BOT> summarize", "ts": "1700000000.000200",
                      "thread_ts": "1700000000.000100", "channel": "C0GEN", "event_ts": "1700000000.000200"}}
    return json.dumps(body).encode(), "application/json"


def _command(command: str = "/summarize", text: str = "#general 7d") -> tuple[bytes, str]:
    form = {"token": "x", "team_id": "T0RECAP", "team_domain": "recap", "channel_id": "C0GEN", "user_id": "U2",
            "command": command, "text": text, "api_app_id": "A0RECAP", "trigger_id": "13345224609.738474920.8088",
            "response_url": "https://hooks.slack.com/commands/T0RECAP/1/abc"}
    return urlencode(form).encode(), "application/x-www-form-urlencoded"


def _call(wsgi: Any, environ: dict[str, Any]) -> tuple[str, dict[str, str], bytes]:
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answer.update(status=status, headers={k.lower(): v for k, v in headers})

    body = b"".join(wsgi(environ, start_response))
    return answer["status"], answer["headers"], body


@pytest.fixture
def web_tier(tmp_path, fake_slack, monkeypatch):  # noqa: F811
    """Recap's own web tier of a queue (``create_wsgi_app`` with ``QUEUE_URL``), every job it sends recorded
    as ``(path, kwargs)`` instead of reaching the broker."""
    from bot.wsgi import create_wsgi_app
    from tests.fakeslack import BOT_TOKEN

    settings = load_settings(None, slack_bot_token=BOT_TOKEN, slack_signing_secret=SECRET,
                             slack_api_url=fake_slack.base_url, database_url=f"sqlite:///{tmp_path}/recap.sqlite3",
                             queue_url=_redis_url(), queue_name=f"recap-direct-{uuid.uuid4().hex[:8]}")
    wsgi = create_wsgi_app(settings)
    sent: list[tuple[str, dict[str, Any]]] = []

    def recorder(path: str):
        def enqueue(_settings: Any, **kwargs: Any) -> str:
            sent.append((path, kwargs))
            return uuid.uuid4().hex
        return enqueue

    monkeypatch.setattr(web, "enqueue_lazy", recorder("bolt"))  # QueueLazyListenerRunner's sender
    assert isinstance(wsgi.direct, web.DirectAcks)
    wsgi.direct.enqueue = recorder("direct")
    return wsgi, sent


@pytest.mark.parametrize("request_of", [_mention, _command], ids=["app_mention", "/summarize"])
@pytest.mark.parametrize("retry", [False, True], ids=["first", "slack-retry"])
def test_a_direct_ack_gives_the_response_and_job_bolts_own_path_gives(web_tier, monkeypatch, request_of, retry):
    wsgi, sent = web_tier
    body, content_type = request_of()
    environ = _environ(body, content_type, retry=retry)
    bolt_dispatch = wsgi.app.dispatch
    monkeypatch.setattr(wsgi.app, "dispatch", lambda request: pytest.fail("the fast lane called Bolt"))
    direct = _call(wsgi, dict(environ, **{"wsgi.input": io.BytesIO(body)}))
    monkeypatch.setattr(wsgi.app, "dispatch", bolt_dispatch)
    fast_lane, wsgi.direct = wsgi.direct, None  # the same signed request, through Bolt
    bolt = _call(wsgi, dict(environ, **{"wsgi.input": io.BytesIO(body)}))
    wsgi.direct = fast_lane

    assert [path for path, _ in sent] == ["direct", "bolt"]
    assert sent[0][1] == sent[1][1]  # function, parsed body, forwarded headers, claim key, team
    assert direct == bolt  # status, headers (content type, length) and body
    assert direct[0].startswith("200")
    job = sent[0][1]
    assert job["lazy_function_name"] == "answer" and job["team_id"] == "T0RECAP" and job["claim_key"]
    assert ("x-slack-retry-num" in job["headers"]) == retry
    if request_of is _command:
        assert "Working on it" in direct[2].decode()  # the sign of life, as Bolt writes ack(text=…)


@pytest.mark.parametrize("request_of", [lambda: _mention("app_home_opened"), lambda: _command("/other"),
                                        lambda: _command("/other", text="app_mention")],
                         ids=["other-event", "other-command", "marker-in-text"])
def test_other_requests_still_go_to_bolt(web_tier, monkeypatch, request_of):
    wsgi, sent = web_tier
    body, content_type = request_of()
    seen = []
    bolt_dispatch = wsgi.app.dispatch
    monkeypatch.setattr(wsgi.app, "dispatch", lambda request: seen.append(request) or bolt_dispatch(request))
    status, _, _ = _call(wsgi, _environ(body, content_type))
    assert len(seen) == 1 and not [path for path, _ in sent if path == "direct"]
    assert status[:3] in {"200", "404"}


def test_a_signed_but_misshapen_mention_is_refused_and_never_enqueued(web_tier):
    wsgi, sent = web_tier
    body = json.dumps({"type": "event_callback", "team_id": "T0RECAP", "event_id": "Ev2",
                       "event": {"type": "app_mention", "channel": ["C0GEN"], "ts": 1}}).encode()
    status, _, _ = _call(wsgi, _environ(body, "application/json"))
    assert status.startswith("400") and sent == []


def test_an_unsigned_mention_never_reaches_the_fast_lane(web_tier):
    wsgi, sent = web_tier
    body, content_type = _mention()
    status, _, _ = _call(wsgi, _environ(body, content_type, secret="not-the-secret"))
    assert status.startswith("401") and sent == []


def test_a_failed_enqueue_answers_500_so_slack_retries(web_tier):
    wsgi, _ = web_tier

    def down(_settings: Any, **_: Any) -> str:
        raise ConnectionError("broker down")

    wsgi.direct.enqueue = down
    body, content_type = _mention()
    status, _, _ = _call(wsgi, _environ(body, content_type))
    assert status.startswith("500")
