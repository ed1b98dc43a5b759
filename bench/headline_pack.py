"""Make the reading pack for labelling digest headlines (``evals/digests/headlines.jsonl``).

Run from the repository root (needs ``../shared/data``)::

    .venv/bin/python bench/headline_pack.py --out DIR [--weeks 60] [--min-messages 12] [--seed 2026]

Draws ``--weeks`` channel-weeks of the R Contributors export (``--export`` names another, e.g.
``slack-export-houstondatavis``, a team that posts without threads) with at least ``--min-messages`` people's messages
in the week (at most ``--per-channel`` from one channel), and writes for each a transcript a labeller reads
(``DIR/<id>.md``: every message of the week, oldest first, replies under their thread, with reactions and reply
counts; a parent from before the week is marked as context) plus ``DIR/weeks.jsonl`` (id, channel, week, split).
The split alternates in the draw's order, so half the weeks are kept for checking only. The labeller sees no
summary: labels are made blind to what Recap picks.

Judged blind, side by side (how docs/evals.md's pairwise figures for headlines were made)::

    git worktree add /tmp/recap-old <revision>
    .venv/bin/python bench/headline_pack.py --out DIR --weeks 60 --min-messages 3 --seed 4444 \
        --exclude evals/digests/headlines.jsonl --old /tmp/recap-old
    .venv/bin/python bench/headline_pack.py --out DIR --count verdicts.jsonl

A user's pass over whole digests (what a subscriber reads on Monday), graded line by line by a reader::

    .venv/bin/python bench/headline_pack.py --out DIR --weeks 20 --min-messages 8 --seed S --read \
        --exclude evals/digests/headlines.jsonl bench/digests_read.jsonl

``--read`` adds ``DIR/read/<id>.md``: the transcript, then the whole digest this checkout posts for that week
(offline, Markdown, as ``recap digest`` prints it), and records the drawn weeks in ``bench/digests_read.jsonl`` so
a later draw can leave them out. With ``--old --whole`` the judge files hold two whole digests instead of two
headlines.

With ``--old``, each drawn week's digest headline is built by both checkouts (offline, as ``recap digest`` does);
for every week where they differ, ``DIR/judge/<id>.md`` holds the transcript, then headlines "A" and "B" in a random
order; which one is new is written apart, in ``DIR/key.json``. A reader writes ``{"id", "better": "A"|"B"|"same"}``
rows; ``--count`` prints new / old / same.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
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


def week_lines(messages: list, reactions: dict[str, int]) -> list[str]:
    """A channel's week as a reader reads it: people's top-level messages oldest first (a parent from before the week
    marked as context), each with its replies under it, then replies whose parent is not shown."""
    replies: dict[str, list] = defaultdict(list)
    top = []
    for m in messages:
        if not m.is_bot:
            (replies[m.thread_ts] if m.is_reply else top).append(m)
    lines = []
    for m in top:
        mark = " (CONTEXT: posted before the week)" if m.context else ""
        lines.append(f"[{m.ts}] {m.user_name}{mark} (reactions {reactions.get(m.ts, 0)}, replies {m.reply_count}): "
                     f"{m.text}")
        lines += [f"    ↳ [{r.ts}] {r.user_name} (reactions {reactions.get(r.ts, 0)}): {r.text}" for r in replies.get(m.ts, [])]
        lines.append("")
    shown = {m.ts for m in top}
    return lines + [f"    ↳ [{r.ts}] {r.user_name} (reply in thread {r.thread_ts}): {r.text}"
                    for key, rs in replies.items() if key not in shown for r in rs]


_HEADLINES = """
import json, sys
from pathlib import Path
sys.path.insert(0, ".")
from bot.digests import render
from bot.digests.cli import build_channel
from bot.periods import iso_week
from bot.slack.export import ExportReader
said = getattr(render, "headline_said", None) or getattr(render, "_headline_said")
reader, whole = ExportReader(Path(sys.argv[1])), sys.argv[3] == "whole"
out = {}
for line in open(sys.argv[2], encoding="utf-8"):
    week = json.loads(line)
    digest, blocks, _ = build_channel(reader, None, week["channel"], iso_week(week["week"], "UTC"))
    point = None if whole else said(digest)
    out[week["id"]] = {"headline": render.blocks_to_markdown(blocks) if whole else render.headline(digest),
                       "ts": point.source_ts if point else []}
