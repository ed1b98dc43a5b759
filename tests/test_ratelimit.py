"""Slack's rate limits shared across workers (issue 13): the limiter, Retry-After, the app's distribution.

Against the fake Slack (``tests/fakeslack``) with scaled time (``time_scale=60``: a minute lasts 1 s), through
real slack_sdk clients from :func:`bot.slack.client.make_web_client`. The shared tests need Redis
(``RECAP_TEST_REDIS_URL``; ``.ci/run`` starts it); each uses its own key namespace.
"""

from __future__ import annotations

import copy
import os
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from slack_sdk import WebClient

from bot.access import AccessChecker
from bot.slack.client import PacedWebClient, make_web_client, paced
from bot.slack.ratelimit import SlackLimiter
from bot.slack.webapi import WebAPIReader
from tests.fakeslack import BOT_TOKEN, FakeSlack

REDIS_URL = os.environ.get("RECAP_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
SCALE = 60.0  # a Slack minute lasts one second
T0 = 1_700_000_000.0


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def needs_redis(test):
    """Marked ``redis``; skipped where Redis is not running, except under CI (``.ci/run`` starts it: fail)."""
    skip = pytest.mark.skipif(not os.environ.get("CI") and not _redis_up(),
                              reason="Redis is not running on 127.0.0.1:6379 (CI starts it and fails instead)")
    return pytest.mark.redis(skip(test))


def _worker(fake: FakeSlack, url: str, namespace: str, **kwargs) -> PacedWebClient:
    """One worker's client: its own limiter object on the shared storage, in the fake's time."""
    limiter = SlackLimiter(url, namespace=namespace, time_scale=fake.time_scale, **kwargs)
    client = make_web_client(token=BOT_TOKEN, base_url=fake.base_url, limiter=limiter, backoff_factor=0.01,
                             max_jitter=0, max_retries=20)
    assert isinstance(client, PacedWebClient)
    return client


@pytest.fixture
def fake() -> FakeSlack:
    with FakeSlack(time_scale=SCALE) as fake:
        fake.add_user("U1", "alice")
        fake.add_channel("C1", "general", members=["U1"])
        yield fake


def _hammer(clients: list[WebClient], calls_each: int) -> float:
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4 * len(clients)) as pool:
        list(pool.map(lambda c: c.conversations_history(channel="C1"),
                      [c for c in clients for _ in range(calls_each)]))
    return time.monotonic() - started


@needs_redis
def test_two_workers_on_one_redis_share_the_budget() -> None:
    # a minute = 3 s; a call is counted when it leaves a worker and when it reaches Slack: with 16 threads
    # on one machine transit times differ by tens of ms, so the scaled test leaves 10% of the tier unused
    with FakeSlack(time_scale=20) as fake:
        fake.add_channel("C1", "general")
        fake.rate_limit("conversations.history", per_minute=50)  # Tier 3
        namespace = f"test-{uuid.uuid4().hex}"
        workers = [_worker(fake, REDIS_URL, namespace, headroom=0.1), _worker(fake, REDIS_URL, namespace, headroom=0.1)]
        elapsed = _hammer(workers, 40)
    # one budget: the second window's calls waited for it (two budgets would have sent all 80 at once and
    # had 30 refused, see the next test); a rare 429 where a burst's calls arrive out of order is retried
    assert elapsed >= 3.0  # 80 calls at 45 a (scaled) minute need a second window
    assert fake.throttled.get("conversations.history", 0) <= 3
    assert len(fake.calls_to("conversations.history")) - fake.throttled.get("conversations.history", 0) == 80


def test_two_workers_with_their_own_memory_limiters_would_overspend(fake: FakeSlack) -> None:
    """The control: per-process budgets (what ``memory://`` gives two processes) add up past Slack's."""
    fake.rate_limit("conversations.history", per_minute=50)
    workers = [_worker(fake, "memory://", "a"), _worker(fake, "memory://", "b")]
    _hammer(workers, 40)
    assert fake.throttled.get("conversations.history", 0) >= 20  # 80 sent at once, 50 taken


