"""Endings that lean on the message before them, shown with it (issue 11, twenty-ninth round): an owned-up "good catch"
after the question that caught it, "It's how I'd do it" after the asker's conclusion, a caveat after the answer it
qualifies, "so that does work" after the answer it confirms, the line of code the asker changed to make it work, the
answer thanked before the asker's waved-off remark, an issue opened at the end of its author's run, and the overview
labelled so it is not read as part of the ending."""

from __future__ import annotations

from bot.evals.rouge_sets import rendered_text
from bot.summaries.extractive import summarize_offline
from bot.summaries.structure import Conversation, code_gist, open_questions, outcome
from tests.test_thread_endings import _conv, _m


def _ended(conv: Conversation) -> tuple[tuple[int, ...], str, str | None]:
    ended = outcome(conv)
    assert ended is not None
    return ended.messages, ended.text, ended.reply


_SPLIT = (
    ("jakni", "There is no way to `split!` a string into an existing vector without allocating, right?"),
    ("Chris", "I'm not sure `split!` makes a ton of sense in the generic case, but could certainly write your own"),
    ("jakni", "I have indeed rolled my own:\n```function split!(buffer, str, sep)\n    GC.@preserve str begin\n"
              "        buffer[1] = SubString(str, 1, 2)\n    end\nend```"),
    ("Chris", "Why the `GC.@preserve` there, doesn't seem like you're doing anything unsafe in the block?"),
)
"""A question about the asker's own code, the macro in it written with an ``@``."""


def test_a_good_catch_is_shown_after_the_question_that_caught_it_even_with_a_macro_in_its_code() -> None:
    conv = _conv(*_SPLIT, ("jakni", "Whoops yeah, I'm used to working with pointers when manipulating strings bytewise, "
                                    "good catch"))
    messages, text, reply = _ended(conv)
    assert messages == (3, 4) and text.startswith("Why the `GC.@preserve` there") and reply is not None
    assert reply.endswith("good catch")
    asked_of_another = _conv(*_SPLIT[:3], ("Chris", "@Mason why the `GC.@preserve` there, isn't that unsafe in the block?"),
                             ("jakni", "Whoops yeah, I'm used to working with pointers when manipulating strings bytewise"))
    assert _ended(asked_of_another)[0] == (4,)  # a question put to a third person is not what the answer leans on


def test_an_answer_agreeing_with_the_askers_conclusion_is_shown_after_it() -> None:
    turns = [
        ("Rohan", "Is there any way to merge a vector of dicts (that have the same key) into one dict where the same key "
                  "has a vector of the corresponding values?"),
        ("ararslan", "Something like\n```d = Dict()\nfor x in xs, (k, v) in x\n    push!(get!(d, k, Vector{typeof(v)}()), v)\n"
                     "end```\nshould do it"),
        ("Rohan", "Thanks, so seems like its necessary to use an explicit loop and push stuff into the dict"),
        ("ararslan", "It's how I'd do it, at least. Perhaps there's a better way"),
    ]
    messages, text, reply = _ended(_conv(*turns))
    assert messages == (2, 3) and text == "Thanks, so seems like its necessary to use an explicit loop and push stuff into the dict"
    messages_ = [_m(f"{k + 1}.0", user, said) for k, (user, said) in enumerate(turns)]
    shown = rendered_text(summarize_offline(messages_), messages_)
    assert shown.count("so seems like its necessary") == 1  # not again as a key point
    assert reply is not None and reply.startswith("It's how I'd do it")
    plain = _conv(*turns[:2], ("Rohan", "I will use an explicit loop and push stuff into the dict then"), turns[3])
    assert _ended(plain)[0] != (2, 3)  # a plan, not a conclusion drawn: nothing to agree with


