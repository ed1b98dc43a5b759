"""Short threads read line by line (issue 11, thirty-seventh round: seen JuliaLang threads of one to five replies and R
Contributors threads): the answer a short thread ends on is shown even when it is only code (a run of code blocks and
links, the asker's own code credited to whoever gave it) or a channel's name before the asker's thanks; a prose answer
that starts with a tool's name is no pasted command, nor a pointer with a smile noise; a verdict posted alone is shown
with the reason after it; "There was a solution to this: …" and thanks for help given elsewhere close the asker's
question; a correction is shown after what it takes back; and a bot's post people answered in its thread (a build
failure, an alert) is what the thread is about (docs/evals.md, thirty-seventh round)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from bot.evals.rouge_sets import rendered_text
from bot.evals.sections import load_thread
from bot.models import Message
from bot.summaries.pipeline import people_only
from bot.summaries.ranking import bot_root, human_messages
from bot.summaries.structure import (
    answer_sentence,
    is_noise,
    open_questions,
    outcome,
    runs_into_list,
    taken_back,
)
from bot.summaries.summarize import summarize
from tests.fakellm import FakeLLM
from tests.test_e2e_core import mention_in_thread, workspace  # noqa: F401  (the fixture)
from tests.test_summarize import claude
from tests.test_thread_endings import _conv, _m


def test_a_run_of_links_and_code_blocks_answers_as_its_first_code() -> None:
    conv = _conv(
        ("Andrew", "Hi everyone\nHow can i go about converting a string time into a time format ,the format is this way "
                   "`11:54AM`\ntried this but does not work `convert.(Time,myCol)` but definitely not correct."),
        ("Paulito", "https://docs.julialang.org/en/v1/stdlib/Dates/"),
        ("Paulito", "https://github.com/JuliaLang/julia/pull/32308"),
        ("Paulito", '```Time("11:54AM",dateformat"I:MMp")```'),
        ("Paulito", '``` Time("11:54PM",dateformat"I:MMp")```'),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (0, 3)
    assert ended.text.startswith("How can i go about converting") and ended.reply == '`Time("11:54AM",dateformat"I:MMp")`'


def test_a_run_that_says_something_in_words_is_not_a_code_answer() -> None:
    conv = _conv(
        ("Andrew", "How can i go about converting a string time into a time format?"),
        ("Paulito", "You want a dateformat with the AM/PM letter, the docs have an example of it"),
        ("Paulito", '```Time("11:54AM",dateformat"I:MMp")```'),
        ("Paulito", '```Time("11:54PM",dateformat"I:MMp")```'),
    )
    ended = outcome(conv)
    assert ended is not None and ended.reply != '`Time("11:54AM",dateformat"I:MMp")`'


def test_the_askers_code_credited_to_someone_is_the_answer_and_closes_the_question() -> None:
    conv = _conv(
        ("Nick", "is there a version of `repeat` for specifying the length of output you want? e.g. some function `foo` "
                 "with behaviour like `foo(1:3, length=5) == [1, 2, 3, 1, 2]` ?\nI feel like `Iterators.cycle` and "
                 "`randcycle` are related functionality but also don't quite provide this :slightly_smiling_face:"),
        ("Nick", "`collect(Iterators.take(Iterators.cycle(1:3), 5))`\n(thanks, @oxinabox!)"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (0, 1)
    assert ended.text == "is there a version of `repeat` for specifying the length of output you want?"
    assert ended.reply == "`collect(Iterators.take(Iterators.cycle(1:3), 5))` (thanks, @oxinabox!)"
    assert open_questions(conv) == []


def test_more_code_without_a_credit_is_not_an_answer() -> None:
    conv = _conv(
        ("Peter J", "Implemented a simple agent based SIR model, any low hanging fruit I am missing?"
                    "\n```function agents_step!(u_next,u)\n    u_next .= u\nend```"),
        ("Peter J", "here is the rest:\n```using LightGraphs\nfunction get_graph()\n    return LightGraphs.grid([5,5])\nend```"),
    )
    assert [item.text for item in open_questions(conv)] == ["Implemented a simple agent based SIR model, any low hanging "
                                                            "fruit I am missing?"]


def test_prose_that_opens_on_a_tools_name_is_no_pasted_command() -> None:
    assert not is_noise("make the destination `AsTable` i.e. `:Antigen => tst_done => AsTable`")
    assert not is_noise("Make it a state and set it's value directly, i.e. equality or derivative = 0")
    assert is_noise("make install prefix=/opt/R")
    assert is_noise("git checkout -b fix/typo")


def test_a_verdict_posted_alone_is_shown_with_its_reason() -> None:
    conv = _conv(
        ("gregorykimmel", "I want users to set compartments with sizes <1 to 0. Is it safe to do this within the function "
                          "`myModel(du,u,pars,t)`?"),
        ("chrisrackauckas", "that is definitely not safe."),
        ("chrisrackauckas", "A callback is probably required to handle it properly, as otherwise this introduces "
                            "discontinuities into the dynamics which are irreversible."),
        ("gregorykimmel", "Ok. That is what I figured. Thanks."),
    )
    ended = outcome(conv)
    assert ended is not None and ended.text.startswith("that is definitely not safe. A callback is probably required")
    assert ended.messages[:2] == (1, 2)


def test_a_bare_name_before_another_option_is_no_verdict() -> None:
    conv = _conv(
        ("George", "Is there a way to have colored axis labels?"),
        ("Julius", "xlabelcolor and ylabelcolor"),
        ("Julius", "A callback on the axis would also work if you want them to change later on in the plot"),
    )
    ended = outcome(conv)
    assert ended is not None and not ended.text.startswith("xlabelcolor")


def test_there_was_a_solution_closes_the_askers_question() -> None:
    conv = _conv(
        ("mschauer", "What are ways the mousepad controls 3d scenes? I can zoom in-out and I have a way of rotating, "
                     "but this seems to miss a degree of freedom"),
        ("mschauer", "There was a solution to this: To `center=true` so the cat rotates around a point in it’s center"),
    )
    assert open_questions(conv) == []
    ended = outcome(conv)
    assert ended is not None and ended.text.startswith("There was a solution to this")


def test_the_real_short_threads_end_on_their_answers(shared_data: Path) -> None:
    cases = {  # (channel_id, thread_ts): what "Where it ended" shows of the answer
        ("C674VR0HH", "1614427948.096100"): 'Paulito: `Time("11:54AM",dateformat"I:MMp")`',
        ("C6A044SQH", "1610463092.373500"): "Nick: `collect(Iterators.take(Iterators.cycle(1:3), 5))` (thanks, @oxinabox!)",
        ("C674VR0HH", "1611369869.033900"): "make the destination `AsTable`",
    }
    for (channel_id, thread_ts), answer in cases.items():
        messages = load_thread(shared_data, "julialang", channel_id, thread_ts)
        [ended] = [line for line in rendered_text(summarize(messages, provider=None, max_points=5), messages).splitlines()
                   if line.startswith("**Where it ended:**")]
        assert answer in ended, (thread_ts, ended)


def _bot(ts: str, name: str, text: str) -> Message:
    return Message("C1", ts, None, name, text, thread_ts="1.0", is_bot=True)


_BUILD_FAILED = "Builder tester_linux64 on tabularasa_linux-x86_64-nanosoldier2_1 failed: https://build.julialang.org/#builders/34/builds/7989"


def test_a_bot_post_people_answered_in_its_thread_is_what_the_thread_is_about() -> None:
    messages = [_bot("1.0", "buildbot", _BUILD_FAILED), _m("2.0", "vtjnash", "execve/mummap/EBADF abort, with logs (@keno)")]
    assert bot_root(messages) is messages[0] and human_messages(messages) == messages
    summary = summarize(messages, provider=None, max_points=5)
    assert summary.language == "en"  # (the build log's words voted Spanish)
    assert summary.outcome is not None and summary.outcome.source_ts == ["2.0"]  # never where it ended
    assert [p.source_ts for p in summary.key_points] == [["1.0"]] and "failed" in summary.key_points[0].text


def test_a_bot_post_nobody_answered_a_bots_reply_and_a_channels_messages_are_not_read() -> None:
    assert bot_root([_bot("1.0", "buildbot", _BUILD_FAILED)]) is None
    asked = [_m("1.0", "Daniel", "Can one load a CxxWrap module with multiple processors?"),
             _bot("2.0", "HelpDeskBot", "Can we cross post this publicly to Discourse?")]
    assert bot_root(asked) is None and human_messages(asked) == asked[:1]
    channel = [dataclasses.replace(_bot("1.0", "buildbot", _BUILD_FAILED), thread_ts=None),
               dataclasses.replace(_m("2.0", "vtjnash", "Profile failed again"), thread_ts=None)]
    assert bot_root(channel) is None


def test_a_reply_that_only_asks_about_a_bots_post_stays_open() -> None:
    messages = [_bot("1.0", "buildbot", _BUILD_FAILED), _m("2.0", "vtjnash", "Why does Sockets keep dieing without warning??")]
    summary = summarize(messages, provider=None, max_points=5)
    assert summary.outcome is None and [p.text for p in summary.open_questions] == ["Why does Sockets keep dieing without "
                                                                                   "warning??"]
    short = summarize([messages[0], _m("2.0", "vtjnash", "networking failure?")], provider=None, max_points=5)
    assert short.outcome is not None and short.outcome.text == "networking failure?"


def test_people_only_keeps_a_bot_post_people_answered_but_never_recaps_own() -> None:
    messages = [_bot("1.0", "buildbot", _BUILD_FAILED), _m("2.0", "vtjnash", "execve abort, with logs")]
    assert people_only(messages) == messages
    own = [dataclasses.replace(messages[0], user_id="U0BOT"), messages[1]]
    assert people_only(own, bot_user_id="U0BOT") == [messages[1]]


def test_a_mention_under_a_bots_alert_summarizes_the_alert_in_slack(harness, workspace) -> None:  # noqa: F811
    parent = workspace.post("C0GEN", None, "Deploy of api-gateway v2.4.1 to production failed: health check timed out "
                                           "after 300 seconds", subtype="bot_message", bot_id="B0DEPLOY", username="deploybot")
    workspace.post("C0GEN", "U2", "Looks like the new connection pool size is too small for prod traffic.", thread_ts=parent["ts"])
    workspace.post("C0GEN", "U3", "I rolled back to v2.4.0 and raised the pool to 200 in the config.", thread_ts=parent["ts"])
    final = mention_in_thread(harness, workspace, parent["ts"], "EvBotRoot1")
    assert "health check timed out" in final and "rolled back to v2.4.0" in final


def test_a_channel_named_after_the_askers_thanks_and_a_pointer_with_a_smile() -> None:
    conv = _conv(("pure_interpeter", "There was a talk about web dev in Julia, where would you talk about julia webdev on slack"),
                 ("fredrikekre", "#web"), ("pure_interpeter", "thanks"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (0, 1) and ended.reply == "#web"
    assert not is_noise("You should check out Zapata Computing - they are looking for interns :slightly_smiling_face:")
    assert is_noise("I ran my first C file!!")


def test_thanks_to_someone_for_help_given_elsewhere_closes_the_request() -> None:
    conv = _conv(("dilumaluthge", "Any JuliaIO members around to take a look at https://github.com/JuliaIO/ArgTools.jl/pull/21? "
                                  "(Adding GitHub Actions CI to ArgTools.jl.)"),
                 ("dilumaluthge", "Thanks @kmsquire! :slightly_smiling_face: "))
    ended = outcome(conv)
    assert ended is not None and ended.reply == "Thanks @kmsquire!" and open_questions(conv) == []
    answered = _conv(("Ana", "Any JuliaIO members around to take a look at my pull request?"),
                     ("Bo", "I can look at it tomorrow morning, it's late here."), ("Ana", "Thanks @Bo!"))
    ended = outcome(answered)
    assert ended is not None and ended.reply != "Thanks @Bo!"  # (thanks for an answer given here: the answer ends it)


def test_a_message_taken_back_is_shown_before_the_correction() -> None:
    conv = _conv(("Ian", "Is there a good channel to ask Electron.jl questions? Specifically whether it’s possible to see a "
                         "html console output."),
                 ("Ian", "looks like `win.webContents.openDevTools()` isn’t exposed. Working on a PR"),
                 ("Ian", "ah! I missed it somehow, it is"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1, 2)
    assert ended.text.startswith("looks like `win.webContents.openDevTools()`") and "missed it" in (ended.reply or "")


def test_it_depends_opens_the_answer_to_a_yes_or_no_question() -> None:
    conv = _conv(("Lysandros", "So if one wants to write a package that uses a GPL-v3 licensed package, then it must be "
                               "distributed as GPL-v3 right?"),
                 ("Mark", "Depends how it is used. https://github.com/JuliaMath/FFTW.jl is MIT licensed itself, but uses "
                          "GPLv2 FFTW"))
    answer = answer_sentence(conv, 1, conv.content[0][0])
    assert answer is not None and answer.startswith("Depends how it is used. https://github.com/JuliaMath/FFTW.jl")


def test_the_askers_last_word_is_shown_after_the_answer_it_reacts_to() -> None:
    conv = _conv(("Philip", "On a PC with 4 cores but 8 logical processors my multi-threaded code gets a x3 speedup. Is that "
                            "not bad because the best is x4, or disappointing because the best is x8?"),
                 ("Oscar", "if you are getting good scaling with hyperthreading, something is very unusual about your problem"),
                 ("Philip", "No there's nothing unusual about the problem. There's no IO and not much memory allocation."),
                 ("Oscar", "yeah. Then 4x is probably as good as you can expect"),
                 ("Philip", "I'll just have to get a beefier PC - or a better algorithm..."))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (3, 4)
    assert ended.text == "Then 4x is probably as good as you can expect"
    assert ended.reply == "I'll just have to get a beefier PC - or a better algorithm..."
    failed = _conv(*[(user, text) for user, text in [
        ("Philip", "Why does my threaded loop not scale past x3 on 4 cores?"),
        ("Oscar", "Try pinning the threads with `JULIA_EXCLUSIVE=1`, it often helps on Windows"),
        ("Philip", "Tried that, it still fails to get past x3 on the big inputs")]])
    ended = outcome(failed)
    assert ended is None or ended.reply is None or "still fails" not in ended.reply  # (a failure is no reaction to show)


def test_i_managed_to_answers_the_askers_own_questions_with_its_own_yes_or_no() -> None:
    conv = _conv(("yakir12", "Is there a way to have buttons in a grid of rows x cols?"),
                 ("simon", "I've been using tailwinds grid for an image gallery: https://tailwindcss.com/docs/grid-template-columns"),
                 ("yakir12", "nevermind! it works"),
                 ("simon", "haha yeah :wink: I dont 100% dig tailwinds class concept but the docs are nice and have examples"),
                 ("yakir12", "So now that I'm using this tailwinds thing, how can I get the button to be more visible..?"),
                 ("yakir12", "you can hardly tell that `Save` is a button"),
                 ("yakir12", "Or better yet, is there some single style I can use to make it all look a bit better?"),
                 ("yakir12", 'I managed to add class="things" and the effect is visible, is it pretty? nah, but it\'s ok.'))
    assert open_questions(conv) == []
    ended = outcome(conv)
    assert ended is not None and ended.messages == (7,)
    assert ended.text == 'I managed to add class="things" and the effect is visible, is it pretty? nah, but it\'s ok.'
    assert [item.text for item in open_questions(_conv(("Ana", "Is this a bug in the parser? No idea, to be honest.")))] == [
        "Is this a bug in the parser?"]  # ("No idea" is no answer)


def test_the_askers_better_way_or_what_they_got_closes_their_question() -> None:
    better = _conv(("David", "I want to transform many points stored columnwise with an affine map. Is there a faster way?"),
                   ("David", "This seems better: `pose.linear * ones(3, 100) .+ pose.translation`"))
    assert open_questions(better) == []
    invite = _conv(("Rik", "Anyone here who can send Clubhouse invites? I would like to check it out"),
                   ("Rik", "Got an invite. Let me know if you want"))
    assert open_questions(invite) == []
    ended = outcome(invite)
    assert ended is not None and ended.text.startswith("Got an invite")


def test_a_code_guess_with_a_maybe_is_where_a_short_thread_ended() -> None:
    conv = _conv(("Davi", "How do I extract the values of my DataFrame as an Array? I know how to do for a single column, but "
                          "don't know how to do this for the whole DataFrame."),
                 ("sverek", "maybe `Matrix(foo)`?"),
                 ("Davi", ":sweat_smile:"))
    ended = outcome(conv)
    assert ended is not None and ended.messages[:2] == (0, 1) and ended.reply == "maybe `Matrix(foo)`?"


def test_it_works_thanks_confirms_the_code_answer_not_a_word_that_the_job_is_done() -> None:
    conv = _conv(("statspy", "i am using counts() to get the count of integers in a vector but it only gives me the count. How "
                             "can i do to get the integer and its count?"),
                 ("Nicholas", "Might be a simpler way, but:\n```[(i, count(==(i), a)) for i ∈ unique(a)]```"),
                 ("statspy", "its works, Thanks.  I also posted stackoverflow and someone told me about the countmap function "
                             "in StatsBase.   Now i have two ways to get the job done. thanks man."))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1, 2)
    assert "`[(i, count(==(i), a)) for i ∈ unique(a)]`" in ended.text and ended.reply == "its works, Thanks."


def test_the_askers_paste_of_the_same_error_after_a_suggestion_says_it_still_fails() -> None:
    conv = _conv(("Navid", "I get this:\n```ERROR: cannot find name corresponding to UUID 10745b16 in a registry```\nwhich is "
                           "the `Statistics` package that I have as a dependency somewhere. Did anything change?"),
                 ("David", "I don't think anything changed. It seems like there might be a problem with the registry. You could "
                           "try something like `pkg> registry rm General; registry add General; instantiate`"),
                 ("Navid", "```(@v1.4) pkg> registry add General; instantiate\n(@v1.4) pkg> add FourierFlows\n"
                           "ERROR: cannot find name corresponding to UUID 10745b16 in a registry```"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1, 2)
    assert ended.reply == "`ERROR: cannot find name corresponding to UUID 10745b16 in a registry`"
    worked = _conv(("Navid", conv.messages[0].text), ("David", conv.messages[1].text),
                   ("Navid", "```(@v1.4) pkg> add FourierFlows\n   Resolving package versions...```"))
    ended = outcome(worked)
    assert ended is None or ended.reply is None or "ERROR" not in ended.reply  # (no error pasted: nothing said of it)


def test_a_few_english_words_are_never_taken_for_another_language() -> None:
    messages = [_m("1.0", "Kipkurui", ":wave: I’m here! What’d I miss? am a Data analyst in python"),
                _m("2.0", "pkofod", "Well, Julia? :slightly_smiling_face:")]
    summary = summarize(messages, provider=None, max_points=5)
    assert summary.language == "en" and "Where it ended" in rendered_text(summary, messages)
    assert summarize([_m("1.0", "Jonas", "Wie kann ich ein CxxWrap-Modul auf mehreren Prozessen laden? Es bleibt einfach "
                                         "hängen, wenn ich es mit `@everywhere` versuche.")], provider=None).language == "de"
    assert summarize([_m("1.0", "Ana", "Wann ist das nächste Treffen der Gruppe?")], provider=None).language == "de"
    assert summarize([_m("1.0", "Ana", "Gurobi works in the julia terminal but not in jupyterlab")], provider=None).language == "en"


def test_oh_wait_that_doesnt_work_takes_its_authors_message_back() -> None:
    conv = _conv(("jakni", "How do I turn any iterable into a `Vector`, whatever it is?"),
                 ("Mason", "For what it's worth, `adapt(Vector, v)` does it for what you showed"),
                 ("Mason", "Oh wait, that doesn't actually work, I should have read that output more carefully sorry"))
    assert taken_back(conv.messages, 1)


def test_a_line_ending_on_that_runs_into_its_numbered_list() -> None:
    text = ("Their canonical example is a parallel for loop with the division inside the tight loop thats\n"
            "1. A very simple loop invariant code motion optimization that\n"
            "2. Gets bailed on by the compiler because it is within a parallel region.")
    assert runs_into_list(text, "Their canonical example is a parallel for loop with the division inside the tight loop "
                                "thats") == ("Their canonical example is a parallel for loop with the division inside the "
                                             "tight loop thats: A very simple loop invariant code motion optimization that; "
                                             "Gets bailed on by the compiler because it is within a parallel region.")
    assert runs_into_list("We shipped it on Friday.\n1. first\n2. second", "We shipped it on Friday.") is None


def test_a_bare_word_before_the_question_a_reply_answers_shows_that_question() -> None:
    conv = _conv(("Adam", "Here are the plots of my reaction model, all done in Julia with MLJ.jl and Plots.jl."),
                 ("Dhairya", "Is the code up somewhere?"),
                 ("Adam", "I wish.  How would I do that?"),
                 ("Emir", "pastebin works well"))
    ended = outcome(conv)
    assert ended is not None and ended.text == "I wish. How would I do that?" and ended.reply == "pastebin works well"


def test_a_bots_post_takes_no_persons_point() -> None:
    messages = [_bot("1.0", "buildbot", _BUILD_FAILED),
                _m("2.0", "vtjnash", "FWIW, this is not https://github.com/JuliaLang/julia/issues/38996"),
                _m("3.0", "vtjnash", "This one appears to simply be the kernel angry with us because we are trying to dump all "
                                     "our output on it, and never take any back out from `stdout_read` in most of the tests"),
                _m("4.0", "vtjnash", "(okay, it is the same as the comments there, just not of the OP)"),
                _m("5.0", "keno", "comment on the issue that we have two separate issues?")]
    cited = {ts for point in summarize(messages, provider=None, max_points=5).key_points for ts in point.source_ts}
    assert {"1.0", "2.0", "3.0"} <= cited


def test_the_answer_a_reaction_follows_is_shown_whole_up_to_forty_words() -> None:
    conv = _conv(("Lazaro", "Makie plots are nearly publication ready, only the latex fonts are missing for me."),
                 ("Julius", "GR has an approximation like matplotlib's mathtext, and real latex is just very slow so it's not "
                            "great for interactive use. I don't know what the best solution is there"),
                 ("Lazaro", "Probably as GR, an approximation would be enough. But I’m not an expert on these matters."))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1, 2) and ended.text.startswith("GR has an approximation")
    assert ended.text.endswith("I don't know what the best solution is there")


def test_worked_like_charm_confirms_the_answer() -> None:
    conv = _conv(("Psuedo", "I just installed julia 1.5 with jupyter notebook but the syntax highlighting is not working. Any "
                            "idea how to fix this?"),
                 ("crstnbr", "Did you already have jupyter installed? In the former case, you might want to update jupyter."),
                 ("Psuedo", "I ll try that. Thx"),
                 ("Psuedo", "@crstnbr worked like charm! Thx."))
    ended = outcome(conv)
    assert ended is not None and ended.messages[0] == 1 and 3 in ended.messages and "charm" in (ended.reply or "")


def test_the_answerers_last_word_in_code_names_the_replacement() -> None:
    conv = _conv(("Thomas", "Any idea why I can’t use `cholfact` ?\n```julia> cholfact\nERROR: UndefVarError: cholfact not "
                            "defined```"),
                 ("Moelf", "that doc is for 0.6.2"),
                 ("Thomas", "thank you! :picard_facepalm:"),
                 ("Moelf", "`cholesky`"))
    ended = outcome(conv)
    assert ended is not None and ended.messages[-1] == 3 and (ended.reply or "").endswith("`cholesky`")
    assert "that doc is for 0.6.2" in f"{ended.text} {ended.reply}"


def test_a_model_reads_the_bots_post_its_thread_answers() -> None:
    messages = [_bot("1.0", "deploybot", "Deploy of api-gateway v2.4.1 to production failed: health check timed out after "
                                         "300 seconds"),
                _m("2.0", "raj", "Looks like the new connection pool size is too small for prod traffic."),
                _m("3.0", "lena", "I rolled back to v2.4.0 and raised the pool to 200 in the config.")]
    completion = {"overview": "The v2.4.1 deploy failed its health check; Lena rolled back and raised the pool size.",
                  "outcome": {"text": "Rolled back to v2.4.0 with the pool raised to 200.", "sources": ["m3"]},
                  "key_points": [{"text": "The deploy of v2.4.1 failed its health check after 300 seconds.",
                                  "sources": ["m1"]}],
                  "decisions": [], "action_items": [], "open_questions": []}
    with FakeLLM() as fake:
        fake.enqueue(json.dumps(completion))
        summary = summarize(messages, provider=claude(fake))
        assert "health check timed out after 300 seconds" in fake.requests[-1].prompt
    assert not summary.offline and summary.key_points[0].source_ts == ["1.0"]
    assert summary.outcome is not None and summary.outcome.source_ts == ["3.0"]


def test_anyones_last_thanks_is_shown_after_what_it_thanks_for() -> None:
    conv = _conv(("Alejandro", "Hi all, I'm new to Julia and would like to make interactive plots for my thesis."),
                 ("Alexis", 'it\'s well explained here: http://makie.juliaplots.org/stable/ under "Makie Ecosystem"'),
                 ("Alejandro", "Thanks, I'll check it out."))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1, 2) and (ended.reply or "").endswith("I'll check it out.")
    bystander = _conv(("Abbas", "Hi, I am a PhD student working on finite element solvers for fluid flow problems in C++."),
                      ("Karthigeyan", "Please have a look at #oceananigans."),
                      ("Abbas", "maxima seems useful as well"),
                      ("Karthigeyan", "Thank you, I will have a look."))
    ended = outcome(bystander)
    assert ended is not None and ended.text == "maxima seems useful as well" and ended.messages == (2, 3)
