"""Where a thread ended, shown with the words that say it (issue 11, twenty-seventh round): the last short answer
cited beside what it answers is shown too (a package, inline code, another way, a code guess, a yes, a link, a list),
the answer the asker took up is where it ended (after a clarifying question, a remark after thanks, "oh right of
course", "So … is perfect"), what is no ending stays out (encouragement, an objection taken back, bridge talk), and
the sections follow (tries done on a success report, doubts and thankful promises no tasks, no open question the
ending shows)."""

from __future__ import annotations

from bot.evals.rouge_sets import rendered_text
from bot.summaries.extractive import summarize_offline
from bot.summaries.structure import Conversation, action_items, open_questions, outcome
from tests.test_thread_endings import _conv, _m

_INTEGRATION = (
    ("Max", "What is the recommended way to do numerical integration in Julia, like NIntegrate in Mathematica?"),
    ("Moelf", "QuadGK is pretty good. Do you need higher dimensional?"),
    ("Max", "cool, I'll check QuadGK out, thanks! Right now I'm just considering 1D integrals"),
)
"""A question, an answer, and the asker's thankful promise to check it out."""


def _ended(conv: Conversation) -> tuple[tuple[int, ...], str, str | None]:
    ended = outcome(conv)
    assert ended is not None
    return ended.messages, ended.text, ended.reply


def test_a_short_last_answer_naming_a_package_or_code_is_shown_beside_what_it_answers() -> None:
    packaged = _conv(
        *_INTEGRATION,
        ("chris", "Quadrature.jl is the closest."),
    )
    messages, _, reply = _ended(packaged)
    assert messages[-1] == 3 and reply == "Quadrature.jl is the closest."
    coded = _conv(
        ("piever", "Is there a simple way to select columns by a property in a `DataFrame`? All columns with no missing entries"),
        ("nalimilan", "Not really, but `[n for (n, col) in eachcol(df, true) if !any(ismissing, col)]` isn't too bad?"),
        ("piever", "ah, yes, thanks! `eachcol` is probably what I was looking for"),
        ("nalimilan", "We discussed supporting something like this in `names`, but it's not easy to find a much more concise one."),
        ("nalimilan", "Maybe there could be something like `select(df, Condition(col -> !any(ismissing, col))`."),
        ("bkamins", "or eg. `df[:, findall(predicate, eachcol(df))]`"),
    )
    messages, _, reply = _ended(coded)
    assert messages[-1] == 5 and reply == "or eg. `df[:, findall(predicate, eachcol(df))]`"
    vague = _conv(  # no code, number or package: nothing specific to show
        *_INTEGRATION,
        ("chris", "that one is the closest."),
    )
    assert _ended(vague)[2] is None


def test_another_way_its_author_adds_after_an_answer_is_shown_not_only_cited() -> None:
    conv = _conv(
        ("Adam", "What is the best practice for importing big packages? One module of my program takes all week to load."),
        ("Oscar", "1.6 helps a ton if you don't mind waiting a couple weeks or downloading a nightly"),
        ("Oscar", "You also could check out package compiler"),
    )
    messages, text, reply = _ended(conv)
    assert messages == (1, 2) and text.startswith("1.6 helps a ton") and reply == "You also could check out package compiler"
    concluded = _conv(  # a conclusion of the explanation, no other way: still only cited
        ("Adam", "Why does `a & b == c` parse like that?"),
        ("Oscar", "`&` is bitwise and, which is a well defined operation for `Int` and it binds tighter than you think"),
        ("Oscar", "the precedence here is expected"),
    )
    assert _ended(concluded)[2] is None


