"""What a reader needed and a summary cut (issue 11, twenty-third round): an opening told at length shown with the
question it comes to, "Where it ended" whole up to 55 words, an answer that leans on the sentence before it shown
with that sentence, a short answer with a link after a question, and chatter at a thread's end (cross-posting, an
apology for what was missed, thanks for a share) that is not where it ended."""

from __future__ import annotations

from bot.summaries.extractive import summarize_offline
from bot.summaries.structure import _COMMAND, action_items, is_noise, leads_off, outcome
from tests.test_thread_endings import _conv, _ended, _m

_MODULES = ("Reid", "So if I have module A defining a struct, then with \"using\" import the struct to module B, and define a "
                    "function on that struct. Then in module C \"using\" import both module A and B. When I try to run "
                    "the function on the struct I get a method error. Is there any way to make the struct imported from "
                    "A and methods from B apply to each other appropriately? MWE:\n```module ExampleImport\nend```")
"""An opening of 68 words of prose: its question is its last sentence, past what a point shows whole."""
_REEXPORT = [("Peter", "You have two copies of `TestStruct` floating around since you included the `exampleimport` twice."),
             ("macd", "You can make this exact example work by using Reexport.jl. Keep module 1 the same. In 2 use "
                      "```using Reexport\n@reexport using .ExampleImport```"),
             ("Reid", "Thanks for pointing out reexport. That definitely seems like the best option."),
             ("macd", ":+1:")]


def _summary(*turns: tuple[str, str]):  # type: ignore[no-untyped-def]
    return summarize_offline([_m(f"{i + 1}.0", user, text) for i, (user, text) in enumerate(turns)])


def test_an_opening_told_at_length_is_shown_with_the_question_it_comes_to() -> None:
    summary = _summary(_MODULES, *_REEXPORT)
    opening = next(p.text for p in summary.key_points if "1.0" in p.source_ts)
    assert opening.startswith("So if I have module A defining a struct")
    assert "… Is there any way to make the struct imported from A and methods from B apply to each other" in opening


def test_a_question_that_only_asks_for_help_is_not_added_to_an_opening() -> None:
    told = ("Brady", "I've been trying to get started with Makie, and I repeatedly get this error: `ERROR: UndefVarError: "
                     "isnothing not defined`. I've added `Makie`, `GLMakie`, and `AbstractPlotting`, but no matter which "
                     "example from the tutorial I run in the REPL, the error shows up. Can anyone help me figure out what "
                     "is going wrong here?")
    summary = _summary(told, ("Simon", "You are on a very old Julia: `isnothing` was added in 1.1, so please update Julia."),
                       ("Brady", "Updating Julia fixed it, thanks a lot!"))
    assert not any("Can anyone help" in p.text for p in summary.key_points)


def test_where_it_ended_is_not_the_cross_posting_chatter_after_the_answer() -> None:
    chatter = [("Peter", "You should reply to the discourse post with your solution"),
               ("macd", "Done.  I kinda thought that the thread would be cross posted.  Guess not."),
               ("Peter", "yeah its still a WIP")]
    assert _ended(_conv(_MODULES, *_REEXPORT, *chatter)) == (2, 3)
    # … while a pointer to the answer on Discourse, said once at the end, still is where it ended
    pointer = ("Peter", "I answered it on Discourse: https://discourse.julialang.org/t/54704 with a `Reexport` example")
    assert _ended(_conv(_MODULES, *_REEXPORT, pointer)) == (5,)


def test_an_apology_for_what_was_missed_is_an_aside_and_no_action_item() -> None:
    conv = _conv(("Mohamed", "I would like to fix `(t0:tend) .+ Day(1)` in Julia 1.6: the problem seems to be `t0:tend`, "
                             "which errors for dates and times."),
                 ("Dave", "I think there isn’t a default step for a `DateTime` range, so you need to specify one "
                          "explicitly (e.g. `t0:Day(1):tend`)."),
                 ("Dave", "Sorry, didn’t see the 1.6 part of your question, so please take my response modulo 1.5 :sweat_smile:"))
    assert _ended(conv) == (1,)
    assert action_items(conv) == []


def test_a_share_thanked_for_ended_on_what_was_shared() -> None:
    share = ("Heather", "Some examples of simple functions from base R that can be understood based on what we have learned "
                        "so far: https://github.com/r-devel/c-book-club/blob/main/c-in-r-examples.md. Feel free to make a "
                        "PR or let me know if you find other examples.")
    assert _ended(_conv(share, ("Elio", "There are great! Thanks!"))) == (0, 1)
    # a reply that says something of its own is where it ended
    assert _ended(_conv(share, ("Elio", "Thanks! I found two more in `src/main/arithmetic.c` and opened a PR with them."))) == (1,)


