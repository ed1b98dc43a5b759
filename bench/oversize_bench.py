"""Oversize-request benchmark: one unsigned 200 MB POST to ``/slack/events`` of ``recap run --http``.

Issue 14's HIGH finding: the body was read, decoded and JSON-parsed before the signature check, and nothing
bounded it (one such request took a Granian worker from 263 MB to 1,672 MB). This starts the real server as
``bench/load_bench.py`` does (``recap run --http`` in a child process: Granian, one worker, the fake Slack
Web API in this process), sends the request from a raw socket (the body streamed in 1 MB chunks, stopped
as soon as an answer arrives) and reports:

* **status** and **seconds to the answer** (from the first byte sent);
* the server's **RSS growth**: the resident memory of the server's whole process tree (the ``recap``
  process and its Granian workers, read from ``/proc``) sampled every 10 ms, peak and 1 s after the
  answer, minus the figure before the request;
* whether a genuine signed request is still answered afterwards.

``--mode unguarded`` gives the "before" figure without touching the code: Granian serves Bolt's
``SlackRequestHandler`` directly, as ``bot/wsgi.py`` did before :mod:`bot.runtime.http_guard`
(:func:`unguarded_worker_app`), with the same settings and the same warm-up.

Usage (from the repository root, Linux: reads ``/proc``)::

    .venv/bin/python bench/oversize_bench.py                      # guarded (recap run --http), then unguarded
    .venv/bin/python bench/oversize_bench.py --mode guarded --size-mb 50

Exits non-zero when the guarded server misses the target: a 4xx within 1 s and RSS growth under 64 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.load_bench import SIGNING_SECRET, AppProcess  # noqa: E402
from tests.fakeslack import BOT_TOKEN, FakeSlack  # noqa: E402

MB = 1024 * 1024
TARGET_SECONDS = 1.0
TARGET_RSS_MB = 64


def unguarded_worker_app() -> Any:
    """Granian factory for the "before" figure: the app built as :func:`bot.wsgi.wsgi_worker_app` builds
    it, served by Bolt's ``SlackRequestHandler`` with nothing in front (settings from the environment)."""
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    from bot.app import build_services, create_app
    from bot.config import load_settings
    from bot.runtime.executor import prepare_to_serve

    settings = load_settings()
    app = create_app(settings, services=build_services(settings))
    prepare_to_serve(app)
    return SlackRequestHandler(app)


class UnguardedProcess(AppProcess):
    """Granian serving :func:`unguarded_worker_app` in a child process (one worker), with the environment
    :class:`bench.load_bench.AppProcess` gives ``recap run --http``."""

    def __init__(self, *, slack_api_url: str, database_url: str) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LLM_", "OPENAI_", "ANTHROPIC_"))}
        env.update({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": slack_api_url,
                    "DATABASE_URL": database_url, "PORT": str(port), "LOG_LEVEL": "WARNING", "LLM_PROVIDER": "offline"})
        self.url = f"http://127.0.0.1:{port}/slack/events"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "granian", "--interface", "wsgi", "--factory", "--workers", "1", "--port", str(port),
             "--working-dir", str(ROOT), "--log-level", "warning", "bench.oversize_bench:unguarded_worker_app"],
            cwd=str(ROOT), env=env, stdin=subprocess.DEVNULL)
        self._wait_ready(1)


