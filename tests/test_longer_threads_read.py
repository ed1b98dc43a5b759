"""Where a longer thread ended and sentences read whole (issue 11, thirty-third round, read on threads of 6–20
replies): a slip struck through is taken back, a second thanks after a longer one closes on the answer, the asker's
thanks that names a find is shown, a go-ahead is shown after what it allows, "works fine but …" resolves nothing, a
sentence goes on across a one-line code block after "e.g.", and a pause before a number is no sentence end."""

from __future__ import annotations

from bot.evals.rouge_sets import rendered_text
from bot.summaries.extractive import _past_own_short, summarize_offline
from bot.summaries.sentences import split_sentences
from bot.summaries.structure import Conversation, is_decision, is_noise
from tests.test_asker_closes import _messages


def _ended(*turns: tuple[str, str]) -> str:
    messages = _messages(*turns)
    shown = rendered_text(summarize_offline(messages), messages)
    return next(line for line in shown.splitlines() if line.startswith("**Where it ended:**"))


def test_a_slip_struck_through_at_a_lines_start_is_taken_back() -> None:
    assert split_sentences("~@U01B4PFMH62 woops~ :sweat_smile:, @Rasmus this is really helpful!") == [
        ":sweat_smile:, @Rasmus this is really helpful!"]
    assert split_sentences("~all of it~") == []
    assert split_sentences("see ~/.julia/config and ~5 ms") == ["see ~/.julia/config and ~5 ms"]  # no strike
    settled = "~Is there a setting to make Julia 1.6 not precompile on every load?~ Found it: `JULIA_PKG_PRECOMPILE_AUTO=0`"
    assert split_sentences(settled)[0].startswith("~Is there a setting")  # a longer struck question is the topic


def test_a_second_thanks_after_a_longer_one_closes_on_the_answer() -> None:
    turns = (("James Cook", "Is there a lazy version of `get!(dict, key, default)` where `default` is evaluated only if "
                            "the value doesn't already exist for that key?"),
             ("christopher-dG", "There's a lazy `get` but I don't think a mutating equivalent"),
             ("Mason Protter", "You could write a macro which does it pretty easily"),
             ("Rasmus Henningsson", "Most of the time you get away with something like `get!(()->zeros(3), dict, key)` since "
                                    "the function will not be called if the key exists in the dict."),
             ("James Cook", "That's perfect. I didn't realise that the arguments could go in that order. Thanks very much."))
    ended = _ended(*turns, ("James Cook", "~@U01B4PFMH62 woops~ :sweat_smile:, @Rasmus Henningsson this is really helpful!"))
    assert "Rasmus Henningsson: Most of the time you get away with" in ended
    assert "woops" not in ended and "really helpful" not in ended
    assert ended == _ended(*turns)  # the second thanks changes nothing


def test_the_askers_thanks_that_names_what_they_took_is_shown() -> None:
    ended = _ended(
        ("bottine", "Say I have a custom type `T` and two instances `t0, t1`. Can I use multiple dispatch to give `t0` "
                    "and `t1` their own implementations of `f`?"),
        ("Gabriel Baraldi", "What differentiates t_0 and t_1?"),
        ("bottine", "Say I want `square(t::T) = t*t` but for efficiency `square(t0) = 0` and `square(t1) = 1`."),
        ("Gabriel Baraldi", "https://discourse.julialang.org/t/how-to-dispatch-by-value/43266/2\n"
                            "this thread does what you want. But its not necessarily cleaner"),
        ("bottine", "Ah, thanks, this package seems nice: https://github.com/schlichtanders/WhereTraits.jl"))
    assert "this thread does what you want" in ended
    assert ended.index("this thread does") < ended.index("WhereTraits.jl")  # the answer, then what the asker took


