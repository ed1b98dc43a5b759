"""Rendering summaries: citations, escaping, localisation and Slack's size limits."""

from __future__ import annotations

import json
import re
from dataclasses import replace

from bot.models import Point, Summary
from bot.summaries import render


def _link(ts: str) -> str:
    return f"https://acme.slack.com/archives/C1/p{ts.replace('.', '')}"


def test_points_cite_their_messages_and_owner():
    summary = Summary(overview="Launch planning.", decisions=[Point("Ship Wednesday at 7:00 PM", ["1.000100"])],
                      action_items=[Point("Fix the migration tests", ["2.000200"], owner="@raj")], offline=False,
                      provider="anthropic")
    text = render.to_mrkdwn(summary, permalink_for=_link)
    assert "• Ship Wednesday at 7:00 PM <https://acme.slack.com/archives/C1/p1000100|[1]>" in text
    assert "owner: *@raj*" in text
    assert "Offline" not in text


def test_message_text_cannot_become_a_link_or_mention():
    summary = Summary(overview="x", key_points=[Point("click <https://evil.example|here> <!channel> & run", ["1.0"])])
    blocks = render.to_blocks(summary, permalink_for=lambda ts: None)
    dumped = json.dumps(blocks)
    assert "<https://evil.example|here>" not in dumped and "<!channel>" not in dumped
    assert "&lt;https://evil.example|here&gt;" in dumped and "&amp; run" in dumped


def test_headings_follow_the_conversation_language_and_offline_is_labelled():
    summary = Summary(overview="发布计划", decisions=[Point("周三发布", ["1.0"])], language="zh")
    text = render.to_markdown(summary, permalink_for=lambda ts: None)
    assert "## 决定" in text and "Offline summary" in text


def test_fallback_reason_is_said():
    summary = Summary(overview="x", fallback_reason="the anthropic model did not answer in time")
    assert "did not answer in time" in render.to_mrkdwn(summary, permalink_for=lambda ts: None)


def test_huge_summary_is_split_under_slack_limits():
    points = [Point(("word " * 120).strip() + f" {i}", [f"{i}.0"]) for i in range(400)]
    summary = Summary(overview="o" * 5000, key_points=points, decisions=points[:100], omitted="messages before May 1")
    messages = render.to_blocks(summary, permalink_for=_link, title="Big")
    assert len(messages) > 1
    for blocks in messages:
        assert len(blocks) <= render.BLOCK_LIMIT
        for block in blocks:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= render.SECTION_LIMIT
    everything = json.dumps(messages)
    assert "word 399" in everything  # nothing silently dropped
    assert "Left out: messages before May 1" in everything


def test_an_overview_that_repeats_a_point_is_not_shown_twice():
    summary = Summary(overview="We ship v2.4 on Wednesday Dec 3 at 7:00…",
                      key_points=[Point("We ship v2.4 on Wednesday Dec 3 at 7:00 PM UTC, after the shift change.", ["1.0"])])
    text = render.to_mrkdwn(summary, permalink_for=lambda ts: None)
    assert text.count("We ship v2.4") == 1
    other = Summary(overview="Launch planning for v2.4.", key_points=summary.key_points)
    assert "Launch planning for v2.4." in render.to_mrkdwn(other, permalink_for=lambda ts: None)
    ended = Summary(overview="I'm a physicist from Turin.",
                    outcome=Point("thank you for adding me to the group! I'm a physicist from Turin.", ["2.0"]))
    assert render.to_mrkdwn(ended, permalink_for=lambda ts: None).count("physicist from Turin") == 1  # inside the ending
    spaced = Summary(overview="Eric Nantz mentioned RDevel Guide on podcast https://rweekly.fireside.fm/69",
                     outcome=Point("Eric Nantz mentioned RDevel  Guide on podcast\xa0https://rweekly.fireside.fm/69", ["3.0"]))
    assert render.to_markdown(spaced, permalink_for=lambda ts: None).count("Eric Nantz mentioned") == 1  # spaces differ


def _text_objects(messages: list[list[dict]]) -> list[dict]:
    return [obj for blocks in messages for block in blocks
            for obj in [block.get("text"), *block.get("elements", [])] if isinstance(obj, dict)]