@needs_redis
def test_a_429_with_retry_after_blocks_the_other_worker(fake: FakeSlack) -> None:
    namespace = f"test-{uuid.uuid4().hex}"
    first, second = _worker(fake, REDIS_URL, namespace), _worker(fake, REDIS_URL, namespace)
    first.auth_test(), second.auth_test()  # both know their workspace
    fake.fail("conversations.history", status=429, retry_after=2)
    thread = threading.Thread(target=lambda: first.conversations_history(channel="C1"))
    thread.start()
    deadline = time.monotonic() + 5
    while second.limiter.blocked_until(team_id=fake.team_id, method="conversations.history") == 0:
        assert time.monotonic() < deadline, "the 429 was never shared"
        time.sleep(0.005)
    blocked_at = time.monotonic()
    second.conversations_history(channel="C1")
    waited = time.monotonic() - blocked_at
    thread.join()
    assert waited >= 1.8  # the other worker waited out Slack's Retry-After before calling
    assert len(fake.calls_to("conversations.history")) == 3  # the 429, its retry, the other worker's call
    assert second.limiter.blocked_until(team_id=fake.team_id, method="conversations.info") == 0  # per method


def test_non_marketplace_reads_15_a_page_at_one_call_a_minute() -> None:
    with FakeSlack(time_scale=SCALE) as fake:
        fake.add_user("U1", "alice")
        fake.add_channel("C1", "general", members=["U1"])
        fake.non_marketplace()
        for i in range(40):
            fake.post("C1", "U1", f"message {i}", ts=T0 + i)
        fake.post("C1", "U1", "a reply", ts=T0 + 50, thread_ts=f"{T0 + 3:.6f}")
        fake.post("C1", "U1", "another reply", ts=T0 + 51, thread_ts=f"{T0 + 7:.6f}")
        client = _worker(fake, "memory://", "nm", distribution="distributed")
        reader = WebAPIReader(client, thread_lookback=0)
        assert reader.reply_concurrency == 1
        messages = reader.history("C1", oldest=T0, latest=T0 + 100)
    assert len(messages) == 42
    pages = fake.calls_to("conversations.history") + fake.calls_to("conversations.replies")
    assert len(fake.calls_to("conversations.history")) == 3 and len(fake.calls_to("conversations.replies")) == 2
    assert {p["limit"] for p in pages} == {"15"} and fake.oversized_pages == []
    assert fake.throttled == {}  # paced, not refused
    assert fake.max_per_window("conversations.history") == 1
    assert fake.max_per_window("conversations.replies") == 1


def test_internal_reads_200_a_page_four_threads_at_once(fake: FakeSlack) -> None:
    reader = WebAPIReader(_worker(fake, "memory://", "in"))
    fake.post("C1", "U1", "hello", ts=T0)
    reader.history("C1", oldest=T0, latest=T0 + 1)
    assert reader.reply_concurrency == 4
    assert fake.calls_to("conversations.history")[0]["limit"] == "200"


def test_posts_are_paced_per_channel() -> None:
    with FakeSlack() as fake:
        fake.add_user("U1", "alice")
        fake.add_channel("C1", "general", members=["U1"])
        fake.add_channel("C2", "random", members=["U1"])
        client = make_web_client(token=BOT_TOKEN, base_url=fake.base_url)
        started = time.monotonic()
        client.chat_postMessage(channel="C1", text="one")
        client.chat_postMessage(channel="C2", text="elsewhere")
        other_channel = time.monotonic() - started
        client.chat_postMessage(channel="C1", text="two")
        same_channel = time.monotonic() - started
    assert other_channel < 0.5
    assert same_channel >= 0.9  # Slack: about one message per second per channel


