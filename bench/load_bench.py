"""Ack-budget benchmark: 50 concurrent ``app_mention`` events + 50 ``/summarize`` commands, slow model.

Everything runs on 127.0.0.1, in three processes as in production: the real Recap app as
``recap run --http`` (Granian, ``--workers`` processes), Slack's side — the fake Slack Web API
(``tests/fakeslack``), the fake OpenAI-compatible model server (``tests/fakellm``, answering every
completion after ``--llm-delay`` seconds) and the ``response_url`` receiver — in this process, and the
sender of Slack's requests in a third (an asyncio client: every request signed beforehand, all sent at
once, each on its own connection, timed from just before connecting). Slack forbids load tests against
Slack itself, so nothing here touches the network.

Measured per request (seconds, from the moment the request is sent):

* **ack**: the HTTP answer to Slack's request (Slack's budget is 3 s; Recap's target is p99 ≤ 0.1 s);
* **sign of life**: the first thing the user sees — for a mention the ``:eyes:`` reaction, the
  "Reading the thread…" reply or the thread's "is reading…" status on the fake Slack (past the workspace's
  ``reactions.add`` budget, 48 a minute, the :eyes: is skipped rather than late); for ``/summarize`` the ack's own "Working on it"
  text (shown at once by Slack), and separately the first ``response_url`` post;
* **answer**: the final summary (``chat.update`` of the working reply / ``response_url`` post with blocks).

Usage (from the repository root)::

    .venv/bin/python bench/load_bench.py                 # 50 + 50, model answers after 10 s
    .venv/bin/python bench/load_bench.py --mentions 10 --commands 10 --llm-delay 2 --listener-threads 5
    .venv/bin/python bench/load_bench.py --workers 2 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

With ``--queue-url`` the app is the web tier of the durable queue (it only acks and enqueues) and
``--queue-workers`` ``recap worker`` processes do the work (the burst is sent once they all consume the
queue, as in a deployment whose workers are up). With ``--baseline`` the very same signed burst is also
sent, in the same run, to a bare server (Granian with the same HTTP workers and threads, checking the
Slack signature and answering 200, nothing else) running beside the app, a moment before the app gets
it, and the last line is ``ack p99 ratio to the bare server: R``::

    .venv/bin/python bench/load_bench.py --baseline --queue-url redis://127.0.0.1:6379/14 --queue-workers 2

As ``docs/deploy.md`` deploys it (web tier, workers, broker and database on separate machines: here the app
and the bare server on one core, the workers, Slack's side and a local PostgreSQL on the other, a local Redis
above them all in priority; workers sized to the burst)::

    .venv/bin/python bench/load_bench.py --baseline --queue-url redis://127.0.0.1:6379/14 --queue-workers 2 \
        --worker-threads 50 --separate-cores --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

``--worker-nice N`` starts the workers N steps below the app's CPU priority instead (one machine for both).

It stops by itself (every wait is bounded by ``--deadline`` seconds) and exits non-zero when a target
is missed: ack p99 > 0.1 s, sign of life > 1 s, or any request unanswered or answered twice.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from wsgiref.simple_server import make_server

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from slack_sdk.signature import SignatureVerifier  # noqa: E402

from tests.e2e import _QuietHandler, event_body, signed_post  # noqa: E402  (event_body: re-exported)
from tests.fakellm import FakeLLM, Fault  # noqa: E402
from tests.fakeslack import BOT_TOKEN, FakeSlack  # noqa: E402

SIGNING_SECRET = "bench-signing-secret"
MODEL_REPLY = json.dumps({
    "overview": "The team planned the v2.4 release.",
    "key_points": [{"text": "Support prefers Wednesday.", "sources": ["m2"]}],
    "decisions": [{"text": "Ship v2.4 on Wednesday Dec 3.", "sources": ["m3"]}],
    "action_items": [{"text": "Fix the migration tests.", "owner": "@raj", "sources": ["m1"]}],
    "open_questions": [],
})


# ------------------------------------------------------------------------------------------ servers


class TimedFakeSlack(FakeSlack):
    """:class:`FakeSlack` that also records when each call arrived and what it answered.

    Attributes:
        timed: ``(monotonic seconds, method, params, answer body)`` per call.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.timed: list[tuple[float, str, dict, dict]] = []

    def dispatch(self, method: str, params: dict, *, token: str | None) -> tuple[int | None, dict, dict]:
        arrived = time.monotonic()
        status, headers, body = super().dispatch(method, params, token=token)
        with self.lock:
            self.timed.append((arrived, method, dict(params), body))
        return status, headers, body


