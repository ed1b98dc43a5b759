"""A conversation's keywords, for offline titles and for ``[area]`` tags.

:func:`extract_keywords` scores candidate terms with TF-IDF (scikit-learn), each message a document.
Latin-script text is split into words minus stop words and chat filler (:func:`stop_words`); Chinese,
which has no spaces and for which we ship no dictionary, is split into n-grams inside chunks bounded by
function characters; Japanese keeps kanji/katakana runs between hiragana. scikit-learn and numpy are
imported on first use, so importing this module stays cheap.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.lang import HAN, HIRAGANA, KATAKANA
from bot.titles.text import CJK_CHAR, WORD, clean_text

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


def stop_words() -> frozenset[str]:
    """scikit-learn's English stop words plus the chat filler above (lowercase words)."""
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
_JA_SPLIT_RE = re.compile(f"[{HIRAGANA}]+")
_MAX_NGRAM = 6
_ELISION = re.compile(r"^(?:[cdjlmnst]|qu)['’](?=\w)", re.I)  # French l'imprimante -> imprimante


@dataclass
class _Term:
    """A candidate keyword: its lowercase key, the written forms seen, its first position in the text."""

    key: str
    surfaces: Counter[str] = field(default_factory=Counter)
    first_pos: int = 1 << 30


def _cjk_chunks(text: str, language: str) -> list[str]:
    """Content chunks of CJK text: ja splits on hiragana (particles), zh on function characters."""
    runs = re.findall(f"[{HAN}{KATAKANA}]+" if language == "ja" else f"[{HAN}]+", text)
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
    latin = CJK_CHAR.sub(" ", text)
    for m in WORD.finditer(latin):
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
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    stop = stop_words()
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
    scores = np.asarray(matrix.T @ np.asarray(weights)).ravel()
    vocab = vectorizer.vocabulary_
    score = {key: float(scores[idx]) for key, idx in vocab.items()}
    if language in ("zh", "ja"):
        for key in score:
            if CJK_CHAR.search(key):
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
    if CJK_CHAR.search(a) or CJK_CHAR.search(b):
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


