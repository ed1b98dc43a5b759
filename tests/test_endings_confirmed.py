"""Endings a reader missed (issue 11, thirty-first round): the asker's word that the answer was the one ("Nevermind.
Found it. Thanks!!"), a question the thread stopped on that nobody answered, a channel named as the answer ("#dash"), the
link a follow-up goes on from, the code a hedged answer offers in the same message, and a pun's rimshot, which is no
ending."""

from __future__ import annotations

from bot.evals.rouge_sets import rendered_text
from bot.summaries.extractive import summarize_offline
from bot.summaries.structure import _BRIDGE, open_questions, outcome
from tests.test_asker_closes import _messages
from tests.test_thread_endings import _conv


def test_the_askers_word_that_the_answer_was_the_one_is_shown_after_it() -> None:
    turns = (("Henrique", "When trying to install Pluto I'm getting an error (other packages seem to be working fine)"),
             ("fredrikekre", "You probably have a directory in PWD called `Pluto` and Pkg tries to add that."),
             ("Henrique", "Where can I find this directory?"),
             ("Henrique", "Nevermind. Found it. Thanks!!"))
    ended = outcome(_conv(*turns))
    assert ended is not None and ended.messages == (1, 3) and ended.reply == "Nevermind. Found it. Thanks!!"
    shown = rendered_text(summarize_offline(messages := _messages(*turns)), messages)
    assert "Pkg tries to add that. — Henrique: Nevermind. Found it. Thanks!!" in shown
    exactly = outcome(_conv(("Rojo", "Each dataset is about 1GB, so I can't pre-download them all into an artifact."),
                            ("mose", "maybe https://github.com/oxinabox/DataDeps.jl is a better option for your use case"),
                            ("Rojo", "Thanks! Looks promising"),
                            ("Rojo", "It looks like exactly what I needed! :slightly_smiling_face:")))
    assert exactly is not None and exactly.reply == "It looks like exactly what I needed!"  # (its emoji off)


def test_thanks_alone_or_a_failure_is_no_confirmation() -> None:
    answer = ("Simeon", "Since that's not a syntactic operator, it's `Expr(:call, op, a, b)`")
    thanked = outcome(_conv(("Wikunia", "How do I interpolate an operator into an expression like `lhs $op rhs`?"), answer,
                            ("Wikunia", "Hmm okay then I have to work around that. Thanks for your help @Simeon")))
    assert thanked is not None and thanked.reply is None  # thanks for the help says nothing worked
    failed = outcome(_conv(("Wikunia", "How do I interpolate an operator into an expression like `lhs $op rhs`?"), answer,
                           ("Wikunia", "Found it, but it still fails with the same error")))
    assert failed is None or failed.reply is None or "still fails" in failed.reply  # never shown as the confirmation
    assert failed is None or not (failed.messages[0] == 1 and failed.reply and failed.reply.startswith("Found it"))
    others = outcome(_conv(("Ann", "Which flag turns the check off?"), ("Bo", "Try `--check-bounds=no`."),
                           ("Cy", "That flag is deprecated, by the way."), ("Ann", "Yes, that's it")))
    assert others is None or others.reply != "Yes, that's it" or others.messages[0] != 1  # someone spoke in between


def test_a_hedged_answer_shows_the_code_it_offers_and_the_askers_yes() -> None:
    turns = (("pure", "Is there a way to assign the binary value of a signed number into an unsigned slot of an object? "
                      "UInt8(bitrotate(Int8(-8),1)) doesn't do what i want."),
             ("mose", "I don't know what you want, but perhaps\n```julia> reinterpret(UInt8, bitrotate(Int8(-8),1))\n0xf1```\n?"),
             ("pure", "Yes, that's it"))
    ended = outcome(_conv(*turns))
    assert ended is not None and ended.text == "I don't know what you want, but perhaps `reinterpret(UInt8, bitrotate(Int8(-8),1))`"
    assert ended.reply == "Yes, that's it"
    assert open_questions(_conv(*turns)) == []  # "I don't know what you want, but …" answers all the same
    unsure = _conv(turns[0], ("mose", "I don't know, sorry"))
    assert [item.messages for item in open_questions(unsure)] == [(0,)]


