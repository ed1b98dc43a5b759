"""The titles eval (``recap eval titles``): does each user get titles in their own style, on topic?

``evals/titles/cases.jsonl`` holds one user a line: their 5 past conversations (messages and the title
they kept) and at least 3 new conversations, each with the style properties its title must have and
topic keywords. For every new conversation the eval learns the user's profile from the past
conversations, generates a title, and checks it deterministically:

========== =====================================================================================
property   check
========== =====================================================================================
casing     ``lower`` (no capitals), ``upper`` (no lowercase), ``title`` / ``sentence`` (as measured
           by :func:`bot.titles.features.text_casing`; a one-word title passes either)
min_words  at least N words; ``max_words`` at most N (:func:`bot.titles.text.count_words`: CJK 2 chars a word)
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
table with the pass rate per property and writes ``reports/eval-titles.json``. It runs through the model
the settings configure (:func:`bot.llm.factory.build_provider`, as the app does), or offline when none
is (``--offline`` forces it). When model calls fail (:class:`bot.errors.LLMError`: unreachable, rate
limited, …) the titles code falls back to its offline title or style description, as in the product;
the report counts those calls and names the reason (``model_failures``, ``fallback_reason``), so a run
that quietly became an offline run says so.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import emoji
from pydantic import BaseModel

from bot.config import load_settings
from bot.errors import LLMError
from bot.lang import HAN, HANGUL, KANA
from bot.llm.base import Completion, Provider
from bot.llm.factory import build_provider
from bot.titles.features import text_casing
from bot.titles.style import PastConversation, learn_profile
from bot.titles.text import ASCII_ENDING, ENDINGS, count_words
from bot.titles.titling import make_title

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CASES = ROOT / "evals" / "titles" / "cases.jsonl"
DEFAULT_REPORT = ROOT / "reports" / "eval-titles.json"
THRESHOLD = 0.95

Generator = Callable[[Sequence[PastConversation], Sequence[str], Provider | None], str]
"""``(past conversations, new conversation texts, provider or None) -> title``."""

_HAN = re.compile(f"[{HAN}]")
_KANA = re.compile(f"[{KANA}]")
_HANGUL = re.compile(f"[{HANGUL}]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def default_generator(past: Sequence[PastConversation], texts: Sequence[str], provider: Provider | None) -> str:
    """Recap's own titling: :func:`bot.titles.style.learn_profile` then :func:`bot.titles.titling.make_title`."""
    profile = learn_profile(past, provider=provider)
    return make_title(texts, style=profile, provider=provider)


def _strip_emoji(text: str) -> str:
    return emoji.replace_emoji(text, replace="").strip()


def _has_emoji(text: str) -> bool:
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
            return last not in ENDINGS
        return ASCII_ENDING.get(last, last) == ASCII_ENDING.get(expected, expected)
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


class WatchedProvider:
    """A :class:`bot.llm.base.Provider` that counts the calls to ``inner`` and those that failed.

    A failed call (:class:`bot.errors.LLMError`, re-raised) is one the titles code answered with its
    offline fallback, so the counts tell how much of a run the model really wrote.

    Args:
        inner: the provider under test.
    """

    def __init__(self, inner: Provider) -> None:
        self.inner = inner
        self.name = inner.name
        self.model = inner.model
        self.context_tokens = inner.context_tokens
        self.calls = 0
        self.failures = 0
        self.last_error = ""

    def complete(self, *, system: str, prompt: str, max_tokens: int = 1024,
                 schema: type[BaseModel] | None = None) -> Completion:
        """``inner.complete``, counted.

        Raises:
            LLMError: as ``inner`` (counted as a failure first).
        """
        self.calls += 1
        try:
            return self.inner.complete(system=system, prompt=prompt, max_tokens=max_tokens, schema=schema)
        except LLMError as exc:
            self.failures += 1
            self.last_error = str(exc)
            raise

    def stream(self, *, system: str, prompt: str, max_tokens: int = 1024) -> Iterator[str]:
        """``inner.stream`` (titles do not stream; not counted)."""
        return self.inner.stream(system=system, prompt=prompt, max_tokens=max_tokens)

    def count_tokens(self, text: str) -> int:
        """``inner.count_tokens``."""
        return self.inner.count_tokens(text)


@dataclass
class EvalReport:
    """The whole run.

    Attributes:
        results: one per new conversation.
        provider, model: what was asked to write the titles (``"offline"``/``"extractive"``: no model).
        threshold: the title pass rate needed (0–1).
        model_calls: how many model calls the run made (style descriptions and titles).
        model_failures: how many of them failed, so the offline fallback was used instead.
        fallback_reason: the last failure's message (``""`` when none failed).
    """

    results: list[TitleResult] = field(default_factory=list)
    provider: str = "offline"
    model: str = "extractive"
    threshold: float = THRESHOLD
    model_calls: int = 0
    model_failures: int = 0
    fallback_reason: str = ""

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
            "model_calls": self.model_calls,
            "model_failures": self.model_failures,
            "fallback_reason": self.fallback_reason,
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
    provider: Provider | None = None,
    threshold: float = THRESHOLD,
) -> EvalReport:
    """Generate and check a title for every new conversation of every case.

    Args:
        cases: parsed ``cases.jsonl`` lines.
        generate: the title generator under test.
        provider: passed to ``generate`` (None: no model, offline titles), watched
            (:class:`WatchedProvider`) so the report counts the calls that fell back.
        threshold: title pass rate needed.

    Returns:
        The report; a generator that raises fails that title (``title`` holds the error).
    """
    watched = WatchedProvider(provider) if provider is not None else None
    report = EvalReport(threshold=threshold)
    if watched is not None:
        report.provider, report.model = watched.name, watched.model
    for case in cases:
        past = _past(case)
        for index, new in enumerate(case["new"]):
            try:
                title = generate(past, new["messages"], watched)
            except Exception as exc:  # noqa: BLE001 - a crash is a failed title, reported
                logger.exception("title generation crashed for %s #%d", case["user"], index)
                report.results.append(TitleResult(case["user"], index, f"<error: {exc}>", {"generated": False}))
                continue
            checks = {name: check_property(name, value, title) for name, value in new["expect"].items()}
            checks["on_topic"] = on_topic(title, new["topic"])
            report.results.append(TitleResult(case["user"], index, title, checks))
    if watched is not None:
        report.model_calls, report.model_failures = watched.calls, watched.failures
        report.fallback_reason = watched.last_error
    return report


def _provider_from_settings() -> Provider | None:
    """The model the settings configure (``.env``, then the environment), as the app builds it; None
    when no model is configured.

    Raises:
        ConfigError: malformed settings, or a provider chosen without the key it needs.
    """
    return build_provider(load_settings())


def print_report(report: EvalReport) -> None:
    """A rich table: pass rate per property, then the failing titles."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

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
    if report.model_failures:
        console.print(Text(f"{report.model_failures} of {report.model_calls} model calls failed, so those titles "
                           f"or style descriptions are the offline ones: {report.fallback_reason}", style="yellow"))
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
