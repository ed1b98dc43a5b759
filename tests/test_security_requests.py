"""Bounded, verified requests (HTTP mode's front door, ``bot/runtime/http_guard.py``) and replayed
requests dropped (``bot/runtime/middleware.py``), end to end over real sockets into the real app."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import socket
import time
from urllib.parse import urlencode, urlsplit

import pytest
from slack_sdk.signature import SignatureVerifier

from tests.e2e import SIGNING_SECRET

MB = 1024 * 1024


def raw_post(url: str, headers: dict[str, str], body: bytes = b"", *, shut_write: bool = False,
             timeout: float = 5) -> tuple[int, bytes, float]:
    """Send one request by hand (any header, any length, even a body shorter than announced).

    Returns:
        ``(HTTP status, answer body, seconds to the first byte of the answer)``.
    """
    target = urlsplit(url)
    head = [f"POST {target.path} HTTP/1.1", f"Host: {target.hostname}:{target.port}", "Connection: close",
            *(f"{name}: {value}" for name, value in headers.items())]
    started = time.monotonic()
    with socket.create_connection((target.hostname, target.port), timeout=timeout) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
        if shut_write:
            sock.shutdown(socket.SHUT_WR)
        answer = sock.recv(65536)
        seconds = time.monotonic() - started
        while chunk := sock.recv(65536):
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2], seconds


def signed_headers(body: bytes | str, *, content_type: str = "application/json", ts: int | None = None,
                   secret: str = SIGNING_SECRET) -> dict[str, str]:
    """Slack's headers for ``body``: signed over the raw bytes (``v0:{ts}:{body}``) with ``secret``."""
    raw = body.encode() if isinstance(body, str) else body
    stamp = str(ts if ts is not None else int(time.time()))
    digest = hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + raw, hashlib.sha256).hexdigest()
    return {"Content-Type": content_type, "Content-Length": str(len(raw)), "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": f"v0={digest}"}


# ------------------------------------------------------------------------------ bounded requests


def test_a_200_mb_body_is_refused_with_413_before_a_byte_of_it_is_sent(harness):
    """The announced length alone decides: the body is never sent, and the answer still comes at once."""
    headers = signed_headers(b"{}")
    headers["Content-Length"] = str(200 * MB)
    status, answer, seconds = raw_post(harness.app_url, headers)
    assert status == 413 and seconds < 1, (status, answer, seconds)
    assert b"over 1048576 bytes" in answer


def test_the_limit_is_a_setting(workspace, tmp_path):
    from tests.e2e import start_harness

    harness = start_harness(workspace, tmp_path=tmp_path, http_max_body_bytes=8192)
    try:
        body = json.dumps({"type": "url_verification", "challenge": "c" * 9000})
        assert raw_post(harness.app_url, signed_headers(body), body.encode())[0] == 413
        small = json.dumps({"type": "url_verification", "challenge": "ok"})
        status, answer, _ = raw_post(harness.app_url, signed_headers(small), small.encode())
        assert status == 200 and b"ok" in answer
    finally:
        harness.close()


@pytest.mark.parametrize("case, expected", [
    ("no content-length", 413), ("chunked", 413), ("content-length not a number", 400),
    ("body shorter than content-length", 400), ("unsigned", 401), ("no timestamp", 401),
    ("timestamp not a number", 401), ("stale timestamp", 401), ("signature not ASCII", 401),
    ("wrong secret", 401), ("tampered body", 401),
])
def test_malformed_or_unsigned_requests_get_4xx_never_500(harness, workspace, case, expected):
    body = json.dumps({"type": "url_verification", "challenge": "x"}).encode()
    headers = signed_headers(body)
    shut_write = False
    if case == "no content-length":
        del headers["Content-Length"]
        body = b""
    elif case == "chunked":
        del headers["Content-Length"]
        headers["Transfer-Encoding"] = "chunked"
        body = b"5\r\nhello\r\n0\r\n\r\n"
    elif case == "content-length not a number":
        headers["Content-Length"] = "12abc"
    elif case == "body shorter than content-length":
        headers["Content-Length"] = str(len(body) + 100)
        shut_write = True
    elif case == "unsigned":
        del headers["X-Slack-Signature"]
    elif case == "no timestamp":
        del headers["X-Slack-Request-Timestamp"]
    elif case == "timestamp not a number":
        headers["X-Slack-Request-Timestamp"] = "soon"
    elif case == "stale timestamp":
        headers = signed_headers(body, ts=int(time.time()) - 301)
    elif case == "signature not ASCII":
        headers["X-Slack-Signature"] = "v0=\u00ff" * 3
    elif case == "wrong secret":
        headers = signed_headers(body, secret="not-the-secret")
    elif case == "tampered body":
        body = body.replace(b'"x"', b'"y"')
    status, answer, _ = raw_post(harness.app_url, headers, body, shut_write=shut_write)
    assert status == expected, (case, status, answer)
    assert b"Traceback" not in answer


