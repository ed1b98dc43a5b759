"""``recap eval sections``: are a summary's sections right? Scored on labelled real threads.

The rows are in ``evals/sections/threads.jsonl``, one thread a line (see ``docs/evals.md``): the thread
is named by ``source`` (``rcontrib``: the R Contributors Slack export, ``julialang``: the JuliaLang
Web API capture, both under ``../shared/data``), ``channel_id`` and ``thread_ts``; labels name
messages by their ``ts``; the data itself is never copied into the repository. Each row has a
``split``: ``tune`` (for building the summarizer) or ``check`` (only for measuring it), fixed by
:func:`split_of` (a hash of the thread's id).

Labels, each a list of message ``ts`` (``action_items`` and ``done_tasks`` carry an owner too):
``outcome`` (the messages that state where the thread ended), ``decisions``, ``action_items``
(open at the end: ``{"ts", "owner"}``), ``done_tasks`` (asked for and done within the thread),
``open_questions``, ``answered_questions``, ``noise`` (code, logs, greetings, thanks, invitations).

Scores (a summary point "cites" a message when that message's ``ts`` is in its ``source_ts``):

* per section (decisions, action items, open questions): precision = points citing a labelled
  message of that section / points; recall = labelled messages cited by a point of that section /
  labelled messages. Sums over the threads of a split (micro-averages).
* outcome recall: share of threads with a labelled outcome whose ``Summary.outcome`` cites an outcome message
  (a key point citing it does not count: the reader looks for where the thread ended in the outcome line).
* noise rate: points citing only noise messages / all points.
* answered as open: open-question points citing an answered question / open-question points.
* done as open: action-item points citing a done task / action-item points.
* owner accuracy: action-item points that match a labelled open item and name its owner / such points.

CI fails on a regression below the measured floors (:data:`FLOORS`); issue 11's targets (:data:`TARGETS`)
are printed beside them, with the gaps.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.models import Message, Point, Summary
from bot.slack.export import ExportReader
from bot.slack.text import (
    approval_count,
    is_bot_message,
    is_noise,
    message_text,
    reaction_count,
    resolve_mrkdwn,
    user_display_name,
)

SOURCES = {"rcontrib": "slack-export-rcontrib", "julialang": "slack-api-julialang"}
LABELS = ("outcome", "decisions", "action_items", "done_tasks", "open_questions", "answered_questions", "noise")


def split_of(source: str, channel_id: str, thread_ts: str) -> str:
    """``"tune"`` or ``"check"``: the parity of the first byte of SHA-256 of ``source/channel_id/thread_ts``."""
    digest = hashlib.sha256(f"{source}/{channel_id}/{thread_ts}".encode()).digest()
    return "tune" if digest[0] % 2 == 0 else "check"


class _JuliaLang:
    """Threads of the JuliaLang capture: ``threads/<C>/<ts>.json`` (conversations.replies), ``users/<U>.json``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._users: dict[str, str] = {}
        self._channels: dict[str, str] = json.loads((path / "names.json").read_text(encoding="utf-8"))

    def user_name(self, user_id: str) -> str:
        if user_id not in self._users:
            file = self.path / "users" / f"{user_id}.json"
            name = user_id
            if file.is_file():
                data = json.loads(file.read_text(encoding="utf-8"))
                name = user_display_name(data.get("user", data))
            self._users[user_id] = name
        return self._users[user_id]

    def thread(self, channel_id: str, thread_ts: str) -> list[Message]:
        file = self.path / "threads" / channel_id / f"{thread_ts}.json"
        raws = json.loads(file.read_text(encoding="utf-8"))
        out = []
        for raw in raws:
            if not isinstance(raw, dict) or is_noise(raw) or not raw.get("ts"):
                continue
            user_id = raw.get("user")
            text = resolve_mrkdwn(message_text(raw), user_name=self.user_name,
                                  channel_name=lambda c: self._channels.get(c, c))
            out.append(Message(channel_id=channel_id, ts=str(raw["ts"]), user_id=user_id,
                               user_name=self.user_name(user_id) if user_id else str(raw.get("username") or "bot"),
                               text=text, thread_ts=str(raw.get("thread_ts") or thread_ts),
                               reply_count=int(raw.get("reply_count") or 0), is_bot=is_bot_message(raw),
                               reactions=reaction_count(raw), approvals=approval_count(raw)))
        return out


