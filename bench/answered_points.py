"""Benchmark (quality, labelled): key points that ask a question the thread answered, shown with their answer?

Run from the repository root (a script, not a test; needs ``../shared/data``)::

    .venv/bin/python bench/answered_points.py

For every thread of ``evals/sections/threads.jsonl``, the offline summary is made as ``recap summarize`` makes it,
and its key points that cite a message labelled ``answered_questions`` are counted per half: shown with an answer
(``"… ? — Name: answer"``, :func:`bot.summaries.extractive._with_its_answer`) or bare. A bare one reads as an open
question. Issue 11, twelfth round: 0 of 86 (tune) and 0 of 88 (check) before, 24 of 86 and 23 of 89 after; the rest have no
reply before the asker spoke again, or their answer is already another point.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    """Print the counts per half; exit 2 when the data is missing."""
    from bot.evals.sections import load_rows, load_thread
    from bot.summaries.extractive import summarize_offline

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"no data at {args.data}", file=sys.stderr)
        return 2
    rows = load_rows(ROOT / "evals" / "sections" / "threads.jsonl")
    for split in ("tune", "check"):
        asked = paired = 0
        for row in (r for r in rows if r.split == split):
            summary = summarize_offline(load_thread(args.data, row.source, row.channel_id, row.thread_ts))
            answered = row.labels.get("answered_questions", frozenset())
            for point in summary.key_points:
                if point.source_ts[:1] and point.source_ts[0] in answered:
                    asked += 1
                    paired += " — " in point.text
        print(f"{split}: key points asking an answered question {asked}, shown with an answer {paired}, "
              f"bare {asked - paired}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
