"""The answer a thread's ending and key points name (issue 11, twenty-eighth round): a suggestion put as "If you want …,
maybe <link> would be helpful?" that worked, a bare link the asker thanked shown with its question, the answer an asker
names ("@Simeon perfect!", "@Moelf Thanks!"), asides after the thanks passed over (a bystander's praise, "you can always
use …"), the sentence that says what code made it work, a comprehension as the code's gist, "this solution" with its
code, the error an answer's "the above error" means, a package's name alone as an answer, and the link "the above is a
good talk" speaks of."""

from __future__ import annotations

from bot.evals.rouge_sets import rendered_text
from bot.summaries.extractive import summarize_offline
from bot.summaries.sentences import split_sentences
from bot.summaries.structure import Conversation, code_gist, in_full, open_questions, outcome
from tests.test_thread_endings import _conv, _m

_LINK = "https://discourse.julialang.org/t/love-in-245-characters-code-golf/20771"


def _ended(conv: Conversation) -> tuple[tuple[int, ...], str, str | None]:
    ended = outcome(conv)
    assert ended is not None
    return ended.messages, ended.text, ended.reply


def test_a_suggestion_after_if_you_want_that_worked_is_where_it_ended_not_an_open_question() -> None:
    conv = _conv(
        ("kool7d", "I want to use it for area selection. Just don't need zoom. `xzoomlock()` isn't working"),
        ("ffreyer", "If you want a rectangle selection without zoom, maybe https://github.com/JuliaPlots/AbstractPlotting.jl/"
                    "blob/master/src/interaction/interactive_api.jl#L149 would be helpful?"),
        ("kool7d", "thanks! that works!"),
    )
    messages, text, _ = _ended(conv)
    assert messages == (1, 2) and text.startswith("If you want a rectangle selection")
    assert open_questions(conv) == []
    unanswered = _conv(*[(user, text) for user, text in [
        ("kool7d", "I want to use it for area selection. Just don't need zoom. `xzoomlock()` isn't working"),
        ("ffreyer", "If you want a rectangle selection without zoom, what is the axis type you use?"),
    ]])
    assert [item.messages for item in open_questions(unanswered)] == [(1,)]  # a question, not a suggestion


def test_a_bare_link_the_asker_thanked_is_shown_with_the_question_and_a_bystanders_praise_passes_over() -> None:
    turns = [
        ("Evan", "A while ago on discourse someone posted a snippet that made a cool animation in the repl. I can't find "
                 "it now; anybody know what I mean or have a link?"),
        ("pfitzseb", _LINK),
        ("Evan", "Perfect thank you"),
    ]
    for conv in (_conv(*turns), _conv(*turns, ("Frank", "Really, Really nice."))):
        messages, text, reply = _ended(conv)
        assert messages == (0, 2, 1) and text.endswith("have a link?") and reply == _LINK
    worked = _conv(turns[0], turns[1], ("Evan", "Seems to be working fine."))
    assert _ended(worked)[2] == "Seems to be working fine."  # a report that it works is shown, not the link


