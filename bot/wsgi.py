"""WSGI entry point for HTTP mode in production, e.g. ``gunicorn --threads 32 'bot.wsgi:create_wsgi_app()'``.

Settings are read when the factory is called, never at import.
"""

from __future__ import annotations

from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.config import Settings, load_settings, require_slack


def create_wsgi_app(settings: Settings | None = None, **kwargs) -> SlackRequestHandler:
    """A WSGI callable serving ``/slack/events`` with the Recap Bolt app.

    Args:
        settings: the settings (loaded from the environment when None).
        **kwargs: passed to :func:`bot.app.create_app` (e.g. ``services`` in tests).

    Raises:
        ConfigError: the Slack settings are incomplete.
    """
    from bot.app import create_app

    settings = settings or load_settings()
    require_slack(settings)
    return SlackRequestHandler(create_app(settings, **kwargs))
