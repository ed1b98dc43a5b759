"""The model path against the deviations of real models (issue 12): structured output on both providers,
the lenient reader, validation with one repair, honest fallbacks, budgets that fit, truncation.

Every deviation here was seen from SmolLM2-135M (bench/real_model_check.py) or is documented by the APIs;
the fakes return them through the real SDKs."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from bot import strings
from bot.llm.anthropic import ANSWER_TOOL, AnthropicProvider
from bot.llm.lenient import normalize_owner, normalize_sources, parse_json_object
from bot.llm.openai import OpenAIProvider
from bot.llm.schema import QuestionAnswer, SummaryAnswer, is_template_echo, strict_json_schema
from bot.llm.structured import output_budget
from bot.models import Message
from bot.summaries.summarize import summarize
from tests.fakellm import Answer, FakeLLM
from tests.test_offline import load_thread

THREAD = load_thread("release_thread")  # m1..m7: alice, bob, carol, dave …
GOOD = {
    "overview": "The team plans the v2.4.0 release for Friday at 7:00 PM UTC.",
    "key_points": [{"text": "Payment blockers are fixed in 2.4.0-rc2.", "sources": ["m2"]}],
    "decisions": [{"text": "Ship v2.4.0 on Friday behind a feature flag.", "sources": ["m3"]}],
    "action_items": [{"text": "Update the release notes before Thursday noon.", "owner": "@dave",
                      "sources": ["m4"]}],
    "open_questions": [],
}
ECHO = {  # what SmolLM2 answered: the template, filled with itself
    "overview": "one sentence: what the conversation is about",
    "key_points": [{"text": "...", "sources": ["m1"]}],
    "decisions": [], "action_items": [{"text": "open_questions: [{", "owner": None, "sources": ["m4"]}],
    "open_questions": [],
}


@pytest.fixture
def fake() -> Iterator[FakeLLM]:
    with FakeLLM() as server:
        yield server


def claude(fake: FakeLLM, **kw: object) -> AnthropicProvider:
    options = {"timeout": 2, "max_retries": 0, **kw}
    return AnthropicProvider(api_key="k", base_url=fake.anthropic_base_url, **options)  # type: ignore[arg-type]


def gpt(fake: FakeLLM, **kw: object) -> OpenAIProvider:
    options = {"timeout": 2, "max_retries": 0, **kw}
    return OpenAIProvider(api_key="k", base_url=fake.openai_base_url, **options)  # type: ignore[arg-type]


# ---- 1. structured output on every provider


def test_schema_is_strict_and_self_contained() -> None:
    schema = strict_json_schema(QuestionAnswer)
    assert "$defs" not in json.dumps(schema) and "$ref" not in json.dumps(schema)
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"overview", "outcome", "answer", "key_points", "decisions", "action_items",
                                       "open_questions"}
    assert {"type": "null"} in schema["properties"]["outcome"]["anyOf"]
    item = schema["properties"]["action_items"]["items"]
    assert item["additionalProperties"] is False and set(item["required"]) == {"text", "sources", "owner"}
    assert "default" not in json.dumps(schema)


def test_openai_sends_a_strict_json_schema(fake: FakeLLM) -> None:
    fake.enqueue(json.dumps(GOOD))
    summary = summarize(THREAD, provider=gpt(fake))
    assert not summary.offline
    response_format = fake.requests[0].body["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["strict"] is True
    assert response_format["json_schema"]["schema"]["properties"]["key_points"]["type"] == "array"


def test_openai_compatible_server_without_schemas_falls_back_once(fake: FakeLLM) -> None:
    fake.reject_json_schema = True
    provider = gpt(fake)
    fake.enqueue(json.dumps(GOOD), json.dumps(GOOD))
    assert not summarize(THREAD, provider=provider).offline
    assert [r.body.get("response_format", {}).get("type") for r in fake.requests] == ["json_schema", "json_object"]
    assert not summarize(THREAD, provider=provider).offline  # remembered: no second 400
    assert [r.body.get("response_format", {}).get("type") for r in fake.requests][2:] == ["json_object"]
    assert provider.json_mode == "json_object"
    assert fake.requests[1].body["response_format"]["schema"]["required"]  # llama.cpp builds a grammar of it


def test_llama_cpp_500_for_a_json_schema_also_falls_back(fake: FakeLLM) -> None:
    fake.reject_json_schema, fake.reject_status = True, 500  # what llama-cpp-python 0.3.36 answered
    provider = gpt(fake)
    fake.enqueue(json.dumps(GOOD))
    assert not summarize(THREAD, provider=provider).offline and provider.json_mode == "json_object"


def test_a_500_about_something_else_is_not_a_format_problem(fake: FakeLLM) -> None:
    from tests.fakellm import Fault

    fake.enqueue(Fault(status=500))
    summary = summarize(THREAD, provider=gpt(fake))
    assert summary.offline and "HTTP 500" in (summary.fallback_reason or "") and len(fake.requests) == 1
    assert gpt(fake).json_mode == "json_schema"


def test_server_without_any_json_mode_gets_the_prompt_alone(fake: FakeLLM) -> None:
    fake.reject_json_schema = fake.reject_json_object = True
    provider = gpt(fake)
    fake.enqueue(json.dumps(GOOD))
    assert not summarize(THREAD, provider=provider).offline
    assert "response_format" not in fake.requests[-1].body and provider.json_mode == "prompt"


def test_anthropic_forces_a_tool_call_and_reads_its_input(fake: FakeLLM) -> None:
    fake.enqueue(Answer(json.dumps(GOOD), thinking="Let me look at the messages."))
    summary = summarize(THREAD, provider=claude(fake))
    assert not summary.offline and summary.decisions[0].text.startswith("Ship v2.4.0")
    body = fake.requests[0].body
    assert body["tool_choice"] == {"type": "tool", "name": ANSWER_TOOL}
    assert body["tools"][0]["input_schema"]["properties"]["overview"]["type"] == "string"


def test_a_question_asks_for_the_answer_field(fake: FakeLLM) -> None:
    fake.enqueue(json.dumps({**GOOD, "answer": "Friday at 7:00 PM UTC."}))
    summary = summarize(THREAD, provider=claude(fake), question="When do we launch?")
    assert summary.answer == "Friday at 7:00 PM UTC."
    assert "answer" in fake.requests[0].body["tools"][0]["input_schema"]["required"]


# ---- 2. the lenient reader


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"overview": "line one\nline two", "key_points": []}', "line one\nline two"),  # raw newline
        ('```json\n{"overview": "fenced"}\n```\nHope this helps! {see above}', "fenced"),  # fence + prose with }
        ('Sure: {"overview": "first"} {"overview": "second"}', "first"),  # two objects in a row
        ('{"overview": "trailing", "key_points": [{"text": "a", "sources": ["m1",],},],}', "trailing"),
        ('{"note": "not it"}\n{"overview": "the one with a known key"}', "the one with a known key"),
        ('{"overview": "a, } inside a string, ]"}', "a, } inside a string, ]"),
    ],
)
def test_lenient_reader(text: str, expected: str) -> None:
    assert parse_json_object(text, expected=SummaryAnswer.model_fields)["overview"] == expected


@pytest.mark.parametrize("text", ["no json here", '{"overview": "cut off at the', ""])
def test_lenient_reader_refuses_what_is_not_there(text: str) -> None:
    with pytest.raises(ValueError):
        parse_json_object(text)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(["m4,"], ["m4"]), ("m1, m2", ["m1", "m2"]), (["m1, m2", "m2"], ["m1", "m2"]), (["[m6]"], ["m6"]),
     ([4, "M5"], ["m4", "m5"]), (None, []), ([True, {"x": 1}], [])],
)
def test_sources_are_normalised(raw: object, expected: list[str]) -> None:
    assert normalize_sources(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("<@U123>", "@raj"), ("<@U999|someone>", "@someone"), ("@tom and @raj", "@tom"), ("@zed and @raj", "@raj"),
     ("raj, tom", "@raj"), ("U456", "@tom"), ("null", None), ("", None), (None, None), ("@newbie", "@newbie")],
)
def test_owners_are_resolved(raw: object, expected: str | None) -> None:
    assert normalize_owner(raw, {"U123": "raj", "U456": "tom"}) == expected


@pytest.mark.parametrize(
    ("text", "echo"),
    [("one sentence: what the conversation is about", True), ("...", True), ("…", True),
     ("open_questions: [{", True), ('{"text": "x"}', True), ("<one sentence>", True), ("key_points", True),
     ("[billing] retries failing on staging", False), ("Ship v2.4.0 on Friday.", False),
     ("Ping <@U1> about the text", False), ("周五发布", False)],
)
def test_template_echo(text: str, echo: bool) -> None:
    assert is_template_echo(text) is echo


def test_real_deviations_become_a_cited_summary(fake: FakeLLM) -> None:
    users = {m.user_name: m.user_id for m in THREAD}
    raw = ('```json\n{"overview": "Release of v2.4.0\non Friday.",\n "key_points": [{"text": "Payment fixed",'
           ' "sources": "m2, m3"},],\n "decisions": [{"text": "Ship Friday", "sources": ["m3,"]}],\n'
           f' "action_items": [{{"text": "Update the notes", "owner": "<@{users["dave"]}>", "sources": ["m4"]}}],'
           '\n "open_questions": []}\n```\nLet me know if you need anything else {or more}!')
    fake.enqueue(raw)
    summary = summarize(THREAD, provider=gpt(fake))
    assert not summary.offline and len(fake.requests) == 1
    assert summary.key_points[0].source_ts == [THREAD[1].ts, THREAD[2].ts]
    assert summary.decisions[0].source_ts == [THREAD[2].ts]
    assert summary.action_items[0].owner == "@dave"


# ---- 2. validation, one repair, honest fallback


def test_valid_json_with_none_of_the_keys_is_repaired(fake: FakeLLM) -> None:
    fake.enqueue(json.dumps({"summary": "The team ships Friday."}), json.dumps(GOOD))
    summary = summarize(THREAD, provider=gpt(fake))
    assert not summary.offline and summary.decisions
    assert "none of the keys" in fake.requests[1].prompt and len(fake.requests) == 2


def test_echoed_template_is_repaired_with_the_error(fake: FakeLLM) -> None:
    fake.enqueue(json.dumps(ECHO), json.dumps(GOOD))
    summary = summarize(THREAD, provider=claude(fake))
    assert not summary.offline and summary.overview.startswith("The team plans")
    assert "repeats the template" in fake.requests[1].prompt


@pytest.mark.parametrize(
    ("first", "second", "reason"),
    [
        (ECHO, ECHO, "repeated its instructions instead of summarizing"),
        ({"summary": "x"}, {"result": "y"}, "did not answer in the requested shape"),
        ({"overview": "A release.", "key_points": [], "decisions": [], "action_items": [], "open_questions": []},
         {"overview": "A release."}, "gave an empty summary of a conversation with content"),
    ],
)
def test_unusable_twice_falls_back_with_the_true_reason(fake: FakeLLM, first: dict, second: dict,
                                                         reason: str) -> None:
    fake.enqueue(json.dumps(first), json.dumps(second))
    summary = summarize(THREAD, provider=gpt(fake))
    assert summary.offline and summary.decisions and len(fake.requests) == 2
    assert summary.fallback_reason == f"the openai model {reason}"
    note = strings.FALLBACK_NOTE.format(reason=summary.fallback_reason)
    assert "., " not in note and f"model {reason}, so these are" in note


def test_not_json_twice_reads_well(fake: FakeLLM) -> None:
    fake.enqueue("Here is the summary: the team ships Friday.", "Sorry, I cannot do JSON.")
    summary = summarize(THREAD, provider=claude(fake))
    note = strings.FALLBACK_NOTE.format(reason=summary.fallback_reason)
    assert "the anthropic model gave an answer Recap could not read, so these are" in note


def test_points_citing_nothing_real_are_repaired_then_dropped(fake: FakeLLM) -> None:
    invented = dict(GOOD, key_points=[{"text": "The CEO approved it.", "sources": ["m42"]},
                                      {"text": "Payment blockers are fixed.", "sources": ["m2"]}])
    fake.enqueue(json.dumps(invented), json.dumps(invented))
    summary = summarize(THREAD, provider=gpt(fake))
    assert "cites no message" in fake.requests[1].prompt and "m1 to m7" in fake.requests[1].prompt
    assert not summary.offline and [p.text for p in summary.key_points] == ["Payment blockers are fixed."]
    assert all(p.source_ts for p in summary.all_points())


def test_a_refusal_is_labelled(fake: FakeLLM) -> None:
    fake.enqueue(Answer("I can't help with that.", stop="refusal"))
    summary = summarize(THREAD, provider=gpt(fake))
    assert summary.offline and summary.fallback_reason == "the openai model declined to summarize this conversation"


# ---- 3. budgets that fit


def test_output_budget_scales_with_the_window() -> None:
    assert output_budget(2048) == 512 and output_budget(100_000) == 1500 and output_budget(600) == 256


def week(n: int) -> list[Message]:
    return [Message("C1", f"{1714557600 + 600 * i}.000100", f"U{i % 4}", f"user{i % 4}",
                    f"Message {i}: the build on staging took {i % 7 + 3} minutes after the cache change.")
            for i in range(n)]


def test_a_small_window_plans_few_large_chunks(fake: FakeLLM) -> None:
    def handler(request):  # cite every message of the chunk (or of the partials)
        fence = "transcript" if "<transcript>" in request.prompt else "partial_summaries"
        ids = _ids(request.prompt.split(f"<{fence}>")[1].split(f"</{fence}>")[0])
        return json.dumps({**GOOD, "key_points": [{"text": "Builds got faster.", "sources": ids}],
                           "decisions": [], "action_items": []})

    fake.handler = handler
    summary = summarize(week(119), provider=gpt(fake, context_tokens=2048))
    maps = [r for r in fake.requests if "<transcript>" in r.prompt]
    assert not summary.offline and 3 <= len(maps) <= 12  # was 54 chunks of 120 tokens
    assert summary.key_points[0].source_ts == [m.ts for m in week(119)]
    assert {r.body["max_tokens"] for r in maps} == {512}
    for r in fake.requests:
        assert r.body["max_tokens"] + gpt(fake).count_tokens(r.system + r.prompt) <= 2048


def test_truncation_asks_for_a_larger_budget_never_the_same_call(fake: FakeLLM) -> None:
    fake.enqueue(Answer('{"overview": "The team plans', stop="length"), json.dumps(GOOD))
    summary = summarize(THREAD, provider=claude(fake, context_tokens=8000))
    assert not summary.offline
    assert [r.body["max_tokens"] for r in fake.requests] == [1500, 3000]


def _ids(text: str) -> list[str]:
    import re

    return sorted(set(re.findall(r"(?m)^(m\d+) ", text)) | set(re.findall(r'"(m\d+)"', text)),
                  key=lambda i: int(i[1:]))


def test_truncation_without_room_splits_the_chunk(fake: FakeLLM) -> None:
    def handler(request):
        if "<partial_summaries>" in request.prompt:
            ids = _ids(request.prompt.split("<partial_summaries>")[1])
            return json.dumps({"overview": "Builds.", "key_points": [{"text": "Builds got faster.", "sources": ids}]})
        ids = _ids(request.prompt.split("<transcript>")[1].split("</transcript>")[0])
        if len(ids) > 4:
            return Answer('{"overview": "cut', stop="length")
        return json.dumps({"overview": "part", "key_points": [{"text": f"Part from {ids[0]}.", "sources": ids}]})

    fake.handler = handler
    messages = week(12)
    summary = summarize(messages, provider=gpt(fake, context_tokens=1400))
    calls = [(r.prompt, r.body["max_tokens"]) for r in fake.requests]
    assert len(calls) == len(set(calls))  # never the same call twice
    maps = [len(_ids(p.split("<transcript>")[1].split("</transcript>")[0])) for p, _ in calls if "<transcript>" in p]
    assert maps[0] == 12 and 4 in maps or 3 in maps
    assert not summary.offline and summary.key_points[0].source_ts == [m.ts for m in messages]


def test_truncated_single_message_falls_back_with_the_reason(fake: FakeLLM) -> None:
    fake.handler = lambda request: Answer('{"overview": "cut', stop="length")
    summary = summarize(THREAD[:1], provider=gpt(fake, context_tokens=1024))
    assert summary.offline and "too long for its output limit" in (summary.fallback_reason or "")


def test_a_title_is_written_from_a_few_lines_not_the_thread() -> None:
    from bot.titles.style import neutral_profile
    from bot.titles.titling import make_title, title_lines

    texts = [f"message {i} " + "word " * 200 for i in range(30)]
    lines = title_lines(texts)
    assert [line.split()[1] for line in lines] == ["0", "1", "2", "28", "29"]
    assert len(lines[0]) == 600 and all(len(line) <= 200 for line in lines[1:])

    class Recording:
        name, model, context_tokens = "rec", "rec-1", 8000
        prompts: list[str] = []

        def complete(self, *, system: str, prompt: str, max_tokens: int = 1024, schema=None):
            from bot.llm.base import Completion

            self.prompts.append(prompt)
            return Completion(text="Release planning", model="rec-1")

    provider = Recording()
    make_title(texts, style=neutral_profile(), provider=provider)  # type: ignore[arg-type]
    [prompt] = provider.prompts
    assert "message 29" in prompt and "message 15" not in prompt and len(prompt) < 3000


def test_style_is_learned_again_once_all_five_conversations_changed() -> None:
    from datetime import datetime, timezone

    from bot.titles.style import PastConversation
    from bot.titles.titling import _source_key, _still_current

    class Named:
        name = "anthropic"

    convs = [PastConversation(texts=(f"text {i}",), title=f"t{i}", kept_title=True,
                              created_at=datetime(2024, 1, i + 1, tzinfo=timezone.utc)) for i in range(12)]
    learned = _source_key(convs[0:5], Named())  # type: ignore[arg-type]
    assert _still_current(learned, learned)
    assert _still_current(learned, _source_key(convs[1:6], Named()))  # one new conversation: kept
    assert _still_current(learned, _source_key(convs[4:9], Named()))  # four new: kept
    assert not _still_current(learned, _source_key(convs[5:10], Named()))  # all five new: learned again
    assert not _still_current(learned, _source_key(convs[1:6], None))  # another provider
    offline = _source_key(convs[0:5], None)
    assert not _still_current(offline, _source_key(convs[1:6], None))  # local learning: any change
    assert not _still_current(_source_key(convs[0:4], Named()), _source_key(convs[1:5], Named()))  # < 5
    assert not _still_current(None, learned) and not _still_current("0" * 64, learned)  # old-style key


# ---- 4. a fraction of the tokens (issue 12)


def test_a_title_is_written_from_the_summary_when_there_is_one() -> None:
    from bot.titles.style import neutral_profile
    from bot.titles.titling import make_title, summary_lines

    class Recording:
        name, model, context_tokens = "rec", "rec-1", 8000
        prompts: list[str] = []

        def complete(self, *, system: str, prompt: str, max_tokens: int = 1024, schema=None):
            from bot.llm.base import Completion

            self.prompts.append(prompt)
            return Completion(text="Release blockers for v2.4", model="rec-1")

    texts = [f"message {i} about the release " + "word " * 150 for i in range(30)]
    lines = summary_lines("The team lists what blocks the v2.4 release.", ["Payments are fixed in rc2."])
    provider = Recording()
    title = make_title(texts, style=neutral_profile(), provider=provider, summary_lines=lines)  # type: ignore[arg-type]
    [prompt] = provider.prompts
    assert "blocks the v2.4 release" in prompt and "Payments are fixed" in prompt
    assert "message 0" not in prompt and len(prompt) < 400 and title.startswith("Release blockers")


def test_map_calls_run_in_parallel_and_keep_their_order(fake: FakeLLM) -> None:
    import threading
    import time

    from bot.summaries.summarize import MAP_WORKERS

    state = {"now": 0, "most": 0}
    lock = threading.Lock()

    def handler(request):
        fence = "transcript" if "<transcript>" in request.prompt else "partial_summaries"
        ids = _ids(request.prompt.split(f"<{fence}>")[1].split(f"</{fence}>")[0])
        if fence == "transcript":
            with lock:
                state["now"] += 1
                state["most"] = max(state["most"], state["now"])
            time.sleep(0.3)
            with lock:
                state["now"] -= 1
        return json.dumps({"overview": "Builds.", "decisions": [], "action_items": [],
                           "key_points": [{"text": f"Builds from {ids[0]} on got faster.", "sources": ids}]})

    fake.handler = handler
    messages = week(119)
    summary = summarize(messages, provider=gpt(fake, context_tokens=2048))
    maps = [r for r in fake.requests if "<transcript>" in r.prompt]
    assert len(maps) >= 3 and 2 <= state["most"] <= MAP_WORKERS
    reduce_prompt = next(r.prompt for r in fake.requests if "<partial_summaries>" in r.prompt)
    firsts = [int(m) for m in __import__("re").findall(r"Builds from m(\d+) on", reduce_prompt)]
    assert firsts == sorted(firsts) and firsts[0] == 1  # the partials in the chunks' order
    assert not summary.offline and summary.key_points[0].source_ts == [m.ts for m in messages]


def test_a_map_failure_ends_the_summary_with_the_reason(fake: FakeLLM) -> None:
    from tests.fakellm import Fault

    fake.handler = lambda request: Fault(status=401)
    summary = summarize(week(119), provider=gpt(fake, context_tokens=2048))
    assert summary.offline and "rejected the key" in (summary.fallback_reason or "")


def test_a_non_json_answer_with_content_is_reformatted_without_the_transcript(fake: FakeLLM) -> None:
    from bot.llm.structured import REPAIRS

    before = dict(REPAIRS)
    prose = "Overview: the team plans v2.4. Decision (m3): ship on Friday behind a flag. Dave updates notes (m4)."
    fake.enqueue(prose, json.dumps(GOOD))
    summary = summarize(THREAD, provider=gpt(fake))
    assert not summary.offline and len(fake.requests) == 2
    repair = fake.requests[1].prompt
    assert "<transcript>" not in repair and prose in repair and "not valid JSON" in repair
    assert REPAIRS["reformat"] == before.get("reformat", 0) + 1


def test_other_problems_resend_the_transcript_once_as_the_same_prefix(fake: FakeLLM) -> None:
    fake.enqueue(json.dumps(ECHO), json.dumps(GOOD))
    summarize(THREAD, provider=claude(fake))
    first, repair = fake.requests
    assert repair.prompt.startswith(first.prompt) and "repeats the template" in repair.prompt
    assert first.body["messages"][0]["content"][:-1] == repair.body["messages"][0]["content"][:-1]  # cached blocks


def test_the_outcome_is_cited_and_checked(fake: FakeLLM) -> None:
    fake.enqueue(json.dumps({**GOOD, "outcome": {"text": "They ship on Friday behind a flag.", "sources": "m3,"}}))
    summary = summarize(THREAD, provider=gpt(fake))
    assert summary.outcome is not None and summary.outcome.source_ts == [THREAD[2].ts]
    for bad in ({"text": "where the conversation ended", "sources": ["m3"]},  # the schema's words
                {"text": "They shipped.", "sources": ["m99"]},  # cites nothing of the thread
                "see https://evil.example/x"):  # no source, and an invented link
        fake.enqueue(json.dumps({**GOOD, "outcome": bad}), json.dumps({**GOOD, "outcome": bad}))
        summary = summarize(THREAD, provider=gpt(fake))
        assert not summary.offline and summary.outcome is None and summary.decisions


def test_the_org_digest_combines_channel_summaries_instead_of_rereading(fake: FakeLLM) -> None:
    from bot.summaries.summarize import combine_summaries

    def handler(request):
        if "<partial_summaries>" in request.prompt:
            ids = _ids(request.prompt.split("<partial_summaries>")[1])
            return json.dumps({"overview": "Across channels.", "key_points": [
                {"text": "Releases and builds moved.", "sources": ids}]})
        ids = _ids(request.prompt.split("<transcript>")[1].split("</transcript>")[0])
        return json.dumps({"overview": "A channel.", "key_points": [{"text": "Builds.", "sources": ids[:2]}]})

    fake.handler = handler
    provider = gpt(fake)
    a, b = week(10), [replace_channel(m, "C2", 7000) for m in week(8)]
    channels = [summarize(a, provider=provider), summarize(b, provider=provider)]
    assert len(fake.requests) == 2
    everything = sorted(a + b, key=lambda m: float(m.ts))
    highlights = combine_summaries(channels, everything, provider=provider)
    assert len(fake.requests) == 3 and "<transcript>" not in fake.requests[2].prompt  # one reduce, no re-read
    cited = set(highlights.key_points[0].source_ts)
    assert cited == {a[0].ts, a[1].ts, b[0].ts, b[1].ts} and not highlights.offline
    assert combine_summaries(channels[:1], a, provider=provider).key_points == channels[0].key_points
    assert len(fake.requests) == 3  # one channel: its summary, no call


def replace_channel(message: Message, channel_id: str, shift: int) -> Message:
    from dataclasses import replace

    return replace(message, channel_id=channel_id, ts=f"{float(message.ts) + shift:.6f}")
