"""End to end: titles in each user's style, the AI-app surfaces, App Home, ``/summarize style|forget me``.

Signed requests go into the real Bolt app, which talks to the fake Slack Web API.
"""

from __future__ import annotations

import json
import re

import emoji
import pytest

from bot.titles.features import text_casing
from bot.titles.store import TitleStore
from tests.fakeslack import FakeSlack

# Terse, lowercase, emoji-laden (U1) and formal Title Case (U2) first messages: their 5 earlier conversations.
TERSE = [
    "whats new in <#C0GEN|general> 🔥",
    "catch me up on <#C0GEN|general> today 🚀",
    "<#C0GEN|general> this week pls 👀",
    "anything big in <#C0GEN|general> 🔥",
    "quick recap of <#C0GEN|general> 🔥",
]
FORMAL = [
    "Please Summarize <#C0GEN|general> For Today",
    "Could You Summarize <#C0GEN|general> This Week",
    "Summarize Recent Activity In <#C0GEN|general> Please",
    "Please Provide A Summary Of <#C0GEN|general>",
    "Kindly Summarize <#C0GEN|general> For The Team",
]


@pytest.fixture
def workspace():
    with FakeSlack() as fake:
        for uid, name in [("U1", "maya"), ("U2", "raj"), ("U3", "lena"), ("U9", "outsider")]:
            fake.add_user(uid, name)
        fake.add_channel("C0GEN", "general", members=["U1", "U2", "U3", "U9"])
        fake.add_channel("C0SEC", "secret-plans", is_private=True, members=["U1", "U2"])
        for uid in ("U1", "U2", "U3", "U9"):
            fake.add_channel(f"D0{uid}", uid, is_im=True, members=[uid], user=uid)
        _release_thread(fake, "C0GEN")
        yield fake


def _release_thread(fake: FakeSlack, channel_id: str) -> str:
    parent = fake.post(channel_id, "U1", "Release planning for v2.4: should we ship the billing migration on Wednesday?")
    ts = parent["ts"]
    fake.post(channel_id, "U2", "The billing migration tests are flaky; I can fix them by Friday.", thread_ts=ts)
    fake.post(channel_id, "U3", "Support prefers Wednesday because billing tickets peak on Tuesdays.", thread_ts=ts)
    fake.post(channel_id, "U1", "Decision: we ship the billing migration on Wednesday at 7:00 PM UTC.", thread_ts=ts)
    return ts


_event_ids = iter(range(1, 1_000_000))


def _dm(harness, user: str, text: str) -> str:
    """Send ``text`` from ``user`` to Recap's DM (agent experience: a top-level message); returns its ts."""
    message = harness.fake.post(f"D0{user}", user, text)
    status, _, seconds = harness.event(
        {"type": "message", "channel_type": "im", "channel": f"D0{user}", "user": user, "text": text,
         "ts": message["ts"], "event_ts": message["ts"]},
        event_id=f"EvDM{next(_event_ids)}",
    )
    assert status == 200 and seconds < 3
    return message["ts"]


def _title_of(harness, user: str, ts: str, count: int) -> str:
    calls = harness.wait_calls("assistant.threads.setTitle", count)
    mine = [c for c in calls if c["channel_id"] == f"D0{user}" and c["thread_ts"] == ts]
    assert len(mine) == 1, calls
    return mine[0]["title"]


def _conversations(harness, user: str, texts: list[str], *, start: int) -> list[tuple[str, str]]:
    """Run one DM conversation per text, waiting for each title; returns (ts, title) pairs."""
    out = []
    for offset, text in enumerate(texts, start=1):
        ts = _dm(harness, user, text)
        out.append((ts, _title_of(harness, user, ts, start + offset)))
    return out


def _view_text(call: dict) -> str:
    view = call["view"]
    return json.dumps(json.loads(view) if isinstance(view, str) else view, ensure_ascii=False)


def _has_emoji(text: str) -> bool:
    return emoji.emoji_count(text) > 0


def test_sixth_conversation_is_titled_in_the_users_style_and_listed_in_home(harness, workspace):
    earlier = _conversations(harness, "U1", TERSE, start=0)
    # the first five are titled neutrally (fewer than 5 earlier conversations): no emoji yet
    assert not _has_emoji(earlier[0][1])
    answer = harness.fake.calls_to("chat.postMessage")
    assert any(c.get("thread_ts") == earlier[0][0] and c["channel"] == "D0U1" for c in answer)

    ts = _dm(harness, "U1", "<#C0GEN|general> 7d billing stuff 🔥")
    title = _title_of(harness, "U1", ts, 6)
    assert text_casing(title) == "lower", title
    assert _has_emoji(title), title
    assert not title.rstrip().endswith((".", "!", "?")), title

    def lists_title(calls: list[dict]) -> bool:
        return any(c["user_id"] == "U1" and title.replace("&", "&amp;") in _view_text(c) for c in calls)

    home = harness.wait_calls("views.publish", 6)
    assert lists_title(home)
    last = next(c for c in reversed(home) if c["user_id"] == "U1")
    text = _view_text(last)
    assert "Your recent conversations" in text
    assert re.search(rf"https://recap-test\.slack\.com/archives/D0U1/p{ts.replace('.', '')}\|", text), text


