"""Conversation titles in each user's own style.

A user's style is learned from their 5 most recent conversations: their own messages and the titles
they kept. The style is measured as plain features (:class:`StyleFeatures`: casing, length, emoji,
trailing punctuation, question form, language, separators, ``[area]`` prefixes, ``snake_case``) and,
when a model is available, also described in one line by the model (``prompts/title_style.md``). A new
conversation's title is then written in that style (``prompts/title.md``) and post-processed with the
measured features, so a sloppy model still obeys casing, length, emoji and punctuation. Without a
model (or when it fails with :class:`bot.errors.LLMError`), the title is built offline from the
conversation's keywords (TF-IDF, scikit-learn) shaped by the same features.

Choices worth knowing:

* **Which texts shape what.** Title-shape features (casing, length, punctuation, emoji, question form,
  separators, ``[area]`` prefixes, ``snake_case``) come from the user's kept titles when at least two
  were kept; otherwise from their messages, with the length clamped to 3–8 words (a chat message is
  longer than a title). The language comes from all of their texts.
* **Length of CJK text.** Chinese and Japanese have no spaces, so one "word" is counted as two Han or
  kana characters (Chinese words average 1.5–2 characters); Korean uses spaces and is counted in words.
* **Emoji.** Detected with the ``emoji`` package (Unicode's emoji list); Slack's ``:shortcode:`` form is
  converted first (``emoji.emojize(..., language="alias")``), and unknown (custom) shortcodes count as
  emoji use too.
* **Language mismatch offline.** The offline title is made of the conversation's own keywords, so it is
  in the conversation's language even when the user usually writes another one (a Chinese-writing user
  in an English thread gets English keywords shaped by their other features): extraction cannot
  translate, and a title in the thread's words stays on topic. A model is asked to write in the user's
  language.
* **Neutral style.** With fewer than 5 conversations: Sentence case, 5 words, no emoji, no trailing
  punctuation, in the conversation's language.
"""

from __future__ import annotations

import logging
import math
import re
import statistics
import string
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import emoji as emoji_lib

from bot.errors import LLMError

logger = logging.getLogger(__name__)

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"
PROFILE_CONVERSATIONS = 5
"""How many of a user's latest conversations their style is learned from."""

Casing = Literal["lower", "title", "sentence", "upper"]
Ending = str  # "", ".", "!", "?", "…", "。", "！", "？"

NEUTRAL_WORDS = 5

# --- scripts and tokens ---------------------------------------------------------------------------

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_KANA = r"\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_HIRAGANA = r"\u3040-\u309f"
_KATAKANA = r"\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_CJK_CHAR = re.compile(f"[{_HAN}{_KANA}]")
_HAN_RE = re.compile(f"[{_HAN}]")
_KANA_RE = re.compile(f"[{_KANA}]")
_HANGUL_RE = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SLACK_MARKUP = [
    (re.compile(r"```.*?```", re.S), " "),
    (re.compile(r"`[^`]*`"), " "),
    (re.compile(r"<(?:https?|mailto):[^>|]*\|([^>]*)>"), r"\1"),
    (re.compile(r"<(?:https?|mailto):[^>]*>"), " "),
    (re.compile(r"https?://\S+"), " "),
    (re.compile(r"<#[A-Z0-9]+\|([^>]*)>"), r"#\1"),
    (re.compile(r"<[@!#][^>]*>"), " "),
]
_CHANNEL_NAME = re.compile(r"(?<![\w&])#[\w\-]+")
_SHORTCODE = re.compile(r":[a-z0-9_+\-]+:")
_BRACKET_PREFIX = re.compile(r"^\s*\[([^\]]{1,40})\]\s*")
_SEPARATORS = (" - ", " — ", " – ", ": ", " | ", " / ", " · ")
_ENDINGS = ".!?…。！？"
_ASCII_ENDING = {"。": ".", "！": "!", "？": "?", "…": "."}

