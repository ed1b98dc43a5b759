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

Prompt caching, modelled on the real APIs (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching,
https://platform.openai.com/docs/guides/prompt-caching):

- Anthropic: the request is the sequence tools → system blocks → message content blocks; a block with
  ``cache_control`` is a breakpoint. At each breakpoint whose prefix has at least ``min_cache_tokens``
  tokens the prefix is written to the cache (``cache_creation_input_tokens``) unless it is there already;
  a request reads the longest cached prefix ending at one of its breakpoints or at one of the 20 block
  boundaries before each (``cache_read_input_tokens``). ``input_tokens`` is what was neither read nor
  written. The prefix's identity is its content without the ``cache_control`` marks; ``tool_choice``
  is part of every prefix that reaches the messages (changing it invalidates the message cache).
- OpenAI: automatic; a prompt of 1,024 tokens or more reads the longest prefix (in 128-token steps) it
  shares with an earlier request as ``usage.prompt_tokens_details.cached_tokens``.

Tokens are counted as the JSON's characters / 4. Every answer's usage is recorded in ``request.usage``.

Shapes follow the SDKs' models (``anthropic.types.Message``, the ``RawMessageStreamEvent`` union,
``openai.types.chat.ChatCompletion`` / ``ChatCompletionChunk``).

Usage::

    with FakeLLM() as fake:
        fake.enqueue('{"overview": "…"}')
        client = anthropic.Anthropic(api_key="k", base_url=fake.anthropic_base_url, max_retries=0)
"""

from __future__ import annotations

import json
import os
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
        error_after: streamed only: after this many characters of the answer the stream sends an error
            event (Anthropic ``event: error`` with ``overloaded_error``; OpenAI a chunk carrying ``error``),
            as the APIs do when they fail mid-stream; None for none.
        chunk_delay: streamed only: seconds between two pieces (a slow model; the client's deadline).
    """

    text: str
    stop: str = "stop"
    thinking: str | None = None
    error_after: int | None = None
    chunk_delay: float = 0.0


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
    usage: dict[str, Any] = field(default_factory=dict)
    """The usage the fake answered with (set once it answered)."""
    disconnected: bool = False
    """A streamed answer whose client closed the connection before the end (the fake stopped generating)."""
    streamed: int = 0
    """Characters of the answer a stream sent before it ended (or the client left)."""

    @property
    def prompt(self) -> str:
        """The text of the last user message."""
        content = self.body.get("messages", [{}])[-1].get("content", "")
        if isinstance(content, list):
            return "".join(part.get("text", "") for part in content if isinstance(part, dict))
        return str(content)

    @property
    def cache_read(self) -> int:
        """Prompt tokens this request read from the cache (either API)."""
        details = self.usage.get("prompt_tokens_details") or {}
        return int(self.usage.get("cache_read_input_tokens", 0) or details.get("cached_tokens", 0) or 0)

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


def _tokens(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, sort_keys=True)) // 4


def _unmarked(block: Any) -> Any:
    return {k: v for k, v in block.items() if k != "cache_control"} if isinstance(block, dict) else block


LOOKBACK_BLOCKS = 20
"""Block boundaries before a breakpoint at which Anthropic also looks for a cached prefix."""


def anthropic_usage(fake: FakeLLM, body: dict[str, Any]) -> dict[str, int]:
    """Input usage of a Messages request under :class:`FakeLLM`'s prompt cache (see the module docstring);
    writes the request's cacheable prefixes."""
    blocks: list[tuple[str, Any]] = [("tools", tool) for tool in body.get("tools") or []]
    system = body.get("system") or []
    system_blocks = [{"type": "text", "text": system}] if isinstance(system, str) else list(system)
    blocks += [("system", block) for block in system_blocks]
    for message in body.get("messages") or []:
        content = message.get("content")
        parts = [{"type": "text", "text": content}] if isinstance(content, str) else list(content or [])
        blocks += [(message.get("role", "user"), part) for part in parts]
    total = _tokens(body.get("tools")) + _tokens(system) + _tokens(body.get("messages"))
    keys: list[tuple[str, int]] = []  # (prefix hash, tokens) per block boundary
    running: list[Any] = []
    for where, block in blocks:
        running.append(_unmarked(block))
        scope = {"tools": running} if where == "tools" else {"prefix": running}
        if where not in ("tools", "system"):
            scope["tool_choice"] = body.get("tool_choice")
        digest = json.dumps(scope, ensure_ascii=False, sort_keys=True)
        keys.append((digest, _tokens(running)))
    breakpoints = [i for i, (_, block) in enumerate(blocks) if isinstance(block, dict) and block.get("cache_control")]
    read = 0
    with fake._lock:
        for i in breakpoints:
            for j in range(i, max(-1, i - LOOKBACK_BLOCKS - 1), -1):
                if keys[j][0] in fake.cache:
                    read = max(read, keys[j][1])
                    break
        written = 0
        for i in breakpoints:
            digest, tokens = keys[i]
            if tokens >= fake.min_cache_tokens and digest not in fake.cache:
                fake.cache[digest] = tokens
                written = max(written, tokens - read)
    return {"input_tokens": max(0, total - read - written), "cache_read_input_tokens": read,
            "cache_creation_input_tokens": written}


