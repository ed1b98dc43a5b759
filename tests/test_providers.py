"""Anthropic and OpenAI providers through the local fake servers, and the provider factory."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from bot.config import load_settings
from bot.errors import ConfigError, LLMError
from bot.llm.anthropic import AnthropicProvider
from bot.llm.factory import build_provider, make_provider
from bot.llm.openai import OpenAIProvider
from bot.llm.tokens import count_tokens
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
    assert request.body["system"] == [{"type": "text", "text": "SYS", "cache_control": {"type": "ephemeral"}}]
    assert request.prompt == "PROMPT" and request.body["messages"][0]["content"] == [{"type": "text", "text": "PROMPT"}]
    assert request.body["max_tokens"] == 77 and request.body["model"] == "claude-test"


def _transcript_prompt(lines: int, question: str) -> str:
    body = "".join(f"m{i + 1} alice: the build cache on runner {i} is warm again after the rebuild\n" for i in range(lines))
    return f"<transcript>\n{body}</transcript>\n\n{question}"


def test_anthropic_marks_system_and_transcript_for_the_prompt_cache(fake: FakeLLM) -> None:
    fake.handler = lambda request: "ok"
    provider = anthropic_provider(fake)
    first = provider.complete(system="SYS " * 50, prompt=_transcript_prompt(70, "Summarize."))
    content = fake.requests[0].body["messages"][0]["content"]
    marked = [i for i, block in enumerate(content) if "cache_control" in block]
    # 72 transcript lines in blocks of 32: breakpoints on the last full block and the transcript's end.
    assert len(content) == 4 and marked == [1, 2] and content[-1]["text"] == "\nSummarize."
    assert "".join(block["text"] for block in content) == _transcript_prompt(70, "Summarize.")
    assert first.cache_read_tokens == 0 and fake.requests[0].usage["cache_creation_input_tokens"] > 1024
    again = provider.complete(system="SYS " * 50, prompt=_transcript_prompt(70, "Who rebuilt it?"))
    assert again.cache_read_tokens == fake.requests[0].usage["cache_creation_input_tokens"]
    grown = provider.complete(system="SYS " * 50, prompt=_transcript_prompt(75, "And now?"))
    # Five new messages: the last full block (through m63) is still a hit, the end is written anew.
    assert 1024 < grown.cache_read_tokens < again.cache_read_tokens
    other = provider.complete(system="OTHER " * 50, prompt=_transcript_prompt(70, "Summarize."))
    assert other.cache_read_tokens == 0  # another system prompt: another prefix


def test_short_prompts_are_not_cached(fake: FakeLLM) -> None:
    fake.handler = lambda request: "ok"
    provider = anthropic_provider(fake)
    for _ in range(2):
        assert provider.complete(system="SYS", prompt=_transcript_prompt(3, "Summarize.")).cache_read_tokens == 0
    assert fake.requests[1].usage["cache_creation_input_tokens"] == 0


def test_openai_reports_cached_prompt_tokens(fake: FakeLLM) -> None:
    fake.handler = lambda request: "ok"
    provider = openai_provider(fake)
    assert provider.complete(system="SYS", prompt=_transcript_prompt(70, "Summarize.")).cache_read_tokens == 0
    follow_up = provider.complete(system="SYS", prompt=_transcript_prompt(70, "Who rebuilt it?"))
    assert follow_up.cache_read_tokens >= 1024 and follow_up.cache_read_tokens % 128 == 0


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
    assert provider.count_tokens("a" * 400) == 80  # one per 5 ASCII letters
    assert provider.count_tokens("汉字汉字") == 5  # 1.1 per CJK character, rounded up
    assert count_tokens("") == 0 and count_tokens("abcdefgh") == 2 and count_tokens("かな한국") == 5
    assert OpenAIProvider(api_key="k").count_tokens("abcde") == 1


@pytest.mark.parametrize(
    ("text", "real"),
    [  # cl100k_base counts (bench/token_bench.py --calibrate measures the whole data)
        ("Release planning for v2.4.0: the launch is Friday at 7:00 PM UTC.", 22),
        ("```r\nx <- c(1, 2, 3)\nsummary(lm(y ~ x, data = df))\n```", 27),
        ("Привет, команда! Релиз в пятницу в 19:00.", 23),
        ("周五晚上七点发布 v2.4.0，支付问题已修复。", 22),
        ("https://github.com/r-devel/r-svn/pull/123#issuecomment-45678", 19),
    ],
)
def test_token_estimate_errs_high(text: str, real: int) -> None:
    assert real <= count_tokens(text) <= 1.5 * real


def test_model_layer_imports_neither_slack_nor_the_extractive_summarizer() -> None:
    code = ("import sys, bot.llm.anthropic, bot.llm.openai, bot.llm.factory, bot.llm.prompts, bot.llm.tokens; "
            "print(sorted(m for m in ('numpy', 'sklearn', 'slack_sdk', 'bot.slack', 'bot.summaries') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"provider": None}, type(None)),
        ({"provider": ""}, type(None)),
        ({"provider": None, "anthropic_api_key": "a", "openai_api_key": "o"}, AnthropicProvider),
        ({"provider": None, "openai_api_key": "o"}, OpenAIProvider),
        ({"provider": None, "openai_base_url": "http://127.0.0.1:11434/v1"}, OpenAIProvider),
        ({"provider": "openai", "anthropic_api_key": "a", "openai_api_key": "o"}, OpenAIProvider),
        ({"provider": "OFFLINE", "anthropic_api_key": "a"}, type(None)),
        ({"provider": "offline"}, type(None)),
    ],
)
def test_factory_picks(kwargs: dict[str, object], expected: type) -> None:
    provider = make_provider(**kwargs)  # type: ignore[arg-type]
    assert isinstance(provider, expected)


def test_factory_options_and_defaults() -> None:
    provider = make_provider(provider="anthropic", anthropic_api_key="a", model="claude-x", timeout=5,
                             max_retries=0, context_tokens=2000)
    assert provider is not None and (provider.model, provider.context_tokens) == ("claude-x", 2000)
    anthropic_default = make_provider(provider="anthropic", anthropic_api_key="a")
    openai_default = make_provider(provider="openai", openai_api_key="o")
    assert anthropic_default is not None and anthropic_default.model.startswith("claude-")
    assert openai_default is not None and openai_default.model.startswith("gpt-")


def test_build_provider_maps_the_settings() -> None:
    settings = load_settings(env_file=None, llm_provider="openai", openai_api_key="o",
                             openai_base_url="http://127.0.0.1:11434/v1", llm_model="llama3", llm_timeout=7,
                             llm_max_retries=0, llm_context_tokens=4000)
    provider = build_provider(settings)
    assert isinstance(provider, OpenAIProvider)
    assert (provider.model, provider.context_tokens, provider.timeout, provider.base_url) == (
        "llama3", 4000, 7, "http://127.0.0.1:11434/v1")
    assert provider._client.max_retries == 0
    overridden = build_provider(settings.model_copy(update={"anthropic_api_key": "a"}), provider="anthropic",
                                model="claude-x")
    assert isinstance(overridden, AnthropicProvider) and overridden.model == "claude-x"
    offline = load_settings(env_file=None, llm_provider="offline", anthropic_api_key="a")
    assert build_provider(offline) is None
    assert isinstance(build_provider(offline, provider="anthropic"), AnthropicProvider)


@pytest.mark.parametrize(
    "kwargs",
    [{"provider": "llama"}, {"provider": "anthropic"}, {"provider": "openai", "anthropic_api_key": "a"}],
)
def test_factory_config_errors(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        make_provider(**kwargs)  # type: ignore[arg-type]
