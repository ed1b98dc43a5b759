"""Prompt templates as files in ``prompts/``, loaded by name, and the transcript fence.

One format for every prompt: a Markdown file ``prompts/<name>.md`` with :class:`string.Template`
placeholders (``$transcript``, ``$language``, …), so the braces of the JSON examples inside need no
escaping. A file is either one template (:func:`load_prompt`, :func:`render_prompt`) or a system part
and a prompt template under the headings ``# system`` and ``# prompt`` (:func:`load_prompt_parts`;
``prompts/title.md``). Message text only ever enters a prompt through :func:`format_transcript` (or
another fence that runs :func:`neutralize`), which neutralizes the fence tags inside it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from string import Template

from bot.models import Message

PROMPTS_DIR = Path(__file__).resolve().parents[1] / "prompts"
"""``bot/prompts``: in a checkout a link to the top-level ``prompts/``; in a wheel, the files themselves."""

# Tags that delimit data in our prompts; a message must not be able to close or open one.
# Any case, full-width (＜…＞) and small-form (﹤…﹥) brackets too; invisible characters inside a tag are
# removed first so they cannot split its name.
_FENCE_TAG = re.compile(
    r"[<＜﹤]\s*/?\s*(transcript|question|partial_summaries|conversations?|messages|titles)\b[^>＞﹥]*[>＞﹥]",
    re.IGNORECASE)
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_PARTS = re.compile(r"^# system\s*\n(.*?)^# prompt\s*\n(.*)\Z", re.DOTALL | re.MULTILINE)


@cache
def load_prompt(name: str) -> str:
    """The text of ``prompts/<name>.md``.

    Args:
        name: template name without extension (``"system"``, ``"summarize"``, ``"answer"``, ``"reduce"``).

    Returns:
        The template text.

    Raises:
        FileNotFoundError: no such template.
    """
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise FileNotFoundError(f"bad prompt name {name!r}")
    return (PROMPTS_DIR / f"{name}.md").read_text(encoding="utf-8")


def load_prompt_parts(name: str) -> tuple[str, Template]:
    """The two parts of ``prompts/<name>.md``: the text under ``# system`` and the template under ``# prompt``.

    Args:
        name: template name without extension (``"title"``, ``"title_style"``).

    Returns:
        ``(system, template)``: the system text, stripped, and the prompt as a :class:`string.Template`
        (fill it with ``substitute`` or ``safe_substitute``).

    Raises:
        FileNotFoundError: no such template.
        ValueError: the file lacks a ``# system`` heading followed by a ``# prompt`` heading.
    """
    match = _PARTS.search(load_prompt(name))
    if not match:
        raise ValueError(f"prompts/{name}.md needs a '# system' and a '# prompt' section")
    return match.group(1).strip(), Template(match.group(2).strip())


OPTIONAL_FIELDS: dict[str, str] = {"reply_note": ""}
"""Placeholders a caller may leave out, and their value then (``$reply_note``: what ``↳`` means, said
only when the transcript uses it)."""


def render_prompt(name: str, **fields: object) -> str:
    """Load template ``name`` and fill its ``$placeholders``.

    Args:
        name: template name (see :func:`load_prompt`).
        **fields: values for the placeholders; each is converted with ``str``. Those of
            :data:`OPTIONAL_FIELDS` may be left out.

    Returns:
        The prompt text.

    Raises:
        KeyError: a placeholder of the template has no value.
    """
    return Template(load_prompt(name)).substitute({**OPTIONAL_FIELDS, **{k: str(v) for k, v in fields.items()}})


def neutralize(text: str) -> str:
    """Make fence tags inside untrusted text inert (``</transcript>`` -> ``‹/transcript›``).

    The tags are those our prompts fence data with: ``transcript``, ``question``, ``partial_summaries``,
    ``conversation``, ``conversations``, ``messages`` and ``titles``, opening or closing, any case, with
    ASCII, full-width or small-form angle brackets, and with zero-width characters inside (the text then
    loses its invisible characters).
    """
    if _INVISIBLE.search(text) and _FENCE_TAG.search(_INVISIBLE.sub("", text)):
        text = _INVISIBLE.sub("", text)  # a tag hidden by zero-width characters: read it as the model would
    return _FENCE_TAG.sub(lambda m: "‹" + m.group(0)[1:-1] + "›", text)


def message_id(index: int) -> str:
    """The id a message has in a transcript: ``m1`` for the first, ``m2`` for the next, …"""
    return f"m{index + 1}"


def format_transcript(messages: Sequence[Message], *, start: int = 0) -> str:
    """Messages as compact transcript lines: ``m12 alice: text``, with the date once per day.

    A line ``[2024-05-01]`` opens each UTC day (the first message included); a reply inside a thread
    is marked ``↳`` before its author (``m13 ↳bob: text``), unless every message belongs to one thread
    (a thread's transcript: the mark would say nothing, on every line). Line breaks inside a message become `` / ``
    so that every message line is exactly one message. The old header ``[m12] ↳ @Full Name (date time):``
    was a quarter of the prompt (issue 12); the ids stay ``m`` + number, first on their line.

    Args:
        messages: the messages, oldest first.
        start: index of the first message in the whole conversation (its id is ``m{start+1}``).

    Returns:
        The transcript text, with fence tags neutralized; not yet fenced (the templates put it between
        ``<transcript>`` tags).
    """
    lines = []
    day = None
    one_thread = len({m.thread_ts or m.ts for m in messages}) == 1
    for offset, message in enumerate(messages):
        when = message.time.strftime("%Y-%m-%d")
        if when != day:
            lines.append(f"[{when}]")
            day = when
        name = " ".join(message.user_name.lstrip("@").split()) or "unknown"
        reply = "↳" if message.is_reply and not one_thread else ""
        text = " / ".join(part.strip() for part in message.text.splitlines() if part.strip())
        lines.append(f"{message_id(start + offset)} {reply}{neutralize(name)}: {neutralize(text)}")
    return "\n".join(lines)


CACHE_GROUP_LINES = 32
"""Transcript lines per cacheable block (see :func:`cacheable_parts`)."""
_CACHEABLE_FENCES = ("transcript",)


def cacheable_parts(prompt: str, *, group: int = CACHE_GROUP_LINES) -> tuple[list[str], str]:
    """``prompt`` cut into the blocks a provider's prompt cache can reuse and the rest; they join back to it.

    Every prompt that carries a transcript opens with it (``prompts/summarize.md``, ``answer.md``), so
    the stable prefix of a request is the system prompt and the fenced transcript, and what changes from
    one request to the next (the instructions, the question, a repair note) comes after it. The fenced
    transcript, up to and including its ``</transcript>`` line, is cut into blocks of ``group`` lines
    (the last one shorter); the rest of the prompt follows them. Blocks anchored at the start
    stay the same when a thread grows, so a cache written at the end of the last full block still
    matches after new messages (Anthropic's cache looks back over earlier block boundaries:
    https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching). Message text cannot end the
    fence early: :func:`neutralize` made fence tags inside it inert.

    Args:
        prompt: the rendered prompt.
        group: transcript lines per block.

    Returns:
        ``(blocks, rest)``: ``([], prompt)`` when the prompt does not open with a transcript.
    """
    for tag in _CACHEABLE_FENCES:
        opening, closing = f"<{tag}>\n", f"</{tag}>\n"
        end = prompt.find(closing) if prompt.startswith(opening) else -1
        if end < 0:
            continue
        fenced, rest = prompt[: end + len(closing)], prompt[end + len(closing):]
        lines = fenced.splitlines(keepends=True)
        blocks = ["".join(lines[i: i + group]) for i in range(0, len(lines), group)]
        return blocks, rest
    return [], prompt
