"""Answers streamed into Slack natively (issue 12): a mention's model answer over signed HTTP, against the fake
Slack (which enforces chat.startStream / appendStream / stopStream's documented rules) and the fake models
streaming structured output through the official SDKs."""

from __future__ import annotations

import json
import re
import time

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.llm.factory import make_provider
from bot.llm.structured import complete_items
from tests.e2e import start_harness
from tests.fakellm import Answer, FakeLLM
from tests.fakeslack import BOT_TOKEN, FakeSlack

GOOD = {
    "overview": "The team ships v2.4 on Friday at 7:00 PM UTC.",
    "outcome": {"text": "They agreed to ship behind the new_checkout flag.", "sources": ["m3"]},
    "key_points": [{"text": "Payments are fixed in rc2 and the refund flow was tested.", "sources": ["m2"]},
                   {"text": "The release is on Friday at 7:00 PM UTC.", "sources": ["m1"]}],
    "decisions": [{"text": "Ship behind the new_checkout flag.", "sources": ["m3"]}],
    "action_items": [{"text": "Update the release notes by Thursday noon.", "sources": ["m4"], "owner": "@raj"}],
    "open_questions": [],
    "answer": "",
}


@pytest.fixture
def workspace():
    with FakeSlack() as fake:
        for uid, name in [("U1", "maya"), ("U2", "raj"), ("U3", "lena")]:
            fake.add_user(uid, name)
        fake.add_channel("C0GEN", "general", members=["U1", "U2", "U3"])
        parent = fake.post("C0GEN", "U1", "Release planning: we ship v2.4 on Friday at 7:00 PM UTC.")
        fake.post("C0GEN", "U2", "Payments are fixed in rc2, I tested the refund flow.", thread_ts=parent["ts"])
        fake.post("C0GEN", "U3", "Decision: ship behind the new_checkout flag.", thread_ts=parent["ts"])
        fake.post("C0GEN", "U2", "I'll update the release notes by Thursday noon.", thread_ts=parent["ts"])
        for uid, text in [("U1", "Thanks, that helps."), ("U3", "QA signed off on rc2 this morning."),
                          ("U1", "Support knows about the Friday window."), ("U2", "Docs preview is up."),
                          ("U3", "Nothing else from me.")]:
            fake.post("C0GEN", uid, text, thread_ts=parent["ts"])  # 9 messages: room for 6 points
        fake.thread_ts = parent["ts"]
        yield fake


def _model(llm: FakeLLM, provider: str):
    return make_provider(provider=provider, openai_api_key="k", anthropic_api_key="k", max_retries=0,
                         openai_base_url=llm.openai_base_url, anthropic_base_url=llm.anthropic_base_url)


def _summary_calls(llm: FakeLLM) -> list:
    return [r for r in llm.requests if "<transcript>" in r.prompt]


def _mention(harness, workspace, event_id: str) -> None:
    harness.event({"type": "app_mention", "user": "U1", "text": "<@U0BOT> summarize", "ts": workspace.next_ts(),
                   "thread_ts": workspace.thread_ts, "channel": "C0GEN"}, event_id=event_id)


def _streamed(workspace: FakeSlack) -> list[str]:
    """The markdown of every startStream / appendStream / stopStream call, in order."""
    out = []
    for method, params in workspace.calls:
        if method in ("chat.startStream", "chat.appendStream", "chat.stopStream"):
            text = str(params.get("markdown_text") or "")
            for chunk in params.get("chunks") or []:
                text += chunk.get("text", "") if isinstance(chunk, dict) else ""
            out.append(text)
    return out


def _bot_replies(workspace: FakeSlack) -> list[dict]:
    replies = WebClient(token=BOT_TOKEN, base_url=workspace.base_url).conversations_replies(
        channel="C0GEN", ts=workspace.thread_ts)["messages"]
    return [m for m in replies if m.get("user") == "U0BOT"]


