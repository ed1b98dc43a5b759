"""Threads read line by line (issue 11, thirty-eighth round: seen JuliaLang threads of one to twenty replies and R
Contributors threads): an asker who answers their own question (in an edit, "answered my own question again", "Found
X for anyone curious", "The answer on discourse was …") has no open question and no "No one else has replied yet";
an introduction answered only by welcomes ends on them; a yes that goes on "However, it does not help" is shown with
its turn; "Just committed" reports what was done; an aside, a joke put as a wish with a wink and a promise inside
quotation marks are never where a thread ended nor an action item; a code block after "You can do" answers the
question; and an answer is shown with the code its author posted next when the asker took it (docs/evals.md,
thirty-eighth round)."""

from __future__ import annotations

from pathlib import Path

from bot.evals.rouge_sets import rendered_text
from bot.evals.sections import load_thread
from bot.summaries.extractive import awaiting_reply
from bot.summaries.structure import answer_sentence, is_commitment, open_questions, outcome
from bot.summaries.summarize import summarize
from tests.test_e2e_core import mention_in_thread, workspace  # noqa: F401  (the fixture)
from tests.test_thread_endings import _conv, _m


def test_an_edit_that_answers_the_question_is_where_a_lone_message_ended() -> None:
    conv = _conv(("jakni", "How can I obtain the keyword-less function of a keyword-function? E.g. in `foo(; x=true)` , get "
                           "the corresponding function `#foo#1(true)` ?\nEdit: Found out: `MyModule.:(var\"#foo#1\")`"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (0,) and ended.text == 'Edit: Found out: `MyModule.:(var"#foo#1")`'
    assert open_questions(conv) == []
    alone = _conv(("jakni", "How can I obtain the keyword-less function of a keyword-function? I found out about `methods` "
                            "but that lists them all."))
    assert outcome(alone) is None  # (a find in passing, not at a sentence's start, answers nothing)


def test_answered_my_own_question_with_code_ends_a_monologue() -> None:
    conv = _conv(("gszep", "does anyone know how to iterate through references to `::Observable` in `JSServe.JSCode` "
                           "blocks? `i` is not defined in Julia and hence in the reference `$(x[i])` errors out."),
                 ("gszep", "@simon perhaps there is a docs example I am not aware of?"),
                 ("gszep", "wow did not realise this was possible; ok answered my own question again :sweat_smile:\n"
                           "```$(x).map( i => console.log(i) )```"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (2,)
    assert ended.text == ("wow did not realise this was possible; ok answered my own question again — "
                          "`$(x).map( i => console.log(i) )`")
    assert open_questions(conv) == []
    helped = _conv(("gszep", "does anyone know how to iterate through references to `::Observable` in JS blocks?"),
                   ("simon", "You can interpolate the whole vector and map over it in JavaScript."),
                   ("gszep", "wow did not realise this was possible; ok got it to work"))
    ended = outcome(helped)
    assert ended is not None and 1 in ended.messages  # (someone answered: their answer is where it ended)


def test_an_asker_who_reports_the_answer_is_not_waiting_for_a_reply() -> None:
    found = [_m("1.0", "Emir", "Hey everyone, are there any packages that will spit out values for quantiles like the t "
                               "quantile?"),
             _m("2.0", "Emir", "Found Distributions.jl for anyone curious and it does what I want")]
    relayed = [_m("1.0", "Nikolai", "I can't figure out how the Plots.jl heatmap is oriented, is it transposed?"),
               _m("2.0", "Nikolai", "For anyone else interested. The answer on discourse was that the heatmap function "
                                    "considers the y-axis to be the first dimension. So transposing it is the correct "
                                    "general solution to the problem.")]
    still = [_m("1.0", "Emir", "Are there any packages that give quantiles like the t quantile?"),
             _m("2.0", "Emir", "Still looking, anyone?")]
    assert not awaiting_reply(found) and not awaiting_reply(relayed) and awaiting_reply(still)
    summary = summarize(found, provider=None, max_points=5)
    assert summary.open_questions == [] and not summary.awaiting_reply
    assert summary.outcome is not None and summary.outcome.source_ts == ["2.0"]


def test_an_introduction_answered_by_welcomes_ends_on_them() -> None:
    conv = _conv(("Federica", ":wave: Hi everyone!"),
                 ("Heather", "Hi Federica! Nice to see you here after the collaboration campfire yesterday :smiley:"),
                 ("Saranjeet", "Welcome Federica! :sunflower:"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1, 2)
    assert ended.text == "Hi Federica! Nice to see you here after the collaboration campfire yesterday"
    assert ended.reply == "Welcome Federica!"
    one = _conv(("Roberto", "Hello! I'm Roberto, a data enthusiast and R lover from Costa Rica, working as a data manager "
                            "at the University of Liverpool."),
                ("Heather", "Hi Roberto, nice to see you here!"))
    ended = outcome(one)
    assert ended is not None and ended.messages == (1,) and ended.reply is None
    asked = _conv(("Roberto", "Hello! I'm Roberto. Where should a newcomer start with R's translations?"),
                  ("Heather", "Welcome Roberto! The translation team's wiki is a good start: it lists open tasks."))
    ended = outcome(asked)
    assert ended is None or ended.reply is not None or "wiki" in ended.text  # (a reply that answers is no mere welcome)
    thanked = _conv(("Roberto", "Hello! I'm Roberto, a data manager at the University of Liverpool."),
                    ("Heather", "Hi Roberto, nice to see you here!"), ("Roberto", "Thanks!"), ("Ivan", "Welcome :tada:"))
    ended = outcome(thanked)
    assert ended is not None and ended.messages == (1, 3) and ended.reply == "Welcome"
    bare = _conv(("Shang-Ling", "I am a final-year, CS and data science double-major undergraduate. I am learning Julia!"),
                 ("Logan", "Welcome"))
    assert outcome(bare) is None  # (a bare welcome says nothing a reader needs)


def test_a_yes_that_goes_on_to_say_the_fix_did_not_help_is_shown_with_its_turn() -> None:
    conv = _conv(("Ankit", "Why does this code not initiate a sharedarray (x) on all workers?\n```addprocs(4)```"),
                 ("tejas", "I think you need to use `@everywhere` macro on the function `start_shared_array` as well"),
                 ("Sukera", "put `addprocs` before `@everywhere using SharedArrays`"),
                 ("Ankit", "Not sure if i need to load the function everywhere."),
                 ("Ankit", "Yes, we had to put addprocs before. However, it does not help. What I noticed is that if I "
                           "use copy instead of deepcopy, it seems to be working."))
    ended = outcome(conv)
    assert ended is not None and ended.reply is not None
    assert "However, it does not help" in ended.reply and "copy instead of deepcopy" in ended.reply


def test_just_committed_is_shown_after_what_it_did() -> None:
    conv = _conv(("Gergely", "@Michael Lawrence can you please check the attached patch? let me know if anything looks odd"),
                 ("Gergely", "for the commit message, you could use the list of related translators from the announcement"),
                 ("Michael", "Just committed, thanks everyone!"))
    ended = outcome(conv)
    assert ended is not None and ended.reply is not None and ended.reply.startswith("Just committed")


def test_an_aside_a_winking_wish_and_a_quoted_promise_do_not_end_a_thread() -> None:
    aside = _conv(("jakni", "I have a function where I would like to move something from runtime to compile-time."),
                  ("Simeon", "This is not something you can tell the compiler, but you could use a generated function."),
                  ("jakni", "It looks like I had accidentally implemented generated functions, just in a worse way, thanks!"),
                  ("Mason", "Just a sidenote: the creation of a mutable is not necessarily a problem. The problem is that "
                            "julia doesn't understand its own arrays well enough to do lifetime analysis."),
                  ("jakni", "I think a generated function is actually the only option in cases like this."),
                  ("Mason", "Yes, a generated function is the mechanism for saying \"no, I'll do it myself\""),
                  ("Mason", "So if it's possible to avoid a generated function, there are some serious advantages to doing so"))
    ended = outcome(aside)
    assert ended is not None and 3 not in ended.messages
    assert not is_commitment('Yes, a generated function is the mechanism for saying "no, I\'ll do it myself"')
    assert is_commitment("I'll do it myself tomorrow")
    wish = _conv(("dilum", "A function takes a function and an array it mutates. Which argument order makes more sense?"),
                 ("Christophe", "Putting the function first allows one to use the `do... end` syntax, so it's the usual "
                                "order."),
                 ("Scott", "You can actually have methods with both orders, one with the function first, so that the `do` "
                           "syntax works, and another that takes the mutated argument first."),
                 ("Olav", "Maybe someone could make the `@interface_nightmare` macro that generates the n! different "
                          "signatures for a function with n distinctly typed arguments :wink:"))
    ended = outcome(wish)
    assert ended is not None and 3 not in ended.messages and 2 in ended.messages


def test_code_after_you_can_do_answers_the_question_but_not_code_asked_back() -> None:
    conv = _conv(("Dario", "I'm trying to run `julia test/runtests.jl`, is there an option to require all packages of "
                           "sub-files called?"),
                 ("ararslan", "You can do\n```julia --project=. -e 'using Pkg; Pkg.test()'```"))
    assert answer_sentence(conv, 1, conv.content[0][0]) == "`julia --project=. -e 'using Pkg; Pkg.test()'`"
    asked_back = _conv(("Shubham", "How can I include a simple point on my graph using Plots.jl?"),
                       ("Brenhin", "You mean like\n```plot(x, y)\nscatter!([1],[2])```"))
    assert answer_sentence(asked_back, 1, asked_back.content[0][0]) is None


def test_a_reaction_that_opens_oh_thats_interesting_is_shown_after_what_it_reacts_to() -> None:
    conv = _conv(("md", "Should a customer number be a custom type or a string?"),
                 ("Expanding", "Keep a string and write a separate validation function until you need a type."),
                 ("md", "Awesome, thanks!"),
                 ("nalimilan", "`PooledArray` or `CategoricalArray` can also be interesting if you have many entries for "
                               "each customer."),
                 ("md", "Oh that's interesting, I'd usually avoid casting customer numbers as anything number-like "
                        "because I wouldn't want to accidentally do arithmetic on them. I don't actually have any customer "
                        "numbers in front of me, though, it's just an example."))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (3, 4) and ended.text.startswith("`PooledArray`")


def test_the_answer_the_asker_took_is_shown_with_the_code_its_author_posted_next() -> None:
    conv = _conv(("Cedar", "How do I plot a list of polygons, each with its own colour, in one call?"),
                 ("Nicholas", "`plot(list_of_shapes, fillcolor=list_of_colors)` should work"),
                 ("Cedar", "Hunh! This does not seem to work - the fillcolor only selects the first color."),
                 ("Nicholas", "Oh sorry, forgot the other trick: it has to be a 1-row matrix. Plots matches columns with "
                              "series."),
                 ("Nicholas", "So:\n```plot(list_of_shapes, fillcolor=permutedims(list_of_colors))```"),
                 ("Cedar", "I had some issues with my benchmarking but that solution you just provided works so well and "
                           "cuts down time significantly! Thank you!!!"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (3, 4, 5)
    assert "`plot(list_of_shapes, fillcolor=permutedims(list_of_colors))`" in ended.text


def test_the_real_threads_of_the_round_end_where_their_readers_said(shared_data: Path) -> None:
    cases = {  # (source, channel_id, thread_ts): what "Where it ended" shows
        ("julialang", "C6A044SQH", "1614250894.335800"): 'jakni: Edit: Found out: `MyModule.:(var"#foo#1")`',
        ("julialang", "C6A044SQH", "1613400015.347600"): "answered my own question again — `$(x).map( i => console.log(i) )`",
        ("rcontrib", "C01EST8PTFA", "1680679330.969959"): "Heather Turner (admin, she/her): nice to see you here!",
        ("rcontrib", "C0210D7EN1X", "1681686320.796339"): "Michael Lawrence: Just committed",
        ("julialang", "C6A044SQH", "1607945412.492200"): "if I use copy instead of deepcopy, it seems to be working",
        ("julialang", "C8RQUU2KH", "1612283940.278800"): "https://github.com/JuliaPlots/Makie.jl/issues/816",
        ("julialang", "C6A044SQH", "1616939142.353700"): "oheil: Injecting a function definition into Base.",
        ("julialang", "C6A044SQH", "1617942021.346900"): "See https://jump.dev/JuMP.jl/stable/examples/nlp_tricks/",
        ("julialang", "C6A044SQH", "1611762586.433500"): "fabgrei: `using Conda …` seems to work.",
        ("julialang", "C6A044SQH", "1611503613.253700"): "Ayman Al Baz: Thanks for the resources but I’m mostly interested",
    }
    for (source, channel_id, thread_ts), shown in cases.items():
        messages = load_thread(shared_data, source, channel_id, thread_ts)
        text = rendered_text(summarize(messages, provider=None, max_points=5), messages)
        [ended] = [line for line in text.splitlines() if line.startswith("**Where it ended:**")]
        assert shown in ended and "No one else has replied yet" not in ended, (thread_ts, ended)


def test_a_mention_under_a_self_answered_question_shows_the_answer_in_slack(harness, workspace) -> None:  # noqa: F811
    parent = workspace.post("C0GEN", "U2", "Are there any packages that will spit out values for quantiles like the t quantile?")
    workspace.post("C0GEN", "U2", "Found Distributions.jl for anyone curious and it does what I want", thread_ts=parent["ts"])
    final = mention_in_thread(harness, workspace, parent["ts"], "EvSelfAnswered1")
    assert "Found Distributions.jl" in final and "No one else has replied yet" not in final
    assert "Open questions" not in final


def test_this_code_seems_to_work_is_the_askers_own_answer() -> None:
    conv = _conv(("fabgrei", "Is there a way to install a Python package with Conda and pip from a github repository?"),
                 ("fabgrei", "This\n```run(Conda._pip_cmd)```\nseems to work."))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1,) and ended.text == "`run(Conda._pip_cmd)` seems to work."
    assert open_questions(conv) == []


def test_a_pointer_to_read_on_is_shown_with_the_answer_it_follows() -> None:
    conv = _conv(("Yuri", "I'm having issues with JuMP: a registered function that returns two values fails with a "
                          "TypeError, expected Float64, got Array. Any idea?"),
                 ("Oscar", "User-defined functions can't have vector-outputs. See https://jump.dev/JuMP.jl/stable/examples/"
                           "nlp_tricks/#User-defined-functions-with-vector-outputs"),
                 ("Yuri", "mmm I see... Thank you!"))
    ended = outcome(conv)
    assert ended is not None and ended.text == ("User-defined functions can't have vector-outputs. See https://jump.dev/"
                                                "JuMP.jl/stable/examples/nlp_tricks/#User-defined-functions-with-vector-outputs")




def test_code_that_ends_a_thread_answers_the_opening_when_no_one_asked_anything_else() -> None:
    conv = _conv(("Cedar", "I seem to remember there being some sort of Julia environment command to create a temporary "
                           "environment. I tried looking through Pkg and Julia docs but didn't find anything. Does anyone "
                           "know what I am talking about?"),
                 ("mose", "`]activate --temp`"),
                 ("Ari", "Computational Thinking Pluto notebooks have these, although usually with many more packages."),
                 ("fabgrei", "`Pkg.activate(temp=true)`"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (0, 3) and ended.reply == "`Pkg.activate(temp=true)`"
    assert ended.text.startswith("I seem to remember") and ended.text.endswith("Does anyone know what I am talking about?")
    asked_back = _conv(("Cedar", "Is there a command to create a temporary environment?"),
                       ("Ari", "Do you mean a project you throw away after the session?"),
                       ("fabgrei", "`Pkg.activate(temp=true)`"))
    ended = outcome(asked_back)
    assert ended is None or ended.messages != (0, 2)  # (a question came between: the code may answer that one)


def test_the_askers_own_find_ends_the_thread_before_a_bystanders_remark() -> None:
    conv = _conv(("Jon", "https://discourse.julialang.org/t/makie-is-there-a-show-axis-false-equivalent/55535"),
                 ("Jon", "Soved. Note to self: read carefully next time before posting :upside_down_face:"),
                 ("theo", "At least there is a Discourse post about this now :D"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1,) and ended.text.startswith("Soved. Note to self")


def test_a_bare_no_right_after_the_opening_question_is_where_it_ended() -> None:
    conv = _conv(("Adam", "When I turn a string into a Symbol, the REPL prints it differently depending on the content of "
                          "the string. Does this difference matter under the hood?"),
                 ("Oscar", "No"), ("Adam", "Thanks!"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (0, 1) and ended.reply == "No"
    assert ended.text == "Does this difference matter under the hood?"
    aside = _conv(("Adam", "I turned my strings into Symbols today."), ("Oscar", "No"))
    assert outcome(aside) is None or outcome(aside).reply != "No"  # (nothing was asked)


def test_you_can_just_with_a_wink_answers_the_question() -> None:
    conv = _conv(("airpmb", "Are there examples anywhere of overlaying 2D text on a 3D view, where the text stays in the "
                            "same place in the window?"),
                 ("simon", "You can just overlay scenes ;)"),
                 ("airpmb", "Ah, thanks, I'll try that, and maybe contribute an example to the gallery."))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1, 2) and ended.text == "You can just overlay scenes ;)"


def test_a_problem_that_went_away_and_someones_code_last_end_the_thread() -> None:
    conv = _conv(("Tino", "Started getting these weird lines across my plots today. Has anyone else been seeing this?"),
                 ("pfitzseb", "That's very likely the same issue -- VSCode uses Electron under the hood, which is basically Chrome"),
                 ("Tino", "Fair, they went away after a while without changing anything :shrug:"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1, 2) and "went away after a while" in (ended.reply or "")
    coded = _conv(("Adam", "I want to generate a DataFrame from a NamedTuple of three tuples of 1,000 numbers, but my code "
                           "hangs for hours. Why?"),
                  ("jakni", "You should avoid using tuples with many elements (more than e.g. 100)"),
                  ("Adam", "Oh, wow, why?"),
                  ("mose", "tuples in Julia are not meant to be used for large collections. they're _slow_ in that case"),
                  ("Gyoshi", "maybe\n```DataFrame([i^j for i in 1:1000, j in 1:3])```"))
    ended = outcome(coded)
    assert ended is not None and ended.messages == (3, 4)
    assert ended.reply == "maybe `DataFrame([i^j for i in 1:1000, j in 1:3])`"


def test_an_ending_that_leans_on_a_command_shows_the_command_first() -> None:
    conv = _conv(("ignace", "Hi! How can I update a package to the latest version? `]up Trixi` stays on 0.3.0."),
                 ("Sukera", "if you don't get the latest version, some other package is probably requiring 0.3.0"),
                 ("Sukera", "you can find out which by doing `]add Trixi@0.3.21`"),
                 ("Sukera", "it'll tell you which package is not compatible with the newer version"),
                 ("Sukera", "also, keep in mind that in `0.x.y` versions, incrementing `y` is seen as breaking"),
                 ("ignace", "Thank you!"))
    ended = outcome(conv)
    assert ended is not None and ended.text.startswith("you can find out which by doing `]add Trixi@0.3.21`, it'll tell you")


def test_a_bare_yes_its_author_goes_on_from_is_shown_with_what_follows() -> None:
    conv = _conv(("Vin", "What's the difference between `const MyType = Dict{Int, String}` and a plain assignment? Does it "
                         "mean we can not re-assign `MyType` again if it is declared `const`?"),
                 ("Micket", "Yes"),
                 ("Micket", "(this also greatly affects performance of global values, you should use it for your custom type)"))
    ended = outcome(conv)
    assert ended is not None and "greatly affects performance" in f"{ended.text} {ended.reply}"


def test_a_bystanders_last_laugh_is_not_where_the_thread_ended() -> None:
    conv = _conv(("Rishabh", "Can we use julia for quantum computing?"),
                 ("mose", "Ask in #quantum-computing :wink:"),
                 ("Expanding", "see e.g. Yao.jl. Of course this is all classical simulation, but there's no reason you "
                               "couldn't have the same API hooked up to a quantum machine"),
                 ("VarLad", "@mose You gave the #quantum-computing channel its first conversation in a LONG WHILE:joy:"))
    ended = outcome(conv)
    assert ended is not None and 3 not in ended.messages and 2 in ended.messages
    answered = _conv(("Brian", "@chris Is the UDE paper published or still under review?"), ("chris", "under review"),
                     ("Brian", "do you have a link?"),
                     ("chris", "no yet, I actually just heard back Monday and am doing the revisions :sweat_smile:"))
    ended = outcome(answered)
    assert ended is not None and 3 in ended.messages  # (an answer with a sheepish smile is no laugh)
