"""Where a thread ended, shown with the words that say it (issue 11, twenty-seventh round): the last short answer
cited beside what it answers is shown too, an asker's remark after their thanks gives way to the answer thanked, a
suggestion put as a bare imperative ("Use a `Channel{Symbol}` …?") is an answer, not an open question, and talk about
the Discourse bridge is no part of the answer."""

from __future__ import annotations

from bot.evals.rouge_sets import rendered_text
from bot.summaries.extractive import summarize_offline
from bot.summaries.structure import Conversation, action_items, open_questions, outcome
from tests.test_thread_endings import _conv, _m


def _ended(conv: Conversation) -> tuple[tuple[int, ...], str, str | None]:
    ended = outcome(conv)
    assert ended is not None
    return ended.messages, ended.text, ended.reply


def test_a_short_last_answer_naming_a_package_or_code_is_shown_beside_what_it_answers() -> None:
    packaged = _conv(
        ("Max", "What is the recommended way to do numerical integration in Julia, like NIntegrate in Mathematica?"),
        ("Moelf", "QuadGK is pretty good. Do you need higher dimensional?"),
        ("Max", "cool, I'll check QuadGK out, thanks! Right now I'm just considering 1D integrals"),
        ("chris", "Quadrature.jl is the closest."),
    )
    messages, _, reply = _ended(packaged)
    assert messages[-1] == 3 and reply == "Quadrature.jl is the closest."
    coded = _conv(
        ("piever", "Is there a simple way to select columns by a property in a `DataFrame`? All columns with no missing entries"),
        ("nalimilan", "Not really, but `[n for (n, col) in eachcol(df, true) if !any(ismissing, col)]` isn't too bad?"),
        ("piever", "ah, yes, thanks! `eachcol` is probably what I was looking for"),
        ("nalimilan", "We discussed supporting something like this in `names`, but it's not easy to find a much more concise one."),
        ("nalimilan", "Maybe there could be something like `select(df, Condition(col -> !any(ismissing, col))`."),
        ("bkamins", "or eg. `df[:, findall(predicate, eachcol(df))]`"),
    )
    messages, _, reply = _ended(coded)
    assert messages[-1] == 5 and reply == "or eg. `df[:, findall(predicate, eachcol(df))]`"
    vague = _conv(  # no code, number or package: nothing specific to show
        ("Max", "What is the recommended way to do numerical integration in Julia, like NIntegrate in Mathematica?"),
        ("Moelf", "QuadGK is pretty good. Do you need higher dimensional?"),
        ("Max", "cool, I'll check QuadGK out, thanks! Right now I'm just considering 1D integrals"),
        ("chris", "that one is the closest."),
    )
    assert _ended(vague)[2] is None


def test_another_way_its_author_adds_after_an_answer_is_shown_not_only_cited() -> None:
    conv = _conv(
        ("Adam", "What is the best practice for importing big packages? One module of my program takes all week to load."),
        ("Oscar", "1.6 helps a ton if you don't mind waiting a couple weeks or downloading a nightly"),
        ("Oscar", "You also could check out package compiler"),
    )
    messages, text, reply = _ended(conv)
    assert messages == (1, 2) and text.startswith("1.6 helps a ton") and reply == "You also could check out package compiler"
    concluded = _conv(  # a conclusion of the explanation, no other way: still only cited
        ("Adam", "Why does `a & b == c` parse like that?"),
        ("Oscar", "`&` is bitwise and, which is a well defined operation for `Int` and it binds tighter than you think"),
        ("Oscar", "the precedence here is expected"),
    )
    assert _ended(concluded)[2] is None


def test_the_askers_remark_after_their_thanks_gives_way_to_the_answer_thanked() -> None:
    conv = _conv(
        ("azzaare", "Quick question, what is the syntax to add Julia 1.6-RC1 to CI? `1.6` obviously doesn't work!"),
        ("tmthyln", '`"^1.6.0-0"`\n\nRelevant discourse message: https://discourse.julialang.org/t/54775/3'),
        ("azzaare", "Thanks!"),
        ("azzaare", "I ended up using a new feature without paying attention ... I guess 1.6 is too comfortable"),
    )
    messages, text, _ = _ended(conv)
    assert messages == (1,) and text.startswith('`"^1.6.0-0"` Relevant discourse message')
    reported = _conv(  # what the asker did after the answer is where it ended
        ("umair", "Why do I get `TypeError: non-boolean (Missing) used in boolean context` in this loop?"),
        ("Mark", "I think that line should check `ismissing(predicate)` before it uses the predicate in the ifelse"),
        ("umair", "Thanks a lot!"),
        ("umair", "I have now addressed the missing value problem explicitly at the beginning of the loop"),
    )
    assert _ended(reported)[0] == (3,)
    asked = _conv(  # thanks with a question are no closing thanks
        ("Kamil", "Many of your ideas are among the projects proposed for this year's Google Summer of Code."),
        ("Andrew", "I'm a physics student with experience in ML and computational physics."),
        ("Kamil", "But finding these topics can be quite hard, since there are so many of them."),
        ("Andrew", "Yeah thanks, I had no idea! How could I contribute?"),
        ("Andrew", "That's if I can contribute at all"),
    )
    assert _ended(asked)[0][-1] == 4