def test_the_askers_remark_after_their_thanks_gives_way_to_the_answer_thanked() -> None:
    conv = _conv(
        ("azzaare", "Quick question, what is the syntax to add Julia 1.6-RC1 to CI? `1.6` obviously doesn't work!"),
        ("tmthyln", '`"^1.6.0-0"`\n\nRelevant discourse message: https://discourse.julialang.org/t/54775/3'),
        ("azzaare", "Thanks!"),
        ("azzaare", "I ended up using a new feature without paying attention ... I guess 1.6 is too comfortable"),
    )
    messages, text, _ = _ended(conv)
    assert messages == (1,) and text.startswith('`"^1.6.0-0"`. Relevant discourse message')
    reported = _conv(  # what the asker did after the answer is where it ended
        ("umair", "Why do I get `TypeError: non-boolean (Missing) used in boolean context` in this loop?"),
        ("Mark", "I think that line should check `ismissing(predicate)` before it uses the predicate in the ifelse"),
        ("umair", "Thanks a lot!"),
        ("umair", "I have now addressed the missing value problem explicitly at the beginning of the loop"),
    )
    assert _ended(reported)[0] == (3,)
    asked = _conv(  # thanks with a question are no closing thanks
        ("Kamil", "Many of your ideas are among the projects proposed for this year's Google Summer of Code."),
        ("Andrew", "I'm a physics student with experience in ML and computational physics."),
        ("Kamil", "But finding these topics can be quite hard, since there are so many of them."),
        ("Andrew", "Yeah thanks, I had no idea! How could I contribute?"),
        ("Andrew", "That's if I can contribute at all"),
    )
    assert _ended(asked)[0][-1] == 4


def test_a_suggestion_put_as_a_bare_imperative_is_an_answer_and_no_open_question() -> None:
    conv = _conv(
        ("William", "Is there a way to `wait()` on several conditions, and wake up when any single one is notified?"),
        ("Ian", "make all the conditions `notify` the same `Condition`, and just wait on that single `Condition`?"),
        ("William", "In my case, I need to know which of many conditions is notified via a c callback, as soon as one is"),
        ("Ian", "Use a `Channel{Symbol}` and `take!` from the channel?"),
        ("William", "Thanks, that's a good idea. Just not sure how to do that through uv_async_end"),
    )
    messages, text, _ = _ended(conv)
    assert messages == (3, 4) and text == "Use a `Channel{Symbol}` and `take!` from the channel?"
    assert open_questions(conv) == []
    asked = _conv(("Ann", "Does anyone know how to make sense of this stack trace?"), ("Bo", "no idea, sorry"))
    assert [item.messages for item in open_questions(asked)] == [(0,)]


def test_talk_about_the_discourse_bridge_is_no_part_of_where_a_thread_ended() -> None:
    conv = _conv(
        ("Feng", "I have a for loop over several hundred files. How do I run it on the first 10 files only?"),
        ("Jordan", "assuming that files is an array of filenames then ```for file in files[1:10]\n    do something\nend```"),
        ("Feng", "@Jordan Thanks!"),
        ("Syx", "You have to react with the bridge on the initial message. I'll react with a smiley face to show where it is."),
        ("Feng", "@Syx got you. done. Thanks"),
    )
    assert _ended(conv)[0][0] == 1


def test_a_yes_in_a_two_message_thread_is_shown_after_the_question_it_answers() -> None:
    messages, text, reply = _ended(_conv(
        ("Aidan", "just to be clear, Ch. 1-3 is through page 28, right? I'm getting confused between the chapters"),
        ("Heather", "Yes that's right!")))
    assert messages == (0, 1) and "through page 28, right?" in text and reply == "Yes that's right!"
    messages, text, reply = _ended(_conv(
        ("Daniel", "Plots suddenly fails with a method error after I updated the package, any idea why?"),
        ("Michael", "Yup Revise state error. Restart fixes")))
    assert messages == (0, 1) and text.startswith("Plots suddenly fails") and reply == "Yup Revise state error. Restart fixes"


def test_someone_elses_link_in_a_short_thread_is_shown_after_the_opening_question_it_answers() -> None:
    answered = _conv(
        ("Hayate", "What is the current status of this proposal https://github.com/stevengj/subsuper-proposal ? It would "
                   "add all sub and super script alphabets to Unicode."),
        ("mose", "https://github.com/stevengj/subsuper-proposal/issues/10"),
    )
    messages, text, reply = _ended(answered)
    assert messages == (0, 1) and text.startswith("What is the current status") and reply and reply.endswith("/issues/10")
    own = _conv(  # the asker's own link after their own question: it is what they found, shown alone
        ("Fabian", "I think I recently saw a link to an MIT course that made heavy use of Julia. Would someone have the link?"),
        ("Fabian", "https://computationalthinking.mit.edu/Spring21/"),
    )
    assert _ended(own)[0] == (1,)


