"""HTTP mode: the WSGI app and the server that runs it.

``recap run --http`` serves with Granian (Rust HTTP/1.1 and HTTP/2, the WSGI app called on a pool of
threads, ``HTTP_WORKERS`` processes on one shared socket). Each worker builds its own app with
:func:`wsgi_worker_app`, which any WSGI server can also use, e.g.
``gunicorn --threads 16 'bot.wsgi:wsgi_worker_app()'``. Settings are read when a factory is called,
never at import.
"""

from __future__ import annotations

import logging
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIServer

from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.config import Settings, load_settings, require_slack
from bot.errors import ConfigError
from bot.runtime.http_guard import VerifiedRequests, default_http_threads

__all__ = ["ThreadingWSGIServer", "create_wsgi_app", "default_http_threads", "serve",
           "wsgi_worker_app"]

logger = logging.getLogger(__name__)


def create_wsgi_app(settings: Settings | None = None, *, app: Any = None, **kwargs: Any) -> VerifiedRequests:
    """A WSGI callable serving ``/slack/events`` (and, in multi-workspace mode, ``/slack/install`` and
    ``/slack/oauth_redirect``) with the Recap Bolt app.

    Every ``POST`` goes through :class:`bot.runtime.http_guard.VerifiedRequests` first: a body over
    ``settings.http_max_body_bytes`` or without a length is refused (413) before it is read, the Slack
    signature is checked over the raw bytes (401) and a body Bolt cannot parse is refused (400); only
    then does Bolt see the request, already parsed (:meth:`VerifiedRequests.verify`). The app is built
    without Bolt's own signature check (``create_app(..., verified_upstream=True)``; Bolt's documentation of
    ``request_verification_enabled``: "If you have a proxy that verifies request signature in front of the
    Bolt app, it's totally fine to disable RequestVerification to avoid duplication of work"). The Bolt
    app is the result's ``app``.

    Args:
        settings: the settings (loaded from the environment when None).
        app: an already built Bolt app (build it with ``request_verification_enabled=False`` to skip the
            second check; one that still checks is only slower); built with :func:`bot.app.create_app`
            when None.
        **kwargs: passed to :func:`bot.app.create_app` (e.g. ``services`` in tests).

    Raises:
        ConfigError: the Slack settings are incomplete, or there is no signing secret.
    """
    from bot.app import create_app

    settings = settings or load_settings()
    require_slack(settings)
    if not settings.slack_signing_secret:
        raise ConfigError("HTTP mode needs SLACK_SIGNING_SECRET (the app's Basic Information page)")
    bolt_app = app if app is not None else create_app(settings, verified_upstream=True, **kwargs)
    flow = bolt_app.oauth_flow
    open_paths = (flow.install_path, flow.redirect_uri_path) if flow is not None else ()
    direct = None
    if settings.queue_url:
        from bot.queue.web import DirectAcks
        from handlers import DIRECT_ACKS

        direct = DirectAcks(settings, DIRECT_ACKS)
    return VerifiedRequests(SlackRequestHandler(bolt_app), signing_secret=settings.slack_signing_secret,
                            max_body_bytes=settings.http_max_body_bytes, open_paths=open_paths, direct=direct)


def wsgi_worker_app() -> VerifiedRequests:
    """The WSGI app of one server worker process: settings from the environment (and ``.env``), the app
    built and warmed up, its work threads started (none with ``QUEUE_URL``: the web tier only acks and
    enqueues) and the start-up heap frozen (:func:`bot.runtime.executor.prepare_to_serve`).

    Raises:
        ConfigError: the Slack settings are incomplete.
    """
    from bot.app import attach_digest_scheduler, build_services
    from bot.runtime.executor import prepare_to_serve

    settings = load_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    services = build_services(settings)
    wsgi = create_wsgi_app(settings, services=services)
    if not settings.queue_url:
        # Writes digest jobs to the shared job store (``/summarize digest on`` is scheduled in the same
        # request); the scheduler process (``recap run --http``'s parent or ``recap scheduler``) runs
        # them. With a queue, ``/summarize digest on`` runs on a worker, which writes the job.
        attach_digest_scheduler(services, wsgi.app, run_jobs=False)
    prepare_to_serve(wsgi.app)  # with a queue: no work threads to start, the heap is frozen
    return wsgi


def serve(settings: Settings, *, host: str = "0.0.0.0", on_startup: Any = None) -> None:
    """Serve HTTP mode on ``settings.port`` with Granian until SIGINT/SIGTERM (``recap run --http``).

    ``settings.http_workers`` worker processes (started with ``spawn``: fresh interpreters, nothing
    inherited from this one's threads) each build the app from the environment
    (:func:`wsgi_worker_app`) and answer on ``settings.http_threads`` threads (default
    :func:`default_http_threads`). Bolt's own
    ``App.start()`` is a single-threaded development server and is not used.

    Args:
        settings: checked settings; the workers read the same environment.
        host: address to bind.
        on_startup: called in this process once the socket is bound, before the workers start.
    """
    import multiprocessing

    from granian import Granian
    from granian.constants import Interfaces

    multiprocessing.set_start_method("spawn", force=True)
    server = Granian(
        "bot.wsgi:wsgi_worker_app", factory=True, interface=Interfaces.WSGI, address=host, port=settings.port,
        workers=settings.http_workers, blocking_threads=settings.http_threads or default_http_threads(), backlog=1024,
        log_level=_granian_level(settings.log_level),
    )
    if on_startup is not None:
        server.on_startup(on_startup)
    server.serve()


def _granian_level(level: str) -> Any:
    from granian.log import LogLevels

    try:
        return LogLevels(level.lower())
    except ValueError:
        return LogLevels.info


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """The standard library's WSGI server, one thread per request, with a listen backlog of 1,024 (the
    default of 5 drops connections when a burst of Slack events arrives at once). Used by the tests,
    which serve an app built in their own process; production uses :func:`serve`."""

    daemon_threads = True
    request_queue_size = 1024
