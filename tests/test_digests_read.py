"""Thirty-ninth round (issue 11): weekly digests read whole, line by line, as a subscriber reads them on Monday.

Each test is a rule a reader's grade asked for, on the shape of a real week of the R Contributors export
(``bench/headline_pack.py --read``; docs/evals.md, "Thirty-ninth round")."""

from __future__ import annotations

from dataclasses import replace

from bot.digests.build import build_channel_digest
from bot.digests.events import main_event
from bot.digests.render import blocks_to_markdown, channel_blocks, headline
from bot.models import Message
from bot.periods import iso_week
from bot.slack.permalink import build_permalink
from bot.summaries.sentences import split_sentences
from bot.summaries.structure import Conversation, action_items

C = "C0READ"
PERIOD = iso_week("2023-W07", "UTC")


def ts(day: float, second: int = 0) -> str:
    return f"{PERIOD.oldest_ts + day * 86400.0 + second:.6f}"


def msg(t: str, user: str, text: str, *, thread_ts: str | None = None, replies: int = 0,
        reactions: int = 0) -> Message:
    return replace(Message(channel_id=C, ts=t, user_id=f"U{user}", user_name=user, text=text, thread_ts=thread_ts,
                           reply_count=replies), reactions=reactions)


def permalink_for(channel_id: str, t: str, thread_ts: str | None = None) -> str:
    return build_permalink(domain="acme", channel_id=channel_id, ts=t, thread_ts=thread_ts)


def test_an_apology_for_not_coming_never_heads_the_week() -> None:
    """#events 2021-W33: "I won't be able to attend this event" (it says "event") had headed the week of a meetup;
    #c-study-group 2023-W23: "@Stone Chen I'm afraid that I've now scheduled something else at those times"."""
    for apology in ("I won't be able to attend this event", "I can't make it to the meeting on Tuesday, sorry",
                    "@Stone Chen I’m afraid that I’ve now scheduled something else at those times in the Tuesdays"):
        sorry = msg(ts(1), "ann", apology + " (the event)", thread_ts=ts(0), reactions=1)
        news = msg(ts(2), "bob", "If you couldn't come today, no worries, there are two more dates scheduled next month.",
                   reactions=1)
        assert main_event([sorry, news]) in (news, None), apology  # no clear event is better than the apology
    coming = msg(ts(1), "ann", "The next meetup will take place on Wednesday, and I will attend to take notes for everyone")
    chat = msg(ts(2), "bob", "The room was a bit cold this afternoon, apparently the heating is broken again")
    assert main_event([coming, chat]) == coming


def test_a_meeting_on_the_hour_is_stale_by_monday() -> None:
    """#core-outreach 2021-W29: "The R Contribution Working Group is meeting on the hour (14:00 UTC)." (3 reactions)
    had headed the week in which the R7 project asked for contributors."""
    notice = msg(ts(1), "ann", "The R Contribution Working Group is meeting on the hour (14:00 UTC).", reactions=3)
    call = msg(ts(0), "bob", "If anyone here would like to contribute to our R7 project, please let me know.",
               thread_ts=ts(0), replies=2, reactions=1)
    replies = [msg(ts(0, 60), "cat", "I would love to help with the R7 project", thread_ts=ts(0)),
               msg(ts(0, 120), "dan", "Count me in for the implementation work", thread_ts=ts(0))]
    assert main_event([call, *replies, notice]) == call


def test_a_question_with_its_alternative_is_one_sentence_and_univ_is_no_full_stop() -> None:
    """#general 2023-W07: "or maybe the "official" version is doing more robustness …?" had been a key point alone,
    and the headline stopped at "I'm a PhD student at univ."."""
    said = split_sentences('is it an improved algorithm? or maybe the "official" version is doing more validation? '
                           "Thanks. I'm a PhD student at univ. pittsburgh. I joined last week.")
    assert said == ['is it an improved algorithm? or maybe the "official" version is doing more validation?',
                    "Thanks.", "I'm a PhD student at univ. pittsburgh.", "I joined last week."]
    assert split_sentences("Is it fixed? Or not? and then?") == ["Is it fixed?", "Or not? and then?"]


