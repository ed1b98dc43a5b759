"""Sections and endings on threads earlier judges saw (issue 11, thirty-fourth round, read on threads of 6–20
replies): the code an asker called perfect is where it ended, not its author's caveat; a clarification confirmed is no
success; a reply that quotes two questions answers both; a question put in the negative and answered by its own author
is not open; a name in code is no owner; a reply leaning on code with a lead-in is shown after both; a concession is
shown with the correction it takes; owning a slip resolves nothing; an aside after "Btw" and a claim taken back are no
ending; a hedged agreement or a lament is no decision; a newcomer after someone's "Not sure" speaks to the asker; a promise to
oneself, or a take-up said with thanks, is no task; a suggestion in code the asker said yes to is a key point; "I guess
so" is shown after its question; the asker's last word on themself and someone else's thanks with praise are no
ending; "I know right?", following with interest, "I'm probably going to …", a rule for future questions, a request
to ask again once asked and a promise to update once updated are no open items; the asker's conclusion that closes on
thanks is where it ended; a request for a backtrace is done once it is posted."""

from __future__ import annotations

from bot.evals.rouge_sets import rendered_text
from bot.summaries.extractive import summarize_offline
from bot.summaries.structure import (
    Conversation,
    _worked,
    action_items,
    confirmed_answers,
    is_commitment,
    is_decision,
    is_praise,
    open_questions,
)
from tests.test_asker_closes import _messages


def _shown(*turns: tuple[str, str]) -> str:
    messages = _messages(*turns)
    return rendered_text(summarize_offline(messages), messages)


def _ended(*turns: tuple[str, str]) -> str:
    return next(line for line in _shown(*turns).splitlines() if line.startswith("**Where it ended:**"))


_UNSAFE_VIEW = (
    ("willtebbutt", "Is anyone aware of a mechanism to do really unsafe views, where you provide the memory backing an "
                    "`Array` directly from a contiguous section of another `Array`?"),
    ("mbauman", "but why? Is it just to fit a square peg into the round hole that is a `::Vector{Float64}` method signature?"),
    ("willtebbutt", "Essentially. I'd like to allocate a single array that provides the memory for multiple smaller arrays."),
    ("Simeon Schaub", "You probably want something like:\n```julia> a = [1:10;]\n10-element Array{Int64,1}:\n 1\n 2\n\n"
                      "julia> Base.unsafe_wrap(Array, pointer(a) + 1 * sizeof(eltype(a)), 5)\n5-element Array{Int64,1}:\n 2\n 3```"),
    ("willtebbutt", "Oooooo"),
    ("Simeon Schaub", "Just remember to `GC.@preserve` `a` as long as that array is in use"),
)


def test_the_code_an_asker_called_perfect_is_where_it_ended_not_its_caveat() -> None:
    ended = _ended(*_UNSAFE_VIEW, ("willtebbutt", "This is perfect, thanks @Simeon Schaub"))
    assert "Simeon Schaub: You probably want something like: `Base.unsafe_wrap(Array, pointer(a)" in ended
    assert "This is perfect" in ended and "GC.@preserve" not in ended
    # "perfect for …" is no report that it worked
    conv = Conversation(_messages(*_UNSAFE_VIEW, ("willtebbutt", "This is perfect for the tape, but I need the GC rooting.")))
    assert _worked(conv, len(conv.messages) - 1) == []
    conv = Conversation(_messages(*_UNSAFE_VIEW, ("willtebbutt", "This is perfect, thanks @Simeon Schaub")))
    assert _worked(conv, len(conv.messages) - 1) != []