def test_the_answer_an_asker_names_closes_the_thread_over_their_own_messages_and_others_between() -> None:
    nodded = _conv(
        ("Heetbeet", "How do I return an expression from a macro, and not allow the macro to evaluate that expression?"),
        ("Oscar", "do you mean like this `macro return_exp() return :(:(1+1)) end`?"),
        ("Simeon", "You want `Meta.quot` or `QuoteNode`. The difference between them is that the latter doesn't evaluate "
                   "interpolation."),
        ("Heetbeet", "Maybe I should show exactly what I am busy with: I parse a spreadsheet formula into an expression."),
        ("Heetbeet", "The above tries to run that as `1+2+NOT(1!=2)` and not return it as an expression."),
        ("Heetbeet", "@Simeon perfect!"),
        ("Heetbeet", "Thanks!"),
    )
    assert _ended(nodded)[0] == (2, 6)
    thanked = _conv(
        ("Daniel", "Is there a built-in way to update the status of a long running function without reprinting it all?"),
        ("Moelf", "```function main()\n    for i=1:10\n        sleep(0.5)\n        print(\"\\r\")\n        print(\"$i in 10\")\n"
                  "    end\nend```"),
        ("Sebastian", "You might also be interested in the ProgressMeter.jl package: https://github.com/timholy/ProgressMeter.jl"),
        ("Moelf", "well, I copied this idea from ProgressMeter but since they asked explicitly:\n> built-in way"),
        ("Daniel", "@Moelf Thanks! It will be very nice to not have stuff flying across my REPL"),
        ("miguel", "You can always use the loggers / print to a file and then `tail -f myfile.txt` to stream the updates."),
    )
    messages, text, _ = _ended(thanked)
    assert messages == (1, 4) and text.startswith("`function main()")
    two = _conv(*[(u, t) for u, t in [
        ("robert", "Do you have the slides of your tutorial somewhere?"),
        ("Michael", "https://docs.google.com/presentation/d/16700"),
        ("Heather", "I have opened a PR with the basic structure here: https://github.com/forwards/rcontribution/pull/22"),
        ("robert", "Excellent! @Michael @Heather thank you so much!!!!"),
    ]])
    assert _ended(two)[0][0] == 2  # two people thanked: the last answer


def test_a_few_words_quoted_back_are_no_forward() -> None:
    assert split_sentences("since they asked explicitly:\n> built-in way") == ["since they asked explicitly:"]
    assert split_sentences("From the RSE Slack, a survey:\n> Please fill in our survey on testing scientific software") == [
        "From the RSE Slack, a survey:", "Please fill in our survey on testing scientific software"]


def test_the_sentence_saying_what_code_made_it_work_is_shown() -> None:
    conv = _conv(
        ("Patrick", "I'm having a lot of trouble animating with makie. When I run `record` I get a DimensionMismatch."),
        ("dpsanders", "Please post the whole minimal code, and the complete error message"),
        ("Patrick", "Ok so I figured out what was happening.\n\nI'm using sway-wm which is a tilling wm. If I include "
                    "`AbstractPlotting.inline!(true)` then it works fine and saves. It's just when the plot is forced to "
                    "be a certain size due to sway's tilling that I get the error"),
    )
    assert "`AbstractPlotting.inline!(true)` then it works fine" in _ended(conv)[1]


def test_a_comprehension_is_the_gist_of_a_repl_session_and_data_set_up_is_not() -> None:
    session = ("```julia> b = [ [] for _ in 1:4 ]\n4-element Vector{Vector{Any}}:\n []\n\njulia> push!(b[1], 1)\n"
               "1-element Vector{Any}:\n 1```")
    assert code_gist(session) == "`b = [ [] for _ in 1:4 ]`"
    data = "```julia> x = rand(100);\n\njulia> reshape(x, 10, 10);```"
    assert code_gist(data) == "`reshape(x, 10, 10);`"


def test_this_solution_is_shown_with_its_code() -> None:
    conv = _conv(
        ("SXCL", "How do I do forward references of struct types?"),
        ("Moelf", "circular reference needs something special: https://stackoverflow.com/questions/56417749"),
        ("SXCL", "Okay, I see. Thanks for the quick help on this, I was a bit puzzled how to get this to work."),
        ("SXCL", "I came up with this solution as an alternative to the suggested abstract types. Does it make sense?\n"
                 "```struct RailTo{T}\n    distance::Int\n    destination::T\nend\n\nstruct Town\n    name::String\n"
                 "    connections::Vector{RailTo{Town}}\nend```"),
    )
    assert _ended(conv)[1].endswith("alternative to the suggested abstract types. `struct RailTo{T}; distance::Int; "
                                    "destination::T; end`")


