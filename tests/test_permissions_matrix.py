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
from datetime import timedelta

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


# ---------------------------------------------------------------------------------------------------------
# Membership changes between two requests, within the cache window (issue 14): join, leave, guest
# conversion, Slack Connect sharing; reads, shares and an org digest's post. Every step goes through the
# real app over signed HTTP; the membership events are sent as Slack sends them.


class Steps:
    """Runs requests through the harness and counts leaks (a secret shown or posted where a reader may not
    read it) and false refusals (a reader refused what they may read)."""

    def __init__(self, harness):
        self.harness, self.fake = harness, harness.fake
        self.n = 0
        self.leaks: list[str] = []
        self.false_refusals: list[str] = []
        self.refusals = 0
        self.allowed = 0

    def _name(self, what: str) -> str:
        self.n += 1
        return f"{what}{self.n}"

    def event(self, event: dict) -> None:
        status, _, seconds = self.harness.event(event, event_id=f"EvMember{self.n}{event['type']}")
        self.n += 1
        assert status == 200 and seconds < 3

    def _ask(self, *, user: str, source: str, where: str) -> dict:
        name = self._name("ask")
        self.harness.command(f"<#{source}> 7d", user_id=user, channel_id=where, name=name)
        done = ("not a member", "invite", "can't")
        posts = self.harness.receiver.wait_for(lambda p: any(
            x["path"] == f"/{name}" and (x.get("blocks") or any(d in x.get("text", "") for d in done)) for x in p))
        return next(x for x in posts if x["path"] == f"/{name}" and (x.get("blocks") or any(
            d in x.get("text", "") for d in done)))

    def read(self, label: str, *, user: str, source: str, secret_text: str, may: bool, where: str = "C0HOME"):
        answer = json.dumps(self._ask(user=user, source=source, where=where))
        self._count(label, shown=secret_text in answer, may=may)

    def share(self, label: str, *, user: str, source: str, where: str, secret_text: str, may: bool) -> None:
        answer = self._ask(user=user, source=source, where=where)
        assert secret_text in json.dumps(answer), f"{label}: the requester should read the source"
        button = next(b for b in answer["blocks"] if b["type"] == "actions")["elements"][0]
        name = self._name("share")
        self.harness.interactive({
            "type": "block_actions", "team": {"id": self.fake.team_id}, "user": {"id": user},
            "api_app_id": "A0RECAP", "token": "x", "trigger_id": f"1.{self.n}", "channel": {"id": where},
            "response_url": self.harness.receiver.url(name),
            "actions": [{"action_id": "recap_share", "block_id": "b", "value": button["value"], "type": "button",
                         "action_ts": "1"}]})
        posts = self.harness.receiver.wait_for(lambda p: any(
            x["path"] == f"/{name}" and (x.get("response_type") == "in_channel" or "can't share" in x.get("text", ""))
            for x in p))
        posted = any(x["path"] == f"/{name}" and x.get("response_type") == "in_channel" and secret_text in json.dumps(x)
                     for x in posts)
        self._count(label, shown=posted, may=may)

    def _count(self, label: str, *, shown: bool, may: bool) -> None:
        if shown and not may:
            self.leaks.append(label)
        if may and not shown:
            self.false_refusals.append(label)
        self.refusals += not may
        self.allowed += may