# Minor words that Title Case leaves lowercase (Chicago-style short list).
_MINOR = frozenset(
    "a an the and but or nor for so yet as at by in of off on per to up via with from into onto over vs".split()
)
_DANGLING = _MINOR | {"after", "before", "about", "during", "is", "are", "was", "when", "while", "than"}
_QUESTION_WORDS = frozenset(
    """how what why when where who which whose whom can could should would will is are does do did
    may might shall anyone any wie was warum wann wo wer welche welcher kann können soll sollen gibt
    ist sind comment pourquoi quand où qui quoi est cómo qué por cuándo dónde quién cuál como que
    porque quando onde quem""".split()
)
_ZH_QUESTION_END = ("吗", "呢", "么", "嗎")
_JA_QUESTION_END = ("か", "の")

# Words that say nothing about a conversation's topic (chat filler, in the languages we tokenize).
_FILLER = frozenset(
    """hi hey hello thanks thank thx ty pls please plz ok okay yeah yep yes no nope sure lol haha guys
    folks team all everyone anyone someone somebody something anything think thought know knew just
    like got get gets getting need needs want wants let lets let's us gonna wanna would could should
    also still today tomorrow yesterday morning tonight now maybe really actually probably right good
    great cool nice awesome sounds sound look looks looking keep keeps kept see seen seems make made makes doing done
    going go goes went use using used one two new way thing things stuff bit lot lots quick quickly
    question questions idea ideas help asap fyi btw imo tbh please can't don't won't i'm it's that's
    there's we're you're they're i've we've didn't doesn't isn't aren't wasn't let’s i’m it’s that’s
    don’t can’t won’t summarize summary recap thread channel message messages week day days
    der die das dem den des ein eine einen einem einer und oder aber ich du er sie es wir ihr mit
    von zu zum zur im in ist sind war auf für bei beim nach nicht noch auch schon wie was warum wann
    hat haben habe hatte wer wo welche welcher kann können soll sollen muss müssen wird werden mal bitte danke hallo heute
    morgen gestern so da dann wenn weil dass ob man mein dein unser euer gibt gerade jetzt sehr
    le la les un une des du de et ou mais je tu il elle nous vous ils elles est sont avec pour dans sur
    pas plus que qui quoi ce cette ces merci bonjour salut aujourd'hui demain hier
    el los las unos unas del y o pero yo tú él ella nosotros es son con para en por no más que
    qué este esta estos gracias hola hoy mañana ayer""".split()
)


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | _FILLER


# Single Han/kana characters that split a CJK run into content chunks (particles, pronouns, copulas).
_ZH_SPLIT = set("的了吗呢吧啊呀嘛哦嗯我你您他她它们这那是在和与也都就还很把被给么啦哈又再要不才，。？！、")
# Common function words and chat filler, split on before single characters (longest first).
_ZH_FILLER = sorted(
    """为什么 什么 怎么样 怎么 看看 一下 一次 之后 之前 今天 明天 昨天 今晚 可以 需要 应该 因为 所以 但是
    如果 已经 还是 或者 没有 一个 这个 那个 这些 那些 大家 谢谢 现在 时候 有点 一直 好像 然后 能不能
    是不是 有没有 帮忙 麻烦 总结 一起 其实 觉得 知道 可能 问题 大概 还有 请 帮""".split(),
    key=len,
    reverse=True,
)
_ZH_SPLIT_RE = re.compile("|".join([*_ZH_FILLER, "[" + "".join(sorted(_ZH_SPLIT)) + "]"]))
_JA_SPLIT_RE = re.compile(f"[{_HIRAGANA}]+")
_MAX_NGRAM = 6
_ELISION = re.compile(r"^(?:[cdjlmnst]|qu)['’](?=\w)", re.I)  # French l'imprimante -> imprimante


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


# --- language ---------------------------------------------------------------------------------------


def _fallback_detect_language(texts: Sequence[str]) -> str:
    """Script-only detector used when ``bot.lang`` is absent: ja/ko/zh by script, else ``"en"``."""
    joined = " ".join(texts)
    kana, han, hangul = (len(r.findall(joined)) for r in (_KANA_RE, _HAN_RE, _HANGUL_RE))
    letters = sum(ch.isalpha() for ch in joined)
    if letters and (kana + han + hangul) * 2 >= letters:
        return "ja" if kana else ("ko" if hangul >= han else "zh")
    return "en"


