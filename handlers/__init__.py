"""Thin Bolt listeners: parse the payload, ack at once, hand the work to a service in ``bot.summaries.service``.

Each module exposes ``register(app, services)``; :func:`bot.app.create_app` calls them all.
"""

from slack_bolt import Ack


def just_ack(ack: Ack) -> None:
    """Acknowledge at once with an empty 200; the work runs in the listener's lazy function."""
    ack()
