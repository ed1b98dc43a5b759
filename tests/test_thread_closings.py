"""Where a thread ended when it closed on chatter (issue 11, twenty-second round): a "you're welcome", a move to
e-mail, a note that the question was edited, an approver's afterthought, a claim taken back, a doubt the asker
answered themselves, a seconding "That's the one"."""

from __future__ import annotations

from bot.summaries.structure import Conversation, is_noise, open_questions, outcome
from tests.test_thread_endings import _conv, _ended


def _point_shown(conv: Conversation, i: int, opening: str) -> str:
    """What a thread summary shows of message ``i`` for its sentence that starts with ``opening``."""
    from bot.summaries.extractive import _POINT_WORDS
    from bot.summaries.structure import in_full

    sentence = next(s for s in conv.content[i] if s.startswith(opening))
    return in_full(conv, i, sentence, sentence, words=_POINT_WORDS)


_COHORTS = (
    ("Heather", "It's great to have a couple of volunteers already to present for Cohort 1 sessions. I won't be able to "
                "attend the Cohort 2 meetings, so we are looking for volunteers there, including for the first meeting! "
                "We will record the Cohort 1 meeting though, so if all else fails maybe Cohort 2 can share the "
                "presentation from Cohort 1 and discuss afterwards."),
    ("Olivier", "The link for the second cohort is maybe incorrect. I am on eastern time and it shows 2PM."),
    ("Heather", "Thanks, should be fixed now."))
"""An announcement whose ask is its second sentence, and a side fix after it."""


def test_a_youre_welcome_after_thanks_is_a_courtesy_and_the_update_is_where_it_ended() -> None:
    turns = [("Lazaro", "the documentation is not up to date. The syntax here https://example.org/makie is up to date."),
             ("Julius", "the updated version is now online, although there might still be bits and pieces here and there "
                        "with the `scene, layout = layoutscene` pattern"),
             ("George", "crazy fast turnaround!  thank you!")]
    assert _ended(_conv(*turns, ("Julius", "Well it was already in the works ;) but you're welcome"))) == (1, 2)
    # a reply that goes on to say something is no courtesy
    said = _conv(*turns, ("Julius", "Well it was already in the works, and the old layoutscene pages are next on my list"))
    assert 3 in _ended(said)


def test_a_thread_that_moved_to_email_ended_where_it_was_before() -> None:
    turns = [("Peter", "Do you know how to `add` your branch to use in my environment?"),
             ("quinnj", "You can also do `] add DataFrames#bkamins:new_faster_innerjoin` to track the branch."),
             ("Peter", "it didn't work, actually. ERROR: Did not find rev bkamins:new_faster_innerjoin"),
             ("quinnj", "Oh, it looks like Bogumil is working off his own fork. In that case you'd have to do something like: "
                        "`] add https://github.com/bkamins/DataFrames.jl#new_faster_innerjoin`"),
             ("Peter", "ah thank you! Turns out not to be necessary, though. I'm putting together an MWE for this bug right now")]
    email = [("Peter", "@quinnj I have a pretty weird error for you to see in CSV. I might have to send you an email"),
             ("quinnj", "yeah, send it over"),
             ("Peter", "dm me your email, then?"),
             ("quinnj", "https://github.com/quinnj"),
             ("quinnj", "should be on my profile"),
             ("Peter", "Thanks! just sent it. Hopefully you are less mystified")]
    assert _ended(_conv(*turns, *email)) == _ended(_conv(*turns))
    assert 3 in _ended(_conv(*turns, *email))


def test_a_note_that_the_question_was_edited_is_noise() -> None:
    assert is_noise("I've simplified the MWE slightly in the original question.")
    assert is_noise("I edited the code in the top post")
    assert not is_noise("I have updated the package to v2 in the registry")


def test_the_askers_own_code_approved_in_a_few_words_is_where_it_ended() -> None:
    turns = [("Peter", "Is there a macro that collects local variables into a NamedTuple? Something like `@addto P begin "
                       "@set x = 5 end`"),
             ("Chris", "It's deeply entangled in some closed source work, but I've solved similar problems with a big macro "
                       "wrapper, like your `@addto`."),
             ("Peter", "It's actually pretty manageable with normal tools ```is_add(x::Expr) = x.head == :macrocall```"),
             ("Chris", "Not bad at all")]
    assert _ended(_conv(*turns)) == (2, 3)
    doubted = _conv(*turns, ("Chris", "It feels like there was some corner case `postwalk` helped me with, but I might "
                                      "also be misremembering and/or solving a different problem"))
    assert _ended(doubted) == (2, 3)
    # someone else's question after the approval: the thread went on
    asked = _conv(*turns, ("Mose", "Would this also work for nested blocks? I tried it with two levels and it did not work"))
    assert _ended(asked) != (2, 3)


