"""Pure parts of the AI-app surfaces and App Home: DM parsing, prompts, the Home view, the style answer."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.slack.writer import is_dm_conversation
from bot.summaries.assistant import DmRequest, parse_dm_request, suggested_prompts
from bot.titles.features import StyleFeatures
from bot.titles.home import home_view
from bot.titles.service import style_text
from bot.titles.store import TitledConversation
from bot.titles.style import StyleProfile, neutral_profile
from handlers.assistant import _context_channel

NOW = datetime(2024, 5, 8, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("summarize <https://acme.slack.com/archives/C0SEC/p1700000000000100>",
         DmRequest("thread", channel_id="C0SEC", thread_ts="1700000000.000100")),
        ("<https://acme.slack.com/archives/C0GEN/p1700000000000200?thread_ts=1700000000.000100&amp;cid=C0GEN>",
         DmRequest("thread", channel_id="C0GEN", thread_ts="1700000000.000100")),
        ("what did i miss in <#C0GEN|general>?", DmRequest("channel", channel_id="C0GEN")),
        ("Summarize this week in <#C0GEN|general>", DmRequest("channel", channel_id="C0GEN", period="this week")),
        ("<#G0PRIV> 7d pls", DmRequest("channel", channel_id="G0PRIV", period="7d")),
        ("<#C0GEN|general> since monday", DmRequest("channel", channel_id="C0GEN", period="since monday")),
        ("<#C0GEN|general> since whenever", DmRequest("channel", channel_id="C0GEN")),  # bad period: default
        ("What did I miss in #channel?", DmRequest("pick_channel")),
        ("Summarize a thread: paste its link", DmRequest("help")),
        ("hi", DmRequest("help")),
        ("<https://example.com/archives/C0GEN/p1700000000000100>", DmRequest("help")),  # not Slack
    ],
)
def test_parse_dm_request(text: str, expected: DmRequest) -> None:
    assert parse_dm_request(text, now=NOW) == expected


def test_suggested_prompts_name_the_viewed_channel_and_fit_slacks_limit() -> None:
    generic = suggested_prompts()
    assert 1 <= len(generic) <= 4 and all(set(p) == {"title", "message"} for p in generic)
    assert "#channel" in generic[0]["message"]
    specific = suggested_prompts("C0GEN")
    assert specific[0]["message"] == "What did I miss in <#C0GEN>?"
    assert parse_dm_request(specific[1]["message"], now=NOW) == DmRequest("channel", channel_id="C0GEN",
                                                                         period="this week")


def test_only_dms_get_set_title() -> None:
    assert is_dm_conversation("D0123") and not is_dm_conversation("C0123") and not is_dm_conversation("G0123")


def test_home_view_links_escaped_titles_and_says_neutral() -> None:
    conversations = [
        TitledConversation("D0U1", "1700000000.000100", "q3 <plans> & budget 🔥", datetime(2024, 5, 1, tzinfo=UTC)),
        TitledConversation("C0GEN", "1700000000.000200", "Release planning"),
    ]
    links = {"D0U1": "https://x.slack.com/archives/D0U1/p1700000000000100", "C0GEN": None}
    view = home_view(conversations=conversations, permalink_for=lambda c: links[c.channel_id],
                     profile=neutral_profile(2), conversation_count=2)
    text = json.dumps(view, ensure_ascii=False)
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    assert "Your recent conversations" in text
    assert "<https://x.slack.com/archives/D0U1/p1700000000000100|q3 &lt;plans&gt; &amp; budget 🔥>" in text
    assert "*Release planning*" in text  # no permalink: the title without a link
    assert "<!date^1714521600^" in text
    assert "neutral style until you've had 5 conversations with me (2 so far)" in text


def test_home_view_empty_and_learned_style() -> None:
    profile = StyleProfile("terse, lowercase, emoji", StyleFeatures(casing="lower"), 5)
    view = home_view(conversations=[], permalink_for=lambda c: None, profile=profile, conversation_count=5)
    text = json.dumps(view)
    assert "No conversations yet" in text and "terse, lowercase, emoji" in text


def test_style_text_learned_and_neutral() -> None:
    learned = StyleProfile("all lowercase, uses emoji", StyleFeatures(casing="lower", words=3, emoji_rate=0.8,
                                                                     emoji=("🔥",), language="en"), 5)
    text = style_text(learned, stored=7)
    assert "all lowercase, uses emoji" in text and "lowercase" in text and "(🔥)" in text and "80%" in text
    assert "Learned from your 5 latest" in text and "keeps 7 of your conversations" in text
    neutral = style_text(neutral_profile(3), stored=3)
    assert "neutral style until you've had 5 conversations" in neutral and "you've had 3" in neutral


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"context": {"entities": [{"type": "slack#/types/channel_id", "value": "C01"}]}}, "C01"),
        ({"context": {"entities": [{"type": "slack#/types/message_context",
                                    "value": {"channel_id": "C02", "message_ts": "1.2"}}]}}, "C02"),
        ({"context": {"entities": [{"type": "slack#/types/canvas_id", "value": "F1"}]}}, None),
        ({"context": {}}, None),
    ],
)
def test_context_channel_of_app_context_changed(event: dict, expected: str | None) -> None:
    assert _context_channel(event) == expected
