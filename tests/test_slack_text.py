"""Pure Slack text helpers: mention resolution, noise and bot detection, file-only text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.slack.text import (
    NOISE_SUBTYPES,
    is_bot_message,
    is_noise,
    message_text,
    resolve_mrkdwn,
    user_display_name,
)

USERS = {"U123": "alice", "W999": "Enterprise Eve"}
CHANNELS = {"C123": "general"}


def resolve(text: str) -> str:
    return resolve_mrkdwn(text, user_name=lambda u: USERS.get(u, ""), channel_name=lambda c: CHANNELS.get(c, ""))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hi <@U123>", "hi @alice"),
        ("hi <@U123|old-name>", "hi @alice"),
        ("<@W999> and <@U000>", "@Enterprise Eve and @U000"),
        ("see <#C123|general-old>", "see #general-old"),
        ("see <#C123>", "see #general"),
        ("see <#C777>", "see #C777"),
        ("<!here> <!channel> <!everyone>", "@here @channel @everyone"),
        ("<!subteam^S123|@devs> please", "@devs please"),
        ("<!date^1392734382^{date}|Feb 18, 2014>", "Feb 18, 2014"),
        ("<https://x.org|the docs>", "the docs (https://x.org)"),
        ("<https://x.org/a?b=1&amp;c=2>", "https://x.org/a?b=1&c=2"),
        ("<https://x.org|https://x.org>", "https://x.org"),
        ("edit `<http://config.site|config.site>`", "edit `config.site`"),  # Slack's auto-link of a domain
        ("<http://r-project.org/|r-project.org>", "r-project.org"),
        ("<mailto:a@b.org|a@b.org>", "a@b.org"),
        ("a &amp; b &lt;tag&gt;", "a & b <tag>"),
        ("&amp;lt; stays literal", "&lt; stays literal"),
        ("", ""),
        ("unclosed <@U123", "unclosed <@U123"),
    ],
)
def test_resolve_mrkdwn(text: str, expected: str) -> None:
    assert resolve(text) == expected


@given(st.text())
def test_resolve_never_raises_and_keeps_plain_text(text: str) -> None:
    out = resolve(text)
    if "<" not in text and "&" not in text:
        assert out == text


@pytest.mark.parametrize(
    ("raw", "noise", "bot"),
    [
        ({"type": "message", "text": "hi", "user": "U1"}, False, False),
        ({"type": "message", "subtype": "channel_join", "user": "U1"}, True, False),
        ({"type": "message", "subtype": "channel_topic"}, True, False),
        ({"type": "message", "subtype": "pinned_item"}, True, False),
        ({"type": "message", "subtype": "tombstone"}, True, False),
        ({"type": "message", "subtype": "thread_broadcast", "user": "U1"}, False, False),
        ({"type": "message", "subtype": "bot_message", "username": "ci"}, False, True),
        ({"type": "message", "user": "U1", "bot_id": "B1"}, False, True),
        ({"type": "message", "subtype": "file_share", "user": "U1"}, False, False),
    ],
)
def test_noise_and_bots(raw: dict, noise: bool, bot: bool) -> None:
    assert is_noise(raw) is noise
    assert is_bot_message(raw) is bot


def test_noise_subtypes_cover_the_documented_system_events() -> None:
    assert {"channel_join", "channel_leave", "channel_topic", "channel_purpose", "channel_name",
            "channel_archive", "pinned_item"} <= NOISE_SUBTYPES


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ({"text": "", "files": [{"name": "a.png", "title": "Screenshot"}]}, "[file: Screenshot]"),
        ({"text": "look", "files": [{"name": "a.png"}, {"name": "b.csv"}]}, "look\n[file: a.png] [file: b.csv]"),
        ({"text": "", "file": {"name": "old.txt"}}, "[file: old.txt]"),
        ({"text": "", "files": [{"id": "F1", "mode": "tombstone"}]}, "[file: deleted file]"),
        ({"text": "", "attachments": [{"fallback": "RSS: news"}]}, "RSS: news"),
        ({"text": "plain", "attachments": [{"fallback": "ignored"}]}, "plain"),
        # a legacy file_share (exports up to 2018-2019): what the author wrote, then the file
        ({"subtype": "file_share", "file": {"name": "topics.json", "title": "topics.json"},
          "text": "<@U061A1R2R|micah> uploaded a file: <https://x.slack.com/files/micah/F1/topics.json|topics.json> "
                  "and commented: an array of unique topics"}, "an array of unique topics\n[file: topics.json]"),
        ({"subtype": "file_share", "text": "<@U061A3E0G|javier> uploaded a file: <https://x.slack.com/files/F2/fritz.jpg|"
                                           "Fritz.jpg>"}, "[file: Fritz.jpg]"),
        ({"text": "<@U1> uploaded a file: <https://x/y|y> and commented: typed by a person"},
         "<@U1> uploaded a file: <https://x/y|y> and commented: typed by a person"),  # not a file_share: as written
    ],
)
def test_message_text(raw: dict, text: str) -> None:
    assert message_text(raw) == text


@pytest.mark.parametrize(
    ("user", "name"),
    [
        ({"id": "U1", "name": "h", "profile": {"display_name": "Dee", "real_name": "Dee Dee"}}, "Dee"),
        ({"id": "U1", "name": "h", "real_name": "Real", "profile": {"display_name": ""}}, "Real"),
        ({"id": "U1", "name": "handle", "profile": {}}, "handle"),
        ({"id": "U1"}, "U1"),
    ],
)
def test_user_display_name(user: dict, name: str) -> None:
    assert user_display_name(user) == name