def test_one_users_style_never_leaks_into_anothers(harness, workspace):
    _conversations(harness, "U1", TERSE, start=0)
    _conversations(harness, "U2", FORMAL, start=5)
    ts2 = _dm(harness, "U2", "Summarize <#C0GEN|general> For The Billing Review")
    formal = _title_of(harness, "U2", ts2, 11)
    assert text_casing(formal) == "title" and not _has_emoji(formal), formal

    # a newcomer with no history gets the neutral style: no emoji, not lowercase, whatever U1 and U2 do
    ts3 = _dm(harness, "U3", "catch me up on <#C0GEN|general> 🔥🔥")
    neutral = _title_of(harness, "U3", ts3, 12)
    assert not _has_emoji(neutral) and text_casing(neutral) in ("sentence", None), neutral
    # a channel's summary is titled by what it covered, not by the channel's first message
    assert neutral.startswith("#general: ") and "Release" not in neutral, neutral

    ts1 = _dm(harness, "U1", "<#C0GEN|general> billing 🔥")
    terse = _title_of(harness, "U1", ts1, 13)
    assert text_casing(terse) == "lower" and _has_emoji(terse), terse

    # App Home of each user lists only their own conversations
    homes = harness.wait_calls("views.publish", 13)
    u3_home = _view_text(next(c for c in reversed(homes) if c["user_id"] == "U3"))
    assert "D0U3" in u3_home and "D0U1" not in u3_home and "D0U2" not in u3_home


def test_style_and_forget_me_end_to_end(harness, workspace):
    _conversations(harness, "U1", TERSE, start=0)
    harness.command("style", user_id="U1", channel_id="C0GEN", name="style")
    posts = harness.receiver.wait_for(lambda p: any("title style" in json.dumps(x, ensure_ascii=False) for x in p))
    style = next(x["text"] for x in posts if "title style" in x.get("text", ""))
    assert "lowercase" in style and "🔥" in style and "Learned from your 5" in style

    harness.command("style", user_id="U3", channel_id="C0GEN", name="style3")
    posts = harness.receiver.wait_for(lambda p: any(x["path"] == "/style3" and "title style" in x.get("text", "")
                                                    for x in p))
    newcomer = next(x["text"] for x in posts if x["path"] == "/style3" and "title style" in x.get("text", ""))
    assert "neutral" in newcomer.lower() and "5 conversations" in newcomer

    store = TitleStore(harness.services.store.engine)
    assert store.count_conversations(workspace.team_id, "U1") == 5 and store.get_profile(workspace.team_id, "U1")
    publishes = len(workspace.calls_to("views.publish"))
    harness.command("forget me", user_id="U1", channel_id="C0GEN", name="forget")
    posts = harness.receiver.wait_for(lambda p: any("deleted" in x.get("text", "") for x in p))
    assert any("deleted your 5 stored conversations" in x.get("text", "") for x in posts)
    assert store.count_conversations(workspace.team_id, "U1") == 0
    assert store.get_profile(workspace.team_id, "U1") is None
    emptied = harness.wait_calls("views.publish", publishes + 1)[-1]
    assert emptied["user_id"] == "U1" and "No conversations yet" in _view_text(emptied)

    ts = _dm(harness, "U1", "<#C0GEN|general> billing 🔥")
    title = _title_of(harness, "U1", ts, 6)
    assert not _has_emoji(title) and text_casing(title) != "lower", title


def test_dm_permalink_to_private_channel_of_non_member_is_refused_without_content(harness, workspace):
    parent = workspace.post("C0SEC", "U1", "The acquisition target is Initech, price $40M.")
    workspace.post("C0SEC", "U2", "Keep Initech quiet until the board meets.", thread_ts=parent["ts"])
    link = f"https://recap-test.slack.com/archives/C0SEC/p{parent['ts'].replace('.', '')}"
    ts = _dm(harness, "U9", f"summarize <{link}>")
    replies = harness.wait_calls("chat.postMessage")
    refusal = [c for c in replies if c["channel"] == "D0U9" and c.get("thread_ts") == ts]
    assert refusal and "not a member" in refusal[0]["text"]
    everything = json.dumps(workspace.calls, ensure_ascii=False)
    assert "40M" not in everything
    assert not any(c["channel"] == "D0U9" and "Initech" in json.dumps(c) for c in replies)
    statuses = workspace.calls_to("assistant.threads.setStatus")
    assert statuses and statuses[0]["thread_ts"] == ts and statuses[0]["status"]