def test_an_askers_yes_to_what_they_meant_is_no_success() -> None:
    turns = (
        ("Peter Deffebach", "I am constantly doing `map(f, 1:N) |> Tables.columntable`, which feels very wasteful. Is "
                            "there a `map` that returns a named tuple of vectors?"),
        ("ericphanson", "do you mean like DataFrames’ AsTable, but for generic tables? or something else entirely?"),
        ("Peter Deffebach", "yeah that's exactly it. But I feel like this should be feasible with named tuples only, nothing "
                            "with dataframes"),
        ("ericphanson", "actually, I think this should do it: `Tables.columntable(f(i) for i in input)` since the generator "
                        "never allocates the vector of named tuples"),
        ("Peter Deffebach", "That might be more performant. I will have to double check the allocations tomorrow."),
    )
    ended = _ended(*turns)
    assert "exactly it" not in ended and "something else entirely" not in ended
    # without the "But …" the yes takes the answer it follows
    taken = _ended(*turns[:2], ("Peter Deffebach", "yeah that's exactly it, thanks!"))
    assert "exactly it" in taken


def test_a_reply_quoting_two_questions_answers_both() -> None:
    conv = Conversation(_messages(
        ("Tim Holy", "New blog post on SnoopCompile's tools for reducing latency: https://julialang.org/blog/2021/01/snoopi"),
        ("Oscar Smith", "Has your work with SnoopCompile given you generally useful tips for package developers?"),
        ("Oscar Smith", "also, on the blog is there a specific reason you didn't use `@time` for your timings?"),
        ("Tim Holy", ">  generally useful tips\nYep. Most of the recommendations in the docs are relevant.\n\n"
                     "> is there a specific reason you didn't use `@time` for your timings\nSometimes it seems to force "
                     "inference, which kinda defeats the purpose."),
    ))
    assert [item.text for item in open_questions(conv)] == []
    unquoted = Conversation(_messages(*[(m.user_name, m.text) for m in conv.messages[:3]],
                                      ("Tim Holy", ">  generally useful tips\nYep. Most of the recommendations in the docs are relevant.")))
    assert [item.messages for item in open_questions(unquoted)] == [(2,)]  # the second was never answered


def test_a_question_put_in_the_negative_and_answered_by_its_author_is_not_open() -> None:
    conv = Conversation(_messages(
        ("Sam Buercklin", "How do I add a method to `Foo.f` from inside another module `Bar`?"),
        ("jakni", "Inside `Bar`, do `using ..Foo` and define `Foo.f(x::Int) = x^2`."),
        ("Sam Buercklin", "Thank you very much, that clears up my concerns"),
        ("jakni", "You must have seen it before - haven't you been adding methods to `Base` before? That's just the same :)"),
    ))
    assert open_questions(conv) == []
    asked = Conversation(_messages(*[(m.user_name, m.text) for m in conv.messages[:3]],
                                   ("jakni", "By the way, haven't you tried the same thing with `Base` methods in your package?")))
    assert [item.messages for item in open_questions(asked)] == [(3,)]  # nothing said after it: still asked


def test_a_name_in_code_is_no_owner() -> None:
    conv = Conversation(_messages(
        ("Chris", "How do I time a benchmark and keep its result?"),
        ("oxinabox", "It would be good to introduce a `@btimed` that does this to BenchmarkTools. Can you open an issue?"),
    ))
    owners = [item.owner for item in action_items(conv)]
    assert "btimed" not in " ".join(o or "" for o in owners)
    assert conv.mentioned("ping `@run` then @Chris") == "Chris"


def test_a_reply_leaning_on_code_with_a_lead_in_is_shown_after_both() -> None:
    shown = _shown(
        ("affans", "Consider this struct with fields `W`, `Z` and `Y`, each `Array{Float64, 1}`. Is it possible I can "
                   "replace the `5` in the generator by the number of fields in the struct?"),
        ("jakni", "E.g. you could do `PlotData_t1(n) = PlotData_t1([zeros(Float64, n) for i in 1:fieldcount(PlotData_t1)])`"),
        ("affans", "Oh yeah, that's what I was looking for. Can metaprogramming generate structs on the fly?"),
        ("jakni", "Yep! But metaprogramming is usually not the best solution. It doesn't lead to clean code"),
        ("affans", "hmm, so say I have three variables `W, Z, Y` with an average, a low and a high each: nine fields to "
                   "type out by hand, which is a bit cumbersome"),
        ("jakni", "It could! But maybe instead, you should just have it be\n```struct PlotData_t1\n    W::NTuple{3, Vector}\n"
                  "end```"),
        ("affans", "Yeah, that seems cleaner. I'll have to index in when accessing the subfields, I wonder whats better "
                   "in terms of performance"),
    )
    line = next(x for x in shown.splitlines() if "that seems cleaner" in x)
    assert "you should just have it be `struct PlotData_t1; W::NTuple{3, Vector}; end` — affans: Yeah, that seems cleaner" in line


