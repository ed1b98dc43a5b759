"""Choose and build the model provider from settings; None when no model is configured.

"No model" is not a provider: without a key, or with ``LLM_PROVIDER=offline``, :func:`make_provider`
returns None and callers summarize with the extractive strategy (:mod:`bot.summaries.extractive`).
"""

from __future__ import annotations

from bot.config import Settings
from bot.errors import ConfigError
from bot.llm.base import Provider

PROVIDERS = ("anthropic", "openai", "offline")
"""The values ``LLM_PROVIDER`` takes; ``offline`` forces no model."""


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
) -> Provider | None:
    """Build the provider named by ``provider``, or pick one from the keys present.

    Auto (``provider=None`` or ``""``): an Anthropic key means ``anthropic``; else an OpenAI key or an
    OpenAI base URL means ``openai``; else no model (None). The SDK of the chosen provider is imported
    here, not before: a process without a model never loads either SDK.

    Args:
        provider: ``"anthropic"``, ``"openai"``, ``"offline"`` (no model) or None for auto; any case.
        anthropic_api_key, openai_api_key: API keys.
        openai_base_url: OpenAI-compatible server (Ollama, vLLM, …); keyless when set.
        anthropic_base_url: Anthropic API base URL (proxies, tests).
        model: model name; None for the provider's default (``claude-sonnet-4-6``, ``gpt-4.1-mini``).
        timeout: seconds one HTTP request may take.
        max_retries: the SDK's own retries.
        context_tokens: prompt budget per call, tokens; None for the provider's default.

    Returns:
        A :class:`bot.llm.base.Provider`, or None when no model is configured (``"offline"``, or auto
        without any key): the caller then uses the extractive summarizer.

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
            return None
    if name == "anthropic":
        if not anthropic_api_key:
            raise ConfigError("LLM_PROVIDER=anthropic needs ANTHROPIC_API_KEY")
        from bot.llm.anthropic import AnthropicProvider  # the SDK loads only when it is used

        return AnthropicProvider(api_key=anthropic_api_key, model=model, base_url=anthropic_base_url,
                                 timeout=timeout, max_retries=max_retries, context_tokens=context_tokens)
    if name == "openai":
        if not (openai_api_key or openai_base_url):
            raise ConfigError("LLM_PROVIDER=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local server)")
        from bot.llm.openai import OpenAIProvider  # the SDK loads only when it is used

        return OpenAIProvider(api_key=openai_api_key, model=model, base_url=openai_base_url,
                              timeout=timeout, max_retries=max_retries, context_tokens=context_tokens)
    if name == "offline":
        return None
    raise ConfigError(f"unknown LLM_PROVIDER {provider!r}: use one of {', '.join(PROVIDERS)}")


def build_provider(settings: Settings, *, provider: str | None = None, model: str | None = None) -> Provider | None:
    """The provider the settings ask for (:func:`make_provider` with the ``LLM_*`` and key settings).

    Args:
        settings: the loaded settings (``llm_provider``, ``anthropic_api_key``, ``openai_api_key``,
            ``openai_base_url``, ``anthropic_base_url``, ``llm_model``, ``llm_timeout``,
            ``llm_max_retries``, ``llm_context_tokens``).
        provider: overrides ``settings.llm_provider`` when given (a CLI's ``--provider``).
        model: overrides ``settings.llm_model`` when given (a CLI's ``--model``).

    Returns:
        The provider, or None when no model is configured (see :func:`make_provider`).

    Raises:
        ConfigError: unknown provider name, or a provider chosen without the key it needs.
    """
    return make_provider(
        provider=provider or settings.llm_provider,
        anthropic_api_key=settings.anthropic_api_key,
        openai_api_key=settings.openai_api_key,
        openai_base_url=settings.openai_base_url,
        anthropic_base_url=settings.anthropic_base_url,
        model=model or settings.llm_model,
        timeout=settings.llm_timeout,
        max_retries=settings.llm_max_retries,
        context_tokens=settings.llm_context_tokens,
    )