def _wait_status_cleared(harness) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        calls = harness.fake.calls_to("assistant.threads.setStatus")
        if len(calls) >= 2 and calls[-1].get("status") == "":
            return
        time.sleep(0.02)
    raise AssertionError("the mention never finished")


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_mention_answer_streams_natively(workspace, tmp_path, provider):
    with FakeLLM() as llm:
        llm.handler = lambda request: (json.dumps(GOOD) if "<transcript>" in request.prompt else "Release v2.4")
        harness = start_harness(workspace, tmp_path=tmp_path, provider=_model(llm, provider))
        try:
            _mention(harness, workspace, "EvStream")
            stop = harness.wait_calls("chat.stopStream")[-1]
            _wait_status_cleared(harness)
            summary = _summary_calls(llm)
            assert len(summary) == 1 and summary[0].body.get("stream") is True  # one streamed structured call
            if provider == "anthropic":
                assert summary[0].body["tool_choice"]["type"] == "tool"
            else:
                assert summary[0].body["response_format"]["type"] == "json_schema"
            start = workspace.calls_to("chat.startStream")
            appends = workspace.calls_to("chat.appendStream")
            assert len(start) == 1 and len(appends) >= 2
            assert start[0]["recipient_user_id"] == "U1" and start[0]["recipient_team_id"] == workspace.team_id
            # the status showed while the model thought, before the stream began
            methods = [m for m, _ in workspace.calls]
            assert methods.index("assistant.threads.setStatus") < methods.index("chat.startStream")
            # every streamed point is a finished line that cites a message of the thread
            text = "".join(_streamed(workspace))
            bullets = [line for line in text.splitlines() if line.startswith("• ")]
            assert len(bullets) == 4  # 2 key points, 1 decision, 1 action item (the outcome has its own line)
            ids = {m["ts"].replace(".", "") for m in WebClient(token=BOT_TOKEN, base_url=workspace.base_url)
                   .conversations_replies(channel="C0GEN", ts=workspace.thread_ts)["messages"]}
            for line in [*bullets, *(x for x in text.splitlines() if x.startswith("**Where it ended"))]:
                cited = re.findall(r"\]\((https://[^)]+)\)", line)
                assert cited, line
                assert all(re.search(r"/archives/C0GEN/p(\d+)", url).group(1) in ids for url in cited)
            assert "**Decisions**" in text and "Ship behind the new_checkout flag." in text
            assert "{" not in text and '"sources"' not in text  # never raw model tokens
            # stopped with the feedback controls; no second rendering needed; ONE answer in the thread
            blocks = json.loads(stop["blocks"]) if isinstance(stop["blocks"], str) else stop["blocks"]
            kinds = [b["type"] for b in blocks]
            assert "context_actions" in kinds and "actions" in kinds
            assert workspace.calls_to("chat.update") == []
            replies = _bot_replies(workspace)
            assert len(replies) == 1 and "streaming" not in replies[0]
            assert "Ship behind the new_checkout flag." in replies[0]["text"]
        finally:
            harness.close()