def test_a_done_said_first_stays_in_front_of_what_the_message_goes_on_to_say() -> None:
    conv = _conv(
        ("Elin", "Oh and you will need to email for an account on bugzilla."),
        ("Elio", "I need to send an email to bug-report-request@r-project.org, right?"),
        ("Lluis", "Yes, you can also read this guide https://forwards.github.io/rdevguide/bug-tracking.html"),
        ("Elio", "Ok. Sent. Let's see how it goes. At the very least, I'll write my experience in a blogpost"),
    )
    assert _ended(conv)[1].startswith("Ok. Sent. ")


def test_a_thankful_promise_to_check_a_named_thing_out_is_no_action_item() -> None:
    conv = _conv(*_INTEGRATION)
    assert action_items(conv) == []
    promised = _conv(("Ann", "Can someone check the release notes before Friday?"), ("Bo", "I'll check the notes out tonight"))
    assert [item.owner for item in action_items(promised)] == ["Bo"]


def test_a_short_opening_question_that_names_its_subject_is_the_overview() -> None:
    messages = [
        _m("1.0", "Phil", "What is the '->' operator doing?\nas in:\n```function linear(in, out)\n  x -> W * x .+ b\nend```"),
        _m("2.0", "fredrik", "Creates an anonymous function."),
        _m("3.0", "Phil", "ah, I realized this right as you replied. Thanks."),
        _m("4.0", "Sukera", "it's syntactic sugar for creating a callable struct"),
    ]
    assert "What is the '->' operator doing?" in rendered_text(summarize_offline(messages), messages)
    vague = [_m("1.0", "Phil", "What could be wrong?\n```x -> W * x .+ b```"), *messages[1:]]
    assert "What could be wrong?" not in rendered_text(summarize_offline(vague), vague)


def test_a_yes_with_a_link_on_its_own_line_is_shown_once() -> None:
    messages = [
        _m("1.0", "Nikolai", "Is there a way to hide warnings produced by a specific module? I'm using `AdvancedHMC` and "
                             "it warns every time a sample is rejected."),
        _m("2.0", "oxinabox", "Yes, LoggingExtras.jl does this\nhttps://github.com/oxinabox/LoggingExtras.jl#filterout"),
        _m("3.0", "Nikolai", "Awesome! Thank you"),
    ]
    shown = rendered_text(summarize_offline(messages), messages)
    assert "— oxinabox: Yes, LoggingExtras.jl does this https://github.com/oxinabox/LoggingExtras.jl#filterout" in shown
    assert shown.count("LoggingExtras.jl does this") == 1


def test_what_worked_is_the_code_given_before_a_question_the_asker_answered() -> None:
    conv = _conv(
        ("Ruben", "how can i load a module from another file within my workspace"),
        ("Ruben", "i want to import it in this way so i can directly take those functions"),
        ("Charlie", "I think you need `using .Functions: ...`"),
        ("Charlie", "`functions.jl` is a module?"),
        ("Ruben", "my module"),
        ("Ruben", "it worked"),
    )
    messages, text, reply = _ended(conv)
    assert messages == (2, 5) and text == "I think you need `using .Functions: ...`" and reply == "it worked"


def test_encouragement_after_an_answer_is_not_where_a_thread_ended() -> None:
    conv = _conv(
        ("George", "When using Makie, should I always draw objects into an Axis? Or can I plot directly into a scene?"),
        ("Julius", "if you just need a blank 2D canvas without scaling just do `scene = Scene(camera = campixel!)`"),
        ("George", "Got it, thanks! And if I want things to scale up and down when users resize, I need an Axis?"),
        ("Julius", "a campixel scene will just get more pixels when resizing, not scale stuff"),
        ("Julius", "just try it out a bit to get a feel for things"),
        ("George", "Okay, thank you!"),
    )
    assert _ended(conv)[1] == "a campixel scene will just get more pixels when resizing, not scale stuff"


