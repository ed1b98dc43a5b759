"""`recap run` (HTTP mode) as a real process, and `recap summarize --permalink` against the fake Slack."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

from slack_sdk.signature import SignatureVerifier

from tests.fakeslack import BOT_TOKEN, FakeSlack


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(fake: FakeSlack, tmp_path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ANTHROPIC_", "OPENAI_", "LLM_"))}
    env.update(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=fake.base_url, DATABASE_URL=f"sqlite:///{tmp_path}/r.sqlite3",
               **extra)
    return env


def test_recap_run_http_mode_answers_a_signed_request(tmp_path):
    with FakeSlack() as fake:
        port = _free_port()
        proc = subprocess.Popen([sys.executable, "-m", "bot", "run", "--http"], cwd=tmp_path,
                                env=_env(fake, tmp_path, SLACK_SIGNING_SECRET="s3cret", PORT=str(port)),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"})
            ts = str(int(time.time()))
            sig = SignatureVerifier("s3cret").generate_signature(timestamp=ts, body=body)
            deadline = time.monotonic() + 30
            while True:
                try:
                    req = urllib.request.Request(f"http://127.0.0.1:{port}/slack/events", data=body.encode(),
                                                 headers={"Content-Type": "application/json",
                                                          "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig})
                    with urllib.request.urlopen(req, timeout=5) as resp:
                        answer = resp.read().decode()
                    break
                except OSError:
                    assert proc.poll() is None, proc.stdout.read()
                    assert time.monotonic() < deadline, "recap run did not start listening"
                    time.sleep(0.2)
            assert "abc123" in answer
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def test_recap_run_without_tokens_is_a_clear_error(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    done = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2
    assert "SLACK_BOT_TOKEN" in done.stderr and "Traceback" not in done.stderr


def test_summarize_permalink_reads_the_web_api(tmp_path):
    with FakeSlack() as fake:
        fake.add_user("U1", "maya")
        fake.add_user("U2", "raj")
        fake.add_channel("C0GEN", "general", members=["U1", "U2"])
        parent = fake.post("C0GEN", "U1", "Should we move the standup to 9:30 AM?")["ts"]
        fake.post("C0GEN", "U2", "Agreed, we decided to move the standup to 9:30 AM starting Monday.", thread_ts=parent)
        link = f"https://recap-test.slack.com/archives/C0GEN/p{parent.replace('.', '')}"
        done = subprocess.run([sys.executable, "-m", "bot", "summarize", "--permalink", link, "--format", "mrkdwn"],
                              cwd=tmp_path, env=_env(fake, tmp_path), capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "9:30 AM" in done.stdout
        assert "cid=C0GEN|[1]>" in done.stdout and "<https://recap-test.slack.com/archives/C0GEN/p" in done.stdout
        assert fake.calls_to("conversations.replies")


def test_recap_run_http_with_a_queue_builds_the_app_once_and_only_enqueues(tmp_path):
    """With ``QUEUE_URL`` the web tier acks a mention and enqueues it (no work, no reaction); the app is
    built once (in the Granian worker), not also in the parent (which only checks the token)."""
    import uuid

    import pytest
    import redis

    from tests.conftest import IN_CI
    from tests.e2e import event_body

    url = os.environ.get("RECAP_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        if IN_CI:
            pytest.fail(f"CI is set but Redis at {url} is unreachable: {exc}")
        pytest.skip(f"Redis not reachable: {exc}")
    queue = f"recap-run-{uuid.uuid4().hex[:8]}"
    with FakeSlack() as fake:
        fake.add_user("U1", "maya")
        fake.add_channel("C0GEN", "general", members=["U1"])
        port = _free_port()
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "bot", "run", "--http", "--no-scheduler"], cwd=tmp_path,
                                env=_env(fake, tmp_path, SLACK_SIGNING_SECRET="s3cret", PORT=str(port),
                                         QUEUE_URL=url, QUEUE_NAME=queue, LLM_PROVIDER="offline",
                                         LOG_LEVEL="INFO"),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            ts = fake.next_ts()
            body = event_body(fake, {"type": "app_mention", "user": "U1", "text": "<@U0BOT> summarize", "ts": ts,
                                     "channel": "C0GEN", "event_ts": ts}, event_id="EvRunQ1")
            deadline = time.monotonic() + 60
            while True:
                stamp = str(int(time.time()))
                sig = SignatureVerifier("s3cret").generate_signature(timestamp=stamp, body=body)
                req = urllib.request.Request(f"http://127.0.0.1:{port}/slack/events", data=body.encode(),
                                             headers={"Content-Type": "application/json",
                                                      "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": sig})
                try:
                    with urllib.request.urlopen(req, timeout=5) as resp:
                        assert resp.status == 200
                    break
                except OSError:
                    assert proc.poll() is None, proc.stdout.read()
                    assert time.monotonic() < deadline, "recap run did not start listening"
                    time.sleep(0.1)
            first_ack = time.monotonic() - started
            time.sleep(0.5)
            assert client.llen(f"dramatiq-{queue}:{queue}") == 1  # the mention waits for a worker
            assert not fake.calls_to("reactions.add") and not fake.calls_to("chat.postMessage")
            print(f"first ack {first_ack:.2f} s after start")
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            for key in client.scan_iter(f"dramatiq-{queue}*"):
                client.delete(key)
        output = proc.stdout.read()
        assert output.count("Bolt app built") == 1, output  # in the Granian worker only
        assert "Bolt app built (web tier, work on the queue)" in output
