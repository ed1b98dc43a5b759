"""Benchmark (quality, no labels): are channels that talk without threads summarized across their period?

Run from the repository root (a script, not a test; needs ``../shared/data``)::

    .venv/bin/python bench/flow_coverage.py [--export slack-export-houstondatavis] [--days 30]

Many channels talk in the main flow, not in threads. For every channel of the export, its history is cut into
windows of ``--days`` days (UTC), and every window with people's messages on at least two days and no thread
with replies is summarized as ``recap summarize --export … --since … --until …`` does it, offline
(:func:`bot.summaries.pipeline.summarize_conversation`). Counted, with calendar days as a stand-in for
conversations (no labels, and independent of how Recap cuts the flow):

* **day coverage**: the days that the key points cite, out of the days they could cite
  (``min(key points, active days)``): a window's summary should not come from its first busy afternoon;
* **"Where it ended" on several days**: windows whose summary shows one outcome for conversations of
  different days (the last remark of the period, not where a conversation ended);
* **bare links**: key points that are only a link.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_BARE_LINK = re.compile(r"\s*<?https?://\S+>?\s*")


def windows(export: Path, days: int) -> list[tuple[str, date, date]]:
    """``(channel, first day, end day exclusive)`` of every ``days``-day window (counted from the channel's first
    day) in which people wrote on two days or more and no message has thread replies."""
    active: dict[str, dict[date, bool]] = defaultdict(dict)
    for day_file in sorted(export.glob("*/*.json")):
        try:
            day = date.fromisoformat(day_file.stem)
            messages = json.loads(day_file.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            continue
        people = [m for m in messages if m.get("type") == "message" and not m.get("subtype") and m.get("user")]
        threaded = any(m.get("reply_count") or (m.get("thread_ts") and m.get("thread_ts") != m.get("ts"))
                       for m in messages)
        if people:
            active[day_file.parent.name][day] = active[day_file.parent.name].get(day, False) or threaded
    out = []
    for channel, by_day in sorted(active.items()):
        first = min(by_day)
        starts = sorted({first + timedelta(days=days * ((d - first).days // days)) for d in by_day})
        for start in starts:
            inside = [d for d in by_day if start <= d < start + timedelta(days=days)]
            if len(inside) >= 2 and not any(by_day[d] for d in inside):
                out.append((channel, start, start + timedelta(days=days)))
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the figures; exit 2 when the export is missing."""
    from bot.periods import Window
    from bot.slack.export import ExportReader
    from bot.summaries.pipeline import ConversationRequest, summarize_conversation

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--export", default="slack-export-houstondatavis")
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args(argv)
    export = args.data / args.export
    if not export.is_dir():
        print(f"no export at {export}", file=sys.stderr)
        return 2
    reader = ExportReader(export)
    summaries = cited_days = possible_days = ended_across = bare = points = 0
    for channel, first, end in windows(export, args.days):
        oldest = datetime(first.year, first.month, first.day, tzinfo=UTC)
        latest = datetime(end.year, end.month, end.day, tzinfo=UTC)
        request = ConversationRequest(channel_id=channel, window=Window(oldest, latest, f"from {first}"))
        try:
            result = summarize_conversation(request, reader=reader, provider=None, now=latest)
        except Exception as error:  # noqa: BLE001 - a channel the reader refuses is reported, not fatal
            print(f"skipped #{channel} {first}: {error}", file=sys.stderr)
            continue
        summary = result.summary
        if summary is None:
            continue
        days = {datetime.fromtimestamp(float(m.ts), UTC).date() for m in result.messages if not m.is_bot}
        if len(days) < 2:
            continue
        summaries += 1
        cited = {datetime.fromtimestamp(float(ts), UTC).date() for p in summary.key_points for ts in p.source_ts}
        cited_days += len(cited)
        possible_days += min(len(summary.key_points), len(days))
        ended_across += summary.outcome is not None
        points += len(summary.key_points)
        bare += sum(bool(_BARE_LINK.fullmatch(p.text)) for p in summary.key_points)
    print(f"windows {summaries} ({args.days}-day windows of {args.export} with messages on 2+ days, no threads)")
    print(f"day coverage: {cited_days}/{possible_days} = {cited_days / max(1, possible_days):.2f}")
    print(f"'Where it ended' over several days: {ended_across}/{summaries}")
    print(f"bare-link key points: {bare}/{points}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
