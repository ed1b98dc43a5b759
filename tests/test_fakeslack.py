"""The fake Slack Web API, driven through a real slack_sdk.WebClient."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.client import make_web_client
from tests.fakeslack import BOT_TOKEN, FakeSlack, fake_slack  # noqa: F401 - fixture

T0 = 1_700_000_000.0


@pytest.fixture
def client(fake_slack: FakeSlack) -> WebClient:  # noqa: F811 - fixture
    return WebClient(token=BOT_TOKEN, base_url=fake_slack.base_url)


@pytest.fixture
def workspace(fake_slack: FakeSlack) -> FakeSlack:  # noqa: F811
    fake_slack.add_user("U1", "alice", real_name="Alice A")
    fake_slack.add_user("U2", "bob")
    fake_slack.add_channel("C1", "general", members=["U1", "U2"])
    fake_slack.add_channel("C2", "outside", bot_member=False)
    fake_slack.add_channel("G1", "secret", is_private=True, bot_member=False)
    return fake_slack


def test_auth(workspace: FakeSlack, client: WebClient) -> None:
    data = client.auth_test().data
    assert data["url"] == "https://recap-test.slack.com/"
    assert (data["team_id"], data["user_id"], data["bot_id"]) == ("T0TEST", "U0BOT", "B0BOT")
    with pytest.raises(SlackApiError) as info:
        WebClient(token="xoxb-wrong", base_url=workspace.base_url).auth_test()
    assert info.value.response["error"] == "invalid_auth"


def test_history_newest_first_with_cursor_pages(workspace: FakeSlack, client: WebClient) -> None:
    for i in range(25):
        workspace.post("C1", "U1", f"m{i}", ts=T0 + i)
    # slack_sdk's iteration mutates and re-yields one SlackResponse: copy each page's data
    pages = [dict(p.data) for p in client.conversations_history(channel="C1", limit=10)]
    assert [len(p["messages"]) for p in pages] == [10, 10, 5]
    assert [p["has_more"] for p in pages] == [True, True, False]
    texts = [m["text"] for p in pages for m in p["messages"]]
    assert texts == [f"m{i}" for i in reversed(range(25))]
    window = client.conversations_history(channel="C1", oldest=f"{T0 + 5:.6f}", latest=f"{T0 + 8:.6f}")
    assert [m["text"] for m in window["messages"]] == ["m7", "m6"]
    inclusive = client.conversations_history(
        channel="C1", oldest=f"{T0 + 5:.6f}", latest=f"{T0 + 8:.6f}", inclusive=True
    )
    assert [m["text"] for m in inclusive["messages"]] == ["m8", "m7", "m6", "m5"]


def test_membership_errors(workspace: FakeSlack, client: WebClient) -> None:
    for channel, error in [("C2", "not_in_channel"), ("G1", "channel_not_found"), ("C9", "channel_not_found")]:
        with pytest.raises(SlackApiError) as info:
            client.conversations_history(channel=channel)
        assert info.value.response["error"] == error
    assert client.conversations_info(channel="C2")["channel"]["is_member"] is False


def test_post_reply_then_read_thread(workspace: FakeSlack, client: WebClient) -> None:
    parent = client.chat_postMessage(channel="C1", text="parent")["ts"]
    client.chat_postMessage(channel="C1", text="r1", thread_ts=parent)
    client.chat_postMessage(channel="C1", text="r2", thread_ts=parent, reply_broadcast=True)
    replies = client.conversations_replies(channel="C1", ts=parent)["messages"]
    assert [m["text"] for m in replies] == ["parent", "r1", "r2"]
    assert replies[0]["reply_count"] == 2 and replies[0]["latest_reply"] == replies[2]["ts"]
    history = client.conversations_history(channel="C1")["messages"]
    assert [m["text"] for m in history] == ["r2", "parent"]  # the broadcast shows in the channel
    assert workspace.calls_to("chat.postMessage")[1]["thread_ts"] == parent


def test_replies_paginated_with_parent_on_every_page(workspace: FakeSlack, client: WebClient) -> None:
    workspace.post("C1", "U1", "p", ts=T0)
    for i in range(5):
        workspace.post("C1", "U2", f"r{i}", ts=T0 + 1 + i, thread_ts=f"{T0:.6f}")
    pages = [dict(p.data) for p in client.conversations_replies(channel="C1", ts=f"{T0:.6f}", limit=3)]
    assert [[m["text"] for m in p["messages"]] for p in pages] == [["p", "r0", "r1"], ["p", "r2", "r3"], ["p", "r4"]]


def test_limits_on_posts(workspace: FakeSlack, client: WebClient) -> None:
    cases = [
        ({"text": "x" * 40_001}, "msg_too_long"),
        ({"text": "t", "blocks": [{"type": "divider"}] * 51}, "invalid_blocks"),
        ({"text": "t", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "y" * 3001}}]}, "invalid_blocks"),
    ]
    for kwargs, error in cases:
        with pytest.raises(SlackApiError) as info:
            client.chat_postMessage(channel="C1", **kwargs)
        assert info.value.response["error"] == error
    assert client.chat_postMessage(channel="C1", text="x" * 40_000)["ok"]


def test_update_delete_permalink_reactions_ephemeral(workspace: FakeSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C1", text="loading…")["ts"]
    client.chat_update(channel="C1", ts=ts, text="done")
    assert client.conversations_history(channel="C1")["messages"][0]["text"] == "done"
    link = client.chat_getPermalink(channel="C1", message_ts=ts)["permalink"]
    assert link == f"https://recap-test.slack.com/archives/C1/p{ts.replace('.', '')}"
    client.reactions_add(channel="C1", timestamp=ts, name="eyes")
    with pytest.raises(SlackApiError):
        client.reactions_add(channel="C1", timestamp=ts, name="eyes")
    client.reactions_remove(channel="C1", timestamp=ts, name="eyes")
    client.chat_postEphemeral(channel="C1", user="U1", text="only you")
    assert workspace.ephemerals[0]["text"] == "only you"
    client.chat_delete(channel="C1", ts=ts)
    assert client.conversations_history(channel="C1")["messages"] == []


def test_streaming_and_assistant_methods(workspace: FakeSlack, client: WebClient) -> None:
    parent = client.chat_postMessage(channel="C1", text="q")["ts"]
    ts = client.chat_startStream(channel="C1", thread_ts=parent, markdown_text="Hel", recipient_team_id=workspace.team_id, recipient_user_id="U1")["ts"]
    client.chat_appendStream(channel="C1", ts=ts, markdown_text="lo")
    client.chat_stopStream(channel="C1", ts=ts, markdown_text="!")
    assert client.conversations_replies(channel="C1", ts=parent)["messages"][1]["text"] == "Hello!"
    client.assistant_threads_setTitle(channel_id="C1", thread_ts=parent, title="T")
    assert workspace.calls_to("assistant.threads.setTitle")[0]["title"] == "T"
    client.views_publish(user_id="U1", view={"type": "home", "blocks": []})
    assert workspace.views[0]["type"] == "home"
    assert client.api_call("apps.uninstall")["ok"]
    assert workspace.calls_to("apps.uninstall")


def test_open_dm_and_users(workspace: FakeSlack, client: WebClient) -> None:
    dm = client.conversations_open(users="U1")["channel"]["id"]
    assert client.conversations_open(users="U1")["channel"]["id"] == dm
    client.chat_postMessage(channel="U1", text="hi")  # a user ID posts into the DM
    assert client.conversations_history(channel=dm)["messages"][0]["text"] == "hi"
    assert client.users_info(user="U1")["user"]["real_name"] == "Alice A"
    members = [u["id"] for p in client.users_list(limit=2) for u in p["members"]]
    assert members == ["U0BOT", "U1", "U2"]
    assert [m for p in client.conversations_members(channel="C1", limit=2) for m in p["members"]] == ["U1", "U2", "U0BOT"]


def test_faults_are_retried_by_the_sdk_handlers(workspace: FakeSlack) -> None:
    client = make_web_client(token=BOT_TOKEN, base_url=workspace.base_url, backoff_factor=0.01, max_jitter=0)
    workspace.fail("auth.test", status=429, retry_after=0)
    workspace.fail("users.info", status=500, times=2)
    workspace.fail("users.list", reset=True)
    assert client.auth_test()["ok"]
    assert client.users_info(user="U1")["ok"]
    assert client.users_list()["ok"]
    assert len(workspace.calls_to("auth.test")) == 2
    assert len(workspace.calls_to("users.info")) == 3
    assert len(workspace.calls_to("users.list")) == 2
    workspace.fail("conversations.info", error="fatal_error")
    with pytest.raises(SlackApiError):
        client.conversations_info(channel="C1")


def test_delay_fault(workspace: FakeSlack, client: WebClient) -> None:
    workspace.fail("auth.test", delay=0.3)
    start = time.perf_counter()
    assert client.auth_test()["ok"]
    assert time.perf_counter() - start >= 0.3


def test_emulated_rate_limit(workspace: FakeSlack, client: WebClient) -> None:
    workspace.time_scale = 600  # a "minute" lasts 0.1 s
    workspace.rate_limit("auth.test", per_minute=3)
    answers = []
    for _ in range(4):
        try:
            answers.append(client.auth_test()["ok"])
        except SlackApiError as exc:
            answers.append(exc.response.status_code)
    assert answers == [True, True, True, 429]
    time.sleep(0.15)
    assert client.auth_test()["ok"]


def test_thousand_message_history_is_fast(workspace: FakeSlack, client: WebClient) -> None:
    for i in range(1000):
        workspace.post("C1", "U1", f"m{i}", ts=T0 + i)
    start = time.perf_counter()
    count = sum(len(p["messages"]) for p in client.conversations_history(channel="C1", limit=200))
    assert count == 1000
    assert time.perf_counter() - start < 1.0


@pytest.mark.realdata
def test_load_julialang(shared_data: Path) -> None:
    with FakeSlack.load_julialang(shared_data / "slack-api-julialang", channel_names=["pluto"]) as fake:
        client = WebClient(token=BOT_TOKEN, base_url=fake.base_url)
        assert client.auth_test()["url"] == "https://julialang.slack.com/"
        messages = [m for p in client.conversations_history(channel="C017Z6Q3WS3", limit=50) for m in p["messages"]]
        assert len(messages) == len(fake.channels["C017Z6Q3WS3"].messages) > 90
        parent = next(m for m in messages if m.get("reply_count", 0) > 3)
        thread = client.conversations_replies(channel="C017Z6Q3WS3", ts=parent["ts"])["messages"]
        assert thread[0]["ts"] == parent["ts"]
        assert client.users_info(user=parent["user"])["user"]["id"] == parent["user"]
