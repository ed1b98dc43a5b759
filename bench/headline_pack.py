"""Make the reading pack for labelling digest headlines (``evals/digests/headlines.jsonl``).

Run from the repository root (needs ``../shared/data``)::

    .venv/bin/python bench/headline_pack.py --out DIR [--weeks 60] [--min-messages 12] [--seed 2026]

Draws ``--weeks`` channel-weeks of the R Contributors export with at least ``--min-messages`` people's messages
in the week (at most ``--per-channel`` from one channel), and writes for each a transcript a labeller reads
(``DIR/<id>.md``: every message of the week, oldest first, replies under their thread, with reactions and reply
counts; a parent from before the week is marked as context) plus ``DIR/weeks.jsonl`` (id, channel, week, split).
The split alternates in the draw's order, so half the weeks are kept for checking only. The labeller sees no
summary: labels are made blind to what Recap picks.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def reactions_by_ts(export: Path, folder: str) -> dict[str, int]:
    """``ts`` -> number of reactions (people × emoji) for every message of a channel folder."""
    counts: dict[str, int] = {}
    for day in (export / folder).glob("*.json"):
        for raw in json.loads(day.read_text(encoding="utf-8")):
            total = sum(int(r.get("count") or len(r.get("users") or [])) for r in raw.get("reactions") or [])
            if total and raw.get("ts"):
                counts[str(raw["ts"])] = total
    return counts


def main(argv: list[str] | None = None) -> int:
    from bot.evals.questions import load_week
    from bot.slack.export import ExportReader

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--weeks", type=int, default=60)
    parser.add_argument("--min-messages", type=int, default=12)
    parser.add_argument("--per-channel", type=int, default=8)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--exclude", type=Path, nargs="*", default=[], help="jsonl files whose ids to leave out")
    args = parser.parse_args(argv)
    export = args.data / "slack-export-rcontrib"
    if not export.is_dir():
        print(f"no export at {export}", file=sys.stderr)
        return 2
    reader = ExportReader(export)
    excluded = {json.loads(line)["id"] for path in args.exclude for line in path.read_text().splitlines() if line.strip()}
    counts: Counter[tuple[str, str]] = Counter()
    for day in export.glob("*/*.json"):
        try:
            year, week, _ = date.fromisoformat(day.stem).isocalendar()
        except ValueError:
            continue
        counts[(day.parent.name, f"{year}-W{week:02d}")] += len(json.loads(day.read_text(encoding="utf-8")))
    pool = sorted(key for key, n in counts.items() if n >= args.min_messages)
    random.Random(args.seed).shuffle(pool)
    args.out.mkdir(parents=True, exist_ok=True)
    per_channel: Counter[str] = Counter()
    rows = []
    for folder, week in pool:
        if len(rows) >= args.weeks:
            break
        channel = reader.channel(folder)
        row_id = f"rcontrib-{folder}-{week}"
        if per_channel[folder] >= args.per_channel or row_id in excluded:
            continue
        messages = load_week(args.data, "rcontrib", channel.id, week)
        people = [m for m in messages if not m.is_bot and not m.context]
        if len(people) < args.min_messages:
            continue
        per_channel[folder] += 1
        reactions = reactions_by_ts(export, folder)
        replies: dict[str, list] = defaultdict(list)
        top = []
        for m in messages:
            if m.is_bot:
                continue
            (replies[m.thread_ts] if m.is_reply else top).append(m)
        lines = [f"# {row_id}: #{folder}, {week} ({len(people)} messages in the week)", ""]
        for m in top:
            mark = " (CONTEXT: posted before the week)" if m.context else ""
            lines.append(f"[{m.ts}] {m.user_name}{mark} (reactions {reactions.get(m.ts, 0)}, replies {m.reply_count}): "
                         f"{m.text}")
            for r in replies.get(m.ts, []):
                lines.append(f"    ↳ [{r.ts}] {r.user_name} (reactions {reactions.get(r.ts, 0)}): {r.text}")
            lines.append("")
        orphans = [r for key, rs in replies.items() if key not in {m.ts for m in top} for r in rs]
        for r in orphans:
            lines.append(f"    ↳ [{r.ts}] {r.user_name} (reply in thread {r.thread_ts}): {r.text}")
        (args.out / f"{row_id}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        rows.append({"id": row_id, "channel": folder, "channel_id": channel.id, "week": week,
                     "split": "tune" if len(rows) % 2 == 0 else "check", "messages": len(people)})
    with (args.out / "weeks.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row) + "\n")
    print(f"{len(rows)} weeks written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