def test_a_go_ahead_is_shown_after_what_it_allows() -> None:
    ended = _ended(
        ("quinnj", "For deserialization, what do you think about parsing a metadata type name of the form "
                   "`JuliaLang.UUID` as `(Val(:JuliaLang), Val(:UUID))` and overloading `fromarrow` on it?"),
        ("jrevels", "ooohh that feels really elegant from my perspective at least"),
        ("ericphanson", "what about extending the tuple idea to handle type parameters?"),
        ("jrevels", "eh, I feel like that'd be overkill. if we had an overloadable `arrowname` callers could get as "
                    "specific as they want"),
        ("jrevels", "@quinnj would mind copy/pasting your proposal above to https://github.com/JuliaData/Arrow.jl/issues/88 ? "
                    "just to avoid it getting eaten by the ol slack monster"),
        ("quinnj", "Please do. Hoping to actually start working on it tonight, but have a few other things."))
    assert "copy/pasting your proposal above" in ended and "Please do." in ended
    assert ended.index("copy/pasting") < ended.index("Please do.")


def test_what_works_but_falls_short_is_not_where_it_ended() -> None:
    ended = _ended(
        ("JuliaLover", "I am trying a hessian-free method to approximate the hessian vector product, but I can't get "
                       "the values from `grads2`: indexing it returns nothing."),
        ("Andres Riedemann", "Can you share which packages you use?"),
        ("JuliaLover", "I use Flux and LinearAlgebra alone for this example."),
        ("JuliaLover", "It still works fine but I want to get those values. Im not sure how to @Andres Riedemann"),
        ("Andres Riedemann", "Also, I see that you are indexing with `i`, is that correct? If you want indices the "
                             "correct way is `eachindex(params)`"),
        ("JuliaLover", "```MethodError: no method matching keys(::Zygote.Params)```\n"
                       "It says this when I tried to do `eachindex(params)` @Andres Riedemann"))
    assert "It still works fine" not in ended
    assert "when I tried to do `eachindex(params)`" in ended


def test_a_sentence_goes_on_across_a_one_line_code_block_after_eg() -> None:
    said = ("Yes, but that trims only the message. The variables I log when using e.g.\n"
            "```@info \"my message\" var1 var2```\n"
            "are not in message field, but in kwargs.")
    assert split_sentences(said) == ["Yes, but that trims only the message.",
                                     "The variables I log when using e.g. `@info \"my message\" var1 var2` are not in "
                                     "message field, but in kwargs."]
    ended = "The variables I log are these:\n```@info \"my message\" var1 var2```\nare not in message field."
    assert split_sentences(ended) == ["The variables I log are these:", "are not in message field."]  # (":" ends it)


def test_a_pause_before_a_number_goes_on() -> None:
    assert split_sentences("3 students gave labels 1, ... 8 of those texts. Next one.") == [
        "3 students gave labels 1, ... 8 of those texts.", "Next one."]
    assert split_sentences("It failed... Then I rebooted.") == ["It failed...", "Then I rebooted."]


def test_a_thanks_for_someones_own_plan_is_no_task() -> None:
    messages = _messages(
        ("Datseris", "Can you give me a link to a documenter markdown file so I can see how you save the figures?"),
        ("fabgrei", "I am currently trying the same. I will steal code from here: "
                    "https://github.com/JuliaPlots/AbstractPlotting.jl/blob/master/docs/src/makielayout/tutorial.md"),
        ("Datseris", "thanks, will do!"))
    tasks = summarize_offline(messages).action_items
    assert not any("steal code" in p.text or "will do" in p.text for p in tasks)
    asked = _messages(
        ("Ricardo", "Creating a gif with Luxor fails with ffmpeg ENOENT, but only in the VS Code REPL."),
        ("cormullion", "Those VSCode guys are good. If you open an issue on Luxor and add a few details about versions "
                       "I'll have a look and see what I can find"),
        ("Ricardo", "Hahaha. Ok, I'll do that."))
    assert [p.owner for p in summarize_offline(asked).action_items] == ["@Ricardo"]  # a tip to them is theirs to do