def test_a_concession_after_a_correction_is_shown_with_it() -> None:
    turns = (
        ("ericphanson", "The `convert` docstring says the result may alias all or part of `x`, so `convert` should be ok "
                        "to me. Where does it say it should copy?"),
        ("blegat", "Maybe julia doc should be updated to match the docstring then"),
        ("ericphanson", "I think maybe you're misreading that part, @blegat. It's saying that using the constructor like "
                        "`T(x)` should copy (so the constructor, not convert, should copy)"),
    )
    ended = _ended(*turns, ("blegat", "Indeed, reading it again, your interpretation is correct :slightly_smiling_face:"))
    assert "the constructor, not convert, should copy) — blegat: Indeed, reading it again, your interpretation is correct" in ended
    assert "your interpretation" not in _ended(*turns, ("blegat", "Indeed, thanks"))  # an acknowledgement adds nothing


def test_owning_a_slip_is_no_resolution_and_a_that_opener_shows_what_it_goes_on_from() -> None:
    ended = _ended(
        ("pure_interpeter", "The LoopVectorization announcement suggested the LLVM patch might make it into Julia 1.6?"),
        ("dilumaluthge", "I think that refers specifically to a patch that Chris made to LLVM upstream"),
        ("Chris Elrod", "I didn't make the patch. But yes, the patch I was interested in did make it into Julia 1.6."),
        ("dilumaluthge", "Ah, my mistake; a patch made by someone to LLVM upstream"),
        ("Chris Elrod", "Yes, LoopVectorization no longer needs to use asm call to select vfmadd231 with LLVM >=11."),
        ("Chris Elrod", "That simplifies the code, because there was some logic deciding when it was worth using asm call "
                        "(asm call prevents other optimizations, so it had to consider when those would be possible)."),
    )
    assert "my mistake" not in ended
    assert "Chris Elrod: Yes, LoopVectorization no longer needs to use asm call to select vfmadd231 with LLVM >=11. That " \
           "simplifies the code" in ended


def test_an_aside_after_btw_is_not_where_it_ended() -> None:
    ended = _ended(
        ("Dimitar Vanguelov", "The docstring has a typo: \"twodata frames\". What is the preferred protocol here? Is "
                              "pointing it out enough? PR seems like overkill."),
        ("kristofferc", "Someone has to go into the source file, edit the docstring, make a PR and then it has to be merged."),
        ("bkamins", "Making a PR is preferable. You can edit the file on GitHub and automatically open a PR."),
        ("Dimitar Vanguelov", "Ok, thanks for letting me know. I will submit a PR then.\n\nBtw @kristofferc, I'm still working "
                              "on that other PR for Pkg.jl :sweat_smile: (I had something ugly that worked, then undid it)."),
    )
    assert "I will submit a PR then" in ended and "Btw" not in ended


