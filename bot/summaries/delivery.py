"""Private answers that reach the person even when Slack's ``response_url`` fails.

A slash command, a shortcut or a button answers through its ``response_url`` (Bolt's ``respond``). When
that URL answers 500, 429 or 404 (expired, or used more than five times), or does not answer in time,
:class:`PrivateReply` shows the same message with ``chat.postEphemeral`` in the channel, else in the
person's DM with Recap (``chat.postMessage`` to the user ID; both need only ``chat:write``), so
``/summarize`` never stays on "Working on it…". Nothing falls back to a message others could see: an
``in_channel`` response that fails is reported to the caller (:class:`ResponseUrlFailed`).

Sources: https://docs.slack.dev/interactivity/handling-user-interaction (``response_url``: up to five
uses within 30 minutes), https://docs.slack.dev/reference/methods/chat.postEphemeral,
https://docs.slack.dev/reference/methods/chat.postMessage (a user ID as ``channel`` posts in the app's DM).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.webhook import WebhookClient

from bot import strings
from bot.services import Respond
from bot.slack.text import mrkdwn_object

logger = logging.getLogger(__name__)

RESPONSE_URL_TIMEOUT = 10.0
"""Seconds to wait for a ``response_url`` before showing the answer another way."""


class ResponseUrlFailed(Exception):
    """A post to a ``response_url`` failed: ``status`` is the HTTP status (0 when there was no answer)."""

    def __init__(self, status: int, detail: str = "") -> None:
        super().__init__(f"response_url answered {status or 'nothing'} {detail}".strip())
        self.status = status
        self.detail = detail


def send_response(respond: Respond | None, *, url: str | None = None, timeout: float | None = None,
                  **message: Any) -> None:
    """Post ``message`` to a ``response_url``: ``url``, else ``respond``'s (Bolt's ``respond``), else call
    ``respond`` (any callable taking the same keywords: a test double, the CLI).

    The post is made here, through :class:`slack_sdk.webhook.WebhookClient` with a ``timeout`` of its own
    (seconds; :data:`RESPONSE_URL_TIMEOUT` by default, where Bolt's waits 30 s), so the status can be checked.

    Raises:
        ResponseUrlFailed: the URL answered a status other than 200, or nothing (timeout, refused), or
            there is no URL and no ``respond``.
    """
    url = url or getattr(respond, "response_url", None)
    if not isinstance(url, str) or not url:
        if respond is None:
            raise ResponseUrlFailed(0, "no response_url")
        respond(**{k: v for k, v in message.items() if v is not None})  # it reports its own failures
        return
    seconds = RESPONSE_URL_TIMEOUT if timeout is None else timeout
    client = WebhookClient(url, timeout=max(1, round(seconds)), proxy=getattr(respond, "proxy", None),
                           ssl=getattr(respond, "ssl", None))  # Bolt's Respond carries its proxy / TLS settings
    try:
        answer = client.send_dict({k: v for k, v in message.items() if v is not None})
    except (OSError, SlackClientError) as exc:  # timeout, connection refused or reset
        raise ResponseUrlFailed(0, type(exc).__name__) from exc
    if answer.status_code != 200:
        raise ResponseUrlFailed(answer.status_code, str(answer.body)[:100])


class PrivateReply:
    """``respond`` for private answers, with a fallback when the ``response_url`` fails.

    Called like Bolt's ``respond``. Ephemeral messages (the default ``response_type``) that the
    ``response_url`` refuses are shown with ``chat.postEphemeral`` in ``channel_id`` (in ``thread_ts``),
    else in the person's DM; once the URL has failed, later messages of the same answer take the
    fallback directly, so chunks stay in order. ``delete_original`` is best effort (logged when it fails).
    ``in_channel`` messages never fall back: their failure raises :class:`ResponseUrlFailed`.

    Args:
        respond: Bolt's ``respond`` for the request (None: only ``response_url``, or only the fallbacks).
        client: the workspace's Web API client (for the fallbacks).
        channel_id: where the person asked; user_id: the person.
        thread_ts: the thread for the ephemeral fallback, if any.
        response_url: the URL to answer through when there is no ``respond`` (e.g. from a request body).
    """

    def __init__(self, respond: Respond | None, *, client: WebClient, channel_id: str, user_id: str,
                 thread_ts: str | None = None, response_url: str | None = None) -> None:
        self.respond = respond
        self.url = response_url
        self.client = client
        self.channel_id = channel_id
        self.user_id = user_id
        self.thread_ts = thread_ts
        self.failed: ResponseUrlFailed | None = None
        self.via: str = "response_url"
        """How the last message reached the person: ``response_url``, ``ephemeral``, ``dm`` or ``none``."""

    @property
    def response_url(self) -> str | None:
        """The underlying ``response_url`` (so a :class:`PrivateReply` can be wrapped again)."""
        url = self.url or getattr(self.respond, "response_url", None)
        return url if isinstance(url, str) else None

    def __call__(self, text: str = "", blocks: Sequence[Any] | None = None, *, response_type: str | None = None,
                 replace_original: bool | None = None, delete_original: bool | None = None,
                 **extra: Any) -> bool:
        """Show a message (see the class docstring). Returns False when no way reached the person (logged).

        Raises:
            ResponseUrlFailed: an ``in_channel`` message could not be posted.
        """
        if blocks is not None:  # Block Kit objects (slack_sdk.models.blocks) as dicts, as Bolt's respond does
            blocks = [b.to_dict() if hasattr(b, "to_dict") else b for b in blocks]
        message = {"text": text, "blocks": list(blocks) if blocks is not None else None,
                   "response_type": response_type, "replace_original": replace_original,
                   "delete_original": delete_original, **extra}
        if delete_original:
            try:
                send_response(self.respond, url=self.url, delete_original=True)
            except ResponseUrlFailed as exc:
                logger.info("could not delete the original message of %s: %s", self.user_id, exc)
            return True
        if response_type == "in_channel":
            send_response(self.respond, url=self.url, **message)
            return True
        if self.failed is None:
            try:
                send_response(self.respond, url=self.url, **message)
                self.via = "response_url"
                return True
            except ResponseUrlFailed as exc:
                logger.warning("response_url for %s failed (%s); answering by ephemeral message or DM", self.user_id,
                               exc)
                self.failed = exc
        return self._fallback(text, blocks)

    def _fallback(self, text: str, blocks: Sequence[Any] | None) -> bool:
        kwargs: dict[str, Any] = {"text": text or strings.PRIVATE_FALLBACK_TEXT}
        if blocks:
            kwargs["blocks"] = list(blocks)
        try:
            self.client.chat_postEphemeral(channel=self.channel_id, user=self.user_id, thread_ts=self.thread_ts,
                                           **kwargs)
            self.via = "ephemeral"
            return True
        except (SlackApiError, SlackClientError, OSError) as exc:
            logger.info("ephemeral fallback for %s in %s refused: %s", self.user_id, self.channel_id, _error(exc))
        try:
            # In the DM a copy only: buttons such as "Share to channel" would act on the DM, not the channel.
            intro = strings.PRIVATE_FALLBACK_DM.format(channel_id=self.channel_id)
            kept = [b for b in kwargs.get("blocks", []) if b.get("type") != "actions"]
            dm: dict[str, Any] = {"text": f"{intro}\n\n{kwargs['text']}"}
            if kept:
                dm["blocks"] = [{"type": "context", "elements": [mrkdwn_object(intro)]}, *kept][:50]
            self.client.chat_postMessage(channel=self.user_id, unfurl_links=False, unfurl_media=False, **dm)
            self.via = "dm"
            return True
        except (SlackApiError, SlackClientError, OSError) as exc:
            logger.warning("could not reach %s by response_url, ephemeral or DM: %s", self.user_id, _error(exc))
            self.via = "none"
            return False


def _error(exc: Exception) -> str:
    return str(exc.response.get("error")) if isinstance(exc, SlackApiError) else type(exc).__name__


__all__ = ["RESPONSE_URL_TIMEOUT", "PrivateReply", "ResponseUrlFailed", "send_response"]