def detect_language(texts: Sequence[str]) -> str:
    """ISO 639-1 code of ``texts`` via ``bot.lang.detect_language``, or a script-only fallback."""
    texts = [t for t in texts if t and t.strip()]
    if not texts:
        return "en"
    try:
        from bot.lang import detect_language as detect
    except ImportError:  # pragma: no cover - the shared detector is part of the tree
        return _fallback_detect_language(texts)
    try:
        return detect(texts) or "en"
    except Exception:  # noqa: BLE001 - a detector failure must not cost the user a title
        logger.exception("language detection failed; using the script-only fallback")
        return _fallback_detect_language(texts)


# --- measuring ---------------------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """Slack mrkdwn to plain text: code, links, mentions removed; shortcodes to Unicode emoji."""
    for pattern, repl in _SLACK_MARKUP:
        text = pattern.sub(repl, text)
    return emoji_lib.emojize(text, language="alias")


def _emoji_in(text: str) -> list[str]:
    found = [e["emoji"] for e in emoji_lib.emoji_list(text)]
    return found + _SHORTCODE.findall(text)


def _strip_emoji(text: str) -> str:
    return _SHORTCODE.sub("", emoji_lib.replace_emoji(text, replace="")).strip()


def count_words(text: str) -> int:
    """Title length in words: space-separated words, plus one per 2 Han/kana characters (rounded up)."""
    text = _strip_emoji(text)
    cjk = len(_CJK_CHAR.findall(text))
    rest = _CJK_CHAR.sub(" ", text)
    return len(_WORD.findall(rest)) + math.ceil(cjk / 2)


def _is_cased(ch: str) -> bool:
    return ch.lower() != ch.upper()


def text_casing(text: str) -> Casing | None:
    """The casing of one text, or None when it cannot be told (no cased letters, one capital word).

    Acronyms (``API``), ``#channel`` names (Slack's casing, not the user's) and a leading ``[area]`` tag
    are ignored; minor words (``of``, ``the``) may stay lowercase in Title Case.
    """
    text = _CHANNEL_NAME.sub(" ", _BRACKET_PREFIX.sub("", _strip_emoji(text)))
    words = [w for w in _WORD.findall(_CJK_CHAR.sub(" ", text)) if any(_is_cased(c) for c in w)]
    if not words:
        return None
    letters = [c for w in words for c in w if _is_cased(c)]
    if all(c.isupper() for c in letters):
        return "upper" if len(letters) >= 4 else None
    first_cap = words[0][0].isupper()
    rest = [w for w in words[1:] if not (len(w) >= 2 and w.isupper()) and not any(c.isdigit() for c in w)]
    if not first_cap:
        return "lower"
    significant = [w for w in rest if w.lower() not in _MINOR]
    if not significant:
        return None
    capped = sum(w[0].isupper() for w in significant)
    return "title" if capped / len(significant) >= 0.75 else "sentence"


def _ending_of(text: str) -> str:
    text = _strip_emoji(text).rstrip()
    if not text:
        return ""
    last = text[-1]
    if last == "." and text.endswith("..."):
        return "…"
    return last if last in _ENDINGS else ""


