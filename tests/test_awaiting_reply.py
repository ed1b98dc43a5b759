"""A thread no one else has replied to says so under "Where it ended" (issue 11, thirtieth round): readers took a
summary of an unanswered question, or of the asker's own follow-up, for a conversation that had an ending."""

from __future__ import annotations

import json

from bot.evals.rouge_sets import rendered_text
from bot.models import Message
from bot.summaries.extractive import awaiting_reply, summarize_offline
from bot.summaries.render import to_json, to_markdown, to_mrkdwn
from bot.summaries.summarize import summarize
from tests.fakellm import FakeLLM
from tests.test_e2e_core import _blocks_text, workspace  # noqa: F401  (the fixture)
from tests.test_summarize import claude

_ASKED = "Can one load a CxxWrap module with multiple processors? I tried `@everywhere using MyModule` and it hangs."
_CROSS_POST = ("Success, it has been cross posted to Discourse (https://discourse.julialang.org/t/55615). Keep an eye out "
               "on Discourse for responses.")


def _m(ts: str, user: str, text: str, *, bot: bool = False, thread_ts: str | None = "1.0") -> Message:
    return Message("C1", ts, f"U{user}", user, text, thread_ts=thread_ts, is_bot=bot)


def _link(ts: str) -> str:
    return f"https://x.slack.com/archives/C1/p{ts.replace('.', '')}"


def test_a_question_only_a_bot_answered_says_no_one_else_has_replied() -> None:
    messages = [_m("1.0", "Daniel", _ASKED), _m("2.0", "HelpDeskBot", _CROSS_POST, bot=True)]
    summary = summarize_offline(messages)
    assert summary.awaiting_reply and summary.outcome is None
    shown = to_markdown(summary, permalink_for=_link)
    assert "**Where it ended:** No one else has replied yet.\n" in shown
    assert "multiple processors?" in shown  # the question itself is still there
    assert "No one else has replied yet." in to_mrkdwn(summary, permalink_for=_link)
    structured = to_json(summary, permalink_for=_link)
    assert structured["awaiting_reply"] is True and structured["outcome"] is None


def test_the_askers_own_follow_up_comes_after_it() -> None:
    messages = [_m("1.0", "Arsh", "How can I extract all the function signatures present in a module?"),
                _m("2.0", "Arsh", "I am looking towards producing something like the `@autodocs` output in Documenter.jl."),
                _m("3.0", "Arsh", "Hmm, there is still something strange going on: `names(MyModule)` only gives me the "
                                  "exported names, not the signatures.")]
    summary = summarize_offline(messages)
    assert summary.awaiting_reply and summary.outcome is not None
    line = next(x for x in rendered_text(summary, messages).splitlines() if x.startswith("**Where it ended:**"))
    assert line.startswith("**Where it ended:** No one else has replied yet. Arsh: ")
    assert "something strange going on" in line


def test_an_asker_who_solved_it_or_thanked_someone_is_not_waiting() -> None:
    asked = _m("1.0", "Sloan", "Installing SpecialFunctions.jl gives me 0.10.3 when the latest is 1.2.1. Why?")
    for said in ("seems to be because Gadfly required an old version of Distributions.jl. Removing Gadfly did the trick",
                 "Ah! I can of course just do `Pkg.rm(\"Gadfly\")` first",
                 "Thanks @kmsquire! :slightly_smiling_face:"):
        messages = [asked, _m("2.0", "Sloan", said)]
        summary = summarize_offline(messages)
        assert not summary.awaiting_reply, said
        assert "No one else has replied yet." not in rendered_text(summary, messages)
    coded = [asked, _m("2.0", "Sloan", "This\n```using Pkg\nPkg.rm(\"Gadfly\"); Pkg.add(name=\"SpecialFunctions\", "
                                       "version=\"1.2.1\")```\nseems to work.")]
    assert not summarize_offline(coded).awaiting_reply  # "seems to work" after its code
    found = [_m("1.0", "jakni", "~Is there a setting to make Julia 1.6 not precompile everything at every add/rm operation?~\n"
                                "Found it: `JULIA_PKG_PRECOMPILE_AUTO=0`")]
    assert not summarize_offline(found).awaiting_reply  # the question answered in its own message
    assert summarize_offline([asked, _m("2.0", "Sloan", "Still stuck on this, any ideas?")]).awaiting_reply


