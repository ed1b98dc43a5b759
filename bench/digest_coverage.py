"""Benchmark (quality, no labels): do offline weekly digests of real weeks tell what people talked about?

Run from the repository root (a script, not a test; needs ``../shared/data``)::

    .venv/bin/python bench/digest_coverage.py [--min-threads 3] [--top 3]

For every channel-week of the R Contributors export (``../shared/data/slack-export-rcontrib``) with at least
``--min-threads`` threads that got two or more replies inside the week, the channel digest is built as
``recap digest`` builds it, offline (:func:`bot.digests.cli.build_channel`), and three things are counted:

* **thread coverage**: of the week's ``--top`` busiest threads (the digest's "Main threads" order: replies,
  then people), the share that at least one key point cites (a message of the thread);
* **parents cited**: of those threads, the share whose parent (the message that says what the thread is
  about, when it was posted inside the week) a key point cites;
* **noise headlines**: of every digest with people's messages (busy or not), those whose headline is a sentence :func:`bot.summaries.structure.is_noise` calls
  noise (pasted code, a command, a signature, a greeting);
* **headlines that lean on what came before**: of those digests, the ones whose headline opens with a connective, a
  pronoun or a reply word ("But …", "It's …", "edit: …"; :func:`bot.digests.render.stands_alone`);
* **headlines said twice**: of those digests, the ones whose headline is shown again, word for word, as a point
  under the sections (its first 40 characters in a second section block; "Main threads" not counted: a thread's
  title is its parent's opening words);
* **main threads of pleasantries**: threads listed under "Main threads" that started before the week and whose
  replies in the week only greet or thank;
* **org headlines said twice**: of the org digests of ``general``, ``core-translation``, ``c-study-group`` and
  ``r-project-sprint`` for every week of 2022–2023 with people's messages, those whose "Across the org" cites the
  message a channel's headline quotes (the channel's own line says it).

No labels are involved: what it measures is that a week's key points come from where its conversation was,
which is what issue 11 asks of windows ("points and headlines come from inside it; a digest's headline is the
week's most important event").
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def busy_weeks(export: Path) -> list[tuple[str, str]]:
    """``(channel, ISO week)`` pairs with any message, busiest first (from the export's day files)."""
    counts: Counter[tuple[str, str]] = Counter()
    for day in export.glob("*/*.json"):
        try:
            year, week, _ = date.fromisoformat(day.stem).isocalendar()
            messages = json.loads(day.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            continue
        counts[(day.parent.name, f"{year}-W{week:02d}")] += len(messages)
    return [key for key, _ in counts.most_common()]


def _pleasantries(thread, messages, digest) -> bool:  # noqa: ANN001 - bench helper
    """True for a thread from before the week whose replies in the week only greet, thank or react."""
    from bot.summaries.structure import content_sentences

    if not thread.started_before:
        return False
    fresh = [m for m in messages if m.thread_ts == thread.thread_ts and m.ts != thread.thread_ts
             and digest.period.contains(m.ts) and not m.is_bot]
    return bool(fresh) and not any(content_sentences(m) for m in fresh)


def main(argv: list[str] | None = None) -> int:
    """Print the figures; exit 2 when the export is missing."""
    from bot.digests.cli import build_channel
    from bot.digests.render import headline, stands_alone
    from bot.periods import iso_week
    from bot.slack.export import ExportReader
    from bot.summaries.structure import is_noise

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--min-threads", type=int, default=3)
    parser.add_argument("--top", type=int, default=3)
    args = parser.parse_args(argv)
    export = args.data / "slack-export-rcontrib"
    if not export.is_dir():
        print(f"no export at {export}", file=sys.stderr)
        return 2
    reader = ExportReader(export)
    digests = weeks = covered = parents = parents_cited = threads_seen = noisy = twice = pleasantries = leaning = 0
    for channel, week in busy_weeks(export):
        try:
            digest, blocks, messages = build_channel(reader, None, channel, iso_week(week, "UTC"))
        except Exception as error:  # noqa: BLE001 - a channel the reader refuses is reported, not fatal
            print(f"skipped #{channel} {week}: {error}", file=sys.stderr)
            continue
        if digest.summary is None:
            continue
        digests += 1
        noisy += is_noise(headline(digest))
        leaning += not stands_alone(headline(digest))
        said = " ".join(headline(digest).split())[:40]
        sections = [b["text"]["text"] for b in blocks if b.get("type") == "section"
                    and not b["text"]["text"].startswith("*Main threads*")]  # a thread's title is its parent's words
        twice += sum(said in " ".join(text.split()) for text in sections) > 1
        pleasantries += sum(_pleasantries(t, messages, digest) for t in digest.threads
                            if t.thread_ts in digest.linked_threads)
        busy = [t for t in digest.threads if t.replies >= 2]
        if len(busy) < args.min_threads:
            continue
        weeks += 1
        by_ts = {m.ts: m for m in messages}
        cited = {ts for p in digest.summary.key_points for ts in p.source_ts}
        for thread in busy[: args.top]:
            members = {m.ts for m in messages if m.thread_ts == thread.thread_ts or m.ts == thread.thread_ts}
            threads_seen += 1
            covered += bool(cited & members)
            parent = by_ts.get(thread.thread_ts)
            if parent is not None and digest.period.contains(parent.ts):
                parents += 1
                parents_cited += thread.thread_ts in cited
    print(f"weeks {weeks} (>= {args.min_threads} threads with 2+ replies)")
    print(f"thread coverage (top {args.top}): {covered}/{threads_seen} = {covered / max(1, threads_seen):.2f}")
    print(f"parents cited: {parents_cited}/{parents} = {parents_cited / max(1, parents):.2f}")
    print(f"noise headlines: {noisy}/{digests} digests with people's messages")
    print(f"headlines said twice: {twice}/{digests}")
    print(f"headlines that lean on what came before: {leaning}/{digests}")
    print(f"main threads of pleasantries: {pleasantries}")
    org, org_twice = _org_twice(reader)
    print(f"org digests whose 'Across the org' repeats a channel headline: {org_twice}/{org}")
    return 0


ORG_CHANNELS = ("general", "core-translation", "c-study-group", "r-project-sprint")


def _org_twice(reader) -> tuple[int, int]:  # noqa: ANN001 - bench helper
    """``(org digests with an "Across the org" section, those where it links a message a channel's line quotes as
    its headline)``
    over every week of 2022–2023."""
    from bot.digests.cli import build_org
    from bot.digests.render import headline_said
    from bot.periods import iso_week

    org = twice = 0
    for year in (2022, 2023):
        for week in range(1, 53):
            digest, blocks, _ = build_org(reader, None, list(ORG_CHANNELS), iso_week(f"{year}-W{week:02d}", "UTC"))
            texts = [b["text"]["text"] for b in blocks if b.get("type") == "section"]
            if "*Across the org*" not in texts:
                continue
            across = texts[texts.index("*Across the org*") + 1]
            listed = {n.channel_id for n in digest.news}  # these channels' lines show no headline of their own
            links = {c.permalinks[ts] for c in digest.channels if not c.quiet and c.channel_id not in listed
                     for p in [headline_said(c)] if p is not None for ts in p.source_ts if ts in c.permalinks}
            org += 1
            twice += any(link in across for link in links)
    return org, twice


if __name__ == "__main__":
    raise SystemExit(main())
