"""Benchmark: the CPU an ack costs the web tier's Python, beside the bare server's (issue 13).

Run from the repository root (a script, not a test; needs Redis on 127.0.0.1:6379)::

    .venv/bin/python bench/ack_cpu.py [--requests 2000] [--queue-url redis://127.0.0.1:6379/14]

``bench/load_bench.py --baseline`` compares ack p99s under a burst, which on one shared core swing with
everything else the machine does. This measures the cause of the ratio instead: the process CPU time
(``time.process_time``, so not the wait for Redis) of the WSGI callables, called in-process with signed
``app_mention`` requests built as the load bench builds them, without Granian (whose own cost is the same
for both):

* **bare**: ``bench.load_bench.bare_wsgi_app`` (read the body, check the signature, answer 200);
* **app**: ``bot.wsgi.create_wsgi_app`` with ``QUEUE_URL`` (signature and shape checks, the fast lane,
  the Dramatiq enqueue to Redis, Bolt's ack response);
* **enqueue**: :func:`bot.queue.broker.enqueue_lazy` alone, the same message;
* **ping**: one Redis ``PING`` through redis-py (the floor of any round trip from Python).

Each figure is the median of ``--rounds`` rounds of ``--requests`` calls, in microseconds a call. The queue
is a fresh one and is deleted afterwards.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _environ(request: dict[str, Any]) -> dict[str, Any]:
    body = request["body"].encode()
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/slack/events", "QUERY_STRING": "", "SERVER_NAME": "bench",
               "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
               "CONTENT_TYPE": request["content_type"], "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
    environ.update({"HTTP_" + k.upper().replace("-", "_"): v for k, v in request["headers"].items()})
    return environ


def _cpu_us(calls: Callable[[], None], count: int) -> float:
    started = time.process_time()
    calls()
    return (time.process_time() - started) * 1e6 / count


def main(argv: list[str] | None = None) -> int:
    """Print the four figures and the app/bare ratio; exit 2 when Redis is unreachable."""
    import redis

    from bench.load_bench import (
        BOT_TOKEN,
        SIGNING_SECRET,
        TimedFakeSlack,
        _sign,
        bare_wsgi_app,
        build_workspace,
        mention_event,
    )
    from tests.e2e import event_body

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--queue-url", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args(argv)
    try:
        redis.Redis.from_url(args.queue_url).ping()
    except redis.RedisError as error:
        print(f"Redis at {args.queue_url} is unreachable: {error}", file=sys.stderr)
        return 2
    queue_name = f"recap-ackcpu-{uuid.uuid4().hex[:8]}"
    with TimedFakeSlack() as fake:
        os.environ.update(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=fake.base_url,
                          QUEUE_URL=args.queue_url, QUEUE_NAME=queue_name, LLM_PROVIDER="offline",
                          DATABASE_URL="sqlite://", LOG_LEVEL="WARNING")
        from bot.config import load_settings
        from bot.queue.broker import enqueue_lazy, make_broker, warm_up
        from bot.wsgi import create_wsgi_app

        settings = load_settings()
        app = create_wsgi_app(settings)
        warm_up(settings, connections=2)
        bare = bare_wsgi_app()
        threads = build_workspace(fake, threads=5)
        n = args.requests

        def requests() -> list[dict[str, Any]]:  # signed now: the signature check refuses old timestamps
            return [_sign(event_body(fake, mention_event(fake, threads[i % 5]), event_id=f"EvCpu{uuid.uuid4().hex}"),
                          "application/json") for i in range(n)]

        def serve(wsgi: Callable[..., Any], batch: list[dict[str, Any]]) -> Callable[[], None]:
            environs = [_environ(r) for r in batch]
            statuses: list[str] = []

            def start_response(status: str, headers: list, exc_info: Any = None) -> None:
                statuses.append(status)

            def run() -> None:
                for environ in environs:
                    b"".join(wsgi(environ, start_response))
                if any(not s.startswith("200") for s in statuses):
                    raise RuntimeError(f"not every request was answered 200: {sorted(set(statuses))}")
            return run

        body = json.loads(requests()[0]["body"])
        client = redis.Redis.from_url(args.queue_url)
        figures: dict[str, list[float]] = {"bare": [], "app": [], "enqueue": [], "ping": []}
        for _ in range(args.rounds):
            figures["bare"].append(_cpu_us(serve(bare, requests()), n))
            figures["app"].append(_cpu_us(serve(app, requests()), n))
            figures["enqueue"].append(_cpu_us(lambda: [enqueue_lazy(
                settings, lazy_function_name="handle_mention", body=body, headers={}, claim_key=None, team_id="T1")
                for _ in range(n)], n))
            figures["ping"].append(_cpu_us(lambda: [client.ping() for _ in range(n)], n))
        make_broker(settings).flush(queue_name)
    median = {name: statistics.median(values) for name, values in figures.items()}
    for name, value in median.items():
        print(f"{name:8s} {value:7.1f} µs of CPU a call (rounds: {', '.join(f'{v:.1f}' for v in figures[name])})")
    print(f"app / bare, Python only: {median['app'] / median['bare']:.1f}; the enqueue is "
          f"{median['enqueue'] / median['app']:.0%} of the app's")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