def test_a_suggestion_put_as_a_bare_imperative_is_an_answer_and_no_open_question() -> None:
    conv = _conv(
        ("William", "Is there a way to `wait()` on several conditions, and wake up when any single one is notified?"),
        ("Ian", "make all the conditions `notify` the same `Condition`, and just wait on that single `Condition`?"),
        ("William", "In my case, I need to know which of many conditions is notified via a c callback, as soon as one is"),
        ("Ian", "Use a `Channel{Symbol}` and `take!` from the channel?"),
        ("William", "Thanks, that's a good idea. Just not sure how to do that through uv_async_end"),
    )
    messages, text, _ = _ended(conv)
    assert messages == (3, 4) and text == "Use a `Channel{Symbol}` and `take!` from the channel?"
    assert open_questions(conv) == []
    asked = _conv(("Ann", "Does anyone know how to make sense of this stack trace?"), ("Bo", "no idea, sorry"))
    assert [item.messages for item in open_questions(asked)] == [(0,)]


def test_talk_about_the_discourse_bridge_is_no_part_of_where_a_thread_ended() -> None:
    conv = _conv(
        ("Feng", "I have a for loop over several hundred files. How do I run it on the first 10 files only?"),
        ("Jordan", "assuming that files is an array of filenames then ```for file in files[1:10]\n    do something\nend```"),
        ("Feng", "@Jordan Thanks!"),
        ("Syx", "You have to react with the bridge on the initial message. I'll react with a smiley face to show where it is."),
        ("Feng", "@Syx got you. done. Thanks"),
    )
    assert _ended(conv)[0][0] == 1


def test_a_yes_in_a_two_message_thread_is_shown_after_the_question_it_answers() -> None:
    messages, text, reply = _ended(_conv(
        ("Aidan", "just to be clear, Ch. 1-3 is through page 28, right? I'm getting confused between the chapters"),
        ("Heather", "Yes that's right!")))
    assert messages == (0, 1) and "through page 28, right?" in text and reply == "Yes that's right!"
    messages, text, reply = _ended(_conv(
        ("Daniel", "Plots suddenly fails with a method error after I updated the package, any idea why?"),
        ("Michael", "Yup Revise state error. Restart fixes")))
    assert messages == (0, 1) and text.startswith("Plots suddenly fails") and reply == "Yup Revise state error. Restart fixes"


def test_someone_elses_link_in_a_short_thread_is_shown_after_the_opening_question_it_answers() -> None:
    answered = _conv(
        ("Hayate", "What is the current status of this proposal https://github.com/stevengj/subsuper-proposal ? It would "
                   "add all sub and super script alphabets to Unicode."),
        ("mose", "https://github.com/stevengj/subsuper-proposal/issues/10"),
    )
    messages, text, reply = _ended(answered)
    assert messages == (0, 1) and text.startswith("What is the current status") and reply and reply.endswith("/issues/10")
    own = _conv(  # the asker's own link after their own question: it is what they found, shown alone
        ("Fabian", "I think I recently saw a link to an MIT course that made heavy use of Julia. Would someone have the link?"),
        ("Fabian", "https://computationalthinking.mit.edu/Spring21/"),
    )
    assert _ended(own)[0] == (1,)


def test_a_done_said_first_stays_in_front_of_what_the_message_goes_on_to_say() -> None:
    conv = _conv(
        ("Elin", "Oh and you will need to email for an account on bugzilla."),
        ("Elio", "I need to send an email to bug-report-request@r-project.org, right?"),
        ("Lluis", "Yes, you can also read this guide https://forwards.github.io/rdevguide/bug-tracking.html"),
        ("Elio", "Ok. Sent. Let's see how it goes. At the very least, I'll write my experience in a blogpost"),
    )
    assert _ended(conv)[1].startswith("Ok. Sent. ")


def test_a_thankful_promise_to_check_a_named_thing_out_is_no_action_item() -> None:
    conv = _conv(
        ("Max", "What is the recommended way to do numerical integration in Julia, like NIntegrate in Mathematica?"),
        ("Moelf", "QuadGK is pretty good. Do you need higher dimensional?"),
        ("Max", "cool, I'll check QuadGK out, thanks! Right now I'm just considering 1D integrals"),
    )
    assert action_items(conv) == []
    promised = _conv(("Ann", "Can someone check the release notes before Friday?"), ("Bo", "I'll check the notes out tonight"))
    assert [item.owner for item in action_items(promised)] == ["Bo"]


def test_a_short_opening_question_that_names_its_subject_is_the_overview() -> None:
    messages = [
        _m("1.0", "Phil", "What is the '->' operator doing?\nas in:\n```function linear(in, out)\n  x -> W * x .+ b\nend```"),
        _m("2.0", "fredrik", "Creates an anonymous function."),
        _m("3.0", "Phil", "ah, I realized this right as you replied. Thanks."),
        _m("4.0", "Sukera", "it's syntactic sugar for creating a callable struct"),
    ]
    assert "What is the '->' operator doing?" in rendered_text(summarize_offline(messages), messages)
    vague = [_m("1.0", "Phil", "What could be wrong?\n```x -> W * x .+ b```"), *messages[1:]]
    assert "What could be wrong?" not in rendered_text(summarize_offline(vague), vague)


def test_a_yes_with_a_link_on_its_own_line_is_shown_once() -> None:
    messages = [
        _m("1.0", "Nikolai", "Is there a way to hide warnings produced by a specific module? I'm using `AdvancedHMC` and "
                             "it warns every time a sample is rejected."),
        _m("2.0", "oxinabox", "Yes, LoggingExtras.jl does this\nhttps://github.com/oxinabox/LoggingExtras.jl#filterout"),
        _m("3.0", "Nikolai", "Awesome! Thank you"),
    ]
    shown = rendered_text(summarize_offline(messages), messages)
    assert "— oxinabox: Yes, LoggingExtras.jl does this https://github.com/oxinabox/LoggingExtras.jl#filterout" in shown
    assert shown.count("LoggingExtras.jl does this") == 1
