"""A worker killed mid-stream leaves no half answer beside the retried one (issue 13).

``chat.startStream`` takes no ``metadata`` (only ``chat.stopStream`` does), so a mention job whose worker
dies while its answer streams leaves a message the metadata look-up cannot find. The stream's ``ts`` is
recorded in Recap's store as soon as Slack returns it; the redelivered job finishes that message
(``chat.stopStream``, when Slack has not ended the stream itself) and updates it, so the thread ends with
exactly one answer.

The worker's death is a :class:`Killed` raised from the Web API client (nothing in the service catches
it, and the dead client makes no further call: no ``finally`` reaches Slack, as with SIGKILL), then the
same job is delivered again with ``attempt=1``, as the queue worker does; the last test SIGKILLs a real
``recap worker`` process mid-stream over Redis.
"""

from __future__ import annotations

import json
import os
import signal
import time
from typing import Any

import pytest
import sqlalchemy as sa
from slack_sdk import WebClient

from bot.llm.factory import make_provider
from bot.runtime.jobs import JobInfo, running_job
from bot.slack import writer
from bot.storage.schema import SCHEMA_VERSION
from bot.storage.store import Store
from bot.summaries.service import handle_mention
from tests import test_streaming
from tests.fakellm import Answer, FakeLLM
from tests.fakeslack import BOT_TOKEN, FakeSlack

GOOD = test_streaming.GOOD  # the model's answer to the release thread of test_streaming's workspace
workspace = test_streaming.workspace  # the same fixture: a release-planning thread of 9 messages
LAST_POINT = "Update the release notes by Thursday noon."


@pytest.fixture
def llm():
    with FakeLLM() as fake:
        fake.handler = lambda request: json.dumps(GOOD) if "<transcript>" in request.prompt else "Release v2.4"
        yield fake


@pytest.fixture
def streaming_harness(harness, llm):
    """The app with a streaming model (the fake OpenAI server)."""
    harness.services.provider = make_provider(provider="openai", openai_api_key="k", max_retries=0,
                                              openai_base_url=llm.openai_base_url)
    return harness


class Killed(BaseException):
    """The worker process dying (SIGKILL): nothing in the service catches it."""


class DyingClient(WebClient):
    """A Web API client whose process dies just before its ``die_at``-th call to ``die_on``; dead, it makes
    no call at all (a killed process runs no ``finally`` that reaches Slack)."""

    def __init__(self, *args: Any, die_at: int, die_on: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.die_at, self.die_on, self.calls, self.dead = die_at, die_on, 0, False

    def api_call(self, api_method: str, **kwargs: Any) -> Any:  # type: ignore[override]
        if self.dead:
            raise Killed
        if api_method == self.die_on:
            self.calls += 1
            if self.calls == self.die_at:
                self.dead = True
                raise Killed
        return super().api_call(api_method, **kwargs)


def _client(fake: FakeSlack) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=fake.base_url)


def _bot_replies(fake: FakeSlack) -> list[dict]:
    """The bot's replies in the thread, as the fake holds them (``streaming`` while a stream is open)."""
    return [m for m in fake.channels["C0GEN"].replies.get(fake.thread_ts, []) if m.get("user") == fake.bot_user_id]


def _mention_args(harness, fake: FakeSlack) -> dict:
    mention = fake.post("C0GEN", "U1", "<@U0BOT> summarize", thread_ts=fake.thread_ts)
    return dict(services=harness.services, team_id=fake.team_id, channel_id="C0GEN", user_id="U1",
                text="<@U0BOT> summarize", ts=mention["ts"], thread_ts=fake.thread_ts, bot_user_id="U0BOT")


