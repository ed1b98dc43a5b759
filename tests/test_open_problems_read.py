"""Open problems and false tasks that readers found (issue 11, forty-fifth round: `bench/section_items.py`).

Three readers graded the sections the offline summary listed on 36 real threads and named what it missed. Most
misses were the thread's own problem, still open at the end, taken as answered: a reply that only called it a bug
("Sounds like a bug, could you open an issue?"), one that said it was beside the question, one from someone with the
same problem, or an opening that asked "I was wondering if …" without a question mark. Listed in their place were a
helper's question back to the opener and a suggestion put as a question. Among action items: the asker's "I'll give
it a try", a request for details already given, channel etiquette, "I'll add that to my bag of tricks", and a plan
given as a reason. The texts below are written for these tests in the shape of those messages.
"""

from __future__ import annotations

import pytest

from bot.models import Message
from bot.summaries.structure import Conversation, action_items, is_commitment, is_request, open_questions


def _m(ts: str, user: str, text: str) -> Message:
    return Message("C1", ts, f"U{user}", user, text, thread_ts="1.0")


def _conv(*turns: tuple[str, str]) -> Conversation:
    return Conversation([_m(f"{i + 1}.0", user, text) for i, (user, text) in enumerate(turns)])


def _open(conv: Conversation) -> list[int]:
    return [item.messages[0] for item in open_questions(conv)]


# ------------------------------------------------------------------ the problem stays open


@pytest.mark.parametrize("reply", [
    "Sounds like a bug, could you open an issue? Plotting empty collections should just work.",
    "Not what you are asking, but I presume you have seen the Breakout example in the GameZero repository.",
    "Did you figure out a way of doing so without running it first? I filed an issue when I ran into this.",
])
def test_a_reply_that_settles_nothing_leaves_the_question_open(reply: str) -> None:
    conv = _conv(("sid", "When the last brick is removed, poly! throws `No meshes to merge`. Is there a better "
                         "workaround than plotting a dummy brick out of reach?"),
                 ("jules", reply))
    assert _open(conv)[:1] == [0]  # (a "did you figure out …?" from someone with the same problem is open too)


def test_an_answer_still_answers() -> None:
    conv = _conv(("sid", "When the last brick is removed, poly! throws `No meshes to merge`. Is there a better "
                         "workaround than plotting a dummy brick out of reach?"),
                 ("jules", "Plot an Observable of the rectangles and give it an empty `Rect2f[]` to start with."))
    assert _open(conv) == []


def test_an_opening_that_wonders_asks_until_answered() -> None:
    unanswered = _conv(("sid", "I am making a breakout game with Makie. The last brick throws an error when removed. "
                               "I was wondering if there is a better workaround than this hack."),
                       ("jules", "Sounds like a bug, could you open an issue?"))
    assert _open(unanswered) == [0]
    answered = _conv(("sid", "I am making a breakout game with Makie. The last brick throws an error when removed. "
                             "I was wondering if there is a better workaround than this hack."),
                     ("jules", "Start from an empty `Rect2f[]` vector, then poly! accepts it."))
    assert _open(answered) == []
    later = _conv(("sid", "Here is my breakout game."),
                  ("jules", "Nice! I was wondering if the ball speeds up over time."),
                  ("sid", "It does, a little every bounce."))
    assert _open(later) == []  # only the opening's "I wonder" is its question


def test_a_helpers_question_back_is_not_the_open_problem() -> None:
    conv = _conv(("miguel", "Depending on where I interpolate, the $$..$$ block is printed or not. Is this expected?"),
                 ("sukera", "`$` is the interpolation character, so it interpolated things in a weird way, I think"),
                 ("sukera", "What do you want to do with those `$$`?"))
    assert _open(conv) == []
    asked_by_opener = _conv(("miguel", "How do I print display math from a Markdown string?"),
                            ("sukera", "Use `Markdown.parse` on the whole string."),
                            ("miguel", "Do you mean parsing it after the interpolation?"))
    assert _open(asked_by_opener) == [2]


def test_a_suggestion_put_as_a_question_to_someone_is_not_open() -> None:
    conv = _conv(("usm", "Unitful can't parse my units string, it fails on `kW*h`."),
                 ("bri", "@usm maybe `uparse` can help?"))
    assert _open(conv) == []