def test_the_askers_own_answer_with_code_at_the_end_is_where_it_ended() -> None:
    conv = _conv(
        ("Cedar", "How do I check boxes programmatically in an Interact.jl `checkboxes` widget?"),
        ("Max", "perhaps `options[1][] = true` would do the trick"),
        ("Cedar", "I opened an issue as well now here: https://github.com/JuliaGizmos/Interact.jl/issues/386"),
        ("Max", "Weird! Good that you filed an issue"),
        ("Cedar", "Hey @Max if you are curious, here is the answer to how to do this:\n\n```options = [\"a\", \"b\"]\n"
                  "checkboxes(options, value = value)```\n@piever helped me."),
    )
    messages, text, _ = _ended(conv)
    assert messages == (4,) and text.startswith("if you are curious, here is the answer to how to do this: `")


def test_the_try_asked_for_is_shown_with_the_success_it_led_to() -> None:
    conv = _conv(
        ("Mikko", "When I add GLMakie I get ERROR: Unable to automatically install 'Xorg_libpthread_stubs'"),
        ("fredrik", "Looks like `wget` is broken on your system? Can you `wget` stuff from outside of julia?"),
        ("Mikko", "No, when I tried it, became memory overflow"),
        ("mose", "From Julia it exits with 11, which should be segmentation fault, not great. Can you try to install curl "
                 "instead?"),
        ("Mikko", "Yes, let's see.."),
        ("Mikko", "At least all parts of GLMakie are downloaded successfully and most of test are passed. Thank you very much!"),
    )
    messages, text, reply = _ended(conv)
    assert messages == (3, 5) and text.endswith("Can you try to install curl instead?")
    assert reply is not None and reply.startswith("At least all parts of GLMakie are downloaded successfully")


def test_an_answer_that_opens_with_its_code_keeps_it_in_front() -> None:
    conv = _conv(
        ("Lado", "What's a julia version of `aa = []; aa.append([1,2,3,4])`? Start with an empty list and append to it"),
        ("Moelf", "`push!()` . Here aa would be `Any[]`, not recommended for performance concern. At least make it "
                  "something like: `aa = Vector{Int64}[]`"),
        ("Lado", "OK, it works. No idea what I was doing wrong in the beginning."),
    )
    assert _ended(conv)[1].startswith("`push!()`. Here aa would be `Any[]`")


def test_a_link_to_meeting_recordings_is_an_answer_not_an_invitation() -> None:
    conv = _conv(
        ("Heather", "Sorry I did not post the link to the recording in time! I will post it now for anyone who wants it."),
        ("Heather", "@gwynn in case this happens again, note that you can access recordings on the R Project Zoom "
                    "account (https://us02web.zoom.us/recording)."),
        ("gwynn", "Thanks! I didn't realize this!"),
    )
    messages, text, _ = _ended(conv)
    assert messages == (1, 2) and "you can access recordings" in text
    invited = _conv(("Heather", "Session 2 starts now"), ("Heather", "Join at https://us02web.zoom.us/j/123456"),
                    ("gwynn", "Thanks! Joining now"))
    assert _ended(invited)[0][0] != 1


def test_a_reply_that_is_only_code_put_as_a_question_is_shown_after_the_question() -> None:
    conv = _conv(
        ("Tom", "Is there an easy way to turn a UUID4 object into `Vector{UInt8}`?"),
        ("Tom", "I thought about removing the hyphens and then do `hex2string` but that's inefficient."),
        ("pfitzseb", "`collect(reinterpret(UInt8, [uuid4()]))`?"),
        ("Tom", "ah that's a great solution! thanks"),
    )
    messages, text, reply = _ended(conv)
    assert messages == (0, 3, 2) and text.startswith("Is there an easy way") and reply == "`collect(reinterpret(UInt8, [uuid4()]))`?"
    unthanked = _conv(("Justin", "how would I go about parsing a json file into a dataframe"),
                      ("Moelf", "`DataFrame(JSON3.read(read(filepath, String)))`?"))
    assert _ended(unthanked)[0] == (0, 1)


