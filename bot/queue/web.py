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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.context.ack import Ack
from slack_bolt.lazy_listener import LazyListenerRunner
from slack_bolt.listener.thread_runner import ThreadListenerRunner
from slack_bolt.request.internals import extract_team_id, parse_body

from bot.config import Settings
from bot.queue.broker import enqueue_lazy
from bot.runtime.http_guard import slack_shaped
from bot.runtime.middleware import claim_key, claim_key_of

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


@dataclass(frozen=True)
class DirectAck:
    """A request kind the web tier of a queue acknowledges and enqueues without Bolt's dispatch.

    Only for listeners whose ack is a constant (``handlers.just_ack``, or ``ack(text=…)`` with a fixed
    text) and whose work is one lazy function: the worker dispatches the job through the full Bolt app
    (authorization, self-event filtering, listener matching), exactly as it does a job Bolt enqueued, so
    skipping Bolt here changes nothing but the CPU an ack costs.

    Attributes:
        lazy_function_name: the listener's lazy function (Bolt's ``x-slack-bolt-lazy-function-name``).
        event_type: an Events API ``event.type`` (``app_mention``), or None.
        command: a slash command (``/summarize``), or None.
        text: the ack's text (a command's sign of life); None for an empty 200.
    """

    lazy_function_name: str
    event_type: str | None = None
    command: str | None = None
    text: str | None = None


class DirectAcks:
    """The web tier's fast lane (:class:`bot.runtime.http_guard.VerifiedRequests` calls it with each
    signed request to the events path before building Bolt's request): a request of a
    :class:`DirectAck` kind is answered with the response Bolt's ack would give (built by Bolt's own
    :class:`slack_bolt.context.ack.Ack`) and enqueued with the very message Bolt's path would send
    (same ``lazy_function_name``, parsed ``body``, forwarded headers, ``claim_key`` and ``team_id``;
    ``tests/test_direct_acks.py`` compares the two). Anything else returns None and goes to Bolt.

    Why: Bolt's dispatch (context, middleware chain, listener matching, kwargs injection, the light
    request copy) was about half of an ack's CPU (in-process, 0.63–0.70 ms an ack before, 0.31–0.40 ms
    after; the rest is the enqueue), and the web tier's ack p99 is measured against a bare server
    (``bench/load_bench.py --baseline``, ``docs/queue.md``).

    Args:
        settings: ``queue_url`` and ``queue_name``.
        routes: the request kinds (``handlers.DIRECT_ACKS``).
        enqueue: sends one job (tests swap it); :func:`bot.queue.broker.enqueue_lazy` by default.

    ``__call__`` never raises: when the broker is unreachable it answers 500 (logged), as Bolt's path
    does, so Slack retries an event and a person sees their command fail instead of it being lost.
    """

    def __init__(self, settings: Settings, routes: Iterable[DirectAck],
                 enqueue: Callable[..., str] = enqueue_lazy) -> None:
        self.settings = settings
        self.enqueue = enqueue
        self.events: dict[str, DirectAck] = {r.event_type: r for r in routes if r.event_type}
        self.commands: dict[str, DirectAck] = {r.command: r for r in routes if r.command}
        self._markers = tuple({*(f'"{t}"'.encode() for t in self.events),
                               *(("command=" + quote(c, safe="")).encode() for c in self.commands)})

    def __call__(self, raw_body: bytes, environ: Mapping[str, Any]) -> BoltResponse | None:
        """The ack for a signed request of a direct kind (after enqueueing its job), else None."""
        if not any(marker in raw_body for marker in self._markers):  # most requests: one scan, no parse
            return None
        try:
            body = parse_body(raw_body.decode("utf-8"), _content_type(environ))
        except Exception:  # noqa: BLE001 - Bolt's path refuses it with a clear 400
            return None
        if not isinstance(body, dict) or not slack_shaped(body):
            return None
        route = None
        if body.get("type") == "event_callback":
            route = self.events.get(str(body["event"].get("type")))
        elif isinstance(body.get("command"), str) and "trigger_id" in body:
            route = self.commands.get(body["command"])
        if route is None:
            return None
        signature = str(environ.get("HTTP_X_SLACK_SIGNATURE") or "")
        team_id = extract_team_id(body)
        claim = claim_key_of(body, signature=signature, team_id=team_id)
        headers = {h: str(environ[k]) for h, k in _FORWARDED_ENVIRON.items() if environ.get(k)}
        try:
            job_id = self.enqueue(self.settings, lazy_function_name=route.lazy_function_name, body=body,
                                  headers=headers, claim_key=claim[0] if claim else None,
                                  team_id=claim[1] if claim else str(team_id or ""))
        except Exception:
            # Bolt's path answers 500 too: Slack retries an event, a person sees the command fail.
            logger.exception("could not enqueue %s", route.lazy_function_name)
            return BoltResponse(status=500, body="")
        logger.debug("enqueued %s as job %s (direct)", route.lazy_function_name, job_id)
        return Ack()(text=route.text) if route.text is not None else Ack()()


_FORWARDED_ENVIRON = {h: "HTTP_" + h.upper().replace("-", "_") for h in FORWARDED_HEADERS}


def _content_type(environ: Mapping[str, Any]) -> str | None:
    """The request's media type as Bolt reads it (``extract_content_type``: before any ``;``)."""
    value = environ.get("CONTENT_TYPE")
    return str(value).split(";")[0] if value else None
