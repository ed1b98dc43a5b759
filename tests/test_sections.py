"""`recap eval sections` (labelled real threads) and the structure rules of the offline summarizer."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from bot.evals.cli import SECTIONS_ROWS, main
from bot.evals.sections import (
    FLOORS,
    LABELS,
    SectionRow,
    _Counts,
    _metrics,
    _score_thread,
    load_rows,
    split_of,
)
from bot.models import Message, Point, Summary
from bot.summaries.extractive import summarize_offline
from bot.summaries.structure import Conversation, action_items, is_noise, open_questions, outcome


def _m(ts: str, user: str, text: str) -> Message:
    return Message("C1", ts, f"U{user}", user, text, thread_ts="1.0")


# ------------------------------------------------------------------ the labelled set


def test_rows_are_half_tune_half_check_by_the_hash_rule() -> None:
    rows = load_rows(SECTIONS_ROWS)
    assert len(rows) >= 40
    halves = Counter(r.split for r in rows)
    assert halves["check"] >= 20 and halves["tune"] >= 20  # both halves hold enough threads to mean something
    assert all(r.split == split_of(r.source, r.channel_id, r.thread_ts) for r in rows)
    assert all(r.labels["outcome"] for r in rows)  # every thread says where it ended
    raw = [json.loads(line) for line in SECTIONS_ROWS.read_text(encoding="utf-8").splitlines()]
    assert all(row["about"] and row["ended"] and 5 <= row["messages"] <= 60 for row in raw)
    assert all(item["owner"] for row in raw for item in row["action_items"] + row["done_tasks"])


def test_a_row_moved_to_the_other_half_is_refused(tmp_path: Path) -> None:
    row = json.loads(SECTIONS_ROWS.read_text(encoding="utf-8").splitlines()[0])
    row["split"] = "check" if row["split"] == "tune" else "tune"
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="split"):
        load_rows(path)
    assert main(["sections", "--path", str(path)]) == 2


def test_scorer_counts_precision_recall_noise_and_owners() -> None:
    labels = {key: frozenset() for key in LABELS} | {
        "outcome": frozenset({"5"}), "decisions": frozenset({"3"}), "action_items": frozenset({"4"}),
        "done_tasks": frozenset({"2"}), "answered_questions": frozenset({"1"}), "open_questions": frozenset({"6"}),
        "noise": frozenset({"7"}),
    }
    row = SectionRow("t", "rcontrib", "C1", "1", "check", labels, {"4": "Michael Chirico (he/him)"})
    summary = Summary(
        overview="x", outcome=Point("ended", ["5"]),
        key_points=[Point("thanks!", ["7"])],
        decisions=[Point("we agreed", ["3"]), Point("a status update", ["2"])],
        action_items=[Point("rename the page", ["4"], owner="@Michael Chirico (he/him)"), Point("send it", ["2"], owner="@x")],
        open_questions=[Point("asked and answered?", ["1"])],
    )
    counts = _Counts()
    wrong = _score_thread(summary, row, counts)
    metrics = _metrics(counts)
    assert metrics["decisions_precision"] == 0.5 and metrics["decisions_recall"] == 1.0
    assert metrics["action_items_precision"] == 0.5 and metrics["owner_accuracy"] == 1.0
    assert metrics["open_questions_precision"] == 0.0 and metrics["open_questions_recall"] == 0.0
    assert metrics["answered_as_open"] == 1.0 and metrics["done_as_open"] == 0.5
    assert metrics["outcome_recall"] == 1.0 and metrics["noise_rate"] == round(1 / 7, 4)
    assert any("noise" in line for line in wrong) and not any("outcome" in line for line in wrong)


@pytest.mark.evals_e2e
def test_eval_sections_end_to_end_on_real_threads(shared_data: Path, tmp_path: Path) -> None:
    console = Console(record=True, width=140)
    report = tmp_path / "sections.json"
    assert main(["sections", "--provider", "offline", "--data", str(shared_data), "--report", str(report)],
                console=console) == 0  # no regression below the floors on the check half
    data = json.loads(report.read_text(encoding="utf-8"))
    check = data["metrics"]["splits"]["check"]
    assert data["kind"] == "sections" and data["n"] >= 40 and check["threads"] >= 20
    assert all(check[key] >= floor for key, floor in FLOORS.items())
    assert len(data["cases"]) == data["n"]
    printed = console.export_text()
    assert "outcome cited" in printed and "check (" in printed


# ------------------------------------------------------------------ structure rules


@pytest.mark.parametrize(
    ("sentence", "noise"),
    [
        ("Thanks @Heather Turner!", True),
        ("Hi everyone", True),
        ('"current_user" = "josiah@parry.com"', True),
        ("./src/library/stats/po/lt.po:947", True),
        ("Join the meeting at https://zoom.us/j/123", True),
        ("@Benoît Richard That makes sense", True),
        ("No worries haha, it's my own fault", True),
        ("[file: image.png]", True),
        ("Done", False),
        ("The regularization term is a constant, so it never changes the gradient.", False),
    ],
)
def test_noise(sentence: str, noise: bool) -> None:
    assert is_noise(sentence) is noise


def test_a_question_answered_by_the_next_reply_is_not_open() -> None:
    conv = Conversation([_m("1.0", "ann", "Did you switch the cron job to six times a day?"),
                         _m("2.0", "ben", "Switched to six times a day.")])
    assert open_questions(conv) == []


def test_the_askers_last_word_without_success_leaves_the_opening_question_open() -> None:
    conv = Conversation([_m("1.0", "ann", "Why does the pkg prompt show (bin) instead of the version?"),
                         _m("2.0", "ben", "You might have a JULIA_PROJECT variable set somewhere."),
                         _m("3.0", "ann", "ENV says the key JULIA_PROJECT is not found.")])
    assert [item.messages for item in open_questions(conv)] == [(0,)]
    conv = Conversation([*conv.messages, _m("4.0", "ann", "Reinstalling fixed it, thanks!")])
    assert open_questions(conv) == []


def test_action_items_owner_done_and_conditionals() -> None:
    conv = Conversation([
        _m("1.0", "Debartha Paul", "The guide still points to RTools42 paths."),
        _m("2.0", "Heather Turner", "It would be good to also contact the web maintainer about that."),
        _m("3.0", "Debartha Paul", "Ok, I will do that also..."),
        _m("4.0", "Michael Chirico", "@Debartha Paul can you send a PR with the new paths please"),
        _m("5.0", "Debartha Paul", "I made this PR #137 with the paths."),
        _m("6.0", "Heather Turner", "You can skip chapter 7 if you need to save some time."),
    ])
    items = action_items(conv)
    assert [(item.messages, item.owner) for item in items] == [((1,), "Debartha Paul")]  # the PR was done


def test_outcome_is_where_the_thread_ended_and_is_cited_first_in_conversation() -> None:
    messages = [
        _m("1.0", "Elio", "CRAN rejects the non-ASCII characters in my package data, anything to do?"),
        _m("2.0", "Michal", "Where in the package? For most places you can declare the Encoding field."),
        _m("3.0", "Elio", "Using just the encoding declaration worked for the data files."),
        _m("4.0", "Heather", "Glad you got it working!"),
    ]
    ended = outcome(Conversation(messages))
    # the answer and the asker's report that it worked, in the asker's words; not "Glad you got it working!"
    assert ended is not None and ended.messages == (1, 2)
    assert ended.text == "Using just the encoding declaration worked for the data files."
    summary = summarize_offline(messages)
    assert summary.outcome is not None and summary.outcome.source_ts == ["3.0", "2.0"]  # the quoted message first
    assert summary.all_points()[0] is summary.outcome and "3.0" not in {t for p in summary.key_points for t in p.source_ts}
    assert not any("Glad you got it" in p.text for p in summary.all_points())
    from bot.summaries.render import to_markdown

    shown = to_markdown(summary, permalink_for=lambda ts: f"https://x/{ts}", author_for={m.ts: m.user_name for m in messages}.get)
    assert "Where it ended:** Elio: Using just the encoding declaration" in shown  # who said it, though two are cited


def _fake_section_model(request: Any) -> str:
    """A stand-in model for the sections eval: reads the transcript's ``mN author: text`` lines and answers the
    summary JSON, the last message as where it ended and every message ending in "?" as an open question."""
    lines = [line for line in request.prompt.splitlines() if re.match(r"^m\d+ ", line)]
    ids = [line.split(" ", 1)[0] for line in lines]
    asked = [i for i, line in zip(ids, lines, strict=True) if line.rstrip().endswith("?")]
    return json.dumps({"overview": "A thread.", "outcome": {"text": "It ended here.", "sources": [ids[-1]]},
                       "key_points": [{"text": "It opened so.", "sources": [ids[0]]}], "decisions": [],
                       "action_items": [], "open_questions": [{"text": "Asked.", "sources": [i]} for i in asked[:3]]})


@pytest.mark.evals_e2e
def test_eval_sections_scores_a_model_on_the_same_labels(shared_data: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """``recap eval sections --provider openai``: each labelled thread goes through the model path (the OpenAI SDK
    against the fake), and the model's cited messages are scored by the same rules as the offline summarizer's."""
    from tests.fakellm import FakeLLM, point_openai_at

    with FakeLLM() as llm:
        llm.handler = _fake_section_model
        point_openai_at(llm, monkeypatch, tmp_path)
        report = tmp_path / "sections.json"
        code = main(["sections", "--provider", "openai", "--limit", "6", "--data", str(shared_data), "--report",
                     str(report), "--cache-dir", str(tmp_path / "cache"), "--no-threshold"], console=Console(width=140))
        assert code == 0
        data = json.loads(report.read_text(encoding="utf-8"))
        assert data["system"].startswith("openai/") and data["n"] == 6
        assert len([r for r in llm.requests if "<transcript>" in r.prompt]) >= 6  # one call a thread at least
        counted = [data["metrics"]["splits"][half] for half in ("tune", "check") if data["metrics"]["splits"][half]["threads"]]
        # the model's "where it ended" is the last message: scored against each thread's labelled outcome
        assert sum(half["threads"] for half in counted) == 6
        assert all(half["outcome_recall"] is not None for half in counted)
        assert any(half["open_questions_points"] > 0 for half in counted)  # its open questions were read and scored
