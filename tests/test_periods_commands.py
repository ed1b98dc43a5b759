"""Periods and /summarize arguments: table-driven cases and property-based tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import InputError
from bot.periods import parse_period
from bot.summaries.command import ChannelRequest, HelpRequest, SubcommandRequest, ThreadRequest, parse_command

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "tz", "oldest", "label"),
    [
        ("", "UTC", NOW - timedelta(hours=24), "the last 24 hours"),
        ("today", "UTC", datetime(2026, 11, 25, tzinfo=timezone.utc), "today"),
        ("7d", "UTC", NOW - timedelta(days=7), "the last 7 days"),
        ("24h", "UTC", NOW - timedelta(hours=24), "the last 24 hours"),
        ("2w", "UTC", NOW - timedelta(days=14), "the last 2 weeks"),
        ("since monday", "UTC", datetime(2026, 11, 23, tzinfo=timezone.utc), "since Monday"),
        ("since Wed", "UTC", datetime(2026, 11, 25, tzinfo=timezone.utc), "since Wednesday"),
        ("last week", "UTC", datetime(2026, 11, 16, tzinfo=timezone.utc), "last week"),
        ("since 2026-11-01", "UTC", datetime(2026, 11, 1, tzinfo=timezone.utc), "since 2026-11-01"),
        # Tokyo is already Thursday 00:00 at 15:00 UTC Wednesday
        ("today", "Asia/Tokyo", datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc), "today"),
    ],
)
def test_periods(text, tz, oldest, label):
    window = parse_period(text, now=NOW, tz=tz)
    assert window.oldest == oldest
    assert window.latest <= NOW and window.label == label


@pytest.mark.parametrize("text", ["fortnight", "0d", "365d", "since someday", "since 2030-01-01", "since 2020-01-01"])
def test_bad_periods_are_input_errors(text):
    with pytest.raises(InputError):
        parse_period(text, now=NOW)


@given(st.text(max_size=40))
def test_period_parser_never_raises_anything_but_input_error(text):
    try:
        window = parse_period(text, now=NOW)
    except InputError:
        return
    assert window.oldest < window.latest <= NOW


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ChannelRequest(None, None)),
        ("help", HelpRequest()),
        ("<#C123|general> 7d", ChannelRequest("C123", "7d")),
        ("<#C123> since monday", ChannelRequest("C123", "since monday")),
        ("since monday", ChannelRequest(None, "since monday")),
        ("<https://acme.slack.com/archives/C123/p1700000000000100>", ThreadRequest("C123", "1700000000.000100", None)),
        ("digest on friday 16:00", SubcommandRequest("digest", ("on", "friday", "16:00"))),
        ("style", SubcommandRequest("style", ())),
        ("forget me", SubcommandRequest("forget", ())),
    ],
)
def test_parse_command(text, expected):
    assert parse_command(text, now=NOW) == expected


@pytest.mark.parametrize("text", ["#general", "<#C1|x> blah", "<https://example.com/nope>", "<https://acme.slack.com/archives/C1/p1> 7d"])
def test_bad_commands_carry_usage(text):
    with pytest.raises(InputError) as info:
        parse_command(text, now=NOW)
    assert "/summarize" in info.value.user_message


@given(st.text(max_size=80))
def test_command_parser_never_raises_anything_but_input_error(text):
    try:
        parse_command(text, now=NOW)
    except InputError as exc:
        assert exc.user_message
