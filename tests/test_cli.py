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


def test_a_model_that_cannot_be_reached_is_one_line_on_stderr_not_a_traceback(tmp_path):
    """The real console entry point (its own logging, as a person runs it): the model's failure is one line, the
    labelled offline summary is printed; LOG_LEVEL=DEBUG still gives the traceback for whoever debugs it."""
    import os
    import socket
    import subprocess
    import sys

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "OPENAI_", "LLM_", "LOG_"))}
    env.update(LLM_PROVIDER="openai", OPENAI_API_KEY="k", OPENAI_BASE_URL=f"http://127.0.0.1:{port}/v1",
               LLM_MAX_RETRIES="0")
    run = [sys.executable, "-m", "bot", "summarize", "--sample"]
    done = subprocess.run(run, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "so these are sentences picked from the conversation" in done.stdout
    assert done.stderr.splitlines() == [line for line in done.stderr.splitlines() if line.startswith("recap: ")]
    assert "openai model failed" in done.stderr and "Traceback" not in done.stderr
    assert all(len(line) < 400 for line in done.stderr.splitlines())
    debug = subprocess.run(run, cwd=tmp_path, env={**env, "LOG_LEVEL": "DEBUG"}, capture_output=True, text=True,
                           timeout=120)
    assert "Traceback" in debug.stderr


def test_an_exports_links_use_the_domain_given(capsys, monkeypatch, tmp_path):
    """An export does not record its workspace's address: --domain sets it (it was guessed from the folder name)."""
    from bot.__main__ import SAMPLE_EXPORT

    monkeypatch.chdir(tmp_path)
    for key in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "LLM_PROVIDER"):
        monkeypatch.delenv(key, raising=False)
    argv = ["summarize", "--export", str(SAMPLE_EXPORT), "--channel", "launch", "--thread", "1763629200.000100"]
    assert main([*argv, "--domain", "https://acme.slack.com/"]) == 0
    out = capsys.readouterr().out
    assert "https://acme.slack.com/archives/C0LAUNCH/p" in out and "sample.slack.com" not in out
    assert main([*argv, "--domain", "not a domain"]) == 2
    err = capsys.readouterr().err
    assert "--domain" in err and len(err.strip().splitlines()) == 1
