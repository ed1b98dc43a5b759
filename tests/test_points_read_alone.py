"""Key points a reader can read alone, tasks that were done, where a thread ended, and lines never cut at their start
(issue 11, twentieth round: user passes over unseen threads found a third of the weak key points leaning on a message
the summary does not show). Each case is a real thread's shape (JuliaLang, R Contributors), shortened, or the real
thread read from ``../shared/data``."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.evals.sections import load_thread
from bot.models import Point, Summary
from bot.summaries.extractive import _after_what_it_replies_to, _with_what_it_reacts_to, summarize_offline
from bot.summaries.ranking import RankedSentence, trim_sentence
from bot.summaries.sentences import split_sentences
from bot.summaries.structure import (
    _acknowledges,
    _worked,
    action_items,
    answer_sentence,
    confirmed_answers,
    in_full,
    is_commitment,
    is_noise,
    open_questions,
    outcome,
)
from bot.summaries.summarize import summarize
from tests.test_thread_endings import _conv, _m


def _summary(data: Path, channel_id: str, thread_ts: str) -> Summary:
    return summarize(load_thread(data, "julialang", channel_id, thread_ts), provider=None, max_points=5)


def test_in_a_long_thread_a_leaning_point_is_not_paired_with_the_message_before(shared_data: Path) -> None:
    # 77 messages on why Julia code is hard to read: the message before "Because it's how we make types
    # broadcastable" is not what it answers, and neither dropping nor pairing such points won blind judging there
    # (read without its reactions, which rank oxinabox's opinions above it: the pairing is what is tested)
    messages = [replace(m, approvals=0) for m in load_thread(shared_data, "julialang", "C67910KEH", "1610129358.069400")]
    summary = summarize(messages, provider=None, max_points=5)
    [point] = [p for p in summary.key_points if "how we make types broadcastable" in p.text]
    assert point.text.startswith("Because it") and len(point.source_ts) == 1


def test_in_a_shorter_thread_it_is_shown_after_what_it_answers(shared_data: Path) -> None:
    # "that's not where the doubling logic is implemented though": the correction that counts, after what it corrects
    # (with room for both, each is a point of its own, the correction right after what it corrects)
    summary = _summary(shared_data, "C674VR0HH", "1612628592.257900")
    [at] = [n for n, p in enumerate(summary.key_points) if "that's not where the doubling logic" in p.text]
    point = summary.key_points[at]
    if len(point.source_ts) == 2:
        assert point.text.startswith("in array.c") and " — Sukera: that's not where" in point.text
    else:
        assert at > 0 and summary.key_points[at - 1].text.startswith("in array.c")


def test_a_reply_that_leans_on_a_message_shown_above_it_stays() -> None:
    turns = [("Ann", "After updating to Julia 1.6, the Makie plots in my notebook come out blank whenever I resize the "
                     "window, any idea?"),
             ("Bob", "That is the GLMakie window resize bug. The fix is already merged on master."),
             ("Cid", "Same here on Windows with the latest GLMakie release, blank plots after resizing."),
             ("Ann", "Good to know, I will wait for the next release then and use CairoMakie meanwhile, thanks!")]
    summary = summarize_offline([_m(f"{i + 1}.0", user, text) for i, (user, text) in enumerate(turns)])
    assert any(p.source_ts[0] == "1.0" for p in summary.key_points)  # the question it answers is shown
    assert [p.text.split(" — ")[-1] for p in summary.key_points if "2.0" in p.source_ts] == [
        "Bob: That is the GLMakie window resize bug. The fix is already merged on master."]  # (after the question it
    # answers, a short answer joins its point: issue 11, thirty-second round)


def test_a_julia_function_name_before_a_verb_ends_no_sentence() -> None:
    assert split_sentences("Vectors grow geometrically, so push! is amortized constant time.") == [
        "Vectors grow geometrically, so push! is amortized constant time."]
    assert split_sentences("It works! does anyone know why") == ["It works!", "does anyone know why"]
    assert split_sentences("thanks! is there a way to do it") == ["thanks!", "is there a way to do it"]


def test_a_sentence_that_opens_on_hey_and_runs_on_is_not_a_salutation() -> None:
    text = "Hey I have two matrices of dimensions `D, M` , where `M` is relatively large (100-1000) and `D` as large as possible."
    assert trim_sentence(text) == text  # before: "M` , where `M` is relatively large …"
    assert trim_sentence("Hi all, I have a question about `D, M` here.") == "I have a question about `D, M` here."
    assert trim_sentence("Dear Ugo and others, the plan is set.") == "the plan is set."


def test_thanks_for_help_confirming_an_answer_is_shown_whole() -> None:
    conv = _conv(("Duban", "Why does Julia not vectorize this loop over MyStruct fields when Clang does it with SIMD?"),
                 ("Sukera", "Julia does not reorder struct fields, so the padding between them stops LLVM from using SIMD."),
                 ("Duban", "Thanks for your help!"))
    [item] = confirmed_answers(conv)
    assert item.reply == "Thanks for your help!"  # before: "for your help!"


def test_no_need_to_be_sorry_and_enjoying_the_package_is_not_where_it_ended() -> None:
    conv = _conv(
        ("Simeon", "Can Arrow.jl not deal with heterogenously typed tuples? Writing one fails with a MethodError."),
        ("quinnj", "Not currently, though I've been sketching plans. Better to make it a NamedTuple or custom struct for now."),
        ("Simeon", "The tuple actually occurs inside a custom struct. Is there a way to customize how Arrow serializes my "
                   "custom type?"),
        ("quinnj", "It has to be supported types all the way down."),
        ("Simeon", "Ah, that's unfortunate, I was hoping I could intercept that"),
        ("quinnj", "Yeah, sorry about that. Just need to sit down and finish working out the details for supporting a "
                   "broader serialization scheme"),
        ("Simeon", "No need to be sorry! :smile: I have been really enjoying using Arrow.jl otherwise!"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (5,)


def test_a_promise_to_check_is_done_when_its_owner_pastes_the_output() -> None:
    conv = _conv(("Duban", "Why does Julia not vectorize this loop when Clang does? The C version runs four times faster."),
                 ("Chris", "I'll check what LLVM says"),
                 ("Chris", "```julia> @code_llvm debuginfo=:none f(xs)\n; remark: loop not vectorized```"),
                 ("Duban", "So it is the padding after all?"))
    assert action_items(conv) == []  # before: "I'll check what LLVM says — owner: Chris"
    later = _conv(("Duban", "Why does Julia not vectorize this loop when Clang does? The C version runs four times faster."),
                  ("Chris", "I'll check what LLVM says"),
                  ("Duban", "Thanks, I will wait for it."))
    assert [item.text for item in action_items(later)] == ["I'll check what LLVM says"]


def test_a_promised_example_posted_in_the_same_message_is_done() -> None:
    conv = _conv(("Alex", "Is there anything like `@mapmany` from Query.jl for DataFrames?"),
                 ("Peter", "You can pass a collection of vectors to the function, `2:end => fun` etc."),
                 ("Alex", "I'll try to make a more obvious example :slightly_smiling_face:\n```julia\n"
                          "@mapmany(df, _.xs, (x = __,))\n```"))
    assert action_items(conv) == []


def test_a_follow_up_question_after_thanks_moves_where_it_ended() -> None:
    conv = _conv(("Boris", "Why is my factorization so slow? `@code_warntype` shows a lot of red in the solver."),
                 ("Sukera", "You might want to take a look at Cthulhu.jl then, it lets you descend into the calls."),
                 ("Boris", "thanks a lot for your help :slightly_smiling_face:"),
                 ("Boris", "follow-up question on a question i posted earlier:\n\nI believe that I have a type "
                           "stability issue with `_assemble_blocks`"),
                 ("Micket", "I see no type instability here. I tried feeding it some input but it seems a bit complicated."),
                 ("fmeirinhos", "The type instability is stemming from the fact that your HssMatrix field is a union type, "
                                "move the Union types in the field type annotations to the parametric part."))
    ended = outcome(conv)
    assert ended is not None and 1 not in ended.messages  # not Cthulhu: the thread went on to the follow-up


def test_i_see_no_instability_is_no_acknowledgement() -> None:
    conv = _conv(("Ann", "Is `f` type stable?"), ("Bob", "I see no type instability here, the return type is Float64."),
                 ("Cid", "I see, thanks."))
    assert not _acknowledges(conv, 1)
    assert _acknowledges(conv, 2)


def test_the_asker_naming_the_cause_confirms_the_diagnosis() -> None:
    conv = _conv(("Boris", "Why does `@code_warntype` flag `getproperty(S1, :A11)` in my block matrix code?"),
                 ("fmeirinhos", "UnionTypes or AbstractTypes make bad field annotations which prevents proper "
                                "specialization, so the field `A11` is type unstable."),
                 ("Boris", "hmm this seems to be whats is causing all this pain..."),
                 ("fmeirinhos", "Regarding your package, I was looking for HODLR matrices in Julia not so long ago!"),
                 ("Boris", "oh that is cool! are you working on HODLR matrices too?"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1, 2)


def test_your_solution_worked_confirms_the_message_that_gave_the_solution() -> None:
    conv = _conv(("Seb", "Why does `Bar(Foo(1.0))` give a MethodError with 0 methods?"),
                 ("Moelf", "I think you're right, so, the solution to your original question is to add this constructor: "
                           "`Bar(x::Abstract{T}) where T = Bar{T, Abstract{T}}(x)`"),
                 ("Seb", "that looks like an outer constructor syntax, but will that work if there's no inner one?"),
                 ("Moelf", "the default inner constructor is always `Bar{C, T}(x) = new{C, T}(x)`"),
                 ("Seb", "but your solution worked, thank you!"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1, 4)  # before: the remark about the inner constructor


def test_someones_solution_works_is_a_success() -> None:
    conv = _conv(("Greg", "How do I apply the same dispatch pattern to multiple methods?"),
                 ("Matthijs", "Why not just pass the function as a variable into `integrand(f::Function, X)`?"),
                 ("Greg", "but @Matthijs solution works for me too"))
    assert _worked(conv, 2)


def test_the_askers_own_try_that_worked_is_where_it_ended() -> None:
    conv = _conv(("dom", "anyone familiar with compat helper? I'm getting this error in CI"),
                 ("mose", "well, CompatHelper perhaps always runs on the default branch?"),
                 ("mose", "https://github.com/JuliaRegistries/CompatHelper.jl/blob/main/README.md#overriding-the-default-branch"),
                 ("dom", "meh I'll just merge the PR and see if that works, figuring out how to pass that keyword arg "
                         "seems like more of a hassle"),
                 ("dom", "yay it works"),
                 ("dom", "thanks Mose!"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (3, 4) and ended.reply == "yay it works"


@pytest.mark.parametrize(("promise", "report"), [
    ("i'll test it and give feedback", "btw, i typed `make` but it complains about an unknown option -C"),
    ("gimme a sec, I'll check once my build of the newest branch is done", "Ok, I found the difference"),
    ("meh I'll just merge the PR and see if that works", "yay it works"),
])
def test_a_promise_to_try_is_done_when_its_owner_reports_how_it_went(promise: str, report: str) -> None:
    conv = _conv(("Paulo", "Has anyone built Julia from source on a POWER9 machine with RHEL 7?"),
                 ("Valentin", "Building from source should work on ppc64le, we had CI for it last year."),
                 ("Paulo", promise), ("Valentin", "Great, keep us posted about what breaks."), ("Paulo", report))
    assert action_items(conv) == []


def test_a_request_to_try_is_done_when_the_person_asked_reports_a_result() -> None:
    conv = _conv(("Peter", "Can anyone make the vectorized and inplace version of this function faster?"),
                 ("Sukera", "can you try the loop version, but with the `rand(rng, d, length(l))` outside of the loop?"),
                 ("Peter", "suree gimme a sec"), ("Peter", "still slow"))
    assert action_items(conv) == []
    assert answer_sentence(conv, 2, "can you try the loop version?") is None  # "gimme a sec" answers nothing yet


def test_words_that_go_on_after_a_code_block_are_shown_with_what_leads_into_it() -> None:
    conv = _conv(("nesteiner", "hey, I don't know why some array like\n```julia> results\n4×1 Array{Bool,2}:\n 1\n 1```\n"
                               "cannot be reshape into `Array{Bool, 1}`, how to avoid generating this kind of array?"),
                 ("pabloferz", "If you replace the last `(rows, 1)` by `(rows,)` you should get a vector."))
    sentence = conv.content[0][-1]
    assert in_full(conv, 0, sentence, sentence, asked=True) == (
        "I don't know why some array like … cannot be reshape into `Array{Bool, 1}`, how to avoid generating this kind "
        "of array?")  # before: the question opened mid-sentence, on "cannot be reshape into"
    code = _conv(("Ann", "Is there a more compact way to write\n```julia\nfor i in 1:n\n    A[i] = f(i)\nend\n```\n"
                         "without the loop and without allocating a second array?"), ("Bob", "`A .= f.(1:n)`"))
    shown = in_full(code, 0, code.content[0][-1], code.content[0][-1], asked=True)
    assert shown.startswith("Is there a more compact way to write `") and shown.endswith("without allocating a second array?")


def test_a_reply_is_not_shown_after_a_message_that_puts_its_answer_off() -> None:
    conv = _conv(("Ann", "Why does my package fail to precompile on CI but not locally, after adding Gumbo?"),
                 ("Ian", "Can you post the full precompile log from the CI run, not just the last error?"),
                 ("Ann", "Sure thing @Ian - let me circle back in about 30 minutes with the whole log"),
                 ("Ian", "Also.. if you specifically call `pkg> precompile` it will redo precomp and throw on errors"),
                 ("Ann", "Here: it says Gumbo is not in the Project, only in the Manifest."))
    text = conv.content[3][0]
    point = _after_what_it_replies_to(Point(text, ["4.0"]), 3, conv.messages, list(range(5)), conv, set(), text,
                                      asked_words=8)
    assert point.source_ts == ["4.0"]  # before: "Sure thing @Ian - let me circle back … — Ian: Also.. if you …"
    asked = _conv(("Ann", "Why does my package fail to precompile on CI but not locally, after adding Gumbo?"),
                  ("Bob", "Did you check in a Manifest that lists Gumbo but a Project that does not have it?"),
                  ("Ian", "that would explain it, the Manifest wins on CI"))
    text = asked.content[2][0]
    point = _after_what_it_replies_to(Point(text, ["3.0"]), 2, asked.messages, list(range(3)), asked, set(), text,
                                      asked_words=8)
    assert point.source_ts == ["2.0", "3.0"] and point.text.startswith("Did you check in a Manifest")


def test_a_specific_suggestion_with_a_smiley_is_not_banter() -> None:
    assert not is_noise("You could also ping the package authors of KernelDensity, maybe they know :)")
    assert is_noise("You could try that someday with your friends :)")  # a suggestion that names nothing: banter
    conv = _conv(("Ann", "Why do KernelDensity.jl and scipy's gaussian_kde give different densities on the same grid?"),
                 ("Sukera", "My bet is on precision differences in the internal calculations done by numpy vs julia"),
                 ("Sukera", "You could also ping the package authors of KernelDensity, maybe they know :)"),
                 ("Ann", "good idea, thanks!"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (2, 3)  # what the asker thanked for


def test_a_reply_not_sure_where_the_answer_is_is_no_answer() -> None:
    conv = _conv(("crstnbr", "Anyone has a neat way to get the decimal digits of a floating point number?"),
                 ("Mason", "Hmm, I feel like this is somewhere in Base but I'm not sure where"),
                 ("Mason", "It's `digits`, but I'm not sure whether it takes floats"))
    assert answer_sentence(conv, 1, conv.content[0][0]) is None
    assert answer_sentence(conv, 2, conv.content[0][0]) == "It's `digits`, but I'm not sure whether it takes floats"


def test_a_question_about_these_two_shows_their_code() -> None:
    conv = _conv(("Emir", "is there a performance difference between these two when inside of a function? I'm pushing "
                          "arrays for float 64 into them.\n```a = Array{Float64}[]\na = []```"),
                 ("jakni", "Yes, Julia does not implicitly convert the latter to an array of floats."))
    sentence = conv.content[0][0]
    shown = in_full(conv, 0, sentence, sentence, asked=True)
    assert shown.startswith("is there a performance difference between these two") and shown.endswith(
        "`a = Array{Float64}[]; a = []`")


def test_yes_and_why_answers_the_askers_question() -> None:
    conv = _conv(("isentropic", "PresetTimeCallback vs ContinuousCallback: I know PresetTimeCallback <: DiscreteCallback "
                                "so perhaps there is no rootfinding, is it true?"),
                 ("isentropic", "I worry about the under the hood implementation and long term issues with either"),
                 ("chris", "discrete callbacks will always have perfect accuracy. Use them when you can"),
                 ("chris", "Yes, there is no rootfinding in the PresetTimeCallback"))
    assert not _acknowledges(conv, 3)
    ended = outcome(conv)
    assert ended is not None and ended.messages[0] == 3  # not the asker's worry it "agreed" with


def test_a_suggestion_asked_as_a_question_is_what_worked() -> None:
    conv = _conv(("Jonathan", "If I want two tasks to not walk on each other's feet, which type of lock should I use?"),
                 ("dilum", "`ReentrantLock`, maybe?"),
                 ("Jonathan", "Yeah that seems to do the job, thanks."))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1, 2) and ended.reply == "Yeah that seems to do the job, thanks."


def test_the_asker_finding_it_themselves_is_where_it_ended() -> None:
    conv = _conv(("Peter", "I saw a package here that builds an array larger than memory out of files, anyone remember "
                           "what it was called?"),
                 ("Simeon", "You can use the Mmap stdlib"),
                 ("Peter", "found it: https://github.com/shashi/FileTrees.jl"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (2,)


def test_a_promise_to_report_back_is_done_when_its_owner_reports() -> None:
    conv = _conv(("Cedar", "I'm getting an error parsing DateTime from \"0000-00-00 00:00:00\", any thoughts?"),
                 ("Eric", "You can use `tryparse` instead of `parse` to get `nothing` when it fails instead of an error."),
                 ("Cedar", "That would work well @Eric, thanks. I'll report back in a moment about what is best"),
                 ("Cedar", "Ok, so neither of these methods are working. :confused:"))
    assert action_items(conv) == []
    silent = _conv(*[(u, t) for u, t in [("Cedar", "I'm getting an error parsing DateTime, any thoughts?"),
                                         ("Eric", "You can use `tryparse` instead of `parse` to get `nothing` instead."),
                                         ("Cedar", "Thanks. I'll report back in a moment about what is best")]])
    assert [item.owner for item in action_items(silent)] == ["Cedar"]


def test_if_thats_the_case_reacts_to_what_came_before() -> None:
    conv = _conv(("Seb", "On a shared machine, does Jupyter roll over to port 8889 when 8888 is taken?"),
                 ("Matt", "Yes, and it also tells you the port it picked in its output as it starts."),
                 ("Seb", "If that's the case it must be hanging for me! I don't get any such output"))
    text = conv.content[2][0]
    sentence = RankedSentence(text=text, ts="3.0", author="Seb", message_index=2, thread_ts="1.0", score=1.0, index=2)
    point = _with_what_it_reacts_to(Point(text, ["3.0"]), sentence, conv.messages, list(range(3)), conv, set())
    assert point.source_ts == ["2.0", "3.0"] and point.text.startswith("Yes, and it also tells you")


def test_a_success_that_names_a_package_confirms_the_message_that_suggested_it() -> None:
    conv = _conv(("rhetoric", "I have files like `data/1-57656.txt` and know only that they start with `N-`: how do I "
                              "read the one for N without an if/else?"),
                 ("fredrik", "You can use https://github.com/vtjnash/Glob.jl for pattern matching. Or you can just regex "
                             "match yourself"),
                 ("Jeff", "there is also `startswith`"),
                 ("rhetoric", "`Glob.jl` worked perfectly. `startswith` seems mainly for checking if it matches a predicate"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1, 3)  # before: (2, 3), "there is also `startswith`"


def test_a_closing_courtesy_in_a_short_thread_gives_way_to_the_how_to_it_follows() -> None:
    conv = _conv(("Nozimjon", "Hi, what is the general process of adding new languages? I'd like to translate to Uzbek."),
                 ("Gergely", "once you log in to weblate at translate.rx.studio, select a component and click on the "
                             "\"Start new translation\" button"),
                 ("Gergely", "let me know if you run into any trouble"),
                 ("Nozimjon", "Oh great! Thanks a lot!"))
    ended = outcome(conv)
    assert ended is not None and ended.messages[0] == 1  # before: "let me know if you run into any trouble"


def test_fixed_now_is_where_it_ended_not_thanks() -> None:
    conv = _conv(("Alberto", "I noticed https://contributor.r-project.org/event is a 404"),
                 ("Alberto", "Maybe there is a typo: \"...attend to Events\" missing a trailing \"s\""),
                 ("Heather", "Thanks for report, fixed now"))
    assert not is_noise("Thanks for report, fixed now")
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1, 2) and ended.reply == "fixed now"


def test_zoom_details_are_an_invitation_and_post_the_promised_details() -> None:
    conv = _conv(("Heather", "Some of us will meet again to work through Practicum 2; fill in the Doodle poll to pick a time."),
                 ("Heather", "The most popular time was Tuesday July 20, 2pm-3pm UTC, so we'll go for that. I'll post "
                             "connection details in due course."),
                 ("Heather", "Zoom Meeting Details\nMeeting URL:\nhttps://stanford.zoom.us/j/930?pwd=x\nMeeting ID:\n930 "
                             "7261 6351\nJoin from a SIP room system\nSIP:\n930@zoomcrc.com"))
    assert conv.content[2] == []
    assert action_items(conv) == []
    ended = outcome(conv)
    assert ended is not None and ended.messages[0] == 1


def test_show_the_code_is_no_answer_and_i_see_what_you_mean_answers_the_askers_own_question() -> None:
    conv = _conv(("Peter", "Is there a clever way to get a loop with a conditional `break` to vectorize?"),
                 ("miguel", "Show the code!"),
                 ("vchuravy", "If you are okay with running a few extra iterations, use an inner loop with a fixed length."),
                 ("Peter", "@vchuravy could you elaborate?"),
                 ("Peter", "Oh I see what you mean, so check the condition only every 16 iterations"))
    assert answer_sentence(conv, 1, conv.content[0][0]) is None
    assert open_questions(conv) == []


@pytest.mark.parametrize(("said", "task"), [
    ("I'll try to post more thoughts as I have them.", False),
    ("The idea is that I will create Elements which copy the nodal values", False),
    ("I'll post more thoughts on the design tonight.", True),
])
def test_an_intention_as_thoughts_come_or_a_design_explained_is_no_task(said: str, task: bool) -> None:
    assert is_commitment(said) is task


def test_only_a_short_block_is_shown_with_the_sentence_that_points_at_it() -> None:
    program = "\n".join(f"line{k} = {k}" for k in range(8)) + "\nclose(f)"
    conv = _conv(("Miguel", f"I am encountering the following issue.\n```{program}```"),
                 ("Bob", "The interpolation runs before Markdown parses the block, so escape the dollar signs."))
    sentence = conv.content[0][0]
    assert in_full(conv, 0, sentence, sentence, asked=True) == sentence  # before: "… issue. `close(f)`"


def test_words_after_a_code_block_are_not_joined_when_a_question_after_them_would_be_left_out(shared_data: Path) -> None:
    # "I have this plotting function" + a 17-line block + "which I call like … but the last grid is tiny. How can I
    # make it larger?": the question stays
    summary = _summary(shared_data, "C8RQUU2KH", "1615277779.100700")
    assert any("How can I make it larger?" in p.text for p in summary.key_points)


def test_a_reply_its_author_takes_back_is_no_key_point(shared_data: Path) -> None:
    # "That's because it's in global scope - `f() = while true end` should work" -> "Huh, that also works, nevermind me!"
    summary = _summary(shared_data, "C67910KEH", "1618232210.112300")
    assert summary.key_points and not any("because it's in global scope" in p.text for p in summary.key_points)
