"""ROUGE on what users see: the paired bootstrap, the rendered text, the length-matched lead, the report."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.evals.baselines import lead_words
from bot.evals.report import EvalReport, print_table, visible_markdown
from bot.evals.rouge_sets import (
    LEAD_MATCHED,
    RENDERED,
    ROUGE_SETS,
    SET_FOLDERS,
    criteria_met,
    paired_bootstrap,
    rendered_text,
    run_rouge,
)
from bot.models import Message, Point, Summary


def _msg(i: int, user: str, text: str) -> Message:
    return Message(channel_id="C1", ts=f"{1_700_000_000 + i}.000000", user_id=None, user_name=user, text=text)


def test_bootstrap_interval_is_above_zero_only_for_a_real_difference() -> None:
    rng = np.random.default_rng(1)
    baseline = rng.uniform(0.1, 0.4, 300)
    better = baseline + 0.02 + rng.normal(0, 0.01, 300)
    same = baseline + rng.normal(0, 0.05, 300)
    up = paired_bootstrap(better, baseline)
    assert up["low"] > 0 and up["low"] <= up["mean"] <= up["high"] and up["mean"] == pytest.approx(0.02, abs=0.003)
    noise = paired_bootstrap(same, baseline)
    assert noise["low"] < 0 < noise["high"]
    assert paired_bootstrap(better, baseline) == up  # seeded: the same items give the same interval
    assert paired_bootstrap([], []) == {"mean": 0.0, "low": 0.0, "high": 0.0}
    with pytest.raises(ValueError, match="differ in length"):
        paired_bootstrap([0.1, 0.2], [0.1])


def test_rendered_text_is_what_a_reader_sees() -> None:
    messages = [_msg(0, "maya", "We ship v2.4 on Wednesday."), _msg(1, "raj", "I'll fix the tests.")]
    summary = Summary(overview="Release.", outcome=Point("We ship v2.4 on Wednesday.", [messages[0].ts]),
                      action_items=[Point("I'll fix the tests.", [messages[1].ts], owner="@raj")], message_count=2)
    text = rendered_text(summary, messages)
    assert "https://" not in text and "](" not in text
    assert "**Where it ended:** maya: We ship v2.4 on Wednesday. [1]" in text
    assert "• raj: I'll fix the tests. — owner: **@raj** [2]" in text
    assert "## Action items" in text and "Offline summary" in text
    assert visible_markdown("see [docs](https://x.example/a_b) and [[12]](https://y.example/p1?a=1&b=2)") == (
        "see docs and [12]")


def test_length_matched_lead_takes_the_first_n_words_of_the_transcript() -> None:
    messages = [_msg(0, "ann", "One two three. Four five."), _msg(1, "bob", "Six seven eight.")]
    assert lead_words(messages, words=4) == "ann: One two three."
    assert lead_words(messages, words=6) == "ann: One two three.\nann: Four"
    assert lead_words(messages, words=100).split() == "ann: One two three. ann: Four five. bob: Six seven eight.".split()
    assert lead_words(messages, words=0) == ""


@pytest.mark.realdata
@pytest.mark.parametrize("name", ROUGE_SETS)
def test_rouge_report_has_intervals_rendered_scores_and_halves(shared_data: Path, name: str) -> None:
    from tests.test_evals import echo

    report = run_rouge(name, path=shared_data / SET_FOLDERS[name], summarizer=echo, limit=6, resamples=200)
    differences = report.metrics["differences"]
    assert set(differences) == {"offline/extractive - lead3", "offline/extractive - lexrank"}
    for by_metric in [*differences.values(), *report.metrics["rendered"]["differences"].values()]:
        for d in by_metric.values():
            assert d["low"] <= d["mean"] <= d["high"]
    rendered = report.metrics["rendered"]
    assert set(rendered["systems"]) == {RENDERED, LEAD_MATCHED} and rendered["mean_words"] > 0
    words = report.metrics["mean_output_words"]
    assert 0 < words[LEAD_MATCHED] <= words[RENDERED]  # length-matched (shorter only when the thread is)
    assert report.metrics["halves"]["tune"]["n"] == 3 and report.metrics["halves"]["check"]["n"] == 3
    assert all(" not above zero" in failure for failure in report.failures)
    criteria = report.metrics["criteria"]
    assert set(criteria) == {"all", "check"}
    check = report.metrics["halves"]["check"]["differences"]
    assert criteria["check"] == criteria_met(check, "offline/extractive", rendered_target=name == "convosumm")
    assert criteria["all"] == criteria_met({**differences, **rendered["differences"]}, "offline/extractive",
                                           rendered_target=name == "convosumm")
    assert (criteria["check"]["rendered_beats_lead"] is None) == (name != "convosumm")


def test_table_shows_rendered_rows_and_the_intervals() -> None:
    from rich.console import Console

    scores = {"rouge1": 0.3, "rouge2": 0.1, "rougeL": 0.2}
    interval = {m: {"mean": 0.02, "low": 0.01, "high": 0.03} for m in scores}
    report = EvalReport(set="convosumm", kind="rouge", system="offline/extractive", n=4, threshold="t", ok=True,
                        score=0.2, metrics={"systems": {"offline/extractive": scores, "lead3": scores},
                                            "differences": {"offline/extractive - lead3": interval},
                                            "rendered": {"systems": {RENDERED: scores, LEAD_MATCHED: scores},
                                                         "differences": {f"{RENDERED} - {LEAD_MATCHED}": interval},
                                                         "mean_words": 99.5},
                                            "word_budget": 67})
    console = Console(record=True, width=160)
    print_table([report], console=console)
    text = console.export_text()
    assert "rendered (as shown)" in text and "~99.5" in text and LEAD_MATCHED in text
    assert "+2.00 [+1.00, +3.00]" in text and f"{RENDERED} - {LEAD_MATCHED}" in text


def _diff(mean: float, low: float) -> dict[str, float]:
    return {"mean": mean, "low": low, "high": mean + (mean - low)}


def test_criteria_need_every_interval_above_zero_and_the_rendered_mean_above_the_lead() -> None:
    up = {m: _diff(0.02, 0.005) for m in ("rouge1", "rouge2", "rougeL")}
    noisy = {**up, "rouge1": _diff(0.01, -0.002)}
    ahead = {m: _diff(0.004, -0.01) for m in up}  # rendered: the mean decides
    behind = {**ahead, "rougeL": _diff(-0.001, -0.01)}
    diffs = {"s - lead3": up, "s - lexrank": noisy, f"{RENDERED} - {LEAD_MATCHED}": ahead}
    assert criteria_met(diffs, "s", rendered_target=True) == {
        "beats_lead3": True, "beats_lexrank": False, "rendered_beats_lead": True}
    diffs[f"{RENDERED} - {LEAD_MATCHED}"] = behind
    assert criteria_met(diffs, "s", rendered_target=True)["rendered_beats_lead"] is False
    assert criteria_met(diffs, "s", rendered_target=False)["rendered_beats_lead"] is None
    assert criteria_met({}, "s", rendered_target=False)["beats_lead3"] is False  # no comparison is no pass


def test_table_shows_the_check_half_and_its_criteria() -> None:
    from rich.console import Console

    scores = {"rouge1": 0.3, "rouge2": 0.1, "rougeL": 0.2}
    everything = {m: {"mean": 0.02, "low": 0.01, "high": 0.03} for m in scores}
    check = {m: {"mean": 0.0123, "low": -0.0045, "high": 0.03} for m in scores}
    report = EvalReport(
        set="convosumm", kind="rouge", system="s", n=4, threshold="t", ok=True, score=0.2,
        metrics={"systems": {"s": scores}, "differences": {"s - lexrank": everything},
                 "halves": {"check": {"n": 2, "differences": {"s - lexrank": check}}},
                 "criteria": {"all": {"beats_lexrank": True, "rendered_beats_lead": None},
                              "check": {"beats_lexrank": False, "rendered_beats_lead": None}},
                 "word_budget": 67})
    console = Console(record=True, width=160)
    print_table([report], console=console)
    text = console.export_text()
    assert "check half" in text and "convosumm 2)" in text and "+1.23 [-0.45, +3.00]" in text
    assert "criteria (all items): beats_lexrank met" in text
    assert "criteria (check half): beats_lexrank NOT met" in text and "rendered_beats_lead" not in text
