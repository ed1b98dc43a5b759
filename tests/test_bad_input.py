"""Bad input: forged, stale, replayed or tampered requests are rejected (and genuine ones are not);
empty threads, deleted parents, file-only messages and malformed arguments get a clear message,
no crash and no partial post."""

from __future__ import annotations

import json
import random
import time

import pytest

from tests.e2e import SIGNING_SECRET


def test_signature_checks_reject_every_forgery_and_no_genuine_request(harness):
    """200 generated requests: genuine ones pass, forged/stale/tampered ones are refused (401)."""
    import urllib.request

    from slack_sdk.signature import SignatureVerifier

    rng = random.Random(6)
    false_rejects = accepted_forgeries = 0
    for i in range(200):
        body = json.dumps({"type": "url_verification", "challenge": f"c{i}-{rng.random()}"})
        now = int(time.time())
        kind = rng.choice(["genuine", "wrong_secret", "stale", "tampered", "future", "no_signature"])
        ts = now - 301 - rng.randint(0, 10_000) if kind == "stale" else now + 400 if kind == "future" else now
        secret = "not-the-secret" if kind == "wrong_secret" else SIGNING_SECRET
        signature = SignatureVerifier(secret).generate_signature(timestamp=str(ts), body=body)
        sent = body.replace("challenge", "challengE") if kind == "tampered" else body
        headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": str(ts)}
        if kind != "no_signature":
            headers["X-Slack-Signature"] = signature
        request = urllib.request.Request(harness.app_url, data=sent.encode(), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as resp:
                status = resp.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        if kind == "genuine":
            false_rejects += status != 200
        else:
            accepted_forgeries += status != 401
    assert (false_rejects, accepted_forgeries) == (0, 0)


def test_replayed_old_request_is_rejected(harness, workspace):
    """A captured request replayed after Slack's 5-minute window is refused and does nothing."""
    parent = workspace.post("C0GEN", "U1", "plan?")
    body = json.dumps({"type": "event_callback", "team_id": workspace.team_id, "event_id": "EvReplay",
                       "event": {"type": "app_mention", "user": "U1", "text": "<@U0BOT> summarize",
                                 "ts": workspace.next_ts(), "thread_ts": parent["ts"], "channel": "C0GEN"}})
    status, _, _ = harness.post(body, "application/json", timestamp=int(time.time()) - 6 * 60)
    assert status == 401
    time.sleep(0.3)
    assert not workspace.calls_to("chat.postMessage")


def _mention(harness, workspace, thread_ts: str, event_id: str) -> str:
    harness.event({"type": "app_mention", "user": "U1", "text": "<@U0BOT> summarize", "ts": workspace.next_ts(),
                   "thread_ts": thread_ts, "channel": "C0GEN"}, event_id=event_id)
    return json.dumps(harness.wait_calls("chat.update")[-1])


def test_empty_thread_and_file_only_messages_get_a_clear_message(harness, workspace):
    parent = workspace.post("C0GEN", "U1", "", files=[{"id": "F1", "name": "plan.pdf"}])
    workspace.post("C0GEN", "U2", ":tada:", thread_ts=parent["ts"])
    workspace.post("C0GEN", "U2", "", thread_ts=parent["ts"], attachments=[{"fallback": "chart"}])
    final = _mention(harness, workspace, parent["ts"], "EvEmpty")
    assert "Traceback" not in final and ("nothing to summarize" in final.lower() or "blocks" in final)


def test_deleted_parent_and_edited_broadcast_messages(harness, workspace):
    parent = workspace.post("C0GEN", "U1", "This message was deleted.", subtype="tombstone")
    workspace.post("C0GEN", "U2", "Decision: ship on Wednesday.", thread_ts=parent["ts"],
                   edited={"user": "U2", "ts": workspace.next_ts()})
    workspace.post("C0GEN", "U1", "Agreed, Wednesday it is.", thread_ts=parent["ts"], reply_broadcast=True)
    final = _mention(harness, workspace, parent["ts"], "EvDeleted")
    assert "Wednesday" in final and "Traceback" not in final
    assert len(workspace.calls_to("chat.postMessage")) == 1  # only the "Reading…" reply, updated in place


@pytest.mark.parametrize("text", [
    "https://recap-test.slack.com/archives/C0GEN/p123", "https://evil.example/archives/C0GEN/p1700000000000100",
    "<https://recap-test.slack.com/archives/|x>", "<#C0GEN|general> 99999d", "<#C0GEN|general> since never",
    "<#|> 7d", "\x00\x01 digest", "%s%n{0}", "<@U1>", "x" * 5000, "<#C0GEN|general> <#C0GEN|general> 7d 7d",
])
def test_malformed_command_arguments_get_usage_without_trace(harness, workspace, text):
    name = f"bad{abs(hash(text))}"
    status, _, seconds = harness.command(text, user_id="U1", channel_id="C0GEN", name=name)
    assert status == 200 and seconds < 3
    posts = harness.receiver.wait_for(lambda p: any(x["path"] == f"/{name}" for x in p))
    body = json.dumps([p for p in posts if p["path"] == f"/{name}"])
    assert "Traceback" not in body and "Exception" not in body
    assert not workspace.calls_to("chat.postMessage")  # nothing public, nothing partial


def test_a_mention_where_slack_refuses_the_reply_is_not_answered_in_silence(harness, workspace):
    """Posting restricted to admins (``restricted_action``): the person is told privately, :eyes: → :warning:."""
    parent = workspace.post("C0GEN", "U1", "Decision: ship v2.4 on Wednesday.")
    workspace.post("C0GEN", "U2", "Agreed.", thread_ts=parent["ts"])
    workspace.fail("chat.postMessage", error="restricted_action", times=5)
    mention_ts = workspace.next_ts()
    harness.event({"type": "app_mention", "user": "U1", "text": "<@U0BOT> summarize", "ts": mention_ts,
                   "thread_ts": parent["ts"], "channel": "C0GEN"}, event_id="EvRestricted")
    note = harness.wait_calls("chat.postEphemeral")[-1]
    assert note["user"] == "U1" and note["channel"] == "C0GEN"
    assert "restricted_action" in note["text"] and "/summarize" in note["text"]
    added = harness.wait_calls("reactions.add", count=2)
    assert [c["name"] for c in added] == ["eyes", "warning"]
    assert [c["name"] for c in workspace.calls_to("reactions.remove")] == ["eyes"]
    assert workspace.calls_to("chat.update") == []  # nothing half-posted
