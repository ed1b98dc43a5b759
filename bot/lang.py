"""Languages: the one language detector, the CJK script ranges and language names.

:func:`detect_language` gives the dominant language of some texts as an ISO 639-1 code. Chinese,
Japanese and Korean are told apart by script (Unicode blocks): kana means Japanese, Hangul means
Korean, Han ideographs without either mean Chinese. Other languages go to lingua
(https://github.com/pemistahl/lingua-py, maintained; langdetect has had no release since 2021) in its
low-accuracy mode (trigram models only), limited to the languages of :data:`LANGUAGE_NAMES`; it is
deterministic and its models ship inside the package (nothing is downloaded), loaded on first use.
``bench/lang_bench.py`` measured it against langdetect: as accurate on ``recap eval language`` and on
single messages, better on short texts, faster to start (0.4 s against 0.95 s) and smaller (50 MiB
against 66 MiB); lingua's high-accuracy mode is better still on short texts but takes ~450 MiB and
several seconds to load, too much for every worker process. Summaries (:mod:`bot.summaries`) and
titles (:mod:`bot.titles`) both use it.

The script ranges (:data:`HAN`, :data:`KANA`, :data:`HANGUL`, :data:`CJK_CHARS`) are written here once,
as the inside of a regex character class, so that ``re.compile(f"[{HAN}{KANA}]")`` builds any
combination; :data:`CJK_CHAR` matches one character of any of the three scripts.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

logger = logging.getLogger(__name__)

BACKEND = "lingua-low"
"""The detector of non-CJK text: ``"lingua"``, ``"lingua-low"`` (its low-accuracy mode: trigrams only) or
``"langdetect"`` (``bench/lang_bench.py`` compares them)."""
_DETECTOR: Any = None

DEFAULT_LANGUAGE = "en"

# --------------------------------------------------------------------------------------------------
# Scripts (the inside of a regex character class: use as f"[{HAN}{KANA}]")

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""Han ideographs: CJK Extension A, CJK Unified Ideographs, CJK Compatibility Ideographs."""
HIRAGANA = "\u3040-\u309f"
"""Hiragana."""
KATAKANA = "\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"
"""Katakana, its phonetic extensions and half-width katakana."""
KANA = HIRAGANA + KATAKANA
"""Japanese kana: :data:`HIRAGANA` and :data:`KATAKANA`."""
HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
"""Korean: Hangul Jamo, Compatibility Jamo and Hangul Syllables."""
CJK_CHARS = HAN + KANA + HANGUL
"""Every Chinese, Japanese or Korean character (:data:`HAN`, :data:`KANA`, :data:`HANGUL`)."""
CJK_CHAR = re.compile(f"[{CJK_CHARS}]")
"""Matches one character of :data:`CJK_CHARS`."""

_KANA = re.compile(f"[{KANA}]")
_HANGUL = re.compile(f"[{HANGUL}]")
_HAN = re.compile(f"[{HAN}]")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
# Slack markup that says nothing about the language: links, mentions, channels, emoji, code.
_NOISE = re.compile(r"https?://\S+|<[^>]*>|[@#][\w.\-]+|:[a-z0-9_+\-]+:|`[^`]*`")
_MIN_LETTERS = 3
_MAX_DETECT_CHARS = 5000
_MIN_JOINED_LETTERS = 30
"""Letters of Latin (or other non-CJK) text below which nothing is detected: a few words say too little ("Profile test
failure" was French, "Plutonians ;)" Finnish, "What happened to helpdesk bot?" Dutch), so such a conversation keeps
:data:`DEFAULT_LANGUAGE` unless a script tells."""
_SURE_LETTERS = 60
"""Letters of joined text below which a language other than :data:`DEFAULT_LANGUAGE` is taken only when the detector
is all but certain (:data:`_SURE_CONFIDENCE`)."""
_SURE_CONFIDENCE = 0.995
"""lingua's confidence a short text (under :data:`_SURE_LETTERS` letters) needs to be taken for another language: real
short German, Spanish and French sentences score 0.999–1.0, while English chat read as another language scored 0.23–0.98
("I’m here! What’d I miss? am a Data analyst in python" + "Well, Julia?" German at 0.98, "Gurobi works in the julia
terminal but not in jupyterlab" Dutch at 0.23: 4 of 1,331 real English threads, none of them right)."""
_ALONE_LETTERS = 60
"""A paragraph of a message of several paragraphs with at least this many letters votes on its own; shorter
ones are detected joined (a few words say little about their language)."""
_MAX_ALONE = 200
"""At most this many paragraphs are detected on their own (a busy week); the rest are joined."""
_PARAGRAPH = re.compile(r"\n\s*(?:-{2,}|_{2,}|={2,}|\*{2,})?\s*\n")

