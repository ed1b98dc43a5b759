"""Claude through the ``anthropic`` SDK (Messages API).

The SDK retries 408/409/429/5xx (including 529 ``overloaded_error``) and connection errors itself,
with exponential backoff that honours ``retry-after``; we set ``max_retries`` and ``timeout`` and
translate whatever is left into :class:`bot.errors.LLMError` (:func:`bot.llm.base.translate_error`).

Structured output: with a ``schema`` the request offers one tool whose ``input_schema`` is the schema
and forces it (``tool_choice={"type": "tool", "name": …}``); the tool call's ``input`` is the answer.
A forced tool call works on every Claude model the SDK can reach (``output_config.format``, the newer
structured-output mode, only on some). https://docs.anthropic.com/en/docs/build-with-claude/tool-use

Prompt caching (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching): the system prompt
is sent as a text block with ``cache_control: {"type": "ephemeral"}`` (the prefix tools + system), and a
prompt that opens with a transcript is sent as that transcript's blocks
(:func:`bot.llm.prompts.cacheable_parts`) then the rest: a breakpoint on the transcript's last block and
one on the last full block before it, so a follow-up question in the same thread (same tool, same
system, same transcript, another question after it) reads the prefix from the cache, and so does one
after a few new messages. Three breakpoints of the four allowed; a prefix under the model's minimum
(1,024 tokens for Sonnet and Opus, more for some Haiku models) is simply not cached.
``usage.cache_read_input_tokens`` becomes :attr:`Completion.cache_read_tokens`.

Docs: https://docs.anthropic.com/en/api/messages, https://docs.anthropic.com/en/api/errors
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import anthropic
import httpx2 as httpx
from pydantic import BaseModel

from bot.llm.base import Completion, broken_stream_error, deadline_error, translate_error
from bot.llm.prompts import cacheable_parts
from bot.llm.schema import strict_json_schema
from bot.llm.tokens import count_tokens

_STOP = {"end_turn": "stop", "stop_sequence": "stop", "tool_use": "stop", "pause_turn": "stop",
         "max_tokens": "length", "model_context_window_exceeded": "length", "refusal": "refusal"}
ANSWER_TOOL = "record_answer"
"""The name of the tool a structured answer is forced through."""

DEFAULT_MODEL = "claude-sonnet-4-6"
_EPHEMERAL: dict[str, str] = {"type": "ephemeral"}


def cached_request(system: str, prompt: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(system, messages)`` of a Messages API request with prompt-cache breakpoints (see the module
    docstring): the system prompt one cached text block; the prompt's transcript blocks with a breakpoint
    on the last and on the one before it, then the rest (the instructions, the question) uncached."""
    system_blocks: list[dict[str, Any]] = [{"type": "text", "text": system, "cache_control": _EPHEMERAL}]
    blocks, rest = cacheable_parts(prompt)
    content: list[dict[str, Any]] = [{"type": "text", "text": block} for block in blocks]
    for block in content[-2:]:
        block["cache_control"] = _EPHEMERAL
    if rest.strip() or not content:
        content.append({"type": "text", "text": rest})
    return system_blocks, [{"role": "user", "content": content}]
DEFAULT_CONTEXT_TOKENS = 150_000


