"""A user's title style as measured features: casing, length, emoji, punctuation, question form, ….

:func:`measure_style` reads :class:`StyleFeatures` from a user's own texts; :func:`text_casing` tells the
casing of one text; :func:`describe_features` writes the features as one line (shown to the user by
``/summarize style`` and given to the model). Pure functions, no I/O.

Which texts shape what: title-shape features (casing, length, punctuation, emoji, question form,
separators, ``[area]`` prefixes, ``snake_case``) come from the user's kept titles when at least two were
kept; otherwise from their messages, with the length clamped to 3–8 words (a chat message is longer than
a title). The language comes from all of their texts (:func:`bot.lang.detect_language`).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from bot.lang import detect_language
from bot.titles.text import (
    ASCII_ENDING,
    BRACKET_PREFIX,
    CJK_CHAR,
    ENDINGS,
    MINOR,
    QUESTION_WORDS,
    WORD,
    clean_text,
    count_words,
    emoji_in,
    starts_with_emoji,
    strip_emoji,
)

Casing = Literal["lower", "title", "sentence", "upper"]
Ending = str  # "", ".", "!", "?", "…", "。", "！", "？"

NEUTRAL_WORDS = 5
"""Title length of the neutral style, in words."""

_CHANNEL_NAME = re.compile(r"(?<![\w&])#[\w\-]+")
_SEPARATORS = (" - ", " — ", " – ", ": ", " | ", " / ", " · ")
_ZH_QUESTION_END = ("吗", "呢", "么", "嗎")


@dataclass(frozen=True)
class StyleFeatures:
    """Measured features of a user's title style.

    Attributes:
        casing: ``"lower"``, ``"title"`` (Title Case), ``"sentence"`` (Sentence case) or ``"upper"``.
        words: typical title length in words (median; CJK counts 2 Han/kana characters as a word).
        emoji_rate: fraction (0–1) of the measured texts that contain at least one emoji.
        emoji: the user's emoji, most used first (at most 3).
        emoji_position: ``"start"`` or ``"end"``: where the user puts emoji.
        ending: trailing punctuation the user ends with (``""``, ``"."``, ``"!"``, ``"?"``, ``"？"`` …).
        question_rate: fraction (0–1) of texts phrased as questions.
        question_opener: the word the user's questions usually start with (``"how"``), or ``""``.
        language: ISO 639-1 code of the user's texts; ``""`` means "the conversation's language".
        separator: a separator most titles use (``" - "``, ``": "``…), or ``""``.
        bracket_prefix: titles start with a ``[area]`` tag (ticket style).
        bracket_casing: casing of the text inside the brackets (``"lower"``, ``"upper"``, ``"title"``).
        joiner: ``" "`` for words, ``"_"`` for snake_case, ``"-"`` for kebab-case titles.
    """

    casing: Casing = "sentence"
    words: int = NEUTRAL_WORDS
    emoji_rate: float = 0.0
    emoji: tuple[str, ...] = ()
    emoji_position: Literal["start", "end"] = "end"
    ending: Ending = ""
    question_rate: float = 0.0
    question_opener: str = ""
    language: str = ""
    separator: str = ""
    bracket_prefix: bool = False
    bracket_casing: Casing = "lower"
    joiner: str = " "

    @property
    def uses_emoji(self) -> bool:
        """True when at least half of the user's texts carry an emoji."""
        return self.emoji_rate >= 0.5

    @property
    def asks_questions(self) -> bool:
        """True when at least half of the user's texts are questions."""
        return self.question_rate >= 0.5

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict (tuples become lists)."""
        data = asdict(self)
        data["emoji"] = list(self.emoji)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StyleFeatures:
        """Inverse of :meth:`to_dict`; unknown keys are ignored, missing ones take defaults."""
        known = {f for f in cls.__dataclass_fields__}
        values = {k: v for k, v in data.items() if k in known}
        if "emoji" in values:
            values["emoji"] = tuple(values["emoji"])
        return cls(**values)


NEUTRAL_FEATURES = StyleFeatures()
"""The neutral style's features: Sentence case, 5 words, no emoji, no trailing punctuation, any language."""


def _is_cased(ch: str) -> bool:
    return ch.lower() != ch.upper()


def text_casing(text: str) -> Casing | None:
    """The casing of one text, or None when it cannot be told (no cased letters, one capital word).

    Acronyms (``API``), ``#channel`` names (Slack's casing, not the user's) and a leading ``[area]`` tag
    are ignored; minor words (``of``, ``the``) may stay lowercase in Title Case.
    """
    text = _CHANNEL_NAME.sub(" ", BRACKET_PREFIX.sub("", strip_emoji(text)))
    words = [w for w in WORD.findall(CJK_CHAR.sub(" ", text)) if any(_is_cased(c) for c in w)]
    if not words:
        return None
    letters = [c for w in words for c in w if _is_cased(c)]
    if all(c.isupper() for c in letters):
        return "upper" if len(letters) >= 4 else None
    first_cap = words[0][0].isupper()
    rest = [w for w in words[1:] if not (len(w) >= 2 and w.isupper()) and not any(c.isdigit() for c in w)]
    if not first_cap:
        return "lower"
    significant = [w for w in rest if w.lower() not in MINOR]
    if not significant:
        return None
    capped = sum(w[0].isupper() for w in significant)
    return "title" if capped / len(significant) >= 0.75 else "sentence"