def test_help_asked_for_is_no_task_once_its_asker_says_it_works() -> None:
    turns = (("Datseris", "Simply returning the `figure` object at the end of the `@example` block is enough to display it."),
             ("fabgrei", "@Datseris would you mind posting a code snippet? It doesn't work for me."))
    open_ = summarize_offline(_messages(*turns)).action_items
    assert [p.owner for p in open_] == ["@Datseris"]
    done = summarize_offline(_messages(*turns, ("fabgrei", "oh, it works now. My bad."))).action_items
    assert done == []


def test_a_decision_only_remembered_is_none() -> None:
    thought = "I thought it was decided that the intermediaries created by `mapreduce` are the problem :thinking_face:"
    assert summarize_offline(_messages(("Oscar", "Why is the zip version 35x slower than the for loop?"),
                                       ("Sukera", thought))).decisions == []
    assert is_decision("We decided that the intermediaries are the problem.")
    assert is_decision("Ok, we are creating a separate survey for the IDE teams so that they can act on it.")
    assert not is_decision("Otherwise, we are creating the expectation of work from them (and the teams are really small).")


def test_a_line_with_a_number_after_a_tools_name_is_no_command() -> None:
    assert not is_noise("Python 0.86 seconds")  # a benchmark's result, beside "Julia: 1.29 seconds"
    assert not is_noise("julia 1.6 is out now and it is much faster")
    assert is_noise("python setup.py install") and is_noise("julia --project=. script.jl")


def test_a_bare_resolved_shows_what_its_asker_said_solved_it() -> None:
    turns = (("Atreya", "I am using Documenter.jl and the plots of my `@example` block are not showing up, only the code is."),
             ("fredrikekre", "What is `typeof(plot(...))`?"),
             ("Atreya", "I tried adding a print statement but it does not show up either."),
             ("fredrikekre", "Can you push this to a public branch?"),
             ("Atreya", "Resolved. Thank you."))
    assert "because" not in _ended(*turns)
    ended = _ended(*turns, ("fredrikekre", "What was the problem?"),
                   ("Atreya", "@fredrikekre The prints and plots were not showing up because they came after the line "
                              "that was throwing the error, so the execution never reached that point in the first place."))
    assert "Resolved." in ended and "so the execution never reached that point in the first place." in ended
    assert ended.index("Resolved.") < ended.index("because")


def test_asking_for_a_moment_is_no_task() -> None:
    messages = _messages(("Atreya", "The plots of my `@example` block are not showing up in the built docs."),
                         ("fredrikekre", "Can you push this to a public branch?"),
                         ("Atreya", "Yeah sure, a moment please"))
    assert not any("a moment" in p.text for p in summarize_offline(messages).action_items)
    asked = _messages(("Atreya", "The plots of my `@example` block are not showing up in the built docs."),
                      ("fredrikekre", "Can you push this to a public branch?"),
                      ("Atreya", "Yeah sure. @fredrikekre send me the log of your local build please"))
    assert [p.owner for p in summarize_offline(asked).action_items] == ["@fredrikekre"]  # a real ask still is one


def test_what_its_author_takes_back_with_wait_no_is_no_headline() -> None:
    messages = _messages(
        ("vchuravy", "The build of the sysimage fails on the tester since your PR was merged: `LLVM ERROR: out of memory`"),
        ("maleadt", "that didn't happen locally or in the build of the PR -- weird."),
        ("maleadt", "I can't fix right now though, so feel free to revert that PR and I'll look at it first thing tomorrow"),
        ("maleadt", "wait, no, that's an earlier version of the PR?"),
        ("maleadt", "seems to work fine on master: https://build.julialang.org/#/builders/41/builds/7078"),
        ("vtjnash", "Tends to mean you pushed a commit to master that didn't build cleanly"))
    summary = summarize_offline(messages)
    assert "feel free to revert" not in summary.overview
    assert not any("feel free to revert" in p.text for p in summary.key_points)


