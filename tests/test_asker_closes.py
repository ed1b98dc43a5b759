"""How an asker closes a thread (issue 11, twenty-first round): their own fix or find, the advice they follow, the
answer their thanks names, a report that the work moved elsewhere, and lines that read alone ("Done!", "also …")."""

from __future__ import annotations

from pathlib import Path

from bot.evals.sections import load_thread
from bot.models import Message
from bot.summaries.extractive import summarize_offline
from bot.summaries.structure import Conversation, action_items, open_questions, outcome
from bot.summaries.summarize import summarize
from tests.test_thread_endings import _conv, _ended


def _messages(*turns: tuple[str, str]) -> list[Message]:
    """One thread's messages (``ts`` "1.0", "2.0", …), as :func:`tests.test_thread_endings._conv` builds them."""
    return list(_conv(*turns).messages)


def test_the_askers_own_fix_is_where_a_monologue_ended_and_closes_their_question() -> None:
    conv = _conv(
        ("chec", "How can I debug? I pressed F5 but nothing happened."),
        ("chec", "I also clicked on the bug button in the top-right corner of the pane but that didn't do anything either."),
        ("chec", "Reloaded vscode, now it's working"),
        ("chec", "Kinda. I've stepped into a function, and now I want to step in again but the buttons don't do anything."),
        ("chec", "I guess it hung"),
        ("chec", "Restarted and reran, the debugger got to the end without stopping at the breakpoint and exited."),
        ("chec", "Restarted again, now working"),
        ("chec", "That's software for ya"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (6,) and ended.text == "Restarted again, now working"
    assert open_questions(conv) == []


def test_a_question_the_asker_answers_with_a_link_or_their_own_code_is_not_open() -> None:
    linked = _conv(("Elio", "Number of github repositories that use R?"),
                   ("Elio", "https://github.com/search?q=language%3AR&type=Repositories"))
    assert open_questions(linked) == []
    coded = _conv(
        ("Tom", "Is there an easy way to find a value from a generator and return the index?"),
        ("Simeon", "Once the PR is merged, you can just use `findfirst` for this"),
        ("Tom", "Interesting... what about iterators? e.g. ```struct InfiniteSquares end```"),
        ("Tom", "Argh... Looks like I can just do ```first(i for (i,x) in enumerate(InfiniteSquares()) if x == 9)```"),
    )
    assert open_questions(coded) == []
    still = _conv(("Elio", "Number of github repositories that use R?"),
                  ("Elio", "I looked at https://github.com/search but it shows nothing useful for this"))
    assert [item.messages for item in open_questions(still)] == [(0,)]


def test_a_wish_and_a_thankful_try_are_no_tasks_but_a_try_put_off_is() -> None:
    wish = _conv(("bottine", "Is there some way to get a julia expert to review my code?"),
                 ("Moelf", "or post it as slower than python"),
                 ("bottine", "Yeah… It would be good to have a knowledgeable eye to quickly catch those bad parts"))
    assert action_items(wish) == []
    tries = _conv(("Roland", "Is there a Julia equivalent of the unpacking operator?"),
                  ("Kim", "Maybe `...` splat, e.g. `f(xs...)`"),
                  ("Roland", "Thanks ! will give it a try :slightly_smiling_face:"))
    assert action_items(tries) == []
    later = _conv(("Gergely", "You could try the new tool, it makes this much easier."),
                  ("Heather", "thanks, that looks promising -- will give it a try next time"))
    assert [(item.messages, item.owner) for item in action_items(later)] == [((1,), "Heather")]


def test_advice_the_asker_says_they_will_follow_is_where_it_ended() -> None:
    conv = _conv(
        ("bottine", "Is there some way to get a julia expert to review my code and tell me where it is slow?"),
        ("Karajan", "If it's like ~50-100 LOC you can definitely post it on Discourse and ask for performance tips."),
        ("bottine", "Thanks for the tip! yeah, it has helped me a lot already"),
        ("nobono", "There is also the performance-helpdesk channel on this slack, which may address some of your questions."),
        ("bottine", "Ah, good, I'll probably ask some questions there then!"),
    )
    assert _ended(conv) == (3, 4)


def test_the_askers_closing_thanks_with_where_they_stand_is_where_it_ended_unless_it_asks_again() -> None:
    turns = [
        ("Tomas", "I am trying to port a C++ program to Julia, but the floats print differently. Why is that?"),
        ("Oscar", "C++ is using less precise 32 bit floats by default while Julia uses 64 bit floats."),
        ("Sukera", "ah, I missed that part in your original query, my bad"),
        ("Sukera", "julia by default prints as many digits as necessary to uniquely identify each floating point number"),
    ]
    concluded = outcome(_conv(*turns, ("Tomas", "Thanks everyone! I was observing gradual drift in results comparing to "
                                                "the c++ output. Initially suspected float behaviour, but now thinking this "
                                                "must be due to some error in ported code logic. Will review tomorrow.")))
    assert concluded is not None and concluded.messages == (4,)
    assert "now thinking this must be due to some error" in concluded.text and "Thanks" not in concluded.text
    asked = outcome(_conv(*turns, ("Tomas", "Thanks everyone, that totally makes sense to me and explains what I saw in "
                                            "the output. I was just wondering, does it mean the printing can be changed?")))
    assert asked is None or asked.messages[0] != 4


def test_thanks_that_names_one_answer_closes_on_that_answer_and_a_mentioned_name_names_none() -> None:
    conv = _conv(
        ("George", "Is it possible to draw arrows between specific points in different Axes?"),
        ("Julius", "your arrow obviously needs to be plotted into one scene, so plot it into the main scene and find "
                   "the points by projecting the data coordinates"),
        ("Julius", "there's AbstractPlotting.project for that"),
        ("Julius", "you have to play around with it a little to get the right pixel space coordinates"),
        ("George", "Got it, thank you!"),
        ("George", "(the pointer to project is helpful; thanks!)"),
    )
    assert _ended(conv) == (2, 5)
    mentioned = _conv(
        ("robert", "Do you have the slides of your tutorial somewhere?"),
        ("Michael", "https://docs.google.com/presentation/d/16700"),
        ("Michael", "Heather I'm sorry, I'm new to the website; where in the tree should I put it, I'm happy to PR it"),
        ("Heather", "I have opened a PR with the basic structure here: https://github.com/forwards/rcontribution/pull/22"),
        ("robert", "Excellent! @Michael Chirico @Heather Turner thank you so much!!!!"),
    )
    assert _ended(mentioned)[0] == 3


def test_the_askers_thanks_that_goes_on_still_closes_on_the_answer() -> None:
    conv = _conv(
        ("kmsquire", "Is defining JULIA_DEFINE_FAST_TLS useful or necessary if I embed Julia in the main program?"),
        ("vtjnash", "and no, you don't need it, and putting it in a `.so` would actually be slower, so don't do that"),
        ("kmsquire", "Okay thanks. I wasn't planning to put it in the `.so`, just wondering if I needed it in the main "
                     "rust program."),
        ("kmsquire", "And from Jameson's comment, I finally understand that TLS here is thread-local state."),
    )
    assert _ended(conv)[0] == 1


def test_a_bingo_from_the_asker_confirms_the_answer_before_it() -> None:
    conv = _conv(
        ("miguelraz", "How do I print a string with double quotes inside a run command?"),
        ("mose", "use single quotes?"),
        ("miguelraz", "Single quotes don't interpolate the variable I need"),
        ("Simeon", "You can just preface double quotes inside other double quotes with a backslash"),
        ("miguelraz", "DING DING"),
        ("miguelraz", "I think that's a winner"),
        ("Simeon", "Julia follows other POSIX shells here in that single quotes don't interpolate"),
    )
    assert _ended(conv)[0] == 3


def test_a_thread_taken_elsewhere_ends_there_with_its_lead_in() -> None:
    conv = _conv(
        ("Brian", "Does anyone know how to take a parametric type and get its UnionAll type?"),
        ("jakni", "Yes, `Base.typename(x).wrapper`, but the wrapper part is not API, so may change."),
        ("Brian", "There is another workaround that I figured out with promote_type. This works but is a bit clunky."),
        ("Brian", "I couldn't find a previous discussion about this so I created a new one on Discourse:\n"
                  "https://discourse.julialang.org/t/feature-higher-order-type-constructors/55456"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (3,)
    assert ended.text.startswith("I couldn't find a previous discussion") and "discourse.julialang.org" in ended.text


def test_done_is_shown_with_what_its_author_promised_and_also_with_the_answer_it_adds_to() -> None:
    done = outcome(_conv(
        ("María", "Leaving here my slides for chapters 8-10 in case they are helpful (I'll now open a PR so the link's "
                  "up in the repository)"),
        ("María", "Done!"),
        ("Ivan", "Thank you so much."),
    ))
    assert done is not None and done.messages == (0, 1) and done.reply == "Done!"
    also = outcome(_conv(
        ("Michael", "Is there any facility for rotating the values in a Julia array? Like `numpy.rot90`"),
        ("Sukera", "`rotr90`"),
        ("Sukera", "also `rotl90` and `rot180`"),
        ("Michael", "nice! thanks :heart:"),
    ))
    assert also is not None and also.messages == (1, 2) and also.text == "`rotr90`, also `rotl90` and `rot180`"


def test_a_threads_overview_is_not_a_replys_clarifying_question() -> None:
    messages = _messages(
        ("Hrishikesh", "```using JuAFEM\ncorners = [Vec{2}((0.0, 0.0))]\ngrid = generate_grid(Quadrilateral, (20, 20))```"),
        ("jakni", "Which line does it say errors?"),
        ("Sukera", "presumably it errors at `vtk_grid(\"sample grid\", dh) do ...` since dh is never defined there"),
        ("Sukera", "those assignments are all inside of functions, not in the top level scope"),
        ("Hrishikesh", "I found the mistake, thank you all for helping"),
    )
    summary = summarize_offline(messages)
    assert summary.overview_ts != "2.0"


def test_an_answer_that_leans_on_the_question_in_its_own_message_is_shown_with_it() -> None:
    from bot.summaries.structure import in_full

    conv = _conv(
        ("affans", "Does anyone know if `DifferentialEquations` uses all cores in its solving algorithms?"),
        ("Oscar", "By large system do you mean with matrix operations? If so, those matrix operations probably use BLAS "
                  "which can efficiently use all cores."),
    )
    sentence = conv.content[1][-1]
    assert sentence.startswith("If so")
    assert in_full(conv, 1, sentence, sentence, words=30).startswith("By large system do you mean with matrix operations? If so")


def test_a_reply_to_a_short_question_is_shown_after_it() -> None:
    messages = _messages(
        ("miguelraz", "How can I interpolate a variable inside single quotes inside a command like `run(`echo '$h'`)`?"),
        ("Simeon", "Single quotes in commands never interpolate, like in POSIX shells, so `$h` stays as it is."),
        ("mose", "use double quotes?"),
        ("miguelraz", "Double quotes clash with the rest of the program, which already quotes the Mathematica code"),
        ("Simeon", "You can just preface double quotes inside other double quotes with a backslash"),
        ("miguelraz", "DING DING, I think that's a winner"),
    )
    points = [p.text for p in summarize_offline(messages).key_points]
    assert any(p.startswith("use double quotes? — miguelraz: Double quotes clash") for p in points), points


def test_the_askers_own_success_with_code_closes_their_question_and_still_failing_must_say_so() -> None:
    coded = _conv(("Rodrigo", "I'm having funny troubles with CUDA textures, a 700x800 array fails with invalid argument"),
                  ("Rodrigo", "Any help with this? :pleading_face:"),
                  ("Rodrigo", "Using `CuTextureArray`s it works."))
    assert open_questions(coded) == []
    aside = _conv(
        ("Ari", "Is it possible to read a bunch of Parquet files and write an Arrow file, or does it need a DataFrame?"),
        ("quinnj", "There are some big inefficiencies right now with `read_parquet` for really large files; I'm going "
                   "to work this week on making the Parquet to Arrow integration smoother."),
        ("Ari", "Somehow Dask was able to read the files in 10 seconds. I didn't do much analysis of what it does."),
    )
    assert open_questions(aside) == []
    failing = _conv(
        ("Ari", "Is it possible to read a bunch of Parquet files and write an Arrow file, or does it need a DataFrame?"),
        ("quinnj", "Try `Arrow.write(file, Parquet.read_parquet(dir))`, it should stream them one by one."),
        ("Ari", "Tried that and it still didn't work, the same out of memory error."),
    )
    assert [item.messages for item in open_questions(failing)] == [(0,)]


def test_a_thanks_to_a_profile_link_is_noise_and_a_retraction_takes_the_claim_back() -> None:
    from bot.summaries.structure import is_noise, taken_back

    assert is_noise("Thank you *Lluís Revilla Sancho (https://app.slack.com/team/U01KXU8UNRX)*")
    assert not is_noise("Thanks, version 4.3.1 fixed it for me")
    said = _messages(
        ("Ian", "Why is the time 5 hours in the future?"),
        ("mose", "basically `now()` gives the UTC time in Alpine"),
        ("mose", "ugh, no, wait"),
        ("mose", "BinaryBuilder sets the timezone to UTC, it may be that"),
    )
    assert taken_back(said, 1) and not taken_back(said, 3)


def test_a_promise_delivered_as_an_updated_pull_request_is_done() -> None:
    conv = _conv(
        ("Ian", "What's the correct way to convert `unix2datetime(mtime(f))` to my time zone?"),
        ("mose", "you can ask the libc for it: `Libc.strftime(\"%FT%R%z\", mtime(f))`"),
        ("Ian", "I guess I'll try to implement the rest of the stuff without Dates too then"),
        ("mose", "sounds good"),
        ("Ian", "updated. Thanks for the help! https://github.com/JuliaLang/julia/pull/39463#issuecomment-770502218"),
    )
    assert action_items(conv) == []
    assert [item.owner for item in action_items(Conversation(conv.messages[:4]))] == ["Ian"]


def test_a_solved_problem_stays_solved_when_the_asker_only_says_they_may_ask_again() -> None:
    conv = _conv(
        ("Karel", "When I launch Julia all the stdlib packages are missing. Could you please point me to what I am doing wrong?"),
        ("fredrik", "You probably have messed with `JULIA_LOAD_PATH`?"),
        ("Karel", "Thank you, I have managed to solve it. The variable seemed alright, but there still were weird paths."),
        ("fredrik", "If you plan on relocating you should use the `binary-dist` build target."),
        ("Karel", "Thanks a lot, I will give it a try and ask again if it does not solve it."),
    )
    assert open_questions(conv) == []


def test_a_success_with_a_catch_is_not_where_it_ended_and_a_typo_still_reports_success() -> None:
    conv = _conv(
        ("Jorge", "If I have a DataFrame, how do I get unique columns, treating each column as a separate thing?"),
        ("Oscar", "does `unique(eachcol(A))` work?"),
        ("Jorge", "`DataFrames.jl` overloads unique and such that `unique(df, [:a, :b])` works out of the box, but finds "
                  "unique to both columns"),
        ("Peter", "`unique` has a version which applies a function to each element, e.g. `unique(i -> i[2], pairs(eachcol(df)))`"),
        ("Jorge", "oh yes! this seams to work as expected!"),
        ("Jorge", "although something went wrong with the formatting"),
    )
    assert _ended(conv) == (3, 4)


def test_an_aside_after_the_askers_thanks_and_an_unsure_reply_that_goes_on() -> None:
    thanked = outcome(_conv(
        ("Luca", "I have a `HxWx3` matrix and I would like to reshape it into a `HWx3` matrix. How can I do it?"),
        ("fmeirinhos", "Julia stores the data column wise, so the reshaping you want is `reshape(m, H*W, 3)`"),
        ("Luca", "fantastic! thank you! :smile:"),
        ("Oscar", "You also can use `reinterpret` which will be 0 cost as it shared the same data"),
    ))
    assert thanked is not None and thanked.messages == (1, 2)
    unsure = _conv(
        ("Bob", "G'day! Are any folks here involved in the translation.r-project.org website?"),
        ("Heather", "Hmm, I'm not sure if that page is actively maintained. I don't think it's linked from any of the main "
                    "r-project pages. I would check with the person who set it up, or else contact the webmaster."),
    )
    assert open_questions(unsure) == []
    assert [item.messages for item in open_questions(_conv(("Bob", "Are any folks here involved in the translation website?"),
                                                          ("Heather", "Hmm, not sure, sorry")))] == [(0,)]


def test_checking_a_pointer_out_is_no_task_and_an_edit_that_says_it_worked_closes_a_promise() -> None:
    assert action_items(_conv(("Sukera", "Have a look at PackageCompiler, it makes start-up much faster."),
                              ("Sarp", "Interesting, will check it out"))) == []
    assert action_items(_conv(("Kristoffer", "The `[compat]` of your package says julia 1.6, that's why it does not resolve."),
                              ("Alexis", "I see, thanks! I'll put the julia [compat] to 1.5 EDIT: it worked"))) == []
    kept = action_items(_conv(("Heather", "Could you look at the failing build on the release branch?"),
                              ("Michael", "Sure, I will look at it tomorrow")))
    assert [(item.messages, item.owner) for item in kept] == [((1,), "Michael")]



def test_a_reply_its_author_marks_as_a_joke_gives_way_to_a_real_point(shared_data: Path) -> None:
    # JuliaLang C67910KEH 1608237652.127000 (how much `@inbounds` speeds code up): "0x speedup is where you go out of
    # bounds and it segfaults :stuck_out_tongue:" had been a key point; the bounds check that helps the compiler is
    summary = summarize(load_thread(shared_data, "julialang", "C67910KEH", "1608237652.127000"), provider=None, max_points=5)
    shown = " ".join(p.text for p in summary.key_points)
    assert "segfaults" not in shown and "helps the compiler prove something" in shown


def test_a_code_answer_with_a_few_words_before_it_is_where_it_ended() -> None:
    conv = _conv(
        ("Ben", "Is there a way to enumerate `mapslices` other than keeping a counter outside the function?"),
        ("Sebastian", "you could enumerate `eachslice` and pass it into a `map`?"),
        ("Ben", "Unfortunately I'm deliberately avoiding `eachslice`, because `dims` in `eachslice` has the opposite meaning"),
        ("stillyslalom", "Cross-posting from Discourse,\n```julia> using JuliennedArrays\n\njulia> result = map(enumerate("
                         "Slices(v, dims...))) do (i, v)\n           sum(v)^i\n       end```"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (3,) and ended.text.startswith("Cross-posting from Discourse, `")
    assert "Slices(v, dims...)" in ended.text


def test_the_askers_own_plan_that_worked_is_shown_with_its_report_and_a_workaround_with_its_code() -> None:
    planned = outcome(_conv(
        ("Aditya", "Why does julia take a second to start here, and can I make quick demos start faster?"),
        ("Moelf", "it's your startup.jl loading Revise; with `--startup-file=no` it starts in 0.1s"),
        ("Aditya", "Gotcha - I think maybe I should just alias the versions with and without the startup flag for convenience"),
        ("Moelf", "yeah but Julia is not good for calling a small script 100x a minute anyways"),
        ("Aditya", "I did the alias and it works perfectly, thanks!"),
    ))
    assert planned is not None and planned.messages == (2, 4)
    assert "alias the versions" in planned.text and planned.reply == "I did the alias and it works perfectly, thanks!"
    coded = outcome(_conv(
        ("atiyo", "Is profiling broken on macOS? `@profile foo()` collects no samples at all."),
        ("Ian", "Unfortunately profiling is broken on macOS, seemingly due to a MacOS issue that Apple know about."),
        ("atiyo", "So I've found that profiling works on macOS, but only really rarely, which opens the way for a hacky "
                  "workaround:\n```Profile.clear()\nwhile Profile.len_data() == 0\n    @profile foo()\nend```"),
    ))
    assert coded is not None and coded.text.endswith("`Profile.clear(); while Profile.len_data() == 0; @profile foo(); end`")


def test_a_question_that_runs_into_its_code_after_other_than_shows_the_code() -> None:
    from bot.summaries.structure import in_full

    conv = _conv(("Ben", "Is there a way to \"enumerate\" `mapslices` other than\n```i = 0\nresult = mapslices(a; dims=1) do x\n"
                         "    i += 1\nend```"),
                 ("Sebastian", "you could enumerate `eachslice` and pass it into a `map`?"))
    sentence = conv.content[0][0]
    assert "other than `result = mapslices(a; dims=1) do x;" in in_full(conv, 0, sentence, sentence, words=45)


def test_where_it_ended_is_credited_to_whoever_said_it_even_when_shown_with_its_code() -> None:
    from bot.evals.rouge_sets import rendered_text

    messages = _messages(
        ("atiyo", "Is profiling broken on macOS? `@profile foo()` collects no samples at all."),
        ("Ian", "Unfortunately profiling is broken on macOS, seemingly due to a MacOS issue that Apple know about."),
        ("atiyo", "So I've found that profiling works on macOS, but only really rarely, which opens the way for a hacky "
                  "workaround:\n```Profile.clear()\nwhile Profile.len_data() == 0\n    @profile foo()\nend```"),
    )
    shown = rendered_text(summarize_offline(messages), messages)
    assert "Where it ended:** atiyo: So I've found that profiling works" in shown


def test_a_reply_that_names_someone_else_is_not_paired_with_the_message_before_it() -> None:
    from bot.models import Point
    from bot.summaries.extractive import _after_what_it_replies_to

    def paired(reply: str) -> str:
        conv = _conv(
            ("Philip", "When testing functions I want to check that none of the arguments are mutated. Any helper?"),
            ("Philip", "@Logan I copied the answer over to Discourse, but it's a shame I could not edit the title there"),
            ("eric", "did you tag the right Eric? I am not sure why I am being tagged in this thread at all"),
            ("Logan", reply),
        )
        point = Point(conv.content[3][0], ["4.0"])
        return _after_what_it_replies_to(point, 3, conv.messages, list(range(4)), conv, set(), conv.content[3][0]).text

    assert paired("@Philip agreed, it's a trust level thing on discourse").startswith("@Philip agreed")
    assert " — Logan: @eric agreed" in paired("@eric agreed, it's a trust level thing on discourse")


def test_asking_for_text_instead_of_a_screenshot_is_no_answer() -> None:
    from bot.summaries.structure import is_noise

    assert is_noise("It is better to paste code instead of an image.")
    assert not is_noise("It is better to paste the array into `reshape` instead of copying it.")


def test_a_confirmation_shown_as_where_it_ended_keeps_what_it_leans_on_but_no_aside(shared_data: Path) -> None:
    def ended(channel_id: str, thread_ts: str) -> str:
        summary = summarize(load_thread(shared_data, "julialang", channel_id, thread_ts), provider=None, max_points=5)
        assert summary.outcome is not None
        return summary.outcome.text

    # "… caused by an out of date version of Revise … With that fixed, I haven't run into anything yet"
    assert ended("C689Y34LE", "1611192563.000800").startswith("Thanks, actually looks like most of my issues were somehow caused by")
    # "Yes, I'm aware that new dev is moved to VSCode. Shame, I liked the Atom environment …" is left out
    assert ended("C674VR0HH", "1614619019.144200").startswith("I’m wondering if the issue is because other packages")


def test_laughter_marks_a_joke_only_when_the_message_names_no_code() -> None:
    from bot.summaries.structure import is_a_joke

    assert is_a_joke("Also, I'm amazed by seeing americans hard at work in the middle of the night :joy:")
    assert is_a_joke("Maybe someone could make the macro that generates the n! signatures :wink:")
    assert not is_a_joke("Yeah, but `A` is an instance of `DataType`, so you want the type of the type. A bit confusing. XD")
    assert not is_a_joke("Put the function first so the `do` syntax works :slightly_smiling_face:")


def test_a_bare_opened_an_issue_is_where_it_ended_on_its_own() -> None:
    ended = outcome(_conv(
        ("Nick", "is there any way to tell Parquet.jl to read a column as a `DateTime`?"),
        ("Nick", "If i load the table, then convert this column from `Int64` to `DateTime` then try to write it back out, "
                 "i get an error about the column type"),
        ("Nick", "oh, i think this is just not supported"),
        ("Nick", "opened an issue https://github.com/JuliaIO/Parquet.jl/issues/133"),
    ))
    assert ended is not None and ended.messages == (3,) and ended.reply is None


def test_the_opening_statement_after_its_question_is_shown_whole_without_the_question() -> None:
    from bot.summaries.structure import in_full

    conv = _conv(("Will", "Can anyone think of a reason `foo.load(\"bar.lp\")` doesn't work in PyCall but "
                          "`py\"\"\"foo.load(\"bar.lp\")\"\"\"` does? I get a parsing failed error from the first example. "
                          "Indeed every string I pass into this package gives that error unless I use the exec or eval strings"),
                 ("Simeon", "Maybe the string is escaped differently; try `py\"...\"` with raw strings"))
    sentence = conv.content[0][1]
    assert in_full(conv, 0, sentence, sentence, words=45) == (
        "I get a parsing failed error from the first example. Indeed every string I pass into this package gives that "
        "error unless I use the exec or eval strings")


def test_a_question_and_a_reply_sharing_only_a_common_word_are_not_paired() -> None:
    from bot.summaries.structure import answers_question_before

    looked = _conv(("Dave", "Why does `===` on my struct behave like that when I define a method for it?"),
                   ("Dave", "I guess I am shadowing it somehow, but I cannot see where"),
                   ("stefan", "Look at the generated code?"),
                   ("Dave", "Maybe this isn't technically adding a method, but it does look like it: `struct Foo; x; end`"))
    assert answers_question_before(looked, 3) is None
    asked = _conv(("Ari", "I made a plot of all the julia packages and their dependencies, it's pretty"),
                  ("Mose", "Nice! Is the code for this available?"),
                  ("Ari", "the actual code to make this is like 4 lines, I'll put it in a gist"))
    assert answers_question_before(asked, 2) == 1


def test_the_last_word_that_answers_what_its_author_said_last_is_where_it_ended() -> None:
    turns = [
        ("Dodd", "Is anyone using ModelingToolkit for shape optimisation of photonic devices with an adjoint solver?"),
        ("chris", "I assume you found the PDE-constrained optimisation example in DiffEqFlux and the sparse Jacobian tutorial"),
        ("Dodd", "Thanks, the second is new to me. I have been able to get a solver and the adjoint solver working, and "
                 "figured out the sensitivities, so it is solved for fixed shapes."),
        ("Dodd", "Do you think ModelingToolkit.Num types could be used with parameterized shapes in this context?"),
    ]
    answered = outcome(_conv(*turns, ("chris", "You'd have to do it on the internal scalars of the parameterized shapes. "
                                               "You'd basically flatten it all down.")))
    assert answered is not None and answered.messages == (4,)
