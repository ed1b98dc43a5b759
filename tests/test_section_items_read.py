"""Decisions and action items that readers graded wrong (issue 11, forty-fourth round: `bench/section_items.py`).

Two readers graded every decision, action item and open question the offline summary listed on 48 real threads: 1 of
9 decisions was right. The wrong ones were a newcomer's story ("I finally decided to learn Julia"), a choice told with
its reason, a decision not made ("I haven't decided yet", "If you approve … then I'll merge it") and a helper's
"looks good to me" under a request for help. Among action items: "I'll get an error" (a prediction), "I'll take that
back" (a retraction), a joke, a resolution to oneself, and questions without a question mark. The texts below are
written for these tests in the shape of those messages.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.models import Message
from bot.summaries.extractive import summarize_offline
from bot.summaries.structure import Conversation, action_items, decisions, is_commitment, is_request


def _m(ts: str, user: str, text: str) -> Message:
    return Message("C1", ts, f"U{user}", user, text, thread_ts="1.0")


def _conv(*turns: tuple[str, str]) -> Conversation:
    return Conversation([_m(f"{i + 1}.0", user, text) for i, (user, text) in enumerate(turns)])


# ------------------------------------------------------------------ decisions


def test_a_newcomers_story_is_no_decision_but_a_group_decision_is() -> None:
    intro = _conv(("nadia", "Hi all! I finally decided to learn Julia after fighting with JavaScript on an ODE solver."),
                  ("omar", "Welcome Nadia! The #helpdesk channel is a good place to start."),
                  ("nadia", "Thanks, I will have a look there."))
    assert decisions(intro) == []
    team = _conv(("bea", "Should 0.22.6 carry the new features or only the deprecations?"),
                 ("carl", "We discussed this and decided to only include the deprecations in 0.22.6."),
                 ("bea", "Great, thanks."))
    assert [item.messages for item in decisions(team)] == [(1,)]


def test_a_choice_told_with_its_reason_is_background_but_a_conclusion_is_a_decision() -> None:
    told = _conv(("ida", "Is there a vertical bar plot for text plots?"),
                 ("jon", "i decided against implementing them natively because the horizontal ones read better in text."))
    assert decisions(told) == []
    concluded = _conv(("ida", "How can I build a jump table in Julia for the generated code?"),
                      ("jon", "You could use a vector of functions, or a chain of ifs."),
                      ("ida", "I think I've decided the better way is just to call the functions in a row."))
    assert [item.messages for item in decisions(concluded)] == [(2,)]


@pytest.mark.parametrize("sentence", [
    "If you approve the pull request then I'll merge it.",
    "I might apply to GSoC, but I haven't decided yet.",
    "If the user ever decided to modify the returned data, every later request would be corrupted.",
])
def test_a_decision_not_made_is_none(sentence: str) -> None:
    conv = _conv(("kai", "Here is the rename of normalize to normalise, what do you think?"), ("lea", sentence))
    assert decisions(conv) == []


def test_looks_good_under_a_request_for_help_is_a_review_not_a_decision() -> None:
    helped = _conv(("mo", "This loop pattern seems weird to me, is there a better way to return early?"),
                   ("ned", "I think it looks good to me."),
                   ("mo", "Thanks!"))
    assert decisions(helped) == []
    proposed = _conv(("mo", "I propose we rename the package to Tables2 before the release, any objections?"),
                     ("ned", "Sounds good to me."))
    assert [item.messages[-1] for item in decisions(proposed)] == [1]


# ------------------------------------------------------------------ action items


@pytest.mark.parametrize("sentence", [
    "Yes, I can see a case where I will need AbstractString or I'll get an error.",
    "I'll take the last sentence back, it installs from the command line as well.",
    "The web is full of surprises, but I'll give it a 95% chance to just work :wink:",
    "I'm going to put in the time and effort to develop a strong foundation.",
    "I'll make sure to always add the comma then.",
])
def test_predictions_retractions_jokes_and_resolutions_are_no_promises(sentence: str) -> None:
    assert not is_commitment(sentence)


@pytest.mark.parametrize("sentence", [
    "I'll get the output of versioninfo() for you tonight.",
    "I'll take care of the release notes.",
    "I'll open an issue on CSV.jl with the example.",
])
def test_real_promises_stay_promises(sentence: str) -> None:
    assert is_commitment(sentence)


@pytest.mark.parametrize("sentence", [
    "Also what would you expect to get from `combine(df)`",
    "Can you verify that `JLD.save()` is something that should work here?",
])
def test_a_question_put_as_a_request_is_no_task(sentence: str) -> None:
    assert not is_request(sentence)
    conv = _conv(("pia", "combine on a grouped frame drops my keys."), ("quin", f"@pia {sentence}"))
    assert action_items(conv) == []


def test_the_summary_of_an_introduction_lists_no_decision_and_no_task() -> None:
    messages = [
        _m("1.0", "nadia", "Hi everyone! I'm a second year PhD student and I decided that the moment has come for me "
                           "to learn Julia :smile: I work on population models."),
        _m("2.0", "omar", "Welcome Nadia! Have a look at the Julia Academy courses, they are free."),
        _m("3.0", "nadia", "Thanks! I'm going to put in the time and effort to develop a strong foundation."),
        _m("4.0", "omar", "Sounds like a plan, good luck!"),
    ]
    summary = summarize_offline(messages)
    assert summary.decisions == []
    assert summary.action_items == []
    assert summary.key_points


@pytest.mark.parametrize("sentence", [
    "can you please share which revision you meant above?",
    "Could you at least tell us what the struct looks like in C?",
    "Can you give me a link to a docs page so I can see how you do it?",
    "could you start a new thread?",
    "Would you like me to credit you when I post the solution on Discourse?",
])
def test_requests_for_information_redirects_and_offers_are_no_tasks(sentence: str) -> None:
    conv = _conv(("rui", "My patch no longer applies after the merge."), ("sol", sentence), ("rui", "ok"))
    assert action_items(conv) == []


def test_a_choice_for_oneself_is_no_task() -> None:
    assert not is_commitment("Think I'm going to just write it in Rust.")
    assert not is_commitment("I'll just use the REPL then.")


def test_a_promise_of_examples_is_done_when_its_owner_posts_code() -> None:
    conv = _conv(("kim", "Plots in the notebook come out blank. I'll post examples of what's going on in a thread."),
                 ("kim", "```julia\nusing Plots\nplot(rand(10))\n```"),
                 ("lou", "Which backend is that?"))
    assert action_items(conv) == []


def test_a_request_to_file_an_issue_asks_whoever_reported_the_crash() -> None:
    conv = _conv(("ann", "Is this package known to crash `@code_native`? Julia segfaults for me."),
                 ("bob", "It could well generate bad LLVM there, a segfault is extreme though."),
                 ("cid", "Please file an issue."))
    assert [(item.owner, item.messages) for item in action_items(conv)] == [("ann", (2,))]


def test_a_request_is_done_when_the_one_who_asked_opens_the_issue() -> None:
    conv = _conv(("ann", "Am I missing something obvious or is this a subtyping bug?"),
                 ("bob", "That does look like a bug. Can you make an issue on the Julia github?"),
                 ("bob", "I've made an issue here: https://github.com/JuliaLang/julia/issues/39738"))
    assert action_items(conv) == []


@pytest.mark.parametrize("later", [
    "ah, found some in src https://github.com/JuliaWeb/Mux.jl/blob/master/src/examples/files.jl",
    "Okay; what finally fixed this was removing the package directory and adding it again.",
    "I realize now that views don't use sparse arithmetic either, so this seems to make sense",
])
def test_the_askers_own_find_closes_their_question(later: str) -> None:
    from bot.summaries.structure import open_questions

    conv = _conv(("eve", "Does anybody have examples of REST APIs built with Mux.jl that they can share?"), ("eve", later))
    assert open_questions(conv) == []
    unanswered = _conv(("eve", "Does anybody have examples of REST APIs built with Mux.jl that they can share?"),
                       ("eve", "The documentation is rather minimal."))
    assert [item.messages for item in open_questions(unanswered)] == [(0,)]


def test_every_choice_a_newcomer_tells_in_their_introduction_is_their_story() -> None:
    intro = _conv(("rosa", "Hello! I did a BSc in biology and then I decided to learn data analysis. Although I feel more "
                           "at home with R, I've decided to learn Julia more deeply."),
                  ("sam", "Welcome Rosa!"))
    assert decisions(intro) == []


def test_a_decision_tried_out_as_maybe_is_none() -> None:
    conv = _conv(("ann", "Should I preallocate the buffers or use push!?"),
                 ("bob", "Both are fine, push! amortizes well."),
                 ("ann", "That's alright, I decided maybe I should first make my code clear, then optimize."))
    assert decisions(conv) == []


def test_a_promised_test_case_is_done_when_its_owner_posts_it() -> None:
    conv = _conv(("ann", "The allocation test fails on 1.6."),
                 ("bob", "Can you share how you call it?"),
                 ("ann", "Wait a sec, I'll make a new testcase without uninitialized arrays"),
                 ("ann", "```julia\nx = zeros(3)\n@test f(x) == 0\n```"))
    assert action_items(conv) == []


def test_the_pack_shows_every_item_with_what_it_cites_and_tallies_the_grades(tmp_path: Path) -> None:
    import json

    from bench.section_items import count, item_lines

    items = {"decisions": [], "action_items": [{"text": "I'll open an issue.", "ts": ["2.0"], "owner": "@bob"}],
             "open_questions": [{"text": "Why does it segfault?", "ts": ["1.0", "9.9"], "owner": None}]}
    lines = item_lines(items, {"1.0": 1, "2.0": 2})
    assert "- (none)" in lines
    assert '- A1 (owner @bob): "I\'ll open an issue." (cites [2])' in lines
    assert '- Q1: "Why does it segfault?" (cites [1], 9.9)' in lines
    verdicts = tmp_path / "verdicts.jsonl"
    verdicts.write_text("\n".join(json.dumps(row) for row in [
        {"file": "00.md", "item": "A1", "grade": "right"},
        {"file": "00.md", "item": "Q1", "grade": "wrong", "fault": "answered"},
        {"file": "01.md", "item": "A1", "grade": "partly", "fault": "minor"}]), encoding="utf-8")
    tally = count(tmp_path, verdicts)
    assert "action items: right 1, partly 1, wrong 0" in tally
    assert "open questions: right 0, partly 0, wrong 1" in tally
    (tmp_path / "key.json").write_text(json.dumps({"00": "A", "01": "B"}), encoding="utf-8")
    verdicts.write_text("\n".join(json.dumps(row) for row in [
        {"file": "00.md", "better": "A", "A": ["right"], "B": ["wrong", "wrong"]},
        {"file": "01.md", "better": "same", "A": [], "B": ["partly"]}]), encoding="utf-8")
    assert count(tmp_path, verdicts).splitlines() == ["new preferred 1, old preferred 0, same 1",
                                                      "new items: right 1, partly 1, wrong 0",
                                                      "old items: right 0, partly 0, wrong 2"]