def _is_question(text: str) -> bool:
    plain = _strip_emoji(text).rstrip()
    if plain.endswith(("?", "？")) or plain.endswith(_ZH_QUESTION_END):
        return True
    words = _WORD.findall(_BRACKET_PREFIX.sub("", plain).lower())
    return bool(words) and words[0] in _QUESTION_WORDS and len(words) > 2 and not plain.endswith(".")


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

    with_emoji = [_emoji_in(t) for t in shape]
    emoji_rate = sum(1 for e in with_emoji if e) / len(shape)
    favourites = Counter(e for t in [*titles, *texts] for e in _emoji_in(t))  # ties: first seen (newest)
    fav = tuple(e for e, _ in favourites.most_common(3))
    starts = sum(1 for t in shape if _emoji_in(t) and _starts_with_emoji(t))
    position: Literal["start", "end"] = "start" if starts * 2 > sum(1 for e in with_emoji if e) else "end"

    ending = _vote([_ending_of(t) for t in shape], "", ("?", "!", "."))
    questions = [t for t in shape if _is_question(t)]
    question_rate = len(questions) / len(shape)
    openers = [w[0] for w in (_WORD.findall(_strip_emoji(q).lower()) for q in questions) if w]
    opener = _vote([o for o in openers if o in _QUESTION_WORDS], "")

    separator = ""
    if from_titles:
        seps = [next((s for s in _SEPARATORS if s in t), None) for t in shape]
        top = _vote(seps, None)
        if top and seps.count(top) * 2 >= len(shape):
            separator = top
    tags = [m.group(1) for t in shape if (m := _BRACKET_PREFIX.match(t))]
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


def _starts_with_emoji(text: str) -> bool:
    stripped = text.lstrip()
    found = emoji_lib.emoji_list(stripped)
    return bool(found and found[0]["match_start"] == 0) or bool(_SHORTCODE.match(stripped))


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
    parts.append(names.get(_ASCII_ENDING.get(features.ending, features.ending), f"ends with {features.ending!r}"))
    if features.uses_emoji:
        fav = " ".join(features.emoji) or "emoji"
        parts.append(f"uses emoji ({fav}) at the {features.emoji_position}")
    else:
        parts.append("no emoji")
    if features.language:
        parts.append(f"writes in {features.language}")
    return ", ".join(parts)


# --- prompts -------------------------------------------------------------------------------------------


def load_prompt(name: str) -> tuple[str, string.Template]:
    """Load ``prompts/<name>.md``: the text under ``# system`` and the template under ``# prompt``.

    Raises:
        FileNotFoundError: no such prompt file.
        ValueError: the file lacks one of the two sections.
    """
    text = (PROMPTS_DIR / f"{name}.md").read_text(encoding="utf-8")
    match = re.search(r"^# system\s*\n(.*?)^# prompt\s*\n(.*)\Z", text, re.S | re.M)
    if not match:
        raise ValueError(f"prompts/{name}.md needs a '# system' and a '# prompt' section")
    return match.group(1).strip(), string.Template(match.group(2).strip())


def _fence(texts: Sequence[str], tag: str) -> str:
    """Texts as data inside ``<tag>`` … ``</tag>``, one per line; a closing tag inside is defused."""
    body = "\n".join(f"- {t.strip()}".replace(f"</{tag}", f"<\u200b/{tag}") for t in texts if t.strip())
    return f"<{tag}>\n{body}\n</{tag}>"


# --- learning -------------------------------------------------------------------------------------------


def _latest(conversations: Sequence[PastConversation], limit: int) -> list[PastConversation]:
    """The ``limit`` latest conversations; input order (assumed newest first) breaks ties."""
    indexed = list(enumerate(conversations))
    dated = [c for _, c in indexed if c.created_at is not None]
    if len(dated) == len(indexed):
        indexed.sort(key=lambda ic: (-ic[1].created_at.timestamp(), ic[0]))  # type: ignore[union-attr]
    return [c for _, c in indexed[:limit]]


def learn_profile(conversations: Sequence[PastConversation], *, provider: Any = None) -> StyleProfile:
    """Learn a user's style from their 5 most recent conversations.

    Args:
        conversations: the user's earlier conversations (newest first when ``created_at`` is missing).
        provider: a :class:`bot.llm.base.Provider`; with one (and not ``"offline"``) the description is
            the model's one-line answer to ``prompts/title_style.md``. None means offline.

    Returns:
        The profile; neutral (``is_neutral``) when fewer than 5 conversations are given. A model
        failure (:class:`LLMError`) falls back to the description written from the features.
    """
    recent = _latest(conversations, PROFILE_CONVERSATIONS)
    if len(recent) < PROFILE_CONVERSATIONS:
        return neutral_profile(len(recent))
    messages = [t for c in recent for t in c.texts]
    titles = [c.title for c in recent if c.kept_title and c.title]
    features = measure_style(messages, titles=titles)
    description = describe_features(features)
    if _is_model(provider):
        system, template = load_prompt("title_style")
        prompt = template.safe_substitute(
            messages=_fence([t[:500] for t in messages], "messages"),
            titles=_fence(titles, "titles") if titles else "<titles>\n(none kept)\n</titles>",
            measured=description,
        )
        try:
            answer = provider.complete(system=system, prompt=prompt, max_tokens=120).text
            line = _first_line(answer)
            if line:
                description = line[:300]
        except LLMError:
            logger.warning("style description failed; using the measured description", exc_info=True)
    return StyleProfile(description, features, len(recent), is_neutral=False)


