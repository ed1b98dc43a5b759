"""Fortieth round (issue 11): weekly digests of a team that talks without threads, read whole.

Each test is a rule a reader's grade asked for, on the shape of a real week of the Houston Data Vis export
(``bench/headline_pack.py --export slack-export-houstondatavis --read``; docs/evals.md, "Fortieth round")."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.digests.build import build_channel_digest
from bot.digests.cli import build_channel
from bot.digests.events import main_event, says_little, stands_alone
from bot.digests.render import blocks_to_markdown, channel_blocks, headline
from bot.models import Message
from bot.periods import iso_week
from bot.slack.export import ExportReader
from bot.slack.permalink import build_permalink
from bot.summaries.extractive import summarize_offline
from bot.summaries.guard import guard_text
from bot.summaries.sentences import split_sentences

C = "C0FLAT"
PERIOD = iso_week("2015-W41", "UTC")


def ts(day: float, second: int = 0) -> str:
    return f"{PERIOD.oldest_ts + day * 86400.0 + second:.6f}"


def msg(t: str, user: str, text: str) -> Message:
    return replace(Message(channel_id=C, ts=t, user_id=f"U{user}", user_name=user, text=text))


def permalink_for(channel_id: str, t: str, thread_ts: str | None = None) -> str:
    return build_permalink(domain="acme", channel_id=channel_id, ts=t, thread_ts=thread_ts)


def _digest(shared_data: Path, export: str, channel: str, week: str) -> str:
    digest, blocks, _ = build_channel(ExportReader(shared_data / export), None, channel, iso_week(week, "UTC"))
    return blocks_to_markdown(blocks)


def test_a_line_is_not_shown_beside_a_message_of_another_conversation(shared_data: Path) -> None:
    """The real weeks: #general 2015-W41 joined "U can msg me on here for an invite" to "That's so cool! I'm at a
    conference …", a reaction to something else posted four hours later; #general 2015-W24 joined "Pavan, may I use
    this as an example in my talk?" to a link Micah posted the next day, after two others had spoken; #datajam
    2016-W25 joined a question about religious affiliation codes to an unrelated link an hour later; and, inside one
    conversation, #datajam 2015-W32 joined Micah's "how do we determine if a meetup member is 'active'" to "Tested it
    the other day", Neeraj's second message to Colin ("@Colin Nelson: Yes, and yes", then that, 4 seconds later)."""
    for channel, week, asked, other in (("general", "2015-W41", "U can msg me on here for an invite", "conference envy"),
                                        ("general", "2015-W24", "may I use this as an example", "SF Big Analytics"),
                                        ("datajam", "2016-W25", "religious affiliations codes", "college-scorecard"),
                                        ("datajam", "2015-W32", "member is 'active'", "Tested it the other day")):
        text = _digest(shared_data, "slack-export-houstondatavis", channel, week)
        assert not any(asked in line and other in line for line in text.splitlines()), (week, text)


def test_a_late_answer_that_shows_it_answers_is_still_shown_with_its_question(shared_data: Path) -> None:
    """#datajam 2015-W23: "what do you think of doing another data jam on 6/27?" answered "Yes, I'll be back from
    Florida on the 26th" twelve hours later; #datajam 2016-W17: "Where do I find the last datajam details?" answered
    by a link the next day, the channel's next message; #gsod 2022-W36 (R Contributors): "I can't find @Nicolas's
    GitHub username …" answered by Nicolas hours later. Each keeps its answer. And #general 2015-W28's "do you mean next
    Monday, the 13th?" is answered by "@huyhoang yes the 13th of July is correct :-)", which had been taken for banter
    for its smiley (the line had shown a drinks offer as the answer)."""
    for export, channel, week, asked, answer in (
            ("slack-export-houstondatavis", "datajam", "2015-W23", "another data jam on 6/27", "back from Florida"),
            ("slack-export-houstondatavis", "datajam", "2016-W17", "last datajam details", "data-jam-april-2016"),
            ("slack-export-rcontrib", "gsod", "2022-W36", "GitHub username", "my gh handle is nbenn"),
            ("slack-export-houstondatavis", "general", "2015-W28", "the 13th?", "yes the 13th of July is correct")):
        text = _digest(shared_data, export, channel, week)
        assert any(asked in line and answer in line for line in text.splitlines()), (week, text)


