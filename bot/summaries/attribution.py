"""Grounding a model's answer that cites nothing: the message that states it, or a plain note that none does.

A model asked a question about a conversation answers in its own words and lists "the points it rests on", each
citing messages (``prompts/answer.md``). Real models often return the answer alone: the small model of
``../shared/tools/local-llm`` cited nothing in 4 of 10 answers of ``recap eval questions``, and the output guard
drops points whose citations are not in the conversation. Shown as it is, such an answer looks as grounded as
any other. Here the answer is attributed after the fact, as in post-hoc attribution of generated text
(Gao et al., "RARR: Researching and Revising What Language Models Say, Using Language Models", ACL 2023; Bohnet
et al., "Attributed Question Answering", 2022): the sentence of the conversation most similar to the answer
(character n-gram TF-IDF, :func:`bot.summaries.ranking.vectorize`), among the statements that share a content
word with the answer beyond the question's words, becomes the answer's one key point, citing its message, when
its similarity reaches :data:`MIN_SUPPORT`. An answer that says the conversation does not answer
(:func:`is_decline`) cites nothing, as the prompt asks; any other answer that no sentence supports is marked
(``Summary.answer_unsupported``) and shown with a note saying so.

Measured by ``recap eval questions`` ("attribution" rows): the labeller's own answer to each answerable question
(``note``, in their words) stands in for a model's, and counts when the message attributed is one they marked as
stating the answer; tried against another thread, it should be attributed to nothing there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.models import Message, Point, Summary
from bot.summaries.ranking import content_words, human_messages, sentences_of, vectorize
from bot.summaries.structure import is_question

MIN_SUPPORT = 0.3
"""An answer is attributed to the statement (not a question) with the highest cosine with it, among those that
share a content word with it beyond the question's, when that cosine reaches ``MIN_SUPPORT``. Chosen on the
``tune`` half of ``evals/questions``, where each labeller's answer was also tried against another thread, which
cannot support it (question weight 0 / 0.3 × threshold 0.1 / 0.2 / 0.25 / 0.3, with and without the shared word
and the questions): 55 of 70 answers attributed right and 3 of 70 wrongly supported by another thread, against
59 right and 41 wrongly supported for the plain cosine at 0.2."""

_DECLINE = re.compile(
    r"\b(?:no|not|never|nobody|none|nothing|neither|isn't|wasn't|aren't|weren't|doesn't|didn't|don't|hasn't|"
    r"haven't|cannot|can't)\b[^.;]{0,60}?\b(?:say|says|said|mention\w*|give|given|gave|state[sd]?|answer\w*|"
    r"report\w*|confirm\w*|specif\w*|discuss\w*|information|info|details?|indicat\w*|clear|known|found|appear\w*)\b"
    r"|\bno (?:\w+ )?(?:date|time|number|count|figure|deadline|answer|reply|response|decision|name|owner)s?\b"
    r"|\b(?:never|nobody|no one) (?:\w+ ){0,2}(?:replied|answered|responded|decided|agreed|committed|said)\b",
    re.IGNORECASE)
_ANSWERED_NO = re.compile(r"^\W*(?:no|nope|not really|not yet)\b\s*[,.;:!—–-]", re.IGNORECASE)
"""A "no" that answers ("No, it reports any out-of-date copy") is not a decline to answer."""


def is_decline(answer: str) -> bool:
    """True when ``answer`` says the conversation does not answer the question ("The messages don't say when",
    "No date is given", "Nobody mentions a count"), in English; a plain "No, …" answer is not one."""
    return bool(_DECLINE.search(_ANSWERED_NO.sub("", answer, count=1)))


def supporting_point(answer: str, question: str, messages: Sequence[Message], language: str = "en") -> Point | None:
    """The conversation's statement that best supports ``answer`` (see the module), as a key point quoting it and
    citing its message's ``ts``; None when none reaches :data:`MIN_SUPPORT` or shares a word with the answer
    beyond the question's, or there are no messages.

    Args:
        answer: the model's answer, in its words.
        question: the question it answers (a sentence repeating its words does not support the answer).
        messages: the conversation, oldest first (bot and empty messages are skipped, and context from before
            a window is never cited).
        language: the conversation's ISO 639-1 code, for the content words.
    """
    human = human_messages(messages)
    sentences = [s for s in sentences_of(human) if not is_question(s.text)  # a question states nothing
                 and not human[s.message_index].context]  # nor does a message from before the window
    if not sentences or not answer.strip():
        return None
    matrix, queries = vectorize([s.text for s in sentences], [answer])
    similarity = (matrix @ queries.T).toarray()[:, 0]
    news = content_words(answer, language) - content_words(question, language)  # what the answer adds
    if news:
        similarity = similarity * [1.0 if news & content_words(s.text, language) else 0.0 for s in sentences]
    best = int(similarity.argmax())
    if similarity[best] < MIN_SUPPORT:
        return None
    return Point(sentences[best].text, [human[sentences[best].message_index].ts])


def ground_answer(summary: Summary, messages: Sequence[Message], question: str) -> Summary:
    """Give a model's answer that cites no message the one that states it (:func:`supporting_point`), or mark it
    ``answer_unsupported`` when none does; an answer with citations, a decline (:func:`is_decline`) and the offline
    summarizer's answers (made of the conversation's sentences) are left as they are. Changes ``summary`` in place
    and returns it."""
    if summary.offline or not summary.answer or summary.answer_sources() or is_decline(summary.answer):
        return summary
    point = supporting_point(summary.answer, question, messages, summary.language)
    if point is None:
        summary.answer_unsupported = True
    else:
        summary.key_points = [point]
        summary.answer_attributed = True
    return summary
