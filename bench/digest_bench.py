"""Benchmark: weekly digests of the 10 busiest JuliaLang channels by several worker processes sharing
Slack's rate limits through Redis (issue 13).

Run from the repository root (a script, not a test; needs Redis on 127.0.0.1:6379)::

    .venv/bin/python bench/digest_bench.py [--workers 2] [--week 2021-W05] [--time-scale 20]

Setup: ``tests.fakeslack.FakeSlack.load_julialang`` on ``../shared/data/slack-api-julialang`` with Slack's
published tiers enforced by the fake (HTTP 429 + ``Retry-After`` past them; Tier 3 = 50 calls a minute on
``conversations.history`` / ``.replies`` / ``.info``, Tier 4 = 100 on ``users.info``, 1 post a second per
channel; https://docs.slack.dev/apis/web-api/rate-limits) in scaled time (``--time-scale 20``: a minute
lasts 3 s). ``--workers`` processes take channels from one queue; each reads its channel with
:func:`bot.digests.runs.read_period` through :class:`bot.slack.webapi.WebAPIReader` and a client from
:func:`bot.slack.client.make_web_client` whose limiter (:class:`bot.slack.ratelimit.SlackLimiter`) lives in
Redis, builds the digest without a model and posts it. Names come from ``users.info``, shared through
Redis (no ``users.list``).

Printed: calls per method, 429s, the most calls any method got in one (scaled) minute at the fake vs its
budget, and the time from the workers' start to the last post vs the rate-limit lower bound: the most
constrained method's :func:`rate_bound` for the calls the week needs (history pages + threads with
replies, see :func:`lower_bound`; ``users.info`` as made, one per person not named in the messages).
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import queue
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.digests.build import build_channel_digest  # noqa: E402
from bot.digests.render import channel_blocks, fallback_text  # noqa: E402
from bot.digests.runs import read_period  # noqa: E402
from bot.periods import Window, iso_week  # noqa: E402
from bot.slack.client import make_web_client  # noqa: E402
from bot.slack.ratelimit import SlackLimiter  # noqa: E402
from bot.slack.webapi import HISTORY_PAGE, WebAPIReader  # noqa: E402
from tests.fakeslack import FakeSlack  # noqa: E402
from tests.fakeslack.server import BOT_TOKEN  # noqa: E402

TIER3_PER_MINUTE = 50
READ_METHODS = ("conversations.history", "conversations.replies")
FAKE_TIERS = {"conversations.history": 50, "conversations.replies": 50, "conversations.info": 50,
              "users.info": 100, "chat.postMessage": 60}


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


def _worker(base_url: str, storage: str, namespace: str, time_scale: float, headroom: float, lookback: float,
            concurrency: int, week: str, jobs: mp.Queue, results: mp.Queue, ready: mp.Queue,
            go: mp.Event) -> None:  # type: ignore[valid-type]
    """One digest worker process: take channels from ``jobs`` until ``None``; report to ``results``."""
    from concurrent.futures import ThreadPoolExecutor

    limiter = SlackLimiter(storage, namespace=namespace, time_scale=time_scale, headroom=headroom)
    client = make_web_client(token=BOT_TOKEN, base_url=base_url, limiter=limiter, max_retries=100)
    reader = WebAPIReader(client, thread_lookback=lookback)
    reader.domain  # noqa: B018 - auth.test before the clock starts
    window = iso_week(week, "UTC")
    ready.put(1)
    go.wait()

    def one() -> None:
        while (channel_id := jobs.get()) is not None:
            messages = read_period(reader, channel_id, window)
            digest = build_channel_digest(messages, channel_id=channel_id, channel_name=reader.channel(channel_id).name,
                                          period=window, provider=None, permalink_for=reader.permalink)
            client.chat_postMessage(channel=channel_id, text=fallback_text(digest), blocks=channel_blocks(digest))
            results.put((channel_id, time.time(), digest.messages, len(digest.threads)))

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for future in [pool.submit(one) for _ in range(concurrency)]:
            future.result()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; returns 0 (1 when over budget or over 1.2x the bound)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "slack-api-julialang"))
    parser.add_argument("--week", default="2021-W05")
    parser.add_argument("--channels", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="digest worker processes")
    parser.add_argument("--concurrency", type=int, default=5, help="channels each worker reads at once")
    parser.add_argument("--storage", default="redis://127.0.0.1:6379/0", help="the limiter's shared storage")
    parser.add_argument("--time-scale", type=float, default=20.0)
    parser.add_argument("--headroom", type=float, default=0.1,
                        help="share of each tier left unused (transit times between the workers' and the fake's "
                             "clocks weigh more in a 3-second minute than in Slack's 60)")
    parser.add_argument("--lookback-days", type=float, default=14.0,
                        help="how far before the week the reader scans for parents of continued threads")
    args = parser.parse_args(argv)

    fake = FakeSlack.load_julialang(args.data, time_scale=args.time_scale)
    fake.start()
    period = iso_week(args.week, "UTC")
    channels = _busiest(fake, period, args.channels)
    fake.tier_limits(FAKE_TIERS)
    namespace = f"bench-{uuid.uuid4().hex[:8]}"
    ctx = mp.get_context("spawn")
    jobs, results, ready, go = ctx.Queue(), ctx.Queue(), ctx.Queue(), ctx.Event()
    for channel_id in channels:
        jobs.put(channel_id)
    for _ in range(args.workers * args.concurrency):
        jobs.put(None)
    procs = [ctx.Process(target=_worker, args=(fake.base_url, args.storage, namespace, args.time_scale, args.headroom,
                                               args.lookback_days * 86400, args.concurrency,
                                               args.week, jobs, results, ready, go))
             for _ in range(args.workers)]
    for proc in procs:
        proc.start()
    for _ in procs:
        ready.get(timeout=120)
    with fake.lock:
        fake.calls.clear()
        fake.answered.clear()
        fake.throttled.clear()
    started = time.time()
    go.set()
    done: list[tuple[str, float, int, int]] = []
    while len(done) < len(channels):
        try:
            done.append(results.get(timeout=1))
        except queue.Empty:
            if not any(proc.is_alive() for proc in procs):
                fake.stop()
                print("a worker failed (see above)", file=sys.stderr)
                return 1
    for proc in procs:
        proc.join(timeout=60)
    wall = max(t for _, t, _, _ in done) - started
    fake.stop()

    made = Counter(name for name, _ in fake.calls)
    answered = {m: len(fake.calls_to(m)) - fake.throttled.get(m, 0) for m in made}
    pages, threads, top, hidden = lower_bound(fake, channels, period)
    window = 60.0 / args.time_scale
    needed = {"conversations.history": pages, "conversations.replies": threads,
              "users.info": answered.get("users.info", 0), "conversations.info": len(channels)}
    bounds = {m: rate_bound(n, window, FAKE_TIERS[m]) for m, n in needed.items()}
    bound_method = max(bounds, key=lambda m: bounds[m])
    bound = bounds[bound_method]
    over = {m: fake.max_per_window(m) for m in FAKE_TIERS if m != "chat.postMessage"}
    worst = max(over, key=lambda m: over[m] / FAKE_TIERS[m])

    print(f"week {args.week}, {len(channels)} channels, {args.workers} worker processes x {args.concurrency} "
          f"channels, limiter {args.storage.split('://')[0]} (headroom {args.headroom:g}), time scale "
          f"{args.time_scale:g} (a minute = {window:g} s), thread lookback {args.lookback_days:g} days")
    print(f"messages in the week: {top} top-level, {sum(d[2] for d in done)} from people incl. replies, "
          f"{sum(d[3] for d in done)} active threads; {hidden} more threads have replies but a parent captured "
          "without reply_count (not discoverable, not counted)")
    print(f"calls answered: { {m: answered[m] for m in sorted(answered)} }; needed at least: {needed}")
    mono_start = time.monotonic() - (time.time() - started)
    for m in ("conversations.history", "conversations.replies", "users.info", "chat.postMessage"):
        times = sorted(fake.answered.get((fake.team_id, m), []))
        if times:
            print(f"  {m}: first answered at {times[0] - mono_start:.1f} s, last at {times[-1] - mono_start:.1f} s")
    print("  channels done at: " + ", ".join(f"{t - started:.1f}" for _, t, _, _ in sorted(done, key=lambda d: d[1])))
    print(f"429s: {sum(fake.throttled.values())} {dict(fake.throttled)}; users.list calls: {made.get('users.list', 0)}")
    print("max calls in any minute per method: " + ", ".join(f"{m} {over[m]}/{FAKE_TIERS[m]}" for m in over))
    ratio = wall / bound if bound else float("nan")
    print(f"max calls/min per method: {over[worst]} ({worst}, budget {FAKE_TIERS[worst]}); time {wall:.1f} s, "
          f"lower bound {bound:.1f} s ({bound_method}), ratio {ratio:.2f}")
    within = all(over[m] <= FAKE_TIERS[m] for m in over) and ratio <= 1.2
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