LANGUAGE_NAMES = {
    "en": "English", "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "de": "German", "es": "Spanish",
    "fr": "French", "pt": "Portuguese", "it": "Italian", "nl": "Dutch", "ru": "Russian", "pl": "Polish",
    "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian", "ar": "Arabic", "hi": "Hindi", "vi": "Vietnamese",
    "id": "Indonesian", "cs": "Czech", "da": "Danish", "fi": "Finnish", "no": "Norwegian", "he": "Hebrew",
}
"""English names of the languages Recap names in prompts, by ISO 639-1 code."""


def is_cjk(ch: str) -> bool:
    """True when the one-character string ``ch`` is Chinese, Japanese or Korean (:data:`CJK_CHARS`)."""
    return CJK_CHAR.fullmatch(ch) is not None


def language_label(code: str) -> str:
    """A language for a prompt: ``"Chinese (zh)"``; the bare code when its name is not known."""
    name = LANGUAGE_NAMES.get(code)
    return f"{name} ({code})" if name else code


def _clean(text: str) -> str:
    return _NOISE.sub(" ", text)


def script_language(text: str) -> str | None:
    """``"ja"``, ``"ko"`` or ``"zh"`` when ``text`` is mostly CJK (by script), else None.

    Args:
        text: any text (Slack markup is not removed here).

    Returns:
        ``"ja"`` when it has kana, ``"ko"`` when Hangul outnumbers Han, else ``"zh"``; None when fewer
        than half of its letters are CJK, or it has no letters.
    """
    letters = len(_LETTER.findall(text))
    if not letters:
        return None
    kana = len(_KANA.findall(text))
    hangul = len(_HANGUL.findall(text))
    han = len(_HAN.findall(text))
    cjk = kana + hangul + han
    if cjk * 2 < letters:  # mostly Latin/Cyrillic/... with a few CJK characters
        return None
    if kana:
        return "ja"
    if hangul >= han:
        return "ko"
    return "zh"


def _paragraphs(text: str, letters: int) -> list[str]:
    """``text`` cut at blank or rule lines when it holds two paragraphs or more of :data:`_ALONE_LETTERS`
    letters each, else ``[text]``: an announcement in three languages, one paragraph each, votes for each
    language with that paragraph's letters, not for whichever its joined text resembles. A message of one
    paragraph is never detected alone (lingua's fast mode took "set the channel topic: Discuss
    patches/improvements to R's documentation" for French)."""
    if letters < 2 * _ALONE_LETTERS:
        return [text]
    parts = [part for part in _PARAGRAPH.split(text) if part.strip()]
    long = sum(len(_LETTER.findall(part)) >= _ALONE_LETTERS for part in parts)
    return parts if long >= 2 else [text]


def _lingua_detector() -> Any:
    """lingua's detector for :data:`LANGUAGE_NAMES` minus zh/ja/ko (told by script); models load lazily."""
    global _DETECTOR
    if _DETECTOR is None:
        from lingua import IsoCode639_1, LanguageDetectorBuilder

        codes = [getattr(IsoCode639_1, "NB" if code == "no" else code.upper())
                 for code in LANGUAGE_NAMES if code not in ("zh", "ja", "ko")]
        builder = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
        _DETECTOR = (builder.with_low_accuracy_mode() if BACKEND == "lingua-low" else builder).build()
    return _DETECTOR


def _lingua(text: str) -> str | None:
    try:
        language = _lingua_detector().detect_language_of(text)
    except Exception:  # noqa: BLE001 - a third-party failure must cost a vote, never the caller's answer
        logger.warning("lingua failed; this text does not vote", exc_info=True)
        return None
    return None if language is None else _code_of(language)