def test_a_link_shared_with_its_sentence_is_shown_with_it_and_ranking_is_unchanged() -> None:
    """#readings 2015-W26: the headline was "Great article on R vs Python in terms of rapid data visualization."
    without the article; readers asked for the link behind such lines more than for anything else."""
    link = "<http://technology.stitchfix.com/blog/2015/03/17/grammar-of-data-science/>"
    text = f"Great article on R vs Python in terms of rapid data visualization.\n{link}"
    assert split_sentences(text)[-1] == link  # a bare link is still no sentence to rank
    week = [
        msg(ts(3), "colin", text),
        msg(ts(3, 600), "micah", "Ggally is a beast of a tool, but it breaks with every new version of R for me."),
    ]
    digest = build_channel_digest(week, channel_id=C, channel_name="readings", period=PERIOD, provider=None,
                                  permalink_for=permalink_for)
    shown = blocks_to_markdown(channel_blocks(digest))
    assert "rapid data visualization. http://technology.stitchfix.com/blog/2015/03/17/grammar-of-data-science/" in shown


def test_a_link_posted_as_its_own_message_right_after_goes_with_the_line() -> None:
    """#datasets 2015-W49: "@Neeraj Tandon: have you seen this medical pathways database before?" then, two
    seconds later, "http://www.reactome.org/"; #examples 2015-W24: "^^ the big list of d3js examples" after its link.
    A link posted minutes later, or by someone else, stays apart; so does one after a message with a link of its own
    (#tools 2015-W24: "http://sigmajs.org/ Sigma is a JavaScript library …", then "http://igraph.org/")."""
    week = [
        msg(ts(4), "micah", "have you seen this medical pathways database before? it looks really thorough"),
        msg(ts(4, 2), "micah", "http://www.reactome.org/"),
        msg(ts(4, 900), "neeraj", "I'm going to be messing around with this medical database all day tomorrow"),
        msg(ts(4, 903), "javier", "http://example.org/unrelated"),
    ]
    summary = summarize_offline(week, window=True)
    points = summary.all_points()
    database = next(p for p in points if "have you seen this medical pathways" in p.text)
    assert "http://www.reactome.org/" in database.text and database.source_ts == [ts(4), ts(4, 2)]
    tomorrow = next(p for p in points if "I'm going to be messing around" in p.text)
    assert "example.org" not in tomorrow.text.partition(" — ")[0]  # someone else's link is theirs
    up = [
        msg(ts(5), "micah", "<http://christopheviau.com/d3list/gallery.html>"),
        msg(ts(5, 15), "micah", "^^ the big list of d3js examples, sorted by the kind of chart they draw"),
        msg(ts(5, 300), "neeraj", "Some of those charts would be great for the meetup data we collected"),
    ]
    examples = next(p for p in summarize_offline(up, window=True).all_points() if "d3js examples" in p.text)
    assert "^^" not in examples.text and "christopheviau.com" in examples.text
    assert examples.source_ts == [ts(5), ts(5, 15)]
    described = [
        msg(ts(6), "micah", "http://sigmajs.org/\n\nSigma is a JavaScript library dedicated to graph drawing, for "
                            "publishing networks on web pages."),
        msg(ts(6, 74), "micah", "http://igraph.org/"),
        msg(ts(6, 300), "neeraj", "Sigma looks like a good fit for the meetup network we want to draw next month"),
    ]
    sigma = next(p for p in summarize_offline(described, window=True).all_points() if "Sigma is a" in p.text)
    assert "igraph" not in sigma.text and "http://sigmajs.org/" in sigma.text


def test_a_question_that_opens_on_its_verb_stands_alone() -> None:
    """#datasets 2015-W49: "have you seen this medical pathways database before?" was taken for a sentence that
    leans on the one before it (as "is a bug in the parser" does), for its lower-case "have"."""
    assert stands_alone("have you seen this medical pathways database before?")
    assert stands_alone("@Neeraj Tandon: is there a Houston pydata group yet?")
    assert not stands_alone("is a bug in the parser, not in your code")
    assert not stands_alone("have been fixed in the latest release")