def _is_model(provider: Any) -> bool:
    return provider is not None and getattr(provider, "name", "offline") != "offline"


def _first_line(text: str) -> str:
    for line in text.strip().splitlines():
        line = line.strip().strip("*#>` ").strip()
        line = re.sub(r"^(title|style|titel|标题|タイトル)\s*[:：]\s*", "", line, flags=re.I)
        line = line.strip().strip("\"'“”‘’「」『』").strip()
        if line:
            return line
    return ""


# --- keywords --------------------------------------------------------------------------------------------


@dataclass
class _Term:
    key: str
    surfaces: Counter[str] = field(default_factory=Counter)
    first_pos: int = 1 << 30


def _cjk_chunks(text: str, language: str) -> list[str]:
    """Content chunks of CJK text: ja splits on hiragana (particles), zh on function characters."""
    runs = re.findall(f"[{_HAN}{_KATAKANA}]+" if language == "ja" else f"[{_HAN}]+", text)
    chunks: list[str] = []
    for run in runs:
        if language == "ja":
            chunks.extend(p for p in _JA_SPLIT_RE.split(run) if p)
        else:
            chunks.extend(p for p in _ZH_SPLIT_RE.split(run) if p)
    return chunks


def _ngrams(chunk: str) -> list[tuple[str, int]]:
    return [(chunk[i : i + n], i) for n in range(2, _MAX_NGRAM + 1) for i in range(len(chunk) - n + 1)]


def _closed_ngrams(texts: Sequence[str]) -> dict[str, int]:
    """Chinese n-grams (2–6 characters) worth keeping as keywords.

    Chinese has no spaces and we ship no dictionary, so a word is guessed from repetition: an n-gram
    is kept when it occurs at least twice and no longer n-gram containing it occurs as often (it is
    "closed": ``数据库迁移`` ×2 beats ``数据库迁`` ×2, while ``迁移`` ×3 also stands on its own).
    A chunk of 2–4 characters between function words is kept as a whole, and bigrams seen once are
    kept where no longer n-gram covers them, so a short conversation still has keywords.

    Returns:
        The kept n-grams and how often each occurs.
    """
    counts: Counter[str] = Counter()
    short_chunks: set[str] = set()
    for text in texts:
        for chunk in _cjk_chunks(text, "zh"):
            counts.update(g for g, _ in _ngrams(chunk))
            if 2 <= len(chunk) <= 4:
                short_chunks.add(chunk)
    kept: set[str] = set(short_chunks)
    for gram, n in counts.items():
        if n == 1:
            if len(gram) == 2:
                kept.add(gram)
            continue
        kept.add(gram)
    # Drop a gram when a one-character-longer gram containing it is as frequent (it never stands alone).
    for gram in sorted(kept, key=len, reverse=True):
        n = counts[gram]
        if n < 2:
            continue
        for sub in (gram[:-1], gram[1:]):
            if len(sub) >= 2 and counts[sub] == n and sub in kept:
                kept.discard(sub)
    return {g: counts[g] for g in kept}