def load_thread(data_dir: Path, source: str, channel_id: str, thread_ts: str) -> list[Message]:
    """The messages of one labelled thread, oldest first, bots included (summarizers drop them).

    Raises:
        KeyError: unknown ``source``.
        FileNotFoundError: the data is not under ``data_dir``.
        bot.errors.SlackReadError: the export has no such thread.
    """
    path = data_dir / SOURCES[source]
    if not path.is_dir():
        raise FileNotFoundError(f"{path} is missing (the shared data folder; see docs/evals.md)")
    if source == "julialang":
        return _JuliaLang(path).thread(channel_id, thread_ts)
    return ExportReader(path).thread(channel_id, thread_ts)


@dataclass(frozen=True)
class SectionRow:
    """One labelled thread of ``evals/sections/threads.jsonl`` (labels are message ``ts``; owners ``"Name"``)."""

    id: str
    source: str
    channel_id: str
    thread_ts: str
    split: str
    labels: dict[str, frozenset[str]]
    owners: dict[str, str] = field(default_factory=dict)  # ts of an open action item -> its owner

    @property
    def messages_labelled(self) -> frozenset[str]:
        """Every labelled ``ts``."""
        return frozenset().union(*self.labels.values())


def load_rows(path: Path) -> list[SectionRow]:
    """The labelled threads in ``path`` (JSON lines).

    Raises:
        FileNotFoundError: no file at ``path``.
        ValueError: a row is not valid JSON, lacks a field, names an unknown source or split, or its split
            is not the one :func:`split_of` gives (so no one moves a thread between the halves).
    """
    rows: list[SectionRow] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            source, channel_id, thread_ts, split = raw["source"], raw["channel_id"], raw["thread_ts"], raw["split"]
            labels: dict[str, frozenset[str]] = {}
            owners: dict[str, str] = {}
            for key in LABELS:
                items = raw.get(key, [])
                if key in ("action_items", "done_tasks"):
                    labels[key] = frozenset(str(item["ts"]) for item in items)
                    if key == "action_items":
                        owners.update({str(item["ts"]): str(item["owner"]) for item in items})
                else:
                    labels[key] = frozenset(str(ts) for ts in items)
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: invalid row ({exc})") from exc
        if source not in SOURCES or split != split_of(source, channel_id, thread_ts):
            raise ValueError(f"{path}:{number}: unknown source {source!r} or split {split!r} not split_of()'s")
        rows.append(SectionRow(str(raw.get("id") or thread_ts), source, channel_id, thread_ts, split, labels, owners))
    return rows


SECTIONS = ("decisions", "action_items", "open_questions")
TARGETS = {f"{name}_{kind}": value for name in SECTIONS for kind, value in (("precision", 0.8), ("recall", 0.6))}
TARGETS.update(outcome_recall=0.9)
CEILINGS = {"noise_rate": 0.02, "answered_as_open": 0.05}
"""Issue 11's targets on the ``check`` half: at least :data:`TARGETS`, at most :data:`CEILINGS` (reported)."""
FLOORS = {"decisions_precision": 0.666, "decisions_recall": 0.136, "action_items_precision": 0.56,
          "action_items_recall": 0.288, "open_questions_precision": 0.8, "open_questions_recall": 0.375,
          "outcome_recall": 0.741}