def test_membership_changes_between_two_requests_leak_nothing(harness, workspace):
    fake = workspace
    for uid, name in [("U3", "lee"), ("U4", "kim"), ("U5", "ana")]:
        fake.add_user(uid, name)
    fake.add_channel("C0OPEN", "open", members=["U1"])
    fake.post("C0OPEN", "U1", "The code word is SECRETOPEN, it's public but internal.")
    fake.add_channel("G0ROOM", "room", is_private=True, members=["U1"])  # share destinations
    fake.add_channel("C0ROOM", "public-room", members=["U1", "U5"])
    fake.add_channel("G0DIGEST", "digest-room", is_private=True, members=["U1"])
    priv, steps = secret("private"), Steps(harness)

    # leave: a removed member is refused at once, though their membership was cached a moment ago
    steps.read("member reads private", user="U2", source="G0PRIV", secret_text=priv, may=True)
    fake.leave("G0PRIV", "U2")
    steps.event({"type": "member_left_channel", "user": "U2", "channel": "G0PRIV", "channel_type": "G",
                 "team": fake.team_id})
    steps.read("removed member reads private", user="U2", source="G0PRIV", secret_text=priv, may=False)

    # join: a new member is not refused from a stale cache
    steps.read("outsider reads private", user="U9", source="G0PRIV", secret_text=priv, may=False)
    fake.join("G0PRIV", "U9")
    steps.event({"type": "member_joined_channel", "user": "U9", "channel": "G0PRIV", "channel_type": "G",
                 "team": fake.team_id, "inviter": "U1"})
    steps.read("new member reads private", user="U9", source="G0PRIV", secret_text=priv, may=True)

    # guest conversion: a member turned guest no longer reads a public channel they are not in
    steps.read("member reads public", user="U4", source="C0OPEN", secret_text="SECRETOPEN", may=True)
    user = fake.set_role("U4", is_restricted=True)
    steps.event({"type": "user_change", "user": user, "cache_ts": 1, "event_ts": "1.1"})
    steps.read("new guest reads public", user="U4", source="C0OPEN", secret_text="SECRETOPEN", may=False)

    # Slack Connect: a public channel shared with another organisation becomes members-only
    steps.read("member reads public before sharing", user="U3", source="C0OPEN", secret_text="SECRETOPEN", may=True)
    fake.channels["C0OPEN"].is_ext_shared = True
    steps.event({"type": "channel_shared", "connected_team_id": "T0OTHER", "channel": "C0OPEN", "event_ts": "1.2"})
    steps.read("non-member reads shared channel", user="U3", source="C0OPEN", secret_text="SECRETOPEN", may=False)
    fake.channels["C0OPEN"].is_ext_shared = False
    steps.event({"type": "channel_unshared", "previously_connected_team_id": "T0OTHER", "channel": "C0OPEN",
                 "is_ext_shared": False, "event_ts": "1.3"})
    steps.read("member reads public after unsharing", user="U3", source="C0OPEN", secret_text="SECRETOPEN",
               may=True)

    # share, join: an outsider joined the destination seconds ago and no event told the app (shares are live)
    steps.share("share private into inner room", user="U1", source="G0PRIV", where="G0ROOM", secret_text=priv,
                may=True)
    fake.join("G0ROOM", "U3")
    steps.share("share private after outsider joined", user="U1", source="G0PRIV", where="G0ROOM",
                secret_text=priv, may=False)
    fake.leave("G0ROOM", "U3")
    steps.share("share private after outsider left", user="U1", source="G0PRIV", where="G0ROOM", secret_text=priv,
                may=True)

    # share, guest conversion: a destination member turned guest
    steps.share("share public into public room", user="U1", source="C0OPEN", where="C0ROOM",
                secret_text="SECRETOPEN", may=True)
    user = fake.set_role("U5", is_restricted=True)
    steps.event({"type": "user_change", "user": user, "cache_ts": 2, "event_ts": "1.4"})
    steps.share("share public where a member turned guest", user="U1", source="C0OPEN", where="C0ROOM",
                secret_text="SECRETOPEN", may=False)

    # share, Slack Connect: the destination was shared with another organisation (no event: live)
    fake.set_role("U5", is_restricted=False)
    steps.event({"type": "user_change", "user": fake.users["U5"], "cache_ts": 3, "event_ts": "1.5"})
    steps.share("share public into public room again", user="U1", source="C0OPEN", where="C0ROOM",
                secret_text="SECRETOPEN", may=True)
    fake.channels["C0ROOM"].is_ext_shared = True
    steps.share("share public into a newly shared room", user="U1", source="C0OPEN", where="C0ROOM",
                secret_text="SECRETOPEN", may=False)

    # an org digest's post: an outsider joined the destination after the digest was set up (no event)
    (posted_before, status_before), (posted_after, status_after) = _org_digest_run_after_join(harness, fake)
    steps._count("org digest post before join", shown=posted_before, may=True)
    steps._count("org digest post after outsider joined", shown=posted_after, may=False)

    assert steps.leaks == []
    assert steps.false_refusals == []
    assert (steps.refusals, steps.allowed) == (8, 10)  # the counts quoted in docs/security.md
    assert (status_before, status_after) == ("posted", "failed")  # the refused run is recorded, may retry


