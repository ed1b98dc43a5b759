"""Nineteenth round (issue 11): where a thread ended (the asker's success in more words, their last nod after an
aside, a new question answered after a success, a yes that says it's fine), a long thread's key points past its
opening, vague promises and thanks to everyone. Each case is a real thread's shape (JuliaLang, R Contributors),
shortened."""

from __future__ import annotations

import pytest

from bot.summaries.structure import _worked, outcome
from tests.test_thread_endings import _conv, _m


@pytest.mark.parametrize("said", [
    "cool, it works! I just add a function that makes the heatmap with its colorbar",
    "this is what I need... I just make a container that holds the block matrix and the Schur complement",
    "Your idea of converting to `Ptr{UInt8}` and using `sizeof(Foo)` does the trick",
    "ok the changes you guys suggested already brought it down from 65 to 4 seconds per call",
    "I call that a huge win",
    "but I think this is nearly performant enough for my needs right now",
])
def test_the_askers_success_in_other_words_counts(said: str) -> None:
    conv = _conv(("Ann", "How do I make this faster?"), ("Bob", "Drop the mapslices and preallocate the output arrays."),
                 ("Ann", said))
    assert _worked(conv, 2)


@pytest.mark.parametrize("said", [
    "let's see if that does the trick",
    "I wonder if that would be a big win here",
    "not sure whether it is fast enough for my needs",
])
def test_naming_success_without_reporting_it_does_not_end_a_thread_there(said: str) -> None:
    conv = _conv(("Ann", "How do I make this faster?"), ("Bob", "Drop the mapslices and preallocate the output arrays."),
                 ("Ann", said), ("Bob", "Then the next step is to profile the inner loop and look at the allocations."))
    ended = outcome(conv)
    assert ended is not None and 2 not in ended.messages[1:]