@pytest.mark.parametrize("content_type, body", [
    ("application/json", b"{not json"),
    ("application/json", b"[1, 2, 3]"),
    ("application/json", b'"just a string"'),
    ("application/json", json.dumps({"type": "event_callback", "authorizations": "x"}).encode()),
    ("application/json", b"\xff\xfe{}"),  # signed, but not UTF-8
    ("application/json", b"[" * 100_000 + b"]" * 100_000),  # nested past the parser's recursion limit
    ("application/x-www-form-urlencoded", b"payload=%7B%22type%22%3A"),  # truncated JSON in payload
    ("application/x-www-form-urlencoded", b"payload=%FF%FE"),  # undecodable payload
    ("application/x-www-form-urlencoded", b"payload=%5B%5D"),  # payload=[]
])
def test_signed_but_malformed_bodies_get_400(harness, workspace, content_type, body):
    calls_before = len(workspace.calls)
    status, answer, _ = raw_post(harness.app_url, signed_headers(body, content_type=content_type), body)
    assert status == 400, (body[:60], status, answer)
    time.sleep(0.1)
    assert len(workspace.calls) == calls_before  # nothing reached a listener


def test_an_unsigned_body_that_is_not_utf8_gets_401(harness):
    body = b"\xff\xfe{}"
    headers = signed_headers(body, secret="not-the-secret")
    assert raw_post(harness.app_url, headers, body)[0] == 401


_TYPES = ["event_callback", "block_actions", "view_submission", "view_closed", "shortcut", "message_action",
          "block_suggestion", "url_verification", "interactive_message", "dialog_submission", "x", 5, None]
_EVENT_TYPES = ["app_mention", "message", "app_home_opened", "assistant_thread_started", "app_uninstalled",
                "tokens_revoked", "member_joined_channel", 5, None, ["x"]]
_KEYS = ["team", "user", "channel", "enterprise", "event", "actions", "view", "message", "trigger_id", "callback_id",
         "response_url", "team_id", "authorizations", "container", "state", "tokens", "text", "subtype", "thread_ts",
         "ts", "bot_id", "assistant_thread", "is_ext_shared_channel", "command", "value", "action_id"]


def _random_payload(rng: random.Random, depth: int = 0) -> dict:
    """A payload of Slack's field names with values of any shape (objects nested up to 2 levels)."""
    def value():
        if depth < 2 and rng.random() < 0.3:
            return _random_payload(rng, depth + 1)
        return rng.choice([None, 1, "x", [], {}, [1], [{}], {"id": 5}, {"type": 3}, True, "T0", {"id": "U1"}])
    return {key: value() for key in rng.sample(_KEYS, rng.randrange(0, 8))}


def test_300_random_signed_bodies_never_get_a_500(harness, workspace):
    """Signed bodies (so past the signature check) with Slack's field names and values of every shape
    (null objects, numbers for IDs, lists for objects, missing ``actions``…), as JSON, as a form's
    ``payload`` and as slash-command forms, plus random bytes: each gets 200, 400 or 404, never 500."""
    rng = random.Random(14)
    statuses = []
    for _ in range(300):
        payload = _random_payload(rng)
        payload["type"] = rng.choice(_TYPES)
        if payload["type"] == "event_callback" or rng.random() < 0.2:
            payload["event"] = {**_random_payload(rng, 1), "type": rng.choice(_EVENT_TYPES)}
        if rng.random() < 0.5:
            payload["team_id"] = workspace.team_id
        kind = rng.random()
        if kind < 0.4:
            body, content_type = json.dumps(payload).encode(), "application/json"
        elif kind < 0.8:
            body, content_type = urlencode({"payload": json.dumps(payload)}).encode(), "application/x-www-form-urlencoded"
        elif kind < 0.9:
            form = {k: str(v) for k, v in _random_payload(rng).items()}
            body = urlencode({**form, "command": "/summarize", "text": rng.choice(["", "help", "x" * 500])}).encode()
            content_type = "application/x-www-form-urlencoded"
        else:
            body = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 80)))
            content_type = rng.choice(["application/json", "text/plain"])
        status, answer, _ = raw_post(harness.app_url, signed_headers(body, content_type=content_type), body)
        statuses.append(status)
        assert status < 500, (body[:120], status, answer)
    assert 400 in statuses and 200 in statuses


