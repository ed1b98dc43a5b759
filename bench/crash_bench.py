"""Crash benchmark: nothing lost, nothing answered twice, while workers are SIGKILLed and the web tier restarts.

Everything on 127.0.0.1, in processes as in production: the web tier as ``recap run --http`` (Granian)
with ``QUEUE_URL`` set (it only acks and enqueues), ``--workers`` ``recap worker`` processes, and in
this process the fake Slack Web API (``tests/fakeslack``), the slow fake model (``tests/fakellm``,
every completion after ``--llm-delay`` seconds) and the ``response_url`` receiver.

The run: ``--mentions`` ``app_mention`` events and ``--commands`` ``/summarize`` commands, sent in
three waves over signed HTTP (:func:`bench.load_bench.fire`). While the model is answering wave 1,
every worker is SIGKILLed (mid-summary: their messages are unacknowledged) and started again; the
web tier is stopped (SIGTERM) and started again between waves 1 and 2; during wave 2 one worker is
SIGKILLed and restarted again. Slack's side retries an event whose delivery failed (``X-Slack-Retry-Num``),
as Slack does.

Counted per request: **answered** = the final answer (a ``chat.update`` with blocks of the thread's
working reply, or a ``response_url`` post with blocks) reached the fake Slack exactly once;
**duplicated** = more than once; **lost** = never, within ``--deadline`` seconds.

Usage (from the repository root; Redis and/or RabbitMQ on 127.0.0.1)::

    .venv/bin/python bench/crash_bench.py                                  # Redis, 12 + 12
    .venv/bin/python bench/crash_bench.py --queue-url amqp://guest:guest@127.0.0.1:5672/%2F
    .venv/bin/python bench/crash_bench.py --mentions 20 --commands 20 --workers 3

Last line: ``requests N answered N lost 0 duplicated 0``; exit status 1 when anything was lost or
duplicated.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.load_bench import (  # noqa: E402
    MODEL_REPLY,
    SIGNING_SECRET,
    AppProcess,
    Receiver,
    Result,
    TimedFakeSlack,
    _collect,
    _deep_backlogs,
    _sign,
    build_workspace,
    command_body,
    event_body,
    fire,
    mention_event,
    wait_until,
)
from tests.fakellm import FakeLLM, Fault  # noqa: E402
from tests.fakeslack import BOT_TOKEN  # noqa: E402


class WorkerProcess:
    """``recap worker`` in a child process with ``env``; :meth:`kill` SIGKILLs it."""

    def __init__(self, env: dict[str, str], *, threads: int) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", "worker", "--threads", str(threads)], cwd=str(ROOT),
                                     env=env, stdin=subprocess.DEVNULL)

    def kill(self) -> None:
        """SIGKILL, as an OOM killer or a lost machine does: no clean-up, no acks."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM and wait (bounded)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.kill()