class Receiver:
    """Records ``response_url`` posts with their arrival time (monotonic seconds)."""

    def __init__(self) -> None:
        self.posts: list[tuple[float, str, dict]] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - stdlib name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with outer.lock:
                    outer.posts.append((time.monotonic(), self.path.lstrip("/"), json.loads(body or b"{}")))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 1024

        self.server = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, name: str) -> str:
        """The ``response_url`` for request ``name``."""
        return f"http://127.0.0.1:{self.server.server_address[1]}/{name}"

    def stop(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()


def _sign(body: str, content_type: str, headers: dict | None = None) -> dict[str, Any]:
    """A request as Slack sends it: body, content type and signature headers (signed now)."""
    ts = str(int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=ts, body=body)
    return {"body": body, "content_type": content_type,
            "headers": {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature, **(headers or {})}}


def _post(url: str, body: str, content_type: str, *, headers: dict | None = None) -> tuple[int, bytes, float]:
    """Send one request signed with the benchmark's secret; returns ``(status, body, seconds to the answer)``."""
    return signed_post(url, body, content_type, headers=headers, secret=SIGNING_SECRET, timeout=30)


def _start_on(cpus: set[int] | None, nice: int = 0) -> Callable[[], None] | None:
    """A ``preexec_fn`` that confines a child process to ``cpus`` and lowers its CPU priority by ``nice``
    steps (None when there is nothing to do)."""
    import os

    if not cpus and not nice:
        return None

    def setup() -> None:
        if cpus:
            os.sched_setaffinity(0, cpus)
        if nice:
            os.nice(nice)

    return setup


def split_cores() -> tuple[set[int], set[int]] | None:
    """``(web cores, other cores)``: the first core this process may use for the web tier (and the bare
    server), the rest for everything else (queue workers, the fake Slack and model, the sender); None with
    fewer than two cores. On a 2-core machine that is the nearest to the deployment of ``docs/deploy.md``
    (web replicas and workers on separate machines) that one machine can give."""
    import os

    cores = set(os.sched_getaffinity(0))
    if len(cores) < 2:
        return None
    web = {min(cores)}
    return web, cores - web


@dataclass
class ServicePlacement:
    """What :func:`place_local_services` changed, to undo: per thread id, its cores and its nice value before."""

    cores: dict[int, set[int]] = field(default_factory=dict)
    nice: dict[int, int] = field(default_factory=dict)


def place_local_services(cpus: set[int], *, queue_url: str | None, database_url: str | None) -> ServicePlacement:
    """Give the broker and database servers of the run, when they run on this machine, the place they have in
    ``docs/deploy.md``'s deployment: machines of their own, not the web tier's.

    * **PostgreSQL** (every ``postgres`` process; the postmaster's later children inherit it) moves to ``cpus``,
      the workers' cores: only the workers use it.
    * **Redis** (the ``process_id`` of ``INFO server``) runs 10 nice steps above everything else for the run,
      on any core: on a dedicated host its answers do not wait behind 100 worker threads. Left as it is, the
      enqueue of every ack waited for it (a whole burst's acks at 84–117 ms p50 in some runs, for 4 ms of the
      app's CPU), which the bare server, needing no broker, never does.

    Nothing is changed for services on other hosts, or where this process may not (not root).

    Returns:
        what to undo with :func:`restore_services`.
    """
    import os

    placed = ServicePlacement()

    def threads(pid: int) -> list[int]:
        return [int(task.name) for task in Path(f"/proc/{pid}/task").glob("*") if task.name.isdigit()]

    local = ("127.0.0.1", "localhost", "[::1]")
    if queue_url and queue_url.startswith("redis") and any(h in queue_url for h in local):
        try:
            import redis

            redis_pid = int(redis.Redis.from_url(queue_url).info("server")["process_id"])
            for tid in threads(redis_pid):
                previous = os.getpriority(os.PRIO_PROCESS, tid)
                os.setpriority(os.PRIO_PROCESS, tid, previous - 10)
                placed.nice[tid] = previous
        except Exception:  # noqa: BLE001 - not reachable, not ours, not allowed: left as it is
            pass
    if database_url and database_url.startswith("postgresql") and any(h in database_url for h in local):
        for entry in Path("/proc").iterdir():
            try:
                if not (entry.name.isdigit() and (entry / "comm").read_text().strip() in ("postgres", "postmaster")):
                    continue
                for tid in threads(int(entry.name)):
                    previous_cores = os.sched_getaffinity(tid)
                    os.sched_setaffinity(tid, cpus)
                    placed.cores[tid] = previous_cores
            except (OSError, ValueError):
                continue
    return placed


def restore_services(placed: ServicePlacement) -> None:
    """Undo :func:`place_local_services` for the threads still running (safe to call twice)."""
    import os

    for tid, cores in placed.cores.items():
        try:
            os.sched_setaffinity(tid, cores)
        except OSError:
            continue
    for tid, nice in placed.nice.items():
        try:
            os.setpriority(os.PRIO_PROCESS, tid, nice)
        except OSError:
            continue


@dataclass
class App:
    """A Recap app served in this process by the stdlib's threading WSGI server (the fault benchmark and
    tests, which need the app's services at hand), and how to send it signed requests."""

    url: str
    server: Any
    services: Any

    def post(self, body: str, content_type: str, *, headers: dict | None = None) -> tuple[int, bytes, float]:
        """Send a signed request; returns ``(status, body, seconds to the answer)``."""
        return _post(self.url, body, content_type, headers=headers)

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()


def start_app(*, slack_api_url: str, database_url: str, **settings: Any) -> App:
    """Start the Recap app (HTTP mode, in this process) against the Web API at ``slack_api_url``, on a
    free port of 127.0.0.1."""
    from bot.app import build_services
    from bot.config import load_settings
    from bot.wsgi import ThreadingWSGIServer, create_wsgi_app

    merged: dict[str, Any] = {"llm_provider": "offline", **settings}
    loaded = load_settings(None, slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET,
                           slack_api_url=slack_api_url, database_url=database_url, **merged)
    services = build_services(loaded)
    wsgi = create_wsgi_app(loaded, services=services)
    server = make_server("127.0.0.1", 0, wsgi, server_class=ThreadingWSGIServer, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return App(url=f"http://127.0.0.1:{server.server_address[1]}/slack/events", server=server, services=services)


class AppProcess:
    """``recap run --http`` in a child process, exactly as in production (Granian, ``workers`` processes,
    the digest scheduler beside them), with the settings in its environment, on a free port of 127.0.0.1.

    Args:
        slack_api_url: the fake Slack's ``base_url``.
        database_url: shared by every process started with it.
        workers: ``HTTP_WORKERS``.
        cpus: the cores it may run on (all of this process's when None).
        **settings: more settings by name (``llm_provider``, ``openai_base_url``, ``listener_threads``, …).

    Raises:
        RuntimeError: the app did not answer within 60 seconds.
    """

    def __init__(self, *, slack_api_url: str, database_url: str, workers: int = 1, cpus: set[int] | None = None,
                 **settings: Any) -> None:
        import os
        import socket
        import subprocess

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LLM_", "OPENAI_", "ANTHROPIC_"))}
        env.update({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": slack_api_url,
                    "DATABASE_URL": database_url, "PORT": str(port), "HTTP_WORKERS": str(workers),
                    "LOG_LEVEL": "WARNING", "LLM_PROVIDER": "offline"})
        env.update({k.upper(): str(v) for k, v in settings.items()})
        self.url = f"http://127.0.0.1:{port}/slack/events"
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", "run", "--http"], cwd=str(ROOT), env=env,
                                     stdin=subprocess.DEVNULL, preexec_fn=_start_on(cpus))
        self._wait_ready(workers)

    def _wait_ready(self, workers: int) -> None:
        body = json.dumps({"type": "url_verification", "challenge": "ready", "token": "x"})
        deadline = time.monotonic() + 60
        while True:
            try:
                if self.post(body, "application/json")[0] == 200:
                    break
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError("recap run --http did not start")
            time.sleep(0.2)
        time.sleep(2.0 * workers)  # the other workers finish their warm-up too

    def post(self, body: str, content_type: str, *, headers: dict | None = None) -> tuple[int, bytes, float]:
        """Send a signed request; returns ``(status, body, seconds to the answer)``."""
        return _post(self.url, body, content_type, headers=headers)

    def close(self) -> None:
        """Stop the app (SIGTERM, as a process manager does), bounded."""
        import subprocess

        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)


