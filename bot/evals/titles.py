"""The titles eval (``recap eval titles``): does each user get titles in their own style, on topic?

``evals/titles/cases.jsonl`` holds one user a line: their 5 past conversations (messages and the title
they kept) and at least 3 new conversations, each with the style properties its title must have and
topic keywords. For every new conversation the eval learns the user's profile from the past
conversations, generates a title, and checks it deterministically:

========== =====================================================================================
property   check
========== =====================================================================================
casing     ``lower`` (no capitals), ``upper`` (no lowercase), ``title`` / ``sentence`` (as measured
           by :func:`bot.titles.style.text_casing`; a one-word title passes either)
min_words  at least N words; ``max_words`` at most N (:func:`bot.titles.style.count_words`: CJK 2 chars a word)
emoji      has (or has not) an emoji
ends_with  ``""``: no trailing punctuation; ``"?"``/``"!"``/``"."``: ends so (full-width counts)
language   the title's script fits the language (Han without kana for zh, kana for ja, Latin
           for the others); the topic check keeps Latin languages honest (topic words are in the
           conversation's language)
bracket    starts with an ``[area]`` tag
joiner     ``"_"``/``"-"``: one token joined so, no spaces
separator  contains the separator (``": "``, ``" - "``)
on_topic   shares a topic keyword with the conversation (labelled; substring match, case-folded,
           ``_``/``-`` read as spaces), so a right-style title on the wrong topic fails
========== =====================================================================================

A title passes when all its checks pass; the eval passes when at least 95% of titles do. It prints a
table with the pass rate per property and writes ``reports/eval-titles.json``. It runs offline unless
``ANTHROPIC_API_KEY`` or ``OPENAI_API_KEY`` is set (then through ``bot.llm.factory.make_provider``).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.titles.style import (
    PastConversation,
    count_words,
    learn_profile,
    make_title,
    text_casing,
)

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CASES = ROOT / "evals" / "titles" / "cases.jsonl"
DEFAULT_REPORT = ROOT / "reports" / "eval-titles.json"
THRESHOLD = 0.95

Generator = Callable[[Sequence[PastConversation], Sequence[str], Any], str]
"""``(past conversations, new conversation texts, provider) -> title``."""

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_TRAILING = ".!?…。！？"
_FULL_TO_ASCII = {"。": ".", "！": "!", "？": "?", "…": "."}


def default_generator(past: Sequence[PastConversation], texts: Sequence[str], provider: Any) -> str:
    """Recap's own titling: :func:`bot.titles.style.learn_profile` then :func:`bot.titles.style.make_title`."""
    profile = learn_profile(past, provider=provider)
    return make_title(texts, style=profile, provider=provider)


def _strip_emoji(text: str) -> str:
    import emoji

    return emoji.replace_emoji(text, replace="").strip()


def _has_emoji(text: str) -> bool:
    import emoji

    return emoji.emoji_count(text) > 0 or bool(re.search(r":[a-z0-9_+\-]+:", text))


def check_property(name: str, expected: Any, title: str) -> bool:
    """Whether ``title`` has the style property ``name`` = ``expected`` (see the module table).

    Raises:
        ValueError: an unknown property name (a typo in the cases file must not pass silently).
    """
    plain = _strip_emoji(title)
    if name == "casing":
        cased = [c for c in plain if c.lower() != c.upper()]
        if expected == "lower":
            return plain == plain.lower()
        if expected == "upper":
            return bool(cased) and plain == plain.upper()
        found = text_casing(plain)
        if expected == "title":
            return found in ("title", None) and bool(cased) and cased[0].isupper()
        if expected == "sentence":
            return found in ("sentence", None) and bool(cased) and cased[0].isupper()
        raise ValueError(f"unknown casing {expected!r}")
    if name == "min_words":
        return count_words(title) >= int(expected)
    if name == "max_words":
        return count_words(title) <= int(expected)
    if name == "emoji":
        return _has_emoji(title) == bool(expected)
    if name == "ends_with":
        last = plain[-1:] if plain else ""
        if not expected:
            return last not in _TRAILING
        return _FULL_TO_ASCII.get(last, last) == _FULL_TO_ASCII.get(expected, expected)
    if name == "language":
        has_han, has_kana = bool(_HAN.search(plain)), bool(_KANA.search(plain))
        if expected == "zh":
            return has_han and not has_kana
        if expected == "ja":
            return has_kana
        if expected == "ko":
            return bool(_HANGUL.search(plain))
        return bool(_LATIN.search(plain)) and not (has_han or has_kana)
    if name == "bracket":
        return bool(re.match(r"^\[[^\]]+\]\s*\S", plain)) == bool(expected)
    if name == "joiner":
        if expected == " ":
            return " " in plain.strip()
        return " " not in plain.strip() and expected in plain
    if name == "separator":
        return expected in plain
    raise ValueError(f"unknown style property {name!r}")


def on_topic(title: str, topic: Sequence[str]) -> bool:
    """True when ``title`` contains one of the labelled topic keywords (case-folded substring)."""
    norm = re.sub(r"[_\-]+", " ", title.casefold())
    return any(keyword.casefold() in norm for keyword in topic)


@dataclass
class TitleResult:
    """One generated title and its checks."""

    user: str
    index: int
    title: str
    checks: dict[str, bool]

    @property
    def passed(self) -> bool:
        """All checks passed."""
        return all(self.checks.values())


