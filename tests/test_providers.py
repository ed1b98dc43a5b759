"""Anthropic and OpenAI providers through the local fake servers, and the provider factory."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from bot.errors import ConfigError, LLMError
from bot.llm.anthropic import AnthropicProvider
from bot.llm.factory import make_provider
from bot.llm.openai import OpenAIProvider
from bot.summaries.extractive import OfflineProvider
from tests.fakellm import FakeLLM, Fault


@pytest.fixture
def fake() -> Iterator[FakeLLM]:
    with FakeLLM() as server:
        yield server


def anthropic_provider(fake: FakeLLM, **kw: object) -> AnthropicProvider:
    options = {"timeout": 0.5, "max_retries": 1, **kw}
    return AnthropicProvider(api_key="test-key", base_url=fake.anthropic_base_url, **options)  # type: ignore[arg-type]


def openai_provider(fake: FakeLLM, **kw: object) -> OpenAIProvider:
    options = {"timeout": 0.5, "max_retries": 1, **kw}
    return OpenAIProvider(api_key="test-key", base_url=fake.openai_base_url, **options)  # type: ignore[arg-type]


PROVIDERS = {"anthropic": anthropic_provider, "openai": openai_provider}


def test_anthropic_complete_request_shape(fake: FakeLLM) -> None:
    fake.enqueue("Hello from Claude")
    completion = anthropic_provider(fake, model="claude-test").complete(system="SYS", prompt="PROMPT", max_tokens=77)
    assert completion.text == "Hello from Claude"
    assert completion.model == "claude-test" and completion.output_tokens > 0
    [request] = fake.requests
    assert request.path == "/v1/messages"
    # The key travels as x-api-key or (newer SDKs) as a bearer token.
    assert "test-key" in (request.headers.get("x-api-key", ""), request.headers.get("authorization", "")[7:])
    assert request.body["system"] == "SYS" and request.prompt == "PROMPT"
    assert request.body["max_tokens"] == 77 and request.body["model"] == "claude-test"


def test_openai_complete_request_shape(fake: FakeLLM) -> None:
    fake.enqueue("Hello from GPT")
    completion = openai_provider(fake, model="llama3").complete(system="SYS", prompt="PROMPT", max_tokens=55)
    assert completion.text == "Hello from GPT" and completion.model == "llama3"
    [request] = fake.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer test-key"
    assert request.system == "SYS" and request.prompt == "PROMPT"
    assert request.body["max_tokens"] == 55  # compatible servers get max_tokens


@pytest.mark.parametrize("name", ["anthropic", "openai"])
def test_streaming(fake: FakeLLM, name: str) -> None:
    text = "Streaming works: 7:00 PM, v2.4.0, 世界."
    fake.enqueue(text)
    deltas = list(PROVIDERS[name](fake).stream(system="s", prompt="p"))
    assert len(deltas) > 1 and "".join(deltas) == text
    assert fake.requests[0].body["stream"] is True


@pytest.mark.parametrize("name", ["anthropic", "openai"])
def test_rate_limit_then_ok_is_retried_by_the_sdk(fake: FakeLLM, name: str) -> None:
    fake.enqueue(Fault(status=429, retry_after=0.01), "after the rate limit")
    assert PROVIDERS[name](fake).complete(system="s", prompt="p").text == "after the rate limit"
    assert len(fake.requests) == 2


@pytest.mark.parametrize(
    ("name", "fault", "cause", "words"),
    [
        ("anthropic", Fault(status=529), "OverloadedError", "overloaded"),
        ("anthropic", Fault(status=500), "InternalServerError", "HTTP 500"),
        ("anthropic", Fault(status=429, retry_after=0.01), "RateLimitError", "rate limiting"),
        ("anthropic", Fault(delay=0.8), "APITimeoutError", "did not answer in time"),
        ("anthropic", Fault(reset=True), "APIConnectionError", "could not reach"),
        ("openai", Fault(status=500), "InternalServerError", "HTTP 500"),
        ("openai", Fault(status=408), "APIStatusError", "HTTP 408"),
        ("openai", Fault(delay=0.8), "APITimeoutError", "did not answer in time"),
    ],
)
def test_failures_beyond_retries_become_llm_errors(fake: FakeLLM, name: str, fault: Fault, cause: str,
                                                    words: str) -> None:
    fake.enqueue(fault, fault)
    started = time.monotonic()
    with pytest.raises(LLMError) as info:
        PROVIDERS[name](fake).complete(system="s", prompt="p")
    assert type(info.value.__cause__).__name__ == cause
    assert words.lower() in info.value.user_message.lower()
    assert len(fake.requests) == 2  # the first try and the SDK's one retry
    assert time.monotonic() - started < 6


def test_stream_failure_becomes_llm_error(fake: FakeLLM) -> None:
    fake.enqueue(Fault(status=529), Fault(status=529))
    with pytest.raises(LLMError, match="overloaded"):
        list(anthropic_provider(fake).stream(system="s", prompt="p"))


def test_token_estimate_and_context() -> None:
    provider = AnthropicProvider(api_key="k", context_tokens=1234)
    assert provider.context_tokens == 1234
    assert provider.count_tokens("a" * 400) == 100
    assert provider.count_tokens("汉字汉字") == 4


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"provider": None}, OfflineProvider),
        ({"provider": ""}, OfflineProvider),
        ({"provider": None, "anthropic_api_key": "a", "openai_api_key": "o"}, AnthropicProvider),
        ({"provider": None, "openai_api_key": "o"}, OpenAIProvider),
        ({"provider": None, "openai_base_url": "http://127.0.0.1:11434/v1"}, OpenAIProvider),
        ({"provider": "openai", "anthropic_api_key": "a", "openai_api_key": "o"}, OpenAIProvider),
        ({"provider": "OFFLINE", "anthropic_api_key": "a"}, OfflineProvider),
    ],
)
def test_factory_picks(kwargs: dict[str, object], expected: type) -> None:
    provider = make_provider(**kwargs)  # type: ignore[arg-type]
    assert isinstance(provider, expected)


def test_factory_options_and_defaults() -> None:
    provider = make_provider(provider="anthropic", anthropic_api_key="a", model="claude-x", timeout=5,
                             max_retries=0, context_tokens=2000)
    assert (provider.model, provider.context_tokens) == ("claude-x", 2000)
    assert make_provider(provider="anthropic", anthropic_api_key="a").model.startswith("claude-")
    assert make_provider(provider="openai", openai_api_key="o").model.startswith("gpt-")


@pytest.mark.parametrize(
    "kwargs",
    [{"provider": "llama"}, {"provider": "anthropic"}, {"provider": "openai", "anthropic_api_key": "a"}],
)
def test_factory_config_errors(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        make_provider(**kwargs)  # type: ignore[arg-type]
