"""Recap's DM / agent view and the legacy assistant threads.

A message sent to Recap in its DM (agent messaging experience) or an assistant thread is read by
:func:`parse_dm_request`: a thread permalink -> that thread's summary, a ``<#C…>`` channel and an optional
period -> the channel's summary, anything else -> help. Summaries go through the one pipeline
(:mod:`bot.summaries.service`), after the access check.

Slack sources: https://docs.slack.dev/ai/migrating-to-agent-messaging/ (agent messaging experience:
DM opens arrive as ``app_home_opened`` with ``tab == "messages"``; ``setSuggestedPrompts`` without
``thread_ts``; ``app_context_changed``), ``assistant.threads.setStatus`` and
``assistant.threads.setSuggestedPrompts``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import strings
from bot.errors import InputError, answer_errors
from bot.periods import parse_period
from bot.services import Services
from bot.slack import writer
from bot.slack.permalink import parse_permalink
from bot.summaries.pipeline import ConversationRequest
from bot.summaries.service import in_person_language, job_ref, run_after_answer, run_pipeline, with_feedback

logger = logging.getLogger(__name__)

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


@in_person_language
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
    "hi" is titled from its first real request. In a job every post is made once per job and step
    (:class:`bot.slack.writer.JobPoster`: ``help``, ``reply``, ``answer-0``, …), so a redelivered job
    does not answer twice.

    Args:
        channel_id: the DM's ID (``D…``).
        text: the user's message (Slack mrkdwn).
        ts, thread_ts: the message and its thread (None for a top-level message).
    """
    reply_thread = thread_ts or ts
    poster = writer.JobPoster(client, channel_id=channel_id, thread_ts=reply_thread, job=job_ref(), oldest=ts)
    request = parse_dm_request(text, now=services.clock(), tz=services.settings.workspace_tz)
    if request.kind in ("help", "pick_channel") or request.channel_id is None:
        writer.post_text(client, channel_id=channel_id, thread_ts=reply_thread,
                         text=strings.DM_PICK_CHANNEL if request.kind == "pick_channel" else strings.HELP_DM,
                         poster=poster, step="help")
        return  # like a help mention: no summary, so no conversation to record or title yet

    def reply(message: str) -> None:
        writer.post_text(client, channel_id=channel_id, thread_ts=reply_thread, text=message, poster=poster,
                         step="reply")

    writer.set_status(client, channel_id=channel_id, thread_ts=reply_thread, status=strings.STATUS_READING,
                      loading_messages=strings.LOADING_MESSAGES)
    answered = None
    try:
        with answer_errors(reply, what=f"DM request by {user_id}"):
            result = run_pipeline(services, client, ConversationRequest(
                channel_id=request.channel_id, thread_ts=request.thread_ts, period=request.period,
                requester_id=user_id))
            if result.empty:
                reply(result.nothing_text())
            else:
                chunks, answer_id = with_feedback(services, result)
                answer_ts = writer.post_chunks(client, channel_id=channel_id, thread_ts=reply_thread, chunks=chunks,
                                               text=result.fallback_text(), poster=poster)
                if services.feedback is not None and answer_id:
                    services.feedback.record(
                        answer_id=answer_id, team_id=team_id, user_id=user_id, channel_id=channel_id,
                        thread_ts=reply_thread, request_ts=ts, answer_ts=answer_ts, summary=result.summary,
                        is_question=False, source_channel_id=request.channel_id, source_thread_ts=request.thread_ts,
                        period=request.period)
                answered = result
    finally:
        writer.set_status(client, channel_id=channel_id, thread_ts=reply_thread, status="")
    if answered is not None:
        run_after_answer(services, client=client, team_id=team_id, user_id=user_id, channel_id=channel_id,
                         thread_ts=reply_thread, question_text=text, result=answered)


def handle_assistant_thread_started(*, client: WebClient, channel_id: str, thread_ts: str,
                                    context_channel_id: str | None = None) -> None:
    """Legacy assistant view (``assistant_thread_started``): greet and suggest prompts in the new thread."""
    try:
        writer.post_text(client, channel_id=channel_id, thread_ts=thread_ts, text=strings.ASSISTANT_GREETING)
    except SlackApiError as exc:
        logger.info("greeting in %s: %s", channel_id, exc.response.get("error"))
    set_suggested_prompts(client=client, channel_id=channel_id, thread_ts=thread_ts,
                          context_channel_id=context_channel_id)




__all__ = [
    "DmRequest",
    "handle_assistant_thread_started",
    "handle_dm_message",
    "parse_dm_request",
    "set_suggested_prompts",
    "suggested_prompts",
]