def test_injected_link_never_streams(workspace, tmp_path):
    evil = dict(GOOD, key_points=[
        {"text": "Payments are fixed in rc2, details at https://evil.example/phish", "sources": ["m2"]},
        {"text": "The release is on Friday at 7:00 PM UTC.", "sources": ["m1"]}])
    with FakeLLM() as llm:
        llm.handler = lambda request: json.dumps(evil) if "<transcript>" in request.prompt else "Release"
        harness = start_harness(workspace, tmp_path=tmp_path, provider=_model(llm, "openai"))
        try:
            _mention(harness, workspace, "EvEvil")
            harness.wait_calls("chat.stopStream")
            _wait_status_cleared(harness)
            assert len(workspace.calls_to("chat.appendStream")) >= 2
            everything = json.dumps([p for m, p in workspace.calls if m.startswith("chat.")])
            assert "evil.example" not in everything
            assert "Payments are fixed in rc2" in "".join(_streamed(workspace))
        finally:
            harness.close()


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_error_mid_stream_ends_in_the_labelled_fallback(workspace, tmp_path, provider):
    text = json.dumps(GOOD)
    cut = text.index('"action_items"')  # the overview, outcome, key points and decisions have streamed
    with FakeLLM() as llm:
        llm.handler = lambda request: (Answer(text, error_after=cut) if "<transcript>" in request.prompt
                                       else "Release")
        harness = start_harness(workspace, tmp_path=tmp_path, provider=_model(llm, provider))
        try:
            _mention(harness, workspace, "EvBroken")
            harness.wait_calls("chat.stopStream")
            update = harness.wait_calls("chat.update")[-1]
            _wait_status_cleared(harness)
            assert len(_summary_calls(llm)) == 1  # the broken stream is not asked again
            assert workspace.calls_to("chat.appendStream")  # something had streamed
            stop = workspace.calls_to("chat.stopStream")[0]
            assert update["ts"] == stop["ts"]  # the streamed message is replaced, not a second answer
            final = json.dumps(update, ensure_ascii=False)
            assert f"the {provider} model's answer broke off midway, so these are" in final
            replies = _bot_replies(workspace)
            assert len(replies) == 1 and "broke off midway" in json.dumps(replies[0])
            assert "Update the release notes" not in "".join(_streamed(workspace))  # never a half point
        finally:
            harness.close()


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_slow_stream_is_cancelled_at_the_deadline(workspace, tmp_path, provider):
    with FakeLLM() as llm:
        llm.handler = lambda request: (Answer(json.dumps(GOOD), chunk_delay=0.05) if "<transcript>" in request.prompt
                                       else "Release")
        harness = start_harness(workspace, tmp_path=tmp_path, provider=_model(llm, provider),
                                llm_stream_deadline=1.0)
        try:
            _mention(harness, workspace, "EvSlow")
            started = time.monotonic()
            update = harness.wait_calls("chat.update", timeout=20)[-1]
            _wait_status_cleared(harness)
            call = _summary_calls(llm)[0]
            deadline = time.monotonic() + 10
            while not call.disconnected and time.monotonic() < deadline:
                time.sleep(0.05)
            assert call.disconnected  # the fake model saw the connection closed and stopped generating
            assert call.streamed < len(json.dumps(GOOD))
            assert time.monotonic() - started < 15
            final = json.dumps(update, ensure_ascii=False)
            assert f"the {provider} model did not finish its answer in time (1 s), so these are" in final
            assert len(_bot_replies(workspace)) == 1
        finally:
            harness.close()


def test_streaming_refused_falls_back_to_post_then_update(workspace, tmp_path):
    workspace.fail("chat.startStream", error="not_allowed_token_type")
    with FakeLLM() as llm:
        llm.handler = lambda request: json.dumps(GOOD) if "<transcript>" in request.prompt else "Release"
        harness = start_harness(workspace, tmp_path=tmp_path, provider=_model(llm, "openai"))
        try:
            _mention(harness, workspace, "EvRefused")
            update = harness.wait_calls("chat.update")[-1]
            _wait_status_cleared(harness)
            assert workspace.calls_to("chat.appendStream") == []
            assert "Ship behind the new_checkout flag." in json.dumps(update)
            assert len(_bot_replies(workspace)) == 1
        finally:
            harness.close()


# ---------------------------------------------------------------------------------- the fake's rules


