"""OpenAI's Chat Completions through the ``openai`` SDK, or any OpenAI-compatible server.

``base_url`` points the SDK at Ollama (``http://localhost:11434/v1``), vLLM, LM Studio and the like;
such servers often need no key, so a placeholder is sent when none is given. The SDK retries
408/409/429/5xx and connection errors itself; what is left becomes :class:`bot.errors.LLMError`
(:func:`bot.llm.base.translate_error`).

Structured output: with a ``schema`` the request carries ``response_format={"type": "json_schema",
"json_schema": {"name", "schema", "strict": true}}``. A compatible server that refuses that (400, 422, or
an error naming ``response_format``, like llama-cpp-python's 500) is
asked again with ``{"type": "json_object", "schema": …}`` (JSON mode; llama-cpp-python turns the
``schema`` into a grammar), then with no ``response_format`` at all; the
first mode that works is remembered for the provider's lifetime, so the 400 costs one extra call once.
In the last two modes the server does not tell the model what the keys mean, so the prompt ends with the
shape (:func:`bot.llm.schema.shape_hint`); with a strict schema the schema's descriptions say it.

Prompt caching: OpenAI caches the longest prefix it has seen (1,024 tokens or more) by itself; our
prompts put what is stable first (system prompt, then the transcript, then the instructions and the
question), and ``usage.prompt_tokens_details.cached_tokens`` becomes :attr:`Completion.cache_read_tokens`
(https://platform.openai.com/docs/guides/prompt-caching).

An abandoned request: the SDK's ``timeout`` closes the HTTP connection (httpx drops a connection whose
response it did not read to the end). Whether the server then stops generating is the server's
business; see ``bench/real_model_check.py`` for what llama.cpp's server does.

Docs: https://platform.openai.com/docs/api-reference/chat,
https://platform.openai.com/docs/guides/structured-outputs
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any, TypedDict, cast

import httpx2 as httpx
import openai
from openai.types.chat import ChatCompletionMessageParam
from openai.types.chat.completion_create_params import ResponseFormat
from pydantic import BaseModel

from bot.llm.base import Completion, broken_stream_error, deadline_error, translate_error
from bot.llm.schema import shape_hint, strict_json_schema
from bot.llm.tokens import count_tokens

logger = logging.getLogger(__name__)

JSON_MODES = ("json_schema", "json_object", "prompt")
"""How a schema reaches the server, best first: a strict JSON schema, JSON mode, the prompt alone."""

_FINISH = {"stop": "stop", "length": "length", "content_filter": "refusal", "tool_calls": "stop"}

DEFAULT_MODEL = "gpt-4.1-mini"
DEFAULT_CONTEXT_TOKENS = 100_000


def _refuses_format(exc: openai.APIStatusError) -> bool:
    """Whether an error answers the ``response_format`` rather than the request: any 400/422, or an error
    naming ``response_format`` (llama-cpp-python's server answers a json_schema format with a 500 whose
    body is its validation error: "Input should be 'text' or 'json_object'")."""
    return exc.status_code in (400, 422) or "response_format" in str(exc)


class _OutputLimit(TypedDict, total=False):
    """One of the two names of the completion budget (typed, so the SDK call type-checks)."""

    max_tokens: int
    max_completion_tokens: int


def _messages(system: str, prompt: str) -> list[ChatCompletionMessageParam]:
    return [{"role": "system", "content": system}, {"role": "user", "content": prompt}]


class OpenAIProvider:
    """A :class:`bot.llm.base.Provider` backed by the OpenAI Chat Completions API.

    Args:
        api_key: API key; None with a ``base_url`` for keyless local servers.
        model: model name; defaults to :data:`DEFAULT_MODEL`.
        base_url: API base URL ending in ``/v1``; None for OpenAI's.
        timeout: seconds one HTTP request may take before the SDK gives up (then retries).
        max_retries: the SDK's own retries.
        context_tokens: prompt budget per call, tokens; defaults to :data:`DEFAULT_CONTEXT_TOKENS`.
    """

    name = "openai"

    def __init__(self, *, api_key: str | None, model: str | None = None, base_url: str | None = None,
                 timeout: float = 60.0, max_retries: int = 2, context_tokens: int | None = None) -> None:
        self.model = model or DEFAULT_MODEL
        self.context_tokens = context_tokens or DEFAULT_CONTEXT_TOKENS
        self.timeout = timeout
        self.base_url = base_url
        self.json_mode = JSON_MODES[0]
        """The best structured-output mode the server accepted so far (see :data:`JSON_MODES`)."""
        self._client = openai.OpenAI(api_key=api_key or "not-needed", base_url=base_url, timeout=timeout,
                                     max_retries=max_retries)

    def _limit(self, max_tokens: int) -> _OutputLimit:
        """The output limit under the name the server knows: OpenAI's own API wants
        ``max_completion_tokens`` (newer models reject ``max_tokens``); compatible servers (Ollama, vLLM,
        LM Studio) know ``max_tokens``."""
        return {"max_tokens": max_tokens} if self.base_url else {"max_completion_tokens": max_tokens}

    def _response_format(self, schema: type[BaseModel], mode: str) -> ResponseFormat | None:
        if mode == "json_schema":
            return {"type": "json_schema", "json_schema": {
                "name": schema.__name__, "schema": strict_json_schema(schema), "strict": True}}
        if mode == "json_object":
            # JSON mode; the "schema" key is llama-cpp-python's extension (a grammar built from it),
            # ignored by servers that do not know it.
            return cast(ResponseFormat, {"type": "json_object", "schema": strict_json_schema(schema)})
        return None

    def complete(self, *, system: str, prompt: str, max_tokens: int = 1024,
                 schema: type[BaseModel] | None = None) -> Completion:
        """One completion (``chat.completions.create``), constrained to ``schema`` when given.

        Returns:
            The :class:`Completion`; ``stop_reason`` is ``finish_reason`` normalised (``length`` when cut
            at ``max_tokens``, ``refusal`` for ``content_filter`` or a refusal message).

        Raises:
            LLMError: timeout, connection failure, rate limit, 5xx after the SDK's retries, any other
                API error (a 400 to every structured-output mode included), or an answer without a message.
        """
        modes = JSON_MODES[JSON_MODES.index(self.json_mode):] if schema is not None else (None,)
        for n, mode in enumerate(modes):
            response_format = self._response_format(schema, mode) if schema is not None and mode else None
            extra = {"response_format": response_format} if response_format is not None else {}
            asked = prompt if schema is None or mode == "json_schema" else f"{prompt}\n\n{shape_hint(schema)}"
            try:
                response = self._client.chat.completions.create(
                    model=self.model, messages=_messages(system, asked), **self._limit(max_tokens),
                    **extra)  # type: ignore[call-overload]
            except openai.APIStatusError as exc:
                if mode is None or n == len(modes) - 1 or not _refuses_format(exc):
                    raise translate_error(exc, provider=self.name, timeout=self.timeout) from exc
                logger.info("%s server refused response_format %s (%s); trying %s", self.name, mode, exc,
                            modes[n + 1])
                continue
            except openai.OpenAIError as exc:
                raise translate_error(exc, provider=self.name, timeout=self.timeout) from exc
            if mode is not None and mode != self.json_mode:
                self.json_mode = mode  # remembered: the next call does not pay for the 400 again
            break
        return self.completion(response)

    def body(self, *, system: str, prompt: str, max_tokens: int, schema: type[BaseModel] | None) -> dict[str, Any]:
        """The Chat Completions body of one call in the best mode the server accepted so far (also a Batch
        API request's ``body``; OpenAI's own API takes a strict JSON schema there)."""
        mode = self.json_mode if schema is not None else None
        response_format = self._response_format(schema, mode) if schema is not None and mode else None
        asked = prompt if schema is None or mode == "json_schema" else f"{prompt}\n\n{shape_hint(schema)}"
        body: dict[str, Any] = {"model": self.model, "messages": _messages(system, asked), **self._limit(max_tokens)}
        if response_format is not None:
            body["response_format"] = response_format
        return body

    def completion(self, response: Any) -> Completion:
        """An ``openai.types.chat.ChatCompletion`` as a :class:`Completion`.

        Raises:
            LLMError: an answer without a choice.
        """
        if not response.choices:
            raise translate_error(ValueError("no choices in the answer"), provider=self.name, timeout=self.timeout)
        choice = response.choices[0]
        usage = response.usage
        details = getattr(usage, "prompt_tokens_details", None)
        stop = _FINISH.get(choice.finish_reason or "", "")
        if getattr(choice.message, "refusal", None):
            stop = "refusal"
        return Completion(text=choice.message.content or "", model=response.model or self.model,
                          input_tokens=getattr(usage, "prompt_tokens", 0) or 0,
                          output_tokens=getattr(usage, "completion_tokens", 0) or 0,
                          stop_reason=stop, cache_read_tokens=getattr(details, "cached_tokens", 0) or 0)

    def stream(self, *, system: str, prompt: str, max_tokens: int = 1024) -> Iterator[str]:
        """The completion as text deltas (``stream=True``, server-sent events).

        Raises:
            LLMError: as :meth:`complete`, also when the stream breaks midway.
        """
        try:
            chunks = self._client.chat.completions.create(
                model=self.model, messages=_messages(system, prompt), stream=True, **self._limit(max_tokens))
            for chunk in chunks:
                for choice in chunk.choices:
                    if choice.delta and choice.delta.content:
                        yield choice.delta.content
        except openai.OpenAIError as exc:
            raise translate_error(exc, provider=self.name, timeout=self.timeout) from exc

    def stream_structured(self, *, system: str, prompt: str, max_tokens: int, schema: type[BaseModel],
                          deadline: float) -> Iterator[str | Completion]:
        """:meth:`complete` streamed (``stream=True``, in the best structured-output mode the server accepted
        so far): the content deltas, then the whole :class:`Completion`. A server that refuses the mode is
        asked through :meth:`complete` (which finds the mode that works) and its answer comes as one piece.

        Past ``deadline`` seconds the stream is closed (the SDK's ``Stream.close`` closes the HTTP response
        and its connection; llama.cpp's and vLLM's servers stop generating for a closed connection); each
        read also times out after ``min(timeout, deadline)`` seconds.

        Raises:
            LLMError: as :meth:`complete`; an error chunk mid-stream; the deadline passed.
        """
        started = time.monotonic()
        body = self.body(system=system, prompt=prompt, max_tokens=max_tokens, schema=schema)
        parts: list[str] = []
        finish, model, refusal = "", self.model, False
        try:
            with self._client.chat.completions.create(
                    **body, stream=True, timeout=min(self.timeout, deadline)) as chunks:
                for chunk in chunks:
                    if time.monotonic() - started > deadline:
                        raise deadline_error(self.name, deadline)
                    model = chunk.model or model
                    for choice in chunk.choices:
                        if choice.delta and choice.delta.content:
                            parts.append(choice.delta.content)
                            yield choice.delta.content
                        refusal = refusal or bool(getattr(choice.delta, "refusal", None))
                        finish = choice.finish_reason or finish
        except openai.APIStatusError as exc:
            if not parts and _refuses_format(exc) and self.json_mode != JSON_MODES[-1]:
                logger.info("%s server refused a streamed %s answer (%s); asking without streaming",
                            self.name, self.json_mode, exc)
                self.json_mode = JSON_MODES[JSON_MODES.index(self.json_mode) + 1]  # not asked in this mode again
                completion = self.complete(system=system, prompt=prompt, max_tokens=max_tokens, schema=schema)
                yield completion.text
                yield completion
                return
            if parts:
                raise broken_stream_error(self.name, exc) from exc
            raise translate_error(exc, provider=self.name, timeout=self.timeout) from exc
        except httpx.TimeoutException as exc:  # a read mid-stream waited past min(timeout, deadline)
            raise deadline_error(self.name, min(self.timeout, deadline)) from exc
        except httpx.HTTPError as exc:  # the connection dropped mid-stream (the SDK wraps only the request)
            raise broken_stream_error(self.name, exc) from exc
        except openai.OpenAIError as exc:
            if parts:
                raise broken_stream_error(self.name, exc) from exc
            raise translate_error(exc, provider=self.name, timeout=self.timeout) from exc
        stop = "refusal" if refusal else _FINISH.get(finish, "")
        yield Completion(text="".join(parts), model=model, stop_reason=stop)

    def batch_api(self) -> Any:
        """This provider's Batch API (:class:`bot.llm.batch.OpenAIBatches`)."""
        from bot.llm.batch import OpenAIBatches

        return OpenAIBatches(self, self._client)

    def count_tokens(self, text: str) -> int:
        """Local estimate, no network (see :func:`bot.llm.tokens.count_tokens`)."""
        return count_tokens(text)