def test_where_it_ended_shows_the_answer_whole_up_to_55_words() -> None:
    answer = ("You need to wrap the first column name in a string or a symbol. At the moment it’s parsing "
              "`:2020-12-01` as `2017` and `04:00:00:101` as a separate argument of your `rename` call, hence the "
              "syntax error about a missing comma that you see there")
    conv = _conv(("Bryan", "What am I doing wrong? I'm trying to rename the titles of the columns and I'm getting a syntax "
                           "error regarding a missing coma or ) in argument list?"),
                 ("Long", answer), ("Bryan", "@Long Thank you :slightly_smiling_face:"))
    ended = outcome(conv)
    assert ended is not None and ended.text.startswith("You need to wrap the first column name")


def test_a_short_answer_with_a_link_is_shown_after_the_question_it_answers() -> None:
    conv = _conv(("Siona", "How can i get try catch else, so how to simulate else ...."),
                 ("ararslan", "More generically I guess you could do ```ok = true\ntry\n  f()\ncatch\n  ok = false\nend```"),
                 ("Siona", "Can i also simulate finally"),
                 ("Rasmus", "Julia supports `finally`: https://docs.julialang.org/en/v1/manual/control-flow/#finally-Clauses"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (2, 3)
    assert ended.reply is not None and ended.reply.startswith("Julia supports `finally`")


def test_a_sentence_about_a_tool_is_no_pasted_command() -> None:
    assert not is_noise("Julia supports `finally`: https://docs.julialang.org/en/v1/manual/control-flow/")
    assert not _COMMAND.match("Make sure you run it in /tmp")
    assert is_noise("julia --project=. -e 'using Pkg; Pkg.test()'")
    assert _COMMAND.match("git clone https://github.com/JuliaLang/julia")


def test_an_answer_that_leans_on_its_first_sentence_is_shown_with_it() -> None:
    summary = _summary(
        ("Duban", "I'm using the standard logging infrastructure, logging to stdout. My process stdout is being redirected "
                  "to a file, but it seems like Julia is buffering log lines very aggressively. I usually don't see any "
                  "output until the program terminates. Is there any way to force Julia to flush stdout more often?"),
        ("fredrik", "Use a `FileLogger` form `LoggingExtras`. It  has an option for always flushing"),
        ("Duban", "Thanks @fredrik. What about stdout too? I also have a wrapper process that is capturing stdout."),
        ("fredrik", "Here is a `FlushLogger`:\n```struct FlushLogger <: Logging.AbstractLogger\n    logger::SimpleLogger\nend```"),
        ("Duban", "Thanks, that looks handy, I'll give it a go tomorrow and report back!"))
    assert summary.outcome is not None and "4.0" in summary.outcome.source_ts
    opening = next(p.text for p in summary.key_points if "1.0" in p.source_ts)
    assert "— fredrik: Use a `FileLogger` form `LoggingExtras`. It has an option for always flushing" in " ".join(opening.split())
    assert leads_off("It  has an option for always flushing")



def test_a_reply_that_asks_back_is_not_shown_as_the_answer_and_the_yes_to_it_is_where_it_ended() -> None:
    turns = [("Alec", "Why would an artifact work on Windows but not on Mac due to hash mismatch?"),
             ("Alec", "Specifically, the CI tests fail on Mac due to a hash mismatch in the `mort.soa.org` artifact."),
             ("Alec", "Locally, on Mac, both packages work fine"),
             ("Alec", "More troubleshooting diagnostics: the issue is present with just the MortalityTables.jl CI"),
             ("Simeon", "Is this fixed on the 1.6 rc? Otherwise, please open an issue with Pkg"),
             ("Alec", "Yes, this appears to work on 1.6rc")]
    conv = _conv(*turns)
    ended = outcome(conv)
    assert ended is not None and ended.messages == (4, 5) and ended.text.startswith("Is this fixed on the 1.6 rc?")
    assert action_items(conv) == []  # "Otherwise, please …" hangs on the answer, which was yes
    assert not any("— Simeon: Otherwise" in p.text for p in _summary(*turns).key_points)


def test_thanks_with_a_redirect_is_no_noise_and_is_where_the_thread_ended() -> None:
    redirect = "Thanks for sharing - you can post opportunities like these in the #jobs-opportunities channel."
    assert not is_noise(redirect) and is_noise("Thanks for sharing the slides with everyone.")
    conv = _conv(("Sourav", "NimbleEdge is participating in the Google Season of Docs 2022 and looking for technical "
                            "writers to work on the EnvisEdge project! Join the community if you are interested."),
                 ("Heather", redirect), ("Sourav", "Sure, thank you Heather!"))
    assert _ended(conv) == (1, 2)


def test_an_opening_thanked_for_is_where_the_thread_ended_unless_the_reply_says_more() -> None:
    opening = ("Heather", "Are you new here and looking for a way to contribute? One way to get started is reviewing bug "
                          "reports. See this post on the R Developer blog on how to get started.")
    assert _ended(_conv(opening, ("Gabriele", "Thank you so much! I've been looking for something like this to start "
                                              "contributing."), ("Kartikeya", "Thanks @Heather"))) == (0, 1)
    explained = ("Ben", "Thanks and sorry, I could not make it to the meeting. We agreed that Shrish would attend the "
                        "meeting, but some late flight changes at his end disrupted the plan.")
    assert _ended(_conv(opening, explained)) == (1,)
    # an opening that is itself thanks ("Thanks @Trang for your slide. We're using it in Cohort 2.") is no share
    thanks = _conv(("Binod", "Thanks @Trang for your slide. We're using it in Cohort 2."), ("Stone", "Yes thank you @Trang!"))
    assert _ended(thanks) == (1,)


def test_an_asker_who_found_what_they_asked_for_leaves_no_open_question() -> None:
    from bot.summaries.structure import open_questions

    conv = _conv(("gwynn", "Does anyone know if/where the videos have been posted?"), ("gwynn", "Oh, they are pinned here!"))
    assert open_questions(conv) == []


def test_a_thread_whose_replies_are_all_chatter_has_no_where_it_ended() -> None:
    slides = ("Heather", "Session 3:\n• Slides: https://docs.google.com/presentation/d/12t9\n• Video, available until the "
                         "end of the book club: https://zoom.us/rec/share/abc\nPasscode: kO7FSN#G")
    assert is_noise("shoutout to @Elio for presenting twice!")
    assert outcome(_conv(slides, ("Stone", "shoutout to @Elio for presenting twice!"))) is None
    # … but an answer its reader accepted still is where the thread ended
    answer = ("quinnj", "Are all the values actually Float64? You could do `TableOperations.narrowtypes!(df)` on it.")
    assert _ended(_conv(answer, ("Ari", "ok, thank you"))) == (0,)


def test_an_announcement_shows_the_ask_after_its_own_call() -> None:
    from bot.summaries.extractive import _its_ask

    call = ("In order to get the R Development Guide listed on the homepage of bookdown.org, we need to create a book "
            "cover.")
    conv = _conv(("Heather", f"{call} Maybe something like :building_construction: with the R logo rather than a "
                             "building. Does anyone fancy designing a cover based on these ideas or their own idea?"),
                 ("Saranjeet", "Can we have a generative art created in R as the book cover?"))
    assert _its_ask(conv, call) == "Does anyone fancy designing a cover based on these ideas or their own idea?"
    long_ask = ("It would be great if someone else could volunteer to do this in 2022 - ideally someone on the R-Ladies "
                "Slack, but we could break off that task if required, and we will help whoever takes it on.")
    conv = _conv(("Heather", f"@kara will also be taking a break from reporting back on our meetings. {long_ask}"),
                 ("Michael", "thanks so much Kara!!!"))
    assert _its_ask(conv, "@kara will also be taking a break from reporting back on our meetings.") == (
        "It would be great if someone else could volunteer to do this in 2022")


def test_an_asker_who_reports_it_seems_to_work_closes_their_follow_up_questions() -> None:
    from bot.summaries.structure import open_questions

    conv = _conv(("Tommy", "Is there a way to make sure a macro is only called inside another macro block?"),
                 ("mcabbott", "The outer macro runs first, the inner one need never be defined at all"),
                 ("Mason", "Yeah, you just never define `@schedule`, and have `@executor` handle it."),
                 ("Tommy", "So the `macrocall` block will still be created even if the macro doesn't exist, without error?"),
                 ("Tommy", "Awesome, seems like it works, can even define `schedule` for a docstring. Thanks guys"))
    assert open_questions(conv) == []
    ended = outcome(conv)
    assert ended is not None and ended.messages == (2, 4)  # the answer, then what the asker said of it


def test_an_asker_who_found_another_way_leaves_no_open_question() -> None:
    from bot.summaries.structure import open_questions

    conv = _conv(("Dmitri", "Hi! Is it possible by using `Plots.jl` zoom a region and add some extra scatter points inside "
                            "zoomed region? It is possible to zoom in with `lens!`  function, but how to add extra "
                            "lines/points in this zoomed region?"),
                 ("Brenhin", "if you zoom with `ylims!` and `xlims!`, then it’s certainly possible to add new points or "
                             "lines to this region (or anywhere, reallly) with `plot!`, though I’m not entirely sure if "
                             "that’s what you mean"),
                 ("Dmitri", "I want both main plot and zoomed region to be on the same pane. I’ve found a solution by "
                            "using `inset`  and `subplot`  attributes for `plot!`  function"),
                 ("Brenhin", "Maybe if you can get the plot handle object for the zoomed region, then you could again add "
                             "with a plain `plot!(h,..`? I’ve never tried lens though"),
                 ("Dmitri", "Yeah, that is the main problem with `lens!` since I’ve not found a way to get the plot handle "
                            "object for the zoomed region. So instead I manually created zoomed region with `plot` and "
                            "added it to the main plot with `inset`  and `subplot` functions.\nLike this:\n```plot(1:10)\n"
                            "plot!(2:5, 2:5, inset = (1, bbox(0.1, 0.1, 0.3, 0.3)), subplot = 2)```"))
    assert open_questions(conv) == []
