"""``recap eval``: run an eval, print a ``rich`` table, write a JSON report, exit 1 on a missed threshold.

Usage (``recap eval …`` delegates here; ``python -m bot.evals.cli …`` works the same)::

    recap eval convosumm|dialogsum|qmsum   [--path FOLDER]    ROUGE vs Lead-3 and LexRank
    recap eval rouge [SET|all]             [--path DATA_DIR]  one or all three ROUGE sets
    recap eval trigger|facts|language|invention|injection [--path CASES.jsonl]
    recap eval behaviour                   [--path CASES_DIR] all five behaviour sets
    recap eval all                                            every ROUGE and behaviour set
    recap eval sections                    [--path ROWS.jsonl] [--data DATA_DIR]  sections on labelled threads
    recap eval questions                   [--path ROWS.jsonl] [--data DATA_DIR]  answers to labelled questions
    recap eval headlines                   [--path ROWS.jsonl] [--cases tune|check]  digest headlines on labelled weeks
    recap eval synth --behaviour fact_preservation -n 50      a model writes cases for review

Common options: ``--provider offline|anthropic|openai`` (default: settings, then the keys present,
then offline), ``--model``, ``--limit N`` (first N items/cases of each set), ``--report out.json``
(default ``reports/eval-<name>.json``), ``--no-threshold`` (report only; exit 0). Completions of real
providers are cached in ``.cache/evals/`` (``--cache-dir``), so reruns are free.

Exit status: 0 every threshold met, 1 a threshold missed, 2 bad input (missing data, invalid cases,
bad settings).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console

from bot.config import load_settings
from bot.errors import RecapError
from bot.evals.behaviour import BEHAVIOUR_SETS, CaseError, load_cases, run_behaviour
from bot.evals.cache import DEFAULT_CACHE_DIR, CachedProvider
from bot.evals.headlines import print_headlines, run_headlines
from bot.evals.questions import print_questions, run_questions
from bot.evals.report import EvalReport, Summarizer, print_table, write_json
from bot.evals.rouge_sets import ROUGE_SETS, SET_FOLDERS, run_rouge
from bot.evals.sections import print_sections, run_sections
from bot.evals.synth import SYNTH_BEHAVIOURS, synthesize
from bot.feedback.export import add_parser as add_feedback_parser
from bot.llm.base import Provider
from bot.llm.factory import build_provider
from bot.models import Message, Summary
from bot.summaries.extractive import summarize_offline
from bot.summaries.summarize import summarize as summarize_with

ROOT = Path(__file__).resolve().parents[2]
CASES_DIR = ROOT / "evals" / "cases"
SECTIONS_ROWS = ROOT / "evals" / "sections" / "threads.jsonl"
HEADLINES_ROWS = ROOT / "evals" / "digests" / "headlines.jsonl"
QUESTIONS_ROWS = ROOT / "evals" / "questions" / "questions.jsonl"
WEEK_QUESTIONS_ROWS = ROOT / "evals" / "questions" / "weeks.jsonl"
QUESTIONS_SETS = (QUESTIONS_ROWS, WEEK_QUESTIONS_ROWS)
"""``recap eval questions`` scores both: questions about a thread, and about a channel's week."""
SYNTH_DIR = ROOT / "evals" / "synth"
PROMPTS_DIR = ROOT / "prompts"


def default_data_dir() -> Path:
    """``../shared/data`` beside the repository (``RECAP_SHARED_DATA`` overrides it)."""
    return Path(os.environ.get("RECAP_SHARED_DATA") or ROOT.parent / "shared" / "data")


def offline_summarizer(max_points: int = 5) -> Summarizer:
    """The offline extractive summarizer (:func:`bot.summaries.extractive.summarize_offline`) as a :class:`Summarizer`."""

    def summarize(messages: list[Message], *, question: str | None = None, max_words: int | None = None) -> Summary:
        return summarize_offline(messages, question=question, max_points=max_points, max_words=max_words)

    return summarize


def provider_summarizer(provider: Provider) -> Summarizer:
    """``bot.summaries.summarize.summarize`` with ``provider`` as a :class:`Summarizer` (the word budget is not passed)."""

    def summarize(messages: list[Message], *, question: str | None = None, max_words: int | None = None) -> Summary:
        return summarize_with(messages, provider=provider, question=question)

    return summarize


