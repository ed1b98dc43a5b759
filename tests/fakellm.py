"""A local fake of the Anthropic Messages API and the OpenAI Chat Completions API, for tests.

One HTTP server on 127.0.0.1 (a free port, in a daemon thread) answers:

- ``POST /v1/messages`` like Anthropic (JSON, or server-sent events when ``"stream": true``);
- ``POST /v1/chat/completions`` like OpenAI (JSON, or ``data:`` chunks ending ``[DONE]``).

Point the SDKs at it with ``base_url=fake.anthropic_base_url`` / ``fake.openai_base_url``.

Replies are scripted: ``fake.enqueue("text")`` queues a completion; ``fake.enqueue(Answer("{...",
stop="length"))`` one that behaves like a real model's deviation (cut at ``max_tokens``, a refusal, a
thinking block first); ``fake.enqueue(Fault(status=529))``
queues a failure (status with optional ``retry-after``, a ``delay`` before answering, or a
connection ``reset``); ``fake.handler = fn`` computes replies from the request when the queue is
empty. Every request is recorded in ``fake.requests``. With nothing scripted the fake answers 500
with a message saying so, which the SDK then retries — tests should script every call.

Structured output: an Anthropic request that forces a tool (``tool_choice={"type": "tool"}``) gets its
answer as that tool's ``input`` when the scripted text is a JSON object (else as text, the deviation);
``fake.reject_json_schema = True`` makes OpenAI requests with a ``json_schema`` response format fail
with ``reject_status`` (400; llama-cpp-python answers 500), like compatible servers without schema
support (``reject_json_object`` likewise for JSON mode).

Shapes follow the SDKs' models (``anthropic.types.Message``, the ``RawMessageStreamEvent`` union,
``openai.types.chat.ChatCompletion`` / ``ChatCompletionChunk``).

Usage::

    with FakeLLM() as fake:
        fake.enqueue('{"overview": "…"}')
        client = anthropic.Anthropic(api_key="k", base_url=fake.anthropic_base_url, max_retries=0)
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Fault:
    """A scripted failure.

    Attributes:
        status: HTTP status to answer (408, 429, 500, 529, …); 0 for none (only delay/reset).
        retry_after: seconds for the ``retry-after`` header (sent as ``retry-after-ms`` too, so
            fractions work with the SDKs), or None for no header.
        delay: seconds to wait before answering (longer than the client timeout = a timeout).
        reset: close the connection without an answer (TCP RST).
        text: after ``delay``, answer this completion instead of an error (when ``status`` is 0).
    """

    status: int = 0
    retry_after: float | None = None
    delay: float = 0.0
    reset: bool = False
    text: str | None = None


@dataclass
class Answer:
    """A scripted completion with a real model's manners.

    Attributes:
        text: the completion text (for a forced Anthropic tool call, the JSON of its input when it parses).
        stop: ``"stop"`` (finished), ``"length"`` (cut at the output budget: OpenAI ``finish_reason=length``,
            Anthropic ``stop_reason=max_tokens``) or ``"refusal"``.
        thinking: an Anthropic ``thinking`` block sent before the answer, or None.
    """

    text: str
    stop: str = "stop"
    thinking: str | None = None


Reply = str | Fault | Answer

_ANTHROPIC_STOP = {"stop": "end_turn", "length": "max_tokens", "refusal": "refusal"}
_OPENAI_STOP = {"stop": "stop", "length": "length", "refusal": "content_filter"}


@dataclass
class FakeRequest:
    """One request the fake received.

    Attributes:
        api: ``"anthropic"`` or ``"openai"``.
        path: request path.
        headers: request headers (lower-case names).
        body: the parsed JSON body.
    """

    api: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def prompt(self) -> str:
        """The text of the last user message."""
        content = self.body.get("messages", [{}])[-1].get("content", "")
        if isinstance(content, list):
            return "".join(part.get("text", "") for part in content if isinstance(part, dict))
        return str(content)

    @property
    def system(self) -> str:
        """The system prompt (Anthropic's ``system`` field or OpenAI's system message)."""
        if self.api == "anthropic":
            system = self.body.get("system", "")
            return system if isinstance(system, str) else "".join(p.get("text", "") for p in system)
        return "".join(m.get("content", "") for m in self.body.get("messages", []) if m.get("role") == "system")


_ANTHROPIC_ERROR_TYPES = {
    400: "invalid_request_error", 401: "authentication_error", 403: "permission_error", 404: "not_found_error",
    408: "timeout_error", 413: "request_too_large", 429: "rate_limit_error", 500: "api_error",
    529: "overloaded_error",
}


def _split(text: str, size: int = 7) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence stderr logging
        pass

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            body = {}
        if self.path.rstrip("/").endswith("/v1/messages"):
            api = "anthropic"
        elif self.path.rstrip("/").endswith("/chat/completions"):
            api = "openai"
        else:
            self._json(404, {"error": {"message": f"no route {self.path}"}})
            return
        request = FakeRequest(api, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        fake = self.server.fake
        kind = (body.get("response_format") or {}).get("type") if api == "openai" else None
        if (kind == "json_schema" and fake.reject_json_schema) or (kind == "json_object" and fake.reject_json_object):
            with fake._lock:
                fake.requests.append(request)  # recorded, but no scripted reply is used up
            self._json(fake.reject_status, {"error": {"message": f"response_format {kind} is not supported: "
                                                                  "Input should be 'text' or 'json_object'",
                                       "type": "invalid_request_error", "code": None}})
            return
        reply = fake._next(request)
        if isinstance(reply, Fault):
            if reply.delay:
                time.sleep(reply.delay)
            if reply.reset:
                self._reset()
                return
            if reply.status:
                self._error(api, reply)
                return
            reply = reply.text or ""
        answer = reply if isinstance(reply, Answer) else Answer(reply)
        try:
            if body.get("stream"):
                self._stream(api, body, answer.text)
            else:
                self._complete(api, body, answer)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            self.close_connection = True

    # ---- answers

    def _json(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _reset(self) -> None:
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def _error(self, api: str, fault: Fault) -> None:
        headers = {}
        if fault.retry_after is not None:
            headers["retry-after"] = str(max(0, round(fault.retry_after)))
            headers["retry-after-ms"] = str(int(fault.retry_after * 1000))
        if api == "anthropic":
            kind = _ANTHROPIC_ERROR_TYPES.get(fault.status, "api_error")
            payload = {"type": "error", "error": {"type": kind, "message": f"fake {kind}"}}
        else:
            payload = {"error": {"message": f"fake error {fault.status}", "type": "server_error", "code": None}}
        try:
            self._json(fault.status, payload, headers)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _complete(self, api: str, body: dict[str, Any], answer: Answer) -> None:
        model = body.get("model", "fake-model")
        text = answer.text
        in_tokens, out_tokens = len(json.dumps(body)) // 4, max(1, len(text) // 4)
        if api == "anthropic":
            content: list[dict[str, Any]] = []
            if answer.thinking is not None:
                content.append({"type": "thinking", "thinking": answer.thinking, "signature": "sig"})
            forced = (body.get("tool_choice") or {}).get("type") == "tool"
            try:
                value = json.loads(text) if forced else None
            except json.JSONDecodeError:
                value = None
            if isinstance(value, dict):
                content.append({"type": "tool_use", "id": "toolu_fake", "name": body["tool_choice"]["name"],
                                "input": value})
            else:
                content.append({"type": "text", "text": text})
            self._json(200, {
                "id": "msg_fake", "type": "message", "role": "assistant", "model": model,
                "content": content, "stop_reason": _ANTHROPIC_STOP[answer.stop], "stop_sequence": None,
                "usage": {"input_tokens": in_tokens, "output_tokens": out_tokens},
            }, {"request-id": "req_fake"})
        else:
            refusal = text if answer.stop == "refusal" else None
            self._json(200, {
                "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": model,
                "choices": [{"index": 0, "finish_reason": _OPENAI_STOP[answer.stop], "logprobs": None,
                             "message": {"role": "assistant", "content": None if refusal else text,
                                         "refusal": refusal}}],
                "usage": {"prompt_tokens": in_tokens, "completion_tokens": out_tokens,
                          "total_tokens": in_tokens + out_tokens},
            })

    def _stream(self, api: str, body: dict[str, Any], text: str) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("cache-control", "no-cache")
        self.send_header("connection", "close")
        self.end_headers()
        self.close_connection = True
        model = body.get("model", "fake-model")

        def send(event: str | None, data: dict[str, Any] | str) -> None:
            payload = data if isinstance(data, str) else json.dumps(data)
            chunk = (f"event: {event}\n" if event else "") + f"data: {payload}\n\n"
            self.wfile.write(chunk.encode())
            self.wfile.flush()

        if api == "anthropic":
            send("message_start", {"type": "message_start", "message": {
                "id": "msg_fake", "type": "message", "role": "assistant", "model": model, "content": [],
                "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": 10, "output_tokens": 1}}})
            send("content_block_start", {"type": "content_block_start", "index": 0,
                                         "content_block": {"type": "text", "text": ""}})
            send("ping", {"type": "ping"})
            for piece in _split(text):
                send("content_block_delta", {"type": "content_block_delta", "index": 0,
                                             "delta": {"type": "text_delta", "text": piece}})
            send("content_block_stop", {"type": "content_block_stop", "index": 0})
            send("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn",
                                   "stop_sequence": None}, "usage": {"output_tokens": max(1, len(text) // 4)}})
            send("message_stop", {"type": "message_stop"})
        else:
            base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
                    "model": model}
            send(None, {**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""},
                                             "finish_reason": None}]})
            for piece in _split(text):
                send(None, {**base, "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]})
            send(None, {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
            send(None, "[DONE]")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    fake: FakeLLM


class FakeLLM:
    """The fake server. Use as a context manager (or call :meth:`start` / :meth:`stop`).

    Attributes:
        requests: every request received, in order.
        handler: called with a :class:`FakeRequest` when the queue is empty; returns text or a
            :class:`Fault`.
    """

    def __init__(self) -> None:
        self.requests: list[FakeRequest] = []
        self.handler: Callable[[FakeRequest], Reply] | None = None
        self.reject_json_schema = False
        self.reject_json_object = False
        self.reject_status = 400  # llama-cpp-python's server answers a json_schema format with a 500
        self._queue: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ---- scripting

    def enqueue(self, *replies: Reply) -> None:
        """Queue replies, answered one per request in order."""
        with self._lock:
            self._queue.extend(replies)

    def _next(self, request: FakeRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
            if self._queue:
                return self._queue.popleft()
        if self.handler is not None:
            return self.handler(request)
        return Fault(status=500)

    @property
    def pending(self) -> int:
        """Replies still queued."""
        return len(self._queue)

    # ---- lifecycle

    @property
    def port(self) -> int:
        """The port the server listens on."""
        assert self._server is not None, "FakeLLM not started"
        return self._server.server_address[1]

    @property
    def anthropic_base_url(self) -> str:
        """``base_url`` for ``anthropic.Anthropic``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def openai_base_url(self) -> str:
        """``base_url`` for ``openai.OpenAI``."""
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> FakeLLM:
        """Listen on a free port of 127.0.0.1 in a daemon thread."""
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeLLM:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
