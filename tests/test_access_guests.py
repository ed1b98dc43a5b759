"""Guests and people of other organisations (Slack Connect) see public channels only if they are in them,
and a public channel's summary is never shared where such people read it."""

from __future__ import annotations

import json

import pytest

from tests.e2e import start_harness
from tests.fakeslack import FakeSlack


@pytest.fixture
def harness(tmp_path):
    with FakeSlack() as fake:
        fake.add_user("U1", "maya")
        fake.add_user("UG", "guest")["is_restricted"] = True
        fake.add_user("UX", "partner")["team_id"] = "T0OTHER"
        fake.add_channel("C0ENG", "internal-eng", members=["U1"])
        fake.add_channel("C0GUEST", "with-guest", members=["U1", "UG"])
        fake.add_channel("C0EXT", "shared-with-partner", is_ext_shared=True, members=["U1", "UX"])
        fake.post("C0ENG", "U1", "Decision: the acquisition of Initech closes on Friday at 7:00 PM.")
        h = start_harness(fake, tmp_path=tmp_path)
        yield h
        h.close()


@pytest.mark.parametrize("user_id", ["UG", "UX"])
def test_guest_or_outside_member_cannot_summarize_a_public_channel_they_are_not_in(harness, user_id):
    harness.command("<#C0ENG|internal-eng> 7d", user_id=user_id, channel_id="C0GUEST")
    posts = harness.receiver.wait_for(lambda p: any("not a member" in json.dumps(x) for x in p))
    assert "Initech" not in json.dumps(posts)


def test_full_member_can(harness):
    harness.command("<#C0ENG|internal-eng> 7d", user_id="U1", channel_id="C0ENG")
    posts = harness.receiver.wait_for(lambda p: any(x.get("blocks") for x in p))
    assert "Initech" in json.dumps(posts)


@pytest.mark.parametrize("destination", ["C0EXT", "C0GUEST"])
def test_public_summary_is_not_shared_where_guests_or_partners_read(harness, destination):
    harness.command("<#C0ENG|internal-eng> 7d", user_id="U1", channel_id=destination)
    posts = harness.receiver.wait_for(lambda p: any(x.get("blocks") for x in p))
    answer = next(x for x in posts if x.get("blocks"))
    button = next(b for b in answer["blocks"] if b["type"] == "actions")["elements"][0]
    harness.interactive({"type": "block_actions", "team": {"id": harness.fake.team_id}, "user": {"id": "U1"},
                         "api_app_id": "A0RECAP", "token": "x", "trigger_id": "1", "channel": {"id": destination},
                         "response_url": harness.receiver.url("share"),
                         "actions": [{"action_id": "recap_share", "block_id": "b", "value": button["value"],
                                      "type": "button", "action_ts": "1"}]})
    refused = harness.receiver.wait_for(lambda p: any("can't share" in json.dumps(x) for x in p))
    assert not any(x.get("response_type") == "in_channel" for x in refused)
