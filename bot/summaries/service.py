"""The summaries feature's Slack surfaces: the ``@Recap`` mention, ``/summarize``, the *Summarize thread*
shortcut. Plain functions (no Bolt): each builds a :class:`~bot.summaries.pipeline.ConversationRequest`,
runs the one pipeline, and writes the answer through :mod:`bot.slack.writer`, inside the one error
boundary (:func:`bot.errors.answer_errors`). Exceptions never reach Bolt and raw exception text is never
posted.

Inside a queue job (:func:`bot.runtime.jobs.current_job`) every post is made at most once per job and step
(:class:`bot.slack.writer.JobPoster`): a redelivered job updates what an earlier delivery posted. Private
answers reach the person even when the ``response_url`` fails (:class:`bot.summaries.delivery.PrivateReply`),
and a job that gives up says why (:func:`tell_gave_up`).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, ParamSpec, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import strings
from bot.errors import LLMError, RecapError, answer_errors
from bot.runtime.jobs import current_job
from bot.services import Respond, Services
from bot.slack import writer
from bot.slack.stream import AnswerStream
from bot.summaries.command import HelpRequest, SubcommandRequest, ThreadRequest, parse_command
from bot.summaries.delivery import PrivateReply
from bot.summaries.pipeline import ConversationRequest, SummaryResult, summarize_conversation
from bot.summaries.shares import share_button
from bot.summaries.streamed import StreamedAnswer
from bot.summaries.summarize import streaming
from bot.summaries.trigger import Trigger, classify_mention

logger = logging.getLogger(__name__)

SubcommandHandler = Callable[..., None]
"""``handler(*, services, client, respond, team_id, channel_id, user_id, args)`` for ``/summarize <name> …``."""


P = ParamSpec("P")
R = TypeVar("R")


def in_person_language(handler: Callable[P, R]) -> Callable[P, R]:
    """Run a surface handler in the language of the person it answers (:meth:`Services.language_of`:
    their App Home choice, else their Slack locale), so every :mod:`bot.strings` text it shows is theirs.
    The handler takes ``services``, ``client``, ``team_id`` and ``user_id`` as keyword arguments. Section
    headings still follow the conversation's language (:func:`bot.strings.heading`)."""

    @functools.wraps(handler)
    def in_language(*args: P.args, **kwargs: P.kwargs) -> R:
        with person_language(kwargs["services"], kwargs["client"], team_id=str(kwargs.get("team_id") or ""),  # type: ignore[arg-type]
                             user_id=str(kwargs.get("user_id") or "")):
            return handler(*args, **kwargs)

    return in_language


def person_language(services: Services, client: WebClient, *, team_id: str, user_id: str) -> AbstractContextManager[str]:
    """``with person_language(…):`` — :mod:`bot.strings` texts in the language of ``user_id``
    (:meth:`Services.language_of`: their App Home choice, else their Slack locale; English when the look-up
    fails, never raises)."""
    return strings.use_language(services.language_of(client, team_id=team_id, user_id=user_id))


def job_ref() -> writer.JobRef | None:
    """The running job as the writer needs it (None outside a job): its id, and whether an earlier
    delivery may have posted already (attempt > 0)."""
    job = current_job()
    return writer.JobRef(job.job_id, retry=job.attempt > 0) if job is not None else None


