"""The provider interface.

A provider turns a prompt into a completion. Three implementations: Anthropic (``anthropic`` SDK),
OpenAI (``openai`` SDK, any OpenAI-compatible server through ``base_url``) and offline (extractive,
no network). SDK errors are translated into :class:`bot.errors.LLMError` at the edge.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Completion:
    """A model's answer.

    Attributes:
        text: the completion text.
        model: the model that wrote it.
        input_tokens, output_tokens: token usage as reported by the provider (0 when unknown).
    """

    text: str
    model: str
    input_tokens: int = 0
    output_tokens: int = 0


class Provider(Protocol):
    """A model provider.

    Attributes:
        name: ``"anthropic"``, ``"openai"`` or ``"offline"``.
        model: the model name.
        context_tokens: how many prompt tokens one call may carry (the map-reduce budget).
    """

    name: str
    model: str
    context_tokens: int

    def complete(self, *, system: str, prompt: str, max_tokens: int = 1024) -> Completion:
        """One completion. Raises LLMError on any failure after the SDK's own retries."""
        ...

    def stream(self, *, system: str, prompt: str, max_tokens: int = 1024) -> Iterator[str]:
        """The completion as text deltas. Raises LLMError."""
        ...

    def count_tokens(self, text: str) -> int:
        """An estimate of the tokens ``text`` costs (no network)."""
        ...
