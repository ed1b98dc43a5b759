"""The provider interface, and the translation of SDK errors into ours.

A provider turns a prompt into a completion. Two implementations: Anthropic (``anthropic`` SDK,
:mod:`bot.llm.anthropic`) and OpenAI (``openai`` SDK, any OpenAI-compatible server through
``base_url``, :mod:`bot.llm.openai`). "No model" is not a provider: :func:`bot.llm.factory.make_provider`
returns None and callers use the extractive summarizer (:mod:`bot.summaries.extractive`).

Errors: each provider catches its own SDK's exceptions at the edge and raises
``translate_error(exc, ...) from exc``, a :class:`bot.errors.LLMError` whose ``user_message`` says what
went wrong in words a person can act on::

    RecapError
     └── LLMError    timeout, connection, rate limit, overload, rejected key, HTTP error, bad answer
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from pydantic import BaseModel

from bot.errors import LLMError


@dataclass(frozen=True)
class Completion:
    """A model's answer.

    Attributes:
        text: the completion text; with a ``schema``, the JSON answer (Anthropic's forced tool call
            ``input`` serialised, OpenAI's message content).
        model: the model that wrote it.
        input_tokens, output_tokens: token usage as reported by the provider (0 when unknown).
        stop_reason: why generation stopped, normalised: ``"stop"`` (finished), ``"length"`` (hit
            ``max_tokens``: Anthropic ``max_tokens``, OpenAI ``length``), ``"refusal"``, or ``""`` when unknown.
        cache_read_tokens: prompt tokens read from the provider's prompt cache (0 when none or unknown).
    """

    text: str
    model: str
    input_tokens: int = 0
    output_tokens: int = 0
    stop_reason: str = ""
    cache_read_tokens: int = 0

    @property
    def truncated(self) -> bool:
        """True when the answer was cut at the output budget (the JSON is then usually incomplete)."""
        return self.stop_reason == "length"


class Provider(Protocol):
    """A model provider.

    Attributes:
        name: ``"anthropic"`` or ``"openai"`` (labels and logs; wrappers such as the evals' cache copy it).
        model: the model name.
        context_tokens: how many prompt tokens one call may carry (the map-reduce budget).
    """

    name: str
    model: str
    context_tokens: int

    def complete(self, *, system: str, prompt: str, max_tokens: int = 1024,
                 schema: type[BaseModel] | None = None) -> Completion:
        """One completion. With ``schema`` the model is constrained to answer that JSON shape where the
        API can (OpenAI ``response_format`` json_schema, Anthropic a forced tool call); the caller still
        validates. Raises LLMError on any failure after the SDK's own retries."""
        ...

    def stream(self, *, system: str, prompt: str, max_tokens: int = 1024) -> Iterator[str]:
        """The completion as text deltas. Raises LLMError."""
        ...

    def count_tokens(self, text: str) -> int:
        """An estimate of the tokens ``text`` costs (no network)."""
        ...


@runtime_checkable
class StreamingProvider(Provider, Protocol):
    """A provider that can stream a structured answer as it is written (both built-in providers).

    Wrappers that cannot (the evals' completion cache, a batch's prefilled answers) simply lack the method:
    callers check ``isinstance(provider, StreamingProvider)`` and call :meth:`Provider.complete` otherwise.
    """

    def stream_structured(self, *, system: str, prompt: str, max_tokens: int, schema: type[BaseModel],
                          deadline: float) -> Iterator[str | Completion]:
        """The answer of :meth:`Provider.complete` with ``schema``, streamed: JSON text deltas (Anthropic's
        ``input_json_delta`` of the forced tool call, OpenAI's content deltas), then one :class:`Completion`
        of the whole answer, last.

        Args:
            deadline: seconds the whole stream may take. Past it the HTTP stream is closed (which stops a
                llama.cpp / vLLM server generating) and :class:`bot.errors.LLMError` is raised.

        Raises:
            LLMError: the provider failed, before or during the stream (an ``error`` event mid-stream
                included), or the deadline passed. Closing the iterator early also closes the HTTP stream.
        """
        ...


def deadline_error(provider: str, deadline: float) -> LLMError:
    """The error of a stream that ran past its deadline of ``deadline`` seconds (closed by Recap)."""
    reason = f"the {provider} model did not finish its answer in time ({deadline:g} s)"
    return LLMError(reason, user_message=reason[0].upper() + reason[1:] + ".")


def broken_stream_error(provider: str, exc: Exception) -> LLMError:
    """The error of a stream that broke after the answer had begun (an ``error`` event, a dropped connection)."""
    reason = f"the {provider} model's answer broke off midway"
    return LLMError(f"{reason}: {type(exc).__name__}: {exc}", user_message=reason[0].upper() + reason[1:] + ".")


def translate_error(exc: Exception, *, provider: str, timeout: float) -> LLMError:
    """An SDK exception as an :class:`LLMError` (``raise translate_error(exc, ...) from exc``).

    The ``anthropic`` and ``openai`` SDKs are generated from the same template, so their exception
    classes have the same names (``APITimeoutError``, ``APIConnectionError``, ``RateLimitError``, …) and
    carry ``status_code``; this reads those, so it imports neither SDK and serves both. Any other
    exception (a malformed answer) becomes "the API call failed".

    Args:
        exc: the SDK's exception.
        provider: ``"anthropic"`` or ``"openai"``, for the messages.
        timeout: the configured timeout in seconds, for the messages.

    Returns:
        The error to raise; its ``user_message`` is one sentence for the person in Slack.
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
