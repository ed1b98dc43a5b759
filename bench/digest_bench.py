"""Benchmark: a 10-channel weekly digest against the fake Slack server holding real JuliaLang volume.

Run from the repository root (a script, not a test)::

    .venv/bin/python bench/digest_bench.py [--week 2021-W05] [--time-scale 20] [--lookback-days 14]

Setup: ``tests.fakeslack.FakeSlack.load_julialang`` on ``../shared/data/slack-api-julialang``; the 10
channels busiest in the week; Tier-3 limits (50 calls/minute, https://docs.slack.dev/apis/web-api/rate-limits)
on ``conversations.history`` and ``conversations.replies``, emulated in scaled time (``--time-scale 20``
makes a minute last 3 s). The digests are read by :func:`bot.digests.service.read_period` through
:class:`bot.slack.webapi.WebAPIReader` and a WebClient from :func:`bot.slack.client.make_web_client`
(slack_sdk's ``RateLimitErrorRetryHandler`` honours ``Retry-After``), channels read
``READ_CONCURRENCY`` at a time, built offline and posted (≤ 1 message/second/channel).

Printed: Web API calls made (history + replies) vs the lower bound (history pages the week needs +
one ``conversations.replies`` per thread with replies in the week), calls per method, 429s seen, and
wall time vs the rate-limit lower bound (see :func:`rate_bound`: the k-th call of a method can come no
earlier than floor((k-1)/50) scaled minutes after the first).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.digests import build as dg  # noqa: E402
from bot.digests.service import READ_CONCURRENCY, TIER3_READS, MethodPacer, PostPacer, read_period  # noqa: E402
from bot.slack.client import make_web_client  # noqa: E402
from bot.slack.webapi import HISTORY_PAGE, WebAPIReader  # noqa: E402
from bot.summaries.extractive import OfflineProvider  # noqa: E402
from tests.fakeslack import FakeSlack  # noqa: E402
from tests.fakeslack.server import BOT_TOKEN  # noqa: E402

TIER3_PER_MINUTE = 50
READ_METHODS = ("conversations.history", "conversations.replies")


def rate_bound(calls: int, window: float, limit: int = TIER3_PER_MINUTE) -> float:
    """Least time from the first to the last of ``calls`` calls of one method under a sliding-window
    limit of ``limit`` calls per ``window`` seconds (the fake server's model of Slack's tiers).

    Any ``limit + 1`` consecutive calls span at least ``window`` (else one window would hold
    ``limit + 1`` calls), so call ``k`` (1-based) comes at least ``floor((k - 1) / limit) · window``
    after the first: 215 calls at 50 per 3 s need 12 s, not the fluid ``(215 - 50) / 50 · 3 = 9.9 s``.
    """
    return ((calls - 1) // limit) * window if calls > 0 else 0.0


def _busiest(fake: FakeSlack, period: dg.Period, count: int) -> list[str]:
    lo, hi = period.oldest, period.latest
    activity = Counter()
    for channel_id, channel in fake.channels.items():
        activity[channel_id] += sum(1 for m in channel.messages if lo <= float(m["ts"]) < hi)
        activity[channel_id] += sum(1 for replies in channel.replies.values() for r in replies
                                    if lo <= float(r["ts"]) < hi)
    return [c for c, n in activity.most_common(count) if n]


def lower_bound(fake: FakeSlack, channels: list[str], period: dg.Period) -> tuple[int, int, int, int]:
    """What the week needs at least: ``(history pages, threads with replies, top-level messages, hidden)``.

    A thread counts when its parent, as ``conversations.history`` shows it, has ``reply_count`` and a
    ``latest_reply`` in or after the week (how Slack tells a reader that it has new replies). ``hidden``
    counts threads with replies in the week whose parent in the capture lacks those fields (the history
    pages were captured before the replies): no reader can find them from the history, so they are
    reported apart and left out of the bound.
    """
    pages = threads = top = hidden = 0
    lo, hi = period.oldest, period.latest
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
    period = dg.iso_week(args.week, "UTC")
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
    provider, pacer = OfflineProvider(), PostPacer()

    def one(channel_id: str) -> dg.ChannelDigest:
        messages = read_period(reader, channel_id, period)
        read_done.append(time.perf_counter())
        digest = dg.build_channel_digest(messages, channel_id=channel_id, channel_name=reader.channel(channel_id).name,
                                         period=period, provider=provider, permalink_for=reader.permalink)
        pacer.wait(channel_id)
        client.chat_postMessage(channel=channel_id, text=dg.fallback_text(digest), blocks=dg.channel_blocks(digest))
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
