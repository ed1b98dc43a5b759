"""The offline ranker's position prior (the conversation's opening; each long message's opening) and its cache."""

from __future__ import annotations

import numpy as np
import pytest

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


def test_a_quoted_copy_of_an_earlier_message_loses_to_its_original() -> None:
    original = ("The cache keeps every parsed schema for ten minutes. Expired entries are dropped on the next read. "
                "Memory stays under fifty megabytes in our tests.")
    messages = [
        _msg(0, "ann", original),
        _msg(1, "bob", "Ann wrote: > > The cache keeps every parsed schema, > for ten minutes. > Expired entries are "
                       "dropped. Why ten minutes and not an hour? Our schemas change once a week."),
        _msg(2, "cy", "The cache keeps every parsed schema for ten minutes. I agree with Bob that an hour is fine."),
    ]
    sentences = ranking.sentences_of(messages)
    similarity = ranking.rank_uncached(sentences, messages)
    factor = ranking.novelty(sentences, similarity)
    by_text = {(s.message_index, s.text): k for k, s in enumerate(sentences)}
    first = by_text[(0, "The cache keeps every parsed schema for ten minutes.")]
    copy = by_text[(2, "The cache keeps every parsed schema for ten minutes.")]
    assert factor[first] == 1.0 and factor[copy] == ranking.REPEAT_FACTOR
    assert sentences[copy].score < sentences[first].score
    quoted = [k for k, s in enumerate(sentences) if s.message_index == 1 and ">" in s.text]
    assert quoted and all(factor[k] <= ranking.QUOTE_FACTOR for k in quoted)
    new = by_text[(1, "Our schemas change once a week.")]
    assert factor[new] == 1.0  # a reply's own words keep their score
    assert ranking.novelty(sentences[:1], similarity[:1, :1]).tolist() == [1.0]  # nothing earlier to repeat


def test_a_comparison_sign_is_not_a_quote_marker() -> None:
    messages = [_msg(0, "ann", "Latency > 200 ms on the login page since Monday."),
                _msg(1, "bob", "p95 went from 180 ms to 240 ms after the deploy.")]
    sentences = ranking.sentences_of(messages)
    similarity = ranking.rank_uncached(sentences, messages)
    assert ranking.novelty(sentences, similarity).tolist() == [1.0, 1.0]


@pytest.mark.parametrize(
    ("sentence", "trimmed"),
    [
        ("Hi all, we ship v2.4 on Thursday.", "we ship v2.4 on Thursday."),
        ("Dear Ugo and others, the venue is confirmed.", "the venue is confirmed."),
        ("Hey @maya, can you send the notes?", "Hey @maya, can you send the notes?"),
        ("cc: List <list@example.org> In-reply-to: Your message of Wed, 8 Sep 1999", ""),
        ("On Wed, 8 Sep 1999, John Smith wrote: the patch looks fine to me.", "the patch looks fine to me."),
        ("> the original text quoted again", ""),
        ("At least he wrote a test.", "At least he wrote a test."),
        ("Blake, I would keep the old default.", "Blake, I would keep the old default."),
    ],
)
def test_points_lose_pasted_headers_and_salutations_but_stay_quotes(sentence: str, trimmed: str) -> None:
    from bot.summaries.ranking import trim_sentence

    out = trim_sentence(sentence)
    assert out == trimmed
    assert sentence.endswith(out)  # a verbatim slice: the point is still a quote


def test_trimming_a_huge_rule_line_is_fast() -> None:
    import time as _time

    from bot.summaries.ranking import trim_sentence

    started = _time.process_time()
    trim_sentence("-" * 40_000 + " end")
    trim_sentence("cc: " + "a" * 40_000)
    assert _time.process_time() - started < 2.0  # the unbounded pattern took 22 s on the rule line


def test_key_points_come_from_messages_the_outcome_does_not_already_quote() -> None:
    from bot.summaries.extractive import _cover

    # sentences 10, 11 are in message 3 (the outcome's), 12 in message 1, 13 in message 2; best first
    picked, message_of = [10, 12, 11, 13], [3, 1, 3, 2]
    assert _cover(picked, message_of, 4, 2) == [10, 12]  # without it, the outcome's message comes first
    assert _cover(picked, message_of, 4, 2, covered={3}) == [12, 13]
