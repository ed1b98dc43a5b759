"""One message streamed into a thread with Slack's native streaming, and what to do when Slack refuses it.

Slack's streaming methods (https://docs.slack.dev/reference/methods/chat.startStream, ``chat.appendStream``,
``chat.stopStream``) post one message that grows as text is appended, then is finished by ``stopStream``,
whose ``blocks`` are shown at the bottom of the finished message. slack_sdk's helper
(``WebClient.chat_stream``, :class:`slack_sdk.web.chat_stream.ChatStream`) starts the stream on the first
flush and sends the text as ``markdown_text`` chunks; we flush on every append (``buffer_size=1``), since
each append is one finished, checked point, not a token.

The rules Slack documents and this module keeps:

- outside a DM, ``recipient_team_id`` and ``recipient_user_id`` (the person who asked) are required;
- ``markdown_text`` is standard Markdown (not mrkdwn), at most 12,000 characters per call: a longer
  piece is sent in several appends;
- only a message still streaming can be appended to or stopped.

:class:`AnswerStream` never raises :class:`~slack_sdk.errors.SlackApiError` from :meth:`~AnswerStream.append`:
a refused ``startStream`` (e.g. ``invalid_arguments``, a workspace without streaming) sets
:attr:`~AnswerStream.refused` and the caller posts the answer the classic way (a post, then
``chat.update``); a failure after the start sets :attr:`~AnswerStream.broken` and the caller replaces the
message with ``chat.update`` at the end.

A streamed message carries the job's metadata only from ``chat.stopStream`` on (``chat.startStream`` takes
none), so a worker killed mid-stream leaves a message that :func:`bot.slack.writer.find_job_posts` cannot
find. ``on_start`` is called with the message's ``ts`` as soon as ``chat.startStream`` returns it, for the
caller to record durably; the redelivered job's :class:`~bot.slack.writer.JobPoster` (``recorded``) then
finishes and updates that message instead of answering a second time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.slack.writer import JobRef, is_dm_conversation, job_metadata

logger = logging.getLogger(__name__)

MAX_MARKDOWN_CHARS = 12_000
"""``markdown_text`` limit of one ``chat.startStream|appendStream|stopStream`` call, characters."""


class AnswerStream:
    """A reply streamed into a thread (``chat.startStream`` on the first :meth:`append`).

    Args:
        client: the workspace's Web API client.
        channel_id, thread_ts: where the reply goes (``thread_ts``: the thread's parent).
        team_id, user_id: the person who asked (the stream's recipient; required outside DMs).
        job: the running job: :meth:`stop` marks the message with :func:`bot.slack.writer.job_metadata`
            (step ``step``), so a redelivered job finds and updates it instead of answering twice.
        step: the job step the finished message stands for.
        on_start: called once with the message's ``ts`` right after ``chat.startStream`` returned it (before
            anything else is sent), e.g. to record it for a redelivery; its exceptions are logged, never raised.

    Attributes:
        refused: Slack's error when it refused to start the stream (None otherwise): nothing was posted.
        broken: Slack's error when an append or the stop failed after the start: the message exists
            (:attr:`ts`) but may be incomplete; replace it with ``chat.update``.
        sent: the markdown appended so far, in order.
    """

    def __init__(self, client: WebClient, *, channel_id: str, thread_ts: str, team_id: str, user_id: str,
                 job: JobRef | None = None, step: str = "reply",
                 on_start: Callable[[str], None] | None = None) -> None:
        recipients: dict[str, Any] = {}
        if not is_dm_conversation(channel_id):
            recipients = {"recipient_team_id": team_id or None, "recipient_user_id": user_id or None}
        self._stream = client.chat_stream(channel=channel_id, thread_ts=thread_ts, buffer_size=1, **recipients)
        self.client = client
        self.channel_id = channel_id
        self.job = job
        self.step = step
        self.refused: str | None = None
        self.broken: str | None = None
        self.sent: list[str] = []
        self.stopped = False
        self.on_start = on_start
        self._announced = False

    @property
    def ts(self) -> str | None:
        """The streamed message's ``ts`` once started (None before, or when Slack refused)."""
        ts = self._stream.ts
        return str(ts) if ts else None

    @property
    def live(self) -> bool:
        """True while appends still reach Slack (not refused, not broken, not stopped)."""
        return self.refused is None and self.broken is None and not self.stopped

    def append(self, markdown: str) -> bool:
        """Append ``markdown`` (standard Markdown; split under :data:`MAX_MARKDOWN_CHARS` per call).

        Returns:
            True when Slack took it; False when the stream is refused, broken or stopped (never raises).
        """
        if not markdown or not self.live:
            return False
        for start in range(0, len(markdown), MAX_MARKDOWN_CHARS):
            piece = markdown[start : start + MAX_MARKDOWN_CHARS]
            try:
                self._stream.append(markdown_text=piece)
            except (SlackApiError, SlackRequestError) as exc:
                error = exc.response.get("error", "error") if isinstance(exc, SlackApiError) else str(exc)
                if self.ts is None:
                    self.refused = str(error)
                    logger.info("chat.startStream refused in %s: %s", self.channel_id, error)
                else:
                    self.broken = str(error)
                    logger.info("chat.appendStream failed in %s: %s", self.channel_id, error)
                    self._announce()
                return False
            self.sent.append(piece)
            self._announce()
        return True

    def _announce(self) -> None:
        """Hand the new message's ``ts`` to ``on_start``, once."""
        ts = self.ts
        if self._announced or ts is None:
            return
        self._announced = True
        if self.on_start is not None:
            try:
                self.on_start(ts)
            except Exception:  # noqa: BLE001 - a lost record costs a retry's duplicate, never this answer
                logger.exception("could not record the stream %s in %s", ts, self.channel_id)

    def stop(self, *, blocks: Sequence[dict[str, Any]] | None = None) -> bool:
        """``chat.stopStream``: finish the message, with ``blocks`` at its bottom (the feedback controls)
        and the job's metadata. Nothing when the stream never started.

        Returns:
            True when the message is finished; False when it never started or Slack refused (then
            :attr:`broken` is set when a message exists). Never raises.
        """
        if self.ts is None or self.stopped:
            return False
        metadata = job_metadata(self.job.job_id, self.step) if self.job is not None else None
        try:
            self._stream.stop(blocks=list(blocks) if blocks else None, metadata=metadata)
        except (SlackApiError, SlackRequestError) as exc:
            self.broken = str(exc.response.get("error", "error") if isinstance(exc, SlackApiError) else exc)
            logger.info("chat.stopStream failed in %s: %s", self.channel_id, self.broken)
            return False
        self.stopped = True
        return True

    def replace(self, *, text: str, blocks: Sequence[dict[str, Any]]) -> None:
        """Replace the streamed message with a final rendering (``chat.update``, keeping the job's metadata).

        Raises:
            SlackApiError: Slack refused.
        """
        if self.ts is None:
            return
        metadata = job_metadata(self.job.job_id, self.step) if self.job is not None else None
        self.client.chat_update(channel=self.channel_id, ts=self.ts, text=text, blocks=list(blocks),
                                metadata=metadata)
