"""Benchmark: prompt tokens Recap sends per request against the compact transcript of what it summarizes.

Run from the repository root (a script, not a test)::

    .venv/bin/python bench/token_bench.py [--threads 10] [--weeks 3] [--calibrate]

Setup: real threads (the ``--threads`` longest with 8–80 replies) and channel weeks (the ``--weeks``
busiest Monday-to-Monday windows) of the R-contributors export in ``../shared/data/slack-export-rcontrib``
read with :class:`bot.slack.export.ExportReader`. Each request is what a mention in a thread costs today:

- the summary: :func:`bot.summaries.summarize.summarize` (map-reduce when it does not fit; the
  provider's window is ``--context`` tokens);
- the title: :func:`bot.titles.titling.make_title` from the summary's overview and first points (the
  titles hook runs it after the first answer, with the summary: :func:`bot.titles.titling.summary_lines`);
- the style: :func:`bot.titles.style.learn_profile` of the user's 5 previous conversations (a window
  sliding over the threads: every request is a new conversation of one active user), when
  ``current_profile``'s rule (``bot.titles.titling._still_current``) says the stored profile is stale.

A recording provider answers every call (valid JSON citing the chunk's first message for summaries, a
short line otherwise) and records ``system + prompt``. Not counted: the JSON schema a structured call
carries beside the prompt (Anthropic's tool ``input_schema``, OpenAI's ``response_format``), printed on
its own line; and repairs, which this provider never needs (the run prints how many there were). Not
modelled either: the prompt cache (a follow-up question re-sends the system prompt and transcript, read
from the cache at a tenth of the price). Tokens are :func:`bot.llm.tokens.count_tokens` on both sides
of the ratio (and ``cl100k_base`` when the ``bpe-openai`` package is importable). The
compact transcript is ``Name: text`` once per message. Printed: per part, the prompt tokens and their
share; last line ``prompt tokens / compact transcript: R``.

``--calibrate``: the token estimate against ``cl100k_base`` and ``o200k_base`` (``bpe-openai``, which
ships its vocabularies: ``pip install --target .bpe bpe-openai`` and ``PYTHONPATH=.bpe``) on the
export's messages, its code messages, and the CJK and other-language cases of ``evals/cases``: the ratio
estimate/real in total and for the lowest 20-message block.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pydantic import BaseModel

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.llm.base import Completion  # noqa: E402
from bot.llm.schema import strict_json_schema  # noqa: E402
from bot.llm.structured import REPAIRS, WIRE_SCHEMA  # noqa: E402
from bot.llm.tokens import count_tokens  # noqa: E402
from bot.models import Message  # noqa: E402
from bot.slack.export import ExportReader  # noqa: E402
from bot.summaries.summarize import summarize  # noqa: E402
from bot.titles.style import PastConversation, learn_profile, neutral_profile  # noqa: E402
from bot.titles.titling import _source_key, _still_current, make_title, summary_lines  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "slack-export-rcontrib"
_IDS = re.compile(r"(?m)^(m\d+) ")


class RecordingProvider:
    """A :class:`bot.llm.base.Provider` that answers plausibly and records what it was sent."""

    name = "recording"
    model = "recording-1"

    def __init__(self, context_tokens: int) -> None:
        self.context_tokens = context_tokens
        self.calls: list[tuple[str, str]] = []  # (part, system + prompt)
        self.part = "summary"

    def complete(self, *, system: str, prompt: str, max_tokens: int = 1024,
                 schema: type[BaseModel] | None = None) -> Completion:
        self.calls.append((self.part, system + "\n" + prompt))
        if schema is None:
            return Completion(text="Release planning and the build cache", model=self.model)
        ids = _IDS.findall(prompt) or re.findall(r'"(m\d+)"', prompt) or ["m1"]
        answer = {"overview": "The people discussed the topic of the conversation.",
                  "key_points": [{"text": "A point made in the conversation.", "sources": ids[:2]}],
                  "decisions": [], "action_items": [], "open_questions": []}
        if "answer" in schema.model_fields:
            answer["answer"] = "An answer."
        return Completion(text=json.dumps(answer), model=self.model, stop_reason="stop")

    def stream(self, *, system: str, prompt: str, max_tokens: int = 1024) -> Iterator[str]:
        yield self.complete(system=system, prompt=prompt, max_tokens=max_tokens).text

    def count_tokens(self, text: str) -> int:
        return count_tokens(text)


def compact(messages: list[Message]) -> str:
    """The compact transcript: ``Name: text`` once per message."""
    return "\n".join(f"{m.user_name}: {m.text}" for m in messages)


def pick_threads(reader: ExportReader, count: int) -> list[list[Message]]:
    """The ``count`` threads with the most replies between 8 and 80, across channels."""
    found: list[tuple[int, str, str]] = []
    for channel in reader.channels():
        for day in sorted((DATA / channel.name).glob("*.json")):
            for raw in json.loads(day.read_text(encoding="utf-8")):
                replies = raw.get("reply_count") or 0
                if 8 <= replies <= 80 and raw.get("thread_ts") == raw.get("ts"):
                    found.append((replies, channel.id, raw["ts"]))
    found.sort(reverse=True)
    threads = [reader.thread(channel_id, ts) for _, channel_id, ts in found[:count]]
    return [[m for m in t if not m.is_bot and m.text.strip()] for t in threads]


def pick_weeks(reader: ExportReader, count: int) -> list[list[Message]]:
    """The ``count`` busiest (channel, ISO week) windows."""
    weeks: Counter[tuple[str, str]] = Counter()
    for channel in reader.channels():
        for day in (DATA / channel.name).glob("*.json"):
            date = datetime.strptime(day.stem, "%Y-%m-%d").replace(tzinfo=timezone.utc)
            monday = (date - timedelta(days=date.weekday())).strftime("%Y-%m-%d")
            raws = json.loads(day.read_text(encoding="utf-8"))
            weeks[(channel.id, monday)] += sum(1 for r in raws if not r.get("subtype") and r.get("text"))
    out = []
    for (channel_id, monday), _ in weeks.most_common(count):
        start = datetime.strptime(monday, "%Y-%m-%d").replace(tzinfo=timezone.utc).timestamp()
        messages = reader.history(channel_id, oldest=start, latest=start + 7 * 86400)
        out.append([m for m in messages if not m.is_bot and m.text.strip()])
    return out


def run(conversations: list[list[Message]], *, past: list[list[Message]], context: int, label: str
        ) -> tuple[int, int, Counter[str]]:
    """Send every conversation through summary, title and style (learned from 5 conversations of
    ``past``); return (prompt tokens, compact transcript tokens, prompt tokens per part)."""
    provider = RecordingProvider(context)
    compact_tokens = 0
    stored: str | None = None
    for n, messages in enumerate(conversations):
        compact_tokens += count_tokens(compact(messages))
        provider.part = "summary"
        summary = summarize(messages, provider=provider)
        provider.part = "title"
        lines = summary_lines(summary.overview, [p.text for p in summary.all_points()], summary.answer)
        make_title([m.text for m in messages], style=neutral_profile(), provider=provider, summary_lines=lines)
        window = [(n + k) % len(past) for k in range(5)]
        previous = [PastConversation(texts=tuple(m.text for m in past[i][:10]), title="a title", kept_title=True,
                                     created_at=datetime(2024, 1, 1 + i, tzinfo=timezone.utc)) for i in window]
        key = _source_key(previous, provider)
        if not _still_current(stored, key):
            provider.part = "style"
            learn_profile(previous, provider=provider)
            stored = key
    per_part: Counter[str] = Counter()
    for part, text in provider.calls:
        per_part[part] += count_tokens(text)
    total = sum(per_part.values())
    print(f"{label}: {len(conversations)} conversations, {sum(map(len, conversations))} messages, "
          f"{len(provider.calls)} calls")
    for part, tokens in per_part.most_common():
        print(f"  {part:8} {tokens:>9,} prompt tokens  {tokens / total:6.1%}  {tokens / compact_tokens:5.2f}x compact")
    return total, compact_tokens, per_part


def calibrate() -> None:
    """The token estimate against real tokenizers (see the module docstring)."""
    try:
        import bpe_openai  # type: ignore[import-not-found]
    except ImportError:
        print("--calibrate needs the bpe-openai package (pip install --target .bpe bpe-openai; "
              "PYTHONPATH=.bpe)")
        return
    reader = ExportReader(DATA)
    texts: dict[str, list[str]] = {"english": [], "code": [], "cjk": [], "other": []}
    for channel in reader.channels():
        for day in sorted((DATA / channel.name).glob("*.json"))[:40]:
            for raw in json.loads(day.read_text(encoding="utf-8")):
                text = raw.get("text") or ""
                if text:
                    texts["code" if "```" in text else "english"].append(text)
    for path in sorted((ROOT / "evals" / "cases").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("{"):
                continue
            for message in json.loads(line).get("messages", []):
                text = message.get("text", "")
                if re.search(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]", text):
                    texts["cjk"].append(text)
                elif re.search(r"[^\x00-\x7f]", text):
                    texts["other"].append(text)
    for name in ("cl100k_base", "o200k_base"):
        encoding = bpe_openai.get_encoding(name)
        for kind, items in texts.items():
            blocks = ["\n".join(items[i: i + 20]) for i in range(0, len(items), 20)]
            estimate = [count_tokens(b) for b in blocks]
            real = [len(encoding.encode(b)) for b in blocks]
            lowest = min(e / r for e, r in zip(estimate, real, strict=True) if r)
            print(f"{name:12} {kind:8} {len(items):5} messages  estimate/real {sum(estimate) / sum(real):.2f}  "
                  f"lowest 20-message block {lowest:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=10)
    parser.add_argument("--weeks", type=int, default=3)
    parser.add_argument("--context", type=int, default=100_000, help="the provider's window, tokens")
    parser.add_argument("--calibrate", action="store_true")
    args = parser.parse_args()
    if not DATA.is_dir():
        sys.exit(f"no data at {DATA}: see ../shared/data/README.md")
    if args.calibrate:
        calibrate()
        return
    reader = ExportReader(DATA)
    total = compact_total = 0
    threads = pick_threads(reader, args.threads)
    for label, conversations in (("threads", threads), ("weeks", pick_weeks(reader, args.weeks))):
        sent, compact_tokens, _ = run(conversations, past=threads, context=args.context, label=label)
        total += sent
        compact_total += compact_tokens
    schema = count_tokens(json.dumps(strict_json_schema(WIRE_SCHEMA)))
    print(f"not counted: the JSON schema beside each structured call, {schema} tokens (cached with the "
          f"system prompt on Anthropic); repairs: {sum(REPAIRS.values())}")
    print(f"prompt tokens / compact transcript: {total / compact_total:.2f}")


if __name__ == "__main__":
    main()