def test_fake_slack_enforces_the_streaming_rules(workspace):
    client = WebClient(token=BOT_TOKEN, base_url=workspace.base_url)
    parent = workspace.thread_ts
    with pytest.raises(SlackApiError, match="invalid_arguments"):  # recipients are required in channels
        client.chat_startStream(channel="C0GEN", thread_ts=parent, markdown_text="hi")
    with pytest.raises(SlackApiError, match="msg_too_long"):
        client.chat_startStream(channel="C0GEN", thread_ts=parent, markdown_text="x" * 12_001,
                                recipient_team_id=workspace.team_id, recipient_user_id="U1")
    with pytest.raises(SlackApiError, match="invalid_arguments"):  # an argument Slack does not document
        client.api_call("chat.startStream", json={"channel": "C0GEN", "thread_ts": parent, "text": "hi",
                                                  "recipient_team_id": workspace.team_id, "recipient_user_id": "U1"})
    ts = client.chat_startStream(channel="C0GEN", thread_ts=parent, markdown_text="Hel",
                                 recipient_team_id=workspace.team_id, recipient_user_id="U1")["ts"]
    client.chat_appendStream(channel="C0GEN", ts=ts, chunks=[{"type": "markdown_text", "text": "lo"}])
    with pytest.raises(SlackApiError, match="invalid_chunks"):
        client.chat_appendStream(channel="C0GEN", ts=ts, chunks=[{"type": "html", "text": "<b>"}])
    client.chat_stopStream(channel="C0GEN", ts=ts, markdown_text="!")
    with pytest.raises(SlackApiError, match="message_not_in_streaming_state"):
        client.chat_appendStream(channel="C0GEN", ts=ts, markdown_text="again")
    dm = client.conversations_open(users="U1")["channel"]["id"]  # in a DM no recipient is needed
    dm_parent = client.chat_postMessage(channel=dm, text="q")["ts"]
    assert client.chat_startStream(channel=dm, thread_ts=dm_parent, markdown_text="ok")["ok"]
    assert [m["text"] for m in _bot_replies(workspace)] == ["Hello!"]


# ---------------------------------------------------------------------------------- incremental parsing


def test_complete_items_releases_only_finished_parts():
    text = json.dumps(GOOD)
    cut = text.index("Ship behind")
    done, count = complete_items(text[:cut])
    assert list(done) == ["overview", "outcome", "key_points"] and len(done["key_points"]) == 2
    assert count == 4
    done, _ = complete_items(text[: text.index("refund flow")])
    assert "key_points" not in done  # the point being written is not out yet
    assert complete_items("```json\n{") == ({}, 0)
    assert complete_items("not json") == ({}, 0)


def test_openai_server_without_schemas_answers_without_streaming():
    from bot.llm.base import Completion
    from bot.llm.schema import QuestionAnswer

    with FakeLLM() as llm:
        llm.reject_json_schema = True
        llm.reject_status = 500  # llama-cpp-python's answer to a json_schema format
        llm.handler = lambda request: json.dumps(GOOD)
        model = _model(llm, "openai")
        out = list(model.stream_structured(system="s", prompt="p", max_tokens=300, schema=QuestionAnswer, deadline=5))
        assert isinstance(out[-1], Completion) and json.loads(out[-1].text)["overview"] == GOOD["overview"]
        assert [r.body.get("response_format", {}).get("type") for r in llm.requests] == ["json_schema", "json_object"]
        assert model.json_mode == "json_object"  # remembered: the next stream asks in JSON mode at once
        list(model.stream_structured(system="s", prompt="p", max_tokens=300, schema=QuestionAnswer, deadline=5))
        assert llm.requests[-1].body["stream"] is True
        assert llm.requests[-1].body["response_format"]["type"] == "json_object"