def test_a_try_asked_for_or_promised_is_done_once_its_owner_reports_success() -> None:
    asked = _conv(
        ("Mikko", "When I add GLMakie I get ERROR: Unable to automatically install 'Xorg_libpthread_stubs'"),
        ("mose", "From Julia it exits with 11, which should be segmentation fault. Can you try to install curl instead?"),
        ("Mikko", "Yes, let's see.."),
        ("Mikko", "At least all parts of GLMakie are downloaded successfully and most of test are passed. Thank you!"),
    )
    assert action_items(asked) == []
    promised = _conv(
        ("Max", "I'd like to debug a crash in C code I ccall into, but lldb fails to attach on macOS. Any ideas?"),
        ("Sukera", "I think you'd have to look into how to debug julia internals with gdb"),
        ("Max", "I'll try to use gdb on my mac (can install it via homebrew, but need to manually codesign it, yay)"),
        ("Max", "good thing: installing gdb and code signing it per the GDB wiki seems to have worked, yay!"),
    )
    assert action_items(promised) == []
    pending = _conv(
        ("Max", "I'd like to debug a crash in C code I ccall into, but lldb fails to attach on macOS. Any ideas?"),
        ("Sukera", "I think you'd have to look into how to debug julia internals with gdb"),
        ("Max", "I'll try to use gdb on my mac (can install it via homebrew, but need to manually codesign it, yay)"),
    )
    assert [item.owner for item in action_items(pending)] == ["Max"]


def test_no_open_question_repeats_what_where_it_ended_shows() -> None:
    messages = [
        _m("1.0", "miles", "Recently ProgressLogging bars have been slurped into the vscode progress. Is there an option "
                           "to disable this? I prefer the TerminalLoggers bars."),
        _m("2.0", "pfitzseb", "Nope, not at the moment. Could add a setting for that though -- wanna open an issue?"),
    ]
    shown = rendered_text(summarize_offline(messages), messages)
    assert "— pfitzseb: Nope, not at the moment. Could add a setting" in shown
    assert shown.count("wanna open an issue?") == 1


def test_the_askers_oh_right_of_course_ends_on_the_suggestion_it_takes_up() -> None:
    conv = _conv(
        ("Boris", "I keep defining a sparse right-hand side `\\` to reproduce Matlab behaviour, but I am reluctant to "
                  "redefine behaviour like that in a module that others use"),
        ("Boris", "It seems like Julia would be the perfect language for doing such things"),
        ("brioche", "I _think_ that you can define it for just your module and the functions within and that as long as "
                    "you don't specifically export `\\` again you should be fine? Not sure actually."),
        ("Boris", "oh right of course, I had forgotten the option to just not import it"),
    )
    messages, text, reply = _ended(conv)
    assert messages == (2, 3) and text.startswith("I _think_ that you can define it for just your module")
    assert reply == "oh right of course, I had forgotten the option to just not import it"


def test_a_doubt_put_as_can_you_even_is_no_action_item() -> None:
    doubt = _conv(("George", "If I drew into a scene and the user resized the window, would this mess things up?"),
                  ("Alexis", "@George can you even draw into a scene? I am not sure?"))
    assert action_items(doubt) == []
    asked = _conv(("George", "The plot is empty when I save it."), ("Alexis", "@George can you send the script?"))
    assert [item.owner for item in action_items(asked)] == ["George"]


