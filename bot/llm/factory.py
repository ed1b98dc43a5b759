"""Choose and build the model provider from settings."""

from __future__ import annotations

from bot.errors import ConfigError
from bot.llm.base import Provider

PROVIDERS = ("anthropic", "openai", "offline")


def make_provider(
    *,
    provider: str | None,
    anthropic_api_key: str | None = None,
    openai_api_key: str | None = None,
    openai_base_url: str | None = None,
    anthropic_base_url: str | None = None,
    model: str | None = None,
    timeout: float = 60.0,
    max_retries: int = 2,
    context_tokens: int | None = None,
) -> Provider:
    """Build the provider named by ``provider``, or pick one from the keys present.

    Auto (``provider=None`` or ``""``): an Anthropic key means ``anthropic``; else an OpenAI key or an
    OpenAI base URL means ``openai``; else ``offline``.

    Args:
        provider: ``"anthropic"``, ``"openai"``, ``"offline"`` or None for auto.
        anthropic_api_key, openai_api_key: API keys.
        openai_base_url: OpenAI-compatible server (Ollama, vLLM, …); keyless when set.
        anthropic_base_url: Anthropic API base URL (proxies, tests).
        model: model name; None for the provider's default (``claude-sonnet-4-6``, ``gpt-4.1-mini``).
        timeout: seconds one HTTP request may take.
        max_retries: the SDK's own retries.
        context_tokens: prompt budget per call, tokens; None for the provider's default.

    Returns:
        A :class:`bot.llm.base.Provider`.

    Raises:
        ConfigError: unknown provider name, or a provider chosen without the key it needs.
    """
    name = (provider or "").strip().lower() or None
    if name is None:
        if anthropic_api_key:
            name = "anthropic"
        elif openai_api_key or openai_base_url:
            name = "openai"
        else:
            name = "offline"
    if name == "anthropic":
        if not anthropic_api_key:
            raise ConfigError("LLM_PROVIDER=anthropic needs ANTHROPIC_API_KEY")
        from bot.llm.anthropic import AnthropicProvider

        return AnthropicProvider(api_key=anthropic_api_key, model=model, base_url=anthropic_base_url,
                                 timeout=timeout, max_retries=max_retries, context_tokens=context_tokens)
    if name == "openai":
        if not (openai_api_key or openai_base_url):
            raise ConfigError("LLM_PROVIDER=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local server)")
        from bot.llm.openai import OpenAIProvider

        return OpenAIProvider(api_key=openai_api_key, model=model, base_url=openai_base_url,
                              timeout=timeout, max_retries=max_retries, context_tokens=context_tokens)
    if name == "offline":
        from bot.summaries.extractive import OfflineProvider

        return OfflineProvider()
    raise ConfigError(f"unknown LLM_PROVIDER {provider!r}: use one of {', '.join(PROVIDERS)}")