def _ending_of(text: str) -> str:
    text = strip_emoji(text).rstrip()
    if not text:
        return ""
    last = text[-1]
    if last == "." and text.endswith("..."):
        return "…"
    return last if last in ENDINGS else ""


def _is_question(text: str) -> bool:
    plain = strip_emoji(text).rstrip()
    if plain.endswith(("?", "？")) or plain.endswith(_ZH_QUESTION_END):
        return True
    words = WORD.findall(BRACKET_PREFIX.sub("", plain).lower())
    return bool(words) and words[0] in QUESTION_WORDS and len(words) > 2 and not plain.endswith(".")


def _vote(values: Sequence[Any], default: Any, order: Sequence[Any] = ()) -> Any:
    """Most common value; ties go to the earliest in ``order`` (then to ``default``)."""
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return default
    best = max(counts.values())
    winners = [v for v, n in counts.items() if n == best]
    for preferred in (default, *order):
        if preferred in winners:
            return preferred
    return sorted(winners, key=str)[0]


def measure_style(texts: Sequence[str], *, titles: Sequence[str] = ()) -> StyleFeatures:
    """Measure a user's style from their own texts.

    Args:
        texts: the user's messages (and/or titles) from their latest conversations.
        titles: the titles they kept. When at least two are given they alone shape the title features
            (casing, length, punctuation, emoji, question form, separators, tags, joiner); the
            messages then only inform the language and the emoji they like.

    Returns:
        The features; an empty input gives the neutral features (language ``""``).
    """
    texts = [clean_text(t) for t in texts if t and t.strip()]
    titles = [clean_text(t) for t in titles if t and t.strip()]
    everything = [*texts, *titles]
    if not everything:
        return NEUTRAL_FEATURES
    from_titles = len(titles) >= 2
    shape = titles if from_titles else everything

    casing = _vote([text_casing(t) for t in shape], "sentence", ("lower", "title", "upper"))
    lengths = [count_words(t) for t in shape]
    median = int(round(statistics.median(lengths))) if lengths else NEUTRAL_WORDS
    words = max(1, min(median, 16)) if from_titles else max(3, min(median, 8))

    with_emoji = [emoji_in(t) for t in shape]
    emoji_rate = sum(1 for e in with_emoji if e) / len(shape)
    favourites = Counter(e for t in [*titles, *texts] for e in emoji_in(t))  # ties: first seen (newest)
    fav = tuple(e for e, _ in favourites.most_common(3))
    starts = sum(1 for t in shape if emoji_in(t) and starts_with_emoji(t))
    position: Literal["start", "end"] = "start" if starts * 2 > sum(1 for e in with_emoji if e) else "end"

    ending = _vote([_ending_of(t) for t in shape], "", ("?", "!", "."))
    questions = [t for t in shape if _is_question(t)]
    question_rate = len(questions) / len(shape)
    openers = [w[0] for w in (WORD.findall(strip_emoji(q).lower()) for q in questions) if w]
    opener = _vote([o for o in openers if o in QUESTION_WORDS], "")

    separator = ""
    if from_titles:
        seps = [next((s for s in _SEPARATORS if s in t), None) for t in shape]
        top = _vote(seps, None)
        if top and seps.count(top) * 2 >= len(shape):
            separator = top
    tags = [m.group(1) for t in shape if (m := BRACKET_PREFIX.match(t))]
    bracket = from_titles and len(tags) * 2 > len(shape)
    bracket_casing = _vote([text_casing(t) or ("lower" if t.islower() else None) for t in tags], "lower")
    joiner = " "
    if from_titles:
        joined = [("_" if "_" in t else "-") for t in shape if " " not in t.strip() and re.search(r"\w[_-]\w", t)]
        if len(joined) * 2 > len(shape):
            joiner = _vote(joined, "_")

    language = detect_language(everything)
    return StyleFeatures(
        casing=casing,
        words=words,
        emoji_rate=round(emoji_rate, 3),
        emoji=fav,
        emoji_position=position,
        ending=ending,
        question_rate=round(question_rate, 3),
        question_opener=opener,
        language=language,
        separator=separator,
        bracket_prefix=bracket,
        bracket_casing=bracket_casing,
        joiner=joiner,
    )


def describe_features(features: StyleFeatures) -> str:
    """One line describing ``features``, as a model would (used offline and in prompts)."""
    casing = {"lower": "all lowercase", "title": "Title Case", "sentence": "Sentence case",
              "upper": "ALL CAPS"}[features.casing]
    parts = [casing, f"about {features.words} words"]
    if features.joiner != " ":
        parts.append("snake_case" if features.joiner == "_" else "kebab-case")
    if features.bracket_prefix:
        parts.append("starts with a [area] tag")
    if features.separator:
        parts.append(f"uses {features.separator.strip()!r} as a separator")
    if features.asks_questions:
        parts.append("phrased as a question")
    names = {"": "no trailing punctuation", ".": "ends with a period", "!": "ends with '!'",
             "?": "ends with '?'"}
    parts.append(names.get(ASCII_ENDING.get(features.ending, features.ending), f"ends with {features.ending!r}"))
    if features.uses_emoji:
        fav = " ".join(features.emoji) or "emoji"
        parts.append(f"uses emoji ({fav}) at the {features.emoji_position}")
    else:
        parts.append("no emoji")
    if features.language:
        parts.append(f"writes in {features.language}")
    return ", ".join(parts)