def test_a_question_nobody_answered_is_where_it_ended_and_stays_open() -> None:
    turns = (("Rojo", "Is it possible to tell Pluto to launch its processes in remote machines (that I already can connect "
                      "with addprocs([\"lala\" ])"),
             ("aviks", "https://docs.julialang.org/en/v1/stdlib/Distributed/#Distributed.remotecall"),
             ("Rojo", "What are you suggesting here?"))
    ended = outcome(_conv(*turns))
    assert ended is not None and ended.messages == (1, 2) and ended.reply == "What are you suggesting here?" and ended.asks
    summary = summarize_offline(messages := _messages(*turns))
    assert "— Rojo: What are you suggesting here?" in rendered_text(summary, messages)
    assert [p.source_ts for p in summary.open_questions] == [["3.0"]]  # still open, though the ending shows it
    waved = outcome(_conv(("Jake", "Is there a function that returns the dates of the start and end of the week?"),
                          ("Syx", "```firstdayofweek(today()):Day(1):lastdayofweek(today())```"),
                          ("Jake", "Those seem to take longer than my solution though? Oh well, not too worried")))
    assert waved is None or waved.reply is None  # a question waved off is no question left
    own = outcome(_conv(("dilum", "Who is hitting our server with odd requests?"),
                        ("staticfloat", "Looks like they're looking for vulnerable CCTV cameras: https://example.com/cctv"),
                        ("staticfloat", "What could go wrong?")))
    assert own is None or own.reply is None  # its author going on with a quip


def test_a_channel_named_as_the_answer_is_where_it_ended() -> None:
    turns = (("PhilipVinc", "What channel to ask help for Dash.jl?"), ("PhilipVinc", "indeed"), ("mbauman", "#dash "))
    ended = outcome(_conv(*turns))
    assert ended is not None and ended.messages == (0, 2) and ended.reply == "#dash"
    assert "What channel to ask help for Dash.jl? — mbauman: #dash" in rendered_text(
        summarize_offline(messages := _messages(*turns)), messages)
    asker = outcome(_conv(("PhilipVinc", "What channel to ask help for Dash.jl?"), ("mbauman", "maybe here?"),
                          ("PhilipVinc", "#dash")))
    assert asker is None or asker.reply != "#dash"  # the asker naming a channel answers nothing


def test_a_follow_up_shows_the_link_it_goes_on_from_and_a_rimshot_is_no_ending() -> None:
    ended = outcome(_conv(("vchuravy", "GPU BoF/User call today at 12 Eastern"),
                          ("Youngdae", "Could you put the link here? The messages have gone when the zoom was closed..."),
                          ("vchuravy", "https://juliagpu.github.io/CUDA.jl/stable/api/compiler/#Reflection"),
                          ("vchuravy", "and I often use `@device_code dir=\"dump\" @cuda`"),
                          ("Youngdae", "Thanks!")))
    assert ended is not None and ended.messages[:2] == (2, 3)
    assert ended.text == ("https://juliagpu.github.io/CUDA.jl/stable/api/compiler/#Reflection and I often use "
                          "`@device_code dir=\"dump\" @cuda`")
    pun = outcome(_conv(("Astad", "Is there a slack channel related to reactive programming in Julia?"),
                        ("sverek", "#pluto ?"),
                        ("Astad", "Pluto relies heavily on reactive programming, however my use case is more data stream "
                                  "processing"),
                        ("Adam", "I’ve always heard it’s better to be proactive. :drum_with_drumsticks:")))
    assert pun is not None and pun.messages == (2,)


def test_a_bare_yes_to_the_askers_last_question_is_where_it_ended() -> None:
    turns = (("sairus7", "Are there some established JSON serialization formats for DataFrames?"),
             ("quinnj", "You can use JSONTables.jl. It maintains JSON object key ordering when reading/writing."),
             ("sairus7", "Thanks, I will try! So, there is care taken to order elements, but this requirement is NOT "
                         "represented in JSON format itself, right?"),
             ("quinnj", "Correct"))
    ended = outcome(_conv(*turns))
    assert ended is not None and ended.messages == (2, 3) and ended.reply == "Correct"
    assert ended.text.startswith("So, there is care taken") and ended.text.endswith("right?")
    other = outcome(_conv(*turns[:3], ("Bo", "Correct")))  # not the person asked: still a yes to the question
    assert other is not None and other.reply == "Correct"
    statement = outcome(_conv(*turns[:2], ("sairus7", "Thanks, I will try that tonight with my data."), ("quinnj", "Correct")))
    assert statement is None or statement.reply != "Correct"  # nothing asked: a yes to nothing


