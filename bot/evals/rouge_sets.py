"""ROUGE evals on public conversation-summary sets, the summarizer side by side with Lead-3 and LexRank.

Sets (read from ``../shared/data/<folder>`` beside the repository, or ``--path``; see ``docs/evals.md``
for formats and licences):

* ``convosumm``: ConvoSumm email threads (Fabbri et al., ACL 2021), val split, 265 threads; one line
  per thread in ``email.val.source.*`` (posts separated by ``</s>``, each starting with
  ``Name: "…" Email: "…" To: "…" Subject: "…"``), the reference on the same line of ``email.val.target.*``.
* ``dialogsum``: DialogSum dev split (Chen et al., Findings of ACL 2021), 500 two-person dialogues,
  JSON lines with ``dialogue`` (turns ``#Person1#: …`` one per line) and ``summary``.
* ``qmsum``: QMSum val split (Zhong et al., NAACL 2021), 35 meetings, JSON lines with
  ``meeting_transcripts`` (``speaker``, ``content``) and ``general_query_list`` (``query``,
  ``answer``); each general query (one per meeting) is one item, its answer the reference.

Each item becomes ``list[Message]``: one message per post / turn, the speaker as ``user_name``,
synthetic ``ts`` one minute apart. Scores are ROUGE-1/2/L F1 from Google's ``rouge_score``
(``use_stemmer=True``; Lin 2004), averaged over items. All systems are truncated to the same word
budget: the median word count of the set's references (whitespace words), stated in the report.
Every system's extracted sentences are written the same way, ``"speaker: sentence"`` (see
:func:`bot.evals.report.summary_text`), also stated in the report (``text_format``).
Threshold: the summarizer beats both baselines on all three scores.
"""

from __future__ import annotations

import html
import json
import re
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.evals.baselines import lead, lexrank
from bot.evals.report import EvalReport, Summarizer, summary_text, truncate_words
from bot.models import Message

ROUGE_SETS = ("convosumm", "dialogsum", "qmsum")
SET_FOLDERS = {"convosumm": "convosumm-email", "dialogsum": "dialogsum", "qmsum": "qmsum"}
METRICS = ("rouge1", "rouge2", "rougeL")
_BASE_TS = 1_700_000_000


@dataclass(frozen=True)
class RougeItem:
    """One conversation with its human reference.

    Attributes:
        id: ``"<set>-<n>"``.
        messages: the conversation, oldest first.
        reference: the human summary.
        question: the query, for sets that have one (QMSum's general query), else None.
    """

    id: str
    messages: list[Message]
    reference: str
    question: str | None = None


def _message(set_name: str, index: int, turn: int, speaker: str, text: str) -> Message:
    return Message(
        channel_id=f"E{set_name.upper()}",
        ts=f"{_BASE_TS + index * 100_000 + turn * 60}.000000",
        user_id=None,
        user_name=speaker,
        text=text,
        thread_ts=f"{_BASE_TS + index * 100_000}.000000",
    )


_EMAIL_HEADER = re.compile(
    r'^\s*Name:\s*"(?P<name>[^"]*)"\s*Email:\s*"[^"]*"\s*To:\s*.*?Subject:\s*"(?P<subject>[^"]*)"\s*(?P<body>.*)$',
    re.DOTALL,
)


def _person(name: str) -> str:
    """``"Dournaee, Blake"`` -> ``"Blake Dournaee"``; other names unchanged."""
    name = name.strip().strip("'")
    if name.count(",") == 1:
        last, first = (part.strip() for part in name.split(","))
        return f"{first} {last}".strip()
    return name


def load_convosumm(path: Path) -> Iterator[RougeItem]:
    """ConvoSumm email threads from ``path`` (the ``convosumm-email`` folder).

    The first post keeps its subject as its first line (a thread's title); later posts keep only their
    body. HTML entities (``&lt;``) are unescaped; runs of spaces collapsed.

    Raises:
        FileNotFoundError: the source or target file is missing.
    """
    source = next(iter(sorted(path.glob("email.val.source*"))), None)
    target = next(iter(sorted(path.glob("email.val.target*"))), None)
    if source is None or target is None:
        raise FileNotFoundError(f"no email.val.source*/target* files in {path}")
    with source.open(encoding="utf-8") as sources, target.open(encoding="utf-8") as targets:
        for index, (line, reference) in enumerate(zip(sources, targets, strict=True)):
            messages = []
            for turn, post in enumerate(p for p in line.split("</s>") if p.strip()):
                post = html.unescape(re.sub(r"\s+", " ", post)).strip()
                match = _EMAIL_HEADER.match(post)
                if match:
                    speaker, body = _person(match["name"]), match["body"].strip()
                    if turn == 0 and match["subject"].strip():
                        body = f"{match['subject'].strip()}\n{body}"
                else:
                    speaker, body = "unknown", post
                messages.append(_message("convosumm", index, turn, speaker, body))
            yield RougeItem(f"convosumm-{index}", messages, reference.strip())


def load_dialogsum(path: Path) -> Iterator[RougeItem]:
    """DialogSum dialogues from ``path`` (the ``dialogsum`` folder): ``#PersonN#: text`` per line."""
    with (path / "dialogsum.dev.jsonl").open(encoding="utf-8") as lines:
        for index, line in enumerate(lines):
            row = json.loads(line)
            messages = []
            for turn, raw in enumerate(t for t in row["dialogue"].splitlines() if t.strip()):
                speaker, _, text = raw.partition(":")
                if not text:
                    speaker, text = "unknown", raw
                messages.append(_message("dialogsum", index, turn, speaker.strip(), text.strip()))
            yield RougeItem(row.get("fname", f"dialogsum-{index}"), messages, row["summary"].strip())


