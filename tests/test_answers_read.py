"""Answers to a question about a thread, read by the person who asked (issue 11, forty-second round).

Readers asked "@Recap <question>" of unlabelled JuliaLang threads (``bench/question_pack.py``) and graded each reply:
14 of 88 right. The reply quoted the thread's own question back where the reply the asker thanked answered it
(``ENV["LANG"]``, code alone), or ended on "pretty easily:" without the code; its citations sat at the end of the
line, one number for two people's sentences, and a short thread's answer cited every other point when the points it
quoted had been cut to fit. Each test is one of those faults, on the shape of the thread it was found in. (Answering
every question a thread asked with the reply to it, prose too, was tried and not kept: docs/evals.md, forty-second
round.)"""

from __future__ import annotations

from pathlib import Path

from bot.evals.sections import load_thread
from bot.models import Message, Point, Summary
from bot.summaries.pipeline import within_window
from bot.summaries.render import to_markdown, to_mrkdwn
from bot.summaries.summarize import summarize


def _thread(*turns: tuple[str, str]) -> list[Message]:
    return [Message("C1", f"{1000 + i}.0", f"U{user}", user, text, thread_ts="1000.0")
            for i, (user, text) in enumerate(turns)]


def _ask(messages: list[Message], question: str) -> Summary:
    """What ``@Recap <question>`` answers offline, as the pipeline shows it."""
    return within_window(summarize(messages, provider=None, max_points=5, question=question), messages)


def _link(ts: str) -> str:
    return f"https://x.slack.com/archives/C1/p{ts.replace('.', '')}"


_LOCALE = _thread(
    ("Jake", "How can I find out the operating system's default language from Julia? I expected a `Sys` variable, "
             "but there doesn't seem to be one. Python has a `locale` module for it."),
    ("Jake", "Maybe some kind of C call? But I'm not sure how"),
    ("Jeff", '```julia> ENV["LANG"]\n"en_US.UTF-8"```'),
    ("Jake", "Thank you @Jeff!"),
)


def test_the_threads_own_question_is_answered_by_the_reply_its_asker_thanked_even_code_alone() -> None:
    summary = _ask(_LOCALE, "how do you get the system's language setting in Julia?")
    assert summary.answer is not None and 'ENV["LANG"]' in summary.answer
    assert summary.answer_sources() == ["1002.0"]  # not the question restated (1000.0)


def test_code_the_asker_turned_down_is_no_answer() -> None:
    turned_down = [*_LOCALE[:3], Message("C1", "1003.0", "UJake", "Jake", "No, that's not it: LANG is empty on Windows",
                                         thread_ts="1000.0")]
    summary = _ask(turned_down, "how do you get the system's language setting in Julia?")
    assert "1002.0" not in summary.answer_sources()


def test_the_threads_own_question_is_answered_by_the_prose_reply_its_asker_thanked_not_a_later_remark() -> None:
    slow = _thread(
        ("Michal", "My Makie plots take ages to update when I drag a slider. Could it be because I'm running it from "
                   "the REPL?"),
        ("simon", "no, that shouldn't influence it, the REPL is not slower than a script"),
        ("Michal", "ok, good to know, thanks!"),
        ("Sukera", "if the problem persists, best to ask in #makie about why it's slow"),
    )
    assert _ask(slow, "does running Makie from the REPL make it slow?").answer_sources() == ["1001.0"]
    buildkite = _thread(
        ("tkf", "Hi, can someone enable buildkite for FooKernels.jl?"),
        ("jp", "I'm not an admin, so I can't make the pipeline public."),
        ("dilum", "They should both be public now"),
        ("tkf", "thanks! I can access the pipeline now"),
    )  # the thanks follows dilum's reply, not the first one
    assert _ask(buildkite, "can someone enable buildkite for FooKernels?").answer_sources() != ["1001.0"]