def test_an_answers_above_error_is_shown_with_the_error() -> None:
    messages = [
        _m("1.0", "Patrick", "Hi, I'm having a lot of trouble animating with makie. No matter what I do, when I run `record` "
                             "I get\n```ERROR: DimensionMismatch(\"tried to assign n×m array to m×n destination\")```"),
        _m("2.0", "simon", "All I can deduct from this is that you're trying to assign an nxm array to an mxn one"),
        _m("3.0", "dpsanders", "Does it work interactively (without recording)? You'll need to post a minimal example"),
        _m("4.0", "Patrick", "I've tried it as a script, as well as in the command line. I can create a scene, change it and "
                             "the window updates. As soon as I use record I get that error."),
        _m("5.0", "dpsanders", "Can you record the simplest possible plot / animation? If so, make it more complicated; if "
                               "not, post that MWE"),
        _m("6.0", "Patrick", "No, any usage of record results in the above error"),
        _m("7.0", "Patrick", "Even the examples given in the Makie docs"),
        _m("8.0", "dpsanders", "Please post the whole minimal code, and the complete error message"),
        _m("9.0", "Patrick", "Ok so I figured out what was happening. I'm using sway-wm which is a tiling wm. If I include "
                             "`AbstractPlotting.inline!(true)` then it works fine and saves."),
    ]
    assert ("— Patrick: No, any usage of record results in the above error `ERROR: DimensionMismatch"
            in rendered_text(summarize_offline(messages), messages))


def test_a_packages_name_alone_answers_the_opening_question() -> None:
    messages = [
        _m("1.0", "azzaare", "Is there a snippet to generate documentation for a given function? It would be great to "
                             "right-click a declaration's name and generate a doc template with the signature."),
        _m("2.0", "Fredrik", "AutomaticDocstrings.jl"),
        _m("3.0", "azzaare", "Wait, this is only for Juno, not vscode right?"),
        _m("4.0", "Fredrik", "It works fine for vscode as well, use the inline evaluation instead of sending to repl"),
    ]
    assert "signature. — Fredrik: AutomaticDocstrings.jl" in rendered_text(summarize_offline(messages), messages)


def test_the_above_is_a_good_talk_is_shown_with_its_link() -> None:
    conv = _conv(
        ("Emir", "Is there a video explaining how automatic differentiation works? I just cant wrap my head around it"),
        ("ararslan", "I think one of Grant Sanderson's videos on neural networks goes into some details of autodiff"),
        ("Harish", "http://videolectures.net/deeplearning2017_johnson_automatic_differentiation/"),
        ("Harish", "the above is a good talk focussed on explaining concepts"),
    )
    messages, text, _ = _ended(conv)
    assert messages == (2, 3) and text == ("http://videolectures.net/deeplearning2017_johnson_automatic_differentiation/: "
                                           "the above is a good talk focussed on explaining concepts")


def test_a_loud_it_worked_is_shown_after_the_answer() -> None:
    conv = _conv(
        ("Atreya", "How do I add a Bool `neighbors` option to my `BlockPartition` type?"),
        ("Mark", "It's a keyword argument so `B1 = partition(P, BlockPartition(50.,50., neighbors = true))`"),
        ("Atreya", "@Mark This is what I got:\n[file: Screenshot.png]"),
        ("Mark", "You didn't say `neighbors = true`. You have to include `neighbors = ` to use the keyword argument."),
        ("Atreya", "@Mark It worked!!!!!!! Thank you so much!!!!! :heart:"),
    )
    messages, _, reply = _ended(conv)
    assert messages == (3, 4) and reply == "It worked!!!!!!!"


