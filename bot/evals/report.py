"""What every eval returns and how it is shown: a JSON report file and a ``rich`` table.

An eval produces one :class:`EvalReport`. ``write_json`` stores it (default ``reports/eval-<set>.json``)
and ``print_table`` draws it on the terminal. ``ok`` is False when a threshold was missed; the command
line then exits with status 1.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from bot.models import Message, Point, Summary


class Summarizer(Protocol):
    """A summarizer under evaluation.

    Called with the conversation (oldest first), an optional question and an optional word budget
    (whitespace words; a summarizer may ignore it, the ROUGE harness truncates anyway). Returns a
    :class:`~bot.models.Summary`.
    """

    def __call__(
        self, messages: list[Message], *, question: str | None = None, max_words: int | None = None
    ) -> Summary: ...


def summary_text(summary: Summary, *, messages: Sequence[Message] | None = None) -> str:
    """A summary flattened to plain text for scoring: overview, answer, then every point's text.

    Owners of action items are not included (score them with :func:`summary_owners`). Empty parts are
    skipped; parts are joined with newlines. An overview that only repeats a point (its text, without
    a trailing ``…``, begins a point's text, as the offline summarizer's headline does) is skipped: it
    adds no content, and under a word budget it would push real points out.

    With ``messages`` (the ROUGE harness), each *extractive* point (its text is a verbatim slice of
    the one message it cites) is written as a transcript line, ``"<speaker>: <text>"``, exactly like
    the Lead-3 and LexRank units (:attr:`bot.evals.baselines.Unit.line`), so every system is scored in
    the same format. Generated (abstractive) text is written as it is.

    Args:
        summary: any summary.
        messages: the conversation summarized, to name the speakers of extractive points; None
            (behaviour evals) writes point texts only.

    Returns:
        The text a reader would see, without section headings or citations.
    """
    points = summary.all_points()
    by_ts = {m.ts: m for m in messages or ()}

    def line(point: Point) -> str:
        text = point.text.strip()
        if len(point.source_ts) == 1 and point.source_ts[0] in by_ts:
            source = by_ts[point.source_ts[0]]
            if text and text in source.text and source.user_name:
                return f"{source.user_name}: {text}"
        return text

    overview = (summary.overview or "").strip()
    stem = overview.rstrip("…").rstrip()
    if stem and any(point.text.strip().startswith(stem) for point in points):
        overview = ""
    parts = [overview, summary.answer or ""]
    parts.extend(line(point) for point in points)
    return "\n".join(part.strip() for part in parts if part and part.strip())


def summary_owners(summary: Summary) -> list[str]:
    """The owners (``@name``) named by the summary's action items, in order."""
    return [point.owner for point in summary.all_points() if point.owner]