def test_a_caveat_is_shown_after_the_answer_it_qualifies() -> None:
    messages = [
        _m("1.0", "Evan", "Is there a shorthand for `x -> ismissing(x) ? missing : f(x)`?"),
        _m("2.0", "extradosages", "`passmissing(f)` from Missings.jl (https://github.com/JuliaData/Missings.jl) might suffice."),
        _m("3.0", "Peter", "`passmissing` for sure."),
        _m("4.0", "extradosages", "Note the caveat that multi-arity functions pass `missing` when _any_ of their arguments "
                                  "are `missing` ."),
    ]
    shown = rendered_text(summarize_offline(messages), messages)
    ended = next(line for line in shown.splitlines() if line.startswith("**Where it ended:**"))
    assert "`passmissing(f)` from Missings.jl" in ended and ended.index("passmissing(f)") < ended.index("Note the caveat")
    looks = _conv(("Ian", "Syntax highlighting isn't working when `remote-ssh`-ing into the system. Any extra steps?"),
                  ("affans", "Yeah, it should look like this:"),
                  ("affans", "Note that I am using WSL, but it should be similar on remote-ssh"))
    assert _ended(looks)[0] == (2,)  # a lead-in to a picture is no answer to show


def test_so_that_does_work_confirms_the_answer_before_it() -> None:
    conv = _conv(
        ("mroavi", "How can I perform broadcast multiplication on all `N` arrays? I tried `reduce(.*, arrays)` but `.*` is "
                   "not defined."),
        ("Syx", "I would suggest `reduce((x, y) -> x.*y, arrays)`"),
        ("mroavi", "Right. Your second example is the result I want."),
        ("Syx", "In Julia 1.6, `reduce(.*, arrays)` would work, but not before I believe."),
        ("mroavi", "Hmm so that does work on Julia 1.6. Nice."),
    )
    messages, text, reply = _ended(conv)
    assert messages == (3, 4) and text.startswith("In Julia 1.6, `reduce(.*, arrays)` would work") and reply is not None


def test_the_line_of_code_the_asker_changed_to_make_it_work_is_shown() -> None:
    before = "```macro each(iterator)\n    quote\n        for e in esc(iterator)\n            @info e\n        end\n    end\nend```"
    conv = _conv(
        ("Frankel", "Why does my macro `@each` give `UndefVarError: y not defined` in the REPL?"),
        ("mose", "You need to escape the argument of the macro"),
        ("Frankel", "you mean `esc(iterator)` ? I tried that and it didn't work"),
        ("Frankel", before),
        ("mose", "Because you didn't use it everywhere"),
        ("Frankel", "ok after a bunch of fiddling it seems to work with:\n" + before.replace("in esc(iterator)",
                                                                                           "in $(esc(iterator))")),
        ("Frankel", "thx"),
    )
    messages, text, reply = _ended(conv)
    assert messages == (4, 5) and text == "Because you didn't use it everywhere"
    assert reply == "ok after a bunch of fiddling it seems to work with: `for e in $(esc(iterator))`"


def test_a_code_answer_thanked_stays_the_ending_over_the_askers_waved_off_question() -> None:
    conv = _conv(
        ("Jake", "Is there a DateTime function that returns the dates of the start and end of the week? It wouldn't be "
                 "too difficult to make, but perhaps I missed something in the docs."),
        ("Syx", "```firstdayofweek(today()):Day(1):lastdayofweek(today())```"),
        ("Jake", "Ah, Thank you @Syx :face_palm:"),
        ("Jake", "Those seem to take longer than my solution though? Oh well, I'm not too worried about time"),
    )
    messages, text, _ = _ended(conv)
    assert messages == (1, 2) and text == "`firstdayofweek(today()):Day(1):lastdayofweek(today())`"
    assert open_questions(conv) == []
    asked = _conv(*[(m.user_name, m.text) for m in conv.messages[:3]],
                  ("Jake", "Those seem to take longer than my solution though? Is there a faster one?"))
    assert [item.messages for item in open_questions(asked)] == [(3,)]  # not waved off: still open


def test_an_issue_opened_ends_its_authors_run_over_a_longer_remark_before_it() -> None:
    conv = _conv(
        ("thchr", "Question about JLD2: mutating what I read from `jldfile` changes what later reads return. Why?"),
        ("Moelf", "think of it as cached after the first read; just `v = copy(....)`, no big deal, treat it like a Dict"),
        ("thchr", "Yeah, I guess so. In my case, I was using a .jld file (opened on package initialization) to access data "
                  "from a big archive with many fields in a user-facing function."),
        ("thchr", "Anyway, opened this issue https://github.com/JuliaIO/JLD2.jl/issues/277; maybe some doc clarification "
                  "could save someone else from similar confusion."),
    )
    messages, text, _ = _ended(conv)
    assert messages == (3,) and text.startswith("Anyway, opened this issue https://github.com/JuliaIO/JLD2.jl/issues/277")