def _die_mid_stream(harness, fake: FakeSlack, job_id: str) -> tuple[dict, dict]:
    """The first delivery of ``job_id``: the answer starts streaming, the worker dies at the second append."""
    args = _mention_args(harness, fake)
    dying = DyingClient(token=BOT_TOKEN, base_url=fake.base_url, die_on="chat.appendStream", die_at=2)
    with running_job(JobInfo(job_id, attempt=0, max_attempts=3)), pytest.raises(Killed):
        handle_mention(client=dying, **args)
    replies = _bot_replies(fake)
    assert len(replies) == 1, "the first delivery should have started one streamed reply"
    half = replies[0]
    assert half.get("streaming") and "metadata" not in half  # what a SIGKILL mid-stream leaves
    assert LAST_POINT not in half["text"]
    assert fake.calls_to("chat.stopStream") == []
    return args, half


def _redeliver(args: dict, fake: FakeSlack, job_id: str) -> None:
    args["services"]._cache.clear()  # a new worker process: no reader built on the dead one's client
    with running_job(JobInfo(job_id, attempt=1, max_attempts=3)):
        handle_mention(client=_client(fake), **args)


def _assert_one_full_answer(fake: FakeSlack, job_id: str, ts: str) -> dict:
    replies = _bot_replies(fake)
    assert len(replies) == 1, [r.get("text") for r in replies]
    answer = replies[0]
    assert answer["ts"] == ts  # the streamed message, updated: no second reply
    assert not answer.get("streaming")
    assert answer["metadata"] == writer.job_metadata(job_id, "reply")
    assert LAST_POINT in json.dumps(answer.get("blocks"))
    return answer


# ------------------------------------------------------------------------------------- the retry


def test_redelivered_job_updates_the_half_streamed_message(streaming_harness, workspace):
    args, half = _die_mid_stream(streaming_harness, workspace, "job-stream-1")

    _redeliver(args, workspace, "job-stream-1")

    _assert_one_full_answer(workspace, "job-stream-1", half["ts"])
    stops = workspace.calls_to("chat.stopStream")
    assert [s["ts"] for s in stops] == [half["ts"]]  # the open stream is finished first, then updated
    updates = workspace.calls_to("chat.update")
    assert updates and all(u["ts"] == half["ts"] for u in updates)
    assert workspace.calls_to("chat.postMessage") == []  # nothing posted anew
    assert len(workspace.calls_to("chat.startStream")) == 1  # the retry does not stream again


def test_a_stream_slack_already_ended_is_updated(streaming_harness, workspace):
    args, half = _die_mid_stream(streaming_harness, workspace, "job-stream-2")
    assert workspace.end_streams() == [half["ts"]]  # Slack ends a stream nobody appends to

    _redeliver(args, workspace, "job-stream-2")

    _assert_one_full_answer(workspace, "job-stream-2", half["ts"])
    assert workspace.calls_to("chat.postMessage") == []


def test_a_half_message_deleted_meanwhile_is_answered_anew(streaming_harness, workspace):
    args, half = _die_mid_stream(streaming_harness, workspace, "job-stream-3")
    _client(workspace).chat_delete(channel="C0GEN", ts=half["ts"])

    _redeliver(args, workspace, "job-stream-3")

    replies = _bot_replies(workspace)
    assert len(replies) == 1 and replies[0]["ts"] != half["ts"]
    assert replies[0]["metadata"] == writer.job_metadata("job-stream-3", "reply")
    assert LAST_POINT in json.dumps(replies[0].get("blocks"))


def test_the_retry_of_a_job_that_died_after_stopping_finds_it_by_metadata(streaming_harness, workspace):
    """The stop carried the job's metadata: the record and the look-up agree, no second stop is tried."""
    args = _mention_args(streaming_harness, workspace)
    dying = DyingClient(token=BOT_TOKEN, base_url=workspace.base_url, die_on="assistant.threads.setStatus", die_at=2)
    with running_job(JobInfo("job-stream-4", attempt=0, max_attempts=3)), pytest.raises(Killed):
        handle_mention(client=dying, **args)  # dies clearing the status, after the answer was finished
    first = _bot_replies(workspace)
    assert len(first) == 1 and not first[0].get("streaming")
    stops = len(workspace.calls_to("chat.stopStream"))

    _redeliver(args, workspace, "job-stream-4")

    _assert_one_full_answer(workspace, "job-stream-4", first[0]["ts"])
    assert len(workspace.calls_to("chat.stopStream")) == stops


