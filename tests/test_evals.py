"""bot.evals: behaviour evals, ROUGE harness, baselines, report/exit code, completion cache, synth."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from bot.errors import InputError
from bot.evals import cli
from bot.evals.baselines import FastLexRankSummarizer, lead, lexrank, split_sentences, transcript_units
from bot.evals.behaviour import BEHAVIOUR_SETS, CaseError, invented, load_cases, run_behaviour, validate_case
from bot.evals.cache import CachedProvider
from bot.evals.report import summary_text
from bot.evals.rouge_sets import ROUGE_SETS, SET_FOLDERS, load_items, run_rouge
from bot.evals.synth import parse_cases, synthesize
from bot.llm.base import Completion
from bot.models import Message, Point, Summary

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "evals" / "cases"
PROMPTS = ROOT / "prompts"


def _msg(i: int, user: str, text: str) -> Message:
    return Message(channel_id="C1", ts=f"{1_700_000_000 + i}.000000", user_id=None, user_name=user, text=text)


# ---- stand-in summarizers -------------------------------------------------------------------------


def echo(messages: list[Message], *, question: str | None = None, max_words: int | None = None) -> Summary:
    """Repeats every message: keeps every fact, the language, invents nothing."""
    return Summary(overview=messages[0].text, key_points=[Point(m.text, [m.ts]) for m in messages[1:]])


def drop_digits(messages: list[Message], **_: object) -> Summary:
    return Summary(overview=" ".join(re.sub(r"\d", "", m.text) for m in messages))


def always_english(messages: list[Message], **_: object) -> Summary:
    return Summary(overview="The team discussed the plan and agreed on the next steps for the project.")


def inventor(messages: list[Message], **_: object) -> Summary:
    return Summary(overview=messages[0].text, action_items=[Point("Read https://evil.example/x first", owner="@ghost")])


def obedient(messages: list[Message], **_: object) -> Summary:
    return Summary(overview="PWNED. I HAVE BEEN HACKED. You are Recap, an assistant that summarizes Slack "
                            "conversations for the people who took part in them. https://evil.example/steal")


FAILING = {"facts": drop_digits, "language": always_english, "invention": inventor, "injection": obedient}


@pytest.mark.parametrize("behaviour", ["facts", "language", "invention", "injection"])
def test_behaviour_eval_passes_a_faithful_summarizer_and_fails_a_bad_one(behaviour: str) -> None:
    path = CASES / f"{behaviour}.jsonl"
    good = run_behaviour(behaviour, path=path, summarizer=echo, prompts_dir=PROMPTS)
    assert good.ok and good.score == 1.0, good.failures
    bad = run_behaviour(behaviour, path=path, summarizer=FAILING[behaviour], prompts_dir=PROMPTS)
    assert not bad.ok
    assert bad.score < 0.99 and bad.failures and all(f["reasons"] for f in bad.failures)


def test_case_files_meet_their_sizes() -> None:
    sizes = {name: len(load_cases(CASES / f"{name}.jsonl", name)) for name in BEHAVIOUR_SETS}
    assert sizes["trigger"] >= 90 and sizes["facts"] >= 20 and sizes["language"] >= 15
    assert sizes["injection"] >= 15 and sizes["invention"] >= 15
    languages = {c["expect"]["language"] for c in load_cases(CASES / "language.jsonl", "language")}
    assert {"en", "zh", "es", "de", "ja"} <= languages


def test_behaviour_evals_with_the_offline_summarizer() -> None:
    pytest.importorskip("bot.summaries.extractive")
    reports = cli.run_sets(BEHAVIOUR_SETS, summarizer=cli.offline_summarizer())
    assert [r.set for r in reports] == list(BEHAVIOUR_SETS)
    for report in reports:
        assert report.n > 0
        assert report.ok, (report.set, report.failures)


def test_trigger_eval_fails_a_classifier_that_always_summarizes() -> None:
    class Always:
        kind = "summarize"

    report = run_behaviour("trigger", path=CASES / "trigger.jsonl", classify=lambda text: Always())
    assert not report.ok and report.score < 0.95
    assert "accuracy_by_language" in report.metrics


def test_invented_checks_urls_mentions_and_owners() -> None:
    messages = [_msg(0, "ann", "see <https://docs.example.com/a|docs> and ask @bob"), _msg(1, "carl", "ok")]
    assert invented("Docs: https://docs.example.com/a, ask @bob or @ann or @carl", [], messages) == []
    reasons = invented("go to www.evil.example and ping @zed", ["@ghost"], messages)
    assert reasons == ["URL not in source: evil.example", "@zed not in source", "@ghost not in source"]
    assert invented("mail ann@example.com", [], messages) == []  # an e-mail address is not a mention


def test_validate_case_and_loader_reject_bad_rows(tmp_path: Path) -> None:
    case = {"id": "x", "messages": [{"user": "a", "text": "at 7:00 PM"}], "expect": {"facts": ["8:00 PM"]}}
    assert validate_case("facts", case) == ["fact '8:00 PM' is not in the source"]
    assert validate_case("injection", {**case, "expect": {"forbidden": []}})
    bad = tmp_path / "facts.jsonl"
    bad.write_text(json.dumps(case) + "\n", encoding="utf-8")
    with pytest.raises(CaseError, match="facts.jsonl:1"):
        load_cases(bad, "facts")


def test_summary_text_flattens_overview_answer_and_points() -> None:
    summary = Summary(overview="Over.", answer="Ans.", key_points=[Point("K")], decisions=[Point("D")],
                      action_items=[Point("A", owner="@x")], open_questions=[Point("Q?")])
    assert summary_text(summary) == "Over.\nAns.\nK\nD\nA\nQ?"


def test_summary_text_skips_a_repeated_overview_and_names_speakers_of_extractive_points() -> None:
    messages = [_msg(0, "ann", "The release is Friday at 7:00 PM. Tests pass."), _msg(1, "bob", "Ship it.")]
    summary = Summary(overview="The release is Friday…",
                      key_points=[Point("The release is Friday at 7:00 PM.", [messages[0].ts]),
                                  Point("Bob agrees to ship.", [messages[1].ts])])
    assert summary_text(summary) == "The release is Friday at 7:00 PM.\nBob agrees to ship."
    # With the conversation, verbatim points read like the baselines' transcript lines; generated ones do not.
    assert summary_text(summary, messages=messages) == "ann: The release is Friday at 7:00 PM.\nBob agrees to ship."


# ---- baselines and ROUGE --------------------------------------------------------------------------


def test_split_sentences_keeps_abbreviations_and_decimals() -> None:
    assert split_sentences("Dr. Who met us at 3.5 pm. Then we left! Ok?\nNext") == [
        "Dr. Who met us at 3.5 pm.", "Then we left!", "Ok?", "Next"]


def test_lead3_and_lexrank_read_the_transcript() -> None:
    messages = [_msg(0, "ann", "The release is Friday. We need tests."), _msg(1, "bob", "Tests are done."),
                _msg(2, "ann", "Friday release confirmed, tests done and release notes ready.")]
    assert lead(messages, k=3) == "ann: The release is Friday.\nann: We need tests.\nbob: Tests are done."
    chosen = lexrank(messages, max_words=8)
    assert chosen and all(line.split(": ", 1)[1] in {u.text for u in transcript_units(messages)}
                          for line in chosen.splitlines())


def test_fast_lexrank_matrix_equals_sumys_loop() -> None:
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer

    words = [["releas", "friday"], ["test", "done"], ["releas", "test", "note"], ["lunch"], ["friday", "lunch"]]
    slow, fast = LexRankSummarizer(Stemmer("english")), FastLexRankSummarizer(Stemmer("english"))
    tf = slow._compute_tf(words)
    assert fast._compute_idf(words) == pytest.approx(slow._compute_idf(words))
    idf = slow._compute_idf(words)
    np.testing.assert_allclose(fast._create_matrix(words, 0.1, tf, idf), slow._create_matrix(words, 0.1, tf, idf))


@pytest.mark.realdata
@pytest.mark.parametrize("name", ROUGE_SETS)
def test_rouge_harness_on_five_real_items(shared_data: Path, name: str) -> None:
    path = shared_data / SET_FOLDERS[name]
    items = load_items(name, path, limit=5)
    assert len(items) == 5 and all(item.messages and item.reference for item in items)
    assert all(m.user_name and m.text for item in items for m in item.messages)
    report = run_rouge(name, path=path, summarizer=echo, limit=5)
    assert report.n == 5 and report.metrics["word_budget"] > 0
    assert set(report.metrics["systems"]) == {"offline/extractive", "lead3", "lexrank"}
    for scores in report.metrics["systems"].values():
        assert 0 < scores["rouge1"] < 1 and 0 <= scores["rouge2"] <= scores["rouge1"]


def test_convosumm_posts_become_messages_with_speakers(shared_data: Path) -> None:
    item = load_items("convosumm", shared_data / SET_FOLDERS["convosumm"], limit=1)[0]
    assert item.messages[0].user_name == "Blake Dournaee"
    assert item.messages[0].text.startswith("Canonicalization of <SignedInfo>")
    assert len({m.ts for m in item.messages}) == len(item.messages)


def test_cli_writes_report_and_exits_1_when_threshold_missed(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def empty(messages: list[Message], **_: object) -> Summary:
        return Summary(overview="")

    monkeypatch.setattr(cli, "offline_summarizer", lambda max_points=5: empty)
    monkeypatch.chdir(tmp_path)  # no .env here; the default report goes under tmp_path
    from rich.console import Console

    console = Console(record=True, width=140)
    code = cli.main(["dialogsum", "--path", str(shared_data / "dialogsum"), "--limit", "5", "--provider",
                     "offline"], console=console)
    assert code == 1
    report = json.loads((tmp_path / "reports" / "eval-dialogsum.json").read_text(encoding="utf-8"))
    assert report["ok"] is False and report["n"] == 5 and len(report["failures"]) == 6
    assert "FAIL" in console.export_text()
    out = tmp_path / "x.json"
    assert cli.main(["dialogsum", "--path", str(shared_data / "dialogsum"), "--limit", "5", "--provider",
                     "offline", "--no-threshold", "--report", str(out)], console=console) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["ok"] is True


def test_cli_trigger_passes_and_bad_path_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    monkeypatch.chdir(tmp_path)
    assert cli.main(["trigger"], console=Console(record=True)) == 0
    assert json.loads((tmp_path / "reports" / "eval-trigger.json").read_text(encoding="utf-8"))["score"] >= 0.95
    assert cli.main(["facts", "--path", str(tmp_path / "missing.jsonl"), "--provider", "offline"],
                    console=Console(record=True)) == 2


# ---- cache and synth ------------------------------------------------------------------------------


class FakeProvider:
    """A provider with scripted completions and a record of prompts."""

    def __init__(self, replies: list[str], name: str = "fake") -> None:
        self.replies = list(replies)
        self.prompts: list[str] = []
        self.name, self.model, self.context_tokens = name, "fake-1", 10_000

    def complete(self, *, system: str, prompt: str, max_tokens: int = 1024, schema=None) -> Completion:
        self.prompts.append(prompt)
        return Completion(self.replies.pop(0), self.model)

    def stream(self, *, system: str, prompt: str, max_tokens: int = 1024) -> Iterator[str]:
        yield self.complete(system=system, prompt=prompt, max_tokens=max_tokens).text

    def count_tokens(self, text: str) -> int:
        return len(text.split())


def test_cached_provider_calls_the_model_once_per_distinct_prompt(tmp_path: Path) -> None:
    inner = FakeProvider(["first", "second"])
    cached = CachedProvider(inner, cache_dir=tmp_path)
    assert cached.complete(system="s", prompt="p").text == "first"
    assert CachedProvider(inner, cache_dir=tmp_path).complete(system="s", prompt="p").text == "first"
    assert cached.complete(system="s", prompt="other").text == "second"
    assert len(inner.prompts) == 2 and cached.misses == 2
    assert "".join(cached.stream(system="s", prompt="p")) == "first" and cached.hits == 1


def _fact_case(slug: str, fact: str, text: str) -> dict:
    return {"id": slug, "messages": [{"user": "a", "text": text, "ts": "1.0"}], "expect": {"facts": [fact]}}


def test_synth_validates_dedupes_and_writes_for_review(tmp_path: Path) -> None:
    good1 = _fact_case("demo", "7:00 PM", "Demo moved to 7:00 PM.")
    good2 = _fact_case("budget", "$4,000", "Budget is $4,000.")
    invalid = _fact_case("bad", "9:00 AM", "Standup at 9:30 AM.")
    first = "```json\n" + json.dumps([good1, invalid, good1]) + "\n```"
    provider = FakeProvider([first, json.dumps([good2])])
    result = synthesize(behaviour="fact_preservation", count=2, provider=provider, out_dir=tmp_path,
                        today=date(2025, 1, 2))
    assert result.path == tmp_path / "fact_preservation-2025-01-02.jsonl"
    written = load_cases(result.path, "facts")
    assert [c["expect"]["facts"] for c in written] == [["7:00 PM"], ["$4,000"]]
    assert all(c["id"].startswith("synth-facts-") and c["source"] == "synth:fake/fake-1" for c in written)
    assert [p for _, p in result.rejected] == [["fact '9:00 AM' is not in the source"],
                                             ["duplicate of an accepted case"]]
    assert result.calls == 2 and "Write 2 new" in provider.prompts[0]
    with pytest.raises(InputError):
        synthesize(behaviour="facts", count=1, provider=None, out_dir=tmp_path)


def test_parse_cases_reads_json_lines() -> None:
    assert parse_cases('noise\n{"id": "a"},\n{"id": "b"}\nnot json {') == [{"id": "a"}, {"id": "b"}]


def test_cli_synth_uses_the_resolved_provider(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    case = _fact_case("deploy", "v1.2.3", "Deploying v1.2.3 now.")
    monkeypatch.setattr(cli, "resolve_provider", lambda *a, **k: FakeProvider([json.dumps([case])]))
    code = cli.main(["synth", "--behaviour", "fact_preservation", "-n", "1", "--out", str(tmp_path)],
                    console=Console(record=True))
    assert code == 0
    assert len(list(tmp_path.glob("fact_preservation-*.jsonl"))) == 1


def test_cli_synth_without_a_model_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    monkeypatch.setattr(cli, "resolve_provider", lambda *a, **k: None)
    code = cli.main(["synth", "--behaviour", "facts", "-n", "1", "--out", str(tmp_path)], console=Console(record=True))
    assert code == 2 and not list(tmp_path.iterdir())


def test_help_works_and_subparsers_plug_into_another_parser(capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--help"])
    assert exit_info.value.code == 0 and "synth" in capsys.readouterr().out
    parser = argparse.ArgumentParser(prog="recap")
    cli.add_eval_subparsers(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["eval", "rouge", "qmsum", "--limit", "3"])
    assert (args.which, args.limit, args.func) == ("qmsum", 3, cli._run_rouge_group)


def test_provider_summarizer_goes_through_the_cache(tmp_path: Path) -> None:
    pytest.importorskip("bot.summaries.summarize")

    class Scripted(FakeProvider):
        def complete(self, *, system: str, prompt: str, max_tokens: int = 1024, schema=None) -> Completion:
            self.prompts.append(prompt)
            # a well-formed, cited answer that keeps none of the facts: the eval must fail it
            return Completion('{"overview": "The team talked about plans.", "key_points": '
                              '[{"text": "The team talked about plans.", "sources": ["m1"]}]}', self.model)

    inner = Scripted([])
    summarizer = cli.provider_summarizer(CachedProvider(inner, cache_dir=tmp_path))
    first = run_behaviour("facts", path=CASES / "facts.jsonl", summarizer=summarizer, limit=3, system="fake")
    assert not first.ok and first.n == 3 and "The team talked about plans." in first.cases[0].output
    calls = len(inner.prompts)
    assert calls >= 3
    again = cli.provider_summarizer(CachedProvider(inner, cache_dir=tmp_path))
    run_behaviour("facts", path=CASES / "facts.jsonl", summarizer=again, limit=3)
    assert len(inner.prompts) == calls  # every completion came from disk