def _env(settings: dict[str, Any]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LLM_", "OPENAI_", "ANTHROPIC_", "QUEUE_"))}
    env.update({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "LOG_LEVEL": "WARNING"})
    env.update({k.upper(): str(v) for k, v in settings.items()})
    return env


def _send(url: str, requests: list[dict[str, Any]], results: list[Result], fake: Any, *,
          retries: int = 3) -> None:
    """Send a wave; re-send (as Slack's retry) an event whose delivery failed, with ``X-Slack-Retry-Num``."""
    pending = list(range(len(requests)))
    for attempt in range(retries + 1):
        if not pending:
            return
        wave = []
        for i in pending:
            request = dict(requests[i])
            if attempt:
                request = _sign(request["body"], request["content_type"],
                                {"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": "http_error"})
            wave.append(request)
        answers = fire(url, wave)
        failed = []
        for i, (sent, seconds, status, _body) in zip(pending, answers, strict=True):
            if not results[i].sent:
                results[i].sent = sent
            if status == 200 and results[i].ack is None:
                results[i].ack, results[i].status = seconds, status
            elif status != 200 and results[i].kind == "mention":
                failed.append(i)
        pending = failed
        time.sleep(1.0 * (attempt + 1))


def _distinct_answers(fake: TimedFakeSlack, results: list[Result]) -> None:
    """Count a mention's answers as the distinct messages that carry it (a working reply updated with the
    answer, or a streamed answer finished by ``chat.stopStream``): a job retried after its worker
    died between Slack's ``chat.update`` and the claim's "done" writes the same answer into the same
    message again (one answer on screen; counted apart as ``answer_rewrites``). A second message with
    the answer, a message left half-streamed beside it (a worker killed mid-stream), or a second
    ``response_url`` post, still counts twice."""
    with fake.lock:
        timed = list(fake.timed)
    thread_of = {str(b.get("ts")): str(p.get("thread_ts")) for _, m, p, b in timed
                 if m in ("chat.postMessage", "chat.startStream") and b.get("ok")}
    answered: dict[str, set[str]] = {}
    for _, method, params, body in timed:
        # the working reply updated with the answer, or an answer streamed into the thread and finished
        if ((method == "chat.update" and params.get("blocks")
                and not str(params.get("text", "")).startswith(":hourglass"))
                or (method == "chat.stopStream" and body.get("ok"))):
            ts = str(params.get("ts"))
            answered.setdefault(thread_of.get(ts, ""), set()).add(ts)
    # a message left half-streamed (started, never stopped nor replaced) beside an answer is a second,
    # truncated answer on screen: it counts
    finished = {str(p.get("ts")) for _, m, p, b in timed if m in ("chat.stopStream", "chat.update") and b.get("ok")}
    halves: dict[str, set[str]] = {}
    for _, method, params, body in timed:
        if method == "chat.startStream" and body.get("ok") and str(body.get("ts")) not in finished:
            halves.setdefault(str(params.get("thread_ts")), set()).add(str(body.get("ts")))
    for result in results:
        if result.kind == "mention":
            whole = len(answered.get(result.key, ()))
            result.answers = whole + len(halves.get(result.key, ())) if whole else 0


def run(*, mentions: int, commands: int, llm_delay: float, workers: int, threads: int, queue_url: str,
        database_url: str | None, deadline: float) -> dict[str, Any]:
    """Run the benchmark once; returns the counts and timings."""
    _deep_backlogs()
    reset_shared_state(queue_url)
    run_id = uuid.uuid4().hex[:8]
    tmp = tempfile.TemporaryDirectory(prefix="recap-crash-")
    with TimedFakeSlack() as fake, FakeLLM() as llm:
        thread_ts = build_workspace(fake, threads=max(mentions, 1))
        llm.handler = lambda request: Fault(delay=llm_delay, text=MODEL_REPLY)
        settings = {"database_url": database_url or f"sqlite:///{tmp.name}/recap.sqlite3", "slack_api_url": fake.base_url,
                    "llm_provider": "openai", "openai_base_url": llm.openai_base_url, "openai_api_key": "bench",
                    "llm_timeout": max(30.0, llm_delay * 3), "llm_max_retries": 0, "queue_url": queue_url,
                    "queue_name": f"recap-crash-{run_id}", "queue_lease_seconds": 3, "queue_max_attempts": 5}
        env = _env(settings)
        pool = [WorkerProcess(env, threads=threads) for _ in range(workers)]
        app_settings = {k: v for k, v in settings.items() if k not in ("database_url", "slack_api_url")}
        web = AppProcess(slack_api_url=fake.base_url, database_url=settings["database_url"], **app_settings)
        receiver = Receiver()
        results: list[Result] = []
        requests: list[dict[str, Any]] = []
        for i in range(mentions):
            event = mention_event(fake, thread_ts[i])
            results.append(Result("mention", thread_ts[i], 0.0, extra={"ts": event["ts"]}))
            requests.append(_sign(event_body(fake, event, event_id=f"EvCrash{run_id}{i:04d}"), "application/json"))
        for i in range(commands):
            body = command_body(fake, text="", user_id="U2", channel_id="C0GEN", response_url=receiver.url(f"cmd-{i}"))
            results.append(Result("command", f"cmd-{i}", 0.0))
            requests.append(_sign(body, "application/x-www-form-urlencoded"))
        order = list(range(len(requests)))
        waves = [order[0::3], order[1::3], order[2::3]]
        started = time.monotonic()
        events: list[str] = []
        kills = 0

        def sub(indexes: list[int]) -> tuple[list[dict[str, Any]], list[Result]]:
            return [requests[i] for i in indexes], [results[i] for i in indexes]

        # wave 1, then SIGKILL every worker while the model is answering it
        _send(web.url, *sub(waves[0]), fake)
        wait_until(lambda: len(llm.requests) >= max(1, min(len(waves[0]), workers * threads) // 2),
                   deadline=time.monotonic() + 60)
        for worker in pool:
            worker.kill()
            kills += 1
        events.append(f"{time.monotonic() - started:.1f}s: SIGKILLed {workers} worker(s) with {len(llm.requests)} "
                      "model call(s) started")
        pool = [WorkerProcess(env, threads=threads) for _ in range(workers)]
        # the web tier restarts (SIGTERM, as a deploy does) between waves 1 and 2
        web.close()
        events.append(f"{time.monotonic() - started:.1f}s: web tier stopped")
        web = AppProcess(slack_api_url=fake.base_url, database_url=settings["database_url"], **app_settings)
        events.append(f"{time.monotonic() - started:.1f}s: web tier started again")
        _send(web.url, *sub(waves[1]), fake)
        seen = len(llm.requests)
        wait_until(lambda: len(llm.requests) > seen, deadline=time.monotonic() + 60)
        pool[0].kill()
        kills += 1
        events.append(f"{time.monotonic() - started:.1f}s: SIGKILLed one worker mid-work")
        pool[0] = WorkerProcess(env, threads=threads)
        _send(web.url, *sub(waves[2]), fake)

        end = started + deadline

        def all_answered() -> bool:
            _collect(fake, receiver, results)
            return all(r.answer is not None for r in results)

        wait_until(all_answered, deadline=end, step=0.25)
        time.sleep(min(3.0, max(0.0, end - time.monotonic())))  # late duplicates would show up here
        _collect(fake, receiver, results)
        writes = {id(r): r.answers for r in results}
        _distinct_answers(fake, results)
        answered = sum(1 for r in results if r.answers == 1)
        figures = {
            "requests": len(results), "answered": answered,
            "lost": sum(1 for r in results if r.answers == 0), "duplicated": sum(1 for r in results if r.answers > 1),
            "answer_rewrites": sum(writes[id(r)] - r.answers for r in results),
            "acked_200": sum(1 for r in results if r.status == 200), "sigkills": kills, "web_restarts": 1,
            "workers": workers, "threads": threads, "llm_delay_s": llm_delay, "model_calls": len(llm.requests),
            "broker": queue_url.split(":", 1)[0], "wall_s": round(time.monotonic() - started, 1), "events": events,
            "answer_s_max": round(max((r.answer or 0.0) for r in results), 2),
            "not_once": [f"{r.kind} {r.key}: {r.answers} answers" for r in results if r.answers != 1],
        }
        if os.environ.get("CRASH_BENCH_DUMP"):
            Path(os.environ["CRASH_BENCH_DUMP"]).write_text(json.dumps(
                {"slack": [(t, m, p, b) for t, m, p, b in fake.timed], "posts": receiver.posts}, default=str))
        web.close()
        for worker in pool:
            worker.stop()
        receiver.stop()
        remove_queue(queue_url, settings["queue_name"])
    tmp.cleanup()
    return figures


def reset_shared_state(url: str) -> None:
    """Start a run as a fresh deployment would: delete Recap's shared keys (``recap:*``: the rate limiter's
    windows and ``Retry-After`` blocks, the people and names caches) from the bench's Redis database. Without
    this, runs less than a minute apart share Slack's per-minute budgets (50 mentions use 50 of the 48
    ``reactions.add`` a minute a workspace may make) and a later run waits for an earlier one's calls. Only for
    a database the benches own: ``--queue-url``'s, ``/14`` by default."""
    if not url.startswith(("redis", "unix")):
        return
    try:
        import redis

        client = redis.Redis.from_url(url)
        for key in client.scan_iter("recap:*"):
            client.delete(key)
    except Exception as exc:  # noqa: BLE001 - the run goes on; its figures may then include waits
        print(f"could not reset the shared keys: {exc}", file=sys.stderr)


def remove_queue(url: str, name: str) -> None:
    """Delete a run's queue from the broker (Redis keys ``dramatiq-<name>*``, or the RabbitMQ queue and its
    delay and dead-letter queues), so runs do not pile up on a shared server."""
    try:
        if url.startswith(("redis", "unix")):
            import redis

            client = redis.Redis.from_url(url)
            for key in client.scan_iter(f"dramatiq-{name}*"):
                client.delete(key)
        else:
            import pika

            with pika.BlockingConnection(pika.URLParameters(url)) as connection:
                channel = connection.channel()
                for queue in (name, f"{name}.DQ", f"{name}.XQ"):
                    channel.queue_delete(queue=queue)
    except Exception as exc:  # noqa: BLE001 - clean-up only
        print(f"could not remove the queue {name}: {exc}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; prints the figures and the last line, returns 1 on a loss or duplicate."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentions", type=int, default=12)
    parser.add_argument("--commands", type=int, default=12)
    parser.add_argument("--llm-delay", type=float, default=3.0, help="seconds the fake model takes per call")
    parser.add_argument("--workers", type=int, default=2, help="`recap worker` processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--queue-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    parser.add_argument("--deadline", type=float, default=180.0, help="give up after this many seconds")
    args = parser.parse_args(argv)
    figures = run(mentions=args.mentions, commands=args.commands, llm_delay=args.llm_delay, workers=args.workers,
                  threads=args.threads, queue_url=args.queue_url, database_url=args.database_url,
                  deadline=args.deadline)
    print(json.dumps(figures, indent=2))
    print(f"requests {figures['requests']} answered {figures['answered']} lost {figures['lost']} "
          f"duplicated {figures['duplicated']}")
    return 1 if figures["lost"] or figures["duplicated"] or figures["answered"] != figures["requests"] else 0


if __name__ == "__main__":
    sys.exit(main())
