"""A digest's headline is the week's most important event: its news (:mod:`bot.digests.events`), not the oldest."""

from __future__ import annotations

from dataclasses import replace

from bot.digests.build import build_channel_digest
from bot.digests.render import channel_blocks, headline
from bot.models import Message, Point, Summary
from bot.periods import iso_week
from bot.slack.permalink import build_permalink
from bot.slack.text import escape_mrkdwn

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
    """A digest without a chosen event (built elsewhere: ``ChannelDigest.headline`` None) falls back to the busiest
    thread's point, decisions first."""
    digest = build_channel_digest(week(), channel_id=C, channel_name="sprint", period=PERIOD, provider=None,
                                  permalink_for=permalink_for)
    digest.headline = None
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


def test_an_announcement_people_reacted_to_heads_the_week_not_the_busiest_chat() -> None:
    """Labelled weeks (``recap eval headlines``): the busiest thread's point was the week's main event in 5 of 30
    (``tune``); the news of the week is often a one-line post with reactions ("New channel: #jobs-opportunities")."""
    chat = ts(1)
    messages = [
        msg(chat, "ann", "Anyone else finding the new laptop keyboards awkward for typing long code?", thread_ts=chat,
            replies=3),
        msg(ts(1, 60), "bob", "Yes, I keep hitting the wrong key all day long.", thread_ts=chat),
        msg(ts(1, 120), "cat", "I switched to an external keyboard and it helps a lot.", thread_ts=chat),
        msg(ts(1, 180), "dan", "Same here, the external one is much nicer to type on.", thread_ts=chat),
        replace(msg(ts(3), "eve", "Hi all, new channel: #jobs-opportunities for open-source jobs suitable for R "
                    "developers."), reactions=6),
    ]
    digest = build_channel_digest(messages, channel_id=C, channel_name="general", period=PERIOD, provider=None,
                                  permalink_for=permalink_for)
    assert digest.headline is not None and digest.headline.source_ts == [ts(3)]
    assert headline(digest).startswith("new channel: #jobs-opportunities")  # the salutation is left out
    blocks = channel_blocks(digest)
    assert blocks[1]["text"]["text"] == f"*{escape_mrkdwn(headline(digest))}*"


def test_a_lead_in_goes_on_with_what_it_introduces_and_context_is_never_the_event() -> None:
    from bot.digests.events import headline_sentence, main_event

    before = msg(f"{PERIOD.oldest_ts - 3600:.6f}", "ann", "Registration for the sprint is now open!", replies=1)
    announcement = msg(ts(2), "ann", "We will run two cohorts:\n• Cohort 1 meets at 12:00 UTC on Tuesdays.\n"
                       "• Cohort 2 meets at 19:00 PDT on Wednesdays.")
    assert headline_sentence(announcement) == "We will run two cohorts: Cohort 1 meets at 12:00 UTC on Tuesdays."
    reply = msg(ts(2, 60), "bob", "Thanks, see you there.", thread_ts=before.ts)
    assert main_event([replace(before, context=True, reactions=20), reply, announcement]) == announcement
    assert main_event([replace(before, context=True)]) is None


def test_a_bare_link_or_a_fragment_is_no_headline_and_a_label_is_left_out() -> None:
    """Judged blind on fresh weeks: "https://bugs.r-project.org/show_bug.cgi?id=18519", "seems to be resolved now"
    and "just joined" had headed digests, each beaten by a sentence that says what happened."""
    from bot.digests.events import headline_sentence, main_event

    link = replace(msg(ts(1), "ann", "https://bugs.example.org/show_bug.cgi?id=18519"), reactions=4)
    fragment = msg(ts(1, 60), "bob", "seems to be resolved now", thread_ts=ts(0))
    report = msg(ts(2), "cat", "Referring to a missing object inside a function body gives an unhelpful error.",
                 thread_ts=ts(2), replies=2)
    replies = [msg(ts(2, 60 * k), "dan", f"I can reproduce it on R {k}.0 as well.", thread_ts=ts(2)) for k in (1, 2)]
    assert main_event([link, fragment, report, *replies]) == report
    update = msg(ts(3), "dan", "Update: the translations chapter is open for review: https://example.org/pull/63")
    assert headline_sentence(update).startswith("the translations chapter is open for review")
    assert main_event([link]) == link  # nothing better said: the week still has a headline


def test_a_quiet_week_without_news_keeps_the_busiest_threads_point_and_a_name_is_no_headline() -> None:
    """Judged blind on 42 quiet weeks (4 or more messages): a message chosen with no news words, replies or reactions
    was chatter more often than news ("yup, I was alongside my wife"); such a week keeps the summary's point."""
    from bot.digests.events import MIN_SCORE, event_score, headline_sentence, main_event

    chatter = [msg(ts(1), "ann", "I was at the museum with my family all afternoon."),
               msg(ts(2), "bob", "The weather here has been lovely this whole week.")]
    assert all(event_score(m, 0) < MIN_SCORE for m in chatter) and main_event(chatter) is None
    digest = build_channel_digest(chatter, channel_id=C, channel_name="random", period=PERIOD, provider=None,
                                  permalink_for=permalink_for)
    assert digest.headline is None and headline(digest)  # the summary's own headline
    intro = msg(ts(3), "eve", "My name is Dejan and I come from the UK. I work in quant analytics and would like to "
                "discuss quality control of packages on CRAN.")
    assert headline_sentence(intro).startswith("I work in quant analytics")


def test_news_beats_a_remark_that_trails_off_even_with_more_reactions() -> None:
    """#core-translation 2023-W36 (judged blind): "can't figure out how to add custom emoji but..." (8 reactions)
    had headed the week in which "Catalan language has been just added to weblate" (7)."""
    from bot.digests.events import main_event

    emoji = replace(msg(ts(1), "ann", "can't figure out how to add custom emoji but... [file: untitled]"), reactions=8)
    news = replace(msg(ts(2), "bob", "Catalan language has been just added to weblate"), reactions=7)
    assert main_event([emoji, news]) == news


def test_a_reminder_that_something_starts_now_loses_to_what_the_event_left() -> None:
    """Judged blind: "Minutes from an office hour help a reader who missed the week more than a stale 'starting in 5
    minutes' notice" ("AMER office hour on now!", "the RCWG meeting is in 4.5 hours!" too)."""
    from bot.digests.events import main_event

    for alert in ("AMER office hour on now!", "Starting in 5 minutes!", "the RCWG meeting is in 4.5 hours!",
                  "R Contribution Working Group meeting in 10 minutes: Zoom meeting details below"):
        reminder = replace(msg(ts(1), "ann", alert), reactions=2)
        minutes = msg(ts(2), "ann", "Minutes from this week's office hour are up: https://github.com/example/notes.md")
        assert main_event([reminder, minutes]) == minutes, alert


def test_the_headline_is_said_once_even_when_another_point_holds_its_words() -> None:
    digest = build_channel_digest(week(), channel_id=C, channel_name="sprint", period=PERIOD, provider=None,
                                  permalink_for=permalink_for)
    said = "I have created private links which I will share here, so that people here can view the data."
    digest.headline = Point(said, [ts(2)])
    digest.summary = Summary(overview="", decisions=[digest.headline],
                             action_items=[Point(said, [ts(2)], owner="@cat")],  # the same sentence, a second section
                             key_points=[Point(f"Hi folks. {said}", [ts(2)]), Point("Everyone should test.", [ts(2, 120)])])
    text = " ".join(b["text"]["text"] for b in channel_blocks(digest) if b.get("type") == "section")
    assert text.count("I have created private links") == 1 and "Everyone should test." in text