def test_the_overview_under_where_it_ended_is_labelled_as_the_topic() -> None:
    messages = [
        _m("1.0", "Ashton", "Is there any detailed documentation of internalnorm, and how to modify it? It doesn't seem to "
                            "be found by search"),
        _m("2.0", "nathanael", "Not sure what exactly you're looking for, but by default it uses DiffEqBase.ODE_DEFAULT_NORM"),
        _m("3.0", "chris", "I know how it works so I can't really make that determination, but that seems like all that's "
                           "needed. You just defined some `(u,t)` functions."),
        _m("4.0", "Ashton", "Is it correct that if I rewrite a complex variable problem in terms of real variables, the "
                            "norm will go down by a factor of 2?"),
        _m("5.0", "chris", "it depends on the size of the real and imaginary terms."),
    ]
    shown = rendered_text(summarize_offline(messages), messages)
    quoted = [line for line in shown.splitlines() if "Ashton:" in line and "internalnorm" in line]
    assert quoted and all(line.startswith(("**Topic:**", "•")) for line in quoted)


def test_a_yes_or_no_or_because_ending_is_shown_after_the_question_it_answers() -> None:
    for reply in ("Nope, nobody is working on it right now", "Because it's a standard library, it basically has the same "
                                                                 "version as Julia"):
        conv = _conv(
            ("VarLad", "Plotting takes ages the first time on every machine I have tried, on 1.5 and on 1.6 alike."),
            ("Julius", "Time to first plot is mostly compilation of the whole plotting pipeline, sadly."),
            ("VarLad", "Any update on reducing the first-time-to-plot in Makie?"),
            ("Julius", reply),
        )
        messages, text, shown = _ended(conv)
        assert messages == (2, 3) and text == "Any update on reducing the first-time-to-plot in Makie?" and shown == reply
    stated = _conv(("VarLad", "Plotting takes ages the first time on every machine I have tried."),
                   ("Julius", "Time to first plot is mostly compilation of the whole plotting pipeline, sadly."),
                   ("Julius", "Nope, nobody is working on it right now"))
    assert _ended(stated)[0] == (2,)  # its author's own words before it ask nothing: shown alone


def test_the_askers_understanding_confirmed_by_a_yes_is_where_it_ended() -> None:
    turns = [
        ("Reese", "If one function uses pre-allocated memory and calls another that mutates it, does the second one "
                  "need the `!` suffix?"),
        ("Moelf", "the `!` is purely for the reader, compiler doesn't do anything special for it"),
        ("yurivish", "The suffix is a convention to indicate that the function mutates one or more of its arguments"),
        ("Reese", "Oh I see. So `.=` works regardless"),
        ("Rafael", "Yes it will work either way. But if you use `!` it is a lot easier to follow where state changes occur."),
    ]
    messages, text, reply = _ended(_conv(*turns))
    assert messages == (3, 4) and text == "So `.=` works regardless" and reply is not None and reply.startswith("Yes it will")
    assert _ended(_conv(*turns[:4], ("Rafael", "Cool.")))[0] != (3, 4)  # a nod, no yes with reasons


def test_a_yes_that_says_when_it_will_work_is_shown_after_the_askers_plan() -> None:
    conv = _conv(
        ("Francis", "Currently `@transform d A = 1` does not work. Is there another way to add a column of one value?"),
        ("Peter", "`@transform d A = 1` absolutely should work. What version of DataFramesMeta are you on?"),
        ("Francis", "The problem of having versions 0.4-1.5 on my computer and associated package versions. I'll update to "
                    "1.6 and update my registries and see if I can't correct this behavior."),
        ("Peter", "`0.4` :scream:? Yes if you are on DataFramesMeta 0.6 or above, this will work"),
    )
    assert _ended(conv)[2] == "Yes if you are on DataFramesMeta 0.6 or above, this will work"


