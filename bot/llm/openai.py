"""OpenAI's Chat Completions through the ``openai`` SDK, or any OpenAI-compatible server.

``base_url`` points the SDK at Ollama (``http://localhost:11434/v1``), vLLM, LM Studio and the like;
such servers often need no key, so a placeholder is sent when none is given. The SDK retries
408/409/429/5xx and connection errors itself; what is left becomes :class:`bot.errors.LLMError`.

Docs: https://platform.openai.com/docs/api-reference/chat
"""

from __future__ import annotations

from collections.abc import Iterator

import openai

from bot.llm.anthropic import translate_error
from bot.llm.base import Completion
from bot.summaries.extractive import count_tokens

DEFAULT_MODEL = "gpt-4.1-mini"
DEFAULT_CONTEXT_TOKENS = 100_000


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
        self._client = openai.OpenAI(api_key=api_key or "not-needed", base_url=base_url, timeout=timeout,
                                     max_retries=max_retries)

    def _request(self, *, system: str, prompt: str, max_tokens: int) -> dict[str, object]:
        request: dict[str, object] = {
            "model": self.model,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": prompt}],
        }
        # OpenAI's own API wants max_completion_tokens (newer models reject max_tokens); compatible
        # servers (Ollama, vLLM, LM Studio) know max_tokens.
        request["max_tokens" if self.base_url else "max_completion_tokens"] = max_tokens
        return request

    def complete(self, *, system: str, prompt: str, max_tokens: int = 1024) -> Completion:
        """One completion (``chat.completions.create``).

        Raises:
            LLMError: timeout, connection failure, rate limit, 5xx after the SDK's retries, any other
                API error, or an answer without a message.
        """
        try:
            response = self._client.chat.completions.create(**self._request(
                system=system, prompt=prompt, max_tokens=max_tokens))
        except openai.OpenAIError as exc:
            raise translate_error(exc, provider=self.name, timeout=self.timeout) from exc
        if not response.choices:
            raise translate_error(ValueError("no choices in the answer"), provider=self.name, timeout=self.timeout)
        usage = response.usage
        return Completion(text=response.choices[0].message.content or "", model=response.model or self.model,
                          input_tokens=getattr(usage, "prompt_tokens", 0) or 0,
                          output_tokens=getattr(usage, "completion_tokens", 0) or 0)

    def stream(self, *, system: str, prompt: str, max_tokens: int = 1024) -> Iterator[str]:
        """The completion as text deltas (``stream=True``, server-sent events).

        Raises:
            LLMError: as :meth:`complete`, also when the stream breaks midway.
        """
        try:
            chunks = self._client.chat.completions.create(
                stream=True, **self._request(system=system, prompt=prompt, max_tokens=max_tokens))
            for chunk in chunks:
                for choice in chunk.choices:
                    if choice.delta and choice.delta.content:
                        yield choice.delta.content
        except openai.OpenAIError as exc:
            raise translate_error(exc, provider=self.name, timeout=self.timeout) from exc

    def count_tokens(self, text: str) -> int:
        """Local estimate, no network (see :func:`bot.summaries.extractive.count_tokens`)."""
        return count_tokens(text)
