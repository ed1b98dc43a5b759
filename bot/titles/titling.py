"""Titling a conversation in its user's style: draft (model or offline), finish, store.

:func:`make_title` writes a new conversation's title in a :class:`bot.titles.style.StyleProfile`: with a
model, from ``prompts/title.md``; without one (or when the model fails with :class:`bot.errors.LLMError`,
or answers nothing), from the conversation's keywords (:func:`bot.titles.keywords.extract_keywords`).
Either draft is then post-processed by :func:`finish_title` with the measured features, so a sloppy
model still obeys casing, length, emoji and punctuation. :func:`title_conversation` does the whole job
against a :class:`bot.titles.store.TitleStore`: record, refresh the profile (:func:`current_profile`),
title, store.

**Language mismatch offline.** The offline title is made of the conversation's own keywords, so it is
in the conversation's language even when the user usually writes another one (a Chinese-writing user in
an English thread gets English keywords shaped by their other features): extraction cannot translate,
and a title in the thread's words stays on topic. A model is asked to write in the user's language.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from bot.errors import LLMError
from bot.lang import detect_language
from bot.llm.base import Provider
from bot.llm.prompts import load_prompt_parts
from bot.summaries.guard import guard_text
from bot.titles.features import Casing, StyleFeatures, describe_features
from bot.titles.keywords import extract_keywords, stop_words
from bot.titles.store import TitleStore
from bot.titles.style import PROFILE_CONVERSATIONS, PastConversation, StyleProfile, learn_profile
from bot.titles.text import (
    ASCII_ENDING,
    BRACKET_PREFIX,
    CJK_CHAR,
    ENDINGS,
    KANA_RE,
    MINOR,
    QUESTION_WORDS,
    WORD,
    clean_text,
    count_words,
    fence,
    first_line,
    strip_emoji,
)
from bot.titles.topic import introduction, request_subject, topic_phrase

logger = logging.getLogger(__name__)

_DANGLING = MINOR | {"after", "before", "about", "during", "is", "are", "was", "when", "while", "than"}
"""Words a cut title must not end on."""
_NO_MODEL = "offline"
"""The provider part of a profile's source key when no model is configured (stored in keys: keep it)."""


def apply_casing(text: str, casing: Casing) -> str:
    """Recase ``text``: lower, UPPER, Title Case (minor words lower) or Sentence case (first letter up).

    Acronyms (all-caps words of 2+ letters) and ``#channel`` names keep their casing except in ``lower``.
    """
    if casing == "lower":
        return text.lower()
    if casing == "upper":
        return text.upper()
    out: list[str] = []
    first = True
    for piece in re.split(r"(\s+|[_\-/:|·—–])", text):
        if not WORD.search(piece) or piece.startswith("#"):  # "#general" keeps Slack's casing
            out.append(piece)
            continue
        m = WORD.search(piece)
        assert m is not None
        word = m.group(0)
        acronym = len(word) >= 2 and word.isupper()
        if casing == "title":
            if acronym:
                new = word
            elif not first and word.lower() in MINOR:
                new = word.lower()
            else:
                new = word[:1].upper() + word[1:]
        else:  # sentence: only the first word is touched; other words keep their written form
            new = word[:1].upper() + word[1:] if first else word
        out.append(piece[: m.start()] + new + piece[m.end() :])
        first = False
    return "".join(out)


def _trim_ending(text: str) -> str:
    return text.rstrip().rstrip(ENDINGS + ",;:-–— ").rstrip()


