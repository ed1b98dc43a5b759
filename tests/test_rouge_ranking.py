"""The offline ranker's position prior (the conversation's opening; each long message's opening) and its cache."""

from __future__ import annotations

import numpy as np

from bot.models import Message
from bot.summaries import ranking


def _msg(i: int, user: str, text: str) -> Message:
    return Message(channel_id="C1", ts=f"{1_700_000_000 + i * 60}.000000", user_id=None, user_name=user, text=text)


EMAIL = ("The proposal changes how the parser handles entities. It adds a flag for strict mode. "
         "Older documents keep working. Tests cover both modes. Comments are welcome.")


def test_long_messages_each_get_their_opening_sentence_weighted() -> None:
    emails = [_msg(i, f"p{i}", EMAIL.replace("parser", f"parser {i}")) for i in range(6)]
    sentences = ranking.sentences_of(emails)
    prior = ranking.position_prior(sentences, emails)
    firsts = [k for k, s in enumerate(sentences) if k == 0 or sentences[k - 1].message_index != s.message_index]
    last_first = firsts[-1]
    assert prior[last_first] > prior[last_first - 1]  # the last e-mail's opening beats the sentence before it
    assert prior[last_first] >= 0.5  # and stays comparable with the thread's opening (1.0)


def test_chat_turns_keep_the_conversation_opening_only() -> None:
    chat = [_msg(i, "ab"[i % 2], f"Short turn number {i} about the release.") for i in range(12)]
    sentences = ranking.sentences_of(chat)
    prior = ranking.position_prior(sentences, chat)
    assert np.all(np.diff(prior) < 0)  # one sentence a turn: a plain decay from the opening
    expected = [1.0 / (1.0 + ranking.POSITION_SLOPE * k / len(sentences)) for k in range(len(sentences))]
    np.testing.assert_allclose(prior, expected)


def test_ranking_the_same_conversation_again_is_cached_and_equal() -> None:
    messages = [_msg(i, f"p{i % 3}", f"We should ship version {i} after the review of part {i}.") for i in range(8)]
    first = ranking.sentences_of(messages)
    similarity = ranking.rank(first, messages)
    again = ranking.sentences_of(messages)
    assert ranking.rank(again, messages) is similarity
    assert [s.score for s in again] == [s.score for s in first]
    assert not similarity.flags.writeable  # shared: nobody may change it
    changed = [*messages[:-1], _msg(7, "p1", "Something else entirely was said here at the end.")]
    other = ranking.sentences_of(changed)
    assert ranking.rank(other, changed) is not similarity
    fresh = ranking.sentences_of(messages)
    ranking.rank_uncached(fresh, messages)
    assert [s.score for s in fresh] == [s.score for s in first]
