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

The rendered output (what ``recap summarize`` prints, :func:`rendered_text`) is scored too, as it is,
against a lead of the same length (:func:`bot.evals.baselines.lead_words`). Every difference comes with
a paired bootstrap 95% interval (:func:`paired_bootstrap`; Koehn 2004).
Threshold: the summarizer beats both baselines on all three scores with the interval above zero. Target
(reported, not yet a threshold): on ConvoSumm the rendered output beats the length-matched lead.
"""

from __future__ import annotations

import html
import json
import re
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.evals.baselines import lead, lead_words, lexrank
from bot.evals.report import EvalReport, Summarizer, summary_text, truncate_words, visible_markdown
from bot.models import Message, Summary
from bot.summaries.render import to_markdown

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


RESAMPLES = 1000  # paired bootstrap resamples of the items
SEED = 0  # the bootstrap's random seed: the same items give the same interval
RENDERED_TARGET_SETS = ("convosumm",)  # where the rendered output should beat the length-matched lead (issue 11)
RENDERED_THRESHOLD_SETS: tuple[str, ...] = ()  # where missing that target fails the eval: none until it is met
LEAD_MATCHED = "lead@rendered"
RENDERED = "rendered"


def paired_bootstrap(system: Sequence[float], baseline: Sequence[float], *, resamples: int = RESAMPLES,
                     seed: int = SEED, confidence: float = 0.95) -> dict[str, float]:
    """The mean per-item difference ``system - baseline`` and its paired bootstrap confidence interval.

    Items are resampled with replacement ``resamples`` times (both systems keep the same items, so the
    interval is for the difference itself: Koehn 2004, "Statistical Significance Tests for Machine
    Translation Evaluation", EMNLP; the percentile interval of Efron & Tibshirani 1993, "An Introduction
    to the Bootstrap"). A difference whose interval lies above zero is unlikely to be noise.

    Args:
        system, baseline: per-item scores of the two systems on the same items, same order (F1, 0..1).
        resamples: bootstrap resamples.
        seed: random seed (NumPy ``default_rng``).
        confidence: the interval's coverage (0.95: the 2.5th and 97.5th percentiles).

    Returns:
        ``{"mean": …, "low": …, "high": …}`` in the scores' unit; all 0.0 without items.

    Raises:
        ValueError: the two lists differ in length.
    """
    a, b = np.asarray(system, dtype=float), np.asarray(baseline, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"paired scores differ in length: {a.shape[0]} vs {b.shape[0]}")
    if a.size == 0:
        return {"mean": 0.0, "low": 0.0, "high": 0.0}
    diff = a - b
    rng = np.random.default_rng(seed)
    means = diff[rng.integers(0, diff.size, size=(resamples, diff.size))].mean(axis=1)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return {"mean": round(float(diff.mean()), 4), "low": round(float(low), 4), "high": round(float(high), 4)}


def _permalink(ts: str) -> str:
    """A stand-in permalink for the rendered output (the link target is not visible, so not scored)."""
    return f"https://recap.example/archives/E1/p{ts.replace('.', '')}"


def rendered_text(summary: Summary, messages: Sequence[Message]) -> str:
    """What ``recap summarize`` prints for ``summary`` of ``messages`` (:func:`bot.summaries.render.to_markdown`
    with the authors of quoted points, no title), as a reader sees it: Markdown link targets left out
    (``[[1]](https://…)`` reads ``[1]``); headings, labels, names, owners, citation numbers and notes kept."""
    authors = {m.ts: m.user_name for m in messages}
    return visible_markdown(to_markdown(summary, permalink_for=_permalink, author_for=authors.get))


def criteria_met(differences: dict[str, dict[str, dict[str, float]]], system: str, *,
                 rendered_target: bool) -> dict[str, bool | None]:
    """Issue 11's ROUGE criteria on one set of differences (all items, or one half).

    Args:
        differences: ``"<a> - <b>" -> metric -> {"mean", "low", "high"}`` (:func:`paired_bootstrap` results).
        system: the summarizer's name in those pairs.
        rendered_target: whether the rendered-output target applies to this set (:data:`RENDERED_TARGET_SETS`).

    Returns:
        ``{"beats_lead3": …, "beats_lexrank": …, "rendered_beats_lead": …}``: True when ``system`` beats the
        baseline on ROUGE-1, -2 and -L with the 95% interval above zero; for the rendered output, when its mean
        is above the length-matched lead's on all three (None where the target does not apply).
    """
    def above(pair: str, *, interval: bool) -> bool:
        by_metric = differences.get(pair, {})
        return bool(by_metric) and all((d["low"] if interval else d["mean"]) > 0 for d in by_metric.values())

    return {
        "beats_lead3": above(f"{system} - lead3", interval=True),
        "beats_lexrank": above(f"{system} - lexrank", interval=True),
        "rendered_beats_lead": above(f"{RENDERED} - {LEAD_MATCHED}", interval=False) if rendered_target else None,
    }


def _split(items: Sequence[RougeItem]) -> dict[str, list[int]]:
    """Item positions of the tuning half (even positions) and the check half (odd positions)."""
    return {"tune": list(range(0, len(items), 2)), "check": list(range(1, len(items), 2))}


def run_rouge(
    set_name: str,
    *,
    path: Path,
    summarizer: Summarizer,
    system: str = "offline/extractive",
    limit: int | None = None,
    threshold: bool = True,
    resamples: int = RESAMPLES,
) -> EvalReport:
    """Score ``summarizer`` and the Lead-3 and LexRank baselines on one set, flattened and as rendered.

    Two comparisons, each with a paired bootstrap 95% interval per difference (:func:`paired_bootstrap`):

    * **flattened** (``metrics["systems"]``): the summary as :func:`summary_text` (points as
      ``speaker: sentence`` lines, no headings or citations), the summarizer asked for the set's word
      budget, every system truncated to it, against Lead-3 and LexRank;
    * **rendered** (``metrics["rendered"]``): what ``recap summarize`` prints (:func:`rendered_text`:
      outcome, overview, headings, numbered citations, offline label), the summarizer called without a
      word budget as the pipeline calls it, nothing truncated, against a **length-matched lead**: the
      first N words of the transcript (``speaker: sentence`` lines), N = the rendered output's words for
      that item.

    QMSum's general queries ("Summarize the whole meeting.") ask for a summary, so the summarizer is
    called without a question on every set. Means and intervals are also given for the tuning half
    (even items) and the check half (odd items) in ``metrics["halves"]``, and issue 11's criteria are
    judged on all items and on the check half alone in ``metrics["criteria"]`` (:func:`criteria_met`;
    reported, the threshold itself is judged on all items).

    Args:
        set_name: ``"convosumm"``, ``"dialogsum"`` or ``"qmsum"``.
        path: the set's folder.
        summarizer: the system under test.
        system: its name in the report.
        limit: score only the first ``limit`` items.
        threshold: when False, ``ok`` is always True (the comparisons are still listed).
        resamples: bootstrap resamples (1,000 by default).

    Returns:
        An :class:`EvalReport` with ``metrics["systems"][name][metric]`` (mean F1, 0..1),
        ``metrics["differences"]["<system> - <baseline>"][metric]`` (``mean``/``low``/``high``),
        ``metrics["rendered"]`` (the same for the rendered output), ``word_budget``, seconds per system, and
        ``failures`` naming each difference whose 95% interval is not above zero (the rendered one: whose
        mean is not above zero, on :data:`RENDERED_THRESHOLD_SETS`; on :data:`RENDERED_TARGET_SETS` it is
        reported as ``metrics["rendered"]["target_met"]``).

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
    names = [*systems, RENDERED, LEAD_MATCHED]
    scores: dict[str, dict[str, list[float]]] = {name: {m: [] for m in METRICS} for name in names}
    seconds = dict.fromkeys(names, 0.0)
    lengths: dict[str, list[int]] = {name: [] for name in names}

    def score(name: str, item: RougeItem, output: str) -> None:
        lengths[name].append(len(output.split()))
        result = scorer.score(item.reference, output)
        for metric in METRICS:
            scores[name][metric].append(result[metric].fmeasure)

    for item in items:
        for name, produce in systems.items():
            tick = time.perf_counter()
            output = truncate_words(produce(item), budget)
            seconds[name] += time.perf_counter() - tick
            score(name, item, output)
        tick = time.perf_counter()
        shown = rendered_text(summarizer(item.messages), item.messages)
        seconds[RENDERED] += time.perf_counter() - tick
        score(RENDERED, item, shown)
        tick = time.perf_counter()
        matched = lead_words(item.messages, words=len(shown.split()))
        seconds[LEAD_MATCHED] += time.perf_counter() - tick
        score(LEAD_MATCHED, item, matched)

    def means(names: Sequence[str], positions: Sequence[int]) -> dict[str, dict[str, float]]:
        n = max(len(positions), 1)
        return {name: {m: round(sum(scores[name][m][i] for i in positions) / n, 4) for m in METRICS}
                for name in names}

    def differences(pairs: Sequence[tuple[str, str]], positions: Sequence[int]) -> dict[str, dict[str, dict]]:
        return {f"{a} - {b}": {m: paired_bootstrap([scores[a][m][i] for i in positions],
                                                   [scores[b][m][i] for i in positions], resamples=resamples)
                               for m in METRICS}
                for a, b in pairs}

    everything = list(range(len(items)))
    flat_pairs = [(system, "lead3"), (system, "lexrank")]
    rendered_pairs = [(RENDERED, LEAD_MATCHED)]
    flat_names, rendered_names = list(systems), [RENDERED, LEAD_MATCHED]
    averages = means(flat_names, everything)
    diffs = differences(flat_pairs, everything)
    rendered_diffs = differences(rendered_pairs, everything)
    failures = [
        f"{pair} {metric}: {d['mean'] * 100:+.2f} [{d['low'] * 100:+.2f}, {d['high'] * 100:+.2f}] not above zero"
        for pair, by_metric in diffs.items() for metric, d in by_metric.items() if d["low"] <= 0
    ]
    if set_name in RENDERED_THRESHOLD_SETS:
        failures += [
            f"{pair} {metric}: {d['mean'] * 100:+.2f} [{d['low'] * 100:+.2f}, {d['high'] * 100:+.2f}] not above zero"
            for pair, by_metric in rendered_diffs.items() for metric, d in by_metric.items() if d["mean"] <= 0
        ]
    n = max(len(items), 1)
    half_diffs = {half: {**differences(flat_pairs, positions), **differences(rendered_pairs, positions)}
                  for half, positions in _split(items).items()}
    halves = {
        half: {"n": len(positions), "systems": means([*flat_names, *rendered_names], positions),
               "differences": half_diffs[half]}
        for half, positions in _split(items).items()
    }
    target = set_name in RENDERED_TARGET_SETS
    criteria = {"all": criteria_met({**diffs, **rendered_diffs}, system, rendered_target=target),
                "check": criteria_met(half_diffs["check"], system, rendered_target=target)}
    return EvalReport(
        set=set_name,
        kind="rouge",
        system=system,
        n=len(items),
        threshold=(f"{system} > lead3 and lexrank on ROUGE-1/2/L F1, 95% paired bootstrap interval above zero"
                   + (f"; rendered > {LEAD_MATCHED} (mean)" if set_name in RENDERED_THRESHOLD_SETS else "")
                   if threshold else "none (--no-threshold)"),
        ok=not failures or not threshold,
        score=averages[system]["rougeL"],
        metrics={
            "systems": averages,
            "differences": diffs,
            "rendered": {
                "systems": means(rendered_names, everything),
                "differences": rendered_diffs,
                "mean_words": round(sum(lengths[RENDERED]) / n, 1),
                "target": (f"{RENDERED} > {LEAD_MATCHED} on ROUGE-1/2/L (mean)" if set_name in RENDERED_TARGET_SETS
                           else None),
                "target_met": all(d["mean"] > 0 for by_metric in rendered_diffs.values() for d in by_metric.values())
                if set_name in RENDERED_TARGET_SETS else None,
                "rule": "rendered: bot.summaries.render.to_markdown of the summarizer's summary without a word "
                        "budget (what `recap summarize` prints, no title), link targets left out, not truncated; "
                        f"{LEAD_MATCHED}: the first N words of the transcript ('speaker: sentence' lines), "
                        "N = the rendered output's word count for the same item",
            },
            "halves": halves,
            "criteria": criteria,
            "bootstrap": f"paired, {resamples} resamples of the items, seed {SEED}, 95% percentile interval",
            "word_budget": budget,
            "word_budget_rule": "median whitespace word count of the references; every output truncated to it",
            "text_format": "one line per extracted sentence as 'speaker: sentence' for every system (the "
                           "summarizer's verbatim points, Lead-3 and LexRank units); generated text as is; "
                           "an overview that repeats a point is left out (bot.evals.report.summary_text)",
            "mean_output_words": {name: round(sum(lengths[name]) / n, 1) for name in names},
            "seconds": {name: round(s, 2) for name, s in seconds.items()},
            "rouge": "rouge_score RougeScorer(['rouge1','rouge2','rougeL'], use_stemmer=True), mean F1",
        },
        failures=failures,
        seconds=round(time.perf_counter() - started, 2),
        source=str(path),
    )
