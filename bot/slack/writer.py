"""The one Slack writer: post, update, ephemeral, reactions, assistant status; split messages; never unfurl.

Every post Recap makes goes through here, so every post has ``unfurl_links=False, unfurl_media=False``
(a summary must never expand a link someone put in the source) and long answers are posted as the
chunks :mod:`bot.summaries.render` split them into (Slack: at most 50 blocks per message,
https://docs.slack.dev/reference/block-kit/blocks).

Posts made by a job are idempotent under retry. A queue delivers a job at least once (a worker killed
mid-answer has its job delivered again), so each post of a job carries the job's id and a step name in
Slack message metadata (``{"event_type": "recap_job", "event_payload": {"job_id": …, "step": …}}``,
https://docs.slack.dev/messaging/message-metadata). On a retry the writer first reads the conversation
back with ``include_all_metadata=true`` (``conversations.replies`` / ``conversations.history``) and
updates (``chat.update``) the message of that step instead of posting a second copy (:class:`JobPoster`,
:func:`post_once`). Reactions are idempotent by themselves (``already_reacted`` is logged and ignored).

A streamed message (:mod:`bot.slack.stream`) gets its metadata only at ``chat.stopStream``, so one whose
worker died mid-stream is invisible to that look-up: its ``ts`` is recorded elsewhere when the stream
starts (the caller's store), and a :class:`JobPoster` given that record (``recorded``) treats it as the
step's earlier message. Such a message may still be streaming: it is finished with ``chat.stopStream``
(the only call Slack documents on a streaming message besides ``appendStream``; one no longer streaming
answers ``message_not_in_streaming_state``) before it is updated.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.client import call_if_free
from bot.slack.text import mrkdwn_object

logger = logging.getLogger(__name__)

JOB_EVENT_TYPE = "recap_job"
"""The ``event_type`` of the metadata on every post a job makes (letters, digits, ``_`` only: Slack ignores
metadata whose ``event_type`` has other characters)."""
LOOKUP_PAGE_SIZE = 200
"""Messages per page when a retried job looks for its earlier posts."""
LOOKUP_MAX_PAGES = 10
"""Pages read at most when a retried job looks for its earlier posts (2,000 messages after ``oldest``)."""


@dataclass(frozen=True)
class JobRef:
    """The job a post belongs to, as the writer sees it (the service layer builds it from
    :func:`bot.runtime.jobs.current_job`).

    Attributes:
        job_id: the same on every delivery of the job.
        retry: True when an earlier delivery may already have posted (attempt > 0): look before posting.
    """

    job_id: str
    retry: bool = False


def job_metadata(job_id: str, step: str) -> dict[str, Any]:
    """The message ``metadata`` that marks a post as step ``step`` of job ``job_id``."""
    return {"event_type": JOB_EVENT_TYPE, "event_payload": {"job_id": job_id, "step": step}}


def find_job_posts(
    client: WebClient, *, channel_id: str, thread_ts: str | None, job_id: str, oldest: str | None = None,
) -> dict[str, str]:
    """The messages job ``job_id`` already posted in a thread (or at the top of a channel), by step.

    Reads ``conversations.replies`` (``thread_ts`` given) or ``conversations.history`` with
    ``include_all_metadata=true`` (without it Slack leaves ``metadata`` out), at most
    :data:`LOOKUP_MAX_PAGES` pages of :data:`LOOKUP_PAGE_SIZE` messages.

    Args:
        oldest: only messages after this ``ts`` (e.g. the mention that started the job); None reads from the start.

    Returns:
        ``{step: ts}`` (the first message of each step).

    Raises:
        SlackApiError: Slack refused the read (the caller must not post blindly: the job fails and is retried).
    """
    found: dict[str, str] = {}
    cursor: str | None = None
    for _ in range(LOOKUP_MAX_PAGES):
        if thread_ts:
            response = client.conversations_replies(channel=channel_id, ts=thread_ts, oldest=oldest, cursor=cursor,
                                                    limit=LOOKUP_PAGE_SIZE, include_all_metadata=True)
        else:
            response = client.conversations_history(channel=channel_id, oldest=oldest, cursor=cursor,
                                                    limit=LOOKUP_PAGE_SIZE, include_all_metadata=True)
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if (metadata.get("event_type") == JOB_EVENT_TYPE and payload.get("job_id") == job_id
                    and payload.get("step") and message.get("ts")):
                found.setdefault(str(payload["step"]), str(message["ts"]))
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            break
    return found


class JobPoster:
    """The posts of one job in one conversation, each step posted at most once across deliveries.

    Outside a job (``job`` None) it posts plainly. In a job, each post carries :func:`job_metadata`; on a
    retry the conversation is read once (:func:`find_job_posts`) and a step found there is updated in place.

    Args:
        channel_id, thread_ts: where the posts go (``thread_ts`` None: the channel's top level).
        job: the job, or None.
        oldest: the ``ts`` after which the job's posts can be (narrows the look-up on a retry).
        recorded: on a retry, the messages an earlier delivery of this job started streaming in this
            conversation, ``{step: ts}`` (recorded when ``chat.startStream`` returned; see the module
            docstring): a step the metadata look-up does not find is that message, finished with
            ``chat.stopStream`` if still streaming, then updated. Called once, lazily; None: no record.
    """

    def __init__(self, client: WebClient, *, channel_id: str, thread_ts: str | None, job: JobRef | None,
                 oldest: str | None = None, recorded: Callable[[], Mapping[str, str]] | None = None) -> None:
        self.client = client
        self.channel_id = channel_id
        self.thread_ts = thread_ts
        self.job = job
        self.oldest = oldest
        self.recorded = recorded
        self._posted: dict[str, str] | None = None if job is not None and job.retry else {}
        self._earlier: set[str] = set()
        self._maybe_streaming: set[str] = set()

    def earlier(self, step: str) -> str | None:
        """The ``ts`` of ``step`` if this job already posted it (on a retry, found by reading the conversation,
        or in the ``recorded`` streams)."""
        return self._known().get(step)

    def _known(self) -> dict[str, str]:
        if self._posted is None:
            assert self.job is not None
            self._posted = find_job_posts(self.client, channel_id=self.channel_id, thread_ts=self.thread_ts,
                                          job_id=self.job.job_id, oldest=self.oldest)
            for step, ts in (self.recorded() if self.recorded is not None else {}).items():
                if step not in self._posted and ts:  # streamed, never stopped: no metadata on it
                    self._posted[step] = ts
                    self._maybe_streaming.add(ts)
            self._earlier = set(self._posted.values())
        return self._posted

    def _end_stream(self, ts: str, step: str) -> None:
        """``chat.stopStream`` a message an earlier delivery started streaming and may not have finished
        (with this job's metadata). ``message_not_in_streaming_state`` (finished already, or ended by Slack)
        and other refusals are logged: the update that follows decides."""
        self._maybe_streaming.discard(ts)
        metadata = job_metadata(self.job.job_id, step) if self.job is not None else None
        try:
            self.client.chat_stopStream(channel=self.channel_id, ts=ts, metadata=metadata)
        except SlackApiError as exc:
            logger.info("earlier stream %s in %s not stopped: %s", ts, self.channel_id, exc.response.get("error"))

    def post(self, step: str, *, text: str, blocks: Sequence[Any] | None = None) -> str | None:
        """Post ``text`` (and ``blocks``) as ``step``, or update the message an earlier delivery posted
        (posted anew if that message was deleted meanwhile).

        Returns:
            the message's ``ts``.

        Raises:
            SlackApiError: Slack refused the post, the update or the look-up.
        """
        if self.job is None:
            response = self.client.chat_postMessage(
                channel=self.channel_id, thread_ts=self.thread_ts, text=text,
                blocks=list(blocks) if blocks is not None else None, unfurl_links=False, unfurl_media=False)
            ts = response.get("ts")
            return str(ts) if ts else None
        ts = self._known().get(step)
        if ts:
            try:
                self.update(ts, step, text=text, blocks=blocks)
                return ts
            except SlackApiError as exc:  # someone deleted it meanwhile: post it again
                if exc.response.get("error") != "message_not_found":
                    raise
                del self._known()[step]
        response = self.client.chat_postMessage(
            channel=self.channel_id, thread_ts=self.thread_ts, text=text,
            blocks=list(blocks) if blocks is not None else None, unfurl_links=False, unfurl_media=False,
            metadata=job_metadata(self.job.job_id, step))
        new_ts = response.get("ts")
        if new_ts:
            self._known()[step] = str(new_ts)
        return str(new_ts) if new_ts else None

    def update(self, ts: str, step: str, *, text: str, blocks: Sequence[Any] | None = None) -> None:
        """``chat.update`` a message of this job, keeping its metadata.

        A message an earlier delivery posted may hold blocks, which a text-only update would leave on screen
        (Slack shows blocks over ``text``), so text is then sent as a section block too.

        Raises:
            SlackApiError: Slack refused.
        """
        if ts in self._maybe_streaming:
            self._end_stream(ts, step)
        if blocks is None and ts in self._earlier and len(text) <= 3000:
            blocks = [{"type": "section", "text": mrkdwn_object(text)}]
        metadata = job_metadata(self.job.job_id, step) if self.job is not None else None
        self.client.chat_update(channel=self.channel_id, ts=ts, text=text,
                                blocks=list(blocks) if blocks is not None else None, metadata=metadata)


def post_once(
    client: WebClient, *, channel_id: str, thread_ts: str | None, text: str,
    blocks: Sequence[Any] | None = None, job: JobRef | None, step: str, oldest: str | None = None,
) -> str | None:
    """Post one message at most once per job and step (see :class:`JobPoster`): the writer for digest posts
    and any other single post a job makes.

    Args:
        blocks: Block Kit blocks (dicts or :mod:`slack_sdk.models.blocks` objects).
        job: the job (None outside a job: a plain post).
        step: names this post among the job's posts, e.g. ``"digest"`` or ``"digest-2"``.
        oldest: the ``ts`` after which an earlier delivery's post can be (narrows the look-up).

    Returns:
        the message's ``ts``.

    Raises:
        SlackApiError: Slack refused.
    """
    return JobPoster(client, channel_id=channel_id, thread_ts=thread_ts, job=job, oldest=oldest).post(
        step, text=text, blocks=blocks)

def is_dm_conversation(channel_id: str) -> bool:
    """True for a DM (``D…``): where agent / assistant threads live and ``assistant.threads.*`` apply."""
    return channel_id.startswith("D")


def post_text(client: WebClient, *, channel_id: str, thread_ts: str | None, text: str,
              poster: JobPoster | None = None, step: str = "reply") -> str | None:
    """Post ``text`` (mrkdwn) in a thread (or the channel when ``thread_ts`` is None).

    Args:
        poster: the job's poster for this conversation: the post is then made at most once per ``step``.

    Returns:
        the new message's ``ts`` (None if Slack gave none).

    Raises:
        SlackApiError: Slack refused.
    """
    if poster is not None:
        return poster.post(step, text=text)
    response = client.chat_postMessage(channel=channel_id, thread_ts=thread_ts, text=text, unfurl_links=False,
                                       unfurl_media=False)
    ts = response.get("ts")
    return str(ts) if ts else None


def update_text(client: WebClient, *, channel_id: str, ts: str | None, text: str,
                poster: JobPoster | None = None, step: str = "reply") -> None:
    """Replace the text of a message Recap posted (``chat.update``); nothing when ``ts`` is None.

    Args:
        poster, step: the job's poster and the message's step (keeps the job's metadata on the message).

    Raises:
        SlackApiError: Slack refused.
    """
    if not ts:
        return
    if poster is not None:
        poster.update(ts, step, text=text)
    else:
        client.chat_update(channel=channel_id, ts=ts, text=text)


def post_chunks(
    client: WebClient, *, channel_id: str, thread_ts: str | None, chunks: Sequence[list[dict[str, Any]]],
    text: str, update_ts: str | None = None, poster: JobPoster | None = None, update_step: str = "reply",
    step_prefix: str = "answer",
) -> str | None:
    """Post (or update into ``update_ts``) the first chunk of Block Kit blocks, then the rest as replies.

    Args:
        chunks: messages' blocks, in order (each within Slack's per-message limits).
        text: the notification / fallback text of every message.
        update_ts: a message to update with the first chunk (the "Reading…" placeholder), or None.
        poster: the job's poster: each chunk is its own step (``answer-1``, ``answer-2``, …; the first is
            ``update_step`` when it goes into ``update_ts``), posted at most once across deliveries.

    Returns:
        the ``ts`` of the first message.

    Raises:
        SlackApiError: Slack refused a post or update.
    """
    first_ts = update_ts
    for index, blocks in enumerate(chunks):
        if index == 0 and update_ts:
            if poster is not None:
                poster.update(update_ts, update_step, text=text, blocks=list(blocks))
            else:
                client.chat_update(channel=channel_id, ts=update_ts, text=text, blocks=list(blocks))
            continue
        if poster is not None:
            ts = poster.post(f"{step_prefix}-{index}", text=text, blocks=list(blocks))
        else:
            response = client.chat_postMessage(channel=channel_id, thread_ts=thread_ts, text=text,
                                               blocks=list(blocks), unfurl_links=False, unfurl_media=False)
            ts = response.get("ts")
        first_ts = first_ts or ts
    return first_ts


def add_reaction(client: WebClient, *, channel_id: str, ts: str, name: str, wait: bool = True) -> bool:
    """Add the reaction ``name`` (best effort). Returns False when Slack refused (logged).

    ``wait=False`` (a sign of life): skip it, returning False, when the workspace's ``reactions.add`` budget
    (Tier 3, shared by every worker: :func:`bot.slack.client.call_if_free`) has no slot free now, instead of
    waiting up to a minute for one; the caller's next visible step is then the sign of life."""
    try:
        if not wait:
            done = call_if_free(client, "reactions.add", json={"channel": channel_id, "timestamp": ts, "name": name})
            if done is None:
                logger.info("skipped :%s: in %s: the workspace's reactions.add budget is spent for now", name,
                            channel_id)
            return done is not None
        client.reactions_add(channel=channel_id, timestamp=ts, name=name)
        return True
    except SlackApiError as exc:
        logger.info("could not add :%s: in %s: %s", name, channel_id, exc.response.get("error"))
        return False


def remove_reaction(client: WebClient, *, channel_id: str, ts: str, name: str) -> bool:
    """Remove the reaction ``name`` (best effort). Returns False when Slack refused (logged)."""
    try:
        client.reactions_remove(channel=channel_id, timestamp=ts, name=name)
        return True
    except SlackApiError as exc:
        logger.info("could not remove :%s: in %s: %s", name, channel_id, exc.response.get("error"))
        return False


def post_ephemeral(client: WebClient, *, channel_id: str, user_id: str, thread_ts: str | None, text: str) -> bool:
    """Show ``text`` to ``user_id`` only (``chat.postEphemeral``). Returns False when Slack refused (logged)."""
    try:
        client.chat_postEphemeral(channel=channel_id, user=user_id, thread_ts=thread_ts, text=text)
        return True
    except SlackApiError as exc:
        logger.info("could not tell %s in %s: %s", user_id, channel_id, exc.response.get("error"))
        return False


MAX_LOADING_MESSAGES = 10
"""``assistant.threads.setStatus`` rotates through at most 10 loading messages."""


def set_status(client: WebClient, *, channel_id: str, thread_ts: str, status: str,
               loading_messages: Sequence[str] | None = None, wait: bool = True) -> bool:
    """``assistant.threads.setStatus``: "is reading…" under a thread while Recap works (``""`` clears it).

    Works in DM / agent threads and, since Slack accepted ``chat:write`` for it (2026-03), in channel threads
    too (https://docs.slack.dev/changelog/2026/03/05/set-status-scope-update); the status disappears by
    itself when Recap replies, or after two minutes.

    Args:
        loading_messages: texts Slack rotates through while the status shows (the first
            :data:`MAX_LOADING_MESSAGES` are sent); None for none.

        wait: False skips the call when the workspace's budget for the method has no slot free now
            (:func:`bot.slack.client.call_if_free`), as for a sign of life.

    Returns:
        True when Slack set it. Never raises: a missing status is not worth failing an answer.
    """
    messages = list(loading_messages)[:MAX_LOADING_MESSAGES] if loading_messages and status else None
    try:
        if not wait:
            params: dict[str, Any] = {"channel_id": channel_id, "thread_ts": thread_ts, "status": status}
            if messages:
                params["loading_messages"] = messages
            return call_if_free(client, "assistant.threads.setStatus", json=params) is not None
        client.assistant_threads_setStatus(channel_id=channel_id, thread_ts=thread_ts, status=status,
                                           loading_messages=messages)
        return True
    except SlackApiError as exc:
        logger.info("setStatus in %s: %s", channel_id, exc.response.get("error"))
        return False