# ------------------------------------------------------------------------------ first deliveries


def test_a_first_delivery_streams_as_before_and_records_its_message(streaming_harness, workspace):
    args = _mention_args(streaming_harness, workspace)
    with running_job(JobInfo("job-first", attempt=0, max_attempts=3)):
        handle_mention(client=_client(workspace), **args)
    replies = _bot_replies(workspace)
    assert len(replies) == 1 and replies[0]["metadata"] == writer.job_metadata("job-first", "reply")
    assert LAST_POINT in replies[0]["text"]
    assert len(workspace.calls_to("chat.startStream")) == 1 and len(workspace.calls_to("chat.stopStream")) == 1
    assert workspace.calls_to("chat.update") == [] and workspace.calls_to("chat.postMessage") == []
    assert not [c for c in workspace.calls_to("conversations.replies") if c.get("include_all_metadata")]
    store = streaming_harness.services.store
    assert store.job_messages("job-first", channel_id="C0GEN") == {"reply": replies[0]["ts"]}


def test_outside_a_job_nothing_is_recorded(streaming_harness, workspace):
    args = _mention_args(streaming_harness, workspace)
    handle_mention(client=_client(workspace), **args)
    assert len(_bot_replies(workspace)) == 1
    with streaming_harness.services.store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM recap_job_messages")).scalar() == 0


def test_a_failed_record_never_costs_the_answer(streaming_harness, workspace, monkeypatch):
    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise sa.exc.OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(Store, "record_job_message", broken)
    args = _mention_args(streaming_harness, workspace)
    with running_job(JobInfo("job-norecord", attempt=0, max_attempts=3)):
        handle_mention(client=_client(workspace), **args)
    replies = _bot_replies(workspace)
    assert len(replies) == 1 and LAST_POINT in replies[0]["text"]


# ------------------------------------------------------------------------------------ the store


def test_job_messages_are_recorded_replaced_pruned_and_purged(db_url):
    import time_machine

    store = Store.from_url(db_url)
    store.record_job_message("job-a", "reply", channel_id="C1", ts="1.000001", team_id="T1")
    store.record_job_message("job-a", "reply", channel_id="C1", ts="1.000002", team_id="T1")  # replaced
    store.record_job_message("job-a", "answer-1", channel_id="C1", ts="1.000003", team_id="T1")
    store.record_job_message("job-b", "reply", channel_id="C2", ts="2.000001", team_id="T2")
    assert store.job_messages("job-a", channel_id="C1") == {"reply": "1.000002", "answer-1": "1.000003"}
    assert store.job_messages("job-a", channel_id="C2") == {}  # another conversation
    assert store.job_messages("job-c", channel_id="C1") == {}
    with time_machine.travel(time.time() - 3 * 86400, tick=False):
        store.record_job_message("job-old", "reply", channel_id="C1", ts="0.000001", team_id="T1")
    store.prune_events()
    assert store.job_messages("job-old", channel_id="C1") == {}
    assert store.job_messages("job-a", channel_id="C1") != {}
    store.purge_team("T1")
    assert store.job_messages("job-a", channel_id="C1") == {}
    assert store.job_messages("job-b", channel_id="C2") == {"reply": "2.000001"}


