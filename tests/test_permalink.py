"""Permalinks: table-driven parsing and Hypothesis properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import InputError
from bot.slack.permalink import Permalink, build_permalink, parse_permalink


@pytest.mark.parametrize(
    ("kwargs", "url"),
    [
        (
            {"domain": "acme", "channel_id": "C0123ABCD", "ts": "1700000000.000100"},
            "https://acme.slack.com/archives/C0123ABCD/p1700000000000100",
        ),
        (
            {"domain": "acme", "channel_id": "C1X", "ts": "1700000001.000200", "thread_ts": "1700000000.000100"},
            "https://acme.slack.com/archives/C1X/p1700000001000200?thread_ts=1700000000.000100&cid=C1X",
        ),
        (  # a parent linked with its own thread_ts is a plain link
            {"domain": "acme", "channel_id": "C1X", "ts": "1700000000.000100", "thread_ts": "1700000000.000100"},
            "https://acme.slack.com/archives/C1X/p1700000000000100",
        ),
    ],
)
def test_build(kwargs: dict, url: str) -> None:
    assert build_permalink(**kwargs) == url


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://acme.slack.com/archives/C0123ABCD/p1700000000000100", Permalink("C0123ABCD", "1700000000.000100")),
        (
            "https://acme.slack.com/archives/C1X/p1700000001000200?thread_ts=1700000000.000100&cid=C1X",
            Permalink("C1X", "1700000001.000200", "1700000000.000100"),
        ),
        (
            "<https://acme.slack.com/archives/C1X/p1700000001000200?thread_ts=1700000000.000100&amp;cid=C1X>",
            Permalink("C1X", "1700000001.000200", "1700000000.000100"),
        ),
        ("  <https://acme.slack.com/archives/G0PRIV/p1700000000000100|link>  ", Permalink("G0PRIV", "1700000000.000100")),
        ("https://acme.enterprise.slack.com/archives/D0DM/p1700000000000100", Permalink("D0DM", "1700000000.000100")),
        ("https://app.slack.com/client/T01/C0123/thread/C0123-1700000000.000100", Permalink("C0123", "1700000000.000100")),
        ("http://acme.slack.com/archives/C1X/p1700000000000100?thread_ts=1700000000.000100", Permalink("C1X", "1700000000.000100")),
    ],
)
def test_parse(text: str, expected: Permalink) -> None:
    assert parse_permalink(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "https://example.com/archives/C1X/p1700000000000100",
        "https://acme.slack.com/archives/C1X",
        "https://acme.slack.com/archives/C1X/1700000000000100",
        "https://acme.slack.com/archives/lowercase/p1700000000000100",
        "https://acme.slack.com/archives/C1X/p1700000000000100?thread_ts=abc",
        "<@U123>",
        "https://[::1",
    ],
)
def test_parse_rejects_with_friendly_message(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_permalink(text)
    assert "Copy link" in info.value.user_message


channel_ids = st.from_regex(r"\A[CGD][A-Z0-9]{8,10}\Z")
timestamps = st.builds(lambda s, f: f"{s}.{f:06d}", st.integers(1_000_000_000, 9_999_999_999), st.integers(0, 999_999))


@given(
    domain=st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,20}\Z"),
    channel_id=channel_ids,
    ts=timestamps,
    thread_ts=st.none() | timestamps,
)
def test_build_parse_round_trip(domain: str, channel_id: str, ts: str, thread_ts: str | None) -> None:
    url = build_permalink(domain=domain, channel_id=channel_id, ts=ts, thread_ts=thread_ts)
    parsed = parse_permalink(url)
    assert parsed == Permalink(channel_id, ts, thread_ts if thread_ts != ts else None)
    assert parse_permalink(f"<{url}>") == parsed


@given(st.text())
def test_arbitrary_text_raises_only_input_error(text: str) -> None:
    try:
        parsed = parse_permalink(text)
    except InputError:
        return
    assert parsed.channel_id and "." in parsed.ts


@given(st.from_regex(r"\Ahttps?://[a-z.]{0,20}slack\.com/[A-Za-z0-9/?=&.\-_%<>|]{0,60}\Z"))
def test_slack_like_urls_raise_only_input_error(text: str) -> None:
    try:
        parse_permalink(text)
    except InputError:
        pass
