"""Experiment: does a learned outcome picker beat the rules of :func:`bot.summaries.structure.outcome`?

A logistic regression (scikit-learn, class-balanced) scores each message of a labelled thread of
``evals/sections/threads.jsonl`` from 16 features (position, author is the asker, noise, questions only,
resolution and decision cues, acknowledgement, length, a later "that worked" by the asker, thanks right after,
commitments, code) plus, optionally, 3 features saying what the rules chose; the thread's outcome is the
best-scored message that is not noise. Trained on the ``tune`` half only: leave-one-thread-out on ``tune``,
then fitted on all of ``tune`` and measured once on ``check``, beside the rules. Nothing is shipped: it is
the evidence for keeping the rules (docs/evals.md).

Usage (from the repository root, with ``../shared/data``)::

    .venv/bin/python bench/outcome_classifier.py
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.evals.sections import SectionRow, load_rows, load_thread  # noqa: E402
from bot.models import Message  # noqa: E402
from bot.summaries.ranking import human_messages  # noqa: E402
from bot.summaries.sentences import split_sentences, word_count  # noqa: E402
from bot.summaries.structure import (  # noqa: E402
    _ASKER_SUCCESS,
    _RESOLUTION,
    _VAGUE,
    Conversation,
    Item,
    _acknowledges,
    _answer_before,
    _lower,
    _said,
    is_commitment,
    is_decision,
    is_question,
    outcome,
)

DATA = ROOT.parent / "shared" / "data"
RULE_FEATURES = 3
Thread = tuple[SectionRow, list[Message], Conversation]


def features(conv: Conversation, rule: Item | None) -> np.ndarray:
    """One row of features per message of ``conv`` (the last :data:`RULE_FEATURES` say what the rules chose)."""
    n = len(conv.messages)
    chosen = set(rule.messages) if rule else set()
    first = rule.messages[0] if rule else -1
    asker = conv.author(0)
    confirmed = [False] * n  # the answer a later "that worked" by the asker points at
    for j in range(1, n):
        if conv.author(j) == asker and any(_ASKER_SUCCESS.search(_lower(conv.unmention(s)))
                                           for s in split_sentences(conv.messages[j].text)):
            before = _answer_before(conv, j)
            if before is not None:
                confirmed[before] = True
    rows = []
    for i in range(n):
        said = _said(conv, i) if conv.content[i] else []
        words = sum(word_count(s) for s in said)
        after = conv.messages[i + 1].text if i + 1 < n else ""
        rows.append([
            i / max(1, n - 1), float(i == n - 1), float(i == 0), math.log1p(n - 1 - i), float(conv.author(i) == asker),
            float(conv.noise(i)), float(bool(conv.content[i]) and all(is_question(s) for s in conv.content[i])),
            float(any(_RESOLUTION.search(_lower(s)) and not is_question(s) and not _VAGUE.search(_lower(s))
                      for s in conv.content[i])),
            float(any(is_decision(s) for s in conv.content[i])),
            float(bool(conv.content[i]) and _acknowledges(conv, i)), float(words < 8), math.log1p(words),
            float(confirmed[i]),
            float(i + 1 < n and conv.author(i + 1) == asker
                  and bool(re.search(r"\b(?:thanks?|thank you|works?|worked|great|perfect)\b", _lower(after)))),
            float(any(is_commitment(s) for s in conv.content[i])), float("`" in conv.messages[i].text),
            float(i == first), float(i in chosen), float(i >= n // 2),
        ])
    return np.array(rows, dtype=float)


def _matrix(threads: dict[str, Thread], ids: list[str], *, use_rule: bool) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for tid in ids:
        row, messages, conv = threads[tid]
        table = features(conv, outcome(conv))
        table = table if use_rule else table[:, :-RULE_FEATURES]
        gold = row.labels.get("outcome") or frozenset()
        xs.extend(table)
        ys.extend(1 if m.ts in gold else 0 for m in messages)
    return np.array(xs), np.array(ys)


def _fit(threads: dict[str, Thread], ids: list[str], *, use_rule: bool, c: float) -> tuple[Any, np.ndarray, np.ndarray]:
    x, y = _matrix(threads, ids, use_rule=use_rule)
    mean, std = x.mean(0), x.std(0) + 1e-9
    return LogisticRegression(C=c, max_iter=2000, class_weight="balanced").fit((x - mean) / std, y), mean, std


def _hits(threads: dict[str, Thread], ids: list[str], fitted: tuple[Any, np.ndarray, np.ndarray], *,
          use_rule: bool) -> int:
    model, mean, std = fitted
    hits = 0
    for tid in ids:
        row, messages, conv = threads[tid]
        table = features(conv, outcome(conv))
        table = table if use_rule else table[:, :-RULE_FEATURES]
        scores = model.decision_function((table - mean) / std)
        candidates = [i for i in range(len(messages)) if not conv.noise(i)] or list(range(len(messages)))
        best = max(candidates, key=lambda i: scores[i])
        hits += messages[best].ts in (row.labels.get("outcome") or frozenset())
    return hits


def _rule_share(threads: dict[str, Thread], ids: list[str]) -> float:
    hits = 0
    for tid in ids:
        row, messages, conv = threads[tid]
        item = outcome(conv)
        hits += bool(item) and bool({messages[i].ts for i in item.messages} & (row.labels.get("outcome") or frozenset()))
    return hits / len(ids)


def main() -> int:
    """Print the rules' share of threads whose outcome is right and the classifier's, per half."""
    rows = load_rows(ROOT / "evals" / "sections" / "threads.jsonl")
    threads: dict[str, Thread] = {}
    for row in rows:
        messages = human_messages(load_thread(DATA, row.source, row.channel_id, row.thread_ts))
        threads[row.id] = (row, messages, Conversation(messages))
    tune = [r.id for r in rows if r.split == "tune"]
    check = [r.id for r in rows if r.split == "check"]
    print(f"rules: tune {_rule_share(threads, tune):.3f} ({len(tune)} threads), "
          f"check {_rule_share(threads, check):.3f} ({len(check)})")
    for use_rule in (False, True):
        for c in (0.1, 1.0):
            loto = sum(_hits(threads, [tid], _fit(threads, [t for t in tune if t != tid], use_rule=use_rule, c=c),
                             use_rule=use_rule) for tid in tune)
            fitted = _fit(threads, tune, use_rule=use_rule, c=c)
            print(f"classifier (rule features {'on' if use_rule else 'off'}, C={c}): leave-one-thread-out on tune "
                  f"{loto / len(tune):.3f}; fitted on tune, check {_hits(threads, check, fitted, use_rule=use_rule) / len(check):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