def with_feedback(services: Services, result: SummaryResult) -> tuple[list[list[dict]], str | None]:
    """The answer's Block Kit messages with the 👍/👎 and *Try again* controls (when the feedback feature is
    on), and the answer id they carry (stable across a job's redeliveries); ``(blocks, None)`` without it."""
    chunks = result.blocks()
    if services.feedback is None or result.summary is None:
        return chunks, None
    job = current_job()
    answer_id = services.feedback.answer_id(job.job_id if job is not None else None)
    return services.feedback.with_controls(chunks, answer_id), answer_id


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
    never raised: a hook must never cost the person their answer. A channel's summary names what it covered
    (``result.title``, "#general, the last 7 days") as its ``channel_view``."""
    hook = services.after_answer
    if hook is None or not (team_id and user_id and channel_id and thread_ts):
        return
    try:
        hook(client=client, team_id=team_id, user_id=user_id, channel_id=channel_id, thread_ts=thread_ts,
             texts=[question_text, *(m.text for m in result.messages[:20])], summary=result.summary,
             channel_view=result.title if result.title and result.title.startswith("#") else None)
    except Exception:  # noqa: BLE001 - see docstring
        logger.exception("after-answer hook failed for %s/%s", channel_id, thread_ts)


# ---------------------------------------------------------------------------------------- mentions


def handle_mention(
    *, services: Services, client: WebClient, team_id: str, channel_id: str, user_id: str, text: str,
    ts: str, thread_ts: str | None, bot_user_id: str | None = None,
) -> None:
    """Answer an ``@Recap`` mention: summarize the thread (or the channel's recent messages), answer a
    question from it, or show help. The answer goes into the thread.

    Sign of life: an :eyes: reaction at once, then a "reading…" reply that is updated with the answer, and
    the thread's status ("is reading…" with loading messages; Slack shows it in channel threads too). In a
    job each post carries the job id (steps ``reply``, ``answer-1``, … ``help``), so a redelivered job
    updates its earlier posts instead of posting again.

    With a model (and ``LLM_STREAM_ANSWERS``, on by default) the answer streams in instead
    (:mod:`bot.summaries.streamed`): no "reading…" reply, the status while the model thinks, then one message
    that grows point by point (each complete, checked and guarded first), finished with the feedback
    controls; replaced once by the final rendering when that differs from what streamed (a repair, the
    labelled offline summary after a broken or too-slow stream). Where Slack refuses ``chat.startStream``
    the "reading…" reply is posted then and updated at the end; a redelivered job does not stream. The
    streamed message's ``ts`` is recorded in the store as soon as Slack returns it (``chat.startStream``
    takes no metadata), so a job redelivered after its worker died mid-stream finishes and updates that
    message instead of leaving a half answer beside a second, full one.

    When Slack refuses the reply itself (e.g. ``restricted_action`` in a channel where only admins may
    post, ``is_archived``), the person is told privately and :eyes: becomes :warning:, so a mention
    never ends in silence.

    The :eyes: comes first, before anything is read or looked up (the person's language, their access): a
    burst of mentions on a busy worker shows its sign of life sooner. Everything the person reads is in their
    language (:func:`person_language`).
    """
    trigger = classify_mention(text)
    job = current_job()
    if trigger.kind != "help" and not (job is not None and job.sign_of_life_shown):
        try:  # never waits for the reactions.add budget: the "reading…" reply is the next sign of life
            writer.add_reaction(client, channel_id=channel_id, ts=ts, name="eyes", wait=False)
        except Exception:  # noqa: BLE001 - the sign of life is best effort; the answer still comes
            logger.warning("mention in %s: could not add the :eyes: reaction", channel_id, exc_info=True)
    with person_language(services, client, team_id=team_id, user_id=user_id):
        try:
            _answer_mention(services=services, client=client, team_id=team_id, channel_id=channel_id,
                            user_id=user_id, text=text, trigger=trigger, ts=ts, thread_ts=thread_ts,
                            bot_user_id=bot_user_id)
        except Exception as exc:  # noqa: BLE001 - e.g. Slack refused even the error message: never raise into Bolt
            logger.exception("mention in %s: could not answer", channel_id)
            code = exc.response.get("error", "error") if isinstance(exc, SlackApiError) else type(exc).__name__
            if user_id:
                writer.post_ephemeral(client, channel_id=channel_id, user_id=user_id, thread_ts=thread_ts,
                                      text=strings.COULD_NOT_POST.format(error=code))
            writer.remove_reaction(client, channel_id=channel_id, ts=ts, name="eyes")
            writer.add_reaction(client, channel_id=channel_id, ts=ts, name="warning")


def show_sign_of_life(client: WebClient, body: dict[str, Any]) -> bool:
    """A queue worker's early sign of life (:attr:`bot.queue.worker.WorkerContext.sign_of_life`): the
    :eyes: on an ``@Recap`` mention that asks for a summary or an answer, added the moment the worker takes
    the job, before its claim and Bolt's dispatch; :func:`handle_mention` then skips its own. Past the
    workspace's ``reactions.add`` budget (Tier 3, shared by every worker) the thread's "is reading…" status
    shows instead, at once, rather than an :eyes: a minute late; the listener sets the status again in the
    person's language. Any other request (help, a bot's message, a command) shows nothing here. Never raises.

    Args:
        client: the workspace's client (the bot token).
        body: the request's parsed body, as queued (an Events API ``event_callback``).

    Returns:
        True when Slack added the reaction or set the status (False also when the reaction was there already:
        then the listener's own call is as harmless).
    """
    event = body.get("event") if isinstance(body, dict) else None
    if not isinstance(event, dict) or event.get("type") != "app_mention" or event.get("bot_id"):
        return False
    channel_id, ts, text = event.get("channel"), event.get("ts"), event.get("text")
    if not (isinstance(channel_id, str) and isinstance(ts, str) and isinstance(text, str)):
        return False
    if classify_mention(text).kind == "help":
        return False
    try:
        if writer.add_reaction(client, channel_id=channel_id, ts=ts, name="eyes", wait=False):
            return True
        thread_ts = event.get("thread_ts")
        return writer.set_status(client, channel_id=channel_id, thread_ts=thread_ts if isinstance(thread_ts, str) else ts,
                                 status=strings.STATUS_READING, wait=False)
    except Exception:  # noqa: BLE001 - best effort: the listener adds it instead
        logger.warning("mention in %s: could not add the early :eyes: reaction", channel_id, exc_info=True)
        return False


def _answer_mention(
    *, services: Services, client: WebClient, team_id: str, channel_id: str, user_id: str, text: str,
    trigger: Trigger, ts: str, thread_ts: str | None, bot_user_id: str | None,
) -> None:
    reply_thread = thread_ts or ts
    job = job_ref()
    poster = writer.JobPoster(client, channel_id=channel_id, thread_ts=reply_thread, job=job, oldest=ts,
                              recorded=_recorded_streams(services, job, channel_id))
    if trigger.kind == "help":
        writer.post_text(client, channel_id=channel_id, thread_ts=reply_thread, text=strings.HELP_MENTION,
                         poster=poster, step="help")
        return
    settings = services.settings
    live: StreamedAnswer | None = None
    working: dict[str, str | None] = {"ts": None}

    def placeholder() -> None:
        """The classic "reading…" reply, once (also where streaming shows nothing: refused, or no part yet)."""
        if working["ts"] is not None or (live is not None and live.started):
            return
        working["ts"] = writer.post_text(client, channel_id=channel_id, thread_ts=reply_thread,
                                         text=strings.WORKING_THREAD, poster=poster, step="reply")

    if services.provider is not None and settings.llm_stream_answers and not (poster.job and poster.job.retry):
        # Native streaming: the status shows while the model thinks; the reply appears with its first point.
        live = StreamedAnswer(AnswerStream(client, channel_id=channel_id, thread_ts=reply_thread, team_id=team_id,
                                           user_id=user_id, job=poster.job, step="reply",
                                           on_start=_stream_recorder(services, job, team_id, channel_id, "reply")),
                              reader=services.reader_for(client), on_refused=placeholder)
    else:
        placeholder()
    writer.set_status(client, channel_id=channel_id, thread_ts=reply_thread, status=strings.STATUS_READING,
                      loading_messages=strings.LOADING_MESSAGES)

    def settle() -> None:
        """End a stream that is still open: what it showed becomes the message the answer replaces."""
        if live is not None and live.started:
            live.stream.stop()
            working["ts"] = working["ts"] or live.stream.ts

    def reply(message: str) -> None:
        settle()
        if working["ts"]:
            writer.update_text(client, channel_id=channel_id, ts=working["ts"], text=message, poster=poster,
                               step="reply")
        else:
            working["ts"] = writer.post_text(client, channel_id=channel_id, thread_ts=reply_thread, text=message,
                                             poster=poster, step="reply")

    try:
        with answer_errors(reply, what=f"mention in {channel_id}"):
            request = ConversationRequest(
                channel_id=channel_id, thread_ts=thread_ts, here=True, exclude_ts=frozenset({ts}),
                bot_user_id=bot_user_id, question=trigger.question if trigger.kind == "answer" else None,
            )
            if live is not None:
                deadline = settings.llm_stream_deadline or settings.llm_timeout
                with streaming(live, deadline=deadline, unstreamed=placeholder):
                    result = run_pipeline(services, client, request)
            else:
                result = run_pipeline(services, client, request)
            if result.empty:
                reply(result.nothing_text())
                return
            chunks, answer_id = with_feedback(services, result)
            answer_ts = _finish_stream(services, live, result, chunks, answer_id, max_points=request.max_points)
            if answer_ts is None:
                settle()
                answer_ts = writer.post_chunks(
                    client, channel_id=channel_id, thread_ts=reply_thread, chunks=chunks, text=result.fallback_text(),
                    update_ts=working["ts"], poster=poster, update_step="reply")
            if services.feedback is not None and answer_id:
                services.feedback.record(
                    answer_id=answer_id, team_id=team_id, user_id=user_id, channel_id=channel_id,
                    thread_ts=reply_thread, request_ts=ts, answer_ts=answer_ts, summary=result.summary,
                    is_question=trigger.kind == "answer", source_channel_id=channel_id, source_thread_ts=thread_ts)
            run_after_answer(services, client=client, team_id=team_id, user_id=user_id, channel_id=channel_id,
                             thread_ts=reply_thread, question_text=text, result=result)
    finally:
        settle()
        writer.set_status(client, channel_id=channel_id, thread_ts=reply_thread, status="")


def _recorded_streams(services: Services, job: writer.JobRef | None,
                      channel_id: str) -> Callable[[], Mapping[str, str]] | None:
    """The streams an earlier delivery of ``job`` started in ``channel_id`` (``{step: ts}``, read from the
    store when the job's poster first looks back); None outside a job."""
    if job is None:
        return None
    return lambda: services.store.job_messages(job.job_id, channel_id=channel_id)


def _stream_recorder(services: Services, job: writer.JobRef | None, team_id: str, channel_id: str,
                     step: str) -> Callable[[str], None] | None:
    """Records a started stream's ``ts`` for ``job``'s ``step`` (durably, before its next append); None
    outside a job."""
    if job is None:
        return None
    return lambda ts: services.store.record_job_message(job.job_id, step, channel_id=channel_id, ts=ts,
                                                        team_id=team_id)


def _finish_stream(services: Services, live: StreamedAnswer | None, result: SummaryResult,
                   chunks: list[list[dict]], answer_id: str | None, *, max_points: int) -> str | None:
    """Finish a streamed answer whose parts are the final summary's: append what had not streamed yet,
    then ``chat.stopStream`` with the feedback controls as blocks. Returns the message's ``ts``; None when
    the caller must write the final rendering itself (nothing streamed, Slack refused, or the final
    summary differs from what was streamed: the streamed message is then updated, never left half)."""
    if live is None or not live.started or not live.stream.live or result.summary is None or len(chunks) != 1:
        return None
    rest = live.matches(result.summary, title=result.title, max_points=max_points)
    if rest is None or not live.finish(rest, result.messages):
        return None
    controls = services.feedback.with_controls([[]], answer_id)[-1] if services.feedback and answer_id else None
    return live.stream.ts if live.stream.stop(blocks=controls) else None


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


def private_reply(respond: Respond, *, client: WebClient, channel_id: str, user_id: str) -> PrivateReply:
    """``respond`` that still reaches the person when the ``response_url`` fails (ephemeral, else DM)."""
    if isinstance(respond, PrivateReply):
        return respond
    return PrivateReply(respond, client=client, channel_id=channel_id, user_id=user_id)


@in_person_language
def handle_summarize_command(
    *, services: Services, client: WebClient, respond: Respond, team_id: str, channel_id: str, user_id: str,
    text: str, subcommands: Mapping[str, SubcommandHandler],
) -> None:
    """Answer ``/summarize …`` privately (``respond`` posts through the command's ``response_url``).

    Args:
        subcommands: ``digest``, ``style``, ``forget`` … handlers by name (the routing table of
            :mod:`handlers.commands`).

    When the ``response_url`` answers an error or nothing, the answer (and a sub-command's) is shown by
    ``chat.postEphemeral``, else in the person's DM: never left on "Working on it…".
    """
    respond = private_reply(respond, client=client, channel_id=channel_id, user_id=user_id)
    with answer_errors(_private_reply(respond), what=f"/summarize by {user_id}"):
        request = parse_command(text, now=services.clock(), tz=services.settings.workspace_tz)
        if isinstance(request, HelpRequest):
            respond(text=strings.USAGE, response_type="ephemeral")
            return
        if isinstance(request, SubcommandRequest):
            handler = subcommands.get(request.name)
            if handler is None:
                respond(text=f"{strings.SUBCOMMAND_UNAVAILABLE.format(name=request.name)}\n\n{strings.USAGE}",
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


@in_person_language
def handle_thread_shortcut(
    *, services: Services, client: WebClient, respond: Respond, team_id: str, channel_id: str, user_id: str,
    message_ts: str, thread_ts: str | None,
) -> None:
    """The "Summarize thread" message shortcut: summarize the message's thread, privately (through the
    ``response_url``, else an ephemeral message or a DM, as ``/summarize``)."""
    respond = private_reply(respond, client=client, channel_id=channel_id, user_id=user_id)
    with answer_errors(_private_reply(respond, replace_original=False), what=f"shortcut by {user_id}"):
        chunks = summarize_for_user(services=services, client=client, team_id=team_id, user_id=user_id,
                                    channel_id=channel_id, thread_ts=thread_ts or message_ts,
                                    destination_id=channel_id)
        _respond_chunks(respond, chunks)


# ---------------------------------------------------------------------------------------- a job gives up

_SLACK_DOWN = {"SlackApiError", "SlackClientError", "SlackRequestError", "URLError", "ConnectionError",
               "ConnectionResetError", "RemoteDisconnected", "TimeoutError", "timeout", "ResponseUrlFailed"}
_EXCEPTION_NAME = re.compile(r"^[A-Za-z_][\w.]*(?:Error|Exception|Timeout|timeout)$")


def gave_up_reason(reason: BaseException | str | None) -> str:
    """Why a job gave up, in plain words for the person (never an exception's own text).

    Args:
        reason: the last exception; or the name of its class (``"SlackApiError"``); or words already meant
            for people (e.g. ``"it was interrupted each time"``), returned as they are; None: unknown.
    """
    if isinstance(reason, SlackApiError):
        status = getattr(reason.response, "status_code", 200)
        return strings.GAVE_UP_WHY_SLACK_BUSY if status == 429 or reason.response.get("error") == "ratelimited" \
            else strings.GAVE_UP_WHY_SLACK_DOWN
    if isinstance(reason, LLMError):
        return strings.GAVE_UP_WHY_MODEL
    if isinstance(reason, RecapError):
        return reason.user_message.rstrip(".")
    if isinstance(reason, SlackClientError | OSError):
        return strings.GAVE_UP_WHY_SLACK_DOWN
    if isinstance(reason, str) and reason.strip():
        name = reason.strip().rsplit(".", 1)[-1]
        if not _EXCEPTION_NAME.match(reason.strip()):
            return reason.strip()
        if name == "LLMError":
            return strings.GAVE_UP_WHY_MODEL
        return strings.GAVE_UP_WHY_SLACK_DOWN if name in _SLACK_DOWN else strings.GAVE_UP_WHY_UNKNOWN
    return strings.GAVE_UP_WHY_UNKNOWN


def _object(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _request_parts(body: Mapping[str, Any]) -> dict[str, str]:
    """Who asked and where, from a Slack request body of any surface (event, command, shortcut, button)."""
    event, user, channel = _object(body.get("event")), _object(body.get("user")), _object(body.get("channel"))
    return {
        "user_id": str(event.get("user") or user.get("id") or body.get("user_id") or ""),
        "channel_id": str(event.get("channel") or channel.get("id") or body.get("channel_id") or ""),
        "ts": str(event.get("ts") or ""),
        "thread_ts": str(event.get("thread_ts") or event.get("ts") or ""),
        "event_type": str(event.get("type") or ""),
        "response_url": str(body.get("response_url") or ""),
    }


def tell_gave_up(client: WebClient, body: Mapping[str, Any], *, reason: BaseException | str | None,
                 attempts: int, job_id: str | None = None,
                 recorded: Callable[[str, str], Mapping[str, str]] | None = None) -> bool:
    """Tell the person who asked that their request gave up, and why, in plain words and privately.

    For the queue worker, on the last failed attempt of a job (or when every delivery was interrupted).
    The notice (:data:`bot.strings.JOB_GAVE_UP`) goes through the request's ``response_url`` when it has
    one (commands, shortcuts, buttons), else ``chat.postEphemeral`` in the channel (in the thread), else a
    DM (:class:`~bot.summaries.delivery.PrivateReply`). For a mention, the job's "Reading…" reply in the
    thread (found by its metadata when ``job_id`` is given) says the person was told, and :eyes: becomes
    :warning:, so the thread is not left on "Reading…". Never raises.

    Args:
        body: the Slack request body the job was running (``event_callback``, slash command, interaction).
        reason: the last exception, its class name, or plain words (see :func:`gave_up_reason`).
        attempts: how many deliveries were tried.
        job_id: the job's id (to find its posts).
        recorded: ``(job_id, channel_id) -> {step: ts}``, the streams the job started
            (:meth:`bot.storage.store.Store.job_messages`): a mention's reply left half-streamed by a dead
            worker carries no metadata, and is found (and finished) through this.

    Returns:
        True when the notice reached the person.
    """
    parts = _request_parts(body)
    user_id, channel_id = parts["user_id"], parts["channel_id"]
    if not user_id:
        logger.warning("job %s gave up; no person to tell", job_id)
        return False
    text = strings.JOB_GAVE_UP.format(attempts=attempts, reason=gave_up_reason(reason))
    try:
        if parts["event_type"] in ("app_mention", "message") and channel_id and parts["ts"]:
            writer.set_status(client, channel_id=channel_id, thread_ts=parts["thread_ts"], status="")
        if parts["event_type"] == "app_mention" and channel_id and parts["ts"]:
            writer.remove_reaction(client, channel_id=channel_id, ts=parts["ts"], name="eyes")
            writer.add_reaction(client, channel_id=channel_id, ts=parts["ts"], name="warning")
            if job_id:
                streams = (lambda: recorded(job_id, channel_id)) if recorded is not None else None
                poster = writer.JobPoster(client, channel_id=channel_id, thread_ts=parts["thread_ts"],
                                          job=writer.JobRef(job_id, retry=True), oldest=parts["ts"],
                                          recorded=streams)
                placeholder = poster.earlier("reply")
                if placeholder:
                    poster.update(placeholder, "reply", text=strings.GAVE_UP_THREAD.format(user_id=user_id))
    except (SlackApiError, SlackClientError, OSError) as exc:
        logger.info("job %s gave up; could not mark its thread: %s", job_id, exc)
    reply = PrivateReply(None, client=client, channel_id=channel_id or user_id, user_id=user_id,
                         thread_ts=parts["thread_ts"] or None, response_url=parts["response_url"] or None)
    try:
        return reply(text=text, response_type="ephemeral", replace_original=False)
    except Exception:  # noqa: BLE001 - never raise into the worker's give-up path
        logger.exception("job %s gave up; could not tell %s", job_id, user_id)
        return False


__all__ = [
    "gave_up_reason",
    "handle_mention",
    "handle_summarize_command",
    "handle_thread_shortcut",
    "job_ref",
    "show_sign_of_life",
    "private_reply",
    "run_after_answer",
    "run_pipeline",
    "summarize_for_user",
    "tell_gave_up",
]