FLOOR_CEILINGS = {"noise_rate": 0.02, "answered_as_open": 0.0}
"""What CI enforces on the ``check`` half: the offline summarizer's measured scores (it is deterministic), so any
regression fails; raise them as the summarizer improves, up to :data:`TARGETS`. (``outcome_recall`` counts only
``Summary.outcome`` since issue 11. Fifth round, 91 check threads after 110 more were labelled in two rounds:
decisions 4 right of 5 listed, 4 of 24 found; action items 8 of 19 listed, 8 of 33 found; open questions 7 of 13
listed, 7 of 20 found, 2 answered listed as open of 13; outcome 64 of 91; noise 5 of 390 points. The 25-thread
check half of the third round had given 0.75 / 0.57 / 0.50 / 0.67 / 0.40 / 0.72: one error moved a figure by
0.1-0.25, and the rules fitted the few threads they were written against. Eighth round: an offer of help, "please
let me know if you run into any issues", is no task: action items 8 right of 18 listed. Ninth round: a short aside
to someone, "yeah @Colin Nelson, exactly", is chit-chat and no key point; in one check thread the point that took
its place is praise labelled noise: noise 6 of 387 points, within the target of 0.02. A pause ("GNU Screen .. and
seems like …") no longer cuts a sentence: action items 8 right of 17 listed. A question inside an explanation that
goes on to answer it is not open: open questions 7 right of 12 listed, the same 2 answered ones among them, so
their share rises to 2 of 12. Tenth round: an issue or pull request reported ("ok, I made an issue now") ends a
thread, and a one-word answer gives way to the confirmation that says more: outcome 65 of 91. Thirteenth round
(rules from three readers' passes, chosen on ``tune`` and judged blind): a handed-over link, a bare pull-request link
after which only short remarks follow, a cue under doubt or negated ("haven't done so yet"): outcome 67 of 91.
Fifteenth round: 60 more threads drawn at random (``bench/section_pack.py``), 30 of them ``check``, so 121 check
threads: decisions 5 right of 8 listed, 5 of 29 found; action items 12 right of 24 listed, 12 of 42 found; open
questions 10 right of 15 listed, 10 of 30 found, 2 answered listed as open; outcome 89 of 121; noise 9 of 503
points. The 30 new check threads had scored as the old ones on the rules before the round: outcome 22 of 30.
Sixteenth round: 55 more drawn the same way (seed 16), 30 of them ``check``, so 151 check threads; on the new ones
the rules scored lower before any change (outcome 18 of 30, tune 16 of 25), so every floor moved down with the set:
decisions 6 right of 9 listed, 6 of 44 found; action items 14 right of 26 listed; open questions 10 right of 16
listed, 3 answered listed as open; outcome 107 of 151; noise 13 of 626 points. A bare promise ("Will do, thanks!")
then took on the request it answers: action items 15 of 52 found. Nineteenth round: a question's answer found past the
asker's own follow-up messages: noise 12 of 626 points, so the ceiling is the issue's target, 0.02. Twentieth round:
promises to report back, check or try that their owner reported on are done: action items 14 right of 25 listed.
Twenty-first round: a question its asker answered with their own fix or link, or that a reply answers after "Hmm, I'm
not sure …", is not open: open questions 10 right of 14 listed, 1 answered listed as open; the last word, right after its
author's run and about it, ends a thread: outcome 109 of 151. Thirty-first round: a question nobody answered is shown
after where a thread ended, citing it ("… — Sukera: doesn't PackageCompiler scan startup.jl by default?"): outcome 111
of 151. Thirty-sixth round: a bare "What am I doing wrong?" is asked with what its asker said beside it, or not at all
when they said nothing else (a rule read on a seen JuliaLang thread): open questions 11 right of 14 listed, none of
them answered. Forty-fifth round: a reply that calls the problem a bug, says it is beside the question or has the same
problem settles nothing, and an opening's "I was wondering if …" asks: open questions 12 right of 15 listed, 12 of 32
found.)"""


def _name(owner: str | None) -> str:
    return (owner or "").strip().lstrip("@").strip().casefold()


@dataclass
class _Counts:
    points: dict[str, int] = field(default_factory=dict)
    right: dict[str, int] = field(default_factory=dict)
    labelled: dict[str, int] = field(default_factory=dict)
    found: dict[str, int] = field(default_factory=dict)
    threads_with_outcome: int = 0
    outcome_cited: int = 0
    all_points: int = 0
    noise_points: int = 0
    answered_as_open: int = 0
    done_as_open: int = 0
    owner_checked: int = 0
    owner_right: int = 0

    def add(self, key: str, bucket: dict[str, int], value: int) -> None:
        bucket[key] = bucket.get(key, 0) + value


