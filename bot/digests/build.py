"""Weekly channel digests and the multi-channel "org news" digest: messages in, a record and Block Kit out.

Pure functions (the summarizer is the only call out, and it is injectable). Reading, claiming and
posting live in :mod:`bot.digests.service`; scheduling in :mod:`bot.digests.scheduler`.

A digest covers a :class:`Period` ``[start, end)``. Messages are filtered to that period, so a thread
that started earlier but got replies in the period counts (by its replies in the period) and its links
point at its first reply of the period, never at the older parent. Bot / integration posts
(``Message.is_bot``) are only counted per bot, never summarized or quoted. Block Kit stays within
Slack's limits (≤ 50 blocks a message, section text ≤ 3,000 characters, header ≤ 150 characters;
source: https://docs.slack.dev/reference/block-kit/blocks) and uses short lines that read well on a phone.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import InputError
from bot.models import Message, Summary
from bot.summaries import render

MAIN_THREADS = 5  # threads linked by name in a channel digest
TOP_PEOPLE = 5  # people listed as most active
SNIPPET_CHARS = 90  # characters of a thread's first message shown as its title
HEADER_LIMIT = 150  # Slack's header block plain_text limit
QUIET_POST = "post"
QUIET_SKIP = "skip"

Summarizer = Callable[..., Summary]

_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


# ---------------------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    """A digest period ``[start, end)``.

    Attributes:
        start: aware datetime (in the digest's zone), inclusive.
        end: aware datetime, exclusive.
        label: for people, e.g. ``"week of 28 Aug 2023"``.
    """

    start: datetime
    end: datetime
    label: str

    @property
    def oldest(self) -> float:
        """``start`` as Unix seconds."""
        return self.start.timestamp()

    @property
    def latest(self) -> float:
        """``end`` as Unix seconds."""
        return self.end.timestamp()

    def contains(self, ts: str) -> bool:
        """True when a message ``ts`` lies in the period."""
        return self.oldest <= float(ts) < self.latest


def _label(start: date, end_exclusive: date) -> str:
    last = end_exclusive - timedelta(days=1)
    return f"{start:%-d %b} – {last:%-d %b %Y}"


def iso_week(week: str, tz: str = "UTC") -> Period:
    """The ISO week ``"2023-W35"`` as a period from Monday 00:00 to the next Monday 00:00 in ``tz``.

    Raises:
        InputError: not an ISO week.
    """
    match = _ISO_WEEK.match(week.strip())
    if not match:
        raise InputError(f"not an ISO week: {week!r} (use e.g. 2023-W35)")
    try:
        monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError as exc:
        raise InputError(f"not an ISO week: {week!r}") from exc
    return days_period(monday, monday + timedelta(days=7), tz)


def days_period(first: date, end_exclusive: date, tz: str) -> Period:
    """Local midnight of ``first`` to local midnight of ``end_exclusive`` in ``tz`` (DST-correct)."""
    zone = ZoneInfo(tz)
    return Period(
        start=datetime.combine(first, time(0), tzinfo=zone),
        end=datetime.combine(end_exclusive, time(0), tzinfo=zone),
        label=_label(first, end_exclusive),
    )


def period_before(run_time: datetime, tz: str, *, days: int = 7) -> Period:
    """The ``days`` full local days before the day of ``run_time``.

    A Monday 09:00 run covers Monday to Sunday of the week before; a Friday 16:00 run the previous
    Friday to Thursday. Keyed on the run's local date, so a late (caught-up) run covers the same period.
    """
    local_day = run_time.astimezone(ZoneInfo(tz)).date()
    return days_period(local_day - timedelta(days=days), local_day, tz)


def weeks_between(first: str, last: str) -> list[str]:
    """Every ISO week from ``first`` to ``last`` inclusive (``"2021-W01"`` … ``"2021-W52"``).

    Raises:
        InputError: a bound is not an ISO week, or ``last`` is before ``first``.
    """
    start, end = iso_week(first).start.date(), iso_week(last).start.date()
    if end < start:
        raise InputError(f"{last} is before {first}")
    out = []
    day = start
    while day <= end:
        year, number, _ = day.isocalendar()
        out.append(f"{year}-W{number:02d}")
        day += timedelta(days=7)
    return out


# ---------------------------------------------------------------------------------------- records


@dataclass
class ThreadActivity:
    """One thread with activity in the period.

    Attributes:
        thread_ts: the parent's ``ts``.
        replies: replies posted in the period.
        people: distinct human authors in the period.
        title: the first words of the parent (or of the first reply, when the parent is a bot's).
        link_ts: the message a link should open: the parent when it is in the period, else the first
            reply in the period (so no link leaves the period).
        link_thread_ts: ``thread_ts`` for the link (None when ``link_ts`` is the parent).
        started_before: the parent is older than the period.
    """

    thread_ts: str
    replies: int
    people: int
    title: str
    link_ts: str
    link_thread_ts: str | None
    started_before: bool


@dataclass
class ChannelDigest:
    """A channel's digest for one period.

    Attributes:
        channel_id, channel_name: the channel.
        period: the period covered.
        summary: the summary of the period's human messages (None for a quiet week).
        messages: human messages in the period.
        threads: every thread active in the period, busiest first (all are counted).
        linked_threads: the ``thread_ts`` of the threads shown with a link.
        people: human authors in the period.
        top_people: ``(name, messages)`` of the most active, busiest first.
        bot_counts: ``{bot name: posts}`` of integrations in the period (never quoted).
        permalinks: ``ts`` -> permalink of every message in the period.
    """

    channel_id: str
    channel_name: str
    period: Period
    summary: Summary | None
    messages: int
    threads: list[ThreadActivity]
    linked_threads: list[str]
    people: int
    top_people: list[tuple[str, int]]
    bot_counts: dict[str, int]
    permalinks: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def quiet(self) -> bool:
        """True when no person wrote in the channel during the period."""
        return self.messages == 0


@dataclass
class OrgDigest:
    """The "org news" digest: a section per channel plus highlights across them.

    Attributes:
        period: the period covered.
        channels: one :class:`ChannelDigest` per source channel, in the order asked.
        highlights: a summary across every source's human messages (None when all were quiet).
    """

    period: Period
    channels: list[ChannelDigest]
    highlights: Summary | None


# ---------------------------------------------------------------------------------------- building


def _default_summarizer() -> Summarizer:
    from bot.summaries.summarize import summarize

    return summarize


def _snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def thread_activity(in_period: Sequence[Message], everything: Sequence[Message], period: Period) -> list[ThreadActivity]:
    """Threads active in the period, busiest first.

    Args:
        in_period: messages of the period (people and bots).
        everything: the same plus context parents older than the period (as readers return them).
        period: the period.

    Returns:
        One :class:`ThreadActivity` per thread with a parent or a reply in the period, sorted by
        replies in the period (descending), then age.
    """
    by_ts = {m.ts: m for m in everything}
    replies: dict[str, list[Message]] = {}
    for message in in_period:
        if message.is_reply:
            replies.setdefault(str(message.thread_ts), []).append(message)
    roots = {m.ts for m in in_period if not m.is_reply and m.reply_count} | set(replies)
    out = []
    for thread_ts in roots:
        fresh = sorted(replies.get(thread_ts, []), key=lambda m: float(m.ts))
        parent = by_ts.get(thread_ts)
        in_range = period.contains(thread_ts)
        if not in_range and not fresh:
            continue
        if in_range and parent is not None and not fresh and not parent.reply_count:
            continue
        people = {m.user_id or m.user_name for m in fresh if not m.is_bot}
        if parent is not None and in_range and not parent.is_bot:
            people.add(parent.user_id or parent.user_name)
        title_source = parent if parent is not None and not parent.is_bot else next(
            (m for m in fresh if not m.is_bot), None)
        title = _snippet(title_source.text) if title_source is not None else "(integration thread)"
        if in_range:
            link_ts, link_thread = thread_ts, None
        else:
            link_ts, link_thread = fresh[0].ts, thread_ts
        out.append(ThreadActivity(thread_ts=thread_ts, replies=len(fresh), people=len(people), title=title,
                                  link_ts=link_ts, link_thread_ts=link_thread, started_before=not in_range))
    out.sort(key=lambda t: (-t.replies, float(t.thread_ts)))
    return out


def build_channel_digest(
    messages: Sequence[Message],
    *,
    channel_id: str,
    channel_name: str,
    period: Period,
    provider: object,
    permalink_for: Callable[[str, str, str | None], str],
    summarizer: Summarizer | None = None,
    max_points: int = 5,
) -> ChannelDigest:
    """Build one channel's digest.

    Args:
        messages: what the reader returned for the period (``history(..., include_replies=True)``):
            messages of the period plus older context parents; bots flagged with ``is_bot``.
        channel_id, channel_name: the channel.
        period: the period; messages outside it are never summarized or linked.
        provider: the model provider handed to the summarizer (``bot.summaries.summarize.summarize``, which
            map-reduces long weeks).
        permalink_for: ``(channel_id, ts, thread_ts) -> url`` (``Reader.permalink``).
        summarizer: replaces ``bot.summaries.summarize.summarize`` (tests).
        max_points: points per summary section.

    Returns:
        A :class:`ChannelDigest`; ``summary`` is None when no person wrote in the period.
    """
    in_period = [m for m in messages if m.channel_id == channel_id and period.contains(m.ts)]
    human = [m for m in in_period if not m.is_bot and (m.text or "").strip()]
    bots = Counter(m.user_name for m in in_period if m.is_bot)
    people = Counter(m.user_name for m in human)
    threads = thread_activity(in_period, messages, period)
    linked = [t.thread_ts for t in threads][:MAIN_THREADS]
    summary = None
    if human:
        summarize = summarizer or _default_summarizer()
        summary = summarize(human, provider=provider, max_points=max_points)
        summary = _only_citing(summary, {m.ts for m in human})
    permalinks = {m.ts: m.permalink or permalink_for(channel_id, m.ts, m.thread_ts if m.is_reply else None)
                  for m in in_period}
    return ChannelDigest(
        channel_id=channel_id, channel_name=channel_name, period=period, summary=summary, messages=len(human),
        threads=threads, linked_threads=linked, people=len(people), top_people=people.most_common(TOP_PEOPLE),
        bot_counts=dict(bots.most_common()), permalinks=permalinks,
    )


def _only_citing(summary: Summary, allowed: set[str]) -> Summary:
    """Drop citations of messages outside ``allowed`` (the period's human messages)."""
    def keep(points):
        return [replace(p, source_ts=[ts for ts in p.source_ts if ts in allowed]) for p in points]

    return replace(summary, key_points=keep(summary.key_points), decisions=keep(summary.decisions),
                   action_items=keep(summary.action_items), open_questions=keep(summary.open_questions))


def build_org_digest(
    channels: Sequence[ChannelDigest],
    *,
    period: Period,
    human_messages: Sequence[Message],
    provider: object,
    summarizer: Summarizer | None = None,
) -> OrgDigest:
    """The org digest from per-channel digests plus a summary across all their human messages.

    Args:
        channels: the sources' digests (see :func:`build_channel_digest`), in display order.
        period: the period.
        human_messages: every source's human messages of the period, oldest first.
        provider, summarizer: as :func:`build_channel_digest`.
    """
    highlights = None
    human = sorted((m for m in human_messages if not m.is_bot and period.contains(m.ts)), key=lambda m: float(m.ts))
    if human:
        summarize = summarizer or _default_summarizer()
        highlights = _only_citing(summarize(human, provider=provider, max_points=3), {m.ts for m in human})
    return OrgDigest(period=period, channels=list(channels), highlights=highlights)


# ---------------------------------------------------------------------------------------- rendering

_esc = render.escape_mrkdwn


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[: render.SECTION_LIMIT]}}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[: render.SECTION_LIMIT]}]}


