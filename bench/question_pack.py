"""Benchmark pack (quality, read and judged blind): Recap's answers to questions about threads, as the asker reads them.

Run from the repository root (a script, not a test; needs ``../shared/data``), in three steps::

    .venv/bin/python bench/question_pack.py --out /tmp/qpack --threads 30 [--seed 420001] [--source rcontrib]
    # a reader who has not run Recap writes /tmp/qpack/questions.jsonl from /tmp/qpack/ask/*.md
    .venv/bin/python bench/question_pack.py --out /tmp/qpack --answer [--old /tmp/recap-old]
    .venv/bin/python bench/question_pack.py --out /tmp/qpack --count verdicts.jsonl

1. The draw: ``--threads`` threads with ``--replies`` (least, most; 3–40 by default) replies that no labelled set
   holds and no earlier pack drew (``bench/judged.jsonl``, ``--exclude``), JuliaLang or ``--source rcontrib``,
   written whole to ``<out>/ask/NN.md`` (each message with its ``ts``) and listed in ``<out>/threads.json``.
   ``--shown`` draws instead JuliaLang threads whose summaries earlier packs showed (read or judged) and that no
   pack asked about: the never-shown pool is nearly all threads of 1–4 replies, and no rule of the answer path
   was written on a summary's reading. They are recorded in ``bench/judged.jsonl`` (``use: ask``),
   so no later pack draws them.
2. The questions: a reader (a person, or a helper agent told to read only ``ask/``) writes
   ``<out>/questions.jsonl``, one row a question a member who missed the thread would ask:
   ``{"file": "NN", "question", "kind": "fact"|"fix"|"decision"|"owner"|"status"|"unanswerable",
   "answer_ts": [ts, …] (empty when unanswerable), "note": the answer in their words}``.
3. ``--answer`` asks Recap each question offline, as ``@Recap <question>`` in the thread or ``recap summarize
   --question`` does (:func:`bot.summaries.pipeline.within_window` over the summary, printed by
   :func:`bot.evals.rouge_sets.rendered_text`), and prints ``recap eval questions``' scores of the rows
   (``<out>/rows.jsonl``, the eval's own format, halves by :func:`bot.evals.sections.split_of`). Without
   ``--old`` it writes ``<out>/read/NN.md``: the thread, then each question with Recap's reply, for readers who
   grade each answer. With ``--old`` (a checkout of an older version) it writes ``<out>/judge/NN-K.md`` for every
   question whose reply changed: the thread, the question, "Reply A" and "Reply B" in a random order; which one
   is new is in ``<out>/key.json``, and ``--count verdicts.jsonl`` (rows ``{"id": "NN-K", "better": "A"|"B"|
   "same"}``) tallies new preferred, old preferred and same.

Figures: docs/evals.md, "Forty-second round".
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from pairwise_pack import JUDGED, _labelled, count_verdicts, draw, draw_rcontrib, record, run_in_checkout  # noqa: E402

KINDS = ("fact", "fix", "decision", "owner", "status", "unanswerable")

_ANSWER = """
import json, sys
from pathlib import Path
sys.path.insert(0, ".")
from bot.evals.questions import load_rows, load_conversation, run_questions
from bot.evals.rouge_sets import rendered_text
from bot.summaries.pipeline import within_window
from bot.summaries.summarize import summarize
data, rows_path = Path(sys.argv[1]), Path(sys.argv[2])
replies, threads = [], {}
for row in load_rows(rows_path):
    if row.conversation not in threads:
        threads[row.conversation] = load_conversation(data, *row.conversation)
    messages = threads[row.conversation]
    summary = within_window(summarize(messages, provider=None, max_points=5, question=row.question), messages)
    replies.append(rendered_text(summary, messages))
def summarizer(messages, question=None):
    return summarize(messages, provider=None, max_points=5, question=question)
