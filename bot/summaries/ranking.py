"""Ranking the sentences of a conversation: LexRank centrality with position and length priors.

Centrality is LexRank (Erkan & Radev 2004, JAIR 22): PageRank over the cosine graph of the sentences'
TF-IDF vectors (scikit-learn, sublinear tf). For Latin-script languages the terms are content words,
Snowball-stemmed (NLTK) with sumy's bundled stop words removed; for Chinese, Japanese, Korean and
others, character n-grams inside word boundaries (2–4 characters), which need no word segmentation.
The score multiplies centrality with a position prior (the opening of a thread states its topic, the
strength of the Lead baseline, See et al. 2017; in e-mail-style threads of long messages, each message's
opening too, so points cover the whole conversation: :func:`position_prior`) and a length prior (very
short sentences such as "ok" or "thanks!" say little), times a novelty factor (a sentence that quotes an
earlier message, as e-mail replies do, carries ``>`` quote markers, or is e-mail header residue only, keeps a
fifth of its score: :func:`novelty`):
``centrality^0.5 · position^0.5 · (0.05 + length) · novelty``.
The constants were tuned on the even items of the ConvoSumm and DialogSum ROUGE sets and checked on the
odd items (``docs/evals.md``). Redundancy is kept down by Maximal Marginal Relevance (:func:`mmr`; Carbonell &
Goldstein 1998).

:func:`trim_sentence` cuts what a reader skips from the start of a sentence shown as a point (pasted e-mail
headers, a salutation). Used by :mod:`bot.summaries.extractive`; :func:`rank_sentences` also serves the evals'
baselines.
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from bot.lang import detect_language
from bot.models import Message, Point
from bot.summaries.sentences import URL, is_quotation, split_sentences, word_count


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


def vectorize(texts: Sequence[str], extra: Sequence[str] = ()) -> tuple[Any, Any]:  # scipy sparse matrices
    """Character n-gram TF-IDF rows (2–4 characters inside word boundaries, any script; links left out).

    Args:
        texts: the sentences the vocabulary is fitted on.
        extra: more texts (a question) mapped into the same space.

    Returns:
        ``(matrix, extra_matrix)``: sparse, L2-normalized rows (one per text, so ``matrix @ matrix.T`` is
        the cosine similarity); ``extra_matrix`` is None without ``extra``.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer  # imported when first needed (~1 s)

    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, lowercase=True, min_df=1,
        max_df=1.0 if len(texts) < 8 else 0.5,
    )
    cleaned = [URL.sub(" ", t) or t for t in texts]
    try:
        matrix = vectorizer.fit_transform(cleaned)
    except ValueError:  # every sentence was empty after cleaning
        vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 1))
        matrix = vectorizer.fit_transform([t or "_" for t in texts])
    extra_matrix = vectorizer.transform([URL.sub(" ", t) for t in extra]) if extra else None
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
POSITION_WEIGHT = 0.5  # share of the score given to position (0 = centrality only)
LENGTH_WORDS = 3.0  # content words at which a sentence is "long enough" (the length prior saturates)
DAMPING = 0.85  # PageRank damping: the share of the score that flows along similarity edges
MESSAGE_WEIGHT = 1.0  # the message-level prior's weight when messages are long (see position_prior)
MESSAGE_SLOPE = 1.0  # how fast the message-level prior fades from the first message to the last
WITHIN_SLOPE = 1.0  # how fast it fades from a message's first sentence to its later ones
LONG_MESSAGES = (2.0, 4.0)  # sentences a message on average: below the first, chat; above the second, e-mail
REPEAT_SIMILARITY = 0.6  # character n-gram cosine with an earlier message's sentence above which a sentence repeats it
REPEAT_FACTOR = 0.2  # a repeated (quoted) sentence's score is multiplied by this
QUOTE_FACTOR = 0.2  # and so is a sentence carrying e-mail quote markers ("> From: …", "> > text")
HEADER_FACTOR = 0.2  # and so is a sentence that is e-mail header residue only (see trim_sentence)
APPROVAL_WEIGHT = 0.5  # a reply's approving reactions: its score × (1 + w·ln(1 + a)) (judged blind: docs/evals.md)
_MAX_GRAPH = 3000  # sentences; beyond it the shortest ones are left out of the graph (memory n²)