def _tokens(text: str, language: str, stop: frozenset[str],
            cjk_vocab: dict[str, int] | None = None) -> list[tuple[str, str, int]]:
    """``(key, surface, position)`` for each candidate keyword in ``text``."""
    out: list[tuple[str, str, int]] = []
    if language == "ja":
        for chunk in _cjk_chunks(text, language):
            if len(chunk) >= 2:
                out.append((chunk, chunk, text.find(chunk)))
    elif language == "zh":
        vocab = cjk_vocab if cjk_vocab is not None else _closed_ngrams([text])
        for chunk in _cjk_chunks(text, language):
            pos = text.find(chunk)
            grams = [(g, i) for g, i in _ngrams(chunk) if g in vocab]
            covered: set[int] = set()
            for g, i in grams:
                if len(g) > 2 or vocab[g] > 1:
                    covered.update(range(i, i + len(g)))
            for g, i in grams:
                if vocab[g] > 1 or len(g) > 2 or not covered & {i, i + 1}:
                    out.append((g, g, pos + i))
    latin = _CJK_CHAR.sub(" ", text)
    for m in _WORD.finditer(latin):
        word = _ELISION.sub("", m.group(0))
        key = word.lower()
        if key in stop or key.isdigit() or len(key) < 2 or (len(key) < 3 and not word.isupper()):
            continue
        out.append((key, word, m.start()))
    return out


def extract_keywords(texts: Sequence[str], *, language: str, limit: int = 12) -> list[str]:
    """The conversation's keywords, best first, in their usual written form.

    Each message is a document for scikit-learn's ``TfidfVectorizer`` (sublinear tf, l2 norm); a term's
    score is its summed weight, the first message counting double (it usually states the topic).
    Chinese is split into 2–4 character n-grams inside chunks bounded by function characters, and the
    longest n-gram that is as frequent as its parts wins; Japanese keeps kanji/katakana runs.

    Args:
        texts: message texts (already cleaned or raw Slack mrkdwn).
        language: the conversation's ISO 639-1 code.
        limit: at most this many keywords.

    Returns:
        Keywords (original surface form, e.g. ``"API"``, ``"Kubernetes"``, ``"部署"``).
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    stop = _stop_words()
    docs = [clean_text(t) for t in texts if t and t.strip()]
    cjk_vocab = _closed_ngrams(docs) if language == "zh" else None
    terms: dict[str, _Term] = {}
    offset = 0
    per_doc: list[list[str]] = []
    for doc in docs:
        toks = _tokens(doc, language, stop, cjk_vocab)
        for key, surface, pos in toks:
            term = terms.setdefault(key, _Term(key))
            term.first_pos = min(term.first_pos, offset + pos)
            if not (pos == 0 and surface[:1].isupper() and not surface.isupper()):
                term.surfaces[surface] += 1
        per_doc.append([k for k, _, _ in toks])
        offset += len(doc) + 1
    if not terms:
        return []
    vectorizer = TfidfVectorizer(analyzer=lambda tokens: tokens, sublinear_tf=True)
    matrix = vectorizer.fit_transform(per_doc)
    weights = [2.0 if i == 0 else 1.0 for i in range(len(per_doc))]
    import numpy as np

    scores = np.asarray(matrix.T @ np.asarray(weights)).ravel()
    vocab = vectorizer.vocabulary_
    score = {key: float(scores[idx]) for key, idx in vocab.items()}
    if language in ("zh", "ja"):
        for key in score:
            if _CJK_CHAR.search(key):
                score[key] *= 1.0 + 0.15 * (min(len(key), 4) - 2)
    ranked = sorted(score, key=lambda k: (-round(score[k], 9), terms[k].first_pos, k))
    chosen: list[str] = []
    for key in ranked:
        if any(_overlaps(key, other) for other in chosen):
            continue
        chosen.append(key)
        if len(chosen) >= limit:
            break
    return [_surface(terms[k]) for k in chosen]


def _overlaps(a: str, b: str) -> bool:
    """Same keyword twice: one contains the other (CJK), or they share a 5-letter stem."""
    if _CJK_CHAR.search(a) or _CJK_CHAR.search(b):
        return a in b or b in a
    if a.startswith(b) or b.startswith(a):
        return min(len(a), len(b)) >= 3
    return len(a) >= 5 and len(b) >= 5 and a[:5] == b[:5]


def _surface(term: _Term) -> str:
    if not term.surfaces:
        return term.key
    best = max(term.surfaces.values())
    forms = sorted(s for s, n in term.surfaces.items() if n == best)
    lower = [s for s in forms if s == s.lower()]
    return lower[0] if lower else forms[0]


# --- shaping ---------------------------------------------------------------------------------------------


def apply_casing(text: str, casing: Casing) -> str:
    """Recase ``text``: lower, UPPER, Title Case (minor words lower) or Sentence case (first letter up).

    Acronyms (all-caps words of 2+ letters) keep their capitals except in ``lower``.
    """
    if casing == "lower":
        return text.lower()
    if casing == "upper":
        return text.upper()
    out: list[str] = []
    first = True
    for piece in re.split(r"(\s+|[_\-/:|·—–])", text):
        if not _WORD.search(piece):
            out.append(piece)
            continue
        m = _WORD.search(piece)
        assert m is not None
        word = m.group(0)
        acronym = len(word) >= 2 and word.isupper()
        if casing == "title":
            if acronym:
                new = word
            elif not first and word.lower() in _MINOR:
                new = word.lower()
            else:
                new = word[:1].upper() + word[1:]
        else:  # sentence: only the first word is touched; other words keep their written form
            new = word[:1].upper() + word[1:] if first else word
        out.append(piece[: m.start()] + new + piece[m.end() :])
        first = False
    return "".join(out)


def _trim_ending(text: str) -> str:
    return text.rstrip().rstrip(_ENDINGS + ",;:-–— ").rstrip()


def _limit_words(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` words (CJK: 2 characters a word), on a word boundary."""
    if count_words(text) <= limit:
        return text
    out = ""
    for piece in re.findall(r"\S+\s*", text):
        if count_words(out + piece) > limit:
            if not out and _CJK_CHAR.search(piece):
                return piece[: limit * 2]
            if _CJK_CHAR.search(piece):
                cut = piece
                while cut and count_words(out + cut) > limit:
                    cut = cut[:-1]
                out += cut
            break
        out += piece
    return out.strip() or text.split()[0]