def test_the_point_an_asker_quotes_and_calls_a_good_point_is_where_it_ended() -> None:
    turns = [
        ("Benoit", "Is there a way to give Unitful units to an array instead of to each element? The usual Unitful way "
                   "will result in a non-inferrable element type of the whole array."),
        ("Moelf", "loading data from file is intrinsically not type stable unless you can specify the type ahead of the "
                  "time. I won't worry about type stability of loading data, you just do it once"),
        ("Moelf", "this is type stable, you just need to isolate the string parsing (which is unstable by construction)"),
    ]
    conv = _conv(*turns, ("Benoit", "> loading data from file is intrinsically not type stable\nThat a very good point. My "
                                    "code looked well typed before I included the units only because I was cheating"))
    messages, text, reply = _ended(conv)
    assert messages == (1, 3) and text.startswith("loading data from file") and reply is not None
    assert reply.startswith("That a very good point.")
    unquoted = _conv(*turns, ("Benoit", "That a very good point. My code looked well typed before I included the units"))
    assert _ended(unquoted)[0][0] != 1


def test_one_word_after_the_askers_what_question_answers_it() -> None:
    turns = [
        ("U01", "is the us-east package registry down?"),
        ("U01", "```$ curl -vvv https://us-east-ci.pkg.julialang.org/registries```\nand it just hangs"),
        ("fredrik", "https://status.julialang.org/service/us-east-cipkgjulialangorg"),
        ("U01", "That status page could be more clear, what does \"offline\" mean."),
    ]
    messages, text, reply = _ended(_conv(*turns, ("fredrik", "Dead")))
    assert messages == (3, 4) and text.endswith("what does \"offline\" mean.") and reply == "Dead"
    assert _ended(_conv(*turns, ("fredrik", "Thanks")))[2] != "Thanks"  # a courtesy answers nothing


def test_that_was_it_credits_the_question_that_found_the_cause() -> None:
    conv = _conv(
        ("Jesse", "My docstring changes don't show up when I build the docs locally with Documenter."),
        ("fredrik", "Do you use Revise and/or restart Julia between runs?"),
        ("Jesse", "Yes, I've restarted Julia a few times in between."),
        ("fredrik", "Do you have the correct version of your package installed to `docs/Project.toml`?"),
        ("Jesse", "it's a good question. I don't think so, since I'm seeing other changes show up"),
        ("Jesse", "that was it - thanks for the catch!"),
    )
    messages, text, reply = _ended(conv)
    assert messages == (3, 5) and text.startswith("Do you have the correct version") and reply == "that was it - thanks for the catch!"


def test_a_bare_no_stays_in_front_of_the_answer_it_opens() -> None:
    messages = [
        _m("1.0", "Rodrigo", "Is there a faster linear system solver for sparse matrix than \\ ?"),
        _m("2.0", "Oscar", "No. (and if you were to find one, you could make a PR to make it so that was what Base used)"),
        _m("3.0", "brio", "Has your sparse matrix got any special structure? For example, if it's diagonal, use `Diagonal`."),
        _m("4.0", "fredrik", "Could try https://github.com/JuliaSparse/Pardiso.jl"),
        _m("5.0", "Rodrigo", "I've tried Pardiso. But the library is crashing when using the pardiso dll that I got."),
    ]
    shown = rendered_text(summarize_offline(messages), messages)
    assert "Oscar: No. (and if you were to find one" in shown


def test_an_answer_that_runs_on_into_a_list_shows_the_list() -> None:
    messages = [
        _m("1.0", "Mathias", "Does anyone know why random number generators with fixed seeds are so slow on the GPU? A "
                             "1000x factor slower."),
        _m("2.0", "maleadt", "it's going to (re)set some state on the gpu, so I expect it to be orders of magnitude slower"),
        _m("3.0", "maleadt", "maybe re-setting the offset would be sufficient for you?"),
        _m("4.0", "Mathias", "re-setting the offset leads to same kind of performance, I am basically trying to do\n"
                             "• draw rand!(e)\n• Do other stuff\n• Need to redraw exact same e"),
        _m("5.0", "maleadt", "I'm not seeing that here locally, setting the offset or seed only takes a couple of ns"),
        _m("6.0", "Mathias", "Looks like GPUArrays has way better performance, I only need rand/randn so should be fine"),
    ]
    shown = rendered_text(summarize_offline(messages), messages)
    assert "I am basically trying to do: draw rand!(e); Do other stuff; Need to redraw exact same e" in shown