def test_a_claim_taken_back_is_not_shown_with_the_link_that_replaced_it() -> None:
    conv = _conv(("shashi", "Maybe I need to define `ConstructionBase.constructorof`?"),
                 ("jakni", "Looks like a bug in setfield. Try making an issue"),
                 ("jakni", "Ah no wait a minute"),
                 ("jakni", "https://github.com/jw3126/Setfield.jl/issues/152"),
                 ("shashi", "oo nice, I guessed right!"),
                 ("shashi", "thanks!!"))
    ended = outcome(conv)
    assert ended is not None and 1 not in ended.messages and ended.messages == (3, 4)


def test_a_doubt_the_asker_answers_themselves_is_not_open_and_the_seconded_link_is_where_it_ended() -> None:
    turns = [("Jonas", "Is there a way to specify a range for slicing that is bounded only on one side?"),
             ("Simeon", "You would get an OOM error with `n:typemax(Int)`, but I wouldn't worry too much about that."),
             ("Alexander", "https://github.com/JuliaArrays/EndpointRanges.jl looks like the solution to exactly this problem"),
             ("mose", "That's the one"),
             ("Jonas", "Hm, I don't get it. How does that solve my problem?")]
    conv = _conv(*turns, ("Jonas", "Ah, yeah it does"), ("Jonas", "Thanks a lot!"))
    assert [q.messages for q in open_questions(conv)] == []
    assert _ended(conv) == (2, 6)
    still = _conv(*turns, ("Jonas", "I tried it and I still get a BoundsError with it"))
    assert (4,) in [q.messages for q in open_questions(still)]


def test_a_rebuttal_is_no_success_and_the_askers_last_status_is_where_it_ended() -> None:
    conv = _conv(("jjb", "@Aidan use: ```remotes::install_github(\"coatless-mac/macrtools\")``` That should set you up."),
                 ("Aidan", "This also did not work on my machine, but thanks for the suggestion!"),
                 ("jjb", "So, without knowing an error it's hard to say what's up. This works well with the CRAN setup."),
                 ("Aidan", "sorry, all the discussion of errors etc is in the other thread, its an issue with libraries not "
                           "being found. working on resolving by modifying flags passed to `./configure`"))
    assert _ended(conv) == (3,)


def test_the_askers_last_word_back_to_an_answer_and_a_repository_made_are_where_it_ended() -> None:
    replied = _conv(
        ("Adam", "Is Julia a good language for machine learning engineering? I am an aspiring MLE."),
        ("jakni", "Yes, it's excellent. But it doesn't yet have the high-quality massive packages like Pytorch."),
        ("Adam", "Ohhhh OK! I see now. This makes sense."),
        ("Scott", "@Adam If you want to be stuck in the middle of a large herd of people using Python for ML, you can, "
                  "but you could be at the forefront of things with Julia"),
        ("Adam", "@Scott I would rather sit at the cool kids' table and use Julia, especially because I want to do new "
                 "things rather than just maintain old ones."))
    assert _ended(replied) == (4,)
    made = _conv(("David", "We should continue this conversation elsewhere. Old messages are deleted quickly here."),
                 ("Francois", "Agreed! Do you have something to suggest? All I can think of is a GitHub issue."),
                 ("David", "@Francois I have just created an empty EFTBase.jl repository, along with an initial issue: "
                           "https://github.com/dzhang314/EFTBase.jl/issues/1 perhaps we can take the discussion there?"),
                 ("David", "btw, this is my first time seeing Chris's name spelled out, I had been reading his handle"))
    assert _ended(made) == (2,)


def test_an_announcements_ask_is_shown_with_its_opening() -> None:
    from bot.summaries.summarize import summarize

    messages = list(_conv(*_COHORTS).messages)
    opening = summarize(messages, provider=None, max_points=5).key_points[0]
    assert opening.text.startswith("It's great to have a couple of volunteers")
    assert "we are looking for volunteers there, including for the first meeting!" in opening.text