@dataclass
class EvalReport:
    """The whole run.

    Attributes:
        results: one per new conversation.
        provider, model: what wrote the titles.
        threshold: the title pass rate needed (0–1).
    """

    results: list[TitleResult] = field(default_factory=list)
    provider: str = "offline"
    model: str = "extractive"
    threshold: float = THRESHOLD

    @property
    def pass_rate(self) -> float:
        """Fraction of titles passing every check."""
        return sum(r.passed for r in self.results) / len(self.results) if self.results else 0.0

    @property
    def passed(self) -> bool:
        """True when the pass rate reaches the threshold."""
        return bool(self.results) and self.pass_rate >= self.threshold

    def by_property(self) -> dict[str, dict[str, float]]:
        """``{property: {"passed": n, "total": n, "rate": 0–1}}``."""
        table: dict[str, dict[str, float]] = {}
        for result in self.results:
            for name, ok in result.checks.items():
                row = table.setdefault(name, {"passed": 0, "total": 0, "rate": 0.0})
                row["passed"] += int(ok)
                row["total"] += 1
        for row in table.values():
            row["rate"] = row["passed"] / row["total"]
        return table

    def to_dict(self) -> dict[str, Any]:
        """The JSON report."""
        return {
            "provider": self.provider,
            "model": self.model,
            "threshold": self.threshold,
            "pass_rate": round(self.pass_rate, 4),
            "passed": self.passed,
            "titles": len(self.results),
            "by_property": self.by_property(),
            "results": [
                {"user": r.user, "conversation": r.index, "title": r.title, "checks": r.checks, "passed": r.passed}
                for r in self.results
            ],
        }


def load_cases(path: Path = DEFAULT_CASES) -> list[dict[str, Any]]:
    """Read the JSONL cases (blank lines skipped)."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _past(case: dict[str, Any]) -> list[PastConversation]:
    """The case's past conversations, newest first (the file lists them oldest first)."""
    convs = [
        PastConversation(texts=tuple(p["messages"]), title=p.get("title"), kept_title=bool(p.get("title")))
        for p in case["past"]
    ]
    return list(reversed(convs))


def run_eval(
    cases: Sequence[dict[str, Any]],
    *,
    generate: Generator = default_generator,
    provider: Any = None,
    threshold: float = THRESHOLD,
) -> EvalReport:
    """Generate and check a title for every new conversation of every case.

    Args:
        cases: parsed ``cases.jsonl`` lines.
        generate: the title generator under test.
        provider: passed to ``generate`` (None = offline).
        threshold: title pass rate needed.

    Returns:
        The report; a generator that raises fails that title (``title`` holds the error).
    """
    report = EvalReport(
        provider=getattr(provider, "name", "offline") if provider else "offline",
        model=getattr(provider, "model", "extractive") if provider else "extractive",
        threshold=threshold,
    )
    for case in cases:
        past = _past(case)
        for index, new in enumerate(case["new"]):
            try:
                title = generate(past, new["messages"], provider)
            except Exception as exc:  # noqa: BLE001 - a crash is a failed title, reported
                logger.exception("title generation crashed for %s #%d", case["user"], index)
                report.results.append(TitleResult(case["user"], index, f"<error: {exc}>", {"generated": False}))
                continue
            checks = {name: check_property(name, value, title) for name, value in new["expect"].items()}
            checks["on_topic"] = on_topic(title, new["topic"])
            report.results.append(TitleResult(case["user"], index, title, checks))
    return report


def _provider_from_settings() -> Any:
    """A model provider when a key is configured and the factory exists, else None (offline)."""
    from bot.config import load_settings

    settings = load_settings()
    if not (settings.anthropic_api_key or settings.openai_api_key):
        return None
    try:
        from bot.llm.factory import make_provider
    except ImportError:
        logger.warning("bot.llm.factory is missing; running the titles eval offline")
        return None
    provider = make_provider(settings)
    return None if getattr(provider, "name", "offline") == "offline" else provider


def print_report(report: EvalReport) -> None:
    """A rich table: pass rate per property, then the failing titles."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"Titles eval ({report.provider}/{report.model})")
    table.add_column("property")
    table.add_column("passed", justify="right")
    table.add_column("rate", justify="right")
    for name, row in sorted(report.by_property().items()):
        style = "green" if row["rate"] >= report.threshold else "red"
        table.add_row(name, f"{int(row['passed'])}/{int(row['total'])}", f"[{style}]{row['rate']:.0%}[/{style}]")
    overall = "green" if report.passed else "red"
    table.add_row("[b]titles (all checks)[/b]", f"{sum(r.passed for r in report.results)}/{len(report.results)}",
                  f"[{overall}]{report.pass_rate:.1%}[/{overall}]")
    console.print(table)
    failures = [r for r in report.results if not r.passed]
    if failures:
        fail_table = Table(title="Failing titles")
        for column in ("user", "#", "title", "failed"):
            fail_table.add_column(column)
        for r in failures:
            failed = ", ".join(k for k, ok in r.checks.items() if not ok)
            fail_table.add_row(r.user, str(r.index), r.title, failed)
        console.print(fail_table)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the titles eval from the command line.

    Args:
        argv: ``[--cases PATH] [--report PATH] [--offline] [--threshold 0.95]``.

    Returns:
        0 when at least ``threshold`` of the titles pass every check, else 1.
    """
    parser = argparse.ArgumentParser(prog="recap eval titles", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    parser.add_argument("--report", type=Path, default=DEFAULT_REPORT)
    parser.add_argument("--offline", action="store_true", help="ignore API keys and run offline")
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    args = parser.parse_args(list(argv) if argv is not None else None)

    provider = None if args.offline else _provider_from_settings()
    report = run_eval(load_cases(args.cases), provider=provider, threshold=args.threshold)
    print_report(report)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if report.passed else 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