@lru_cache(maxsize=16)
def _stemmer(language: str) -> Any:  # an nltk SnowballStemmer, or None for other languages
    from nltk.stem.snowball import SnowballStemmer

    name = _SNOWBALL.get(language)
    return SnowballStemmer(name) if name else None


@lru_cache(maxsize=16)
def _stop_words(language: str) -> frozenset[str]:
    from sumy.utils import get_stop_words  # imported when first needed, like scikit-learn and NLTK

    try:
        return frozenset(get_stop_words(_SNOWBALL[language]))
    except (KeyError, LookupError):
        return frozenset()


def _content_words(text: str, language: str) -> list[str]:
    """Lower-cased, stemmed words of ``text`` without stop words and links (Latin-script languages)."""
    stop = _stop_words(language)
    return [_stem(language, word) for word in _TOKEN.findall(URL.sub(" ", text).lower())
            if word not in stop and (len(word) > 1 or word.isdigit())]


def content_words(text: str, language: str = "en") -> set[str]:
    """The stemmed content words of ``text`` (stop words and links left out; Latin-script languages, else the
    plain words): what two texts must share to say the same thing."""
    return set(_content_words(text, language))


@lru_cache(maxsize=200_000)
def _stem(language: str, word: str) -> str:
    stemmer = _stemmer(language)
    return stemmer.stem(word) if stemmer is not None else word


def _centrality_matrix(texts: Sequence[str], language: str) -> Any:  # sparse (sentences × terms), rows L2-normed
    """TF-IDF rows for centrality: stemmed content words for Latin scripts, else character n-grams."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if _stemmer(language) is None:
        return vectorize(texts)[0]
    vectorizer = TfidfVectorizer(analyzer=lambda t: _content_words(t, language), sublinear_tf=True)
    try:
        return vectorizer.fit_transform(texts)
    except ValueError:  # no content word at all
        return vectorize(texts)[0]


MAX_SENTENCES = 2000  # sentences ranked together; a longer conversation gets a first pass per block


def first_pass(sentences: list[RankedSentence], messages: Sequence[Message], language: str) -> list[RankedSentence]:
    """Bound time and memory on very long input (similarity matrices grow with n²): rank blocks of
    :data:`MAX_SENTENCES` consecutive sentences separately and keep each block's best, in proportion
    to its size, so that at most :data:`MAX_SENTENCES` go to the final ranking. Order is kept."""
    if len(sentences) <= MAX_SENTENCES:
        return sentences
    kept: list[RankedSentence] = []
    total = len(sentences)
    for start in range(0, total, MAX_SENTENCES):
        block = sentences[start : start + MAX_SENTENCES]
        rank_uncached(block, messages, language)
        quota = max(1, MAX_SENTENCES * len(block) // total)
        best = sorted(block, key=lambda x: -x.score)[:quota]
        kept.extend(sorted(best, key=lambda x: x.index))
    for position, sentence in enumerate(kept):
        sentence.index = position
    return kept


def bot_root(messages: Sequence[Message]) -> Message | None:
    """The thread's parent when a bot posted it and people replied to it in its thread (a build failure, an alert, a
    question bridged from Gitter: "Builder tester_linux64 … failed: https://…" -> "execve/mummap/EBADF abort, with
    logs"): what the replies are about. None for anything else (a channel's messages, a thread a person started, a
    bot's post nobody answered)."""
    root = messages[0] if messages else None
    if root is None or not root.is_bot or root.is_reply or root.thread_ts != root.ts or not (root.text or "").strip():
        return None
    replies = [m for m in messages[1:] if not m.is_bot]
    return root if replies and all(m.thread_ts == root.ts for m in replies) else None


_HANDS_OFF = re.compile(r"\b(?:cross[- ]?post(?:ed)?|re-?posted|moved|forwarded|escalated|copied|(?:created|opened|filed|raised) "
                        r"(?:a |an |the )?(?:new )?(?:ticket|issue|incident|case|bug))\b", re.IGNORECASE)
"""What a bot says when it takes a question elsewhere ("it has been cross posted to Discourse", "Created ticket …")."""


