"""Slack-facing services of the titles feature and of Recap's AI-app surfaces.

Plain functions (no Bolt) that:

* answer a message sent to Recap in its DM, agent or legacy assistant thread
  (:func:`handle_dm_message`): a thread permalink -> that thread's summary, a ``<#C…>`` channel and an
  optional period -> the channel's summary, anything else -> help; each only after checking the user
  may read the source (:meth:`bot.access.AccessChecker.check_read`);
* set suggested prompts (:func:`set_suggested_prompts`) and the "is reading…" status;
* record and title every conversation with Recap (:func:`record_and_title`, registered as a
  conversation hook by :func:`make_conversation_hook`): a title in the user's style
  (:func:`bot.titles.style.title_conversation`), shown with ``assistant.threads.setTitle`` in DM threads
  and listed in App Home (:func:`publish_home`);
* serve ``/summarize style`` (:func:`handle_style_command`) and ``/summarize forget me``
  (:func:`handle_forget_command`).

Slack sources: https://docs.slack.dev/ai/migrating-to-agent-messaging/ (agent messaging experience:
DM opens arrive as ``app_home_opened`` with ``tab == "messages"``; ``setSuggestedPrompts`` without
``thread_ts``; ``app_context_changed``), https://docs.slack.dev/reference/methods/assistant.threads.setTitle,
``assistant.threads.setStatus``, ``assistant.threads.setSuggestedPrompts`` and ``views.publish``.

Where ``setTitle`` applies: only DM conversations (channel IDs starting with ``D``: agent and
assistant threads live in the user's DM with the app). Channel threads are titled too, but the title
shows only in App Home.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import strings
from bot.errors import InputError, RecapError
from bot.periods import Window, parse_period
from bot.slack.permalink import parse_permalink
from bot.summaries import render
from bot.summaries.service import Respond, Services, _people_only, _permalink_lookup, _post_chunks, _run_hooks
from bot.summaries.summarize import summarize
from bot.titles.store import TitledConversation, TitleStore
from bot.titles.style import StyleProfile, current_profile, describe_features, title_conversation

logger = logging.getLogger(__name__)

HOME_CONVERSATIONS = 15
"""How many recent conversations App Home lists."""

_LINK = re.compile(r"<?(https?://[^\s<>|]*slack\.com/[^\s<>|]+)(?:\|[^>]*)?>?")
_CHANNEL_REF = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")
_PLAIN_CHANNEL = re.compile(r"(?<![\w<])#([a-z0-9][a-z0-9_\-]{0,79})\b", re.I)
_PERIOD = re.compile(
    r"\b(today|yesterday|this week|last week|since \S+|(?:last\s+)?\d{1,4}\s*"
    r"(?:min|m|hours|hr|h|days|day|d|weeks|week|wk|w))\b",
    re.I,
)


# ---------------------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class DmRequest:
    """What a message to Recap asks for.

    Attributes:
        kind: ``"thread"`` (summarize a thread), ``"channel"`` (a channel over a period),
            ``"pick_channel"`` (a ``#name`` Slack did not link: ask the user to pick it) or ``"help"``.
        channel_id: the thread's or channel's ID.
        thread_ts: the thread parent's ``ts`` (kind ``"thread"``).
        period: the period text (kind ``"channel"``; None = the default window).
    """

    kind: Literal["thread", "channel", "pick_channel", "help"]
    channel_id: str | None = None
    thread_ts: str | None = None
    period: str | None = None


def parse_dm_request(text: str, *, now: datetime, tz: str = "UTC") -> DmRequest:
    """Read a DM / agent-thread message: a thread permalink, a channel and a period, or neither.

    Args:
        text: the message text (Slack mrkdwn: channels arrive as ``<#C123|name>``, links as ``<https://…>``).
        now: current time (aware), to validate periods.
        tz: the workspace time zone.

    Returns:
        A :class:`DmRequest`. A period that :func:`bot.periods.parse_period` refuses is dropped (the
        default window is used) rather than failing the request.
    """
    text = text or ""
    for match in _LINK.finditer(text):
        try:
            link = parse_permalink(match.group(1))
        except InputError:
            continue
        return DmRequest("thread", channel_id=link.channel_id, thread_ts=link.thread_ts or link.ts)
    channel = _CHANNEL_REF.search(text)
    if channel:
        rest = (text[: channel.start()] + " " + text[channel.end():]).replace("\u2019", "'")
        period = None
        for candidate in _PERIOD.finditer(rest):
            try:
                parse_period(candidate.group(1).lower(), now=now, tz=tz)
            except InputError:
                continue
            period = candidate.group(1).lower()
            break
        return DmRequest("channel", channel_id=channel.group(1), period=period)
    if _PLAIN_CHANNEL.search(text):
        return DmRequest("pick_channel")
    return DmRequest("help")


def suggested_prompts(context_channel_id: str | None = None) -> list[dict[str, str]]:
    """The suggested prompts (at most 4, Slack's limit), naming the channel the user is viewing if known."""
    where = f"<#{context_channel_id}>" if context_channel_id else strings.PROMPT_ANY_CHANNEL
    return [
        {"title": strings.PROMPT_MISSED_TITLE, "message": strings.PROMPT_MISSED.format(where=where)},
        {"title": strings.PROMPT_WEEK_TITLE, "message": strings.PROMPT_WEEK.format(where=where)},
        {"title": strings.PROMPT_THREAD_TITLE, "message": strings.PROMPT_THREAD},
    ]


# ---------------------------------------------------------------------------------------- Slack writes


def is_dm_conversation(channel_id: str) -> bool:
    """True for a DM (``D…``): where agent / assistant threads live and ``setTitle`` applies."""
    return channel_id.startswith("D")


def set_suggested_prompts(
    *, client: WebClient, channel_id: str, thread_ts: str | None = None, context_channel_id: str | None = None,
) -> bool:
    """Show the suggested prompts (``assistant.threads.setSuggestedPrompts``).

    Args:
        channel_id: the DM with the user.
        thread_ts: the legacy assistant thread; None in the agent messaging experience (Slack: passing
            it there makes the call fail silently).
        context_channel_id: the channel the user is viewing, to name it in the prompts.

    Returns:
        False when Slack refused (logged, never raised).
    """
    try:
        client.assistant_threads_setSuggestedPrompts(
            channel_id=channel_id, thread_ts=thread_ts, title=strings.PROMPTS_TITLE,
            prompts=suggested_prompts(context_channel_id),
        )
        return True
    except SlackApiError as exc:
        logger.info("setSuggestedPrompts in %s: %s", channel_id, exc.response.get("error"))
        return False


def _set_status(client: WebClient, *, channel_id: str, thread_ts: str, status: str) -> None:
    if not is_dm_conversation(channel_id):
        return
    try:
        client.assistant_threads_setStatus(channel_id=channel_id, thread_ts=thread_ts, status=status)
    except SlackApiError as exc:
        logger.info("setStatus in %s: %s", channel_id, exc.response.get("error"))


def title_store_for(services: Services) -> TitleStore:
    """The title store on the services' database (tables are created by ``bot.storage.store.create_schema``)."""
    return TitleStore(services.store.engine)


# ---------------------------------------------------------------------------------------- titles


def record_and_title(
    *, services: Services, client: WebClient, team_id: str, user_id: str, channel_id: str, thread_ts: str,
    texts: Sequence[str], summary: Any = None,
) -> str | None:
    """The conversation hook: record the conversation and, after its first exchange, title it.

    The title is written in ``user_id``'s style (:func:`bot.titles.style.title_conversation`, with
    ``services.provider``), shown with ``assistant.threads.setTitle`` when the conversation is a DM
    thread, and App Home is republished. Later exchanges of a titled conversation change nothing.

    Args:
        team_id, user_id: the workspace and the person talking to Recap (the style's owner).
        channel_id, thread_ts: the conversation's thread.
        texts: the exchange's texts, the user's own message first.
        summary: the answer (unused; part of the hook signature).

    Returns:
        The new title, or None when the conversation already had one (or no title could be made).
    """
    del summary
    store = title_store_for(services)
    if store.get_title(team_id=team_id, channel_id=channel_id, thread_ts=thread_ts):
        return None
    title = title_conversation(
        store=store, team_id=team_id, user_id=user_id, channel_id=channel_id, thread_ts=thread_ts,
        texts=list(texts), provider=services.provider,
    ).strip()
    if not title:
        return None
    if is_dm_conversation(channel_id):
        try:
            client.assistant_threads_setTitle(channel_id=channel_id, thread_ts=thread_ts, title=title)
        except SlackApiError as exc:
            logger.info("setTitle in %s: %s", channel_id, exc.response.get("error"))
    publish_home(services=services, client=client, team_id=team_id, user_id=user_id)
    return title


def make_conversation_hook(services: Services) -> Callable[..., None]:
    """A hook for ``services.conversation_hooks`` that runs :func:`record_and_title`."""

    def titles_hook(*, client: WebClient, team_id: str, user_id: str, channel_id: str, thread_ts: str,
                    texts: Sequence[str], summary: Any = None) -> None:
        if not (team_id and user_id and channel_id and thread_ts):
            return
        record_and_title(services=services, client=client, team_id=team_id, user_id=user_id,
                         channel_id=channel_id, thread_ts=thread_ts, texts=texts, summary=summary)

    titles_hook.recap_titles = True  # type: ignore[attr-defined]  # marks it, so it is registered once
    return titles_hook


# ---------------------------------------------------------------------------------------- App Home


def _escape(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` for mrkdwn (https://docs.slack.dev/messaging/formatting-message-text)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def home_view(
    *, conversations: Sequence[TitledConversation], permalink_for: Callable[[TitledConversation], str | None],
    profile: StyleProfile | None, conversation_count: int,
) -> dict:
    """The App Home tab: intro, "Your recent conversations" (title -> thread permalink), style line.

    Returns:
        A ``home`` view for ``views.publish`` (well under Slack's 100-block limit).
    """
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": strings.HOME_HEADER}},
        {"type": "section", "text": {"type": "mrkdwn", "text": strings.HOME_INTRO}},
        {"type": "divider"},
        {"type": "header", "text": {"type": "plain_text", "text": strings.HOME_RECENT}},
    ]
    if not conversations:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": strings.HOME_NO_CONVERSATIONS}})
    for conversation in conversations:
        title = _escape(conversation.title)
        url = permalink_for(conversation)
        line = f"*<{url}|{title}>*" if url else f"*{title}*"
        if conversation.created_at is not None:
            stamp = int(conversation.created_at.timestamp())
            line += f"\n<!date^{stamp}^{{date_short_pretty}} at {{time}}|{conversation.created_at:%Y-%m-%d %H:%M} UTC>"
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": line[:3000]}})
    if profile is None or profile.is_neutral:
        style = strings.HOME_STYLE_NEUTRAL.format(count=conversation_count)
    else:
        style = strings.HOME_STYLE.format(description=_escape(profile.description))
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": style[:3000]}]})
    return {"type": "home", "blocks": blocks}


def publish_home(*, services: Services, client: WebClient, team_id: str, user_id: str) -> bool:
    """Publish ``user_id``'s App Home (``views.publish``) with their recent titled conversations.

    Returns:
        False when Slack refused (logged, never raised).
    """
    store = title_store_for(services)
    conversations = store.titled_conversations(team_id, user_id, HOME_CONVERSATIONS)
    reader = services.reader_for(client)

    def permalink_for(conversation: TitledConversation) -> str | None:
        try:
            return reader.permalink(conversation.channel_id, conversation.thread_ts)
        except Exception:  # noqa: BLE001 - a missing link must not cost the user their Home
            logger.info("no permalink for %s/%s", conversation.channel_id, conversation.thread_ts)
            return None

    view = home_view(conversations=conversations, permalink_for=permalink_for,
                     profile=store.get_profile(team_id, user_id),
                     conversation_count=store.count_conversations(team_id, user_id))
    try:
        client.views_publish(user_id=user_id, view=view)
        return True
    except SlackApiError as exc:
        logger.warning("views.publish for %s: %s", user_id, exc.response.get("error"))
        return False


# ---------------------------------------------------------------------------------------- /summarize style | forget me


def style_text(profile: StyleProfile, *, stored: int) -> str:
    """``/summarize style``'s answer: the description, the measured features, the counts (mrkdwn)."""
    features = profile.features
    if profile.is_neutral:
        head = strings.STYLE_NEUTRAL.format(description=describe_features(features), count=stored)
    else:
        head = strings.STYLE_LEARNED.format(description=_escape(profile.description),
                                            count=profile.conversation_count)
    measured = strings.STYLE_FEATURES.format(
        casing={"lower": "lowercase", "title": "Title Case", "sentence": "Sentence case",
                "upper": "ALL CAPS"}[features.casing],
        words=features.words, emoji_rate=features.emoji_rate,
        emoji=f" ({' '.join(features.emoji)})" if features.emoji else "",
        ending=features.ending or "none", question_rate=features.question_rate,
        language=features.language or "the conversation's",
    )
    return "\n".join([strings.STYLE_HEADER, head, measured, strings.STYLE_FOOTER.format(stored=stored)])


def handle_style_command(
    *, services: Services, client: WebClient, respond: Respond, team_id: str, channel_id: str, user_id: str,
    args: Sequence[str] = (),
) -> None:
    """``/summarize style``: show the user their own title-style profile, privately."""
    del client, channel_id, args
    try:
        store = title_store_for(services)
        profile = current_profile(store=store, team_id=team_id, user_id=user_id, provider=services.provider)
        respond(text=style_text(profile, stored=store.count_conversations(team_id, user_id)),
                response_type="ephemeral", replace_original=True)
    except Exception:
        logger.exception("/summarize style by %s failed", user_id)
        respond(text=strings.GENERIC_ERROR, response_type="ephemeral", replace_original=True)


def handle_forget_command(
    *, services: Services, client: WebClient, respond: Respond, team_id: str, channel_id: str, user_id: str,
    args: Sequence[str] = (),
) -> None:
    """``/summarize forget me``: delete the user's conversations, titles, profile and pending shares;
    confirm; refresh Home."""
    del channel_id, args
    try:
        store = title_store_for(services)
        conversations = store.count_conversations(team_id, user_id)
        store.forget_user(team_id, user_id)
        services.store.forget_shares(team_id=team_id, user_id=user_id)  # pending "Share" summaries too
        respond(text=strings.FORGOTTEN.format(conversations=conversations), response_type="ephemeral",
                replace_original=True)
    except Exception:
        logger.exception("/summarize forget me by %s failed", user_id)
        respond(text=strings.GENERIC_ERROR, response_type="ephemeral", replace_original=True)
        return
    publish_home(services=services, client=client, team_id=team_id, user_id=user_id)


# ---------------------------------------------------------------------------------------- DM / agent threads


def _post(client: WebClient, *, channel_id: str, thread_ts: str, text: str) -> None:
    client.chat_postMessage(channel=channel_id, thread_ts=thread_ts, text=text, unfurl_links=False,
                            unfurl_media=False)


def handle_dm_message(
    *, services: Services, client: WebClient, team_id: str, user_id: str, channel_id: str, text: str, ts: str,
    thread_ts: str | None = None,
) -> None:
    """Answer a message sent to Recap in its DM (agent messaging experience) or an assistant thread.

    The answer goes into the message's thread (``thread_ts``, or the message itself in the agent
    experience, where every top-level DM message starts a thread). A summary is made only after the
    access check: a user who cannot read the source gets a refusal and no content. After an exchange
    that produced a summary the conversation hooks run (titles); help replies and refusals do not
    count as the conversation's first exchange (as for ``@Recap help``), so a thread that starts with
    "hi" is titled from its first real request.

    Args:
        channel_id: the DM's ID (``D…``).
        text: the user's message (Slack mrkdwn).
        ts, thread_ts: the message and its thread (None for a top-level message).
    """
    reply_thread = thread_ts or ts
    request = parse_dm_request(text, now=services.clock(), tz=services.settings.workspace_tz)
    if request.kind in ("help", "pick_channel"):
        _post(client, channel_id=channel_id, thread_ts=reply_thread,
              text=strings.HELP_DM if request.kind == "help" else strings.DM_PICK_CHANNEL)
        return  # like a help mention: no summary, so no conversation to record or title yet
    _set_status(client, channel_id=channel_id, thread_ts=reply_thread, status=strings.STATUS_READING)
    try:
        assert request.channel_id is not None
        channel = services.access_for(client).check_read(user_id=user_id, channel_id=request.channel_id)
        reader = services.reader_for(client)
        if request.kind == "thread":
            assert request.thread_ts is not None
            raw = reader.thread(request.channel_id, request.thread_ts)
            title, where = f"Thread in #{channel.name}", "that thread"
        else:
            window = _window(services, request.period)
            raw = reader.history(request.channel_id, oldest=window.oldest_ts, latest=window.latest_ts)
            title, where = f"#{channel.name}, {window.label}", f"#{channel.name} in {window.label}"
        messages = _people_only(raw, exclude_ts=set(), bot_user_id=None)
        if not messages:
            _post(client, channel_id=channel_id, thread_ts=reply_thread,
                  text=strings.NOTHING_TO_SUMMARIZE.format(where=where))
            return
        summary = summarize(messages, provider=services.provider)
        chunks = render.to_blocks(summary, permalink_for=_permalink_lookup(reader, messages), title=title)
        _post_chunks(client, channel_id=channel_id, thread_ts=reply_thread, chunks=chunks,
                     text=render.fallback_text(summary))
    except RecapError as exc:
        logger.info("DM request by %s: %s", user_id, exc)
        _post(client, channel_id=channel_id, thread_ts=reply_thread, text=exc.user_message)
        return
    except Exception:
        logger.exception("DM request by %s failed", user_id)
        _post(client, channel_id=channel_id, thread_ts=reply_thread, text=strings.GENERIC_ERROR)
        return
    finally:
        _set_status(client, channel_id=channel_id, thread_ts=reply_thread, status="")
    _run_hooks(services, client=client, team_id=team_id, user_id=user_id, channel_id=channel_id,
               thread_ts=reply_thread, texts=[text, *(m.text for m in messages[:20])], summary=summary)


def _window(services: Services, period: str | None) -> Window:
    if period:
        return parse_period(period, now=services.clock(), tz=services.settings.workspace_tz,
                            default_hours=services.settings.default_window_hours)
    now = services.clock()
    hours = services.settings.default_window_hours
    return Window(now - timedelta(hours=hours), now, f"the last {hours} hours")


def handle_assistant_thread_started(*, client: WebClient, channel_id: str, thread_ts: str,
                                    context_channel_id: str | None = None) -> None:
    """Legacy assistant view (``assistant_thread_started``): greet and suggest prompts in the new thread."""
    try:
        _post(client, channel_id=channel_id, thread_ts=thread_ts, text=strings.ASSISTANT_GREETING)
    except SlackApiError as exc:
        logger.info("greeting in %s: %s", channel_id, exc.response.get("error"))
    set_suggested_prompts(client=client, channel_id=channel_id, thread_ts=thread_ts,
                          context_channel_id=context_channel_id)


__all__ = [
    "DmRequest",
    "handle_assistant_thread_started",
    "handle_dm_message",
    "handle_forget_command",
    "handle_style_command",
    "home_view",
    "is_dm_conversation",
    "make_conversation_hook",
    "parse_dm_request",
    "publish_home",
    "record_and_title",
    "set_suggested_prompts",
    "style_text",
    "suggested_prompts",
]
