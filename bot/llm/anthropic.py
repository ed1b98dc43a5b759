"""Claude through the ``anthropic`` SDK (Messages API).

The SDK retries 408/409/429/5xx (including 529 ``overloaded_error``) and connection errors itself,
with exponential backoff that honours ``retry-after``; we set ``max_retries`` and ``timeout`` and
translate whatever is left into :class:`bot.errors.LLMError` (:func:`bot.llm.base.translate_error`).

Structured output: with a ``schema`` the request offers one tool whose ``input_schema`` is the schema
and forces it (``tool_choice={"type": "tool", "name": …}``); the tool call's ``input`` is the answer.
A forced tool call works on every Claude model the SDK can reach (``output_config.format``, the newer
structured-output mode, only on some). https://docs.anthropic.com/en/docs/build-with-claude/tool-use

Docs: https://docs.anthropic.com/en/api/messages, https://docs.anthropic.com/en/api/errors
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import anthropic
from pydantic import BaseModel

from bot.llm.base import Completion, translate_error
from bot.llm.schema import strict_json_schema
from bot.llm.tokens import count_tokens

_STOP = {"end_turn": "stop", "stop_sequence": "stop", "tool_use": "stop", "pause_turn": "stop",
         "max_tokens": "length", "model_context_window_exceeded": "length", "refusal": "refusal"}
ANSWER_TOOL = "record_answer"
"""The name of the tool a structured answer is forced through."""

DEFAULT_MODEL = "claude-sonnet-4-6"
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
        extra: dict[str, Any] = {}
        if schema is not None:
            extra["tools"] = [{"name": ANSWER_TOOL, "description": "Record the answer, in the requested shape.",
                               "input_schema": strict_json_schema(schema)}]
            extra["tool_choice"] = {"type": "tool", "name": ANSWER_TOOL}
        try:
            message = self._client.messages.create(
                model=self.model, max_tokens=max_tokens, system=system,
                messages=[{"role": "user", "content": prompt}], **extra,
            )
        except anthropic.AnthropicError as exc:
            raise translate_error(exc, provider=self.name, timeout=self.timeout) from exc
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
        try:
            with self._client.messages.stream(
                model=self.model, max_tokens=max_tokens, system=system,
                messages=[{"role": "user", "content": prompt}],
            ) as stream:
                yield from stream.text_stream
        except anthropic.AnthropicError as exc:
            raise translate_error(exc, provider=self.name, timeout=self.timeout) from exc

    def count_tokens(self, text: str) -> int:
        """Local estimate, no network (see :func:`bot.llm.tokens.count_tokens`)."""
        return count_tokens(text)