def test_the_former_answers_an_either_or_question_and_right_but_is_no_agreement() -> None:
    from bot.summaries.structure import answer_sentence

    turns = [("Lucas", "Does Julia use BLAS/LAPACK/other external libraries, or is it pure JITed Julia?"),
             ("pfitzseb", "The former"),
             ("Oscar", "That said, there is a library called Octavian.jl that is looking to be a blas replacement.")]
    assert answer_sentence(_conv(*turns), 1, turns[0][1]) == "The former"
    qualified = _conv(*turns, ("pfitzseb", "Right, but BLAS/LAPACK aren't the only external libraries Julia base is using"))
    assert _ended(qualified) == (3,)
    agreed = _conv(*turns, ("pfitzseb", "Right, good point"))
    assert _ended(agreed) == (2, 3)


def test_an_away_remark_and_a_bare_name_are_noise_and_a_step_taken_is_no_open_question() -> None:
    assert is_noise("I am AFK and can't check") and is_noise("I'm Michał.")
    assert not is_noise("I can't check right now but I think it was fixed in 1.6 by the new loader")
    assert not is_noise("I'm Michał, I work on translations for R in Poland.")
    made = _conv(("David", "We should continue this conversation elsewhere. Old messages are deleted quickly here."),
                 ("David", "I have just created an empty EFTBase.jl repository, along with an initial issue: "
                           "https://github.com/dzhang314/EFTBase.jl/issues/1 perhaps we can take the discussion there?"))
    assert open_questions(made) == []
    asked = _conv(("David", "We should continue this conversation elsewhere. Old messages are deleted quickly here."),
                  ("David", "Should we open a repository for it, or take the discussion to Discourse?"))
    assert [q.messages for q in open_questions(asked)] == [(1,)]


def test_a_trailing_joke_aside_or_facepalm_is_not_where_it_ended() -> None:
    turns = [("Heetbeet", "How do I push over ssh but fetch over https?"),
             ("Dave", "`git remote set-url --push origin git@github.com:REPO/PATH`"),
             ("Dave", "That is the command line way to set the URL for pushing without changing the URL for fetching.")]
    assert _ended(_conv(*turns)) == (1, 2)  # the command its "That is …" speaks of, then that sentence
    joked = _conv(*turns, ("Dave", "(I always forget the ordering of the various components of that command and resort "
                                   "to `git help remote` more often than I care to admit :stuck_out_tongue_winking_eye:)"))
    assert _ended(joked) == (1, 2)
    banter = _conv(*turns, ("sa", "Hey look it's the author of the git book!"))
    assert _ended(banter) == (1, 2)
    facepalm = _conv(*turns, ("Dave", "oops, Slack shows the whole page in here :man-facepalming:"))
    assert _ended(facepalm) == (1, 2)
    # the same author going on in brackets is no aside
    went_on = _conv(*turns, ("Dave", "(the push URL stays as it is when you change the fetch URL later, which is why "
                                     "this works)"))
    assert _ended(went_on) == (3,)


def test_the_answer_to_the_askers_last_new_question_is_where_it_ended() -> None:
    conv = _conv(("Donald", "Both `ylims!` and `limits!` aren't changing my axis, what am I doing wrong?"),
                 ("Julius", "Weird, can you try `MakieLayout.ylims!`? Maybe we have a conflict there."),
                 ("Donald", "`MakieLayout.ylims!` works.  Thanks!"),
                 ("Julius", "also `ylims!` just worked for me, don't know what happened for you"),
                 ("Donald", "that's odd...one last question for the day...what's the option to change the white space "
                            "along the borders of the figure?"),
                 ("Julius", "ah since the figure switch there is not a super convenient option anymore for that, try "
                            "`fig.layout.alignmode = Outside(10)` for now"))
    assert _ended(conv) == (5,)


def test_the_askers_closing_thanks_stays_where_it_ended_after_the_answerers_add_on() -> None:
    turns = [("Conor", "How do I include a module that lives several folders up from my script?"),
             ("Mark", "You could mess with `LOAD_PATH`, but it would be best to add a Project.toml and declare the "
                      "dependencies between the modules."),
             ("Conor", "Thanks!!! I really appreciate it :) I ended up just pushing them all to my load path with absolute "
                       "path names, but I'll look into this for next time, this seems way cleaner")]
    assert _ended(_conv(*turns)) == (2,)
    added = _conv(*turns, ("Mark", "I also sometimes hack my `LOAD_PATH` but this is usually only temporary while I'm "
                                   "working on a specific project. The important thing is where Julia caches compiled code."))
    assert _ended(added) == (2,)