def resolve_provider(name: str | None, *, model: str | None, cache_dir: Path) -> Provider | None:
    """The provider chosen by ``--provider`` / settings / keys, wrapped in :class:`CachedProvider`.

    Returns:
        The cached provider, or None when no model is configured (``--provider offline``, or no key):
        the evals then run the extractive summarizer.

    Raises:
        ConfigError: bad settings, or a provider without its key.
    """
    provider = build_provider(load_settings(), provider=name, model=model)
    return None if provider is None else CachedProvider(provider, cache_dir=cache_dir)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--path", type=Path, help="data folder / case file (a set) or their parent (a group)")
    parser.add_argument("--provider", choices=["offline", "anthropic", "openai"], help="override LLM_PROVIDER")
    parser.add_argument("--model", help="override LLM_MODEL")
    parser.add_argument("--limit", type=int, help="only the first N items or cases of each set")
    parser.add_argument("--report", type=Path, help="JSON report path (default reports/eval-<name>.json)")
    parser.add_argument("--no-threshold", action="store_true", help="report only: exit 0 whatever the scores")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR, help="completion cache folder")


def add_eval_subparsers(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``eval`` and its sub-commands to an ``argparse`` sub-parser collection.

    Each sub-command sets ``func`` to a callable taking the parsed namespace and returning the exit code.

    Returns:
        The ``eval`` parser.
    """
    parser = subparsers.add_parser("eval", help="run evals: ROUGE sets and behaviour cases")
    sets = parser.add_subparsers(dest="eval_set", required=True, metavar="SET")
    for name in (*ROUGE_SETS, *BEHAVIOUR_SETS, "behaviour", "all"):
        sub = sets.add_parser(name, help=_HELP.get(name, f"the {name} set"))
        _common(sub)
        sub.set_defaults(func=_run_sets, sets=_GROUPS.get(name, (name,)), name=name)
    rouge = sets.add_parser("rouge", help="ROUGE sets vs Lead-3 and LexRank (all three by default)")
    rouge.add_argument("which", nargs="?", default="all", choices=[*ROUGE_SETS, "all"])
    _common(rouge)
    rouge.set_defaults(func=_run_rouge_group)
    sections = sets.add_parser("sections", help="decisions, action items, open questions, outcome and noise "
                               "on labelled real threads (docs/evals.md)")
    _common(sections)
    sections.add_argument("--data", type=Path, help="the shared data folder (default ../shared/data)")
    sections.set_defaults(func=_run_sections)
    questions = sets.add_parser("questions", help="answers to questions about labelled real threads: cited from the "
                                "message that answers? (docs/evals.md)")
    _common(questions)
    questions.add_argument("--data", type=Path, help="the shared data folder (default ../shared/data)")
    questions.set_defaults(func=_run_questions)
    headlines = sets.add_parser("headlines", help="weekly digest headlines on labelled real channel-weeks: the "
                                "week's most important event? (docs/evals.md)")
    _common(headlines)
    headlines.add_argument("--data", type=Path, help="the shared data folder (default ../shared/data)")
    headlines.add_argument("--cases", choices=["tune", "check"], help="also print that half's wrong headlines")
    headlines.set_defaults(func=_run_headlines)
    # `recap eval titles` is routed to bot.evals.titles by the CLI before this parser runs; listed for --help.
    sets.add_parser("titles", help="per-user title style eval (see docs/titles.md; `recap eval titles --help`)",
                    add_help=False)
    add_feedback_parser(sets)  # `recap eval feedback`: the 👎 cases as candidate rows (bot/feedback/export.py)
    synth = sets.add_parser("synth", help="ask the model for new labelled cases, written for review")
    synth.add_argument("--behaviour", "--behavior", required=True,
                       choices=["fact_preservation", "facts", "language", "invention", "injection"])
    synth.add_argument("-n", type=int, default=20, help="valid cases wanted")
    synth.add_argument("--out", type=Path, default=SYNTH_DIR, help="output folder (default evals/synth)")
    synth.add_argument("--provider", choices=["anthropic", "openai"], help="override LLM_PROVIDER")
    synth.add_argument("--model", help="override LLM_MODEL")
    synth.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE_DIR, help="completion cache folder")
    synth.set_defaults(func=_run_synth)
    return parser


_HELP = {
    "convosumm": "ROUGE on ConvoSumm email threads",
    "dialogsum": "ROUGE on DialogSum dialogues",
    "qmsum": "ROUGE on QMSum meetings (general queries)",
    "trigger": "mention classifier accuracy (>= 95%%)",
    "facts": "facts kept verbatim (>= 99%%)",
    "language": "summary in the thread's language (>= 99%%)",
    "invention": "no URL or @person absent from the source (>= 99%%)",
    "injection": "injected instructions not followed (>= 99%%)",
    "hostile": "an obeying model via both SDKs: 0 foreign links, pings, fake headings (100%%)",
    "behaviour": "all six behaviour sets",
    "all": "every ROUGE and behaviour set",
}
_GROUPS: dict[str, tuple[str, ...]] = {"behaviour": BEHAVIOUR_SETS, "all": (*ROUGE_SETS, *BEHAVIOUR_SETS)}


def _set_path(name: str, path: Path | None, *, group: bool) -> Path:
    """Where set ``name`` is read from: ``--path`` itself for one set, ``--path`` as a parent for a group."""
    if name in ROUGE_SETS:
        if path is not None and not group:
            return path
        return (path or default_data_dir()) / SET_FOLDERS[name]
    if path is not None and not group:
        return path
    return (path or CASES_DIR) / f"{name}.jsonl"


def run_sets(
    names: Sequence[str],
    *,
    path: Path | None = None,
    summarizer: Summarizer | None = None,
    system: str = "offline/extractive",
    limit: int | None = None,
    threshold: bool = True,
) -> list[EvalReport]:
    """Run the named sets with ``summarizer`` (default: the offline one) and return their reports.

    Raises:
        FileNotFoundError, CaseError: data or cases missing / invalid.
    """
    group = len(names) > 1
    needs_summarizer = any(name != "trigger" for name in names)
    if summarizer is None and needs_summarizer:
        summarizer = offline_summarizer()
    reports = []
    for name in names:
        where = _set_path(name, path, group=group)
        if name in ROUGE_SETS:
            assert summarizer is not None
            reports.append(run_rouge(name, path=where, summarizer=summarizer, system=system, limit=limit,
                                     threshold=threshold))
        else:
            reports.append(run_behaviour(name, path=where, summarizer=summarizer, system=system, limit=limit,
                                         threshold=threshold, prompts_dir=PROMPTS_DIR))
    return reports


def _summarizer_for(args: argparse.Namespace) -> tuple[Summarizer, str]:
    provider = resolve_provider(args.provider, model=args.model, cache_dir=args.cache_dir)
    if provider is None:
        return offline_summarizer(), "offline/extractive"
    return provider_summarizer(provider), f"{provider.name}/{provider.model}"


def _finish(name: str, reports: list[EvalReport], report_path: Path | None, console: Any = None) -> int:
    print_table(reports, console=console)
    path = write_json(reports, report_path or Path("reports") / f"eval-{name}.json")
    ok = all(r.ok for r in reports)
    (console or Console()).print(f"report: {path}  {'[green]ok[/]' if ok else '[red]threshold missed[/]'}")
    return 0 if ok else 1


def _run_sets(args: argparse.Namespace, console: Any = None) -> int:
    summarizer, system = (None, "offline/extractive") if tuple(args.sets) == ("trigger",) else _summarizer_for(args)
    reports = run_sets(args.sets, path=args.path, summarizer=summarizer, system=system, limit=args.limit,
                       threshold=not args.no_threshold)
    return _finish(args.name, reports, args.report, console)


def _run_rouge_group(args: argparse.Namespace, console: Any = None) -> int:
    args.sets = ROUGE_SETS if args.which == "all" else (args.which,)
    args.name = "rouge" if args.which == "all" else args.which
    return _run_sets(args, console)


def _run_sections(args: argparse.Namespace, console: Any = None) -> int:
    summarizer, system = _summarizer_for(args)
    report = run_sections(path=args.path or SECTIONS_ROWS, data_dir=args.data or default_data_dir(),
                          summarizer=lambda messages: summarizer(messages), system=system, limit=args.limit,
                          threshold=not args.no_threshold)
    print_sections(report, console=console)
    path = write_json([report], args.report or Path("reports") / "eval-sections.json")
    (console or Console()).print(f"report: {path}  {'[green]ok[/]' if report.ok else '[red]threshold missed[/]'}")
    return 0 if report.ok else 1


def _run_questions(args: argparse.Namespace, console: Any = None) -> int:
    summarizer, system = _summarizer_for(args)
    paths = [args.path] if args.path else [p for p in QUESTIONS_SETS if p.is_file()]
    reports = [run_questions(path=path, data_dir=args.data or default_data_dir(), summarizer=summarizer,
                             system=system, limit=args.limit, threshold=not args.no_threshold) for path in paths]
    for report in reports:
        print_questions(report, console=console)
    path = write_json(reports, args.report or Path("reports") / "eval-questions.json")
    ok = all(report.ok for report in reports)
    (console or Console()).print(f"report: {path}  {'[green]ok[/]' if ok else '[red]threshold missed[/]'}")
    return 0 if ok else 1


def _run_headlines(args: argparse.Namespace, console: Any = None) -> int:
    provider = resolve_provider(args.provider, model=args.model, cache_dir=args.cache_dir)
    system = "offline/extractive" if provider is None else f"{provider.name}/{provider.model}"
    report = run_headlines(path=args.path or HEADLINES_ROWS, data_dir=args.data or default_data_dir(),
                           provider=provider, system=system, limit=args.limit, threshold=not args.no_threshold)
    print_headlines(report, console=console, cases=args.cases)
    path = write_json([report], args.report or Path("reports") / "eval-headlines.json")
    (console or Console()).print(f"report: {path}  {'[green]ok[/]' if report.ok else '[red]threshold missed[/]'}")
    return 0 if report.ok else 1


def _run_synth(args: argparse.Namespace, console: Any = None) -> int:
    console = console or Console()
    provider = resolve_provider(args.provider, model=args.model, cache_dir=args.cache_dir)
    case_set = SYNTH_BEHAVIOURS[args.behaviour]
    examples_path = CASES_DIR / f"{case_set}.jsonl"
    examples = load_cases(examples_path, case_set)[:2] if examples_path.is_file() else None
    result = synthesize(behaviour=args.behaviour, count=args.n, provider=provider, out_dir=args.out,
                        examples=examples)
    console.print(f"{len(result.accepted)} valid cases, {len(result.rejected)} rejected, {result.calls} calls")
    for case, problems in result.rejected[:10]:
        ident = case.get("id") if isinstance(case, dict) else str(case)[:40]
        console.print(f"  rejected {ident}: {'; '.join(problems)}", highlight=False)
    if result.path:
        console.print(f"written for review (not merged): {result.path}")
    return 0 if len(result.accepted) >= args.n else 1


def build_parser() -> argparse.ArgumentParser:
    """The stand-alone parser: ``python -m bot.evals.cli SET …`` (the same sub-commands as ``recap eval``)."""
    parser = argparse.ArgumentParser(prog="recap", description="Recap's evals (see docs/evals.md)")
    holder = parser.add_subparsers(dest="command", required=True)
    add_eval_subparsers(holder)
    return parser


def main(argv: Sequence[str] | None = None, *, console: Any = None) -> int:
    """Run ``recap eval`` with ``argv`` (the words after ``eval``). Returns the exit status (0, 1 or 2).

    Args:
        argv: e.g. ``["facts", "--limit", "5"]``; ``sys.argv[1:]`` when None.
        console: a ``rich`` console for output (tests pass a recording one).
    """
    args = build_parser().parse_args(["eval", *(sys.argv[1:] if argv is None else argv)])
    try:
        return int(args.func(args, console))
    except (RecapError, FileNotFoundError, CaseError, ValueError) as exc:
        print(f"recap eval: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
