"""Scheduled digests' model calls through the providers' batch APIs (issue 12): half price, a deadline,
direct calls for whatever the batch did not answer, every request answered exactly once. The real SDKs
talk to the batch endpoints of the fake (``tests/fakellm.py``), which end a batch after a few status
reads, answer its requests from the script like direct calls, or stall until cancelled."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from bot.llm.anthropic import AnthropicProvider
from bot.llm.batch import BatchRequest, PrefilledProvider, run_batch
from bot.llm.openai import OpenAIProvider
from bot.llm.schema import SummaryAnswer
from bot.models import Message
from bot.summaries.summarize import first_round_requests, summarize
from tests.fakellm import Answer, FakeLLM, Fault


@pytest.fixture
def fake() -> Iterator[FakeLLM]:
    with FakeLLM() as server:
        yield server


def make(fake: FakeLLM, api: str):
    if api == "anthropic":
        return AnthropicProvider(api_key="k", base_url=fake.anthropic_base_url, timeout=5, max_retries=0)
    return OpenAIProvider(api_key="k", base_url=fake.openai_base_url, timeout=5, max_retries=0)


class Clock:
    """A clock the sleeper moves: polls cost no real time."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def requests(n: int) -> list[BatchRequest]:
    return [BatchRequest(f"c{i}", "SYS", f"question {i}", 64) for i in range(n)]


def direct_calls(fake: FakeLLM) -> list[str]:
    return [r.prompt for r in fake.requests if "x-batch-id" not in r.headers]


@pytest.mark.parametrize("api", ["anthropic", "openai"])
def test_a_batch_answers_every_request_once(fake: FakeLLM, api: str) -> None:
    fake.handler = lambda request: f"answer to {request.prompt}"
    clock = Clock()
    run = run_batch(make(fake, api), requests(3), deadline=3600, poll_every=60, clock=clock, sleep=clock.sleep)
    assert sorted(run.from_batch) == ["c0", "c1", "c2"] and run.direct == [] and not run.errors
    assert {cid: c.text for cid, c in run.answers.items()} == {f"c{i}": f"answer to question {i}" for i in range(3)}
    assert direct_calls(fake) == [] and len(fake.batches) == 1 and clock.sleeps == [60]
    [batch] = fake.batches.values()
    assert [cid for cid, _ in batch.requests] == ["c0", "c1", "c2"]
    body = batch.requests[0][1]
    if api == "anthropic":  # the same parameters as a direct call: cached system prompt, the model
        assert body["system"][0]["cache_control"] == {"type": "ephemeral"} and body["max_tokens"] == 64
    else:
        assert body["messages"][0] == {"role": "system", "content": "SYS"} and body["max_tokens"] == 64


@pytest.mark.parametrize("api", ["anthropic", "openai"])
def test_a_batch_late_for_its_deadline_is_cancelled_and_called_directly(fake: FakeLLM, api: str) -> None:
    fake.batch_stall = True
    fake.handler = lambda request: f"direct {request.prompt}"
    clock = Clock()
    run = run_batch(make(fake, api), requests(2), deadline=100, poll_every=30, clock=clock, sleep=clock.sleep)
    assert fake.cancelled == [run.batch_id] and clock.now == 100 and sum(clock.sleeps) == 100
    assert run.from_batch == [] and run.direct == ["c0", "c1"]
    assert {cid: c.text for cid, c in run.answers.items()} == {"c0": "direct question 0", "c1": "direct question 1"}
    assert sorted(direct_calls(fake)) == ["question 0", "question 1"]  # exactly once each


@pytest.mark.parametrize("api", ["anthropic", "openai"])
def test_failed_and_cut_batch_answers_are_called_directly(fake: FakeLLM, api: str) -> None:
    fake.enqueue("fine", Fault(status=500), Answer('{"overview": "cut', stop="length"), "direct 1", "direct 2")
    clock = Clock()
    run = run_batch(make(fake, api), requests(3), deadline=3600, poll_every=1, clock=clock, sleep=clock.sleep)
    assert run.from_batch == ["c0"] and run.direct == ["c1", "c2"]
    assert [run.answers[c].text for c in ("c0", "c1", "c2")] == ["fine", "direct 1", "direct 2"]