def handoff(messages: Sequence[Message]) -> Message | None:
    """The last bot reply in a thread that says, with a link, where the conversation went on (:data:`_HANDS_OFF`: a
    help-desk bot's "Success, it has been cross posted to Discourse (https://discourse.julialang.org/t/57016)", an
    issue tracker's "Created ticket OPS-12: https://…"): where a reader looks for an answer when no one replied in the
    thread. None for a channel's messages, a thread's parent and a bot's reply that takes nothing elsewhere (its
    "Can we cross post this …?" asks and names no link of the cross-post)."""
    if not messages or messages[0].is_reply or any(m.thread_ts != messages[0].ts for m in messages[1:]):
        return None
    return next((m for m in reversed(messages[1:]) if m.is_bot and m.is_reply and _hand_off_sentence(m.text)), None)


def _hand_off_sentence(text: str) -> str | None:
    """The first sentence of ``text`` that says where a conversation was taken and holds the link (:data:`_HANDS_OFF`),
    not a question (``None`` when there is none)."""
    return next((s for s in split_sentences(text or "") if _HANDS_OFF.search(s) and URL.search(s) and not s.rstrip().endswith("?")),
                None)


def handed_off_point(messages: Sequence[Message]) -> Point | None:
    """:func:`handoff` as a point: its sentence that says where the conversation went, citing it; None without one."""
    bot = handoff(messages)
    said = _hand_off_sentence(bot.text) if bot is not None else None  # (never None for a hand-off: it was found by it)
    return Point(said.strip(), [bot.ts]) if bot is not None and said is not None else None


def human_messages(messages: Sequence[Message]) -> list[Message]:
    """The messages a summary is made of: not from a bot, not empty; order kept. A bot's post people replied to in
    its thread is kept as the thread's parent (:func:`bot_root`), so the replies do not lean on an unseen message."""
    root = bot_root(messages)
    return [m for m in messages if (not m.is_bot or m is root) and (m.text or "").strip()]


def conversation_language(messages: Sequence[Message]) -> str:
    """The language people speak in ``messages`` (an ISO 639-1 code, :func:`bot.lang.detect_language`): a bot's post
    kept as a thread's parent (:func:`bot_root`) does not vote ("Builder tester_linux32 on … failed" read as Spanish)."""
    return detect_language([m.text for m in messages if not m.is_bot])


def sentences_of(messages: Sequence[Message]) -> list[RankedSentence]:
    """Every sentence of ``messages`` (:func:`bot.summaries.sentences.split_sentences`), in order, unscored;
    ``message_index`` is the position in ``messages``."""
    out: list[RankedSentence] = []
    for i, message in enumerate(messages):
        for text in split_sentences(message.text):
            out.append(RankedSentence(text, message.ts, message.user_name, i, message.thread_ts, index=len(out)))
    return out


_CACHE_SIZE = 2  # conversations whose ranking is kept (the same one is often ranked twice in a row)
_CACHE_MAX_SENTENCES = 1000  # larger conversations are not kept (the similarity matrix grows with n²)
_cache: OrderedDict[tuple[Any, ...], tuple[list[float], np.ndarray]] = OrderedDict()


def rank(sentences: list[RankedSentence], messages: Sequence[Message], language: str = "en") -> np.ndarray:
    """:func:`rank_uncached`, remembering the last :data:`_CACHE_SIZE` conversations of at most
    :data:`_CACHE_MAX_SENTENCES` sentences: ranking the same conversation again (a summary and then an
    answer, or the ROUGE eval's budgeted and rendered summaries of one item) costs nothing. The key is
    everything the ranking reads (sentences, their messages' thread shape, the language, the constants);
    the similarity matrix returned is shared, read-only."""
    if len(sentences) > _CACHE_MAX_SENTENCES:
        return rank_uncached(sentences, messages, language)
    key = (language, POSITION_SLOPE, POSITION_WEIGHT, LENGTH_WORDS, DAMPING, MESSAGE_WEIGHT, MESSAGE_SLOPE,
           WITHIN_SLOPE, LONG_MESSAGES, REPEAT_SIMILARITY, REPEAT_FACTOR, QUOTE_FACTOR, HEADER_FACTOR,
           tuple((s.text, s.ts, s.message_index) for s in sentences),
           APPROVAL_WEIGHT, tuple((m.ts, m.thread_ts, bool(m.reply_count), m.approvals) for m in messages))
    if key in _cache:
        _cache.move_to_end(key)
        scores, similarity = _cache[key]
        for sentence, score in zip(sentences, scores, strict=True):
            sentence.score = score
        return similarity
    similarity = rank_uncached(sentences, messages, language)
    similarity.flags.writeable = False
    _cache[key] = ([s.score for s in sentences], similarity)
    while len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return similarity