def _with_emoji(text: str, features: StyleFeatures) -> str:
    text = _strip_emoji(text)
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
    draft = _trim_ending(_strip_emoji(_first_line(text)))
    if not draft and keywords:
        draft = " ".join(keywords[:2])
    tag = ""
    if features.bracket_prefix:
        m = _BRACKET_PREFIX.match(draft)
        if m:
            tag, draft = m.group(1), draft[m.end() :]
        elif keywords:
            tag = keywords[0]
            rest = draft.split()
            if rest and rest[0].lower() == tag.lower() and len(rest) > 1:
                draft = " ".join(rest[1:])
        tag = apply_casing(tag, features.bracket_casing)
    slack = 1 if _CJK_CHAR.search(draft) else 2
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
    if features.asks_questions and _ASCII_ENDING.get(ending, ending) != "?":
        ending = "？" if language in ("zh", "ja") else "?"
    if ending:
        if language in ("zh", "ja") and ending in "?!.":
            ending = {"?": "？", "!": "！", ".": "。"}[ending]
        elif language not in ("zh", "ja") and ending in "？！。":
            ending = _ASCII_ENDING[ending]
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
    match = re.search(r"[^.!?。！？\n]*[?？]", first)
    if not match:
        return ""
    words = match.group(0).strip().rstrip("?？").split()
    if not words or words[0].lower().strip(",") not in _QUESTION_WORDS:
        return ""
    droppable = [{"the", "a", "an", "please", "pls", "hey", "so", "guys"}, _stop_words()]
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
            if not _KANA_RE.search(title):
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


