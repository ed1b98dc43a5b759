"""Benchmark pack (quality, read by readers and judged blind): the decisions, action items and open questions Recap
lists under a thread's summary, graded item by item.

Run from the repository root (a script, not a test; needs ``../shared/data``)::

    .venv/bin/python bench/section_items.py --out /tmp/items --read [--threads 40] [--seed 440001]
    git worktree add /tmp/recap-old <revision>
    .venv/bin/python bench/section_items.py --out /tmp/ab --old /tmp/recap-old --pool judge [--seed 440002]
    .venv/bin/python bench/section_items.py --out /tmp/items --count verdicts.jsonl

``recap eval sections`` scores the sections against 294 labelled threads; this reads what a user sees on threads
no labelled set holds. The pool is every thread an earlier pack showed a reader or a judge (``bench/judged.jsonl``;
no unlabelled thread of 3 or more replies is left unshown) whose offline summary lists a decision or an action
item (``--questions``: or an open question), split in two by the labelled set's hash rule
(:func:`bot.evals.sections.split_of`): ``--pool read`` (the ``tune`` side: readers grade what this checkout lists,
and rules may be written from what they find) and ``--pool judge`` (the ``check`` side: never read to write a rule,
only judged, before and after, blind).

``--read`` writes ``<out>/read/NN.md``: the thread, messages numbered, then every item Recap lists with the
messages it cites, ids ``D1`` (decision), ``A1`` (action item, with its owner), ``Q1`` (open question). A reader
writes one JSON line an item: ``{"file", "item", "grade": "right"|"partly"|"wrong", "fault", "why"}``.

``--old`` writes ``<out>/judge/NN.md`` for every drawn thread whose listed items changed: the thread, then "Lists A"
and "Lists B" in a random order (``<out>/key.json`` says which is new). A reader writes one JSON line a file:
``{"file", "better": "A"|"B"|"same", "A": [grades…], "B": [grades…], "why"}``, a grade for every item of each
side in its order.

``--count`` prints the tally: the grades (and faults) of a read pack, or the preferences and each side's grades of
a judged one. Threads shown are appended to ``bench/judged.jsonl`` with ``use: sections``. Figures: docs/evals.md,
"Forty-fourth round".
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pairwise_pack import JUDGED, _labelled, count_verdicts, record, run_in_checkout  # noqa: E402

SECTIONS = (("decisions", "D", "Decisions"), ("action_items", "A", "Action items"), ("open_questions", "Q", "Open questions"))
"""Summary field, item id prefix, heading: the sections a pack shows."""

_ITEMS = """
import json, sys
from pathlib import Path
sys.path.insert(0, ".")
from bot.evals.sections import load_thread
from bot.summaries.summarize import summarize
data, rows = Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text())
out = []
for row in rows:
    try:
        messages = load_thread(data, row["source"], row["channel_id"], row["thread_ts"])
    except Exception:
        out.append(None)
        continue
    summary = summarize(messages, provider=None, max_points=5)
    out.append({name: [{"text": p.text, "ts": list(p.source_ts), "owner": p.owner} for p in getattr(summary, name)]
                for name in ("decisions", "action_items", "open_questions")})
