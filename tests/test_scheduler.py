"""The digest scheduler with a frozen clock: Monday 09:00 in the subscription's zone (a DST week), restart
across the run time, two scheduler processes on one PostgreSQL database, and an HTTP worker whose
``/summarize digest on`` puts the job in the shared job store at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
import uuid
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
import time_machine
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.schedulers.base import STATE_PAUSED

from bot.app import build_services
from bot.config import load_settings
from bot.digests import scheduler as sch
from bot.digests.command import handle_digest_command
from bot.digests.runs import last_occurrence, next_occurrence
from bot.digests.store import DigestStore, Schedule
from bot.slack.client import make_web_client
from tests.conftest import ROOT
from tests.fakeslack import FakeSlack
from tests.fakeslack.server import BOT_TOKEN

BERLIN = "Europe/Berlin"
# Berlin moves to summer time on Sunday 31 March 2024: the Monday 1 April run is at 07:00 UTC, not 08:00.
RUN_UTC = datetime(2024, 4, 1, 7, 0, tzinfo=timezone.utc)
WEEK_TS = datetime(2024, 3, 27, 12, 0, tzinfo=timezone.utc).timestamp()  # Wednesday of the DST week


def _workspace(fake: FakeSlack, channels=("C0DEV", "C0OPS", "C0DOCS")) -> None:
    for user, name in (("U1", "ann"), ("U2", "bob"), ("U3", "cat")):
        fake.add_user(user, name)
    for index, channel_id in enumerate(channels):
        fake.add_channel(channel_id, channel_id.lower()[2:], members=["U1", "U2", "U3"])
        parent = fake.post(channel_id, "U1", f"Shall we ship release {index} on Friday?", ts=WEEK_TS + index)
        fake.post(channel_id, "U2", "Yes, we decided to ship on Friday after the tests pass.",
                  thread_ts=parent["ts"], ts=WEEK_TS + 60 + index)
        fake.post(channel_id, "U3", "I will write the release notes tomorrow.", thread_ts=parent["ts"],
                  ts=WEEK_TS + 120 + index)


def _services(database_url: str, fake: FakeSlack):
    settings = load_settings(None, slack_bot_token=BOT_TOKEN, slack_api_url=fake.base_url, database_url=database_url,
                             llm_provider="offline", workspace_tz=BERLIN)
    return build_services(settings)


def _client_for(fake: FakeSlack):
    client = make_web_client(token=BOT_TOKEN, base_url=fake.base_url)
    return lambda team_id: client


def _wait_posts(fake: FakeSlack, count: int, timeout: float = 15) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        posts = fake.calls_to("chat.postMessage")
        if len(posts) >= count:
            return posts
        time.sleep(0.05)
    raise AssertionError(f"expected {count} post(s), got {len(fake.calls_to('chat.postMessage'))}")


def test_trigger_and_occurrences_follow_the_zone_across_dst():
    schedule = Schedule(0, 9, 0, BERLIN)
    trigger = sch.trigger_for(schedule)
    first = trigger.get_next_fire_time(None, datetime(2024, 3, 30, tzinfo=timezone.utc))
    assert first.astimezone(timezone.utc) == RUN_UTC  # 09:00 CEST
    winter = trigger.get_next_fire_time(None, datetime(2024, 3, 20, tzinfo=timezone.utc))
    assert winter.astimezone(timezone.utc) == datetime(2024, 3, 25, 8, 0, tzinfo=timezone.utc)  # 09:00 CET
    assert last_occurrence(schedule, RUN_UTC) == RUN_UTC
    assert next_occurrence(schedule, RUN_UTC).astimezone(timezone.utc) == datetime(2024, 4, 8, 7, tzinfo=timezone.utc)


@pytest.fixture
def fake():
    with FakeSlack() as server:
        _workspace(server)
        yield server


@pytest.fixture
def schedulers():
    """``start(services, client_for=None, *, run_jobs=True, run_catch_up=False)``: a started
    DigestScheduler, stopped at the end of the test."""
    started: list[sch.DigestScheduler] = []

    def start(services, client_for=None, *, run_jobs=True, run_catch_up=False) -> sch.DigestScheduler:
        scheduler = sch.DigestScheduler(services, client_for, run_jobs=run_jobs)
        scheduler.start(run_catch_up=run_catch_up)
        started.append(scheduler)
        return scheduler

    yield start
    for scheduler in started:
        scheduler.stop(wait=True)


def test_subscribe_then_monday_0900_posts_once(fake, tmp_path, schedulers):
    from tests.e2e import start_harness

    harness = start_harness(fake, tmp_path=tmp_path, workspace_tz=BERLIN)
    try:
        with time_machine.travel(datetime(2024, 3, 28, 10, tzinfo=timezone.utc), tick=True):
            harness.command("digest on", user_id="U1", channel_id="C0DEV")
            posts = harness.receiver.wait_for(lambda p: any("weekly digest" in x.get("text", "") for x in p))
        assert "Mondays at 09:00 (Europe/Berlin)" in posts[-1]["text"]
        assert "Mon 1 Apr 09:00 CEST" in posts[-1]["text"]
        with time_machine.travel(RUN_UTC.timestamp() - 1.5, tick=True):
            scheduler = schedulers(harness.services, _client_for(fake))
            calls = _wait_posts(fake, 1)
            time.sleep(1.0)
            scheduler.stop()
        assert len(fake.calls_to("chat.postMessage")) == 1
        assert calls[0]["channel"] == "C0DEV"
        blocks = json.dumps(calls[0]["blocks"], ensure_ascii=False) if not isinstance(calls[0]["blocks"], str) else calls[0]["blocks"]
        assert "25 Mar – 31 Mar 2024" in blocks and "3 messages" in blocks
        run = DigestStore(harness.services.store).last_run(team_id=fake.team_id, target_id="C0DEV")
        assert run.status == "posted" and run.permalink.startswith("https://recap-test.slack.com/archives/C0DEV/p")
    finally:
        harness.close()


def test_restart_across_the_run_time_posts_exactly_once(fake, tmp_path, schedulers):
    services = _services(f"sqlite:///{tmp_path}/recap.sqlite3", fake)
    DigestStore(services.store).subscribe(team_id=fake.team_id, channel_id="C0OPS", schedule=Schedule(0, 9, 0, BERLIN))
    with time_machine.travel(RUN_UTC.timestamp() - 600, tick=True):  # up at 08:50, down at 08:50
        scheduler = schedulers(services, _client_for(fake))
        assert scheduler.scheduler.get_job(sch.channel_job_id(fake.team_id, "C0OPS")).next_run_time == RUN_UTC
        scheduler.stop()
    assert fake.calls_to("chat.postMessage") == []
    with time_machine.travel(RUN_UTC.timestamp() + 1800, tick=True):  # back at 09:30: the missed run goes out once
        scheduler = schedulers(services, _client_for(fake), run_catch_up=True)
        _wait_posts(fake, 1)
        time.sleep(1.0)
        scheduler.stop()
    with time_machine.travel(RUN_UTC.timestamp() + 2700, tick=True):  # another restart at 09:45: nothing new
        scheduler = schedulers(services, _client_for(fake), run_catch_up=True)
        time.sleep(1.5)
        scheduler.stop()
    assert len(fake.calls_to("chat.postMessage")) == 1
    assert [r.status for r in DigestStore(services.store).runs(team_id=fake.team_id)] == ["posted"]


def test_a_run_later_than_the_grace_window_is_not_posted(fake, tmp_path):
    services = _services(f"sqlite:///{tmp_path}/recap.sqlite3", fake)
    DigestStore(services.store).subscribe(team_id=fake.team_id, channel_id="C0OPS", schedule=Schedule(0, 9, 0, BERLIN))
    late = datetime.fromtimestamp(RUN_UTC.timestamp() + sch.MISFIRE_GRACE + 60, tz=timezone.utc)
    assert sch.catch_up(services, _client_for(fake), now=late) == []
    assert sch.catch_up(services, _client_for(fake), now=RUN_UTC) == ["posted"]
    assert sch.catch_up(services, _client_for(fake), now=RUN_UTC) == ["duplicate"]


WORKER = textwrap.dedent("""
    import json, os, sys, time
    from datetime import datetime, timezone
    import time_machine
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
    from bot.digests import scheduler as sch
    from bot.app import build_services
    from bot.config import load_settings
    from bot.slack.client import make_web_client

    import pathlib
    url, base, sync, start, expected = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
    services = build_services(load_settings(None, slack_bot_token="xoxb-test", slack_api_url=base,
                                            database_url=url, llm_provider="offline", workspace_tz="Europe/Berlin"))
    client = make_web_client(token="xoxb-test", base_url=base)
    results = []
    (sync / f"ready-{os.getpid()}").touch()
    while not (sync / "go").exists():
        time.sleep(0.005)
    go = float((sync / "go").read_text())
    while time.time() < go:
        time.sleep(0.002)
    with time_machine.travel(start, tick=True):
        scheduler = sch.DigestScheduler(services, lambda team: client, run_jobs=True)
        scheduler.start(run_catch_up=False)
        scheduler.scheduler.add_listener(lambda e: results.append(getattr(e, "retval", None) or "error"),
                                         EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
        deadline = time.monotonic() + 20
        while len(results) < expected and time.monotonic() < deadline:
            time.sleep(0.05)
        scheduler.stop()
    print(json.dumps(results))
""")


def test_two_scheduler_processes_on_one_postgresql_post_once_per_channel_week(fake, postgres_url, tmp_path):
    schema = f"recap_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(postgres_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = f"{postgres_url}{'&' if '?' in postgres_url else '?'}options=-csearch_path%3D{schema}"
    try:
        services = _services(url, fake)
        channels = ["C0DEV", "C0OPS", "C0DOCS"]
        store = DigestStore(services.store)
        for channel_id in channels:
            store.subscribe(team_id=fake.team_id, channel_id=channel_id, schedule=Schedule(0, 9, 0, BERLIN))
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        procs = [subprocess.Popen([sys.executable, "-c", WORKER, url, fake.base_url, str(tmp_path),
                                   str(RUN_UTC.timestamp() - 1), str(len(channels))],
                                  cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
        deadline = time.monotonic() + 60
        while len(list(tmp_path.glob("ready-*"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        # both processes are up: their clocks start at 08:59:59 CEST at the same instant
        (tmp_path / "go.tmp").write_text(str(time.time() + 0.3))
        (tmp_path / "go.tmp").rename(tmp_path / "go")  # atomic: a worker never reads a half-written file
        outputs = [p.communicate(timeout=60) for p in procs]
        statuses = [s for out, err in outputs for s in json.loads(out.strip().splitlines()[-1] if out.strip() else "[]")]
        assert all(p.returncode == 0 for p in procs), [err[-2000:] for _, err in outputs]
        posts = fake.calls_to("chat.postMessage")
        assert sorted(p["channel"] for p in posts) == sorted(channels)  # one post per channel-week
        assert statuses.count("posted") == len(channels), statuses
        runs = store.runs(team_id=fake.team_id)
        assert len(runs) == 3 and {r.status for r in runs} == {"posted"}
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_maintenance_picks_up_subscriptions_from_other_processes_and_retries_failed_runs(fake, tmp_path,
                                                                                         schedulers):
    services = _services(f"sqlite:///{tmp_path}/recap.sqlite3", fake)
    with time_machine.travel(RUN_UTC.timestamp() - 600, tick=True):
        scheduler = schedulers(services, _client_for(fake)).scheduler
        assert scheduler.get_job(sch.MAINTENANCE_JOB_ID) is not None
        # another process subscribes a channel without writing its job (e.g. it could not reach the job store)
        DigestStore(services.store).subscribe(team_id=fake.team_id, channel_id="C0DEV",
                                              schedule=Schedule(0, 9, 0, BERLIN))
        assert scheduler.get_job(sch.channel_job_id(fake.team_id, "C0DEV")) is None
        counts = sch.maintenance_job()
        assert counts["jobs"] == 1
        assert scheduler.get_job(sch.channel_job_id(fake.team_id, "C0DEV")).next_run_time == RUN_UTC
    with time_machine.travel(RUN_UTC.timestamp() + 60, tick=False):
        fake.fail("chat.postMessage", status=500, times=10)  # the run at 09:00 fails to post
        sch.catch_up(services, _client_for(fake))
        assert [r.status for r in DigestStore(services.store).runs(team_id=fake.team_id)] == ["failed"]
    fake.faults.clear()  # Slack is back
    with time_machine.travel(RUN_UTC.timestamp() + 900, tick=False):  # the next maintenance tick retries it
        assert sch.maintenance_job()["digest_runs"] == 1
        assert [r.status for r in DigestStore(services.store).runs(team_id=fake.team_id)] == ["posted"]
    assert len([c for c in fake.calls_to("chat.postMessage") if c.get("channel") == "C0DEV"]) >= 1


def test_digest_on_in_a_worker_puts_the_job_in_the_scheduler_process_at_once(fake, tmp_path, schedulers):
    url = f"sqlite:///{tmp_path}/recap.sqlite3"
    scheduler_process = _services(url, fake)  # the one process that runs digests
    worker = _services(url, fake)  # an HTTP worker: answers Slack, runs no jobs
    runner = schedulers(scheduler_process, _client_for(fake), run_jobs=True)
    worker.digest_jobs = worker_jobs = schedulers(worker, run_jobs=False)
    executed: list[str] = []

    def on_job(event: JobExecutionEvent) -> None:
        executed.append(event.job_id)

    runner.scheduler.add_listener(on_job, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    answers: list[str] = []
    client = make_web_client(token=BOT_TOKEN, base_url=fake.base_url)
    job_id = sch.channel_job_id(fake.team_id, "C0DEV")

    def command(*args: str) -> str:
        handle_digest_command(services=worker, client=client, respond=lambda **kw: answers.append(kw["text"]),
                              team_id=fake.team_id, channel_id="C0DEV", user_id="U1", args=args)
        return answers[-1]

    with time_machine.travel(RUN_UTC.timestamp() - 5, tick=True):  # 08:59:55 CEST on the Monday
        assert runner.scheduler.get_job(job_id) is None
        assert "Mondays at 09:00 (Europe/Berlin)" in command("on")
        # the scheduler process reads the job from the shared store now: no maintenance tick ran
        assert runner.scheduler.get_job(job_id).next_run_time == RUN_UTC
        assert "turned off" in command("off")
        assert runner.scheduler.get_job(job_id) is None
        command("on")
        assert runner.scheduler.get_job(job_id).next_run_time == RUN_UTC
        assert worker_jobs.scheduler.state == STATE_PAUSED  # the worker writes jobs, never runs one
        while datetime.now(timezone.utc) < RUN_UTC:
            time.sleep(0.05)
        # the scheduler process reads the store whenever it wakes (here: at once; at the latest at its
        # maintenance tick): the job is due and runs
        runner.scheduler.wakeup()
        posts = _wait_posts(fake, 1)
        time.sleep(0.5)
    assert [p["channel"] for p in posts] == ["C0DEV"] and len(fake.calls_to("chat.postMessage")) == 1
    assert executed == [job_id]  # the digest ran; the maintenance job did not
    assert [r.status for r in DigestStore(scheduler_process.store).runs(team_id=fake.team_id)] == ["posted"]
