"""Rendering summaries: citations, escaping, localisation and Slack's size limits."""

from __future__ import annotations

import json

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