def load_qmsum(path: Path) -> Iterator[RougeItem]:
    """QMSum meetings from ``path`` (the ``qmsum`` folder): one item per general query."""
    with (path / "val.jsonl").open(encoding="utf-8") as lines:
        for index, line in enumerate(lines):
            row = json.loads(line)
            messages = [
                _message("qmsum", index, turn, t["speaker"].strip(), t["content"].strip())
                for turn, t in enumerate(row["meeting_transcripts"])
                if t["content"].strip()
            ]
            for q, query in enumerate(row["general_query_list"]):
                yield RougeItem(f"qmsum-{index}-{q}", messages, query["answer"].strip(), query["query"])


LOADERS: dict[str, Callable[[Path], Iterator[RougeItem]]] = {
    "convosumm": load_convosumm,
    "dialogsum": load_dialogsum,
    "qmsum": load_qmsum,
}


def load_items(set_name: str, path: Path, *, limit: int | None = None) -> list[RougeItem]:
    """The first ``limit`` items (all when None) of a ROUGE set.

    Raises:
        KeyError: unknown set name.
        FileNotFoundError: the data is not at ``path``.
    """
    items: list[RougeItem] = []
    for item in LOADERS[set_name](path):
        if limit is not None and len(items) >= limit:
            break
        items.append(item)
    return items


def word_budget(references: list[str]) -> int:
    """The median whitespace word count of ``references`` (at least 1)."""
    return max(1, round(statistics.median(len(r.split()) for r in references))) if references else 1


def run_rouge(
    set_name: str,
    *,
    path: Path,
    summarizer: Summarizer,
    system: str = "offline/extractive",
    limit: int | None = None,
    threshold: bool = True,
) -> EvalReport:
    """Score ``summarizer`` and the Lead-3 and LexRank baselines on one set.

    QMSum's general queries ("Summarize the whole meeting.") ask for a summary, so the summarizer is
    called without a question on every set.

    Args:
        set_name: ``"convosumm"``, ``"dialogsum"`` or ``"qmsum"``.
        path: the set's folder.
        summarizer: the system under test.
        system: its name in the report.
        limit: score only the first ``limit`` items.
        threshold: when False, ``ok`` is always True (the comparisons are still listed).

    Returns:
        An :class:`EvalReport` with ``metrics["systems"][name][metric]`` (F1, 0..1), ``word_budget``,
        seconds per system, and ``failures`` naming each score where the summarizer did not beat a baseline.

    Raises:
        FileNotFoundError: the data is not at ``path``.
    """
    from rouge_score import rouge_scorer

    started = time.perf_counter()
    items = load_items(set_name, path, limit=limit)
    budget = word_budget([item.reference for item in items])
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    systems: dict[str, Callable[[RougeItem], str]] = {
        system: lambda item: summary_text(summarizer(item.messages, max_words=budget), messages=item.messages),
        "lead3": lambda item: lead(item.messages, k=3),
        "lexrank": lambda item: lexrank(item.messages, max_words=budget),
    }
    totals = {name: dict.fromkeys(METRICS, 0.0) for name in systems}
    seconds = dict.fromkeys(systems, 0.0)
    lengths = {name: 0 for name in systems}
    for item in items:
        for name, produce in systems.items():
            tick = time.perf_counter()
            output = truncate_words(produce(item), budget)
            seconds[name] += time.perf_counter() - tick
            lengths[name] += len(output.split())
            scores = scorer.score(item.reference, output)
            for metric in METRICS:
                totals[name][metric] += scores[metric].fmeasure
    n = max(len(items), 1)
    averages = {name: {m: round(v / n, 4) for m, v in metric.items()} for name, metric in totals.items()}
    failures = [
        f"{system} {metric} {averages[system][metric]:.4f} <= {baseline} {averages[baseline][metric]:.4f}"
        for baseline in ("lead3", "lexrank")
        for metric in METRICS
        if averages[system][metric] <= averages[baseline][metric]
    ]
    return EvalReport(
        set=set_name,
        kind="rouge",
        system=system,
        n=len(items),
        threshold=f"{system} > lead3 and lexrank on ROUGE-1/2/L F1" if threshold else "none (--no-threshold)",
        ok=not failures or not threshold,
        score=averages[system]["rougeL"],
        metrics={
            "systems": averages,
            "word_budget": budget,
            "word_budget_rule": "median whitespace word count of the references; every output truncated to it",
            "text_format": "one line per extracted sentence as 'speaker: sentence' for every system (the "
                           "summarizer's verbatim points, Lead-3 and LexRank units); generated text as is; "
                           "an overview that repeats a point is left out (bot.evals.report.summary_text)",
            "mean_output_words": {name: round(lengths[name] / n, 1) for name in systems},
            "seconds": {name: round(s, 2) for name, s in seconds.items()},
            "rouge": "rouge_score RougeScorer(['rouge1','rouge2','rougeL'], use_stemmer=True), mean F1",
        },
        failures=failures,
        seconds=round(time.perf_counter() - started, 2),
        source=str(path),
    )