def test_the_askers_that_might_be_the_issue_is_shown_after_the_answer() -> None:
    ended = _ended(
        ("Boris", "Julia calls `LinearAlgebra._generic_matmatmul!` somewhere in my code and it is infuriatingly slow. How "
                  "do I find out with which arguments the fallback is called?"),
        ("Sukera", "yeah, probably Profile would be best - or you step through a sample code with Debugger.jl"),
        ("Sukera", "from the sounds of it, somewhere along the way broadcasting needed a common container to fill "
                   "elements into and `Array` was that fallback container"),
        ("Boris", "aha interesting.. that might be the issue at hand indeed"))
    assert "`Array` was that fallback container — Boris: aha interesting.. that might be the issue" in ended


def test_the_askers_progress_after_a_bracketed_aside_is_where_it_ended() -> None:
    ended = _ended(
        ("Felipe", "I'm writing a simple molecule viewer with Makie. How do I draw bonds between atoms as cylinders?"),
        ("ffreyer", "You can use a mesh of a cylinder and rotate it for each bond with `rotation = …` in `meshscatter`."),
        ("Felipe", "Oh nice, I'll try that. This will probably need some sort of AbstractMolecule struct, is anyone "
                   "working on an interface?"),
        ("Benoit", "I know only a bit about Bio.jl that can deal with some sort of molecules"),
        ("Benoit", "(that I don't use because I'm working with molecules too simple for it to be worth ^^)"),
        ("Felipe", "(Related: I made a PR recently to PeriodicTable.jl with some CPK colors "
                   "https://github.com/JuliaPhysics/PeriodicTable.jl/pull/35)"),
        ("Felipe", "Some progress with a simple viewer so far. The trick of rotating the cylinders is pretty neat, "
                   "thanks @ffreyer!"))
    assert "Some progress with a simple viewer so far." in ended and "Related:" not in ended
    assert "worth ^^" not in ended  # its thanks does not make it give way to the aside before it


def test_a_promise_its_owner_says_they_did_is_done() -> None:
    turns = (("multiply", "Is there a builtin like `filter` but that returns two arrays, for the trues and the falses?"),
             ("multiply", "I'll just write my own."),
             ("extradosages", "Think that'll work? `double_filter(predicate, iter) = foldl(accumulate, iter, init=([], []))`"),
             ("Moelf", "you can get a mask by doing `mask = predicate.(ary)` then `ary[mask]` and `ary[.~(mask)]`"))
    assert [p.owner for p in summarize_offline(_messages(*turns)).action_items] == ["@multiply"]
    done = _messages(*turns, ("multiply", "Hey, thanks for the suggestions. I basically did your first one."))
    assert summarize_offline(done).action_items == []
    found = _messages(("Mark", "Where does the REPL keep its history file on Windows?"),
                      ("Mark", "Looks like I'm going to have to go into my old friend, the REPL module"),
                      ("Mark", "Got it:\n```julia> import REPL\n\njulia> REPL.find_hist_file()```"))
    assert summarize_offline(found).action_items == []


def test_a_short_question_that_leans_on_that_is_no_open_question() -> None:
    turns = (("multiply", "Is there a builtin like `filter` but that returns two arrays, for the trues and the falses?"),
             ("Moelf", "you can get a mask by doing `mask = predicate.(ary)` then `ary[mask]` and `ary[.~(mask)]`"),
             ("multiply", "Hey, thanks for the suggestions. I basically did that."),
             ("extradosages", "@multiply I followed your QR code"))
    leaning = summarize_offline(_messages(*turns, ("extradosages", "Where'd you see that?"))).open_questions
    assert leaning == []
    specific = summarize_offline(_messages(*turns, ("bottine", "is locking overhead that bad?"))).open_questions
    assert [p.text for p in specific] == ["is locking overhead that bad?"]


