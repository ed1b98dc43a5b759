"""Benchmark pack (quality, judged blind): what changed in thread summaries between two versions, for a reader to judge.

Run from the repository root (a script, not a test; needs ``../shared/data``)::

    git worktree add /tmp/recap-old <revision>
    .venv/bin/python bench/pairwise_pack.py --old /tmp/recap-old --out /tmp/pack [--seed 70707] [--threads 60]

It draws ``--threads`` JuliaLang threads (6–40 replies, or ``--replies LEAST MOST``; none held by a labelled set) at
random with ``--seed`` (``--source rcontrib``: R Contributors threads, 1–400 replies by default),
summarizes each offline with both checkouts exactly as ``recap summarize`` prints it
(:func:`bot.evals.rouge_sets.rendered_text`), and for every thread whose output changed writes
``<out>/judge/NN.md``: the whole thread, then "Summary A" and "Summary B" in a random order. Which one is new is
written apart, in ``<out>/key.json`` (``{"NN": "A"|"B"}``), for whoever counts the verdicts; the reader (a person,
or a helper agent told to read only ``judge/``) writes ``{"file", "verdict": "A"|"B"|"same", "reason"}`` rows.
``--count verdicts.jsonl`` prints the tally: new preferred, old preferred, same.

``--read`` writes a user pass instead: ``<out>/read/NN.md`` with the whole thread and this checkout's summary only,
for readers who grade each line.

``--seen`` draws instead from the threads earlier judges were shown but no reader ever read to write a rule
(``use: judge`` rows of ``bench/judged.jsonl`` whose thread has no ``use: read`` row): not fresh, since a judge saw
an older summary of each, but never tuned on. A ``--read`` pack of them records them as read, so they leave that
pool too.

``--exclude`` leaves out the threads of earlier packs, so each draw is judged fresh. Every thread a reader is shown
(all of a ``--read`` pack, the changed ones of a judged pack) is also written to ``bench/judged.jsonl`` (timestamps
only, no text), which later draws always leave out: a thread read to tune a rule is never judged again, in this
session or a later one. Threads whose summary did not change were never shown and stay in the pool. Figures:
docs/evals.md, "Twelfth round" onwards.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
JUDGED = ROOT / "bench" / "judged.jsonl"

_RENDER = """
import json, sys
from pathlib import Path
sys.path.insert(0, ".")
from bot.evals.rouge_sets import rendered_text
from bot.evals.sections import load_thread
from bot.summaries.summarize import summarize
data, rows = Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text())
out = []
for row in rows:
    messages = load_thread(data, row.get("source", "julialang"), row["channel_id"], row["thread_ts"])
    out.append(rendered_text(summarize(messages, provider=None, max_points=5), messages))
