"""Make the reading pack for labelling more threads of ``evals/sections/threads.jsonl``.

Run from the repository root (needs ``../shared/data``)::

    .venv/bin/python bench/section_pack.py --out DIR [--threads 60] [--min-messages 6] [--max-messages 40] [--seed 15]

Draws ``--threads`` threads not yet labelled (R Contributors export and JuliaLang capture, alternately; at most
``--per-channel`` from one channel; ``--min-messages`` to ``--max-messages`` people's messages) and writes for each
a transcript a labeller reads (``DIR/<id>.md``: every message of the thread, oldest first, with its ``ts``, author
and reactions; bots left out, as the summarizers leave them out) plus ``DIR/threads.jsonl``: one stub row a thread
(``id``, ``source``, ``channel``, ``channel_id``, ``thread_ts``, ``split``, ``messages``) for the labeller to
complete with the labels of docs/evals.md ("Sections on labelled real threads"). The split is the set's hash rule
(``bot.evals.sections.split_of``), and the draw takes as many of each, so half the new threads are kept for
checking only. The labeller sees no
summary: labels are made blind to what Recap picks.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rcontrib_threads(export: Path) -> list[tuple[str, str, str]]:
    """``(channel folder, channel_id, thread_ts)`` of every thread parent in the export (at least 4 replies)."""
    channels = {c["name"]: c["id"] for c in json.loads((export / "channels.json").read_text(encoding="utf-8"))}
    out = []
    for day in sorted(export.glob("*/*.json")):
        folder = day.parent.name
        for raw in json.loads(day.read_text(encoding="utf-8")):
            if raw.get("ts") and raw.get("ts") == raw.get("thread_ts") and int(raw.get("reply_count") or 0) >= 4:
                out.append((folder, channels.get(folder, folder), raw["ts"]))
    return out


def julialang_threads(capture: Path) -> list[tuple[str, str, str]]:
    """``(channel name, channel_id, thread_ts)`` of every captured thread."""
    names = json.loads((capture / "names.json").read_text(encoding="utf-8"))
    return [(names.get(f.parent.name, f.parent.name), f.parent.name, f.stem)
            for f in sorted((capture / "threads").glob("*/*.json"))]


def main(argv: list[str] | None = None) -> int:
    from bot.evals.sections import load_thread, split_of

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=60)
    parser.add_argument("--min-messages", type=int, default=6)
    parser.add_argument("--max-messages", type=int, default=40)
    parser.add_argument("--per-channel", type=int, default=4)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--labelled", type=Path, default=ROOT / "evals" / "sections" / "threads.jsonl")
    args = parser.parse_args(argv)
    export, capture = args.data / "slack-export-rcontrib", args.data / "slack-api-julialang"
    if not export.is_dir() or not capture.is_dir():
        print(f"no data under {args.data}", file=sys.stderr)
        return 2
    labelled = {json.loads(line)["thread_ts"] for line in args.labelled.read_text().splitlines() if line.strip()}
    rng = random.Random(args.seed)
    pools = {"rcontrib": rcontrib_threads(export), "julialang": julialang_threads(capture)}
    for pool in pools.values():
        rng.shuffle(pool)
    args.out.mkdir(parents=True, exist_ok=True)
    per_channel: Counter[str] = Counter()
    rows: list[dict] = []
    turn = 0
    while len(rows) < args.threads and any(pools.values()):
        source = ("rcontrib", "julialang")[turn % 2] if all(pools.values()) else next(k for k, v in pools.items() if v)
        turn += 1
        channel, channel_id, thread_ts = pools[source].pop()
        if thread_ts in labelled or per_channel[channel_id] >= args.per_channel:
            continue
        messages = [m for m in load_thread(args.data, source, channel_id, thread_ts) if not m.is_bot]
        if not args.min_messages <= len(messages) <= args.max_messages:
            continue
        split = split_of(source, channel_id, thread_ts)
        if sum(r["split"] == split for r in rows) >= (args.threads + 1) // 2:
            continue
        per_channel[channel_id] += 1
        row_id = f"{source}-{channel}-{thread_ts}"
        lines = [f"# {row_id}: #{channel} ({len(messages)} messages)", ""]
        for m in messages:
            lines.append(f"[{m.ts}] {m.user_name} (reactions {m.reactions}): {m.text}")
            lines.append("")
        (args.out / f"{row_id}.md").write_text("\n".join(lines), encoding="utf-8")
        rows.append({"id": row_id, "source": source, "channel": channel, "channel_id": channel_id,
                     "thread_ts": thread_ts, "split": split,
                     "messages": len(messages)})
    with (args.out / "threads.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row) + "\n")
    print(f"{len(rows)} threads written to {args.out}: {Counter(r['split'] for r in rows)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