def test_the_opening_problem_is_shown_with_the_error_it_pastes_once() -> None:
    messages = [
        _m("1.0", "umair", "Hi, I am an R user, new to julia. I am trying to re-write an R function in julia. The syntax "
                           "seems to be fine, but I am getting\n```TypeError: non-boolean (Missing) used in boolean context"
                           "```\nI posted on stackoverflow too, but nobody answered yet."),
        _m("2.0", "Mark", "`if` needs a `Bool`; one of your comparisons returns `missing`. Wrap it: `coalesce(x > 0, false)`"),
        _m("3.0", "umair", "Thanks, that fixed it. The missing values were in the speed column."),
    ]
    shown = rendered_text(summarize_offline(messages), messages)
    assert shown.count("`TypeError: non-boolean (Missing) used in boolean context`") == 1
    plain = [_m("1.0", "umair", "I am trying to re-write an R function in julia, and it returns the wrong answer."),
             *messages[1:]]
    assert "TypeError" not in rendered_text(summarize_offline(plain), plain)


def test_a_not_really_verdict_and_a_named_guess_answer_the_opening() -> None:
    verdict = [
        _m("1.0", "sairus7", "Is there a roadmap to make VS Code workspace a little bit nicer? Like use colors for types "
                             "and values, and show values in pop-up windows?"),
        _m("2.0", "pfitzseb", "Not really. We're fairly constrained by the provided API here."),
        _m("3.0", "pfitzseb", "But feel free to open issues if you have any concrete suggestions!"),
        _m("4.0", "sairus7", "Submitted an issue to add colors to VS Code workspace text: https://github.com/julia-vscode/"
                             "julia-vscode/issues/1859"),
    ]
    assert "— pfitzseb: Not really. We're fairly constrained" in rendered_text(summarize_offline(verdict), verdict)
    guess = [
        _m("1.0", "Ari", "is there a Julia nbdev equiv?"),
        _m("2.0", "Brian", "The Pluto ecosystem?"),
        _m("3.0", "Brian", "If/when VS Code integration happens, it'll be better than nbdev IMO"),
        _m("4.0", "Ari", "I pointed him to FastAI.jl and just asked about pluto"),
        _m("5.0", "lorenzoh", "I have a working prototype of a document generation system: https://github.com/lorenzoh/"
                              "Pollen.jl. It's based on tree rewriting."),
    ]
    assert "is there a Julia nbdev equiv? — Brian: The Pluto ecosystem?" in rendered_text(summarize_offline(guess), guess)


def test_a_last_word_on_the_link_or_code_guess_before_it_is_shown_with_it() -> None:
    linked = _conv(
        ("Jonas", "Is there a package for short strings stored inline, like a short vector of isbits type?"),
        ("Moelf", "basically a SVector{UInt8} with size <5-10?"),
        ("stilly", "https://github.com/tpapp/StrFs.jl"),
        ("kmsquire", "Another one is https://github.com/JuliaString/ShortStrings.jl"),
        ("kmsquire", "But, this is only if all of your strings are short."),
    )
    assert _ended(linked)[1] == ("Another one is https://github.com/JuliaString/ShortStrings.jl But, this is only if all "
                                 "of your strings are short.")
    guessed = _conv(
        ("Kris", "How do I multiply the columns of two matrices elementwise, a1 .* b1 and a2 .* b2, in one go?"),
        ("extra", "Matrix multiplication does this: the entry of a matrix product is the dot product of row and column."),
        ("Sukera", "isn't this just `map(.*, [a1 a2], [b1 b2])`?"),
        ("Sukera", "that works on 1.6, before that you'll have to use `map((x,y) -> x.*y, [a1 a2], [b1 b2])`"),
        ("Kris", "Many thanks, Gelwan and Valentin. Very helpful skills."),
    )
    assert _ended(guessed)[1].startswith("isn't this just `map(.*, [a1 a2], [b1 b2])`? that works on 1.6")