def test_the_guard_reads_nothing_from_a_refused_request_and_hands_bolt_the_bytes_it_read():
    """Unit level: ``wsgi.input`` is not touched on a refusal; on success Bolt gets a BytesIO with the
    same bytes, and the socket stream was read exactly once up to the announced length."""
    from bot.runtime.http_guard import VerifiedRequests

    class Stream:
        def __init__(self, data: bytes) -> None:
            self.data, self.reads = data, []

        def read(self, size: int = -1) -> bytes:
            self.reads.append(size)
            chunk, self.data = self.data[:size], self.data[size:]
            return chunk

    seen = {}

    def handler(environ, start_response):
        seen["body"] = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
        start_response("200 OK", [])
        return [b""]

    guard = VerifiedRequests(handler, signing_secret=SIGNING_SECRET, max_body_bytes=MB)
    answers = []

    def call(headers: dict[str, str], stream: Stream) -> str:
        environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/slack/events", "wsgi.input": stream,
                   "CONTENT_TYPE": headers.get("Content-Type", "")}
        if "Content-Length" in headers:
            environ["CONTENT_LENGTH"] = headers["Content-Length"]
        environ.update({"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items() if k.startswith("X-")})
        b"".join(guard(environ, lambda status, _headers: answers.append(status)))
        return answers[-1]

    body = json.dumps({"type": "url_verification", "challenge": "x" * 200_000}).encode()
    huge = signed_headers(body)
    huge["Content-Length"] = str(200 * MB)
    stream = Stream(body)
    assert call(huge, stream).startswith("413") and stream.reads == []
    unsigned = signed_headers(body)
    del unsigned["X-Slack-Signature"]
    stream = Stream(body)
    assert call(unsigned, stream).startswith("401") and stream.reads == []
    stream = Stream(body + b"trailing bytes of a next request")
    assert call(signed_headers(body), stream).startswith("200")
    assert seen["body"] == body and sum(stream.reads) == len(body) and max(stream.reads) <= 64 * 1024


def test_socket_mode_requests_are_not_touched_by_the_http_guard():
    """Socket Mode hands Bolt a parsed payload over the app-token WebSocket: no HTTP guard, but the
    replay key still applies (the trigger_id alone; there is no signature header)."""
    from slack_bolt import BoltRequest

    from bot.runtime.middleware import claim_key

    req = BoltRequest(body={"type": "shortcut", "trigger_id": "13.45.ab", "team": {"id": "T9"}}, mode="socket_mode")
    assert claim_key(req) == ("T9:trigger:13.45.ab:", "T9")


# ------------------------------------------------------------------------------ replays


def _command_body(workspace, harness, *, text: str, name: str, trigger_id: str) -> str:
    return urlencode({"token": "x", "team_id": workspace.team_id, "team_domain": workspace.domain,
                      "channel_id": "C0GEN", "user_id": "U1", "command": "/summarize", "text": text,
                      "api_app_id": "A0RECAP", "response_url": harness.receiver.url(name), "trigger_id": trigger_id})


def _answers(harness, name: str) -> list[dict]:
    return [p for p in harness.receiver.posts if p["path"] == f"/{name}" and p.get("blocks")]


def test_a_replayed_slash_command_is_acknowledged_and_not_answered_again(harness, workspace):
    parent = workspace.post("C0GEN", "U1", "Shall we ship v2.4 on Wednesday?")
    workspace.post("C0GEN", "U2", "Yes, Wednesday. I'll fix the migration tests first.", thread_ts=parent["ts"])
    body = _command_body(workspace, harness, text="<#C0GEN|general> 7d", name="replayed", trigger_id="7.8.9a")
    ts = int(time.time())
    first = harness.post(body, "application/x-www-form-urlencoded", timestamp=ts)
    harness.receiver.wait_for(lambda p: any(x["path"] == "/replayed" and x.get("blocks") for x in p))
    replay = harness.post(body, "application/x-www-form-urlencoded", timestamp=ts)  # the same bytes, re-sent
    assert first[0] == 200 and first[1]  # the ack's "working on it"
    assert replay[0] == 200 and replay[1] == b""  # acknowledged, nothing said
    time.sleep(1.0)
    assert len(_answers(harness, "replayed")) == 1
    history = workspace.calls_to("conversations.history")
    assert len(history) == 1  # the channel was read once


def test_a_replayed_shortcut_is_dropped_but_a_new_one_runs(harness, workspace):
    parent = workspace.post("C0GEN", "U1", "Release on Wednesday?")
    workspace.post("C0GEN", "U2", "Agreed: Wednesday.", thread_ts=parent["ts"])
    payload = {"type": "message_action", "callback_id": "summarize_thread", "trigger_id": "55.66.shortcut",
               "team": {"id": workspace.team_id}, "user": {"id": "U1"}, "channel": {"id": "C0GEN"},
               "message": {"ts": parent["ts"], "thread_ts": parent["ts"], "text": "x"}, "message_ts": parent["ts"],
               "response_url": harness.receiver.url("shortcut"), "token": "x", "api_app_id": "A0RECAP"}
    body = urlencode({"payload": json.dumps(payload)})
    ts = int(time.time())
    assert harness.post(body, "application/x-www-form-urlencoded", timestamp=ts)[0] == 200
    harness.receiver.wait_for(lambda p: len(_answers(harness, "shortcut")) == 1)
    assert harness.post(body, "application/x-www-form-urlencoded", timestamp=ts)[:2] == (200, b"")
    # A new invocation (its own trigger_id) of the same shortcut runs as usual.
    payload["trigger_id"] = "55.67.shortcut"
    assert harness.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")[0] == 200
    harness.receiver.wait_for(lambda p: len(_answers(harness, "shortcut")) == 2)
    time.sleep(0.5)
    assert len(_answers(harness, "shortcut")) == 2


def test_two_different_commands_that_reuse_a_trigger_id_are_both_answered(harness, workspace):
    """The key pins the exact signed bytes: only a byte-identical replay shares it."""
    workspace.post("C0GEN", "U1", "Ship on Wednesday.")
    for name in ("one", "two"):
        body = _command_body(workspace, harness, text="<#C0GEN|general> 7d", name=name, trigger_id="1.2.3")
        assert harness.post(body, "application/x-www-form-urlencoded")[0] == 200
    harness.receiver.wait_for(lambda p: _answers(harness, "one") and _answers(harness, "two"))


def test_a_replay_after_the_window_is_refused_by_the_signature_check(harness, workspace):
    body = _command_body(workspace, harness, text="help", name="late", trigger_id="9.9.9")
    status, _, _ = harness.post(body, "application/x-www-form-urlencoded", timestamp=int(time.time()) - 6 * 60)
    assert status == 401


def test_the_claim_key_pins_the_signature():
    from slack_bolt import BoltRequest

    from bot.runtime.middleware import claim_key

    body = "command=%2Fsummarize&team_id=T1&trigger_id=1.2.3"
    one = BoltRequest(body=body, headers={"x-slack-signature": "v0=aaa"})
    two = BoltRequest(body=body, headers={"x-slack-signature": "v0=bbb"})
    assert claim_key(one) != claim_key(two) and claim_key(one)[1] == "T1"
    assert claim_key(one) == claim_key(BoltRequest(body=body, headers={"x-slack-signature": "v0=aaa"}))
    assert claim_key(BoltRequest(body='{"type": "url_verification"}')) is None
    verifier = SignatureVerifier(SIGNING_SECRET)  # the test helper signs as Slack does
    headers = signed_headers("abc")
    assert verifier.is_valid(body="abc", timestamp=headers["X-Slack-Request-Timestamp"],
                             signature=headers["X-Slack-Signature"])