def test_no_batch_api_means_direct_calls(fake: FakeLLM) -> None:
    fake.handler = lambda request: "direct"
    provider = PrefilledProvider(make(fake, "openai"), {})  # a wrapper: no batch endpoints
    run = run_batch(provider, requests(2), deadline=10)
    assert run.batch_id is None and run.direct == ["c0", "c1"] and not fake.batches
    with pytest.raises(ValueError):
        run_batch(provider, [*requests(1), *requests(1)], deadline=10)


def test_a_digest_summary_from_a_batch_is_the_same_summary(fake: FakeLLM) -> None:
    """``first_round_requests`` predicts the summarizer's calls; answered by a batch and handed back by
    :class:`PrefilledProvider`, the summary is the one a direct call makes, without a direct call."""
    messages = [Message("C1", f"{1714557600 + 60 * i}.000100", f"U{i % 3}", ["maya", "raj", "lena"][i % 3],
                        f"Update {i}: the release on Friday at 7:00 PM UTC is {'on' if i % 2 else 'blocked'}.")
                for i in range(6)]
    answer = {"overview": "The team tracks the Friday release.", "key_points": [
        {"text": "The release is on Friday at 7:00 PM UTC.", "sources": ["m2"]}]}
    fake.handler = lambda request: json.dumps(answer)
    provider = make(fake, "anthropic")
    direct = summarize(messages, provider=provider)
    asked = first_round_requests(messages, provider=provider, custom_id="C1")
    assert [r.custom_id for r in asked] == ["C1-0"] and asked[0].schema is not None
    assert issubclass(asked[0].schema, SummaryAnswer)
    assert (asked[0].system, asked[0].prompt) == (fake.requests[0].system, fake.requests[0].prompt)
    before = len(fake.requests)
    clock = Clock()
    run = run_batch(provider, asked, deadline=60, poll_every=5, clock=clock, sleep=clock.sleep)
    prefilled = PrefilledProvider(provider, {r.key: run.answers[r.custom_id] for r in asked})
    batched = summarize(messages, provider=prefilled)
    assert prefilled.prefilled == 1 and direct_calls(fake)[before:] == []  # only the batch's request
    assert batched.key_points == direct.key_points and batched.overview == direct.overview
    assert summarize(messages, provider=prefilled) is not None and len(direct_calls(fake)) == before + 1  # used once


def test_a_scheduled_org_digest_is_summarized_through_one_batch(fake: FakeLLM) -> None:
    """``batched_provider`` (what the digest runner wraps its provider in): both channels' summaries come
    from one batch, the highlights combine them with one direct reduce call, nothing is read twice."""
    from datetime import date

    from bot.digests.build import batched_provider, build_channel_digest, build_org_digest
    from bot.periods import days_window

    period = days_window(date(2024, 5, 1), date(2024, 5, 8), "UTC")
    read = {channel: [Message(channel, f"{1714557600 + 3600 * i + n}.000100", f"U{i % 3}", ["maya", "raj", "lena"][i % 3],
                              f"{channel} update {i}: the build cache is {'warm' if i % 2 else 'cold'} again.")
                      for i in range(5)] for n, channel in enumerate(["C1", "C2"])}

    def handler(request):
        if "<partial_summaries>" in request.prompt:
            return json.dumps({"overview": "Both channels.", "key_points": [
                {"text": "The build cache changed in both channels.", "sources": ["m1", "m2"]}]})
        return json.dumps({"overview": "A channel's week.", "key_points": [
            {"text": "The build cache is warm again.", "sources": ["m2"]}]})

    fake.handler = handler
    fake.batch_polls = 1
    provider = make(fake, "openai")
    wrapped = batched_provider(provider, read, period=period, deadline=120)
    assert isinstance(wrapped, PrefilledProvider) and len(fake.batches) == 1
    [batch] = fake.batches.values()
    assert [cid for cid, _ in batch.requests] == ["C1-0", "C2-0"]
    channels = [build_channel_digest(msgs, channel_id=c, channel_name=c.lower(), period=period, provider=wrapped,
                                     permalink_for=lambda ch, ts, th: f"https://x/{ch}/{ts}") for c, msgs in read.items()]
    digest = build_org_digest(channels, period=period, human_messages=[m for ms in read.values() for m in ms],
                              provider=wrapped)
    assert wrapped.prefilled == 2 and all(c.summary and not c.summary.offline for c in channels)
    direct = direct_calls(fake)
    assert len(direct) == 1 and "<partial_summaries>" in direct[0]  # only the highlights' reduce
    assert digest.highlights is not None and not digest.highlights.offline
    assert batched_provider(provider, read, period=period, deadline=0) is provider  # batches off: as before
