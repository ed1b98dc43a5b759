"""The dominant language of a conversation, as an ISO 639-1 code.

Chinese, Japanese and Korean are told apart by script (Unicode blocks): kana means Japanese, Hangul
means Korean, Han ideographs without either mean Chinese. Other languages go to ``langdetect``
(a port of Nakatani Shuyo's language-detection library) with a fixed seed so results are
deterministic, each message's vote weighted by its length. Nothing is downloaded: langdetect ships
its profiles inside the package.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

DEFAULT_LANGUAGE = "en"

_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
# Slack markup that says nothing about the language: links, mentions, channels, emoji, code.
_NOISE = re.compile(r"https?://\S+|<[^>]*>|[@#][\w.\-]+|:[a-z0-9_+\-]+:|`[^`]*`")
_MIN_LETTERS = 3
_MAX_DETECT_CHARS = 5000


def _clean(text: str) -> str:
    return _NOISE.sub(" ", text)


def _script_language(text: str) -> str | None:
    """``"ja"``, ``"ko"`` or ``"zh"`` when the text is mostly CJK, else None."""
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


def _langdetect(text: str) -> str | None:
    from langdetect import DetectorFactory, LangDetectException, detect

    DetectorFactory.seed = 0
    try:
        code = detect(text)
    except LangDetectException:
        return None
    return code.split("-")[0]  # "zh-cn" -> "zh"


def detect_language(texts: Sequence[str]) -> str:
    """The dominant language of a conversation.

    Messages in Chinese, Japanese or Korean script vote for their language with a weight equal to
    their letter count; all other messages are joined and detected at once, voting with their total
    letter count. Messages of fewer than three letters ("ok", "+1") do not vote.

    Args:
        texts: message texts, any order.

    Returns:
        An ISO 639-1 code (``"en"``, ``"zh"``, ``"ja"``, ``"de"``, …); ``"en"`` when nothing can be told.
    """
    votes: Counter[str] = Counter()
    other: list[str] = []
    other_weight = 0
    for raw in texts:
        text = _clean(raw or "")
        weight = len(_LETTER.findall(text))
        if weight < _MIN_LETTERS:
            continue
        lang = _script_language(text)
        if lang:
            votes[lang] += weight
        else:
            other.append(text)
            other_weight += weight
    if other:
        # One call on the joined text is far steadier than voting message by message: langdetect
        # is unreliable on a few words. The cap keeps it fast on a week of messages.
        lang = _langdetect(" \n".join(other)[:_MAX_DETECT_CHARS])
        if lang:
            votes[lang] += other_weight
    if not votes:
        return DEFAULT_LANGUAGE
    # Ties broken by code so the result never depends on dict order.
    return max(sorted(votes), key=lambda code: votes[code])
