"""Where it ended, sections and key points on long threads earlier judges saw (issue 11, thirty-fifth round, read on
threads of 21–40 replies): what the asker did in the end is where it ended, after the answers that did not settle it;
the asker's own code that worked is shown, not the last answer before it; a measured gain, "the foldl version is type
stable", "it was because of …" and other reports of success count, what worked before does not; thanks for the help
followed by more answers is a sign-off; a pull-request or issue link follows the request for it; late remarks and
Slack-retention remarks are asides; an early success with thanks ends a thread that went on to a tangent; requests for
information, remembered decisions and promises to oneself are no items; replies that lean are shown after what they
answer (docs/evals.md, thirty-fifth round)."""

from __future__ import annotations

import dataclasses

from bot.evals.rouge_sets import rendered_text
from bot.summaries.extractive import _leans_on_unshown, summarize_offline
from bot.summaries.structure import (
    Conversation,
    _last_word,
    _own_way_last,
    _worked,
    action_items,
    code_gist,
    is_commitment,
    is_decision,
    is_noise,
    is_request,
)
from tests.test_asker_closes import _messages
from tests.test_seen_threads_read import _ended, _shown


def _last_worked(*turns: tuple[str, str]) -> list[str]:
    conv = Conversation(_messages(*turns))
    return _worked(conv, len(conv.messages) - 1)


_VHCAT = (
    ("Jesse Chan", "Is there a way to `hvcat` a matrix of matrices in column order? transpose works recursively on "
                   "arrays of arrays, so it transposes the inner blocks too."),
    ("Mark Kittisopikul", "You could write a small helper:\n```function vhcat(cols, xs...)\n    reduce(hcat, cols)\nend```"),
    ("Jesse Chan", "newest version works great for me, much appreciated Mark. I'll time this and maybe add it to a package."),
    ("Jesse Chan", "i think there's just one index off, the rows come out in the wrong order for a 3x3 block matrix"),
    ("Mark Kittisopikul", "Yea... the `size(A)` is wrong"),
    ("Gyoshi", "from the docs of `transpose`: see permutedims, which is non-recursive."),
)


def test_what_the_asker_did_in_the_end_is_where_it_ended() -> None:
    ended = _ended(*_VHCAT, ("Jesse Chan", "ended up just writing a simpler matrix concatenation routine specialized to "
                                           "dense/sparse arrays. less general than `hvcat`, but is faster for my use case"))
    assert "Jesse Chan: ended up just writing a simpler matrix concatenation routine" in ended
    assert "less general than `hvcat`" in ended and "newest version" not in ended
    # … with only thanks after it
    ended = _ended(*_VHCAT, ("Jesse Chan", "In the end I went with a plain loop over the blocks, it is fast enough."),
                   ("Mark Kittisopikul", "Nice!"))
    assert "In the end I went with a plain loop over the blocks" in ended
    # an error they ended up getting is no way out, nor is someone else's "ended up"
    assert _own_way_last(Conversation(_messages(*_VHCAT, ("Jesse Chan", "I ended up getting the same error again.")))) is None
    assert _own_way_last(Conversation(_messages(*_VHCAT, ("Gyoshi", "I ended up writing my own routine once.")))) is None
    assert _own_way_last(Conversation(_messages(*_VHCAT, ("Jesse Chan", "I ended up writing my own routine.")))) is not None


_UNION = (
    ("Peter J", "Will I run into performance issues if I use a matrix of different distributions? What is a better way?"),
    ("Rasmus Henningsson", "If you only have 2 possible types in the matrix, I would suggest using a Union type. That "
                           "should be fast and convenient."),
    ("Mason Protter", "```julia> [Poisson(), Geometric()] |> eltype\nDistribution{Univariate, Discrete}```\nThat's not the "
                      "default array type you get if you build it naively, so maybe not a safe assumption."),
)


