"""A digest's headline is the week's most important event: a point from its busiest thread, not the oldest."""

from __future__ import annotations

from bot.digests.build import build_channel_digest
from bot.digests.render import channel_blocks, headline
from bot.models import Message, Point, Summary
from bot.periods import iso_week
from bot.slack.permalink import build_permalink

C = "C0HEAD"
PERIOD = iso_week("2023-W35", "UTC")


def ts(day: float, second: int = 0) -> str:
    return f"{PERIOD.oldest_ts + day * 86400.0 + second:.6f}"


def msg(t: str, user: str, text: str, *, thread_ts: str | None = None, replies: int = 0) -> Message:
    return Message(channel_id=C, ts=t, user_id=f"U{user}", user_name=user, text=text, thread_ts=thread_ts,
                   reply_count=replies)


def permalink_for(channel_id: str, t: str, thread_ts: str | None = None) -> str:
    return build_permalink(domain="acme", channel_id=channel_id, ts=t, thread_ts=thread_ts)


def week() -> list[Message]:
    quiet, busy = ts(0), ts(2)
    return [
        msg(quiet, "ann", "There is a wooden R in the middle of the table at the sprint venue.", thread_ts=quiet,
            replies=1),
        msg(ts(0, 60), "bob", "Nice, the wooden R looks great on the table.", thread_ts=quiet),
        msg(busy, "cat", "Two sprint participants tested positive for COVID after the meetup on Tuesday.",
            thread_ts=busy, replies=4),
        msg(ts(2, 60), "dan", "Thanks for telling us, I will test before coming back tomorrow.", thread_ts=busy),
        msg(ts(2, 120), "eve", "Everyone at the Tuesday meetup should test before coming back.", thread_ts=busy),
        msg(ts(2, 180), "ann", "We decided to hold the rest of the sprint online this week.", thread_ts=busy),
        msg(ts(2, 240), "bob", "Agreed, the sprint continues online until Friday.", thread_ts=busy),
    ]


def test_the_headline_comes_from_the_busiest_thread_not_the_oldest() -> None:
    digest = build_channel_digest(week(), channel_id=C, channel_name="sprint", period=PERIOD, provider=None,
                                  permalink_for=permalink_for)
    assert digest.threads[0].thread_ts == ts(2)
    busy = {m.text for m in week()[2:]}
    assert headline(digest) in busy
    assert "wooden R" not in headline(digest)
    blocks = channel_blocks(digest)
    assert blocks[1]["text"]["text"] == f"*{headline(digest)}*"


def test_a_decision_of_the_busiest_thread_wins_and_long_headlines_are_cut() -> None:
    digest = build_channel_digest(week(), channel_id=C, channel_name="sprint", period=PERIOD, provider=None,
                                  permalink_for=permalink_for)
    long_text = "We decided " + " ".join(["to hold the rest online"] * 10)
    digest.summary = Summary(overview="There is a wooden R…", key_points=[
        Point("There is a wooden R in the middle of the table.", [ts(0)]),
        Point("Two participants tested positive for COVID.", [ts(2)])],
        decisions=[Point(long_text, [ts(2, 180)])])
    text = headline(digest)
    assert text.startswith("We decided to hold the rest online") and text.endswith("…")
    assert len(text.split()) == 30
    digest.summary = Summary(overview="Quiet week overview.", key_points=[Point("A lone note.", ["1.0"])])
    assert headline(digest) == "Quiet week overview."  # no point from an active thread: the overview
