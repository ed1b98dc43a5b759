"""Very long input stays bounded in the offline summarizer (a first pass per block of sentences)."""

from __future__ import annotations

from bot.models import Message
from bot.summaries import extractive as offline
from bot.summaries import ranking


def test_long_channel_is_ranked_in_bounded_blocks_and_keeps_late_decisions(monkeypatch):
    monkeypatch.setattr(ranking, "MAX_SENTENCES", 300)
    topics = ["the billing export", "the login page", "the staging database", "the onboarding docs"]
    messages = [
        Message(channel_id="C1", ts=f"{1700000000 + i}.000100", user_id=f"U{i % 7}", user_name=f"person{i % 7}",
                text=f"Update {i} on {topics[i % 4]}: still looking into it. More tests are running now.")
        for i in range(600)
    ]
    messages.append(Message(channel_id="C1", ts="1700009999.000100", user_id="U1", user_name="maya",
                            text="Decision: we agreed to ship the billing export on Friday at 7:00 PM."))
    ranked = offline.rank_sentences(messages)
    assert len(ranked) <= 300
    summary = offline.summarize_offline(messages)
    assert summary.message_count == 601
    assert any("7:00 PM" in p.text for p in summary.decisions)
