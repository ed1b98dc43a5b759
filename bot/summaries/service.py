"""Recap's services: plain functions that decide, read, summarize, render and answer.

They know nothing of Bolt. They receive a ``WebClient`` (the Slack writer and, through
:class:`~bot.slack.webapi.WebAPIReader`, the reader), a :class:`Services` bundle, and the parsed
request. Every user-facing failure is answered with a short, kind message; exceptions never escape
to Bolt and raw exception text is never posted.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import strings
from bot.access import AccessChecker
from bot.config import Settings
from bot.errors import RecapError
from bot.llm.base import Provider
from bot.models import Message
from bot.periods import Window, parse_period
from bot.slack.reader import Reader
from bot.storage.store import Store
from bot.summaries import render
from bot.summaries.command import (
    USAGE,
    ChannelRequest,
    HelpRequest,
    SubcommandRequest,
    ThreadRequest,
    parse_command,
)
from bot.summaries.summarize import summarize

logger = logging.getLogger(__name__)

Respond = Callable[..., Any]
SubcommandHandler = Callable[..., None]
ConversationHook = Callable[..., None]


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _default_reader(client: WebClient) -> Reader:
    from bot.slack.webapi import WebAPIReader

    return WebAPIReader(client)


@dataclass
class Services:
    """Everything a service function needs, built once by :func:`bot.app.create_app`.

    Attributes:
        settings: the settings.
        store: the database store.
        provider: the model provider (offline when no key is configured).
        clock: returns now (aware); tests freeze it.
        make_reader: builds a reader for a workspace's WebClient (the Web API reader by default).
        subcommands: ``/summarize <name> …`` handlers registered by features (digest, style, forget).
        conversation_hooks: called after each exchange with Recap (titles record it).
    """

    settings: Settings
    store: Store
    provider: Provider
    clock: Callable[[], datetime] = _utcnow
    make_reader: Callable[[WebClient], Reader] = _default_reader
    subcommands: dict[str, SubcommandHandler] = field(default_factory=dict)
    conversation_hooks: list[ConversationHook] = field(default_factory=list)
    _cache: OrderedDict[tuple[str, str], Any] = field(default_factory=OrderedDict, repr=False)
    _cache_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _cached(self, kind: str, client: WebClient, build: Callable[[WebClient], Any]) -> Any:
        """One object per (kind, token): Bolt hands every request a new WebClient, but user and channel
        caches should live as long as the workspace's token. Bounded LRU of 256 workspaces."""
        key = (kind, client.token or "")
        with self._cache_lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
            found = self._cache[key] = build(client)
            while len(self._cache) > 256:
                self._cache.popitem(last=False)
            return found

    def reader_for(self, client: WebClient) -> Reader:
        """The (cached) reader of this client's workspace."""
        return self._cached("reader", client, self.make_reader)

    def access_for(self, client: WebClient) -> AccessChecker:
        """The (cached) access checker of this client's workspace."""
        return self._cached("access", client, AccessChecker)


# ---------------------------------------------------------------------------------------- helpers


def _people_only(messages: Sequence[Message], *, exclude_ts: set[str], bot_user_id: str | None) -> list[Message]:
    return [m for m in messages if not m.is_bot and m.ts not in exclude_ts and (not bot_user_id or m.user_id != bot_user_id)]


def _permalink_lookup(reader: Reader, messages: Sequence[Message]) -> Callable[[str], str | None]:
    by_ts = {m.ts: m for m in messages}

    def permalink_for(ts: str) -> str | None:
        message = by_ts.get(ts)
        if message is None:
            return None
        return message.permalink or reader.permalink(message.channel_id, message.ts, message.thread_ts)

    return permalink_for


def _post_chunks(
    client: WebClient, *, channel_id: str, thread_ts: str, chunks: list[list[dict]], text: str,
    update_ts: str | None = None,
) -> str | None:
    """Post (or update into) the first chunk, then the rest as replies. Links never unfurl."""
    first_ts = update_ts
    for index, blocks in enumerate(chunks):
        if index == 0 and update_ts:
            client.chat_update(channel=channel_id, ts=update_ts, text=text, blocks=blocks)
            continue
        response = client.chat_postMessage(
            channel=channel_id, thread_ts=thread_ts, text=text, blocks=blocks,
            unfurl_links=False, unfurl_media=False,
        )
        first_ts = first_ts or response.get("ts")
    return first_ts