def test_a_thread_a_bot_started_is_answered_by_the_first_person_in_it() -> None:
    # the bot's build-failure report, or a message bridged from Gitter, is the parent; people's messages are replies
    messages = [_m("2.0", "vtjnash", "Usual failure in Profile, the same flaky test as last week."),
                _m("3.0", "vtjnash", "I'll restart the job.")]
    summary = summarize_offline(messages)
    assert not awaiting_reply(messages) and not summary.awaiting_reply
    assert "No one else has replied yet." not in rendered_text(summary, messages)


def test_a_reply_from_anyone_else_or_a_channels_period_is_not_awaiting_one() -> None:
    answered = [_m("1.0", "Daniel", _ASKED), _m("2.0", "Kristoffer", "Use `@everywhere` after `addprocs`, not before.")]
    assert not awaiting_reply(answered) and not summarize_offline(answered).awaiting_reply
    assert "No one else has replied yet." not in rendered_text(summarize_offline(answered), answered)
    one_author_week = [_m(f"{k}.0", "Daniel", f"Release note {k}: the exporter now keeps thread order.", thread_ts=None)
                       for k in range(1, 4)]
    assert not awaiting_reply(one_author_week, window=True)
    assert not summarize_offline(one_author_week, window=True).awaiting_reply
    assert not awaiting_reply([])


def test_it_is_said_in_the_conversations_language() -> None:
    messages = [_m("1.0", "Jonas", "Wie kann ich ein CxxWrap-Modul auf mehreren Prozessen laden? Es bleibt einfach hängen, "
                                   "wenn ich es mit `@everywhere` versuche, und ich weiß nicht, warum das so ist.")]
    summary = summarize_offline(messages)
    assert summary.language == "de"
    assert "**Stand am Ende:** Noch hat niemand sonst geantwortet." in to_markdown(summary, permalink_for=_link)


def test_a_mention_in_a_thread_nobody_answered_says_so_in_slack(harness, workspace) -> None:  # noqa: F811
    parent = workspace.post("C0GEN", "U1", "Does anyone know why the nightly export job skips the archived channels?")
    workspace.post("C0GEN", None, "Reminder: the on-call rota is in the pinned message.", thread_ts=parent["ts"],
                   bot_id="B0HELP", subtype="bot_message")
    mention = workspace.post("C0GEN", "U2", f"<@{workspace.bot_user_id}> summarize", thread_ts=parent["ts"])
    event = {"type": "app_mention", "user": "U2", "text": f"<@{workspace.bot_user_id}> summarize", "ts": mention["ts"],
             "thread_ts": parent["ts"], "channel": "C0GEN"}
    status, _, _ = harness.event(event, event_id="EvAwaiting1")
    assert status == 200
    final = json.loads(_blocks_text(harness.wait_calls("chat.update")[-1]["blocks"]))
    texts = [block["text"]["text"] for block in final if block.get("type") == "section"]
    assert "*Where it ended:* No one else has replied yet." in texts
    assert any("archived channels" in text for text in texts)


def test_a_models_summary_of_an_unanswered_thread_says_so_too() -> None:
    messages = [_m("1.0", "Daniel", _ASKED), _m("2.0", "HelpDeskBot", _CROSS_POST, bot=True),
                _m("3.0", "Daniel", "I also tried `addprocs(4)` before `using`, same hang.")]
    completion = {"overview": "Daniel asks how to load a CxxWrap module on several processes.",
                  "outcome": {"text": "Daniel added that `addprocs` first hangs too.", "sources": ["m2"]},
                  "key_points": [{"text": "Loading the module with `@everywhere` hangs.", "sources": ["m1"]}],
                  "decisions": [], "action_items": [], "open_questions": []}
    with FakeLLM() as fake:
        fake.enqueue(json.dumps(completion))
        summary = summarize(messages, provider=claude(fake))
        fake.enqueue(json.dumps(completion))
        answered = summarize([*messages, _m("4.0", "Kristoffer", "Call `addprocs` and then `@everywhere using`.")],
                             provider=claude(fake))
    assert not summary.offline and summary.awaiting_reply
    assert to_markdown(summary, permalink_for=_link).startswith("**Where it ended:** No one else has replied yet. ")
    assert not answered.offline and not answered.awaiting_reply
