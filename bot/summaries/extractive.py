"""The offline provider: an extractive summarizer that needs no network, no key and no model download.

How :func:`summarize_offline` works:

1. **Sentences.** Each human message is split into sentences on Latin (``. ! ?``) and CJK
   (``。！？``) terminators and on line breaks; common abbreviations, times (``7:00 p.m.``),
   versions (``v1.2.3``) and links are never split. A sentence is a verbatim slice of a message, so
   times, amounts, versions, ``@names`` and links are kept exactly as written.
2. **Ranking.** Centrality is LexRank (Erkan & Radev 2004, JAIR 22): PageRank over the cosine graph
   of the sentences' TF-IDF vectors (scikit-learn, sublinear tf). For Latin-script languages the
   terms are content words, Snowball-stemmed (NLTK) with sumy's bundled stop words removed; for
   Chinese, Japanese, Korean and others, character n-grams inside word boundaries (2–4 characters),
   which need no word segmentation. The score multiplies centrality with a position prior (the
   opening of a thread states its topic, the strength of the Lead baseline; See et al. 2017) and a
   length prior (very short sentences such as "ok" or "thanks!" say little):
   ``centrality^0.4 · position^0.6 · (0.05 + length)``. The constants were tuned on the first half
   of the ConvoSumm and DialogSum ROUGE sets and checked on the second half (``docs/evals.md``).
3. **Redundancy.** Sentences are picked by Maximal Marginal Relevance (Carbonell & Goldstein 1998).
4. **Sections.** Cue phrases in several languages sort sentences into decisions, action items
   (owner: the ``@person`` asked, or the author of "I'll …"), open questions (a question no later
   message by someone else answers) and key points (any other sentence of four words or more,
   answered questions included: "Do you believe in UFOs?" names the topic). Every point cites the
   ``ts`` of its message. With ``max_words``, the best-scored points of all sections are kept
   within the budget.

Questions (``question=``) are answered by ranking sentences by similarity to the question, blended
with their centrality, and citing the sentences used.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from bot.errors import LLMError
from bot.lang import detect_language
from bot.llm.base import Completion
from bot.models import Message, Point, Summary

__all__ = [
    "OfflineProvider",
    "RankedSentence",
    "rank_sentences",
    "split_sentences",
    "summarize_offline",
    "count_tokens",
]

# --------------------------------------------------------------------------------------------------
# Token estimate (shared with the SDK providers)

_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]")


def count_tokens(text: str) -> int:
    """A cheap local estimate of the tokens ``text`` costs: one per CJK character, one per 4 other chars.

    Args:
        text: any text.

    Returns:
        Estimated token count (an upper-leaning estimate; no tokenizer is downloaded).
    """
    cjk = len(_CJK_CHAR.findall(text))
    return cjk + math.ceil((len(text) - cjk) / 4)


# --------------------------------------------------------------------------------------------------
# Sentence splitting

_ABBREVIATIONS = {
    "e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "approx", "cf", "al",
    "inc", "ltd", "corp", "fig", "dept", "a.m", "p.m", "z.b", "bzw", "ca", "usw", "d.h", "sra", "p.ej",
    "jan", "feb", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}
# A sentence ends after [.!?…] (plus closing quotes/brackets) followed by whitespace, or right after
# a CJK terminator (no space is used in Chinese/Japanese).
_LATIN_END = re.compile(r"(?<=[.!?…])[\"')\]»”’]*\s+")
_CJK_END = re.compile(r"(?<=[。！？!?])(?=[^\s。！？!?」』）)”’])")
_URL = re.compile(r"<https?://[^\s>]+>|https?://[^\s<>|]*[^\s<>|.,;:!?)\]'\"”’]")
_MENTION = re.compile(r"@[\w.\-]*\w")
_WORD = re.compile(r"\w+", re.UNICODE)


def _protect_urls(text: str) -> tuple[str, list[str]]:
    urls: list[str] = []

    def keep(match: re.Match[str]) -> str:
        urls.append(match.group(0))
        return f"\x00{len(urls) - 1}\x00"

    return _URL.sub(keep, text), urls


def _restore_urls(text: str, urls: list[str]) -> str:
    return re.sub(r"\x00(\d+)\x00", lambda m: urls[int(m.group(1))], text)


def _ends_with_abbreviation(piece: str) -> bool:
    words = piece.rstrip().split()
    if not words:
        return False
    if not words[-1].endswith("."):
        return False
    last = words[-1].rstrip(".!?…\"')]»”’")
    # Known abbreviations, and initials such as "J." in "J. Smith".
    return last.lower() in _ABBREVIATIONS or (len(last) == 1 and last.isalpha() and last.isupper())


def split_sentences(text: str) -> list[str]:
    """Split one message into sentences, verbatim.

    Splits on line breaks, on ``. ! ? …`` followed by a space, and right after ``。！？``. Links are
    never cut, nor are abbreviations such as "e.g." or "p.m.".

    Args:
        text: a message's text.

    Returns:
        Non-empty, stripped sentences in order; their concatenation keeps every character of ``text``
        except whitespace at the cut points.
    """
    protected, urls = _protect_urls(text)
    sentences: list[str] = []
    for line in protected.splitlines():
        line = line.strip()
        if not line:
            continue
        pieces: list[str] = []
        for chunk in _CJK_END.split(line):
            start = 0
            for match in _LATIN_END.finditer(chunk):
                piece = chunk[start : match.start()] + chunk[match.start() : match.end()].rstrip()
                if _ends_with_abbreviation(piece):
                    continue
                pieces.append(piece)
                start = match.end()
            pieces.append(chunk[start:])
        for piece in pieces:
            piece = piece.strip()
            if piece:
                sentences.append(_restore_urls(piece, urls))
    return sentences


# --------------------------------------------------------------------------------------------------
# Cue phrases (lower-cased text is searched)

_DECISION = re.compile(
    r"\b(?:decided|decision|we agreed|agreed (?:on|to|that)|let'?s go with|lets go with|we(?:'ll| will) go with|"
    r"going (?:forward )?with|settled on|final call|approved|consensus|we will|we'll ship|we are going to|"
    r"beschlossen|entschieden|einigen uns|vereinbart|machen wir|"
    r"decidimos|decidido|acordamos|acordado|vamos con|"
    r"décidé|decide|convenu|on part sur|validé|"
    r"combinado|fechado)\b"
    r"|决定|确定了|就这么定|定了|同意|决议|決定|決めました|決まり|合意|ことにします|にしましょう|결정|합의",
)
_ACTION = re.compile(
    r"\b(?:todo|to-do|action item|can you|could you|would you|please|pls|i'll|i will|i'm going to|"
    r"i am going to|i can take|i'll take|i'm on it|i am on it|let me|will do|assigned to|owner:|"
    r"ich werde|ich kümmere|kannst du|könntest du|bitte|"
    r"me encargo|yo me|puedes|podrías|por favor|"
    r"je vais|je m'en occupe|peux-tu|pourrais-tu|"
    r"eu vou|você pode)\b"
    r"|我来|我会|我去|请|麻烦|负责|待办|私が|やります|やっておきます|お願い|対応します|担当|제가|부탁",
)
_FIRST_PERSON = re.compile(
    r"\b(?:i'll|i will|i'm going to|i am going to|i can take|i'm on it|i am on it|let me|will do|"
    r"ich werde|ich kümmere|me encargo|yo me|je vais|je m'en occupe|eu vou)\b"
    r"|我来|我会|我去|私が|やります|やっておきます|対応します|제가",
)
_REQUEST = re.compile(r"\b(?:can you|could you|would you|please|kannst du|könntest du|puedes|podrías|peux-tu)\b"
                      r"|请|麻烦|お願い")
_ANSWER_CUE = re.compile(
    r"^\W*(?:yes|yeah|yep|yup|no|nope|sure|of course|definitely|i think|i believe|it'?s|it is|"
    r"because|ja|nein|doch|sí|si|claro|oui|non|sim|não|是|不|对|好|可以|はい|いいえ|うん|예|아니)\b",
    re.IGNORECASE,
)
_QUESTION_END = re.compile(r"[?？]\s*(?:[:\w+\-]*:)?\s*$|[吗嗎呢]\s*[。]?$|(?:ですか|ますか|でしょうか)[。]?$")

# --------------------------------------------------------------------------------------------------
# Ranking


@dataclass
class RankedSentence:
    """One sentence of the conversation and how central it is.

    Attributes:
        text: the sentence, verbatim.
        ts: the ``ts`` of the message it comes from.
        author: the author's display name.
        message_index: index of its message among the human messages (0 = oldest).
        thread_ts: the message's ``thread_ts``.
        score: ranking score (higher = more central); comparable only within one call.
        index: position among all sentences of the conversation.
    """

    text: str
    ts: str
    author: str
    message_index: int
    thread_ts: str | None
    score: float = 0.0
    index: int = 0


def _word_count(text: str) -> int:
    """Words for budgets: Latin words plus one per CJK character."""
    cjk = len(_CJK_CHAR.findall(text))
    return cjk + len(_WORD.findall(_CJK_CHAR.sub(" ", text)))


def _vectorize(texts: Sequence[str], extra: Sequence[str] = ()):  # -> (matrix of texts, matrix of extra)
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, lowercase=True, min_df=1,
        max_df=1.0 if len(texts) < 8 else 0.5,
    )
    cleaned = [_URL.sub(" ", t) or t for t in texts]
    try:
        matrix = vectorizer.fit_transform(cleaned)
    except ValueError:  # every sentence was empty after cleaning
        vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 1))
        matrix = vectorizer.fit_transform([t or "_" for t in texts])
    extra_matrix = vectorizer.transform([_URL.sub(" ", t) for t in extra]) if extra else None
    return matrix, extra_matrix


def _pagerank(similarity: np.ndarray, prior: np.ndarray, *, damping: float = 0.85) -> np.ndarray:
    """Personalized PageRank by power iteration on a dense similarity matrix."""
    n = similarity.shape[0]
    weights = similarity.copy()
    np.fill_diagonal(weights, 0.0)
    row_sums = weights.sum(axis=1, keepdims=True)
    dangling = row_sums[:, 0] == 0
    transition = np.divide(weights, row_sums, out=np.zeros_like(weights), where=row_sums > 0)
    personalization = prior / prior.sum()
    rank = np.full(n, 1.0 / n)
    for _ in range(100):
        spread = rank @ transition + rank[dangling].sum() * personalization
        new = (1 - damping) * personalization + damping * spread
        if np.abs(new - rank).sum() < 1e-9:
            rank = new
            break
        rank = new
    return rank


# Languages whose words are stemmed (Snowball, via NLTK) and whose stop words are dropped (the lists
# bundled with sumy) for centrality; other scripts (CJK, Korean, …) use character n-grams.
_SNOWBALL = {
    "en": "english", "de": "german", "es": "spanish", "fr": "french", "pt": "portuguese", "it": "italian",
    "nl": "dutch", "sv": "swedish", "da": "danish", "no": "norwegian", "fi": "finnish", "ru": "russian",
}
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+(?:[.:,]\d+)*", re.UNICODE)

POSITION_SLOPE = 30.0  # how fast the position prior fades from the first sentence to the last
POSITION_WEIGHT = 0.6  # share of the score given to position (0 = centrality only)
LENGTH_WORDS = 6.0  # content words at which a sentence is "long enough" (the length prior saturates)
DAMPING = 0.85  # PageRank damping: the share of the score that flows along similarity edges
_MAX_GRAPH = 3000  # sentences; beyond it the shortest ones are left out of the graph (memory n²)


@lru_cache(maxsize=16)
def _stemmer(language: str):  # -> nltk SnowballStemmer | None
    from nltk.stem.snowball import SnowballStemmer

    name = _SNOWBALL.get(language)
    return SnowballStemmer(name) if name else None


@lru_cache(maxsize=16)
def _stop_words(language: str) -> frozenset[str]:
    from sumy.utils import get_stop_words

    try:
        return frozenset(get_stop_words(_SNOWBALL[language]))
    except (KeyError, LookupError):
        return frozenset()


def _content_words(text: str, language: str) -> list[str]:
    """Lower-cased, stemmed words of ``text`` without stop words and links (Latin-script languages)."""
    stop = _stop_words(language)
    return [_stem(language, word) for word in _TOKEN.findall(_URL.sub(" ", text).lower())
            if word not in stop and (len(word) > 1 or word.isdigit())]


@lru_cache(maxsize=200_000)
def _stem(language: str, word: str) -> str:
    stemmer = _stemmer(language)
    return stemmer.stem(word) if stemmer is not None else word


def _centrality_matrix(texts: Sequence[str], language: str):  # -> sparse (sentences × terms), rows L2-normed
    """TF-IDF rows for centrality: stemmed content words for Latin scripts, else character n-grams."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if _stemmer(language) is None:
        return _vectorize(texts)[0]
    vectorizer = TfidfVectorizer(analyzer=lambda t: _content_words(t, language), sublinear_tf=True)
    try:
        return vectorizer.fit_transform(texts)
    except ValueError:  # no content word at all
        return _vectorize(texts)[0]


