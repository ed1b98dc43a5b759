"""The answers and feedback tables: a second click changes the rating, notes attach to a rating, forget me
and the 30-day pruning delete what they say, and the 👎 export carries no text."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bot.feedback.export import write_candidates
from bot.feedback.store import Answer, FeedbackStore


def _answer(answer_id: str = "a" * 32, user_id: str = "U1") -> Answer:
    return Answer(answer_id=answer_id, team_id="T1", user_id=user_id, channel_id="C1", thread_ts="1.000100",
                  request_ts="1.000900", answer_ts="1.001000", is_question=False, provider="anthropic",
                  model="claude-x", prompt_version="abc123def456", cited_ts=("1.000100", "1.000300"),
                  source_channel_id="C1", source_thread_ts="1.000100")


def test_ratings_notes_forget_and_prune(tmp_path) -> None:
    store = FeedbackStore(sa.create_engine(f"sqlite:///{tmp_path}/f.sqlite3"))
    answer = _answer()
    store.record_answer(answer)
    assert store.answer("T1", answer.answer_id) == answer
    assert store.answer("T2", answer.answer_id) is None  # another workspace's id finds nothing

    store.rate(answer, user_id="U2", rating=1)
    store.rate(answer, user_id="U2", rating=-1)  # a second click changes it
    store.rate(answer, user_id="U3", rating=1)
    assert store.counts([answer.answer_id]) == {answer.answer_id: (1, 1)}
    assert store.add_note(team_id="T1", answer_id=answer.answer_id, user_id="U2", note="  wrong owner  ")
    assert not store.add_note(team_id="T1", answer_id=answer.answer_id, user_id="U9", note="not rated")
    down = store.feedback(rating=-1)
    assert [(f.user_id, f.note, f.provider, f.cited_ts) for f in down] == [
        ("U2", "wrong owner", "anthropic", ("1.000100", "1.000300"))]

    out = io.StringIO()
    assert write_candidates(store.feedback(), out, domain="acme") == 1  # only the 👎
    row = json.loads(out.getvalue())
    assert row["permalink"] == "https://acme.slack.com/archives/C1/p1000100"
    assert row["note"] == "wrong owner" and row["status"] == "to_review"

    assert store.forget_user("T1", "U2") == 1
    assert [f.user_id for f in store.feedback()] == ["U3"]
    assert store.prune_answers(now=datetime.now(UTC) + timedelta(days=31)) == 1
    assert store.answer("T1", answer.answer_id) is None
    assert [f.user_id for f in store.feedback()] == ["U3"]  # feedback outlives the answer row
