"""Benchmark pack (quality, judged blind): the titles Recap gives real threads, old code against new, for readers.

Run from the repository root (a script, not a test; needs ``../shared/data``)::

    git worktree add /tmp/recap-old <revision>
    .venv/bin/python bench/title_pack.py --out /tmp/titles [--old /tmp/recap-old] [--threads 40] [--seed 430002]
    .venv/bin/python bench/title_pack.py --out /tmp/titles --count verdicts.jsonl
    .venv/bin/python bench/title_pack.py --out /tmp/titles2 --again /tmp/titles   # the same threads, titled again

Every conversation someone has with Recap gets a title (App Home lists them; a DM thread shows it). Without a
model it is made offline (:func:`bot.titles.titling.make_title`). This draws ``--threads`` real threads (half
JuliaLang, half R Contributors; 1–60 replies; none a labelled set holds, none an earlier title pack drew:
``bench/titled.jsonl``) with ``--seed``, and titles each as Recap does after answering an @-mention in it: the
texts are the mention (one of :data:`REQUESTS`, drawn with the same seed) and the thread's first 20 messages
(:func:`bot.summaries.service.run_after_answer`), the style the neutral one of a new user.

It writes ``<out>/titles.jsonl`` (thread, request, this checkout's title and, with ``--old``, the old one) and,
with ``--old``, ``<out>/judge/NN.md`` for every thread whose title changed: the thread's first messages, what was
asked, then "Title A" and "Title B" in a random order (``<out>/key.json`` says which is new). A reader (a person, or
a helper agent told to read only ``judge/``) writes one JSON line a file: ``{"file", "better": "A"|"B"|"same",
"A": "good"|"ok"|"bad", "B": …, "why"}``. ``--count`` prints the preference tally and each side's grades. The drawn
threads are recorded in ``bench/titled.jsonl`` (timestamps only), so a later pack never draws them again.
Figures: docs/evals.md, "Forty-third round".
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

from bench.pairwise_pack import (  # noqa: E402
    _labelled,
    count_verdicts,
    julialang_threads,
    rcontrib_threads,
    run_in_checkout,
)

TITLED = ROOT / "bench" / "titled.jsonl"
REQUESTS = (
    "<@U0RECAP>",
    "<@U0RECAP> summarize",
    "<@U0RECAP> summarize this thread please",
    "<@U0RECAP> tl;dr?",
    "<@U0RECAP> what's the summary?",
    "<@U0RECAP> can you catch me up on this?",
    "<@U0RECAP> what did I miss here",
)
"""The mentions a pack's threads are asked with: ways people ask for a thread's summary."""
SHOWN_MESSAGES = 12
"""Messages of a thread a reader is shown (each cut to 500 characters): enough to know what it is about."""

_TITLE = """
import json, sys
from pathlib import Path
sys.path.insert(0, ".")
from bot.evals.sections import load_thread
from bot.titles.style import neutral_profile
from bot.titles.titling import make_title
data, rows = Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text())
out = []
for row in rows:
    messages = [m for m in load_thread(data, row["source"], row["channel_id"], row["thread_ts"]) if not m.is_bot]
    out.append(make_title([row["request"], *(m.text for m in messages[:20])], style=neutral_profile()))
print(json.dumps(out))
"""


def _drawn_before() -> set[str]:
    if not TITLED.exists():
        return set()
    return {str(json.loads(line)["thread_ts"]) for line in TITLED.read_text(encoding="utf-8").splitlines() if line.strip()}


def draw(data: Path, n: int, seed: int, *, replies: tuple[int, int] = (1, 60)) -> list[dict[str, str]]:
    """``n`` threads, half JuliaLang and half R Contributors, with ``replies`` (least, most) replies, that no labelled
    set holds and no earlier title pack drew; each with a request drawn from :data:`REQUESTS`."""
    left_out = _labelled() | _drawn_before()
    julia = julialang_threads(data, replies, left_out)
    rcontrib = rcontrib_threads(data, replies, left_out)
    rng = random.Random(seed)
    rows = rng.sample(julia, min(n - n // 2, len(julia))) + rng.sample(rcontrib, min(n // 2, len(rcontrib)))
    for row in rows:
        row["request"] = rng.choice(REQUESTS)
    return rows


def title_all(checkout: Path, data: Path, rows_file: Path) -> list[str]:
    """The offline title of every row, from ``checkout``'s code (run in its own process)."""
    return list(run_in_checkout(checkout, _TITLE, str(data), str(rows_file)))


