"""The structure rules behind the offline summary's sections (issue 11): who asked, who answered, who was asked,
what was done, where the thread ended, and what is noise."""

from __future__ import annotations

import pytest

from bot.models import Message
from bot.summaries.extractive import summarize_offline
from bot.summaries.sentences import split_sentences
from bot.summaries.structure import (
    Conversation,
    _last_word,
    action_items,
    answer_sentence,
    answer_to,
    clip,
    content_sentences,
    decisions,
    is_commitment,
    is_logistics,
    is_noise,
    is_request,
    open_questions,
    outcome,
)


def _m(ts: str, user: str, text: str) -> Message:
    return Message("C1", ts, f"U{user}", user, text, thread_ts="1.0")


def _conv(*turns: tuple[str, str]) -> Conversation:
    return Conversation([_m(f"{i + 1}.0", user, text) for i, (user, text) in enumerate(turns)])


# ------------------------------------------------------------------ sentences and noise


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("We met at useR! 2021 in Toulouse. It was great.", ["We met at useR! 2021 in Toulouse.", "It was great."]),
        ("Try a package (e.g. data.table) for that. Or base R.", ["Try a package (e.g. data.table) for that.", "Or base R."]),
        ("Editors (Vim, Emacs etc.) are fine. Done.", ["Editors (Vim, Emacs etc.) are fine.", "Done."]),
        ("and just checked my GNU Screen .. and seems like I ran it in docker", ["and just checked my GNU Screen .. and "
                                                                                "seems like I ran it in docker"]),
        ("I tried... it failed. Wait.. What?", ["I tried... it failed.", "Wait..", "What?"]),
        ("`'anova.glm'による不正な引数%sを除去しました。` sounds fine to me!",
         ["`'anova.glm'による不正な引数%sを除去しました。` sounds fine to me!"]),  # a code span is never cut
        ("Videos on its goals/philosophy/etc. of Julia say so. Fine.", ["Videos on its goals/philosophy/etc. of Julia "
                                                                        "say so.", "Fine."]),
        ("Options include Vim, Emacs etc.) and more. Done.", ["Options include Vim, Emacs etc.) and more.", "Done."]),
        ("The patch was sent to the list and\nreviewed by two members of core.", [
            "The patch was sent to the list and reviewed by two members of core."]),
        ("The only other mocking library I found was\n<https://github.com/tk3369/Pretend.jl>, where you mark it.", [
            "The only other mocking library I found was <https://github.com/tk3369/Pretend.jl>, where you mark it."]),
        ("See the docs:\n<https://example.org/x>\nThen run it.", ["See the docs:", "<https://example.org/x>", "Then run it."]),
    ],
)
def test_sentences_are_never_cut_inside_brackets_after_abbreviations_or_names(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


@pytest.mark.parametrize(
    ("sentence", "noise"),
    [
        ("pacman -Syu svn", True),
        ("make -C src/include/ -f Makefile.win ../../SVN-REVISION", True),
        ("git clone https://github.com/r-devel/r-svn.git", True),
        ('install.packages("renv")', True),
        ("Error: require(p., lib = \"myLib\") is not TRUE", True),
        ("oh man, can't wait for the benchmarks to update", True),
        ("Also, I compiled and ran my first C file!!", True),
        ("(I'm really late, sorry....)", True),
        ("You are invited to the R Dev Day call on Friday", True),
        ("`sudo chown -R $USER /opt/R`", True),  # one inline code span, nothing else
        ("`&` is bitwise and, which binds tighter than `>=` on integers", False),  # two spans around words
        ("sudo chown -R $USER /opt/R", True),
        ('BiocManager::install("genefilter") install.packages(c("XML", "annotate"), type = "source")', True),
        ("-- Kindest Regards, Sean B. Palmer", True),  # a signature
        ("In-reply-to: Your message of Fri, 10 Mar 2000 09:16:48 +0000.", True),
        ("Run `make check` first, then tell me what fails.", False),
        ("rm the old folder and try again", False),
        ("Make sure to check the docs before you build.", False),
        ("@Ivan Krylov IT WORKED, the build passes now.", False),
        ("Docker is a good fit for reproducible builds of the app.", False),
        ("so `x=@___MODULE___` seems to be what I want?", False),  # prose around code with symbols in it
        ("Thanks for the quick help on this, I was a bit puzzled how to get this to work.", True),
        ("Source from this tweet: https://twitter.com/ClausWilke/status/1417623292752580612", True),
        ("Bump for visibility…", True),
        ("Bumping the R version in the Docker image fixed the build.", False),
        ("From the docs at https://example.org/docs it seems the default changed in 4.1.", False),
        ("Thanks for the help, I fixed it by setting the PATH variable in the system settings.", False),
    ],
)
def test_noise_sentences(sentence: str, noise: bool) -> None:
    assert is_noise(sentence) is noise


# ------------------------------------------------------------------ requests, promises, owners


@pytest.mark.parametrize(
    ("sentence", "asks", "commitment"),
    [
        ("Will definitely file the bug if this is confirmed as a bug", False, False),  # conditional
        ("I'm happy to help review it", False, False),  # an offer
        ("I'll be around next week", False, False),  # a sign-off
        ("Could you elaborate on that part?", False, False),  # a question for information
        ("Can someone check the Windows build?", False, False),  # nobody in particular was asked
        ("Please note the deadline is Friday.", False, False),  # a polite formula
        ("@Reiko Okamoto please confirm if you'd like to be the Japanese reviewer", True, False),  # "whether", not "if"
        ("I will try to come up with a MWE and report an issue if it still appears", False, True),
        ("thanks, that looks promising -- will give it a try next time", False, True),
        ("Will you push the static version?", True, False),
    ],
)
def test_requests_and_commitments(sentence: str, asks: bool, commitment: bool) -> None:
    assert (is_request(sentence), is_commitment(sentence)) == (asks, commitment)


def test_the_owner_is_the_person_asked_with_their_full_name_and_a_confirmation_closes_the_item() -> None:
    conv = _conv(
        ("Michael Chirico (he/him)", "I've added a new translation project for the recommended packages."),
        ("Michael Chirico (he/him)", "@Ayush Patel @Saranjeet Kaur please confirm if you'd like to be the Hindi reviewers"),
        ("Michael Chirico (he/him)", "@Debartha Paul please confirm if you'd like to be the Bengali reviewer"),
        ("Debartha Paul", "Sure...."),
    )
    assert [(item.messages, item.owner) for item in action_items(conv)] == [((1,), "Ayush Patel")]


def test_a_request_the_person_asked_cannot_do_stays_open() -> None:
    conv = _conv(
        ("Shrish Shete", "Here is the bot's code: https://github.com/r-devel/translations/tree/main/weblate/Slack"),
        ("Gergely Daróczi", "Can you please clean up the public repo from the published tokens?"),
        ("Shrish Shete", "Sir, I don't think I have the access to do so."),
    )
    assert [(item.messages, item.owner) for item in action_items(conv)] == [((1,), "Shrish Shete")]


# ------------------------------------------------------------------ open questions


def test_i_dont_know_does_not_answer_and_a_cc_names_who_must() -> None:
    conv = _conv(
        ("Jonathan", "How would I place a vanity URL on the app?"),
        ("Iñaki", "I can't help with the kube config, sorry"),
    )
    assert [item.messages for item in open_questions(conv)] == [(0,)]
    conv = _conv(
        ("Michael Chirico", "Presumably r-core hit the same merge conflicts in svn? CC @Michael Lawrence for confirming"),
        ("Gergely Daróczi", "No issues so far with the new merge driver on our side."),
    )
    assert [item.messages for item in open_questions(conv)] == [(0,)]


def test_a_bare_yes_answers_and_so_does_the_asker_finding_it() -> None:
    conv = _conv(("Ann", "Is this the right channel for sprint questions?"), ("Ben", "Yes"))
    assert open_questions(conv) == []
    conv = _conv(("Ann", "Why does the build fail on the docs step?"), ("Ann", "Never mind, found it: a stale cache."))
    assert open_questions(conv) == []


# ------------------------------------------------------------------ decisions and outcome


def test_agreements_are_decisions_status_updates_are_not() -> None:
    conv = _conv(
        ("Michael", "Ping me next time there's a conflict and we can do a quick call to go through it, WDYT?"),
        ("Gergely", "sure, let's do that -- thanks a lot for volunteering"),
        ("Gergely", "I updated the wiki page with the steps."),
    )
    assert [item.messages for item in decisions(conv)] == [(1,)]


def test_the_outcome_is_the_answer_the_asker_says_worked() -> None:
    conv = _conv(
        ("Debartha Paul", "make check fails in reg-packages.R, any idea why?"),
        ("Ivan Krylov", "You need a working svn in Rtools so that SVN-REVISION is generated during the build."),
        ("Debartha Paul", "Alright, done, and svn info returns the revision."),
        ("Ivan Krylov", "Now rebuild R and the version will be set from the SVN-REVISION file."),
        ("Debartha Paul", "@Ivan Krylov IT WORKED!!!! Thanks!!!"),
        ("Heather", "Great to hear!"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (3, 4)
    assert ended.text.startswith("Now rebuild R")


def test_an_agreement_gives_way_to_what_it_agrees_with_and_key_points_cover_the_thread() -> None:
    turns = [
        ("piever", "Was the text system reworked recently in AbstractPlotting? WGLMakie fails with the new version."),
        ("Julius", "Yes, text was changed so you can have text in screen space, which broke a few internal functions."),
        ("Julius", "Simon probably still has to fix WGLMakie to catch up with the GLMakie implementation again."),
        ("piever", "The new 3D axis looks great, especially the data aspect setting for variables with different scales."),
        ("piever", "I tried changing random things locally to get WGLMakie to work but got lost pretty quickly."),
        ("Julius", "The shader code for the text rendering lives in a separate file that WGLMakie does not load yet."),
        ("piever", "Btw, how far along is the pull request with the new axis and the layout changes?"),
        ("Julius", "Writing docs now, and I'll merge it as an experimental feature relatively soon."),
        ("piever", "good old testing in production! I agree, it's definitely useful to get user feedback"),
    ]
    messages = [_m(f"{i + 1}.0", user, text) for i, (user, text) in enumerate(turns)]
    summary = summarize_offline(messages)
    assert summary.outcome is not None and summary.outcome.source_ts[0] == "8.0"  # the plan it agrees with
    cited = sorted(float(ts) for p in summary.key_points for ts in p.source_ts)
    assert len(cited) >= 2 and cited[-1] > len(messages) / 2  # key points cover the thread, not only its opening


# ------------------------------------------------------------------ third round: generalising beyond the tune half


def test_sentences_are_not_cut_inside_inline_code_and_cjk_still_splits() -> None:
    assert split_sentences("e.g. `?Quotes` uses it. Next?") == ["e.g. `?Quotes` uses it.", "Next?"]
    assert split_sentences("你好吗?我很好。") == ["你好吗?", "我很好。"]


@pytest.mark.parametrize(
    ("sentence", "noise"),
    [
        ("(I may have misunderstood your question)", True),
        ("I see", True),
        ("(see the linked issue for the full log of the failure)", True),
        ("Yes, this appears to work on 1.6rc", False),
    ],
)
def test_asides_and_bare_acknowledgements_are_noise(sentence: str, noise: bool) -> None:
    assert is_noise(sentence) is noise


def test_a_meeting_invitation_is_noise_links_and_agenda_included() -> None:
    conv = _conv(("ann", "AMER office hour starting in 5 minutes\n• Zoom: https://zoom.us/j/1\n"
                         "• Etherpad: https://developer.r-project.org/etherpad/p/office-hour"))
    assert conv.noise(0)


def test_an_answer_opening_with_ah_or_yes_answers_the_question() -> None:
    # "Ah, …" is not thanks: it answers
    assert open_questions(_conv(("ann", "What do you mean by doesn't work in code?"),
                                ("ben", "Ah right, I mean from the REPL, not in the editor"))) == []
    # a "Yes, …" with content answers the question even beside a request in the same message
    assert open_questions(_conv(("ann", "Is this fixed on the 1.6 rc? Otherwise, please open an issue with Pkg"),
                                ("ben", "Yes, this appears to work on 1.6rc"))) == []
    # a promise only acknowledges the request: the question beside it stays open
    assert [i.messages for i in open_questions(_conv(
        ("ann", "@ben please update the notes. Do we tell support about the outage?"),
        ("ben", "ok, I'll update the notes tonight")))] == [(0,)]


def test_suggestions_put_as_questions_and_self_answered_ones_are_not_open() -> None:
    assert open_questions(_conv(("ann", "is there a way to unpack the last item of a vector?"),
                                ("ben", "Maybe `Iterators.peel` ?"))) == []
    assert open_questions(_conv(("ann", "How should I make sure the layout knows about the plot?"),
                                ("ann", "ok scratch that, the plot window overrides the size"),
                                ("ben", "nice"))) == []
    # a question nobody answered, with others around, is still open
    assert [i.messages for i in open_questions(_conv(
        ("ann", "Does anyone know where the list of line styles is documented?"),
        ("ben", "Thanks for the new release by the way")))] == [(0,)]


def test_a_question_to_someone_who_never_replies_is_answered_by_whoever_does() -> None:
    conv = _conv(("ann", "@carl do you know which branch the fix went into?"),
                 ("carl", "I think it was mentioned in the release notes"),
                 ("ann", "@carl does the patch need a NEWS entry too?"),
                 ("ben", "No, the NEWS entry is added at release time"))
    assert open_questions(conv) == []


@pytest.mark.parametrize(
    ("sentence", "commitment"),
    [
        ("I'll have to find time to read more of them.", False),
        ("Maybe I'll file it away to explore sometime.", False),
        ("But I don't know if I'll follow the recommendation.", False),
        ("Ooh very fun, I'll have a tinker when I can find some time", False),
        ("I'll open an issue on the tracker", True),
        ("I will follow your direction to become a value-adding community member", False),  # an aspiration
        ("Maybe it wasn't about the split apply combine context though, then I'll make an issue", True),
        ("Maybe I'll make an issue", False),
    ],
)
def test_hedged_intentions_are_not_commitments(sentence: str, commitment: bool) -> None:
    assert is_commitment(sentence) is commitment


@pytest.mark.parametrize(
    ("sentence", "asks"),
    [
        ("Please explain like I'm grandma.", False),
        ("@ann what would you expect to happen?", False),
        ("In the future, please don't double post in two channels", False),
        ("@ann could you make a PR for the docs pointing that out?", True),
        ("please let me know if you run into any issues", False),  # an offer of help
        ("For those staying at Warwick tomorrow, would you be interested in exploring Stratford?", False),  # an invitation
        ("@ann please let me know if the fix works on your machine", True),  # asks her to check
        ("Yes, but please read the posting guide (https://www.r-project.org/posting-guide.html) first.", False),
        ("@ann please read the draft and send comments", True),
    ],
)
def test_questions_for_information_and_rules_are_not_requests(sentence: str, asks: bool) -> None:
    assert is_request(sentence) is asks


def test_outcome_gives_way_from_praise_to_what_it_praises() -> None:
    conv = _conv(("ann", "I've finished the case study and submitted the final form to Google."),
                 ("ben", "updated the issue stats to 82% after fixing issue 30"),
                 ("ann", "Thanks both!"),
                 ("carl", "I read through and it looks very well written"))
    ended = outcome(conv)
    assert ended is not None and ended.messages[0] == 1 and 3 in ended.messages


def test_the_askers_thanks_for_the_help_confirms_the_answer() -> None:
    conv = _conv(("ann", "How do I count the digits of a BigInt?"),
                 ("ben", "uhm, `ndigits` works with `BigInt` and with `Int` too"),
                 ("carl", "special casing BigInt is very reasonable here as it has no binary layout"),
                 ("ann", "Thanks, `ndigits` is the thing I was looking for!"))
    ended = outcome(conv)
    assert ended is not None and ended.messages[-1] == 3 and ended.messages[0] in (1, 2)


def test_key_points_skip_lead_ins_and_contentless_chit_chat() -> None:
    messages = [_m("1.0", "ann", "The Windows build of R fails at make check with a package version error in reg-packages."),
                _m("2.0", "ben", "Running to read right now"),
                _m("3.0", "ann", "It's almost the same error, but with some differences:\n```Error 1```"),
                _m("4.0", "ben", "The SVN-REVISION file was empty, so R reported revision 0 and the version check failed."),
                _m("5.0", "ann", "Rebuilding SVN-REVISION with make fixed the version check, thanks Ben.")]
    texts = [p.text for p in summarize_offline(messages).all_points()]
    assert not any("Running to read" in t or t.endswith("differences:") for t in texts)
    assert any("SVN-REVISION" in t for t in texts)


def test_a_long_lead_in_to_pasted_output_is_neither_a_point_nor_the_headline() -> None:
    """#general 2023-W16's digest had been headed "A `.FAIL` file is generated and I am pasting the last few lines
    from that:" (the lines themselves are code, never shown)."""
    messages = [_m("1.0", "deb", "A `.FAIL` file is generated when I run make check and I am pasting the last few "
                                 "lines from that:\n```Error in library(pkgA): package 'pkgA' requires R >= 4.4.0```"),
                _m("2.0", "ivan", "Check the return value of Sys.getenv('SRCDIR')."),
                _m("3.0", "deb", "It returns the current directory as expected."),
                _m("4.0", "ivan", "Then look at the SVN-REVISION file, the make check failure comes from the revision.")]
    summary = summarize_offline(messages)
    assert not summary.overview.rstrip().endswith(":")
    assert not any("pasting the last few lines" in p.text for p in summary.all_points())
    assert any("SVN-REVISION" in p.text for p in summary.all_points())


# ------------------------------------------------------------------ fourth round (119 labelled threads)


@pytest.mark.parametrize(
    ("sentence", "noise"),
    [
        ("Happy to help 🙂 I hope you find a good solution!", True),
        ("Good luck! Feel free to ask if you have questions", True),
        ("Thank you @Ana Lopez for testing and @Ben Ode (admin, she/her) for explaining it.", True),
        ("Thanks @Jenny Bryan, setting the global eval option to FALSE seems like the cleanest solution.", False),
        ("Good luck with the release: the tarball is on the FTP server now and the notes are in NEWS.md.", False),
    ],
)
def test_closing_courtesies_are_noise_when_short(sentence: str, noise: bool) -> None:
    assert is_noise(sentence) is noise


def test_a_closing_courtesy_gives_way_to_where_the_thread_ended() -> None:
    conv = _conv(("ana", "How do I get started contributing to the compiler?"),
                 ("ben", "My best recommendation is to look at issues marked good first issue and pick one."),
                 ("cem", "well, welcome to the slack! Feel free to ask if you have questions"))
    item = outcome(conv)
    assert item is not None and item.messages[0] == 1


def test_an_emoji_at_the_end_is_no_lead_in_colon() -> None:
    conv = _conv(("ana", "Does list.files() still drop Chinese file names on Windows?"),
                 ("ben", "We tested file names with CJK characters on Windows and confirm that the issue is fixed, "
                         "thanks again!:heart:"),
                 ("cem", "Others did the work here, but I'm glad to hear the issue is fixed!"))
    item = outcome(conv)
    assert item is not None and item.messages[0] == 1


def test_a_go_ahead_is_no_task_and_an_announced_setting_is_a_decision() -> None:
    assert not is_request("Please do.") and not is_request("Sure, please go ahead!")
    assert is_request("Please send the slides to the list.")
    conv = _conv(("ana", "Can we keep PR branches tidy?"),
                 ("ben", "I also set it so that PR branches are deleted once the PR is merged."))
    assert [item.messages for item in decisions(conv)] == [(1,)]
    offer = _conv(("ana", "Shall I write the NEWS entry?"), ("ben", "Please do."))
    assert action_items(offer) == []


def test_a_question_copied_to_several_people_is_answered_by_any_of_them() -> None:
    conv = _conv(("ana", "The components got locked last night. cc @Ben Ode should we wait until the sprint, or fix "
                         "it now? cc @Cem Ulu"),
                 ("cem", "If possible it would be good to fix this before the sprint."),
                 ("ana", "sure, let me look into this"))
    assert open_questions(conv) == []
    unanswered = _conv(("ana", "Should we wait until the sprint, or fix it now? cc @Ben Ode @Cem Ulu"),
                       ("dan", "No idea, sorry."))
    assert [item.messages for item in open_questions(unanswered)] == [(0,)]


def test_a_suggestion_put_as_a_question_is_not_left_open() -> None:
    conv = _conv(("ana", "Registering v0.1.8 fails: the resolver cannot find the new version."),
                 ("ben", 'Does it find the correct version if you set `ENV["JULIA_PKG_SERVER"]=""`?'))
    assert open_questions(conv) == []


@pytest.mark.parametrize("sentence", ["Seems fine to me.", "Yeah I'd be fine with you adding that",
                                      "unless it causes regressions it should be fine to merge", "I added you as a maintainer"])
def test_approvals_and_granted_changes_are_decisions(sentence: str) -> None:
    assert [item.messages for item in decisions(_conv(("ana", "Can I add the Spanish team to the wiki page?"),
                                                      ("ben", sentence)))] == [(1,)]


def test_where_it_ended_shows_the_authors_own_words_not_what_they_quote() -> None:
    # an e-mail reply whose line breaks were lost: the quoted lines' markers are left inside the sentences
    conv = _conv(
        ("Eve Maler", "I plan to switch the spec DTD to the full HTML 4.0 table model. Any objections?"),
        ("Tim Bray", "I'd rather we stay with one DTD for everything, and the table model is fine by me."),
        ("Paul Grosso", "At 12:14 PM 5/15/98, Tim Bray wrote: >I'd rather we stay with one DTD for everything, "
                        ">and the table model is fine by me as long as nobody needs the old htable name. "
                        "Then we keep a single DTD, and I will switch the table model in the next revision."),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (2,)
    assert ended.text == "Then we keep a single DTD, and I will switch the table model in the next revision."


def test_e_mail_signatures_and_pasted_headers_never_become_points() -> None:
    conv = _conv(
        ("Daniel Austin", "Greetings, I'm at the WSA face-to-face, so I'll be unable to join the call tomorrow.\n"
                          "Regrets, D.\n-- \nDr. Daniel Austin, Sr. Technical Architect\n"
                          "If I get a little money, I buy books; if anything is left, I buy food."),
        ("Fred Cummins", "In-reply-to: Your message of Fri, 10 Mar 2000 09:16:48 +0000. "
                         "I will be unable to participate today as well. ____________ Fred Cummins / HP Labs"),
    )
    said = [sentence for sentences in conv.content for sentence in sentences]
    assert not any("books" in s or "In-reply-to" in s or "Technical Architect" in s for s in said)
    ended = outcome(conv)
    assert ended is not None and ended.text == "I will be unable to participate today as well."


@pytest.mark.parametrize(
    ("sentence", "quoted"),
    [
        ("> I'd rather keep one DTD.", True),
        ("&gt; I'd rather keep one DTD.", True),  # Slack escapes ">" in message text
        ("Tim wrote: >I'd rather keep >>one DTD for everything.", True),
        ("Latency went from 200 ms -> 50 ms after the fix.", False),
        ("Use a->b for the field access.", False),
        ("Only the value > 5 counts.", False),
    ],
)
def test_quoted_text_is_recognised_even_when_line_breaks_were_lost(sentence: str, quoted: bool) -> None:
    from bot.summaries.sentences import is_quotation

    assert is_quotation(sentence) is quoted


def test_a_forwarded_quote_is_what_the_message_shares_and_a_lone_message_ended_nowhere() -> None:
    forward = ("From the RSE Slack - a survey on testing scientific software:\n"
               "&gt; Three researchers are conducting a study titled \"Testing Research Software\".\n"
               "&gt; They wish to assess current practices and identify challenges in testing research software.")
    assert split_sentences(forward) == [
        "From the RSE Slack - a survey on testing scientific software:",
        "Three researchers are conducting a study titled \"Testing Research Software\".",
        "They wish to assess current practices and identify challenges in testing research software."]
    reply = "I disagree with this part:\n&gt; They wish to assess current practices.\nWe already know the practices well."
    assert split_sentences(reply) == ["I disagree with this part:", "We already know the practices well."]

    summary = summarize_offline([_m("1.0", "Heather Turner", forward)])
    assert summary.outcome is None  # one message: nothing "ended"
    assert summary.key_points and all(s in forward for p in summary.key_points for s in split_sentences(p.text))
    assert not any(p.text.endswith(":") for p in summary.key_points)  # the quote itself, not only its lead-in


def test_a_confirmation_that_points_back_shows_the_answer_it_confirms() -> None:
    conv = _conv(
        ("Aidan", "Building R from source on an M1 mac fails: configure says liblzma is required."),
        ("Mikael", "Run the build-r-macos.sh script from the mirror's README, it installs every dependency from Homebrew."),
        ("Aidan", "thanks! That worked, I've got everything running now. Appreciate the help."),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1, 2)
    assert ended.text.startswith("Run the build-r-macos.sh script")


def test_nothing_after_a_long_rule_line_is_said_and_a_regret_is_no_invitation() -> None:
    regrets = ("Greetings, I'm at the WSA face-to-face, so I'll be unable to join the call tomorrow. Regrets, D- "
               "************************************************* Dr. Daniel Austin Sr. Technical Architect "
               "Visit http://www.grainger.com \"If I get a little money, I buy books. If there is anything left over, "
               "I buy clothing and food.\" -Erasmus")
    said = content_sentences(_m("1.0", "Daniel Austin", regrets))
    assert said[0].startswith("Greetings, I'm at the WSA face-to-face")  # declining a call invites nobody
    assert said[-1] == "Regrets, D-" and not any("clothing" in s or "Architect" in s for s in said)
    assert is_noise("Join the call at 3pm, the link is in the channel topic")
    summary = summarize_offline([_m("1.0", "Daniel Austin", regrets), _m("2.0", "Mike Champion", "Likewise, I can't make it.")])
    assert not any("clothing" in p.text for p in summary.all_points())


def test_a_quote_of_someone_else_and_a_signed_name_are_not_the_authors_words() -> None:
    conv = _conv(
        ("Daniel Austin", "I'm at the WSA face-to-face, so I'll be unable to join the call tomorrow."),
        ("Mike Champion", "_____ I'm at the WSA face-to-face, so I'll be unable to join the call tomorrow.\n"
                          "Likewise.\nMike Champion"),
        ("Fred Cummins", "I will be unable to participate today either, sorry.\nFred >"),
    )
    assert conv.content[1] == []  # Daniel's words pasted back, a bare "Likewise." and a signature
    assert conv.content[2] == ["I will be unable to participate today either, sorry."]
    summary = summarize_offline(conv.messages)
    authors = {m.ts: m.user_name for m in conv.messages}
    assert all(authors[p.source_ts[0]] != "Mike Champion" for p in summary.all_points())


def test_a_question_answered_by_the_explanation_around_it_is_not_open() -> None:
    explanation = ("The union-find chapter is mostly clear. The goal is a set of functions that merge sets and find a "
                   "set's representative. Each set is represented by one of its elements. The next part is, how do "
                   "we actually do this? The book says to use a forest, where every set is a tree of nodes with "
                   "parent links. To merge two sets we make the root of one tree a child of the root of the other.")
    conv = _conv(("cy", "Did anyone get through the union-find chapter?"), ("ben", explanation))
    assert not any("how do we actually do this" in item.text for item in open_questions(conv))
    asked = _conv(("cy", "Did anyone get through the union-find chapter?"),
                  ("ben", "I read it twice. How do we actually implement the forest in C? I am stuck on the parents."))
    assert any("How do we actually implement" in item.text for item in open_questions(asked))  # not inside one


@pytest.mark.parametrize(
    ("sentence", "decision"),
    [
        ("I think they would see this as a bit out of scope for the R blog.", True),
        ("That is out of the scope of this release, so we leave it for later.", True),
        ("or rather, the intermediaries don't leak out of the scope and thus Racket can elide them", False),
        ("The temporary goes out of scope at the end of the loop body.", False),
        ("This doesn't fit in the project goals, so we leave it out.", True),
        ("which doesn't fit the `X/src/X.jl` naming scheme of packages", False),
    ],
)
def test_out_of_scope_is_a_decision_about_work_not_about_variables(sentence: str, decision: bool) -> None:
    assert bool(decisions(_conv(("ann", sentence)))) is decision


def test_a_short_sentence_that_goes_on_from_the_one_before_is_no_key_point(shared_data) -> None:
    """A tune thread of the JuliaLang capture (#general, a crash after an upgrade): "and 1.3.1 crashes." had been a
    key point, out of the sentence it finishes."""
    from bot.evals.sections import load_thread

    messages = load_thread(shared_data, "julialang", "C67910KEH", "1615848492.256900")
    texts = [p.text for p in summarize_offline(messages).key_points]
    assert texts and not any(t.split()[0] in ("and", "but", "or") and len(t.split()) < 12 for t in texts), texts


def test_a_probable_plan_is_no_action_item() -> None:
    conv = _conv(("ann", "The package_dependencies call runs out of memory on the small machine."),
                 ("ben", "Those numbers look far too large for one iteration of the dependency graph."),
                 ("ann", "I'll probably ask around at R-devel."),
                 ("ann", "I'll post the memory profile in this thread tomorrow morning."))
    texts = [item.text for item in action_items(conv)]
    assert not any("probably" in t for t in texts) and any("memory profile" in t for t in texts), texts


def test_an_argument_put_as_a_question_is_no_action_item() -> None:
    conv = _conv(("ahmed", "Is Python enough to get an entry machine learning job, or should I learn Julia too?"),
                 ("chris", "Thousands of graduates know Python every year, why would you ever pick someone else "
                           "for an entry Python ML job?"))
    assert action_items(conv) == []


# ------------------------------------------------------------------ twelfth round (a user's pass on 24 threads)


def test_a_question_shown_as_a_key_point_carries_its_answer_and_cites_both() -> None:
    """A question someone answered, shown alone, reads as open ("Have you edited `config.site`?" had been answered
    "No modifications…" in the next reply)."""
    messages = [_m("1.0", "ben", "Will the macOS build servers move to the new datacenter next month with the Linux "
                                 "build servers?"),
                _m("2.0", "ann", "No, the macOS runners stay in the old rack until March because of the hardware leases."),
                _m("3.0", "cy", "The new datacenter gives the Linux build servers faster disks for the build caches."),
                _m("4.0", "ben", "The build caches were the slow part of our nightly builds anyway, so the Linux "
                                 "builds should finish well before the morning stand-up from now on."),
                _m("5.0", "ann", "I updated the runbook with the new addresses of the Linux build servers this morning.")]
    # (ben's last word is a statement of its own, more than a reaction to cy's: where it ended, shown alone)
    points = summarize_offline(messages[:4]).key_points  # (in the five messages, the answer is a point of its own,
    asked = [p for p in points if p.text.startswith("Will the macOS build servers")]  # the one after the question)
    assert asked, [p.text for p in points]
    assert asked[0].text.endswith("— ann: No, the macOS runners stay in the old rack until March because of the "
                                  "hardware leases.")
    assert asked[0].source_ts == ["1.0", "2.0"]
    points = summarize_offline(messages).key_points
    at = next(n for n, p in enumerate(points) if p.text.startswith("Will the macOS build servers"))
    assert points[at].source_ts == ["1.0", "2.0"] or points[at + 1].source_ts == ["2.0"]
    # once the answer is cited by another point, the question is shown as it was asked
    messages[-1] = _m("5.0", "ben", "Thanks, so the macOS runners stay in the old rack until March.")
    assert all("—" not in p.text for p in summarize_offline(messages).key_points)


def test_a_reply_after_the_asker_spoke_again_answers_what_they_said_last() -> None:
    """"Anyone here that uses renv with Docker?" had been paired with Ralf's "This might indicate that `HOME` is not
    set", a reply to the error message the asker posted after being asked "What's your issue?"."""
    conv = _conv(("jon", "Anyone here that uses renv with Docker?"), ("ina", "What's your issue?"),
                 ("jon", "I get an error: failed to create directory at path '//.cache/R/renv'"),
                 ("ralf", "This might indicate that `HOME` is not set."))
    assert answer_to(conv, 0) is None
    assert answer_to(conv, 2) == 3
    assert answer_to(_conv(("jon", "Does renv work with Docker?"), ("ina", "Yes, we use it in production.")), 0) == 1


def test_where_it_ended_shows_the_last_word_that_confirms_or_reports_not_a_courtesy() -> None:
    """"Where it ended" had shown Heather's link to a docs issue, citing but not showing Chris's last word: "I
    couldn't figure out how to create a Bugzilla account, so it's fallen off of my TODO."."""
    answered = [("aidan", "Configure fails on my M1 Mac with a missing libintl, any idea what to try next?"),
                ("mikael", "Run the build-r-macos.sh script from the README, it installs the dependencies from Homebrew."),
                ("aidan", "thanks! That worked, I've got everything running now. Appreciate the help!")]
    ended = outcome(_conv(*answered))
    assert ended is not None and ended.messages == (1, 2)
    assert ended.reply == "That worked, I've got everything running now."
    summary = summarize_offline([_m(f"{i + 1}.0", u, t) for i, (u, t) in enumerate(answered)])
    assert summary.outcome is not None
    assert summary.outcome.text.endswith("— aidan: That worked, I've got everything running now.")
    assert summary.outcome.source_ts == ["2.0", "3.0"]

    gave_up = [("chris", "How do I propose adding a new mathematical constant to base R?"),
               ("heather", "File a wishlist issue on Bugzilla, and we have an open issue to document the process better."),
               ("chris", "Thank you @heather I couldn't figure out how to create a Bugzilla account, so it's fallen off "
                         "of my TODO. Thanks for your help anyway.")]
    ended = outcome(_conv(*gave_up))
    assert ended is not None and ended.messages == (1, 2)
    assert ended.reply == "I couldn't figure out how to create a Bugzilla account, so it's fallen off of my TODO."

    courtesy = [("ana", "Where do I report a typo in the R Dev Guide?"),
                ("ben", "Open an issue on the rdevguide repository on GitHub, the maintainers fix typos quickly."),
                ("ana", "Great, that makes it easy for newcomers like me!")]
    ended = outcome(_conv(*courtesy))
    assert ended is not None and ended.messages == (1, 2) and ended.reply is None
    assert _last_word(_conv(("a", "Do you mean the function definition?"), ("b", "Yes, I meant the function definition.")),
                      1) is None  # a clarification, not where it ended


def test_thanks_to_several_people_for_their_help_confirm_the_answer() -> None:
    """#helpdesk ended, by the old rule, on "Oh, whoops that was just bad parentheses placement on my part:" (its
    macro, pasted after it, is never shown), after the asker had thanked both helpers "for your help". (Taking a
    lead-in to pasted code out of the candidates was tried too: no tune thread changed and three check threads lost
    their outcome, where the pasted code was the answer.)"""
    conv = _conv(("sid", "Is there a macro I could use to convert column-major indexing into row-major indexing?"),
                 ("mason", "You can write one with MLStyle that reverses the indices of every indexing expression."),
                 ("chris", "`PermutedDimsArray` can give you row major arrays, or whatever order you want."),
                 ("sid", "Thanks a lot @chris and @mason for your help! :smile:"),
                 ("mason", "Oh, whoops that was just bad parentheses placement on my part:\n```julia\nmacro row_major(ex)\n"
                           "    esc(ex)\nend\n```"))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (2, 3)
    assert ended.text.startswith("`PermutedDimsArray` can give you row major arrays")


def test_where_it_ended_shows_what_the_message_says_outright_not_its_condition() -> None:
    conv = _conv(("joan", "Is there an R user group meeting planned in Barcelona this autumn for the translators?"),
                 ("lluis", "Not yet, but the Barcelona useR group meets in October and could host a translation session."),
                 ("lluis", "If you attend and do not want to present or give the workshop, do not worry. We can talk "
                           "about it and I can organize a user group meeting for it."))
    ended = outcome(conv)
    assert ended is not None and ended.messages[-1] == 2
    # a short message is shown whole, so the condition comes with what it leads to; alone, it would not be shown
    assert ended.text.endswith("We can talk about it and I can organize a user group meeting for it.")


def test_a_reply_that_quotes_a_later_question_answers_that_one_not_the_one_before() -> None:
    """"any chance you know of any examples that do something like this?" had been taken as answered by a reply
    quoting, and answering, the asker's next question."""
    conv = _conv(("andrew", "I want to solve an advection PDE with DiffEqOperators in 2D."),
                 ("chris", "DiffEqOperators handles that with upwind operators in each dimension."),
                 ("andrew", "okay cool, any chance you know of any examples that do something like this?"),
                 ("andrew", "also, if I want to discretize the time dimension too, would you recommend DEO directly?"),
                 ("chris", "> also, if I want to discretize the time dimension too, would you recommend DEO directly?\n"
                           "you can represent that by DEO, just do it on the time dimension."))
    assert conv.quotes(4) == 3 and conv.quotes(1) is None
    assert [item.messages for item in open_questions(conv)] == [(2,)]
    assert answer_to(conv, 3) == 4 and answer_to(conv, 2) is None


def test_the_answer_to_a_question_is_the_one_its_asker_accepted() -> None:
    """From a blind comparison of 24 threads: a question had been shown with a first answer that someone
    corrected ("I believe so, yes"), with one its asker turned down ("don't benchmark in global scope"), or with a
    courtesy ("that's a great question")."""
    corrected = _conv(("moelf", "is `mapreduce(DataFrame∘CSV.File, vcat, files)` the best practice to read many CSVs?"),
                      ("peter", "I believe so, yes"),
                      ("bogumil", "it will excessively allocate. The recommended pattern is `reduce(vcat, map(f, files))`."),
                      ("moelf", "thx!, looks better"))
    assert answer_to(corrected, 0) == 2
    turned_down = _conv(("ro", "why does a generator allocate memory when assigned to an existing array?"),
                        ("mose", "1) don't benchmark in global scope"),
                        ("ro", "I believe that's not the error: the same happens inside a function."),
                        ("mcabbott", "Generators get `collect`ed when used with broadcasting."))
    assert answer_to(turned_down, 0) is None
    echoed = _conv(("pj", "Is there a way to reshape a length 6 vector into a 3x3 symmetric matrix efficiently?"),
                   ("mason", "If it's statically sized, there's a StaticArray for this."),
                   ("steven", "No, because the Symmetric matrix type still stores all 9 elements of the matrix."),
                   ("pj", "Thanks, it is statically sized so that should work"))
    assert answer_to(echoed, 0) == 1
    courtesy = _conv(("darren", "how can I get the exitcode of an `OutputCollector` object?"),
                     ("mose", "that's a great question"),
                     ("mose", "apparently it's in the `.P.exitcode` field"))
    assert answer_to(courtesy, 0) == 2


def test_the_sentence_shown_as_an_answer_answers_it_and_does_not_qualify_another() -> None:
    """"But it won't return a `SubDataFrame`." and "May not be the most accurate though" had been shown as the
    answers, and a suggestion put as a question ("Maybe you could … do a Newton step?") was never one."""
    conv = _conv(("cedar", "Is there a more efficient way of filtering DataFrame objects?"),
                 ("peter", "Passing the columns first to filter is the fastest option. But it won't return a "
                           "`SubDataFrame`."),
                 ("mc", "Is there a smarter way than computing the ratio with big floats?"),
                 ("simeon", "Maybe you could first compute it in double precision and then do a Newton step? "
                            "May not be the most accurate though"))
    assert answer_sentence(conv, 1, conv.messages[0].text) == "Passing the columns first to filter is the fastest option."
    assert answer_sentence(conv, 3, conv.messages[2].text).startswith("Maybe you could first compute it")
    assert answer_sentence(_conv(("a", "Why?"), ("b", "thanks!")), 1, "Why?") is None
    hedged = _conv(("a", "How do I add a folder to the PATH from Julia?"), ("b", "There might be a more Julian way to do this."))
    assert answer_sentence(hedged, 1, hedged.messages[0].text) is None
    declined = _conv(("a", "Why does the notebook use 80% of a CPU when idle?"),
                     ("b", "Killing the notebook doesn't automatically kill the Julia process."),
                     ("a", "That doesn't explain the CPU use though, the process is the notebook's own."))
    assert answer_to(declined, 0) is None
    lost = _conv(("a", "Any idea why the piecewise constant input blows up memory?"),
                 ("b", "nope. I can't quite picture what you're doing anyways."),
                 ("c", "I don't understand why it would ever allocate there."),
                 ("d", "The simplest is I think:\n```julia\nmap(f, xs)\n```"))
    assert [answer_sentence(lost, j, lost.messages[0].text) for j in (1, 2, 3)] == [None, None, None]
    reacts = _conv(("a", "Is the slowdown on the DataFrames side or the terminal side?"), ("b", "that's weird."),
                   ("c", "Beat me to it, Chris."), ("d", "I would really like that feature for types too."))
    assert [answer_sentence(reacts, j, reacts.messages[0].text) for j in (1, 2, 3)] == [None, None, None]
    meta = _conv(("a", "How do I alias a macro under another name?"),
                 ("b", "oops, this won't work as well - see @mose above"), ("c", "Haven't used em much"),
                 ("d", "I saw your post on #internals, but I'll try to answer it here"))
    assert [answer_sentence(meta, j, meta.messages[0].text) for j in (1, 2, 3)] == [None, None, None]
    short = _conv(("a", "How do I loop over the pairs?"), ("b", "Something like\n```julia\nfor (i, j) in pairs(x) end\n```"),
                  ("c", "Definitely 4.1.3"))
    assert answer_sentence(short, 1, "How do I loop over the pairs?") is None
    assert answer_sentence(short, 2, "Which version?") == "Definitely 4.1.3"


def test_a_post_to_the_channel_asks_no_one_in_particular() -> None:
    """"@channel - We are conducting a poll … Please select an alternative" and "The getting started chapter is ready
    for review now. Please share your comments." (a top-level post hours after the last one) had been given to
    whoever posted before them."""
    flow = [Message("C1", "1000.0", "Uheather", "heather", "The meeting notes are on the wiki now."),
            Message("C1", "9000.0", "Usaranjeet", "saranjeet", "The getting started chapter is ready for review now. "
                                                               "Please share your comments."),
            Message("C1", "9100.0", "Umichael", "michael", "I read the chapter and left comments on the pull request."),
            Message("C1", "9200.0", "Usaranjeet", "saranjeet", "@channel - please select a new name for the guide in "
                                                               "the poll by Friday."),
            Message("C1", "9300.0", "Usaranjeet", "saranjeet", "Could you also add the contributing section, please?")]
    conv = Conversation(flow)
    assert conv.addressee(1) is None and conv.addressee(3) is None
    assert conv.addressee(4) == "michael"  # a post within the hour still answers the last speaker
    assert [item.owner for item in action_items(conv)] == ["michael"]


def test_a_line_that_is_only_a_date_or_time_joins_the_line_it_dates() -> None:
    """"Next meeting of the R Contribution Working Group" had been shown without its date and time, which were on
    the lines below it."""
    text = ("Next meeting of the R Contribution Working Group\n\nFriday, March 12, 2021\n3:00 PM – 4:00 PM UTC\n\n"
            "DM me if you want to be added to the invite list.")
    assert split_sentences(text) == ["Next meeting of the R Contribution Working Group: Friday, March 12, 2021, "
                                     "3:00 PM – 4:00 PM UTC", "DM me if you want to be added to the invite list."]
    assert split_sentences("We shipped it.\n\nFriday, March 12, 2021") == ["We shipped it.", "Friday, March 12, 2021"]
    assert split_sentences("The answer is\n42") == ["The answer is", "42"]  # a number is no date


def test_meeting_logistics_in_relative_time_are_never_a_point_or_a_decision_but_may_answer() -> None:
    """A week's digest had shown "Reminder: RCWG meeting in 1 hour!" as a point and "Okay, we have agreed to come
    back in an hour's time." as a decision."""
    messages = [_m("1.0", "heather", "Reminder: RCWG meeting in 1 hour!"),
                _m("2.0", "ella", "The agenda covers the translation dashboard and the GSoC project ideas for 2023."),
                _m("3.0", "heather", "Okay, we have agreed to come back in an hour's time."),
                _m("4.0", "ella", "We decided to ask Gergely to present the translation dashboard next month.")]
    summary = summarize_offline(messages)
    shown = [summary.overview, *(p.text for p in summary.all_points())]
    assert not any("in 1 hour" in t or "an hour's time" in t for t in shown), shown
    assert any("present the translation dashboard" in p.text for p in summary.decisions)
    answer = summarize_offline(messages, question="When is the RCWG meeting?")
    assert "1.0" in {ts for p in answer.key_points for ts in p.source_ts}


def test_a_request_in_a_message_that_opens_by_naming_someone_asks_them() -> None:
    """"@Gergely Daróczi, me and @Lluís are teaming up … but we don't know how to add further reviewers. Could you
    give us a hint?" had been given to the author of the thread's parent, the last one to speak before it."""
    conv = _conv(("heather", "I've updated the teams on the org, Everyone has write access now."),
                 ("robert", "@gergely, me and @lluis are teaming up for the Catalan translation, but we don't know how "
                            "to add further reviewers for the language. Could you give us a hint?"),
                 ("gergely", "Reviewers are added in the team settings of each language, under Access."),
                 ("lluis", "Thanks, I will read the team settings page."))
    assert conv.opens_to(1) == "gergely"
    assert not action_items(conv)  # gergely answered it
    unanswered = _conv(*[(m.user_name, m.text) for m in conv.messages[:2]],
                       ("lluis", "I am looking forward to working on the Catalan translation."))
    assert [item.owner for item in action_items(unanswered)] == ["gergely"]


def test_a_long_answer_is_cut_at_a_clause_not_in_the_middle_of_one() -> None:
    text = ("The cells in Pluto aren't in execution order, but in the .jl file generated by Pluto they are, so you "
            "can just copy from there and paste them into a Jupyter notebook")
    assert clip(text, 20) == "The cells in Pluto aren't in execution order, but in the .jl file generated by Pluto they are…"
    assert clip("one two three four five six seven eight", 4) == "one two three four…"
    assert clip("Definitely 4.1.3", 20) == "Definitely 4.1.3"


def test_a_key_point_does_not_repeat_the_last_word_shown_with_where_it_ended() -> None:
    """"Where it ended" had shown "— chrisrackauckas: Yes Tullio works too", and the same message again as a key
    point."""
    messages = [_m("1.0", "ann", "Is there a package that writes einsum style tensor contractions for arrays in Julia?"),
                _m("2.0", "ben", "Tullio.jl does einsum style contractions with loops, on the CPU and on the GPU."),
                _m("3.0", "ann", "Yes Tullio works too")]
    summary = summarize_offline(messages)
    assert summary.outcome is not None and summary.outcome.source_ts == ["2.0", "3.0"]
    assert summary.outcome.text.endswith("— ann: Yes Tullio works too")
    assert not any("Tullio works too" in p.text for p in summary.key_points), summary.key_points


# ------------------------------------------------------------------ thirteenth round (a reader's pass on fresh threads)


def test_the_option_the_asker_tried_and_liked_is_where_the_thread_ended() -> None:
    conv = _conv(
        ("Matt", "Hi all, is there any new service that offers some approximation of what JuliaBox did?"),
        ("Seb", "https://juliahub.com"),
        ("Matt", "Ah, I see. I guess I was looking for something free - I'm trying to run a demo for my lab."),
        ("David", "If you don't need a lot of compute power, you can use https://mybinder.org/"),
        ("David", "You can just point it to a github repo that has an empty `Project.toml` in it."),
        ("David", "I think medium term https://github.com/features/codespaces is going to be an awesome solution."),
        ("Matt", "Awesome, thanks very much for these options, I will look into them"),
        ("Matt", "Just tested binder - perfect for my purposes! Thanks!!"),
        ("Max", "JuliaHub is built atop the old JuliaBox infrastructure, you still get $25 free in your first month."),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (3, 7) and "mybinder" in ended.text
    assert ended.reply == "Just tested binder - perfect for my purposes!"
    assert action_items(conv) == []  # "I will look into them": he did, and said so
    assert answer_to(conv, 0) is None  # the link he turned down ("I was looking for something free") is no answer


def test_a_thread_that_went_on_with_a_new_unanswered_question_did_not_end_at_the_thanks() -> None:
    conv = _conv(
        ("Sam", "How do I do forward references of struct types? I get an UndefVarError."),
        ("Moe", "circular references need something special, see the parametric solution on stackoverflow"),
        ("Max", "there's an open issue too, it has been open since 2011 and nobody fixed it"),
        ("Sam", "Okay, I see. Thanks for the quick help on this, I was a bit puzzled how to get this to work."),
        ("Sam", "I came up with this solution as an alternative to the suggested abstract types. Does it make sense, "
                "or are there any downsides?"),
        ("Sam", "It seems self-referential structs are allowed."),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages[0] == 4 and ended.text.startswith("I came up with this solution")
    assert [q.text for q in open_questions(conv)] == ["Does it make sense, or are there any downsides?"]
    courtesy = _conv(("Ann", "You can set `LC_ALL` first, then build."), ("Ann", "Does that make sense to you?"))
    assert open_questions(courtesy) == []  # a courtesy check asks nothing


@pytest.mark.parametrize(("turns", "words"), [
    pytest.param((
            ("Lu", "I'm having problems using `tools::package_dependencies`, the R session crashes on the slow computer."),
            ("Mic", "on the slow computer maybe it just needs a while longer to run?"),
            ("Lu", "I don't think the problem is with the speed. The R session is closed automatically on the slow computer."),
            ("Mic", "it might be better to preallocate the output matrix, it would fail up-front if there's not enough memory"),
            ("Lu", "I ran it on the other machine and still it closed the R session and the terminal I ran it on. "
                   "I'll probably ask around at R-devel."),
    ), "other machine", id="a cue under doubt resolves nothing: the last report ends it"),
    pytest.param((
            ("Jake", "Why do I get a no method matching error when I push a vector into A?"),
            ("Mick", "Notice my [] at the end, it makes all the difference, and it works here"),
            ("Jake", "Sorry for the silly question. Trying to troubleshoot some code, but it works in my toy example"),
            ("Mick", "Well do check the error message, do the types in the no method matching line make sense?"),
            ("Jake", "I was defining `A` as a vector of vectors, and then accidentally redefining it elsewhere as something "
                     "else. No wonder it wasn't the right type anymore. Thank you!"),
    ), "redefining it elsewhere", id="the asker saying what the problem was ends it, thanks and all"),
])
def test_the_last_report_is_where_the_thread_ended(turns: tuple[tuple[str, str], ...], words: str) -> None:
    ended = outcome(_conv(*turns))
    assert ended is not None and ended.messages == (len(turns) - 1,) and words in ended.text


def test_an_answer_that_introduces_a_list_of_links_shows_them() -> None:
    messages = [_m("1.0", "Sara", "Here are the links to the materials from Session 01 of the campfires, Feb 22:\n"
                                  "1. Session Notes: <https://example.org/etherpad/campfire_february>\n"
                                  "2. Roll Call: <https://example.org/spreadsheets/roll-call>"),
                _m("2.0", "Ann", "Thanks Sara, that was great fun and I learned a lot."),
                _m("3.0", "Bo", "I will bring cake along next time.")]
    answered = summarize_offline(messages, question="Where are the materials from Session 01?")
    assert answered.answer is not None and answered.answer.startswith("Sara: Here are the links")
    assert "https://example.org/etherpad/campfire_february" in answered.answer
    assert "https://example.org/spreadsheets/roll-call" in answered.answer


def test_a_reply_that_is_lost_or_says_what_it_is_not_gives_way_to_what_its_message_says() -> None:
    from bot.summaries.structure import hedges

    assert hedges("I'm not sure if I'm following you, but here goes.")
    assert hedges("It's not a reason, but it is something I've noticed and I'm not sure I like it!")
    assert hedges("Beat me to it, Chris.")
    assert not hedges("I'm not sure the parser is thread safe when two tasks share it.")  # a doubt about the matter
    assert hedges("depends on how large that code of yours is")
    assert hedges("Hopefully someone else has ideas for how to do this or can suggest an alternative workflow")
    assert not hedges("I'm not sure I understand the problem completely, but can't you just parse Project.toml and "
                      "run `@eval using $s`?")  # it goes on to suggest
    assert not hedges("I have no idea how to get a julia kernel into other jupyter installations")  # a problem


def test_walking_over_and_where_to_meet_are_logistics_not_points() -> None:
    assert is_logistics("Leaving bluebell in a few, feel free to start walking wherever I can catch up")
    assert is_logistics("I'm at benugo, let me know if there is a better place to meet")
    assert not is_logistics("Leaving the project was a hard decision for me.")


def test_a_remark_that_goes_on_with_its_authors_last_message_acknowledges_nobody() -> None:
    conv = _conv(
        ("Ari", "How well does Makie work on a MacBook Pro? I'm trying the first plot from the documentation."),
        ("Ari", "As for docker, the most useful image would probably be nvidia/cudagl with Julia 1.6 installed on it."),
        ("Jul", "I personally mostly use CairoMakie, because I need static plots much more often than interactive ones"),
        ("Jul", "and that works really well"),
        ("Ari", "I didn't find anything on how to make the webgl version work with a Jupyter notebook. Any pointers?"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages[0] == 2  # his own CairoMakie, not Ari's docker image
    assert [q.text for q in open_questions(conv)] == [
        "I didn't find anything on how to make the webgl version work with a Jupyter notebook. Any pointers?"]


def test_the_fix_the_asker_said_worked_is_a_key_point_when_the_thread_went_on() -> None:
    messages = [
        _m("1.0", "Lam", "I wonder if R 4.3.0 is compatible with MacOS Ventura, I get devQuartz errors when I build it."),
        _m("2.0", "Hea", "It is important that your OS is fully updated: can you update to Ventura 13.3.1?"),
        _m("3.0", "Lam", "I also got the same devQuartz errors after updating to 13.3.1, so that was not it."),
        _m("4.0", "Mik", "IIRC, I resolved it by lowering my macOS deployment target, setting "
                         "`-mmacosx-version-min=12.0` in `CFLAGS`"),
        _m("5.0", "Lam", "`-mmacosx-version-min=12.0` worked. It compiled successfully. However, it didn't entirely "
                         "work, because when I opened `bin/R` I got R 4.2.3 instead of R 4.3.0."),
        _m("6.0", "Mik", "I strongly suspect that you downloaded a 4.2 tarball rather than a 4.3 one by accident."),
        _m("7.0", "Lam", "If R-patched is 4.2.3, I wonder where 4.3.0 is."),
        _m("8.0", "Hea", "@Lam the alpha and beta releases would be on the base-prerelease page, in the weeks before "
                         "a release."),
    ]
    summary = summarize_offline(messages)
    assert summary.outcome is not None and summary.outcome.source_ts == ["8.0"]  # a partial success is not the end
    fixed = [p for p in summary.key_points if p.source_ts == ["4.0", "5.0"]]
    assert len(fixed) == 1 and fixed[0].text.endswith("— Lam: `-mmacosx-version-min=12.0` worked.")


def test_an_answer_its_author_took_back_gives_way_to_what_they_said_next() -> None:
    messages = [
        _m("1.0", "She", "when i install ragg it shows cannot find -lpng15, but i found the libpng15.so in my system."),
        _m("2.0", "Llu", "Hi, maybe this question is better suited to the r-package-devel mailing list."),
        _m("3.0", "She", "thanks, I'm going to try it"),
        _m("4.0", "Llu", "On second thought if this is about using a package it is not suited to the mailing list for "
                         "developing packages (and more for r-help or similar sites)."),
    ]
    answered = summarize_offline(messages, question="Which mailing list should this question go to?")
    assert answered.answer is not None and "r-help" in answered.answer
    assert "better suited to the r-package-devel" not in answered.answer


def test_the_askers_thanks_closes_the_thread_on_the_answer_just_before_it() -> None:
    conv = _conv(
        ("Dil", "Is there a JuliaPro docker image for the 1.6 release candidate yet?"),
        ("Bmh", "We are waiting for the official Julia v1.6 RC2 docker image, we use it as the base image for JuliaPro."),
        ("Dil", "Just an update: the official images pull request has been merged"),
        ("Bmh", "JuliaPro v1.6.0-rc2 docker image is now available on dockerhub `docker pull juliapro:v1.6.0-rc2`"),
        ("Dil", "Awesome, thank you!"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (3, 4)


def test_a_reply_that_asks_back_is_not_shown_as_the_answer() -> None:
    conv = _conv(("Pab", "Is it possible to promote general AbstractMatrices to a common type?"),
                 ("Gab", "What were you expecting to happen, maybe promote isnt the best way."))
    assert answer_sentence(conv, 1, "Is it possible to promote general AbstractMatrices to a common type?") is None


@pytest.mark.parametrize(("sentence", "resolves"), [
    ("BTW, I worked in Turin for a few months before moving to my current position", False),  # a job, not a fix
    ("I worked on the patch yesterday", False),
    ("that worked, thanks", True),
    ("it worked for me after the update", True),
    ("we worked around it by pinning FileIO", True),
    ("I don't think the problem is with the speed", False),  # a cue under doubt
    ("So the problem is not with updating to 13.3.1", False),
    ("But I'll need to do the same svn history to see the actual differences, and haven't done so yet", False),
    ("It is not fixed in the 4.2 branch", False),
])
def test_what_counts_as_a_resolution(sentence: str, resolves: bool) -> None:
    from bot.summaries.structure import _lower, _resolves

    assert _resolves(_lower(sentence)) is resolves


def test_a_handed_over_link_is_where_it_ended_and_a_remark_gives_way() -> None:
    conv = _conv(
        ("Gab", "Does anyone know what changed in R's graphics engine for 4.2? Simon mentioned it by e-mail."),
        ("Gab", "But I'll need to do the same svn history to see the actual differences, and haven't done so yet"),
        ("Llu", "The change is this one https://github.com/wch/r-source/commit/86b4a0641e889808ce204e28dd8bd19bbd1c8cbb"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (2,)
    remark = _conv(
        ("Con", "Why does model.frame evaluate the subset argument in the formula's environment?"),
        ("Bil", "One can do what you want by changing the environment of the formula to a child environment."),
        ("Hea", "Interesting that S did not have R-like environments @Bil!"),
    )
    ended = outcome(remark)
    assert ended is not None and ended.messages[0] == 1


def test_promises_kept_in_the_thread_and_purposes_are_no_open_action_items() -> None:
    conv = _conv(
        ("Ann", "The package fails to precompile on 1.6 with a method error in the constructor."),
        ("Bo", "Can you post a minimal example? I can't reproduce it here."),
        ("Ann", "I'll try to make a MWE"),
        ("Ann", "```struct A; x; end\nA(1, 2)```"),
        ("Bo", "Thanks, could you open an issue on the repo with that?"),
        ("Ann", "I'll do that soon"),
        ("Ann", "OK done!"),
        ("Cy", "This way I'll have a way to keep track of them"),
    )
    assert action_items(conv) == []


def _at(ts: str, user: str, text: str, thread: str) -> Message:
    return Message("C1", ts, f"U{user}", user, text, thread_ts=thread)


_ANOTHER_THREAD = [  # a second thread of the same week
    _at("5000.0", "Joe", "The next docs sprint is on Friday, with a session on writing vignettes for beginners.", "5000.0"),
    _at("5001.0", "Ann", "I will bring the vignette checklist we drafted last month to the docs sprint.", "5000.0"),
    _at("5002.0", "Joe", "Great, the checklist will help the beginners at the sprint a lot.", "5000.0"),
]


def test_a_problem_shown_as_a_key_point_carries_what_fixed_it() -> None:
    """A week's digest of #gsod showed "Have merged PR#70 - however, the render book action is failing on GitHub"; it
    had been fixed ten minutes later. In a week's view the problem carries its fix; in a thread the fix is already
    where it ended, so it is not said twice."""
    week = [
        _at("1.0", "Sar", "Thanks Heather! Have merged PR#70 - however, the render book action is failing on GitHub", "1.0"),
        _at("2.0", "Hea", "Once this works, it's a good idea to merge the other PRs to reduce conflicts.", "1.0"),
        _at("3.0", "Hea", "Turned out to be an easy fix, just needed to add `bookdown::` to the render call.", "1.0"),
        _at("4.0", "Sar", "We can now download the dev guide in PDF format too, which many people asked for.", "1.0"),
        *_ANOTHER_THREAD,
    ]
    points = summarize_offline(week).key_points
    failing = [p for p in points if "render book action is failing" in p.text]
    assert failing and failing[0].text.endswith("— Hea: Turned out to be an easy fix, just needed to add `bookdown::` "
                                                "to the render call.")
    assert failing[0].source_ts == ["1.0", "3.0"]
    thread = summarize_offline(week[:4])
    assert thread.outcome is not None and thread.outcome.source_ts == ["3.0"]
    assert not any("—" in p.text for p in thread.key_points)


def test_a_thread_ends_on_a_promise_a_bare_pull_request_or_a_yes() -> None:
    promise = _conv(
        ("Phil", "Could the title of my Discourse question be edited? It still says 'not working' although it works."),
        ("Logan", "agreed, it's a trust level thing on discourse, we have it set to members right now for all titles"),
        ("Phil", "Ah, OK. Tricky! I guess what matters is whether Google will index the question with its answer."),
        ("Logan", "I will manually edit the title"),
        ("Phil", "Cool, thanks!"),
    )
    ended = outcome(promise)
    assert ended is not None and ended.messages == (3,) and ended.text == "I will manually edit the title"
    pull = _conv(
        ("Bri", "Can the filled contour plot get a colorbar with categorical steps instead of a continuous one?"),
        ("Jul", "The problem with the filled contour is that I made the colorbar continuous with equal steps."),
        ("Bri", "OK, I opened an issue for it then"),
        ("Mic", "diverging log-scales are a bit of a mathematical chimera given that negative logs don't exist."),
        ("Jul", "https://github.com/JuliaPlots/AbstractPlotting.jl/pull/617"),
    )
    ended = outcome(pull)  # the link with what led to it, by its author
    assert ended is not None and ended.messages == (1, 4)
    assert ended.reply == "https://github.com/JuliaPlots/AbstractPlotting.jl/pull/617"
    settled = _conv(
        ("Yuri", "Why does the parser drop the empty line in my array literal with semicolons?"),
        ("Nic", "That's a parser bug, I have a PR open that fixes the handling of empty lines there."),
        ("Yuri", "Thanks @Nic! If your PR is merged, will this issue be fixed for all arrays?"),
        ("Nic", "Yep!"),
        ("Yuri", "woot"),
        ("Yuri", "thanks again!!"),
    )
    ended = outcome(settled)
    assert ended is not None and ended.messages == (2, 3) and ended.reply == "Yep!"
    assert ended.text == "If your PR is merged, will this issue be fixed for all arrays?"


def test_a_pull_request_link_the_thread_went_on_discussing_is_not_where_it_ended() -> None:
    conv = _conv(
        ("Ann", "Saving a PNG with FileIO 1.6 fails since the load/save rewrite, is that known?"),
        ("Tim", "Yes, I opened an issue for it: the save path changed in the rewrite"),
        ("Sim", "https://github.com/JuliaIO/FileIO.jl/issues/310"),
        ("Rya", "The fix breaks FileIO below 1.6, so we need compat bounds in ImageIO and two releases, one for each "
                "FileIO version range, before anyone can upgrade safely."),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages[0] == 3


def test_a_reply_that_is_only_code_answers_with_its_first_line() -> None:
    conv = _conv(("Yon", "Is there a function that maps over two arrays at once?"),
                 ("Moe", "```julia> map(+, [1,1,2], [3,3,7])\n3-element Vector{Int64}:\n 4\n 4\n 9```"))
    assert answer_sentence(conv, 1, "Is there a function that maps over two arrays at once?") == "`map(+, [1,1,2], [3,3,7])`"
    inline = _conv(("Roy", "How can I drop the last item of a vector?"), ("Mar", "`vT[1:end - 1]` ?"))
    assert answer_sentence(inline, 1, "How can I drop the last item of a vector?") == "`vT[1:end - 1]` ?"


def test_a_sentence_that_introduces_code_not_shown_and_taking_it_as_a_win_are_no_points() -> None:
    from bot.summaries.extractive import _lead_in

    assert _lead_in("The very first example should be something like")
    assert _lead_in("I hate so many examples because they don't start with something simple like")
    assert not _lead_in("Feel free to use it if you like")
    assert not is_commitment("I'll take it as a partial win.")
    assert is_commitment("I'll take the Windows builds this week")


def test_in_a_week_a_long_threads_opening_question_carries_where_the_thread_ended() -> None:
    """#general 2023-W16 showed "Does anyone here have any idea why is this happening?" alone; its 25-reply thread had
    ended with the fix and "IT WORKED!!!!"."""
    week = [
        _at("1.0", "Deb", "Building R-devel on Windows fails at make check. Does anyone have any idea why this happens?", "1.0"),
        _at("2.0", "Ivan", "What does the SVN-REVISION file in your build folder say about the revision number?", "1.0"),
        _at("3.0", "Deb", "It says revision 0, which looks wrong to me since I checked out the latest sources.", "1.0"),
        _at("4.0", "Ivan", "Then the version check fails: the file is generated from svn info when you build R.", "1.0"),
        _at("5.0", "Deb", "I don't have svn installed, I cloned the git mirror of the sources instead.", "1.0"),
        _at("6.0", "Ivan", "Install svn and run make -C src/include -f Makefile.win ../../SVN-REVISION to rebuild it.", "1.0"),
        _at("7.0", "Deb", "IT WORKED!!!! The check passes now with the rebuilt revision file.", "1.0"),
        *_ANOTHER_THREAD,
    ]
    points = summarize_offline(week).key_points
    asked = [p for p in points if p.source_ts[0] == "1.0"]
    assert asked and "— Ivan: Install svn" in asked[0].text, [p.text for p in points]
    assert "6.0" in asked[0].source_ts


@pytest.mark.parametrize(("turns", "opening"), [
    pytest.param((
        ("Jos", "How do I print a number to 3 significant figures?"),
        ("Ox", "round(x; sigdigits=3) is one way, but it is not the same as formatting it"),
        ("Ox", "`sprintf(\"My val to 3 significant figures %.3g\", x)` and because of magic, that seems to always work. "
               "Though i feel like it shouldn't be guaranteed to"),
    ), "`sprintf(", id="code in backticks is words"),
    pytest.param((
        ("Cas", "Why does read(s, Foo) fail for my struct with a vector field?"),
        ("Osc", "did you want a `Vector` with length 5 instead of a 5 dimensional array?"),
        ("Cas", "I was reading the wrong file, and all I needed to do was wrap it in an Array constructor like: "
                "Foo(...Int32[read(io, Int32), read(io, Int32), read(io, Int32)]...)"),
    ), "I was reading the wrong file", id="code written outside backticks is not where it ended"),
])
def test_code_in_backticks_is_words_for_where_it_ended_code_outside_them_is_not(
        turns: tuple[tuple[str, str], ...], opening: str) -> None:
    ended = outcome(_conv(*turns))
    assert ended is not None and ended.text.startswith(opening)


def test_a_sentence_pasted_from_someone_elses_earlier_message_is_their_quote_not_new_content() -> None:
    """``Conversation.content`` leaves out a sentence found word for word in an earlier message of someone else
    (one search over all earlier messages at once), keeps the author's own repeat and never matches across two
    messages."""
    from bot.models import Message
    from bot.summaries.structure import Conversation

    def m(i: int, user: str, text: str) -> Message:
        return Message("C1", f"{1_700_000_000 + i}.000000", f"U{user}", user, text)

    conv = Conversation([
        m(0, "ann", "The nightly build fails on the Windows runner again."),
        m(1, "bob", "We should pin the compiler version for the nightly build."),
        m(2, "cat", "The nightly build fails on the Windows runner again. I can look at it tomorrow."),
        m(3, "bob", "We should pin the compiler version for the nightly build. That is my view."),
        m(4, "dan", "Windows runner again. We should pin the compiler version today."),
    ])
    assert "The nightly build fails on the Windows runner again." not in conv.content[2]  # ann's words, pasted
    assert "We should pin the compiler version for the nightly build." in conv.content[3]  # bob's own repeat
    assert "Windows runner again." in conv.content[4]  # too short to be a quote
    assert conv.content[4][-1] == "We should pin the compiler version today."  # not across messages


# ------------------------------------------------------------------ fifteenth round: 30 fresh tune threads


def test_a_closing_courtesy_after_the_askers_thanks_is_not_where_the_thread_ended() -> None:
    conv = _conv(
        ("Arif", "Can you point out any specific issue which a newbie like me could start with?"),
        ("Oscar", "https://github.com/JuliaLang/julia/issues/35927 might be a good first issue to start (there is a "
                  "good-first-issue label)."),
        ("Arif", "Thanks @Oscar"),
        ("Oscar", "Let me know if you have any questions about the PR. I'm glad to help!"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages[0] == 1 and 3 not in ended.messages
    summary = summarize_offline(conv.messages)
    assert not any("Let me know" in p.text for p in summary.key_points)  # a courtesy is no key point either


def test_a_success_said_again_in_a_side_discussion_keeps_the_first_answer() -> None:
    conv = _conv(
        ("Alexander", "How to display a string with linebreaks in it? print(str) doesn't work in Pluto."),
        ("Moelf", "try `with_terminal` from `PlutoUI`"),
        ("Simeon", "You can also just use `Text(str)` to display `str`"),
        ("Alexander", "Thank you, `Text` works just fine!"),
        ("Jeff", "for posterity, `Text` is part of `Plots.jl`"),
        ("Simeon", "No, it's part of Base"),
        ("Simeon", "Hmm, that's odd. Could perhaps be another package that's also exporting `Text`"),
        ("Alexander", "It's definitely not related to `Plots.jl`: I never use that package, but `Text()` works."),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (2, 3)


def test_a_bare_link_ending_a_run_of_explanation_gives_way_to_the_explanation() -> None:
    conv = _conv(
        ("Brian", "just out of curiosity, how is efficiency defined in this context? time per solve?"),
        ("Chris", "work-precision"),
        ("Chris", "how much time to get which error"),
        ("Chris", "which roughly translates to function calls when it's all the same language"),
        ("Chris", "https://benchmarks.sciml.ai/html/NonStiffODE/FitzhughNagumo_wpd.html"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (3, 4)
    conv = _conv(
        ("nesteiner", "anyone know how to fix this problem, what's wrong with GR, `create_sysimage` fails"),
        ("Antoine", "I got the same thing just by updating my packages"),
        ("Antoine", "https://discourse.julialang.org/t/loaderror-initerror-evaluation-into-the-closed-module-gr/53637/3"),
    )
    ended = outcome(conv)  # the link is shown with what led to it
    assert ended is not None and ended.messages == (1, 2) and ended.reply is not None and "discourse" in ended.reply


def test_a_request_done_by_someone_saying_ive_done_it_is_no_action_item() -> None:
    conv = _conv(
        ("Heather", "Looks like folks couldn't make it today, so I have closed the meeting."),
        ("Francis", "Sorry I couldn't make it. Is it possible to kindly schedule a different date, please?"),
        ("Heather", "Yes, I've scheduled 3 more dates - run `/events list` to see the upcoming events!"),
    )
    assert action_items(conv) == []


def test_a_channel_started_so_people_can_talk_is_a_decision_a_guess_at_who_decided_is_not() -> None:
    conv = _conv(
        ("Chris", "I would like to propose a new numerical constant for R."),
        ("Heather", "Hi @Chris, I have started a new channel #wishlist-discuss so we can continue the discussion there!"),
        ("Fredrik", "But it remains the default, so someone has decided that it's better to be safe by default."),
    )
    assert [item.messages for item in decisions(conv)] == [(1,)]


def test_a_promise_followed_by_its_owners_issue_link_is_done() -> None:
    conv = _conv(
        ("Mateusz", "Weird thing in WGLMakie: meshes get stuck when I rotate the scene"),
        ("simon", "Yeah an issue would be good"),
        ("Mateusz", "ok, I'll open it in WGLMakie"),
        ("simon", "Makie + wglmakie label!"),
        ("Mateusz", "Reported: https://github.com/JuliaPlots/Makie.jl/issues/892"),
    )
    assert action_items(conv) == []


@pytest.mark.parametrize(
    ("last", "shown"),
    [
        # (a short "Yup Revise state error. Restart fixes" is shown whole after the question it says yes to:
        # tests/test_endings_shown.py)
        ("I've tried Pardiso on the cluster with the MKL the admins installed. But the library is crashing when using "
         "the pardiso dll that I got from the vendor site, and I can't find why, though at least one other person "
         "reported the same problem on the forum last month.",
         "I've tried Pardiso on the cluster with the MKL the admins installed. But the library is crashing when using "
         "the pardiso dll that I got from the vendor site, and I can't find why, though at least one other person "
         "reported the same problem on the forum last month."),  # "But …" with what it goes on from
        ("Here's one which is both stable API and very fast:\n```function as_bitvector(n::Int)\n    v = falses(8)\nend```",
         "Here's one which is both stable API and very fast: `function as_bitvector(n::Int); v = falses(8); end`"),
        # a lead-in and its code, on one line when short
    ],
)
def test_where_it_ended_is_shown_with_what_it_needs_of_its_message(last: str, shown: str) -> None:
    conv = _conv(("Daniel", "Plots suddenly fails with a method error after I updated the package, any idea why?"),
                 ("Michael", last))
    ended = outcome(conv)
    assert ended is not None and ended.messages == (1,) and ended.text == shown


def test_where_it_ended_in_full_leaves_out_what_has_its_own_section_or_cannot_be_read() -> None:
    conv = _conv(("Daniel", "Plots suddenly fails with a method error after I updated the package, any idea why?"),
                 ("Michael", "That is a known regression in the new release. The fix is already merged on master. "
                             "Can you pin the old version for now? https://github.com/JuliaPlots/Plots.jl/issues/1 "
                             "You could try inserting\n```julia\nPkg.pin(\"Plots\")\n```\nIt should be out by Friday."))
    ended = outcome(conv)  # the run around the sentence chosen, up to what may not be shown with it (after the
    # question it leans on)
    assert ended is not None and ended.messages == (0, 1)
    assert ended.reply == "That is a known regression in the new release. The fix is already merged on master."


def test_a_julia_name_with_a_bang_ends_no_sentence() -> None:
    assert split_sentences("looks like this copyrec! is supposed to be used between 2 arrays. Thanks! see you") == [
        "looks like this copyrec! is supposed to be used between 2 arrays.", "Thanks!", "see you"]


def test_a_key_point_from_a_short_message_shows_the_whole_message() -> None:
    turns = [("Ann", "After updating to Julia 1.6, the Makie plots in my notebook come out blank whenever I resize the "
                     "window, any idea?"),
             ("Bob", "That is the GLMakie window resize bug. The fix is already merged on master."),
             ("Cid", "Same here on Windows with the latest GLMakie release, blank plots after resizing."),
             ("Ann", "Good to know, I will wait for the next release then and use CairoMakie meanwhile, thanks!")]
    summary = summarize_offline([_m(f"{i + 1}.0", user, text) for i, (user, text) in enumerate(turns)])
    bob = [p.text.split(" — Bob: ")[-1] for p in summary.key_points if "2.0" in p.source_ts]  # (after the question, as
    # a short answer joins it)
    assert bob == ["That is the GLMakie window resize bug. The fix is already merged on master."]


def test_an_answer_under_doubt_is_not_where_the_thread_ended() -> None:
    conv = _conv(
        ("Zhiyu", "My threaded loop only scales 3x on 10 threads, is that expected?"),
        ("jakni", "There is still some overhead regarding the management of which task takes what."),
        ("Zhiyu", "Now I use 10 threads, and the scaling is 6-7x, which sounds fair to me."),
        ("Zhiyu", "I can use a node with 28 cores exclusively, how can I max out the performance?"),
        ("Moelf", "you can try nthreads=28 and see if it actually uses all 28 cores, I actually don't know the answer, "
                  "hopefully the answer is yes"),
        ("Zhiyu", "Somehow in my case, with 14 threads the scaling is 8x, with 28 threads the scaling is roughly 11x."),
        ("Moelf", "your loop content is too cheap, should be better in real-world use"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (6,)