def tree_rss_mb(root_pid: int) -> float:
    """Resident memory of ``root_pid`` and all its descendants, MB (``VmRSS`` in ``/proc/<pid>/status``)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = {root_pid}, [root_pid]
    while frontier:
        pid = frontier.pop()
        children = [child for child, parent in parents.items() if parent == pid and child not in tree]
        tree.update(children)
        frontier.extend(children)
    total_kb = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            pass
    return total_kb / 1024


def send_oversize(url: str, size: int, *, timeout: float = 300) -> tuple[int, float, int]:
    """POST an unsigned JSON body of ``size`` bytes, streamed; stop sending when the answer starts.

    Returns:
        ``(HTTP status (0: no answer), seconds from the first byte sent to the answer, bytes sent)``.
    """
    host, port = url.split("//", 1)[1].split("/", 1)[0].split(":")
    prefix = b'{"type": "event_callback", "event": {"type": "app_mention", "text": "'
    suffix = b'"}}'
    head = (f"POST /slack/events HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {size}\r\nConnection: close\r\n\r\n").encode()
    sock = socket.create_connection((host, int(port)), timeout=timeout)
    answered = threading.Event()
    sent = [0]

    def pump() -> None:
        chunk = b"a" * MB
        try:
            sock.sendall(head + prefix)
            sent[0] = len(prefix)
            while sent[0] < size - len(suffix) and not answered.is_set():
                part = chunk[: min(MB, size - len(suffix) - sent[0])]
                sock.sendall(part)
                sent[0] += len(part)
            if not answered.is_set():
                sock.sendall(suffix)
                sent[0] += len(suffix)
        except OSError:  # the server answered and closed the connection while the body was being sent
            pass

    started = time.monotonic()
    sender = threading.Thread(target=pump, daemon=True)
    sender.start()
    try:
        first = sock.recv(4096)
    except OSError:
        first = b""
    seconds = time.monotonic() - started
    answered.set()
    sock.close()
    sender.join(timeout=10)
    status = int(first.split(b" ", 2)[1]) if first.startswith(b"HTTP/") else 0
    return status, seconds, sent[0]


def measure(server: AppProcess, size: int) -> dict[str, Any]:
    """Send the oversize request to ``server`` and sample its memory meanwhile."""
    time.sleep(1.0)
    before = tree_rss_mb(server.proc.pid)
    peak = [before]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], tree_rss_mb(server.proc.pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    status, seconds, sent = send_oversize(server.url, size)
    time.sleep(1.0)
    after = tree_rss_mb(server.proc.pid)
    stop.set()
    sampler.join()
    challenge = json.dumps({"type": "url_verification", "challenge": "still-alive", "token": "x"})
    alive = server.post(challenge, "application/json")[0] == 200
    return {"status": status, "seconds_to_answer": round(seconds, 3), "body_mb_sent": round(sent / MB, 1),
            "rss_before_mb": round(before, 1), "rss_peak_growth_mb": round(peak[0] - before, 1),
            "rss_growth_after_mb": round(after - before, 1), "still_answers_signed_requests": alive}


def run(mode: str, size: int) -> dict[str, Any]:
    """Start the server of ``mode`` (``guarded``: ``recap run --http``; ``unguarded``: Bolt's adapter
    alone), measure, stop it."""
    with FakeSlack() as fake, tempfile.TemporaryDirectory(prefix="recap-oversize-") as tmp:
        database_url = f"sqlite:///{tmp}/recap.sqlite3"
        server: AppProcess
        if mode == "guarded":
            server = AppProcess(slack_api_url=fake.base_url, database_url=database_url, workers=1)
        else:
            server = UnguardedProcess(slack_api_url=fake.base_url, database_url=database_url)
        try:
            return {"mode": mode, "size_mb": size // MB, **measure(server, size)}
        finally:
            server.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--mode", choices=["guarded", "unguarded", "both"], default="both")
    parser.add_argument("--size-mb", type=int, default=200, help="body size, MB (default 200)")
    args = parser.parse_args(argv)
    modes = ["guarded", "unguarded"] if args.mode == "both" else [args.mode]
    results = [run(mode, args.size_mb * MB) for mode in modes]
    print(f"{'mode':<10} {'status':>6} {'answer s':>9} {'sent MB':>8} {'RSS before':>11} {'peak +MB':>9} "
          f"{'after +MB':>10} {'alive':>6}")
    for r in results:
        print(f"{r['mode']:<10} {r['status']:>6} {r['seconds_to_answer']:>9} {r['body_mb_sent']:>8} "
              f"{r['rss_before_mb']:>11} {r['rss_peak_growth_mb']:>9} {r['rss_growth_after_mb']:>10} "
              f"{str(r['still_answers_signed_requests']):>6}")
    print(json.dumps(results))
    failures = [
        f"{r['mode']}: status {r['status']}, {r['seconds_to_answer']} s, +{r['rss_peak_growth_mb']} MB"
        for r in results if r["mode"] == "guarded" and not (
            400 <= r["status"] < 500 and r["seconds_to_answer"] < TARGET_SECONDS
            and r["rss_peak_growth_mb"] < TARGET_RSS_MB and r["still_answers_signed_requests"])]
    for failure in failures:
        print(f"TARGET MISSED ({TARGET_SECONDS} s, {TARGET_RSS_MB} MB): {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
