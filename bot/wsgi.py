"""WSGI entry point for HTTP mode in production, e.g. ``gunicorn --threads 32 'bot.wsgi:create_wsgi_app()'``.

Settings are read when the factory is called, never at import.
"""

from __future__ import annotations

from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.config import Settings, load_settings, require_slack


def create_wsgi_app(settings: Settings | None = None, *, app: Any = None, **kwargs: Any) -> SlackRequestHandler:
    """A WSGI callable serving ``/slack/events`` (and, in multi-workspace mode, ``/slack/install`` and
    ``/slack/oauth_redirect``) with the Recap Bolt app.

    Args:
        settings: the settings (loaded from the environment when None).
        app: an already built Bolt app; built with :func:`bot.app.create_app` when None.
        **kwargs: passed to :func:`bot.app.create_app` (e.g. ``services`` in tests).

    Raises:
        ConfigError: the Slack settings are incomplete.
    """
    from bot.app import create_app

    settings = settings or load_settings()
    require_slack(settings)
    return SlackRequestHandler(app if app is not None else create_app(settings, **kwargs))


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """The standard library's WSGI server, one thread per request, with a listen backlog of 1,024 (the
    default of 5 drops connections when a burst of Slack events arrives at once; the client then waits
    for a SYN retry, a second or more)."""

    daemon_threads = True
    request_queue_size = 1024


class _LoggingHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        import logging

        logging.getLogger("recap.http").debug(format, *args)


def serve(settings: Settings, *, host: str = "0.0.0.0", **kwargs: Any) -> None:
    """Serve the app over HTTP on ``settings.port`` until interrupted (``recap run --http``).

    Bolt's own ``App.start()`` is a single-threaded development server; this one answers requests in
    parallel so an ack never waits for another request. For more cores, run several processes behind
    a WSGI server such as gunicorn with :func:`create_wsgi_app` (duplicate events are dropped across
    processes through the database).
    """
    server = make_server(host, settings.port, create_wsgi_app(settings, **kwargs),  # app= or services=
                         server_class=ThreadingWSGIServer, handler_class=_LoggingHandler)
    try:
        server.serve_forever()
    finally:
        server.server_close()
