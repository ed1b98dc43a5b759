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


def test_guests_are_recognised_with_one_users_info_each_not_the_directory(harness):
    """Issue 14: no users.list paging for a public-channel request; one users.info per requester (cached)."""
    for round_ in range(2):
        for user_id in ("UG", "UX", "U1"):
            name = f"r{round_}{user_id}"
            harness.command("<#C0ENG|internal-eng> 7d", user_id=user_id, channel_id="C0GUEST", name=name)
            harness.receiver.wait_for(lambda p, n=name: any(x["path"] == f"/{n}" and (
                x.get("blocks") or "not a member" in x.get("text", "")) for x in p))
    assert harness.fake.calls_to("users.list") == []
    looked_up = [c.get("user") for c in harness.fake.calls_to("users.info")]
    assert looked_up.count("UG") == 1 and looked_up.count("UX") == 1


def test_a_member_turned_guest_is_refused_at_the_next_request(harness):
    harness.command("<#C0ENG|internal-eng> 7d", user_id="U1", channel_id="C0GUEST", name="before")
    posts = harness.receiver.wait_for(lambda p: any(x["path"] == "/before" and x.get("blocks") for x in p))
    assert "Initech" in json.dumps(posts)
    harness.fake.channels["C0ENG"].members.remove("U1")  # U1 reads #internal-eng as a full member, not in it
    user = harness.fake.set_role("U1", is_ultra_restricted=True)  # a single-channel guest
    assert harness.event({"type": "user_change", "user": user, "cache_ts": 1, "event_ts": "1.0"},
                         event_id="EvGuest1")[0] == 200
    harness.command("<#C0ENG|internal-eng> 7d", user_id="U1", channel_id="C0GUEST", name="after")
    posts = harness.receiver.wait_for(lambda p: any(x["path"] == "/after" and "not a member" in json.dumps(x)
                                                    for x in p))
    assert "Initech" not in json.dumps([x for x in posts if x["path"] == "/after"])


@pytest.mark.parametrize(("user", "full_member", "admin"), [
    ({"id": "U1", "team_id": "T0TEST"}, True, False),
    ({"id": "U1", "team_id": "T0TEST", "is_restricted": True}, False, False),  # multi-channel guest
    ({"id": "U1", "team_id": "T0TEST", "is_ultra_restricted": True}, False, False),  # single-channel guest
    ({"id": "U1", "team_id": "T0TEST", "deleted": True}, False, False),
    ({"id": "U1", "team_id": "T0OTHER"}, False, False),  # Slack Connect: another organisation
    ({"id": "U1", "is_stranger": True}, False, False),
    ({"id": "W1", "team_id": "T0HQ", "enterprise_user": {"teams": ["T0HQ", "T0TEST"]}}, True, False),  # Grid
    ({"id": "W1", "team_id": "T0HQ", "enterprise_user": {"teams": ["T0HQ"]}}, False, False),
    ({"id": "U1", "team_id": "T0TEST", "is_admin": True}, True, True),
    ({"id": "U1", "team_id": "T0TEST", "is_owner": True}, True, True),
    ({"id": "U1", "team_id": "T0TEST", "is_primary_owner": True}, True, True),
])
def test_person_from_the_user_object(user, full_member, admin):
    from bot.access import Person

    person = Person.from_user(user, team_id="T0TEST")
    assert (person.is_full_member, person.is_admin) == (full_member, admin)
