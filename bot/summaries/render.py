"""Render a :class:`~bot.models.Summary` as Slack Block Kit, Slack mrkdwn or plain Markdown.

Pure functions. Every point ends with numbered links to the messages it comes from. Text from
messages is escaped (``&``, ``<``, ``>``) so message text can never become a Slack link or mention;
Slack limits are respected: a section's text ≤ 3,000 characters, ≤ 50 blocks a message
(source: Slack's Block Kit reference), so long summaries are split into several messages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot import strings
from bot.models import Point, Summary

SECTION_LIMIT = 3000
BLOCK_LIMIT = 50
SECTIONS = ("key_points", "decisions", "action_items", "open_questions")

PermalinkFor = Callable[[str], str | None]


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters Slack treats as control characters in mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cites(point: Point, permalink_for: PermalinkFor, *, markdown: bool) -> str:
    links = []
    for number, ts in enumerate(point.source_ts[:3], start=1):
        url = permalink_for(ts)
        if not url:
            continue
        links.append(f"[[{number}]]({url})" if markdown else f"<{url}|[{number}]>")
    return (" " + " ".join(links)) if links else ""


def _point_line(point: Point, language: str, permalink_for: PermalinkFor, *, markdown: bool) -> str:
    text = point.text.strip() if markdown else escape_mrkdwn(point.text.strip())
    owner = ""
    if point.owner:
        owner_text = point.owner if markdown else escape_mrkdwn(point.owner)
        owner = f" — {strings.heading(language, 'owner')}: *{owner_text}*" if not markdown else (
            f" — {strings.heading(language, 'owner')}: **{owner_text}**")
    return f"• {text}{owner}{_cites(point, permalink_for, markdown=markdown)}"


def _overview(summary: Summary) -> str:
    """The overview line, unless it only repeats a point listed below it (an extractive overview is
    the top sentence, which is usually also a key point)."""
    overview = (summary.overview or "").strip()
    stem = overview.rstrip("…").strip()
    if stem and any(p.text.strip().startswith(stem) for p in summary.all_points()):
        return ""
    return overview


def _notes(summary: Summary) -> list[str]:
    notes = []
    if summary.omitted:
        notes.append(strings.OMITTED_NOTE.format(what=summary.omitted))
    if summary.fallback_reason:
        notes.append(strings.FALLBACK_NOTE.format(reason=summary.fallback_reason))
    elif summary.offline:
        notes.append(strings.OFFLINE_NOTE)
    return notes


def _chunks(lines: Sequence[str], limit: int) -> list[str]:
    """Join lines into texts of at most ``limit`` characters (a single longer line is cut)."""
    out: list[str] = []
    current = ""
    for line in lines:
        if len(line) > limit:
            line = line[: limit - 1] + "…"
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            out.append(current)
            current = line
        else:
            current = candidate
    if current:
        out.append(current)
    return out


def to_blocks(
    summary: Summary, *, permalink_for: PermalinkFor, title: str | None = None
) -> list[list[dict]]:
    """Block Kit messages for a summary.

    Args:
        summary: the summary.
        permalink_for: maps a message ``ts`` to its permalink (or None).
        title: an optional first line (e.g. "Summary of #general, the last 24 hours").

    Returns:
        a list of messages, each a list of ≤ 50 blocks; usually one message.
    """
    blocks: list[dict] = []
    if title:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"*{escape_mrkdwn(title)}*"}})
    if summary.answer:
        answer = f"*{strings.heading(summary.language, 'answer')}:* {escape_mrkdwn(summary.answer)}"
        for text in _chunks([answer], SECTION_LIMIT):
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
    if _overview(summary):
        for text in _chunks([escape_mrkdwn(_overview(summary))], SECTION_LIMIT):
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
    for key in SECTIONS:
        points: list[Point] = getattr(summary, key)
        if not points:
            continue
        lines = [f"*{strings.heading(summary.language, key)}*"] + [
            _point_line(p, summary.language, permalink_for, markdown=False) for p in points
        ]
        for text in _chunks(lines, SECTION_LIMIT):
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
    notes = _notes(summary)
    if notes:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": n} for n in notes]})
    return [blocks[i : i + BLOCK_LIMIT] for i in range(0, len(blocks), BLOCK_LIMIT)] or [[]]


def to_mrkdwn(summary: Summary, *, permalink_for: PermalinkFor, title: str | None = None) -> str:
    """The summary as one Slack mrkdwn text (also the notification fallback ``text``)."""
    parts = []
    if title:
        parts.append(f"*{escape_mrkdwn(title)}*")
    if summary.answer:
        parts.append(f"*{strings.heading(summary.language, 'answer')}:* {escape_mrkdwn(summary.answer)}")
    if _overview(summary):
        parts.append(escape_mrkdwn(_overview(summary)))
    for key in SECTIONS:
        points: list[Point] = getattr(summary, key)
        if points:
            parts.append(f"*{strings.heading(summary.language, key)}*")
            parts.extend(_point_line(p, summary.language, permalink_for, markdown=False) for p in points)
    parts.extend(_notes(summary))
    return "\n".join(parts)


def to_markdown(summary: Summary, *, permalink_for: PermalinkFor, title: str | None = None) -> str:
    """The summary as plain Markdown (for the command line and files)."""
    parts = []
    if title:
        parts.append(f"# {title}\n")
    if summary.answer:
        parts.append(f"**{strings.heading(summary.language, 'answer')}:** {summary.answer}\n")
    if _overview(summary):
        parts.append(f"{_overview(summary)}\n")
    for key in SECTIONS:
        points: list[Point] = getattr(summary, key)
        if points:
            parts.append(f"## {strings.heading(summary.language, key)}")
            parts.extend(_point_line(p, summary.language, permalink_for, markdown=True) for p in points)
            parts.append("")
    parts.extend(n.replace("_", "*") for n in _notes(summary))
    return "\n".join(parts).rstrip() + "\n"


def fallback_text(summary: Summary, *, limit: int = 3000) -> str:
    """A short plain text for notifications (``text`` beside ``blocks``), ≤ ``limit`` characters."""
    text = escape_mrkdwn(summary.answer or summary.overview or "Summary")
    return text if len(text) <= limit else text[: limit - 1] + "…"