def _header(text: str) -> dict:
    text = text if len(text) <= HEADER_LIMIT else text[: HEADER_LIMIT - 1] + "…"
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": True}}


def counts_line(digest: ChannelDigest) -> str:
    """``"128 messages · 14 threads · 19 people"`` (plus integration posts when there were any)."""
    def n(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    parts = [n(digest.messages, "message"), n(len(digest.threads), "thread"), n(digest.people, "person").replace(
        "persons", "people")]
    bot_posts = sum(digest.bot_counts.values())
    if bot_posts:
        parts.append(n(bot_posts, "integration post"))
    return " · ".join(parts)


def _thread_lines(digest: ChannelDigest, *, limit: int | None = None) -> list[str]:
    by_ts = {t.thread_ts: t for t in digest.threads}
    shown = digest.linked_threads[:limit] if limit is not None else digest.linked_threads
    lines = []
    for thread_ts in shown:
        thread = by_ts[thread_ts]
        url = digest.permalinks.get(thread.link_ts)
        title = _esc(thread.title) or "(no text)"
        link = f"<{url}|{title}>" if url else title
        extra = f"{thread.replies} repl{'y' if thread.replies == 1 else 'ies'}"
        if thread.started_before:
            extra += ", continued"
        lines.append(f"• {link} — {extra}")
    rest = len(digest.threads) - len(shown)
    if rest > 0:
        lines.append(f"_…and {rest} more thread{'' if rest == 1 else 's'} (counted above)_")
    return lines


def _permalink_lookup(digest: ChannelDigest) -> render.PermalinkFor:
    return digest.permalinks.get


def _summary_sections(summary: Summary, permalink_for: render.PermalinkFor) -> list[dict]:
    body = replace(summary, overview="", answer=None)
    blocks = [b for chunk in render.to_blocks(body, permalink_for=permalink_for) for b in chunk]
    return blocks


def channel_blocks(digest: ChannelDigest) -> list[dict]:
    """Block Kit for a channel digest (one message: ≤ 50 blocks).

    Layout, top to bottom: header (channel and period), headline, counts, main threads with links,
    the summary's key points / decisions / action items (with owners) / open questions, most active
    people, integration counts. A quiet week is one section.
    """
    if digest.quiet:
        return [_section(quiet_text(digest))]
    assert digest.summary is not None
    blocks: list[dict] = [
        _header(f"#{digest.channel_name} · {digest.period.label}"),
        _section(f"*{_esc(digest.summary.overview or 'This week')}*"),
        _context(counts_line(digest)),
    ]
    lines = _thread_lines(digest)
    if lines:
        blocks.append(_section("*Main threads*\n" + "\n".join(lines)))
    blocks.extend(_summary_sections(digest.summary, _permalink_lookup(digest)))
    if digest.top_people:
        people = ", ".join(f"{_esc(name)} ({count})" for name, count in digest.top_people)
        blocks.append(_context(f"*Most active:* {people}"))
    if digest.bot_counts:
        bots = ", ".join(f"{_esc(name)} {count}" for name, count in digest.bot_counts.items())
        blocks.append(_context(f"*Integrations (counted, not summarized):* {bots}"))
    return _fit(blocks)


def quiet_text(digest: ChannelDigest) -> str:
    """The one-line post of a quiet week."""
    text = f":zzz: Quiet week in #{_esc(digest.channel_name)} ({digest.period.label}): no messages from people."
    if digest.threads:
        text += f" {len(digest.threads)} thread{'' if len(digest.threads) == 1 else 's'}."
    if digest.bot_counts:
        text += f" Integrations posted {sum(digest.bot_counts.values())} times."
    return text


def org_blocks(digest: OrgDigest) -> list[dict]:
    """Block Kit for the org digest: header, "across the org" highlights, then a section per channel."""
    blocks: list[dict] = [_header(f"Org news · {digest.period.label}")]
    lookup: dict[str, str] = {}
    for channel in digest.channels:
        lookup.update(channel.permalinks)
    if digest.highlights is not None:
        blocks.append(_section("*Across the org*"))
        points = digest.highlights.key_points + digest.highlights.decisions + digest.highlights.action_items
        lines = [render._point_line(p, digest.highlights.language, lookup.get, markdown=False) for p in points[:5]]
        if lines:
            blocks.append(_section("\n".join(lines)))
    for channel in digest.channels:
        blocks.append({"type": "divider"})
        if channel.quiet:
            blocks.append(_section(f"*#{_esc(channel.channel_name)}* — quiet week"))
            continue
        assert channel.summary is not None
        text = f"*#{_esc(channel.channel_name)}* — {_esc(channel.summary.overview)}"
        blocks.append(_section(text))
        blocks.append(_context(counts_line(channel)))
        lines = _thread_lines(channel, limit=3)
        if lines:
            blocks.append(_section("\n".join(lines)))
    return _fit(blocks)


def _fit(blocks: list[dict]) -> list[dict]:
    """At most 50 blocks: the tail is dropped with a note (never silently)."""
    if len(blocks) <= render.BLOCK_LIMIT:
        return blocks
    return blocks[: render.BLOCK_LIMIT - 1] + [_context("_More was left out to fit one Slack message._")]


def fallback_text(digest: ChannelDigest | OrgDigest) -> str:
    """The notification ``text`` beside the blocks."""
    if isinstance(digest, OrgDigest):
        return f"Org news, {digest.period.label}"
    if digest.quiet:
        return quiet_text(digest)
    return f"#{digest.channel_name}, {digest.period.label}: {counts_line(digest)}"


def blocks_to_markdown(blocks: Sequence[dict]) -> str:
    """Plain text of Block Kit blocks for the command line (``<url|label>`` becomes ``[label](url)``)."""
    out = []
    for block in blocks:
        if block["type"] == "header":
            out.append(f"# {block['text']['text']}\n")
        elif block["type"] == "section":
            out.append(block["text"]["text"] + "\n")
        elif block["type"] == "context":
            out.append(" ".join(e["text"] for e in block["elements"]) + "\n")
        elif block["type"] == "divider":
            out.append("---\n")
    text = "\n".join(out)
    text = re.sub(r"<(https?://[^|>]+)\|([^>]*)>", r"[\2](\1)", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


__all__ = [
    "ChannelDigest",
    "OrgDigest",
    "Period",
    "ThreadActivity",
    "blocks_to_markdown",
    "build_channel_digest",
    "build_org_digest",
    "channel_blocks",
    "counts_line",
    "days_period",
    "fallback_text",
    "iso_week",
    "org_blocks",
    "period_before",
    "quiet_text",
    "thread_activity",
    "weeks_between",
]
