"""Acks before work: lazy work is held while acks are pending (``AckFirst``), and a serving process is
prepared for bursts (work threads started, start-up heap frozen)."""

from __future__ import annotations

import gc
import threading
import time

from bot.runtime.executor import AckFirst, WorkExecutor, prepare_to_serve


def _pending_ack(gate: AckFirst) -> tuple[threading.Event, threading.Thread]:
    """A request whose ack stays pending until the returned event is set."""
    release = threading.Event()
    entered = threading.Event()

    def dispatch(_req):
        entered.set()
        release.wait(5)
        return "ack"

    thread = threading.Thread(target=gate.wrap_dispatch(dispatch), args=(None,))
    thread.start()
    assert entered.wait(5)
    return release, thread


def test_work_waits_for_pending_acks_and_a_quiet_moment():
    gate = AckFirst(max_defer=5.0, quiet=0.1)
    pool = WorkExecutor(gate, max_workers=4)
    release, request = _pending_ack(gate)
    ran_at: list[float] = []
    future = pool.submit(lambda: ran_at.append(time.monotonic()) or "done")
    time.sleep(0.3)
    assert not ran_at, "work started while an ack was pending"
    answered = time.monotonic()
    release.set()
    request.join(5)
    assert future.result(timeout=5) == "done"
    assert ran_at[0] - answered >= 0.1 - 0.01  # the quiet period after the last ack
    assert ran_at[0] - answered < 1.0
    pool.shutdown()


def test_a_steady_stream_of_acks_cannot_starve_work():
    gate = AckFirst(max_defer=0.3, quiet=0.05)
    pool = WorkExecutor(gate, max_workers=2)
    release, request = _pending_ack(gate)  # never answered until the end
    started = time.monotonic()
    future = pool.submit(time.monotonic)
    ran = future.result(timeout=5)
    assert 0.3 - 0.01 <= ran - started < 2.0
    release.set()
    request.join(5)
    pool.shutdown()


def test_work_runs_at_once_when_no_ack_is_pending_and_errors_reach_the_future():
    gate = AckFirst(max_defer=5.0, quiet=0.05)
    pool = WorkExecutor(gate, max_workers=2)
    time.sleep(0.06)
    started = time.monotonic()
    assert pool.submit(lambda: 42).result(timeout=5) == 42
    assert time.monotonic() - started < 0.5

    def boom():
        raise ValueError("bad")

    error = pool.submit(boom).exception(timeout=5)
    assert isinstance(error, ValueError)
    pool.shutdown()


def test_shutdown_starts_held_work():
    gate = AckFirst(max_defer=30.0, quiet=0.05)
    pool = WorkExecutor(gate, max_workers=2)
    release, request = _pending_ack(gate)
    done = threading.Event()
    pool.submit(done.set)
    pool.shutdown(wait=True)
    assert done.is_set()
    release.set()
    request.join(5)


def test_prepare_to_serve_starts_every_work_thread_and_freezes_the_heap(workspace, tmp_path):
    from bot.app import create_app
    from bot.config import load_settings
    from tests.fakeslack import BOT_TOKEN

    app = create_app(load_settings(None, slack_bot_token=BOT_TOKEN, slack_signing_secret="s", listener_threads=8,
                                   slack_api_url=workspace.base_url, database_url=f"sqlite:///{tmp_path}/r.sqlite3"))
    executor = app.listener_runner.listener_executor
    assert isinstance(executor, WorkExecutor)
    try:
        prepare_to_serve(app)
        assert len(executor._threads) == executor._max_workers
        assert gc.get_freeze_count() > 0
        # work released later does not start threads: it is handed to one already waiting
        assert executor.submit(lambda: threading.current_thread().name).result(timeout=5).startswith("recap-work")
        assert len(executor._threads) == executor._max_workers
    finally:
        gc.unfreeze()
        executor.shutdown()