def test_the_askers_own_code_that_worked_is_shown_not_the_answer_before_it() -> None:
    ended = _ended(*_UNION, ("Peter J", "```julia> convert(Array{Union{Poisson{Float64},Geometric{Float64},Normal{Float64}}},"
                                        "[Poisson(),Geometric(),Normal()])\n3-element Vector{Union{…}}:\n Poisson{Float64}(λ=1.0)```\n"
                                        "this seems to work!"))
    assert "Peter J: `convert(Array{Union{Poisson{Float64}," in ended and "this seems to work!" in ended
    assert "Mason Protter" not in ended
    # words before the code make it a reply, not the asker's own code alone
    ended = _ended(*_UNION, ("Peter J", "Following Mason, I ran\n```julia> typeof(x)\nFloat64```\nthis seems to work!"))
    assert "`typeof(x)` this seems to work!" not in ended


def test_a_measured_gain_or_type_stability_reports_success() -> None:
    assert _last_worked(*_UNION, ("Peter J", "it is faster!")) == ["it is faster!"]
    assert _last_worked(*_UNION, ("Peter J", "as @kwd predicted, this sped up my code by maybe 10% lol")) != []
    assert _last_worked(*_UNION, ("Peter J", "Neat, the foldl version is type stable.")) != []
    # a comparison or a question is none
    assert _last_worked(*_UNION, ("Peter J", "it is faster than Python but still slow")) == []
    assert _last_worked(*_UNION, ("Peter J", "The foldl version is type stable?")) == []
    ended = _ended(("William Thompson", "I'm trying to make a very hot function type stable, but it iterates over a "
                                        "heterogenous tuple. Is this one of the few times to use generated functions?"),
                   ("Sukera", "well the problem is that the element types of tuples are part of the type of that tuple"),
                   ("Simeon Schaub", "Recursive implementations generally work quite well with heterogeneous tuples. "
                                     "`foldl` should as well, if that works for you"),
                   ("William Thompson", "Neat, the foldl version is type stable. My version is 20x slower than the "
                                        "manually unrolled one but still a handy thing to know."),
                   ("Simeon Schaub", "This is also a case where you should prefer `x === nothing` over `isnothing(x)`"),
                   ("William Thompson", "Surprisingly isnothing and !== nothing benchmarked the same for me in this case."),
                   ("Simeon Schaub", "Ah, sorry, if the type can be completely statically inferred, it won't matter."))
    assert "Simeon Schaub: Recursive implementations generally work quite well" in ended
    assert "Neat, the foldl version is type stable" in ended and "statically inferred" not in ended


def test_the_askers_found_cause_is_where_it_ended_not_the_lecture_after() -> None:
    assert _last_worked(("a", "cert error?"), ("b", "check it"), ("a", "Oh, it was because of goodbyedpi was enabled")) != []
    assert _last_worked(("a", "cert error?"), ("b", "check it"), ("a", "Was it because of the proxy?")) == []
    ended = _ended(("sairus7", "When I am clicking julialang search results from Google, I get a certificate error in "
                               "Opera and Chrome."),
                   ("vly", "their cert is valid"),
                   ("Sukera", "I suspect it's because you're using a VPN or a HTTPS proxy?"),
                   ("Sukera", "what does it say for the timerange it's valid for and the domains it's valid for?"),
                   ("sairus7", "Oh, it was because of goodbyedpi was enabled: https://github.com/ValdikSS/GoodbyeDPI"),
                   ("Sukera", "I don't know your circumstances, but I wouldn't use that tool for everyday browsing stuff"),
                   ("sairus7", "Why so?"),
                   ("Sukera", "HTTPS traffic is already encrypted, your ISP can't look at what's inside without forcing "
                              "you to install a root certificate"))
    assert "sairus7: Oh, it was because of goodbyedpi was enabled" in ended
    assert "root certificate" not in ended


