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
logged, never posted. :func:`answer_errors` is the one boundary that turns a failure into a kind reply.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bot import strings

logger = logging.getLogger(__name__)


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


@contextmanager
def answer_errors(reply: Callable[[str], object], *, what: str) -> Iterator[None]:
    """The error boundary of every Slack surface: a failure inside becomes one kind reply, never silence
    and never a raw exception.

    A :class:`RecapError` is logged at INFO and answered with its ``user_message``; any other exception is
    logged with its traceback and answered with :data:`bot.strings.GENERIC_ERROR`. The exception does not
    propagate (Bolt must never see it); an exception raised by ``reply`` itself does.

    Args:
        reply: shows a text to the person (``respond``, a post, a ``chat.update`` of a placeholder, a print).
        what: names the request in the log, e.g. ``"/summarize by U123"``.

    Example::

        with answer_errors(lambda text: respond(text=text, response_type="ephemeral"), what="/summarize"):
            ...
    """
    try:
        yield
    except RecapError as exc:
        logger.info("%s: %s", what, exc)
        reply(exc.user_message)
    except Exception:
        logger.exception("%s failed", what)
        reply(strings.GENERIC_ERROR)
