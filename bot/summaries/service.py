"""The summaries feature's Slack surfaces: the ``@Recap`` mention, ``/summarize``, the *Summarize thread*
shortcut. Plain functions (no Bolt): each builds a :class:`~bot.summaries.pipeline.ConversationRequest`,
runs the one pipeline, and writes the answer through :mod:`bot.slack.writer`, inside the one error
boundary (:func:`bot.errors.answer_errors`). Exceptions never reach Bolt and raw exception text is never
posted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import strings
from bot.errors import answer_errors
from bot.services import Respond, Services
from bot.slack import writer
from bot.summaries.command import USAGE, HelpRequest, SubcommandRequest, ThreadRequest, parse_command
from bot.summaries.pipeline import ConversationRequest, SummaryResult, summarize_conversation
from bot.summaries.shares import share_button
from bot.summaries.trigger import classify_mention

logger = logging.getLogger(__name__)

SubcommandHandler = Callable[..., None]
"""``handler(*, services, client, respond, team_id, channel_id, user_id, args)`` for ``/summarize <name> …``."""


def run_pipeline(services: Services, client: WebClient, request: ConversationRequest) -> SummaryResult:
    """:func:`~bot.summaries.pipeline.summarize_conversation` with this workspace's reader, access checker,
    provider, clock and settings."""
    settings = services.settings
    return summarize_conversation(
        request, reader=services.reader_for(client), provider=services.provider, now=services.clock(),
        tz=settings.workspace_tz, default_hours=settings.default_window_hours,
        access=services.access_for(client) if request.requester_id is not None else None,
    )


def run_after_answer(services: Services, *, client: WebClient, team_id: str, user_id: str, channel_id: str,
                     thread_ts: str, question_text: str, result: SummaryResult) -> None:
    """Call ``services.after_answer`` (the titles hook) for an answered exchange; its failures are logged,
    never raised: a hook must never cost the person their answer."""
    hook = services.after_answer
    if hook is None or not (team_id and user_id and channel_id and thread_ts):
        return
    try:
        hook(client=client, team_id=team_id, user_id=user_id, channel_id=channel_id, thread_ts=thread_ts,
             texts=[question_text, *(m.text for m in result.messages[:20])], summary=result.summary)
    except Exception:  # noqa: BLE001 - see docstring
        logger.exception("after-answer hook failed for %s/%s", channel_id, thread_ts)


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
        _answer_mention(services=services, client=client, team_id=team_id, channel_id=channel_id, user_id=user_id,
                        text=text, ts=ts, thread_ts=thread_ts, bot_user_id=bot_user_id)
    except Exception as exc:  # noqa: BLE001 - e.g. Slack refused even the error message: never raise into Bolt
        logger.exception("mention in %s: could not answer", channel_id)
        code = exc.response.get("error", "error") if isinstance(exc, SlackApiError) else type(exc).__name__
        if user_id:
            writer.post_ephemeral(client, channel_id=channel_id, user_id=user_id, thread_ts=thread_ts,
                                  text=strings.COULD_NOT_POST.format(error=code))
        writer.remove_reaction(client, channel_id=channel_id, ts=ts, name="eyes")
        writer.add_reaction(client, channel_id=channel_id, ts=ts, name="warning")


def _answer_mention(
    *, services: Services, client: WebClient, team_id: str, channel_id: str, user_id: str, text: str,
    ts: str, thread_ts: str | None, bot_user_id: str | None,
) -> None:
    reply_thread = thread_ts or ts
    trigger = classify_mention(text)
    if trigger.kind == "help":
        writer.post_text(client, channel_id=channel_id, thread_ts=reply_thread, text=strings.HELP_MENTION)
        return
    writer.add_reaction(client, channel_id=channel_id, ts=ts, name="eyes")
    working_ts = writer.post_text(client, channel_id=channel_id, thread_ts=reply_thread, text=strings.WORKING_THREAD)

    def reply(message: str) -> None:
        writer.update_text(client, channel_id=channel_id, ts=working_ts, text=message)

    with answer_errors(reply, what=f"mention in {channel_id}"):
        request = ConversationRequest(
            channel_id=channel_id, thread_ts=thread_ts, here=True, exclude_ts=frozenset({ts}),
            bot_user_id=bot_user_id, question=trigger.question if trigger.kind == "answer" else None,
        )
        result = run_pipeline(services, client, request)
        if result.empty:
            reply(result.nothing_text())
            return
        writer.post_chunks(client, channel_id=channel_id, thread_ts=reply_thread, chunks=result.blocks(),
                           text=result.fallback_text(), update_ts=working_ts)
        run_after_answer(services, client=client, team_id=team_id, user_id=user_id, channel_id=channel_id,
                         thread_ts=reply_thread, question_text=text, result=result)


# ---------------------------------------------------------------------------------------- /summarize


def summarize_for_user(
    *, services: Services, client: WebClient, team_id: str, user_id: str, channel_id: str,
    thread_ts: str | None = None, period: str | None = None, destination_id: str,
) -> list[list[dict]]:
    """Summarize a thread or a channel window for one person, after checking they may read it.

    Args:
        destination_id: the channel the answer is shown in (where "Share" would post it).

    Returns:
        Block Kit messages, the first ending with a "Share to channel" button (none when there was nothing
        to summarize).

    Raises:
        RecapError: access refused, bot not in channel, bad period, read failure (a model failure is
            absorbed by the extractive fallback).
    """
    result = run_pipeline(services, client, ConversationRequest(
        channel_id=channel_id, thread_ts=thread_ts, period=period, requester_id=user_id))
    chunks = result.blocks()
    if result.empty:
        return chunks
    share_id = services.store.save_share(
        team_id=team_id, user_id=user_id, source_channel_id=channel_id, destination_channel_id=destination_id,
        blocks=chunks, text=result.fallback_text(),
    )
    chunks[0].append(share_button(share_id))
    return chunks


def _respond_chunks(respond: Respond, chunks: Sequence[list[dict]]) -> None:
    for index, blocks in enumerate(chunks):
        respond(text="Summary", blocks=blocks, response_type="ephemeral", replace_original=index == 0)


def _private_reply(respond: Respond, *, replace_original: bool = True) -> Callable[[str], object]:
    return lambda text: respond(text=text, response_type="ephemeral", replace_original=replace_original)


def handle_summarize_command(
    *, services: Services, client: WebClient, respond: Respond, team_id: str, channel_id: str, user_id: str,
    text: str, subcommands: Mapping[str, SubcommandHandler],
) -> None:
    """Answer ``/summarize …`` privately (``respond`` posts through the command's ``response_url``).

    Args:
        subcommands: ``digest``, ``style``, ``forget`` … handlers by name (the routing table of
            :mod:`handlers.commands`).
    """
    with answer_errors(_private_reply(respond), what=f"/summarize by {user_id}"):
        request = parse_command(text, now=services.clock(), tz=services.settings.workspace_tz)
        if isinstance(request, HelpRequest):
            respond(text=USAGE, response_type="ephemeral")
            return
        if isinstance(request, SubcommandRequest):
            handler = subcommands.get(request.name)
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
            chunks = summarize_for_user(services=services, client=client, team_id=team_id, user_id=user_id,
                                        channel_id=request.channel_id or channel_id, period=request.period,
                                        destination_id=channel_id)
        _respond_chunks(respond, chunks)


def handle_thread_shortcut(
    *, services: Services, client: WebClient, respond: Respond, team_id: str, channel_id: str, user_id: str,
    message_ts: str, thread_ts: str | None,
) -> None:
    """The "Summarize thread" message shortcut: summarize the message's thread, privately."""
    with answer_errors(_private_reply(respond, replace_original=False), what=f"shortcut by {user_id}"):
        chunks = summarize_for_user(services=services, client=client, team_id=team_id, user_id=user_id,
                                    channel_id=channel_id, thread_ts=thread_ts or message_ts,
                                    destination_id=channel_id)
        _respond_chunks(respond, chunks)


__all__ = [
    "handle_mention",
    "handle_summarize_command",
    "handle_thread_shortcut",
    "run_after_answer",
    "run_pipeline",
    "summarize_for_user",
]