def test_dm_permalink_for_member_summarizes_the_thread_with_status(harness, workspace):
    parent = workspace.post("C0SEC", "U1", "Budget review: we cut the offsite to two days.")
    workspace.post("C0SEC", "U2", "Agreed, two days, and the venue is Lisbon.", thread_ts=parent["ts"])
    link = f"https://recap-test.slack.com/archives/C0SEC/p{parent['ts'].replace('.', '')}"
    ts = _dm(harness, "U2", f"Summarize This Thread <{link}>")
    title = _title_of(harness, "U2", ts, 1)
    answer = [c for c in workspace.calls_to("chat.postMessage") if c["channel"] == "D0U2"]
    assert answer and answer[0]["thread_ts"] == ts and "Lisbon" in json.dumps(answer[0]["blocks"])
    statuses = [c["status"] for c in workspace.calls_to("assistant.threads.setStatus")]
    assert statuses[0] and statuses[-1] == ""
    assert title


def test_surfaces_home_tab_messages_tab_and_legacy_assistant_thread(harness, workspace):
    harness.event({"type": "app_home_opened", "user": "U1", "channel": "D0U1", "tab": "home"}, event_id="EvHome")
    home = harness.wait_calls("views.publish")[0]
    assert home["user_id"] == "U1" and "No conversations yet" in _view_text(home)

    harness.event({"type": "app_home_opened", "user": "U1", "channel": "D0U1", "tab": "messages"}, event_id="EvMsgs")
    prompts = harness.wait_calls("assistant.threads.setSuggestedPrompts")[0]
    assert prompts["channel_id"] == "D0U1" and "thread_ts" not in prompts  # agent experience: no thread_ts
    assert "Summarize a thread: paste its link" in json.dumps(prompts["prompts"])

    harness.event({"type": "app_context_changed", "user": "U1", "channel": "D0U1", "event_ts": "1.2",
                   "context": {"entities": [{"type": "slack#/types/channel_id", "value": "C0GEN"}]}},
                  event_id="EvContext")
    viewing = harness.wait_calls("assistant.threads.setSuggestedPrompts", 2)[1]
    assert "thread_ts" not in viewing and "What did I miss in <#C0GEN>?" in json.dumps(viewing["prompts"])

    # help is answered in the message's thread but is not a conversation to title
    hello = _dm(harness, "U1", "hi")
    help_reply = harness.wait_calls("chat.postMessage")[0]
    assert help_reply["thread_ts"] == hello and "thread" in help_reply["text"]

    root = workspace.post("D0U1", "U0BOT", "New chat", subtype="assistant_app_thread")
    harness.event({"type": "assistant_thread_started", "assistant_thread": {
        "user_id": "U1", "channel_id": "D0U1", "thread_ts": root["ts"], "context": {"channel_id": "C0GEN"}},
        "event_ts": root["ts"]}, event_id="EvStarted")
    legacy = harness.wait_calls("assistant.threads.setSuggestedPrompts", 3)[2]
    assert legacy["thread_ts"] == root["ts"] and "<#C0GEN>" in json.dumps(legacy["prompts"])

    # a reply in the legacy assistant thread is answered in that thread and the thread gets a title
    reply = workspace.post("D0U1", "U1", "what did i miss in <#C0GEN|general>", thread_ts=root["ts"])
    harness.event({"type": "message", "channel_type": "im", "channel": "D0U1", "user": "U1",
                   "text": reply["text"], "ts": reply["ts"], "thread_ts": root["ts"]}, event_id="EvReply")
    titles = harness.wait_calls("assistant.threads.setTitle")
    assert len(titles) == 1 and titles[0]["thread_ts"] == root["ts"] and titles[0]["title"]


def test_channel_mention_is_titled_in_home_without_set_title(harness, workspace):
    thread_ts = _release_thread(workspace, "C0GEN")
    mention = workspace.post("C0GEN", "U3", "<@U0BOT> summarize", thread_ts=thread_ts)
    harness.event({"type": "app_mention", "user": "U3", "text": "<@U0BOT> summarize", "ts": mention["ts"],
                   "thread_ts": thread_ts, "channel": "C0GEN"}, event_id="EvMention")
    home = harness.wait_calls("views.publish")[0]
    assert home["user_id"] == "U3"
    assert f"archives/C0GEN/p{thread_ts.replace('.', '')}" in _view_text(home)
    assert not workspace.calls_to("assistant.threads.setTitle")
    # the title says what the thread is about, in its words, not what was asked of Recap ("summarize")
    listed = re.search(r"<https://recap-test\.slack\.com/archives/C0GEN/p\d+\|([^>]*)>", _view_text(home))
    assert listed and "billing migration" in listed.group(1) and "ummari" not in listed.group(1).lower(), _view_text(home)
    assert "<#C0GEN> · <!date^" in _view_text(home)  # which channel the thread is in, then when
