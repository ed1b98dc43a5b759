"""The one summary pipeline: check access, read, keep people's messages, summarize, cite.

Every surface calls :func:`summarize_conversation`: the ``@Recap`` mention, ``/summarize``, the *Summarize
thread* shortcut, the DM / agent view (:mod:`bot.summaries.assistant`) and the command line
(``recap summarize``). They differ only in what they ask for (:class:`ConversationRequest`) and in how
they show the result (Block Kit, mrkdwn or Markdown, :class:`SummaryResult`)::

    access check (when the request names a requester)   bot.access.AccessChecker.check_read
      -> read      a thread, or a channel window          bot.slack.reader.Reader (Web API or export)
      -> filter    people only: no bots, not the mention itself, not Recap
      -> window    messages from before a window (a thread parent of last week) are context only
      -> summarize model (map-reduce) or extractive       bot.summaries.summarize.summarize
      -> cite      ts -> permalink                         Reader.permalink
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property

from bot import strings
from bot.access import AccessChecker
from bot.llm.base import Provider
from bot.models import Message, Point, Summary
from bot.periods import Window, parse_period
from bot.slack.reader import Reader
from bot.slack.text import mrkdwn_object
from bot.summaries import render
from bot.summaries.ranking import bot_root, handoff
from bot.summaries.render import PermalinkFor
from bot.summaries.summarize import summarize


@dataclass(frozen=True)
class ConversationRequest:
    """What to summarize (or what to answer a question about).

    Attributes:
        channel_id: the channel (or DM) to read.
        thread_ts: a thread's parent ``ts``; None for a channel window.
        period: the window's text for :func:`bot.periods.parse_period` (``"7d"``, ``"since monday"``); None
            means the default window. Ignored for threads or when ``window`` is given.
        window: an explicit window (the command line's ``--week`` / ``--since``).
        question: answer this question from the conversation instead of summarizing it.
        requester_id: the person asking; when set, Recap first checks that they may read the channel
            (``/summarize``, the shortcut, DMs). None for a mention, which is made inside the conversation,
            and for exports read on the command line.
        exclude_ts: messages to leave out (the mention itself).
        bot_user_id: Recap's own user ID, whose messages are left out.
        here: the person is inside the conversation (a mention): titles and "nothing to summarize"
            texts say "this thread" / "this channel" instead of naming it.
        max_points: at most this many points per section (a shorter or longer redo asks for fewer or more).
    """

    channel_id: str
    thread_ts: str | None = None
    period: str | None = None
    window: Window | None = None
    question: str | None = None
    requester_id: str | None = None
    exclude_ts: frozenset[str] = field(default_factory=frozenset)
    bot_user_id: str | None = None
    here: bool = False
    max_points: int = 5


@dataclass
class SummaryResult:
    """The pipeline's answer, ready to be shown on any surface.

    Attributes:
        summary: the cited summary, or None when there was nothing from people to summarize.
        messages: the people's messages that were summarized, oldest first.
        title: the first line of the answer (None for a mention inside the thread).
        where: the conversation named for the person ("that thread", "#general in the last 24 hours").
        permalink_for: ``ts -> permalink`` for the citations.
    """

    summary: Summary | None
    messages: list[Message]
    title: str | None
    where: str
    permalink_for: PermalinkFor

    @property
    def empty(self) -> bool:
        """True when there was nothing to summarize."""
        return self.summary is None

    def nothing_text(self) -> str:
        """The kind "nothing to summarize" text for this conversation."""
        from bot import strings

        return strings.NOTHING_TO_SUMMARIZE.format(where=self.where)

    def blocks(self) -> list[list[dict]]:
        """Block Kit messages (each ≤ 50 blocks); a single section saying so when nothing was summarized."""
        if self.summary is None:
            return [[{"type": "section", "text": mrkdwn_object(self.nothing_text())}]]
        return render.to_blocks(self.summary, permalink_for=self.permalink_for, title=self.title,
                                author_for=self.author_for)

    def fallback_text(self) -> str:
        """The notification text of the answer's messages."""
        return render.fallback_text(self.summary) if self.summary is not None else self.nothing_text()

    def text(self, *, markdown: bool) -> str:
        """The answer as Slack mrkdwn or plain Markdown (command line)."""
        if self.summary is None:
            return self.nothing_text()
        if markdown:
            return render.to_markdown(self.summary, permalink_for=self.permalink_for, title=self.title,
                                      author_for=self.author_for)
        return render.to_mrkdwn(self.summary, permalink_for=self.permalink_for, title=self.title,
                                author_for=self.author_for)

    def author_for(self, ts: str) -> str | None:
        """The display name of the author of the summarized message ``ts`` (None when unknown)."""
        return self._authors.get(ts)

    @cached_property
    def _authors(self) -> dict[str, str]:
        return {m.ts: m.user_name for m in self.messages}


def people_only(messages: Sequence[Message], *, exclude_ts: frozenset[str] | set[str] = frozenset(),
                bot_user_id: str | None = None) -> list[Message]:
    """Messages written by people: no bot messages (but a thread's parent a bot posted and people answered:
    :func:`bot.summaries.ranking.bot_root`, and a bot's reply that says where the thread's question went on:
    :func:`bot.summaries.ranking.handoff`, which the summary shows and never reads as a person's), none of
    ``exclude_ts``, none by ``bot_user_id``."""
    kept = [m for m in messages if m.ts not in exclude_ts and (not bot_user_id or m.user_id != bot_user_id)]
    root, handed = bot_root(kept), handoff(kept)
    return [m for m in kept if not m.is_bot or m is root or m is handed]


def permalink_lookup(reader: Reader, messages: Sequence[Message]) -> PermalinkFor:
    """``ts -> permalink`` for ``messages`` (the message's own permalink, else the reader's)."""
    by_ts = {m.ts: m for m in messages}

    def permalink_for(ts: str) -> str | None:
        message = by_ts.get(ts)
        if message is None:
            return None
        return message.permalink or reader.permalink(message.channel_id, message.ts, message.thread_ts)

    return permalink_for


def summarize_conversation(
    request: ConversationRequest, *, reader: Reader, provider: Provider | None, now: datetime,
    tz: str = "UTC", default_hours: int = 24, access: AccessChecker | None = None,
) -> SummaryResult:
    """Run the pipeline for one request.

    Args:
        request: what to read and for whom.
        reader: the workspace's reader (Web API) or an export reader.
        provider: the model, or None for the extractive summarizer.
        now: the current time (aware), for windows.
        tz: the workspace time zone, for windows.
        default_hours: the default window, hours.
        access: the workspace's access checker; required when ``request.requester_id`` is set.

    Returns:
        A :class:`SummaryResult` (``summary`` None when no person wrote anything there).

    Raises:
        SlackAccessError: the requester may not read the channel (nothing is read then), or the bot is
            not in it (:class:`bot.errors.BotNotInChannel`).
        InputError: a period that cannot be parsed.
        SlackReadError: Slack or the export could not be read.
        (Model failures do not raise: the extractive summary comes back labelled with the reason.)
    """
    if request.requester_id is not None:
        if access is None:
            raise ValueError("a request with a requester needs an access checker")
        name = access.check_read(user_id=request.requester_id, channel_id=request.channel_id).name
    elif request.here:
        name = ""
    else:
        name = reader.channel(request.channel_id).name
    oldest: float | None = None  # a window's start: what came before it is context
    if request.thread_ts:
        raw = reader.thread(request.channel_id, request.thread_ts)
        title = None if request.here else f"Thread in #{name}"
        where = strings.WHERE_THIS_THREAD if request.here else strings.WHERE_THAT_THREAD
    else:
        window = request.window or parse_period(request.period, now=now, tz=tz, default_hours=default_hours)
        oldest = window.oldest_ts
        raw = reader.history(request.channel_id, oldest=window.oldest_ts, latest=window.latest_ts)
        title = f"This channel, {window.label}" if request.here else f"#{name}, {window.label}"
        where = (strings.WHERE_THIS_CHANNEL.format(period=window.label) if request.here
                 else strings.WHERE_CHANNEL.format(name=name, period=window.label))
    messages = people_only(raw, exclude_ts=request.exclude_ts, bot_user_id=request.bot_user_id)
    if oldest is not None:
        messages = mark_context(messages, oldest=oldest)
    permalink_for = permalink_lookup(reader, messages)
    if not any(not m.context for m in messages):
        return SummaryResult(None, [], title, where, permalink_for)
    summary = within_window(summarize(messages, provider=provider, question=request.question, max_points=request.max_points,
                                      window=not request.thread_ts), messages)
    return SummaryResult(summary, messages, title, where, permalink_for)


def mark_context(messages: Sequence[Message], *, oldest: float) -> list[Message]:
    """``messages`` with those posted before ``oldest`` (Unix seconds) marked ``context=True``: readers add a
    thread's parent from before the window so its replies make sense; it is context, not the window's news."""
    return [replace(m, context=True) if float(m.ts) < oldest else m for m in messages]


def within_window(summary: Summary, messages: Sequence[Message]) -> Summary:
    """``summary`` without the points that cite only context messages (:func:`mark_context`), whoever wrote it.

    The extractive summarizer never makes such points; a model may, from the parent it was shown. The outcome
    goes too when it cites only context. Returns the same object, changed in place.
    """
    context = {m.ts for m in messages if m.context}
    if not context:
        return summary

    def inside(point: Point | None) -> bool:
        return point is not None and not (point.source_ts and set(point.source_ts) <= context)

    for name in ("key_points", "decisions", "action_items", "open_questions"):
        setattr(summary, name, [p for p in getattr(summary, name) if inside(p)])
    if summary.outcome is not None and not inside(summary.outcome):
        summary.outcome = None
    return summary
