"""bot.summaries.trigger: what a mention asks for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.summaries.trigger import Trigger, classify_mention, strip_mentions

CASES = Path(__file__).resolve().parent.parent / "evals" / "cases" / "trigger.jsonl"


def test_labelled_set_accuracy_at_least_95_percent() -> None:
    rows = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 90
    assert {"en", "zh", "ja", "es", "de", "fr", "pt"} <= {row["lang"] for row in rows}
    misses = [(row["text"], row["expected"], classify_mention(row["text"]).kind) for row in rows
              if classify_mention(row["text"]).kind != row["expected"]]
    assert (len(rows) - len(misses)) / len(rows) >= 0.95, misses


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<@U0BOT>", Trigger("summarize")),
        ("<@U0BOT|recap>  ", Trigger("summarize")),
        ("<@U0BOT> tl;dr please", Trigger("summarize")),
        ("<@U0BOT> recap this week", Trigger("summarize", None, "this week")),
        ("<@U0BOT> summarize the decisions about the release date",
         Trigger("summarize", "decisions about the release date")),
        ("<@U0BOT> can you summarize this?", Trigger("summarize")),
        ("<@U0BOT> what's going on here?", Trigger("summarize")),
        ("<@U0BOT> 总结一下", Trigger("summarize")),
        ("<@U0BOT> 要約して", Trigger("summarize")),
        ("<@U0BOT> zusammenfassen", Trigger("summarize")),
        ("<@U0BOT> riassunto", Trigger("summarize")),
        ("<@U0BOT> help", Trigger("help")),
        ("<@U0BOT> ?", Trigger("help")),
        ("<@U0BOT> hilfe", Trigger("help")),
        ("<@U0BOT> ayuda", Trigger("help")),
        ("<@U0BOT> 帮助", Trigger("help")),
        ("<@U0BOT> what did we decide about the release date?",
         Trigger("answer", "what did we decide about the release date?")),
        ("<@U0BOT> who owns the migration", Trigger("answer", "who owns the migration")),
        ("<@U0BOT> ¿cuándo es la reunión?", Trigger("answer", "¿cuándo es la reunión?")),
        ("<@U0BOT> who writes the weekly summary?", Trigger("answer", "who writes the weekly summary?")),
        ("<@U0BOT> what's going on with the postgres migration?",
         Trigger("answer", "what's going on with the postgres migration?")),
        ("<@U0BOT> help me understand the flaky test", Trigger("answer", "help me understand the flaky test")),
        ("<@U0BOT> what happened yesterday?", Trigger("summarize", None, "yesterday")),
    ],
)
def test_table(text: str, expected: Trigger) -> None:
    assert classify_mention(text) == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [  # held out: not in the labelled set the rules were written against
        ("<@U0BOT> give me a recap of the incident channel", "summarize"),
        ("<@U0BOT> tldr of the last 24h?", "summarize"),
        ("<@U0BOT> when does the freeze start?", "answer"),
        ("<@U0BOT> 这周讨论了什么？总结一下", "summarize"),
        ("<@U0BOT> wer hat das Budget freigegeben?", "answer"),
        ("<@U0BOT> merci", "help"),
    ],
)
def test_held_out(text: str, kind: str) -> None:
    assert classify_mention(text).kind == kind


def test_strip_mentions_removes_every_mention_and_keeps_case() -> None:
    assert strip_mentions("<@U0BOT> ask <@U123|dana> About <!here> X") == "ask About X"
