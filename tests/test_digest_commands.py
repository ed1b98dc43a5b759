"""``/summarize digest …`` through the real Bolt app and the fake Slack server, and the digest store on
SQLite and PostgreSQL (claims, retries of failed runs, workspace purge)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.digests.command import parse_schedule
from bot.digests.runs import PostPacer, run_org_digest
from bot.digests.store import DigestStore, Schedule
from bot.errors import InputError
from bot.periods import days_window
from bot.slack.client import make_web_client
from bot.storage.store import Store
from tests.e2e import start_harness
from tests.fakeslack import FakeSlack
from tests.fakeslack.server import BOT_TOKEN

WEEK = datetime(2024, 3, 27, 12, tzinfo=timezone.utc).timestamp()


@pytest.fixture
def harness(tmp_path):
    with FakeSlack() as fake:
        for user, name in (("U1", "ann"), ("U2", "bob"), ("U3", "cat"), ("U4", "dan")):
            fake.add_user(user, name)
        fake.users["U4"]["is_admin"] = True
        fake.add_user("U5", "eve", is_owner=True)  # a workspace owner (not flagged admin)
        fake.add_channel("C0PUB", "general", members=["U1", "U2", "U3", "U4"])
        fake.add_channel("C0ANN", "announcements", members=["U1", "U2", "U3", "U4"])
        fake.add_channel("G0SECRET", "secret", is_private=True, members=["U1", "U2"])
        fake.add_channel("G0SMALL", "small-private", is_private=True, members=["U1"])
        fake.add_channel("C0NOBOT", "nobot", members=["U1"], bot_member=False)
        for channel_id in ("C0PUB", "G0SECRET"):
            parent = fake.post(channel_id, "U1", f"Plans for {channel_id}: we decided to ship on Friday.", ts=WEEK)
            fake.post(channel_id, "U2", "I will write the notes.", thread_ts=parent["ts"], ts=WEEK + 30)
        h = start_harness(fake, tmp_path=tmp_path, workspace_tz="Europe/Berlin")
        yield h
        h.close()


def _answer(harness, text: str, *, user_id: str = "U1", channel_id: str = "C0PUB", name: str = "cmd") -> str:
    harness.command(text, user_id=user_id, channel_id=channel_id, name=name)
    posts = harness.receiver.wait_for(lambda p: any(x["path"] == f"/{name}" and "hourglass" not in x.get("text", "")
                                                    for x in p))
    return [x for x in posts if x["path"] == f"/{name}"][-1]["text"]


def test_on_status_off(harness):
    text = _answer(harness, "digest on friday 16:30 Europe/London quiet=skip", name="on")
    assert "Fridays at 16:30 (Europe/London)" in text and "post nothing" in text
    sub = DigestStore(harness.services.store).subscription(team_id=harness.fake.team_id, channel_id="C0PUB")
    assert sub.schedule == Schedule(4, 16, 30, "Europe/London") and sub.quiet == "skip"
    status = _answer(harness, "digest status", name="status")
    assert "Next run: Fri" in status
    assert "turned off" in _answer(harness, "digest off", name="off")
    assert DigestStore(harness.services.store).subscription(team_id=harness.fake.team_id, channel_id="C0PUB") is None


def test_on_requires_the_bot_in_the_channel(harness):
    text = _answer(harness, "digest on", channel_id="C0NOBOT")
    assert "/invite @Recap" in text


def test_org_digest_to_a_broader_audience_is_refused(harness):
    text = _answer(harness, "digest org <#C0PUB|general> <#G0SECRET|secret> to <#C0ANN|announcements>")
    assert "can't post an org digest of <#G0SECRET>" in text
    assert DigestStore(harness.services.store).orgs(team_id=harness.fake.team_id) == []


def test_org_digest_allowed_and_posted(harness):
    # every member of the small private destination can read the private source
    text = _answer(harness, "digest org <#C0PUB|general> <#G0SECRET|secret> to <#G0SMALL|small-private>")
    assert "Org digest #1" in text and "Fridays at 16:00" in text
    client = make_web_client(token=BOT_TOKEN, base_url=harness.fake.base_url)
    period = days_window(datetime(2024, 3, 25).date(), datetime(2024, 4, 1).date(), "Europe/Berlin")
    outcome = run_org_digest(services=harness.services, client=client, team_id=harness.fake.team_id, org_id=1,
                             period=period, pacer=PostPacer(0))
    assert outcome.status == "posted"
    post = harness.fake.calls_to("chat.postMessage")[-1]
    assert post["channel"] == "G0SMALL"
    assert "Org news · 25 Mar – 31 Mar 2024" in str(post["blocks"]) and "*#secret* — " in str(post["blocks"])
    again = run_org_digest(services=harness.services, client=client, team_id=harness.fake.team_id, org_id=1,
                           period=period, pacer=PostPacer(0))
    assert again.status == "duplicate" and len(harness.fake.calls_to("chat.postMessage")) == 1


def test_run_and_list_need_an_admin_and_a_confirmation(harness):
    assert "Only workspace admins" in _answer(harness, "digest run", name="r1")
    assert "digest run confirm" in _answer(harness, "digest run", user_id="U4", name="r2")
    assert harness.fake.calls_to("chat.postMessage") == []
    assert "Posted: https://" in _answer(harness, "digest run confirm", user_id="U4", name="r3")
    assert len(harness.fake.calls_to("chat.postMessage")) == 1
    _answer(harness, "digest on", name="on")
    assert "<#C0PUB> — Mondays at 09:00" in _answer(harness, "digest list", user_id="U4", name="list")


def test_parse_schedule():
    default = Schedule(0, 9, 0, "UTC")
    assert parse_schedule(["fri", "7:05", "Asia/Tokyo"], default=default) == (Schedule(4, 7, 5, "Asia/Tokyo"), "post")
    for bad in (["Mars/Olympus"], ["25:00"], ["quiet=maybe"], ["whenever"]):
        with pytest.raises(InputError):
            parse_schedule(bad, default=default)


def test_post_pacer_spaces_posts_per_channel():
    slept: list[float] = []
    now = [100.0]
    pacer = PostPacer(1.0, sleep=slept.append, clock=lambda: now[0])
    pacer.wait("C1")
    pacer.wait("C1")
    pacer.wait("C2")
    pacer.wait("C1")
    assert slept == [1.0, 2.0]


def test_claims_on_both_backends(db_url):
    store = Store.from_url(db_url)
    digests = DigestStore(store)
    start = datetime(2024, 3, 25, tzinfo=timezone.utc)
    first = digests.claim_run(team_id="T1", target_id="C1", period_start=start)
    assert first is not None
    assert digests.claim_run(team_id="T1", target_id="C1", period_start=start) is None
    assert digests.claim_run(team_id="T2", target_id="C1", period_start=start) is not None
    digests.finish_run(first, status="failed", error="boom")
    retry = digests.claim_run(team_id="T1", target_id="C1", period_start=start)
    assert retry == first
    assert digests.claim_run(team_id="T1", target_id="C1", period_start=start) is None
    digests.finish_run(retry, status="posted", permalink="https://x.slack.com/archives/C1/p1")
    assert digests.last_run(team_id="T1", target_id="C1").status == "posted"
    digests.subscribe(team_id="T1", channel_id="C1", schedule=Schedule(0, 9, 0, "UTC"))
    digests.add_org(team_id="T1", destination_id="C9", source_ids=["C1", "C2"], schedule=Schedule(4, 16, 0, "UTC"))
    assert store.purge_team("T1") == 3
    assert digests.subscriptions(team_id="T1") == [] and digests.runs(team_id="T1") == []
    assert len(digests.runs(team_id="T2")) == 1
    store.engine.dispose()


def test_org_digest_can_be_turned_off_by_its_creator_or_an_admin_only(harness):
    assert "Org digest #1" in _answer(harness, "digest org <#C0PUB|general> to <#C0ANN|announcements>", name="o1")
    assert "Org digest #2" in _answer(harness, "digest org <#C0PUB|general> to <#C0ANN|announcements>", name="o2")
    assert "Only the person who set up org digest #1" in _answer(harness, "digest org off 1", user_id="U2", name="o3")
    assert "turned off" in _answer(harness, "digest org off 1", name="o4")
    assert "turned off" in _answer(harness, "digest org off #2", user_id="U4", name="o5")  # an admin
    assert "no org digest #7" in _answer(harness, "digest org off 7", name="o6")
    assert "Say which one" in _answer(harness, "digest org off", name="o7")
    assert DigestStore(harness.services.store).orgs(team_id=harness.fake.team_id) == []


def test_a_claim_left_by_a_dead_process_is_taken_over_after_an_hour(db_url):
    import sqlalchemy as sa

    from bot.digests.store import DigestRun

    store = Store.from_url(db_url)
    digests = DigestStore(store)
    start = datetime(2024, 3, 25, tzinfo=timezone.utc)
    first = digests.claim_run(team_id="T1", target_id="C1", period_start=start)
    assert digests.claim_run(team_id="T1", target_id="C1", period_start=start) is None  # still fresh
    with store.session() as session:  # the claimant died 2 hours ago without finishing
        session.execute(sa.update(DigestRun).where(DigestRun.id == first)
                        .values(claimed_at=datetime.now(timezone.utc) - timedelta(hours=2)))
    assert digests.claim_run(team_id="T1", target_id="C1", period_start=start) == first
    assert digests.claim_run(team_id="T1", target_id="C1", period_start=start) is None  # only once
    store.engine.dispose()


# ------------------------------------------------------------------------------ owners and bounds (issue 14)


def test_a_channel_digest_is_changed_or_turned_off_by_its_creator_or_an_admin_only(harness):
    store = DigestStore(harness.services.store)

    def sub():
        return store.subscription(team_id=harness.fake.team_id, channel_id="C0PUB")

    assert "weekly digest Mondays" in _answer(harness, "digest on", user_id="U1", name="c1")
    refused = _answer(harness, "digest on friday", user_id="U2", name="c2")
    assert "Only <@U1>, who set up the weekly digest of <#C0PUB>, or a workspace admin can change it." == refused
    assert "Only <@U1>" in _answer(harness, "digest off", user_id="U2", name="c3")
    assert sub().schedule.weekday == 0 and sub().created_by == "U1"  # nothing changed
    assert "Fridays" in _answer(harness, "digest on friday", user_id="U1", name="c4")  # the creator
    assert "Tuesdays" in _answer(harness, "digest on tuesday", user_id="U4", name="c5")  # an admin
    assert sub().schedule.weekday == 1 and sub().created_by == "U1"  # an admin's change keeps the creator
    assert "turned off" in _answer(harness, "digest off", user_id="U5", name="c6")  # an owner
    assert sub() is None
    store.subscribe(team_id=harness.fake.team_id, channel_id="C0PUB", schedule=Schedule(0, 9, 0, "UTC"))  # no creator
    assert "Only a workspace admin can turn off" in _answer(harness, "digest off", user_id="U1", name="c7")
    assert "turned off" in _answer(harness, "digest off", user_id="U4", name="c8")


def test_org_digest_sources_are_deduplicated_and_capped(harness):
    text = _answer(harness, "digest org " + "<#C0PUB|general> " * 1000 + "to <#C0ANN|announcements>", name="d1")
    assert "Org digest #1 of <#C0PUB> will be posted in <#C0ANN>" in text
    store = DigestStore(harness.services.store)
    assert store.org(team_id=harness.fake.team_id, org_id=1).source_ids == ("C0PUB",)
    for i in range(11):
        harness.fake.add_channel(f"C0S{i:02d}", f"s{i}", members=["U1"])
    many = " ".join(f"<#C0S{i:02d}|s{i}>" for i in range(11))
    text = _answer(harness, f"digest org {many} <#C0S00|s0> to <#C0ANN|announcements>", name="d2")
    assert "An org digest can cover at most 10 channels; you named 11." in text
    assert len(store.orgs(team_id=harness.fake.team_id)) == 1


def test_an_org_digest_run_reads_each_channel_once_even_from_an_old_row(harness):
    import json

    from bot.digests.store import OrgDigestRow

    with harness.services.store.session() as session:  # written before the bound: 200 copies of one channel
        session.add(OrgDigestRow(team_id=harness.fake.team_id, destination_id="C0ANN",
                                 sources_json=json.dumps(["C0PUB"] * 200), weekday=4, hour=16, minute=0,
                                 tz="UTC", created_by="U1"))
    client = make_web_client(token=BOT_TOKEN, base_url=harness.fake.base_url)
    period = days_window(datetime(2024, 3, 25).date(), datetime(2024, 4, 1).date(), "Europe/Berlin")
    outcome = run_org_digest(services=harness.services, client=client, team_id=harness.fake.team_id, org_id=1,
                             period=period, pacer=PostPacer(0))
    assert outcome.status == "posted"
    assert len([c for c in harness.fake.calls_to("conversations.history") if c.get("channel") == "C0PUB"]) == 1


def test_org_digests_are_capped_per_person_and_per_workspace(harness):
    org = "digest org <#C0PUB|general> to <#C0ANN|announcements>"
    for n in (1, 2, 3):
        assert f"Org digest #{n}" in _answer(harness, org, user_id="U1", name=f"p{n}")
    slack_calls = len(harness.fake.calls)
    text = _answer(harness, org, user_id="U1", name="p4")
    assert "You already have 3 org digests, the most one person can set up." in text
    assert "org off" in text
    assert [m for m, _ in harness.fake.calls[slack_calls:]] == []  # refused before any Slack call
    assert "Org digest #4" in _answer(harness, org, user_id="U2", name="p5")  # someone else still may
    store = DigestStore(harness.services.store)
    for i in range(16):  # the workspace reaches 20
        store.add_org(team_id=harness.fake.team_id, destination_id="C0ANN", source_ids=["C0PUB"],
                      schedule=Schedule(4, 16, 0, "UTC"), created_by=f"UX{i}")
    text = _answer(harness, org, user_id="U3", name="p6")
    assert "This workspace already has 20 org digests, the most it can have." in text
    assert len(store.orgs(team_id=harness.fake.team_id)) == 20


def test_org_limits_hold_when_requests_arrive_together(db_url):
    from concurrent.futures import ThreadPoolExecutor

    from bot.digests.store import OrgLimitReached

    store = Store.from_url(db_url)
    digests = DigestStore(store)
    schedule = Schedule(4, 16, 0, "UTC")

    def add(creator: str) -> str:
        try:
            digests.add_org(team_id="T1", destination_id="C9", source_ids=["C1"], schedule=schedule,
                            created_by=creator)
            return "added"
        except OrgLimitReached as exc:
            return exc.scope

    with ThreadPoolExecutor(max_workers=8) as pool:
        same_person = list(pool.map(add, ["U1"] * 8))
        many_people = list(pool.map(add, [f"U{i}" for i in range(100, 130)]))
    assert sorted(same_person) == ["added"] * 3 + ["person"] * 5
    assert many_people.count("added") == 17 and many_people.count("team") == 13
    assert len(digests.orgs(team_id="T1")) == 20
    assert digests.org_counts(team_id="T1", created_by="U1") == (3, 20)
    with pytest.raises(ValueError):
        digests.add_org(team_id="T2", destination_id="C9", source_ids=[f"C{i}" for i in range(11)], schedule=schedule)
    store.engine.dispose()