def rank_uncached(sentences: list[RankedSentence], messages: Sequence[Message], language: str = "en") -> np.ndarray:
    """Fill ``score`` of each sentence; returns the sentence-by-sentence cosine similarity matrix.

    ``score = centrality^(1-w) · position^w · length · novelty · approval``: centrality is PageRank over the cosine
    graph of content-word TF-IDF vectors (LexRank); position is :func:`position_prior` (the conversation's
    opening, and each message's opening when messages are long); length saturates at
    :data:`LENGTH_WORDS` content words; novelty (:func:`novelty`) shrinks quoted copies of earlier
    messages; approval (:func:`approval`) raises a reply its readers marked with approving reactions. The returned similarity
    (character n-grams, any script) serves redundancy and question answering.
    """
    n = len(sentences)
    if n == 0:
        return np.zeros((0, 0))
    texts = [s.text for s in sentences]
    matrix, _ = vectorize(texts)
    similarity = (matrix @ matrix.T).toarray()
    if n == 1:
        sentences[0].score = 1.0
        return similarity
    words = _centrality_matrix(texts, language)
    graph = (words @ words.T).toarray()
    if n > _MAX_GRAPH:  # keep the longest sentences in the graph, the rest get their prior only
        keep = np.argsort([-word_count(t) for t in texts], kind="stable")[:_MAX_GRAPH]
        mask = np.zeros(n, dtype=bool)
        mask[keep] = True
        graph = graph * np.outer(mask, mask)
    uniform = np.ones(n)
    centrality = _pagerank(graph, uniform, damping=DAMPING) * n
    position = position_prior(sentences, messages)
    content = np.asarray((words > 0).sum(axis=1)).ravel() if _stemmer(language) else None
    length = np.array([min(1.0, (content[k] if content is not None else word_count(s.text) / 2) / LENGTH_WORDS)
                       for k, s in enumerate(sentences)])
    scores = (centrality ** (1 - POSITION_WEIGHT) * position ** POSITION_WEIGHT * (0.05 + length)
              * novelty(sentences, similarity) * approval(sentences, messages))
    for s, score in zip(sentences, scores, strict=True):
        s.score = float(score)
    return similarity


def approval(sentences: Sequence[RankedSentence], messages: Sequence[Message]) -> np.ndarray:
    """A factor per sentence (≥ 1.0): ``1 + APPROVAL_WEIGHT · ln(1 + a)`` for a reply whose message has ``a``
    approving reactions (:attr:`bot.models.Message.approvals`: ``:+1:``, ``:100:``, ``:heavy_check_mark:``…), 1.0
    otherwise. In a Slack thread the answer that helped is the one its readers marked, however little the rest of
    the thread repeats its words (a code block nine people marked ``:100:``). A thread's parent is left as it is:
    reactions there say the question is shared, not answered.

    Args:
        sentences: the conversation's sentences (``message_index`` into ``messages``).
        messages: the conversation's human messages, oldest first.

    Returns:
        An array of one factor per sentence.
    """
    return np.array([1.0 + APPROVAL_WEIGHT * math.log1p(max(0, messages[s.message_index].approvals))
                     if messages[s.message_index].is_reply else 1.0 for s in sentences])


