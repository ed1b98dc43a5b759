"""The reader interface: how Recap gets messages, whatever the source.

Two implementations: :class:`bot.slack.webapi.WebAPIReader` (the Slack Web API) and
:class:`bot.slack.export.ExportReader` (a Slack workspace export folder or ``.zip``).
"""

from __future__ import annotations

from typing import Protocol

from bot.models import Channel, Message


class Reader(Protocol):
    """Reads conversations into :class:`~bot.models.Message` records.

    Noise is dropped by every reader: joins/leaves, channel topic/purpose changes and other
    system subtypes. Bot messages are kept with ``is_bot=True`` (digests count them) and callers
    that summarize people's words filter them out. Mentions ``<@U…>``/``<#C…>`` are resolved.
    Messages are returned oldest first.
    """

    def channel(self, channel: str) -> Channel:
        """Look up a channel by ID (or, for exports, by name). Raises SlackReadError if unknown."""
        ...

    def thread(self, channel_id: str, thread_ts: str) -> list[Message]:
        """The parent and every reply of one thread, oldest first. Raises SlackReadError."""
        ...

    def history(
        self, channel_id: str, *, oldest: float, latest: float, include_replies: bool = True
    ) -> list[Message]:
        """Messages posted in ``[oldest, latest)`` (Unix seconds), oldest first.

        With ``include_replies`` the replies of threads active in the window are included too
        (replies posted in the window, whatever the parent's age). Raises SlackReadError.
        """
        ...

    def permalink(self, channel_id: str, ts: str, thread_ts: str | None = None) -> str:
        """A permalink to one message (built locally, no API call)."""
        ...
