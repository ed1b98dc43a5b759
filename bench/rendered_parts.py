"""Benchmark (analysis): what in the rendered summary costs ROUGE against a length-matched lead?

Run from the repository root (a script, not a test; needs ``../shared/data``)::

    .venv/bin/python bench/rendered_parts.py [convosumm|dialogsum|qmsum] [--half all|tune|check]

``recap eval rouge`` scores what ``recap summarize`` prints (:func:`bot.evals.rouge_sets.rendered_text`) against
the first N words of the thread, N its length. This script scores the same output with one part of it changed at a
time, each against the same lead (the lead keeps the full output's length, so a removed part is not replaced by
more content): without the offline label; without citation numbers; without headings; without all three; and
with "Where it ended" moved from first to last. It prints mean ROUGE-1/2/L F1 and each one's difference to the
lead; nothing here is shipped.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_LABEL = re.compile(r"[*_]Offline summary.*?[*_]\s*$", re.MULTILINE)
_CITATION = re.compile(r"\[\d+\]")
_HEADING = re.compile(r"\*\*Where it ended:\*\*|^## .*$", re.MULTILINE)


def _outcome_last(text: str) -> str:
    head, sep, rest = text.partition("\n\n## ")
    return f"{sep.strip()} {rest}\n{head}" if sep and head.startswith("**Where it ended") else text


VARIANTS: dict[str, Callable[[str], str]] = {
    "as shown": lambda t: t,
    "no label": lambda t: _LABEL.sub("", t),
    "no citations": lambda t: _CITATION.sub("", t),
    "no headings": lambda t: _HEADING.sub("", t),
    "none of the three": lambda t: _HEADING.sub("", _CITATION.sub("", _LABEL.sub("", t))),
    "outcome last": _outcome_last,
}


def main(argv: list[str] | None = None) -> int:
    """Print the table; exit 2 when the set is missing."""
    from rouge_score import rouge_scorer

    from bot.evals.baselines import lead_words
    from bot.evals.cli import offline_summarizer
    from bot.evals.rouge_sets import SET_FOLDERS, load_items, rendered_text

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("set", nargs="?", default="convosumm", choices=sorted(SET_FOLDERS))
    parser.add_argument("--half", default="all", choices=["all", "tune", "check"])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args(argv)
    path = args.data / SET_FOLDERS[args.set]
    if not path.is_dir():
        print(f"no data at {path}", file=sys.stderr)
        return 2
    items = load_items(args.set, path)
    start, step = {"all": (0, 1), "tune": (0, 2), "check": (1, 2)}[args.half]
    summarizer = offline_summarizer()
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    scores: dict[str, list[list[float]]] = {name: [] for name in [*VARIANTS, "lead@rendered"]}
    for item in items[start::step]:
        shown = rendered_text(summarizer(item.messages), item.messages)
        for name, change in VARIANTS.items():
            result = scorer.score(item.reference, change(shown))
            scores[name].append([result[m].fmeasure for m in ("rouge1", "rouge2", "rougeL")])
        result = scorer.score(item.reference, lead_words(item.messages, words=len(shown.split())))
        scores["lead@rendered"].append([result[m].fmeasure for m in ("rouge1", "rouge2", "rougeL")])
    lead = np.array(scores["lead@rendered"]).mean(axis=0) * 100
    print(f"{args.set}, {args.half} ({len(scores['lead@rendered'])} items): R-1 / R-2 / R-L, and minus lead@rendered")
    for name, rows in scores.items():
        mean = np.array(rows).mean(axis=0) * 100
        print(f"{name:18s} " + " / ".join(f"{x:.2f}" for x in mean)
              + "   " + " / ".join(f"{x:+.2f}" for x in mean - lead))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