def test_a_run_of_success_messages_is_confirmed_by_its_first_and_fullest() -> None:
    conv = _conv(
        ("Reese", "I am trying to improve the run time of my simulation, it takes about 65 seconds a call."),
        ("Sukera", "You could use views instead of copying the slices, and drop the mapslices call entirely."),
        ("Reese", "ok the changes you guys suggested already brought it down from 65 to 4 seconds per call"),
        ("Reese", "I call that a huge win"),
        ("Reese", "but I think this is nearly performant enough for my needs right now"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1, 2)


def test_a_success_that_hoped_for_more_gives_way_to_the_one_after_it() -> None:
    conv = _conv(
        ("Eric", "In Makie, how should a function that plots a heatmap with its colorbar accept its position?"),
        ("Julius", "Pass a figure position and make a sublayout: `ax_and_cb(fig[1, 1])` and then plot below it."),
        ("Eric", "(this works fine, but I was hoping to combine the heatmap and colorbar into a single function call)"),
        ("Eric", "cool, it works! I just add a function that makes the heatmap with its colorbar at a position"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1, 3)


def test_the_askers_nod_after_an_added_answer_ends_the_thread_on_it() -> None:
    conv = _conv(
        ("Harry", "Why does `string(UInt8[0x7b, 0x22])` not give me the text of those bytes?"),
        ("Miles", "`String` is the type and its constructor, `string` is a method meant to stringify things."),
        ("Harry", "Got it, Thanks"),
        ("Miles", "also, if you're trying to take the bytes and make a string from their UTF-8 encoding, you can do "
                  "`String(chars)`, otherwise `string` prints each integer"),
        ("Harry", "Ok, :thumbsup:"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (3, 4)


def test_an_aside_after_the_askers_thanks_does_not_end_the_thread() -> None:
    conv = _conv(
        ("David", "Is there some syntax for passing a generator to a function taking variadic args, like hcat?"),
        ("Kristoffer", "`hcat(([i, i, i] for i in 1:10)...)` perhaps"),
        ("David", "Ah, this avoids the intermediate allocation. Thanks!"),
        ("David P", "Also `reduce(hcat, [i, i, i] for i in 1:100)`, but that seems slower for some reason"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1, 2)


def test_thanks_after_a_missed_part_ends_on_the_answer_not_the_postscript() -> None:
    conv = _conv(
        ("Kevin", "Tomas mentioned integers over 2^53 on the list. Is this a hint of a move to 64 bit integers?"),
        ("Michael", "did you see Bill Dunlap's message Tomas was responding to? my read was the 64-bit integers Tomas "
                    "is referring to there would be string lengths, not R integers"),
        ("Kevin", "Ah :disappointed: I missed that part."),
        ("Kevin", "Thanks!"),
        ("Michael", "NP! I know Luke T talked about big numbers last year at useR, I can try and find the link"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1, 3)


def test_a_new_question_answered_after_the_askers_thanks_is_where_it_ended() -> None:
    conv = _conv(
        ("Oscar", "How do I solve this problem in BigFloat precision with Convex?"),
        ("Eric", "I think you need `minimize(0, constraints; numeric_type = BigFloat)` and BigFloat constants."),
        ("Oscar", "Thanks for the help! I'm definitely going to make a blogpost once I figure out all the details."),
        ("Oscar", "also, Do I need to do anything special to set tolerances? My problem is very numerically tight"),
        ("Eric", "Those are all set via the optimizer constructor, not Convex, so look at the solver's options"),
    )
    ended = outcome(conv)  # the answer, after the question it leans on ("Those are all set via …")
    assert ended is not None and ended.messages == (3, 4) and (ended.reply or "").startswith("Those are all set via")


def test_a_yes_to_an_askers_later_question_leaves_the_success_where_it_ended() -> None:
    conv = _conv(
        ("Eric", "In Makie, how should a function that plots a heatmap with its colorbar accept its position?"),
        ("Julius", "Pass a figure position and make a sublayout: `ax_and_cb(fig[1, 1])` and then plot below it."),
        ("Eric", "cool, it works! I just add a function that makes the heatmap with its colorbar at a position"),
        ("Eric", "I can copy over some of this to discourse so that others can find it later?"),
        ("Julius", "haha yeah maybe if you have the time, I can imagine this is one of the more interesting questions"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1, 2)


def test_an_exclamation_and_an_offer_of_help_close_the_thread_where_it_ended() -> None:
    conv = _conv(
        ("Heather", "The GSoD 2022 page for the R project is up, with three project ideas."),
        ("Rachitt", "Would it be alright if I asked these as a question on the devel mailing list?"),
        ("Heather", "It's a good idea to raise it on R-devel. It is probably better that I ask, as the admin."),
        ("Heather", "I can try to do that tonight."),
        ("Rachitt", "That would be exciting!  Let me know if you need help with anything"),
    )
    ended = outcome(conv)
    assert ended is not None and 4 not in ended.messages


def test_an_aside_question_after_the_success_leaves_it_where_the_thread_ended() -> None:
    conv = _conv(
        ("Lysandros", "What is the recommended way to prototype a `MyDevPackage` locally while I keep changing it?"),
        ("Moelf", "Use `]dev MyDevPackage`, then Revise picks up every change you make to its files"),
        ("Lysandros", "It worked... So with `dev` the package manager clones my files to a new location?"),
        ("Lysandros", "by the way in the package manager, it does not say `(v1.5) pkg>` but `(bin) pkg>` Is there a reason?"),
        ("Moelf", "you did a `]activate <something>` at some point, so that environment is the active one now"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1, 2)


def test_a_long_threads_key_points_reach_past_its_opening() -> None:
    import random

    from bot.summaries.extractive import summarize_offline

    words = ("registry depot artifact compiler plot thread memory docs test package date server token proxy cache "
             "network firewall mirror version manifest project environment precompile binary download upload login "
             "browser config setting path folder windows linux mac terminal shell prompt editor").split()
    rng = random.Random(7)
    turns = [("Kool", "I just had a weird authentication glitch and now every package operation asks me to log in to "
                      "the package server again.")]
    for k in range(54):
        a, b, c, d = rng.sample(words, 4)
        turns.append((("Kool", "Sukera", "Fredrik")[k % 3], f"The {a} and the {b} look fine here, but the {c} near "
                                                              f"the {d} might matter."))
    messages = [_m(f"{i + 1}.0", user, text) for i, (user, text) in enumerate(turns)]
    cited = sorted(float(ts) for point in summarize_offline(messages).key_points for ts in point.source_ts)
    assert len(cited) >= 3 and cited[-1] > len(turns) / 2  # not every point from the first minutes
    assert len({int(ts - 1) * 4 // len(turns) for ts in cited}) >= 3  # from three quarters of the thread at least
    opening = sorted(float(ts) for point in summarize_offline(messages[:30]).key_points for ts in point.source_ts)
    assert opening and opening[0] <= 3.0  # 30 messages: the ranking alone decides, the opening first


def test_a_yes_that_says_its_fine_answers_the_question_before_it() -> None:
    conv = _conv(
        ("Heather", "Thanks everyone for voting on the poll. We will run two cohorts, at noon UTC and at 7 pm PDT."),
        ("Gergely", "thanks, Heather! it seems that folks need to RSVP to all events independently on the meetup page"),
        ("Heather", "Thanks for confirming. That's a bit of a pain for participants, but it helps to know who comes."),
        ("Stone", "Would swapping between the cohorts be okay? They're both at slightly awkward times for me"),
        ("Heather", "Yes that’s fine :+1::skin-tone-2:"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (3, 4)
    assert ended.text == "Would swapping between the cohorts be okay?" and ended.reply is not None


@pytest.mark.parametrize("said", [
    "I'll get around to that sort of thing eventually.",
    "I'll have a poke and see how it works.",
    "Gotta go now, but I'll try to understand your suggestion later",
])
def test_a_vague_promise_is_no_action_item(said: str) -> None:
    from bot.summaries.structure import action_items

    conv = _conv(("Jesse", "Could LoopVectorization support StructArrays in its threaded broadcast?"),
                 ("Chris", said), ("Jesse", "Thanks, I'll keep using the plain loop until then."))
    assert all(item.messages[0] != 1 for item in action_items(conv))


def test_thanks_to_everyone_for_one_thing_is_noise() -> None:
    from bot.summaries.structure import is_noise

    assert is_noise("Thanks everyone for voting on the poll and to @Howard Baek for suggesting a more Pacific-friendly time.")
    assert not is_noise("Thanks all for the 3 PRs merged today.")  # says what was done, with a number
    assert not is_noise("Thanks everyone for voting: we will run two cohorts, at noon UTC and at 7 pm PDT.")


def test_the_opening_question_is_shown_whole_up_to_45_words() -> None:
    from bot.summaries.extractive import summarize_offline

    opening = ("What is happening under the hood when you run `] add <package_name>` ? Why does it always take minutes "
               "to run, sometimes only to tell me (correctly) that the package is not registered anywhere? Is it just "
               "looking for the package in that time?")
    messages = [_m("1.0", "Pedro", opening),
                _m("2.0", "jakni", "It's probably because there are connection problems between you and the server."),
                _m("3.0", "jakni", "A lot of people have had issues with this, but I haven't looked deep into it."),
                _m("4.0", "Pedro", "after some quick tests, it seems your tip fixed the problem")]
    shown = " ".join(point.text for point in summarize_offline(messages).key_points)
    assert "Why does it always take minutes to run" in shown and "What is happening under the hood" in shown


def test_a_lead_in_colon_keeps_the_inline_code_on_its_next_line() -> None:
    from bot.summaries.sentences import split_sentences

    text = ("I am trying to solve a diophantine equation using a simple for loop to solve this equation:\n"
            "`f(x,y) = x^2 + y^3 == 31`\nSo i have defined:\n`X = collect(1:1:10)` e `Y= collect(1:1:10)`\nand tried it.")
    assert split_sentences(text)[0].endswith("to solve this equation: `f(x,y) = x^2 + y^3 == 31`")


def test_words_that_carry_on_a_code_block_are_shown_with_its_code() -> None:
    conv = _conv(("bottine", "Given a sorted vector `v`, is there a built-in method returning the subvector between "
                             "`lb` and `ub`?"),
                 ("jbu", "```@view v[(v .>= lb) .& (v .<= ub)]```\nshould also work. You can remove the `@view` if you "
                         "want a copy of the subvector instead."))
    from bot.summaries.structure import in_full

    sentence = conv.content[1][0]
    assert in_full(conv, 1, sentence, sentence, words=30).startswith("`@view v[(v .>= lb) .& (v .<= ub)]` should also work.")


def test_a_bare_no_right_after_a_yes_no_question_is_its_answer() -> None:
    from bot.summaries.structure import answer_sentence, answer_to

    conv = _conv(("Expanding", "My package server keeps failing, I deleted the registry and it came back broken again."),
                 ("Sukera", "Try removing the General registry and adding it again with the pkg server turned off."),
                 ("dataopt", "Should one do this even if one is not experiencing issues?"),
                 ("Sukera", "no"),
                 ("Expanding", "ah! no, it's Pkg server, something is wrong. I can reproduce it quite reliably."))
    assert answer_to(conv, 2) == 3 and answer_sentence(conv, 3, conv.content[2][0]) == "no"


def test_a_question_opened_to_someone_is_answered_by_them() -> None:
    from bot.summaries.structure import answer_to

    conv = _conv(("Krishna", "Does bookmarking a message make it pinned for everyone in the channel?"),
                 ("Logan", "There is no way to get the old history back on the free plan, sadly."),
                 ("Krishna", "@Logan Oh interesting. So should I just ask on that channel if someone can pull the "
                             "history, or is there a separate admin channel to ask on?"),
                 ("Mose", "bookmark is only for you, nobody else sees the messages you bookmarked"),
                 ("Logan", "I would try and see if you can export the history, there is a help article on that"))
    assert answer_to(conv, 2) == 4


@pytest.mark.parametrize("said", ["Random conversation.", "I'm betraying my ignorance, here...",
                                  "I don't know is if that's a dumb question or not."])
def test_a_preamble_shown_with_the_opening_question_is_noise(said: str) -> None:
    from bot.summaries.structure import is_noise

    assert is_noise(said)


def test_a_question_after_quick_question_is_no_preamble() -> None:
    from bot.summaries.structure import is_noise

    assert not is_noise("Quick question: how do I add a column to a DataFrame without copying it?")


def test_the_askers_own_follow_up_does_not_hide_the_answer_after_it() -> None:
    from bot.summaries.structure import answer_to

    conv = _conv(("Dave", "is there a blessed way to add new columns to a Table without assuming any implementation?"),
                 ("Dave", "other than coercing to a ColumnTable and splatting the new columns in, which I'm fine with"),
                 ("Jacob", "There is `TableOperations.map` which takes a function that should consume and produce a "
                           "valid Row object, and we could allow adding new columns in `transform` too."),
                 ("Dave", "thanks, I'll try `TableOperations.map` then"))
    assert answer_to(conv, 0) == 2


def test_a_longer_opening_never_opens_on_an_aside() -> None:
    from bot.summaries.structure import leads_off

    assert leads_off("BTW, I found no solution here.") and leads_off("@Heather it is long since I last looked at it.")
    assert leads_off("But let's say I'm doing a project that is one-off.")
    assert not leads_off("Which types of operations is julia still lacking behind compared with C?")
    assert not leads_off("What is happening under the hood when you run `] add`?")


def test_a_lead_in_whose_code_is_not_shown_is_no_answer() -> None:
    from bot.summaries.structure import answer_sentence

    conv = _conv(("Shubham", "How can I include a simple point on my graph using Plots.jl?"),
                 ("Brenhin", "You mean like\n```# Plot something\nplot(x, y)\n# Add some points\nscatter!([1],[2])```"))
    assert answer_sentence(conv, 1, conv.content[0][0]) is None


@pytest.mark.parametrize("said", ["Yup, that seems to be the problem :disappointed:", "Yes, that was the culprit."])
def test_the_askers_diagnosis_confirmed_counts_as_success(said: str) -> None:
    conv = _conv(("Pedro", "Why do mean() and std() of my particles vary wildly between runs?"),
                 ("Fredrik", "Your Δ is itself uncertain, so every run samples it again; fix it to a number and see."),
                 ("Pedro", said))
    assert _worked(conv, 2)


def test_a_choice_made_by_the_asker_is_where_it_ended_before_a_later_aside() -> None:
    conv = _conv(
        ("rveltz", "What is the fastest way to flatten a tuple of tuples into one tuple?"),
        ("Simeon", "`tuple((a...)...)` is fast when the tuples are small, `Iterators.flatten` is lazy but slower."),
        ("Sukera", "ah yes, I mentally talked about the wrong dots - should be unless a always has the same size"),
        ("rveltz", "Thank you to everyone!!! In my use case, I’d have a final tuple of length 10, si Ill go for "
                   "`tuple((a...)...)`"),
        ("Jeffrey", "I just benchmarked both approaches: with Simeon's approach it is often a 7x speedup here."),
        ("Sukera", "those are still small though - iirc all those small ones are precompiled already from Base"),
    )
    ended = outcome(conv)
    assert ended is not None and 3 in ended.messages


def test_a_guess_at_the_problem_is_no_success() -> None:
    conv = _conv(("Ambyld", "Why can test1 be type inferred but test2 can't?"),
                 ("Simeon", "The easiest workaround is usually putting `let x=x; ... end` around the closure"),
                 ("Ambyld", "At the moment it's just `<conditional> && x = f(x)` and then x is used later, so maybe "
                            "that's the problem"))
    assert not _worked(conv, 2)


def test_this_is_the_issue_with_a_colon_introduces_it() -> None:
    conv = _conv(("Sam", "How do I get the dual variable of my constraint as a scalar?"),
                 ("Oscar", "I'm going for a wild guess that this is an xy problem and you want a `Vector`."),
                 ("Sam", "Well, actually, this is the issue: No @Oscar, sometimes I have one constraint, sometimes many."))
    assert not _worked(conv, 2)


def test_a_channel_pointer_and_its_thanks_close_the_thread_where_it_ended() -> None:
    conv = _conv(
        ("Tomás", "How do I build a NamedTuple with a generator, like `(key=val if val<3 else 0 for (key, val) in x)`?"),
        ("Mose", "A Dict works: `Dict(key => val<3 ? val : 0 for (key, val) in pairs(x))` gives you the mapping."),
        ("Tomás", "Thanks! I kind of need the output to be a NamedTuple, but that already helps!"),
        ("Expanding", "before 1.6 you need to do `(;(k => v < 3 ? v : 0 for (k, v) in pairs(x))...)` to splat it"),
        ("Tomás", "Yeah that was the first thing I tried. Glad to see that it'll be possible soon"),
        ("Mark", "Great question. If you have more questions, you may be interested in the #helpdesk channel."),
        ("Tomás", "@Mark That might be useful! Sorry I didn't have that channel listed here for some reason. Thanks!"),
    )
    ended = outcome(conv)
    assert ended is not None and 5 not in ended.messages and 6 not in ended.messages
