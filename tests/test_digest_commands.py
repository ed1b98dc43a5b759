"""``/summarize digest …`` through the real Bolt app and the fake Slack server, and the digest store on
SQLite and PostgreSQL (claims, retries of failed runs, workspace purge)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.digests.service import PostPacer, parse_schedule, run_org_digest
from bot.digests.store import DigestStore, Schedule
from bot.errors import InputError
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
    from bot.digests.build import days_period

    client = make_web_client(token=BOT_TOKEN, base_url=harness.fake.base_url)
    period = days_period(datetime(2024, 3, 25).date(), datetime(2024, 4, 1).date(), "Europe/Berlin")
    outcome = run_org_digest(services=harness.services, client=client, team_id=harness.fake.team_id, org_id=1,
                             period=period, pacer=PostPacer(0))
    assert outcome.status == "posted"
    post = harness.fake.calls_to("chat.postMessage")[-1]
    assert post["channel"] == "G0SMALL"
    assert "Across the org" in str(post["blocks"]) and "#secret" in str(post["blocks"])
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
