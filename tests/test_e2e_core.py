"""End to end: signed requests into the real Bolt app, which talks to the fake Slack Web API."""

from __future__ import annotations

import json
import re
import time

import pytest

from tests.fakeslack import FakeSlack

PERMALINK = re.compile(r"https://recap-test\.slack\.com/archives/C0GEN/p\d{16}")


@pytest.fixture
def workspace():
    with FakeSlack() as fake:
        for uid, name in [("U1", "maya"), ("U2", "raj"), ("U3", "lena"), ("U9", "outsider")]:
            fake.add_user(uid, name)
        fake.add_channel("C0GEN", "general", members=["U1", "U2", "U3", "U9"])
        fake.add_channel("C0SEC", "secret-plans", is_private=True, members=["U1", "U2"])
        fake.add_channel("C0NOBOT", "no-bot", members=["U1", "U2"], bot_member=False)
        yield fake


def _thread(fake: FakeSlack, channel_id: str = "C0GEN") -> str:
    parent = fake.post(channel_id, "U1", "Release planning for v2.4: should we ship on Tuesday Dec 2 or Wednesday Dec 3?")
    ts = parent["ts"]
    fake.post(channel_id, "U2", "The flaky migration tests need a fix first; I can have it by Friday.", thread_ts=ts)
    fake.post(channel_id, "U3", "Support prefers Wednesday because ticket volume peaks on Tuesdays.", thread_ts=ts)
    fake.post(channel_id, "U1", "Decision: we ship v2.4 on Wednesday Dec 3 at 7:00 PM UTC.", thread_ts=ts)
    fake.post(channel_id, "U1", "<@U2> can you own the migration test fix?", thread_ts=ts)
    fake.post(channel_id, "U2", "Yes, I'll own the migration test fix and report back Friday.", thread_ts=ts)
    fake.post(channel_id, "U3", "Open question: do we keep the /v1/export endpoint for one more release?", thread_ts=ts)
    return ts


def _blocks_text(blocks: list | str | None) -> str:
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return json.dumps(blocks or [], ensure_ascii=False)


def mention_in_thread(harness, workspace, thread_ts: str, event_id: str, channel_id: str = "C0GEN") -> str:
    """Post "@Recap summarize" in the thread ``thread_ts`` as user U1, deliver its signed ``app_mention`` event, and
    return the final answer's blocks as JSON text (the last ``chat.update``)."""
    mention = workspace.post(channel_id, "U1", f"<@{workspace.bot_user_id}> summarize", thread_ts=thread_ts)
    event = {"type": "app_mention", "user": "U1", "text": f"<@{workspace.bot_user_id}> summarize", "ts": mention["ts"],
             "thread_ts": thread_ts, "channel": channel_id}
    status, _, _ = harness.event(event, event_id=event_id)
    assert status == 200
    return _blocks_text(harness.wait_calls("chat.update")[-1]["blocks"])


def test_mention_in_thread_replies_in_thread_with_permalinks_once(harness, workspace):
    thread_ts = _thread(workspace)
    mention = workspace.post("C0GEN", "U1", "<@U0BOT> summarize", thread_ts=thread_ts)
    event = {"type": "app_mention", "user": "U1", "text": f"<@{workspace.bot_user_id}> summarize",
             "ts": mention["ts"], "thread_ts": thread_ts, "channel": "C0GEN"}
    status, _, seconds = harness.event(event, event_id="EvMention1")
    assert status == 200 and seconds < 3

    assert harness.wait_calls("reactions.add")[0]["name"] == "eyes"
    updates = harness.wait_calls("chat.update")
    working = harness.fake.calls_to("chat.postMessage")[0]
    assert working["thread_ts"] == thread_ts
    final = _blocks_text(updates[-1]["blocks"])
    assert PERMALINK.search(final), final
    assert "Wednesday Dec 3 at 7:00 PM UTC" in final
    assert "Offline summary" in final  # no key configured: says so

    posts_before = len(workspace.calls_to("chat.postMessage"))
    status, _, _ = harness.event(event, event_id="EvMention1", retry_num=1)
    assert status == 200
    time.sleep(0.5)
    assert len(workspace.calls_to("chat.postMessage")) == posts_before
    assert len(workspace.calls_to("chat.update")) == len(updates)


def test_question_mention_gets_an_answer_from_the_thread(harness, workspace):
    thread_ts = _thread(workspace)
    event = {"type": "app_mention", "user": "U3", "text": "<@U0BOT> what did we decide about the ship date?",
             "ts": workspace.next_ts(), "thread_ts": thread_ts, "channel": "C0GEN"}
    harness.event(event, event_id="EvQ1")
    final = _blocks_text(harness.wait_calls("chat.update")[-1]["blocks"])
    assert "Answer" in final and "Wednesday Dec 3" in final


def test_help_mention_posts_help(harness, workspace):
    harness.event({"type": "app_mention", "user": "U1", "text": "<@U0BOT> help", "ts": workspace.next_ts(),
                   "channel": "C0GEN"}, event_id="EvHelp")
    posted = harness.wait_calls("chat.postMessage")
    assert "summarize" in posted[0]["text"].lower()
    assert not workspace.calls_to("chat.update")