def make_title(conversation_texts: Sequence[str], *, style: StyleProfile, provider: Any = None) -> str:
    """Title a new conversation in the user's style.

    Args:
        conversation_texts: the conversation's messages (the user's first), Slack mrkdwn or plain text.
        style: the user's profile (see :func:`learn_profile`; :func:`neutral_profile` for new users).
        provider: a :class:`bot.llm.base.Provider`; None or one named ``"offline"`` builds the title
            from keywords. A model's title is post-processed by :func:`finish_title`; on
            :class:`LLMError` (or an empty answer) the offline title is used.

    Returns:
        The title (one line).
    """
    texts = [t for t in conversation_texts if t and t.strip()]
    language = detect_language([clean_text(t) for t in texts]) if texts else (style.features.language or "en")
    features = style.features
    keywords = extract_keywords(texts, language=language)
    joined = "\n".join(clean_text(t) for t in texts)
    lowered = joined.lower()

    def order(keyword: str) -> int:
        pos = lowered.find(keyword.lower())
        return pos if pos >= 0 else len(lowered)

    if _is_model(provider):
        system, template = load_prompt("title")
        user_language = features.language or language
        prompt = template.safe_substitute(
            style=style.description,
            measured=describe_features(replace(features, language=user_language)),
            words=str(features.words),
            language=user_language,
            conversation=_fence([t[:2000] for t in texts][:40], "conversation"),
        )
        try:
            answer = provider.complete(system=system, prompt=prompt, max_tokens=60).text
            title_language = detect_language([_strip_emoji(answer)]) if _first_line(answer) else language
            title = finish_title(answer, features, language=title_language, keywords=keywords)
            if _WORD.search(_strip_emoji(title)):
                return title
            logger.warning("model returned an empty title; using the offline title")
        except LLMError:
            logger.warning("title generation failed; using the offline title", exc_info=True)
    draft = _offline_draft(keywords, order, features, language, texts)
    return finish_title(draft, features, language=language, keywords=keywords)


# --- service ---------------------------------------------------------------------------------------------


def _source_key(conversations: Sequence[PastConversation], provider: Any) -> str:
    import hashlib

    digest = hashlib.sha256()
    digest.update(str(getattr(provider, "name", "offline") if _is_model(provider) else "offline").encode())
    for c in conversations:
        stamp = c.created_at.isoformat() if c.created_at else ""
        digest.update(repr((stamp, c.title, c.kept_title, c.texts)).encode())
    return digest.hexdigest()


def current_profile(
    *,
    store: Any,
    team_id: str,
    user_id: str,
    provider: Any = None,
    exclude_thread: tuple[str, str] | None = None,
) -> StyleProfile:
    """The user's style profile as of their 5 latest conversations, learned again only when those changed.

    Args:
        store: a :class:`bot.titles.store.TitleStore`.
        team_id, user_id: whose (profiles never mix users or workspaces).
        provider: a model provider, or None for offline.
        exclude_thread: ``(channel_id, thread_ts)`` of a conversation to leave out (the one being titled).

    Returns:
        The stored profile when it was learned from the same conversations (and provider); otherwise a
        freshly learned one, which is saved.
    """
    previous = store.recent_conversations(team_id, user_id, PROFILE_CONVERSATIONS, exclude_thread=exclude_thread)
    key = _source_key(previous, provider)
    profile = store.get_profile(team_id, user_id) if store.get_profile_key(team_id, user_id) == key else None
    if profile is None:
        profile = learn_profile(previous, provider=provider)
        store.save_profile(team_id, user_id, profile, source_key=key)
    return profile


def title_conversation(
    *,
    store: Any,
    team_id: str,
    user_id: str,
    channel_id: str,
    thread_ts: str,
    texts: Sequence[str],
    provider: Any = None,
) -> str:
    """Record a conversation, refresh the user's style profile, title the conversation and store it.

    The profile is learned from the user's 5 latest *previous* conversations (this one excluded) of
    this workspace; it is re-learned only when those changed. The generated title is stored with
    ``kept_title=False``: only a title the user keeps or writes (``store.set_title(..., kept=True)``)
    teaches their style.

    Args:
        store: a :class:`bot.titles.store.TitleStore`.
        team_id, user_id: the workspace and the user who started the conversation (the style's owner).
        channel_id, thread_ts: the conversation.
        texts: its messages, the user's first message first.
        provider: a model provider, or None for offline.

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
    title = make_title(texts, style=profile, provider=provider)
    store.set_title(team_id=team_id, channel_id=channel_id, thread_ts=thread_ts, title=title, kept=False)
    return title