MAX_SENTENCES = 2000  # sentences ranked together; a longer conversation gets a first pass per block


def _first_pass(sentences: list[RankedSentence], messages: Sequence[Message], language: str) -> list[RankedSentence]:
    """Bound time and memory on very long input (similarity matrices grow with n²): rank blocks of
    :data:`MAX_SENTENCES` consecutive sentences separately and keep each block's best, in proportion
    to its size, so that at most :data:`MAX_SENTENCES` go to the final ranking. Order is kept."""
    if len(sentences) <= MAX_SENTENCES:
        return sentences
    kept: list[RankedSentence] = []
    total = len(sentences)
    for start in range(0, total, MAX_SENTENCES):
        block = sentences[start : start + MAX_SENTENCES]
        _rank(block, messages, language)
        quota = max(1, MAX_SENTENCES * len(block) // total)
        best = sorted(block, key=lambda x: -x.score)[:quota]
        kept.extend(sorted(best, key=lambda x: x.index))
    for position, sentence in enumerate(kept):
        sentence.index = position
    return kept


def _human(messages: Sequence[Message]) -> list[Message]:
    return [m for m in messages if not m.is_bot and (m.text or "").strip()]


def _sentences(messages: Sequence[Message]) -> list[RankedSentence]:
    out: list[RankedSentence] = []
    for i, message in enumerate(messages):
        for text in split_sentences(message.text):
            out.append(RankedSentence(text, message.ts, message.user_name, i, message.thread_ts, index=len(out)))
    return out


def _rank(sentences: list[RankedSentence], messages: Sequence[Message], language: str = "en") -> np.ndarray:
    """Fill ``score`` of each sentence; returns the sentence-by-sentence cosine similarity matrix.

    ``score = centrality^(1-w) · position^w · length``: centrality is PageRank over the cosine graph
    of content-word TF-IDF vectors (LexRank); position decays as ``1/(1 + slope·i/n)`` over the
    sentence index ``i`` of ``n`` (the opening of a thread states its topic: the Lead baseline's
    strength); length saturates at :data:`LENGTH_WORDS` content words. The returned similarity
    (character n-grams, any script) serves redundancy and question answering.
    """
    n = len(sentences)
    if n == 0:
        return np.zeros((0, 0))
    texts = [s.text for s in sentences]
    matrix, _ = _vectorize(texts)
    similarity = (matrix @ matrix.T).toarray()
    if n == 1:
        sentences[0].score = 1.0
        return similarity
    words = _centrality_matrix(texts, language)
    graph = (words @ words.T).toarray()
    if n > _MAX_GRAPH:  # keep the longest sentences in the graph, the rest get their prior only
        keep = np.argsort([-_word_count(t) for t in texts], kind="stable")[:_MAX_GRAPH]
        mask = np.zeros(n, dtype=bool)
        mask[keep] = True
        graph = graph * np.outer(mask, mask)
    uniform = np.ones(n)
    centrality = _pagerank(graph, uniform, damping=DAMPING) * n
    parents = {m.ts for m in messages if m.reply_count or (m.thread_ts and m.thread_ts == m.ts)}
    position = np.array([1.0 / (1.0 + POSITION_SLOPE * k / n) * (1.2 if s.ts in parents else 1.0)
                         for k, s in enumerate(sentences)])
    content = np.asarray((words > 0).sum(axis=1)).ravel() if _stemmer(language) else None
    length = np.array([min(1.0, (content[k] if content is not None else _word_count(s.text) / 2) / LENGTH_WORDS)
                       for k, s in enumerate(sentences)])
    scores = centrality ** (1 - POSITION_WEIGHT) * position ** POSITION_WEIGHT * (0.05 + length)
    for s, score in zip(sentences, scores, strict=True):
        s.score = float(score)
    return similarity


def _mmr(candidates: list[int], scores: np.ndarray, similarity: np.ndarray, *, k: int, lam: float = 0.7) -> list[int]:
    """Maximal Marginal Relevance: ``k`` indices balancing score against similarity to those chosen."""
    if not candidates or k <= 0:
        return []
    top = scores[candidates].max() or 1.0
    chosen: list[int] = []
    remaining = list(candidates)
    while remaining and len(chosen) < k:
        best, best_value = None, -math.inf
        for c in remaining:
            redundancy = max((similarity[c, j] for j in chosen), default=0.0)
            value = lam * scores[c] / top - (1 - lam) * redundancy
            if value > best_value:
                best, best_value = c, value
        assert best is not None
        remaining.remove(best)
        if chosen and max(similarity[best, j] for j in chosen) > 0.85:
            continue  # a near-duplicate ("+1, ship it" twice)
        chosen.append(best)
    return chosen


def rank_sentences(messages: Sequence[Message]) -> list[RankedSentence]:
    """Every sentence of the conversation with its centrality score, best first.

    Args:
        messages: the conversation, oldest first; bot messages are ignored.

    Returns:
        Sentences sorted by descending ``score`` (ties: earlier first); at most :data:`MAX_SENTENCES`
        (see :func:`_first_pass`). Useful for evals and baselines.
    """
    human = _human(messages)
    language = detect_language([m.text for m in human])
    sentences = _first_pass(_sentences(human), human, language)
    _rank(sentences, human, language)
    return sorted(sentences, key=lambda s: (-s.score, s.index))


# --------------------------------------------------------------------------------------------------
# Sections


def _owner(sentence: RankedSentence) -> str:
    lowered = sentence.text.lower()
    author = _at(sentence.author)
    if _FIRST_PERSON.search(lowered):
        return author
    mention = _MENTION.search(sentence.text)
    if mention:
        return mention.group(0)
    return author


def _at(name: str) -> str:
    name = (name or "").strip()
    return name if name.startswith("@") else f"@{name}" if name else "@someone"


def _is_question(text: str) -> bool:
    return bool(_QUESTION_END.search(text.strip()))


def _answered(q: RankedSentence, sentences: list[RankedSentence], messages: Sequence[Message],
              similarity: np.ndarray) -> bool:
    """True when a later message by someone else in the same thread seems to answer question ``q``."""
    thread = q.thread_ts or None
    later = [s for s in sentences if s.message_index > q.message_index and s.author != q.author
             and (s.thread_ts or None) == thread]
    if not later:
        return False
    first_reply_message = later[0].message_index
    # "Yes"/"Sure"/"好的" answers a message that asked one thing; after a request plus a question it
    # more likely answers the request.
    alone = sum(1 for s in sentences if s.message_index == q.message_index) == 1
    for s in later:
        if (alone and s.message_index == first_reply_message and _ANSWER_CUE.search(s.text)
                and not _is_question(s.text)):
            return True
        if similarity[q.index, s.index] >= 0.2 and not _is_question(s.text):
            return True
    # A direct reply in a thread whose parent is the question answers it.
    parent = messages[q.message_index]
    if parent.thread_ts == parent.ts and any(not _is_question(s.text) for s in later):
        return True
    return False


def _shorten(text: str, words: int) -> str:
    if _word_count(text) <= words:
        return text
    if _CJK_CHAR.search(text) and len(text.split()) <= 2:
        return text[:words].rstrip() + "…"
    return " ".join(text.split()[:words]).rstrip(",;:") + "…"


_NO_ANSWER = {
    "en": "No message in this conversation seems to answer that.",
    "zh": "对话中似乎没有消息回答这个问题。",
    "ja": "この会話には、その質問に答えるメッセージが見つかりませんでした。",
    "de": "Keine Nachricht in diesem Gespräch scheint das zu beantworten.",
    "es": "Ningún mensaje de esta conversación parece responder a eso.",
    "fr": "Aucun message de cette conversation ne semble y répondre.",
}
_MIN_RELEVANCE = 0.2  # cosine of char n-grams below which no sentence is taken to answer a question
_EMPTY = {
    "en": "No messages to summarize.",
    "zh": "没有可总结的消息。",
    "ja": "要約するメッセージがありません。",
}


def summarize_offline(
    messages: Sequence[Message],
    *,
    question: str | None = None,
    max_points: int = 5,
    max_words: int | None = None,
) -> Summary:
    """Summarize a conversation extractively, with no network and no model.

    Args:
        messages: the conversation, oldest first. Bot messages (``is_bot``) and empty ones are ignored.
        question: when given, answer it from the conversation instead of a general summary; the
            answer is in ``Summary.answer`` and the sentences used are cited in ``key_points``.
        max_points: at most this many points per section (key points, decisions, action items,
            open questions).
        max_words: when given, the points of all sections together hold at most about this many
            words (a CJK character counts as one word); best-ranked points are kept first.

    Returns:
        A :class:`~bot.models.Summary` with ``provider="offline"``, ``model="extractive"``,
        ``offline=True``, every point verbatim from one message and citing its ``ts``.
    """
    human = _human(messages)
    language = detect_language([m.text for m in human])
    base = Summary(overview="", language=language, provider="offline", model="extractive", offline=True,
                   message_count=len(human))
    sentences = _first_pass(_sentences(human), human, language)
    if not sentences:
        base.overview = _EMPTY.get(language, _EMPTY["en"])
        if question:
            base.answer = _NO_ANSWER.get(language, _NO_ANSWER["en"])
        return base
    similarity = _rank(sentences, human, language)
    scores = np.array([s.score for s in sentences])

    if question:
        return _answer(question, sentences, scores, similarity, base, max_points=max_points, max_words=max_words)

    # Sections, each from the whole conversation, best first.
    used: set[int] = set()
    sections: dict[str, list[int]] = {"decisions": [], "action_items": [], "open_questions": []}
    order = sorted(range(len(sentences)), key=lambda k: (-scores[k], k))
    for k in order:
        s = sentences[k]
        lowered = s.text.lower()
        if _word_count(s.text) < 3:
            continue
        request = _ACTION.search(lowered) and (_MENTION.search(s.text) or _REQUEST.search(lowered))
        if _is_question(s.text) and not request:
            if not _answered(s, sentences, human, similarity):
                sections["open_questions"].append(k)
            continue
        if _DECISION.search(lowered):
            sections["decisions"].append(k)
        elif _ACTION.search(lowered):
            sections["action_items"].append(k)
    open_candidates = list(sections["open_questions"])
    for name, picked in sections.items():
        sections[name] = _mmr(picked, scores, similarity, k=max_points)
        used.update(sections[name])
    # An answered question can be a key point (it names the topic: "Do you believe in UFOs?"); an
    # open one is listed under open questions only.
    asked = set(open_candidates)
    key_candidates = [k for k in order if k not in used and k not in asked
                      and _word_count(sentences[k].text) >= 4]
    key_points = _mmr(key_candidates, scores, similarity, k=max_points)
    # Sentences that repeat a point already chosen in another section add nothing.
    key_points = [k for k in key_points if not any(similarity[k, j] > 0.85 for j in used)]

    chosen = {"key_points": key_points, **sections}
    if max_words is not None:
        chosen = _budget(chosen, sentences, scores, max_words)

    def points(name: str) -> list[Point]:
        ks = sorted(chosen[name])  # conversation order reads best
        if name == "action_items":
            return [Point(sentences[k].text, [sentences[k].ts], owner=_owner(sentences[k])) for k in ks]
        return [Point(sentences[k].text, [sentences[k].ts]) for k in ks]

    base.key_points = points("key_points")
    base.decisions = points("decisions")
    base.action_items = points("action_items")
    base.open_questions = points("open_questions")
    top = order[0]
    base.overview = _shorten(sentences[top].text, 30)
    return base


def _budget(chosen: dict[str, list[int]], sentences: list[RankedSentence], scores: np.ndarray,
            max_words: int) -> dict[str, list[int]]:
    """Keep the best-scored points of all sections within ``max_words``."""
    flat = sorted(((k, name) for name, ks in chosen.items() for k in ks), key=lambda kn: (-scores[kn[0]], kn[0]))
    kept: dict[str, list[int]] = {name: [] for name in chosen}
    total = 0
    for k, name in flat:
        words = _word_count(sentences[k].text)
        if total + words > max_words and total > 0:
            continue
        kept[name].append(k)
        total += words
        if total >= max_words:
            break
    return kept


def _answer(question: str, sentences: list[RankedSentence], scores: np.ndarray, similarity: np.ndarray,
            base: Summary, *, max_points: int, max_words: int | None) -> Summary:
    matrix, qmatrix = _vectorize([s.text for s in sentences], [question])
    relevance = (matrix @ qmatrix.T).toarray()[:, 0]
    if relevance.max() < _MIN_RELEVANCE:
        base.answer = _NO_ANSWER.get(base.language, _NO_ANSWER["en"])
        base.overview = base.answer
        return base
    centrality = scores / (scores.max() or 1.0)
    # A question is rarely its own answer: prefer statements.
    statement = np.array([0.5 if _is_question(s.text) else 1.0 for s in sentences])
    blended = (0.8 * relevance / relevance.max() + 0.2 * centrality) * statement
    candidates = [k for k in range(len(sentences)) if relevance[k] > 0]
    picked = _mmr(candidates, blended, similarity, k=max_points)
    if max_words is not None:
        picked = _budget({"key_points": picked}, sentences, blended, max_words)["key_points"]
    best = picked[:2]
    base.answer = " ".join(sentences[k].text for k in sorted(best))
    base.overview = _shorten(sentences[picked[0]].text, 30)
    base.key_points = [Point(sentences[k].text, [sentences[k].ts]) for k in sorted(picked)]
    return base


# --------------------------------------------------------------------------------------------------
# Provider


class OfflineProvider:
    """The provider used when no model is configured, or when the model failed.

    It cannot follow prompts: :meth:`complete` and :meth:`stream` raise :class:`LLMError`. Callers
    (``bot.summaries.summarize``) recognise ``name == "offline"`` and call :func:`summarize_offline` directly.

    Attributes:
        name: ``"offline"``.
        model: ``"extractive"``.
        context_tokens: no limit applies; a large number.
    """

    name = "offline"
    model = "extractive"

    def __init__(self, *, context_tokens: int = 1_000_000) -> None:
        self.context_tokens = context_tokens

    def complete(self, *, system: str, prompt: str, max_tokens: int = 1024) -> Completion:
        """Always raises: the extractive summarizer does not follow prompts.

        Raises:
            LLMError: always.
        """
        raise LLMError(
            "the offline provider cannot follow prompts; use bot.summaries.extractive.summarize_offline",
            user_message="No language model is configured, so Recap can only give an extractive summary.",
        )

    def stream(self, *, system: str, prompt: str, max_tokens: int = 1024) -> Iterator[str]:
        """Always raises, like :meth:`complete`.

        Raises:
            LLMError: always.
        """
        self.complete(system=system, prompt=prompt, max_tokens=max_tokens)
        yield ""  # pragma: no cover - unreachable, makes this a generator

    def count_tokens(self, text: str) -> int:
        """Local token estimate (see :func:`count_tokens`)."""
        return count_tokens(text)