def _code_of(language: Any) -> str:
    """lingua's ``Language`` as this module's code (ISO 639-1; Norwegian Bokmål is ``"no"``)."""
    code = str(language.iso_code_639_1.name).lower()
    return "no" if code == "nb" else code


def _detect_other(text: str, *, sure: bool = False) -> str | None:
    """``text``'s language by :data:`BACKEND`; with ``sure``, another language than :data:`DEFAULT_LANGUAGE` only at
    :data:`_SURE_CONFIDENCE` or more (lingua's), else the default."""
    if not BACKEND.startswith("lingua"):
        return _langdetect(text)
    if not sure:
        return _lingua(text)
    try:  # one pass: the most likely language is the first of lingua's confidence values
        values = _lingua_detector().compute_language_confidence_values(text)
    except Exception:  # noqa: BLE001 - a third-party failure must cost a vote, never the caller's answer
        logger.warning("lingua failed; this text does not vote", exc_info=True)
        return None
    if not values:
        return None
    code = _code_of(values[0].language)
    return code if code == DEFAULT_LANGUAGE or values[0].value >= _SURE_CONFIDENCE else DEFAULT_LANGUAGE


def _langdetect(text: str) -> str | None:
    from langdetect import DetectorFactory, LangDetectException, detect

    DetectorFactory.seed = 0
    try:
        code: str = detect(text)
    except LangDetectException:
        return None
    except Exception:  # noqa: BLE001 - a third-party failure must cost a vote, never the caller's answer
        logger.warning("langdetect failed; this text does not vote", exc_info=True)
        return None
    return code.split("-")[0]  # "zh-cn" -> "zh"


def detect_language(texts: Sequence[str]) -> str:
    """The dominant language of some texts (a conversation's messages, a user's titles).

    Messages in Chinese, Japanese or Korean script vote for their language with a weight equal to
    their letter count. In a message of several long paragraphs (:func:`_paragraphs`), each paragraph of at
    least :data:`_ALONE_LETTERS` letters is detected on its own (up to :data:`_MAX_ALONE` of them); all other
    text is joined and detected at once, each voting with its letter count. Messages of fewer than three
    letters ("ok", "+1", empty) do not vote. Slack markup (links, mentions, ``:emoji:``, code) is ignored.
    A channel that speaks English with one announcement in Spanish, Portuguese and English is English; the
    joined text of such a week had been detected as Spanish, and its digest's headings with it.

    Args:
        texts: message texts, any order; None or empty items are skipped.

    Returns:
        An ISO 639-1 code (``"en"``, ``"zh"``, ``"ja"``, ``"de"``, …); :data:`DEFAULT_LANGUAGE` (``"en"``)
        when nothing can be told. Never raises.
    """
    votes: Counter[str] = Counter()
    other: list[str] = []
    other_weight = 0
    alone = 0
    for raw in texts:
        text = _clean(raw or "")
        weight = len(_LETTER.findall(text))
        if weight < _MIN_LETTERS:
            continue
        lang = script_language(text)
        if lang:
            votes[lang] += weight
            continue
        paragraphs = _paragraphs(text, weight)
        for paragraph in paragraphs:
            letters = len(_LETTER.findall(paragraph))
            on_its_own = len(paragraphs) > 1 and letters >= _ALONE_LETTERS and alone < _MAX_ALONE
            lang = _detect_other(paragraph) if on_its_own else None
            alone += on_its_own
            if lang:
                votes[lang] += letters
            else:
                other.append(paragraph)
                other_weight += letters
    if other and other_weight >= _MIN_JOINED_LETTERS:
        # One call on the joined text is far steadier than voting message by message: langdetect
        # is unreliable on a few words. The cap keeps it fast on a week of messages.
        lang = _detect_other(" \n".join(other)[:_MAX_DETECT_CHARS], sure=other_weight < _SURE_LETTERS)
        if lang:
            votes[lang] += other_weight
    if not votes:
        return DEFAULT_LANGUAGE
    # Ties broken by code so the result never depends on dict order.
    return max(sorted(votes), key=lambda code: votes[code])
