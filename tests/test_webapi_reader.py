"""WebAPIReader against the fake Slack server through a real slack_sdk WebClient."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.errors import BotNotInChannel, SlackReadError
from bot.slack.client import make_web_client
from bot.slack.text import is_noise
from bot.slack.webapi import WebAPIReader
from tests.fakeslack import BOT_TOKEN, FakeSlack, fake_slack  # noqa: F401 - fixture

T0 = 1_700_000_000.0
DAY = 86400.0


@pytest.fixture
def fake(fake_slack: FakeSlack) -> FakeSlack:  # noqa: F811 - fixture
    fake_slack.add_user("U1", "alice", display_name="Alice")
    fake_slack.add_user("U2", "bob", real_name="Bob Brown")
    fake_slack.add_channel("C1", "general", members=["U1", "U2"])
    fake_slack.add_channel("C2", "random", bot_member=False)
    fake_slack.add_channel("G1", "secret", is_private=True, bot_member=False)
    return fake_slack


@pytest.fixture
def reader(fake: FakeSlack) -> WebAPIReader:
    client = make_web_client(token=BOT_TOKEN, base_url=fake.base_url, backoff_factor=0.01, max_jitter=0)
    return WebAPIReader(client)


def _ts(seconds: float) -> str:
    return f"{seconds:.6f}"


def test_history_paginates_and_caches_users(fake: FakeSlack, reader: WebAPIReader) -> None:
    for i in range(450):
        fake.post("C1", "U1" if i % 2 else "U2", f"message {i}", ts=T0 + i)
    msgs = reader.history("C1", oldest=T0, latest=T0 + 1000)
    assert [m.text for m in msgs] == [f"message {i}" for i in range(450)]
    assert len(fake.calls_to("conversations.history")) == 3  # pages of 200
    assert all(p["limit"] == "200" for p in fake.calls_to("conversations.history"))
    assert {m.user_name for m in msgs} == {"Alice", "Bob Brown"}
    assert len(fake.calls_to("users.info")) == 2
    reader.history("C1", oldest=T0, latest=T0 + 10)
    assert len(fake.calls_to("users.info")) == 2
    assert len(fake.calls_to("auth.test")) == 1
    assert msgs[0].permalink == f"https://recap-test.slack.com/archives/C1/p{int(T0)}000000"


def test_window_is_half_open(fake: FakeSlack, reader: WebAPIReader) -> None:
    for i in range(5):
        fake.post("C1", "U1", f"m{i}", ts=T0 + i)
    assert [m.text for m in reader.history("C1", oldest=T0 + 1, latest=T0 + 3)] == ["m1", "m2"]


@pytest.mark.parametrize("parent_every_page", [True, False])
def test_thread_with_many_replies_dedupes_repeated_parent(
    fake: FakeSlack, reader: WebAPIReader, parent_every_page: bool
) -> None:
    fake.replies_parent_every_page = parent_every_page  # Slack's behaviour here is not documented
    fake.post("C1", "U1", "parent", ts=T0)
    for i in range(450):
        fake.post("C1", "U2", f"reply {i}", ts=T0 + 1 + i, thread_ts=_ts(T0))
    thread = reader.thread("C1", _ts(T0))
    assert len(thread) == 451 and thread[0].text == "parent" and thread[0].reply_count == 450
    assert len(fake.calls_to("conversations.replies")) == 3
    assert thread[5].is_reply and thread[5].permalink.endswith(f"?thread_ts={_ts(T0)}&cid=C1")


def test_noise_bots_files_edits_and_broadcasts(fake: FakeSlack, reader: WebAPIReader) -> None:
    fake.post("C1", "U1", "<@U1> has joined the channel", ts=T0, subtype="channel_join")
    fake.post("C1", "U1", "Plan: ask <@U2> in <#C2> &amp; <https://x.org|the site>", ts=T0 + 1)
    fake.post("C1", None, "deploy ok", ts=T0 + 2, subtype="bot_message", bot_id="B9", username="deploybot")
    fake.post("C1", "U2", "", ts=T0 + 3, files=[{"id": "F1", "name": "plan.pdf", "title": "plan.pdf"}])
    fake.post("C1", "U2", "first draft", ts=T0 + 4)
    fake.channels["C1"].find(_ts(T0 + 4))["text"] = "final text"  # edited: history has the current text
    fake.post("C1", "U2", "also in channel", ts=T0 + 5, thread_ts=_ts(T0 + 1), reply_broadcast=True)
    msgs = reader.history("C1", oldest=T0, latest=T0 + 10)
    assert [m.text for m in msgs] == [
        "Plan: ask @Bob Brown in #random & the site (https://x.org)",
        "deploy ok",
        "[file: plan.pdf]",
        "final text",
        "also in channel",
    ]
    assert msgs[1].is_bot and msgs[1].user_name == "deploybot" and msgs[1].user_id is None
    assert msgs[4].thread_ts == _ts(T0 + 1) and msgs[4].is_reply
    assert msgs[0].reply_count == 1


def test_include_replies_covers_older_threads_active_in_window(fake: FakeSlack, reader: WebAPIReader) -> None:
    fake.post("C1", "U1", "old question", ts=T0)
    fake.post("C1", "U2", "old answer", ts=T0 + 60, thread_ts=_ts(T0))
    fake.post("C1", "U2", "new answer", ts=T0 + 3 * DAY, thread_ts=_ts(T0))
    fake.post("C1", "U1", "quiet old thread", ts=T0 + 10)
    fake.post("C1", "U2", "quiet reply", ts=T0 + 20, thread_ts=_ts(T0 + 10))
    fake.post("C1", "U1", "today", ts=T0 + 3 * DAY + 5)
    fake.post("C1", "U2", "reply after window", ts=T0 + 5 * DAY, thread_ts=_ts(T0 + 3 * DAY + 5))
    window = {"oldest": T0 + 2 * DAY, "latest": T0 + 4 * DAY}
    assert [m.text for m in reader.history("C1", **window)] == ["old question", "new answer", "today"]
    assert [m.text for m in reader.history("C1", **window, include_replies=False)] == ["today"]
    short = WebAPIReader(reader._client, thread_lookback=0)
    assert [m.text for m in short.history("C1", **window)] == ["today"]  # documented limitation


def test_membership_errors_tell_the_user_to_invite(reader: WebAPIReader) -> None:
    for channel in ("C2", "G1"):
        with pytest.raises(BotNotInChannel) as info:
            reader.history(channel, oldest=T0, latest=T0 + 1)
        assert "/invite @Recap" in info.value.user_message
    with pytest.raises(BotNotInChannel):
        reader.thread("C2", _ts(T0))
    with pytest.raises(BotNotInChannel):
        reader.channel("G1")


def test_channel_record_and_other_errors(fake: FakeSlack, reader: WebAPIReader) -> None:
    channel = reader.channel("C2")
    assert channel.name == "random" and not channel.is_member and not channel.is_restricted
    reader.channel("C2")
    assert len(fake.calls_to("conversations.info")) == 1
    with pytest.raises(SlackReadError) as info:
        reader.thread("C1", "123.000001")
    assert "thread_not_found" in str(info.value) and not isinstance(info.value, BotNotInChannel)
    fake.fail("conversations.history", error="fatal_error")
    with pytest.raises(SlackReadError):
        reader.history("C1", oldest=T0, latest=T0 + 1)


def test_ratelimit_retry_after_is_honoured(fake: FakeSlack, reader: WebAPIReader) -> None:
    fake.post("C1", "U1", "hello", ts=T0)
    fake.fail("conversations.history", status=429, retry_after=1)
    start = time.perf_counter()
    assert [m.text for m in reader.history("C1", oldest=T0, latest=T0 + 1)] == ["hello"]
    assert time.perf_counter() - start >= 1.0
    assert len(fake.calls_to("conversations.history")) == 2


def test_server_errors_and_resets_are_retried(fake: FakeSlack, reader: WebAPIReader) -> None:
    fake.post("C1", "U1", "parent", ts=T0)
    fake.post("C1", "U2", "reply", ts=T0 + 1, thread_ts=_ts(T0))
    fake.fail("conversations.replies", status=500, times=2)
    fake.fail("users.info", reset=True)
    assert [m.text for m in reader.thread("C1", _ts(T0))] == ["parent", "reply"]
    assert len(fake.calls_to("conversations.replies")) == 3
    fake.fail("conversations.replies", status=503, times=10)
    with pytest.raises(SlackReadError):
        reader.thread("C1", _ts(T0))


def test_unknown_users_fall_back_to_their_id(fake: FakeSlack, reader: WebAPIReader) -> None:
    fake.post("C1", "U404", "who am I, <@U405>?", ts=T0)
    assert reader.history("C1", oldest=T0, latest=T0 + 1)[0].text == "who am I, @U405?"


def test_names_come_from_users_info_once_per_deployment_not_the_directory(fake: FakeSlack) -> None:
    """Issue 13: one users.info per person met, shared by every reader on the same limiter (Redis in
    production); users.list is never paged."""
    from bot.slack.ratelimit import SlackLimiter

    limiter = SlackLimiter()
    first = WebAPIReader(make_web_client(token=BOT_TOKEN, base_url=fake.base_url, limiter=limiter))
    second = WebAPIReader(make_web_client(token=BOT_TOKEN, base_url=fake.base_url, limiter=limiter))
    assert first.user_name("U2") == "Bob Brown"
    assert second.user_name("U2") == "Bob Brown"
    assert [c["user"] for c in fake.calls_to("users.info")] == ["U2"]
    assert fake.calls_to("users.list") == []


@pytest.mark.realdata
def test_julialang_week_read_back(shared_data: Path) -> None:
    with FakeSlack.load_julialang(shared_data / "slack-api-julialang", channel_names=["helpdesk"]) as fake:
        reader = WebAPIReader(make_web_client(token=BOT_TOKEN, base_url=fake.base_url))
        channel = fake.channels["C6A044SQH"]
        oldest = float(channel.messages[len(channel.messages) // 2]["ts"])
        latest = oldest + 7 * DAY
        start = time.perf_counter()
        top = reader.history("C6A044SQH", oldest=oldest, latest=latest, include_replies=False)
        elapsed = time.perf_counter() - start
        expected = [m for m in channel.messages if oldest <= float(m["ts"]) < latest and not is_noise(m)]
        assert [m.ts for m in top] == [m["ts"] for m in expected]
        assert elapsed < 5
        assert reader.domain == "julialang"
        parent = max(expected, key=lambda m: m.get("reply_count", 0))
        thread = reader.thread("C6A044SQH", parent["ts"])
        replies = [r for r in fake.channels["C6A044SQH"].replies[parent["ts"]] if not is_noise(r)]
        assert len(thread) == 1 + len(replies) and len(thread) > 5
        assert all("<@U" not in m.text for m in thread)


def test_a_private_channel_mentioned_elsewhere_keeps_its_name_hidden():
    from bot.slack.client import make_web_client
    from bot.slack.webapi import WebAPIReader
    from tests.fakeslack import BOT_TOKEN, FakeSlack

    with FakeSlack() as fake:
        fake.add_user("U1", "maya")
        fake.add_channel("C0PUB", "general", members=["U1"])
        fake.add_channel("G0SEC", "acquisition-initech", is_private=True, members=["U1"])
        fake.post("C0PUB", "U1", "details are in <#G0SEC> and <#C0PUB>")
        reader = WebAPIReader(make_web_client(token=BOT_TOKEN, base_url=fake.base_url))
        reader.channel("G0SEC")  # cached first, as when it was read itself
        text = reader.history("C0PUB", oldest=0, latest=9_999_999_999)[0].text
        assert "#private-channel" in text and "#general" in text and "initech" not in text


def _busy_channel(fake: FakeSlack, threads: int = 3) -> None:
    for t in range(threads):
        fake.post("C1", "U1", f"parent {t}", ts=T0 + 100 * t)
        for r in range(3):
            fake.post("C1", "U2", f"reply {t}.{r}", ts=T0 + 100 * t + 1 + r, thread_ts=_ts(T0 + 100 * t))


def test_channel_views_share_thread_reads_until_the_thread_changes(fake: FakeSlack, reader: WebAPIReader) -> None:
    _busy_channel(fake)
    first = reader.history("C1", oldest=T0, latest=T0 + 1000)
    assert len(fake.calls_to("conversations.replies")) == 3
    again = reader.history("C1", oldest=T0, latest=T0 + 1000)
    assert [m.text for m in again] == [m.text for m in first]
    assert len(fake.calls_to("conversations.replies")) == 3  # unchanged threads: read once
    fake.post("C1", "U1", "a late reply", ts=T0 + 50, thread_ts=_ts(T0))
    changed = reader.history("C1", oldest=T0, latest=T0 + 1000)
    assert "a late reply" in [m.text for m in changed]
    assert len(fake.calls_to("conversations.replies")) == 4  # only the thread with a new reply is read again


def test_concurrent_channel_views_read_each_thread_once(fake: FakeSlack, reader: WebAPIReader) -> None:
    from concurrent.futures import ThreadPoolExecutor

    _busy_channel(fake)
    fake.fail("conversations.replies", delay=0.3, times=3)  # slow reads: the views overlap
    with ThreadPoolExecutor(max_workers=6) as pool:
        views = list(pool.map(lambda _: reader.history("C1", oldest=T0, latest=T0 + 1000), range(6)))
    assert len(fake.calls_to("conversations.replies")) == 3
    assert all(len(view) == 12 for view in views)


def test_reply_cache_expires_and_can_be_turned_off(fake: FakeSlack) -> None:
    _busy_channel(fake, threads=1)
    client = make_web_client(token=BOT_TOKEN, base_url=fake.base_url, backoff_factor=0.01, max_jitter=0)
    uncached = WebAPIReader(client, reply_cache_seconds=0)
    uncached.history("C1", oldest=T0, latest=T0 + 1000)
    uncached.history("C1", oldest=T0, latest=T0 + 1000)
    assert len(fake.calls_to("conversations.replies")) == 2
    short = WebAPIReader(client, reply_cache_seconds=0.2)
    short.history("C1", oldest=T0, latest=T0 + 1000)
    time.sleep(0.3)
    short.history("C1", oldest=T0, latest=T0 + 1000)
    assert len(fake.calls_to("conversations.replies")) == 4


def test_a_channel_reads_names_while_its_threads_are_still_being_read(fake: FakeSlack) -> None:
    """users.info (Tier 4) and conversations.replies (Tier 3) have budgets of their own: the authors of the
    first threads are looked up while the later threads are read, not all after the last one (a weekly
    digest of a busy channel then ends with its replies, not half a minute after)."""
    for i in range(3, 9):
        fake.add_user(f"U{i}", f"person{i}")
    for i in range(6):
        parent = fake.post("C1", "U1", f"thread {i}", ts=T0 + 10 * i)
        fake.post("C1", f"U{i + 3}", f"reply in thread {i}", thread_ts=parent["ts"], ts=T0 + 10 * i + 1)
    fake.fail("conversations.replies", delay=0.2, times=6)  # each thread takes a while to arrive
    client = make_web_client(token=BOT_TOKEN, base_url=fake.base_url, backoff_factor=0.01, max_jitter=0)
    reader = WebAPIReader(client, reply_concurrency=1)
    messages = reader.history("C1", oldest=T0, latest=T0 + 100)
    assert {m.user_name for m in messages} == {"Alice"} | {f"person{i}" for i in range(3, 9)}
    order = [name for name, _ in fake.calls if name in ("conversations.replies", "users.info")]
    last_replies = max(i for i, name in enumerate(order) if name == "conversations.replies")
    asked_before = [i for i, name in enumerate(order) if name == "users.info" and i < last_replies]
    assert len(asked_before) >= 3  # most authors were looked up during the read, not after it
    assert len(fake.calls_to("users.info")) == 7  # each person once


def test_reactions_are_counted_people_times_emoji(fake: FakeSlack, reader: WebAPIReader) -> None:
    """``conversations.history`` and ``conversations.replies`` return each emoji with its ``count`` of people; a
    digest's headline weighs them (:mod:`bot.digests.events`)."""
    fake.post("C1", "U1", "Release 2.0 is out!", ts=T0,
              reactions=[{"name": "tada", "users": ["U1", "U2"], "count": 2}, {"name": "+1", "users": ["U2"], "count": 1}])
    fake.post("C1", "U2", "Congrats!", ts=T0 + 5, thread_ts=_ts(T0),
              reactions=[{"name": "heart", "users": ["U1"], "count": 1}])
    fake.post("C1", "U2", "Lunch?", ts=T0 + 10)
    by_text = {m.text: m.reactions for m in reader.history("C1", oldest=T0, latest=T0 + 100, include_replies=True)}
    assert by_text == {"Release 2.0 is out!": 3, "Congrats!": 1, "Lunch?": 0}


