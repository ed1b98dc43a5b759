"""Prompt templates as files in ``prompts/``, loaded by name, and the transcript fence.

Templates use :class:`string.Template` placeholders (``$transcript``, ``$language``, …) so the
braces of the JSON examples inside them need no escaping. Message text only ever enters a prompt
through :func:`format_transcript`, which fences it and neutralizes the fence tags inside it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from string import Template

from bot.models import Message

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"

# Tags that delimit data in our prompts; a message must not be able to close or open one.
_FENCE_TAG = re.compile(r"<\s*/?\s*(transcript|question|partial_summaries)\b[^>]*>", re.IGNORECASE)


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


def render_prompt(name: str, **fields: object) -> str:
    """Load template ``name`` and fill its ``$placeholders``.

    Args:
        name: template name (see :func:`load_prompt`).
        **fields: values for the placeholders; each is converted with ``str``.

    Returns:
        The prompt text.

    Raises:
        KeyError: a placeholder of the template has no value.
    """
    return Template(load_prompt(name)).substitute({k: str(v) for k, v in fields.items()})


def neutralize(text: str) -> str:
    """Make fence tags inside untrusted text inert (``</transcript>`` -> ``‹/transcript›``)."""
    return _FENCE_TAG.sub(lambda m: "‹" + m.group(0)[1:-1] + "›", text)


def message_id(index: int) -> str:
    """The id a message has in a transcript: ``m1`` for the first, ``m2`` for the next, …"""
    return f"m{index + 1}"


def format_transcript(messages: Sequence[Message], *, start: int = 0) -> str:
    """Messages as transcript lines ``[m12] @alice (2024-05-01 10:02): text``.

    Replies in a thread are marked ``↳`` after the id. Line breaks inside a message become `` / ``
    so that every line is exactly one message.

    Args:
        messages: the messages, oldest first.
        start: index of the first message in the whole conversation (its id is ``m{start+1}``).

    Returns:
        The transcript text, one message per line, with fence tags neutralized; not yet fenced
        (the templates put it between ``<transcript>`` tags).
    """
    lines = []
    for offset, message in enumerate(messages):
        when = message.time.strftime("%Y-%m-%d %H:%M")
        name = message.user_name.lstrip("@") or "unknown"
        reply = " ↳" if message.is_reply else ""
        text = " / ".join(part.strip() for part in message.text.splitlines() if part.strip())
        lines.append(f"[{message_id(start + offset)}]{reply} @{neutralize(name)} ({when}): {neutralize(text)}")
    return "\n".join(lines)