def test_an_answer_that_introduces_code_shows_the_code_it_introduces() -> None:
    quote = _thread(
        ("Kim", "I'm building a struct definition with `quote struct $a end end` but `$a` gets interpolated. How do I "
                "stop that?"),
        ("Simeon", "We unfortunately don't have a non-interpolating quote in Base."),
        ("Mason", "You can define your own non-interpolating quote pretty easily:\n```julia\nmacro Quote(ex)\n"
                  "    QuoteNode(ex)\nend\n```"),
        ("Kim", "That did it, thanks!"),
    )
    summary = _ask(quote, "how can I write a quote that does not interpolate $a?")
    assert "pretty easily: `macro Quote(ex); QuoteNode(ex); end`" in (summary.answer or "")
    assert "1002.0" in summary.answer_sources()  # the point it quotes carries the code too, so it is still cited


def test_an_answer_cites_each_sentence_where_it_ends_one_number_a_message() -> None:
    summary = Summary(
        overview="", answer="Peter: you can also use DataFramesMeta Nils: Also check that `haversine` takes `lon, lat` in that order",
        key_points=[Point("the dd1 column has the wrong values", ["1000.0"]),
                    Point("you can also use DataFramesMeta", ["1001.0"]),
                    Point("Also check that `haversine` takes `lon, lat` in that order", ["1002.0"])],
        offline=True, message_count=3)
    markdown = to_markdown(summary, permalink_for=_link)
    assert (f"**Answer:** Peter: you can also use DataFramesMeta [[1]]({_link('1001.0')}) Nils: Also check that "
            f"`haversine` takes `lon, lat` in that order [[2]]({_link('1002.0')})") in markdown
    mrkdwn = to_mrkdwn(summary, permalink_for=_link)
    assert f"DataFramesMeta <{_link('1001.0')}|[1]> Nils:" in mrkdwn and mrkdwn.count("|[1]>") == 1
    one_message = Summary(overview="", answer="fred: The milestone has the known issues. Also, the beta is not out yet.",
                          key_points=[Point("The milestone has the known issues.", ["1000.0"]),
                                      Point("Also, the beta is not out yet.", ["1000.0"])], offline=True, message_count=2)
    assert f"known issues. Also, the beta is not out yet. [[1]]({_link('1000.0')})" in to_markdown(
        one_message, permalink_for=_link)  # two sentences of one message: one number, after both
    model = Summary(overview="", answer="Use DataFramesMeta.", key_points=[Point("a", ["1001.0"])], offline=False)
    assert f"Use DataFramesMeta. [[1]]({_link('1001.0')})" in to_markdown(model, permalink_for=_link)  # its own words


def test_the_points_an_answer_quotes_are_never_cut_to_fit_a_short_thread() -> None:
    points = [Point(f"point number {n} of the thread", [f"100{n}.0"]) for n in range(5)]
    summary = Summary(overview="", answer="A: point number 3 of the thread B: point number 4 of the thread",
                      key_points=points, offline=True, message_count=4)  # room for 3 points
    markdown = to_markdown(summary, permalink_for=_link)
    answer_line = next(line for line in markdown.splitlines() if line.startswith("**Answer:**"))
    assert _link("1003.0") in answer_line and _link("1004.0") in answer_line
    assert _link("1000.0") not in answer_line  # it had cited every other point once its own were cut


def test_a_real_thread_asked_its_own_question_gets_the_code_that_answered_it(shared_data: Path) -> None:
    messages = load_thread(shared_data, "julialang", "C6A044SQH", "1610589114.001300")
    summary = _ask(messages, "how do you get the system's language/locale setting from Julia?")
    assert summary.answer_sources() == ["1610601549.003000"] and "ENV" in (summary.answer or "")
    sorted_slice = load_thread(shared_data, "julialang", "C6A044SQH", "1616136858.147400")
    summary = _ask(sorted_slice, "is there a builtin way to grab the part of a sorted vector between two bounds?")
    assert summary.answer_sources() == ["1616137210.149400"] and "searchsortedfirst" in (summary.answer or "")
