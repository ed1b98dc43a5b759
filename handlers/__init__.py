"""Thin Bolt listeners: parse the payload, ack at once, hand the work to a service in ``bot.summaries.service``.

Each module exposes ``register(app, services)``; :func:`bot.app.create_app` calls them all.
"""

from slack_bolt import Ack

from bot import strings
from bot.queue.web import DirectAck


def just_ack(ack: Ack) -> None:
    """Acknowledge at once with an empty 200; the work runs in the listener's lazy function."""
    ack()


DIRECT_ACKS = (
    DirectAck(event_type="app_mention", lazy_function_name="answer"),  # handlers.mentions
    DirectAck(command="/summarize", lazy_function_name="answer", text=strings.WORKING_COMMAND),  # handlers.commands
)
"""The listeners a queue's web tier acks and enqueues without Bolt's dispatch (:class:`bot.queue.web.DirectAcks`):
each acks with a constant and hands one lazy function to the worker. ``tests/test_direct_acks.py`` checks that
each gives the response and the job Bolt's own path gives."""