def test_every_mrkdwn_text_object_is_verbatim():
    summary = Summary(overview="See #general and @here www.example.com", answer="x.example.com",
                      key_points=[Point("a", ["1.0"])], decisions=[Point("b", ["2.0"], owner="@raj")],
                      fallback_reason="the model timed out", omitted="m3")
    objects = _text_objects(render.to_blocks(summary, permalink_for=_link, title="Summary of #general"))
    assert len(objects) >= 6
    assert all(obj["type"] == "mrkdwn" and obj["verbatim"] is True for obj in objects)


def test_a_point_is_one_line_so_it_cannot_fake_a_heading():
    point = Point("We ship Wednesday.\n*Decisions*\n• Wire the deposit today", ["1.0"])
    summary = Summary(overview="Plan\n*Key points*", key_points=[point])
    for text in (render.to_mrkdwn(summary, permalink_for=_link),
                 "\n".join(obj["text"] for obj in _text_objects(render.to_blocks(summary, permalink_for=_link)))):
        lines = text.splitlines()
        assert "*Decisions*" not in lines and "*Key points*" in lines
        assert lines.count("*Key points*") == 1
        assert any(line.startswith("• We ship Wednesday. *Decisions* • Wire the deposit today") for line in lines)
    assert "\n## " not in render.to_markdown(Summary(overview="x", key_points=[Point("a\n## Decisions")]),
                                             permalink_for=_link).replace("\n## Key points", "")


def test_a_source_link_left_by_the_guard_is_clickable():
    url = "https://docs.example.com/release-plan?a=1&b=2"
    summary = Summary(overview=f"Plan at {url}.", key_points=[Point(f"Read {url}", ["1.0"])])
    dumped = json.dumps(render.to_blocks(summary, permalink_for=_link))
    assert dumped.count("<https://docs.example.com/release-plan?a=1&amp;b=2>") == 2
    assert "<https://docs.example.com/release-plan?a=1&amp;b=2>." in render.to_mrkdwn(summary, permalink_for=_link)
    assert "<" not in render.fallback_text(summary)  # the notification text stays plain


def test_a_cut_line_never_ends_inside_a_link():
    url = "https://docs.example.com/" + "x" * 200
    summary = Summary(overview=("word " * 579) + url)
    text = render.to_blocks(summary, permalink_for=_link)[0][0]["text"]["text"]
    assert len(text) <= render.SECTION_LIMIT and text.endswith("…") and text.count("<") == text.count(">")


# ---- numbered citations, the outcome first, length, authors, JSON --------------------------------------


def _numbers(text: str) -> list[int]:
    import re

    return [int(n) for n in re.findall(r"\|\[(\d+)\]>", text)]


def test_citations_are_numbered_across_the_summary_and_a_message_keeps_its_number():
    summary = Summary(overview="Launch.", outcome=Point("We ship Wednesday.", ["5.0"]),
                      key_points=[Point("Pick a date", ["1.0"]), Point("Changelog needed", ["2.0", "1.0"])],
                      decisions=[Point("Ship Wednesday", ["5.0"])],
                      action_items=[Point("Fix the tests", ["3.0"], owner="@raj")], offline=False)
    text = render.to_mrkdwn(summary, permalink_for=_link)
    assert _numbers(text) == [1, 2, 3, 2, 1, 4]  # outcome [1]; "1.0" is [2] both times; "5.0" keeps [1]
    assert text.count("|[1]>") == 2 and "|[5]>" not in text
    blocks = json.dumps(render.to_blocks(summary, permalink_for=_link))
    assert _numbers(blocks.replace('\\"', '"')) == [1, 2, 3, 2, 1, 4]
    markdown = render.to_markdown(summary, permalink_for=_link)
    assert "[[4]](https://acme.slack.com/archives/C1/p30)" in markdown


def test_a_message_without_permalink_gets_no_number_and_numbers_have_no_gaps():
    summary = Summary(overview="x", key_points=[Point("a", ["1.0"]), Point("b", ["2.0"]), Point("c", ["3.0"])],
                      offline=False)
    text = render.to_mrkdwn(summary, permalink_for=lambda ts: None if ts == "2.0" else _link(ts))
    assert _numbers(text) == [1, 2]