def test_a_claim_its_author_takes_back_is_no_ending_or_point() -> None:
    turns = (
        ("Pavan Chaggar", "How can i compute the minimum non-zero value of an otherwise positive array?"),
        ("Sukera", "`minimum(y -> iszero(y) ? Inf : y, x)` is the fastest of the three I timed, 963 ns against 2.4 µs"),
        ("fredrikekre", "Probably, is it fast even if `eltype(x) !== typeof(Inf)`?"),
        ("mose", "yeah, with `x = rand(UInt, 1000)` it's pretty bad if using `Inf`, but `typemax(y)` does the trick"),
        ("mose", "```f(x) = minimum(iszero(y) ? typemax(y) : y for y in x)```\nseems even faster"),
    )
    assert "seems even faster" in _ended(*turns)
    ended = _ended(*turns, ("mose", "(uhm, no, not necessarily faster :thinking_face:)"))
    assert "seems even faster" not in ended and "minimum(iszero(y)" not in ended
    shown = _shown(
        ("mroavi", "Does `reduce((x,y) -> x .* y, arrays)` fuse the operations in one loop? If not, what would be the "
                   "right syntax?"),
        ("Simeon Schaub", "No, but `.*(arrays...)` should fuse them all into a single loop over the elements."),
        ("Mason Protter", "Note, this assumes you have version 1.6 of Julia installed on your machine"),
        ("Simeon Schaub", "Does it? It should work in previous versions too"),
        ("Mason Protter", "Oh wait, this isn't doing what I thought it was, nevermind. This doesn't require the new `.*`"),
    )
    assert "assumes you have version 1.6" not in shown


def test_a_hedged_agreement_or_a_check_is_no_decision() -> None:
    assert not is_decision("Yup, that's fine for now (I think).")
    assert not is_decision("That's fine with me too, but I wouldn't choose a worse name just to allow keyword arguments.")
    assert not is_decision("edit: checked with `@code_typed`, looks fine to me")
    assert is_decision("That's fine with me, let's go with rowmerge")
    assert is_decision("Looks fine to me, merge it")


def test_a_newcomer_after_someone_could_not_answer_speaks_to_the_asker() -> None:
    conv = Conversation(_messages(
        ("Mahta", "`using` certain packages like `Flux` or `CUDA` on a compute node kills Julia. Any clues?"),
        ("jakni", "Could be because Flux and Cuda depend on an underlying CUDA library?"),
        ("Mahta", "@jakni probably, but like what?"),
        ("jakni", "Not sure :( Never used GPU libraries with Julia."),
        ("Simeon Schaub", "Might be a better question for #gpu. Maybe your CUDA and Julia versions are incompatible."),
        ("Simeon Schaub", "Please post the stacktrace there as well"),
    ))
    assert [item.owner for item in action_items(conv)] == ["Mahta"]
    answered = Conversation(_messages(*[(m.user_name, m.text) for m in conv.messages[:3]],
                                      ("jakni", "It is the CUDA driver on the compute node, it is older than the login node's."),
                                      *[(m.user_name, m.text) for m in conv.messages[4:]]))
    assert [item.owner for item in action_items(answered)] == ["jakni"]  # (the nearest other author, as before)


def test_a_promise_to_oneself_is_no_task() -> None:
    assert not is_commitment("I am going to have to copy and paste these examples to remind myself for the next time :)")
    assert is_commitment("I am going to have to copy and paste these examples into the docs for the next release")


def test_a_resolution_to_oneself_a_lament_and_a_take_up_with_thanks_are_no_items() -> None:
    assert not is_commitment("I will just have to be a lot more congizant of all this in the future")
    assert not is_decision("if only hardware makers hadn’t decided to not really support signaling NaNs properly")
    assert is_decision("hardware makers decided to not support signaling NaNs, so we trap them in software")
    conv = Conversation(_messages(
        ("Michael Helton", "How do I dispatch on the length of a vector, with a simple method for length 2?"),
        ("Peter A.", "You could have ::Val{2}, ::Val{3}, and ::Val signatures, with approximate methods after that"),
        ("Michael Helton", "This seems to give the desired result. I'll look into SArrays as well! Thank you everyone!"),
    ))
    assert action_items(conv) == []
    asked = Conversation(_messages(*[(m.user_name, m.text) for m in conv.messages[:2]],
                                   ("Michael Helton", "I'll look into SArrays as well and port the package to them next week.")))
    assert [item.owner for item in action_items(asked)] == ["Michael Helton"]  # a plan with its own step stays a task


