"""``recap eval headlines``: labelled real channel-weeks, their main event, and the digest headline scored on them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from bot.evals.cli import HEADLINES_ROWS, main
from bot.evals.headlines import FLOORS, HeadlineRow, _Counts, _metrics, _score, load_rows
from bot.models import Message


def test_the_labelled_weeks_are_readable_and_split_in_halves() -> None:
    rows = load_rows(HEADLINES_ROWS)
    assert len(rows) >= 60 and {r.split for r in rows} == {"tune", "check"}
    assert abs(sum(r.split == "tune" for r in rows) - sum(r.split == "check" for r in rows)) <= 1
    assert all(r.main_event and r.event and r.kind for r in rows)
    assert len({r.id for r in rows}) == len(rows)


def test_a_row_without_its_main_event_is_refused(tmp_path: Path) -> None:
    row = json.loads(HEADLINES_ROWS.read_text(encoding="utf-8").splitlines()[0]) | {"main_event": []}
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="main_event"):
        load_rows(path)
    assert main(["headlines", "--path", str(path)]) == 2


def test_scorer_tells_the_main_event_an_acceptable_one_and_the_right_thread() -> None:
    row = HeadlineRow("w", "rcontrib", "general", "C1", "2023-W01", "check", ("2",), ("3",), "release", "release")
    messages = [Message("C1", "1", "U1", "a", "parent", thread_ts="1", reply_count=2),
                Message("C1", "2", "U2", "b", "the release is out", thread_ts="1"),
                Message("C1", "3", "U3", "c", "notes are up", thread_ts="1"), Message("C1", "4", "U1", "a", "lunch?")]
    counts = _Counts()
    assert _score({"2"}, row, messages, counts) == []
    assert _score({"3"}, row, messages, counts) == []
    assert _score({"1"}, row, messages, counts)  # the right thread, not an accepted headline
    assert _score({"4"}, row, messages, counts)
    assert _score(set(), row, messages, counts) == ["the headline cites no message"]
    metrics = _metrics(counts)
    assert metrics["headline_right"] == 0.2 and metrics["headline_acceptable"] == 0.4
    assert metrics["right_thread"] == 0.6 and metrics["no_headline"] == 1


@pytest.mark.evals_e2e
def test_eval_headlines_end_to_end_on_real_weeks(shared_data: Path, tmp_path: Path) -> None:
    console = Console(record=True, width=140)
    report = tmp_path / "headlines.json"
    assert main(["headlines", "--provider", "offline", "--data", str(shared_data), "--report", str(report),
                 "--cases", "check"], console=console) == 0  # no regression below the floors on the check half
    data = json.loads(report.read_text(encoding="utf-8"))
    data = data["reports"][0] if "reports" in data else data
    check = data["metrics"]["splits"]["check"]
    assert data["kind"] == "headlines" and check["weeks"] >= 30
    assert all(check[key] >= floor for key, floor in FLOORS.items())
    assert "headline is the main event" in console.export_text()