def novelty(sentences: Sequence[RankedSentence], similarity: np.ndarray) -> np.ndarray:
    """A factor per sentence (1.0, or :data:`REPEAT_FACTOR` / :data:`QUOTE_FACTOR` / :data:`HEADER_FACTOR`).

    A reply that quotes an earlier message (e-mail style, inline or as ``> …`` lines joined into one)
    repeats what was said: the original is the point, the copy adds nothing and would otherwise gain
    centrality from its own original. A sentence is a repeat when its character n-gram cosine
    (``similarity``) with a sentence of an *earlier* message is above :data:`REPEAT_SIMILARITY`; a sentence
    with an e-mail quote marker (a ``>`` or ``&gt;`` standing alone, twice or more, or first) is quoted too.
    A sentence that is pasted e-mail header only ("cc: List <…> In-reply-to: Your message of …", "… wrote:";
    :func:`trim_sentence` leaves nothing of it) says nothing about the conversation.

    Args:
        sentences: the conversation's sentences, in order (``message_index`` set).
        similarity: their cosine similarity matrix (n × n, 0..1).

    Returns:
        An array of n factors in (0, 1].
    """
    messages = np.array([s.message_index for s in sentences])
    earlier = messages[None, :] < messages[:, None]  # [k, j]: sentence j comes from a message before k's
    repeat = np.where(earlier, similarity, 0.0).max(axis=1, initial=0.0) > REPEAT_SIMILARITY
    factor = np.where(repeat, REPEAT_FACTOR, 1.0)
    for k, sentence in enumerate(sentences):
        if is_quotation(sentence.text):
            factor[k] = min(factor[k], QUOTE_FACTOR)
        if not trim_sentence(sentence.text):
            factor[k] = min(factor[k], HEADER_FACTOR)
    return factor


def position_prior(sentences: Sequence[RankedSentence], messages: Sequence[Message]) -> np.ndarray:
    """The position prior of each sentence (0..1.2; higher is likelier to matter), one per sentence.

    Two readings of "early", the larger wins:

    * **the conversation's opening**: ``1/(1 + POSITION_SLOPE·k/n)`` over the sentence index ``k`` of ``n``
      (the opening states the topic: the strength of the Lead baseline; See et al. 2017);
    * **each message's opening**, when messages are long: ``w/((1 + MESSAGE_SLOPE·i/m)(1 + WITHIN_SLOPE·j))``
      for the ``j``-th sentence of message ``i`` of ``m``. In e-mail-style threads a message's first
      sentence states its point, and a summary covers every message, not the first one (ConvoSumm's
      references summarize each e-mail in turn). ``w`` grows from 0 to :data:`MESSAGE_WEIGHT` as the
      messages' mean length goes from 2 to 4 sentences (:data:`LONG_MESSAGES`): chat turns of one or two
      sentences keep the conversation's opening only.

    A thread's parent gets ×1.2. The constants were tuned on the even items of the ConvoSumm and
    DialogSum ROUGE sets and checked on the odd ones (``docs/evals.md``).
    """
    n = len(sentences)
    if n == 0:
        return np.zeros(0)
    parents = {m.ts for m in messages if m.reply_count or (m.thread_ts and m.thread_ts == m.ts)}
    within = _within_message(sentences)
    message_count = max(1, max(s.message_index for s in sentences) + 1)
    per_message = n / max(1, len({s.message_index for s in sentences}))
    low, high = LONG_MESSAGES
    weight = MESSAGE_WEIGHT * min(1.0, max(0.0, (per_message - low) / (high - low)))
    return np.array([
        max(1.0 / (1.0 + POSITION_SLOPE * k / n),
            weight / (1.0 + MESSAGE_SLOPE * s.message_index / message_count) / (1.0 + WITHIN_SLOPE * within[k]))
        * (1.2 if s.ts in parents else 1.0)
        for k, s in enumerate(sentences)])


_ADDRESS = r"(?:\"[^\"]{0,80}\"\s*|[\w .'\-]{0,60}?)<?[\w.+\-]{1,64}@[\w.\-]+>?"  # bounded: no quadratic backtracking
_HEADER_LEAD = re.compile(
    r"^(?:(?:cc|to)\s*:\s*" + _ADDRESS + r"(?:\s*,\s*" + _ADDRESS + r")*\s*"  # "cc: List <list@…>, b@…"
    r"|from\s*:\s*[^\[\]<>]{0,80}?[\[<](?:mailto|smtp):[^\]>]*[\]>]\s*"  # "From: Name [mailto:…]"
    r"|(?:on|at)\b[^>]{0,120}?\bwrote:\s*"  # "On Wed, 8 Sep 1999, John wrote:"
    r"|[_\-=*]{3,}\s*)", re.IGNORECASE)  # a rule line
