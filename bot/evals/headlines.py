"""``recap eval headlines``: is a weekly digest's headline the week's most important event? Scored on labelled weeks.

The rows are in ``evals/digests/headlines.jsonl``, one channel-week a line (see ``docs/evals.md``): the week is
named by ``source`` (``rcontrib``: the R Contributors Slack export under ``../shared/data``), ``channel`` (the
export's folder name), ``channel_id`` and ``week`` (ISO, UTC). A careful reader read every message of the week,
blind to what Recap picks (the reading pack: ``bench/headline_pack.py``), and labelled:

* ``main_event``: the messages whose own text states the week's most important event (one to three, best first):
  what a member who missed the week would most regret not knowing;
* ``also_fine``: other messages a reader would still accept as the headline (a second event, or another message
  stating the same one);
* ``event`` and ``kind``: the event in the labeller's words, and what kind it is (announcement, outcome, …).

Each row has a ``split``: ``tune`` (for building the digest) or ``check`` (only for measuring it), alternating in
the order the weeks were drawn.

Scores, per split (the headline "cites" a message when its point's ``source_ts`` holds that message's ``ts``; the
headline point is :func:`bot.digests.render.headline_said`):

* **headline right**: digests whose headline cites a ``main_event`` message / labelled weeks;
* **headline acceptable**: … cites a ``main_event`` or ``also_fine`` message;
* **right thread**: … cites a message of the thread of a ``main_event`` message (the reader lands in the right
  conversation even when the sentence is not the one that says it).

CI fails on a regression below the measured floors (:data:`FLOORS`, the ``check`` half).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.models import Message

SOURCES = {"rcontrib": "slack-export-rcontrib"}
FLOORS = {"headline_right": 0.633, "headline_acceptable": 0.866}
"""The ``check`` half's measured floors (19 and 26 of 30 weeks, :mod:`bot.digests.events`; the busiest thread's
point before it: 9 and 19): a regression below them fails CI; raise them as headlines improve."""


@dataclass(frozen=True)
class HeadlineRow:
    """One labelled channel-week (see the module)."""

    id: str
    source: str
    channel: str
    channel_id: str
    week: str
    split: str
    main_event: tuple[str, ...]
    also_fine: tuple[str, ...]
    event: str
    kind: str


def load_rows(path: Path) -> list[HeadlineRow]:
    """The labelled weeks of ``path`` (JSON lines).

    Raises:
        FileNotFoundError: no such file. ValueError: a row without its week, split or a ``main_event`` message.
    """
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        raw = json.loads(line)
        main = tuple(str(ts) for ts in raw.get("main_event") or [])
        if raw.get("source") not in SOURCES or not raw.get("week") or raw.get("split") not in ("tune", "check") \
                or not main:
            raise ValueError(f"{path}:{number}: a row needs source (rcontrib), week, split and main_event")
        rows.append(HeadlineRow(str(raw["id"]), raw["source"], str(raw["channel"]), str(raw["channel_id"]),
                                str(raw["week"]), raw["split"], main,
                                tuple(str(ts) for ts in raw.get("also_fine") or []), str(raw.get("event") or ""),
                                str(raw.get("kind") or "")))
    return rows


@dataclass
class _Counts:
    weeks: int = 0
    right: int = 0
    acceptable: int = 0
    right_thread: int = 0
    no_headline: int = 0


def _thread_of(ts: str, messages: Sequence[Message]) -> str:
    by_ts = {m.ts: m for m in messages}
    message = by_ts.get(ts)
    return (message.thread_ts or message.ts) if message is not None else ts


def _score(cited: set[str], row: HeadlineRow, messages: Sequence[Message], counts: _Counts) -> list[str]:
    """Add one week's counts; returns what a reader would call wrong, one line each."""
    counts.weeks += 1
    if not cited:
        counts.no_headline += 1
        return ["the headline cites no message"]
    right = bool(cited & set(row.main_event))
    acceptable = right or bool(cited & set(row.also_fine))
    threads = {_thread_of(ts, messages) for ts in row.main_event}
    counts.right += right
    counts.acceptable += acceptable
    counts.right_thread += bool({_thread_of(ts, messages) for ts in cited} & threads)
    if acceptable:
        return []
    return [f"headline cites {sorted(cited)}, not {list(row.main_event)} ({row.kind}: {row.event})"]


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _metrics(c: _Counts) -> dict[str, Any]:
    return {"headline_right": _ratio(c.right, c.weeks), "headline_acceptable": _ratio(c.acceptable, c.weeks),
            "right_thread": _ratio(c.right_thread, c.weeks), "no_headline": c.no_headline, "weeks": c.weeks}


