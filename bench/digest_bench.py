"""Benchmark: a 10-channel weekly digest against the fake Slack server holding real JuliaLang volume.

Run from the repository root (a script, not a test)::

    .venv/bin/python bench/digest_bench.py [--week 2021-W05] [--time-scale 20] [--lookback-days 14]

Setup: ``tests.fakeslack.FakeSlack.load_julialang`` on ``../shared/data/slack-api-julialang``; the 10
channels busiest in the week; Tier-3 limits (50 calls/minute, https://docs.slack.dev/apis/web-api/rate-limits)
on ``conversations.history`` and ``conversations.replies``, emulated in scaled time (``--time-scale 20``
makes a minute last 3 s). The digests are read by :func:`bot.digests.runs.read_period` through
:class:`bot.slack.webapi.WebAPIReader` and a WebClient from :func:`bot.slack.client.make_web_client`
(slack_sdk's ``RateLimitErrorRetryHandler`` honours ``Retry-After``) paced client-side by
:class:`MethodPacer`, channels read ``READ_CONCURRENCY`` at a time, built without a model (the
extractive summary) and posted (≤ 1 message/second/channel).

Printed: Web API calls made (history + replies) vs the lower bound (history pages the week needs +
one ``conversations.replies`` per thread with replies in the week), calls per method, 429s seen, and
wall time vs the rate-limit lower bound (see :func:`rate_bound`: the k-th call of a method can come no
earlier than floor((k-1)/50) scaled minutes after the first).
"""

from __future__ import annotations

import argparse
import copy
import math
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from slack_sdk import WebClient  # noqa: E402

from bot.digests.build import ChannelDigest, build_channel_digest  # noqa: E402
from bot.digests.render import channel_blocks, fallback_text  # noqa: E402
from bot.digests.runs import READ_CONCURRENCY, PostPacer, read_period  # noqa: E402
from bot.periods import Window, iso_week  # noqa: E402
from bot.slack.client import make_web_client  # noqa: E402
from bot.slack.webapi import HISTORY_PAGE, WebAPIReader  # noqa: E402
from tests.fakeslack import FakeSlack  # noqa: E402
from tests.fakeslack.server import BOT_TOKEN  # noqa: E402

TIER3_PER_MINUTE = 50
READ_METHODS = ("conversations.history", "conversations.replies")
TIER3_READS = {"conversations.history": 50, "conversations.replies": 50}


