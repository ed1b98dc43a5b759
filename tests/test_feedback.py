"""End to end: 👍/👎 under an answer are stored (never the text), a 👎 note is kept, ``recap eval feedback``
exports the 👎 cases, and *Try again* / *Shorter* replace the answer in place."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time

import pytest

from bot.feedback.service import feedback_store
from tests.fakeslack import FakeSlack


@pytest.fixture
def workspace():
    with FakeSlack() as fake:
        for uid, name in [("U1", "maya"), ("U2", "raj"), ("U3", "lena")]:
            fake.add_user(uid, name)
        fake.add_channel("C0GEN", "general", members=["U1", "U2", "U3"])
        yield fake


THREAD = [
    ("U1", "Release planning for v2.4: should we ship on Tuesday Dec 2 or Wednesday Dec 3?"),
    ("U2", "The flaky migration tests need a fix first; I can have it by Friday."),
    ("U3", "Support prefers Wednesday because ticket volume peaks on Tuesdays."),
    ("U1", "Decision: we ship v2.4 on Wednesday Dec 3 at 7:00 PM UTC."),
    ("U1", "<@U2> can you own the migration test fix?"),
    ("U2", "Yes, I'll own the migration test fix and report back Friday."),
    ("U3", "The changelog draft lists the new export formats and the retired v1 endpoints."),
    ("U2", "Docs for the export formats go out with the release notes on Thursday."),
    ("U3", "Open question: do we keep the /v1/export endpoint for one more release?"),
]


def _answered_thread(harness, fake: FakeSlack) -> tuple[str, dict]:
    """A thread, a mention, and the final answer's ``chat.update`` call."""
    parent = fake.post("C0GEN", THREAD[0][0], THREAD[0][1])
    thread_ts = parent["ts"]
    for user, text in THREAD[1:]:
        fake.post("C0GEN", user, text, thread_ts=thread_ts)
    mention = fake.post("C0GEN", "U1", "<@U0BOT> summarize", thread_ts=thread_ts)
    harness.event({"type": "app_mention", "user": "U1", "text": f"<@{fake.bot_user_id}> summarize",
                   "ts": mention["ts"], "thread_ts": thread_ts, "channel": "C0GEN"}, event_id="EvFb1")
    update = harness.wait_calls("chat.update")[-1]
    return thread_ts, update


def _blocks(call: dict) -> list[dict]:
    blocks = call.get("blocks")
    return json.loads(blocks) if isinstance(blocks, str) else list(blocks or [])


def _feedback_element(blocks: list[dict]) -> dict:
    block = next(b for b in blocks if b["type"] == "context_actions")
    return next(e for e in block["elements"] if e["type"] == "feedback_buttons")


def _click(harness, fake: FakeSlack, *, user: str, action: dict, message_ts: str, thread_ts: str,
           trigger_id: str = "13345224609.738474920.8088930838d88f008e0") -> None:
    harness.interactive({
        "type": "block_actions", "team": {"id": fake.team_id}, "user": {"id": user}, "api_app_id": "A0RECAP",
        "token": "x", "trigger_id": trigger_id, "channel": {"id": "C0GEN"},
        "container": {"type": "message", "message_ts": message_ts, "channel_id": "C0GEN", "is_ephemeral": False,
                      "thread_ts": thread_ts},
        "message": {"type": "message", "ts": message_ts, "thread_ts": thread_ts, "text": "summary"},
        "response_url": harness.receiver.url("click"), "actions": [{**action, "action_ts": str(time.time())}],
    })