def test_a_claim_its_author_corrects_right_after_is_no_key_point() -> None:
    messages = [
        _m("1.0", "vtjnash", "https://build.julialang.org/#/builders/34/builds/7606/steps/7/logs/stdio"),
        _m("2.0", "vtjnash", "@jeff looks like only the master process was recorded and uploaded, so there's limited "
                             "information available"),
        _m("3.0", "vtjnash", "ah, no, we recorded all processes, we just serialized everything, and really just ran out of time"),
        _m("4.0", "keno", "why would we have run out of time this time, but not previously"),
        _m("5.0", "keno", "usually this finishes in about an hour on this machine"),
        _m("6.0", "vtjnash", "this is an old one and making it single threaded would mean over 8 hours"),
    ]
    shown = rendered_text(summarize_offline(messages), messages)
    assert "only the master process" not in shown and "we recorded all processes" in shown


def test_the_overview_is_not_repeated_when_a_point_shows_it_without_its_mention() -> None:
    messages = [
        _m("1.0", "oxinabox", "@CarloLucibello did you get anywhere with a successor to MLDataUtils.jl?"),
        _m("2.0", "CarloLucibello", "no, didn't find time to even start thinking about it, and unlikely will in the near future"),
    ]
    shown = rendered_text(summarize_offline(messages), messages)
    assert shown.count("did you get anywhere with a successor") == 1 and "Topic" not in shown


def test_code_after_a_clarifying_exchange_answers_the_opening_question() -> None:
    turns = [
        ("Paresh", "basic question, how do I concatenate several strings with a fixed delimiter?"),
        ("Moelf", "are several strings in different variables? or you have a vector of strings?"),
        ("Paresh", "different variables"),
        ("Moelf", '```julia> join(["aaa", "bb", "cc"],";;")\n"aaa;;bb;;cc"```'),
    ]
    messages, text, reply = _ended(_conv(*turns))
    assert messages == (0, 3) and text.endswith("with a fixed delimiter?") and reply == '`join(["aaa", "bb", "cc"],";;")`'
    told = _conv(turns[0], ("Moelf", "It depends on where the strings are kept."), turns[2], turns[3])
    assert _ended(told)[0] != (0, 3)  # no clarifying question between: not this rule's


def test_works_for_me_as_in_the_example_shows_the_examples_code_under_its_authors_name() -> None:
    messages = [
        _m("1.0", "Kusti", "How do I use a function that is defined in a parent module in an inner module?"),
        _m("2.0", "fredrikekre", "One way:\n```julia> module A\n    f() = 1\n    module B\n        using ..A: f\n        "
                                 "g() = f()\n    end\nend\nMain.A\n\njulia> A.B.g()\n1```"),
        _m("3.0", "Kusti", "Do I have to rename it? `import ..A: f` doesn't seem to work directly."),
        _m("4.0", "fredrikekre", "Works for me (as you can see in the example)."),
    ]
    shown = rendered_text(summarize_offline(messages), messages)
    assert "**Where it ended:** fredrikekre: Works for me (as you can see in the example). `module A" in shown


def test_a_short_answer_the_asker_took_is_shown_after_their_question() -> None:
    turns = [
        ("nesteiner", "I don't know what `Iterators.Stateful` is for, can anyone give an example?"),
        ("yakir12", "if you want to change the iterator mid iteration."),
        ("nesteiner", "eh, will this slow down the speed ?"),
        ("yakir12", "No,"),
        ("yakir12", "not that you'd notice I think"),
        ("nesteiner", "ok, I got it"),
    ]
    messages, text, reply = _ended(_conv(*turns))
    assert messages == (2, 5, 4) and text == "will this slow down the speed ?" and reply == "No, not that you'd notice I think"
    worked = _conv(*turns[:5], ("nesteiner", "Yeah, that did it."))
    assert _ended(worked)[0] != (2, 5, 4)  # a report that it worked says more: shown after the answer


def test_the_inline_code_an_acknowledgement_names_is_the_answer() -> None:
    conv = _conv(
        ("Heetbeet", "How can I test if a macro exists?"),
        ("Simeon", "`isdefined(Module, Symbol(\"@foo\"))` might be what you are looking for"),
        ("Heetbeet", "And using the macro version, how do I specify a Symbol? `Base.@isdefined Symbol(\"@hello\")` errors"),
        ("Simeon", '`var"@hello"`'),
        ("Simeon", "Could open an issue about allowing this though"),
        ("Heetbeet", 'Okay cool. I saw `var"@hello"` is not a "*_str" macro but actually evaluates at the parser level. '
                     "I take it that is why it works in this case."),
    )
    messages, text, _ = _ended(conv)
    assert messages == (3, 5) and text == '`var"@hello"`'