def test_thanks_for_the_help_to_someone_named_is_a_sign_off_when_the_thread_goes_on() -> None:
    ended = _ended(("Jesse Chan", "I'm seeing a weird performance sensitivity to order of operations with StaticArrays. "
                                  "Is this expected behavior?"),
                   ("mbauman", "Likely hitting some compiler heuristic threshold for Broadcast.flatten."),
                   ("Jesse Chan", "Sounds like this isn't going to be easy to fix. I'll just xpost to Discourse. Thanks for "
                                  "the help, @mbauman!"),
                   ("Marius Millea", "a workaround that also works in your case is to write the broadcast kernel out by "
                                     "hand, with a do block over both arguments"),
                   ("mbauman", "My hunch is that it's a different symptom of the same problem. The compiler is stressed "
                               "but hasn't completely given up yet."),
                   ("mbauman", "In that sense, this MWE is really helpful to post there"),
                   ("Jesse Chan", "@mbauman will do, thanks for the feedback. @Marius Millea that's a neat workaround - thanks!"))
    assert "mbauman: In that sense, this MWE is really helpful to post there — Jesse Chan: will do" in ended
    assert "Broadcast.flatten" not in ended


def test_what_worked_before_or_what_is_done_reports_nothing() -> None:
    assert _last_worked(("a", "the REPL mode fails in emacs"), ("b", "try ESS"),
                        ("a", "It worked last time I tried julia - maybe about 6 months ago")) == []
    ended = _ended(("idontgetoutmuch", "I am trying to run julia in a zsh inside emacs - if I type ] I get an error. How do "
                                       "I persuade julia to enter package mode?"),
                   ("mose", "terminal inside emacs is dumb, not sure if that affects REPL modes"),
                   ("mose", "some ages ago I tried ESS with Julia but didn't like it very much"),
                   ("idontgetoutmuch", "It worked last time I tried julia - maybe about 6 months ago"),
                   ("mose", "people in #emacs use many different workflows to run julia code in emacs"),
                   ("idontgetoutmuch", "I might ask the folks over at #emacs but not today"))
    assert "I might ask the folks over at #emacs" in ended and "worked last time" not in ended
    ended = _ended(("Evan", "Is there an intermediate between `@elapsed` and `@belapsed`? It took 16 seconds."),
                   ("Sukera", "BenchmarkTools does some tuning to make sure a run takes 5s"),
                   ("Sukera", "the thing is that the continuous output really only has to show what's happening right "
                              "now, as well as what's done"),
                   ("Ian", "does `@btime` reject the time taken in the first run from the stats?"),
                   ("Sukera", "the compilation time was never a factor for the real runs, since the first run happens "
                              "during tuning anyway"),
                   ("Sukera", "if each run has compilation time, it's only fair to measure that as well"),
                   ("Ian", "Yeah"))
    assert "only fair to measure that as well" in ended and "what's done" not in ended


def test_a_reply_that_says_yea_or_ends_on_then_leans_on_what_it_answers() -> None:
    conv = Conversation(_messages(("a", "x"), ("b", "y")))
    assert _leans_on_unshown(conv, "Yea... the `size(A)` is wrong")
    assert _leans_on_unshown(conv, "you'll have to differentiate Array and String then")
    assert _leans_on_unshown(conv, "In that sense, this MWE is really helpful to post there")
    # a longer sentence that only passes "then", a question, or words quoted in code do not
    assert not _leans_on_unshown(conv, "If the package is registered then Pkg resolves the compat bounds for you and "
                                       "the versions are picked automatically then")
    assert not _leans_on_unshown(conv, "Should I differentiate Array and String then?")
    assert not _leans_on_unshown(conv, "`in that sense, it is equivalent` that phrase in the docs is confusing")
    shown = _shown(("Adam Finkle", "How can I convert an array of arrays of 3 integers to a dictionary of Cartesian "
                                   "coordinate triplets?"),
                   ("Sukera", "you could use `CartesianIndex.(arrays)` and collect it, if you don't mind the types changing"),
                   ("Adam Finkle", "Nope, I want the types to stay exactly the same as they are in the input."),
                   ("Sukera", "you'll have to differentiate Array and String then"),
                   ("Adam Finkle", "It's Dict(CartesianIndex, Int[]) and needs to become Dict(Int, CartesianIndex)."),
                   ("Sukera", "you can do `d[key] = value` in a loop over the pairs of the old dictionary"),
                   ("Adam Finkle", "Thanks, the loop works"))
    assert "Adam Finkle: Nope, I want the types to stay exactly the same as they are in the input. — Sukera: you'll have to " \
           "differentiate Array and String then" in shown