@pytest.mark.parametrize("found", [
    "oh it is explained here: https://github.com/julia-vscode/julia-vscode/issues/1533",
    "Faster way: `any(view(S, 1:n, s:e), dims=2)` with `n = size(S, 1)`",
])
def test_the_askers_own_pointer_or_better_way_answers(found: str) -> None:
    conv = _conv(("ramiro", "Is there a shorthand for restarting the julia session in vscode, or a faster way to do it?"),
                 ("ramiro", found))
    assert _open(conv) == []
    still = _conv(("ramiro", "Is there a shorthand for restarting the julia session in vscode, or a faster way to do it?"),
                  ("ramiro", "I looked in the command palette and found nothing so far."))
    assert _open(still) == [0]


# ------------------------------------------------------------------ no task


@pytest.mark.parametrize("sentence", [
    "OK, will test that out.",
    "^^ That may work, I'll give it a try",
    "Thanks, I'll add that to my bag of tricks.",
    "(I have a separate grid from the figure since I'm going to have other things in the figure too)",
])
def test_no_promise_anyone_waits_for(sentence: str) -> None:
    assert not is_commitment(sentence)


@pytest.mark.parametrize("sentence", [
    "OK, I'll test that out on the cluster tomorrow and post the timings.",
    "I'll check it with the release team and open the PR today.",
    "Since nobody objected, I'm going to merge it tonight.",
])
def test_a_real_promise_still_is_one(sentence: str) -> None:
    assert is_commitment(sentence)


@pytest.mark.parametrize("sentence", ["This is a weird scenario to be in. Could you give more details?",
                                      "please ask question in #helpdesk"])
def test_a_request_for_details_or_a_channel_rule_is_no_task(sentence: str) -> None:
    assert not is_request(sentence)


def test_a_request_for_a_task_still_is_one() -> None:
    assert is_request("Could you give the release notes a final read before Friday?")
    conv = _conv(("sam", "I'd like to import the package of a freshly cloned repository programmatically."),
                 ("peter", "This is a weird scenario to be in. Could you give more details?"),
                 ("sam", "Sure. `Builder` runs a build pipeline for each project."),
                 ("jon", "Can't you parse Project.toml and run `@eval using $s`?"),
                 ("sam", "^^ That may work, I'll give it a try"))
    assert action_items(conv) == []


def test_a_question_back_under_a_remark_still_asks() -> None:
    conv = _conv(("emir", "Pass them as arguments, especially if you're going to be calling it multiple times."),
                 ("rodrigo", "Do you mean that it is better to pass many parameters to the function than to declare "
                             "them as const?"))
    assert _open(conv) == [1]


def test_a_helpers_questions_back_are_skipped_whole() -> None:
    conv = _conv(("lukas", "How would I write an efficient CFD stencil over a 3D tensor in Julia?"),
                 ("sverek", "What is your goal? To simulate using a given method? Or model problems on a fixed grid?"))
    assert 1 not in _open(conv)


def test_yes_its_a_bug_answers_whether_it_should_happen() -> None:
    conv = _conv(("david", "I can't execute code inline while the Language Server is indexing. As far as I understand, "
                           "this should not be the case?"),
                 ("sebastian", "yes, that's a bug"))
    assert _open(conv) == []


def test_a_plan_told_with_as_is_still_a_promise() -> None:
    assert is_commitment("Just commenting here as I'm going to look into making sure my proposal works today")


@pytest.mark.parametrize("found", [
    "Managed it by pre-allocating two arrays `cx` and `cy` and then simply doing `@. mold = f(cx-x, cy-y, s)`.",
    "Ah, its a keyword arg `reverse(b, dims=1)`",
    "Ah I think https://github.com/JuliaLang/julia/pull/22440 is what I was thinking of",
])
def test_the_asker_solving_it_alone_answers(found: str) -> None:
    conv = _conv(("aviks", "Say I have a matrix and a kernel. How can I reverse it by rows on the GPU?"), ("aviks", found))
    assert _open(conv) == []


@pytest.mark.parametrize("still", [
    "Ah, I get `MethodError: no method matching reverse(::Matrix{Int64}, ::Int64)` now",
    "Ah I think https://github.com/JuliaLang/julia/pull/22440 is not what I was thinking of",
])
def test_the_askers_new_error_or_wrong_find_answers_nothing(still: str) -> None:
    conv = _conv(("aviks", "Say I have a matrix and a kernel. How can I reverse it by rows on the GPU?"), ("aviks", still))
    assert _open(conv) == [0]


def test_a_bare_try_of_a_named_package_is_no_task() -> None:
    assert not is_commitment("I forgot about SetField.jl, I will try to use that.")