def _shown(data: Path, row: dict[str, str]) -> str:
    from bot.evals.sections import load_thread

    messages = load_thread(data, row["source"], row["channel_id"], row["thread_ts"])
    lines = [f"- **{m.user_name}**: {' '.join(m.text.split())[:500]}" for m in messages[:SHOWN_MESSAGES]]
    more = len(messages) - SHOWN_MESSAGES
    return "\n".join(lines + ([f"- … {more} more replies" ] if more > 0 else []))


def grades(verdicts: Path, key_path: Path) -> str:
    """Each side's grades (good / ok / bad) over the verdict rows: "new: good N, ok N, bad N; old: …"."""
    key = json.loads(key_path.read_text(encoding="utf-8"))
    tally = {"new": Counter(), "old": Counter()}
    for line in verdicts.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            new_side = key[str(row["file"]).removesuffix(".md")]
            for side in ("A", "B"):
                tally["new" if side == new_side else "old"][str(row.get(side))] += 1
    return "; ".join(f"{who}: " + ", ".join(f"{g} {tally[who][g]}" for g in ("good", "ok", "bad")) for who in ("new", "old"))


def main(argv: list[str] | None = None) -> int:
    """Write a pack (``--out``), or count its verdicts (``--count``); see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--old", type=Path, help="a checkout of the old code (git worktree add)")
    parser.add_argument("--threads", type=int, default=40)
    parser.add_argument("--seed", type=int, default=430002)
    parser.add_argument("--count", type=Path, help="verdicts (JSON lines) to tally against <out>/key.json")
    parser.add_argument("--again", type=Path, help="an earlier pack: title its threads again (nothing recorded)")
    args = parser.parse_args(argv)
    if args.count:
        print(count_verdicts(args.out / "key.json", args.count, name="file", verdict="better"))
        print(grades(args.count, args.out / "key.json"))
        return 0
    if not args.data.is_dir():
        print(f"no data at {args.data}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    rows = (json.loads((args.again / "threads.json").read_text(encoding="utf-8")) if args.again
            else draw(args.data, args.threads, args.seed))
    rows_file = args.out / "threads.json"
    rows_file.write_text(json.dumps(rows), encoding="utf-8")
    new = title_all(ROOT, args.data, rows_file)
    old = title_all(args.old, args.data, rows_file) if args.old else [None] * len(rows)
    with (args.out / "titles.jsonl").open("w", encoding="utf-8") as out:
        for row, new_title, old_title in zip(rows, new, old, strict=True):
            out.write(json.dumps({**row, "title": new_title, "old_title": old_title}) + "\n")
    if args.old:
        judge = args.out / "judge"
        judge.mkdir(exist_ok=True)
        rng, key, changed = random.Random(args.seed), {}, 0
        for row, new_title, old_title in zip(rows, new, old, strict=True):
            if new_title == old_title:
                continue
            changed += 1
            name = f"{changed:02d}"
            key[name] = rng.choice("AB")
            a, b = (new_title, old_title) if key[name] == "A" else (old_title, new_title)
            (judge / f"{name}.md").write_text(
                f"# Thread {name}\n\n{_shown(args.data, row)}\n\nAsked of Recap in the thread: `{row['request']}`\n\n"
                f"**Title A:** {a}\n\n**Title B:** {b}\n", encoding="utf-8")
        (args.out / "key.json").write_text(json.dumps(key, indent=1), encoding="utf-8")
        print(f"{len(rows)} threads, {changed} titles changed: {judge}")
    if args.again:
        return 0
    with TITLED.open("a", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps({"source": row["source"], "channel_id": row["channel_id"],
                                  "thread_ts": row["thread_ts"], "seed": args.seed}) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
