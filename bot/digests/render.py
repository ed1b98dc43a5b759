"""Digests as Slack Block Kit (and as Markdown for the command line): records in, blocks out.

Pure functions over the records of :mod:`bot.digests.build`. Summary points are rendered by the
summaries feature's renderer (:mod:`bot.summaries.render`), so a digest's points, owners and numbered
citations look like any other summary's. Block Kit stays within Slack's limits (≤ 50 blocks a message,
section text ≤ 3,000 characters, header ≤ 150 characters; source:
https://docs.slack.dev/reference/block-kit/blocks) and uses short lines that read well on a phone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.digests.build import ChannelDigest, OrgDigest
from bot.digests.events import declines, quotable, says_little, stands_alone
from bot.models import Point, Summary
from bot.slack.text import escape_mrkdwn, escape_mrkdwn_links, mrkdwn_object
from bot.summaries import render
from bot.summaries.sentences import split_sentences

HEADER_LIMIT = 150  # Slack's header block plain_text limit

Block = dict[str, Any]
"""One Block Kit block (a JSON object)."""



def _section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn_object(text[: render.SECTION_LIMIT])}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [mrkdwn_object(text[: render.SECTION_LIMIT])]}


def _header(text: str) -> Block:
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


def _thread_lines(digest: ChannelDigest, *, limit: int | None = None, skip: set[str] | frozenset[str] = frozenset()
                  ) -> list[str]:
    """The main threads' lines, busiest first (at most ``limit``; not those whose ``thread_ts`` is in ``skip``), then
    how many more threads were counted."""
    by_ts = {t.thread_ts: t for t in digest.threads}
    linked = [t for t in digest.linked_threads if t not in skip]
    shown = linked[:limit] if limit is not None else linked
    lines = []
    for thread_ts in shown:
        thread = by_ts[thread_ts]
        url = digest.permalinks.get(thread.link_ts)
        title = escape_mrkdwn(thread.title) or "(no text)"
        link = f"<{url}|{title}>" if url else title
        extra = f"{thread.replies} repl{'y' if thread.replies == 1 else 'ies'}"
        if thread.started_before:
            extra += ", continued"
        lines.append(f"• {link} — {extra}")
    rest = len(digest.threads) - len(shown) - sum(1 for t in digest.linked_threads if t in skip)
    if rest > 0:
        lines.append(f"_…and {rest} more thread{'' if rest == 1 else 's'} (counted above)_")
    return lines


def _permalink_lookup(digest: ChannelDigest) -> render.PermalinkFor:
    return digest.permalinks.get


def _summary_sections(summary: Summary, permalink_for: render.PermalinkFor, *, said: Point | None = None) -> list[Block]:
    """The summary's sections as blocks, without ``said`` (the headline's point: a reader reads it once) nor another
    point holding its words (the same sentence as a decision and an action item, or inside a longer point)."""
    body = replace(summary, overview="", answer=None)
    if said is not None:
        words = " ".join(said.text.lower().split()).rstrip("…. ")

        def says_it(p: Point) -> bool:  # the headline's point, another point holding its words, or one whose message
            # the headline cites and one of whose sentences it shows, up to 12 words (a question and its answer, each
            # cut: "Anyone here that uses renv with Docker? — Ralf: That path looks like HOME is not set …")
            shown = [" ".join(x.lower().split()[:12]) for x in split_sentences(p.text)]
            return (p is said or bool(words) and words in " ".join(p.text.lower().split())
                    or set(p.source_ts) <= set(said.source_ts)
                    and (any(len(x.split()) >= 4 and x in words for x in shown)
                         or " ".join(p.text.lower().split()).rstrip("…. ") in words))  # the headline's link alone

        for name in ("key_points", "decisions", "action_items", "open_questions"):
            setattr(body, name, [p for p in getattr(body, name) if not says_it(p)])
        if body.outcome is not None and says_it(body.outcome):
            body.outcome = None
    blocks = [b for chunk in render.to_blocks(body, permalink_for=permalink_for) for b in chunk]
    return blocks


_THREAD_TS = re.compile(r"[?&]thread_ts=(\d+\.\d+)")
HEADLINE_WORDS = 30  # a headline longer than this is cut at a word, with "…"
ORG_LINES = 5  # lines of an org digest's "Across the org"


def _thread_of(ts: str, permalinks: dict[str, str]) -> str:
    """The thread a message belongs to: the ``thread_ts`` its permalink names (Slack writes reply permalinks
    as ``…/p<ts>?thread_ts=<parent>&cid=<channel>``), else the message itself (a parent or a lone message)."""
    match = _THREAD_TS.search(permalinks.get(ts, ""))
    return match.group(1) if match else ts


def headline_point(digest: ChannelDigest) -> Point | None:
    """The point that is the week's most important event: :attr:`ChannelDigest.headline`, quoting the message
    :func:`bot.digests.events.main_event` chose (:func:`bot.digests.events.headline_for`); without one (a digest
    built elsewhere), the point from the busiest thread of the period (most replies, then most people), decisions
    before key points before action items. None when the week is quiet or no point cites a message of the
    period. Not the first sentence of the oldest thread: a week is told by its news; nor an apology for not coming
    (:func:`bot.digests.events.declines`; the overview heads the digest instead, unless it is one: then the first key
    point that is not); nor an overview that says little (:func:`bot.digests.events.says_little`: thanks, a reply's
    "yes", "also …", three words): then the first key point or decision a headline can quote
    (:func:`bot.digests.events.quotable`), if any."""
    summary = digest.summary
    if summary is None:
        return None
    if digest.headline is not None:
        return digest.headline
    weight = {t.thread_ts: (t.replies, t.people) for t in digest.threads}
    candidates = [(stands_alone(p.text), weight.get(_thread_of(p.source_ts[0], digest.permalinks), (-1, -1)), -rank,
                   -order, p)
                  for rank, section in enumerate((summary.decisions, summary.key_points, summary.action_items))
                  for order, p in enumerate(section) if p.source_ts and p.text.strip()]
    candidates = [c for c in candidates if c[1] > (0, 0) and not declines(c[4].text)]
    best = max(candidates, default=None, key=lambda c: c[:4])
    if best is None and declines(summary.overview or ""):  # the overview would say "Sorry you won't be able to make it"
        return next((p for p in summary.key_points if p.source_ts and not declines(p.text)), None)
    if best is None and says_little(summary.overview or ""):  # nor "thanks @javier - good idea, i'll post it there
        # too!", "Fritz Khan inspiration" or "Also slack works well with growing teams."
        return next((p for p in [*summary.key_points, *summary.decisions] if p.source_ts and quotable(p.text)), None)
    return best[4] if best is not None else None


def headline_said(digest: ChannelDigest) -> Point | None:
    """The point the headline says: :func:`headline_point`, else the point whose words the overview headline
    repeats (the overview is the top sentence, shortened with "…"; a point may show its author first, "Name: I …"),
    outcome included; None when there is none."""
    point = headline_point(digest)
    summary = digest.summary
    if point is not None or summary is None or not summary.overview:
        return point
    said = " ".join(summary.overview.rstrip("…").split())
    return next((p for p in summary.all_points() if " ".join(p.text.split()).startswith(said)
                 or " ".join(p.text.split()).startswith(f"{_speaker(p)}: {said}")), None) if said else None


def _speaker(point: Point) -> str:
    """The "Name" of a point shown as "Name: I …" (a week's first-person point names its author), else ""."""
    head, sep, _ = point.text.partition(": ")
    return head if sep and len(head.split()) <= 5 else ""


def headline(digest: ChannelDigest) -> str:
    """The week's most important event, as the digest's headline (plain text, not escaped): the text of
    :func:`headline_point`, else the summary's overview; at most :data:`HEADLINE_WORDS` words, twice that for a
    question shown with its answer ("… — Name: …")."""
    point = headline_point(digest)
    summary = digest.summary
    return _clipped(point.text if point is not None else (summary.overview if summary is not None else "") or "This week")


def _clipped(text: str) -> str:
    """``text`` cut to :data:`HEADLINE_WORDS` words at most, twice that for a question shown with its answer."""
    words, limit = text.split(), HEADLINE_WORDS * 2 if " — " in text else HEADLINE_WORDS  # a question and its answer
    return text if len(words) <= limit else " ".join(words[:limit]).rstrip(",;:") + "…"


def channel_blocks(digest: ChannelDigest) -> list[Block]:
    """Block Kit for a channel digest (one message: ≤ 50 blocks).

    Layout, top to bottom: header (channel and period), headline (:func:`headline`), counts, main threads with links,
    the summary's key points / decisions / action items (with owners) / open questions, most active
    people, integration counts. A quiet week is one section.
    """
    if digest.quiet:
        return [_section(quiet_text(digest))]
    assert digest.summary is not None
    blocks: list[Block] = [
        _header(f"#{digest.channel_name} · {digest.period.label}"),
        _section(f"*{escape_mrkdwn_links(' '.join(headline(digest).split()))}*"),  # its link clickable
        _context(counts_line(digest)),
    ]
    lines = _thread_lines(digest)
    if lines:
        blocks.append(_section("*Main threads*\n" + "\n".join(lines)))
    blocks.extend(_summary_sections(digest.summary, _permalink_lookup(digest), said=headline_said(digest)))
    if digest.top_people:
        people = ", ".join(f"{escape_mrkdwn(name)} ({count})" for name, count in digest.top_people)
        blocks.append(_context(f"*Most active:* {people}"))
    if digest.bot_counts:
        bots = ", ".join(f"{escape_mrkdwn(name)} {count}" for name, count in digest.bot_counts.items())
        blocks.append(_context(f"*Integrations (counted, not summarized):* {bots}"))
    return _fit(blocks)


def quiet_text(digest: ChannelDigest) -> str:
    """The one-line post of a quiet week."""
    text = f":zzz: Quiet week in #{escape_mrkdwn(digest.channel_name)} ({digest.period.label}): no messages from people."
    if digest.threads:
        text += f" {len(digest.threads)} thread{'' if len(digest.threads) == 1 else 's'}."
    if digest.bot_counts:
        text += f" Integrations posted {sum(digest.bot_counts.values())} times."
    return text


def org_blocks(digest: OrgDigest) -> list[Block]:
    """Block Kit for the org digest: header, "Across the org", a part per channel that had people's messages, then
    one line naming the channels "Across the org" speaks for alone and one naming the quiet channels.

    "Across the org" is the week's events across the channels (:attr:`OrgDigest.news`, offline), each after its
    channel's name and as long as a headline (:func:`headline`), or, with a model, the highlights across them. Said
    once: a channel whose event is there (its first: :func:`bot.digests.build.org_news`) heads its own part with its
    next event (:attr:`OrgDigest.more`), else with its counts alone, and has no part without either or a thread to
    link (it is named on the "Also active" line); a highlight that cites the message a channel's headline quotes is
    left out (79 of 86 org digests of four R Contributors channels, 2022–2023, had repeated one); a main thread whose
    opening message a line above already quotes is not listed again. Read whole (docs/evals.md, forty-first round):
    six or seven "quiet week" sections took most of a digest's length, a channel part of counts alone was
    "clutter", and an active channel with no mention below "Across the org" looked left out."""
    blocks: list[Block] = [_header(f"Org news · {digest.period.label}")]
    lookup: dict[str, str] = {}
    for channel in digest.channels:
        lookup.update(channel.permalinks)
    citations = render.Citations(lookup.get)  # numbered across the digest: [1] [2] [3], not [1] each
    in_news = {n.channel_id for n in digest.news}
    also: list[str] = []  # channels "Across the org" speaks for, with nothing more to show
    quoted = {n.point.source_ts[0] for n in digest.news if n.point.source_ts}

    def shown(point: Point, *, dated: bool = True) -> str:  # a headline's length, its day if it says "today", cited
        text = _clipped(point.text)
        return render.point_line(replace(point, text=_dated(text, point, digest) if dated else text), _language(digest),
                                 lookup.get, markdown=False, citations=citations)[2:]

    lines = [f"• *#{escape_mrkdwn(n.channel_name)}* — {shown(n.point)}" for n in digest.news]
    said = {p.source_ts[0] for c in digest.channels if not c.quiet and c.channel_id not in in_news
            for p in [headline_said(c)] if p is not None and p.source_ts}  # each channel's line says its headline
    for n in digest.fill:  # after the events, points that read alone, none a channel's line below says
        if len(lines) >= ORG_LINES:
            break
        if said & set(n.point.source_ts):
            continue
        lines.append(f"• *#{escape_mrkdwn(n.channel_name)}* — {shown(n.point)}")
        quoted.update(n.point.source_ts[:1])
    if digest.highlights is not None:
        points = [p for p in digest.highlights.key_points + digest.highlights.decisions + digest.highlights.action_items
                  if not said & set(p.source_ts)]
        lines += [render.point_line(p, digest.highlights.language, lookup.get, markdown=False, citations=citations)
                  for p in points[:5]]
    if lines:
        blocks += [_section("*Across the org*"), _section("\n".join(lines))]
    for channel in digest.channels:
        if channel.quiet:
            continue
        assert channel.summary is not None
        name = f"*#{escape_mrkdwn(channel.channel_name)}*"
        if channel.channel_id in in_news:  # its week's event is in "Across the org": its next one, threads, counts
            more = digest.more.get(channel.channel_id)
            if more is not None:
                quoted.add(more.source_ts[0])
            lines = _thread_lines(channel, limit=3, skip=quoted)
            if more is None and not any(line.startswith("• ") for line in lines):
                counts = counts_line(channel) if channel.threads else counts_line(channel).split(" · ")[0]
                also.append(f"#{escape_mrkdwn(channel.channel_name)} ({counts})")  # every thread is counted
                continue
            blocks.append({"type": "divider"})
            if more is not None:
                blocks += [_section(f"{name} — {shown(more, dated=False)}"), _context(counts_line(channel))]
            else:
                blocks.append(_section(f"{name} · {counts_line(channel)}"))
            if lines:
                blocks.append(_section("\n".join(lines)))
            continue
        blocks += [{"type": "divider"},
                   _section(f"{name} — {escape_mrkdwn_links(' '.join(headline(channel).split()))}")]
        point = headline_said(channel)
        if point is not None and point.source_ts:
            quoted.add(point.source_ts[0])
        blocks.append(_context(counts_line(channel)))
        lines = _thread_lines(channel, limit=3, skip=quoted)
        if lines:
            blocks.append(_section("\n".join(lines)))
    quiet = [f"#{escape_mrkdwn(c.channel_name)}" for c in digest.channels if c.quiet]
    tail = ([f"_Also active (above): {', '.join(also)}_"] if also else []) + (
        [f"_Quiet this week: {', '.join(quiet)}_"] if quiet else [])
    if tail:
        blocks += [{"type": "divider"}, _context("\n".join(tail))]
    return _fit(blocks)


_RELATIVE = re.compile(r"\b(?:today|tonight|tomorrow|yesterday|last night|this (?:morning|afternoon|evening|week)|"
                       r"next week|coming soon|(?:starting|starts|on) now|in (?:\d+|an?|one|two|a few) (?:hours?|min\w*))\b",
                       re.IGNORECASE)
"""Time said relative to the post ("today", "tomorrow", "is coming soon!", "in one hour"): an org digest is read days
later."""


def _dated(text: str, point: Point, digest: OrgDigest) -> str:
    """``text`` with the day its message was posted, when it says a time relative to the post (:data:`_RELATIVE`):
    "We're running two office hours today. (posted Thu 12 Jan)". Read whole (docs/evals.md, forty-first round), events
    announced as "today", "tomorrow" or "coming soon" were graded stale by the Friday they were read."""
    if not point.source_ts or not _RELATIVE.search(text):
        return text
    try:
        posted = datetime.fromtimestamp(float(point.source_ts[0]), digest.period.oldest.tzinfo)
    except (ValueError, OverflowError, OSError):
        return text
    return f"{text} (posted {posted:%a} {posted.day} {posted:%b})"


def _language(digest: OrgDigest) -> str:
    """The language of the org digest's labels: the first active channel's summary's."""
    return next((c.summary.language for c in digest.channels if c.summary is not None), "en")


def _fit(blocks: list[Block]) -> list[Block]:
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


def blocks_to_markdown(blocks: Sequence[Block]) -> str:
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
    text = re.sub(r"<(https?://[^|>\s]+)>", r"\1", text)  # a link as written: <url> -> url
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")




__all__ = [
    "blocks_to_markdown",
    "channel_blocks",
    "counts_line",
    "fallback_text",
    "headline",
    "headline_point",
    "headline_said",
    "org_blocks",
    "quiet_text",
    "stands_alone",
]
