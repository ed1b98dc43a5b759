"""Faults in Slack (429 with Retry-After, 500, timeouts, resets) and in the model (408/429/500/529,
timeouts, resets): each request ends with the answer, the offline fallback or a clear message —
never lost, never answered twice. The scenarios are ``bench/fault_bench.py``'s (the long Slack
``Retry-After`` shortened from 30 s to 2 s), run side by side: each has its own fakes and app."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from bench.fault_bench import run_scenario, scenarios


def test_every_fault_scenario_ends_answered_once(tmp_path, caplog):
    caplog.set_level(logging.CRITICAL)
    chosen = scenarios(long_retry_after=2)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda s: (s, run_scenario(s, repeat=1, workdir=str(tmp_path))), chosen))
    problems = {s.name: dict(c) for s, c in results
                if sum(c.values()) != 1 or c["lost"] or c["duplicated"] or not set(c) <= set(s.expect)}
    assert not problems, problems
    outcomes = {o for _, c in results for o in c}
    assert {"answer", "fallback", "message"} <= outcomes  # the table exercises all three endings


def test_the_bench_has_the_30_second_retry_after():
    by_name = {s.name: s for s in scenarios()}
    assert by_name["slack_429_30s_replies"].slack["conversations.replies"]["retry_after"] == 30
    assert by_name["slack_429_30s_replies"].timeout_s >= 45