def _org_digest_run_after_join(harness, fake) -> list[tuple[bool, str]]:
    """Set up an org digest of #private into #digest-room over HTTP and run it; let an outsider join the
    destination (no event) and run it for another period. Returns, per run, whether it posted there and
    its status."""
    from datetime import date

    from bot.digests.runs import PostPacer, run_org_digest
    from bot.periods import days_window
    from bot.slack.client import make_web_client

    harness.command("digest org <#G0PRIV|private> to <#G0DIGEST|digest-room>", user_id="U1", channel_id="G0DIGEST",
                    name="org")
    assert "Org digest #1" in harness.receiver.wait_for(lambda p: any(x["path"] == "/org" for x in p))[-1]["text"]
    client = make_web_client(token=BOT_TOKEN, base_url=fake.base_url)
    tomorrow = date.today() + timedelta(days=1)
    posted: list[tuple[bool, str]] = []
    for days, joiner in ((7, None), (6, "U3")):  # two periods, both ending tomorrow: two claims, same messages
        if joiner:
            fake.join("G0DIGEST", joiner)
        before = len([c for c in fake.calls_to("chat.postMessage") if c.get("channel") == "G0DIGEST"])
        outcome = run_org_digest(services=harness.services, client=client, team_id=fake.team_id, org_id=1,
                                 period=days_window(tomorrow - timedelta(days=days), tomorrow, "UTC"),
                                 pacer=PostPacer(0))
        after = [c for c in fake.calls_to("chat.postMessage") if c.get("channel") == "G0DIGEST"]
        posted.append((len(after) > before, outcome.status))
    return posted


def test_without_an_event_a_cached_membership_lasts_at_most_the_ttl(workspace):
    """The bound when an event is lost (or reaches another worker): a read check trusts its cache for
    ``ttl`` seconds, then asks Slack again; an event clears it at once."""
    now = [1000.0]
    access = AccessChecker(WebClient(token=BOT_TOKEN, base_url=workspace.base_url), clock=lambda: now[0])
    assert access.ttl == 30.0
    access.check_read(user_id="U2", channel_id="G0PRIV")
    workspace.leave("G0PRIV", "U2")
    now[0] += access.ttl + 0.1
    with pytest.raises(SlackAccessError):
        access.check_read(user_id="U2", channel_id="G0PRIV")
    workspace.join("G0PRIV", "U2")
    access.forget_channel("G0PRIV")  # what member_joined_channel does
    access.check_read(user_id="U2", channel_id="G0PRIV")


def test_an_invalidation_during_a_fetch_wins(workspace):
    """A member list Slack answered before a membership event, but that reaches the cache after it, is not
    cached over the event."""
    import threading

    answered, proceed = threading.Event(), threading.Event()

    class AnswersThenStalls(WebClient):
        def conversations_members(self, **kwargs):  # type: ignore[override]
            response = super().conversations_members(**kwargs)
            answered.set()
            proceed.wait(5)
            return response

    access = AccessChecker(AnswersThenStalls(token=BOT_TOKEN, base_url=workspace.base_url))
    fetch = threading.Thread(target=access.members, args=("G0PRIV",))
    fetch.start()
    assert answered.wait(5)  # Slack answered with U2 still a member
    workspace.leave("G0PRIV", "U2")
    access.forget_channel("G0PRIV")  # member_left_channel arrives
    proceed.set()
    fetch.join()
    assert "U2" not in access.members("G0PRIV")
    assert len(workspace.calls_to("conversations.members")) == 2