def test_bolts_per_request_client_is_paced_and_copyable(fake: FakeSlack) -> None:
    """Bolt builds a plain WebClient per request, copying the app client's retry handlers (and deep-copies
    requests for lazy listeners): the limiter travels with them and survives the copy."""
    app_client = _worker(fake, "memory://", "bolt")
    per_request = WebClient(token=BOT_TOKEN, base_url=fake.base_url, team_id=fake.team_id,
                            retry_handlers=app_client.retry_handlers.copy())
    wrapped = paced(per_request)
    assert isinstance(wrapped, PacedWebClient) and wrapped.limiter is app_client.limiter
    assert copy.deepcopy(per_request).retry_handlers[0].limiter is app_client.limiter
    assert wrapped.team() == fake.team_id and fake.calls_to("auth.test") == []
    assert paced(WebClient(token=BOT_TOKEN)).__class__ is WebClient  # no limiter: unchanged


def test_guests_in_a_big_workspace_are_checked_with_users_info_shared_not_users_list() -> None:
    """A share of a public channel into a 120-person channel of a 600-person workspace: one users.info
    per member, none again from a second worker on the same store, and no users.list."""
    with FakeSlack(time_scale=SCALE) as fake:
        for i in range(600):
            fake.add_user(f"U{i:04d}", f"person{i}")
        fake.add_channel("C1", "source", members=[f"U{i:04d}" for i in range(300)])
        fake.add_channel("C2", "destination", members=[f"U{i:04d}" for i in range(120)])
        limiter = SlackLimiter(time_scale=SCALE)
        first = AccessChecker(make_web_client(token=BOT_TOKEN, base_url=fake.base_url, limiter=limiter))
        second = AccessChecker(make_web_client(token=BOT_TOKEN, base_url=fake.base_url, limiter=limiter))
        first.check_shares(source_ids=["C1"], destination_id="C2")
        assert len(fake.calls_to("users.info")) == 120
        second.check_shares(source_ids=["C1"], destination_id="C2")
        assert len(fake.calls_to("users.info")) == 120
        assert fake.calls_to("users.list") == []
        fake.set_role("U0007", is_restricted=True)  # turned guest: user_change reaches one worker
        first.forget_user("U0007")
        with pytest.raises(Exception, match="not a full member"):
            second.check_shares(source_ids=["C1"], destination_id="C2")


def test_unknown_distribution_and_storage_are_refused() -> None:
    with pytest.raises(ValueError, match="distribution"):
        SlackLimiter(distribution="appstore")
    with pytest.raises(ValueError, match="storage"):
        SlackLimiter("postgresql://localhost/x")


def test_a_mentions_sign_of_life_never_waits_for_the_reactions_budget(fake: FakeSlack) -> None:
    """Past the workspace's reactions.add budget (Tier 3, 48 a minute with the headroom) a queue worker's early
    sign of life does not wait a minute for an :eyes: slot: the thread's status shows instead, at once."""
    from bot.slack import writer
    from bot.summaries.service import show_sign_of_life

    client = _worker(fake, "memory://", "signs")
    parent = fake.post("C1", "U1", "Shall we ship on Wednesday?")
    first = fake.post("C1", "U1", "<@U0BOT> summarize", thread_ts=parent["ts"])
    body = {"type": "event_callback", "team_id": fake.team_id, "event": {
        "type": "app_mention", "user": "U1", "text": "<@U0BOT> summarize", "ts": first["ts"],
        "thread_ts": parent["ts"], "channel": "C1"}}
    assert show_sign_of_life(client, body) is True  # budget free: the :eyes:
    assert [r["name"] for r in fake.channels["C1"].find_any(first["ts"])["reactions"]] == ["eyes"]
    assert fake.calls_to("assistant.threads.setStatus") == []
    calls, _ = client.limiter.effective("reactions.add")
    for _ in range(calls - 1):  # the rest of this minute's reactions.add budget, spent by other mentions
        assert client.limiter.try_acquire(team_id=fake.team_id, method="reactions.add")

    second = fake.post("C1", "U1", "<@U0BOT> what did we decide?", thread_ts=parent["ts"])
    started = time.monotonic()
    assert writer.add_reaction(client, channel_id="C1", ts=second["ts"], name="eyes", wait=False) is False
    shown = show_sign_of_life(client, {**body, "event": {**body["event"], "ts": second["ts"],
                                                         "text": "<@U0BOT> what did we decide?"}})
    assert shown is True and time.monotonic() - started < 1.0  # no wait for the next reactions.add slot
    assert len(fake.calls_to("reactions.add")) == 1  # the spent budget was respected
    assert [(c["thread_ts"], c["status"]) for c in fake.calls_to("assistant.threads.setStatus")] == [
        (parent["ts"], "is reading…")]
    # help and a bot's mention show nothing early
    assert show_sign_of_life(client, {**body, "event": {**body["event"], "text": "<@U0BOT> help"}}) is False
    assert show_sign_of_life(client, {**body, "event": {**body["event"], "bot_id": "B1"}}) is False
    assert len(fake.calls_to("assistant.threads.setStatus")) == 1