def _run_hooks(services: Services, **kwargs: Any) -> None:
    for hook in services.conversation_hooks:
        try:
            hook(**kwargs)
        except Exception:  # noqa: BLE001 - a hook must never break the answer
            logger.exception("conversation hook %r failed", hook)


# ---------------------------------------------------------------------------------------- mentions


def handle_mention(
    *, services: Services, client: WebClient, team_id: str, channel_id: str, user_id: str, text: str,
    ts: str, thread_ts: str | None, bot_user_id: str | None = None,
) -> None:
    """Answer an ``@Recap`` mention: summarize the thread (or the channel's recent messages), answer a
    question from it, or show help. The answer goes into the thread.

    Sign of life: an :eyes: reaction at once, then a "reading…" reply that is updated with the answer.
    When Slack refuses the reply itself (e.g. ``restricted_action`` in a channel where only admins may
    post, ``is_archived``), the person is told privately and :eyes: becomes :warning:, so a mention
    never ends in silence.
    """
    try:
        _handle_mention(services=services, client=client, team_id=team_id, channel_id=channel_id, user_id=user_id,
                        text=text, ts=ts, thread_ts=thread_ts, bot_user_id=bot_user_id)
    except Exception as exc:  # noqa: BLE001 - e.g. Slack refused even the error message: never raise into Bolt
        logger.exception("mention in %s: could not answer", channel_id)
        _tell_privately_that_posting_failed(client, channel_id=channel_id, user_id=user_id, ts=ts,
                                            thread_ts=thread_ts, error=exc)


def _tell_privately_that_posting_failed(client: WebClient, *, channel_id: str, user_id: str, ts: str,
                                        thread_ts: str | None, error: Exception) -> None:
    """Best effort, each step on its own: an ephemeral note to the person, and :eyes: → :warning:."""
    code = error.response.get("error", "error") if isinstance(error, SlackApiError) else type(error).__name__
    try:
        if user_id:
            client.chat_postEphemeral(channel=channel_id, user=user_id, thread_ts=thread_ts,
                                      text=strings.COULD_NOT_POST.format(error=code))
    except Exception:  # noqa: BLE001 - nothing more to try
        logger.info("could not tell %s in %s either", user_id, channel_id)
    for step in (lambda: client.reactions_remove(channel=channel_id, timestamp=ts, name="eyes"),
                 lambda: client.reactions_add(channel=channel_id, timestamp=ts, name="warning")):
        try:
            step()
        except Exception:  # noqa: BLE001 - a missing reaction is not worth more
            logger.info("could not update the reaction in %s", channel_id)


