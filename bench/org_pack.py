"""Make a reading pack of Friday "org news" digests: several channels' week, read whole by a reader.

Run from the repository root (needs ``../shared/data``)::

    .venv/bin/python bench/org_pack.py --out DIR [--digests 24] [--min-channels 3] [--seed 2026] --read

Draws ``--digests`` weeks in which at least ``--min-channels`` channels of an org set (``ORG_SETS``: ten channels
of one export a team would plausibly choose for its org digest, within the command's limit of 10) each have a
person's message, with at most ``--max-messages`` people's messages in all (a reader reads every one). For each it
writes ``DIR/<id>.md``: every channel's week, oldest first, replies under their thread (a parent from before the
week marked as context), and ``DIR/weeks.jsonl`` (id, export, channels, week, split; the split alternates in the
draw's order). ``--read`` adds ``DIR/read/<id>.md``: the transcript, then the whole org digest this checkout posts
(offline, Markdown, as ``recap digest --channels`` prints it).

Judged blind, side by side::

    git worktree add /tmp/recap-old <revision>
    .venv/bin/python bench/org_pack.py --out DIR --only OLD_DIR/weeks.jsonl --old /tmp/recap-old
    .venv/bin/python bench/org_pack.py --out DIR --count verdicts.jsonl

With ``--old``, each week's org digest is built by both checkouts; for every week where they differ,
``DIR/judge/<id>.md`` holds the transcript, then digests "A" and "B" in a random order (which one is new is in
``DIR/key.json``). A reader writes ``{"id", "better": "A"|"B"|"same"}`` rows; ``--count`` prints new / old / same.
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

from bench.headline_pack import count, reactions_by_ts, week_lines  # noqa: E402

#: export folder -> the channels (folder names) of its org digest, in display order.
ORG_SETS = {
    "slack-export-rcontrib": ["general", "events", "r-project-sprint", "core-dev-help", "core-translation",
                              "c-study-group", "gsoc", "outreachy", "jobs-opportunities", "random"],
    "slack-export-houstondatavis": ["general", "meetup", "datajam", "readings", "tools", "talks", "team-d3",
                                    "datasets", "design-thinking", "tutorials"],
}

_DIGESTS = """
import json, sys
from pathlib import Path
sys.path.insert(0, ".")
from bot.digests.cli import build_org
from bot.digests.render import blocks_to_markdown
from bot.periods import iso_week
from bot.slack.export import ExportReader
out = {}
for line in open(sys.argv[2], encoding="utf-8"):
    week = json.loads(line)
    reader = ExportReader(Path(sys.argv[1]) / week["export"])
    _, blocks, _ = build_org(reader, None, week["channels"], iso_week(week["week"], "UTC"))
    out[week["id"]] = blocks_to_markdown(blocks)