_MARKDOWN_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\((?:https?://[^()\s]*)\)")


def visible_markdown(text: str) -> str:
    """Markdown as a reader sees it: every link ``[label](https://…)`` becomes its label (``[[1]](…)``
    reads ``[1]``); everything else (headings, bullets, emphasis marks) is kept."""
    return _MARKDOWN_LINK.sub(r"\1", text)


def truncate_words(text: str, max_words: int) -> str:
    """The first ``max_words`` whitespace-separated words of ``text`` (all of it when shorter).

    CJK text without spaces counts as one word per whitespace chunk; the ROUGE sets are English.
    """
    words = text.split()
    return " ".join(words[:max_words])


@dataclass
class CaseResult:
    """One behaviour case's outcome.

    Attributes:
        id: the case ``id``.
        passed: whether every check held.
        reasons: why it failed (empty when it passed).
        output: the summary text that was judged (or the trigger kind), for a person to read.
    """

    id: str
    passed: bool
    reasons: list[str] = field(default_factory=list)
    output: str = ""


@dataclass
class EvalReport:
    """The outcome of one eval run.

    Attributes:
        set: the eval's name (``"facts"``, ``"convosumm"`` …).
        kind: ``"behaviour"`` or ``"rouge"``.
        system: what was evaluated (``"offline/extractive"``, ``"anthropic/claude-…"``, a stand-in's name).
        n: cases or items evaluated.
        threshold: the rule that decides ``ok``, in words.
        ok: whether the threshold was met.
        score: share of cases passed (behaviour) or the system's ROUGE-L F1 (rouge), 0..1.
        metrics: extra numbers: per-system ROUGE scores, word budget, per-language accuracy …
        failures: what failed (behaviour: failed cases; rouge: one line per lost comparison).
        cases: per-case results (behaviour only).
        seconds: wall time of the run, seconds.
        created_at: ISO 8601 UTC time the report was made.
        source: path of the cases or data read.
    """

    set: str
    kind: str
    system: str
    n: int
    threshold: str
    ok: bool
    score: float
    metrics: dict[str, Any] = field(default_factory=dict)
    failures: list[Any] = field(default_factory=list)
    cases: list[CaseResult] = field(default_factory=list)
    seconds: float = 0.0
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return asdict(self)


def write_json(reports: Sequence[EvalReport], path: Path) -> Path:
    """Write one report (as an object) or several (as ``{"reports": [...], "ok": ...}``) to ``path``.

    Creates parent folders. Returns ``path``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if len(reports) == 1:
        data: dict[str, Any] = reports[0].to_dict()
    else:
        data = {"ok": all(r.ok for r in reports), "reports": [r.to_dict() for r in reports]}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def print_table(reports: Sequence[EvalReport], *, console: Any = None) -> None:
    """Draw the reports as ``rich`` tables: one for ROUGE sets, one for behaviour sets.

    Args:
        reports: what to show.
        console: a ``rich.console.Console`` (tests pass one that records); a new one by default.
    """
    from rich.console import Console
    from rich.table import Table

    if console is None:
        console = Console()
        if not console.is_terminal:  # piped or CI: rich's 80 columns would cut the numbers
            console = Console(width=120)
    rouge = [r for r in reports if r.kind == "rouge"]
    behaviour = [r for r in reports if r.kind == "behaviour"]
    if rouge:
        table = Table(title="ROUGE F1 (rouge_score, stemmed) at a matched word budget")
        for column in ("set", "items", "words", "system", "R-1", "R-2", "R-L", "verdict"):
            table.add_column(column, justify="right" if column in ("items", "words") else "left", no_wrap=True)
        for report in rouge:
            systems: dict[str, dict[str, float]] = report.metrics.get("systems", {})
            rendered: dict[str, Any] = report.metrics.get("rendered", {})
            words = str(report.metrics.get("word_budget", ""))
            rows = [(name, scores, words) for name, scores in systems.items()]
            rows += [(f"{name} (as shown)" if name == "rendered" else name, scores,
                      f"~{rendered.get('mean_words', '')}") for name, scores in rendered.get("systems", {}).items()]
            for i, (name, scores, length) in enumerate(rows):
                first = i == 0
                table.add_row(
                    report.set if first else "",
                    str(report.n) if first else "",
                    length if first or length != words else "",
                    name,
                    f"{scores['rouge1'] * 100:.2f}",
                    f"{scores['rouge2'] * 100:.2f}",
                    f"{scores['rougeL'] * 100:.2f}",
                    ("[green]pass[/]" if report.ok else "[red]FAIL[/]") if first else "",
                )
            table.add_section()
        console.print(table)
        _print_differences(rouge, console)
    if behaviour:
        table = Table(title="Behaviour evals")
        for column in ("set", "cases", "passed", "score", "threshold", "verdict"):
            table.add_column(column)
        for report in behaviour:
            passed = sum(1 for c in report.cases if c.passed)
            table.add_row(
                report.set,
                str(report.n),
                str(passed),
                f"{report.score * 100:.1f}%",
                report.threshold,
                "[green]pass[/]" if report.ok else "[red]FAIL[/]",
            )
        console.print(table)
    for report in reports:
        for failure in report.failures[:10]:
            if isinstance(failure, dict):
                console.print(f"[red]{report.set}[/] {failure.get('id')}: {'; '.join(failure.get('reasons', []))}",
                              markup=True, highlight=False)
            else:
                console.print(f"[red]{report.set}[/] {failure}", highlight=False)
        if len(report.failures) > 10:
            console.print(f"[red]{report.set}[/] … {len(report.failures) - 10} more in the JSON report")


def _interval(d: dict[str, float]) -> str:
    """``"+1.23 [+0.40, +2.05]"`` in ROUGE points, green when the interval is above zero."""
    text = f"{d['mean'] * 100:+.2f} [{d['low'] * 100:+.2f}, {d['high'] * 100:+.2f}]"
    return f"[green]{text}[/]" if d["low"] > 0 else text


def _print_differences(reports: Sequence[EvalReport], console: Any) -> None:
    """The paired bootstrap intervals of every ROUGE report, one row per comparison: on all items, then on the
    check half alone (``metrics["halves"]["check"]``), then issue 11's criteria met or not on each
    (``metrics["criteria"]``)."""
    rows = [(report.set, pair, by_metric) for report in reports
            for pair, by_metric in {**report.metrics.get("differences", {}),
                                    **report.metrics.get("rendered", {}).get("differences", {})}.items()]
    if not rows:
        return
    _difference_table("Differences in ROUGE F1 points, paired bootstrap 95% interval (all items)", rows, console)
    check = [(report.set, pair, by_metric) for report in reports
             for pair, by_metric in report.metrics.get("halves", {}).get("check", {}).get("differences", {}).items()]
    if check:
        sizes = ", ".join(f"{report.set} {report.metrics['halves']['check'].get('n', '')}" for report in reports
                          if "check" in report.metrics.get("halves", {}))
        _difference_table(f"Differences on the check half (odd items, never tuned on: {sizes}), 95% interval",
                          check, console)
    for report in reports:
        rendered = report.metrics.get("rendered", {})
        if rendered.get("target") and not rendered.get("target_met"):
            console.print(f"[yellow]{report.set}[/] target not met (reported, not a threshold): {rendered['target']}",
                          highlight=False)
        for part, met in report.metrics.get("criteria", {}).items():
            console.print(f"{report.set} issue 11 criteria ({'all items' if part == 'all' else part + ' half'}): "
                          + ", ".join(_criterion(name, value) for name, value in met.items() if value is not None),
                          highlight=False)


def _criterion(name: str, met: bool) -> str:
    """``"beats_lexrank met"`` in green, or ``"… NOT met"`` in red."""
    return f"[green]{name} met[/]" if met else f"[red]{name} NOT met[/]"


def _difference_table(title: str, rows: Sequence[tuple[str, str, dict[str, dict[str, float]]]], console: Any) -> None:
    """One table of paired differences: ``(set, "<a> - <b>", metric -> interval)`` rows."""
    from rich.table import Table

    table = Table(title=title)
    for column in ("set", "comparison", "ΔR-1", "ΔR-2", "ΔR-L"):
        table.add_column(column, no_wrap=True)
    last = None
    for set_name, pair, by_metric in rows:
        table.add_row(set_name if set_name != last else "", pair,
                      *(_interval(by_metric[m]) for m in ("rouge1", "rouge2", "rougeL")))
        last = set_name
    console.print(table)


def read_case_rows(path: Path, validate: Callable[[Any], list[str]], *,
                   error: type[ValueError] = ValueError) -> list[dict[str, Any]]:
    """Read a labelled-case file: JSON lines, blank lines and ``//`` comment lines skipped, each row validated.

    Args:
        path: the ``.jsonl`` file.
        validate: returns the row's problems, one sentence each (empty when the row is valid).
        error: the exception raised for a bad row (a ``ValueError`` subclass).

    Raises:
        FileNotFoundError: no file at ``path``.
        ValueError: (``error``) a row is not JSON or not valid; the message names the file and line.
    """
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise error(f"{path}:{number}: not JSON ({exc.msg})") from exc
        problems = validate(row)
        if problems:
            raise error(f"{path}:{number}: " + "; ".join(problems))
        rows.append(row)
    return rows
