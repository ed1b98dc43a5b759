"""Where a thread no one answered went on (issue 11, thirty-eighth round): readers of an unanswered question asked,
three times in 70 threads, for the place its answer would be, a bot's cross-post to a forum or a ticket it opened.
"Where it ended" now shows that bot reply after "No one else has replied yet", citing it, for any provider, in Slack,
in Markdown and in ``--format json``; a bot's reply never counts as a person's, and answered threads are unchanged."""

from __future__ import annotations

import json

from bot.evals.rouge_sets import rendered_text
from bot.models import Message
from bot.summaries.pipeline import people_only
from bot.summaries.ranking import handoff, human_messages
from bot.summaries.render import to_json, to_mrkdwn
from bot.summaries.summarize import summarize
from tests.fakellm import FakeLLM
from tests.test_e2e_core import mention_in_thread, workspace  # noqa: F401  (the fixture)
from tests.test_summarize import claude

_ASKED = "When I weave to html, I see the document in Atom, but the document doesn't save to a file. Any setting for this?"
_OFFER = ("Can we cross post this publicly to Discourse (https://discourse.julialang.org) for further visibility? React with "
          ":bridge: on the message above to approve.")
_DONE = ("Success, it has been cross posted to Discourse (https://discourse.julialang.org/t/57016). Keep and eye out on "
         "Discourse for responses and please add an answer there once you are satisfied with the solution.")


def _m(ts: str, user: str, text: str, *, bot: bool = False, thread_ts: str | None = "1.0") -> Message:
    return Message("C1", ts, None if bot else f"U{user}", user, text, thread_ts=thread_ts, is_bot=bot)


def _link(ts: str) -> str:
    return f"https://x.slack.com/archives/C1/p{ts.replace('.', '')}"


def test_the_bots_cross_post_is_where_an_unanswered_question_went_on() -> None:
    messages = [_m("1.0", "Donald", _ASKED), _m("2.0", "HelpDeskBot", _OFFER, bot=True),
                _m("3.0", "HelpDeskBot", _DONE, bot=True)]
    assert handoff(messages) is messages[2]
    assert people_only(messages) == [messages[0], messages[2]] and human_messages(messages) == [messages[0]]
    summary = summarize(people_only(messages), provider=None, max_points=5)
    assert summary.awaiting_reply and summary.handed_off is not None
    assert summary.handed_off.source_ts == ["3.0"]
    assert summary.handed_off.text == "Success, it has been cross posted to Discourse (https://discourse.julialang.org/t/57016)."
    line = next(x for x in rendered_text(summary, messages).splitlines() if x.startswith("**Where it ended:**"))
    assert line.startswith("**Where it ended:** No one else has replied yet. HelpDeskBot: Success, it has been cross posted")
    assert "https://discourse.julialang.org/t/57016" in to_mrkdwn(summary, permalink_for=_link)
    structured = to_json(summary, permalink_for=_link)
    assert structured["handed_off"]["ts"] == ["3.0"] and structured["handed_off"]["citations"]


def test_an_offer_to_cross_post_a_channels_messages_and_an_answered_thread_show_nothing_more() -> None:
    offered = [_m("1.0", "Donald", _ASKED), _m("2.0", "HelpDeskBot", _OFFER, bot=True)]
    assert handoff(offered) is None and people_only(offered) == offered[:1]  # (it asks; the cross-post's link is not in it)
    channel = [_m("1.0", "Donald", _ASKED, thread_ts=None), _m("2.0", "HelpDeskBot", _DONE, bot=True, thread_ts=None)]
    assert handoff(channel) is None
    answered = [_m("1.0", "Donald", _ASKED), _m("2.0", "HelpDeskBot", _DONE, bot=True),
                _m("3.0", "Sebastian", "Weave writes next to the source by default; pass `out_path=:pwd` to choose the folder.")]
    summary = summarize(people_only(answered), provider=None, max_points=5)
    assert not summary.awaiting_reply and summary.handed_off is None
    assert "cross posted" not in rendered_text(summary, answered)
    ticket = [_m("1.0", "Ana", "The nightly export failed again, can someone look?"),
              _m("2.0", "Jira", "Created ticket OPS-1234: https://example.atlassian.net/browse/OPS-1234", bot=True)]
    summary = summarize(people_only(ticket), provider=None, max_points=5)
    assert summary.handed_off is not None and "OPS-1234" in summary.handed_off.text


def test_a_models_summary_of_an_unanswered_question_shows_where_it_went_on() -> None:
    messages = people_only([_m("1.0", "Donald", _ASKED), _m("2.0", "HelpDeskBot", _DONE, bot=True)])
    completion = {"overview": "Donald asks why Weave's HTML output is not saved to a file.", "outcome": None,
                  "key_points": [{"text": "Weave shows the HTML in Atom but saves no file.", "sources": ["m1"]}],
                  "decisions": [], "action_items": [], "open_questions": []}
    with FakeLLM() as fake:
        fake.enqueue(json.dumps(completion))
        summary = summarize(messages, provider=claude(fake))
        assert "cross posted" not in fake.requests[-1].prompt  # (the model reads people only)
    assert not summary.offline and summary.awaiting_reply
    assert summary.handed_off is not None and summary.handed_off.source_ts == ["2.0"]


def test_a_mention_under_an_unanswered_question_shows_the_cross_post_in_slack(harness, workspace) -> None:  # noqa: F811
    parent = workspace.post("C0GEN", "U2", _ASKED)
    workspace.post("C0GEN", None, _DONE, thread_ts=parent["ts"], subtype="bot_message", bot_id="B0HELP", username="HelpDeskBot")
    final = mention_in_thread(harness, workspace, parent["ts"], "EvHandedOff1")
    assert "No one else has replied yet." in final and "https://discourse.julialang.org/t/57016" in final


def test_the_cross_post_and_where_the_thread_stopped_are_shown_in_time_order() -> None:
    messages = [_m("1.0", "Logan", "How do I print hello world in Julia? I tried `hello world` and got a syntax error."),
                _m("2.0", "HelpDeskBot", _DONE, bot=True),
                _m("3.0", "Logan", "You need to do `print(\"Hello World\")`")]
    summary = summarize(people_only(messages), provider=None, max_points=5)
    assert summary.handed_off is not None and summary.outcome is not None
    line = next(x for x in rendered_text(summary, messages).splitlines() if x.startswith("**Where it ended:**"))
    assert line.index("cross posted") < line.index("print(") and line.index("[1]") < line.index("[2]")
