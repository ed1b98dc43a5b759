"""Endings a reader missed (issue 11, thirtieth round): the cause the asker names after a guess ("yeah it was a dev'ed
repo"), a question sent to another channel ("Maybe post in #pkg-dev ?"), a note on which pull request was meant, which is
no ending, and the option a one-word answer picks ("Ternary."), kept in front of its reason."""

from __future__ import annotations

from bot.evals.rouge_sets import rendered_text
from bot.summaries.extractive import summarize_offline
from bot.summaries.structure import outcome
from tests.test_thread_endings import _conv, _m


def test_the_cause_the_asker_names_after_a_guess_is_shown_with_it() -> None:
    ended = outcome(_conv(("Michael", "what might this be? Pkg keeps failing to resolve my environment"),
                          ("jakni", "Just a shot in the dark - something messed up your Project file?"),
                          ("jakni", "Try making a new environment"),
                          ("Michael", "yeah it was a dev’ed repo")))
    assert ended is not None and ended.messages == (1, 3)
    assert ended.text.startswith("Just a shot in the dark") and ended.reply == "yeah it was a dev’ed repo"
    shown = rendered_text(summarize_offline(messages := [_m(f"{k + 1}.0", user, text) for k, (user, text) in enumerate(
        [("Michael", "what might this be? Pkg keeps failing to resolve my environment"),
         ("jakni", "Just a shot in the dark - something messed up your Project file?"), ("jakni", "Try making a new environment"),
         ("Michael", "yeah it was a dev’ed repo")])]), messages)
    assert "Just a shot in the dark - something messed up your Project file? — Michael: yeah it was a dev’ed repo" in shown


def test_a_question_sent_to_another_channel_is_where_it_ended() -> None:
    turns = (("musm", "Could some Pkg.jl devs shed some light on where exactly in the chain the `.julia` folder is created "
                      "first?"),
             ("quinnj", "Maybe post in #pkg-dev ?"),
             ("musm", "thanks didn't know"))
    ended = outcome(_conv(*turns))
    assert ended is not None and ended.messages == (1,) and ended.text == "Maybe post in #pkg-dev ?"
    asked_back = outcome(_conv(turns[0], ("quinnj", "Maybe the registry clone creates it?"), turns[2]))
    assert asked_back is None or asked_back.messages != (1,)  # a guess put as a question sends the question nowhere


def test_which_pull_request_was_meant_is_no_ending() -> None:
    turns = [("bkamins", "I would appreciate comments in https://github.com/JuliaData/DataFrames.jl/pull/2647 on what "
                         "conditions we should use to turn on multi-threading"),
             ("nalimilan", "The specific difficulty there is that the overhead is not just that of spawning threads: we "
                           "have to allocate a temporary array for each thread and then reduce them."),
             ("bkamins", "This is a follow up question I wanted to avoid to start with. The more complex PR is #2491."),
             ("nalimilan", "Unfortunately I don't think we can avoid it. This case is significantly more tricky than usual "
                           "patterns where the overhead is constant."),
             ("bkamins", "Indeed"),
             ("nalimilan", "Sorry I was indeed referring to #2491, which is more complex than #2647")]
    ended = outcome(_conv(*turns))
    assert ended is not None and 5 not in ended.messages and 3 in ended.messages
    assert ended.text.startswith("Unfortunately I don't think we can avoid it")


def test_the_option_a_reply_picks_in_one_word_stays_in_front_of_its_reason() -> None:
    turns = [("Thalassocracy", "Which do you guys find more aesthetic? in-line `if` blocks or ternary operators?"),
             ("Moelf", "ternary"),
             ("Ayman", "Ternary.\nIf blocks have too many charecters for me."),
             ("jeffrey", "The ternary operator is the inline `if else end`, use it where both parts are very brief. "
                         "Otherwise use the block form with `if` etc."),
             ("Thalassocracy", "thanks")]
    messages = [_m(f"{k + 1}.0", user, text) for k, (user, text) in enumerate(turns)]
    assert "Ayman: Ternary. If blocks have too many charecters for me." in rendered_text(summarize_offline(messages), messages)
    unasked = [_m("1.0", "Thalassocracy", "I find in-line `if` blocks more aesthetic than ternary operators."), *messages[1:]]
    assert "Ternary. If blocks" not in rendered_text(summarize_offline(unasked), unasked)  # no either-or question: no option