print(json.dumps(out))
"""


def _labelled() -> set[str]:
    """Every ``thread_ts`` a labelled set holds (never drawn)."""
    found: set[str] = set()
    for path in (ROOT / "evals").rglob("*.jsonl"):
        found.update(re.findall(r'"thread_ts":\s*"(\d+\.\d+)"', path.read_text(encoding="utf-8")))
    return found


def _left_out(exclude: Sequence[Path]) -> set[str]:
    """Every ``thread_ts`` a draw leaves out: those a labelled set holds, those drawn before (``bench/judged.jsonl``)
    and those the ``exclude`` files (earlier packs' ``threads.json``) list."""
    labelled = _labelled()
    if JUDGED.exists():
        labelled.update(str(json.loads(line)["thread_ts"]) for line in JUDGED.read_text(encoding="utf-8").splitlines() if line.strip())
    for path in exclude:
        labelled.update(str(row["thread_ts"]) for row in json.loads(path.read_text(encoding="utf-8")))
    return labelled


def draw(data: Path, n: int, seed: int, exclude: Sequence[Path] = (), *, replies: tuple[int, int] = (6, 40)
         ) -> list[dict[str, str]]:
    """``n`` JuliaLang threads with ``replies`` (least, most; 6–40 by default) replies that no labelled set holds,
    drawn with ``seed``; none of the threads listed in the ``exclude`` files (earlier packs' ``threads.json``, so
    samples stay apart)."""
    candidates = [{"channel_id": row["channel_id"], "thread_ts": row["thread_ts"]}
                  for row in julialang_threads(data, replies, _left_out(exclude))]
    return random.Random(seed).sample(candidates, min(n, len(candidates)))


def julialang_threads(data: Path, replies: tuple[int, int], left_out: set[str]) -> list[dict[str, str]]:
    """Every JuliaLang thread with ``replies`` (least, most) replies whose ``ts`` is not in ``left_out``, in file
    order (channel, ``ts``)."""
    found = []
    for path in sorted((data / "slack-api-julialang" / "threads").glob("*/*.json")):
        replies_of = [m for m in json.loads(path.read_text(encoding="utf-8")) if isinstance(m, dict) and m.get("ts") != path.stem]
        if replies[0] <= len(replies_of) <= replies[1] and path.stem not in left_out:
            found.append({"source": "julialang", "channel_id": path.parent.name, "thread_ts": path.stem})
    return found


def draw_rcontrib(data: Path, n: int, seed: int, exclude: Sequence[Path] = (), *, replies: tuple[int, int] = (1, 400)
                  ) -> list[dict[str, str]]:
    """``n`` R Contributors threads (``--source rcontrib``) with ``replies`` (least, most) replies that no labelled set
    holds and no ``exclude`` file lists, drawn with ``seed``: the export's other community (events, translation, R
    core), whose unlabelled threads are few (about 260)."""
    candidates = rcontrib_threads(data, replies, _left_out(exclude))
    return random.Random(seed).sample(candidates, min(n, len(candidates)))


def rcontrib_threads(data: Path, replies: tuple[int, int], left_out: set[str]) -> list[dict[str, str]]:
    """Every R Contributors thread parent with ``replies`` (least, most) replies whose ``ts`` is not in
    ``left_out``, in the export's order (channels, days)."""
    root = data / "slack-export-rcontrib"
    found = []
    for channel in json.loads((root / "channels.json").read_text(encoding="utf-8")):
        for day in sorted((root / channel["name"]).glob("*.json")):
            for message in json.loads(day.read_text(encoding="utf-8")):
                if (isinstance(message, dict) and message.get("ts") == message.get("thread_ts")
                        and replies[0] <= message.get("reply_count", 0) <= replies[1] and message["ts"] not in left_out):
                    found.append({"source": "rcontrib", "channel_id": channel["id"], "thread_ts": message["ts"]})
    return found


def draw_seen(data: Path, n: int, seed: int, exclude: Sequence[Path] = (), *, replies: tuple[int, int] = (6, 40),
              source: str = "julialang") -> list[dict[str, str]]:
    """``n`` threads of ``source`` with ``replies`` (least, most) replies that a judge was shown (a ``use: judge`` row
    of ``bench/judged.jsonl``) and no reader read (no ``use: read`` or ``use: ask`` row), that no labelled set holds and no
    ``exclude`` file lists, drawn with ``seed`` (``--seen``)."""
    rows = [json.loads(line) for line in JUDGED.read_text(encoding="utf-8").splitlines() if line.strip()]
    read = {str(row["thread_ts"]) for row in rows if row.get("use") in ("read", "ask", "sections")}
    left_out = _labelled() | read
    for path in exclude:
        left_out.update(str(row["thread_ts"]) for row in json.loads(path.read_text(encoding="utf-8")))
    candidates: dict[str, dict[str, str]] = {}
    for row in rows:
        ts = str(row["thread_ts"])
        if row.get("use") != "judge" or row.get("source", "julialang") != source or ts in left_out or ts in candidates:
            continue
        if source == "julialang":
            path = data / "slack-api-julialang" / "threads" / row["channel_id"] / f"{ts}.json"
            count = sum(1 for m in json.loads(path.read_text(encoding="utf-8")) if isinstance(m, dict) and m.get("ts") != ts)
        else:
            from bot.evals.sections import load_thread
            count = len(load_thread(data, source, row["channel_id"], ts)) - 1
        if replies[0] <= count <= replies[1]:
            candidates[ts] = {"source": source, "channel_id": row["channel_id"], "thread_ts": ts}
    pool = sorted(candidates.values(), key=lambda row: (row["channel_id"], row["thread_ts"]))
    return random.Random(seed).sample(pool, min(n, len(pool)))


def record(rows: Sequence[dict[str, str]], *, seed: int, use: str) -> None:
    """Append the ``rows`` shown to a reader to ``bench/judged.jsonl`` (``source``, ``channel_id``, ``thread_ts``, the
    ``seed`` and ``use``: ``judge`` or ``read``), so no later draw takes them again."""
    with JUDGED.open("a", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps({"source": row.get("source", "julialang"), "channel_id": row["channel_id"],
                                  "thread_ts": row["thread_ts"], "seed": seed, "use": use}) + "\n")


def count_verdicts(key_path: Path, verdicts: Path, *, name: str, verdict: str) -> str:
    """The tally of blind verdicts against the key that says which side is new (``{"<name>": "A"|"B"}``): each row of
    ``verdicts`` (JSON lines) names its pair in the field ``name`` (a trailing ``.md`` ignored) and gives ``"A"``,
    ``"B"`` or anything else for the same, in the field ``verdict``. Returns "new preferred N, old preferred N, same
    N"."""
    key = json.loads(key_path.read_text(encoding="utf-8"))
    tally = {"new": 0, "old": 0, "same": 0}
    for line in verdicts.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            said = row.get(verdict)
            tally["same" if said not in ("A", "B") else "new" if said == key[str(row[name]).removesuffix(".md")] else "old"] += 1
    return f"new preferred {tally['new']}, old preferred {tally['old']}, same {tally['same']}"


def run_in_checkout(checkout: Path, script: str, *args: str) -> Any:
    """Run ``script`` (Python source that prints one JSON value) with ``args`` in ``checkout``, its own process and
    this repository's venv, so an old checkout's code answers; returns the parsed JSON. Raises
    ``subprocess.CalledProcessError`` when the script fails."""
    python = ROOT / ".venv" / "bin" / "python"
    done = subprocess.run([str(python), "-c", script, *args], cwd=checkout, check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def render_all(checkout: Path, data: Path, rows_file: Path) -> list[str]:
    """What ``recap summarize`` prints for every row, from ``checkout``'s code (run in its own process)."""
    return list(run_in_checkout(checkout, _RENDER, str(data), str(rows_file)))


def main(argv: list[str] | None = None) -> int:
    """Write the pack, or count verdicts; exit 2 when the data is missing."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--old", type=Path, help="a checkout of the older version")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=70707)
    parser.add_argument("--threads", type=int, default=60)
    parser.add_argument("--count", type=Path, help="verdicts.jsonl to tally against <out>/key.json")
    parser.add_argument("--exclude", type=Path, nargs="*", default=[], help="earlier packs' threads.json to leave out")
    parser.add_argument("--replies", type=int, nargs=2, default=None, metavar=("LEAST", "MOST"),
                        help="replies a drawn thread has (default 6 40, or 1 400 with --source rcontrib; 41 400 draws "
                             "long threads)")
    parser.add_argument("--read", action="store_true",
                        help="a user pass: write read/NN.md (the thread and this checkout's summary), no --old")
    parser.add_argument("--source", choices=("julialang", "rcontrib"), default="julialang",
                        help="the capture threads are drawn from (default julialang)")
    parser.add_argument("--seen", action="store_true",
                        help="draw from threads judges were shown but no reader read (not fresh, never tuned on)")
    args = parser.parse_args(argv)
    if args.count is not None:
        print(count_verdicts(args.out / "key.json", args.count, name="file", verdict="verdict"))
        return 0
    capture = "slack-api-julialang" if args.source == "julialang" else "slack-export-rcontrib"
    if (args.old is None and not args.read) or not (args.data / capture).is_dir():
        print(f"needs --old (or --read) and {capture} under --data", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    from bot.evals.sections import load_thread

    if args.seen:
        rows = draw_seen(args.data, args.threads, args.seed, args.exclude,
                         replies=tuple(args.replies or ((1, 400) if args.source == "rcontrib" else (6, 40))),
                         source=args.source)
    elif args.source == "rcontrib":
        rows = draw_rcontrib(args.data, args.threads, args.seed, args.exclude, replies=tuple(args.replies or (1, 400)))
    else:
        rows = draw(args.data, args.threads, args.seed, args.exclude, replies=tuple(args.replies or (6, 40)))
    folder = args.out / ("read" if args.read else "judge")
    folder.mkdir(parents=True, exist_ok=True)
    rows_file = args.out / "threads.json"
    rows_file.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    new = render_all(ROOT, args.data, rows_file)
    old = new if args.read else render_all(args.old, args.data, rows_file)
    order = random.Random(args.seed + 1)
    key: dict[str, str] = {}
    for n, (row, before, after) in enumerate(zip(rows, old, new, strict=True)):
        if before == after and not args.read:
            continue
        name = f"{n:02d}"
        source = row.get("source", "julialang")
        lines = [f"# Thread {name}: {source} {row['channel_id']} {row['thread_ts']}", "", "## The thread", ""]
        for message in load_thread(args.data, source, row["channel_id"], row["thread_ts"]):
            lines += [f"[{message.ts}] {message.user_name}: {message.text}", ""]
        if args.read:
            lines += ["", "## Summary", "", after]
        else:
            new_first = order.random() < 0.5
            key[name] = "A" if new_first else "B"
            first, second = (after, before) if new_first else (before, after)
            lines += ["", "## Summary A", "", first, "", "## Summary B", "", second]
        (folder / f"{name}.md").write_text("\n".join(lines), encoding="utf-8")
    record(rows if args.read else [rows[int(name)] for name in key], seed=args.seed, use="read" if args.read else "judge")
    if args.read:
        print(f"{len(rows)} threads to read: {folder}")
        return 0
    (args.out / "key.json").write_text(json.dumps(key), encoding="utf-8")
    print(f"{len(key)} of {len(rows)} threads changed: {args.out / 'judge'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