def test_a_short_success_shows_the_code_said_right_after_it() -> None:
    conv = Conversation(_messages(("Ari", "jupyter in docker does not answer on port 8888"),
                                  ("extradosages", "I invoked jupyter in the `CMD` directly, listening on all addresses"),
                                  ("Ari", 'It works for me now! I can start with `CMD ["jupyter", "lab", "--ip", "0.0.0.0"]` . '
                                          "Full Dockerfile in github.")))
    assert _last_word(conv, 2) == 'It works for me now! I can start with `CMD ["jupyter", "lab", "--ip", "0.0.0.0"]` .'
    assert _worked(conv, 2) == ["It works for me now!"]
    # "it works for me", without "now", is no report of a fix (someone could not reproduce)
    assert _last_worked(("a", "this crashes"), ("b", "it works for me")) == []


def test_a_newcomers_short_remark_a_day_later_is_not_where_it_ended() -> None:
    turns = [("Chris Elrod", "Why does `_vload` not inline here? The function is cheaper to execute than to call."),
             ("Mason Protter", "Putting `@inline` on the _vload def doesn't help?"),
             ("Chris Elrod", "I have a big chain of function calls leading there. Combining two links in the chain into 1 "
                             "lets it inline."),
             ("Mason Protter", "Bit of a house of cards..."),
             ("Chris Elrod", "`llvmcall` is also considered expensive to the inliner, it is given a weight 40 times higher."),
             ("harmen", "> llvmcall is also considered expensive to the inliner"),
             ("Chris Elrod", "That the llvm function inlines. But this is then considered expensive, making the Julia "
                             "function using it less likely to inline.")]
    messages = _messages(*turns, ("oliver", "It's definitly an issue in those cases where labelling inline working becomes "
                                            "a matter of hard to reason heuristics"))
    late = dataclasses.replace(messages[-1], ts=f"{float(messages[-2].ts) + 130000:.6f}")
    messages = [*messages[:-1], late]
    ended = next(line for line in rendered_text(summarize_offline(messages), messages).splitlines()
                 if line.startswith("**Where it ended:**"))
    assert "Chris Elrod: That the llvm function inlines." in ended and "oliver" not in ended
    # the same remark a minute later is where it ended
    assert "oliver" in _ended(*turns, ("oliver", "It's definitly an issue in those cases where labelling inline working "
                                                 "becomes a matter of hard to reason heuristics"))


def test_a_question_asking_for_more_or_what_one_can_do_is_no_task() -> None:
    assert not is_request("wait can you expand more on why `df[!, :col] .= 2` copies?")
    assert not is_request("Can you set it as a default for the whole notebook or do you have to do `plot(rand(10), "
                          "fmt = :png)` for each plot")
    assert is_request("@bkamins can you set it as the default in the next release?")
    # an answer that says what cannot be done explains; "I can't" is still open
    items = action_items(Conversation(_messages(
        ("Peter", "@bkamins can you update the post with why `df[!, :col] .= 2` copies? It confuses newcomers."),
        ("bkamins", "Because `2` cannot be stored in a data frame without allocating a new vector."))))
    assert items == []
    items = action_items(Conversation(_messages(
        ("Peter", "@bkamins can you update the post with why `df[!, :col] .= 2` copies? It confuses newcomers."),
        ("bkamins", "I cannot edit that post, I don't have the rights on the blog."))))
    assert [item.owner for item in items] == ["bkamins"]