def test_a_list_where_it_ended_is_shown_with_its_items() -> None:
    conv = _conv(
        ("Roman", "Isn't it possible to do something like intelligent search pruning for the parameters of an ODE?"),
        ("pure", "The only shortcuts i can imagine for an ODE problem is:\n - Solve over shorter time frames as Chris "
                 "proposed\n - Solve a simplified system\n - relax the parameter search space by adding more dimensions"),
        ("chris", "yeah that's a good list"),
    )
    messages, text, _ = _ended(conv)
    assert messages == (1, 2) and text == ("The only shortcuts i can imagine for an ODE problem is: Solve over shorter "
                                           "time frames as Chris proposed; Solve a simplified system; relax the parameter "
                                           "search space by adding more dimensions")


def test_an_objection_its_author_takes_back_with_sorry_is_not_where_it_ended() -> None:
    conv = _conv(
        ("Anand", "is there a function to get the type of a variable without the dependent types?"),
        ("ararslan", "`nameof` should also work"),
        ("Anand", "```julia> nameof(p)\nERROR: MethodError: no method matching nameof(::Point{Int64, Float64})```"),
        ("ararslan", "You need `nameof(typeof(p))`"),
        ("Anand", "No see I dont have Point, I have an instance of Point"),
        ("Anand", "oh"),
        ("Anand", "sorry"),
        ("Anand", "thanks"),
    )
    assert 3 in _ended(conv)[0]


def test_the_askers_so_it_is_perfect_is_a_success() -> None:
    conv = _conv(
        ("jakni", "But reshaping it doesn't actually create a Matrix?"),
        ("Sukera", "while it does return a matrix, the underlying data is also pointed to by the vector and you can't "
                   "alter the existing vector after the fact"),
        ("jakni", "That's no problem, the vector is only used to build the matrix incrementally, and never exposed"),
        ("jakni", "So reshaping is perfect. Thanks all!"),
    )
    messages, _, reply = _ended(conv)
    assert messages == (1, 3) and reply == "So reshaping is perfect."


def test_another_way_offered_last_as_a_suggestion_is_shown_with_the_answer() -> None:
    conv = _conv(
        ("Daniel", "Try if `cat(D1,D2, D3, dims=(1,2))` fits your needs."),
        ("Gautam", "Thank you :slightly_smiling_face:"),
        ("Gautam", "Is there a way to go from D1 to Dn without explicitly writing them? My n >> 3."),
        ("Daniel", "If you have a list unpack them with triple dots `[D1, D2, D3]...`"),
        ("brioche", "maybe also `reduce` can help to avoid splatting?"),
    )
    messages, _, reply = _ended(conv)
    assert messages == (3, 4) and reply == "maybe also `reduce` can help to avoid splatting?"


def test_what_its_author_is_doing_now_is_shown_after_the_plan() -> None:
    conv = _conv(
        ("chris", "Is there a way we can update that bridge? It seems to do this quite a bit these days :disappointed:"),
        ("oxinabox", "the bridge uses MatterMost Bridge which is made in Go, running on a VM that i manage"),
        ("oxinabox", "I think i should write a script that kills the bridge every 12 hours and restarts it."),
        ("oxinabox", "restarting it now"),
    )
    messages, text, reply = _ended(conv)
    assert messages == (2, 3) and text.startswith("I think i should write a script") and reply == "restarting it now"


def test_a_sentence_that_stops_on_vs_runs_into_its_code() -> None:
    conv = _conv(
        ("Fons", "Pluto now activates a notebook's own environment, so `Pkg.activate` in a cell is no longer needed."),
        ("Alexander", "Two concerns: it breaks notebooks that rely on an environment set in an `include`d file; it adds "
                      "boilerplate to every notebook of a larger project - `include(\"../startup.jl\")` vs\n```begin\n"
                      "import Pkg\nPkg.activate()\ninclude(\"../startup.jl\")\nend```"),
    )
    text = _ended(conv)[1]
    assert "`include(\"../startup.jl\")` vs `" in text and text.endswith("`")


def test_an_ok_ill_give_it_a_try_is_no_action_item() -> None:
    conv = _conv(("Xinkai", "How can I speed up this loop over a DataFrame's rows?"),
                 ("Bogumil", "Use `eachrow` only when you must; better work on the columns with broadcasting."),
                 ("Xinkai", "Ok I'll give it a try"))
    assert action_items(conv) == []