def test_approving_reactions_are_counted_apart_from_laughter(fake: FakeSlack, reader: WebAPIReader) -> None:
    """A thread summary ranks a reply by its approving reactions (``:+1:`` in any skin tone, ``:100:``,
    ``:heavy_check_mark:``…), not by laughter or JuliaLang's ``:bridge:`` marker."""
    fake.post("C1", "U1", "How do I make a singleton?", ts=T0)
    fake.post("C1", "U2", "Use a const Ref in the inner constructor.", ts=T0 + 5, thread_ts=_ts(T0),
              reactions=[{"name": "100", "users": ["U1", "U3"], "count": 2},
                         {"name": "+1::skin-tone-5", "users": ["U4"], "count": 1},
                         {"name": "joy", "users": ["U5"], "count": 1}])
    fake.post("C1", "U3", "Singletons are cursed", ts=T0 + 9, thread_ts=_ts(T0),
              reactions=[{"name": "rolling_on_the_floor_laughing", "users": ["U1"], "count": 1},
                         {"name": "bridge", "users": ["U6"], "count": 1}])
    read = {m.text: (m.reactions, m.approvals)
            for m in reader.history("C1", oldest=T0, latest=T0 + 100, include_replies=True)}
    assert read == {"How do I make a singleton?": (0, 0), "Use a const Ref in the inner constructor.": (4, 3),
                    "Singletons are cursed": (2, 0)}
