"""``/summarize digest …``: registers the digest subcommand handler (thin; the work is in bot.digests.service).

The scheduler is not started here: ``recap run`` calls :func:`bot.digests.scheduler.start_scheduler`.
"""

from __future__ import annotations

from typing import Any

from bot.digests.service import handle_digest_command


def register(app: Any, services: Any) -> None:
    """Register the ``digest`` subcommand on ``services.subcommands`` (``app`` is unused: the
    ``/summarize`` listener dispatches to it lazily, after ``ack()``)."""
    services.subcommands["digest"] = handle_digest_command