class AnthropicProvider:
    """A :class:`bot.llm.base.Provider` backed by Claude.

    Args:
        api_key: Anthropic API key.
        model: model id; defaults to :data:`DEFAULT_MODEL`.
        base_url: API base URL (tests point it at a local fake); None for Anthropic's.
        timeout: seconds one HTTP request may take before the SDK gives up (then retries).
        max_retries: the SDK's own retries.
        context_tokens: prompt budget per call, tokens; defaults to :data:`DEFAULT_CONTEXT_TOKENS`.
    """

    name = "anthropic"

    def __init__(self, *, api_key: str, model: str | None = None, base_url: str | None = None,
                 timeout: float = 60.0, max_retries: int = 2, context_tokens: int | None = None) -> None:
        self.model = model or DEFAULT_MODEL
        self.context_tokens = context_tokens or DEFAULT_CONTEXT_TOKENS
        self.timeout = timeout
        self._client = anthropic.Anthropic(api_key=api_key, base_url=base_url, timeout=timeout,
                                           max_retries=max_retries)

    def complete(self, *, system: str, prompt: str, max_tokens: int = 1024,
                 schema: type[BaseModel] | None = None) -> Completion:
        """One completion (``messages.create``); with ``schema``, a forced call of one tool whose input is
        the answer (``Completion.text`` is that input as JSON).

        Returns:
            The :class:`Completion`; ``stop_reason`` normalised (``max_tokens`` -> ``length``).

        Raises:
            LLMError: timeout, connection failure, rate limit, 5xx/529 after the SDK's retries, or
                any other API error.
        """
        try:
            message = self._client.messages.create(**self.params(system=system, prompt=prompt, max_tokens=max_tokens,
                                                                 schema=schema))
        except anthropic.AnthropicError as exc:
            raise translate_error(exc, provider=self.name, timeout=self.timeout) from exc
        return self.completion(message)

    def params(self, *, system: str, prompt: str, max_tokens: int, schema: type[BaseModel] | None) -> dict[str, Any]:
        """The Messages API parameters of one call (also a Message Batches request's ``params``)."""
        system_blocks, messages = cached_request(system, prompt)
        params: dict[str, Any] = {"model": self.model, "max_tokens": max_tokens, "system": system_blocks,
                                  "messages": messages}
        if schema is not None:
            params["tools"] = [{"name": ANSWER_TOOL, "description": "Record the answer, in the requested shape.",
                                "input_schema": strict_json_schema(schema)}]
            params["tool_choice"] = {"type": "tool", "name": ANSWER_TOOL}
        return params

    def completion(self, message: Any) -> Completion:
        """An ``anthropic.types.Message`` as a :class:`Completion` (a forced tool call's input as the text)."""
        tool_inputs = [block.input for block in message.content if block.type == "tool_use"]
        if tool_inputs:
            text = json.dumps(tool_inputs[0], ensure_ascii=False)
        else:
            text = "".join(block.text for block in message.content if block.type == "text")
        usage = message.usage
        return Completion(text=text, model=message.model or self.model,
                          input_tokens=getattr(usage, "input_tokens", 0) or 0,
                          output_tokens=getattr(usage, "output_tokens", 0) or 0,
                          stop_reason=_STOP.get(message.stop_reason or "", ""),
                          cache_read_tokens=getattr(usage, "cache_read_input_tokens", 0) or 0)

    def stream(self, *, system: str, prompt: str, max_tokens: int = 1024) -> Iterator[str]:
        """The completion as text deltas (``messages.stream``, server-sent events).

        Raises:
            LLMError: as :meth:`complete`, also when the stream breaks midway.
        """
        system_blocks, messages = cached_request(system, prompt)
        try:
            with self._client.messages.stream(
                model=self.model, max_tokens=max_tokens, system=system_blocks,  # type: ignore[arg-type]
                messages=messages,  # type: ignore[arg-type]
            ) as stream:
                yield from stream.text_stream
        except anthropic.AnthropicError as exc:
            raise translate_error(exc, provider=self.name, timeout=self.timeout) from exc

    def stream_structured(self, *, system: str, prompt: str, max_tokens: int, schema: type[BaseModel],
                          deadline: float) -> Iterator[str | Completion]:
        """The forced tool call of :meth:`complete`, streamed (``messages.stream``): the tool input's
        ``input_json_delta`` pieces (or ``text_delta`` when the model answered text), then the whole
        :class:`Completion`. https://docs.anthropic.com/en/docs/build-with-claude/streaming

        Past ``deadline`` seconds the ``with`` block is left, which closes the HTTP response (and its
        connection); each read also times out after ``min(timeout, deadline)`` seconds.

        Raises:
            LLMError: as :meth:`complete`; an ``error`` event mid-stream; the deadline passed.
        """
        started = time.monotonic()
        params = self.params(system=system, prompt=prompt, max_tokens=max_tokens, schema=schema)
        started_answer = False
        try:
            with self._client.messages.stream(**params, timeout=min(self.timeout, deadline)) as stream:
                for event in stream:
                    if time.monotonic() - started > deadline:
                        raise deadline_error(self.name, deadline)
                    if event.type != "content_block_delta":
                        continue
                    if event.delta.type == "input_json_delta":
                        yield event.delta.partial_json
                    elif event.delta.type == "text_delta":
                        yield event.delta.text
                    started_answer = True
                message = stream.get_final_message()
        except httpx.TimeoutException as exc:  # a read mid-stream waited past min(timeout, deadline)
            raise deadline_error(self.name, min(self.timeout, deadline)) from exc
        except httpx.HTTPError as exc:  # the connection dropped mid-stream (the SDK wraps only the request)
            raise broken_stream_error(self.name, exc) from exc
        except anthropic.AnthropicError as exc:
            if started_answer:
                raise broken_stream_error(self.name, exc) from exc
            raise translate_error(exc, provider=self.name, timeout=self.timeout) from exc
        yield self.completion(message)

    def batch_api(self) -> Any:
        """This provider's Message Batches API (:class:`bot.llm.batch.AnthropicBatches`)."""
        from bot.llm.batch import AnthropicBatches

        return AnthropicBatches(self, self._client)

    def count_tokens(self, text: str) -> int:
        """Local estimate, no network (see :func:`bot.llm.tokens.count_tokens`)."""
        return count_tokens(text)
