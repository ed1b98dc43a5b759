"""Claude through the ``anthropic`` SDK (Messages API).

The SDK retries 408/409/429/5xx (including 529 ``overloaded_error``) and connection errors itself,
with exponential backoff that honours ``retry-after``; we set ``max_retries`` and ``timeout`` and
translate whatever is left into :class:`bot.errors.LLMError`.

Docs: https://docs.anthropic.com/en/api/messages, https://docs.anthropic.com/en/api/errors
"""

from __future__ import annotations

from collections.abc import Iterator

import anthropic

from bot.errors import LLMError
from bot.llm.base import Completion
from bot.summaries.extractive import count_tokens

DEFAULT_MODEL = "claude-sonnet-4-6"
DEFAULT_CONTEXT_TOKENS = 150_000


def translate_error(exc: Exception, *, provider: str, timeout: float) -> LLMError:
    """An SDK exception of the ``anthropic`` or ``openai`` SDK as an :class:`LLMError`.

    Both SDKs are generated from the same template, so their exception classes have the same names
    and meaning; this works for either.

    Args:
        exc: the SDK's exception.
        provider: ``"anthropic"`` or ``"openai"``, for the messages.
        timeout: the configured timeout in seconds, for the messages.

    Returns:
        The error to raise (``raise translate_error(...) from exc``).
    """
    kind = type(exc).__name__
    status = getattr(exc, "status_code", None)
    if kind == "APITimeoutError":
        reason = f"the {provider} model did not answer in time ({timeout:g} s)"
    elif kind == "APIConnectionError":
        reason = f"could not reach the {provider} API"
    elif kind == "RateLimitError" or status == 429:
        reason = f"the {provider} API is rate limiting us"
    elif status == 529 or kind == "OverloadedError":
        reason = f"the {provider} API is overloaded"
    elif status in (401, 403):
        reason = f"the {provider} API rejected the key (HTTP {status})"
    elif status is not None and status >= 500:
        reason = f"the {provider} API failed (HTTP {status})"
    elif status is not None:
        reason = f"the {provider} API refused the request (HTTP {status})"
    else:
        reason = f"the {provider} API call failed ({kind})"
    return LLMError(f"{reason}: {exc}", user_message=reason[0].upper() + reason[1:] + ".")


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

    def complete(self, *, system: str, prompt: str, max_tokens: int = 1024) -> Completion:
        """One completion (``messages.create``).

        Raises:
            LLMError: timeout, connection failure, rate limit, 5xx/529 after the SDK's retries, or
                any other API error.
        """
        try:
            message = self._client.messages.create(
                model=self.model, max_tokens=max_tokens, system=system,
                messages=[{"role": "user", "content": prompt}],
            )
        except anthropic.AnthropicError as exc:
            raise translate_error(exc, provider=self.name, timeout=self.timeout) from exc
        text = "".join(block.text for block in message.content if getattr(block, "type", "") == "text")
        usage = message.usage
        return Completion(text=text, model=message.model or self.model,
                          input_tokens=getattr(usage, "input_tokens", 0) or 0,
                          output_tokens=getattr(usage, "output_tokens", 0) or 0)

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
        """Local estimate, no network (see :func:`bot.summaries.extractive.count_tokens`)."""
        return count_tokens(text)
