"""Acks first: the lazy-listener executor that holds work back while acks are pending.

Acks never wait for work (measured by ``bench/load_bench.py``, see ``docs/benchmarks.md``). With
``process_before_response=False`` Bolt runs each ``ack()`` on its ``listener_executor``, the same pool
as the lazy listeners, and polls for it every 10 ms: a burst of slow model calls fills every thread
and later acks wait past Slack's 3 seconds. Recap's ack functions do no I/O, so they run in the
request's own thread (``process_before_response=True``: the ack function only, the lazy listeners
still run afterwards on the executor), and lazy work yields to pending acks (:class:`AckFirst`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse

logger = logging.getLogger(__name__)


class AckFirst:
    """Holds lazy work back while acks are pending, so a burst of requests is acknowledged first.

    With CPython's GIL, 100 lazy listeners starting their (CPU-bound) reading and prompt building
    while 100 acks are pending share one core round-robin, and every ack waits for all of them. So
    work submitted to the listener executor is held here and released by one thread once no ack is
    pending and none has been for ``quiet`` seconds (the requests of a burst arrive a little apart),
    or once it has waited ``max_defer`` seconds, so a steady stream of requests cannot starve it.
    Holding the work, rather than parking a pool thread per task, keeps thread start-up and wake-ups
    out of the burst too (each costs the GIL: measured in ``bench/load_bench.py``).

    Args:
        max_defer: longest hold of a task, seconds.
        quiet: how long no ack must have been pending before held work is released, seconds.
    """

    def __init__(self, *, max_defer: float = 1.0, quiet: float = 0.05) -> None:
        self.max_defer = max_defer
        self.quiet = quiet
        self.pending = 0
        self.last_ack = 0.0  # monotonic seconds when the last pending ack was answered
        self._held: deque[tuple[float, Callable[[], Any]]] = deque()
        self._cond = threading.Condition()
        self._releaser: threading.Thread | None = None

    def wrap_dispatch(self, dispatch: Any) -> Any:
        """``App.dispatch`` counted: pending from entry until the ack response is returned."""

        def counted(req: BoltRequest) -> BoltResponse:
            with self._cond:
                self.pending += 1
            try:
                return dispatch(req)
            finally:
                with self._cond:
                    self.pending -= 1
                    self.last_ack = time.monotonic()
                    if not self.pending and self._held:
                        self._cond.notify()

        return counted

    def hold(self, release: Callable[[], Any]) -> None:
        """Call ``release()`` (e.g. a pool submit) from the releaser thread when acks are done."""
        with self._cond:
            self._held.append((time.monotonic(), release))
            if self._releaser is None:
                self._releaser = threading.Thread(target=self._release_loop, name="recap-ack-first", daemon=True)
                self._releaser.start()
            self._cond.notify()

    def flush(self) -> None:
        """Release everything held now (shutdown)."""
        with self._cond:
            ready = [release for _, release in self._held]
            self._held.clear()
        for release in ready:
            release()

    def _due(self, now: float) -> tuple[list[Callable[[], Any]], float | None]:
        """Tasks to release now and how long to wait for the next check (None: until notified)."""
        if not self._held:
            return [], None
        if not self.pending and now - self.last_ack >= self.quiet:
            ready = [release for _, release in self._held]
            self._held.clear()
            return ready, None
        ready = []
        while self._held and now - self._held[0][0] >= self.max_defer:
            ready.append(self._held.popleft()[1])
        waits = [self._held[0][0] + self.max_defer - now] if self._held else []
        if not self.pending:
            waits.append(self.last_ack + self.quiet - now)
        return ready, max(0.001, min(waits)) if waits else None

    def _release_loop(self) -> None:
        while True:
            with self._cond:
                ready, timeout = self._due(time.monotonic())
                if not ready:
                    self._cond.wait(timeout)
                    continue
            for release in ready:
                try:
                    release()
                except Exception:  # e.g. the pool was shut down; nothing else to do with the task
                    logger.exception("could not start held work")


class WorkExecutor(ThreadPoolExecutor):
    """The lazy-listener executor: tasks start once pending acks are answered (:class:`AckFirst`)."""

    def __init__(self, gate: AckFirst, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gate = gate

    def submit(self, fn, /, *args, **kwargs) -> Future:  # noqa: ANN001 - Executor's signature
        outer: Future = Future()

        def call() -> None:
            if not outer.set_running_or_notify_cancel():
                return
            try:
                outer.set_result(fn(*args, **kwargs))
            except BaseException as exc:  # noqa: BLE001 - handed to the future, as the pool does
                outer.set_exception(exc)

        self.gate.hold(lambda: super(WorkExecutor, self).submit(call))
        return outer

    def prestart(self) -> int:
        """Start every worker thread now, idle until work arrives; returns how many run.

        :class:`ThreadPoolExecutor` starts a thread per submit until ``max_workers``, and
        ``Thread.start()`` waits for the new thread to run: with 100 tasks released at once into a busy
        process, the last tasks started seconds late (their ``:eyes:`` too). Prestarted, releasing a
        task is a queue put.
        """
        barrier = threading.Barrier(self._max_workers + 1)
        started = [super(WorkExecutor, self).submit(barrier.wait) for _ in range(self._max_workers)]
        barrier.wait()
        for future in started:
            future.result()
        return len(self._threads)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Start what is held, then shut the pool down as :class:`ThreadPoolExecutor` does."""
        self.gate.flush()
        super().shutdown(wait=wait, cancel_futures=cancel_futures)


def prepare_to_serve(app: App) -> None:
    """Make a serving process ready for bursts: start the work threads (:meth:`WorkExecutor.prestart`)
    and freeze the start-up heap (:func:`freeze_heap`). Call once per process, after
    :func:`create_app`, in processes that serve Slack (not in tests that build many apps)."""
    executor = app.listener_runner.listener_executor
    if isinstance(executor, WorkExecutor):
        executor.prestart()
    freeze_heap()


def freeze_heap() -> None:
    """Move every object alive now out of the garbage collector's reach (``gc.freeze()``).

    Call once in a serving process after the app is built and warmed up. The warm-up leaves ~430,000
    long-lived objects (scikit-learn, SciPy, NLTK); a full collection walks them all while holding
    the GIL, and one landing in a burst of requests held every ack for ~180 ms (measured with
    ``bench/load_bench.py``). Frozen objects are never collected, so this is for start-up objects
    only. Source: Python's ``gc.freeze`` documentation (frozen objects move to a permanent generation
    that every later collection ignores).
    """
    import gc

    gc.collect()
    gc.freeze()