_HEADER_ONLY = re.compile(r"In-reply-to:|(?:^|(?<![-_])[-_]{3,})\s*Original Message|\bwrote(?::|\.{3})\s*$"
                          r"|^\s*sent\s*:", re.IGNORECASE)
_GREETING = re.compile(r"^(?i:(?:hi|hello|hey|dear|greetings|good (?:morning|afternoon|evening))\b"
                       r"(?:\s+[^\s,.!?:;<>@`]+){0,4}\s*[,!:]\s+)")
"""A salutation: its word and up to four more before its mark ("Hi all, ", "Dear Ugo and others, "); not a sentence that
opens on "Hey" and runs on to a comma ("Hey I have two matrices of dimensions `D, M` , where …")."""


_RULE_END = re.compile(r"\s+(?:[_\-=*~]{3,}|[_\-=*~]{5,}(?:\s+[^\s.!?]+){1,8})\s*$")
"""A rule line the sentence ran into, alone or before a signature of up to 8 words ("… this gap.) ______ Joe
Kesselman / IBM Research")."""


_BULLET = re.compile(r"^[-*•◦▪‣]\s+")


_EMOJI_LEAD = re.compile(r"^(?::(?!til:|today-i-learned:)[\w+\-]+:\s*)+(?=\S)")
"""Emoji codes a sentence opens with, before its words (":slightly_smiling_face: I twice tried …"); not one that is
its first words (":today-i-learned: that I can include a figure …")."""


def trim_sentence(text: str) -> str:
    """``text`` without what a reader skips at its start, or ``""`` when nothing else is left; always a
    verbatim slice of ``text`` (its end), so a point stays a quote.

    Left out at the start: e-mail header residue pasted into a message ("cc: List <list@…>", "From: Name
    [mailto:…]", "On Wed, 8 Sep 1999, John wrote:", a rule line of underscores) and a salutation ("Hi all, ",
    "Hello Blake! ", "Dear Ugo and others, "; one naming an ``@person`` is kept: it says who is asked). A
    sentence that is header only ("cc: List <…> In-reply-to: Your message of …", "… wrote:") or a quotation
    (it starts with ``>``) gives ``""``. A bare vocative ("Blake, I would …") is kept: the name tells who is
    addressed, and references name people. A list bullet (``•``, ``◦``, ``-``, ``*``) is left out: the point has its
    own. So are emoji codes it opens with (":slightly_smiling_face: I twice tried …"). A rule line at its end
    (``________``, or one before a short signature) is left out too.

    Args:
        text: one sentence.

    Returns:
        The trimmed sentence, or ``""``.
    """
    trimmed = text.strip()
    for _ in range(4):  # "cc: …" then "In-reply-to: …", "From: …" then "wrote: …"
        shorter = _HEADER_LEAD.sub("", trimmed, count=1)
        if shorter == trimmed:
            break
        trimmed = shorter
    if _HEADER_ONLY.search(trimmed) or trimmed.startswith((">", "&gt;")):
        return ""
    trimmed = _GREETING.sub("", trimmed, count=1)
    trimmed = _BULLET.sub("", trimmed, count=1)  # a point is shown with a bullet of its own
    trimmed = _EMOJI_LEAD.sub("", trimmed, count=1)  # ("Metahelp!? :slightly_smiling_face: I twice tried …": the
    # emoji belonged to the exclamation before it)
    return _RULE_END.sub("", trimmed).strip()


def _within_message(sentences: Sequence[RankedSentence]) -> list[int]:
    """Each sentence's position inside its message (0 = the message's first sentence)."""
    out, previous, count = [], None, 0
    for s in sentences:
        count = count + 1 if s.message_index == previous else 0
        previous = s.message_index
        out.append(count)
    return out


def mmr(candidates: list[int], scores: np.ndarray, similarity: np.ndarray, *, k: int, lam: float = 0.7) -> list[int]:
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
        (see :func:`first_pass`). Useful for evals and baselines.
    """
    human = human_messages(messages)
    language = conversation_language(human)
    sentences = first_pass(sentences_of(human), human, language)
    rank(sentences, human, language)
    return sorted(sentences, key=lambda s: (-s.score, s.index))