def test_a_named_line_keeps_a_space_where_a_broadcast_was_taken_out() -> None:
    """#general 2021-W48 (R Contributors): "Heather Turner (admin, she/her): Hi @everyone, @kara and @Silvia Canelón
    have been volunteering …" was posted as "Heather Turner (admin, she/her)@kara and …" once the output guard took
    the broadcast's clause out; and "(see x), today" had lost its comma."""
    said = guard_text("Heather Turner (admin, she/her): Hi @everyone, @kara and @Silvia Canelón have been volunteering.",
                      source="x", verbatim=True)
    assert said == "Heather Turner (admin, she/her) @kara and @Silvia Canelón have been volunteering."
    assert guard_text("We ship (see x), today, @here, and more.", source="x", verbatim=True) == \
        "We ship (see x), today, and more."
    assert split_sentences("@J. Kim: yea, I want to put one in. Either a drop-down menu") == [
        "@J. Kim: yea, I want to put one in.", "Either a drop-down menu"]  # (it had shown "Kim: yea, …" as the speaker)


def test_a_line_of_the_flow_says_who_said_it() -> None:
    """#general 2015-W45: "So this isnt a scraping tool but rather an "advertisement" for public health?" and its
    answer were two unnamed lines; in a flow without threads, nothing else tells one line from the next (a question
    shown with its answer names its asker too). A thread's reply is named only when it speaks in the first person (as
    before)."""
    week = [
        msg(ts(1), "tra38", "There are tinder bots that advertise iPhone games, and one about health care is not far-fetched."),
        msg(ts(1, 200), "colin", "So this isnt a scraping tool but rather an advertisement for public health?"),
        msg(ts(2), "kim", "yeah tinder bots tell users about sexual health and free testing clinic locations in Chicago"),
        msg(ts(2, 100), "kim", "i'm going to put the code up once we finish the project in a few weeks"),
    ]
    points = [p.text for p in summarize_offline(week, window=True).all_points()]
    assert any(p.startswith("colin: So this isnt a scraping tool") for p in points), points
    assert any(p.startswith("colin: So this isnt") and "— kim: yeah tinder bots" in p for p in points), points
    assert not any(p.startswith("tra38: tra38") for p in points)
    alone = summarize_offline(week[:2], window=False)  # a thread's summary is unchanged: no names
    assert not any(p.text.startswith("colin: ") for p in alone.all_points())


def test_a_week_is_not_headed_by_thanks_or_a_fragment_but_keeps_a_link_headline(shared_data: Path) -> None:
    """#general 2016-W23: with no message scoring as the week's event, the headline was "thanks @javier - good idea,
    i'll post it there too!" in the week of the 100th meetup; #datajam 2015-W24: "Also slack works well with growing
    teams.". A short headline with a link ("DATA JAM THIS! <repo>", #datajam 2016-W25) stays: it is what the week
    shared."""
    assert says_little("thanks @javier - good idea, i'll post it there too!")
    assert says_little("Fritz Khan inspiration") and says_little("Also slack works well with growing teams.")
    assert not says_little("DATA JAM THIS! https://github.com/houstondatavis/data-jam-june-2016")
    assert not says_little("that new world map is fantastic") and not says_little("there is no search bar")
    for channel, week, shown, gone in (("general", "2016-W23", "50 Meetups ago", "thanks @javier"),
                                       ("datajam", "2015-W24", "poll folks for a weekday date", "Also slack works"),
                                       ("datajam", "2016-W25", "DATA JAM THIS! https://github.com/houstondatavis", "")):
        headline_line = _digest(shared_data, "slack-export-houstondatavis", channel, week).split("\n\n")[1]
        assert shown in headline_line and (not gone or gone not in headline_line), (week, headline_line)


def test_a_message_sent_to_everyone_is_the_weeks_news() -> None:
    """#general 2015-W28: "@everyone get excited - our July meetup is on Monday!" (no replies, no reactions, no news
    word) lost the headline to "I'm suddenly needing child care for Monday night if I'm to make the Meetup."."""
    week = [
        msg(ts(0), "neeraj", "@everyone get excited - our July meetup is on Monday! I'm traveling this month, so I'll "
                             "put out a call to crowdsource some sandwiches and drinks this time"),
        msg(ts(1), "chris", "I'm suddenly needing child care for Monday night if I'm to make the Meetup."),
        msg(ts(1, 600), "micah", "happy to share what's worked for me food-wise in the past if that's helpful"),
    ]
    digest = build_channel_digest(week, channel_id=C, channel_name="general", period=PERIOD, provider=None,
                                  permalink_for=permalink_for)
    assert headline(digest) == "Get excited - our July meetup is on Monday!"
    assert main_event(week[1:]) is None  # without it, no message is the week's event