print(json.dumps(out))
"""


def digests(checkout: Path, data: Path, weeks_file: Path) -> dict[str, str]:
    """``{week id: org digest in Markdown}`` as ``checkout``'s code builds it (offline, run in that checkout)."""
    done = subprocess.run([sys.executable, "-c", _DIGESTS, str(data), str(weeks_file)], cwd=checkout,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def transcript(export: Path, row: dict) -> str:
    """Every listed channel's week as a reader reads it: top-level messages oldest first, replies under them."""
    from bot.periods import iso_week
    from bot.slack.export import ExportReader
    from bot.summaries.pipeline import mark_context

    reader = ExportReader(export)
    period = iso_week(row["week"], "UTC")
    lines = [f"# {row['id']}: org digest of {', '.join('#' + c for c in row['channels'])}, {row['week']}", ""]
    for folder in row["channels"]:
        channel = reader.channel(folder)
        messages = sorted(mark_context(reader.history(channel.id, oldest=period.oldest_ts, latest=period.latest_ts),
                                       oldest=period.oldest_ts), key=lambda m: float(m.ts))
        people = [m for m in messages if not m.is_bot and not m.context]
        lines += [f"## #{folder} ({len(people)} messages in the week)", "",
                  *week_lines(messages, reactions_by_ts(export, folder))]
    return "\n".join(lines) + "\n"


def pairs(out: Path, old: Path, data: Path, seed: int) -> int:
    """Write the judge files for the weeks of ``out/weeks.jsonl`` whose org digest changed; returns how many."""
    before, after = digests(old, data, out / "weeks.jsonl"), digests(ROOT, data, out / "weeks.jsonl")
    rng = random.Random(seed)
    (out / "judge").mkdir(exist_ok=True)
    key = {}
    for week_id, new in after.items():
        if new == before[week_id]:
            continue
        first_new = rng.random() < 0.5
        a, b = (new, before[week_id]) if first_new else (before[week_id], new)
        key[week_id] = "A" if first_new else "B"
        text = (out / f"{week_id}.md").read_text(encoding="utf-8")
        (out / "judge" / f"{week_id}.md").write_text(
            f"{text}\n---\n## Digest A\n\n{a}\n\n---\n## Digest B\n\n{b}\n", encoding="utf-8")
    (out / "key.json").write_text(json.dumps(key), encoding="utf-8")
    return len(key)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--digests", type=int, default=24)
    parser.add_argument("--min-channels", type=int, default=3, help="channels of the set with a person's message")
    parser.add_argument("--max-messages", type=int, default=220, help="people's messages in all, at most")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--exclude", type=Path, nargs="*", default=[], help="jsonl files whose ids to leave out")
    parser.add_argument("--only", type=Path, help="a weeks.jsonl of an earlier pack: its weeks, all of them")
    parser.add_argument("--read", action="store_true", help="DIR/read/<id>.md: transcript + org digest")
    parser.add_argument("--old", type=Path, help="a checkout of an older revision: write A/B pairs to judge")
    parser.add_argument("--count", type=Path, help="verdicts.jsonl to tally against DIR/key.json")
    args = parser.parse_args(argv)
    if args.count is not None:
        print(count(args.out, args.count))
        return 0
    if not args.data.is_dir():
        print(f"no data folder at {args.data}", file=sys.stderr)
        return 2
    excluded = {json.loads(line)["id"] for path in args.exclude for line in path.read_text().splitlines() if line.strip()}
    pool = []
    for export_name, channels in ORG_SETS.items():
        per_week: dict[str, Counter[str]] = defaultdict(Counter)
        for folder in channels:
            for day in (args.data / export_name / folder).glob("*.json"):
                try:
                    year, week, _ = date.fromisoformat(day.stem).isocalendar()
                except ValueError:
                    continue
                people = [m for m in json.loads(day.read_text(encoding="utf-8"))
                          if not m.get("bot_id") and m.get("subtype") in (None, "thread_broadcast")]
                per_week[f"{year}-W{week:02d}"][folder] += len(people)
        for week, counts in sorted(per_week.items()):
            active = sum(1 for n in counts.values() if n)
            if active >= args.min_channels and sum(counts.values()) <= args.max_messages:
                pool.append({"id": f"{export_name.removeprefix('slack-export-')}-org-{week}", "export": export_name,
                             "channels": channels, "week": week, "messages": sum(counts.values())})
    random.Random(args.seed).shuffle(pool)
    if args.only is not None:  # every week of an earlier pack, to read or judge again
        pool = [json.loads(line) for line in args.only.read_text().splitlines() if line.strip()]
    rows = [row for row in pool if row["id"] not in excluded][: None if args.only else args.digests]
    for i, row in enumerate(rows):
        row.setdefault("split", "tune" if i % 2 == 0 else "check")
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "weeks.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row) + "\n")
            (args.out / f"{row['id']}.md").write_text(transcript(args.data / row["export"], row), encoding="utf-8")
    print(f"{len(rows)} org weeks written to {args.out} (pool {len(pool)})")
    if args.read:
        posted = digests(ROOT, args.data, args.out / "weeks.jsonl")
        (args.out / "read").mkdir(exist_ok=True)
        for row in rows:
            text = (args.out / f"{row['id']}.md").read_text(encoding="utf-8")
            (args.out / "read" / f"{row['id']}.md").write_text(
                f"{text}\n---\n## The org digest Recap posted for this week\n\n{posted[row['id']]}\n", encoding="utf-8")
        print(f"{len(rows)} org digests to read in {args.out / 'read'}")
    if args.old is not None:
        print(f"{pairs(args.out, args.old, args.data, args.seed)} weeks with a changed org digest in {args.out / 'judge'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
