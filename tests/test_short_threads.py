"""Short threads whose opening message says more than one thing (issue 11, twenty-fifth round): a reader pass over
unseen threads found announcements cut to their first sentence ("As in previous years, the R Contribution Working
Group are … incubating ideas" without "Everyone is welcome to … via issues on our GitHub repo: <link>"). When fewer
messages than points have a sentence to show, a message's next sentence fills the room left, never pushing another
section's point out, and never repeating what its first point shows. And "Where it ended", a section of its own, no
longer takes a key point's place where the summary has room for both; when it leans on the message before it ("Yes, …
I agree that these aren't the same"), which no point shows, it is shown after that message."""

from __future__ import annotations

from pathlib import Path

from bot.evals.sections import load_thread
from bot.models import Summary
from bot.summaries.extractive import _cover, summarize_offline
from bot.summaries.render import fit_length
from bot.summaries.sentences import split_sentences
from tests.test_thread_endings import _m

_INCUBATOR = ("As in previous years, the R Contribution Working Group are spending time in August/September incubating "
              "ideas to work on in 2022/23.\n\nEveryone is welcome to contribute your ideas and join in the discussion via "
              "issues on our GitHub repo: https://github.com/r-devel/rcontribution/issues.\n\nFor full details of the "
              "incubator (and a summary of what we have done in the past year) see: "
              "https://github.com/r-devel/rcontribution/blob/main/ideas_incubator.md")


def _offline(*turns: tuple[str, str]) -> Summary:
    return summarize_offline([_m(f"{i + 1}.0", user, text) for i, (user, text) in enumerate(turns)])


def test_a_message_gives_its_next_sentence_only_when_the_messages_run_out() -> None:
    # sentences 10, 11 of message 0, 12 of message 1, 13 of message 2 (the outcome's); best first
    picked, message_of = [10, 12, 11, 13], [0, 1, 0, 2]
    assert _cover(picked, message_of, 3, 2, covered={2}, room=5) == [10, 12]  # two messages to cover two points
    assert _cover(picked, message_of, 3, 4, covered={2}, room=5) == [10, 12, 13, 11]  # the fourth: message 0's next
    assert _cover(picked, message_of, 3, 4, covered={2}, room=3) == [10, 12, 13]  # … only within the summary's room
    assert _cover(picked, message_of, 3, 4, covered={2}) == [10, 12, 13]  # (no room given: none)


def test_an_announcement_keeps_its_call_to_action(shared_data: Path) -> None:
    # R Contributors, #general: the incubator announcement, then three short notes from one reader
    messages = load_thread(shared_data, "rcontrib", "C01EFL0CEBB", "1659718045.024759")
    summary = summarize_offline(messages)
    said = " ".join(p.text for p in summary.key_points)
    assert "incubating ideas" in said
    assert "https://github.com/r-devel/rcontribution/issues" in said  # where to send ideas, the part a reader acts on


def test_a_short_announcement_shows_what_its_reply_does_not() -> None:
    summary = _offline(("Heather", _INCUBATOR),
                       ("Saranjeet", "We also presented the work at the Collaborations Workshop 2022 and created reusable "
                                     "lessons for the Hack Day."))
    assert all(p.source_ts == ["1.0"] for p in summary.key_points)
    said = " ".join(p.text for p in summary.key_points)
    assert summary.key_points[0].text.startswith("As in previous years")
    assert said.count("As in previous years") == 1
    assert "Everyone is welcome" in said  # in the same line or a second one (the three sentences are over 60 words)


def test_a_second_point_never_repeats_its_first(shared_data: Path) -> None:
    # JuliaLang #makie: "For some reason, the left-side outline of my plot's legend is missing … This is the case for
    # every legend I generate …" -> "Can you open an issue …?" -> "I can try to do that over the weekend" -> the issue
    summary = summarize_offline(load_thread(shared_data, "julialang", "C8RQUU2KH", "1614963574.020800"))
    shown = [s for name in ("key_points", "decisions", "action_items", "open_questions")
             for p in getattr(summary, name) for s in split_sentences(p.text)]
    assert len(shown) == len(set(shown)), shown  # no sentence twice
    legend = [p for p in summary.key_points if "legend is missing" in p.text]
    assert len(legend) == 1 and "every legend I generate" in legend[0].text  # both sentences, one point


def test_the_next_sentence_never_pushes_another_section_out(shared_data: Path) -> None:
    # JuliaLang #helpdesk: a Plots recipe fails on a background colour, "Is this a bug?" is still open at the end
    summary = summarize_offline(load_thread(shared_data, "julialang", "C6A044SQH", "1611070942.333600"))
    fitted, left_out = fit_length(summary)
    assert left_out == 0 and fitted == summary
    assert any("Is this a bug?" in p.text for p in summary.open_questions)


def test_where_it_ended_takes_no_key_points_place_where_there_is_room() -> None:
    turns = [("Ann", "Our nightly build fails on the macOS runners since Tuesday with a linker error about libgfortran."),
             ("Bob", "The macOS runners got the new Xcode image on Tuesday, which ships a different linker."),
             ("Ann", "That matches the timing, the Linux runners still build fine with the same commit."),
             *(("Dan", f"For the record, runner pool {n} also moved to the new image on Tuesday morning.") for n in (1, 2)),
             ("Cid", "Pinning the Xcode image to the previous version in the workflow file brings the old linker back."),
             ("Ann", "Pinned it in the workflow file and the macOS build is green again.")]
    summary = _offline(*turns)
    assert summary.outcome is not None and "green again" in summary.outcome.text
    assert len(summary.key_points) == 3  # a third of seven messages, and the outcome besides
    fitted, left_out = fit_length(summary)
    assert left_out == 0


def test_where_it_ended_that_leans_on_an_unshown_message_is_shown_after_it(shared_data: Path) -> None:
    # JuliaLang #data: "but do you see what I mean about the distinction between `Missing` and `Vector{Missing}`?" ->
    # "Yes, thinking about it a little I agree that these aren't the same and shouldn't be"
    summary = summarize_offline(load_thread(shared_data, "julialang", "C674VR0HH", "1613495939.447800"))
    assert summary.outcome is not None
    assert "`Missing` and `Vector{Missing}`" in summary.outcome.text
    assert summary.outcome.text.endswith("— jessebett: Yes, thinking about it a little I agree that these aren’t the "
                                         "same and shouldn’t be")
    assert len(summary.outcome.source_ts) == 2
    # … not after a message that says nothing it answers ("I have the same feeling, but can't tell for sure")
    hedged = summarize_offline(load_thread(shared_data, "julialang", "C8RQUU2KH", "1608555654.271500"))
    assert hedged.outcome is not None and hedged.outcome.text.startswith("Yes it's meant for getting latex strings")