@needs_redis
def test_a_workers_limiter_opens_its_redis_connections_before_the_burst() -> None:
    limiter = SlackLimiter(REDIS_URL, namespace=f"test-{uuid.uuid4().hex}")
    pool = limiter._storage.get_connection().connection_pool
    assert len(pool._available_connections) == 0  # nothing open yet: the first calls of a burst would each connect
    assert limiter.warm_up(6) == 6
    assert len(pool._available_connections) == 6 and all(c._sock is not None for c in pool._available_connections)
    assert limiter.try_acquire(team_id="T1", method="reactions.add")  # served on an open connection
    assert len(pool._available_connections) == 6
    assert SlackLimiter("memory://").warm_up(6) == 0
    down = SlackLimiter("redis://127.0.0.1:1/0")  # nothing listens there: a warning, no exception
    assert down.warm_up(3) == 0


def test_a_burst_of_identical_lookups_makes_one_slack_call(fake: FakeSlack) -> None:
    """100 requests of one burst that each look up the same person (and channel) at once share one call a
    person, instead of spending the workspace's users.info budget (Tier 4) on copies of the same answer."""
    fake.add_user("U2", "bob")
    client = _worker(fake, "memory://", "flight")
    client.auth_test()
    fake.fail("users.info", delay=0.3, times=2)  # the first calls are slow: the others arrive while in flight
    barrier = threading.Barrier(24)

    def look_up(user_id: str) -> str:
        per_request = paced(WebClient(token=BOT_TOKEN, base_url=fake.base_url, team_id=fake.team_id,
                                      retry_handlers=client.retry_handlers.copy()))  # Bolt's copy per request
        barrier.wait()
        return str(per_request.users_info(user=user_id)["user"]["name"])

    with ThreadPoolExecutor(max_workers=24) as pool:
        names = list(pool.map(look_up, ["U1"] * 20 + ["U2"] * 4))
    assert names == ["alice"] * 20 + ["bob"] * 4
    assert sorted(call["user"] for call in fake.calls_to("users.info")) == ["U1", "U2"]  # not 20 + 4
    # a failure reaches every caller that waited for it, and the next call asks again
    fake.fail("users.info", error="user_not_found", delay=0.3)
    barrier = threading.Barrier(5)
    errors = []

    def failing() -> None:
        barrier.wait()
        try:
            client.users_info(user="U1")
        except Exception as exc:  # noqa: BLE001 - collected
            errors.append(getattr(exc, "response", {}).get("error"))

    threads = [threading.Thread(target=failing) for _ in range(5)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == ["user_not_found"] * 5 and len(fake.calls_to("users.info")) == 3
    assert client.users_info(user="U1")["user"]["name"] == "alice"  # nothing kept: asked again, answered