def test_they_both_worked_and_a_measured_result_confirm_the_answer() -> None:
    both = _conv(
        ("Bryan", "Why do I get an error with `:abc x` and with `:84` as column names?"),
        ("Moelf", "`:abc x` won't work, because the space, you need to `Symbol(\"symbol with space\")`"),
        ("Moelf", "`:84` also won't work because number, you need to do `Symbol(\"84\")`"),
        ("Bryan", "@Moelf Thank you very much. They both worked now :slightly_smiling_face:"),
        ("Bryan", "I'm going to need to do a tutorial. I've never heard of Symbol before."),
        ("Moelf", "you happened to hit two quarks within one line haha. usually they are more intuitive"),
    )
    assert _ended(both)[0][0] in (1, 2)
    measured = _conv(
        ("Benoit", "Why is my contourf plot 160 Mo as a PDF? I was expecting the PDF to be bigger than the SVG but not this."),
        ("Julius", "Contourf is exactly the poly / mesh issue, I'll try to push a fix later"),
        ("Julius", "Can you try the latest version? It should have much lower file sizes."),
        ("Benoit", "It went down to 1.7 Mo (from 160) :tada: Thanks a lot :slightly_smiling_face:"),
    )
    assert _ended(measured)[2] == "It went down to 1.7 Mo (from 160)"


def test_an_opening_error_line_cut_short_is_not_appended() -> None:
    messages = [
        _m("1.0", "mschauer", "I am fighting a bit in having a Node contain a function which should update from level to "
                              "level.\n```ERROR: LoadError: MethodError: Cannot `convert` an object of type\n  "
                              "var\"#1#2\" to an object of type var\"#3#4\"```"),
        _m("2.0", "simon", "Because the function is not the same type: use `Node{Any}` or a `FunctionWrapper`."),
        _m("3.0", "mschauer", "Thanks, `Node{Any}` works."),
    ]
    assert "ERROR" not in rendered_text(summarize_offline(messages), messages)


def test_a_short_code_answer_thanked_after_the_askers_explanation_is_where_it_ended() -> None:
    conv = _conv(
        ("clark", "Is this an idiomatic/reasonable way to create an array of empty strings?\n```map(x -> \"\", 1:5)```"),
        ("Moelf", "why would you do this? String cannot be mutated in-place later. `repeat([\"\"], 5)` works too"),
        ("clark", "implementing a sampling scheme"),
        ("clark", "where the elements are randomly getting pushed out of the array"),
        ("Marius", "`fill(\"\", 5)` may be cleaner"),
        ("clark", "Perfect, thanks!"),
    )
    assert _ended(conv)[0] == (4, 5)


def test_using_this_syntax_names_no_earlier_suggestion() -> None:
    conv = _conv(
        ("Hayan", "Is there any method to check if a key exists in an array of Dicts?"),
        ("Moelf", "consider using a single Dict with names and options"),
        ("Hayan", "A single Dict worked, but we have an array of Dicts, and I want to find whether the name exists in it"),
        ("Jeff", "`in.(fk, values.(d))`"),
        ("Jeff", "that returns array. if you want an any match you can use `any`"),
        ("Hayan", "`any(in.(fk, values.(d)))`\nThank you so much, I am using this syntax and its worked"),
    )
    assert _ended(conv)[0][0] in (3, 4)


def test_thanks_for_an_answer_pass_over_its_authors_note_on_a_misplaced_reply() -> None:
    conv = _conv(
        ("Lover", "How can I make `p.x` return a field computed from the others in my struct?"),
        ("Oscar", "`getproperty` and `setproperty` are what you're looking for"),
        ("statspy", "still getting the same answers..."),
        ("statspy", "still not getting x=2, y=3"),
        ("Oscar", "I think you're responding in the wrong question"),
        ("Lover", "Thanks @Oscar"),
    )
    messages, text, _ = _ended(conv)
    assert messages == (1, 5) and text.startswith("`getproperty` and `setproperty`")