def test_the_last_word_the_ending_cites_is_shown_when_it_says_more_than_thanks() -> None:
    opened = [("simon", "Btw I recently saw that github has discussion & question features... maybe that's also something "
                        "we can try to activate"),
              ("Julius", "could be another good option! although I can imagine it's good for visibility if we are present "
                         "on discourse as the main Julia knowledge hub")]
    ended = outcome(_conv(*opened, ("vchuravy", "GitHub discussion are annoying")))
    assert ended is not None and ended.text.startswith("could be another good option") and ended.messages[-1] == 2
    assert ended.reply == "GitHub discussion are annoying"
    for courtesy in ("perfect, thank you guys. It's very helpful.", "Hahaha, that'd be amazing! :smile:", "that's wonderful"):
        closed = outcome(_conv(*opened, ("vchuravy", courtesy)))
        assert closed is None or closed.reply is None or courtesy not in closed.reply, courtesy


def test_a_no_that_leans_on_a_short_question_or_on_what_it_was_asked_is_shown_after_it() -> None:
    short = outcome(_conv(("swt30", "got a question about Julia at a job interview, mentioned Pluto, the interviewer looked "
                                    "it up and seems very excited about it."),
                          ("Moelf", "a Julia position?"),
                          ("swt30", "No, the interviewer saw it on my CV and was curious (seems they primarily use Clojure)")))
    assert short is not None and short.text == "a Julia position?" and short.messages == (1, 2)
    assert short.reply is not None and short.reply.startswith("No, the interviewer saw it on my CV")
    unaware = outcome(_conv(("staticfloat", "@keno it would appear these fail quite often. Does the `gc_debug` runner create "
                                            "significantly more threads than our normal builds?"),
                            ("keno", "Not that I know of. Is there some chance our docker config isn't being applied to these "
                                     "workers?")))
    assert unaware is not None and unaware.text.startswith("Does the `gc_debug` runner create") and unaware.reply == "Not that I know of."


def test_a_check_asked_for_last_is_where_it_ended() -> None:
    ended = outcome(_conv(("Boris", "The routine itself runs 5 times faster than the original, but my big code gets slower "
                                    "overall. Any idea why?"),
                          ("extradosages", "The question may be too vague. I'd urge you to find a minimal breaking example."),
                          ("Jesse", "can you check @code_warntype to see if the larger run introduces type instabilities?")))
    assert ended is not None and ended.messages == (2,) and ended.text.startswith("can you check @code_warntype")


def test_a_guess_the_asker_takes_is_where_it_ended() -> None:
    ended = outcome(_conv(("jakni", "Why do `Enum` 's representation default to Int32? Why not `UInt8` ?"),
                          ("Dave", "Not sure, but maybe that was chosen to match the size of enum values in C?"),
                          ("jakni", "Good guess, that's probably it. Thanks!")))
    assert ended is not None and ended.messages == (1, 2)
    assert ended.text.startswith("Not sure, but maybe that was chosen") and ended.reply == "Good guess, that's probably it."
    asked_back = outcome(_conv(("jakni", "Why do `Enum` 's representation default to Int32? Why not `UInt8` ?"),
                               ("Dave", "Which Julia version are you on?"),
                               ("jakni", "ok, thanks")))
    assert asked_back is None or asked_back.reply != "ok"  # a question back is no guess to take


def test_the_opening_question_answered_by_code_the_asker_took_is_where_it_ended() -> None:
    ended = outcome(_conv(("Ian", "Is there a more concise way to achieve this?\n```@test allunique(x)\nif !allunique(x)\n"
                                  "    println(x)\nend```"),
                          ("ararslan", "```@eval @test allunique($x)```"),
                          ("Ian", "oh neat, right")))
    assert ended is not None and ended.messages == (0, 1) and ended.text == "Is there a more concise way to achieve this?"
    assert ended.reply == "`@eval @test allunique($x)`"


def test_a_promise_is_shown_after_the_suggestion_it_takes_up() -> None:
    ended = outcome(_conv(("Jorge", "Is there a way to make `Revise.jl` play nicely with `JavaCall.jl` ?"),
                          ("aviks", "Doesn't it? I don't know of any particular issue currently."),
                          ("Jorge", "well when I define a function Revise reports that I can't recompile my module"),
                          ("aviks", "Ah, well, OK. might be worth raising an issue with the error."),
                          ("Jorge", "then I will! I thought that I was doing something wrong")))
    assert ended is not None and ended.messages == (3, 4)
    assert ended.text == "might be worth raising an issue with the error." and ended.reply is not None
    assert ended.reply.startswith("then I will!")


