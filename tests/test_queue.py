"""The durable queue (``QUEUE_URL``): the web tier acks and enqueues, workers answer, claims under a lease.

End to end over signed HTTP: the real app as the web tier (in this process), the fake Slack Web API,
and workers either in this process (a Dramatiq worker thread pool) or as ``recap worker`` child
processes that the tests SIGKILL. Needs Redis (``RECAP_TEST_REDIS_URL``) and, for one test, RabbitMQ
(``RECAP_TEST_AMQP_URL``): skipped when unreachable, failed under ``CI``.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import IN_CI
from tests.e2e import start_harness
from tests.fakellm import FakeLLM, Fault
from tests.fakeslack import BOT_TOKEN, FakeSlack

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("RECAP_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
AMQP_URL = os.environ.get("RECAP_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")
MODEL_REPLY = json.dumps({"overview": "The team planned the v2.4 release.",
                          "key_points": [{"text": "Ship v2.4 on Wednesday.", "sources": ["m1"]}],
                          "decisions": [], "action_items": [], "open_questions": []})


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def _need(url: str, port: int, name: str) -> str:
    if not _reachable(url, port):
        if IN_CI:
            pytest.fail(f"CI is set but {name} at {url} is unreachable")
        pytest.skip(f"{name} not reachable at {url}")
    return url


@pytest.fixture
def redis_url() -> str:
    return _need(REDIS_URL, 6379, "Redis")


@pytest.fixture
def amqp_url() -> str:
    return _need(AMQP_URL, 5672, "RabbitMQ")


def _mention(fake: FakeSlack) -> dict:
    parent = fake.post("C0GEN", "U1", "Shall we ship v2.4 on Wednesday?")
    fake.post("C0GEN", "U2", "Yes, Wednesday works; I'll fix the migration tests by Friday.", thread_ts=parent["ts"])
    ts = fake.post("C0GEN", "U1", "<@U0BOT> summarize", thread_ts=parent["ts"])["ts"]  # Slack has it before the event
    return {"type": "app_mention", "user": "U1", "text": "<@U0BOT> summarize", "ts": ts,
            "thread_ts": parent["ts"], "channel": "C0GEN", "event_ts": ts}


def _answers(fake: FakeSlack) -> list[dict]:
    """The final answers: ``chat.update`` calls with blocks (the working reply turned into the summary)."""
    return [call for call in fake.calls_to("chat.update") if call.get("blocks")]


def _wait(predicate, timeout: float = 30.0, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


_CREATED: list[tuple[str, str]] = []  # (broker URL, queue name) of this module's tests, removed after each


def _queue_settings(url: str, **more) -> dict:
    name = f"recap-test-{uuid.uuid4().hex[:10]}"
    _CREATED.append((url, name))
    return {"queue_url": url, "queue_name": name, "queue_lease_seconds": 2.0, **more}


@pytest.fixture(autouse=True)
def _remove_test_queues():
    """Delete the brokers' queues (and Redis keys) a test made, so nothing piles up on shared servers."""
    yield
    while _CREATED:
        url, name = _CREATED.pop()
        try:
            if url.startswith("redis"):
                import redis

                client = redis.Redis.from_url(url)
                for key in client.scan_iter(f"dramatiq-{name}*"):
                    client.delete(key)
            else:
                import pika

                with pika.BlockingConnection(pika.URLParameters(url)) as connection:
                    channel = connection.channel()
                    for queue in (name, f"{name}.DQ", f"{name}.XQ"):
                        channel.queue_delete(queue=queue)
        except Exception:  # noqa: BLE001 - clean-up only; the server may be gone
            pass


class InProcessWorker:
    """``recap worker``'s consumer on a thread of this process (same settings as the web tier)."""

    def __init__(self, settings, *, threads: int = 2) -> None:
        from bot.app import create_worker_context
        from bot.queue.worker import consume

        self.context = create_worker_context(settings)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=consume, args=(self.context,), kwargs={"threads": threads, "stop": self.stop},
                                       daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=40)


