"""Render a :class:`~bot.models.Summary` as Slack Block Kit, Slack mrkdwn or plain Markdown.

Pure functions. Every point ends with numbered links to the messages it comes from.

Model and message text is shown as written, never as Slack syntax:

* it is escaped (``&``, ``<``, ``>``), so it can never become a Slack link, mention or broadcast;
* every ``mrkdwn`` text object carries ``verbatim: true``, so Slack does not auto-link bare URLs,
  ``#channel`` names or ``@here``-like words (Block Kit text object reference);
* each text is one line (newlines become spaces), so a point cannot start a line that fakes
  Recap's headings or bullets;
* the ``http(s)`` URLs left in it — the output guard (:mod:`bot.summaries.guard`) has kept only the
  source's — are written as explicit ``<url>`` links, so they stay clickable.

Slack limits are respected: a section's text ≤ 3,000 characters, ≤ 50 blocks a message
(source: Slack's Block Kit reference), so long summaries are split into several messages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot import strings
from bot.models import Point, Summary
from bot.slack.text import escape_mrkdwn, escape_mrkdwn_links, mrkdwn_object, one_line

SECTION_LIMIT = 3000
BLOCK_LIMIT = 50
SECTIONS = ("key_points", "decisions", "action_items", "open_questions")

PermalinkFor = Callable[[str], str | None]


def _cites(point: Point, permalink_for: PermalinkFor, *, markdown: bool) -> str:
    links = []
    for number, ts in enumerate(point.source_ts[:3], start=1):
        url = permalink_for(ts)
        if not url:
            continue
        links.append(f"[[{number}]]({url})" if markdown else f"<{url}|[{number}]>")
    return (" " + " ".join(links)) if links else ""


def _text(text: str | None, *, markdown: bool = False, links: bool = True) -> str:
    """Model or message text for display: one line; for mrkdwn escaped, with its URLs as ``<url>`` links."""
    line = one_line(text or "")
    if markdown:
        return line
    return escape_mrkdwn_links(line) if links else escape_mrkdwn(line)


def point_line(point: Point, language: str, permalink_for: PermalinkFor, *, markdown: bool) -> str:
    """One point as a bullet line: its text (one line; escaped for mrkdwn, its URLs explicit links), its
    owner, and up to 3 numbered citations."""
    text = _text(point.text, markdown=markdown)
    owner = ""
    if point.owner:
        owner_text = _text(point.owner, markdown=markdown, links=False)
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
    """Join lines into texts of at most ``limit`` characters (a single longer line is cut, never inside a
    ``<…>`` link)."""
    out: list[str] = []
    current = ""
    for line in lines:
        if len(line) > limit:
            line = line[: limit - 1]
            if line.rfind("<") > line.rfind(">"):
                line = line[: line.rfind("<")]
            line += "…"
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
        blocks.append({"type": "section", "text": mrkdwn_object(f"*{_text(title, links=False)}*")})
    if summary.answer:
        answer = f"*{strings.heading(summary.language, 'answer')}:* {_text(summary.answer)}"
        for text in _chunks([answer], SECTION_LIMIT):
            blocks.append({"type": "section", "text": mrkdwn_object(text)})
    if _overview(summary):
        for text in _chunks([_text(_overview(summary))], SECTION_LIMIT):
            blocks.append({"type": "section", "text": mrkdwn_object(text)})
    for key in SECTIONS:
        points: list[Point] = getattr(summary, key)
        if not points:
            continue
        lines = [f"*{strings.heading(summary.language, key)}*"] + [
            point_line(p, summary.language, permalink_for, markdown=False) for p in points
        ]
        for text in _chunks(lines, SECTION_LIMIT):
            blocks.append({"type": "section", "text": mrkdwn_object(text)})
    notes = _notes(summary)
    if notes:
        blocks.append({"type": "context", "elements": [mrkdwn_object(n) for n in notes]})
    return [blocks[i : i + BLOCK_LIMIT] for i in range(0, len(blocks), BLOCK_LIMIT)] or [[]]


def to_mrkdwn(summary: Summary, *, permalink_for: PermalinkFor, title: str | None = None) -> str:
    """The summary as one Slack mrkdwn text (also the notification fallback ``text``)."""
    parts = []
    if title:
        parts.append(f"*{_text(title, links=False)}*")
    if summary.answer:
        parts.append(f"*{strings.heading(summary.language, 'answer')}:* {_text(summary.answer)}")
    if _overview(summary):
        parts.append(_text(_overview(summary)))
    for key in SECTIONS:
        points: list[Point] = getattr(summary, key)
        if points:
            parts.append(f"*{strings.heading(summary.language, key)}*")
            parts.extend(point_line(p, summary.language, permalink_for, markdown=False) for p in points)
    parts.extend(_notes(summary))
    return "\n".join(parts)


def to_markdown(summary: Summary, *, permalink_for: PermalinkFor, title: str | None = None) -> str:
    """The summary as plain Markdown (for the command line and files)."""
    parts = []
    if title:
        parts.append(f"# {_text(title, markdown=True)}\n")
    if summary.answer:
        parts.append(f"**{strings.heading(summary.language, 'answer')}:** {_text(summary.answer, markdown=True)}\n")
    if _overview(summary):
        parts.append(f"{_text(_overview(summary), markdown=True)}\n")
    for key in SECTIONS:
        points: list[Point] = getattr(summary, key)
        if points:
            parts.append(f"## {strings.heading(summary.language, key)}")
            parts.extend(point_line(p, summary.language, permalink_for, markdown=True) for p in points)
            parts.append("")
    parts.extend(n.replace("_", "*") for n in _notes(summary))
    return "\n".join(parts).rstrip() + "\n"


def fallback_text(summary: Summary, *, limit: int = 3000) -> str:
    """A short plain text for notifications (``text`` beside ``blocks``), ≤ ``limit`` characters."""
    text = _text(summary.answer or summary.overview or "Summary", links=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"
