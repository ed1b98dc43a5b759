"""A user's title style profile: what it holds, and how it is learned from their latest conversations.

A user's style is learned from their 5 most recent conversations: their own messages and the titles
they kept. The style is measured as plain features (:class:`bot.titles.features.StyleFeatures`) and,
when a model is available, also described in one line by the model (``prompts/title_style.md``); a model
failure (:class:`bot.errors.LLMError`) falls back to the description written from the features.

**Neutral style.** With fewer than 5 conversations: Sentence case, 5 words, no emoji, no trailing
punctuation, in the conversation's language (:func:`neutral_profile`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.errors import LLMError
from bot.llm.base import Provider
from bot.llm.prompts import load_prompt_parts
from bot.summaries.guard import guard_text
from bot.titles.features import NEUTRAL_FEATURES, StyleFeatures, describe_features, measure_style
from bot.titles.text import fence, first_line
from bot.titles.topic import request_subject

logger = logging.getLogger(__name__)

PROFILE_CONVERSATIONS = 5
"""How many of a user's latest conversations their style is learned from."""
STYLE_TEXT_CHARS = 100
"""Characters of each conversation's first message the style model reads (the features are measured on
every message locally; issue 12: sending all of them was most of the style call)."""


@dataclass(frozen=True)
class StyleProfile:
    """What Recap knows of one user's title style.

    Attributes:
        description: one line describing the style (the model's, or written from the features offline).
        features: the measured features that post-processing enforces.
        conversation_count: how many conversations it was learned from (0–5).
        is_neutral: True when fewer than 5 conversations were available: the neutral style is used.
    """

    description: str
    features: StyleFeatures
    conversation_count: int = 0
    is_neutral: bool = False


NEUTRAL_DESCRIPTION = "neutral: Sentence case, about 5 words, no emoji, no trailing punctuation"


def neutral_profile(conversation_count: int = 0) -> StyleProfile:
    """The style used until a user has 5 conversations."""
    return StyleProfile(NEUTRAL_DESCRIPTION, NEUTRAL_FEATURES, conversation_count, is_neutral=True)


@dataclass(frozen=True)
class PastConversation:
    """One of a user's earlier conversations, as far as their style is concerned.

    Attributes:
        texts: the user's own messages in it (first message first).
        title: its title, or None.
        kept_title: True when the user kept (or wrote) the title, so it shows their style.
        created_at: when it started; the latest 5 are used.
    """

    texts: tuple[str, ...] = ()
    title: str | None = None
    kept_title: bool = False
    created_at: datetime | None = None


def _timestamp(conversation: PastConversation) -> float:
    return conversation.created_at.timestamp() if conversation.created_at is not None else 0.0


def _latest(conversations: Sequence[PastConversation], limit: int) -> list[PastConversation]:
    """The ``limit`` latest conversations; input order (assumed newest first) breaks ties."""
    indexed = list(enumerate(conversations))
    if all(c.created_at is not None for _, c in indexed):
        indexed.sort(key=lambda ic: (-_timestamp(ic[1]), ic[0]))
    return [c for _, c in indexed[:limit]]


def learn_profile(conversations: Sequence[PastConversation], *, provider: Provider | None = None) -> StyleProfile:
    """Learn a user's style from their 5 most recent conversations.

    Args:
        conversations: the user's earlier conversations (newest first when ``created_at`` is missing).
        provider: the model; with one, the description is the model's one-line answer to
            ``prompts/title_style.md``. None (no model configured): the description is written from
            the features.

    Only messages that name a subject are measured (:func:`bot.titles.topic.request_subject`): a bare
    "@Recap summarize" or "tl;dr?" says nothing of how the person titles things, and five of them would
    make every later title three lowercase words.

    Returns:
        The profile; neutral (``is_neutral``) when fewer than 5 conversations are given. A model
        failure (:class:`LLMError`) falls back to the description written from the features.
    """
    recent = _latest(conversations, PROFILE_CONVERSATIONS)
    if len(recent) < PROFILE_CONVERSATIONS:
        return neutral_profile(len(recent))
    # "@Recap summarize" is a command, not a title: only messages that name a subject show how they title
    messages = [t for c in recent for t in c.texts if request_subject(t)]
    titles = [c.title for c in recent if c.kept_title and c.title]
    features = measure_style(messages, titles=titles)
    description = describe_features(features)
    if provider is not None:
        system, template = load_prompt_parts("title_style")
        firsts = [c.texts[0][:STYLE_TEXT_CHARS] for c in recent if c.texts]  # how they open: enough for a style
        prompt = template.safe_substitute(
            messages=fence(firsts, "messages"),
            titles=fence(titles, "titles") if titles else "<titles>\n(none kept)\n</titles>",
            measured=description,
        )
        try:
            answer = provider.complete(system=system, prompt=prompt, max_tokens=120).text
            # a style description names no link, address or person: guarded against an empty source
            line = guard_text(first_line(answer), source=(), prompts=("title_style",))
            if line:
                description = line[:300]
        except LLMError:
            logger.warning("style description failed; using the measured description", exc_info=True)
    return StyleProfile(description, features, len(recent), is_neutral=False)

