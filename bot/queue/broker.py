"""The broker of ``QUEUE_URL`` and the messages Recap puts on it.

Two actors, both on the queue ``settings.queue_name``:

* ``recap_lazy`` — one lazy listener of one Slack request: ``{job_id, lazy_function_name, body, headers,
  claim_key, team_id, enqueued_at}`` (``body`` is the parsed request body as Bolt holds it);
* ``recap_digest`` — one scheduled digest: ``{job_id, kind ("channel"/"org"), team_id, target, due}``.

The web tier and the scheduler only send (:func:`enqueue_lazy`, :func:`enqueue_digest`); workers
declare the actors with their functions (:func:`declare_actors`). Messages are acknowledged to the
broker only after the actor returns (Dramatiq's consumers ack in ``post_process_message``), so a
worker killed mid-job leaves its message unacknowledged: RabbitMQ redelivers it as soon as the
worker's connection drops; Dramatiq's Redis broker moves it back to the queue once the dead worker
misses its heartbeats for ``heartbeat_timeout`` (here twice ``queue_lease_seconds``).
Source: https://dramatiq.io/guide.html and the brokers' docstrings in ``dramatiq/brokers``.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import dramatiq
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import AgeLimit, CurrentMessage, Retries, ShutdownNotifications, TimeLimit

from bot.config import Settings
from bot.runtime.http_guard import default_http_threads

LAZY_ACTOR = "recap_lazy"
DIGEST_ACTOR = "recap_digest"
TIME_LIMIT_SECONDS = 15 * 60
"""Longest one job may run before Dramatiq interrupts it (a summary with a slow model takes a minute or two)."""
MIN_BACKOFF_MS = 2_000
"""First retry after a failure waits about this long (doubling up to Dramatiq's maximum)."""
REDIS_MAINTENANCE_CHANCE = 20_000
"""Out of a million Redis commands, how many also requeue dead workers' messages (Dramatiq's default,
1,000, can leave a SIGKILLed worker's job waiting minutes on a quiet queue)."""

_lock = threading.Lock()
_brokers: dict[tuple[str, str, float], dramatiq.Broker] = {}


def make_broker(settings: Settings) -> dramatiq.Broker:
    """The broker of ``settings.queue_url`` (one per process and URL; also Dramatiq's global broker).

    Middleware: age limit, a time limit of :data:`TIME_LIMIT_SECONDS`, shutdown notifications,
    retries (``queue_max_attempts`` + 10 at most: the attempts that count are kept in the job's claim
    row, see :meth:`bot.storage.store.Store.claim_job`) and the current message.

    Raises:
        ValueError: ``queue_url`` is empty or of an unknown scheme.
    """
    url = settings.queue_url or ""
    key = (url, settings.queue_name, settings.queue_lease_seconds)
    with _lock:
        broker = _brokers.get(key)
        if broker is not None:
            return broker
        middleware = [AgeLimit(), TimeLimit(time_limit=TIME_LIMIT_SECONDS * 1000), ShutdownNotifications(),
                      Retries(max_retries=settings.queue_max_attempts + 10, min_backoff=MIN_BACKOFF_MS),
                      CurrentMessage()]
        if url.startswith(("redis://", "rediss://", "unix://")):
            broker = RedisBroker(url=url, middleware=middleware, namespace=f"dramatiq-{settings.queue_name}",
                                 heartbeat_timeout=int(settings.queue_lease_seconds * 2000),
                                 maintenance_chance=REDIS_MAINTENANCE_CHANCE)
        elif url.startswith(("amqp://", "amqps://")):
            broker = RabbitmqBroker(url=url, middleware=middleware, confirm_delivery=True)
        else:
            raise ValueError(f"QUEUE_URL must be redis://… or amqp://…, not {url!r}")
        dramatiq.set_broker(broker)
        _brokers[key] = broker
        return broker


def declare_actors(broker: dramatiq.Broker, settings: Settings, *, lazy: Callable[..., Any] | None = None,
                   digest: Callable[..., Any] | None = None) -> dict[str, dramatiq.Actor]:
    """Declare Recap's two actors on ``broker`` (queue ``settings.queue_name``), with ``lazy`` and
    ``digest`` as their functions (workers) or placeholders that refuse to run here (senders).

    Returns:
        ``{actor name: dramatiq.Actor}``.
    """
    def not_here(**_: Any) -> None:
        raise RuntimeError("this process only sends jobs; run them with `recap worker`")

    actors = {}
    with _lock:
        for name, fn in ((LAZY_ACTOR, lazy), (DIGEST_ACTOR, digest)):
            existing = broker.actors.get(name)
            if existing is None:
                existing = dramatiq.Actor(fn or not_here, broker=broker, actor_name=name,
                                          queue_name=settings.queue_name, priority=0, options={})
            elif fn is not None:
                existing.fn = fn
            actors[name] = existing
    return actors


def warm_up(settings: Settings, *, connections: int | None = None) -> None:
    """Connect to the broker and declare the actors before the first request (web tier start-up):
    done by the first enqueue of a burst, the connection, the queue declaration and (Redis) loading
    Dramatiq's Lua scripts held up every ack behind it.

    Redis: ``connections`` connections are opened and left in the client's pool (default: one per
    HTTP thread, ``settings.http_threads`` or :func:`bot.runtime.http_guard.default_http_threads`),
    since each thread answering a burst takes its own connection, and a connection made in the burst
    costs a TCP handshake and redis-py's ``CLIENT SETINFO`` round trips on the ack path.

    Raises:
        dramatiq.errors.ConnectionError: the broker is unreachable.
    """
    broker = make_broker(settings)
    declare_actors(broker, settings)
    if isinstance(broker, RedisBroker):
        broker.do_qsize(settings.queue_name)  # opens a connection, loads the dispatch script and its stack size
        wanted = connections if connections is not None else settings.http_threads or default_http_threads()
        pool = broker.client.connection_pool
        held = [pool.get_connection() for _ in range(max(0, wanted))]  # each one connected (redis-py's pool)
        for connection in held:
            pool.release(connection)
    elif isinstance(broker, RabbitmqBroker):
        broker.declare_queue(settings.queue_name, ensure=True)  # connects and declares it on the server


def _send(settings: Settings, actor_name: str, kwargs: dict[str, Any]) -> str:
    broker = make_broker(settings)
    actor = declare_actors(broker, settings)[actor_name]
    actor.send_with_options(kwargs=kwargs)
    return str(kwargs["job_id"])


def enqueue_lazy(settings: Settings, *, lazy_function_name: str, body: dict[str, Any], headers: dict[str, str],
                 claim_key: str | None, team_id: str) -> str:
    """Send one lazy listener's job; returns its ``job_id`` (a new UUID).

    Args:
        claim_key: the request's duplicate key (:func:`bot.runtime.middleware.claim_key`), claimed by
            the worker; None for a request without one (the job id is claimed instead).

    Raises:
        dramatiq.errors.ConnectionError: the broker is unreachable (the web tier then answers Slack
            with an error, so Slack retries an event instead of it being lost).
    """
    return _send(settings, LAZY_ACTOR, {
        "job_id": uuid.uuid4().hex, "lazy_function_name": lazy_function_name, "body": body, "headers": headers,
        "claim_key": claim_key, "team_id": team_id, "enqueued_at": time.time()})


def enqueue_digest(settings: Settings, *, kind: str, team_id: str, target: str, due: float) -> str:
    """Send one scheduled digest's job (``kind`` ``channel`` or ``org``; ``target`` the channel ID or
    the org's id; ``due`` Unix seconds, the run's "now"); returns its ``job_id``.

    Raises:
        dramatiq.errors.ConnectionError: the broker is unreachable.
    """
    return _send(settings, DIGEST_ACTOR, {"job_id": uuid.uuid4().hex, "kind": kind, "team_id": team_id,
                                          "target": str(target), "due": due})