def test_a_version_2_database_gets_the_job_messages_table(tmp_path):
    url = f"sqlite:///{tmp_path}/v2.sqlite3"
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # what a version-2 database holds (the tables that matter here)
        conn.execute(sa.text("CREATE TABLE recap_schema (id INTEGER PRIMARY KEY, version INTEGER)"))
        conn.execute(sa.text("INSERT INTO recap_schema VALUES (1, 2)"))
    store = Store.from_url(url)
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version FROM recap_schema")).scalar() == SCHEMA_VERSION >= 3
    assert "recap_job_messages" in sa.inspect(store.engine).get_table_names()
    store.record_job_message("job-a", "reply", channel_id="C1", ts="1.000001")
    assert store.job_messages("job-a", channel_id="C1") == {"reply": "1.000001"}


# ------------------------------------------------------------------------- a real worker, SIGKILLed


def test_sigkilled_worker_mid_stream_leaves_one_answer(workspace, tmp_path, llm):
    from tests.e2e import start_harness
    from tests.test_queue import REDIS_URL, _need, _queue_settings, _wait, _worker_process

    url = _need(REDIS_URL, 6379, "Redis")
    database_url = f"sqlite:///{tmp_path}/recap.sqlite3"
    llm.handler = lambda request: (Answer(json.dumps(GOOD), chunk_delay=0.05) if "<transcript>" in request.prompt
                                   else "Release v2.4")
    model = {"llm_provider": "openai", "openai_base_url": llm.openai_base_url, "openai_api_key": "k",
             "llm_max_retries": 0, "llm_timeout": 60, "llm_stream_deadline": 60}
    queue = _queue_settings(url)
    harness = start_harness(workspace, tmp_path=tmp_path, **queue)
    first = _worker_process(workspace, database_url, queue, **model)
    second = None
    try:
        mention_ts = workspace.next_ts()
        assert harness.event({"type": "app_mention", "user": "U1", "text": "<@U0BOT> summarize", "ts": mention_ts,
                              "thread_ts": workspace.thread_ts, "channel": "C0GEN", "event_ts": mention_ts},
                             event_id="EvKillStream")[0] == 200
        assert _wait(lambda: workspace.calls_to("chat.appendStream"), timeout=60), "the answer never streamed"
        os.kill(first.pid, signal.SIGKILL)  # mid-stream: the message is open, without metadata
        first.wait(timeout=10)
        half = _bot_replies(workspace)
        assert len(half) == 1 and half[0].get("streaming") and LAST_POINT not in half[0]["text"]
        killed_at = len(workspace.calls)
        second = _worker_process(workspace, database_url, queue, **model)
        assert _wait(lambda: any(LAST_POINT in json.dumps(m.get("blocks")) for m in _bot_replies(workspace)),
                     timeout=90), f"never answered again; Slack calls since the kill: {workspace.calls[killed_at:]}"
        time.sleep(1.0)
        replies = _bot_replies(workspace)
        assert len(replies) == 1 and replies[0]["ts"] == half[0]["ts"] and not replies[0].get("streaming")
        assert replies[0]["metadata"]["event_payload"]["step"] == "reply"
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=40)
        harness.close()


def test_a_job_that_gives_up_after_dying_mid_stream_leaves_no_half_answer(streaming_harness, workspace):
    from bot.summaries.service import tell_gave_up

    args, half = _die_mid_stream(streaming_harness, workspace, "job-stream-gave-up")
    store = streaming_harness.services.store
    mention = {"type": "event_callback", "team_id": workspace.team_id,
               "event": {"type": "app_mention", "user": "U1", "channel": "C0GEN", "ts": args["ts"],
                         "thread_ts": args["thread_ts"], "text": args["text"]}}

    assert tell_gave_up(_client(workspace), mention, reason="TimeoutError", attempts=1, job_id="job-stream-gave-up",
                        recorded=store.job_messages)

    replies = _bot_replies(workspace)
    assert [r["ts"] for r in replies] == [half["ts"]]  # the half answer became the notice: no second reply
    assert not replies[0].get("streaming") and LAST_POINT not in replies[0]["text"]
    assert "<@U1>" in replies[0]["text"]
