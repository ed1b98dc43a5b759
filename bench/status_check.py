"""Benchmark (quality, tried and not shipped): could a thread summary say "solved" or "still open" on its own?

Run from the repository root (a script, not a test; needs ``../shared/data``)::

    .venv/bin/python bench/status_check.py

Readers of the twenty-sixth round's user pass asked, in 8 of 40 threads, to be told plainly that a question was
left unresolved, and trusted a line more when the asker had confirmed it. Before building a status label, it was
measured: ``evals/sections/status.jsonl`` gives each of the 294 labelled section threads a status at its end, read by
helper agents that saw the thread only (never a summary): ``solved`` (the person who raised it said it worked, or
clearly accepted an answer, or the request was done), ``answered`` (a substantive answer, never confirmed),
``open`` (still unresolved at the end) or ``none`` (nothing was asked). This script scores two detectors built on the
offline summarizer's own structure (:mod:`bot.summaries.structure`) against those labels, per half (the detectors
were written looking at the ``tune`` half only):

* ``success``: the asker reported that something worked (``_worked``, thanks alone not counted), and no later
  message of theirs says it failed or raises something new;
* ``outcome``: "Where it ended" cites the asker confirming or acknowledging someone else's answer, or the asker's
  own success report; ``open`` when the asker's last word, after a reply, is a question of six words or more, a
  failure, or "I'll try it later" with nothing said after it, or when no one else replied at all.

It prints precision and recall of "solved" and "open" for each. Figures: docs/evals.md, "Twenty-sixth round".
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.evals.sections import load_thread  # noqa: E402
from bot.summaries import structure as st  # noqa: E402
from bot.summaries.sentences import word_count  # noqa: E402

_LATER = re.compile(r"\b(?:i'?ll|i will|will) (?:try|report back|let you know|check|test|give it a (?:try|go|shot))\b[^.?!]*"
                    r"\b(?:later|tomorrow|next time|tonight|when|once|soon|monday|after)\b|\b(?:i'?ll|will) report back\b")
_FAIL = re.compile(r"\b(?:still|same) (?:error|problem|issue|fails?|failing|broken|crash(?:es|ing)?)\b|\b(?:doesn't|does not|"
                   r"didn't|did not|won't|can't|cannot) (?:seem to )?(?:work|help|fix|solve|change)\b|\bno luck\b|"
                   r"\bstill (?:get|getting|see|seeing|have|having)\b")


def by_success(conv: st.Conversation) -> str | None:
    """``"solved"`` when the asker reported success (thanks alone not counted) and nothing after took it back."""
    asker, n = conv.author(0), len(conv.messages)
    success = [i for i in range(1, n) if conv.author(i) == asker
               and any(not st._THANKS_FOR_HELP.match(st._lower(s)) for s in st._worked(conv, i))
               and not st._PARTLY.search(st._lower(conv.messages[i].text))]
    if success:
        last = success[-1]
        failed = any(conv.author(j) == asker and st._NOT_WORKING.search(st._lower(conv.messages[j].text))
                     for j in range(last + 1, n))
        if not failed and st._went_on(conv, last) is None:
            return "solved"
    return None


def by_outcome(conv: st.Conversation) -> str | None:
    """``"solved"`` or ``"open"`` from where the thread ended and the asker's last word (see the module docstring)."""
    asker, n = conv.author(0), len(conv.messages)
    item = st.outcome(conv)
    cited = item.messages if item is not None else ()
    for k in reversed(cited):
        text = st._lower(conv.messages[k].text)
        if k > 0 and conv.author(k) == asker and (st._worked(conv, k) or st._acknowledges(conv, k) and any(
                conv.author(j) != asker for j in cited)) and not st._PARTLY.search(text) and not _LATER.search(text) \
                and not any(conv.author(j) == asker and _FAIL.search(st._lower(conv.messages[j].text)) for j in range(k + 1, n)):
            return "solved"
    if not any(st.is_question(x) or st.asks(x) for x in conv.content[0]):
        return None
    replies = [j for j in range(1, n) if conv.author(j) != asker and not conv.noise(j) and st._own_words(conv, j) >= 5]
    if not replies:
        return "open"
    last = next((j for j in range(n - 1, 0, -1) if conv.author(j) == asker and not conv.noise(j)), None)
    if last is not None and last > replies[0] and not any(j > last for j in replies) and not st._worked(conv, last):
        text = st._lower(conv.messages[last].text)
        if _FAIL.search(text) or _LATER.search(text) or any(
                st.is_question(x) and word_count(x) >= 6 and not st._TAG_QUESTION.search(st._lower(x)) for x in conv.content[last]):
            return "open"
    return None


def main(argv: list[str] | None = None) -> int:
    """Print each detector's precision and recall of "solved" and "open", per half; exit 2 without the data."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args(argv)
    if not (args.data / "slack-api-julialang").is_dir():
        print(f"no shared data at {args.data}", file=sys.stderr)
        return 2
    threads = {row["id"]: row for row in map(json.loads, (ROOT / "evals/sections/threads.jsonl").read_text().splitlines())}
    labels = [json.loads(line) for line in (ROOT / "evals/sections/status.jsonl").read_text().splitlines() if line.strip()]
    for name, detect in (("success", by_success), ("outcome", by_outcome)):
        for half in ("tune", "check"):
            pairs: Counter[tuple[str | None, str]] = Counter()
            for label in labels:
                if label["split"] != half:
                    continue
                row = threads[label["id"]]
                conv = st.Conversation(load_thread(args.data, row["source"], row["channel_id"], row["thread_ts"]))
                pairs[(detect(conv), label["status"])] += 1
            gold = Counter(status for (_, status), count in pairs.items() for _ in range(count))
            for status in ("solved", "open"):
                said = sum(count for (got, _), count in pairs.items() if got == status)
                right = pairs[(status, status)]
                print(f"{name:8} {half:5} {status:6} precision {right}/{said} = {right / max(said, 1):.2f}   "
                      f"recall {right}/{gold[status]} = {right / max(gold[status], 1):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
