"""Bad input on the command line: one clear line, a non-zero exit, never a traceback (issue 15's list)."""

from __future__ import annotations

import json
import socket

import pytest

from bot.__main__ import main
from bot.slack.export import ExportReader


def _export(tmp_path, days: dict[str, bytes]):
    root = tmp_path / "export"
    (root / "general").mkdir(parents=True)
    (root / "users.json").write_text(json.dumps([{"id": "U1", "name": "maya", "profile": {"display_name": "maya"}}]))
    (root / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general"}]))
    for name, body in days.items():
        (root / "general" / name).write_bytes(body)
    return root


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if "error" in line]
    assert len(lines) == 1, err
    return lines[0]


def test_one_corrupt_day_file_does_not_cost_the_other_days(tmp_path):
    good = json.dumps([{"type": "message", "user": "U1", "ts": "1714550400.000100", "text": "We ship on Friday."}])
    reader = ExportReader(_export(tmp_path, {"2024-05-01.json": good.encode(), "2024-05-02.json": b"[{not json"}))
    messages = reader.history("C1", oldest=1714500000, latest=1714700000)
    assert [m.text for m in messages] == ["We ship on Friday."]
    assert reader.skipped_days == ["general/2024-05-02.json"]


@pytest.mark.parametrize(("argv", "needle"), [
    (["summarize", "--sample", "--bogus"], "recap summarize: error: unrecognized arguments: --bogus"),
    (["summarize", "--export", "EXPORT", "--channel", "general", "--since", "2024-05-02", "--until", "2024-05-01"],
     "is not after --since"),
    (["summarize", "--export", "EXPORT", "--channel", "general", "--since", "2999-01-01"], "is in the future"),
    (["digest", "--export", "EXPORT", "--channel", "general", "--week", "2024-W18", "--tz", "Bad/Zone"],
     "is not an IANA time zone"),
    (["digest", "--export", "EXPORT", "--channel", "general", "--week", "2024-W18", "--domain", "a b"],
     "is not a Slack workspace subdomain"),
    (["summarize", "--export", "EXPORT", "--channel", "general", "--week", "2024-W18", "--domain", "a_b"],
     "is not a Slack workspace subdomain"),
])
def test_bad_arguments_are_one_clear_line(argv, needle, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = _export(tmp_path, {"2024-05-01.json": b"[]"})
    argv = [str(root) if a == "EXPORT" else a for a in argv]
    with pytest.raises(SystemExit) if "--bogus" in argv else _nothing():
        code = main(argv)
        assert code == 2
    assert needle in _one_line_error(capsys)


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_slack_at_start_up_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name, value in {"SLACK_BOT_TOKEN": "xoxb-bogus", "SLACK_SIGNING_SECRET": "s", "SLACK_APP_TOKEN": "",
                        "SLACK_API_URL": f"http://127.0.0.1:{_closed_port()}/api/",
                        "DATABASE_URL": f"sqlite:///{tmp_path}/r.sqlite3"}.items():
        monkeypatch.setenv(name, value)
    assert main(["run", "--http"]) == 2
    assert "could not reach Slack at start-up" in _one_line_error(capsys)


def test_a_database_that_cannot_be_opened_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name, value in {"SLACK_BOT_TOKEN": "xoxb-bogus", "SLACK_SIGNING_SECRET": "s", "SLACK_APP_TOKEN": "",
                        "DATABASE_URL": f"sqlite:///{tmp_path}/missing/dir/r.sqlite3"}.items():
        monkeypatch.setenv(name, value)
    assert main(["run", "--http"]) == 2
    assert "cannot open the database" in _one_line_error(capsys)


def test_settings_take_a_lower_case_log_level_and_an_empty_context_budget():
    from bot.config import load_settings
    from bot.errors import ConfigError

    settings = load_settings(env_file=None, log_level="debug", llm_context_tokens="")
    assert (settings.log_level, settings.llm_context_tokens) == ("DEBUG", None)
    with pytest.raises(ConfigError, match="LOG_LEVEL"):
        load_settings(env_file=None, log_level="loud")


def test_replies_an_export_lost_are_said_not_hidden(tmp_path, caplog):
    """A thread whose parent promises three replies, of which the export holds one (seen in the R Contributors
    export: 11 promised, none there): the thread is read from what there is, and a warning says what is missing."""
    day = json.dumps([
        {"type": "message", "user": "U1", "ts": "1714550400.000100", "text": "Who reviews the patch?",
         "thread_ts": "1714550400.000100", "reply_count": 3, "latest_reply": "1714550500.000100"},
        {"type": "message", "user": "U1", "ts": "1714550500.000100", "text": "I can, tomorrow.",
         "thread_ts": "1714550400.000100"},
    ])
    reader = ExportReader(_export(tmp_path, {"2024-05-01.json": day.encode()}))
    with caplog.at_level("WARNING", logger="bot.slack.export"):
        messages = reader.thread("C1", "1714550400.000100")
    assert [m.text for m in messages] == ["Who reviews the patch?", "I can, tomorrow."]
    assert "2 of the 3 replies of thread 1714550400.000100 in #general are not in the export" in caplog.text
