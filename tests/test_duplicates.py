"""Every Slack event is handled once: HTTP retries (``X-Slack-Retry-Num`` 1–3), duplicate ``event_id``s,
Socket Mode's ``retry_attempt``, and two app processes sharing one PostgreSQL database."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from slack_sdk.socket_mode.request import SocketModeRequest

from bench.load_bench import AppProcess, event_body
from tests.e2e import start_harness
from tests.fakeslack import FakeSlack


def _mention(fake: FakeSlack) -> dict:
    parent = fake.post("C0GEN", "U1", "Shall we ship v2.4 on Wednesday?")
    fake.post("C0GEN", "U2", "Yes, Wednesday works; I'll fix the migration tests by Friday.", thread_ts=parent["ts"])
    ts = fake.next_ts()
    return {"type": "app_mention", "user": "U1", "text": "<@U0BOT> summarize", "ts": ts,
            "thread_ts": parent["ts"], "channel": "C0GEN", "event_ts": ts}


def _settle(fake: FakeSlack, method: str, *, at_least: int, timeout: float = 15.0, quiet: float = 0.6) -> int:
    """Wait until ``method`` was called ``at_least`` times and then nothing more for ``quiet`` seconds."""
    deadline = time.monotonic() + timeout
    count = len(fake.calls_to(method))
    while time.monotonic() < deadline and count < at_least:
        time.sleep(0.02)
        count = len(fake.calls_to(method))
    time.sleep(quiet)
    return len(fake.calls_to(method))


def _parallel(*calls) -> list:
    results: list = [None] * len(calls)

    def run(i, call):
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    return results


def test_four_deliveries_and_a_duplicate_id_answer_once(workspace, tmp_path):
    harness = start_harness(workspace, tmp_path=tmp_path)
    try:
        event = _mention(workspace)
        results = _parallel(*[lambda n=n: harness.event(event, event_id="EvDup1", retry_num=n or None)
                              for n in range(4)])
        assert all(status == 200 for status, _, _ in results)
        assert _settle(workspace, "chat.update", at_least=1) == 1
        assert len(workspace.calls_to("chat.postMessage")) == 1  # one "Reading…" reply
        assert len(workspace.calls_to("reactions.add")) == 1
        # The same event_id again, later (Slack's duplicate delivery): still nothing new.
        harness.event(event, event_id="EvDup1")
        assert _settle(workspace, "chat.update", at_least=1) == 1
        # A different event_id for a different mention is answered.
        harness.event(_mention(workspace), event_id="EvDup2")
        assert _settle(workspace, "chat.update", at_least=2) == 2
    finally:
        harness.close()


def test_socket_mode_retry_attempts_answer_once(workspace, tmp_path):
    from slack_bolt.adapter.socket_mode.internals import run_bolt_app

    from bot.app import create_app
    from bot.config import load_settings
    from tests.fakeslack import BOT_TOKEN

    settings = load_settings(None, slack_bot_token=BOT_TOKEN, slack_app_token="xapp-test",
                             slack_api_url=workspace.base_url, database_url=f"sqlite:///{tmp_path}/r.sqlite3",
                             llm_provider="offline")
    app = create_app(settings)
    body = __import__("json").loads(event_body(workspace, _mention(workspace), event_id="EvSock1"))
    statuses = []
    for attempt in (None, 1, 2, 3):
        req = SocketModeRequest.from_dict({"type": "events_api", "envelope_id": f"env-{attempt}", "payload": body,
                                           "accepts_response_payload": False, "retry_attempt": attempt,
                                           "retry_reason": "timeout" if attempt else None})
        statuses.append(run_bolt_app(app, req).status)
    assert statuses == [200, 200, 200, 200]
    assert _settle(workspace, "chat.update", at_least=1) == 1
    assert len(workspace.calls_to("chat.postMessage")) == 1


@pytest.fixture
def shared_pg_url(postgres_url):
    """A fresh PostgreSQL schema, shared by the two app processes of a test."""
    import sqlalchemy as sa

    schema = f"recap_dup_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(postgres_url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in postgres_url else "?"
    url = f"{postgres_url}{sep}options=-csearch_path%3D{schema}"
    yield url  # empty: the app processes create the tables
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _four_deliveries_of_five_events_answer_five(workspace, apps, *, prefix: str) -> None:
    """Deliver 5 mentions 4 times each (``X-Slack-Retry-Num`` 0–3, spread over ``apps`` in turn), all at
    once; exactly one reply per event, none twice."""
    events = [_mention(workspace) for _ in range(5)]
    calls = []
    for i, event in enumerate(events):
        body = event_body(workspace, event, event_id=f"{prefix}{i}")
        for retry in range(4):
            app = apps[retry % len(apps)]
            headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
            calls.append(lambda app=app, body=body, headers=headers: app.post(body, "application/json",
                                                                              headers=headers))
    results = _parallel(*calls)
    assert all(status == 200 for status, _, _ in results), results
    assert _settle(workspace, "chat.update", at_least=5, timeout=30, quiet=1.0) == 5
    threads = sorted(p["thread_ts"] for p in workspace.calls_to("chat.postMessage"))
    assert threads == sorted(e["thread_ts"] for e in events)  # one reply per event, none twice


def test_two_processes_sharing_postgresql_answer_each_event_once(workspace, shared_pg_url):
    apps = [AppProcess(slack_api_url=workspace.base_url, database_url=shared_pg_url) for _ in range(2)]
    try:
        _four_deliveries_of_five_events_answer_five(workspace, apps, prefix="EvPg")
    finally:
        for app in apps:
            app.close()


def test_two_http_workers_on_a_fresh_sqlite_file_answer_each_event_once(workspace, tmp_path):
    """``HTTP_WORKERS=2``: two Granian workers start at once on an empty database (both create the
    schema), share one socket and one SQLite file; 5 events × 4 deliveries → 5 answers."""
    app = AppProcess(slack_api_url=workspace.base_url, database_url=f"sqlite:///{tmp_path}/recap.sqlite3", workers=2)
    try:
        _four_deliveries_of_five_events_answer_five(workspace, [app], prefix="EvW2")
    finally:
        app.close()