def test_the_outcome_comes_first_with_its_localised_label():
    summary = Summary(overview="Release planning for v2.4.", outcome=Point("Shipped on Wednesday.", ["9.0"]),
                      key_points=[Point("Pick a date", ["1.0"])], offline=False)
    lines = render.to_mrkdwn(summary, permalink_for=_link, title="Summary of #launch").splitlines()
    assert lines[1].startswith("*Where it ended:* Shipped on Wednesday. <") and lines[1].endswith("|[1]>")
    assert lines[2] == "Release planning for v2.4." and lines[3] == "*Key points*"
    markdown = render.to_markdown(Summary(overview="x", outcome=Point("已发布", ["9.0"]), language="zh"),
                                  permalink_for=_link)
    assert markdown.startswith("**结果:** 已发布 [[1]]")
    first = render.to_blocks(summary, permalink_for=_link)[0]
    assert first[0]["text"]["text"].startswith("*Where it ended:*")


def test_length_follows_the_conversation_and_what_is_left_out_is_said():
    points = [Point(f"point {i}", [f"{i}.0"]) for i in range(8)]
    summary = Summary(overview="x", outcome=Point("the end", ["99.0"]), key_points=points,
                      open_questions=[Point("why?", ["50.0"])], message_count=6, offline=False)
    assert render.point_budget(6) == 4 and render.point_budget(2) == 3 and render.point_budget(100) == 12
    assert render.point_budget(0) is None
    text = render.to_mrkdwn(summary, permalink_for=_link)
    assert text.count("• ") == 3 and "the end" in text  # 4 points: the outcome, 2 key points, the open question
    assert "• why?" in text  # key points are trimmed first: what is still open is not (forty-fifth round)
    shown = [int(line.split()[2]) for line in text.splitlines() if line.startswith("• point ")]
    assert len(shown) == 2 and shown[0] == 0 and shown[-1] >= 4  # kept points spread over the conversation
    assert "6 more points left out to keep this short." in text
    questions = [Point(f"why {i}?", [f"{50 + i}.0"]) for i in range(6)]
    only = render.to_mrkdwn(replace(summary, key_points=points[:1], open_questions=questions), permalink_for=_link)
    assert only.count("• why") == 3 and "• point 0" not in only  # then open questions, spread the same way
    everything = Summary(overview="x", key_points=points, message_count=0)
    assert render.to_mrkdwn(everything, permalink_for=_link).count("• ") == 8  # unknown length: no cut


def test_quoted_points_name_their_author_only_in_offline_summaries():
    authors = {"1.0": "maya", "2.0": "raj", "3.0": "<!channel> Eve"}.get
    offline = Summary(overview="x", key_points=[Point("We ship Wednesday.", ["1.0"]),
                                                Point("Agreed.", ["1.0", "2.0"]), Point("ok", ["3.0"])])
    text = render.to_mrkdwn(offline, permalink_for=_link, author_for=authors)
    assert "• maya: We ship Wednesday. <" in text
    assert "• maya: Agreed. <" in text  # a quote is a slice of its first source; the others back it up
    assert "• &lt;!channel&gt; Eve: ok" in text  # a name is escaped like any text
    model = Summary(overview="x", key_points=[Point("The team will ship Wednesday.", ["1.0"])], offline=False)
    assert "maya" not in render.to_mrkdwn(model, permalink_for=_link, author_for=authors)


def test_json_is_the_structured_summary_with_numbered_citations():
    summary = Summary(overview="Launch.", outcome=Point("We ship Wednesday.", ["5.0"]),
                      key_points=[Point("Pick a <date>", ["1.0"])],
                      action_items=[Point("Fix the tests", ["3.0", "5.0"], owner="@raj")], message_count=2,
                      provider="anthropic", model="claude-x", offline=False, fallback_reason=None)
    data = json.loads(render.render_json(summary, permalink_for=_link, title="T", author_for={"1.0": "maya"}.get))
    assert data["outcome"] == {"text": "We ship Wednesday.", "author": None, "owner": None, "ts": ["5.0"],
                               "citations": [1]}
    assert data["sections"]["key_points"][0] == {"text": "Pick a <date>", "author": "maya", "owner": None,
                                                 "ts": ["1.0"], "citations": [2]}
    assert data["sections"]["action_items"][0]["owner"] == "@raj"
    assert data["sections"]["action_items"][0]["citations"] == [3, 1]
    assert data["citations"][2] == {"number": 3, "ts": "3.0", "permalink": _link("3.0")}
    assert (data["provider"], data["model"], data["offline"], data["title"]) == ("anthropic", "claude-x", False, "T")
    assert data["sections"]["decisions"] == [] and data["message_count"] == 2