def openai_usage(fake: FakeLLM, body: dict[str, Any]) -> dict[str, Any]:
    """Input usage of a Chat Completions request under OpenAI's automatic prefix caching."""
    text = json.dumps({"response_format": body.get("response_format"), "messages": body.get("messages")},
                      ensure_ascii=False, sort_keys=True)
    tokens = len(text) // 4
    cached = 0
    with fake._lock:
        if tokens >= OPENAI_MIN_CACHE_TOKENS:
            for seen in fake.openai_prompts:
                common = len(os.path.commonprefix([seen, text])) // 4
                cached = max(cached, common // 128 * 128 if common >= OPENAI_MIN_CACHE_TOKENS else 0)
            fake.openai_prompts.append(text)
    return {"prompt_tokens": tokens, "prompt_tokens_details": {"cached_tokens": cached}}


OPENAI_MIN_CACHE_TOKENS = 1024


def _split(text: str, size: int = 7) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def _answer_payload(fake: FakeLLM, api: str, body: dict[str, Any], answer: Answer, request: FakeRequest
                    ) -> dict[str, Any]:
    """The JSON answer of one call: an ``anthropic.types.Message`` or an ``openai`` ``ChatCompletion``."""
    model = body.get("model", "fake-model")
    text = answer.text
    out_tokens = max(1, len(text) // 4)
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
        request.usage = {**anthropic_usage(fake, body), "output_tokens": out_tokens}
        return {"id": "msg_fake", "type": "message", "role": "assistant", "model": model, "content": content,
                "stop_reason": _ANTHROPIC_STOP[answer.stop], "stop_sequence": None, "usage": request.usage}
    refusal = text if answer.stop == "refusal" else None
    usage = openai_usage(fake, body)
    request.usage = {**usage, "completion_tokens": out_tokens, "total_tokens": usage["prompt_tokens"] + out_tokens}
    return {"id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": model,
            "choices": [{"index": 0, "finish_reason": _OPENAI_STOP[answer.stop], "logprobs": None,
                         "message": {"role": "assistant", "content": None if refusal else text, "refusal": refusal}}],
            "usage": request.usage}


@dataclass
class FakeBatch:
    """A batch the fake holds (Anthropic Message Batches or OpenAI Batch API).

    Attributes:
        id: its id (``msgbatch_…`` or ``batch_…``).
        api: ``"anthropic"`` or ``"openai"``.
        requests: ``(custom_id, body)`` of every request, in order.
        status: ``"in_progress"``, ``"canceling"`` or ``"ended"``.
        polls: status reads so far.
        results: ``custom_id`` -> ``(kind, payload)`` once ended: ``"succeeded"`` with the answer's JSON,
            ``"errored"`` or ``"canceled"``.
    """

    id: str
    api: str
    requests: list[tuple[str, dict[str, Any]]]
    status: str = "in_progress"
    polls: int = 0
    results: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    created: int = field(default_factory=lambda: int(time.time()))


def _finish_batch(fake: FakeLLM, batch: FakeBatch, *, cancel: bool = False) -> None:
    """End ``batch``: every request answered from the script like a direct call (a :class:`Fault`
    becomes ``errored``), or ``canceled`` when ``cancel``."""
    for custom_id, body in batch.requests:
        if cancel:
            batch.results[custom_id] = ("canceled", {})
            continue
        path = "/v1/messages" if batch.api == "anthropic" else "/v1/chat/completions"
        request = FakeRequest(batch.api, path, {"x-batch-id": batch.id}, body)
        reply = fake._next(request)
        if isinstance(reply, Fault):
            batch.results[custom_id] = ("errored", {"type": "api_error", "message": f"fake error {reply.status}"})
            continue
        answer = reply if isinstance(reply, Answer) else Answer(reply)
        batch.results[custom_id] = ("succeeded", _answer_payload(fake, batch.api, body, answer, request))
    batch.status = "ended"


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
        if "/batches" in self.path or self.path.rstrip("/").endswith("/v1/files"):
            self._batch_post(body, raw)
            return
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
                self._stream(api, body, answer, request)
            else:
                self._complete(api, body, answer, request)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout, or closed its stream)
            request.disconnected = True
            self.close_connection = True

    # ---- batches (https://docs.anthropic.com/en/api/creating-message-batches,
    #      https://platform.openai.com/docs/api-reference/batch)

    def _batch_json(self, batch: FakeBatch) -> dict[str, Any]:
        fake = self.server.fake
        counts = {"processing": 0, "succeeded": 0, "errored": 0, "canceled": 0, "expired": 0}
        for custom_id, _ in batch.requests:
            kind = batch.results.get(custom_id, ("processing", {}))[0]
            counts[kind] += 1
        ended = batch.status == "ended"
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(batch.created))
        if batch.api == "anthropic":
            return {"id": batch.id, "type": "message_batch", "processing_status": batch.status,
                    "request_counts": counts, "created_at": stamp, "expires_at": stamp, "ended_at": stamp if ended else None,
                    "cancel_initiated_at": None, "archived_at": None,
                    "results_url": f"{fake.anthropic_base_url}/v1/messages/batches/{batch.id}/results" if ended else None}
        status = {"in_progress": "in_progress", "canceling": "cancelling"}.get(batch.status, "completed")
        if ended and any(kind == "canceled" for kind, _ in batch.results.values()):
            status = "cancelled"
        return {"id": batch.id, "object": "batch", "endpoint": "/v1/chat/completions", "errors": None,
                "input_file_id": f"file-in-{batch.id}", "completion_window": "24h", "status": status,
                "output_file_id": f"file-out-{batch.id}" if ended else None, "error_file_id": None,
                "created_at": batch.created, "request_counts": {"total": len(batch.requests),
                                                                "completed": counts["succeeded"],
                                                                "failed": counts["errored"]}}

    def _batch_post(self, body: dict[str, Any], raw: bytes) -> None:
        fake = self.server.fake
        path = self.path.rstrip("/")
        if path.endswith("/v1/files"):  # multipart: the JSONL of an OpenAI batch
            boundary = self.headers.get("content-type", "").split("boundary=")[-1].encode()
            part = next(p for p in raw.split(b"--" + boundary) if b'name="file"' in p)
            content = part.split(b"\r\n\r\n", 1)[1].rsplit(b"\r\n", 1)[0].decode()
            file_id = f"file-{len(fake.files) + 1}"
            fake.files[file_id] = content
            self._json(200, {"id": file_id, "object": "file", "bytes": len(content), "created_at": int(time.time()),
                             "filename": "batch.jsonl", "purpose": "batch", "status": "processed"})
            return
        if path.endswith("/cancel"):
            batch = fake.batches.get(path.split("/")[-2])
            if batch is None:
                self._json(404, {"error": {"message": "no such batch"}})
                return
            if batch.status == "in_progress":
                batch.status = "canceling"
            fake.cancelled.append(batch.id)
            self._json(200, self._batch_json(batch))
            return
        if path.endswith("/v1/messages/batches"):
            batch = FakeBatch(f"msgbatch_{len(fake.batches) + 1}", "anthropic",
                              [(r["custom_id"], r["params"]) for r in body.get("requests", [])])
        else:
            rows = [json.loads(line) for line in fake.files.get(body.get("input_file_id", ""), "").splitlines() if line]
            batch = FakeBatch(f"batch_{len(fake.batches) + 1}", "openai", [(r["custom_id"], r["body"]) for r in rows])
        fake.batches[batch.id] = batch
        self._json(200, self._batch_json(batch))

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        fake = self.server.fake
        parts = self.path.rstrip("/").split("/")
        if "files" in parts and parts[-1] == "content":  # OpenAI: the output file
            batch = fake.batches.get(parts[-2].removeprefix("file-out-"))
            lines = [json.dumps({"id": f"req_{n}", "custom_id": cid,
                                 "response": {"status_code": 200, "request_id": f"req_{n}", "body": payload}
                                 if kind == "succeeded" else None,
                                 "error": None if kind == "succeeded" else {"code": kind, "message": kind}})
                     for n, (cid, (kind, payload)) in enumerate((batch.results if batch else {}).items())]
            data = ("\n".join(lines) + "\n").encode()
            self.send_response(200)
            self.send_header("content-type", "application/octet-stream")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        results = parts[-1] == "results"
        batch = fake.batches.get(parts[-2] if results else parts[-1])
        if batch is None:
            self._json(404, {"error": {"message": f"no route {self.path}"}})
            return
        if results:  # Anthropic: JSON lines of MessageBatchIndividualResponse
            lines = []
            for custom_id, (kind, payload) in batch.results.items():
                result: dict[str, Any] = {"type": kind}
                if kind == "succeeded":
                    result["message"] = payload
                elif kind == "errored":
                    result["error"] = {"type": "error", "error": payload}
                lines.append(json.dumps({"custom_id": custom_id, "result": result}))
            data = ("\n".join(lines) + "\n").encode()
            self.send_response(200)
            self.send_header("content-type", "application/binary")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        with fake._lock:
            batch.polls += 1
        if batch.status == "canceling":
            _finish_batch(fake, batch, cancel=True)
        if batch.status == "in_progress" and not fake.batch_stall and batch.polls >= fake.batch_polls:
            _finish_batch(fake, batch)
        self._json(200, self._batch_json(batch))

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

    def _complete(self, api: str, body: dict[str, Any], answer: Answer, request: FakeRequest) -> None:
        payload = _answer_payload(self.server.fake, api, body, answer, request)
        self._json(200, payload, {"request-id": "req_fake"} if api == "anthropic" else None)

    def _stream(self, api: str, body: dict[str, Any], answer: Answer, request: FakeRequest) -> None:
        """Server-sent events as the APIs send them (https://docs.anthropic.com/en/docs/build-with-claude/streaming,
        https://platform.openai.com/docs/api-reference/chat-streaming): for a forced Anthropic tool call whose
        answer is a JSON object, a ``tool_use`` block streamed as ``input_json_delta`` pieces; text otherwise.
        ``answer.error_after`` ends the stream with an error event; ``answer.chunk_delay`` slows it."""
        text = answer.text
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

        def paced(items: list[str]) -> Any:
            for piece in items:
                if answer.chunk_delay:
                    time.sleep(answer.chunk_delay)
                yield piece
                request.streamed += len(piece)

        out_tokens = max(1, len(text) // 4)
        if api == "anthropic":
            forced = (body.get("tool_choice") or {}).get("type") == "tool"
            try:
                value = json.loads(text) if forced else None
            except json.JSONDecodeError:
                value = None
            tool = isinstance(value, dict)
            request.usage = {**anthropic_usage(self.server.fake, body), "output_tokens": 1}
            send("message_start", {"type": "message_start", "message": {
                "id": "msg_fake", "type": "message", "role": "assistant", "model": model, "content": [],
                "stop_reason": None, "stop_sequence": None, "usage": request.usage}})
            block: dict[str, Any] = ({"type": "tool_use", "id": "toolu_fake", "name": body["tool_choice"]["name"],
                                      "input": {}} if tool else {"type": "text", "text": ""})
            send("content_block_start", {"type": "content_block_start", "index": 0, "content_block": block})
            send("ping", {"type": "ping"})
            for piece in paced(_split(text)):
                if answer.error_after is not None and request.streamed >= answer.error_after:
                    send("error", {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})
                    return
                delta = ({"type": "input_json_delta", "partial_json": piece} if tool
                         else {"type": "text_delta", "text": piece})
                send("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta})
            send("content_block_stop", {"type": "content_block_stop", "index": 0})
            stop = "tool_use" if tool and answer.stop == "stop" else _ANTHROPIC_STOP[answer.stop]
            send("message_delta", {"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": None},
                                   "usage": {"output_tokens": out_tokens}})
            send("message_stop", {"type": "message_stop"})
        else:
            base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
                    "model": model}
            send(None, {**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""},
                                             "finish_reason": None}]})
            for piece in paced(_split(text)):
                if answer.error_after is not None and request.streamed >= answer.error_after:
                    send(None, {"error": {"message": "fake error mid-stream", "type": "server_error", "code": None}})
                    return
                send(None, {**base, "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]})
            send(None, {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": _OPENAI_STOP[answer.stop]}]})
            send(None, "[DONE]")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128  # a burst of connections waits in the kernel, as at a real API, instead of being refused
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
        self.min_cache_tokens = 1024
        """Anthropic's minimum cacheable prefix, tokens (1,024 for Sonnet and Opus models)."""
        self.cache: dict[str, int] = {}
        """Anthropic's prompt cache: prefix identity -> its tokens (no expiry: tests run in seconds)."""
        self.openai_prompts: list[str] = []
        self.batches: dict[str, FakeBatch] = {}
        """Batches received (Anthropic Message Batches and OpenAI Batch API), by id."""
        self.files: dict[str, str] = {}
        self.cancelled: list[str] = []
        """Ids of the batches a client cancelled."""
        self.batch_polls = 2
        """Status reads before a batch ends (each answered from the script then, like direct calls)."""
        self.batch_stall = False
        """True: batches never end by themselves (a cancel still ends them, every request ``canceled``)."""
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


def point_openai_at(fake: FakeLLM, monkeypatch: Any, cwd: Any) -> None:
    """Settings for Recap's OpenAI provider against ``fake``, as a user's environment would give them: run in
    ``cwd`` (no ``.env``), no Anthropic key nor model override, ``LLM_PROVIDER=openai``, a key, the fake's base URL
    and no retries (``monkeypatch`` is pytest's fixture; everything is undone after the test)."""
    monkeypatch.chdir(cwd)
    for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LLM_PROVIDER", "openai")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OPENAI_BASE_URL", fake.openai_base_url)
    monkeypatch.setenv("LLM_MAX_RETRIES", "0")