def _handle_mention(
    *, services: Services, client: WebClient, team_id: str, channel_id: str, user_id: str, text: str,
    ts: str, thread_ts: str | None, bot_user_id: str | None,
) -> None:
    from bot.summaries.trigger import classify_mention

    reply_thread = thread_ts or ts
    trigger = classify_mention(text)
    if trigger.kind == "help":
        client.chat_postMessage(channel=channel_id, thread_ts=reply_thread, text=strings.HELP_MENTION,
                                unfurl_links=False, unfurl_media=False)
        return
    try:
        client.reactions_add(channel=channel_id, timestamp=ts, name="eyes")
    except SlackApiError:
        logger.info("could not add a reaction in %s", channel_id)
    working = client.chat_postMessage(channel=channel_id, thread_ts=reply_thread, text=strings.WORKING_THREAD,
                                      unfurl_links=False, unfurl_media=False)
    working_ts = working.get("ts")
    try:
        reader = services.reader_for(client)
        if thread_ts:
            raw = reader.thread(channel_id, thread_ts)
            where = "this thread"
            title = None
        else:
            now = services.clock()
            window = Window(now - timedelta(hours=services.settings.default_window_hours), now,
                            f"the last {services.settings.default_window_hours} hours")
            raw = reader.history(channel_id, oldest=window.oldest_ts, latest=window.latest_ts)
            where = f"this channel in {window.label}"
            title = f"This channel, {window.label}"
        messages = _people_only(raw, exclude_ts={ts}, bot_user_id=bot_user_id)
        if not messages:
            client.chat_update(channel=channel_id, ts=working_ts, text=strings.NOTHING_TO_SUMMARIZE.format(where=where))
            return
        question = trigger.question if trigger.kind == "answer" else None
        summary = summarize(messages, provider=services.provider, question=question)
        chunks = render.to_blocks(summary, permalink_for=_permalink_lookup(reader, messages), title=title)
        _post_chunks(client, channel_id=channel_id, thread_ts=reply_thread, chunks=chunks,
                     text=render.fallback_text(summary), update_ts=working_ts)
        _run_hooks(services, client=client, team_id=team_id, user_id=user_id, channel_id=channel_id,
                   thread_ts=reply_thread, texts=[text, *(m.text for m in messages[:20])], summary=summary)
    except RecapError as exc:
        logger.warning("mention in %s: %s", channel_id, exc)
        client.chat_update(channel=channel_id, ts=working_ts, text=exc.user_message)
    except Exception:
        logger.exception("mention in %s failed", channel_id)
        client.chat_update(channel=channel_id, ts=working_ts, text=strings.GENERIC_ERROR)


# ---------------------------------------------------------------------------------------- /summarize


def _share_button(share_id: str) -> dict:
    return {"type": "actions", "elements": [{
        "type": "button", "action_id": "recap_share", "value": share_id,
        "text": {"type": "plain_text", "text": strings.SHARE_BUTTON},
    }]}


def summarize_for_user(
    *, services: Services, client: WebClient, team_id: str, user_id: str, channel_id: str,
    thread_ts: str | None = None, period: str | None = None, destination_id: str,
) -> list[list[dict]]:
    """Summarize a thread or a channel window for one person, after checking they may read it.

    Args:
        destination_id: the channel the answer is shown in (where "Share" would post it).

    Returns:
        Block Kit messages, the first ending with a "Share to channel" button.

    Raises:
        RecapError: access refused, bot not in channel, bad period, read or model failure (the
            model failure is normally absorbed by the offline fallback).
    """
    access = services.access_for(client)
    channel = access.check_read(user_id=user_id, channel_id=channel_id)
    reader = services.reader_for(client)
    if thread_ts:
        messages = _people_only(reader.thread(channel_id, thread_ts), exclude_ts=set(), bot_user_id=None)
        title = f"Thread in #{channel.name}"
        where = "that thread"
    else:
        window = parse_period(period, now=services.clock(), tz=services.settings.workspace_tz,
                              default_hours=services.settings.default_window_hours)
        messages = _people_only(reader.history(channel_id, oldest=window.oldest_ts, latest=window.latest_ts),
                                exclude_ts=set(), bot_user_id=None)
        title = f"#{channel.name}, {window.label}"
        where = f"#{channel.name} in {window.label}"
    if not messages:
        return [[{"type": "section", "text": {"type": "mrkdwn", "text": strings.NOTHING_TO_SUMMARIZE.format(where=where)}}]]
    summary = summarize(messages, provider=services.provider)
    chunks = render.to_blocks(summary, permalink_for=_permalink_lookup(reader, messages), title=title)
    share_id = services.store.save_share(
        team_id=team_id, user_id=user_id, source_channel_id=channel_id, destination_channel_id=destination_id,
        blocks=chunks, text=render.fallback_text(summary),
    )
    chunks[0].append(_share_button(share_id))
    return chunks


