"""Text primitives the titles modules share: scripts, words, emoji, Slack markup, length, fences.

Pure functions over strings, no I/O. Choices worth knowing:

* **Length of CJK text.** Chinese and Japanese have no spaces, so one "word" is counted as two Han or
  kana characters (Chinese words average 1.5–2 characters); Korean uses spaces and is counted in words.
* **Emoji.** Detected with the ``emoji`` package (Unicode's emoji list); Slack's ``:shortcode:`` form is
  converted first (``emoji.emojize(..., language="alias")``), and unknown (custom) shortcodes count as
  emoji use too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import emoji as emoji_lib

from bot.lang import HAN, KANA
from bot.llm.prompts import neutralize

# --- scripts and tokens ---------------------------------------------------------------------------

CJK_CHAR = re.compile(f"[{HAN}{KANA}]")
"""One Han or kana character: the scripts written without spaces (Korean, spaced, is not one)."""
KANA_RE = re.compile(f"[{KANA}]")
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
"""A word of letters/digits, apostrophes inside (``don't``, ``l’équipe``)."""
SHORTCODE = re.compile(r":[a-z0-9_+\-]+:")
BRACKET_PREFIX = re.compile(r"^\s*\[([^\]]{1,40})\]\s*")
"""A leading ``[area]`` tag (ticket style); group 1 is the area."""
ENDINGS = ".!?…。！？"
"""Trailing punctuation a title may end with."""
ASCII_ENDING = {"。": ".", "！": "!", "？": "?", "…": "."}
"""Full-width (and ellipsis) endings to their ASCII form."""

MINOR = frozenset(
    "a an the and but or nor for so yet as at by in of off on per to up via with from into onto over vs".split()
)
"""Minor words that Title Case leaves lowercase (Chicago-style short list)."""
QUESTION_WORDS = frozenset(
    """how what why when where who which whose whom can could should would will is are does do did
    may might shall anyone any wie was warum wann wo wer welche welcher kann können soll sollen gibt
    ist sind comment pourquoi quand où qui quoi est cómo qué por cuándo dónde quién cuál como que
    porque quando onde quem""".split()
)
"""Words a question opens with, in the languages titles tokenize."""

_SLACK_MARKUP = [
    (re.compile(r"```.*?```", re.S), " "),
    (re.compile(r"`[^`]*`"), " "),
    (re.compile(r"<(?:https?|mailto):[^>|]*\|([^>]*)>"), r"\1"),
    (re.compile(r"<(?:https?|mailto):[^>]*>"), " "),
    (re.compile(r"https?://\S+"), " "),
    (re.compile(r"<#[A-Z0-9]+\|([^>]*)>"), r"#\1"),
    (re.compile(r"<[@!#][^>]*>"), " "),
]


def clean_text(text: str) -> str:
    """Slack mrkdwn to plain text: code, links, mentions removed; shortcodes to Unicode emoji."""
    for pattern, repl in _SLACK_MARKUP:
        text = pattern.sub(repl, text)
    return emoji_lib.emojize(text, language="alias")


def emoji_in(text: str) -> list[str]:
    """The emoji of ``text`` in order: Unicode emoji, then unknown ``:shortcodes:`` (custom emoji)."""
    found = [e["emoji"] for e in emoji_lib.emoji_list(text)]
    return found + SHORTCODE.findall(text)


def strip_emoji(text: str) -> str:
    """``text`` without Unicode emoji and ``:shortcodes:``, stripped."""
    return SHORTCODE.sub("", emoji_lib.replace_emoji(text, replace="")).strip()


def starts_with_emoji(text: str) -> bool:
    """True when ``text`` (leading spaces ignored) opens with an emoji or a ``:shortcode:``."""
    stripped = text.lstrip()
    found = emoji_lib.emoji_list(stripped)
    return bool(found and found[0]["match_start"] == 0) or bool(SHORTCODE.match(stripped))


def count_words(text: str) -> int:
    """Title length in words: space-separated words, plus one per 2 Han/kana characters (rounded up)."""
    text = strip_emoji(text)
    cjk = len(CJK_CHAR.findall(text))
    rest = CJK_CHAR.sub(" ", text)
    return len(WORD.findall(rest)) + math.ceil(cjk / 2)


def first_line(text: str) -> str:
    """The first non-empty line of a model's answer, without markdown marks (a ``#`` heading's, not a
    ``#channel``'s), a ``Title:`` label or quotes.

    Returns:
        The line, or ``""`` when the answer has none.
    """
    for line in text.strip().splitlines():
        line = re.sub(r"^#+\s+", "", line.strip().strip("*>` ")).strip("*` ").strip()  # "## Title"; "#general" stays
        line = re.sub(r"^(title|style|titel|标题|タイトル)\s*[:：]\s*", "", line, flags=re.I)
        line = line.strip().strip("\"'“”‘’「」『』").strip()
        if line:
            return line
    return ""


def fence(texts: Sequence[str], tag: str) -> str:
    """Texts as prompt data between ``<tag>`` and ``</tag>``, one ``- text`` line each, blank ones left out.

    Fence tags inside the texts are made inert (:func:`bot.llm.prompts.neutralize`, which knows the
    ``conversation``, ``messages`` and ``titles`` tags of the title prompts), so a message cannot close
    the fence and speak as the prompt.
    """
    body = "\n".join(f"- {neutralize(t.strip())}" for t in texts if t.strip())
    return f"<{tag}>\n{body}\n</{tag}>"