def test_pointing_someone_outside_the_thread_at_it_is_an_aside() -> None:
    turns = [
        ("Heetbeet", "My colleague is having problems getting Julia up and running in VS Code on Windows: the language "
                     "server never finishes starting."),
        ("fredrikekre", "Perhaps try with a non-beta version of Julia? The vs-code integration needs more work for 1.6"),
        ("Christophe", "As I wrote, asking in #vscode is more likely to get a useful answer. That's where the Julia "
                       "extension devs hang out."),
        ("Pedro", "Just did, thanks."),
    ]
    assert _ended(_conv(*turns, ("Heetbeet", "@Rudolf Byker this thread is related to your workflow")))[0] == (2, 3)
    answered = _conv(*turns, ("Heetbeet", "@Christophe this thread is related to your workflow"))
    assert _ended(answered)[0] == (4,)  # someone in the thread is being answered, not pointed at it


def test_the_code_an_asker_names_is_the_first_message_that_named_it_and_a_code_guess_has_a_gist() -> None:
    assert code_gist("`ndigits(x,base=2)`?") == "`ndigits(x,base=2)`"
    conv = _conv(
        ("Klaus", "Is there a proper way to determine the highest set bit number of an integer in the usual binary "
                  "representation?"),
        ("Oscar", "`ndigits(x,base=2)`?"),
        ("mose", "`leading_zeros`?"),
        ("mose", "uhm, `ndigits` works with `BigInt`"),
        ("jakni", "The issue here is that BigInt does not have the usual binary representation, so `ndigits` is the way "
                  "if you need to support both."),
        ("Klaus", "Thanks, `ndigits` is the thing I was looking for!"),
    )
    messages, text, _ = _ended(conv)
    assert messages == (1, 5) and text == "`ndigits(x,base=2)`"


def test_which_of_two_and_a_better_benchmark_are_shown_with_the_answer() -> None:
    conv = _conv(
        ("Adam", "Is there a way to start Julia with an empty environment stack for a tutorial demo?"),
        ("mose", '`JULIA_LOAD_PATH=""`: https://docs.julialang.org/en/v1/manual/environment-variables/#JULIA_LOAD_PATH'),
        ("Adam", "If I do this, where will subsequently added packages get recorded?"),
        ("mose", "you can do something like `export JULIA_LOAD_PATH= julia --project=my-environment`"),
        ("mose", 'honestly I\'m not sure whether the right value is `""` or `@`, maybe the latter'),
        ("Adam", "Thanks, this is a huge help"),
        ("fredrikekre", "The latter"),
    )
    assert _ended(conv)[2] == "The latter"
    faster = _conv(
        ("jeffrey", "To find the symbols in a small tuple that are not in another small tuple, can I do better in "
                    "performance than my loop?"),
        ("jakni", "What about just `filter(needle -> !(needle in haystack), needles)`"),
        ("jeffrey", "that does benchmark better"),
        ("miguel", "I tried using `ValueSymbols` but it breaks the broadcasting machinery a bit."),
        ("jeffrey", "thanks"),
    )
    messages, text, reply = _ended(faster)
    assert messages == (1, 2) and text.startswith("What about just `filter(") and reply == "that does benchmark better"


def test_code_a_sentence_speaks_of_comes_first_and_writing_into_a_set_up_array_is_the_gist() -> None:
    assert code_gist("```julia> a = zeros(5)\n5-element Vector{Float64}:\n 0.0\n\njulia> a[[1,4,5]] .= rand.()\n3-element "
                     "view```") == "`a[[1,4,5]] .= rand.()`"
    assert code_gist("```x = 1\ny = 2```") == "`x = 1; y = 2`"  # nothing written into a name set up before: as it was
    conv = _conv(
        ("goalaleo", "what's the best way to turn an array into all possible combinations of n-tuples?"),
        ("mose", "if vectors instead of tuples are ok, `permutations` from Combinatorics"),
        ("theogf", "`collect(Iterators.product(fill([1, 2, 3], n)...))`"),
        ("theogf", "this gives a tensor but you can use `vec()` to get a 1D vector"),
        ("goalaleo", "thanks :+1:"),
    )
    messages, text, _ = _ended(conv)
    assert messages == (2, 3, 4) and text == ("`collect(Iterators.product(fill([1, 2, 3], n)...))`: this gives a tensor but "
                                              "you can use `vec()` to get a 1D vector")