def test_a_suggestion_in_code_the_asker_said_yes_to_is_a_key_point_when_the_thread_goes_on() -> None:
    turns = (
        ("JeremyB", "I want `f.(arr, 1:1:3, 1:1:3)` to broadcast over every element of `arr` and every pair of the ranges, "
                    "instead of looping explicitly; I get a DimensionMismatch. Is there a way?"),
        ("mcabbott", "What answer would you like here? I think the issue is the same as say `atan.(1:2, 1:3)`"),
        ("JeremyB", "I would like the behaviour to be like the loop filling `res[index, :]` for every element of `arr`"),
        ("mcabbott", "Like `f.(arr, (1:3)', (1:3)')` then?"),
    )
    later = (("JeremyB", "Also, if f is part of a public API, can users write `f.(arr,1:3,1:3)` and get that?"),
             ("mcabbott", "You can overload things to do almost anything, but IMO altering this broadcast behaviour would "
                          "be extremely surprising. You could have a function `applyperp(f, x, y, z)` instead."))
    shown = _shown(*turns, ("JeremyB", "Yes ! Thanks :slightly_smiling_face: Could you maybe explain quickly why it works like "
                                       "this ?"), *later)
    assert "mcabbott: Like `f.(arr, (1:3)', (1:3)')` then? — JeremyB: Yes ! Thanks" in shown
    asked = Conversation(_messages(*turns[:3], ("mcabbott", "So you want the outer product then?"),
                                   ("JeremyB", "Yes ! Thanks, could you explain why it works like this ?"), *later))
    assert confirmed_answers(asked) == []  # a yes to a question in words takes no code
    unsure = Conversation(_messages(*turns, ("JeremyB", "Maybe, I will try it later. Could you explain why it works ?"), *later))
    assert confirmed_answers(unsure) == []  # no yes, nothing taken


def test_i_guess_so_is_shown_after_the_question_it_answers() -> None:
    ended = _ended(
        ("Adam Finkle", "How do I save my simulation results to a file and load them back later?"),
        ("Ankit Kumar", "JLD2 with `@save` and `@load` keeps Julia types as they are, so that is the easiest"),
        ("Adam Finkle", "@Ankit Kumar So, what if I have a ragged, multidimensional array of particle coordinates?"),
        ("Adam Finkle", "Can I just cram-pack whatever I want into a JLD and just drag it out later, good as new?"),
        ("Ankit Kumar", "I guess so. You can try and see."),
    )
    assert "Can I just cram-pack whatever I want into a JLD" in ended and ended.index("cram-pack") < ended.index("I guess so")


def test_the_askers_last_word_on_themself_is_no_ending() -> None:
    turns = (
        ("Ari Huttunen", "How do I select the columns whose names start with Q and whose eltype is String?"),
        ("bkamins", "`names` allows to select column names using any standard column selector or a `Type`"),
        ("Ari Huttunen", "Well, I definitely don’t get all the possibilities here yet."),
        ("bkamins", "Everything except `Type` (which is specific to `names`) is described here: "
                    "https://dataframes.juliadata.org/stable/lib/indexing/#General-rules"),
    )
    ended = _ended(*turns, ("Ari Huttunen", "I remember seeing that page and skipping it as it looked kind of intimidating. "
                                            ":slightly_smiling_face:"))
    assert "bkamins: Everything except `Type`" in ended and "intimidating" not in ended
    assert "intimidating" in _ended(*turns, ("Ari Huttunen", "I remember seeing that page and skipping it as it looked "
                                                             "kind of intimidating, so I will read it properly now."))