def test_a_pull_request_link_ends_after_the_request_for_it_not_the_chatter_before() -> None:
    turns = [("ffreyer", "3d axis don't work for me anymore in a layout where layoutables draw to the topscene."),
             ("Julius Krumbiegel", "maybe try to pass raw = false and show_axis = true to scenekw"),
             ("ffreyer", "raw is the problem :thumbsup: Maybe `LScene` should set `raw = false` by default"),
             ("Julius Krumbiegel", "good idea, I guess that should not be set"),
             ("Julius Krumbiegel", "if you want you can make a quick PR"),
             ("ffreyer", "Yea, can do"),
             ("ffreyer", "maybe something like `scale_plot` should also default to true here?"),
             ("Julius Krumbiegel", "that must be some sort of remnant of Simon's attempt to port Axis to the Scene")]
    ended = _ended(*turns, ("ffreyer", "https://github.com/JuliaPlots/AbstractPlotting.jl/pull/636"))
    assert "Julius Krumbiegel: if you want you can make a quick PR — ffreyer: https://github.com/JuliaPlots/" in ended
    # a request its author never said yes to is not what the link answers
    unasked = [turn for turn in turns if turn[1] != "Yea, can do"]
    ended = _ended(*unasked, ("ffreyer", "https://github.com/JuliaPlots/AbstractPlotting.jl/pull/636"))
    assert "quick PR" not in ended and "https://github.com/JuliaPlots/" in ended


def test_a_bare_solved_shows_what_solved_it() -> None:
    conv = Conversation(_messages(
        ("Sergio", "Why does `foreach(((i, x),) -> apply!(x, H, i), enumerate(A))` fail?"),
        ("Sukera", "in `(x) -> ...`, during each iteration, `x` will be the tuple containing both the index and the element"),
        ("Sergio", "okay, solved. the inner call to `apply!` is without the index value. :man-facepalming:")))
    assert _last_word(conv, 2) == "okay, solved. the inner call to `apply!` is without the index value."
    conv = Conversation(_messages(("a", "it fails"), ("b", "try `x`"), ("a", "Solved. Thanks!")))
    assert _last_word(conv, 2) is None  # thanks say nothing of what solved it


def test_outperforms_is_a_success() -> None:
    assert _last_worked(("Boris", "how do I build block-diagonal matrices?"), ("Nick", "`cat(A, B, dims = (1, 2))` ?"),
                        ("Boris", "That outperforms my current routine!")) != []
    assert _last_worked(("Boris", "how do I build block-diagonal matrices?"), ("Nick", "`cat(A, B, dims = (1, 2))` ?"),
                        ("Boris", "Does that outperform my current routine?")) == []


def test_remembered_or_second_person_decisions_and_self_improvement_are_no_items() -> None:
    assert not is_decision("I agree, and IIRC the consensus was that TCE would be useful, it just hasn't been a focus yet")
    assert not is_decision("But you already decided for them in a negative way for you.")
    assert is_decision("We decided to tag the release tomorrow.")
    assert not is_commitment("I'm going to work on reframing my way of thinking, I think I will need a complete reboot")
    assert is_commitment("I'm going to work on the docs for the release tomorrow")
    assert is_noise("Julia slack: I learn something new every day")
    items = action_items(Conversation(_messages(
        ("BryanB", "Why does `y = x` not copy my array?"),
        ("Peter", "`y = x` just makes a new name pointing to the same object; use `copy(x)` for a distinct copy"),
        ("BryanB", "Thanks a lot for all the help and the examples. I'll make sure to re-read through the examples and "
                   "explanations and hopefully start using them"))))
    assert items == []


def test_a_reply_opening_on_good_idea_the_latter_or_i_mean_leans_on_what_it_answers() -> None:
    conv = Conversation(_messages(("a", "x"), ("b", "y")))
    for text in ("good idea, I guess that should not be set", "Definitely @mose! I already have a nice slide made",
                 "IMO yes, esp. if we're talking about things that are heap-allocated",
                 "the latter defines a one-argument function taking in a single tuple",
                 "I mean, the allocations in this function should get garbage-collected"):
        assert _leans_on_unshown(conv, text), text
    assert not _leans_on_unshown(conv, "Ideas for the docs are welcome in the issue tracker")
    assert not _leans_on_unshown(conv, "The latter half of the manual covers performance")