def test_a_note_that_its_author_will_be_slow_to_answer_is_not_where_it_ended() -> None:
    conv = _conv(("Heather", "I had a quick look through some of the open bugs in the Models category. This one looks like "
                             "it could be a good first-timer issue: https://bugs.r-project.org/show_bug.cgi?id=17863."),
                 ("Heather", "N.B. this chat might be a bit spread out as I do other things, but I will try to check back "
                             "tomorrow!"))
    assert _ended(conv) == (0,)


def test_a_report_or_a_confirmation_ending_tongue_in_cheek_is_still_where_it_ended() -> None:
    turns = [("vchuravy", "I might bottleneck Yggdrasil with the LLVM build tonight"),
             ("mose", "can you give me 5 minutes? I want to merge the other PR first")]
    report = _conv(*turns, ("staticfloat", "I noticed this because I've been working on the StorageServer and it ground to "
                                           "a halt for an hour or so.  :stuck_out_tongue:"))
    assert _ended(report) == (2,)
    confirmed = _conv(("Tim", "None of this would work using CairoMakie, right? You won't be able to slide."),
                      ("Julius", "just write `using GLMakie` and then `using CairoMakie # hide` in the docs examples"),
                      ("Tim", "That'll certainly work! We've done it before :stuck_out_tongue:"))
    assert _ended(confirmed) == (1, 2)
    quoted = _conv(("David", "Is there a way to parse those values as Julia Arrays with CSV.File?"),
                   ("David", "Thanks. I came up with a hack too. Passed the output of CSV.File to a DataFrame and used "
                             "`eval.(Meta.parse.(df.column))`"),
                   ("Moelf", "CSV is not commonly used for storing ragged array, you might want to just use Arrow"),
                   ("kristofferc", "> Passed the output of CSV.File to a DataFrame and used eval.(Meta.parse.(df.column))\n"
                                   "Make sure no one puts Julia code in there :wink:"))
    assert _ended(quoted) == (2,)


def test_a_reply_of_up_to_forty_words_is_shown_whole_as_a_key_point() -> None:
    conv = _conv(("Ana", "How do I install JLD2 in the REPL?"),
                 ("casey", "press `]` in your REPL to go into package mode. Add it via `add JLD2` now you can exit pkg mode "
                           "by pressing backspace 2x then type `using JLD2` to import it into your REPL/project"))
    shown = _point_shown(conv, 1, "Add it")
    assert shown.startswith("press `]` in your REPL to go into package mode.") and shown.endswith("REPL/project")


def test_the_answer_to_the_askers_new_question_stands_with_its_authors_own_words_after_it() -> None:
    conv = _conv(("miguel", "Is there a way to show the docs of a function on hover in the VSCode extension?"),
                 ("david", "the whole thing will get a bit smoother once https://github.com/julia-vscode/julia-vscode/pull/1928 "
                           "is merged."),
                 ("miguel", "Gotcha. Does the VSCode plugin mean coding in typescript or is it mostly Julia?"),
                 ("david", "Its both, lots of Typescript and lots of Julia."),
                 ("david", "But anything UI related is TypeScript, mostly."))
    assert _ended(conv)[0] == 3


def test_a_window_keeps_each_point_to_one_line_and_its_opening_without_the_ask() -> None:
    from bot.summaries.summarize import summarize

    messages = list(_conv(*_COHORTS).messages)
    thread = summarize(messages, provider=None, max_points=5).key_points[0].text
    week = summarize(messages, provider=None, max_points=5, window=True).key_points[0].text
    assert "we are looking for volunteers there" in thread and "we are looking for volunteers there" not in week


def test_a_point_is_shown_without_the_filler_around_it() -> None:
    conv = _conv(("Ana", "Is `joinpath` like `cd` in some way? I keep mixing them up."),
                 ("Alexander", "Not sure what you mean here. `joinpath(a, b, c)` behaves exactly the same as sequential "
                               "`cd a; cd b; cd c` (for directories). Both take a sequence of path parts."))
    shown = _point_shown(conv, 1, "`joinpath")
    assert shown.startswith("`joinpath(a, b, c)` behaves exactly the same") and "Both take a sequence" in shown
    assert "Not sure what you mean" not in shown

