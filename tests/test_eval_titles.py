"""The titles eval: the labelled set's shape, the checks, the offline pass and a broken generator's fail."""

from __future__ import annotations

import json
import socket

import pytest

from bot.evals.titles import (
    DEFAULT_CASES,
    check_property,
    load_cases,
    main,
    on_topic,
    run_eval,
)


@pytest.fixture(scope="module")
def cases() -> list[dict]:
    return load_cases(DEFAULT_CASES)


def test_cases_cover_at_least_twelve_distinct_styles(cases: list[dict]) -> None:
    assert len(cases) >= 12
    assert len({c["user"] for c in cases}) == len(cases)
    for case in cases:
        assert len(case["past"]) == 5 and all(p["messages"] and p["title"] for p in case["past"])
        assert len(case["new"]) >= 3
        for new in case["new"]:
            assert new["topic"] and new["expect"]
            for name, value in new["expect"].items():
                check_property(name, value, "x")  # raises on a misspelt property
    languages = {new["expect"].get("language") for c in cases for new in c["new"]}
    assert {"zh", "ja", "de", "en"} <= languages


@pytest.mark.parametrize(
    ("name", "expected", "title", "ok"),
    [
        ("casing", "lower", "redis cache evicting", True),
        ("casing", "lower", "Redis cache", False),
        ("casing", "upper", "SCANNER APP", True),
        ("casing", "title", "Security Training Status", True),
        ("casing", "title", "Security training status", False),
        ("casing", "sentence", "Security training status", True),
        ("max_words", 4, "one two three four five", False),
        ("max_words", 3, "数据库迁移", True),
        ("min_words", 7, "too short", False),
        ("emoji", True, "🎨 Logo drafts", True),
        ("emoji", False, "🎨 Logo drafts", False),
        ("ends_with", "?", "why did export fail？", True),
        ("ends_with", "", "Launch went great!", False),
        ("ends_with", "!", "Launch went great! 🎉", True),
        ("language", "zh", "数据库迁移", True),
        ("language", "zh", "本番環境のデプロイ", False),
        ("language", "ja", "本番環境のデプロイ", True),
        ("language", "de", "Rechnungen doppelt", True),
        ("language", "de", "数据库", False),
        ("bracket", True, "[ldap] sync drops names", True),
        ("bracket", True, "ldap sync", False),
        ("joiner", "_", "kafka_consumer_lag", True),
        ("joiner", "_", "kafka consumer lag", False),
        ("separator", ": ", "Newsletter: signups dropped", True),
    ],
)
def test_check_property(name: str, expected: object, title: str, ok: bool) -> None:
    assert check_property(name, expected, title) is ok


def test_on_topic_needs_a_conversation_keyword() -> None:
    assert on_topic("kafka_consumer_lag", ["consumer"])
    assert on_topic("数据库迁移", ["迁移"])
    assert not on_topic("Quarterly Budget Review", ["kafka", "consumer"])


def test_offline_eval_passes(cases: list[dict]) -> None:
    report = run_eval(cases)
    assert report.pass_rate >= 0.95, [r for r in report.results if not r.passed]
    assert report.passed and report.provider == "offline"
    assert set(report.by_property()) >= {"casing", "emoji", "language", "on_topic", "max_words"}


def test_broken_generators_fail(cases: list[dict]) -> None:
    # A fixed, well-formed title: right shape for some users, never on topic.
    constant = run_eval(cases, generate=lambda past, texts, provider: "Quarterly budget review")
    assert not constant.passed and constant.by_property()["on_topic"]["rate"] == 0.0
    # On topic but style-blind: the conversation's first words, as typed.
    style_blind = run_eval(cases, generate=lambda past, texts, provider: texts[0])
    assert not style_blind.passed and style_blind.pass_rate < 0.5
    # A crashing generator fails its titles instead of stopping the eval.
    crash = run_eval(cases[:1], generate=lambda past, texts, provider: 1 / 0)
    assert crash.pass_rate == 0.0 and "<error" in crash.results[0].title


def test_main_writes_report_and_exit_code(tmp_path) -> None:
    report_path = tmp_path / "eval-titles.json"
    assert main(["--offline", "--report", str(report_path)]) == 0
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["passed"] and report["titles"] >= 36 and report["by_property"]["on_topic"]["rate"] >= 0.95
    # The same run judged against an impossible bar exits 1.
    assert main(["--offline", "--report", str(report_path), "--threshold", "1.01"]) == 1


def test_unreachable_model_falls_back_labelled(tmp_path, monkeypatch, cases: list[dict]) -> None:
    # An OpenAI key and a base URL on a closed localhost port: every model call fails fast.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.chdir(tmp_path)  # no .env
    for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LLM_PROVIDER", "openai")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("LLM_MAX_RETRIES", "0")
    monkeypatch.setenv("LLM_TIMEOUT", "5")
    cases_path = tmp_path / "cases.jsonl"
    cases_path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in cases[:2]), encoding="utf-8")
    report_path = tmp_path / "eval-titles.json"

    assert main(["--cases", str(cases_path), "--report", str(report_path)]) == 0
    report = json.loads(report_path.read_text(encoding="utf-8"))
    titles = sum(len(c["new"]) for c in cases[:2])
    assert report["provider"] == "openai" and report["titles"] == titles
    # a style description and a title per new conversation: all failed, all counted
    assert report["model_calls"] == report["model_failures"] == 2 * titles
    assert report["fallback_reason"]
    # the fallback is the offline titling, title for title
    offline = run_eval(cases[:2])
    assert [r["title"] for r in report["results"]] == [r.title for r in offline.results]


def _fake_title_model(request) -> str:
    """A model for the titles eval: a style line for the style prompt; for a title, the first words of
    the conversation it was given (as a model that titles by the opening would)."""
    if "<titles>" in request.prompt:
        return "terse, lowercase, no punctuation"
    opening = request.prompt.split("<conversation>", 1)[1].split("</conversation>", 1)[0]
    first = opening.strip().lstrip("- ").splitlines()[0]
    return " ".join(first.split()[:6])


def test_eval_runs_with_a_key_set(tmp_path, monkeypatch, cases: list[dict]) -> None:
    """``recap eval titles`` with OPENAI_API_KEY set: every style description and title goes through the
    model (the OpenAI SDK against the fake), none falls back, and the report names the provider."""
    from tests.fakellm import FakeLLM, point_openai_at

    with FakeLLM() as llm:
        llm.handler = _fake_title_model
        point_openai_at(llm, monkeypatch, tmp_path)
        cases_path = tmp_path / "cases.jsonl"
        cases_path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in cases[:4]), encoding="utf-8")
        report_path = tmp_path / "eval-titles.json"
        code = main(["--cases", str(cases_path), "--report", str(report_path)])
        report = json.loads(report_path.read_text(encoding="utf-8"))
        titles = sum(len(c["new"]) for c in cases[:4])
        assert report["provider"] == "openai" and report["titles"] == titles
        assert report["model_calls"] == 2 * titles and report["model_failures"] == 0 and not report["fallback_reason"]
        title_requests = [r for r in llm.requests if "<conversation>" in r.prompt]
        assert len(title_requests) == titles and all(r.body["max_tokens"] == 60 for r in title_requests)
        assert all(r["title"] and not r["title"].startswith("<error") for r in report["results"])
        assert code == (0 if report["passed"] else 1)
        assert report["by_property"]["on_topic"]["rate"] >= 0.8  # the model's draft, finished in the user's style