def test_an_issue_link_posted_after_the_request_for_it_follows_that_request() -> None:
    ended = _ended(("Jonas", "The following code causes julia to eat up more and more memory over time. Can anyone explain?"),
                   ("Sukera", "there are a bunch of open issues concerning GC on github, I think it'd be valuable if you'd "
                              "share your experience in a new one"),
                   ("Sukera", "I'm just afraid you won't make the GC people happy about this :sweat_smile:"),
                   ("stefan", "please do file an issue"),
                   ("Jonas", "https://github.com/JuliaLang/julia/issues/39475"),
                   ("Sukera", "we don't have a paid slack plan, so this discussion will probably vanish soon"))
    assert "stefan: please do file an issue — Jonas: https://github.com/JuliaLang/julia/issues/39475" in ended
    assert "paid slack plan" not in ended


def test_a_success_that_names_whose_solution_it_was_shows_their_code() -> None:
    ended = _ended(("Brian", "Why does creating a view of a struct's array field allocate memory? Can it be avoided?"),
                   ("jakni", "The compiler can't tell the type of the field `vals`."),
                   ("kwd", "what I often do is make a constructor like\n```function Foo(x)\n    return Foo{typeof(x)}(x)\nend```"),
                   ("Oscar Smith", "because a `view` has to store what that subset is, views are a different type"),
                   ("Sukera", "the stepsize of a range is not part of its type, so there's no distinction there"),
                   ("Brian", "@Oscar Smith That's true, that would be a problem. I have no solution off the top of my head."),
                   ("Brian", "@kwd’s solution with specifying the array type appears to solve the original problem, btw :+1:"))
    assert "kwd: what I often do is make a constructor like `function Foo(x); return Foo{typeof(x)}(x); end`" in ended
    assert "Brian: kwd’s solution with specifying the array type appears to solve the original problem" in ended


def test_ooh_perfect_is_a_success() -> None:
    assert _last_worked(("a", "is there a function to unpack vector-valued columns?"), ("b", "`flatten`."),
                        ("a", "ooh, perfect. Thanks!")) == ["ooh, perfect."]
    assert _last_worked(("a", "is there a function to unpack vector-valued columns?"), ("b", "`flatten`."),
                        ("a", "perfect for the other case, but not this one")) == []


def test_yup_seems_to_work_names_the_answer_past_its_authors_bracketed_asides() -> None:
    assert _last_worked(("a", "can I interpolate tuples?"), ("b", "define a struct with `+`"),
                        ("a", "@b yup, seems to work! about performance I'll still need to see. thanks!")) != []
    ended = _ended(("Simon", "Can Interpolations.jl interpolate a grid of tuples instead of numbers?"),
                   ("briochemc", "Maybe you could define a `struct` instead of the `Tuple` and define the basic operations "
                                 "on it?"),
                   ("Simon", "which kinds of basic operations in particular? for arrays or for numerical types?"),
                   ("briochemc", "if you are only after `Constant` or `Linear` interpolation, then just `+`, `-`, and `*` "
                                 "should do for the formula they give."),
                   ("briochemc", "(that's for the interpolant construction, which I think should be the hardest part)"),
                   ("briochemc", "(but again, maybe this is going way over my head and I'm missing something important)"),
                   ("Simon", "Sounds about right to me, at least it would make sense"),
                   ("Simon", "@briochemc yup, seems to work! about performance I'll still need to see. thanks!"))
    assert "briochemc: if you are only after `Constant` or `Linear` interpolation" in ended
    assert "going way over my head" not in ended and "yup, seems to work!" in ended


def test_thanks_for_the_assistance_is_thanks_for_the_help() -> None:
    assert _last_worked(("a", "why is the third argument a tuple?"), ("b", "every argument is iterated over"),
                        ("a", "Cool. Thanks for the assistance!")) == ["Thanks for the assistance!"]


