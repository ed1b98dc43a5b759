"""Where a thread ended and who was asked (issue 11, tenth round): answers to the resolution's author, reports of
a filed issue, short answers shown with the question they answer, replies addressed to someone else, approvals shown
with what they approve, accepted and named promises, and what a reader trips on (slips, emoticons, announced
questions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.models import Message, Point
from bot.summaries.extractive import _with_its_answer, _with_what_it_answers, summarize_offline
from bot.summaries.ranking import RankedSentence
from bot.summaries.sentences import split_sentences
from bot.summaries.structure import (
    Conversation,
    action_items,
    answer_sentence,
    answer_to,
    code_gist,
    decisions,
    in_full,
    open_questions,
    outcome,
)


def _m(ts: str, user: str, text: str) -> Message:
    return Message("C1", ts, f"U{user}", user, text, thread_ts="1.0")


def _conv(*turns: tuple[str, str]) -> Conversation:
    return Conversation([_m(f"{i + 1}.0", user, text) for i, (user, text) in enumerate(turns)])


def _ended(conv: Conversation) -> tuple[int, ...]:
    """The messages :func:`outcome` cites for where ``conv`` ended (it must find one)."""
    ended = outcome(conv)
    assert ended is not None
    return ended.messages


def test_a_short_answer_is_shown_after_what_it_answers() -> None:
    conv = _conv(
        ("Lluis", "The NEWS file mentions neither change and the SVN log has nothing either."),
        ("Mikael", "The change to sets.R seems intentional and desirable, but NEWS should mention it."),
        ("Lluis", "Yes, I'm sure it is intentional. But I'm trying to know for sure on which version the NEWS line "
                  "should go before attempting to make a patch."),
        ("Mikael", "Definitely 4.1.3"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (2, 3) and ended.reply == "Definitely 4.1.3"
    point = summarize_offline(conv.messages).outcome
    assert point is not None and point.text.endswith("— Mikael: Definitely 4.1.3")
    assert point.source_ts == ["3.0", "4.0"]  # cited: the question's message first (its author leads), then the answer


def test_a_short_answer_to_a_question_shows_the_question() -> None:
    conv = _conv(
        ("Elio", "Who presents the chapter on pointers in session 3 of the second cohort?"),
        ("Stone", "Maybe we could use Trang's slides from cohort 1?"),
        ("Trang", "Here you go! https://slides.com/trangdata/modernc-4-5"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1, 2)
    assert ended.text.startswith("Maybe we could use") and ended.reply == "Here you go! https://slides.com/trangdata/modernc-4-5"


def test_an_answer_to_a_question_is_where_it_ended_not_what_came_before() -> None:
    conv = _conv(
        ("Balen", "Would a REPL started with jl_load_repl share the memory space of the process it is injected in?"),
        ("Mark", "In particular, note that jl_init is defined as jl_init__threading in julia.h, see the embedding docs."),
        ("Balen", "Okay, that was surprisingly easy, the REPL starts inside the process now."),
        ("Mark", "Can you unsafe_load from that pointer?"),
        ("Balen", "Sure why not, I don't see a reason it'd fail but I'll try it."),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (4,), ended


def test_a_later_answer_to_the_resolutions_author_is_where_it_ended() -> None:
    conv = _conv(
        ("Lambda", "Is R 4.3.0 compatible with macOS Ventura? The binary segfaults in RStudio."),
        ("Heather", "It is important that your OS is fully updated: can you update to Ventura 13.3.1?"),
        ("Lambda", "I did update to 13.3.1 and still got the segfault with the R 4.3.0 binary."),
        ("Mikael", "IIRC, I resolved it by lowering my macOS deployment target in CFLAGS."),
        ("Lambda", "@Mikael the flag worked and it compiled, but bin/R says R 4.2.3 instead of R 4.3.0."),
        ("Lambda", "@Mikael The problem is that R-devel is 4.4.0. If R-patched is 4.2.3, I wonder where 4.3.0 is."),
        ("Heather", "@Lambda the alpha and beta releases would be on the prerelease page, but only in the weeks "
                    "before a new release."),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (6,), ended


def test_a_filed_issue_ends_the_thread_and_how_something_works_resolves_nothing() -> None:
    filed = _conv(
        ("mcabbott", "Is this a known issue? 0 .* (1:3) .+ (1:4)' throws: step cannot be zero."),
        ("Sukera", "I think ints are being expanded to an empty range, which is then combined."),
        ("mcabbott", "But my complaint is that this is eager, normally broadcasted is lazy."),
        ("Sukera", "if it's only a step of 0 that's problematic, this should be easily patched"),
        ("mcabbott", "For type-stability, I guess this would involve making it always return a StepRangeLen"),
        ("mcabbott", "ok, I made an issue now"),
    )
    ended = outcome(filed)
    assert ended is not None and ended.messages == (5,) and ended.text == "ok, I made an issue now"
    understood = _conv(
        ("Mason", "Fix2 is very handy for things like any(==(1), v) instead of a full lambda."),
        ("Peter", "tbh I find LegibleLambdas to just increase the symbol soup with all the parentheses"),
        ("Mason", "The big problem I see with anonymous functions is that their printed names are unhelpful."),
        ("Peter", "Ohhhh, now I see how LegibleLambdas works. The improved stacktraces are definitely nice!"),
        ("Mason", "Unfortunately, I still haven't figured out how to get the stacktraces to print nicely. "
                  "I should try and work on that again"),
    )
    ended = outcome(understood)
    assert ended is not None and ended.messages == (4,), ended


def test_what_happens_once_something_is_done_is_no_resolution() -> None:
    conv = _conv(
        ("Jorge", "Where does Julia lie on the graph of static type systems?"),
        ("Valentin", "Julia is a dynamic language at heart, so it is not on that graph."),
        ("Jorge", "Can we disallow Any, perhaps not right now?"),
        ("Valentin", "f(x) = is syntax sugar for f(x::Any) = and giving that up would change the language."),
        ("Jorge", "I could restrict f(::Real) and once I am done playing with my functions I could make a snapshot "
                  "that disallows Any and keeps only the statically generated versions."),
        ("Valentin", "And JET.jl is a static type checker that can find those places for you."),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (5,), ended


def test_a_one_word_answer_gives_way_to_the_confirmation_that_says_more() -> None:
    conv = _conv(
        ("afisher", "I'd like to simulate an n-body gravitational problem and get the bodies' trajectories."),
        ("Dan", "You should be able to lower n second-order equations into 2n first-order ones and solve them."),
        ("chris", "NBodySimulator.jl"),
        ("afisher", "Thanks @chris, NBodySimulator.jl was my first look, but i want to be able to add a hook to "
                    "perturb the objects and am not sure how to do that with the interface"),
    )
    ended = outcome(conv)
    assert ended is not None and set(ended.messages) == {2, 3} and ended.text.startswith("Thanks @chris, NBodySimulator")


def test_a_question_to_someone_greeted_by_name_is_open_until_they_answer() -> None:
    conv = _conv(
        ("Beatriz", "Hi everyone! I would like to help in the translation to Brazilian Portuguese."),
        ("Michael", "great news! Caio, it would be great if you could offer a rough time estimate of your translating."),
        ("Heather", "Note that Caio is coming to the working group meeting tomorrow, Beatriz, you may want to come too!"),
        ("Beatriz", "Hi Heather! I have a weekly work meeting at that time so I won't be able to attend. "
                    "How long does this meeting last?"),
        ("Caio", "@Michael if I recall correctly, I spent roughly 8 to 10 hours translating."),
    )
    assert [item.text for item in open_questions(conv)] == ["How long does this meeting last?"]
    answered = _conv(*[(u, t) for u, t in [
        ("Beatriz", "Hi Heather! How long does the working group meeting last?"),
        ("Heather", "About an hour, and joining late is fine."),
    ]])
    assert open_questions(answered) == []


def test_addressed_asks_for_information_consensus_and_background_choices() -> None:
    asked = _conv(("Michael", "Should we convert messages like stop('etc: ', x) to the templated form?"),
                  ("Michael", "oh, i see @hiroaki is in this channel -- a bit of a random request but how would you "
                              "translate the above message to Japanese?"))
    assert action_items(asked) == []  # a question for information, not a task
    agreed = _conv(("Heather", "Perhaps the translation docs should move to a separate guide."),
                   ("Pao", "I think it's an excellent idea, the wiki was great during the sprint."),
                   ("Heather", "Added an issue here as there is consensus to work on this."))
    assert [item.messages for item in decisions(agreed)] == [(2,)]
    background = _conv(("Kay", "Recently, I decided to pick up R again. I have a small feature for lm."),
                       ("Gabriel", "Will your change require changes in print.lm and summary.lm?"))
    assert decisions(background) == []
    stick = _conv(("Chris", "Can't use a(end-1) with round brackets, that is syntax."),
                  ("Chris", "Yeah. I'll stick with the current square bracket behavior to make that work."))
    assert [item.messages for item in decisions(stick)] == [(1,)]


def test_a_promise_to_post_is_done_by_the_owners_here_it_is_or_pull_request() -> None:
    posted = _conv(("Lluis", "The R session crashes without an error in tools::package_dependencies."),
                   ("Michael", "do the iterations slow down? what's it look like with verbose=TRUE?"),
                   ("Lluis", "I'll post the result later today (I am currently not in that machine)"),
                   ("Lluis", "Here it is the output with `verbose = TRUE` in 4.3.0 and Bioconductor 3.17: 1432780 new"))
    assert action_items(posted) == []
    pull = _conv(("Kazutaka", "I was not able to define polys with Operation[1] in the Lotka-Volterra example."),
                 ("AlCap", "Hm, the version in the manifest is still on 3.17. I'll have a look."),
                 ("AlCap", "https://github.com/ChrisRackauckas/universal_differential_equations/pull/32"))
    assert action_items(pull) == []
    older = _conv(("Michael", "Lluis is leading the Spanish translation, ask him."),
                  ("robert", "Thanks @Michael I'll get in touch with Lluis about helping with the es translation. "
                             "I tried a Spanish translation of BiocManager before; see this PR "
                             "(https://github.com/Bioconductor/BiocManager/pull/106)."))
    assert [item.messages for item in action_items(older)] == [(1,)]  # a pull request of the past completes nothing


def test_a_greeting_line_is_not_joined_to_the_request_after_it(shared_data: Path) -> None:
    from bot.slack.export import ExportReader

    messages = ExportReader(shared_data / "slack-export-rcontrib").thread("general", "1691756469.625819")
    texts = [p.text for p in summarize_offline(messages).key_points]
    assert texts and not any(t.startswith("Hello all") for t in texts), texts
    assert any(t.startswith("please inform me about the last stable version of R") for t in texts), texts


def test_slips_and_emoticons_are_noise_and_a_range_is_no_file_line() -> None:
    from bot.summaries.structure import is_noise

    assert is_noise("Oops - I guess that should have been a reply")
    assert is_noise("yeah, I remembered that after I typed it ^^")
    assert not is_noise("You can do a comprehension: `[rand(-1:0.01:1) for i in 1:5]`")
    assert is_noise("./src/library/stats/po/lt.po:947")  # a file and line still is


def test_a_request_asks_whom_it_answers_and_as_soon_as_i_have_time_is_no_promise() -> None:
    conv = _conv(
        ("Heather", "Joan started the Catalan translation and joined the Slack."),
        ("Joan", "Thanks! I'd like to edit the Catalan conventions on the wiki."),
        ("Gergely", "as part of your wiki updates, please also extend the languages table on the conventions page"),
    )
    assert [(item.messages, item.owner) for item in action_items(conv)] == [((2,), "Joan")]
    vague = _conv(("Heather", "I added you to the R-devel org."),
                  ("Joan", "A soon as I have time, I will update the wiki"))
    assert action_items(vague) == []


def test_an_announced_question_is_no_key_point(shared_data: Path) -> None:
    """A JuliaLang #general thread (return types and tuples): "I also wanted to ask regarding the tuples." had been
    a key point."""
    from bot.evals.sections import load_thread

    messages = load_thread(shared_data, "julialang", "C67910KEH", "1611994822.327300")
    texts = [p.text for p in summarize_offline(messages).key_points]
    assert texts and not any(t.startswith("I also wanted to ask regarding") for t in texts), texts


def test_a_short_approval_is_shown_with_the_proposal_it_approves() -> None:
    conv = _conv(
        ("Joan", "Hi! I started the Catalan translations and have some questions about the review workflow."),
        ("Gergely", "if you decide to use the suggested review workflow instead of letting anyone contribute without "
                    "reviews, we could also set up the Catalan language team."),
        ("Joan", "It's fine for now, @Gergely."),
    )
    [item] = decisions(conv)
    assert item.messages == (1, 2) and item.text.startswith("if you decide to use") and item.reply == "It's fine for now, @Gergely."
    point = summarize_offline(conv.messages).decisions[0]
    assert point.text.endswith("— Joan: It's fine for now, @Gergely.") and point.source_ts == ["2.0", "3.0"]
    full = _conv(("Ann", "Should we move the docs to Quarto?"), ("Ben", "Sounds good to me, let's move the docs to Quarto."))
    assert [(item.messages, item.reply) for item in decisions(full)] == [((1,), None)]  # it says what it approves


def test_accepting_a_task_does_not_do_it() -> None:
    conv = _conv(("Shun", "I'd like to join the Chinese translation team, can I get access to the GitHub wiki?"),
                 ("Gergely", "@Shun invite to GH sent. once you joined, can you pls add Chinese to the languages table"),
                 ("Shun", "no problems! Thanks."))
    assert [(item.messages, item.owner) for item in action_items(conv)] == [((1,), "Shun")]


def test_a_short_promise_that_names_someone_is_done_only_by_a_report_about_it() -> None:
    conv = _conv(("Heather", "It would be helpful to email Simon about the Quartz errors, he is keen on testing."),
                 ("Lambda", "I also got the same devQuartz errors. I'll email Simon."),
                 ("Mikael", "IIRC, I resolved it by lowering my macOS deployment target."),
                 ("Lambda", "That flag worked. However, when I opened `bin/R` I got R 4.2.3 instead of R 4.3.0."))
    assert [(item.text, item.owner) for item in action_items(conv)] == [("I'll email Simon.", "Lambda")]
    checked = _conv(("Gergely", "The weblate import failed again for the Polish team last night."),
                    ("Michael", "will check on it tomorrow"),
                    ("Michael", "fixed, the import runs again"))
    assert action_items(checked) == []  # "it": any report of its owner's after it


def test_an_answer_given_only_as_code_is_where_it_ended_shown_as_its_code() -> None:
    conv = _conv(
        ("Tino", "What's the recommended way of defining a type with a variable number of arguments?"),
        ("Ramirez", "Not exactly the same but you could pass a tuple.\n```struct MyStruct{T}\n    x :: T\nend```"),
        ("Tino", "in that case wouldn't `MyStruct(1).x` return `1` instead of `(1,)`?"),
        ("Michael", "```julia> struct MyStruct\n           x\n           MyStruct(x...) = new(x)\n       end\n\n"
                    "julia> MyStruct(1).x\n(1,)```"),
        ("Tino", "nice, thanks!"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (3, 4), ended  # the code thanked for, not the tuple before it
    point = summarize_offline(conv.messages).outcome
    assert point is not None and point.text == "`struct MyStruct; x; MyStruct(x...) = new(x); end`"
    assert point.source_ts == ["4.0", "5.0"]


def test_code_after_its_authors_own_words_illustrates_them() -> None:
    conv = _conv(
        ("Nathanael", "Hi, just a question, does makie support logarithmic axis?"),
        ("Julius", "not yet. but you can `log` your data yourself and then exponentiate the tick labels to emulate one"),
        ("Nathanael", "so manually modify the x-tick labels?"),
        ("Julius", "it would be relatively straightforward to write a ticks object which you can assign, "
                   "you wouldn't manually compute tick labels for each plot"),
        ("Julius", "```data = exp10.(randn(1000) .+ 5)\nscatter(log10.(data))```"),
        ("Nathanael", "ooh interesting, thanks!"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages[0] == 3, ended  # the words the code illustrates


@pytest.mark.parametrize(("code", "gist"), [
    # a REPL paste: the input that does something, not a bare name nor the output
    ("```julia> a\nDict{Symbol, Int64} with 2 entries:\n  :a => 3\n\njulia> reduce(mergewith(+), [a,a])\n"
     "Dict{Symbol, Int64} with 2 entries:\n  :a => 6```", "`reduce(mergewith(+), [a,a])`"),
    # the data set up first gives way to the call it feeds; package loads never show
    ("```julia> using Plots\n\njulia> xs = ys = range(-pi, pi, length=800);\n\n"
     "julia> contour(xs, ys, (x, y)->sin(x)*y^2-x)```", "`contour(xs, ys, (x, y)->sin(x)*y^2-x)`"),
    # a multi-line call on one line, closing bracket without a separator
    ("```data = exp10.(randn(1000) .+ 5)\n\nscatter(\n    log10.(data),\n    axis = (ytickformat = \"10^{:}\",)\n)```",
     '`scatter( log10.(data), axis = (ytickformat = "10^{:}",))`'),
    ("```]registry rm General\nregistry add General```", "`]registry rm General; registry add General`"),
    ("```julia> let x = Ref(16f0)\n           @btime f($x[])\n       end\n  1.5 ns```", "`let x = Ref(16f0); @btime f($x[]); end`"),
    ("```ERROR: LoadError: UndefVarError: x not defined\nStacktrace:\n [1] top-level scope```", None),  # output, not code
    ("no code block here", None),
])
def test_a_code_blocks_gist_is_the_statement_that_answers(code: str, gist: str | None) -> None:
    assert code_gist(code) == gist


def test_a_few_words_around_one_code_block_are_shown_with_the_code_in_its_place() -> None:
    conv = _conv(
        ("sairus7", "How do I run `echo hello` from Julia on Windows? It fails with ENOENT."),
        ("Sukera", "I'm also not sure if `echo` is a cmd.exe builtin and not a program, so it would look for a binary."),
        ("fredrikekre", "You need\n````cmd /c echo hello````\nor something like that"),  # four backticks: one block
        ("sairus7", "Thanks, that worked!"),
    )
    point = summarize_offline(conv.messages).outcome
    assert point is not None and point.text == "You need `cmd /c echo hello` or something like that — sairus7: that worked!"
    assert point.source_ts == ["3.0", "4.0"]


def test_a_sentence_that_runs_into_its_code_shows_the_code() -> None:
    conv = _conv(
        ("Tejas", "How to check for existence of a key in the dict in case the dict is of the form `Dict{Symbol, Any}`?"),
        ("Fredrik", "If you are going to retrieve the item if it's present, you may want to use\n"
                    "```get(collection, key, default)\n\n  Return the value stored for the given key.```\n"
                    "to avoid calculating the hash twice"),
        ("Tejas", "this seems to be the efficient option, I was using `haskey`, `get` is shorter. Thanks for pointing out"),
    )
    point = summarize_offline(conv.messages).outcome
    assert point is not None and point.text.startswith(
        "If you are going to retrieve the item if it's present, you may want to use `get(collection, key, default)` "
        "to avoid calculating the hash twice")


def test_seems_to_work_reports_that_the_answer_worked() -> None:
    conv = _conv(
        ("manuelma", "The General registry is not added with the installation on my students' Windows computers."),
        ("fredrikekre", "Run the registry install with the Pkg server disabled, Windows does not unpack its tarballs well."),
        ("manuelma", "if this works, do they need to wrap their Pkg calls on that withenv call in the future?"),
        ("fredrikekre", "No, just when first installing the registry"),
        ("manuelma", "seems to work, thanks so much! awesome support"),
        ("jeffrey", "Please consider using the Chocolatey package manager, every Julia installation has been faultless."),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages[-1] == 4, ended  # the asker's report, not the advice after it
    assert action_items(conv) == []  # advice on a tool is no one's task


def test_a_question_answered_only_with_code_is_shown_with_that_code() -> None:
    conv = _conv(
        ("tejas", "How to use a key with a colon in a `Dict{Symbol, Any}`, such as the key addr:housenumber from OSM"),
        ("fredrik", '`Symbol("addr:housenumber")`'),  # inline code only: noise as a sentence, an answer as a reply
        ("tejas", "Cool, thanks, I was trying `:addr:housenumber` and it threw an error"),
        ("tejas", "Thanks, I will use it for the whole pipeline tomorrow then, as it is quite a lot of keys"),
        ("Sukera", "You could also keep the strings as keys and convert once when reading the file"),
    )
    assert code_gist(conv.messages[1].text) == '`Symbol("addr:housenumber")`'
    summary = summarize_offline(conv.messages)
    opening = next(p for p in summary.key_points if p.source_ts[0] == "1.0")
    assert opening.text.endswith('— fredrik: `Symbol("addr:housenumber")`') and opening.source_ts == ["1.0", "2.0"]


def test_code_after_a_question_answers_only_when_the_asker_thanks_for_it() -> None:
    conv = _conv(
        ("Ana", "How to find the type that gives `Any` back from return_type in this closure over a global?"),
        ("Ben", "```julia> Core.Compiler.return_type(f, Tuple{Int})\nAny```"),  # a try shown, not an answer
        ("Ana", "Right, that is what I get too, any idea where the Any comes from in the closure over the global?"),
        ("Cleo", "The global is untyped, so anything read from it is `Any` until you annotate or pass it in."),
    )
    assert answer_to(conv, 0) != 1


def test_a_bare_promise_takes_on_what_it_answers() -> None:
    conv = _conv(
        ("Thadryan", "I plan on asking about how people have used Julia to improve RNA-Seq pipelines."),
        ("kescobo", "There's not a lot yet, but some folks talked about it in #biology a while ago. Definitely ask there"),
        ("Thadryan", "Will do, thanks!"),
    )
    items = action_items(conv)
    assert [(item.text, item.messages, item.owner) for item in items] == [
        ("Definitely ask there", (1, 2), "Thadryan")]  # what was taken on, owned by who took it on
    lone = _conv(("Ann", "Will do, thanks!"), ("Bob", "Will do!"))
    assert action_items(lone) == []  # a promise of nothing said is no item


def test_a_sentence_pointing_ahead_to_its_code_shows_it() -> None:
    conv = _conv(
        ("affans", "I keep writing the same three nested loops over my population arrays for every statistic."),
        ("Mason", "However, you can use bigger integers, e.g.\n```Int128(20)^20```"),
    )
    text = "However, you can use bigger integers, e.g."
    assert in_full(conv, 1, text, text).startswith("However, you can use bigger integers, e.g. `Int128(20)^20`")


def test_thanks_and_a_promise_to_try_end_on_the_answer_taken_up() -> None:
    conv = _conv(
        ("Duban", "My process stdout is redirected to a file and Julia buffers log lines until the program ends. "
                  "Is there any way to force Julia to flush stdout more often?"),
        ("fredrikekre", "Okay. But if you set up a file logger yourself then you don't have to worry about stdout"),
        ("fredrikekre", "Here is a `FlushLogger`:\n```import Logging\n\nstruct FlushLogger <: Logging.AbstractLogger\n"
                        "    logger::Logging.SimpleLogger\nend```"),
        ("Duban", "Thanks, that looks handy, I'll give it a go tomorrow and report back!"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (2, 3), ended  # the code taken up, not the advice before it
    point = summarize_offline(conv.messages).outcome
    assert point is not None and point.text.startswith(
        "Here is a `FlushLogger`: `struct FlushLogger <: Logging.AbstractLogger; logger::Logging.SimpleLogger; end`")


def test_thanks_then_it_seems_to_work_confirms_the_answer() -> None:
    conv = _conv(
        ("Feng", "Assigning a Dict to a key of my Dict fails with: Cannot `convert` an object of type Dict{String,Float64} "
                 "to an object of type String. How do I fix it?"),
        ("Moelf", 'one way is to relax the Dict type at the beginning:\n```ib_json_dict = Dict{String, Any}("file name" => file_name)```'),
        ("Feng", "Thanks, @Moelf it seems to work. Let me try a bit more to confirm."),
    )
    point = summarize_offline(conv.messages).outcome
    assert point is not None and point.source_ts == ["2.0", "3.0"]
    assert point.text.startswith('one way is to relax the Dict type at the beginning: `ib_json_dict = Dict{String, Any}(')


def test_thanks_now_it_works_in_other_words_confirms_the_answer() -> None:
    conv = _conv(
        ("sairus7", "Two threads play ping-pong with each other, but tasks don't want to play. Why?"),
        ("Sukera", "that's the difference between concurrency (tasks) and parallelism (threads), tasks may run one after another"),
        ("sairus7", "I expect that it would switch to another task if there is an empty cycle."),
        ("Sukera", "you probably want to insert `yield()` in the loop, it's valid to continue running otherwise"),
        ("sairus7", "Thanks, now tasks play with each other. But why does `sleep` also call `yield()`?"),
        ("James", "Actors.jl is really useful for this type of workflow, it even has a ping pong example"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (3, 4), ended  # the fix the asker confirmed, not the late aside


def test_a_last_word_that_says_its_code_is_where_it_ended() -> None:
    conv = _conv(
        ("Javed", "CSV.read fails on my covid data file, what am I missing?"),
        ("Oscar", "you might need to add the `CSV` package"),
        ("Javed", "already added it with Pkg.add and it is still failing"),
        ("Alexander", "After adding, you need `import CSV` in your code."),
        ("Peter", "You need\n```using CSV, DataFrames\nCSV.read(file, DataFrame)```"),
    )
    point = summarize_offline(conv.messages).outcome
    assert point is not None and point.text == "You need `CSV.read(file, DataFrame)`" and point.source_ts == ["5.0"]


def test_the_opening_message_is_shown_with_its_question_and_the_answer() -> None:
    conv = _conv(
        ("dilum", "I have a function that takes two arguments. One of those arguments is a function, and the other "
                  "argument is mutated by my function. Which argument order makes more sense?"),
        ("Christophe", "Putting the function first allows one to use the `do... end` syntax, so it's the usual and "
                       "recommended order."),
        ("Olav", "The answer is the same, but I use the style guide to decide on stuff like this."),
        ("Pavel", "I'm of the opposite mindset, preferring the target being the first argument for functions."),
        ("Scott", "You can actually have methods with both orders, one with the function first, so that the `do` "
                  "syntax works, and another that takes the mutated argument first."),
    )
    points = summarize_offline(conv.messages).key_points
    opening = next(p for p in points if p.source_ts[0] == "1.0")
    assert opening.text.endswith("mutated by my function. Which argument order makes more sense?")
    assert any("2.0" in p.source_ts for p in points)  # the answer, shown with it or on its own
    long = _conv(("dilum", "I have a function that takes two arguments and I have been going back and forth for a while "
                           "on this one. One of them is a function, and the other one is mutated by my function in "
                           "place. Which argument order makes more sense?"), ("Christophe", "Put the function first."))
    shown = in_full(long, 0, long.content[0][1], long.content[0][1], words=30)
    # the whole run is too long; the sentence is shown with the question right after it (seventeenth round)
    assert shown == f"{long.content[0][1]} {long.content[0][2]}" and shown.endswith("Which argument order makes more sense?")


def test_an_answer_keeps_its_yes() -> None:
    conv = _conv(
        ("sairus7", "When I create a new package `Foo`, should I always work on it within its own `Foo` environment?"),
        ("Sukera", "Yes"),
        ("Sukera", "This prevents dependency problems since they're isolated to each environment/project"),
    )
    assert answer_sentence(conv, 2, conv.content[0][0]) == (
        "Yes. This prevents dependency problems since they're isolated to each environment/project")
    one = _conv(("Ann", "Does `]gc` delete my dev'ed package code?"),
                ("Bob", "No, gc will never delete your package code, it only removes unused versions."))
    assert answer_sentence(one, 1, one.content[0][0]).startswith("No, gc will never")  # already says it: as it is


def test_and_co_does_not_end_a_sentence() -> None:
    assert split_sentences("Is there a version of `TopLeft()` and co. but placing the element inside an axis?") == [
        "Is there a version of `TopLeft()` and co. but placing the element inside an axis?"]


def test_a_reply_opening_with_yes_but_is_shown_after_what_it_answers() -> None:
    conv = _conv(
        ("Tomas", "I can't seem to install anything on Julia anymore, every add gives conflicts with packages I never use."),
        ("mose", "did you change anything in your environment recently, like adding a registry?"),
        ("Tomas", "Not that I know of. Should I just delete the whole ~/.julia folder and start again from scratch?"),
        ("mose", "yes, but you're going to redownload a lot of stuff. and you lose the packages you dev'ed, so back "
                 "them up first"),
        ("Kristoffer", "Removing only the registries folder is usually enough, it is what breaks in most of these cases."),
        ("Sukera", "Also check that you are not in a shared environment with a pinned Manifest, that gives conflicts too."),
    )
    text = conv.content[3][0]
    sentence = RankedSentence(text=text, ts="4.0", author="mose", message_index=3, thread_ts="1.0", score=1.0, index=0)
    point = _with_what_it_answers(Point(text, ["4.0"]), sentence, conv.messages, list(range(6)), conv, set())
    assert point.source_ts == ["3.0", "4.0"]
    assert point.text.startswith("Should I just delete the whole ~/.julia folder and start again from scratch? — mose: yes, but")
    other = RankedSentence(text=conv.content[4][0], ts="5.0", author="Kristoffer", message_index=4, thread_ts="1.0",
                           score=1.0, index=1)  # opens with no answer: unchanged
    assert _with_what_it_answers(Point(other.text, ["5.0"]), other, conv.messages, list(range(6)), conv, set()).source_ts == ["5.0"]


def test_e_mail_residue_is_not_the_authors_words() -> None:
    from bot.summaries.sentences import is_quotation
    from bot.summaries.structure import content_sentences
    signed = _m("1.0", "Ashok Malhotra", "Since this is a public comment, I'm putting it on the F&O agenda for discussion. "
                                         "All the best, Ashok >")
    assert content_sentences(signed) == ["Since this is a public comment, I'm putting it on the F&O agenda for discussion."]
    assert is_quotation("It does not say it will default > to black, although it does say it will depend on the agent.")
    assert not is_quotation("If x > 5 the loop stops, and `a->b` is a field access.")


def test_the_askers_answer_to_a_question_is_no_report_that_it_still_fails() -> None:
    conv = _conv(
        ("domluna", "what's a easy way to check the number of bytes in a string? length(s) doesn't work with unicode"),
        ("Luapulu", '```julia> sizeof("αabc")\n5```'),
        ("Luapulu", "sizeof gives the number of bytes, ncodeunits the number of code units you can index with"),
        ("Luapulu", "what are you trying to do?"),
        ("domluna", "the use case is I need to increment the offset by the bytes an identifier takes, which doesn't "
                    "match up with length(s) if it's unicode"),
    )
    assert open_questions(conv) == []


def test_thanks_for_an_explanation_is_not_thanks_for_the_code_beside_it() -> None:
    conv = _conv(
        ("thchr", "Why does `write(stdout, :aaa)` print aaa3 in the REPL? What's with the extra numbers?"),
        ("jeffrey", "`write` returns the number of bytes written into the stream, and you are writing to the same "
                    "place that gets the returned value, so you see the byte count after the symbol."),
        ("mose", "or\n```julia> write(stdout, :aaa);\naaa```"),
        ("thchr", "Ahhh, hilarious - that makes a lot sense. Thanks!"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages[0] == 1, ended  # the explanation, not the alternative's code


# --- seventeenth round: what a first reader found wrong on 40 unseen threads ---------------------------------------


def test_an_answer_by_someone_else_is_shown_after_the_question_it_answers() -> None:
    conv = _conv(
        ("James", "I'm running my tests with `--track-allocation=user` and it's making them super slow. Is that to be expected?"),
        ("Fredrik", "A bit slower yes. I have seen cases up to 3x-5x slower. What was your overhead?"),
        ("James", "They ran in 5 mins without, going up to 30 mins and counting."),
        ("Sukera", "tracking allocations is expensive"),
        ("James", "They run in 5 mins without `--track-allocation` and 35 mins with. Are there any tools to visualise "
                  "the allocations, like a flame graph or something?"),
        ("Sukera", "I know of https://juliahub.com/ui/Packages/ProfileView and https://juliahub.com/ui/Packages/FlameGraphs"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (4, 5)
    assert ended.text.endswith("Are there any tools to visualise the allocations, like a flame graph or something?")
    assert ended.reply is not None and ended.reply.startswith("I know of")


def test_the_askers_own_report_of_what_fixed_it_outweighs_thanks_for_the_help_after_it() -> None:
    conv = _conv(
        ("Ambyld", "Does anyone know why test1 can be type inferred in this example, but test2 can't?"),
        ("Mose", "I guess it had been fixed already, but the `x = x` is a bit fishy"),
        ("Simeon", "The easiest workaround is usually putting something like `let x=x; ... end` around the closure"),
        ("Ambyld", "At the moment it's just `<conditional> && x = f(x)` and then x is used later, so maybe that's the problem"),
        ("Ambyld", "Looks like `x = cond ? f(x) : x` was able to fix it - didn't even need a new variable name!"),
        ("Ambyld", "Thanks again for the help :)"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages[-1] == 4
    assert ended.text.startswith("Looks like `x = cond ? f(x) : x` was able to fix it")


@pytest.mark.parametrize("said", [
    "ah a Union - that was the \"elegant\" way I was looking for",
    "but your solution worked, thank you!",
    "The example worked for me!",
    "THNX - my Q got answered",
])
def test_success_said_in_other_words_ends_the_thread_on_the_answer(said: str) -> None:
    conv = _conv(
        ("Gwd", "is there an elegant way to make an integer array with empty slots?"),
        ("Mose", "you probably want to fill it with `missing` then"),
        ("Gwd", "missing is also not so nice, `Cannot convert an object of type Missing to an object of type Int64`"),
        ("Mose", "you can't change the type of the elements of an `Array`, so you must say upfront that you need to "
                 "accommodate both `Int` and `Missing`: `Union{Int,Missing}[missing for _ in 1:3]`"),
        ("Gwd", said),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (3, 4)


def test_a_sentence_carried_on_after_its_code_is_shown_with_the_code() -> None:
    conv = _conv(
        ("Gaston", "Mmh I couldnt quite figure out the example using dispatch. What do you mean?"),
        ("Jakni", "```f(Val(condition))```\n, where you have defined `f(::Val{false}) = nothing`"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.text == "`f(Val(condition))`, where you have defined `f(::Val{false}) = nothing`"


def test_a_list_number_after_a_colon_stays_with_its_item() -> None:
    assert split_sentences("I was reading your code. Several questions: 1. the r in your call was a typo? 2. what is it?") == [
        "I was reading your code.", "Several questions: 1. the r in your call was a typo?", "2.", "what is it?"]
    assert split_sentences("It works on Julia 1. Not on 2.") == ["It works on Julia 1.", "Not on 2."]


@pytest.mark.parametrize("text", [
    "(sorry, that was supposed to be @ t i m e above",
    "I'm new here so I don't know the rules.",
    "I don't know the etiquette on this channel, I can remove this post if it is clogging up the feed.",
])
def test_chat_etiquette_is_noise(text: str) -> None:
    from bot.summaries.structure import is_noise
    assert is_noise(text)
    assert not is_noise("I'm new to Julia and the precompile step takes ten minutes on every start.")


def test_thanks_and_a_promise_to_look_at_what_was_pointed_to_is_no_action_item() -> None:
    for said in ("thanks, will look at it!", "Thanks a lot for all the help. I'll make sure to re-read through the examples",
                 "They seem indeed a good way to approach it. I will look into that. Thanks!"):
        conv = _conv(("Bottine", "Is there an alternative to the StaticBitsets library?"),
                     ("Jakni", "StackCollections, if it has 64 elements at most"), ("Bottine", said))
        assert action_items(conv) == []
    conv = _conv(("Bottine", "Is there an alternative to the StaticBitsets library?"),
                 ("Jakni", "StackCollections, if it has 64 elements at most"),
                 ("Bottine", "Thanks! I'll look into fixing the CI config for it tomorrow."))
    assert [item.owner for item in action_items(conv)] == ["Bottine"]


def test_please_let_me_know_alone_asks_no_one_for_a_task() -> None:
    conv = _conv(
        ("Matej", "is there a reason why presence of `missing` changes how booleans are printed?"),
        ("Brio", "We talked about that on Zulip: https://julialang.zulipchat.com/#narrow/stream/225542 (not sure these "
                 "links work, please let me know.) A nice solution by @pabloferz was to wrap it."),
    )
    assert action_items(conv) == []


def test_an_agreement_is_shown_with_the_sentence_that_says_what_it_agrees_with() -> None:
    conv = _conv(
        ("Bryan", "Why would I use a 3x3x3 array instead of an array of arrays?"),
        ("Brenhin", "FWIW if you want a proper rank-3 tensor that'd just be `ones(3,3,3)`"),
        ("Kim", "Yeah exactly as @Brenhin said for the 3x3x3 Array. The properly sized Arrays allow you to do math well "
                "with them. The improper Array of Arrays (nested arrays) can't do math (in my experience), so you would "
                "have to write every loop yourself."),
    )
    sentence = "Yeah exactly as @Brenhin said for the 3x3x3 Array."
    assert in_full(conv, 2, sentence, sentence, words=30) == (
        "Yeah exactly as @Brenhin said for the 3x3x3 Array. The properly sized Arrays allow you to do math well with them.")


def test_a_message_going_on_from_its_authors_last_one_is_shown_with_it() -> None:
    conv = _conv(
        ("Affans", "but is there a way to change the type information? Some of my methods may not be defined on `Adjoint`"),
        ("Sukera", "`permutedims` instead of `'`"),
        ("Sukera", "though if you are that strict with your types, you may be a little too strict imo"),
    )
    sentence = "though if you are that strict with your types, you may be a little too strict imo"
    assert in_full(conv, 2, sentence, sentence, words=30) == f"`permutedims` instead of `'` {sentence}"
    other = _conv(conv.messages[0].text and ("Affans", conv.messages[0].text), ("Ann", "`permutedims` instead of `'`"),
                  ("Sukera", sentence))
    assert in_full(other, 2, sentence, sentence, words=30) == sentence  # someone else's message: not gone on from


def test_a_suggestion_put_as_a_question_with_its_code_is_what_a_promise_to_try_takes_up() -> None:
    conv = _conv(
        ("Eric", "What is the command to bypass PkgServer and just use GitHub again?"),
        ("Ian", "`ENV[\"JULIA_PKG_SERVER\"]=\"\"` then remove and re-add General"),
        ("Eric", "I put that in my startup.jl, removed and added General, but it seems to not have had any impact."),
        ("Ian", "it depends if that's actually the problem you're seeing"),
        ("Ian", "If you try\n```Pkg.add(\"pkgname\"; use_libgit2_for_all_downloads=true)```\ndoes that speed things up for you?"),
        ("Eric", "I'll try that next time."),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (4, 5)
    assert ended.text == "If you try `Pkg.add(\"pkgname\"; use_libgit2_for_all_downloads=true)` does that speed things up for you?"


def test_a_question_in_italics_is_a_question() -> None:
    from bot.summaries.structure import is_question
    assert is_question("_where do the wiggles come from?_") and is_question("**is this a bug?**")
    assert not is_question("_the wiggles come from the window_")


def test_a_key_point_going_on_from_its_authors_last_message_cites_both() -> None:
    messages = [_m(f"{i + 1}.0", user, text) for i, (user, text) in enumerate([
        ("Affans", "Is there a quick way to convert a vector of vectors to a 3 x 3 matrix for plotting purposes?"),
        ("Oscar", "`reduce(hcat, aa)` might be faster than splatting it into `hcat` for large inputs."),
        ("Affans", "but is there a way to change the type information? Some of my methods may not be defined on `Adjoint`"),
        ("Sukera", "`permutedims` instead of `'`"),
        ("Sukera", "though if you are that strict with your types, you may be a little too strict imo"),
        ("Mcabbott", "You can also write `reduce(vcat, aa')`, the fact that the outer container gets transposed is ignored."),
    ])]
    points = [p for p in summarize_offline(messages).key_points if "too strict" in p.text]
    assert points and points[0].text.startswith("`permutedims` instead of `'` though")
    assert points[0].source_ts == ["4.0", "5.0"]


def test_a_caveat_after_the_answer_is_not_what_worked_and_a_check_of_the_result_is_not_the_gist() -> None:
    conv = _conv(
        ("Wenjun", "I have a problem with `fill([], 4)`: after `push!(test[1], 1)` every element holds 1. How do I fix this?"),
        ("Sukera", "you're creating an array filled with 4 references to the same inner array"),
        ("Sukera", "one way is to use a comprehension here:\n```julia> b = [ [] for _ in 1:4 ]\n4-element Vector{Vector{Any}}:\n\n"
                   "julia> b[1] === b[2]\nfalse```"),
        ("Sukera", "keep in mind that you'll have `Array{Any}` here, which may lead to suboptimal performance compared to a "
                   "concrete element type"),
        ("Wenjun", "Yeah! It works! Thank you a lot!"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (2, 4)
    assert ended.text == "one way is to use a comprehension here: `b = [ [] for _ in 1:4 ]`"
    assert code_gist("```julia> x = rand(3)\njulia> println(x)\n[0.1, 0.2, 0.3]```") == "`x = rand(3)`"


def test_what_a_message_goes_on_from_is_not_said_twice() -> None:
    conv = _conv(
        ("Kim", "Should I use `&&` here or an if block?"),
        ("Mark", "Either works."),
        ("Mark", "New to this...."),
        ("Mark", "though if you are that strict with your types, you may be a little too strict imo"),
    )
    sentence = "though if you are that strict with your types, you may be a little too strict imo"
    assert in_full(conv, 3, sentence, sentence, words=30) == sentence  # a remark that trails off is not gone on from


def test_leaving_the_conversation_is_noise_and_a_reported_pr_with_an_emoji_is_not() -> None:
    from bot.summaries.structure import is_noise
    assert is_noise("....okay, signing off now, good day") and is_noise("gotta run, have a nice weekend!")
    assert not is_noise("I opened a PR from my fork :slightly_smiling_face:")
    conv = _conv(
        ("Benoit", "Character sizes are not consistent, so I'm struggling with the layout of fractions as well."),
        ("Benoit", "Btw I'm interested in integrating your addition to the code, either through PR or by granting you push rights"),
        ("Jonas", "I opened a PR from my fork :slightly_smiling_face:"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (2,)


def test_an_answer_to_the_last_of_several_questions_is_shown_with_that_question() -> None:
    messages = [_m(f"{i + 1}.0", user, text) for i, (user, text) in enumerate([
        ("Paresh", "is there a database out there of Julia sysimages? Also, are sysimages composable? Can I have a sysimage "
                   "for plots, one for DiffEquations etc and then load several of them? I'm guessing no, but would like to be sure"),
        ("Valentin", "You can only load one of them"),
        ("Paresh", "I wonder why only one. Why can't we have a sysimage for a single package and compose them?"),
        ("Affans", "I think the problem there is that you have multiple runtimes, and you would have to refactor them out."),
        ("Mose", "also, my understanding is that the sysimage isn't portable (I think it hardcodes some paths)"),
        ("Paresh", "I am now really curious, I will look at the code to see which paths it hardcodes."),
    ])]
    points = [p for p in summarize_offline(messages).key_points if "database" in p.text]
    assert points and "Can I have a sysimage for plots" in points[0].text  # the opening shown whole (45 words), or
    # its last question after "…"
    assert points[0].text.endswith("— Valentin: You can only load one of them")


def test_a_one_line_code_block_inside_a_sentence_stays_in_it_and_pasted_output_does_not() -> None:
    text = ("and a follow-up question: is it bad for type inference if I have\n```check_something() || "
            "throw(ArgumentError(\"my error\"))```\nin my function?\n\nEven with Cthulhu I am lost")
    assert split_sentences(text)[0].endswith('if I have `check_something() || throw(ArgumentError("my error"))` in my function?')
    assert split_sentences("You could use:\n```foo(x)```\nthat works.") == ["You could use:", "that works."]
    assert split_sentences("Mine is\n```ERROR: LoadError: UndefVarError: q not defined```\nwhich I guess means it") == [
        "Mine is", "which I guess means it"]


def test_a_reply_opening_on_what_the_question_named_is_shown_after_the_question() -> None:
    conv = _conv(
        ("Navid", "Our GPU tests on buildkite fail with an error about the CUDA toolkit on every run since Monday."),
        ("Tim", "probably you're using a slightly older version of CUDA.jl that doesn't support the toolkit on CI"),
        ("Navid", "Hm, is that something that was fixed in a newer release of CUDA.jl then?"),
        ("Tim", "that has been fixed in the latest versions of the 2.4 and 2.6 branches of CUDA.jl"),
    )
    text = conv.content[3][0]
    sentence = RankedSentence(text=text, ts="4.0", author="Tim", message_index=3, thread_ts="1.0", score=1.0, index=0)
    point = _with_what_it_answers(Point(text, ["4.0"]), sentence, conv.messages, list(range(4)), conv, set())
    assert point.source_ts == ["3.0", "4.0"]
    assert point.text == f"Hm, is that something that was fixed in a newer release of CUDA.jl then? — Tim: {text}"


def test_i_will_have_a_read_after_thanks_is_no_task() -> None:
    conv = _conv(("Philip", "How do I reduce memory allocations in this loop?"),
                 ("Mose", "See the performance tips in the manual and the allocation profiler docs."),
                 ("Philip", "Thanks for those links. I will have a read..."))
    assert action_items(conv) == []


def test_a_sentence_about_what_the_one_before_named_keeps_it() -> None:
    conv = _conv(
        ("Miguel", "What is the fastest HTML parser we can call from Julia? Gumbo is slow on our pages."),
        ("Moelf", "There is myhtml, a C library with a permissive licence that a few scrapers use at scale. This seems to be "
                  "fast (10x Gumbo), wish list of someone makes a binding. I have not tried it on big pages myself though, "
                  "and it may not build on Windows."),
    )
    sentence = "This seems to be fast (10x Gumbo), wish list of someone makes a binding."
    assert in_full(conv, 1, sentence, sentence, words=30) == (
        "There is myhtml, a C library with a permissive licence that a few scrapers use at scale. " + sentence)


def test_the_opening_messages_setting_is_shown_with_what_it_asks() -> None:
    conv = _conv(
        ("Kescobo", "I have a string that represents julia code. What's the accepted way to turn it into an actual function "
                    "call. I suspect it's some combination of `eval`, `@eval`, `quote` etc, but I'm quite intimidated by "
                    "the metaprogramming docs."),
        ("Alex", "`Meta.parse` parses the string into Julia expressions and `eval` evaluates the code."),
    )
    sentence = "I have a string that represents julia code."
    assert in_full(conv, 0, sentence, sentence, words=30) == (
        "I have a string that represents julia code. What's the accepted way to turn it into an actual function call.")


@pytest.mark.parametrize("said", ["I've tagged v2.4.3 with this fix",
                                  "I think I'm going with `Base.eval(@__MODULE__, Symbol(cmd))()`, it seems the clearest."])
def test_a_release_tagged_or_a_choice_made_is_where_the_thread_ended(said: str) -> None:
    conv = _conv(
        ("Navid", "Tests on v1.5 fail because FFTW 1.3.2 requires AbstractFFTs v1 while CUDA.jl v2.4.2 only supports 0.5."),
        ("Tim", "I can backport a compat change, assuming it's risk free, to the 2.4 branch of CUDA.jl today."),
        ("Aram", "For this case I think looking into the namespace also sounds like the best option, no?"),
        ("Navid" if said.startswith("I think") else "Tim", said),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (3,)


_BATCHED = ("Yes. If you could arrange for the batch dim (that I called `z`) to be last not first, then the first line "
            "would become NNlib's `batched_mul`. But if it must be first, that would need `permutedims`, and this is "
            "likely to be quicker. `@btime permutedims(data, (3,2,1));` alone is 6ms.")


def test_where_it_ended_shows_a_message_of_up_to_55_words_whole() -> None:
    conv = _conv(
        ("Reese", "Is there a faster way than my `@tullio` line for the batched product when the batch dim is first?"),
        ("Michael", _BATCHED),
    )
    ended = outcome(conv)
    assert ended is not None and ended.text == _BATCHED.removeprefix("Yes. ")


def test_a_short_sentence_is_shown_with_neighbours_that_fit() -> None:
    conv = _conv(
        ("Reese", "Is there a faster way than my `@tullio` line for the batched product when the batch dim is first?"),
        ("Michael", f"{_BATCHED} If you are on a GPU, time `batched_mul` there as well."),
    )
    ended = outcome(conv)
    assert ended is not None and ended.text == (
        "But if it must be first, that would need `permutedims`, and this is likely to be quicker. "
        "`@btime permutedims(data, (3,2,1));` alone is 6ms.")


def test_a_short_open_question_about_what_was_just_said_keeps_it() -> None:
    conv = _conv(
        ("Julius", "If you install only one of the backends and have loaded the other one before, restart the session."),
        ("Vladimir", "While recompiling GLMakie, the help of the scatter function is missing return arguments. Is it by design?"),
    )
    assert [item.text for item in open_questions(conv)] == [
        "While recompiling GLMakie, the help of the scatter function is missing return arguments. Is it by design?"]


def test_ill_fix_that_takes_on_the_request_it_answers() -> None:
    conv = _conv(
        ("Ari", "The notebook takes 2:40 to start on Julia 1.5, is there anything to make it faster?"),
        ("Fons", "Please put all packages in one `Pkg.add([...])` call at the top of the notebook, that saves a lot."),
        ("Ari", "Ok, I'll fix that."),
    )
    items = action_items(conv)  # one item: the request, owned by the person who took it on ("I'll fix that")
    assert [item.owner for item in items] == ["Ari"] and items[0].text.startswith("Please put all packages in one")
    alone = _conv(
        ("Ari", "The notebook takes 2:40 to start on Julia 1.5, is there anything to make it faster?"),
        ("Fons", "Putting all packages in one `Pkg.add([...])` call at the top of the notebook saves a lot."),
        ("Ari", "Ok, I'll fix that."),
    )
    taken = action_items(alone)
    assert [(item.messages, item.owner) for item in taken] == [((1, 2), "Ari")] and taken[0].text.startswith("Putting all")


def test_package_status_lines_and_congratulations_are_noise() -> None:
    from bot.summaries.structure import is_noise
    assert is_noise("[e9467ef8] GLMakie v0.1.25 `https://github.com/JuliaPlots/GLMakie.jl.git#master`")
    assert is_noise("Congratulations on going to Chapel Hill next year!")
    assert not is_noise("GLMakie v0.1.25 from master fixed the missing docstrings for me.")


def test_a_promise_done_later_is_no_open_task() -> None:
    tried = _conv(("Jonathan", "How do I write the opening book to a file?"),
                  ("Mose", "you need first to run `using Chess, Chess.Book`, then `bk = createbook(...)`"),
                  ("Jonathan", "I will give it a try"),
                  ("Jonathan", "Thanks tis works! I really appreciate your help."))
    assert action_items(tried) == []
    posted = _conv(("Brian", "Using views makes my PDE right-hand side fifty times slower, any idea why?"),
                   ("Chris", "No idea, that sounds like a bug in the broadcast of views; ask on Discourse."),
                   ("Brian", "ok, I'll make a post on Discourse. Hopefully someone can figure it out."),
                   ("Brian", "https://discourse.julialang.org/t/using-views-causes-significant-slowdown-in-simple-pde/54803"))
    assert action_items(posted) == []
    still = _conv(("Brian", "Using views makes my PDE slower, any idea why?"), ("Chris", "No idea, ask on Discourse."),
                  ("Brian", "ok, I'll make a post on Discourse."))  # not posted (yet): open
    assert [item.owner for item in action_items(still)] == ["Brian"]


def test_a_resolution_long_before_the_end_of_a_thread_is_not_where_it_ended() -> None:
    turns = [("Asker", "How do I get the unique rows of a vector of tuples, in the order of first appearance?"),
             ("Ann", "As mentioned on Discourse you can do `unique(Set, x)` which is what I would use here."),
             ("Asker", "that seems to work! thanks")]
    turns += [("Bob" if k % 2 else "Asker", f"Follow-up {k}: comparing variant number {k} of the triangle loop on my data set.")
              for k in range(16)]
    turns += [("Bob", "with `[(i,j,k) for i=1:n for j=1:i for k=1:j]` you'll get all of them, in order, without a filter")]
    ended = outcome(_conv(*turns))
    assert ended is not None and ended.messages[-1] == len(turns) - 1  # not the "that seems to work!" 17 messages back


def test_sentences_are_never_joined_across_a_code_block_they_run_into() -> None:
    conv = _conv(
        ("Evan", "Why is `Type{T}` needed in the signature of `float` in float.jl?"),
        ("Mason", "The way you should think of it is that\n```Int isa DataType\nDataType(T) <: Type{T}```\nThis isn't "
                  "something you could do yourself with julia's type system, but it's quite useful."),
    )
    sentence = "This isn't something you could do yourself with julia's type system, but it's quite useful."
    assert in_full(conv, 1, sentence, sentence, words=30) == sentence


@pytest.mark.parametrize("answer", ["I've added the answer to this in wiki: https://github.com/fonsp/Pluto.jl/wiki",
                                    "I guess I should just use `const` instead."])
def test_the_askers_own_answer_closes_their_question(answer: str) -> None:
    conv = _conv(("Ann", "How do I know if Pluto is using my custom sysimage, and can an @enum be redefined there?"),
                 ("Bob", "Not sure, I have never used a custom sysimage with Pluto myself."),
                 ("Ann", answer))
    assert open_questions(conv) == []


def test_an_askers_own_fix_found_elsewhere_is_where_the_thread_ended() -> None:
    conv = _conv(("Rachel", "PyCall picks up the cluster's python2.7 numpy even after rebuilding with my conda python."),
                 ("Mose", "Could you try to `Conda.rm()` numpy and `Conda.add()` it back again and see if that works?"),
                 ("Rachel", "it works in the sense that the commands run, but I still get the same error with `pyimport`"),
                 ("Rachel", "I've filed an issue here: https://github.com/JuliaPy/PyCall.jl/issues/886 so maybe some "
                            "more ninjas will come to the rescue"),
                 ("Rachel", 'Steve Johnson to the rescue! I needed to do `ENV["PYTHONPATH"]=""` also!'))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (4,) and "PYTHONPATH" in ended.text


def test_how_something_works_is_no_report_that_it_worked() -> None:
    conv = _conv(("Erik", "How do I run one testset while developing a package in VSCode?"),
                 ("Mark", "The more canonical thing would be `includet(\"MyModule.jl\")` and then `using .MyModule`."),
                 ("Erik", "@Mark Thanks for a lot of useful tips. I don't understand how `julia --project .` works though."),
                 ("Mark", "Well you need a Project.toml ... so `]generate` or `Pkg.generate`"),
                 ("Mark", "oh and you need to start it as `julia --project=.`"),
                 ("Erik", "Yeah the `=` symbol was the missing secret sauce. I got it working. Thanks @Mark"))
    ended = outcome(conv)
    # the answer the asker got working, not the tips "I don't understand how … works" thanked for
    assert ended is not None and ended.messages == (4, 5) and ended.text == "oh and you need to start it as `julia --project=.`"


def test_naming_who_was_right_confirms_their_answer() -> None:
    conv = _conv(("Falko", "I try to remove everything except lowercase ascii with `r\"[^a^b^c\\s]\"` but the ^ stays. "
                           "What am I doing wrong?"),
                 ("Sukera", "but yes, these usage questions are best suited to #helpdesk"),
                 ("Julius", "The \"not\" character ^ for a set can only come at the front, so the other ^ characters count "
                            "as normal characters. I think this should work: `r\"[^a-z\\s]\"`"),
                 ("Falko", "Haha, Julius is right. I assumed it to be a stupid mistake, yet soooo stupid, *sigh*"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (2, 3) and "only come at the front" in ended.text


def test_a_lead_in_keeps_its_link_and_a_sentence_about_that_file_keeps_the_link() -> None:
    led = _conv(("Mark", "I'm looking at some nice AVX2 instructions, and I'm wondering if there is a path to use this "
                         "in Julia:\nhttps://stackoverflow.com/questions/66347928/simd-unpack-12-bit-fields-to-16-bit"))
    sentence = led.content[0][0]
    assert in_full(led, 0, sentence, sentence, words=30).endswith(
        "in Julia: https://stackoverflow.com/questions/66347928/simd-unpack-12-bit-fields-to-16-bit")
    pointed = _conv(("Ann", "How do you structure a Makie app?"),
                    ("Pat", "If you want to look at the code as it is now: https://gitlab.com/pb/Viz.jl/-/blob/master/src/"
                            "voyager.jl. The package has dependencies on other packages of mine which are not in any shape "
                            "to be used by others but that file shows the MVC-ish scheme I describe."))
    sentence = pointed.content[1][1]
    assert in_full(pointed, 1, sentence, sentence, words=30).startswith("If you want to look at the code as it is now: "
                                                                         "https://gitlab.com/pb/Viz.jl")
    alone = _conv(("Ann", "How do you structure a Makie app?"),
                  ("Pat", "I wrote it up last year: https://example.org/post. The package has dependencies on other "
                          "packages of mine which are not in any shape to be used by others, but the scheme is simple."))
    sentence = alone.content[1][1]
    assert in_full(alone, 1, sentence, sentence, words=30) == sentence  # nothing points back at the link


def test_an_offer_to_be_messaged_closes_a_thread_where_it_had_ended() -> None:
    conv = _conv(("VarLad", "Will static compilation be available in Julia 1.7?"),
                 ("Jorge", "I am going to update StaticCompiler using `GPUCompiler.jl` as a backend, but I am still trying"),
                 ("Jp", "@VarLad static compilation is not tied to any given release of Julia, and it probably won't be "
                        "fully functional by the release of 1.7, given how busy everyone's schedules are."),
                 ("VarLad", "@Jp Yeah! I checked out StaticCompiler.jl, that's exactly what I'm looking for."),
                 ("Jp", "@Jorge do DM me if you need help or have questions"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (2, 3)


def test_a_reaction_is_shown_after_the_statement_it_reacts_to() -> None:
    conv = _conv(
        ("Thomas", "If a struct holds a big array and another struct holds that struct, is the big array copied?"),
        ("Micket", "Assuming a heap allocated big_data, then you'll only be copying a reference, so the outer container "
                   "will be small."),
        ("Thomas", "ok, that's what i suspected, given that everything else in julia works by reference, but i was "
                   "running out of memory on some large monte carlo runs"),
        ("Ana", "Profile the allocations with `--track-allocation=user` to see where the memory goes instead."),
    )
    def point_of(k: int) -> Point:
        text = conv.content[k][0]
        sentence = RankedSentence(text=text, ts=f"{k + 1}.0", author=conv.author(k), message_index=k, thread_ts="1.0",
                                  score=1.0, index=0)
        return _with_its_answer(Point(text, [f"{k + 1}.0"]), sentence, conv.messages, list(range(4)), conv, set())
    reacted = point_of(2)
    assert reacted.source_ts == ["2.0", "3.0"]
    assert reacted.text.startswith("Assuming a heap allocated big_data") and " — Thomas: ok, that's what i suspected" in reacted.text
    assert point_of(3).source_ts == ["4.0"]  # opens with no reaction: unchanged


def test_a_line_of_inline_code_goes_on_with_the_sentence_it_completes() -> None:
    text = ("I have an array of shape\n`(nx,ny,nc,nb)`\nand I want to stack it 128 times to obtain an array of shape\n"
            "`(nx,ny,128,nc,nb)`\nHow to do this?")
    assert split_sentences(text) == ["I have an array of shape `(nx,ny,nc,nb)` and I want to stack it 128 times to "
                                     "obtain an array of shape `(nx,ny,128,nc,nb)`", "How to do this?"]


def test_a_yes_to_who_someone_is_is_not_where_a_thread_ended() -> None:
    conv = _conv(("Jan", "How do I stack an array 128 times along a new third dimension without allocating?"),
                 ("Mark", "`view(A, :, :, ones(Int, 128), :, :)` makes it look stacked without allocating anything."),
                 ("Jan", "I like the `view` approach a lot! It works with Zygote too."),
                 ("Mark", "Are you jw3126 (https://github.com/jw3126) on Github?"),
                 ("Jan", "Yes"))
    ended = outcome(conv)
    assert ended is not None and 3 not in ended.messages


def test_a_listing_of_one_code_span_a_line_is_not_joined_into_a_sentence() -> None:
    assert split_sentences("I tried\n`julia> 10`\n`2`") == ["I tried", "`julia> 10`", "`2`"]
    assert split_sentences("the test is\n`test = fill([], 4)`\n`push!(test[1], 1)`") == [
        "the test is", "`test = fill([], 4)`", "`push!(test[1], 1)`"]


def test_thats_the_ticket_confirms_the_answer_before_it() -> None:
    conv = _conv(("Jordan", "If I have `a = [1,2,3]` and `b = [4,5,6]`, what is a good way to get `[[1,4], [2,5], [3,6]]`?"),
                 ("Dave", "`vcat.(a,b)`"),
                 ("Jordan", "that's the ticket right there"),
                 ("Bri", "`[collect(t) for t in zip(a,b)]` also"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1, 2) and ended.text == "`vcat.(a,b)`"


def test_a_yes_shows_the_question_it_answers() -> None:
    conv = _conv(("Eventbot", "Weekly summary of upcoming events: C study group, Thursday 17:00 UTC."),
                 ("Saranjeet", "I won't be able to attend this event"),
                 ("Heather", "Thanks for letting me know. Can you make it today @Francis?"),
                 ("Francis", "Yeah I can make it"),
                 ("Francis", "Hi"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (2, 3) and ended.text.startswith("Can you make it today")
    assert ended.reply == "Yeah I can make it"


def test_getting_to_the_bottom_of_it_does_a_promise_to_explain_it() -> None:
    conv = _conv(("Michael", "My script and yours give different translation coverage for the base packages."),
                 ("Heather", "I will look to see if I can explain the differences."),
                 ("Heather", "Okay, I've got to the bottom of the differences: 1. yours skips RGui, 2. mine counts fuzzy."),
                 ("Michael", "and yes, I excluded RGui for simplicity"))
    assert action_items(conv) == []


def test_checking_back_later_is_no_task() -> None:
    conv = _conv(("Gergely", "I fixed the conflicts on the server, the mirror is syncing again."),
                 ("Michael", "`git svn fetch` is still slow here, will check back on this later"))
    assert action_items(conv) == []


def test_an_event_announcement_keeps_its_date() -> None:
    from bot.summaries.structure import with_its_date
    conv = _conv(("Heather", ":tada: The final session of the Collaboration Campfire series is coming soon!\n\n"
                             ":computer: Topic: How to Contribute to a Translation Team.\n\n"
                             ":date: When? Tuesday, May 24, 15:30 - 17:00 UTC\n\n"
                             "Zoom registration link on the event page: https://contributor.r-project.org/events"),
                 ("Lluis", "FYI, I'll probably join the last 60 minutes."))
    point = ":tada: The final session of the Collaboration Campfire series is coming soon!"
    assert with_its_date(conv, 0, point) == f"{point} Tuesday, May 24, 15:30 - 17:00 UTC"
    said = "The session is on Tuesday, May 24 at 15:30 UTC."
    assert with_its_date(conv, 0, said) == said  # it says when itself
    other = "How to Contribute to a Translation Team."
    assert with_its_date(conv, 0, other) == other  # no event named
    shown = summarize_offline(conv.messages, max_points=5)
    assert any("Tuesday, May 24, 15:30 - 17:00 UTC" in p.text for p in [*shown.key_points, *([shown.outcome] if shown.outcome else [])])


def test_of_an_answerers_run_the_message_that_answers_the_question_is_its_answer() -> None:
    conv = _conv(("Pavel", "Is there a similar iterable way to skip `Inf` or `NaN` as there is `skipmissing`? I'd like "
                           "to apply this to `sum` or `mean`."),
                 ("Moelf", "`NaNMath.jl` deals with nan stuff"),
                 ("Alex", "`skipmissing(x)` is basically `Iterators.filter(!ismissing, x)`, so you can apply the same "
                          "for any other value, e.g. `isnan` or `isinf`"),
                 ("Alex", "`Iterators.filter` is lazy while `filter` is eager, which matters for big arrays"),
                 ("Pavel", "Brilliant and so simple, thanks! Is there a way to combine filters?"))
    assert answer_to(conv, 0) == 2


def test_a_thread_ending_on_code_that_answers_a_question_shows_both() -> None:
    conv = _conv(("McCoy", "Hi Makie experts! I want certain bins of a histogram which satisfy a condition to be colored "
                           "one way"),
                 ("Julius", "like that?\n```edges = -4:0.2:4\nhist(randn(200), bins = edges, color = edges[2:end] .> 1)```"),
                 ("McCoy", "Ah awesome, thank you so much"),
                 ("McCoy", "@Julius in this example, is it possible to specify the color by mapping the boolean array?"),
                 ("McCoy", "e.g.\n```map(x -> x ? :yellow : :blue, edge[2 : end] .> 1)```"),
                 ("Julius", "```hist(randn(200), bins = edges, color = ifelse.(edges[2:end] .> 1, :pink, :orange))```"),
                 ("Julius", "[file: image.png]"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (3, 5)
    assert ended.text.startswith("in this example, is it possible") and ended.reply is not None and "ifelse." in ended.reply


def test_a_point_about_an_error_shows_the_error() -> None:
    from bot.summaries.structure import error_gist, with_its_error
    conv = _conv(("Patrick", "No matter what I do, when I run `record` I get\n"
                             "```ERROR: DimensionMismatch(\"tried to assign n×m array to m×n destination\")```"),
                 ("Simon", "All I can deduct from this is that you are assigning an nxm array to an mxn one."),
                 ("David", "Can you record the simplest possible animation? If not, post that MWE"),
                 ("Patrick", "No, any usage of record results in the above error"),
                 ("Omar", "I keep getting the following error\n```ERROR: Unsatisfiable requirements detected for "
                          "package Flux [587475ba]:\n Flux [587475ba] log:```"))
    said = "No, any usage of record results in the above error"
    assert with_its_error(conv, 3, said) == f'{said} `ERROR: DimensionMismatch("tried to assign n×m array to m×n destination")`'
    assert with_its_error(conv, 4, "I keep getting the following error").endswith(
        "`ERROR: Unsatisfiable requirements detected for package Flux [587475ba]:`")
    assert with_its_error(conv, 2, "Can you record the simplest possible animation?") == (
        "Can you record the simplest possible animation?")  # speaks of no error
    assert error_gist("```> f(1)\nError in f(1) : could not find function \"f\"```") == '`Error in f(1) : could not find function "f"`'
    assert error_gist("```julia> 1 + 1\n2```") is None


def test_a_verb_and_its_code_is_shown_beside_the_sentence_after_it() -> None:
    conv = _conv(("Marek", "I have an iterable type `<:Number` that fails to broadcast with `typeassert` on 1.6, how do I "
                           "make julia treat it as a scalar?"),
                 ("Fredrik", "Define `Base.broadcastable(x::MyType) = Ref(x)`. It is strange that it worked in 1.5 though"))
    sentence = conv.content[1][1]
    assert in_full(conv, 1, sentence, sentence, words=30) == (
        "Define `Base.broadcastable(x::MyType) = Ref(x)`. It is strange that it worked in 1.5 though")


def test_a_short_yes_answers_a_closed_question() -> None:
    from bot.summaries.structure import answer_sentence
    conv = _conv(("Max", "I need to sort a vector of tuples of Ints quickly, what is the fastest way?"),
                 ("Mark", "Are the Ints always greater than zero?"),
                 ("Max", "they are"))
    assert answer_sentence(conv, 2, "Are the Ints always greater than zero?") == "they are"


def test_a_preamble_before_a_question_is_noise() -> None:
    from bot.summaries.structure import is_noise
    assert is_noise("Hey everyone ! I am pretty new to Julia and I looked in the docs but could not find the answer "
                    "(probably because I didn't look long enough :wink: ).")
    assert is_noise("Sorry if this is a dumb question.")
    assert not is_noise("I'm new to Julia, how do I read a CSV file?")  # the question itself
    assert not is_noise("I'm new to the team and will take over the release process next week.")  # says more


def test_a_message_that_leans_on_its_authors_last_sentence_is_shown_with_it() -> None:
    conv = _conv(("Sukera", "What exactly do you need the dictionary for?"),
                 ("Adam", "I was wrong about my definition for the dictionary earlier."),
                 ("Adam", "It’s Dict(CartesianIndex, Int[]) and needs to become Dict(Int, CartesianIndex)."),
                 ("Bea", "the history preserving is intended"),
                 ("Bea", "it's one of the features I wish I had in every REPL, tbh"))
    sentence = conv.content[2][0]
    assert in_full(conv, 2, sentence, sentence, words=30) == (
        "I was wrong about my definition for the dictionary earlier. It’s Dict(CartesianIndex, Int[]) and needs to "
        "become Dict(Int, CartesianIndex).")
    runs_on = conv.content[4][0]
    assert in_full(conv, 4, runs_on, runs_on, words=30) == runs_on  # no full stop between: they would run on


def test_sometimes_that_keeps_what_that_is() -> None:
    conv = _conv(("Ann", "How do I avoid global variables being slow in my module?"),
                 ("Mark", "If I could, I would make as much `const` as possible. Sometimes that is not possible because "
                          "the value has to be determined at runtime (in a module's `__init__`. In that case `const "
                          "variable=Ref{type}()` is the next best choice since at least the type is constant."))
    sentence = conv.content[1][1]
    assert in_full(conv, 1, sentence, sentence, words=40).startswith(
        "If I could, I would make as much `const` as possible. Sometimes that is not possible")