def test_a_minimal_example_filed_as_an_issue_is_where_it_ended() -> None:
    conv = _conv(
        ("tkf", "Has anyone seen `LLVM ERROR: Cannot select` in code that uses `llvmcall`?"),
        ("Oscar", "I really wish we had a package that could auto-reduce issues"),
        ("Chris", "https://discourse.julialang.org/t/ann-automatic-test-case-reduction/17700"),
        ("Chris", "I've seen that error on occasion (normally noticing it in code typed) with `llvmcall`."),
        ("tkf", "Ah, thanks, that discourse post was what I was thinking!"),
        ("tkf", "BTW I got a MWE here https://github.com/JuliaLang/julia/issues/40177"),
    )
    assert _ended(conv)[0] == (5,)


def test_the_code_a_question_points_at_is_shown_with_it() -> None:
    assert code_gist("```x = for i in 1:5\n    i\nend```") == "`x = for i in 1:5; i; end`"  # a block, not data
    assert code_gist("```julia> df = DataFrame(a = rand(3))\n3×1 DataFrame\n\njulia> df.b = invperm(sortperm(df.a))\n"
                     "3-element Vector{Int64}```") == "`df.b = invperm(sortperm(df.a))`"  # computed from the data
    messages = [
        _m("1.0", "sa-", "Does there exist syntax similar to this?\n```x = for i in 1:5\n    i\nend```\nwhere hopefully, "
                         "`x == [1,2,3,4,5]`"),
        _m("2.0", "fredrik", "`x = [i for i in 1:5]`"),
        _m("3.0", "sa-", "ah okay"),
        _m("4.0", "Simeon", "Alternatively, you can use `map` with the `do` syntax:\n```map(1:5) do i\n   ...\nend```"),
        _m("5.0", "sa-", "ohhhhhh"),
        _m("6.0", "sa-", "that's nuts"),
        _m("7.0", "sa-", "Vielen Dank Simeon!"),
        _m("8.0", "Simeon", "No problem. Note that `do` here just creates an anonymous function and passes it as the first "
                            "argument to `map`, so it works with a bunch of other higher order functions as well."),
    ]
    summary = summarize_offline(messages)
    assert summary.overview == "Does there exist syntax similar to this? `x = for i in 1:5; i; end`"
    assert summary.outcome is not None and summary.outcome.text.startswith("Alternatively, you can use `map`")
    conv = _conv(("clark", "Is this an idiomatic/reasonable way to create an array of empty strings?\n```map(x -> \"\", "
                           "1:5)```"), ("Marius", "`fill(\"\", 5)` may be cleaner"))
    assert in_full(conv, 0, conv.content[0][0], conv.content[0][0]).endswith("strings? `map(x -> \"\", 1:5)`")


def test_an_ending_that_leans_on_the_question_before_it_is_shown_after_it() -> None:
    turns = [
        ("stefan", "The linux32 buildbot failed again on master."),
        ("vtjnash", "Looks like a timeout in the Distributed tests, I restarted it."),
    ]
    asked = _conv(*turns, ("stefan", "what was the other failure?"), ("vtjnash", "It is always the same issue (test hanging)"))
    messages, text, reply = _ended(asked)
    assert messages == (2, 3) and text == "what was the other failure?" and reply == "It is always the same issue (test hanging)"
    aside = _conv(*turns, ("stefan", "One thing is the new scheduler (“work stealing”?)"),
                  ("vtjnash", "It is always the same issue (test hanging)"))
    assert _ended(aside)[0] == (3,)  # a question in brackets is an aside, not what it answers
    leaning = _conv(*turns, ("stefan", "It would retry it pretty automatically?"),
                    ("vtjnash", "It is always the same issue (test hanging)"))
    assert _ended(leaning)[0] == (3,)  # a question that leans on something else itself gives no context