def _score_thread(summary: Summary, row: SectionRow, counts: _Counts) -> list[str]:
    """Add one thread's counts; returns what a reader would call wrong, one line each."""
    wrong: list[str] = []
    cited = lambda point: set(point.source_ts)  # noqa: E731 - short and local
    for name in SECTIONS:
        points: list[Point] = getattr(summary, name)
        labelled = row.labels[name]
        counts.add(name, counts.points, len(points))
        counts.add(name, counts.labelled, len(labelled))
        right = [p for p in points if cited(p) & labelled]
        counts.add(name, counts.right, len(right))
        counts.add(name, counts.found, len(labelled & set().union(*(cited(p) for p in points))))
        wrong.extend(f"{name}: {p.text[:70]!r} ({', '.join(p.source_ts)})" for p in points if p not in right)
        missed = labelled - set().union(*(cited(p) for p in points))
        wrong.extend(f"{name} missed: {ts}" for ts in sorted(missed))
    points_all = summary.all_points()
    counts.all_points += len(points_all)
    noise = [p for p in points_all if p.source_ts and set(p.source_ts) <= row.labels["noise"]]
    counts.noise_points += len(noise)
    wrong.extend(f"noise: {p.text[:70]!r}" for p in noise)
    if row.labels["outcome"]:
        counts.threads_with_outcome += 1
        if summary.outcome is not None and cited(summary.outcome) & row.labels["outcome"]:
            counts.outcome_cited += 1
        else:
            wrong.append("outcome not cited")
    counts.answered_as_open += sum(1 for p in summary.open_questions
                                   if cited(p) & row.labels["answered_questions"] and not cited(p) & row.labels["open_questions"])
    counts.done_as_open += sum(1 for p in summary.action_items
                               if cited(p) & row.labels["done_tasks"] and not cited(p) & row.labels["action_items"])
    for point in summary.action_items:
        owners = {_name(row.owners[ts]) for ts in cited(point) & row.labels["action_items"]}
        if owners:
            counts.owner_checked += 1
            counts.owner_right += _name(point.owner) in owners
    return wrong


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _metrics(c: _Counts) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in SECTIONS:
        out[f"{name}_precision"] = _ratio(c.right.get(name, 0), c.points.get(name, 0))
        out[f"{name}_recall"] = _ratio(c.found.get(name, 0), c.labelled.get(name, 0))
        out[f"{name}_points"] = c.points.get(name, 0)
        out[f"{name}_labelled"] = c.labelled.get(name, 0)
    out["outcome_recall"] = _ratio(c.outcome_cited, c.threads_with_outcome)
    out["noise_rate"] = _ratio(c.noise_points, c.all_points)
    out["answered_as_open"] = _ratio(c.answered_as_open, c.points.get("open_questions", 0))
    out["done_as_open"] = _ratio(c.done_as_open, c.points.get("action_items", 0))
    out["owner_accuracy"] = _ratio(c.owner_right, c.owner_checked)
    out["points"] = c.all_points
    return out


def _misses(metrics: dict[str, Any], floors: dict[str, float], ceilings: dict[str, float]) -> list[str]:
    """Bounds missed on one split. A section with no point has no precision: an empty section is not wrong."""
    missed = [f"{key} {metrics[key]} < {goal}" for key, goal in floors.items()
              if metrics.get(key) is not None and metrics[key] < goal]
    missed += [f"{key} {metrics[key]} > {cap}" for key, cap in ceilings.items()
               if metrics.get(key) is not None and metrics[key] > cap]
    return missed


def run_sections(
    *,
    path: Path,
    data_dir: Path,
    summarizer: Callable[[list[Message]], Summary],
    system: str = "offline/extractive",
    limit: int | None = None,
    threshold: bool = True,
) -> Any:  # EvalReport (imported lazily: bot.evals.report imports nothing of this module)
    """Summarize every labelled thread and score the sections, per split.

    Args:
        path: the rows (``evals/sections/threads.jsonl``).
        data_dir: the shared data folder holding :data:`SOURCES`.
        summarizer: messages -> summary (the offline summarizer, or a provider's).
        system: its name in the report.
        limit: only the first ``limit`` rows.
        threshold: when True, ``ok`` is False if the ``check`` half falls below :data:`FLOORS` or above
            :data:`FLOOR_CEILINGS` (a regression); the issue's targets (:data:`TARGETS`, :data:`CEILINGS`) are
            reported in ``metrics["gaps"]``. The ``tune`` half is reported, never judged.

    Returns:
        An :class:`~bot.evals.report.EvalReport` of kind ``"sections"``: ``metrics["splits"][split]``
        holds the ratios (0..1, None when there was nothing to count) and counts; ``cases`` one per thread
        with what was wrong; ``score`` the check half's outcome recall.

    Raises:
        FileNotFoundError: rows or data missing. ValueError: an invalid row.
    """
    from bot.evals.report import CaseResult, EvalReport

    started = time.perf_counter()
    rows = load_rows(path)[:limit]
    counts = {"tune": _Counts(), "check": _Counts()}
    cases = []
    for row in rows:
        messages = load_thread(data_dir, row.source, row.channel_id, row.thread_ts)
        summary = summarizer(messages)
        wrong = _score_thread(summary, row, counts[row.split])
        cases.append(CaseResult(f"{row.split}:{row.id}", not wrong, wrong, output=_outline(summary)))
    splits = {name: _metrics(c) | {"threads": sum(1 for r in rows if r.split == name)} for name, c in counts.items()}
    failures = [f"check: {miss}" for miss in _misses(splits["check"], FLOORS, FLOOR_CEILINGS)]
    gaps = [f"check: {miss}" for miss in _misses(splits["check"], TARGETS, CEILINGS)]
    return EvalReport(
        set="sections", kind="sections", system=system, n=len(rows),
        threshold="check half: no score below FLOORS / above FLOOR_CEILINGS (bot.evals.sections)" if threshold
        else "none (--no-threshold)",
        ok=not failures or not threshold, score=splits["check"]["outcome_recall"] or 0.0,
        metrics={"splits": splits, "targets": TARGETS, "ceilings": CEILINGS, "floors": FLOORS,
                 "floor_ceilings": FLOOR_CEILINGS, "gaps": gaps,
                 "rule": "a point counts for a section when it cites a message labelled for that section"},
        failures=failures, cases=cases, seconds=round(time.perf_counter() - started, 2), source=str(path),
    )


