"""Bad input at the edges: broken exports, archived channels and a 10,000-message channel."""

from __future__ import annotations

import json
import time
import zipfile

import pytest

from bot.__main__ import main
from bot.errors import SlackReadError
from bot.slack.export import ExportReader
from tests.e2e import start_harness
from tests.fakeslack import FakeSlack


def _export(tmp_path, day_bytes: bytes):
    root = tmp_path / "export"
    (root / "general").mkdir(parents=True)
    (root / "users.json").write_text(json.dumps([{"id": "U1", "name": "maya", "profile": {"display_name": "maya"}}]))
    (root / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general"}]))
    (root / "general" / "2024-05-01.json").write_bytes(day_bytes)
    return root


def test_non_utf8_bytes_in_an_export_are_replaced_not_fatal(tmp_path):
    body = b'[{"type":"message","user":"U1","ts":"1714550400.000100","text":"caf\xe9 budget is $1,200 \xff"}]'
    reader = ExportReader(_export(tmp_path, body))
    messages = reader.history("C1", oldest=1714500000, latest=1714600000)
    assert len(messages) == 1 and "$1,200" in messages[0].text


def test_truncated_export_zip_is_a_clear_error(tmp_path, capsys, monkeypatch):
    root = _export(tmp_path, b'[{"type":"message","user":"U1","ts":"1714550400.000100","text":"hello there"}]')
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in root.rglob("*.json"):
            zf.write(path, path.relative_to(root))
    archive.write_bytes(archive.read_bytes()[:-40])  # cut off the central directory's end
    with pytest.raises(SlackReadError):
        ExportReader(archive).channel("general")
    monkeypatch.chdir(tmp_path)
    assert main(["summarize", "--export", str(archive), "--channel", "general", "--week", "2024-W18"]) == 2
    err = capsys.readouterr().err
    assert "recap: error" in err and "Traceback" not in err


@pytest.fixture
def busy_workspace():
    with FakeSlack() as fake:
        fake.add_user("U1", "maya")
        fake.add_user("U2", "raj")
        fake.add_channel("C0OLD", "old-project", members=["U1", "U2"], is_archived=True)
        fake.add_channel("C0BUSY", "busy", members=["U1", "U2"])
        yield fake


def test_archived_channel_is_still_summarized_for_a_member(busy_workspace, tmp_path):
    busy_workspace.post("C0OLD", "U1", "Final decision: we archive the project and keep the data for 90 days.")
    harness = start_harness(busy_workspace, tmp_path=tmp_path)
    try:
        harness.command("<#C0OLD|old-project> 7d", user_id="U2", channel_id="C0BUSY")
        posts = harness.receiver.wait_for(lambda p: any(x.get("blocks") for x in p), timeout=30)
        assert "90 days" in json.dumps(posts)
    finally:
        harness.close()


def test_nine_thousand_message_channel_is_answered_in_bounded_time(busy_workspace, tmp_path):
    start = time.time() - 6 * 86400
    topics = ["the billing export", "the login page", "the staging database", "the onboarding docs"]
    for i in range(9_000):
        busy_workspace.post("C0BUSY", f"U{1 + i % 2}", f"Update {i} on {topics[i % 4]}: tests are running.",
                            ts=start + i * 50)
    busy_workspace.post("C0BUSY", "U1", "Decision: we agreed to ship the billing export on Friday at 7:00 PM.",
                        ts=start + 9_001 * 50)
    harness = start_harness(busy_workspace, tmp_path=tmp_path)
    try:
        began = time.monotonic()
        harness.command("<#C0BUSY|busy> 7d", user_id="U1", channel_id="C0BUSY")
        posts = harness.receiver.wait_for(lambda p: any(x.get("blocks") for x in p), timeout=240)
        assert time.monotonic() - began < 240
        answer = json.dumps(next(x for x in posts if x.get("blocks")))
        assert "7:00 PM" in answer
        assert len(busy_workspace.calls_to("conversations.history")) >= 9_000 // 200  # every page was read
    finally:
        harness.close()
