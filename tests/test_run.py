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