def run_headlines(*, path: Path, data_dir: Path, provider: Any = None, system: str = "offline/extractive",
                  limit: int | None = None, threshold: bool = True) -> Any:
    """Build every labelled week's channel digest as ``recap digest`` does and score its headline, per split.

    Args:
        path: the rows (``evals/digests/headlines.jsonl``).
        data_dir: the shared data folder holding :data:`SOURCES`.
        provider: the model provider the digests use (None: offline, the extractive summarizer).
        system: its name in the report.
        limit: only the first ``limit`` rows.
        threshold: when True, ``ok`` is False if the ``check`` half falls below :data:`FLOORS`.

    Returns:
        An :class:`~bot.evals.report.EvalReport` of kind ``"headlines"``: ``metrics["splits"][split]`` holds the
        ratios (0..1) and counts; ``cases`` one per week with the headline and what was wrong; ``score`` the check
        half's "headline right".

    Raises:
        FileNotFoundError: rows or data missing. ValueError: an invalid row.
    """
    from bot.digests.cli import build_channel
    from bot.digests.render import headline, headline_said
    from bot.evals.report import CaseResult, EvalReport
    from bot.periods import iso_week
    from bot.slack.export import ExportReader

    started = time.perf_counter()
    rows = load_rows(path)[:limit]
    readers: dict[str, ExportReader] = {}
    counts = {"tune": _Counts(), "check": _Counts()}
    cases = []
    for row in rows:
        where = data_dir / SOURCES[row.source]
        if not where.is_dir():
            raise FileNotFoundError(f"{where} is missing (the shared data folder; see docs/evals.md)")
        reader = readers.setdefault(row.source, ExportReader(where))
        digest, _, messages = build_channel(reader, provider, row.channel, iso_week(row.week, "UTC"))
        point = headline_said(digest)
        cited = set(point.source_ts) if point is not None else set()
        wrong = _score(cited, row, messages, counts[row.split])
        cases.append(CaseResult(f"{row.split}:{row.id}", not wrong, wrong, output=f"headline: {headline(digest)}"))
    splits = {name: _metrics(c) for name, c in counts.items()}
    failures = [f"check: {key} {splits['check'][key]} < {goal}" for key, goal in FLOORS.items()
                if splits["check"].get(key) is not None and splits["check"][key] < goal]
    return EvalReport(
        set="headlines", kind="headlines", system=system, n=len(rows),
        threshold="check half: no score below FLOORS (bot.evals.headlines)" if threshold else "none (--no-threshold)",
        ok=not failures or not threshold, score=splits["check"]["headline_right"] or 0.0,
        metrics={"splits": splits, "floors": FLOORS,
                 "rule": "the headline counts when its point cites a message labelled as the week's main event"},
        failures=failures, cases=cases, seconds=round(time.perf_counter() - started, 2), source=str(path),
    )


ROWS = (("headline_right", "headline is the main event"), ("headline_acceptable", "headline acceptable"),
        ("right_thread", "headline from the main event's thread"), ("no_headline", "headline cites nothing"))


def print_headlines(report: Any, *, console: Any = None, cases: str | None = None) -> None:
    """Draw a headlines report as a ``rich`` table (one row a metric, one column a split); with ``cases``
    (``"tune"`` or ``"check"``), then each of that half's wrong headlines with the labelled event."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console(width=120)
    splits: dict[str, dict[str, Any]] = report.metrics["splits"]
    table = Table(title=f"Digest headlines ({report.system}): labelled real channel-weeks, tune / check halves")
    for column in ("metric", *(f"{s} ({splits[s]['weeks']})" for s in splits)):
        table.add_column(column)
    for key, label in ROWS:
        values = [splits[s].get(key) for s in splits]
        table.add_row(label, *("-" if v is None else f"{v:.2f}" if isinstance(v, float) else str(v) for v in values))
    console.print(table)
    for failure in report.failures:
        console.print(f"[red]regression[/] {failure}", highlight=False)
    for case in report.cases if cases else ():
        if case.id.startswith(f"{cases}:") and not case.passed:
            console.print(f"{case.id}: {case.output}\n    " + "\n    ".join(case.reasons), highlight=False,
                          markup=False)
