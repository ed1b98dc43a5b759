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
from bot.summaries.structure import Conversation, code_gist, open_questions, outcome
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