def _limit_words(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` words (CJK: 2 characters a word), on a word boundary."""
    if count_words(text) <= limit:
        return text
    out = ""
    for piece in re.findall(r"\S+\s*", text):
        if count_words(out + piece) > limit:
            if not out and CJK_CHAR.search(piece):
                return piece[: limit * 2]
            if CJK_CHAR.search(piece):
                cut = piece
                while cut and count_words(out + cut) > limit:
                    cut = cut[:-1]
                out += cut
            break
        out += piece
    return out.strip() or text.split()[0]


def _after_head(words: Sequence[str]) -> str:
    """What follows a tag or head taken from the front of a phrase, without the minor words it led
    ("data and best practices" under ``[data]`` reads "best practices")."""
    kept = list(words)
    while len(kept) > 1 and kept[0].lower().strip(",;:") in _DANGLING:
        kept.pop(0)
    return " ".join(kept)


def _with_emoji(text: str, features: StyleFeatures) -> str:
    text = strip_emoji(text)
    if not features.uses_emoji:
        return text
    mark = features.emoji[0] if features.emoji else "✨"
    if features.emoji_position == "start":
        return f"{mark} {text}"
    return f"{text} {mark}"


def finish_title(text: str, features: StyleFeatures, *, language: str, keywords: Sequence[str] = ()) -> str:
    """Enforce the measured style on a draft title (a model's or the offline one).

    Steps: first line only, quotes and ``Title:`` removed; emoji and trailing punctuation stripped;
    ``[area]`` tag added from the top keyword when the user tags; ``snake_case``/``kebab-case`` joined;
    cut to the user's length (+2 words of slack, or exactly for CJK + 1); recased; question mark,
    trailing punctuation and emoji put back as the user writes them.

    Args:
        text: the draft.
        features: the user's measured style.
        language: the title's language (casing is skipped for scripts without case).
        keywords: the conversation's keywords (for an ``[area]`` tag the draft lacks).

    Returns:
        The finished title (never empty when ``text`` or ``keywords`` has a word).
    """
    draft = _trim_ending(strip_emoji(first_line(text)))
    if not draft and keywords:
        draft = " ".join(keywords[:2])
    tag = ""
    if features.bracket_prefix:
        m = BRACKET_PREFIX.match(draft)
        if m:
            tag, draft = m.group(1), draft[m.end() :]
        elif keywords:
            tag = keywords[0]
            rest = draft.split()
            if rest and rest[0].lower() == tag.lower() and len(rest) > 1:
                draft = _after_head(rest[1:])
        tag = apply_casing(tag, features.bracket_casing)
    slack = 1 if CJK_CHAR.search(draft) else 2
    limit = max(1, features.words + slack - (1 if tag else 0))
    if count_words(draft) > limit:
        draft = _limit_words(draft, limit)
        words = draft.split()
        while len(words) > 1 and words[-1].lower().strip(",;:") in _DANGLING:
            words.pop()  # a cut title must not end on "after", "the", "and"
        draft = " ".join(words)
    draft = _trim_ending(draft)
    draft = apply_casing(draft, features.casing)
    if features.joiner != " ":
        draft = re.sub(r"[\s_\-]+", features.joiner, _trim_ending(re.sub(r"[^\w\s\-]", " ", draft)).strip())
    if tag:
        draft = f"[{tag}] {draft}".strip()
    ending = features.ending
    if features.asks_questions and ASCII_ENDING.get(ending, ending) != "?":
        ending = "？" if language in ("zh", "ja") else "?"
    if ending:
        if language in ("zh", "ja") and ending in "?!.":
            ending = {"?": "？", "!": "！", ".": "。"}[ending]
        elif language not in ("zh", "ja") and ending in "？！。":
            ending = ASCII_ENDING[ending]
        draft = f"{draft}{ending}" if ending != "…" else f"{draft}…"
    return _with_emoji(draft, features)


def _own_question(texts: Sequence[str], limit: int) -> str:
    """The first question of the first message, compressed to ``limit`` words, or ``""``.

    A question-asking user's thread usually opens with the question the title should ask. Articles and
    chat filler go first; if it is still too long, other stop words after the first two words; a
    question that is still too long is not used.
    """
    if not texts:
        return ""
    first = clean_text(texts[0])
    match = re.search(r"(?:[^.!?。！？\n]|\.(?=\w))*[?？]", first)  # "the 1.7 release" goes on
    if not match:
        return ""
    words = match.group(0).strip().rstrip("?？").split()
    if not words or words[0].lower().strip(",") not in QUESTION_WORDS:
        return ""
    droppable = [{"the", "a", "an", "please", "pls", "hey", "so", "guys"}, stop_words()]
    for drop in droppable:
        if count_words(" ".join(words)) <= limit:
            break
        words = words[:2] + [w for w in words[2:] if w.lower().strip(",") not in drop]
    sentence = " ".join(words)
    return sentence if count_words(sentence) <= limit else ""


def _offline_draft(keywords: Sequence[str], order: Callable[[str], int], features: StyleFeatures,
                   language: str, texts: Sequence[str] = ()) -> str:
    """Keywords arranged as a title of the user's length and shape (before casing and punctuation)."""
    if not keywords:
        return {"zh": "新对话", "ja": "新しい会話"}.get(language, "New conversation")
    if language in ("zh", "ja"):
        budget = max(2, features.words * 2)
        picked: list[str] = []
        used = 0
        for kw in keywords:
            if picked and used + len(kw) > budget + 1:
                continue
            picked.append(kw)
            used += len(kw)
            if used >= budget - 1:
                break
        picked.sort(key=order)
        if language == "ja":
            title = "の".join(picked[:2]) + "".join(picked[2:])
            if not KANA_RE.search(title):
                title += "について"
            return title
        return "".join(picked)
    if features.asks_questions:
        question = _own_question(texts, features.words + 2)
        if question:
            return question
    opener: list[str] = []
    if features.asks_questions and features.question_opener:
        opener = [features.question_opener]
    n = max(1, features.words - len(opener))
    if features.bracket_prefix:
        # The tag is the top keyword; finish_title puts it in brackets and counts it.
        tag, rest = keywords[0], sorted(keywords[1:n], key=order)
        return " ".join([tag, *opener, *rest])
    if features.separator and n >= 2 and len(keywords) >= 2:
        head, tail = keywords[0], sorted(keywords[1:n], key=order)
        return head + features.separator + " ".join([*opener, *tail])
    picked = sorted(keywords[:n], key=order)
    return " ".join([*opener, *picked])


TITLE_LINES = 5  # messages a model title is written from (see title_lines)
SUMMARY_LINES = 2  # lines of a summary a model title is written from (see summary_lines)


def summary_lines(overview: str, points: Sequence[str] = (), answer: str | None = None) -> list[str]:
    """What a model writes a title from when the conversation has a model summary: its overview, then
    the answer (a question's) or the first points, :data:`SUMMARY_LINES` lines at most. The summary says
    what the conversation is about in a sentence; the thread need not be sent again (issue 12)."""
    lines = [overview, *([answer] if answer else []), *points]
    return [line.strip() for line in lines if line and line.strip()][:SUMMARY_LINES]



def title_lines(texts: Sequence[str]) -> list[str]:
    """The lines a model writes a title from: the first three messages and the last two, the opening one
    cut to 600 characters, the others to 200. A title says what a conversation is about, which its start
    says; re-sending the thread (40 messages of 2,000 characters) was a quarter of the tokens (issue 12)."""
    picked = list(texts) if len(texts) <= TITLE_LINES else [*texts[:3], *texts[-2:]]
    return [text[:600] if i == 0 else text[:200] for i, text in enumerate(picked)]


def make_title(conversation_texts: Sequence[str], *, style: StyleProfile, provider: Provider | None = None,
               summary_lines: Sequence[str] = (), channel_view: str | None = None) -> str:
    """Title a new conversation in the user's style.

    Args:
        conversation_texts: the conversation's messages (the user's first), Slack mrkdwn or plain text.
        style: the user's profile (see :func:`bot.titles.style.learn_profile`;
            :func:`bot.titles.style.neutral_profile` for new users).
        provider: the model; None (no model configured) builds the title from keywords. A model's
            title is post-processed by :func:`finish_title`; on :class:`LLMError` (or an empty answer)
            the offline title is used.
        summary_lines: the conversation's model summary (overview first, a few points; see
            :func:`summary_lines`): the model titles it instead of the conversation's first lines
            (:func:`title_lines`), so the title call costs a few dozen tokens (issue 12).
        channel_view: for a channel's summary, what it covered ("#general, the last 7 days"): the offline
            title says that (a week of a channel has no one subject; its first message is not it). None for
            a thread.

    Returns:
        The title (one line).
    """
    texts = [t for t in conversation_texts if t and t.strip()]
    language = detect_language([clean_text(t) for t in texts]) if texts else (style.features.language or "en")
    features = style.features
    # "@Recap tl;dr" says nothing of the conversation: its keywords (an [area] tag's, a head's) are the thread's
    asked = request_subject(texts[0]) if len(texts) >= 2 else (texts[0] if texts else "")
    subject = texts if asked else texts[1:]
    keywords = extract_keywords(subject, language=language)
    joined = "\n".join(clean_text(t) for t in texts)
    lowered = joined.lower()

    def order(keyword: str) -> int:
        pos = lowered.find(keyword.lower())
        return pos if pos >= 0 else len(lowered)

    if provider is not None:
        system, template = load_prompt_parts("title")
        user_language = features.language or language
        if style.is_neutral:  # the measured description says the length and the language already
            described = describe_features(replace(features, language=user_language))
        else:
            described = f'{style.description}; about {features.words} words, in "{user_language}"'
        lines = [line[:300] for line in summary_lines if line.strip()][:TITLE_LINES] or title_lines(texts)
        prompt = template.safe_substitute(style=described, conversation=fence(lines, "conversation"))
        try:
            answer = provider.complete(system=system, prompt=prompt, max_tokens=60).text
            title_language = detect_language([strip_emoji(answer)]) if first_line(answer) else language
            title = finish_title(answer, features, language=title_language, keywords=keywords)
            title = guard_text(title, source=texts, prompts=("title",))  # links/names only from the source
            if WORD.search(strip_emoji(title)):
                return title
            logger.warning("model returned an empty title; using the offline title")
        except LLMError:
            logger.warning("title generation failed; using the offline title", exc_info=True)
    draft = _channel_draft(channel_view, features) if channel_view else _phrase_draft(texts, asked, features, language)
    if draft and not channel_view and features.separator and not features.bracket_prefix and keywords:
        head = keywords[0]
        rest = _after_head(draft.split()[1:]) if draft.lower().startswith(head.lower() + " ") else draft
        draft = f"{head}{features.separator}{rest}"
    if not draft:
        draft = _offline_draft(keywords, order, features, language, subject)
    return finish_title(draft, features, language=language, keywords=keywords)


def _channel_draft(channel_view: str, features: StyleFeatures) -> str:
    """A channel summary's title: ``"#general: the last 7 days"`` from the pipeline's ``"#general, the last 7
    days"``, or the channel alone when the period does not fit the user's length (the channel is what they look
    for in their list)."""
    channel, _, period = channel_view.strip().partition(", ")
    draft = f"{channel}: {period}" if period else channel
    return draft if count_words(draft) <= features.words + 2 else channel


OPENING_MESSAGES = 3
"""Messages of a conversation, from its first, whose words a title may take when the request names no subject
(the first that holds a phrase: an opening "let's tmate" gives way to the reply that says what about)."""


def _phrase_draft(texts: Sequence[str], subject: str, features: StyleFeatures, language: str) -> str:
    """The offline title's draft as a phrase of the conversation's own words (:mod:`bot.titles.topic`), or
    ``""`` where keywords serve better: Chinese and Japanese (no spaces to cut a phrase at) and text with no
    phrase of two content words. For ``[area]``-tagged and ``head: tail`` titles the phrase is the part after
    the tag or head (:func:`make_title` adds those from the top keyword).

    ``texts[0]`` is the person's request and ``subject`` what it names (:func:`bot.titles.topic.request_subject`;
    the request itself when it is the only text): when it names one that is what the title says, otherwise the
    conversation's opening message does.
    """
    if not texts or language in ("zh", "ja"):
        return ""
    words = features.words - (1 if features.bracket_prefix or features.separator else 0)  # the tag or head is one
    conversation = list(texts[1:])
    if not subject and language == "en":
        introducing = introduction(conversation[0])
        if introducing:
            return introducing
    sources = [subject] if subject else conversation[:OPENING_MESSAGES]
    for k, source in enumerate(sources):
        others = conversation if subject else conversation[:k] + conversation[k + 1:]
        if features.asks_questions or (subject and conversation):
            # a question the person asked Recap is its own best title ("When does the 1.7 release freeze start")
            question = _own_question([source], words + 2)
            if question:
                return question
        phrase = topic_phrase(source, words=max(1, words), others=others)
        if phrase:
            return phrase
    return ""


def _source_key(conversations: Sequence[PastConversation], provider: Provider | None) -> str:
    """What a profile was learned from: ``"<provider>:<id>,<id>,…"``, one 12-hex SHA-256 prefix per
    conversation (its start, title, kept flag and texts)."""
    ids = []
    for c in conversations:
        stamp = c.created_at.isoformat() if c.created_at else ""
        ids.append(hashlib.sha256(repr((stamp, c.title, c.kept_title, c.texts)).encode()).hexdigest()[:12])
    return f"{provider.name if provider is not None else _NO_MODEL}:{','.join(ids)}"


def _still_current(stored: str | None, key: str) -> bool:
    """Whether a profile learned from ``stored`` serves for ``key`` (:func:`_source_key`): the same set; or,
    with a model, the same provider, 5 conversations, one still among the latest: a style call per 5 new
    conversations, not one each (issue 12). Without a model learning is free and any change re-learns."""
    if stored is None or stored == key:
        return stored is not None
    stored_name, _, stored_ids = stored.partition(":")
    name, _, ids = key.partition(":")
    old, new = set(filter(None, stored_ids.split(","))), set(filter(None, ids.split(",")))
    return (name == stored_name != _NO_MODEL and len(old) == len(new) == PROFILE_CONVERSATIONS
            and bool(old & new))


def current_profile(
    *,
    store: TitleStore,
    team_id: str,
    user_id: str,
    provider: Provider | None = None,
    exclude_thread: tuple[str, str] | None = None,
) -> StyleProfile:
    """The user's style profile as of their 5 latest conversations, learned again only when those changed
    (with a model: when all 5 have been replaced, see :func:`_still_current`).

    Args:
        store: the titles store.
        team_id, user_id: whose (profiles never mix users or workspaces).
        provider: the model, or None (no model configured).
        exclude_thread: ``(channel_id, thread_ts)`` of a conversation to leave out (the one being titled).

    Returns:
        The stored profile when it was learned from the same conversations (and provider); otherwise a
        freshly learned one, which is saved.
    """
    previous = store.recent_conversations(team_id, user_id, PROFILE_CONVERSATIONS, exclude_thread=exclude_thread)
    key = _source_key(previous, provider)
    stored = store.get_profile_key(team_id, user_id)
    profile = store.get_profile(team_id, user_id) if _still_current(stored, key) else None
    if profile is None:
        profile = learn_profile(previous, provider=provider)
        store.save_profile(team_id, user_id, profile, source_key=key)
    return profile


def title_conversation(
    *,
    store: TitleStore,
    team_id: str,
    user_id: str,
    channel_id: str,
    thread_ts: str,
    texts: Sequence[str],
    provider: Provider | None = None,
    summary: Sequence[str] = (),
    channel_view: str | None = None,
) -> str:
    """Record a conversation, refresh the user's style profile, title the conversation and store it.

    The profile is learned from the user's 5 latest *previous* conversations (this one excluded) of
    this workspace; it is re-learned only when those changed. The generated title is stored with
    ``kept_title=False``: only a title the user keeps or writes (``store.set_title(..., kept=True)``)
    teaches their style.

    Args:
        store: the titles store.
        team_id, user_id: the workspace and the user who started the conversation (the style's owner).
        channel_id, thread_ts: the conversation.
        texts: its messages, the user's first message first.
        provider: the model, or None (no model configured).
        summary: the model summary's lines (:func:`summary_lines`), which a model titles instead of
            the conversation's first lines; ``()`` when there is none.
        channel_view: what a channel's summary covered (:func:`make_title`); None for a thread.

    Returns:
        The title.
    """
    first = next((t for t in texts if t and t.strip()), "")
    store.record_conversation(
        team_id=team_id, user_id=user_id, channel_id=channel_id, thread_ts=thread_ts, first_user_text=first
    )
    profile = current_profile(
        store=store, team_id=team_id, user_id=user_id, provider=provider, exclude_thread=(channel_id, thread_ts)
    )
    title = make_title(texts, style=profile, provider=provider, summary_lines=summary, channel_view=channel_view)
    store.set_title(team_id=team_id, channel_id=channel_id, thread_ts=thread_ts, title=title, kept=False)
    return title