def test_an_owner_named_in_a_request_is_not_joined_to_the_next_words() -> None:
    """#core-translation 2023-W03: the owner read "@Michael Lawrence As" for "@Michael Lawrence As the previously
    generated patch files are not available anymore, …, could you please commit it?" (he did not write that week)."""
    conv = Conversation([
        msg(ts(0), "Gergely", "@Michael Lawrence As the previously generated patch files are not available anymore, "
                              "I created a new one. Could you please review and commit it to trunk?"),
        msg(ts(0, 60), "Heather", "Thanks Gergely, that's great"),
    ])
    owners = [item.owner for item in action_items(conv)]
    assert owners == ["Michael Lawrence"]


def test_a_week_of_a_meetup_is_headed_by_what_happened_not_by_who_could_not_come() -> None:
    """The whole digest, as ``recap digest`` builds it: the headline quotes the meetup's news."""
    week = [
        msg(ts(1), "ann", "I won't be able to attend this event", thread_ts=ts(0, -3600), reactions=1),
        msg(ts(2), "bob", "If you couldn't come today, no worries: two more dates are scheduled, Aug 31 and Sep 16, on "
                          "the same old survival bug.", reactions=1),
        msg(ts(2, 60), "cat", "Great, see you on the 31st then"),
    ]
    digest = build_channel_digest(week, channel_id=C, channel_name="events", period=PERIOD, provider=None,
                                  permalink_for=permalink_for)
    assert "survival" in headline(digest)
    assert "attend" not in headline(digest)
    assert "survival" in blocks_to_markdown(channel_blocks(digest)).split("\n\n")[1]


def test_a_week_headed_by_a_question_shows_where_its_thread_ended_and_says_the_question_once() -> None:
    """#general 2023-W41: the headline was "Anyone here that uses renv with Docker? …" and nothing more; subscribers
    asked for the outcome. Offline, the question is shown with its thread's ending, cited, and the key points do not
    repeat the question."""
    asked = ts(1)
    week = [
        msg(asked, "Jonathan", "Anyone here that uses renv with Docker? I get an error about //.cache/R/renv when the "
                               "image builds.", thread_ts=asked, replies=3, reactions=2),
        msg(ts(1, 600), "Ralf", "That path looks like HOME is not set inside the container, so renv cannot find its "
                                "cache. Try setting ENV HOME=/root in the Dockerfile.", thread_ts=asked),
        msg(ts(1, 1200), "Jonathan", "Setting HOME fixed it, thanks! Looks like I got it to work.", thread_ts=asked),
        msg(ts(3), "Elio", "The new hex sticker designs look great, thanks to everyone who sent ideas for them."),
    ]
    digest = build_channel_digest(week, channel_id=C, channel_name="general", period=PERIOD, provider=None,
                                  permalink_for=permalink_for)
    shown = headline(digest)
    assert shown.startswith("Anyone here that uses renv with Docker? — Ralf: That path looks like HOME is not set")
    assert digest.headline is not None and asked in digest.headline.source_ts and len(digest.headline.source_ts) >= 2
    text = blocks_to_markdown(channel_blocks(digest))
    key_points = text.split("*Key points*")[1]
    assert "Anyone here that uses renv with Docker?" not in key_points and "HOME is not set" not in key_points
    assert "Setting HOME fixed it" in key_points  # what the headline's cut left out


def test_a_weeks_first_person_point_says_whose_it_is_and_a_thread_summary_is_unchanged() -> None:
    """#0_welcome 2021-W18: "I primarily make esoteric R packages and speak badly of Python." was a key point of a
    week of seven introductions with no name beside it; "I am David Gohel - …" names itself."""
    from bot.summaries.extractive import summarize_offline

    week = [
        msg(ts(0), "Bob Rudis", "Hey R folks! I primarily make esoteric R packages and speak badly of Python.",
            thread_ts=ts(0), replies=1),
        msg(ts(0, 60), "Ann", "Welcome Bob, great to have you here", thread_ts=ts(0)),
        msg(ts(2), "David Gohel", "I am David Gohel - I am an R consultant located in France and I maintain officer."),
        msg(ts(4), "Cat", "The sprint registration form closes on Friday, please register before then."),
    ]
    window = summarize_offline(week, window=True)
    points = [p.text for p in window.key_points + window.decisions + window.open_questions]
    esoteric = next(p for p in points if "esoteric" in p)
    assert esoteric.startswith("Bob Rudis: I primarily make esoteric R packages")
    assert not any(p.startswith("David Gohel: ") for p in points)
    thread = summarize_offline(week[:2])
    assert not any(p.text.startswith("Bob Rudis: ") for p in thread.key_points)


