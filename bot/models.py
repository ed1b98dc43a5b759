"""Plain records shared by every part of Recap: messages, channels, summaries.

Nothing here knows Slack's JSON or an SDK; readers build these, summarizers consume them and
renderers turn them into mrkdwn / Block Kit / Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone


@dataclass(frozen=True)
class Message:
    """One human message of a conversation, as read from the Web API or an export.

    Attributes:
        channel_id: Slack channel ID (``C…``, ``G…``, ``D…``).
        ts: the message's Slack timestamp string (``"1700000000.000100"``), its ID within the channel.
        user_id: author's user ID (``U…``/``W…``), or None for integrations.
        user_name: author's display name, resolved.
        text: message text with ``<@U…>``/``<#C…>`` resolved to ``@name``/``#name`` and links kept.
        thread_ts: ``ts`` of the thread parent, or None for a top-level message without replies.
        reply_count: number of replies (parents only).
        is_bot: True for bot/integration posts (kept so digests can count them, never quoted).
        permalink: link to the message in Slack, when known.
        context: True for a message posted before the summarized window (a thread parent from the week before,
            read so its replies make sense): summarizers read it but never make a point or a headline of it.
        reactions: people's reactions to it, people × emoji (the sum of each ``reactions[].count`` that
            ``conversations.history`` / ``conversations.replies`` and exports return); 0 when none or unknown.
        approvals: the part of ``reactions`` that approves of it (``:+1:``, ``:100:``, ``:heavy_check_mark:``,
            ``:heart:``…; :data:`bot.slack.text.APPROVING`): in a thread, how its readers marked the answer that helped.
    """

    channel_id: str
    ts: str
    user_id: str | None
    user_name: str
    text: str
    thread_ts: str | None = None
    reply_count: int = 0
    is_bot: bool = False
    permalink: str | None = None
    context: bool = False
    reactions: int = 0
    approvals: int = 0

    @property
    def time(self) -> datetime:
        """The message time as an aware UTC datetime."""
        return datetime.fromtimestamp(float(self.ts), tz=timezone.utc)

    @property
    def is_reply(self) -> bool:
        """True when the message is a reply inside a thread (not the parent)."""
        return self.thread_ts is not None and self.thread_ts != self.ts


@dataclass(frozen=True)
class Channel:
    """What Recap needs to know about a conversation to read it and check access.

    Attributes:
        id: channel ID.
        name: channel name without ``#`` (a DM's name is the other person's).
        is_private: private channel.
        is_im: direct message.
        is_mpim: group DM.
        is_ext_shared: Slack Connect channel shared with another organization.
        is_member: whether the bot is a member.
        is_archived: archived channel.
    """

    id: str
    name: str
    is_private: bool = False
    is_im: bool = False
    is_mpim: bool = False
    is_ext_shared: bool = False
    is_member: bool = True
    is_archived: bool = False

    @property
    def is_restricted(self) -> bool:
        """True when only members may read it (private channel, DM, group DM)."""
        return self.is_private or self.is_im or self.is_mpim


@dataclass
class Point:
    """One cited point of a summary.

    Attributes:
        text: the point, in the conversation's language.
        source_ts: ``ts`` of the message(s) it comes from (at least one when citing is possible).
        owner: for action items, the person who owns it (``@name``), else None.
    """

    text: str
    source_ts: list[str] = field(default_factory=list)
    owner: str | None = None


@dataclass
class Summary:
    """A structured summary of a thread or channel window.

    Attributes:
        overview: one line saying what the conversation was about.
        overview_ts: the message an extractive overview quotes (shown with its author and citation, like a
            point); None when the overview is a model's own words.
        outcome: where the conversation ended (its last state: agreed, answered, still open), cited; shown
            first. None when the summarizer could not tell.
        key_points, decisions, action_items, open_questions: cited points.
        answer: when the user asked a question instead of a summary, the answer (cited in ``key_points``).
        answer_unsupported: True when a model's answer cited no message and none of the conversation's sentences
            supports it (:func:`bot.summaries.attribution.ground_answer`): it is shown with a note saying so.
        answer_attributed: True when a model's answer cited no message and Recap cited the one that states it.
        language: ISO 639-1 code of the conversation's dominant language (``"en"``, ``"zh"``, …).
        provider: the provider that wrote it (``"offline"``, ``"anthropic"``, ``"openai"``).
        model: model name, or ``"extractive"`` for offline.
        offline: True when the extractive summarizer wrote it (no key, or fallback).
        fallback_reason: why we fell back to offline, when we did.
        omitted: what was left out and why (never silent truncation), or None.
        message_count: messages read.
        awaiting_reply: True for a thread in which no one but the person who started it has written (bot
            messages aside, e.g. a help-desk bot's cross-post): "Where it ended" first says that no one else has
            replied yet, then shows the outcome, if any (:func:`bot.summaries.extractive.awaiting_reply`). Set for
            any provider's thread summary, not for an answer to a question.
        handed_off: for a thread no one else answered (``awaiting_reply``), a bot's reply there that says where the
            question went on (a cross-post to a forum, a ticket it opened: "Success, it has been cross posted to
            Discourse (https://discourse.julialang.org/t/57016)"), cited; shown after "No one else has replied yet"
            (:func:`bot.summaries.ranking.handoff`). None otherwise.
    """

    overview: str
    overview_ts: str | None = None
    outcome: Point | None = None
    key_points: list[Point] = field(default_factory=list)
    decisions: list[Point] = field(default_factory=list)
    action_items: list[Point] = field(default_factory=list)
    open_questions: list[Point] = field(default_factory=list)
    answer: str | None = None
    answer_unsupported: bool = False
    answer_attributed: bool = False
    language: str = "en"
    provider: str = "offline"
    model: str = "extractive"
    offline: bool = True
    fallback_reason: str | None = None
    omitted: str | None = None
    message_count: int = 0
    awaiting_reply: bool = False
    handed_off: Point | None = None

    def answer_sources(self) -> list[str]:
        """The ``ts`` the answer rests on, in key point order, each once: the key points whose text it quotes (the
        offline answer is made of its key points), else every key point (a model answers in its own words, with
        "the points it rests on" as key points: :class:`bot.llm.schema.QuestionAnswer`); empty without an answer."""
        if not self.answer:
            return []
        quoted = self.quoted_by_answer()
        return list(dict.fromkeys(ts for p in (quoted or self.key_points) for ts in p.source_ts))

    def quoted_by_answer(self) -> list[Point]:
        """The key points whose text the answer quotes word for word (the offline answer is made of them; a model's
        answer, in its own words, quotes none); empty without an answer."""
        answer = self.answer or ""
        return [p for p in self.key_points if p.text.strip() and p.text.strip() in answer]

    def all_points(self) -> list[Point]:
        """Every point of every section, in display order (the outcome first)."""
        return [*([self.outcome] if self.outcome else []), *self.key_points, *self.decisions, *self.action_items, *self.open_questions]