def _wait(predicate, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_an_answer_carries_feedback_buttons_and_a_click_is_stored_without_text(harness, workspace):
    thread_ts, update = _answered_thread(harness, workspace)
    blocks = _blocks(update)
    buttons = _feedback_element(blocks)
    up = buttons["positive_button"]["value"]
    assert re.fullmatch(r"up:[0-9a-f]{32}", up)
    redo = next(b for b in blocks if b["type"] == "actions")
    assert [e["action_id"] for e in redo["elements"]] == ["recap_redo_again", "recap_redo_shorter",
                                                         "recap_redo_longer"]

    _click(harness, workspace, user="U2", message_ts=update["ts"], thread_ts=thread_ts,
           action={"type": "feedback_buttons", "action_id": "recap_feedback", "block_id": "x", "value": up})
    store = feedback_store(harness.services)
    rows = _wait(lambda: store.feedback())
    assert len(rows) == 1 and rows[0].rating == 1 and rows[0].user_id == "U2"
    assert rows[0].provider == "offline" and rows[0].prompt_version == "extractive"
    thread_ts_all = {m["ts"] for m in workspace.channels["C0GEN"].replies[thread_ts]} | {thread_ts}
    assert rows[0].cited_ts and set(rows[0].cited_ts) <= thread_ts_all
    stored = json.dumps([r.__dict__ for r in rows], default=str)
    assert "migration" not in stored and "Wednesday" not in stored  # never the message text
    assert not workspace.calls_to("views.open")  # 👍 asks nothing


def test_thumbs_down_opens_a_note_and_recap_eval_feedback_exports_the_case(harness, workspace, tmp_path):
    thread_ts, update = _answered_thread(harness, workspace)
    down = _feedback_element(_blocks(update))["negative_button"]["value"]
    _click(harness, workspace, user="U3", message_ts=update["ts"], thread_ts=thread_ts,
           action={"type": "feedback_buttons", "action_id": "recap_feedback", "block_id": "x", "value": down})
    opened = harness.wait_calls("views.open")[0]
    view = json.loads(opened["view"]) if isinstance(opened["view"], str) else opened["view"]
    assert view["callback_id"] == "recap_feedback_note"
    store = feedback_store(harness.services)
    _wait(lambda: store.feedback(rating=-1))

    harness.interactive({
        "type": "view_submission", "team": {"id": workspace.team_id}, "user": {"id": "U3"}, "api_app_id": "A0RECAP",
        "token": "x", "trigger_id": "1", "view": {**view, "id": "V1", "state": {"values": {"note": {"note_input": {
            "type": "plain_text_input", "value": "It missed that the release moved to Wednesday."}}}}},
    })
    row = _wait(lambda: next((r for r in store.feedback(rating=-1) if r.note), None))
    assert row.note == "It missed that the release moved to Wednesday."

    out = tmp_path / "candidates.jsonl"
    db = harness.services.settings.database_url
    done = subprocess.run([sys.executable, "-m", "bot", "eval", "feedback", "--out", str(out)],
                          env={"DATABASE_URL": db, "PATH": "/usr/bin:/bin", "SLACK_BOT_TOKEN": ""},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 1
    assert rows[0]["thread_ts"] == thread_ts and rows[0]["status"] == "to_review"
    assert rows[0]["note"] == "It missed that the release moved to Wednesday."
    assert "migration test fix" not in out.read_text()


def _bullets_per_section(blocks: list[dict]) -> list[int]:
    counts = []
    for block in blocks:
        if block["type"] == "section":
            text = block["text"]["text"]
            bullets = text.count("\n•")
            if bullets:
                counts.append(bullets)
    return counts


def test_shorter_replaces_the_answer_in_place_with_fewer_points(harness, workspace):
    thread_ts, update = _answered_thread(harness, workspace)
    before = _blocks(update)
    redo = next(b for b in before if b["type"] == "actions")
    shorter = next(e for e in redo["elements"] if e["action_id"] == "recap_redo_shorter")
    updates_before = len(workspace.calls_to("chat.update"))
    _click(harness, workspace, user="U1", message_ts=update["ts"], thread_ts=thread_ts,
           action={"type": "button", "action_id": shorter["action_id"], "block_id": redo["block_id"],
                   "value": shorter["value"]})
    after_call = harness.wait_calls("chat.update", updates_before + 1)[-1]
    assert after_call["ts"] == update["ts"]  # in place: the same message
    after = _blocks(after_call)
    assert max(_bullets_per_section(after), default=0) <= 2
    assert sum(_bullets_per_section(after)) < sum(_bullets_per_section(before))
    new_up = _feedback_element(after)["positive_button"]["value"]
    assert new_up != _feedback_element(before)["positive_button"]["value"]  # a new answer id
    assert len([m for m in workspace.channels["C0GEN"].replies[thread_ts] if m.get("bot_id")]) == 1


def test_a_forged_or_unknown_value_changes_nothing(harness, workspace):
    thread_ts, update = _answered_thread(harness, workspace)
    _click(harness, workspace, user="U2", message_ts=update["ts"], thread_ts=thread_ts,
           action={"type": "feedback_buttons", "action_id": "recap_feedback", "block_id": "x",
                   "value": "up:" + "0" * 32})
    _click(harness, workspace, user="U2", message_ts=update["ts"], thread_ts=thread_ts,
           action={"type": "button", "action_id": "recap_redo_again", "block_id": "x", "value": "again:../../etc"})
    _click(harness, workspace, user="U2", message_ts=update["ts"], thread_ts=thread_ts,
           action={"type": "button", "action_id": "recap_redo_again", "block_id": "x", "value": "again:" + "f" * 32})
    told = harness.wait_calls("chat.postEphemeral")
    assert any("too old" in c.get("text", "") for c in told)
    assert feedback_store(harness.services).feedback() == []
