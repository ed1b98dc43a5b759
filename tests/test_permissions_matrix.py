"""The permission matrix: {public, private, DM, group DM, Slack Connect shared} × {requester member,
not member} × {@-mention, shortcut, /summarize, digest destination}. Counts leaked summaries (a
summary of a conversation shown to, or posted where, someone who cannot read it): must be 0. Also
counts false refusals (a member refused): must be 0 too.

Rules (``bot/access.py``): public channels may be read by anyone in the workspace; private channels,
DMs, group DMs and Slack Connect channels only by their members. A mention's answer goes into the
same conversation, so its audience is the source's own.
"""

from __future__ import annotations

import json
import time

import pytest
from slack_sdk import WebClient

from bot.access import AccessChecker
from bot.errors import SlackAccessError
from tests.fakeslack import BOT_TOKEN, FakeSlack

KINDS = {  # kind -> (channel_id, add_channel kwargs)
    "public": ("C0PUB", {"is_private": False}),
    "private": ("G0PRIV", {"is_private": True}),
    "dm": ("D0DM", {"is_im": True, "user": "U1"}),
    "group_dm": ("G0MPIM", {"is_mpim": True, "is_private": True}),
    "shared": ("C0EXT", {"is_ext_shared": True}),
}
MEMBERS = {"public": ["U1", "U2"], "private": ["U1", "U2"], "dm": ["U1"], "group_dm": ["U1", "U2"],
           "shared": ["U1", "U2"]}
MEMBER, OUTSIDER = "U1", "U9"
RESTRICTED = {"private", "dm", "group_dm", "shared"}


def secret(kind: str) -> str:
    return f"SECRET{kind.upper().replace('_', '')}"


@pytest.fixture
def workspace():
    with FakeSlack() as fake:
        for uid, name in [("U1", "maya"), ("U2", "raj"), ("U9", "outsider")]:
            fake.add_user(uid, name)
        fake.add_channel("C0HOME", "home", members=["U1", "U2", "U9"])
        for kind, (channel_id, kwargs) in KINDS.items():
            fake.add_channel(channel_id, kind, members=MEMBERS[kind], **kwargs)
            parent = fake.post(channel_id, "U1", f"The code word is {secret(kind)}, keep it between us.")
            fake.post(channel_id, MEMBERS[kind][-1], f"Agreed: {secret(kind)} ships on Friday.",
                      thread_ts=parent["ts"])
            fake.channels[channel_id].parent_ts = parent["ts"]
        # digest destinations: one inside every source's audience, one with the outsider, one public
        fake.add_channel("G0INNER", "inner", is_private=True, members=["U1"])
        fake.add_channel("G0MIXED", "mixed", is_private=True, members=["U1", "U9"])
        yield fake


def _allowed(kind: str, user: str) -> bool:
    return kind not in RESTRICTED or user in MEMBERS[kind]


def test_summarize_and_shortcut_matrix_leaks_nothing(harness, workspace):
    expected = {}
    for kind, (channel_id, _) in KINDS.items():
        parent_ts = workspace.channels[channel_id].parent_ts
        for who, user in (("member", MEMBER), ("outsider", OUTSIDER)):
            name = f"cmd-{kind}-{who}"
            harness.command(f"<#{channel_id}> 7d", user_id=user, channel_id="C0HOME", name=name)
            expected[name] = (kind, user)
            name = f"sc-{kind}-{who}"
            harness.interactive({"type": "message_action", "callback_id": "summarize_thread", "trigger_id": "1",
                                 "team": {"id": workspace.team_id}, "user": {"id": user},
                                 "channel": {"id": channel_id}, "message": {"ts": parent_ts, "text": "x"},
                                 "message_ts": parent_ts, "response_url": harness.receiver.url(name),
                                 "token": "x", "api_app_id": "A0RECAP"})
            expected[name] = (kind, user)

    def finals(posts: list[dict]) -> dict[str, str]:
        out: dict[str, str] = {}
        for post in posts:
            name = post["path"].lstrip("/")
            if post.get("blocks") or "member" in post.get("text", "") or "invite" in post.get("text", ""):
                out[name] = out.get(name, "") + json.dumps(post)
        return out

    posts = harness.receiver.wait_for(lambda p: set(finals(p)) >= set(expected), timeout=30)
    answers = finals(posts)
    leaks = [name for name, (kind, user) in expected.items() if secret(kind) in answers[name] and not _allowed(kind, user)]
    false_refusals = [name for name, (kind, user) in expected.items()
                      if _allowed(kind, user) and secret(kind) not in answers[name]]
    refusals = [name for name, (kind, user) in expected.items() if not _allowed(kind, user)]
    assert len(expected) == 20 and len(refusals) == 8
    assert leaks == []
    assert false_refusals == []
    assert all("not a member" in answers[name] for name in refusals)
    assert not workspace.calls_to("chat.postMessage")  # private answers only: nothing posted in a channel


def test_mention_answers_stay_in_the_source_conversation(harness, workspace):
    for i, (channel_id, _) in enumerate(KINDS.values()):
        parent_ts = workspace.channels[channel_id].parent_ts
        for j, user in enumerate((MEMBER, OUTSIDER)):
            event = {"type": "app_mention", "user": user, "text": "<@U0BOT> summarize", "ts": workspace.next_ts(),
                     "thread_ts": parent_ts, "channel": channel_id}
            assert harness.event(event, event_id=f"EvMx{i}{j}")[0] == 200
    harness.wait_calls("chat.update", count=10, timeout=30)
    time.sleep(0.3)
    leaks = 0
    for method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
        for call in workspace.calls_to(method):
            body = json.dumps(call)
            for kind, (channel_id, _) in KINDS.items():
                if secret(kind) in body and call.get("channel") != channel_id:
                    leaks += 1
    assert leaks == 0
    assert sum(any(secret(k) in json.dumps(c) for k in KINDS) for c in workspace.calls_to("chat.update")) == 10


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_digest_destination_column(workspace, kind):
    """``check_share`` decides whether a summary of ``kind`` may be posted to a destination."""
    access = AccessChecker(WebClient(token=BOT_TOKEN, base_url=workspace.base_url))
    source = KINDS[kind][0]
    cases = {"G0INNER": True, "G0MIXED": kind not in RESTRICTED, "C0HOME": kind not in RESTRICTED}
    leaked, refused_ok = 0, 0
    for destination, audience_may_read in cases.items():
        try:
            access.check_share(source_id=source, destination_id=destination)
            allowed = True
        except SlackAccessError:
            allowed = False
        leaked += allowed and not audience_may_read
        refused_ok += (not allowed) and audience_may_read
    assert leaked == 0
    assert refused_ok == 0
