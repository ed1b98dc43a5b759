"""Recap's error tree.

::

    RecapError
     ├── ConfigError         a setting is missing or wrong (raised at start-up)
     ├── InputError          the user asked for something we cannot parse (bad permalink, period, args)
     ├── SlackAccessError    the requester or the bot may not read a conversation
     │    └── BotNotInChannel   the bot must be invited first
     ├── SlackReadError      the Web API or an export could not be read
     └── LLMError            a provider failed after the SDK's own retries

Every error carries ``user_message``: text written for the person in Slack. Raw exception text is
logged, never posted.
"""

from __future__ import annotations


class RecapError(Exception):
    """Base of every error Recap raises on purpose.

    Args:
        message: text for logs and the command line.
        user_message: text for the person in Slack; defaults to ``message``.
    """

    def __init__(self, message: str, *, user_message: str | None = None) -> None:
        super().__init__(message)
        self.user_message = user_message or message


class ConfigError(RecapError):
    """A setting is missing or has a wrong value."""


class InputError(RecapError):
    """User input (slash-command arguments, permalink, period, CLI flags) could not be understood."""


class SlackAccessError(RecapError):
    """The requesting user (or the bot) may not read the conversation asked for."""


class BotNotInChannel(SlackAccessError):
    """The bot is not a member of the channel; the user should ``/invite @Recap``."""


class SlackReadError(RecapError):
    """Reading from the Web API or from an export failed."""


class LLMError(RecapError):
    """A model provider failed (timeout, 5xx, rate limit beyond the SDK's own retries, bad output)."""
