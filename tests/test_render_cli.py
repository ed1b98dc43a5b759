"""`recap summarize --format json`: the structured summary for other tools, read from the real sample export."""

from __future__ import annotations

import json

from bot.__main__ import main


def _offline(monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env, no database file in the repo
    for key in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL", "LLM_PROVIDER"):
        monkeypatch.delenv(key, raising=False)


def test_summarize_json_prints_sections_points_citations_and_provider(capsys, monkeypatch, tmp_path):
    _offline(monkeypatch, tmp_path)
    assert main(["summarize", "--sample", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["provider"], data["model"], data["offline"], data["fallback_reason"]) == (
        "offline", "extractive", True, None)
    assert set(data["sections"]) == {"key_points", "decisions", "action_items", "open_questions"}
    points = [data["outcome"], *(p for section in data["sections"].values() for p in section)]
    assert data["outcome"] is not None and data["message_count"] > 0
    links = {c["number"]: c for c in data["citations"]}
    assert sorted(links) == list(range(1, len(links) + 1))  # numbered 1..n, no gaps
    for point in points:
        assert point["text"] and point["ts"] and point["citations"] and point["author"]  # quotes name their author
        for number, ts in zip(point["citations"], point["ts"], strict=True):
            assert links[number]["ts"] == ts
            assert links[number]["permalink"].startswith("https://recap-sample.slack.com/archives/C0LAUNCH/p")
    owners = [p["owner"] for p in data["sections"]["action_items"]]
    assert "@raj" in owners
    assert any("7:00 PM UTC" in p["text"] for p in points)
    assert all("Build #4412" not in p["text"] for p in points)  # a bot's message is never a point


def test_summarize_json_of_a_question_has_the_answer(capsys, monkeypatch, tmp_path):
    _offline(monkeypatch, tmp_path)
    assert main(["summarize", "--sample", "--question", "when do we ship?", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "Dec 3" in data["answer"]
    sources = data["answer_sources"]  # the messages the answer quotes, numbered first as it is shown first
    assert sources["ts"] and sources["citations"][0] == 1
    quoted = [p for p in data["sections"]["key_points"] if p["text"] in data["answer"]]
    assert quoted and {ts for p in quoted for ts in p["ts"]} == set(sources["ts"])
    links = {c["number"]: c["ts"] for c in data["citations"]}
    assert [links[n] for n in sources["citations"]] == sources["ts"]


def test_an_unknown_format_is_one_clear_line(capsys, monkeypatch, tmp_path):
    _offline(monkeypatch, tmp_path)
    try:
        code = main(["summarize", "--sample", "--format", "yaml"])
    except SystemExit as exc:  # argparse exits 2 on a bad choice
        code = int(exc.code or 0)
    assert code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'yaml'" in err and "json" in err and "Traceback" not in err
