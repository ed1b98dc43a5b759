"""Real-model check: Recap's model path against SmolLM2-135M behind llama.cpp's OpenAI-compatible server.

Not run in CI (the server's build takes ~17 minutes). Set it up and start it first::

    ../shared/tools/local-llm/setup && ../shared/tools/local-llm/serve
    .venv/bin/python bench/real_model_check.py [--threads 4] [--base-url http://127.0.0.1:8088/v1]

What it does, on the ``--threads`` real threads of the R-contributors export (``../shared/data``) with
5–15 replies:

1. ``recap summarize --export … --channel … --thread …`` as a subprocess (the CLI path, once, with
   ``LLM_PROVIDER=openai``), then :func:`bot.summaries.summarize.summarize` on every thread, twice: with
   JSON constraints (``response_format`` json_schema, or json_object when the server refuses schemas)
   and without (``json_mode="prompt"``: the prompt alone).
2. Checks every result: no echoed template text (:func:`bot.llm.schema.is_template_echo`) in the overview
   or a point; no empty "model" summary; every model point cites a message of its thread; every
   fallback labelled with a reason (``fallback_reason``).
3. An abandoned request: one call with a 1-second timeout and a large output budget, then a tiny call;
   its latency shows whether the server kept generating the abandoned answer.

Prints one line per summary and a total; exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.errors import LLMError  # noqa: E402
from bot.llm.openai import OpenAIProvider  # noqa: E402
from bot.llm.schema import is_template_echo  # noqa: E402
from bot.models import Message, Summary  # noqa: E402
from bot.slack.export import ExportReader  # noqa: E402
from bot.summaries.summarize import summarize  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "slack-export-rcontrib"


def pick_threads(reader: ExportReader, count: int) -> list[tuple[str, str, list[Message]]]:
    """``count`` threads with 5–15 replies: (channel name, thread ts, messages)."""
    out = []
    for channel in reader.channels():
        for day in sorted((DATA / channel.name).glob("*.json")):
            for raw in json.loads(day.read_text(encoding="utf-8")):
                if 5 <= (raw.get("reply_count") or 0) <= 15 and raw.get("thread_ts") == raw.get("ts"):
                    messages = [m for m in reader.thread(channel.id, raw["ts"]) if not m.is_bot and m.text.strip()]
                    out.append((channel.name, raw["ts"], messages))
                    if len(out) >= count:
                        return out
    return out


def problems_of(summary: Summary, messages: list[Message]) -> list[str]:
    """What is wrong with one result (the checks of the module docstring)."""
    found = []
    if summary.offline:
        if not summary.fallback_reason:
            found.append("offline without a reason")
        return found
    thread_ts = {m.ts for m in messages}
    points = summary.all_points()
    if not points and not summary.answer:
        found.append("empty model summary")
    for text in [summary.overview, *(p.text for p in points)]:
        if text and is_template_echo(text):
            found.append(f"echo {text[:50]!r}")
    for point in points:
        if not point.source_ts or not set(point.source_ts) <= thread_ts:
            found.append(f"uncited point {point.text[:50]!r}")
    return found


def abandoned_request(base_url: str, model: str) -> str:
    """Time a tiny call right after a call abandoned by its timeout."""
    slow = OpenAIProvider(api_key="local", base_url=base_url, model=model, timeout=1.0, max_retries=0)
    fast = OpenAIProvider(api_key="local", base_url=base_url, model=model, timeout=120, max_retries=0)
    started = time.monotonic()
    fast.complete(system="Answer in one word.", prompt="Say hi.", max_tokens=4)
    alone = time.monotonic() - started
    try:
        slow.complete(system="You write long stories.", prompt="Write a very long story about a lighthouse.",
                      max_tokens=2000)
    except LLMError:
        pass
    started = time.monotonic()
    fast.complete(system="Answer in one word.", prompt="Say hi.", max_tokens=4)
    after = time.monotonic() - started
    return f"tiny call alone {alone:.1f} s; right after an abandoned 2,000-token call {after:.1f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--base-url", default=os.environ.get("OPENAI_BASE_URL", "http://127.0.0.1:8088/v1"))
    parser.add_argument("--model", default=os.environ.get("LLM_MODEL", "smollm2-135m-instruct"))
    parser.add_argument("--context", type=int, default=int(os.environ.get("LLM_CONTEXT_TOKENS") or 8192))
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()
    reader = ExportReader(DATA)
    threads = pick_threads(reader, args.threads)
    failures = 0

    channel, ts, _ = threads[0]
    env = {**os.environ, "LLM_PROVIDER": "openai", "OPENAI_API_KEY": "local", "OPENAI_BASE_URL": args.base_url,
           "LLM_MODEL": args.model, "LLM_CONTEXT_TOKENS": str(args.context), "LLM_TIMEOUT": str(args.timeout)}
    cli = subprocess.run([str(ROOT / ".venv" / "bin" / "recap"), "summarize", "--export", str(DATA), "--channel",
                          channel, "--thread", ts], capture_output=True, text=True, env=env, timeout=1800)
    print(f"recap summarize (#{channel} {ts}): exit {cli.returncode}")
    print("  " + "\n  ".join(cli.stdout.strip().splitlines()[:12]))
    if cli.returncode != 0:
        failures += 1
        print("  stderr: " + cli.stderr.strip()[-500:])

    for mode in ("constrained", "prompt"):
        provider = OpenAIProvider(api_key="local", base_url=args.base_url, model=args.model,
                                  timeout=args.timeout, max_retries=0, context_tokens=args.context)
        if mode == "prompt":
            provider.json_mode = "prompt"
        for channel, ts, messages in threads:
            started = time.monotonic()
            summary = summarize(messages, provider=provider)
            found = problems_of(summary, messages)
            failures += bool(found)
            kind = f"offline ({summary.fallback_reason})" if summary.offline else \
                f"model, {len(summary.all_points())} cited points"
            print(f"[{mode:11}] #{channel} {ts} {len(messages):3} messages, {time.monotonic() - started:5.1f} s: "
                  f"{kind}{'; PROBLEMS: ' + '; '.join(found) if found else ''}")
        print(f"[{mode:11}] server JSON mode used: {provider.json_mode}")
    print("abandoned request: " + abandoned_request(args.base_url, args.model))
    print(f"checks failed: {failures}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