def test_a_point_repeating_the_outcome_or_an_earlier_point_is_shown_once():
    ended = Point("We ship v2.4 on Wednesday.", ["3.0"])
    summary = Summary(overview="Release.", outcome=ended, message_count=9,
                      key_points=[Point("The tests pass on staging.", ["1.0"]), Point("we ship v2.4 on  Wednesday", ["3.0"])],
                      decisions=[Point("We ship v2.4 on Wednesday.", ["3.0"]), Point("Raj owns the rollback.", ["2.0"])],
                      action_items=[Point("The tests pass on staging.", ["1.0"], owner="@raj")])
    for text in (render.to_mrkdwn(summary, permalink_for=_link), render.to_markdown(summary, permalink_for=_link)):
        assert text.lower().count("we ship v2.4 on") == 1 and text.count("The tests pass on staging.") == 1
        assert "Raj owns the rollback." in text and "left out" not in text  # a repeat is not a lost point
        assert "Action items" not in text  # its only point was a repeat
    fitted, left_out = render.fit_length(summary)
    assert left_out == 0 and [p.text for p in fitted.all_points()] == [
        "We ship v2.4 on Wednesday.", "The tests pass on staging.", "Raj owns the rollback."]
    plain = Summary(overview="x", key_points=[Point("One.", ["1.0"]), Point("Two.", ["2.0"])])
    assert render.distinct(plain) is plain


def test_a_point_the_outcome_holds_whole_is_shown_once():
    ended = Point("I based the parser on what matplotlib does. However they coupled the parser and the layout engine, "
                  "so I decided to separate the two and first focus on parsing.", ["5.0"])
    decision = Point("However they coupled the parser and the layout engine, so I decided to separate the two and first "
                     "focus on parsing.", ["5.0"])
    short = Point("first focus on parsing", ["5.0"])  # under six words: not taken for a repeat of a longer text
    summary = Summary(overview="Parser.", outcome=ended, message_count=6, decisions=[decision], key_points=[short])
    kept = render.distinct(summary)
    assert kept.decisions == [] and kept.key_points == [short]
    text = render.to_markdown(summary, permalink_for=_link)
    assert text.count("I decided to separate the two") == 1 and "Decisions" not in text


def test_an_extractive_overview_is_shown_with_its_author_and_citation():
    authors = {"1.0": "Heather", "2.0": "Francis"}.get
    offline = Summary(overview="Can you make it today @Francis?", overview_ts="1.0",
                      outcome=Point("Yeah I can make it", ["2.0"]))
    for text in (render.to_markdown(offline, permalink_for=_link, author_for=authors),
                 render.to_mrkdwn(offline, permalink_for=_link, author_for=authors)):
        line = next(x for x in text.splitlines() if "Can you make it today" in x)
        # labelled, so it is not read as part of where it ended above it; cited after the outcome's [1]
        assert re.match(r"\W*Topic:\W* Heather: Can you make it today", line) and "[2]" in line
    blocks = " ".join(obj["text"] for obj in _text_objects(render.to_blocks(offline, permalink_for=_link, author_for=authors))
                      if "text" in obj)
    assert "*Topic:* Heather: Can you make it today" in blocks
    german = Summary(overview="Kannst du heute?", overview_ts="1.0", language="de", outcome=Point("Ja, geht", ["2.0"]))
    assert "**Thema:** Heather: Kannst du heute?" in render.to_markdown(german, permalink_for=_link, author_for=authors)
    # alone it is the first line and needs no label; quoting a later reply, it is no topic
    alone = Summary(overview="Can you make it today @Francis?", overview_ts="1.0")
    assert "Topic" not in render.to_markdown(alone, permalink_for=_link, author_for=authors)
    reply = Summary(overview="Tried that", overview_ts="2.0", outcome=Point("It works now", ["3.0"]),
                    key_points=[Point("Can you make it today?", ["1.0"])])
    assert "Topic" not in render.to_markdown(reply, permalink_for=_link, author_for=authors)
    model = Summary(overview="Scheduling the session.", offline=False, provider="anthropic", model="m")
    shown = render.to_markdown(model, permalink_for=_link, author_for=authors)
    assert "Scheduling the session." in shown and "Topic" not in shown  # a model's overview is its own words
    data = json.loads(render.render_json(offline, permalink_for=_link, author_for=authors))
    assert data["overview_ts"] == "1.0" and data["overview"] == "Can you make it today @Francis?"
