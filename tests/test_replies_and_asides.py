"""Where a thread ended when its last words are a reply's aside (issue 11, twenty-fourth round): thanks that name
an answerer whose run began with code, a few words after a code answer, a sentence that opens on "in that column",
a glad promise to try, an answerer's "you may also want to consider" after the asker's thanks, people tagged in,
a welcome GIF; and an asker's "thanks for the confirmation" that answers their own question."""

from __future__ import annotations

from bot.summaries.structure import Conversation, action_items, answer_sentence, open_questions, outcome
from tests.test_thread_endings import _conv, _ended, _m

_PRODUCT = ("Alfredo", "This could be a job for `Iterators.product` :\n```julia> vec(collect.(collect(Iterators.product(x...))))\n"
                       "12-element Vector{Vector{Int64}}:\n [1, 3, 6, 1]```")


def test_thanks_naming_an_answerer_is_for_the_code_their_run_began_with() -> None:
    conv = _conv(
        ("Devansh", "I want to make `n` copies of `A` with each element of `k` used in place of `'k'`, in the smallest way."),
        ("jakni", "`[setindex!(copy(A), i, findfirst(isequal('k'), A)) for i in k]`"),
        _PRODUCT,
        ("Alfredo", "this is assuming that your starting point is a vector of vectors or values"),
        ("Devansh", "Thank you @Alfredo !!, this is the exact solution I was finding..."),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (2, 4) and "Iterators.product" in ended.text
    # a qualification long enough to say something itself stays what the thanks is for
    long = _conv(*_turns(conv)[:3], ("Alfredo", "this is assuming that your starting point is a vector of vectors or "
                                                    "values, and it will be slow when the vectors are long ones"),
                 ("Devansh", "Thank you @Alfredo !!, this is the exact solution I was finding..."))
    assert _ended(long) == (3, 4)


def _turns(conv: Conversation) -> list[tuple[str, str]]:
    """``conv``'s messages as ``(author, text)`` turns, to build a variant of it with :func:`_conv`."""
    return [(m.user_name, m.text) for m in conv.messages]


def test_a_few_words_after_a_code_answer_are_an_aside_to_it() -> None:
    ended = outcome(_conv(
        ("statspy", "Hi, is there a function to calculate mode? I saw the function mode in StatsBase but it seems not "
                    "to work. Any help?"),
        ("Mandar", "```julia> using StatsBase\njulia> mode([1,2,3,4,4,5])\n4```"),
        ("Mandar", "installed `[2913bbd2] StatsBase v0.33.4`"),
        ("statspy", "lol i forgot the \"using StatsBase\" thing...what a noob i am...thanks mate."),
    ))
    assert ended is not None and ended.messages == (1, 3) and "mode(" in ended.text and "installed" not in ended.text
    # … but a message that goes on from its author's code ("also …") is shown with it
    also = outcome(_conv(("Michael", "Is there any facility for rotating the values in a Julia array? Like `numpy.rot90`"),
                         ("Sukera", "`rotr90`"), ("Sukera", "also `rotl90` and `rot180`"), ("Michael", "nice! thanks :heart:")))
    assert also is not None and also.messages == (1, 2)


def test_thanks_for_a_sentence_opening_on_in_that_column_are_for_the_message_before_it() -> None:
    ended = outcome(_conv(
        ("domluna", "is there an advised way in LibPQ to convert psql types to julia types?"),
        ("iamed2", "Here's how to override: https://invenia.github.io/LibPQ.jl/stable/pages/type-conversions/#Overrides"),
        ("domluna", "I get the columns from information_schema but `bigint[]` comes back as ARRAY"),
        ("iamed2", "Ah, you can get the types to look up in the type map from the `udt_name` column in "
                   "`information_schema.columns` instead."),
        ("iamed2", "in that column, `bigint[]` is `_int8`, which has a distinct OID"),
        ("domluna", "this does exactly what I want thanks!"),
    ))
    assert ended is not None and ended.messages == (3, 5) and "udt_name" in ended.text


def test_a_glad_promise_to_try_takes_the_suggestion_up_and_is_no_task() -> None:
    conv = _conv(
        ("Fredrik", "In Juno I could get the unicode completion to work in .md files. Can I do the same in vscode?"),
        ("pfitzseb", "currently it's not possible to get julia-vscode's completions in other contexts, no"),
        ("Fredrik", "I've tried the \"insert unicode\" extension but it's rather cumbersome to use"),
        ("pfitzseb", "https://marketplace.visualstudio.com/items?itemName=yellpika.latex-input is decent"),
        ("Fredrik", "Sweet, I'll give it a try tomorrow! :thankyou:"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (3, 4) and "latex-input" in ended.text
    assert action_items(conv) == []
    # a promise that is not glad of an answer stays a task
    assert action_items(_conv(("Ann", "The build is red on Windows."), ("Bob", "I'll give it a try tomorrow on my machine."))) != []


def test_an_answerers_also_consider_after_the_askers_closing_thanks_is_an_add_on() -> None:
    ended = outcome(_conv(
        ("Ramiro", "Hi! In a double loop, is it possible to get the loop index without doing `k += 1` myself?"),
        ("Mark", "That does not look too bad to me. Perhaps consider something like ```for (k, (i,j)) in "
                 "Iterators.enumerate(Iterators.product(1:3, 1:4)) end```"),
        ("Ramiro", "nice! thanks!"),
        ("Mark", "Oops, I changed your iteration order. ```for (k, (j,i)) in Iterators.enumerate(Iterators.product(1:4, 1:3)) end```"),
        ("Ramiro", "no problem! I just wanted an example like the one you provided. Thanks again!"),
        ("Mark", "If `i,j` is for indexing, you may also want to consider, ```for (i,c) in enumerate(CartesianIndices((3,4))) end```"),
    ))
    assert ended is not None and ended.messages == (3, 4) and "CartesianIndices" not in ended.text


def test_people_tagged_in_and_a_welcome_gif_are_not_where_a_thread_ended() -> None:
    tagged = outcome(_conv(
        ("Maria", "There's been a lot of movement on the translations wiki today. We are thinking of using the first half "
                  "of the working session tomorrow 10.30 to wrap up the overall guidelines for all the translations."),
        ("Maria", "Tagging @Saranjeet Kaur @Binod Jung Bogati @Iman Al-Hasani and @Michael Lawrence who is interested"),
    ))
    assert tagged is not None and tagged.messages == (0,) and "10.30" in tagged.text
    assert outcome(_conv(
        ("christophe", "Hello everyone! I recently joined RStudio and work in the R Markdown team. That was a really nice "
                       "workshop!"),
        ("colin", "https://i.pinimg.com/originals/be/b5/41/beb541eeb1ee06ba00ef55d5baa60773.gif"),
    )) is None


def test_thanks_for_the_confirmation_answers_the_askers_own_question() -> None:
    conv = _conv(
        ("Cedar", "What is the best way to convert a set to an Array?"),
        ("Cedar", "I figured I could just do something like `collect(my_set)` but was curious if there were any better "
                  "ways to do this. Thoughts?"),
        ("Cedar", "Thanks for the confirmation @Moelf, @fredrikekre, and @Oscar Smith!"),
    )
    assert open_questions(conv) == []
    assert open_questions(_conv(*_turns(conv)[:2])) != []


def test_words_that_run_into_code_and_its_error_show_the_error() -> None:
    from bot.summaries.structure import _across_code
    conv = _conv(
        ("Josiah", "If you refer to an object that does not exist inside a function, the error points to the last argument."),
        ("Tim", "Away from pc but believe this is fixed in the patched version of 4.3"),
        ("Marcel", "Yup, I get\n```> fx <- function(x, name) {\n  list(name = name, types = types)\n}\nfx(cars, \"vroom\")\n"
                   "Error in fx(cars, \"vroom\") : object 'types' not found```\nin `2023-06-02 r84486`"),
    )
    shown = _across_code(conv, 2, conv.content[2][-1])
    assert shown is not None and shown.startswith("Yup, I get `Error in fx(cars") and shown.endswith("in `2023-06-02 r84486`")


def test_a_success_that_goes_on_to_the_next_problem_ends_on_its_answers() -> None:
    ended = outcome(_conv(
        ("Bryan", "How can I keep only the rows of my DataFrame between two times of day?"),
        ("Nils", "you can use `df[9 .<= hour.(df.t) .< 16, :]` to keep only the times you want"),
        ("Bryan", "@Nils Thank you very much. It worked. Now, I was trying to expand upon it and get only times between "
                  "9:30 and 16:00 but I'm not finding a way to start at the 9:30."),
        ("Nils", "But I guess the problem is that you only want `minute(t) > 30` for `hour(t) == 9`, right?"),
        ("Nils", "so in summary, the above should be `Time(9, 30) .<= Time.(df.t) .<= Time(16, 0)` for every row"),
    ))
    assert ended is not None and ended.messages[-1] == 4 and "Time(9, 30)" in ended.text


def test_the_askers_conclusion_from_the_last_answer_is_shown_after_it() -> None:
    ended = outcome(_conv(
        ("Jukka", "Why is `vecdot3` with views slower than `vecdot3_v2` that makes copies?"),
        ("yingbo", "It's not by `view`. This case is often referred to as aliasing and it prohibits vectorizing your loop."),
        ("Jukka", "I replicated the test on my own computer and get a remarkable performance difference too."),
        ("yingbo", "oops, my example is wrong. but yeah, the reason that the compiler cannot optimize `vecdot3` is that it "
                   "cannot prove they don't alias."),
        ("Jukka", "Thus making some extra copies is actually making code faster"),
    ))
    assert ended is not None and ended.messages == (3, 4) and ended.reply == "Thus making some extra copies is actually making code faster"


def test_one_more_data_point_at_the_end_is_an_aside() -> None:
    from bot.summaries.structure import _trailing_aside
    conv = _conv(
        ("Adam", "FFMPEG crashes on this machine with Julia 1.6, can anyone reproduce it?"),
        ("Elliot", "there's definitely something screwed up in your configuration. I suggest you open an issue and tag me"),
        ("Adam", "As another data point. I've been using Julia on this machine since 0.6 and FFMPEG is the only thing that "
                 "has given me this type of problem."),
    )
    assert _trailing_aside(conv, 2) and _ended(conv) == (1,)


def test_a_discussion_that_ends_agreeing_ends_on_what_was_agreed() -> None:
    conv = _conv(
        ("Julius", "Should the macro take bare `x` for columns, or keep `:x`?"),
        ("Peter", "Now you can do brackets `{{x}}` to refer to variables, so dplyr solved it with non-standard evaluation."),
        ("Peter", "This is part of why I'm reticent to use `x` instead of `:x`. I think understanding what a variable is "
                  "matters, and if they know all the `:x`s are columns that seems easier."),
        ("Julius", "I think so, too. One needs to be quite well trained to quickly assess what words are variables."),
        ("Julius", "So I like the clarity of :x as well"),
    )
    assert _ended(conv) == (2, 3)
    # a mere "ok" after a question is no agreement with a statement
    assert _ended(_conv(*_turns(conv)[:2], ("Julius", "Does that work for every column type?"), ("Peter", "Sure, it does."))) != (2, 3)


def test_a_guess_in_a_questions_form_answers_what_was_asked() -> None:
    from bot.summaries.structure import answer_sentence, answer_to
    conv = _conv(
        ("dilum", "What's the earliest version of Julia for which the syntax `f(; x, y)` is valid shorthand?"),
        ("brioche", "1.5?"),
        ("brioche", "https://julialang.org/blog/2020/08/julia-1.5-highlights/#implicit_keyword_argument_values"),
    )
    assert answer_to(conv, 0) == 1 and answer_sentence(conv, 1, conv.content[0][0]) == "1.5?"
    # "Why?" asks back: it is no answer
    back = _conv(("dilum", "Is there a way to make `f(; x, y)` work on Julia 1.0?"), ("brioche", "Why?"),
                 ("mose", "You can write `f(; x = x, y = y)` there instead, which works on every version."))
    assert answer_to(back, 0) == 2


def test_i_dont_know_of_one_answers_is_there_something_and_naming_it_does_not() -> None:
    from bot.summaries.structure import answer_sentence, answer_to
    conv = _conv(
        ("Human", "Cthulhu is nice but is there something that automatically descends and tells me where problems exist?"),
        ("mbauman", "A `@recursive_code_warntype` if you will. I like it."),
        ("mbauman", "I don’t know of one"),
    )
    assert answer_to(conv, 0) == 2 and answer_sentence(conv, 2, conv.content[0][0]) == "I don’t know of one"
    assert open_questions(conv) == []
    # … while "I don't know" alone answers nothing
    assert open_questions(_conv(*_turns(conv)[:1], ("mbauman", "I don't know"))) != []


def test_a_pointer_taken_with_thanks_is_where_a_welcome_ended() -> None:
    conv = _conv(
        ("Mattia", "Hi, thank you for adding me to the group! I'm a physicist from Turin, interested in Physics Informed "
                   "Neural Networks."),
        ("mose", "welcome! :flag-it:"),
        ("chris", "Welcome! Did you find #sciml-bridged and NeuralPDE.jl?"),
        ("Mattia", "thanks:thumbsup:"),
    )
    assert _ended(conv) == (2, 3)
    assert open_questions(conv) == []  # a pointer asked as a question is no open question


def test_done_after_a_bare_link_shows_the_link() -> None:
    ended = outcome(_conv(
        ("chris", "raise an issue."),
        ("Ramiro", "okay! will do that!"),
        ("Ramiro", "https://github.com/SciML/DiffEqNoiseProcess.jl/issues/83"),
        ("Ramiro", "Done, thank you Chris, as always!"),
    ))
    assert ended is not None and ended.messages == (2, 3) and "issues/83" in ended.text
    assert ended.reply == "Done, thank you Chris, as always!"


def test_the_askers_remark_after_a_closing_courtesy_is_not_where_it_ended() -> None:
    conv = _conv(
        ("azzaare", "I'm trying to define my own logging macro `@verbose` that logs at level 500, how do I do that?"),
        ("Oscar", "What you want actually is `macro verbose(exs...) :(@logmsg Verbose $(exs...)) end`"),
        ("azzaare", "Thanks, it is my first macro ever, so I was a bit lost. Thank you @Oscar"),
        ("Oscar", "glad to help! Macros are one of those things that you don't have to build often, so it can be a little "
                  "overwhelming at first. (If you find yourself having to build them often, ask. A common new user trap is "
                  "to try to use meta-programming when a function would have been better)."),
        ("azzaare", "Well macro and metaprogramming looks cool, I must admit. I will be cautious :)"),
    )
    assert _ended(conv) == (1, 2)
    # a question after the courtesy is no closing remark
    asked = _conv(*_turns(conv)[:4], ("azzaare", "Well, is there a way to see what a macro expands to before I run it?"))
    assert _ended(asked) != (1, 2)


def test_a_file_name_typed_with_a_space_is_one_sentence() -> None:
    from bot.summaries.sentences import split_sentences
    assert split_sentences("which docs you referred to, the readme. md file i guess?") == [
        "which docs you referred to, the readme. md file i guess?"]
    assert split_sentences("I read it. r is great.") == ["I read it.", "r is great."]


def test_a_server_rebooted_is_where_an_incident_ended() -> None:
    conv = _conv(
        ("mbauman", "The package servers were having trouble in US-East"),
        ("fredrik", "Are you directed to `us-east` or `us-east2`?"),
        ("mbauman", "yeah, it's us-east2"),
        ("fredrik", "Ok. Well, seems like us-east2 had some problems actually, it struggled 1 hour ago and 5 minutes ago"),
        ("fredrik", "I rebooted it, definitely seems to be the most stressed server."),
        ("mbauman", "I have no clue how we pick who goes where, but geographically it is closer to 50+% of the US population"),
        ("fredrik", "Yea it is just based on IP"),
    )
    assert _ended(conv) == (4,)


def test_what_the_judged_draw_showed_stays_as_it_was() -> None:
    """Readers preferred the earlier summary on these shapes (docs/evals.md, twenty-fourth round): each rule above
    leaves them alone."""
    # "Looks like it" after its author's code answers the question before the code
    looks = outcome(_conv(("aviks", "Is there a way to get the module in which a function is defined, inside it?"),
                          ("Mark", "I think you need to get a reference to the current function to use `parentmodule`."),
                          ("aviks", "so `x=@__MODULE__` seems to be what I want?"),
                          ("Mark", "```julia> module Foo\n  function bar()\n    x = @__MODULE__\n  end\nend```"),
                          ("Mark", "Looks like it")))
    assert looks is not None and looks.messages == (2, 4) and looks.reply == "Looks like it"
    # "you need like `Complex{BigFloat}(a)`" after its author's code is the answer, not an aside
    needs = outcome(_conv(("Oscar", "Why can't I convert a complex number to a BigFloat?"),
                          ("Moelf", "what did you try?"),
                          ("Oscar", "I was trying to use `BigFloat`. I guess it makes sense that doesn't work"),
                          ("Moelf", "but:\n```julia> convert(Complex{BigFloat}, a)\n1.0 + 2.0im```"),
                          ("Moelf", "you need like `Complex{BigFloat}(a)`")))
    assert needs is not None and needs.messages[-1] == 4
    # "it is not currently done" after a link is no report that something was done
    link = outcome(_conv(("ihnorton", "Just wondering if there is an option to change the default representation of units?"),
                         ("Benoit", "https://painterqubits.github.io/Unitful.jl/stable/conversion/#Unit-cancellation-1"),
                         ("Benoit", "Looks like it is not currently done")))
    assert link is not None and "painterqubits" not in link.text
    # a reply that says "if you will" in a longer answer still answers
    from bot.summaries.structure import answer_to
    jpath = _conv(("Moelf", "when making a DataFrame from JSON objects, is it possible to NOT include a column?"),
                  ("quinnj", "Not currently. I've always thought there should be the JSON equivalent of xpath for xml. "
                             "Jpath if you will."))
    assert answer_to(jpath, 0) == 1
    # an agreement ("Exactly") with an agreement ("Yeah that's the typical case …") ends on the latter, as before
    agreed = _conv(("Michael", "Why was `by` deprecated? The replacement is much longer to write."),
                   ("nalimilan", "We could improve the deprecation message but it has to be removed in 1.0 anyway."),
                   ("Michael", "that does still seem like a quality-of-life decrease for the common cases we have"),
                   ("nalimilan", "Yeah that's the typical case where there's a good replacement for most cases, but the 100% "
                                 "correct deprecation needs to be quite verbose."),
                   ("Michael", "Exactly, I think that was the origin of Andreas' question"))
    assert _ended(agreed) == (3, 4)


def test_a_bare_solved_after_the_askers_own_words_ends_on_them() -> None:
    turns = [("Andrea", "I installed julia, IJulia and nteract, but when nteract is open Julia doesn't appear on Runtime."),
             ("sverek", "and if you in julia repl do:\n```using IJulia\nnotebook()```"),
             ("sverek", "does it work then? :slightly_smiling_face:"),
             ("Andrea", "No. I’ve installed some dependencies. I’ll try tomorrow. Thanks"),
             ("Andrea", "solved")]
    ended = outcome(_conv(*turns))
    assert ended is not None and ended.messages == (3, 4) and "installed some dependencies" in ended.text
    assert ended.reply == "solved"
    # … and not after someone else's answer alone: "Solved" is then for that answer
    answered = outcome(_conv(*turns[:2], ("Andrea", "Solved!")))
    assert answered is not None and answered.messages[0] == 1


def test_a_short_verdict_opens_the_answer_shown_with_its_question() -> None:
    conv = _conv(
        ("Rodrigo", "Say I have an `x <: AbstractArray{R,N+1}` of unknown concrete type. How can I get, without creating "
                    "new arrays or subarrays, the type of `similar(x, new_dims)`?"),
        ("Benoît", "In general you can't. If I define my own subtype of `AbstractArray` I can always add specific method "
                   "to `similar` for my subtype that does crazy things with it."))
    question = conv.content[0][-1]
    assert answer_sentence(conv, 1, question) == (
        "In general you can't. If I define my own subtype of `AbstractArray` I can always add specific method to "
        "`similar` for my subtype that does crazy things with it.")
    # a verdict that is the whole reply stays as it is; a longer first sentence is no verdict
    assert answer_sentence(_conv(*_turns(conv)[:1], ("Benoît", "It is not possible yet.")), 1, question) == (
        "It is not possible yet.")
    longer = ("You can't do that with `similar` in general.", "Use `Base.return_types` instead.")
    assert answer_sentence(_conv(*_turns(conv)[:1], ("Benoît", " ".join(longer))), 1, question) in longer


def test_what_i_was_missing_confirms_the_answer_and_notes_to_self_are_no_task() -> None:
    conv = _conv(
        ("krishnab", "I have a rosenbrock function that takes 2 values, but the comprehension "
                     "`[rosenbrock([i, j], p) for i=x, j=y]` gives a (401,401) array instead of a (401,1) array."),
        ("Moelf", "```julia> z = [rosenbrock(pair, [1,1]) for pair in zip(x,y)]```\nor\n```rosenbrock.(zip(x,y), "
                  "Ref([1,1]))```\n`[1,1]` is the dummy `p` since I'm not sure what it should be"),
        ("krishnab", "@Moelf Yes, sorry. I forgot to include `p` when posting the code. But using `zip` makes sense. That "
                     "seems to be what I was missing. Thanks so much for finding the solution here."),
        ("Sukera", "Some more clarification: `[ (x,y) for x=1:10, y=1:10 ]` does a cartesian iteration over both "
                   "collections, that's why you get a matrix out"),
        ("krishnab", "@Sukera thank so much for the clarification. I will make sure I keep this point in my notes for "
                     "the future."),
        ("Florian", "In your case, this still does a cartesian product so that was not what you were after. Still, I was "
                    "tripped by this on some occasions"))
    ended = outcome(conv)
    assert ended is not None and ended.messages[:2] == (1, 2)  # the zip answer the asker said was what they missed
    assert action_items(conv) == []  # "I will make sure I keep this point in my notes" is no task


def test_a_request_to_post_the_solution_elsewhere_is_no_ending() -> None:
    conv = _conv(
        ("Mitchell", "I'm trying to run `diff(log.(asset[:, x]))` for every asset column of my dataframe, but I don't "
                     "know how to implement it with Julia."),
        ("Peter", "you can do this\n```df = DataFrame()\nnms = [:brka, :brkb]\nfor x in nms\n    df[:, x] = "
                  "diff(log.(asset[:, x]))\nend\ndf```"),
        ("Mitchell", "@Peter Deffebach i can't believe it's that simple, thanks"),
        ("Peter", "please post the solution on discord for posterity!"),
        ("Mitchell", "yessir :ok_hand:"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1, 2) and "diff(log." in ended.text
    assert conv.noise(3)  # … and no point at all ("So tempted to cross post this to Discourse" neither)
    assert _conv(("ararslan", "So tempted to cross post this to Discourse")).noise(0)


def test_a_longer_answer_ends_on_its_verdict_not_its_background() -> None:
    conv = _conv(
        ("Aryan", "I would like to work on modernizing the CRAN website for GSoD 2022, maybe with Docusaurus. Do let me "
                  "know what you think about this."),
        ("Heather", "Hi Arayan, There were a couple of issues marked as ideas for 2022 that were transferred from the "
                    "2021 repo. Regarding the CRAN website proposal, we are not looking to use a completely new "
                    "documentation framework, but merely update the current template to meet modern web standards. "
                    "This would need support from the CRAN team and we did not get as far as trying to discuss it with "
                    "them. So I don't think this idea is going anywhere at the moment."))
    ended = outcome(conv)
    assert ended is not None and "going anywhere at the moment" in ended.text


def test_a_julia_name_opening_a_reply_ends_no_sentence() -> None:
    from bot.summaries.sentences import split_sentences

    assert split_sentences("vgrid! now after the MakieLayout automatic export (it conflicted internally with makie)") == [
        "vgrid! now after the MakieLayout automatic export (it conflicted internally with makie)"]
    assert split_sentences("push! assuming you actually do want a vector of vectors") == [
        "push! assuming you actually do want a vector of vectors"]
    assert split_sentences("thanks! is there a way to do it") == ["thanks!", "is there a way to do it"]  # exclaimed
    assert split_sentences("Wow! that was fast") == ["Wow!", "that was fast"]  # capitalized: an exclamation
    assert split_sentences("worked! at least, I finished configuration successfully.") == [
        "worked!", "at least, I finished configuration successfully."]
    assert split_sentences("maybe! your system is linear though") == ["maybe!", "your system is linear though"]


def test_an_idea_its_author_calls_wrong_is_taken_back() -> None:
    from bot.summaries.structure import taken_back

    said = [m for m in _conv(("Ann", "How do I turn a vector of vectors into a matrix?"),
                             ("jakni", "You can `reshape` it, the vectors are stored next to each other anyway."),
                             ("jakni", "nevermind, I'm wrong"),
                             ("Bob", "`reduce(hcat, v)` is the usual way."),
                             ("Cid", "Please disregard the above, it was a typo")).messages]
    assert taken_back(said, 1) and not taken_back(said, 3)
    assert not taken_back([*said[:2], _m("9.0", "jakni", "never mind, found it")], 1)  # found, not wrong