report = run_questions(path=rows_path, data_dir=data, summarizer=summarizer, threshold=False)
print(json.dumps({"replies": replies, "splits": report.metrics["splits"]}))
"""


def draw_shown(data: Path, n: int, seed: int, *, replies: tuple[int, int]) -> list[dict[str, str]]:
    """``n`` JuliaLang threads with ``replies`` (least, most) replies that a row of ``bench/judged.jsonl`` names, that
    no ``use: ask`` row names and no labelled set holds, drawn with ``seed`` (``--shown``)."""
    rows = [json.loads(line) for line in JUDGED.read_text(encoding="utf-8").splitlines() if line.strip()]
    asked = {str(row["thread_ts"]) for row in rows if row.get("use") == "ask"} | _labelled()
    pool: dict[str, dict[str, str]] = {}
    for row in rows:
        ts = str(row["thread_ts"])
        if row.get("source", "julialang") != "julialang" or ts in asked or ts in pool:
            continue
        path = data / "slack-api-julialang" / "threads" / row["channel_id"] / f"{ts}.json"
        count = sum(1 for m in json.loads(path.read_text(encoding="utf-8")) if isinstance(m, dict) and m.get("ts") != ts)
        if replies[0] <= count <= replies[1]:
            pool[ts] = {"source": "julialang", "channel_id": row["channel_id"], "thread_ts": ts}
    return random.Random(seed).sample(sorted(pool.values(), key=lambda r: r["thread_ts"]), min(n, len(pool)))


def transcript(data: Path, row: dict[str, str]) -> list[str]:
    """The whole thread of ``row`` as Markdown lines: one ``[ts] name: text`` paragraph a message."""
    from bot.evals.sections import load_thread

    source = row.get("source", "julialang")
    lines = [f"# Thread {row['file']}: {source} {row['channel_id']} {row['thread_ts']}", "", "## The thread", ""]
    for message in load_thread(data, source, row["channel_id"], row["thread_ts"]):
        lines += [f"[{message.ts}] {message.user_name}: {message.text}", ""]
    return lines


def eval_rows(out: Path, threads: list[dict[str, str]]) -> Path:
    """``<out>/questions.jsonl`` in ``recap eval questions``' format, written to ``<out>/rows.jsonl``.

    Raises:
        ValueError: a row names an unknown file or kind, or an answer ``ts`` that is not a message of its thread.
    """
    from bot.evals.sections import load_thread, split_of

    by_file = {row["file"]: row for row in threads}
    data = Path(json.loads((out / "meta.json").read_text(encoding="utf-8"))["data"])
    lines = []
    for number, line in enumerate((out / "questions.jsonl").read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        raw = json.loads(line)
        thread = by_file.get(str(raw["file"]).removesuffix(".md"))
        kind = str(raw.get("kind", ""))
        if thread is None or kind not in KINDS:
            raise ValueError(f"questions.jsonl:{number}: unknown file {raw.get('file')!r} or kind {kind!r}")
        source = thread.get("source", "julialang")
        known = {m.ts for m in load_thread(data, source, thread["channel_id"], thread["thread_ts"])}
        answer_ts = [str(ts) for ts in raw.get("answer_ts", [])] if kind != "unanswerable" else []
        if not set(answer_ts) <= known or (kind != "unanswerable" and not answer_ts):
            raise ValueError(f"questions.jsonl:{number}: answer_ts {answer_ts} not messages of thread {thread['file']}")
        lines.append(json.dumps({
            "id": f"{thread['file']}-q{number}", "split": split_of(source, thread["channel_id"], thread["thread_ts"]),
            "source": source, "channel_id": thread["channel_id"], "thread_ts": thread["thread_ts"], "kind": kind,
            "question": str(raw["question"]), "answer_ts": answer_ts, "note": str(raw.get("note", ""))}))
    path = out / "rows.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def answer_all(checkout: Path, data: Path, rows_path: Path) -> dict[str, object]:
    """Recap's rendered reply to every row of ``rows_path`` and the eval's scores, from ``checkout``'s code (run in
    its own process): ``{"replies": [str, …], "splits": {"tune"|"check": {metric: ratio}}}``."""
    return dict(run_in_checkout(checkout, _ANSWER, str(data), str(rows_path)))


def _scores(label: str, splits: dict[str, dict[str, float | None]]) -> str:
    parts = []
    for split in ("tune", "check"):
        m = splits[split]
        parts.append(f"{split}: answer cites the answer {m['answer_recall']}, answer citations right "
                     f"{m['answer_precision']}, declined unanswerable {m['declined_unanswerable']}")
    return f"{label}: " + "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    """Draw, answer or count; exit 2 when the data or the questions are missing."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=420001)
    parser.add_argument("--threads", type=int, default=30)
    parser.add_argument("--source", choices=("julialang", "rcontrib"), default="julialang")
    parser.add_argument("--replies", type=int, nargs=2, default=(3, 40), metavar=("LEAST", "MOST"))
    parser.add_argument("--exclude", type=Path, nargs="*", default=[], help="earlier packs' threads.json to leave out")
    parser.add_argument("--shown", action="store_true",
                        help="draw threads earlier packs showed (summaries read or judged) that no pack asked about")
    parser.add_argument("--answer", action="store_true", help="answer <out>/questions.jsonl")
    parser.add_argument("--old", type=Path, help="with --answer: a checkout of the older version, for blind pairs")
    parser.add_argument("--count", type=Path, help="verdicts.jsonl to tally against <out>/key.json")
    args = parser.parse_args(argv)
    if args.count is not None:
        print(count_verdicts(args.out / "key.json", args.count, name="id", verdict="better"))
        return 0
    if not args.data.is_dir():
        print(f"no data folder at {args.data}", file=sys.stderr)
        return 2
    if args.answer:
        threads = json.loads((args.out / "threads.json").read_text(encoding="utf-8"))
        if not (args.out / "questions.jsonl").exists():
            print(f"no questions at {args.out / 'questions.jsonl'}", file=sys.stderr)
            return 2
        rows_path = eval_rows(args.out, threads)
        new = answer_all(ROOT, args.data, rows_path)
        print(_scores("this checkout", new["splits"]))  # type: ignore[arg-type]
        rows = [json.loads(line) for line in rows_path.read_text(encoding="utf-8").splitlines() if line.strip()]
        by_file = {t["file"]: t for t in threads}
        if args.old is None:
            folder = args.out / "read"
            folder.mkdir(parents=True, exist_ok=True)
            for file, thread in by_file.items():
                lines = transcript(args.data, thread)
                asked = [(row, reply) for row, reply in zip(rows, new["replies"], strict=True)  # type: ignore[call-overload]
                         if row["id"].startswith(f"{file}-")]
                for row, reply in asked:
                    lines += ["", f"## Question {row['id']}: {row['question']}", "", "### Recap's reply", "", reply]
                if asked:
                    (folder / f"{file}.md").write_text("\n".join(lines), encoding="utf-8")
            print(f"{len(rows)} questions on {len(by_file)} threads to read: {folder}")
            return 0
        old = answer_all(args.old, args.data, rows_path)
        print(_scores("old checkout", old["splits"]))  # type: ignore[arg-type]
        folder = args.out / "judge"
        folder.mkdir(parents=True, exist_ok=True)
        order = random.Random(args.seed + 1)
        key: dict[str, str] = {}
        for row, before, after in zip(rows, old["replies"], new["replies"], strict=True):  # type: ignore[call-overload]
            if before == after:
                continue
            new_first = order.random() < 0.5
            key[row["id"]] = "A" if new_first else "B"
            first, second = (after, before) if new_first else (before, after)
            lines = transcript(args.data, by_file[row["id"].rsplit("-q", 1)[0]])
            lines += ["", f"## Question: {row['question']}", "", "## Reply A", "", first, "", "## Reply B", "", second]
            (folder / f"{row['id']}.md").write_text("\n".join(lines), encoding="utf-8")
        (args.out / "key.json").write_text(json.dumps(key), encoding="utf-8")
        print(f"{len(key)} of {len(rows)} replies changed: {folder}")
        return 0
    if args.shown:
        drawn = draw_shown(args.data, args.threads, args.seed, replies=tuple(args.replies))
    elif args.source == "rcontrib":
        drawn = draw_rcontrib(args.data, args.threads, args.seed, args.exclude, replies=tuple(args.replies))
    else:
        drawn = [{"source": "julialang", **row}
                 for row in draw(args.data, args.threads, args.seed, args.exclude, replies=tuple(args.replies))]
    folder = args.out / "ask"
    folder.mkdir(parents=True, exist_ok=True)
    threads = [{"file": f"{n:02d}", **row} for n, row in enumerate(drawn)]
    for thread in threads:
        (folder / f"{thread['file']}.md").write_text("\n".join(transcript(args.data, thread)), encoding="utf-8")
    (args.out / "threads.json").write_text(json.dumps(threads, indent=1), encoding="utf-8")
    (args.out / "meta.json").write_text(json.dumps({"data": str(args.data.resolve()), "seed": args.seed}), encoding="utf-8")
    record(drawn, seed=args.seed, use="ask")
    print(f"{len(threads)} threads to ask about: {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