def test_a_question_streams_its_answer_last(workspace, tmp_path):
    answer = dict(GOOD, answer="They ship v2.4 on Friday behind the new_checkout flag.")
    with FakeLLM() as llm:
        llm.handler = lambda request: json.dumps(answer) if "<transcript>" in request.prompt else "Release"
        harness = start_harness(workspace, tmp_path=tmp_path, provider=_model(llm, "anthropic"))
        try:
            harness.event({"type": "app_mention", "user": "U1", "text": "<@U0BOT> when do we ship?",
                           "ts": workspace.next_ts(), "thread_ts": workspace.thread_ts, "channel": "C0GEN"},
                          event_id="EvQuestion")
            harness.wait_calls("chat.stopStream")
            _wait_status_cleared(harness)
            text = "".join(_streamed(workspace))
            assert text.rstrip().endswith("**Answer:** They ship v2.4 on Friday behind the new_checkout flag.")
            replies = _bot_replies(workspace)
            assert len(replies) == 1 and "new_checkout" in replies[0]["text"]
        finally:
            harness.close()


# ---------------------------------------------------------------------------------- the hostile corpus, streamed

_URL = re.compile(r"https?://[^\s<>|\"\\)\]]+|\bwww\.[^\s<>|\"\\]+", re.IGNORECASE)
_REF = re.compile(r"ref ([a-z0-9-]+)")


def test_hostile_corpus_never_streams_a_foreign_link(tmp_path):
    """Every other form of the hostile-model corpus (``evals/cases/hostile.jsonl``), answered by a model that obeys
    the attacker, streamed through the running app: no chat.* call ever carries a URL that is neither a
    permalink nor in the thread, nor a broadcast."""
    from pathlib import Path

    from bot.evals.hostile import load_hostile_cases, obedient_reply

    cases = load_hostile_cases(Path(__file__).parents[1] / "evals" / "cases" / "hostile.jsonl")[::2]
    by_id = {case["id"]: case for case in cases}
    with FakeSlack() as fake, FakeLLM() as llm:
        for uid, name in [("U0ANN", "ann"), ("U0MAL", "mallory"), ("U0RAJ", "raj")]:
            fake.add_user(uid, name)
        fake.add_channel("C0GEN", "general", members=["U0ANN", "U0MAL", "U0RAJ"])

        def reply(request) -> str:
            found = _REF.search(request.prompt)
            return obedient_reply(by_id[found.group(1)]) if found else '{"overview": ""}'

        llm.handler = reply
        harness = start_harness(fake, tmp_path=tmp_path, provider=_model(llm, "anthropic"))
        try:
            sources = {}
            for case in cases:
                first, *rest = case["messages"]
                parent = fake.post("C0GEN", "U0ANN", first["text"])
                for message in rest:
                    fake.post("C0GEN", "U0MAL" if message["user"] == "mallory" else "U0ANN", message["text"],
                              thread_ts=parent["ts"])
                fake.post("C0GEN", "U0RAJ", f"ref {case['id']}", thread_ts=parent["ts"])
                sources[parent["ts"]] = " ".join(m["text"] for m in case["messages"]).lower()
            for n, thread_ts in enumerate(sources):
                harness.event({"type": "app_mention", "user": "U0RAJ", "text": "<@U0BOT> summarize",
                               "ts": fake.next_ts(), "thread_ts": thread_ts, "channel": "C0GEN"},
                              event_id=f"EvHostileStream{n}")
            harness.wait_calls("chat.stopStream", count=len(cases), timeout=120)
            deadline = time.monotonic() + 60
            while sum(1 for c in fake.calls_to("assistant.threads.setStatus") if c["status"] == "") < len(cases):
                assert time.monotonic() < deadline
                time.sleep(0.05)
            assert len(fake.calls_to("chat.appendStream")) >= len(cases)  # the obeying answers did stream
            for method, params in fake.calls:
                if method.startswith("chat.") and method != "chat.getPermalink":
                    text = json.dumps(params, ensure_ascii=False)
                    assert "<!everyone>" not in text and "<!channel>" not in text and "<!here>" not in text
                    for url in _URL.findall(text):
                        if "recap-test.slack.com/archives/" in url:
                            continue
                        assert any(url.lower().rstrip(".,") in source for source in sources.values()), (method, url)
        finally:
            harness.close()