class MethodPacer:
    """Client-side pacing of Web API methods: at most ``limit`` calls per method in any ``window`` seconds.

    Slack's Tier 3 (``conversations.history``, ``conversations.replies``) allows about 50 calls per
    minute per workspace (https://docs.slack.dev/apis/web-api/rate-limits). Waiting for a slot before
    calling, instead of calling and being answered 429 + ``Retry-After`` (whole seconds), keeps a
    large read close to the rate-limit lower bound. 429s that still happen (other processes sharing
    the limit) are retried by slack_sdk's ``RateLimitErrorRetryHandler``.

    Args:
        limits: ``{method: calls per window}``.
        window: seconds (60 for Slack; a test server with scaled time uses less).
    """

    def __init__(self, limits: dict[str, int], *, window: float = 60.0,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self.limits, self.window = dict(limits), window
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._hits: dict[str, list[float]] = {m: [] for m in limits}

    def wait(self, method: str) -> None:
        """Block until ``method`` may be called, and record the call."""
        limit = self.limits.get(method)
        if limit is None:
            return
        while True:
            with self._lock:
                now = self._clock()
                hits = [t for t in self._hits[method] if now - t < self.window]
                if len(hits) < limit:
                    hits.append(now)
                    self._hits[method] = hits
                    return
                delay = hits[0] + self.window - now
                self._hits[method] = hits
            self._sleep(max(delay, 0.001))

    def wrap(self, client: WebClient) -> WebClient:
        """A shallow copy of ``client`` whose every call waits for its method's slot."""
        paced = copy.copy(client)
        call = client.api_call

        def api_call(api_method: str, *args: Any, **kwargs: Any) -> Any:
            self.wait(api_method)
            return call(api_method, *args, **kwargs)

        paced.api_call = api_call  # type: ignore[method-assign]  # the copy's calls go through the pacer
        return paced


def rate_bound(calls: int, window: float, limit: int = TIER3_PER_MINUTE) -> float:
    """Least time from the first to the last of ``calls`` calls of one method under a sliding-window
    limit of ``limit`` calls per ``window`` seconds (the fake server's model of Slack's tiers).

    Any ``limit + 1`` consecutive calls span at least ``window`` (else one window would hold
    ``limit + 1`` calls), so call ``k`` (1-based) comes at least ``floor((k - 1) / limit) · window``
    after the first: 215 calls at 50 per 3 s need 12 s, not the fluid ``(215 - 50) / 50 · 3 = 9.9 s``.
    """
    return ((calls - 1) // limit) * window if calls > 0 else 0.0


def _busiest(fake: FakeSlack, period: Window, count: int) -> list[str]:
    lo, hi = period.oldest_ts, period.latest_ts
    activity = Counter()
    for channel_id, channel in fake.channels.items():
        activity[channel_id] += sum(1 for m in channel.messages if lo <= float(m["ts"]) < hi)
        activity[channel_id] += sum(1 for replies in channel.replies.values() for r in replies
                                    if lo <= float(r["ts"]) < hi)
    return [c for c, n in activity.most_common(count) if n]


def lower_bound(fake: FakeSlack, channels: list[str], period: Window) -> tuple[int, int, int, int]:
    """What the week needs at least: ``(history pages, threads with replies, top-level messages, hidden)``.

    A thread counts when its parent, as ``conversations.history`` shows it, has ``reply_count`` and a
    ``latest_reply`` in or after the week (how Slack tells a reader that it has new replies). ``hidden``
    counts threads with replies in the week whose parent in the capture lacks those fields (the history
    pages were captured before the replies): no reader can find them from the history, so they are
    reported apart and left out of the bound.
    """
    pages = threads = top = hidden = 0
    lo, hi = period.oldest_ts, period.latest_ts
    for channel_id in channels:
        channel = fake.channels[channel_id]
        n = sum(1 for m in channel.messages if lo <= float(m["ts"]) < hi)
        top += n
        pages += max(1, math.ceil(n / HISTORY_PAGE))
        for parent_ts, replies in channel.replies.items():
            if not any(lo <= float(r["ts"]) < hi for r in replies):
                continue
            parent = channel.find(parent_ts) or {}
            if parent.get("reply_count") and float(parent.get("latest_reply") or 0) >= lo:
                threads += 1
            else:
                hidden += 1
    return pages, threads, top, hidden


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; returns 0."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "slack-api-julialang"))
    parser.add_argument("--week", default="2021-W05")
    parser.add_argument("--channels", type=int, default=10)
    parser.add_argument("--time-scale", type=float, default=20.0)
    parser.add_argument("--lookback-days", type=float, default=14.0,
                        help="how far before the week the reader scans for parents of continued threads")
    parser.add_argument("--concurrency", type=int, default=READ_CONCURRENCY, help="channels read at once")
    parser.add_argument("--pacing-margin", type=float, default=1.05,
                        help="pace at this multiple of the rate-limit window (the client's and the server's "
                             "windows start at different instants)")
    parser.add_argument("--no-pacing", action="store_true", help="rely on 429 + Retry-After only")
    args = parser.parse_args(argv)

    fake = FakeSlack.load_julialang(args.data, time_scale=args.time_scale)
    fake.start()
    period = iso_week(args.week, "UTC")
    channels = _busiest(fake, period, args.channels)
    for method in READ_METHODS:
        fake.rate_limit(method, per_minute=TIER3_PER_MINUTE)
    limited = Counter()
    original = fake._rate_limited

    def counting(method: str):
        result = original(method)
        if result is not None:
            limited[method] += 1
        return result

    fake._rate_limited = counting
    client = make_web_client(token=BOT_TOKEN, base_url=fake.base_url, max_retries=100)
    if not args.no_pacing:  # a little under the limit: the fake's window and ours start at different instants
        client = MethodPacer(TIER3_READS, window=60.0 / args.time_scale * args.pacing_margin).wrap(client)
    reader = WebAPIReader(client, thread_lookback=args.lookback_days * 86400)
    reader.prefetch_users()
    for channel_id in channels:
        reader.channel(channel_id)
    fake.calls.clear()
    pacer = PostPacer()

    def one(channel_id: str) -> ChannelDigest:
        messages = read_period(reader, channel_id, period)
        read_done.append(time.perf_counter())
        digest = build_channel_digest(messages, channel_id=channel_id, channel_name=reader.channel(channel_id).name,
                                      period=period, provider=None, permalink_for=reader.permalink)
        pacer.wait(channel_id)
        client.chat_postMessage(channel=channel_id, text=fallback_text(digest), blocks=channel_blocks(digest))
        return digest

    read_done: list[float] = []
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        digests = list(pool.map(one, channels))
    wall = time.perf_counter() - started

    made = Counter(name for name, _ in fake.calls)
    ok_calls = {m: made[m] - limited[m] for m in READ_METHODS}
    pages, threads, top, hidden = lower_bound(fake, channels, period)
    bound = pages + threads
    total_ok = sum(ok_calls.values())
    window = 60.0 / args.time_scale
    time_bound = max(rate_bound(ok_calls[m], window) for m in READ_METHODS)
    busiest = max(rate_bound(n, window) for n in (pages, threads))
    fake.stop()

    print(f"week {args.week}, {len(channels)} channels, time scale {args.time_scale:g} "
          f"(a Tier-3 minute = {window:g} s), thread lookback {args.lookback_days:g} days")
    print(f"messages in the week: {top} top-level, {sum(d.messages for d in digests)} from people incl. replies, "
          f"{sum(len(d.threads) for d in digests)} active threads")
    print(f"Web API read calls: {total_ok} (history {ok_calls['conversations.history']}, replies "
          f"{ok_calls['conversations.replies']}) vs lower bound {bound} (history pages {pages} + threads with "
          f"replies {threads}) = {total_ok / bound:.2f}x; {hidden} more threads have replies in the week but a "
          "parent captured without reply_count (not discoverable, not counted)")
    print(f"429s seen: {sum(limited.values())} ({dict(limited)}); other calls: "
          f"{ {m: n for m, n in made.items() if m not in READ_METHODS} }")
    reads = max(read_done) - started
    print(f"reading done after {reads:.1f} s vs rate-limit lower bound {busiest:.1f} s = "
          f"{reads / busiest if busiest else float('nan'):.2f}x")
    print(f"wall time incl. offline build and posting: {wall:.1f} s vs rate-limit lower bound {busiest:.1f} s for the bound's calls "
          f"({time_bound:.1f} s for the calls made) = {wall / busiest if busiest else float('nan'):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
