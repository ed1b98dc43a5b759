"""What a thread asked, and the answer its asker took up last (issue 11, twenty-sixth round). A user pass over 40 unseen
threads found two summaries that never said what was asked ("Is there a way to check if a high-resolution timestamp is
contained within a low-resolution one?" was in no line: the key points were its answers) and one that ended on an early
"Thanks for your help!" although the asker's open question was answered after it and taken up ("Ah ok that makes
sense, thanks!"). Now the overview line shows the opening's question when no point cites the opening, and a later
acknowledgement of a later answer is where the thread ended. The same passes found replies that tell a problem with a
face at the end ("… just sits there for over a minute :thinking_face:") dropped as banter, and quips ("I just told what
you told me :-p", ":point_up: playing dumb") shown as points: the first are reports, the second noise."""

from __future__ import annotations

from pathlib import Path

from bot.evals.sections import load_thread
from bot.models import Summary
from bot.summaries.extractive import summarize_offline
from tests.test_thread_endings import _m


def _offline(*turns: tuple[str, str]) -> Summary:
    return summarize_offline([_m(f"{i + 1}.0", user, text) for i, (user, text) in enumerate(turns)])


def test_the_overview_shows_a_question_no_point_shows(shared_data: Path) -> None:
    # JuliaLang: the question, "no I don't think so …", "Maybe interval sets?", "just Intervals.jl works",
    # "Intervals.jl is used a lot with dates. Though I don't know how to do this?"
    messages = load_thread(shared_data, "julialang", "C674VR0HH", "1615822928.459900")
    summary = summarize_offline(messages)
    assert all(messages[0].ts not in p.source_ts for p in summary.all_points())  # the answers are the points …
    assert summary.overview_ts == messages[0].ts  # … and the overview says what was asked
    assert summary.overview.startswith("Is there a way to check if a high-resolution timestamp")


def test_a_short_question_comes_with_the_sentence_before_it(shared_data: Path) -> None:
    # JuliaLang #helpdesk: two files, one using a constant of the other; '… result is "ERROR: LoadError: UndefVarError: A
    # not defined". What could be wrong?' -> "Im assuming the function `dQ` missing an `end` is just a typo? …"
    messages = load_thread(shared_data, "julialang", "C6A044SQH", "1616358289.306300")
    summary = summarize_offline(messages)
    assert summary.overview_ts == messages[0].ts
    assert summary.overview.endswith("What could be wrong?")
    assert "UndefVarError: A not defined" in summary.overview  # never the bare "What could be wrong?"


def test_a_question_about_pasted_code_is_not_the_overview_alone() -> None:
    summary = _offline(
        ("Emir", "```ERROR: MethodError: no method matching foo(::Int64)```\nany ideas on what usually causes this error?"),
        ("Ana", "Usually that means the method was defined for another argument type, for example Float64 only."),
        ("Emir", "Ah that was it, I had annotated the argument as Float64 in the definition. Thanks a lot!"),
    )
    assert "causes this error" not in summary.overview


def test_a_later_answer_taken_up_is_where_it_ended(shared_data: Path) -> None:
    # JuliaLang #helpdesk: "… What do you mean 'everything in functions'?" "Thanks for your help!" -> sverek's workflow
    # at length -> "Ah ok that makes sense, thanks! That also gets around the global variable problem huh, …"
    messages = load_thread(shared_data, "julialang", "C6A044SQH", "1616184104.228600")
    summary = summarize_offline(messages)
    assert summary.outcome is not None
    by_ts = {m.ts: m for m in messages}
    assert [by_ts[ts].user_name for ts in summary.outcome.source_ts] == ["sverek", "Greg Lee"]
    assert by_ts[summary.outcome.source_ts[0]].text.startswith("There are many workflows")
    assert by_ts[summary.outcome.source_ts[1]].text.startswith("Ah ok that makes sense")


def test_an_early_thanks_stays_where_it_ended_when_nothing_was_taken_up_after_it() -> None:
    summary = _offline(
        ("Greg", "How do I keep compile times down when I rerun my training script in the REPL over and over?"),
        ("sverek", "Use `includet(\"script.jl\")` with Revise.jl and put everything in functions, then rerun them."),
        ("Greg", "Thanks for your help!"),
        ("sverek", "(I do not use VSCode so it is probably done differently there, but the idea is the same.)"),
    )
    assert summary.outcome is not None
    assert "1.0" not in summary.outcome.source_ts and "2.0" in summary.outcome.source_ts