def _worker_process(fake: FakeSlack, database_url: str, queue: dict, **env) -> subprocess.Popen:
    """``python -m bot worker`` as a child process with the test's settings."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LLM_", "OPENAI_", "ANTHROPIC_",
                                                                       "QUEUE_"))}
    clean.update({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": fake.base_url, "DATABASE_URL": database_url,
                  "LLM_PROVIDER": "offline", "LOG_LEVEL": "WARNING"})
    clean.update({k.upper(): str(v) for k, v in {**queue, **env}.items()})
    return subprocess.Popen([sys.executable, "-m", "bot", "worker", "--threads", "2"], cwd=str(ROOT), env=clean,
                            stdin=subprocess.DEVNULL)


# ------------------------------------------------------------------------------------------ claims


def test_job_claims_follow_the_lease_rules(db_url):
    from bot.storage.store import BUSY, DUPLICATE, TAKEN, Store

    store = Store.from_url(db_url)
    first = store.claim_job("T1:Ev1", job_id="a", team_id="T1", lease_seconds=10, now=1000.0)
    assert (first.outcome, first.attempt) == (TAKEN, 0)
    # Slack's retry of the same event is another job: dropped while the first holds it, live or not
    assert store.claim_job("T1:Ev1", job_id="b", lease_seconds=10, now=1001.0).outcome == DUPLICATE
    assert store.claim_job("T1:Ev1", job_id="b", lease_seconds=10, now=5000.0).outcome == DUPLICATE
    # the same job redelivered while its lease lives: busy, with the seconds left
    busy = store.claim_job("T1:Ev1", job_id="a", lease_seconds=10, now=1004.0)
    assert busy.outcome == BUSY and busy.wait == pytest.approx(6.0)
    # ... and once it expired (its worker died): taken over, as its second attempt
    again = store.claim_job("T1:Ev1", job_id="a", lease_seconds=10, now=1011.0)
    assert (again.outcome, again.attempt) == (TAKEN, 1)
    store.finish_job("T1:Ev1", job_id="a")
    assert store.claim_job("T1:Ev1", job_id="a", lease_seconds=10, now=9999999999.0).outcome == DUPLICATE
    # a released lease (a failure to retry) is taken at once by the same job
    assert store.claim_job("T1:Ev2", job_id="c", lease_seconds=100).outcome == TAKEN
    assert store.claim_job("T1:Ev2", job_id="c", lease_seconds=100).outcome == BUSY
    store.release_job("T1:Ev2", job_id="c")
    assert store.claim_job("T1:Ev2", job_id="c", lease_seconds=100).attempt == 1
    assert store.renew_job("T1:Ev2", job_id="c", lease_seconds=100)
    assert not store.renew_job("T1:Ev2", job_id="other", lease_seconds=100)


# ------------------------------------------------------------------------------------------ end to end


def test_mention_is_enqueued_on_ack_and_a_worker_answers_once(workspace, tmp_path, redis_url):
    queue = _queue_settings(redis_url)
    harness = start_harness(workspace, tmp_path=tmp_path, **queue)
    try:
        event = _mention(workspace)
        status, body, _ = harness.event(event, event_id="EvQ1")
        assert status == 200
        time.sleep(0.5)
        assert not workspace.calls_to("reactions.add") and not _answers(workspace)  # nothing ran in the web tier
        from bot.queue.broker import make_broker

        broker = make_broker(harness.services.settings)
        assert broker.do_qsize(queue["queue_name"]) == 1  # one message waits for a worker
        # Slack's retries of the same event are enqueued too, and dropped by the worker's claim
        for retry in (1, 2):
            assert harness.event(event, event_id="EvQ1", retry_num=retry)[0] == 200
        worker = InProcessWorker(harness.services.settings)
        try:
            assert _wait(lambda: len(_answers(workspace)) >= 1)
            time.sleep(1.5)
            assert len(_answers(workspace)) == 1
            # one :eyes: on the mention (a retry taken first by another thread may have asked for it too:
            # Slack answers ``already_reacted``, nothing shows twice)
            message = workspace.channels["C0GEN"].find_any(event["ts"])
            assert message is not None and message.get("reactions") == [{"name": "eyes", "users": ["U0BOT"],
                                                                         "count": 1}]
            assert 1 <= len(workspace.calls_to("reactions.add")) <= 2
        finally:
            worker.close()
    finally:
        harness.close()


def test_a_mentions_eyes_come_before_the_claim_and_only_once(workspace, tmp_path, redis_url):
    """Under a burst the claim (a database write) waits its turn: the worker shows the :eyes: first, and the
    listener does not add it again; a help mention shows nothing early."""
    harness = start_harness(workspace, tmp_path=tmp_path, **_queue_settings(redis_url))
    worker = InProcessWorker(harness.services.settings)
    store = worker.context.store
    real_claim, release = store.claim_job, threading.Event()
    seen_at_claim: list[int] = []

    def slow_claim(*args, **kwargs):
        seen_at_claim.append(len(workspace.calls_to("reactions.add")))
        release.wait(10)
        return real_claim(*args, **kwargs)

    store.claim_job = slow_claim  # type: ignore[method-assign]
    try:
        event = _mention(workspace)
        assert harness.event(event, event_id="EvEarly1")[0] == 200
        assert _wait(lambda: bool(seen_at_claim))
        assert seen_at_claim == [1]  # the :eyes: was asked for before the claim began
        message = workspace.channels["C0GEN"].find_any(event["ts"])
        assert message is not None and [r["name"] for r in message.get("reactions", [])] == ["eyes"]
        assert not _answers(workspace)  # ... and nothing else ran yet
        release.set()
        assert _wait(lambda: len(_answers(workspace)) == 1)
        assert len(workspace.calls_to("reactions.add")) == 1  # the listener did not add it again

        help_event = {**_mention(workspace), "text": "<@U0BOT> help"}
        posts = len(workspace.calls_to("chat.postMessage"))
        assert harness.event(help_event, event_id="EvEarly2")[0] == 200
        assert _wait(lambda: len(workspace.calls_to("chat.postMessage")) > posts)  # the help answer
        assert len(seen_at_claim) == 2 and len(workspace.calls_to("reactions.add")) == 1  # no :eyes: for help
    finally:
        release.set()
        worker.close()
        harness.close()


def test_a_replayed_signed_command_is_answered_once(workspace, tmp_path, redis_url):
    from urllib.parse import urlencode

    from tests.e2e import signed_post

    harness = start_harness(workspace, tmp_path=tmp_path, **_queue_settings(redis_url))
    worker = InProcessWorker(harness.services.settings)
    try:
        body = urlencode({"token": "x", "team_id": workspace.team_id, "team_domain": workspace.domain,
                          "channel_id": "C0GEN", "user_id": "U1", "command": "/summarize", "text": "",
                          "api_app_id": "A0RECAP", "response_url": harness.receiver.url("replay"),
                          "trigger_id": "9.9.9"})
        ts = int(time.time())
        for _ in range(3):  # the same bytes, timestamp and signature: a replay
            assert signed_post(harness.app_url, body, "application/x-www-form-urlencoded", timestamp=ts)[0] == 200
        harness.receiver.wait_for(lambda posts: any(p.get("blocks") for p in posts))
        time.sleep(1.5)
        assert sum(1 for p in harness.receiver.posts if p.get("blocks")) == 1
    finally:
        worker.close()
        harness.close()


@pytest.mark.parametrize("broker_name", ["redis", "rabbitmq"])
def test_sigkilled_worker_job_is_redelivered_and_answered_once(workspace, tmp_path, broker_name, request):
    url = request.getfixturevalue("redis_url" if broker_name == "redis" else "amqp_url")
    database_url = f"sqlite:///{tmp_path}/recap.sqlite3"
    with FakeLLM() as llm:
        llm.handler = lambda req: Fault(delay=2.5, text=MODEL_REPLY)
        model = {"llm_provider": "openai", "openai_base_url": llm.openai_base_url, "openai_api_key": "k",
                 "llm_max_retries": 0, "llm_timeout": 30}
        queue = _queue_settings(url)
        harness = start_harness(workspace, tmp_path=tmp_path, **queue)  # the web tier needs no model
        first = _worker_process(workspace, database_url, queue, **model)
        second = None
        try:
            assert harness.event(_mention(workspace), event_id="EvKill1")[0] == 200
            assert _wait(lambda: len(llm.requests) >= 1, timeout=60), "the first worker never reached the model"
            os.kill(first.pid, signal.SIGKILL)  # mid-summary: the model has not answered yet
            first.wait(timeout=10)
            assert not _answers(workspace)
            second = _worker_process(workspace, database_url, queue, **model)
            assert _wait(lambda: len(_answers(workspace)) >= 1, timeout=60), "the job was never redelivered"
            time.sleep(2.0)
            assert len(_answers(workspace)) == 1
            assert len(llm.requests) >= 2  # the second worker did the work again
        finally:
            for proc in (first, second):
                if proc is not None and proc.poll() is None:
                    proc.terminate()
                    proc.wait(timeout=40)
            harness.close()


def test_job_that_keeps_failing_tells_the_person(workspace, tmp_path, redis_url, monkeypatch):
    from bot.queue import worker as worker_module

    harness = start_harness(workspace, tmp_path=tmp_path, **_queue_settings(redis_url, queue_max_attempts=2))
    context = InProcessWorker(harness.services.settings)
    calls = []

    def failing(self, function, request):  # every attempt of the listener raises past its error boundary
        calls.append(request.lazy_function_name)
        outcome = request.context.get(worker_module.OUTCOME_KEY)
        outcome.ran, outcome.error = True, RuntimeError("the model is down")

    monkeypatch.setattr(worker_module.WorkerLazyRunner, "run", failing)
    try:
        assert harness.command("", user_id="U1", channel_id="C0GEN", name="fail")[0] == 200
        posts = harness.receiver.wait_for(lambda posts: any("gave up" in p.get("text", "") for p in posts), timeout=30)
        notice = next(p for p in posts if "gave up" in p.get("text", ""))
        assert notice["response_type"] == "ephemeral" and "after 2 tries" in notice["text"]
        assert len(calls) == 2
    finally:
        context.close()
        harness.close()


def test_scheduled_digest_runs_as_a_job_exactly_once_with_two_workers(tmp_path, redis_url):
    import time_machine

    from bot.app import build_services
    from bot.config import load_settings
    from bot.digests import scheduler as sch
    from bot.digests.store import DigestStore, Schedule
    from tests.test_scheduler import BERLIN, RUN_UTC, _client_for, _workspace

    database_url = f"sqlite:///{tmp_path}/recap.sqlite3"
    queue = _queue_settings(redis_url)
    with FakeSlack() as fake:
        _workspace(fake)
        settings = load_settings(None, slack_bot_token=BOT_TOKEN, slack_api_url=fake.base_url, database_url=database_url,
                                 llm_provider="offline", workspace_tz=BERLIN, **queue)
        services = build_services(settings)
        DigestStore(services.store).subscribe(team_id=fake.team_id, channel_id="C0OPS",
                                              schedule=Schedule(0, 9, 0, BERLIN))
        workers = [_worker_process(fake, database_url, queue, workspace_tz=BERLIN) for _ in range(2)]
        # The scheduler's own Slack calls, told apart from the workers' (which reach the same fake Slack,
        # and may post within a second of the job being sent).
        client = _client_for(fake)(fake.team_id)
        own_calls: list[str] = []
        send = client.api_call

        def recorded(api_method: str, **kwargs):
            own_calls.append(api_method)
            return send(api_method, **kwargs)

        client.api_call = recorded  # type: ignore[method-assign]
        scheduler = sch.DigestScheduler(services, lambda team_id: client, run_jobs=True)
        try:
            with time_machine.travel(RUN_UTC.timestamp() - 1.5, tick=True):
                scheduler.start(run_catch_up=False)
                # the scheduler fires at 09:00 and sends a job; a catch-up sends the same run again
                assert _wait(lambda: RUN_UTC <= services.clock(), timeout=10)
                time.sleep(1.0)
                assert sch.catch_up(services, lambda team_id: client) == [sch.QUEUED]
                assert "chat.postMessage" not in own_calls  # the scheduler process posts nothing itself
            assert _wait(lambda: len(fake.calls_to("chat.postMessage")) >= 1, timeout=60)
            time.sleep(3.0)
            posts = fake.calls_to("chat.postMessage")
            assert len(posts) == 1 and posts[0]["channel"] == "C0OPS"
            run = DigestStore(services.store).last_run(team_id=fake.team_id, target_id="C0OPS")
            assert run.status == "posted"
        finally:
            scheduler.stop(wait=True)
            for proc in workers:
                proc.terminate()
                proc.wait(timeout=40)


def test_deploy_compose_file_parses_and_runs_the_three_roles():
    import yaml

    compose = yaml.safe_load((ROOT / "docs" / "deploy" / "compose.yml").read_text())
    services = compose["services"]
    assert services["web"]["command"] == ["recap", "run", "--http", "--no-scheduler"]
    assert services["worker"]["command"][:2] == ["recap", "worker"]
    assert services["scheduler"]["command"] == ["recap", "scheduler"] and services["scheduler"]["deploy"]["replicas"] == 1
    for role in ("web", "worker", "scheduler"):
        env = services[role]["environment"]
        assert env["QUEUE_URL"].startswith("amqp://") and env["DATABASE_URL"].startswith("postgresql")
    # and every command it names exists in `recap`
    from bot.__main__ import build_parser

    parser = build_parser()
    for role in ("web", "worker", "scheduler"):
        parser.parse_args(services[role]["command"][1:])


def test_recap_worker_without_a_queue_url_is_one_clear_line(monkeypatch, capsys):
    from bot.__main__ import main

    monkeypatch.setenv("QUEUE_URL", "")
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    assert main(["worker"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("recap: error: recap worker needs QUEUE_URL") and "\n" not in err


def test_a_queue_url_of_another_scheme_is_refused_with_the_variable_named():
    from bot.config import load_settings
    from bot.errors import ConfigError

    with pytest.raises(ConfigError, match="QUEUE_URL"):
        load_settings(None, queue_url="http://127.0.0.1:6379")


def test_a_version_1_database_is_migrated_to_the_job_claims_table(tmp_path):
    import sqlalchemy as sa

    from bot.storage.schema import SCHEMA_VERSION
    from bot.storage.store import Store

    url = f"sqlite:///{tmp_path}/old.sqlite3"
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # what a version-1 database holds
        conn.execute(sa.text("CREATE TABLE recap_schema (id INTEGER PRIMARY KEY, version INTEGER)"))
        conn.execute(sa.text("INSERT INTO recap_schema VALUES (1, 1)"))
    store = Store.from_url(url)
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version FROM recap_schema")).scalar() == SCHEMA_VERSION >= 2
    assert "recap_job_claims" in sa.inspect(store.engine).get_table_names()
    assert store.claim_job("T1:Ev1", job_id="a", lease_seconds=5).outcome == "taken"


def test_finished_job_claims_are_pruned_with_the_event_claims(tmp_path):
    import time_machine

    from bot.storage.store import Store

    store = Store.from_url(f"sqlite:///{tmp_path}/p.sqlite3")
    with time_machine.travel(time.time() - 3 * 86400, tick=False):
        store.claim_job("T1:old", job_id="a", lease_seconds=5)
        store.finish_job("T1:old", job_id="a")
    store.claim_job("T1:new", job_id="b", lease_seconds=5)
    assert store.prune_events() == 1
    assert store.claim_job("T1:old", job_id="c", lease_seconds=5).outcome == "taken"  # forgotten
    assert store.claim_job("T1:new", job_id="c", lease_seconds=5).outcome == "duplicate"  # kept


def test_a_worker_takes_only_as_many_jobs_as_it_has_threads(tmp_path, redis_url):
    """A burst spreads over every worker: a worker whose threads are all busy leaves the rest of the
    queue to the others (Dramatiq's default would hold twice its threads, jobs nobody runs meanwhile)."""
    import redis

    from bot.app import create_worker_context
    from bot.config import load_settings
    from bot.queue.broker import enqueue_digest
    from bot.queue.worker import consume

    queue = _queue_settings(redis_url)
    with FakeSlack() as fake:
        settings = load_settings(None, slack_bot_token=BOT_TOKEN, slack_api_url=fake.base_url,
                                 database_url=f"sqlite:///{tmp_path}/recap.sqlite3", llm_provider="offline", **queue)
        context = create_worker_context(settings)
        release, started = threading.Event(), []

        def busy(kind: str, team_id: str, target: str, due: float) -> str:
            started.append(target)
            release.wait(30)
            return "posted"

        context.digest_runner = busy
        for i in range(6):
            enqueue_digest(settings, kind="channel", team_id=fake.team_id, target=f"C{i}", due=time.time())
        stop = threading.Event()
        thread = threading.Thread(target=consume, args=(context,), kwargs={"threads": 2, "stop": stop}, daemon=True)
        thread.start()
        try:
            assert _wait(lambda: len(started) == 2, timeout=20)
            time.sleep(1.0)  # ten polls later
            name = queue["queue_name"]
            waiting = redis.Redis.from_url(redis_url).llen(f"dramatiq-{name}:{name}")
            assert len(started) == 2 and waiting == 4
        finally:
            release.set()
            stop.set()
            thread.join(timeout=40)