print(json.dumps(out))
"""


def pool_rows(side: str) -> list[dict[str, str]]:
    """Every thread of ``bench/judged.jsonl`` (shown to a reader or judge by an earlier pack, not in a labelled set)
    on ``side`` (``read``: the hash rule's ``tune`` side; ``judge``: its ``check`` side), in file order, each once;
    threads an earlier pack of this script showed (``use: sections``) are left out."""
    from bot.evals.sections import split_of

    labelled = _labelled()
    rows = [json.loads(line) for line in JUDGED.read_text(encoding="utf-8").splitlines() if line.strip()]
    taken = {str(row["thread_ts"]) for row in rows if row.get("use") == "sections"}
    want = "tune" if side == "read" else "check"
    found: dict[str, dict[str, str]] = {}
    for row in rows:
        ts, source = str(row["thread_ts"]), row.get("source", "julialang")
        if ts in found or ts in taken or ts in labelled or row.get("use") == "ask":
            continue
        if split_of(source, row["channel_id"], ts) == want:
            found[ts] = {"source": source, "channel_id": row["channel_id"], "thread_ts": ts}
    return list(found.values())


def items_all(checkout: Path, data: Path, rows: list[dict[str, str]], scratch: Path) -> list[dict[str, Any] | None]:
    """The section items ``checkout``'s offline summarizer lists for every row (``None``: unreadable thread)."""
    rows_file = scratch / "pool.json"
    rows_file.write_text(json.dumps(rows), encoding="utf-8")
    return list(run_in_checkout(checkout, _ITEMS, str(data), str(rows_file)))


def listed(items: dict[str, Any] | None, *, questions: bool = False) -> bool:
    """Whether ``items`` holds a decision or an action item (or, with ``questions``, an open question)."""
    return bool(items and (items["decisions"] or items["action_items"] or questions and items["open_questions"]))


def item_lines(items: dict[str, Any], numbers: dict[str, int]) -> list[str]:
    """The items as a reader sees them: ``- A1 (owner @x): "text" (cites [3])``, by section; "(none)" for empty."""
    lines: list[str] = []
    for name, prefix, heading in SECTIONS:
        lines.append(f"**{heading}**")
        if not items[name]:
            lines.append("- (none)")
        for k, item in enumerate(items[name], 1):
            cites = ", ".join(f"[{numbers[ts]}]" if ts in numbers else ts for ts in item["ts"])
            owner = f" (owner {item['owner']})" if item.get("owner") else ""
            lines.append(f"- {prefix}{k}{owner}: \"{item['text']}\" (cites {cites})")
        lines.append("")
    return lines


def count(out: Path, verdicts: Path) -> str:
    """The tally of a read pack (grades and faults of every item, by section, and the items readers said were missed:
    rows ``{"missed": section, …}``; ``{"nothing": true}`` rows count for nothing) or of a judged one (preferences, and
    each side's grades)."""
    rows = [json.loads(line) for line in verdicts.read_text(encoding="utf-8").splitlines() if line.strip()]
    if (out / "key.json").exists():
        key = json.loads((out / "key.json").read_text(encoding="utf-8"))
        grades = {"new": Counter[str](), "old": Counter[str]()}
        for row in rows:
            new = key[str(row["file"]).removesuffix(".md")]
            old = "B" if new == "A" else "A"
            grades["new"].update(str(g) for g in row.get(new, []))
            grades["old"].update(str(g) for g in row.get(old, []))
        text = count_verdicts(out / "key.json", verdicts, name="file", verdict="better")
        return "\n".join([text] + [f"{side} items: " + ", ".join(f"{g} {grades[side][g]}" for g in ("right", "partly", "wrong"))
                                   for side in ("new", "old")])
    by: dict[str, Counter[str]] = {}
    faults: Counter[str] = Counter()
    missed = Counter(str(row["missed"]) for row in rows if row.get("missed"))  # a reader's missed item, or "nothing"
    for row in rows:
        if "item" not in row:
            continue
        section = {prefix: heading.lower() for _, prefix, heading in SECTIONS}.get(str(row["item"])[:1], "?")
        by.setdefault(section, Counter())[str(row["grade"])] += 1
        if row["grade"] != "right":
            faults[f"{section}: {row.get('fault', '')}"] += 1
    lines = [f"{section}: " + ", ".join(f"{g} {c[g]}" for g in ("right", "partly", "wrong")) for section, c in sorted(by.items())]
    lines += [f"  {n} × {fault}" for fault, n in faults.most_common()]
    if missed:
        lines.append("missed: " + ", ".join(f"{name} {n}" for name, n in sorted(missed.items())))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Write the pack, or count verdicts; exit 2 when the data is missing or the arguments do not fit."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--old", type=Path, help="a checkout of the older version: write blind A/B pairs")
    parser.add_argument("--read", action="store_true", help="write a readers' pass of this checkout's items")
    parser.add_argument("--pool", choices=("read", "judge"), default=None, help="default: read with --read, else judge")
    parser.add_argument("--threads", type=int, default=40)
    parser.add_argument("--seed", type=int, default=440001)
    parser.add_argument("--count", type=Path, help="verdicts.jsonl to tally")
    parser.add_argument("--questions", action="store_true", help="a thread listing only open questions qualifies too")
    args = parser.parse_args(argv)
    if args.count is not None:
        print(count(args.out, args.count))
        return 0
    if not (args.data / "slack-api-julialang").is_dir() or args.read == (args.old is not None):
        print("needs ../shared/data and exactly one of --read, --old", file=sys.stderr)
        return 2
    from bot.evals.sections import load_thread

    args.out.mkdir(parents=True, exist_ok=True)
    pool = pool_rows(args.pool or ("read" if args.read else "judge"))
    new = items_all(ROOT, args.data, pool, args.out)
    old = new if args.old is None else items_all(args.old, args.data, pool, args.out)
    shown = [n for n in range(len(pool)) if new[n] is not None and old[n] is not None  # (an unreadable thread: neither)
             and (listed(new[n], questions=args.questions) or listed(old[n], questions=args.questions))
             and (args.read or new[n] != old[n])]
    chosen = sorted(random.Random(args.seed).sample(shown, min(args.threads, len(shown))))
    folder = args.out / ("read" if args.read else "judge")
    folder.mkdir(exist_ok=True)
    order = random.Random(args.seed + 1)
    key: dict[str, str] = {}
    for k, n in enumerate(chosen):
        row, name = pool[n], f"{k:02d}"
        messages = load_thread(args.data, row["source"], row["channel_id"], row["thread_ts"])
        numbers = {m.ts: i for i, m in enumerate(messages, 1)}
        lines = [f"# Thread {name}", "", "## The thread", ""]
        for i, message in enumerate(messages, 1):
            lines += [f"[{i}] {message.user_name}{' (bot)' if message.is_bot else ''}: {message.text}", ""]
        after, before = new[n], old[n]
        assert after is not None and before is not None
        if args.read:
            lines += ["", "## What Recap listed", ""] + item_lines(after, numbers)
        else:
            new_first = order.random() < 0.5
            key[name] = "A" if new_first else "B"
            first, second = (after, before) if new_first else (before, after)
            lines += ["", "## Lists A", ""] + item_lines(first, numbers) + ["## Lists B", ""] + item_lines(second, numbers)
        (folder / f"{name}.md").write_text("\n".join(lines), encoding="utf-8")
    (args.out / "threads.json").write_text(json.dumps([pool[n] for n in chosen], indent=1), encoding="utf-8")
    if key:
        (args.out / "key.json").write_text(json.dumps(key), encoding="utf-8")
    record([pool[n] for n in chosen], seed=args.seed, use="sections")
    print(f"{len(chosen)} of {len(shown)} threads written ({len(pool)} in the pool): {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
