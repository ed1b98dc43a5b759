"""Exactly-once effects under retry, and failures that reach the person (issue 13).

* A job redelivered after dying mid-answer (a worker SIGKILLed) updates what it already posted: the
  thread holds one copy of each chunk (message ``metadata`` carries the job id and step).
* ``/summarize`` whose ``response_url`` answers 500 / 429 / 404 still answers, privately (ephemeral,
  else a DM); a failed *Share* keeps the private copy and can be pressed again; a job that gives up says
  why, in plain words, privately.
* The status ("is reading…", with loading messages) shows in channel threads too.

Requests go over signed HTTP into the real app against the fake Slack (``tests/fakeslack``); the
queue worker's part (running a service inside :func:`bot.runtime.jobs.running_job`, telling the person
when a job gives up) is played by calling the same service functions the worker calls.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import strings
from bot.feedback.service import answer_id_for_job, with_controls
from bot.runtime.jobs import JobInfo, running_job
from bot.slack import writer
from bot.summaries import render
from bot.summaries.assistant import handle_dm_message
from bot.summaries.pipeline import ConversationRequest
from bot.summaries.service import handle_mention, run_pipeline, tell_gave_up
from tests.fakeslack import BOT_TOKEN, FakeSlack


@pytest.fixture
def workspace():
    with FakeSlack() as fake:
        for uid, name in [("U1", "maya"), ("U2", "raj"), ("U3", "lena")]:
            fake.add_user(uid, name)
        fake.add_channel("C0GEN", "general", members=["U1", "U2", "U3"])
        fake.add_channel("C0NOBOT", "no-bot", members=["U1", "U2"], bot_member=False)
        yield fake


def _thread(fake: FakeSlack, channel_id: str = "C0GEN") -> str:
    parent = fake.post(channel_id, "U1", "Release planning for v2.4: should we ship on Tuesday Dec 2 or Wednesday Dec 3?")
    ts = parent["ts"]
    fake.post(channel_id, "U2", "The flaky migration tests need a fix first; I can have it by Friday.", thread_ts=ts)
    fake.post(channel_id, "U3", "Support prefers Wednesday because ticket volume peaks on Tuesdays.", thread_ts=ts)
    fake.post(channel_id, "U1", "Decision: we ship v2.4 on Wednesday Dec 3 at 7:00 PM UTC.", thread_ts=ts)
    fake.post(channel_id, "U1", "<@U2> can you own the migration test fix?", thread_ts=ts)
    fake.post(channel_id, "U2", "Yes, I'll own the migration test fix and report back Friday.", thread_ts=ts)
    fake.post(channel_id, "U3", "Open question: do we keep the /v1/export endpoint for one more release?", thread_ts=ts)
    return ts


def _wait(predicate: Callable[[], Any], timeout: float = 15) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("condition never became true")


def _command(harness, text: str, *, user_id: str, channel_id: str, response_url: str) -> int:
    body = urlencode({"token": "x", "team_id": harness.fake.team_id, "team_domain": harness.fake.domain,
                      "channel_id": channel_id, "user_id": user_id, "command": "/summarize", "text": text,
                      "api_app_id": "A0RECAP", "response_url": response_url, "trigger_id": "1.2.3"})
    status, _, _ = harness.post(body, "application/x-www-form-urlencoded")
    return status


def _click_share(harness, *, share_id: str, channel_id: str, response_url: str) -> None:
    harness.interactive({"type": "block_actions", "team": {"id": harness.fake.team_id}, "user": {"id": "U1"},
                         "api_app_id": "A0RECAP", "token": "x", "trigger_id": "1",
                         "container": {"type": "message", "is_ephemeral": True, "channel_id": channel_id},
                         "channel": {"id": channel_id}, "response_url": response_url,
                         "actions": [{"action_id": "recap_share", "block_id": "b", "value": share_id,
                                      "type": "button", "action_ts": "1"}]})


def _client(fake: FakeSlack) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=fake.base_url)


def _bot_replies(fake: FakeSlack, channel_id: str, thread_ts: str) -> list[dict]:
    return [m for m in fake.channels[channel_id].replies.get(thread_ts, []) if m.get("user") == fake.bot_user_id]


class Killed(BaseException):
    """The worker process dying (SIGKILL): nothing in the service catches it."""


class DyingClient(WebClient):
    """A Web API client whose process dies just before its ``die_at``-th call to ``die_on``."""

    def __init__(self, *args: Any, die_at: int, die_on: str = "chat.postMessage", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.die_at, self.die_on, self.calls = die_at, die_on, 0

    def api_call(self, api_method: str, **kwargs: Any) -> Any:  # type: ignore[override]
        if api_method == self.die_on:
            self.calls += 1
            if self.calls == self.die_at:
                raise Killed
        return super().api_call(api_method, **kwargs)


# ---------------------------------------------------------------------------------------- idempotent posts


@pytest.mark.parametrize("die_at", [2, 3], ids=["after-first-chunk", "after-second-chunk"])
def test_redelivered_mention_job_leaves_exactly_one_copy_of_each_chunk(harness, workspace, monkeypatch, die_at):
    monkeypatch.setattr(render, "BLOCK_LIMIT", 2)  # a normal summary then spans several messages
    thread_ts = _thread(workspace)
    mention = workspace.post("C0GEN", "U1", "<@U0BOT> summarize", thread_ts=thread_ts)
    args = dict(services=harness.services, team_id=workspace.team_id, channel_id="C0GEN", user_id="U1",
                text="<@U0BOT> summarize", ts=mention["ts"], thread_ts=thread_ts, bot_user_id="U0BOT")
    expected = run_pipeline(harness.services, _client(workspace), ConversationRequest(
        channel_id="C0GEN", thread_ts=thread_ts, here=True, exclude_ts=frozenset({mention["ts"]}),
        bot_user_id="U0BOT")).blocks()
    expected = with_controls(expected, answer_id_for_job("job-7f3a"))  # 👍/👎 and Try again, same on redelivery
    assert len(expected) >= 3

    with running_job(JobInfo("job-7f3a", attempt=0, max_attempts=3)), pytest.raises(Killed):
        handle_mention(client=DyingClient(token=BOT_TOKEN, base_url=workspace.base_url, die_at=die_at), **args)
    before = _bot_replies(workspace, "C0GEN", thread_ts)
    assert len(before) == die_at - 1  # the placeholder (holding chunk 1), and chunk 2 when die_at == 3
    assert before[0]["blocks"] == expected[0]

    posts_before = len(workspace.calls_to("chat.postMessage"))
    with running_job(JobInfo("job-7f3a", attempt=1, max_attempts=3)):
        handle_mention(client=_client(workspace), **args)

    replies = _bot_replies(workspace, "C0GEN", thread_ts)
    assert [m["blocks"] for m in replies] == expected  # one copy of each chunk, in order
    assert [m["metadata"]["event_payload"]["step"] for m in replies] == (
        ["reply"] + [f"answer-{i}" for i in range(1, len(expected))])
    assert all(m["metadata"]["event_payload"]["job_id"] == "job-7f3a" for m in replies)
    assert len(workspace.calls_to("chat.postMessage")) - posts_before == len(expected) - (die_at - 1)
    lookups = [c for c in workspace.calls_to("conversations.replies") if c.get("include_all_metadata")]
    assert lookups, "a retried job must read its earlier posts back with include_all_metadata"


def test_redelivered_dm_job_answers_once(harness, workspace, monkeypatch):
    monkeypatch.setattr(render, "BLOCK_LIMIT", 2)
    _thread(workspace)
    workspace.add_channel("D0U1", "U1", is_im=True, members=["U1"], user="U1")
    asked = workspace.post("D0U1", "U1", "summarize <#C0GEN|general> 7d")
    args = dict(services=harness.services, team_id=workspace.team_id, user_id="U1", channel_id="D0U1",
                text=asked["text"], ts=asked["ts"])
    with running_job(JobInfo("job-dm", attempt=0, max_attempts=3)), pytest.raises(Killed):
        handle_dm_message(client=DyingClient(token=BOT_TOKEN, base_url=workspace.base_url, die_at=2), **args)
    assert len(_bot_replies(workspace, "D0U1", asked["ts"])) == 1
    with running_job(JobInfo("job-dm", attempt=1, max_attempts=3)):
        handle_dm_message(client=_client(workspace), **args)
    replies = _bot_replies(workspace, "D0U1", asked["ts"])
    steps = [m["metadata"]["event_payload"]["step"] for m in replies]
    assert len(replies) >= 3 and steps == [f"answer-{i}" for i in range(len(replies))]
    assert len({json.dumps(m["blocks"]) for m in replies}) == len(replies)  # no chunk twice
    assert "Wednesday Dec 3" in json.dumps([m["blocks"] for m in replies])


def test_first_delivery_posts_with_metadata_and_reads_nothing_back(harness, workspace):
    thread_ts = _thread(workspace)
    mention = workspace.post("C0GEN", "U1", "<@U0BOT> summarize", thread_ts=thread_ts)
    with running_job(JobInfo("job-first", attempt=0, max_attempts=3)):
        handle_mention(services=harness.services, client=_client(workspace), team_id=workspace.team_id,
                       channel_id="C0GEN", user_id="U1", text="<@U0BOT> summarize", ts=mention["ts"],
                       thread_ts=thread_ts, bot_user_id="U0BOT")
    replies = _bot_replies(workspace, "C0GEN", thread_ts)
    assert len(replies) == 1 and replies[0]["metadata"] == writer.job_metadata("job-first", "reply")
    assert "Wednesday Dec 3" in json.dumps(replies[0]["blocks"])
    assert not [c for c in workspace.calls_to("conversations.replies") if c.get("include_all_metadata")]


def test_post_once_for_digests_updates_instead_of_posting_twice(workspace):
    client = _client(workspace)
    first = writer.post_once(client, channel_id="C0GEN", thread_ts=None, text="Weekly digest (draft)",
                             job=writer.JobRef("digest-C0GEN-2026-W49"), step="digest")
    again = writer.post_once(client, channel_id="C0GEN", thread_ts=None, text="Weekly digest",
                             job=writer.JobRef("digest-C0GEN-2026-W49", retry=True), step="digest")
    other = writer.post_once(client, channel_id="C0GEN", thread_ts=None, text="Next week's digest",
                             job=writer.JobRef("digest-C0GEN-2026-W50", retry=True), step="digest")
    bot_posts = [m for m in workspace.channels["C0GEN"].messages if m.get("user") == workspace.bot_user_id]
    assert first == again != other
    assert [m["text"] for m in bot_posts] == ["Weekly digest", "Next week's digest"]
    history = workspace.calls_to("conversations.history")
    assert history and all(c.get("include_all_metadata") for c in history)

    client.chat_delete(channel="C0GEN", ts=other)  # deleted by someone meanwhile: a retry posts it again
    reposted = writer.post_once(client, channel_id="C0GEN", thread_ts=None, text="Next week's digest",
                                job=writer.JobRef("digest-C0GEN-2026-W50", retry=True), step="digest")
    assert reposted not in (None, other) and workspace.channels["C0GEN"].find(reposted)["text"] == "Next week's digest"


# ---------------------------------------------------------------------------------------- the fake checks metadata


def test_fake_slack_checks_metadata_and_returns_it_only_when_asked(workspace):
    client = _client(workspace)
    with pytest.raises(SlackApiError) as refused:
        client.api_call("chat.postMessage", json={"channel": "C0GEN", "text": "x", "metadata": "{not json"})
    assert refused.value.response["error"] == "invalid_metadata_format"
    odd = client.chat_postMessage(channel="C0GEN", text="y", metadata={"event_type": "recap.job", "event_payload": {}})
    assert odd["warning"] == "invalid_metadata_schema" and "metadata" not in odd["message"]
    kept = client.chat_postMessage(channel="C0GEN", text="z", metadata=writer.job_metadata("j1", "s"))
    plain = client.conversations_history(channel="C0GEN")["messages"]
    assert all("metadata" not in m for m in plain)
    full = client.conversations_history(channel="C0GEN", include_all_metadata=True)["messages"]
    assert [m.get("metadata") for m in full if m["ts"] == kept["ts"]] == [writer.job_metadata("j1", "s")]
    client.chat_update(channel="C0GEN", ts=kept["ts"], text="z2")  # no metadata argument: kept
    assert workspace.channels["C0GEN"].find(kept["ts"])["metadata"] == writer.job_metadata("j1", "s")


# ---------------------------------------------------------------------------------------- response_url failures


@pytest.mark.parametrize("status", [500, 429, 404])
def test_summarize_whose_response_url_fails_answers_by_ephemeral_message(harness, workspace, status):
    _thread(workspace)
    channel_before = list(workspace.channels["C0GEN"].messages)
    workspace.fail("response_url", status=status, times=20)
    url = workspace.response_url("C0GEN", "U1")
    assert _command(harness, "7d", user_id="U1", channel_id="C0GEN", response_url=url) == 200

    answer = _wait(lambda: [e for e in workspace.ephemerals if e.get("via") != "response_url" and e["blocks"]])
    assert answer[0]["user"] == "U1" and answer[0]["channel"] == "C0GEN"
    assert "Wednesday Dec 3" in json.dumps(answer[0]["blocks"])
    assert workspace.calls_to("response_url")  # it was tried first
    assert not workspace.responses  # the URL took nothing
    assert workspace.channels["C0GEN"].messages == channel_before  # nothing others can see
    assert not workspace.calls_to("chat.postMessage")


def test_summarize_whose_response_url_hangs_answers_by_ephemeral_message_in_time(harness, workspace, monkeypatch):
    from bot.summaries import delivery

    monkeypatch.setattr(delivery, "RESPONSE_URL_TIMEOUT", 1.0)
    _thread(workspace)
    workspace.fail("response_url", delay=4, times=5)  # answers, but only after 4 s
    started = time.monotonic()
    _command(harness, "7d", user_id="U1", channel_id="C0GEN", response_url=workspace.response_url("C0GEN", "U1"))
    answer = _wait(lambda: [e for e in workspace.ephemerals if e.get("via") != "response_url" and e["blocks"]])
    assert time.monotonic() - started < 4 and "Wednesday Dec 3" in json.dumps(answer[0]["blocks"])


def test_summarize_help_and_subcommands_survive_a_failing_response_url(harness, workspace):
    workspace.fail("response_url", status=500, times=20)
    _command(harness, "help", user_id="U2", channel_id="C0GEN", response_url=workspace.response_url("C0GEN", "U2"))
    usage = _wait(lambda: [e for e in workspace.ephemerals if e["user"] == "U2" and "/summarize" in e["text"]])
    assert usage[0]["channel"] == "C0GEN" and not workspace.responses


def test_summarize_where_ephemeral_is_refused_too_answers_in_the_dm(harness, workspace):
    _thread(workspace)
    workspace.fail("response_url", reset=True, times=20)  # the URL never answers
    url = workspace.response_url("C0NOBOT", "U1")
    assert _command(harness, "<#C0GEN|general> 7d", user_id="U1", channel_id="C0NOBOT", response_url=url) == 200

    dm = _wait(lambda: [c for c in workspace.calls_to("chat.postMessage") if c["channel"] == "U1"])
    assert strings.PRIVATE_FALLBACK_DM.format(channel_id="C0NOBOT") in dm[0]["text"]
    assert "Wednesday Dec 3" in json.dumps(dm[0]["blocks"])
    assert "recap_share" not in json.dumps(dm[0]["blocks"])  # a DM copy has no Share button
    assert [c["channel"] for c in workspace.calls_to("chat.postEphemeral")] == ["C0NOBOT"]  # tried, refused
    assert not workspace.channels["C0NOBOT"].messages


# ---------------------------------------------------------------------------------------- shares


def test_failed_share_keeps_the_private_copy_and_can_be_pressed_again(harness, workspace):
    _thread(workspace)
    _command(harness, "7d", user_id="U1", channel_id="C0GEN", response_url=workspace.response_url("C0GEN", "U1"))
    answer = _wait(lambda: [r for r in workspace.responses if r.get("blocks")])[0]
    share_id = next(b for b in answer["blocks"] if b["type"] == "actions")["elements"][0]["value"]

    def shared() -> list[dict]:
        return [m for m in workspace.channels["C0GEN"].messages
                if m.get("user") == workspace.bot_user_id and "Shared by <@U1>" in json.dumps(m.get("blocks"))]

    workspace.fail("response_url", status=500)  # the public post fails once
    _click_share(harness, share_id=share_id, channel_id="C0GEN", response_url=workspace.response_url("C0GEN", "U1"))
    told = _wait(lambda: [e for e in workspace.ephemerals if "couldn't post the summary" in e["text"]])
    assert told[0]["user"] == "U1" and "HTTP 500" in told[0]["text"]
    assert not shared()
    assert not any(r.get("delete_original") for r in workspace.responses)  # the private copy stays
    assert harness.services.store.peek_share(share_id=share_id, team_id=workspace.team_id, user_id="U1")

    _click_share(harness, share_id=share_id, channel_id="C0GEN", response_url=workspace.response_url("C0GEN", "U1"))
    _wait(lambda: any(r.get("delete_original") for r in workspace.responses))
    assert len(shared()) == 1 and "Wednesday Dec 3" in json.dumps(shared()[0]["blocks"])

    _click_share(harness, share_id=share_id, channel_id="C0GEN", response_url=workspace.response_url("C0GEN", "U1"))
    _wait(lambda: any(strings.SHARE_EXPIRED in (r.get("text") or "") for r in workspace.responses))
    assert len(shared()) == 1


# ---------------------------------------------------------------------------------------- a job gives up


def test_mention_job_that_gives_up_tells_the_person_why_privately(harness, workspace):
    thread_ts = _thread(workspace)
    mention = workspace.post("C0GEN", "U1", "<@U0BOT> summarize", thread_ts=thread_ts)
    event = {"type": "app_mention", "user": "U1", "text": "<@U0BOT> summarize", "ts": mention["ts"],
             "thread_ts": thread_ts, "channel": "C0GEN"}
    with running_job(JobInfo("job-dies", attempt=0, max_attempts=2)), pytest.raises(Killed):
        handle_mention(services=harness.services, client=DyingClient(token=BOT_TOKEN, base_url=workspace.base_url,
                                                                     die_at=1, die_on="chat.update"),
                       team_id=workspace.team_id, channel_id="C0GEN", user_id="U1", text=event["text"],
                       ts=mention["ts"], thread_ts=thread_ts, bot_user_id="U0BOT")
    (placeholder,) = _bot_replies(workspace, "C0GEN", thread_ts)
    assert placeholder["metadata"]["event_payload"]["step"] == "reply"

    error = SlackApiError("ratelimited", {"ok": False, "error": "ratelimited"})
    assert tell_gave_up(_client(workspace), {"type": "event_callback", "event": event}, reason=error, attempts=2,
                        job_id="job-dies")

    (notice,) = [e for e in workspace.ephemerals if e["user"] == "U1"]
    assert notice["channel"] == "C0GEN" and notice["thread_ts"] == thread_ts
    assert strings.GAVE_UP_WHY_SLACK_BUSY in notice["text"] and "2 tries" in notice["text"]
    assert "SlackApiError" not in notice["text"] and "ratelimited" not in notice["text"]
    (after,) = _bot_replies(workspace, "C0GEN", thread_ts)  # no new post: the placeholder says so
    assert after["ts"] == placeholder["ts"] and "told you why" in json.dumps(after["blocks"])
    assert [r["name"] for r in workspace.channels["C0GEN"].find_any(mention["ts"]).get("reactions", [])] == ["warning"]


def test_command_job_that_gives_up_is_told_through_the_response_url_else_ephemeral(workspace):
    body = {"command": "/summarize", "user_id": "U2", "channel_id": "C0GEN", "text": "7d",
            "response_url": workspace.response_url("C0GEN", "U2")}
    assert tell_gave_up(_client(workspace), body, reason="it was interrupted each time", attempts=3)
    (told,) = workspace.responses
    assert told["response_type"] == "ephemeral" and "interrupted each time" in told["text"]

    workspace.fail("response_url", status=404)
    assert tell_gave_up(_client(workspace), {**body, "response_url": workspace.response_url("C0GEN", "U2")},
                        reason="LLMError", attempts=3)
    (fallback,) = [e for e in workspace.ephemerals if e.get("via") != "response_url"]
    assert fallback["user"] == "U2" and strings.GAVE_UP_WHY_MODEL in fallback["text"]
    assert not workspace.calls_to("chat.postMessage")


# ---------------------------------------------------------------------------------------- status in channel threads


def test_mention_in_a_channel_thread_shows_status_with_loading_messages(harness, workspace):
    thread_ts = _thread(workspace)
    mention = workspace.post("C0GEN", "U1", "<@U0BOT> summarize", thread_ts=thread_ts)
    harness.event({"type": "app_mention", "user": "U1", "text": "<@U0BOT> summarize", "ts": mention["ts"],
                   "thread_ts": thread_ts, "channel": "C0GEN"}, event_id="EvStatus1")
    statuses = harness.wait_calls("assistant.threads.setStatus", 2)
    first, last = statuses[0], statuses[-1]
    assert first["channel_id"] == "C0GEN" and first["thread_ts"] == thread_ts
    assert first["status"] == strings.STATUS_READING
    assert first["loading_messages"] == list(strings.LOADING_MESSAGES)
    assert last["status"] == ""
    assert "Wednesday Dec 3" in json.dumps(harness.wait_calls("chat.update")[-1]["blocks"])


def test_fake_slack_checks_set_status(workspace):
    client = _client(workspace)
    thread_ts = _thread(workspace)
    client.assistant_threads_setStatus(channel_id="C0GEN", thread_ts=thread_ts, status="is reading…",
                                       loading_messages=["a", "b"])
    for kwargs, error in [
        ({"thread_ts": "1.000001"}, "invalid_thread_ts"),
        ({"thread_ts": thread_ts, "loading_messages": [f"m{i}" for i in range(11)]}, "invalid_arguments"),
    ]:
        with pytest.raises(SlackApiError) as refused:
            client.assistant_threads_setStatus(channel_id="C0GEN", status="is reading…", **kwargs)
        assert refused.value.response["error"] == error


def test_the_eyes_reaction_comes_before_anything_is_looked_up_and_the_answer_is_in_their_language(
        harness, workspace, monkeypatch):
    """The sign of life of a mention is its first Slack call: the person's language (a database read, then
    ``users.info``) is looked up after it, and what they read is still in that language."""
    thread_ts = _thread(workspace)
    mention = workspace.post("C0GEN", "U1", "<@U0BOT> summarize", thread_ts=thread_ts)
    services = harness.services
    looked_up = []

    def language_of(client, **kwargs):  # noqa: ANN001, ANN202 - Services.language_of's signature
        looked_up.append(len(workspace.calls_to("reactions.add")))
        return "es"

    monkeypatch.setattr(services, "language_of", language_of)
    before = len(workspace.calls)
    handle_mention(services=services, client=_client(workspace), team_id=workspace.team_id, channel_id="C0GEN",
                   user_id="U1", text="<@U0BOT> summarize", ts=mention["ts"], thread_ts=thread_ts, bot_user_id="U0BOT")
    assert looked_up == [1]  # once, after the :eyes: reaction was added
    made = [method for method, _ in workspace.calls[before:]]
    assert made[0] == "reactions.add" and workspace.calls[before][1]["name"] == "eyes"  # nothing read before it
    posted = [params.get("text", "") for method, params in workspace.calls[before:] if method == "chat.postMessage"]
    assert posted and "Leyendo" in posted[0]  # the "reading…" reply, in their language
    assert _bot_replies(workspace, "C0GEN", thread_ts)  # and the answer came