def bare_wsgi_app() -> Callable[..., Any]:
    """The bare server's WSGI app: read the body, check the Slack signature (slack_sdk's
    ``SignatureVerifier``, as Recap does), answer 200 with an empty body (401 if the signature is wrong).
    The floor any Slack app's ack can reach on this machine with Granian."""
    verifier = SignatureVerifier(SIGNING_SECRET)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        valid = verifier.is_valid(body, environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", ""),
                                  environ.get("HTTP_X_SLACK_SIGNATURE", ""))
        start_response("200 OK" if valid else "401 Unauthorized", [("Content-Type", "text/plain"),
                                                                   ("Content-Length", "0")])
        return [b""]

    return app


class BareProcess:
    """The bare server (:func:`bare_wsgi_app`) under Granian in a child process, with the app's
    threads per worker and ``workers`` processes, on a free port of 127.0.0.1 (on ``cpus`` when given)."""

    def __init__(self, *, workers: int = 1, http_threads: int | None = None, cpus: set[int] | None = None) -> None:
        import socket
        import subprocess

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/slack/events"
        self.proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--serve-bare", str(port),
                                      "--workers", str(workers), *(["--http-threads", str(http_threads)]
                                                                  if http_threads else [])],
                                     cwd=str(ROOT), stdin=subprocess.DEVNULL, preexec_fn=_start_on(cpus))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if _post(self.url, "{}", "application/json")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        time.sleep(1.0)

    def close(self) -> None:
        """SIGTERM, bounded."""
        import subprocess

        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _serve_bare(port: int, workers: int, http_threads: int | None) -> int:
    """``--serve-bare PORT``: serve :func:`bare_wsgi_app` with Granian as ``recap run --http`` serves Recap."""
    from granian import Granian
    from granian.constants import Interfaces

    from bot.wsgi import default_http_threads

    Granian("bench.load_bench:bare_wsgi_app", factory=True, interface=Interfaces.WSGI, address="127.0.0.1",
            port=port, workers=workers, blocking_threads=http_threads or default_http_threads(), backlog=1024).serve()
    return 0


