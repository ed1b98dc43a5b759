"""Extractive baselines for the ROUGE evals: Lead-3 and LexRank.

Both read the same transcript units: the sentences of each message, in order, each written as
``"<speaker>: <sentence>"`` the way a transcript reads (references name the speakers, so the names
are part of a fair baseline). Sentences are split by :func:`split_sentences`, a small rule that needs
no data files.

* **Lead-3**: the first three units (See et al. 2017 use it for news; Gliwa et al. 2019, SAMSum, for
  dialogues).
* **Lead-N words** (:func:`lead_words`): the first N words of the transcript, N chosen to match another
  output's length (the rendered summary's, in the ROUGE evals).
* **LexRank** (Erkan & Radev 2004, JAIR 22): ``sumy``'s ``LexRankSummarizer`` — its tf, idf,
  threshold (0.1), degree normalisation and power method — over the units' words (the speaker prefix
  is not part of the similarity). sumy builds the similarity matrix with a Python double loop, too
  slow for QMSum's meetings of a few thousand sentences, so :class:`FastLexRankSummarizer` overrides
  ``_compute_idf`` and ``_create_matrix`` with the same formulas in NumPy. sumy's default tokenizer
  needs NLTK's ``punkt`` data, which must not be downloaded; we pass our own word tokenizer, sumy's
  bundled English stop words and its Snowball stemmer (pure Python, no data).

Both return units in transcript order; the caller truncates to the word budget.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

from bot.models import Message

# A sentence ends at . ! ? (or CJK 。！？) followed by space, or at a line break; a few abbreviations
# and decimals ("3.5", "e.g.") never end one.
_SPLIT = re.compile(r"(?<=[.!?。！？])\s+(?=[\"'(\[]?[A-Z0-9#@¿¡])|\n+|(?<=[。！？])")
_ABBREVIATION = re.compile(r"(?:\b(?:mr|mrs|ms|dr|prof|st|vs|etc|e\.g|i\.e|inc|ltd|jr|sr|no|hon)\.)$", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences (rule-based; no NLTK data).

    Args:
        text: one message.

    Returns:
        Non-empty, stripped sentences in order.
    """
    pieces: list[str] = []
    for piece in _SPLIT.split(text):
        piece = piece.strip()
        if not piece:
            continue
        if pieces and _ABBREVIATION.search(pieces[-1]):
            pieces[-1] = f"{pieces[-1]} {piece}"
        else:
            pieces.append(piece)
    return pieces


@dataclass(frozen=True)
class Unit:
    """One transcript sentence.

    Attributes:
        speaker: the author's display name.
        text: the sentence.
        index: position in the transcript (0-based).
    """

    speaker: str
    text: str
    index: int

    @property
    def line(self) -> str:
        """The unit as a transcript line: ``"speaker: text"``."""
        return f"{self.speaker}: {self.text}" if self.speaker else self.text


def transcript_units(messages: Sequence[Message]) -> list[Unit]:
    """The sentences of every human message, in order, with their speakers."""
    units: list[Unit] = []
    for message in messages:
        if message.is_bot:
            continue
        for sentence in split_sentences(message.text):
            units.append(Unit(message.user_name, sentence, len(units)))
    return units


def lead(messages: Sequence[Message], *, k: int = 3) -> str:
    """Lead-k: the first ``k`` transcript units as lines joined by newlines."""
    return "\n".join(unit.line for unit in transcript_units(messages)[:k])


def lead_words(messages: Sequence[Message], *, words: int) -> str:
    """A length-matched lead: the first ``words`` whitespace words of the transcript (its units as lines),
    the last unit cut mid-sentence when the count falls inside it."""
    out: list[str] = []
    left = words
    for unit in transcript_units(messages):
        if left <= 0:
            break
        line = unit.line.split()[:left]
        out.append(" ".join(line))
        left -= len(line)
    return "\n".join(out)


class _WordTokenizer:
    """The tokenizer interface sumy's ``Sentence`` needs (``to_words``), without NLTK data."""

    language = "english"

    @staticmethod
    def to_words(text: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(text))

    @staticmethod
    def to_sentences(text: str) -> tuple[str, ...]:
        return tuple(split_sentences(text))


class FastLexRankSummarizer(LexRankSummarizer):
    """sumy's LexRank with the idf and similarity matrix computed in NumPy (same formulas).

    sumy: ``idf(t) = log(N / (1 + n_t))``; ``cos(i, j) = Σ tf_i·tf_j·idf² / (‖tf_i·idf‖ ‖tf_j·idf‖)``;
    edges where ``cos > threshold``; rows divided by their degree; scores by ``power_method``.
    """

    @staticmethod
    def _compute_idf(sentences: list[list[str]]) -> dict[str, float]:
        count = len(sentences)
        document_frequency: Counter[str] = Counter()
        for words in sentences:
            document_frequency.update(set(words))
        return {term: math.log(count / (1 + n)) for term, n in document_frequency.items()}

    def _create_matrix(self, sentences, threshold, tf_metrics, idf_metrics):  # noqa: ANN001 - sumy's signature
        vocabulary = {term: i for i, term in enumerate(idf_metrics)}
        weights = np.zeros((len(sentences), max(len(vocabulary), 1)))
        for row, tf in enumerate(tf_metrics):
            for term, value in tf.items():
                weights[row, vocabulary[term]] = value * idf_metrics[term]
        norms = np.linalg.norm(weights, axis=1)
        norms[norms == 0] = np.inf
        cosine = (weights @ weights.T) / np.outer(norms, norms)
        matrix = (cosine > threshold).astype(float)
        degrees = matrix.sum(axis=1)
        degrees[degrees == 0] = 1
        return matrix / degrees[:, None]


def lexrank_scores(units: Sequence[Unit]) -> np.ndarray:
    """LexRank centrality of each unit (higher is more central), computed by sumy's algorithm."""
    if not units:
        return np.zeros(0)
    tokenizer = _WordTokenizer()
    summarizer = FastLexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    document = ObjectDocumentModel([Paragraph([Sentence(unit.text, tokenizer) for unit in units])])
    words = [summarizer._to_words_set(sentence) for sentence in document.sentences]
    tf = summarizer._compute_tf(words)
    idf = summarizer._compute_idf(words)
    matrix = summarizer._create_matrix(words, summarizer.threshold, tf, idf)
    return np.asarray(summarizer.power_method(matrix, summarizer.epsilon))


def lexrank(messages: Sequence[Message], *, max_words: int) -> str:
    """LexRank: the most central units until ``max_words`` words are reached, in transcript order.

    Args:
        messages: the conversation.
        max_words: word budget (whitespace words of the output lines).

    Returns:
        Chosen units as lines joined by newlines (the last one may overshoot; the caller truncates).
    """
    units = transcript_units(messages)
    scores = lexrank_scores(units)
    chosen: list[Unit] = []
    words = 0
    for i in sorted(range(len(units)), key=lambda k: (-scores[k], k)):
        if words >= max_words:
            break
        chosen.append(units[i])
        words += len(units[i].line.split())
    return "\n".join(unit.line for unit in sorted(chosen, key=lambda u: u.index))
