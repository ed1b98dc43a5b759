"""Benchmark (speed): the offline summary of one busy channel window, as ``/summarize #channel 7d`` makes it.

Run from the repository root (a script, not a test)::

    .venv/bin/python bench/window_speed.py [--messages 10000] [--rounds 3]

Builds ``--messages`` messages from two people over a week (the shape of
``tests/test_bad_input_exports.py::test_ten_thousand_message_channel_is_answered_in_bounded_time``: status updates
on four topics, then one decision), summarizes them offline (:func:`bot.summaries.summarize.summarize`, no model)
``--rounds`` times after one warm-up, and prints the median seconds. Measure two checkouts side by side: the
machines are shared.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def messages(n: int) -> list:
    """``n`` status updates by two people 50 s apart, then one decision."""
    from bot.models import Message

    start = 1_700_000_000.0
    topics = ["the billing export", "the login page", "the staging database", "the onboarding docs"]
    out = [Message("C0BUSY", f"{start + i * 50:.6f}", f"U{1 + i % 2}", f"user{1 + i % 2}",
                   f"Update {i} on {topics[i % 4]}: tests are running.") for i in range(n)]
    out.append(Message("C0BUSY", f"{start + (n + 1) * 50:.6f}", "U1", "user1",
                       "Decision: we agreed to ship the billing export on Friday at 7:00 PM."))
    return out


def main(argv: list[str] | None = None) -> int:
    from bot.summaries.summarize import summarize

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    window = messages(args.messages)
    summarize(window[:200], provider=None, max_points=5)  # warm-up: imports, regexes
    seconds = []
    for _ in range(args.rounds):
        began = time.perf_counter()
        summarize(window, provider=None, max_points=5)
        seconds.append(time.perf_counter() - began)
    print(f"{len(window)} messages: median {statistics.median(seconds):.1f} s over {args.rounds} rounds")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