def handle_summarize_command(
    *, services: Services, client: WebClient, respond: Respond, team_id: str, channel_id: str, user_id: str,
    text: str,
) -> None:
    """Answer ``/summarize …`` privately (``respond`` posts through the command's ``response_url``)."""
    try:
        request = parse_command(text, now=services.clock(), tz=services.settings.workspace_tz)
        if isinstance(request, HelpRequest):
            respond(text=USAGE, response_type="ephemeral")
            return
        if isinstance(request, SubcommandRequest):
            handler = services.subcommands.get(request.name)
            if handler is None:
                respond(text=f"`/summarize {request.name}` isn't available in this version of Recap.\n\n{USAGE}",
                        response_type="ephemeral")
                return
            handler(services=services, client=client, respond=respond, team_id=team_id, channel_id=channel_id,
                    user_id=user_id, args=request.args)
            return
        if isinstance(request, ThreadRequest):
            chunks = summarize_for_user(services=services, client=client, team_id=team_id, user_id=user_id,
                                        channel_id=request.channel_id, thread_ts=request.thread_ts or request.ts,
                                        destination_id=channel_id)
        else:
            assert isinstance(request, ChannelRequest)
            chunks = summarize_for_user(services=services, client=client, team_id=team_id, user_id=user_id,
                                        channel_id=request.channel_id or channel_id, period=request.period,
                                        destination_id=channel_id)
        _respond_chunks(respond, chunks)
    except RecapError as exc:
        logger.info("/summarize by %s: %s", user_id, exc)
        respond(text=exc.user_message, response_type="ephemeral", replace_original=True)
    except Exception:
        logger.exception("/summarize by %s failed", user_id)
        respond(text=strings.GENERIC_ERROR, response_type="ephemeral", replace_original=True)


def _respond_chunks(respond: Respond, chunks: list[list[dict]]) -> None:
    for index, blocks in enumerate(chunks):
        respond(text="Summary", blocks=blocks, response_type="ephemeral", replace_original=index == 0)


def handle_thread_shortcut(
    *, services: Services, client: WebClient, respond: Respond, team_id: str, channel_id: str, user_id: str,
    message_ts: str, thread_ts: str | None,
) -> None:
    """The "Summarize thread" message shortcut: summarize the message's thread, privately."""
    try:
        chunks = summarize_for_user(services=services, client=client, team_id=team_id, user_id=user_id,
                                    channel_id=channel_id, thread_ts=thread_ts or message_ts,
                                    destination_id=channel_id)
        _respond_chunks(respond, chunks)
    except RecapError as exc:
        respond(text=exc.user_message, response_type="ephemeral")
    except Exception:
        logger.exception("shortcut by %s failed", user_id)
        respond(text=strings.GENERIC_ERROR, response_type="ephemeral")


def handle_share(*, services: Services, client: WebClient, respond: Respond, team_id: str, user_id: str,
                 share_id: str) -> None:
    """The "Share to channel" button: post the private summary for everyone, if its audience may read it."""
    try:
        pending = services.store.peek_share(share_id=share_id, team_id=team_id, user_id=user_id)
        if pending is not None:  # checked before it is used up, so a refused share can be retried later
            services.access_for(client).check_share(source_id=pending.source_channel_id,
                                                    destination_id=pending.destination_channel_id)
        share = services.store.take_share(share_id=share_id, team_id=team_id, user_id=user_id)
        if share is None:
            respond(text=strings.SHARE_EXPIRED, response_type="ephemeral", replace_original=False)
            return
        chunks = json.loads(share.blocks_json)
        for index, blocks in enumerate(chunks):
            footer = [{"type": "context", "elements": [{"type": "mrkdwn", "text": strings.SHARED_BY.format(user_id=user_id)}]}]
            respond(text=share.text, blocks=blocks + (footer if index == len(chunks) - 1 else []),
                    response_type="in_channel", replace_original=False)
        respond(delete_original=True)  # then remove the private copy with its button (a use of its own)
    except RecapError as exc:
        respond(text=exc.user_message, response_type="ephemeral", replace_original=False)
    except Exception:
        logger.exception("share by %s failed", user_id)
        respond(text=strings.GENERIC_ERROR, response_type="ephemeral", replace_original=False)


__all__ = [
    "Services",
    "handle_mention",
    "handle_share",
    "handle_summarize_command",
    "handle_thread_shortcut",
    "summarize_for_user",
]
