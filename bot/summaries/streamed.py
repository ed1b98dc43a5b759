"""A mention's model answer, streamed into the thread point by point (Slack's native streaming).

:class:`StreamedAnswer` is the :data:`~bot.summaries.summarize.PointSink` the mention hands to
:func:`bot.summaries.summarize.streaming`: each finished, checked and guarded part of the model's answer
(:class:`~bot.summaries.summarize.StreamItem`) is rendered as standard Markdown (``markdown_text`` is
Markdown, not mrkdwn) with the renderer's own :func:`~bot.summaries.render.point_line` and numbered
citations, and appended to one :class:`~bot.slack.stream.AnswerStream`.

At the end (:meth:`StreamedAnswer.matches`) the mention compares what was streamed with the final summary
(:func:`~bot.summaries.summarize.stream_items`): when the streamed parts are the final ones, in order,
the rest is appended and the stream stopped with the feedback controls as its blocks; otherwise (a
repair changed the answer, the model broke midway and the offline summary stands in, the guard or the
length budget removed something, notes to show) the finished message is replaced once by the final
rendering (``chat.update``).
"""

from __future__ import annotations

from collections.abc import Callable

from bot import strings
from bot.models import Message, Summary
from bot.slack.reader import Reader
from bot.slack.stream import AnswerStream
from bot.slack.text import one_line
from bot.summaries.render import Citations, fit_length, outcome_line, point_line
from bot.summaries.summarize import SECTIONS, StreamItem, stream_items


class StreamedAnswer:
    """Streams :class:`StreamItem` into an :class:`AnswerStream` as Markdown.

    Args:
        stream: the Slack stream (started by the first append).
        reader: the workspace's reader, for the cited messages' permalinks (as the pipeline's).
        on_refused: called once when Slack refuses to start the stream (the caller posts its classic
            "Reading…" reply instead); later items are then only recorded.

    Attributes:
        items: every item received, in order (streamed or not).
    """

    def __init__(self, stream: AnswerStream, *, reader: Reader, on_refused: Callable[[], None] | None = None) -> None:
        self.stream = stream
        self.reader = reader
        self.on_refused = on_refused
        self.items: list[StreamItem] = []
        self._by_ts: dict[str, Message] = {}
        self._citations = Citations(self._permalink)
        self._section: str | None = None
        self._refusal_told = False

    def _permalink(self, ts: str) -> str | None:
        message = self._by_ts.get(ts)
        if message is None:
            return None
        return message.permalink or self.reader.permalink(message.channel_id, message.ts, message.thread_ts)

    def __call__(self, item: StreamItem) -> None:
        """Render ``item`` and append it (the sink). Never raises for Slack's refusals."""
        self.items.append(item)
        for message in item.cited:
            self._by_ts[message.ts] = message
        if not self.stream.live:
            return
        self.stream.append(self.markdown(item))
        if self.stream.refused and not self._refusal_told:
            self._refusal_told = True
            if self.on_refused is not None:
                self.on_refused()

    def markdown(self, item: StreamItem) -> str:
        """One item as the Markdown appended for it (a heading before a section's first point)."""
        language, point = item.language, item.point
        if item.section == "overview":
            return f"{one_line(point.text)}\n"
        if item.section == "answer":
            return f"\n**{strings.heading(language, 'answer')}:** {one_line(point.text)}\n"
        if item.section == "outcome":
            return outcome_line(Summary(overview="", outcome=point, language=language), self._citations,
                                markdown=True) + "\n"
        heading = ""
        if item.section != self._section and item.section in SECTIONS:
            self._section = item.section
            heading = f"\n**{strings.heading(language, item.section)}**\n"
        return heading + point_line(point, language, self._permalink, markdown=True, citations=self._citations) + "\n"

    @property
    def started(self) -> bool:
        """True when a streamed message exists in the thread."""
        return self.stream.ts is not None

    def matches(self, summary: Summary, *, title: str | None, max_points: int) -> list[StreamItem] | None:
        """The final items still to append when what was streamed is the start of ``summary``'s parts,
        in order, and the final rendering would add nothing else (no title, no notes: not offline, nothing
        omitted, no point left out for length, not awaiting a reply); None when the message must be replaced instead.

        Args:
            summary: the final summary (after the pipeline's guard and window cuts).
            title: the answer's title line (a mention in a thread has none).
            max_points: the request's points per section.
        """
        fitted, left_out = fit_length(summary)
        if title or left_out or summary.offline or summary.fallback_reason or summary.omitted or summary.awaiting_reply:
            return None  # (nor "No one else has replied yet.", which is no streamed part: the final rendering shows it)
        final = stream_items(fitted, max_points=max_points)
        if len(self.items) > len(final):
            return None
        if not all(mine.same_as(theirs) for mine, theirs in zip(self.items, final, strict=False)):
            return None
        return final[len(self.items):]

    def finish(self, rest: list[StreamItem], messages: list[Message]) -> bool:
        """Append the final items that had not streamed yet (``messages``: the conversation, for their
        citations). Returns False when Slack refused one."""
        for message in messages:
            self._by_ts.setdefault(message.ts, message)
        for item in rest:
            self.items.append(item)
            if not self.stream.append(self.markdown(item)):
                return False
        return True
