"""``handlers/membership.py`` through the real app: membership events are acked at once, clear exactly the
cache they name, and malformed ones change nothing and break nothing."""

from __future__ import annotations

import json

import pytest

from tests.fakeslack import FakeSlack


@pytest.fixture
def workspace():
    with FakeSlack() as fake:
        for uid, name in [("U1", "maya"), ("U2", "raj")]:
            fake.add_user(uid, name)
        fake.add_channel("G0PRIV", "private", is_private=True, members=["U1", "U2"])
        fake.add_channel("C0PUB", "public", members=["U1"])
        fake.post("G0PRIV", "U1", "Budget: we approved the Q3 plan for Initech.")
        fake.post("C0PUB", "U1", "Launch: the Initech site goes live on Friday.")
        yield fake


def _read(harness, name: str, *, user: str = "U2", source: str = "G0PRIV") -> str:
    harness.command(f"<#{source}> 7d", user_id=user, channel_id="C0PUB", name=name)
    posts = harness.receiver.wait_for(lambda p: any(x["path"] == f"/{name}" and (
        x.get("blocks") or "not a member" in x.get("text", "")) for x in p))
    return json.dumps([x for x in posts if x["path"] == f"/{name}"])


def test_channel_events_clear_that_channels_members_only(harness, workspace):
    assert "Initech" in _read(harness, "r1")
    assert "Initech" in _read(harness, "r2")
    assert len(workspace.calls_to("conversations.members")) == 1  # cached between two reads
    event = {"type": "member_joined_channel", "user": "U9", "channel": "C0OTHER", "channel_type": "C", "team": "T0TEST"}
    assert harness.event(event, event_id="EvOther")[0] == 200
    _read(harness, "r3")
    assert len(workspace.calls_to("conversations.members")) == 1  # another channel's event: still cached
    for i, kind in enumerate(("member_joined_channel", "member_left_channel", "channel_shared", "channel_unshared")):
        status, body, seconds = harness.event({"type": kind, "user": "U1", "channel": "G0PRIV", "channel_type": "G",
                                               "team": "T0TEST", "event_ts": "1.0"}, event_id=f"EvCh{i}")
        assert (status, seconds < 3) == (200, True)
        _read(harness, f"after{i}")
        assert len(workspace.calls_to("conversations.members")) == 2 + i  # asked Slack again


def test_user_change_clears_that_person_only(harness, workspace):
    _read(harness, "p1", user="U2", source="C0PUB")
    _read(harness, "p2", user="U2", source="C0PUB")
    assert [c["user"] for c in workspace.calls_to("users.info")].count("U2") == 1
    assert harness.event({"type": "user_change", "user": dict(workspace.users["U1"]), "event_ts": "1.0"},
                         event_id="EvU1")[0] == 200
    _read(harness, "p3", user="U2", source="C0PUB")
    assert [c["user"] for c in workspace.calls_to("users.info")].count("U2") == 1
    assert harness.event({"type": "user_change", "user": dict(workspace.users["U2"]), "event_ts": "1.1"},
                         event_id="EvU2")[0] == 200
    _read(harness, "p4", user="U2", source="C0PUB")
    assert [c["user"] for c in workspace.calls_to("users.info")].count("U2") == 2


@pytest.mark.parametrize("event", [
    {"type": "member_joined_channel"},
    {"type": "member_left_channel", "channel": {"id": "G0PRIV"}, "user": "U2"},
    {"type": "channel_shared", "channel": None},
    {"type": "user_change"},
    {"type": "user_change", "user": "not-an-object"},
    {"type": "user_change", "user": {"name": "no id"}},
])
def test_malformed_membership_events_are_acked_and_change_nothing(harness, workspace, event):
    assert "Initech" in _read(harness, "before")
    status, _, seconds = harness.event(event, event_id="EvBad")
    assert status == 200 and seconds < 3
    assert "Initech" in _read(harness, "after")
    assert len(workspace.calls_to("conversations.members")) == 1
