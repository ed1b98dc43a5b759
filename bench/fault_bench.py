"""Fault benchmark: every request ends with the answer, the offline fallback or a clear message.

Each scenario injects one kind of failure into the fake Slack Web API (429 with ``Retry-After``, 500,
timeouts, connection resets on ``conversations.replies`` / ``conversations.history`` / posting) or
into the fake model server (HTTP 408/429/500/529, timeouts, resets), sends ``--repeat`` requests
(``app_mention`` in a thread, or ``/summarize``) into the real Recap app, and classifies how each ended:

* ``answer``: the model's summary;
* ``fallback``: the offline summary, labelled "Offline summary: …";
* ``message``: a short message for the user (e.g. "something went wrong … try again");
* ``lost``: nothing final reached the user; ``duplicated``: more than one final answer.

Usage (repository root; all on 127.0.0.1, bounded, stops by itself)::

    .venv/bin/python bench/fault_bench.py                 # every scenario, 3 requests each
    .venv/bin/python bench/fault_bench.py --only slack_429_30s --repeat 1

The ``slack_429_30s`` scenario really waits 30 s (slack_sdk's ``RateLimitErrorRetryHandler`` honours
``Retry-After``); tests run the same code with 2 s.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.load_bench import (  # noqa: E402
    MODEL_REPLY,
    Receiver,
    TimedFakeSlack,
    build_workspace,
    command_body,
    event_body,
    mention_event,
    start_app,
)
from bot import strings  # noqa: E402
from tests.fakellm import FakeLLM, Fault  # noqa: E402

OUTCOMES = ("answer", "fallback", "message", "lost", "duplicated")


@dataclass
class Scenario:
    """One failure to inject.

    Attributes:
        name: short identifier.
        kind: ``"mention"`` or ``"command"`` requests.
        slack: ``{method: fail() kwargs}`` injected before each request.
        llm: the model's scripted replies for each request (a list of :class:`Fault` or text).
        expect: the outcomes allowed (``lost`` and ``duplicated`` are never allowed).
        timeout_s: how long to wait for each request's final answer.
    """

    name: str
    kind: str
    slack: dict[str, dict[str, Any]] = field(default_factory=dict)
    llm: list[Any] = field(default_factory=lambda: [MODEL_REPLY])
    expect: tuple[str, ...] = ("answer",)
    timeout_s: float = 20.0


def scenarios(*, long_retry_after: int = 30) -> list[Scenario]:
    """Every scenario; ``long_retry_after`` is the "long" Slack ``Retry-After`` (seconds)."""
    ok = [MODEL_REPLY]
    llm_retries_exhausted = 3  # the app runs with LLM_MAX_RETRIES=1: two failures exhaust it, one spare
    out = [
        Scenario("slack_429_1s_replies", "mention", {"conversations.replies": {"retry_after": 1}}),
        Scenario(f"slack_429_{long_retry_after}s_replies", "mention",
                 {"conversations.replies": {"retry_after": long_retry_after}}, timeout_s=long_retry_after + 20),
        Scenario("slack_429_1s_history", "command", {"conversations.history": {"retry_after": 1}}),
        Scenario("slack_429_1s_post", "mention", {"chat.update": {"retry_after": 1}}),
        Scenario("slack_500_replies", "mention", {"conversations.replies": {"status": 500}}),
        Scenario("slack_500_history", "command", {"conversations.history": {"status": 500}}),
        Scenario("slack_500_post", "mention", {"chat.update": {"status": 500}}),
        Scenario("slack_500_replies_persistent", "mention", {"conversations.replies": {"status": 500, "times": 4}},
                 expect=("message",)),
        Scenario("slack_reset_replies", "mention", {"conversations.replies": {"reset": True}}),
        Scenario("slack_reset_history", "command", {"conversations.history": {"reset": True}}),
        Scenario("slack_reset_post", "mention", {"chat.update": {"reset": True}}),
        Scenario("slack_timeout_replies", "mention", {"conversations.replies": {"delay": 3}}, expect=("message",)),
        Scenario("slack_timeout_history", "command", {"conversations.history": {"delay": 3}}, expect=("message",)),
    ]
    for status in (408, 429, 500, 529):
        out.append(Scenario(f"llm_{status}_once", "mention", llm=[Fault(status=status, retry_after=0.1), *ok],
                            expect=("answer",)))
        out.append(Scenario(f"llm_{status}_persistent", "command",
                            llm=[Fault(status=status, retry_after=0.1)] * llm_retries_exhausted, expect=("fallback",)))
    out += [
        Scenario("llm_timeout", "mention", llm=[Fault(delay=5, text=MODEL_REPLY)] * llm_retries_exhausted,
                 expect=("fallback",)),
        Scenario("llm_reset_once", "command", llm=[Fault(reset=True), *ok], expect=("answer",)),
        Scenario("llm_reset_persistent", "mention", llm=[Fault(reset=True)] * llm_retries_exhausted,
                 expect=("fallback",)),
    ]
    return out


def _classify(texts: list[str]) -> str:
    """Outcome of one request from its final messages (JSON text of blocks or plain text)."""
    if not texts:
        return "lost"
    if len(texts) > 1:
        return "duplicated"
    text = texts[0]
    if "Offline summary:" in text:
        return "fallback"
    if any(word in text for word in ("Key points", "Decisions", "Action items")):
        return "answer"
    return "message" if text.strip() else "lost"


USER_MESSAGES = (strings.GENERIC_ERROR,)


def run_scenario(scenario: Scenario, *, repeat: int, workdir: str, slack_timeout: float = 1.5,
                 llm_timeout: float = 3.0) -> Counter:
    """Run ``repeat`` requests under ``scenario``; returns the count of each outcome."""
    outcomes: Counter = Counter()
    with TimedFakeSlack() as fake, FakeLLM() as llm:
        thread_ts = build_workspace(fake, threads=repeat)
        app = start_app(slack_api_url=fake.base_url, database_url=f"sqlite:///{workdir}/{scenario.name}.sqlite3",
                        llm_provider="openai", openai_base_url=llm.openai_base_url, openai_api_key="bench",
                        llm_timeout=llm_timeout, llm_max_retries=1, slack_timeout=slack_timeout,
                        llm_stream_answers=False)  # the posted-then-updated path (streaming: tests/test_streaming.py)
        receiver = Receiver()
        script: list[Any] = []
        script_lock = __import__("threading").Lock()

        def reply(request: Any) -> Any:
            # Titles (another feature, after the answer) get a title; summaries follow the script.
            if "<transcript>" not in request.prompt:
                return "Release planning"
            with script_lock:
                return script.pop(0) if script else MODEL_REPLY

        llm.handler = reply
        try:
            for i in range(repeat):
                with script_lock:
                    script[:] = list(scenario.llm)
                for method, kwargs in scenario.slack.items():
                    fake.fail(method, **kwargs)
                outcomes[_one_request(scenario, i, fake, app, receiver, thread_ts[i])] += 1
                with fake.lock:
                    fake.faults.clear()
        finally:
            app.close()
            receiver.stop()
    return outcomes


def _one_request(scenario: Scenario, i: int, fake: TimedFakeSlack, app: Any, receiver: Receiver,
                 thread_ts: str) -> str:
    deadline = time.monotonic() + scenario.timeout_s
    if scenario.kind == "mention":
        event = mention_event(fake, thread_ts)
        status, _, _ = app.post(event_body(fake, event, event_id=f"Ev{scenario.name}{i}"), "application/json")

        def finals() -> list[str]:
            with fake.lock:
                timed = list(fake.timed)
            mine = {str(b.get("ts")) for _, m, p, b in timed
                    if m == "chat.postMessage" and b.get("ok") and p.get("thread_ts") == thread_ts}
            return [json.dumps(p.get("blocks")) if p.get("blocks") else str(p.get("text"))
                    for _, m, p, b in timed if m == "chat.update" and b.get("ok") and str(p.get("ts")) in mine]
    else:
        name = f"{scenario.name}-{i}"
        body = command_body(fake, text="<#C0GEN|general> 7d", user_id="U2", channel_id="C0GEN",
                            response_url=receiver.url(name))
        status, _, _ = app.post(body, "application/x-www-form-urlencoded")

        def finals() -> list[str]:
            with receiver.lock:
                mine = [b for _, n, b in receiver.posts if n == name]
            return [json.dumps(b["blocks"]) if b.get("blocks") else str(b.get("text")) for b in mine
                    if b.get("replace_original", True) and (b.get("blocks") or b.get("text"))]
    if status != 200:
        return "lost"
    _wait(lambda: bool(finals()), deadline)
    time.sleep(0.3)  # a duplicate would arrive now
    return _classify(finals())


def _wait(predicate: Callable[[], bool], deadline: float) -> None:
    while time.monotonic() < deadline and not predicate():
        time.sleep(0.05)


def main(argv: list[str] | None = None) -> int:
    """Run the scenarios, print a table of outcomes; exit 1 when one is lost, duplicated or unexpected."""
    import logging

    logging.basicConfig(level=logging.CRITICAL)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="requests per scenario")
    parser.add_argument("--only", default=None, help="comma-separated scenario names")
    parser.add_argument("--long-retry-after", type=int, default=30, help="seconds of the long Slack Retry-After")
    args = parser.parse_args(argv)
    chosen = [s for s in scenarios(long_retry_after=args.long_retry_after)
              if not args.only or s.name in args.only.split(",")]
    totals: Counter = Counter()
    bad = []
    print(f"{'scenario':34} {'kind':8} " + " ".join(f"{o:>10}" for o in OUTCOMES))
    with tempfile.TemporaryDirectory(prefix="recap-faults-") as workdir:
        for scenario in chosen:
            counts = run_scenario(scenario, repeat=args.repeat, workdir=workdir)
            totals.update(counts)
            print(f"{scenario.name:34} {scenario.kind:8} " + " ".join(f"{counts[o]:>10}" for o in OUTCOMES), flush=True)
            if any(o not in scenario.expect for o in counts):
                bad.append(scenario.name)
    print(f"{'TOTAL':34} {'':8} " + " ".join(f"{totals[o]:>10}" for o in OUTCOMES))
    print("all as expected" if not bad else "UNEXPECTED: " + ", ".join(bad))
    return 1 if bad or totals["lost"] or totals["duplicated"] else 0


if __name__ == "__main__":
    sys.exit(main())