def test_the_askers_own_code_that_worked_and_a_link_they_found_themselves() -> None:
    conv = _conv(
        ("Paulito", "How do I make a sparse matrix of `Mean()` objects from OnlineStats?"),
        ("joshday", "Ah, right. You need a `Base.zero(::Type{<:Mean})` method"),
        ("Paulito", "thanks"),
        ("Paulito", "can you give an example how to define Base.zero? it still spits out a MethodError"),
        ("Paulito", "ah, got it: `Base.zero(::typeof(Mean()))=0.0`"),
        ("Paulito", "```sparse([Mean() for i=1:3,j=1:3])```"),
        ("Paulito", "works"),
    )
    messages, text, reply = _ended(conv)
    assert messages == (4, 6) and "`Base.zero(::typeof(Mean()))=0.0`" in text and reply == "works"
    found = _conv(
        ("Fabian", "Hello - I think I recently saw a link to an MIT course that made heavy use of Julia. Would someone "
                   "have the link for me?"),
        ("Fabian", "Aaaand my google-fu came back: https://ocw.mit.edu/courses/mathematics/18-s190/"),
        ("Fabian", "https://computationalthinking.mit.edu/Spring21/"),
    )
    assert open_questions(found) == []
    linked = _conv(("Wikunia", "Is there any way to get horizontal box plots?"),
                   ("Wikunia", "Seems like PyPlot can do it: https://github.com/gizmaa/Julia_Examples/blob/master/box.jl"))
    assert [item.messages for item in open_questions(linked)] == [(0,)]  # a lead, not the answer asked for


def test_an_aside_in_brackets_is_not_the_sentence_an_ending_shows() -> None:
    conv = _conv(
        ("Nicholas", "Why do `sum`, `any` and `all` take a function first, when a generator does the same?"),
        ("oxinabox", "Generators were added to julia long after functions of those forms. Probably would have far fewer "
                     "of them if Generators were available in 0.1 or 0.2. (I think `IterTools.imap` (back when that "
                     "package was called Iterators) is much older than Generators, but less nice to write). But as "
                     "history did unfold, that convention was kind of established. Its also kind of nice for reducers."),
    )
    assert not _ended(conv)[1].startswith("(")


def test_beat_me_to_it_is_banter_and_a_does_x_not_work_is_a_suggestion() -> None:
    conv = _conv(
        ("Joey", "How do I evaluate my polynomial function on every element of an array of floats?"),
        ("Oscar", "can't you just use `mypoly.(Array of Floats)`"),
        ("dataopt", "Does `mypoly.(v)` not work?"),
        ("Oscar", "jinx"),
        ("dataopt", "Oscar beat me to it"),
        ("Joey", "Thanks! This is my first simulation in Julia"),
        ("dataopt", "Have fun!"),
    )
    assert conv.noise(4) and open_questions(conv) == []
    messages, text, _ = _ended(conv)
    assert messages[0] in (1, 2) and "`mypoly." in text


def test_a_bracketed_afterthought_and_the_noise_after_it_are_no_ending_when_its_answer_is() -> None:
    turns = [
        ("Simon", "Why does IJulia run the kernel heartbeat in a thread and not in a task?"),
        ("mose", "Is that only on macos?"),
        ("steven", "It needs to be in a thread, not a task, because tasks are cooperative — if you have a long-running "
                   "calculation without a `yield`, then the heartbeat would stop, and Jupyter might restart the process."),
        ("steven", "(Moreover, the zmq_proxy function couldn't be used in a task, since it blocks forever.)"),
        ("steven", "(Please put further discussion in the github issue.)"),
    ]
    assert _ended(_conv(*turns))[1].startswith("It needs to be in a thread")
    only = _conv(("Vin", "Does it mean we can not re-assign `MyType` again if it is declared `const`?"), ("Micket", "Yes"),
                 ("Micket", "(this also greatly affects performance of global values, you should use it for your type)"))
    assert outcome(only) is not None  # nothing before it says where it ended: the afterthought does
