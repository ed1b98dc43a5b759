"""The web tier with a broker: each lazy listener becomes one message on the queue.

Bolt's documented seam for running lazy listeners elsewhere (its AWS Lambda adapter does the same,
``slack_bolt/adapter/aws_lambda/lazy_listener_runner.py``): the listener runner calls
``lazy_listener_runner.start(function, request)`` with a copy of the request whose
``lazy_function_name`` names the function; the worker re-dispatches that request with
``x-slack-bolt-lazy-only`` so only that function runs (``slack_bolt/listener/thread_runner.py``).
Source: https://docs.slack.dev/tools/bolt-python/concepts/lazy-listeners

The web tier never touches the database for an ack: the duplicate key is computed here and claimed
by the worker (:meth:`bot.storage.store.Store.claim_job`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App, BoltRequest
from slack_bolt.lazy_listener import LazyListenerRunner
from slack_bolt.listener.thread_runner import ThreadListenerRunner

from bot.config import Settings
from bot.queue.broker import enqueue_lazy
from bot.runtime.middleware import claim_key

logger = logging.getLogger(__name__)

FORWARDED_HEADERS = ("x-slack-retry-num", "x-slack-retry-reason")
"""Request headers a worker's listener may read; the signature headers stay behind (the worker trusts
the queue, not a signature that expires after 5 minutes)."""


class EnqueueingListenerRunner(ThreadListenerRunner):
    """Bolt's thread listener runner, except that the request handed to a lazy listener is a light one:
    the body and headers only (all a queue message carries), not Bolt's deep copy of the whole request
    context (its clients, say/respond utilities and loggers), which cost more than the rest of the ack
    together (~0.5 ms of CPU per request, measured with cProfile over 100 mentions).

    It overrides ``_build_lazy_request`` of ``slack_bolt.listener.thread_runner.ThreadListenerRunner``
    (Bolt 1.x); :func:`install` swaps it in for an app's runner, keeping every setting.
    """

    def _build_lazy_request(self, request: BoltRequest, lazy_func_name: str) -> BoltRequest:
        light = BoltRequest(body=request.body, headers=dict(request.headers), mode="socket_mode")
        light.lazy_only = True
        light.lazy_function_name = lazy_func_name
        return light


def install(app: App, settings: Settings) -> None:
    """Make ``app`` enqueue its lazy listeners: Bolt's listener runner becomes an
    :class:`EnqueueingListenerRunner` (same settings) whose lazy runner is a :class:`QueueLazyListenerRunner`."""
    old = app.listener_runner
    app._listener_runner = EnqueueingListenerRunner(  # noqa: SLF001 - Bolt has no public setter for it
        logger=old.logger, process_before_response=old.process_before_response,
        listener_error_handler=old.listener_error_handler, listener_start_handler=old.listener_start_handler,
        listener_completion_handler=old.listener_completion_handler, listener_executor=old.listener_executor,
        lazy_listener_runner=QueueLazyListenerRunner(settings))


class QueueLazyListenerRunner(LazyListenerRunner):
    """``start()`` enqueues the lazy listener as a job (:func:`bot.queue.broker.enqueue_lazy`).

    An enqueue that fails raises: Bolt then answers Slack with an error status, so Slack retries an
    event (and a person sees their command fail) instead of the request being acknowledged and lost.

    Args:
        settings: ``queue_url`` and ``queue_name``.
    """

    def __init__(self, settings: Settings, logger: logging.Logger = logger) -> None:
        self.settings = settings
        self.logger = logger

    def start(self, function: Callable[..., None], request: BoltRequest) -> None:
        """Enqueue ``request.lazy_function_name`` for ``request`` (a copy Bolt made for this function)."""
        name = str(request.lazy_function_name or getattr(function, "__name__", ""))
        claim = claim_key(request)
        team_id = claim[1] if claim else str(request.context.team_id or request.body.get("team_id") or "")
        headers = {h: request.headers[h][0] for h in FORWARDED_HEADERS if request.headers.get(h)}
        job_id = enqueue_lazy(self.settings, lazy_function_name=name, body=request.body, headers=headers,
                              claim_key=claim[0] if claim else None, team_id=team_id)
        self.logger.debug("enqueued %s as job %s", name, job_id)