def test_a_thanks_shown_after_the_ending_is_no_key_point_again() -> None:
    messages = _messages(
        ("Axel", "on my freshly installed julia v1.4.1 on Windows 10, when I do `run(`echo hello`)` I get the error "
                 "`IOError: could not spawn 'echo hello': no such file or directory (ENOENT)`, any idea what's wrong ?"),
        ("Moelf", "windows does not have echo (exposed)"),
        ("Axel", "Actually I came accros this trying ro run a shortcut file where I got the same error"),
        ("Moelf", "it is explained in the doc"),
        ("Axel", "Thanks for the explanation, I did not find it when looking for the error"))
    summary = summarize_offline(messages)
    assert summary.outcome is not None
    shown = rendered_text(summary, messages)
    assert shown.count("I did not find it when looking for the error") == 1


def test_a_reply_that_leans_on_code_is_shown_after_that_code() -> None:
    shown = rendered_text(*(lambda m: (summarize_offline(m), m))(_messages(
        ("affans", "I have a named tuple with 28 entries, where each entry itself is an array of 728 elements. Is there a "
                   "way to index this all at once?"),
        ("affans", "I can do `nn = [x[1:80] for x in _yvals]` but this ends up giving me an array rather than a named tuple."),
        ("Alexander Plavin", "Can't you just use `map`?\n```map(x -> 2x, nt)```"),
        ("Jonatan Werpers", "Indeed, that is much nicer!"))))
    assert "Can't you just use `map`? `map(x -> 2x, nt)` — Jonatan Werpers: Indeed, that is much nicer!" in shown


def test_an_answer_is_shown_after_the_question_a_remark_followed() -> None:
    messages = _messages(
        ("Max", "Is there a way to set the Julia DEPOT_PATH variable by a command line argument?"),
        ("fredrikekre", "No, but you can use the `JULIA_DEPOT_PATH` environment variable."),
        ("Max", "if it's set global in a linux environment, can I overwrite it as a user? I need to overwrite the default "
                "variable of the server"),
        ("Max", "I'm actually a bit scared to break things on the shared server"),
        ("fredrikekre", "Julia will use whatever the environment variable is when you start Julia so yea you can overwrite it."),
        ("Max", "OK it should only persist the shell session where I `export` it, so I think it's fine"),
        ("pfitzseb", "you can also only set it for the Julia session with `JULIA_DEPOT_PATH=/foo/bar julia`"),
        ("Max", "ahhhhhh true! I actually sought this version"))
    shown = rendered_text(summarize_offline(messages), messages)
    assert "can I overwrite it as a user? — fredrikekre: Julia will use whatever the environment variable is" in shown
    assert "scared to break things" not in shown  # never the remark in between


def test_a_reply_after_its_authors_own_short_question_is_shown_after_what_it_answers() -> None:
    conv = Conversation(_messages(
        ("Julius", "I'd like to build a plotting recipe on top of `groupby`, so that each group gets its own color."),
        ("Peter", "`gd.keymap` is a `Dict`, so I think there isn't a guaranteed order for `red => 1, blue => 2` etc."),
        ("Julius", "I assume the keymap keeps the insertion order?"),
        ("Julius", "then when plotting in that for loop I can give lucy in iteration 3 the correct color for her `name`, etc.")))
    assert _past_own_short(conv, 3) == 1  # past its author's "right?", to what it replies to
    assert _past_own_short(conv, 1) is None  # (the nearest message before is what it leans on)
    longer = Conversation(_messages(
        ("Julius", "I'd like to build a plotting recipe on top of `groupby`, so that each group gets its own color."),
        ("Peter", "`gd.keymap` is a `Dict`, so I think there isn't a guaranteed order for `red => 1, blue => 2` etc."),
        ("Julius", "right, so I would sort the keys first and then assign the colors in that order for every group"),
        ("Julius", "then when plotting in that for loop I can give lucy in iteration 3 the correct color for her `name`, etc.")))
    assert _past_own_short(longer, 3) is None  # its own longer message is what it goes on from