def test_thanks_with_a_promise_to_take_a_look_gives_way_to_the_answer() -> None:
    conv = _conv(
        ("Omar", "Is there a way to make code blocks in `Documenter.jl` documentation scrollable?"),
        ("mortenpi", "There's nothing built-in for that at the moment. In principle, you could use an at-raw block to "
                     "write the necessary HTML for the code block yourself."),
        ("Omar", "Thank you, I'll take a look into that"),
    )
    messages, text, reply = _ended(conv)
    assert messages == (1, 2) and text.startswith("There's nothing built-in") and reply == "I'll take a look into that"


def test_a_bare_yes_and_its_reason_and_a_yes_at_the_end_are_shown_after_the_question() -> None:
    turns = [
        ("quinnj", "I don't think serialization is guaranteed across julia versions."),
        ("stefan", "if you save data in 1.x, you will be able to load it in Julia 1.y for y ≥ x"),
        ("iamed2", "Is it backwards compatible in 1.c.x versions where c is a constant? I was wondering about this the "
                   "other day"),
        ("stefan", "yes"),
        ("stefan", "we don't change the format in patch releases"),
    ]
    messages, text, reply = _ended(_conv(*turns))
    assert messages == (2, 3, 4) and text.startswith("Is it backwards compatible") and reply == (
        "yes, we don't change the format in patch releases")
    ends_yes = _conv(("Oscar", "I know that large tuples are slow but I don't really know why. Any reference?"),
                     ("jakni", "Basically because a tuple has one type parameter per element, so the compiler chokes."),
                     ("Karajan", "Isn't there also some threshold where the compiler stops optimizing if the tuples get "
                                 "too big?"),
                     ("Oscar Smith", "There are several different thresholds, but basically yes"))
    messages, text, reply = _ended(ends_yes)
    assert messages == (2, 3) and reply == "There are several different thresholds, but basically yes"


def test_done_before_the_link_is_shown_with_it_and_a_pr_given_a_go_ends_the_thread() -> None:
    conv = _conv(
        ("tkf", "@maleadt, @vchuravy can someone enable buildkite for https://github.com/JuliaFolds/UnionArrays.jl?"),
        ("maleadt", "done"),
        ("maleadt", "https://buildkite.com/julialang/unionarrays-dot-jl"),
        ("tkf", "Thanks!"),
    )
    assert _ended(conv)[2] == "done https://buildkite.com/julialang/unionarrays-dot-jl"
    tried = _conv(("vtjnash", "It might be fun to create a `@noscope` macro for each of them"), ("Ian", "@ararslan :joy:"),
                  ("simon", "`@360noscope`"), ("Ian", "Gave it a go https://github.com/JuliaLang/julia/pull/39217"))
    messages, text, _ = _ended(tried)
    assert messages == (3,) and text.startswith("Gave it a go https://github.com/JuliaLang/julia/pull/39217")


def test_a_probable_cause_put_as_a_question_is_no_open_question() -> None:
    conv = _conv(("Harsh", "My GPU kernel crashes with an invalid memory access when the array is large. Why?"),
                 ("jpsamaroo", "Probably too many stack allocations?"))
    assert open_questions(conv) == []


def test_an_overview_that_leads_into_code_shows_the_codes_gist_once() -> None:
    messages = [
        _m("1.0", "Vin", "What's the difference between using a `const` and not using it when declaring a new `DataType` :\n"
                         "```const MyType = Dict{Int, String}\nMyType = Dict{Int, String}```\nDoes it mean we can not "
                         "re-assign `MyType` again if it is declared `const`?"),
        _m("2.0", "Micket", "Yes"),
        _m("3.0", "Micket", "(this also greatly affects performance of global values, you should use it for your custom "
                            "type)"),
    ]
    shown = rendered_text(summarize_offline(messages), messages)
    assert "`DataType` : `const MyType = Dict{Int, String}; MyType = Dict{Int, String}`" in shown
    assert shown.count("What's the difference between using a `const`") == 1