def test_someone_elses_thanks_and_praise_is_not_what_the_asker_thanks_for() -> None:
    ended = _ended(
        ("Kim Laberinto", "The Julia extension shows no linting warnings for me in Code - OSS. Does it show them anywhere?"),
        ("pfitzseb", "That's a bug in Code - OSS; if you want to get going right away then install the official VSCode binaries"),
        ("VarLad", "Ohhh... well, any idea when it'll get fixed?"),
        ("pfitzseb", "The fix is in the current insiders release, which should be promoted to a normal release in ~12h or so"),
        ("VarLad", "Thanks! The vscode plugin and LanguageServer.jl are REALLY AWESOME! (although I use VSCodium!)"),
        ("Kim Laberinto", "Thank you!! I'll wait some more for the new release and report back to see if I can see the linting"),
    )
    assert "pfitzseb: The fix is in the current insiders release" in ended and "AWESOME" not in ended
    assert is_praise("The vscode plugin and LanguageServer.jl are REALLY AWESOME!") and is_praise("Really, Really nice.")
    assert not is_praise("Ah, great, you don’t need to specify the length of the lines")


def test_passes_five_and_six_items_that_are_no_items() -> None:
    assert open_questions(Conversation(_messages(
        ("manuelma", "The installer fails on Windows 7 with a PowerShell error, how do I get it to work?"),
        ("fredrikekre", "I mean, it is an operating system that is EOL over a year ago."),
        ("manuelma", "I know right?"),
    ))) == []
    assert not is_commitment("Cbinding however looks very cool, I'll follow it with interest")
    assert not is_commitment("I'm probably going to start using it in 3/4 months time, so only then I will know more")
    assert is_commitment("I'm going to open a PR for it tomorrow")
    conv = Conversation(_messages(
        ("Sean McBane", "Why does my plot look different when I reproduce it manually?"),
        ("Julius Krumbiegel", "Also, please put all the future usage questions on discourse and just general stuff here :)"),
    ))
    assert action_items(conv) == []
    asked = Conversation(_messages(
        ("mschauer", "I can remove the spline, now I would like to add coordinate axes at the origin (0,0)"),
        ("Julius Krumbiegel", "your message looks cut off for me after `spline,`, can you ask again?"),
    ))
    assert [item.owner for item in action_items(asked)] == ["mschauer"]
    again = Conversation(_messages(*[(m.user_name, m.text) for m in asked.messages],
                                   ("mschauer", "yes: how do I add coordinate axes through the origin, with tick marks?")))
    assert action_items(again) == []  # asked again: done
    reported = Conversation(_messages(
        ("Balen Ekusuimii", "Can I inject a REPL into a running process and read its memory?"),
        ("Balen Ekusuimii", "I am trying an approach right now, will update on it soon."),
        ("Balen Ekusuimii", "It works: `unsafe_load(Ptr{Int}(0x000002b679d5f580))` returned 123999123 from the other side"),
    ))
    assert action_items(reported) == []


def test_pass_seven_the_askers_conclusion_with_thanks_and_an_error_posted() -> None:
    ended = _ended(
        ("David", "I'm noticing that there's a difference between scalars, 1-d arrays, and 2-d arrays when using the "
                  "multiplication operator. How do I write `df1(x0) * x1` once for all three?"),
        ("Moelf", "You either have element-wise multiplication, or a dot product and you need to show which one you want."),
        ("Kim Laberinto", "It seems to me what is causing the issue is that `df1(x0)` is a 1-element Array here."),
        ("Kim Laberinto", "Hopefully others have some thoughts as well! Let me know if you have any questions (e.g. about "
                          "multiple dispatch, I can try my best to explain it)"),
        ("David", "I was thinking about this too and I think `df1(x0) * x1` can be used for all three cases as long as I "
                  "am using the right object for each quantity. Thank you everybody for your input!"),
    )
    assert "David: I was thinking about this too" in ended
    conv = Conversation(_messages(
        ("Ashwani", "My 500 lines of code throw an error in the solver, I can't tell where it comes from"),
        ("Balen Ekusuimii", "Could you send the backtrace of the error or pinpoint where exactly the error happens?"),
        ("Ashwani", "```ERROR: LoadError: BoundsError: attempt to access 3-element Vector{Float64} at index [4]\n"
                    "Stacktrace:\n [1] getindex at ./array.jl:809```"),
    ))
    assert action_items(conv) == []
    assert [item.owner for item in action_items(Conversation(list(conv.messages[:2])))] == ["Ashwani"]
