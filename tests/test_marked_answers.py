"""Answers a thread's readers marked (issue 11, thirty-sixth round, read on long threads earlier judges saw): a reply's
approving reactions (``:+1:``, ``:100:``, ``:heavy_check_mark:``…) raise its rank among the key points; a code answer
with at least three of them is shown as its gist, since code is never ranked; a long statement's gist shows the first
lines that fit, not its first line alone; and the round's other fixes: endings ("working, thanks!!!", a rebuttal that
names what works, a word on conduct), sections (a courtesy, a yes that gives what was asked, a link with a question
mark, a "let me know if you find out") and noise (thanks after an interjection, "props to", pasted numbers) (docs/evals.md,
thirty-sixth round)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from bot.evals.sections import load_thread
from bot.models import Message
from bot.slack.text import approval_count
from bot.summaries.extractive import summarize_offline
from bot.summaries.ranking import approval, sentences_of
from bot.summaries.structure import (
    Conversation,
    _worked,
    action_items,
    answer_sentence,
    approved_answer,
    code_gist,
    in_full,
    is_courtesy,
    is_noise,
    on_conduct,
    open_questions,
    outcome,
)
from bot.summaries.summarize import summarize
from tests.test_asker_closes import _messages

_SINGLETON_CODE = ("```struct Singleton\n    data::Vector{Int}\n    function Singleton()\n"
                   "        if SINGLETON[] === nothing\n            SINGLETON[] = new(Int[])\n        end\n"
                   "        return SINGLETON[]\n    end\nend\nconst SINGLETON = Ref{Union{Nothing,Singleton}}(nothing)```")


def _marked(messages: list[Message], approvals: dict[int, int]) -> list[Message]:
    return [dataclasses.replace(m, approvals=approvals.get(i, 0)) for i, m in enumerate(messages)]


def _singleton_thread(approvals: int) -> list[Message]:
    turns = [("kkondr", "Are there any best practices to implement a singleton pattern in Julia? Not a holy war about "
                        "whether it makes sense, just the implementation."),
             ("jakni", "You can just make a struct with zero fields: `struct MySingleton end`"),
             ("kkondr", "But what if the singleton has to hold some data, like a connection or a cache?"),
             ("kristofferc", _SINGLETON_CODE),
             ("harmen_stoppels", "It's still not a singleton because you can construct Unsafe() from outside the module."),
             ("jakni", "Right, but assuming Unsafe is not exported, that takes people messing with the internals anyway."),
             ("Alfredo Braunstein", "What about putting statements inside the struct definition, are they parsed as fields?"),
             ("harmen_stoppels", "They are parsed as statements, not field definitions, which I find surprising."),
             ("Alfredo Braunstein", "Do you know if these features are something one can rely on or better not?"),
             ("harmen_stoppels", "I don't think this use case was anticipated by whoever wrote the parser."),
             ("Tom Kwong", "In most singleton usages you can't construct the object until runtime, e.g. a database."),
             ("Alfredo Braunstein", "No, `my()` is defined in local scope, but it is captured by the closure here."),
             ("Daniel Moore", "I have nothing to add, but thank you for asking, I came here to ask the same question.")]
    return _marked(_messages(*turns), {3: approvals})


def test_approving_reactions_are_counted_by_emoji_and_skin_tone() -> None:
    raw = {"reactions": [{"name": "+1::skin-tone-3", "count": 2, "users": ["U1", "U2"]},
                         {"name": "heavy_check_mark", "users": ["U3"]},  # (no count: the users are counted)
                         {"name": "joy", "count": 4}, {"name": "bridge", "count": 1}, "not a reaction"]}
    assert approval_count(raw) == 3
    assert approval_count({}) == 0 and approval_count({"reactions": None}) == 0


def test_a_replys_approving_reactions_raise_its_sentences_only() -> None:
    messages = _marked(_messages(("Ann", "Which plotting package loads fastest?"), ("Bob", "GR is the fastest to load."),
                                 ("Cid", "Plots takes a while the first time.")), {0: 5, 1: 3})
    factors = approval(sentences_of(messages), messages)
    assert factors[0] == 1.0  # the question's reactions say it is shared, not answered
    assert factors[1] > 1.6 and factors[2] == 1.0


def test_of_two_alike_replies_the_one_its_readers_marked_is_the_key_point() -> None:
    turns = (("Ann", "Our CI on Windows fails to download the artifacts since Monday, any idea why that happens?"),
             ("Bob", "Which Julia version does the workflow use, and is it only Windows?"),
             ("Ann", "Julia 1.6 on all three systems, but only the Windows runner fails to download them."),
             ("Cid", "The artifact server moved last week, so you could pin the old mirror URL in Artifacts.toml."),
             ("Dan", "You could set JULIA_PKG_SERVER to the new regional mirror in the workflow file instead."),
             ("Eve", "We saw the same failure on macOS runners yesterday, it seems to come and go during the day."),
             ("Bob", "The status page says the storage backend had an outage on Monday morning."),
             ("Fay", "Our nightly builds on Linux were fine through the whole week, for what it is worth."),
             ("Ann", "I will try that later today and report back here."))

    def cited(approvals: dict[int, int]) -> set[str]:
        summary = summarize_offline(_marked(_messages(*turns), approvals), max_points=5)
        return {ts for p in summary.key_points for ts in p.source_ts}

    assert "4.0" in cited({}) and "5.0" not in cited({})  # room for one of the two suggestions: the first
    assert "5.0" in cited({4: 4}) and "4.0" not in cited({4: 4})  # … unless four people marked the other


def test_a_code_answer_its_readers_marked_is_shown_in_a_long_thread() -> None:
    summary = summarize_offline(_singleton_thread(9), max_points=5)
    [point] = [p for p in summary.key_points if "4.0" in p.source_ts]
    assert point.text.startswith("`struct Singleton; data::Vector{Int}; function Singleton()") and point.text.endswith("…`")
    assert not any("4.0" in p.source_ts for p in summarize_offline(_singleton_thread(2), max_points=5).key_points)


def test_only_code_with_at_most_a_lead_in_is_shown_for_its_reactions() -> None:
    messages = _singleton_thread(9)
    led = _marked([*messages[:3], dataclasses.replace(messages[3], text="This works:\n" + _SINGLETON_CODE), *messages[4:]],
                  {3: 9})
    item = approved_answer(Conversation(led))
    assert item is not None and item.messages == (3,) and item.text.startswith("This works: `struct Singleton;")
    told = [*messages[:3], dataclasses.replace(messages[3], text="Keep the instance in a const Ref, checked by the "
                                               "inner constructor, like this:\n" + _SINGLETON_CODE + "\nThat is what "
                                               "I use in production."), *messages[4:]]
    assert approved_answer(Conversation(_marked(told, {3: 9}))) is None  # its prose is ranked with its reactions
    mine = _marked(messages, {2: 9})  # (the asker's own message is no answer)
    assert approved_answer(Conversation(mine)) is None


def test_a_long_statements_gist_shows_the_first_lines_that_fit() -> None:
    gist = code_gist("Something like\n```function test_no_mutation(func, args...)\n    backups = copy.(args)\n"
                     "    func(args...)\n    return all(backups .== args)\nend```")
    assert gist == "`function test_no_mutation(func, args...); backups = copy.(args); func(args...) …`"
    repl = code_gist("this evening I find that Pkg is hanging on the following\n```(@v1.6) pkg> up\n"
                     "  Installing known registries into `~/.julia`\n"
                     "       Added registry `General` to `~/.julia/registries/General`\n"
                     "    Updating registry at `~/.julia/registries/General````")
    assert repl == "`(@v1.6) pkg> up …`"  # (never a line with code marks of its own)


def test_the_singleton_threads_marked_answer_is_shown(shared_data: Path) -> None:
    # 30 messages on singletons in Julia: kristofferc's code, marked :100: by six people and :+1: by three, was left out
    # for a tangent on statements in struct definitions
    messages = load_thread(shared_data, "julialang", "C67910KEH", "1616324940.184000")
    summary = summarize(messages, provider=None, max_points=5)
    [point] = [p for p in summary.key_points if p.text.startswith("`struct Singleton; data::Vector{Int}")]
    [message] = [m for m in messages if m.ts == point.source_ts[0]]
    assert message.user_name == "kristofferc" and message.approvals >= 9


def test_will_do_after_advice_and_a_closing_courtesy_takes_up_the_advice() -> None:
    # "… handle millions of elements without blinking. Let the helpdesk know if you have more questions." -> "OK, will
    # do.": the task taken up is the advice, never the courtesy (a reader graded it an action item of the asker's)
    conv = Conversation(_messages(
        ("Lado", "Would StaticArrays still not be appropriate for very large arrays of the same size?"),
        ("jeffrey", "You may as well work with the default vector type, it performs well and will handle millions of "
                    "elements without blinking.  Let the helpdesk know if you have more questions."),
        ("Lado", "OK, will do.")))
    assert is_courtesy("Let the helpdesk know if you have more questions.")
    assert not is_courtesy("Let the maintainers know about the regression, they will fix it in the next release.")
    assert [item.text for item in action_items(conv)] == [
        "You may as well work with the default vector type, it performs well and will handle millions of elements "
        "without blinking."]


def test_a_bare_working_with_thanks_is_the_askers_success() -> None:
    for said, worked in (("working, thanks!!!", True), ("working now!", True), ("it's working", True),
                         ("working?", False), ("still not working", False), ("working on it", False)):
        conv = Conversation(_messages(("Rafael", "HTTP.download gets a login page instead of the file, any idea?"),
                                      ("Xirui", "Disable redirects first, then send the credentials to the oauth url."),
                                      ("Rafael", said)))
        assert bool(_worked(conv, 2)) is worked, said


def test_a_rebuttal_naming_what_works_is_no_success_and_the_askers_find_ends_the_thread() -> None:
    conv = Conversation(_messages(
        ("AnAverageHuman", "How do you find the cause of error when a sysimage fails to compile? I get this error, which "
                           "seems unrelated as I haven't touched toml_parser.jl."),
        ("Simeon Schaub", "Have a look at the first line of the error message: it tells you that you used an invalid "
                          "version string in line 327 of toml_parser."),
        ("AnAverageHuman", "That doesn't make sense, as `git stash && make` works and I haven't touched toml_parser.jl."),
        ("Simeon Schaub", "What did you change?"),
        ("AnAverageHuman", "I changed `split` in strings/util.jl, which is used a few times in version.jl."),
        ("AnAverageHuman", "Hmm, the issue was that I had removed the default value `limit=0` and not supplied it in the "
                           "caller. So the issue occurred before the actual error.")))
    assert _worked(conv, 2) == []
    ended = outcome(conv)
    assert ended is not None and ended.messages == (5,) and ended.text.startswith("Hmm, the issue was that I had removed")


def test_a_yes_that_goes_on_to_give_what_was_asked_answers_the_request() -> None:
    asked = (("statspy", "How do I get the antidiagonal of a matrix? `diag` with a second argument did not work."),
             ("Simeon Schaub", "Can you give a matrix whose entries are unique?"))
    answered = Conversation(_messages(*asked, ("statspy", "Yes! A=[1 2 3; 4 5 6; 7 8 9] and i need to get: 3 5 7.")))
    assert action_items(answered) == []
    promised = Conversation(_messages(*asked, ("statspy", "Yes, sure.")))
    assert [(item.text, item.owner) for item in action_items(promised)] == [
        ("Can you give a matrix whose entries are unique?", "statspy")]
    taken_on = Conversation(_messages(  # an okay with thanks takes a suggestion on: it stays open
        ("Prince", "Check out FileType.jl, I am new to Julia so do give me suggestions to improve this library."),
        ("Mark", "It would be good to tie this into the MIME types of Base.Multimedia."),
        ("Prince", "Okay. Thanks @Mark. I will connect to you if I stuck somewhere.")))
    assert [item.owner for item in action_items(taken_on)] == ["Prince"]


def test_thanks_after_an_interjection_is_noise() -> None:
    assert is_noise("Ah, thanks for the the heads up, and the answer!")
    assert not is_noise("Ah, thanks, so `Base.active_repl.options.iocontext` is where the display size is set.")


def test_a_link_offered_with_a_question_mark_is_no_open_question() -> None:
    conv = Conversation(_messages(
        ("Juan", "Is there an issue about the timestep controls of the SDE solvers giving NaNs near the boundary?"),
        ("chrisrackauckas", "I thought there was an existing issue about it somewhere in the tracker."),
        ("stillyslalom", "https://github.com/SciML/DifferentialEquations.jl/issues/696 ?")))
    assert open_questions(conv) == []  # (the link answers the question above it)


def test_a_replys_reactions_never_make_it_the_threads_headline(shared_data: Path) -> None:
    # "Does anyone have a good way of making a struct use a memory arena?" and two replies, the first marked by two
    # people: marked, it outranked the question and headed the summary as a line of its own
    messages = load_thread(shared_data, "julialang", "CF53T1DU4", "1614393044.032100")
    assert messages[1].approvals >= 2
    for thread in (messages, _marked(messages, {})):
        summary = summarize(thread, provider=None, max_points=5)
        assert summary.overview.startswith("Does anyone have a good way of making a struct use a memory arena?")


def test_a_point_shows_its_own_run_without_the_sentence_where_it_ended_shows(shared_data: Path) -> None:
    # "So that means you always close the file, in contrast to" + a code block + "in which case if `f` throws …":
    # its run held the sentence "Where it ended" shows, so the point fell back to its cut sentence
    messages = load_thread(shared_data, "julialang", "C6A044SQH", "1616453796.425600")
    summary = summarize(messages, provider=None, max_points=5)
    assert summary.outcome is not None and "gets called even if `f` throws" in summary.outcome.text
    [point] = [p for p in summary.key_points if p.text.startswith("So that means you always close the file")]
    assert point.text.startswith("So that means you always close the file, in contrast to `f(io); close(io)`")
    assert "gets called even if" not in point.text


def test_pasted_numbers_are_noise_and_prose_with_numbers_is_not() -> None:
    assert is_noise("[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0],) at index [2]")
    assert is_noise("1 2 3 4 5 6")
    assert not is_noise("Julia 1.6 is 2.3 times faster than 1.5 here")
    assert not is_noise("I got 1, 2, 3 and 4 as results.")


def test_a_word_on_conduct_is_no_task_no_point_and_not_where_it_ended() -> None:
    conv = Conversation(_messages(
        ("Prince", "Check out FileType.jl, I am a student and new to Julia so do give me suggestions to improve it."),
        ("Simeon", "Looks really cool! Julia code generally uses snake case for functions and camel case for types."),
        ("Prince", "Okay, I will change the names of the functions to snake case then. Thanks @Simeon"),
        ("Mark", "It would be good to tie this into the MIME types of Base.Multimedia, and FileIO would be valuable."),
        ("Prince", "Okay. Thanks @Mark. I will connect to you if I stuck somewhere."),
        ("Siona", "@Mark behave urself"),
        ("Simeon", "@Siona Please use a more respectful tone. I don't see any wrongdoing on @Mark's part here")))
    assert on_conduct(conv.messages[5].text) and on_conduct(conv.messages[6].text)
    assert not on_conduct("It would be nice to have a cheatsheet of operator precedence in the REPL.")
    ended = outcome(conv)
    assert ended is not None and max(ended.messages) == 4
    assert all(item.owner != "Siona" for item in action_items(conv))
    summary = summarize_offline(list(conv.messages), max_points=5)
    assert not any("wrongdoing" in p.text or "respectful" in p.text for p in summary.key_points + summary.action_items)


def test_a_me_too_is_no_answer_to_the_question() -> None:
    conv = Conversation(_messages(
        ("Max Horn", "Is there a way to limit the maximum memory used by a Julia process? To stop a stray Julia from "
                     "crashing my machine due to being out of memory"),
        ("yakir12", "Ooo, please let me know if you find that out"),
        ("sjoelund", "Run `ulimit -v 6000000` before starting julia; in my testing it just refuses to compile then.")))
    assert is_courtesy("Ooo, please let me know if you find that out")
    assert answer_sentence(conv, 1, conv.content[0][0]) is None


def test_praise_for_a_person_is_noise_whatever_their_name() -> None:
    assert is_noise("props to @Michael Chirico (he/him) for providing 24 hour translation support :wink:")
    assert not is_noise("Props to the new translation workflow, but the .po files still need a reviewer per language.")


def test_a_sentence_that_runs_into_code_shows_what_it_goes_on_to_say_after_it() -> None:
    text = ("What's useful about that is that the `finally` block gets called even if `f` throws an exception. So that "
            "means you always close the file, in contrast to\n```io = open(...)\nf(io)\nclose(io)```\nin which case if "
            "`f` throws an error, `close` won't get called.")
    conv = Conversation(_messages(("Ann", "How can I print the output of Profile.print() to a file?"), ("eric", text)))
    sentence = "So that means you always close the file, in contrast to"
    assert in_full(conv, 1, sentence, sentence, words=60).endswith(  # (with the sentence "So that means" goes on from)
        "So that means you always close the file, in contrast to `f(io); close(io)` in which case if `f` throws an "
        "error, `close` won't get called.")
    led = text.replace("in which case if `f` throws an error, `close` won't get called.", "but\n```g(io)```")
    conv = Conversation(_messages(("Ann", "How can I print the output of Profile.print() to a file?"), ("eric", led)))
    assert in_full(conv, 1, sentence, sentence, words=60).endswith("`f(io); close(io)`")  # (not a bare "but")


def test_a_pasted_errors_gist_is_its_first_line_not_its_trace() -> None:
    gist = code_gist("I get the following error\n```UndefRefError: access to undefined reference\nStacktrace:\n"
                     " [1] getindex at ./array.jl:809\n in eval at base/boot.jl:360```")
    assert gist == "`UndefRefError: access to undefined reference …`"


def test_a_weeks_headline_never_opens_on_an_aside_from_a_points_run(shared_data: Path) -> None:
    # #work-out-loud, 2023-W16: "@Heather … it is long since I last looked at this bug, … I am now in a state of
    # committing the corrections …" was joined into one point and headed the week
    from bot.digests.cli import build_channel
    from bot.digests.render import headline, stands_alone
    from bot.periods import iso_week
    from bot.slack.export import ExportReader

    digest, _, _ = build_channel(ExportReader(shared_data / "slack-export-rcontrib"), None, "work-out-loud",
                                 iso_week("2023-W16", "UTC"))
    assert stands_alone(headline(digest)) and "it is long since" not in headline(digest)


def test_a_request_after_a_bystanders_welcome_asks_the_newcomer() -> None:
    conv = Conversation(_messages(
        ("Amogh", "Hello, I'm new to Julia, and in the docs I saw the same function defined twice, once as a method "
                  "and once as a function."),
        ("fkastner", "Welcome!"),
        ("fredrikekre", "You always define methods. Can you link the relevant section you are talking about?")))
    assert conv.addressee(2) == "Amogh"
    assert [item.owner for item in action_items(conv)] == ["Amogh"]


def test_did_i_miss_something_is_asked_with_what_its_asker_thought() -> None:
    conv = Conversation(_messages(
        ("sairus7", "Can two packages in one environment use different versions of HTTP?"),
        ("fredrikekre", "No, there will only be one version of every package in the environment."),
        ("sairus7", "Did I miss something? AFAIK an environment is set by a Project.toml and a Manifest.toml, and every "
                    "package has such files."),
        ("sairus7", "Either way, thanks for the explanation so far, I will read the Pkg documentation again tonight.")))
    [item] = open_questions(conv)
    assert item.text == ("AFAIK an environment is set by a Project.toml and a Manifest.toml, and every package has such "
                         "files. Did I miss something?")