print(json.dumps(out))
"""


def headlines(checkout: Path, export: Path, weeks_file: Path, whole: bool = False) -> dict[str, dict]:
    """``{week id: {"headline", "ts"}}`` as ``checkout``'s code builds each week's digest (run in that checkout,
    with this project's interpreter). ``whole``: "headline" is the whole digest in Markdown (``ts`` empty)."""
    args = [sys.executable, "-c", _HEADLINES, str(export), str(weeks_file), "whole" if whole else "headline"]
    done = subprocess.run(args, cwd=checkout, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def pairs(out: Path, old: Path, export: Path, seed: int, whole: bool = False) -> int:
    """Write the judge files for the weeks of ``out/weeks.jsonl`` whose headline (``whole``: whole digest)
    changed; returns how many."""
    before = headlines(old, export, out / "weeks.jsonl", whole)
    after = headlines(ROOT, export, out / "weeks.jsonl", whole)
    rng = random.Random(seed)
    (out / "judge").mkdir(exist_ok=True)
    key = {}
    for week_id, new in after.items():
        if new["headline"] == before[week_id]["headline"]:
            continue
        first_new = rng.random() < 0.5
        a, b = (new, before[week_id]) if first_new else (before[week_id], new)
        key[week_id] = "A" if first_new else "B"
        transcript = (out / f"{week_id}.md").read_text(encoding="utf-8")
        if whole:
            (out / "judge" / f"{week_id}.md").write_text(
                f"{transcript}\n---\n## Digest A\n\n{a['headline']}\n\n---\n## Digest B\n\n{b['headline']}\n",
                encoding="utf-8")
            continue
        (out / "judge" / f"{week_id}.md").write_text(
            f"{transcript}\n---\n## Two candidate headlines for this week's digest\nA: {a['headline']}\n"
            f"   (quotes message {a['ts']})\nB: {b['headline']}\n   (quotes message {b['ts']})\n", encoding="utf-8")
    (out / "key.json").write_text(json.dumps(key), encoding="utf-8")
    return len(key)


def count(out: Path, verdicts: Path) -> str:
    """``new N old N same N`` for the verdicts against ``out/key.json``."""
    key = json.loads((out / "key.json").read_text(encoding="utf-8"))
    tally = Counter()
    for line in verdicts.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            tally["same" if row["better"] == "same" else "new" if row["better"] == key[row["id"]] else "old"] += 1
    return f"new {tally['new']} old {tally['old']} same {tally['same']}"


def main(argv: list[str] | None = None) -> int:
    from bot.periods import iso_week
    from bot.slack.export import ExportReader
    from bot.summaries.pipeline import mark_context

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--weeks", type=int, default=60)
    parser.add_argument("--min-messages", type=int, default=12)
    parser.add_argument("--per-channel", type=int, default=8)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--exclude", type=Path, nargs="*", default=[], help="jsonl files whose ids to leave out")
    parser.add_argument("--old", type=Path, help="a checkout of an older revision: write A/B headline pairs to judge")
    parser.add_argument("--count", type=Path, help="verdicts.jsonl to tally against DIR/key.json")
    parser.add_argument("--read", action="store_true", help="a user's pass: DIR/read/<id>.md, transcript + digest")
    parser.add_argument("--whole", action="store_true", help="with --old: judge whole digests, not headlines")
    parser.add_argument("--only", type=Path, help="a jsonl file of week ids: draw from these weeks only")
    parser.add_argument("--export", default="slack-export-rcontrib",
                        help="the export under --data to draw from, e.g. slack-export-houstondatavis (no threads)")
    args = parser.parse_args(argv)
    if args.count is not None:
        print(count(args.out, args.count))
        return 0
    export = args.data / args.export
    prefix = args.export.removeprefix("slack-export-")
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
    if args.only is not None:  # the weeks of an earlier pack or list, to judge again
        wanted = {json.loads(line)["id"] for line in args.only.read_text().splitlines() if line.strip()}
        pool = [key for key in pool if f"{prefix}-{key[0]}-{key[1]}" in wanted]
    args.out.mkdir(parents=True, exist_ok=True)
    per_channel: Counter[str] = Counter()
    rows = []
    for folder, week in pool:
        if len(rows) >= args.weeks:
            break
        channel = reader.channel(folder)
        row_id = f"{prefix}-{folder}-{week}"
        if per_channel[folder] >= args.per_channel or row_id in excluded:
            continue
        period = iso_week(week, "UTC")
        messages = sorted(mark_context(reader.history(channel.id, oldest=period.oldest_ts, latest=period.latest_ts),
                                       oldest=period.oldest_ts), key=lambda m: float(m.ts))
        people = [m for m in messages if not m.is_bot and not m.context]
        if len(people) < args.min_messages:
            continue
        per_channel[folder] += 1
        lines = [f"# {row_id}: #{folder}, {week} ({len(people)} messages in the week)", "",
                 *week_lines(messages, reactions_by_ts(export, folder))]
        (args.out / f"{row_id}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        rows.append({"id": row_id, "channel": folder, "channel_id": channel.id, "week": week,
                     "split": "tune" if len(rows) % 2 == 0 else "check", "messages": len(people)})
    with (args.out / "weeks.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row) + "\n")
    print(f"{len(rows)} weeks written to {args.out}")
    if args.read:
        digests = headlines(ROOT, export, args.out / "weeks.jsonl", whole=True)
        (args.out / "read").mkdir(exist_ok=True)
        with (ROOT / "bench" / "digests_read.jsonl").open("a", encoding="utf-8") as log:
            for row in rows:
                transcript = (args.out / f"{row['id']}.md").read_text(encoding="utf-8")
                (args.out / "read" / f"{row['id']}.md").write_text(
                    f"{transcript}\n---\n## The digest Recap posted for this week\n\n{digests[row['id']]['headline']}\n",
                    encoding="utf-8")
                log.write(json.dumps({"id": row["id"], "seed": args.seed, "use": "read"}) + "\n")
        print(f"{len(rows)} digests to read in {args.out / 'read'}")
    if args.old is not None:
        changed = pairs(args.out, args.old, export, args.seed, args.whole)
        print(f"{changed} weeks with a changed {'digest' if args.whole else 'headline'} in {args.out / 'judge'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