def start_queue_workers(count: int, *, threads: int, settings: dict[str, Any], nice: int = 0,
                        cpus: set[int] | None = None) -> list[Any]:
    """``count`` ``recap worker`` child processes with ``settings`` in their environment (stop them
    with ``terminate()``), ``nice`` steps below this process's CPU priority (``nice -n``; 0 = the same),
    as ``docs/deploy.md`` says to run workers on a machine they share with a web tier, on ``cpus``
    when given."""
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "LLM_", "OPENAI_", "ANTHROPIC_", "QUEUE_"))}
    env.update({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "LOG_LEVEL": "WARNING"})
    env.update({k.upper(): str(v) for k, v in settings.items()})
    return [subprocess.Popen([sys.executable, "-m", "bot", "worker", "--threads", str(threads)], cwd=str(ROOT),
                             env=env, stdin=subprocess.DEVNULL, preexec_fn=_start_on(cpus, nice))
            for _ in range(count)]


def wait_for_workers(url: str, name: str, count: int, *, timeout: float = 120.0) -> bool:
    """Wait until ``count`` workers consume the queue ``name`` on the broker at ``url``, as in a deployment
    whose workers are up before Slack's requests arrive: Dramatiq's Redis consumers each record a heartbeat
    in ``dramatiq-<name>:__heartbeats__`` when they poll; RabbitMQ counts the queue's consumers.

    Returns:
        True when they all were, False at ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if url.startswith(("redis", "unix")):
                import redis

                ready = int(redis.Redis.from_url(url).zcard(f"dramatiq-{name}:__heartbeats__"))
            else:
                import pika

                with pika.BlockingConnection(pika.URLParameters(url)) as connection:
                    ready = connection.channel().queue_declare(queue=name, passive=True).method.consumer_count
        except Exception:  # noqa: BLE001 - not declared yet: no worker is consuming
            ready = 0
        if ready >= count:
            return True
        time.sleep(0.2)
    return False


def baseline_acks(*, count: int, workers: int, http_threads: int | None) -> dict[str, float]:
    """Ack percentiles (ms) of ``count`` signed requests sent at once to a bare server started for them
    (on its own, outside a run; :func:`run` with ``baseline=True`` measures it beside the app instead)."""
    bare = BareProcess(workers=workers, http_threads=http_threads)
    try:
        body = json.dumps({"type": "event_callback", "team_id": "T0", "event_id": "EvBare", "event": {"type": "x"}})
        return bare_figures(fire(bare.url, [_sign(body, "application/json") for _ in range(count)]))
    finally:
        bare.close()


def bare_figures(answers: list[tuple[float, float, int, str]]) -> dict[str, float]:
    """Ack percentiles (ms) and the count of 200 answers of a burst sent to the bare server (:func:`fire`'s result)."""
    acks = [seconds * 1000 for _, seconds, status, _ in answers if status == 200]
    return {"p50": round(percentile(acks, 50), 1), "p99": round(percentile(acks, 99), 1),
            "max": round(max(acks, default=float("nan")), 1), "ok": len(acks)}


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system, seconds) used so far by process ``pid`` and all its descendants (Linux
    ``/proc``; clock ticks, usually 10 ms). NaN where ``/proc`` is missing."""
    import os

    def tree(root: int) -> list[int]:
        found = [root]
        try:
            tasks = os.listdir(f"/proc/{root}/task")
        except OSError:
            return found
        for task in tasks:
            try:
                with open(f"/proc/{root}/task/{task}/children") as handle:
                    found += [p for child in handle.read().split() for p in tree(int(child))]
            except OSError:
                continue
        return found

    total = 0.0
    try:
        for process in tree(pid):
            with open(f"/proc/{process}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    except OSError:
        return float("nan")
    return total / os.sysconf("SC_CLK_TCK")


def fire(url: str, requests: list[dict[str, Any]]) -> list[tuple[float, float, int, str]]:
    """Send every request at once from a separate process (Slack's side), each on its own connection.

    Args:
        url: the app's events URL.
        requests: from :func:`_sign`.

    Returns:
        per request, in order: ``(monotonic seconds when sent, seconds to the answer, HTTP status,
        answer body)``; status 0 when the connection failed.
    """
    import subprocess

    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--fire"], cwd=str(ROOT), text=True,
                          input=json.dumps({"url": url, "requests": requests}), capture_output=True, timeout=120)
    if done.returncode:
        raise RuntimeError(f"the sender failed: {done.stderr[-2000:]}")
    return [tuple(item) for item in json.loads(done.stdout)]


def _fire_main() -> int:
    """``--fire``: the sender process. Reads ``{"url", "requests"}`` on stdin, prints the timings."""
    import asyncio
    from urllib.parse import urlsplit

    job = json.loads(sys.stdin.read())
    target = urlsplit(job["url"])
    host, port = target.hostname or "127.0.0.1", target.port or 80

    def raw(request: dict[str, Any]) -> bytes:
        body = request["body"].encode()
        head = [f"POST {target.path} HTTP/1.1", f"Host: {host}:{port}", f"Content-Type: {request['content_type']}",
                f"Content-Length: {len(body)}", "Connection: close",
                *(f"{k}: {v}" for k, v in request["headers"].items())]
        return ("\r\n".join(head) + "\r\n\r\n").encode() + body

    async def one(data: bytes) -> tuple[float, float, int, str]:
        sent = time.monotonic()
        try:
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(data)
            answer = await asyncio.wait_for(reader.read(), timeout=60)
            seconds = time.monotonic() - sent
            writer.close()
        except (TimeoutError, OSError):
            return sent, time.monotonic() - sent, 0, ""
        head, _, body = answer.partition(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
        return sent, seconds, status, body.decode("utf-8", "replace")

    async def main() -> list[tuple[float, float, int, str]]:
        payloads = [raw(request) for request in job["requests"]]
        return await asyncio.gather(*(one(data) for data in payloads))

    print(json.dumps(asyncio.run(main())))
    return 0


def command_body(fake: FakeSlack, *, text: str, user_id: str, channel_id: str, response_url: str) -> str:
    """A ``/summarize`` slash-command form body as Slack sends it."""
    return urlencode({"token": "x", "team_id": fake.team_id, "team_domain": fake.domain, "channel_id": channel_id,
                      "user_id": user_id, "command": "/summarize", "text": text, "api_app_id": "A0RECAP",
                      "response_url": response_url, "trigger_id": "1.2.3"})


def mention_event(fake: FakeSlack, thread_ts: str, *, user: str = "U1", channel_id: str = "C0GEN") -> dict[str, Any]:
    """An ``app_mention`` of the bot in the thread ``thread_ts``, posted into the fake workspace first, as Slack
    has the message before it sends the event (so the :eyes: reaction, the mention's sign of life, finds it)."""
    text = "<@U0BOT> summarize"
    ts = fake.post(channel_id, user, text, thread_ts=thread_ts)["ts"]
    return {"type": "app_mention", "user": user, "text": text, "ts": ts, "thread_ts": thread_ts, "channel": channel_id,
            "event_ts": ts}


def build_workspace(fake: FakeSlack, *, threads: int, channel_id: str = "C0GEN") -> list[str]:
    """Users, a public channel and ``threads`` small release-planning threads; returns their ``thread_ts``."""
    for uid, name in [("U1", "maya"), ("U2", "raj"), ("U3", "lena")]:
        fake.add_user(uid, name)
    if channel_id not in fake.channels:
        fake.add_channel(channel_id, "general", members=["U1", "U2", "U3"])
    out = []
    for i in range(threads):
        parent = fake.post(channel_id, "U1", f"Release planning #{i}: ship v2.4 on Tuesday or Wednesday?")
        ts = parent["ts"]
        fake.post(channel_id, "U2", "The flaky migration tests need a fix first; I can have it by Friday.", thread_ts=ts)
        fake.post(channel_id, "U3", "Support prefers Wednesday because ticket volume peaks on Tuesdays.", thread_ts=ts)
        fake.post(channel_id, "U1", "Decision: we ship v2.4 on Wednesday Dec 3.", thread_ts=ts)
        out.append(ts)
    return out


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0–100) by the nearest-rank method; NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def wait_until(predicate: Callable[[], bool], *, deadline: float, step: float = 0.05) -> bool:
    """Poll ``predicate`` until true or ``deadline`` (monotonic seconds); bounded."""
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


# ------------------------------------------------------------------------------------------ the run


@dataclass
class Result:
    """One request's timings (seconds from sending; None = never happened)."""

    kind: str
    key: str
    sent: float
    status: int = 0
    ack: float | None = None
    sign_of_life: float | None = None
    first_post: float | None = None
    answer: float | None = None
    answers: int = 0
    extra: dict = field(default_factory=dict)


def _deep_backlogs() -> None:
    """Give the fakes' HTTP servers a deep listen backlog (the stdlib's 5 drops connections under a
    burst of 100, which real Slack does not)."""
    from tests import fakellm
    from tests.fakeslack import server as fakeslack_server

    fakeslack_server._Server.request_queue_size = 1024
    fakellm._Server.request_queue_size = 1024


def run(*, mentions: int, commands: int, llm_delay: float, listener_threads: int, deadline: float,
        database_url: str | None, workers: int = 1, http_threads: int | None = None, queue_url: str | None = None,
        queue_workers: int = 2, worker_threads: int = 8, workers_after_acks: bool = False,
        baseline: bool = False, worker_nice: int = 0, separate_cores: bool = False) -> dict[str, Any]:
    """Run the benchmark once; returns the figures (see :func:`summarize_results`). With ``queue_url``
    the app only acks and enqueues, and ``queue_workers`` ``recap worker`` processes do the work
    (started after the burst is acknowledged with ``workers_after_acks``: the web tier then has this
    machine's cores to itself, as when the workers run on other machines).

    With ``baseline`` the bare server (:class:`BareProcess`, the same HTTP workers and threads) runs
    beside the app and gets the very same signed requests a moment before the app does, with everything
    else of the run already up and idle (workers, fakes, the app); its figures are ``bare_ack_ms``
    (:func:`bare_figures`). The machine is shared, so only figures taken side by side compare.
    ``web_cpu_ms_per_request`` (and the bare server's ``cpu_ms_per_request``) is the server's CPU time over
    its burst divided by the requests (:func:`cpu_seconds`): with a queue, what an ack costs the web tier,
    steadier than a p99; embedded, it includes the work the burst started in that process.

    With ``separate_cores`` (:func:`split_cores`) the app and the bare server run on one core and this
    process (Slack's side: the fakes and the sender), the queue workers (``worker_nice`` steps lower) on
    the others, as web replicas and workers on separate machines; a local PostgreSQL moves to the others and a
    local Redis runs at a higher priority for the run (:func:`place_local_services`: in that deployment they
    have machines of their own), and both get their places back after it."""
    import os
    import tempfile

    _deep_backlogs()
    cores = split_cores() if separate_cores else None
    web_cpus, other_cpus = cores if cores else (None, None)
    own_cpus = set(os.sched_getaffinity(0))
    placed = ServicePlacement()
    if other_cpus:
        os.sched_setaffinity(0, other_cpus)  # the fakes' threads and the sender (inherited) off the web core
        placed = place_local_services(other_cpus, queue_url=queue_url, database_url=database_url)
        import atexit

        atexit.register(restore_services, placed)  # also if the run fails
    run_id = uuid.uuid4().hex[:8]  # fresh event_ids: a shared database remembers earlier runs
    tmp = tempfile.TemporaryDirectory(prefix="recap-bench-")
    with TimedFakeSlack() as fake, FakeLLM() as llm:
        thread_ts = build_workspace(fake, threads=max(mentions, 1))
        llm.handler = lambda request: Fault(delay=llm_delay, text=MODEL_REPLY)
        settings = {"database_url": database_url or f"sqlite:///{tmp.name}/recap.sqlite3", "llm_provider": "openai",
                    "openai_base_url": llm.openai_base_url, "openai_api_key": "bench",
                    "llm_timeout": max(30.0, llm_delay * 3), "llm_max_retries": 0, "listener_threads": listener_threads}
        if http_threads:
            settings["http_threads"] = http_threads
        pool: list[Any] = []
        if queue_url:
            from bench.crash_bench import reset_shared_state

            reset_shared_state(queue_url)
            settings.update(queue_url=queue_url, queue_name=f"recap-load-{run_id}")
        if queue_url and not workers_after_acks:
            pool = start_queue_workers(queue_workers, threads=worker_threads, nice=worker_nice, cpus=other_cpus,
                                       settings={**settings, "slack_api_url": fake.base_url})
            if not wait_for_workers(queue_url, settings["queue_name"], queue_workers):
                print("the queue workers were not consuming after 120 s; sending anyway", file=sys.stderr)
        app = AppProcess(slack_api_url=fake.base_url, workers=workers, cpus=web_cpus, **settings)
        bare = BareProcess(workers=workers, http_threads=http_threads, cpus=web_cpus) if baseline else None
        receiver = Receiver()
        results: list[Result] = []
        requests: list[dict[str, Any]] = []
        for i in range(mentions):
            event = mention_event(fake, thread_ts[i])
            results.append(Result("mention", thread_ts[i], 0.0, extra={"ts": event["ts"]}))
            requests.append(_sign(event_body(fake, event, event_id=f"EvLoad{run_id}{i:04d}"), "application/json"))
        for i in range(commands):
            body = command_body(fake, text="", user_id="U2", channel_id="C0GEN", response_url=receiver.url(f"cmd-{i}"))
            results.append(Result("command", f"cmd-{i}", 0.0))
            requests.append(_sign(body, "application/x-www-form-urlencoded"))

        bare_acks = None
        if bare is not None:  # the same burst, side by side: the bare server first, then the app
            try:
                bare_cpu = cpu_seconds(bare.proc.pid)
                bare_acks = bare_figures(fire(bare.url, requests))
                time.sleep(0.2)  # answers written, the server idle again
                bare_acks["cpu_ms_per_request"] = round((cpu_seconds(bare.proc.pid) - bare_cpu) * 1000 / len(requests), 3)
            finally:
                bare.close()
            time.sleep(0.5)  # the bare server's exit is not part of the app's burst
        started = time.monotonic()
        app_cpu = cpu_seconds(app.proc.pid)
        answers = fire(app.url, requests)
        web_cpu = (cpu_seconds(app.proc.pid) - app_cpu) * 1000 / len(requests)  # Granian's threads, the acks
        for result, (sent, seconds, status, body) in zip(results, answers, strict=True):
            result.sent, result.ack, result.status = sent, seconds, status
            if result.kind == "command" and status == 200 and "Working on it" in body:
                result.sign_of_life = seconds
        if queue_url and workers_after_acks:  # as if on other machines: no CPU shared with the acks
            pool = start_queue_workers(queue_workers, threads=worker_threads, nice=worker_nice, cpus=other_cpus,
                                       settings={**settings, "slack_api_url": fake.base_url})
        jobs = results
        end = started + deadline

        def all_answered() -> bool:
            _collect(fake, receiver, results)
            return all(r.answer is not None for r in results) and len(results) == len(jobs)

        wait_until(all_answered, deadline=end, step=0.2)
        time.sleep(min(1.0, max(0.0, end - time.monotonic())))  # late duplicates would show up here
        _collect(fake, receiver, results)
        figures = summarize_results(results, expected=len(jobs))
        figures.update(mentions=mentions, commands=commands, llm_delay_s=llm_delay, listener_threads=listener_threads,
                       http_workers=workers, queue=queue_url.split(":", 1)[0] if queue_url else "embedded",
                       queue_workers=len(pool), llm_requests=len(llm.requests),
                       wall_s=round(time.monotonic() - started, 2), web_cpu_ms_per_request=round(web_cpu, 3))
        with fake.lock:  # what the burst asked of Slack, by method (Slack's per-workspace budgets apply)
            figures["slack_calls"] = dict(sorted(Counter(method for _, method, _, _ in fake.timed).items(),
                                                 key=lambda kv: -kv[1]))
        if bare_acks is not None:
            figures["bare_ack_ms"] = bare_acks
        app.close()
        for proc in pool:  # the figures are taken: stop the workers without waiting for their jobs
            proc.kill()
            proc.wait(timeout=10)
        if queue_url:
            from bench.crash_bench import remove_queue

            remove_queue(queue_url, settings["queue_name"])
        receiver.stop()
    tmp.cleanup()
    restore_services(placed)
    if other_cpus:
        os.sched_setaffinity(0, own_cpus)
    if cores:
        figures["cores"] = {"web": sorted(web_cpus or ()), "others": sorted(other_cpus or ()),
                            "database_threads_moved_to_others": len(placed.cores),
                            "broker_threads_raised_10_nice_steps": len(placed.nice)}
    return figures


def _collect(fake: TimedFakeSlack, receiver: Receiver, results: list[Result]) -> None:
    """Fill sign-of-life and answer times from what the fakes recorded."""
    with fake.lock:
        timed = list(fake.timed)
    with receiver.lock:
        posts = list(receiver.posts)
    working_ts: dict[str, str] = {}  # working reply ts -> thread_ts
    streamed_ts: dict[str, str] = {}  # streamed answer ts -> thread_ts
    for _, method, params, body in timed:
        if method == "chat.postMessage" and body.get("ok"):
            working_ts[str(body.get("ts"))] = str(params.get("thread_ts"))
        elif method == "chat.startStream" and body.get("ok"):
            streamed_ts[str(body.get("ts"))] = str(params.get("thread_ts"))
    for result in list(results):
        if result.kind == "mention":
            life = [t for t, m, p, b in timed if b.get("ok") and (m == "reactions.add" and p.get("timestamp") == result.extra["ts"]
                    or (m in ("chat.postMessage", "chat.startStream") and p.get("thread_ts") == result.key)
                    or (m == "assistant.threads.setStatus" and p.get("thread_ts") == result.key and p.get("status")))]
            # the answer: the working reply updated with blocks (not a retried job re-showing "Reading…"), or
            # a message streamed into the thread and finished (chat.stopStream; a later chat.update of that
            # message re-renders the same answer and is not counted again)
            done = [t for t, m, p, _ in timed if m == "chat.update" and working_ts.get(str(p.get("ts"))) == result.key
                    and p.get("blocks") and not str(p.get("text", "")).startswith(":hourglass")]
            done += [t for t, m, p, b in timed if m == "chat.stopStream" and b.get("ok")
                     and streamed_ts.get(str(p.get("ts"))) == result.key]
        else:
            mine = [(t, body) for t, name, body in posts if name == result.key]
            life = [t for t, _ in mine]
            done = [t for t, body in mine if body.get("blocks")]
            result.first_post = min(life) - result.sent if life else None
            life = []
        if life and result.sign_of_life is None:
            result.sign_of_life = min(life) - result.sent
        result.answers = len(done)
        result.answer = min(done) - result.sent if done else None


def summarize_results(results: list[Result], *, expected: int) -> dict[str, Any]:
    """Percentiles (milliseconds / seconds) and counts of a run."""
    acks = [r.ack * 1000 for r in results if r.ack is not None]
    life = [r.sign_of_life for r in results if r.sign_of_life is not None]
    posts = [r.first_post for r in results if r.first_post is not None]
    answers = [r.answer for r in results if r.answer is not None]
    answered = sum(1 for r in results if r.answer is not None)
    return {
        "requests": expected,
        "acked_200": sum(1 for r in results if r.status == 200),
        "ack_ms": {"p50": round(percentile(acks, 50), 1), "p95": round(percentile(acks, 95), 1),
                   "p99": round(percentile(acks, 99), 1), "max": round(max(acks, default=float("nan")), 1)},
        "sign_of_life_s": {"p50": round(percentile(life, 50), 3), "p99": round(percentile(life, 99), 3),
                           "max": round(max(life, default=float("nan")), 3), "count": len(life),
                           "missing": [r.key for r in results if r.sign_of_life is None][:10]},
        "command_first_response_url_post_s": {"p50": round(percentile(posts, 50), 3),
                                               "max": round(max(posts, default=float("nan")), 3)},
        "answer_s": {"p50": round(percentile(answers, 50), 2), "p99": round(percentile(answers, 99), 2),
                     "max": round(max(answers, default=float("nan")), 2)},
        "answered": answered,
        "lost": expected - answered,
        "duplicated": sum(1 for r in results if r.answers > 1),
    }


def check_targets(figures: dict[str, Any]) -> list[str]:
    """The targets this run missed (empty when all were met)."""
    missed = []
    if not figures["ack_ms"]["p99"] <= 100:
        missed.append(f"ack p99 {figures['ack_ms']['p99']} ms > 100 ms")
    if not figures["sign_of_life_s"]["max"] <= 1.0 or figures["sign_of_life_s"]["count"] < figures["requests"]:
        missed.append(f"sign of life max {figures['sign_of_life_s']['max']} s > 1 s "
                      f"({figures['sign_of_life_s']['count']}/{figures['requests']})")
    if figures["lost"]:
        missed.append(f"{figures['lost']} request(s) never answered")
    if figures["duplicated"]:
        missed.append(f"{figures['duplicated']} request(s) answered twice")
    return missed


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; prints the figures as JSON and returns 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentions", type=int, default=50)
    parser.add_argument("--commands", type=int, default=50)
    parser.add_argument("--llm-delay", type=float, default=10.0, help="seconds the fake model takes per call")
    parser.add_argument("--listener-threads", type=int, default=None, help="default: the setting's default")
    parser.add_argument("--deadline", type=float, default=90.0, help="give up after this many seconds")
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    parser.add_argument("--workers", type=int, default=1, help="HTTP_WORKERS: app worker processes")
    parser.add_argument("--http-threads", type=int, default=None, help="HTTP_THREADS (default: the setting's)")
    parser.add_argument("--queue-url", default=None, help="QUEUE_URL: the app only acks and enqueues")
    parser.add_argument("--queue-workers", type=int, default=2, help="`recap worker` processes (with --queue-url)")
    parser.add_argument("--worker-threads", type=int, default=8, help="threads per `recap worker`")
    parser.add_argument("--worker-nice", type=int, default=0,
                        help="start the queue workers this many steps below the web tier's CPU priority (nice -n), "
                             "as docs/deploy.md says to run workers that share a machine with a web tier")
    parser.add_argument("--separate-cores", action="store_true",
                        help="the app and the bare server on one core, the workers and Slack's side on the others "
                             "(web and workers on separate machines, as docs/deploy.md deploys them)")
    parser.add_argument("--workers-after-acks", action="store_true",
                        help="start the queue workers once the burst is acknowledged (as on other machines)")
    parser.add_argument("--baseline", action="store_true",
                        help="also measure a bare server (Granian + signature check) in the same run")
    parser.add_argument("--fire", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve-bare", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.fire:
        return _fire_main()
    if args.serve_bare:
        return _serve_bare(args.serve_bare, args.workers, args.http_threads)
    from bot.config import Settings

    threads = args.listener_threads or Settings.model_fields["listener_threads"].default
    figures = run(mentions=args.mentions, commands=args.commands, llm_delay=args.llm_delay,
                  listener_threads=threads, deadline=args.deadline, database_url=args.database_url,
                  workers=args.workers, http_threads=args.http_threads, queue_url=args.queue_url,
                  queue_workers=args.queue_workers, worker_threads=args.worker_threads,
                  workers_after_acks=args.workers_after_acks, baseline=args.baseline, worker_nice=args.worker_nice,
                  separate_cores=args.separate_cores)
    bare = figures.get("bare_ack_ms")
    print(json.dumps(figures, indent=2))
    missed = check_targets(figures)
    print("targets met" if not missed else "MISSED: " + "; ".join(missed))
    if bare is not None:
        print(f"web CPU per request (ms, /proc, 10 ms ticks over the burst): app {figures['web_cpu_ms_per_request']}, "
              f"bare {bare['cpu_ms_per_request']}")
        print(f"ack p99 ratio to the bare server: {figures['ack_ms']['p99'] / bare['p99']:.2f}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