def test_a_short_follow_on_question_keeps_the_question_it_follows() -> None:
    ended = outcome(_conv(("Will", "I have a function `foo` that takes three inputs. I'd like a function `bar` that "
                                   "returns `foo` with one input fixed. Is this possible without macros?"),
                          ("mcabbott", "You can write `bar(x) = (y,z) -> foo(x,y,z)`, without giving baz a name"),
                          ("Mason", "You can also give `baz` an internal local name if you like:\n```julia> bar(x) = "
                                    "baz(y, z) = foo(x, y, z);\n\njulia> bar(1)(2, 3)\n0```"),
                          ("Will", "Thanks! Follow up. Can I add baz as an infix? Say in a let block? `let Base.+ = bar(1) "
                                   "#stuff end` ? I think the answer is yes but I don't have a repl in front of me to test"),
                          ("Mason", "```julia> let + = bar(1)\n           4 + 5\n       end\n0```")))
    assert ended is not None and ended.text == "Can I add baz as an infix? Say in a let block?"


def test_an_asker_who_found_it_themselves_is_not_waiting_and_their_find_is_where_it_ended() -> None:
    turns = (("Jake", "I am unable to index into a 3-dimensional array with multiple cartesian indices, what am I missing?"),
             ("Jake", "Sorry, I figured it out. Instead of writing `CartesianIndex[...]` I need to write "
                      "`CartesianIndex{3}[...]` :face_palm:"))
    summary = summarize_offline(messages := _messages(*turns))
    assert not summary.awaiting_reply
    assert summary.outcome is not None and "I need to write `CartesianIndex{3}[...]`" in summary.outcome.text
    shared = summarize_offline(_messages(("DT", "How can I adjust the size of an image in weavejl?"),
                                         ("DT", "In case anyone needs it: I can change the size with `width=400`")))
    assert not shared.awaiting_reply and not shared.open_questions
    failed = summarize_offline(_messages(("Gareth", "How do I read from two AMQP queues at once?"),
                                         ("Gareth", "never mind found solution"),
                                         ("Gareth", "Update, the above doesn't work, it only reads from one queue")))
    assert failed.awaiting_reply  # the find taken back: still waiting
    similar = summarize_offline(_messages(("Harsh", "The Julia kernel in VSCode notebooks crashes on start."),
                                          ("Harsh", "I found a similar kind of issue on VSCode's repo. Any help or "
                                                    "alternatives regarding this")))
    assert similar.awaiting_reply and messages


def test_a_bare_no_goes_on_to_its_reason_and_code() -> None:
    ended = outcome(_conv(("jakni", "Does `my_arr .= foo` depend on `foo` having `length` defined for it?"),
                          ("Simeon", "No, not necessarily. It's just the regular broadcast mechanism:\n```julia> Meta.@lower "
                                     "my_arr .= foo\n:($(Expr(:thunk, CodeInfo(…))))```"),
                          ("jakni", "Thanks, I need to read up on that :)")))
    assert ended is not None and ended.text == ("No, not necessarily. It's just the regular broadcast mechanism: "
                                                "`Meta.@lower my_arr .= foo`")


def test_an_ending_that_goes_on_shows_its_authors_message_before_it_and_the_askers_perfect() -> None:
    ended = outcome(_conv(("George", "Is there a way to have colored axis labels? Or labels with different colors?"),
                          ("Julius", "xlabelcolor and ylabelcolor"),
                          ("Julius", "Or do you mean the tick labels? Then xticklabelcolor and yticklabelcolor"),
                          ("Julius", "And if your ticks don't change in numbers afterwards you should even be able to pass an "
                                     "array there with different colors"),
                          ("George", "Awesome, thank you!  The array of colors is perfect!")))
    assert ended is not None and ended.text.startswith("Or do you mean the tick labels? Then xticklabelcolor and "
                                                       "yticklabelcolor. And if your ticks")
    assert ended.reply == "Awesome, thank you! The array of colors is perfect!"
    report = outcome(_conv(("usm", "whats the trick to making this work with Unitful?"),
                           ("usm", "Though I have had some issues getting it to work with Histogram."),
                           ("usm", "and I solved my problem.. the package uses an older version of `Unitful`")))
    assert report is None or not report.text.startswith("Though")  # its own report, not a step on