def test_summarize_private_channel_by_non_member_is_refused_without_content(harness, workspace):
    workspace.post("C0SEC", "U1", "The acquisition target is Initech, price $40M.")
    status, body, seconds = harness.command("<#C0SEC|secret-plans> 7d", user_id="U9", channel_id="C0GEN")
    assert status == 200 and seconds < 3
    posts = harness.receiver.wait_for(lambda p: len(p) >= 1)
    everything = json.dumps(posts)
    assert "not a member" in everything
    assert "Initech" not in everything and "40M" not in everything
    assert not workspace.calls_to("chat.postMessage")


def test_summarize_channel_for_member_is_private_and_shareable(harness, workspace):
    _thread(workspace, "C0SEC")
    harness.command("<#C0SEC|secret-plans> 7d", user_id="U1", channel_id="C0SEC")
    posts = harness.receiver.wait_for(lambda p: any(x.get("blocks") for x in p))
    answer = next(x for x in posts if x.get("blocks"))
    assert answer["response_type"] == "ephemeral"
    assert "7:00 PM" in _blocks_text(answer["blocks"])
    button = next(b for b in answer["blocks"] if b["type"] == "actions")["elements"][0]

    harness.interactive({"type": "block_actions", "team": {"id": workspace.team_id}, "user": {"id": "U1"},
                         "api_app_id": "A0RECAP", "token": "x", "trigger_id": "1",
                         "container": {"type": "message", "is_ephemeral": True, "channel_id": "C0SEC"},
                         "channel": {"id": "C0SEC"}, "response_url": harness.receiver.url("share"),
                         "actions": [{"action_id": "recap_share", "block_id": "b", "value": button["value"],
                                      "type": "button", "action_ts": "1"}]})
    shared = harness.receiver.wait_for(lambda p: any(x.get("response_type") == "in_channel" for x in p))
    public = next(x for x in shared if x.get("response_type") == "in_channel")
    assert "Shared by <@U1>" in _blocks_text(public["blocks"])


def test_share_of_private_summary_into_public_channel_is_refused(harness, workspace):
    _thread(workspace, "C0SEC")
    harness.command("<#C0SEC|secret-plans>", user_id="U1", channel_id="C0GEN")
    posts = harness.receiver.wait_for(lambda p: any(x.get("blocks") for x in p))
    answer = next(x for x in posts if x.get("blocks"))
    button = next(b for b in answer["blocks"] if b["type"] == "actions")["elements"][0]
    harness.interactive({"type": "block_actions", "team": {"id": workspace.team_id}, "user": {"id": "U1"},
                         "api_app_id": "A0RECAP", "token": "x", "trigger_id": "1",
                         "channel": {"id": "C0GEN"}, "response_url": harness.receiver.url("share"),
                         "actions": [{"action_id": "recap_share", "block_id": "b", "value": button["value"],
                                      "type": "button", "action_ts": "1"}]})
    refused = harness.receiver.wait_for(lambda p: any("can't share" in json.dumps(x) for x in p))
    assert not any(x.get("response_type") == "in_channel" for x in refused)


def test_channel_without_bot_gets_invite_hint(harness, workspace):
    harness.command("<#C0NOBOT|no-bot>", user_id="U1", channel_id="C0GEN")
    posts = harness.receiver.wait_for(lambda p: any("/invite @Recap" in json.dumps(x) for x in p))
    assert posts


@pytest.mark.parametrize("text", ["help", "#nowhere 7d", "<#C0GEN|general> fortnight", "<https://example.com/x>"])
def test_bad_or_help_arguments_get_usage_not_a_trace(harness, text):
    harness.command(text, user_id="U1", channel_id="C0GEN")
    posts = harness.receiver.wait_for(lambda p: len(p) >= 1)
    body = json.dumps(posts)
    assert "/summarize" in body and "Traceback" not in body


def test_message_shortcut_summarizes_thread_privately(harness, workspace):
    thread_ts = _thread(workspace)
    harness.interactive({"type": "message_action", "callback_id": "summarize_thread", "trigger_id": "1",
                         "team": {"id": workspace.team_id}, "user": {"id": "U3"}, "channel": {"id": "C0GEN"},
                         "message": {"ts": thread_ts, "thread_ts": thread_ts, "text": "x"}, "message_ts": thread_ts,
                         "response_url": harness.receiver.url("shortcut"), "token": "x", "api_app_id": "A0RECAP"})
    posts = harness.receiver.wait_for(lambda p: any(x.get("blocks") for x in p))
    assert PERMALINK.search(_blocks_text(next(x for x in posts if x.get("blocks"))["blocks"]))
    assert not workspace.calls_to("chat.postMessage")


def test_bad_signature_is_rejected(harness):
    status, _, _ = harness.post('{"type":"event_callback"}', "application/json", secret="wrong")
    assert status == 401
    status, _, _ = harness.post('{"type":"event_callback"}', "application/json", timestamp=int(time.time()) - 600)
    assert status == 401