def test_an_early_success_with_thanks_ends_a_thread_that_went_on_to_a_tangent() -> None:
    turns = [("Phil", "How do I xor two vectors of bit vectors elementwise?"),
             ("mose", "`map` or a comprehension (something like `[xor.(a, b) for (a, b) in zip(vm1, vm2)]`) would do it"),
             ("Phil", "Ok, thanks, that seems to be working.")]
    tangent = [("DaveMacMahon" if k % 2 else "Simeon", f"the `.f` syntax idea number {k} could be shorthand for a broadcast "
                                                       f"function, which would be neat for piping and composing")
               for k in range(16)]
    ended = _ended(*turns, *tangent)
    assert "mose: `map` or a comprehension" in ended and "Phil: Ok, thanks, that seems to be working." in ended
    # without thanks, or with a catch, the tangent's end stays where it ended
    assert "Phil" not in _ended(*turns[:2], ("Phil", "that seems to be working, but only for short vectors"), *tangent)


def test_got_it_working_fixed_it_and_very_usable_are_successes_without_a_catch() -> None:
    ask = (("a", "how do I get this to build?"), ("b", "install the missing tex packages"))
    assert _last_worked(*ask, ("a", "I got that mwe working, there were some missing tex packages")) != []
    assert _last_worked(*ask, ("a", "I think I fixed it - I deleted ~/.julia")) != []
    assert _last_worked(*ask, ("a", "The output from `?REPL` is very usable for my case. Thanks.")) != []
    assert _last_worked(*ask, ("a", "I think I fixed it but now another error shows up")) == []
    assert _last_worked(*ask, ("a", "I got it to work?")) == []


def test_a_benchmark_gist_shows_its_timings() -> None:
    gist = code_gist("```julia> let x = Ref(16f0)\n           @btime q3invsqrt($x[])\n           @btime @fastmath 1/sqrt($x[])\n"
                     "       end\n  1.599 ns (0 allocations: 0 bytes)\n  1.299 ns (0 allocations: 0 bytes)\n0.25f0```")
    assert gist == "`let x = Ref(16f0); @btime q3invsqrt($x[]); @btime @fastmath 1/sqrt($x[]); end` (1.599 ns, 1.299 ns)"
    assert code_gist("```julia> sum(1:10)\n55```") == "`sum(1:10)`"  # no timing, nothing added


def test_tasks_done_by_their_code_or_a_link_and_a_consequence_are_no_items() -> None:
    items = action_items(Conversation(_messages(
        ("David", "Why does `@code_warntype` show red `Any`s for `x` and `dt` in my simulation loop?"),
        ("David", "I'll post more after trying to resolve the `Any`s here"),
        ("Sukera", "the easiest way forward would be to pass `sim_parameters` in as an argument"),
        ("David", "ok, i got rid of all the `Any`s"))))
    assert items == []
    items = action_items(Conversation(_messages(
        ("sunbubble", "I'd like to review the text alignment changes"),
        ("ffreyer", "@sunbubble I opened a PR for the text alignment, would you look at it?"),
        ("sunbubble", "sure :slightly_smiling_face: can you send me the link?"),
        ("ffreyer", "https://github.com/JuliaPlots/AbstractPlotting.jl/pull/657"))))
    assert all("send me the link" not in item.text for item in items)
    assert not is_commitment("I do want to end up at the end, otherwise I'm going to have some overlap.")
    assert is_commitment("I'll send the email tomorrow, otherwise they will have to wait")


def test_more_reports_of_a_fix() -> None:
    ask = (("a", "why does `@code_warntype` show red `Any`s?"), ("b", "pass `sim_parameters` in as an argument"))
    assert _last_worked(*ask, ("a", "ok, i got rid of all the `Any`s")) != []
    assert _last_worked(*ask, ("a", "huh…that appears to fix it")) != []
    assert _last_worked(*ask, ("a", "Yes, I solved the problem by passing everything in as an argument.")) != []
    assert _last_worked(*ask, ("a", "I tried your approach now with our tests. This works really well!")) != []
    assert _last_worked(*ask, ("a", "I solved the problem for floats but integers still fail")) == []