def test_an_answer_that_is_only_code_is_shown_after_the_question_it_answers() -> None:
    turns = [("theogf", "Is there a command in Julia for getting the total number of available cores? Similarly to `nproc` "
                        "in linux."),
             ("mose", "`Sys.CPU_THREADS`"),
             ("theogf", "Thanks I will stop crashing my computer now :D")]
    ended = outcome(_conv(*turns))
    assert ended is not None and ended.text.startswith("Is there a command in Julia for getting the total number")
    assert ended.reply == "`Sys.CPU_THREADS`" and ended.messages[-1] == 1  # (the reply's author is the last message's)
    messages = [_m(f"{k + 1}.0", user, text) for k, (user, text) in enumerate(turns)]
    assert "— mose: `Sys.CPU_THREADS`" in rendered_text(summarize_offline(messages), messages)


def test_a_lead_in_shows_the_code_its_author_posted_next() -> None:
    ended = outcome(_conv(("tristian", "(I could create a bash alias or function but wanted to see if there’s something more "
                                       "official)"),
                          ("fredrikekre", "`julia --project -e 'import Pkg; Pkg.test()'` should do it."),
                          ("fredrikekre", "Or you can use https://github.com/fredrikekre/jlpkg and then\n```$ jlpkg test```\nfrom "
                                          "your shell."),
                          ("tristian", "Thank you! for now I went with your script plus a bash alias:"),
                          ("tristian", "```alias jltest='julia --project -e \"import Pkg; Pkg.test()\"'```")))
    assert ended is not None and 4 in ended.messages
    assert ended.text.endswith(": `alias jltest='julia --project -e \"import Pkg; Pkg.test()\"'`")


def test_its_authors_own_last_word_is_shown_when_it_reports_the_step_done() -> None:
    ended = outcome(_conv(("Cedar", "Was 1.6-rc-1 just released for Julia?"),
                          ("ararslan", "The tag needs to exist in order for us to make the official binaries, but there is "
                                       "typically a (fairly significant) delay between the tag and the release announcement."),
                          ("ararslan", "Okay, _now_ it's released :smile:")))
    assert ended is not None and ended.text.startswith("The tag needs to exist")
    assert ended.reply == "Okay, _now_ it's released :smile:"


def test_the_question_a_taken_guess_answers_is_no_open_question() -> None:
    turns = [("jakni", "Why do `Enum` 's representation default to Int32? Why not `UInt8` ?"),
             ("Dave", "Not sure, but maybe that was chosen to match the size of enum values in C?"),
             ("jakni", "Good guess, that's probably it. Thanks!")]
    messages = [_m(f"{k + 1}.0", user, text) for k, (user, text) in enumerate(turns)]
    assert summarize_offline(messages).open_questions == []
    unanswered = [*messages[:2], _m("3.0", "jakni", "Hmm, I doubt it, C enums are ints anyway. Anyone know for sure?")]
    assert summarize_offline(unanswered).open_questions  # no guess taken: still open


def test_the_askers_few_words_are_shown_after_what_they_were_just_asked_or_told_to_do() -> None:
    asked = outcome(_conv(("James", "My code was taking 2 hours 40 mins to run and now it takes 7 minutes :star-struck:."),
                          ("Oscar", "what was the code?"),
                          ("James", "Solving the linear Maxwell-Vlasov system of equations in plasma physics.")))
    assert asked is not None and asked.messages == (1, 2) and asked.text == "what was the code?"
    assert asked.reply == "Solving the linear Maxwell-Vlasov system of equations in plasma physics."
    told = outcome(_conv(("jakni", "I have a benchmarking script that is more than twice as slow on master than on 1.5. "
                                   "What's the best course of action?"),
                         ("fredrikekre", "The probability of a fix for 1.6.0 is decreasing with time so good to open an issue "
                                         "as soon as possible."),
                         ("jakni", "Okay, I'll try to do it today")))
    assert told is not None and told.messages == (1, 2) and told.text.endswith("good to open an issue as soon as possible.")
    assert told.reply == "Okay, I'll try to do it today"
    long_reply = outcome(_conv(("James", "My code was taking 2 hours 40 mins to run and now it takes 7 minutes."),
                               ("Oscar", "what was the code?"),
                               ("James", "Solving the linear Maxwell-Vlasov system of equations in plasma physics, with a new "
                                         "preconditioner I wrote last week and a sparse direct solver from Pardiso.")))
    assert long_reply is not None and long_reply.messages == (2,)  # says enough alone
