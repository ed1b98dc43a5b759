"""The command line: the sample, real exports, and clear errors (exit 2, no traceback)."""

from __future__ import annotations

import pytest

from bot.__main__ import main


def test_sample_summary_is_offline_and_cited(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env, no database file in the repo
    for key in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL", "LLM_PROVIDER"):
        monkeypatch.delenv(key, raising=False)
    assert main(["summarize", "--sample"]) == 0
    out = capsys.readouterr().out
    assert "Wednesday Dec 3 at 7:00 PM UTC" in out
    assert "https://recap-sample.slack.com/archives/C0LAUNCH/p" in out
    assert "Offline summary" in out
    assert "Build #4412" not in out  # bot message never quoted


def test_sample_question(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert main(["summarize", "--sample", "--question", "when do we ship?", "--format", "mrkdwn"]) == 0
    assert "Dec 3" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["summarize"], "--export"),
        (["summarize", "--export", "/nonexistent/export", "--channel", "x", "--week", "2021-W10"], "nonexistent"),
        (["summarize", "--sample", "--week", "2021-W99"], "ISO week"),
    ],
)
def test_errors_are_one_clear_line(argv, needle, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err


def test_real_export_week(shared_data, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    code = main(["summarize", "--export", str(shared_data / "slack-export-rcontrib"), "--channel", "r-project-sprint",
                 "--week", "2023-W35"])
    assert code == 0
    out = capsys.readouterr().out
    assert out.count("https://") >= 3