def test_a_qualified_name_is_a_last_word_and_a_note_on_the_bridge_is_an_aside() -> None:
    ended = outcome(_conv(("bottine", "Is there a proper way to merge a vector of `@view`s into a single one?"),
                          ("jakni", "Not possible, unless they are all contiguous in memory."),
                          ("bottine", "Makes sense. Essentially, what I want is a lazy iterator I guess"),
                          ("jakni", "Iterators.flatten"),
                          ("bottine", "great, thanks!")))
    assert ended is not None and ended.reply == "Iterators.flatten"
    bridged = outcome(_conv(("Ralph", "I’m trying to build a differentiable physics simulator using Zygote and am running "
                                      "into a lot of LoadErrors and type errors."),
                            ("extradosages", "There is an #autodiff channel that may be useful."),
                            ("Ralph", "Perfect, thanks."),
                            ("extradosages", "Ooph, you may not have wanted to bridge the posts below.")))
    assert bridged is not None and bridged.text == "There is an #autodiff channel that may be useful."
    assert not _BRIDGE.search("and join #diffeq-bridged and #sciml-bridged if you're doing simulations")
    assert not _BRIDGE.search("or even use existing bridges to dask")  # a bridge to another system is no cross-post


def test_a_question_taken_back_and_an_ending_that_says_enough_take_nothing_more() -> None:
    retracted = outcome(_conv(("kescobo", "is there some parallel to Python's `foo, bar... = [1,2,3]` in Julia?"),
                              ("jakni", "`extrema` for first/last, but IIRC nothing similar to Python's unpacking syntax"),
                              ("Alfredo", "Maybe `Iterators.peel` ?"),
                              ("Alfredo", "oops, no, misunderstood the question, sorry")))
    assert retracted is not None and retracted.reply is None and 2 not in retracted.messages  # judged blind: misled
    said_enough = outcome(_conv(("Calvin", "Is there any good way to write the type of a function that takes a real and "
                                           "returns a real?"),
                                ("Will", "FunctionWrappers.jl might be of use."),
                                ("Will", "Also this thread (https://discourse.julialang.org/t/enforcing-function-signatures/"
                                         "8174/8) in Discourse has several really cool implementations. I don't think "
                                         "there's a core language method to do this still."),
                                ("Sukera", "Julia does not have arrow functions")))
    assert said_enough is not None and said_enough.text.startswith("Also this thread")
    versus = outcome(_conv(("Ann", "How should I define a point type that is fast?"),
                           ("bri", "vs https://docs.julialang.org/en/v1/manual/types/#Composite-Types"),
                           ("bri", "Also, always good to skim the performance tips section: https://docs.julialang.org/perf")))
    assert versus is None or not versus.text.startswith("vs")  # a bare "vs <link>" says nothing


def test_a_short_ending_shows_the_rest_of_its_message_and_its_link() -> None:
    hedged = outcome(_conv(("Allan", "Why does min or max on two numbers create memory allocations? Is there a way to prevent that?"),
                           ("Allan", "I see it when I run the mem trace on my program."),
                           ("Simeon", "It's difficult to say without more details. It could be because of type "
                                      "instabilities, or perhaps you are comparing BigInts/BigFloats?")))
    assert hedged is not None and hedged.text.endswith("perhaps you are comparing BigInts/BigFloats?")
    asked = summarize_offline(messages := _messages(("kristoffer", "Why do the docs of every package render differently?"),
                                                    ("jeffrey", "This is a pervasive issue (no news there). Has someone "
                                                                "written up how this should be?")))
    assert "Has someone written up" in rendered_text(asked, messages).split("## Open questions")[-1]  # still open
    linked = outcome(_conv(("affans", "Is there a way to get `diff` with the same length as the array, like `circshift`?"),
                           ("Peter", "I don't think so. I looked into this a few weeks ago. "
                                     "https://github.com/JuliaArrays/ShiftedArrays.jl/issues/41")))
    assert linked is not None and linked.text.endswith("a few weeks ago. https://github.com/JuliaArrays/ShiftedArrays.jl/issues/41")
    unfurled = outcome(_conv(("theogf", "When was the `Vararg` deprecation introduced?"),
                             ("theogf", "Found it! https://github.com/JuliaLang/julia/commit/ee3be10 "
                                        "(https://github.com/JuliaLang/julia/commit/ee3be10)")))
    assert unfurled is None or "(https://" not in unfurled.text  # a link and its copy, as Slack unfurls it: no sentence


def test_an_asker_who_says_it_was_answered_elsewhere_is_not_waiting() -> None:
    summary = summarize_offline(_messages(("Jake", "How can I generalise this function to any number of dimensions?"),
                                          ("Jake", "Answered on the discourse by @mcabbott! https://discourse.julialang.org/t/52564/2")))
    assert not summary.awaiting_reply