def test_a_problem_told_with_a_face_is_no_banter() -> None:
    from bot.summaries.structure import is_noise
    assert not is_noise("Adding a package just sits there for over a minute :thinking_face:")
    assert not is_noise("but somehow `Expr(xor` does not work :confused:")
    assert not is_noise("`dropmissing(df, [:x, :y])` --> out of memory error :eyes:")
    assert is_noise("Looking forward to all the improvements you guys are making :slightly_smiling_face:")
    assert is_noise("I will stop crashing my computer now :D")  # a joke
    assert is_noise("Haha that was a great talk :joy:")


def test_a_quip_is_no_key_point() -> None:
    from bot.summaries.extractive import _asked_laughing
    from bot.summaries.sentences import split_sentences
    from bot.summaries.structure import is_noise
    assert is_noise("I just told what you told me :-p")  # tongue in cheek, nothing more
    quip = "??? Are *you* personally responsible for the changes in LLVM? :rolling_on_the_floor_laughing:"
    asked = next(s for s in split_sentences(quip) if "responsible" in s)
    assert _asked_laughing(quip, asked)
    told = "just to be clear, Ch. 1-3 is through page 28, right? I'm getting confused between the chapters and levels haha"
    assert split_sentences(told)[0] == "just to be clear, Ch. 1-3 is through page 28, right?"  # "Ch." ends no sentence
    assert not _asked_laughing(told, split_sentences(told)[0])  # a real question, with more said after it


def test_a_self_declared_joke_is_noise_and_a_modal_runs_into_its_code() -> None:
    from bot.summaries.structure import _RUNS_ON, is_noise
    assert is_noise(":point_up: playing dumb")
    assert is_noise("haha just kidding")
    assert not is_noise("I was only kidding myself about the performance of this loop, it is really slow")
    assert _RUNS_ON.search("i have not touched that part of latexify in years, but might")


def test_a_try_later_ends_on_the_code_it_will_try() -> None:
    summary = _offline(
        ("Eric", "What is the command to bypass PkgServer and just use GitHub again? Adding a package takes minutes."),
        ("Ian", "Set `ENV[\"JULIA_PKG_SERVER\"]=\"\"` and then remove and re-add the General registry."),
        ("Eric", "I put that in my startup.jl and re-added General, but adding a package still sits there for a minute."),
        ("Ian", "If you try\n```Pkg.add(\"pkgname\"; use_libgit2_for_all_downloads=true)```\ndoes that speed things up for you?"),
        ("Eric", "I'll try that next time. Thanks :+1:"),
    )
    assert summary.outcome is not None
    assert summary.outcome.source_ts == ["4.0", "5.0"]  # the code to try, then the asker's reply
    assert "use_libgit2_for_all_downloads=true" in summary.outcome.text


def test_thanks_after_a_pointer_to_the_docs_are_for_the_answer_before_it() -> None:
    summary = _offline(
        ("arv", "Why does my method with an argument `::T` give the same result for every value I pass in?"),
        ("Zack", "a method with an argument of form `::T` only depends on the type of that argument, not its value"),
        ("Zack", "you can see some examples of this in the parameter extraction examples "
                 "(https://docs.julialang.org/en/v1/manual/methods/)"),
        ("arv", "Thank you! @Zack"),
    )
    assert summary.outcome is not None
    assert summary.outcome.source_ts == ["2.0", "4.0"]
    assert summary.outcome.text.startswith("a method with an argument of form `::T` only depends on the type")


def test_a_confirmation_is_shown_to_its_end() -> None:
    summary = _offline(
        ("JuliaLover", "My threaded loop takes 400 ms inside VS Code but I expected a few milliseconds. Any idea why?"),
        ("Gabriel", "That is some odd behavior for sure. You might try running it from a REPL in your terminal and "
                    "checking `Threads.nthreads()`. That is a very significant slowdown."),
        ("JuliaLover", "Running from the terminal REPL ran for ~6 ms all the time so it seems to be working fine "
                       "through the terminal."),
    )
    assert summary.outcome is not None
    assert summary.outcome.text.endswith("so it seems to be working fine through the terminal.")  # 21 words, not cut