def _outline(summary: Summary) -> str:
    parts = [f"overview: {summary.overview}"]
    if summary.outcome is not None:
        parts.append(f"outcome: {summary.outcome.text} [{', '.join(summary.outcome.source_ts)}]")
    for name in ("key_points", *SECTIONS):
        parts.extend(f"{name}: {p.text} [{', '.join(p.source_ts)}]" + (f" ({p.owner})" if p.owner else "")
                     for p in getattr(summary, name))
    return "\n".join(parts)


ROWS: tuple[tuple[str, str], ...] = (
    *((f"{n}_{k}", f"{n.replace('_', ' ')} {k}") for n in SECTIONS for k in ("precision", "recall")),
    ("outcome_recall", "outcome cited"), ("noise_rate", "noise rate"), ("answered_as_open", "answered listed as open"),
    ("done_as_open", "done listed as open"), ("owner_accuracy", "owner accuracy"),
)


def print_sections(report: Any, *, console: Any = None) -> None:
    """Draw a sections report as a ``rich`` table: one row a metric, one column a split, then the target."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console(width=120)
    splits: dict[str, dict[str, Any]] = report.metrics["splits"]
    table = Table(title=f"Sections ({report.system}): labelled real threads, tune / check halves")
    for column in ("metric", *(f"{s} ({splits[s]['threads']})" for s in splits), "target (check)"):
        table.add_column(column)
    for key, label in ROWS:
        goal = (f">= {TARGETS[key]}" if key in TARGETS else f"<= {CEILINGS[key]}" if key in CEILINGS else "")
        cells = ["-" if splits[s].get(key) is None else f"{splits[s][key]:.2f}" for s in splits]
        table.add_row(label, *cells, goal)
    console.print(table)
    for gap in report.metrics.get("gaps", []):
        console.print(f"[yellow]target not reached[/] {gap}", highlight=False)
    for failure in report.failures:
        console.print(f"[red]regression[/] {failure}", highlight=False)


def print_cases(report: Any, split: str, *, console: Any = None) -> int:
    """Print what went wrong on each thread of one half (``"tune"`` to build rules on, ``"check"`` to audit),
    thread by thread: the wrong and missed items, then the summary's outline. Returns how many threads had
    something wrong."""
    from rich.console import Console

    console = console or Console(width=160)
    shown = 0
    for case in report.cases:
        if not case.id.startswith(f"{split}:") or case.passed:
            continue
        shown += 1
        console.rule(case.id)
        console.print("\n".join(case.reasons), highlight=False, markup=False)
        console.print(case.output, highlight=False, markup=False, style="dim")
    return shown


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bot.evals.sections --split tune``: the offline summarizer's sections table, then what went
    wrong on every thread of the chosen half (read the ``tune`` half to write rules; ``check`` is for measuring).

    Returns:
        0, or 1 when the ``check`` half regressed below the floors.
    """
    import argparse

    from bot.evals.cli import SECTIONS_ROWS, default_data_dir
    from bot.summaries.extractive import summarize_offline

    parser = argparse.ArgumentParser(prog="python -m bot.evals.sections", description=main.__doc__)
    parser.add_argument("--split", choices=("tune", "check"), default="tune", help="the half whose threads are shown")
    parser.add_argument("--path", type=Path, default=SECTIONS_ROWS, help="labelled rows (JSON lines)")
    parser.add_argument("--data", type=Path, default=None, help="the shared data folder (default ../shared/data)")
    args = parser.parse_args(argv)
    report = run_sections(path=args.path, data_dir=args.data or default_data_dir(), summarizer=summarize_offline)
    print_sections(report)
    print_cases(report, args.split)
    return 0 if report.ok else 1


def thread_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The raw JSON rows, for tools and tests that read the labels as written."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield json.loads(line)


__all__: Sequence[str] = ("SOURCES", "LABELS", "split_of", "load_thread", "load_rows", "run_sections",
                          "print_sections", "print_cases", "SectionRow", "thread_rows", "main")


if __name__ == "__main__":
    raise SystemExit(main())