def test_a_headline_does_not_lean_on_also_or_open_with_a_bracket_and_an_mphil_is_no_full_stop() -> None:
    """Pass 3: #general 2021-W48 was headed "@kara will also be taking a break from another task …"; #general 2021-W08
    by "I'm Saranjeet (She/Her) and I'm pursuing my M.Phil." (a name), then by its split-off "(Statistics) from …"."""
    from bot.digests.events import headline_sentence, stands_alone

    assert not stands_alone("@kara will also be taking a break from another task of reporting back")
    assert not stands_alone("I also looked at the loess code in the stats package")
    assert not stands_alone("(Statistics) from University of Pune, India.")
    assert stands_alone("We will run two cohorts of the C study group this autumn")
    assert split_sentences("I'm pursuing my M.Phil. (Statistics) from Pune. Starting today, I work on the guide.") == [
        "I'm pursuing my M.Phil. (Statistics) from Pune.", "Starting today, I work on the guide."]
    intro = msg(ts(0), "Saranjeet", "Hello everyone! I'm Saranjeet (She/Her) and I'm pursuing my M.Phil. (Statistics) "
                                    "from University of Pune, India. Starting today, I am working on a project to build "
                                    "the R Developer's Guide under the supervision of @Heather Turner.")
    assert headline_sentence(intro).startswith("Starting today, I am working on a project to build the R Developer's")


def test_an_apology_to_those_who_cannot_come_is_one_too() -> None:
    """#events 2022-W21: "Sorry you won't be able to make in Stijn and Beatriz - we'll report back on the slack …"."""
    sorry = msg(ts(1), "ann", "Sorry you won't be able to make in Stijn and Beatriz - we'll report back on the slack "
                              "with our notes and updates from the session.", reactions=1)
    news = msg(ts(2), "bob", "If you couldn't come today, no worries, there are two more dates scheduled next month.",
               reactions=1)
    assert main_event([sorry, news]) in (news, None)


def test_a_name_is_shown_only_where_it_tells_something_and_a_condition_is_no_apology() -> None:
    """Blind draw 3: "Heather Turner: …" in a week only she wrote in told nothing and cut the headline sooner; a
    decision named "Joan Maspons: I'll try to make a PR …" was no longer recognised as the action item's sentence and
    was shown twice; "You are welcome to contribute even if you were unable to attend the session" is an invitation."""
    from bot.digests.events import declines
    from bot.summaries.extractive import summarize_offline

    alone = [msg(ts(0), "Heather", "I have created private links which I will share here so that people can view the "
                                   "data about the visitors of the site."),
             msg(ts(1), "Heather", "I think the numbers look good and the guide is read in many countries now.")]
    assert not any(p.text.startswith("Heather: ") for p in summarize_offline(alone, window=True).all_points())
    week = [msg(ts(0), "Lluís", "The workflow with Poedit is documented in the wiki for everybody to follow."),
            msg(ts(0, 600), "Joan", "I'll try to make a PR updating this to make it clearer, as we decided to upload "
                                    "all the suggestions from the automatic translations in the weblate.")]
    window = summarize_offline(week, window=True)
    tasks = {ts for p in window.action_items for ts in p.source_ts}
    assert tasks == {ts(0, 600)}
    assert not any(p.text.startswith("Joan: ") for p in window.key_points + window.decisions
                   if set(p.source_ts) & tasks)
    assert not declines("You are welcome to contribute to this blog post even if you were unable to attend the session")
    assert declines("Sorry, I was unable to attend the session on Tuesday")
