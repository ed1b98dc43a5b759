"""Experiment (issue 11): a learned precision gate over the rule candidates of action items and open questions.

The offline summarizer's rules (:func:`bot.summaries.structure.action_items`, :func:`open_questions`) propose
candidates; a small logistic regression (scikit-learn, class-balanced) keeps a candidate only when its
probability of being right is at least a threshold. Features are structural: who speaks next, whether the
asked / mentioned person or the owner writes later, whether the asker speaks again, position, length,
question mark, cue matches, how many others reply after it, character-n-gram similarity to later replies,
the time to the next reply, done / success words later.

Protocol: labels of the ``tune`` half only. Leave-one-thread-out on ``tune`` gives each tune candidate an
out-of-thread probability; the threshold (and regularization C) is chosen on those. Then the model is fitted on
all of ``tune`` and the ``check`` half is scored once. Scores come from :mod:`bot.evals.sections`
(``_score_thread`` / ``_metrics``), on the summary ``summarize_offline`` gives with the gated sections.

Usage (from the repository root, with ``../shared/data``)::

    .venv/bin/python bench/section_gate.py
"""

from __future__ import annotations

import math
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.evals.sections import SectionRow, _Counts, _metrics, _score_thread, load_rows, load_thread  # noqa: E402
from bot.models import Message, Summary  # noqa: E402
from bot.summaries.extractive import summarize_offline  # noqa: E402
from bot.summaries.ranking import human_messages  # noqa: E402
from bot.summaries.sentences import word_count  # noqa: E402
from bot.summaries.structure import (  # noqa: E402
    _CONFIRM,
    _DONE,
    _FOUND,
    _SUCCESS,
    _VAGUE,
    Conversation,
    Item,
    _could_answer,
    _lower,
    action_items,
    is_commitment,
    is_question,
    is_request,
    open_questions,
)

DATA = ROOT.parent / "shared" / "data"
GATED = {"action_items": action_items, "open_questions": open_questions}


class Thread:
    """One labelled thread: its human messages, conversation, the rules' summary and candidates by ts."""

    def __init__(self, row: SectionRow) -> None:
        self.row = row
        raw = load_thread(DATA, row.source, row.channel_id, row.thread_ts)
        self.summary: Summary = summarize_offline(raw)
        self.messages: list[Message] = human_messages(raw)
        self.conv = Conversation(self.messages)
        self.items: dict[str, dict[str, Item]] = {
            name: {self.messages[it.messages[0]].ts: it for it in fn(self.conv)} for name, fn in GATED.items()}
        texts = [m.text for m in self.messages] or [""]
        try:
            self.vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit(texts)
        except ValueError:
            self.vec = None

    def pool(self, name: str) -> list[tuple[str, Item]]:
        """A wider training pool than the rules' candidates: every message's first question sentence (three
        words or more) for open questions; its first request or commitment for action items (owner as the
        rules give it), before the rules' "answered" / "done" filters."""
        conv, out = self.conv, []
        for i, sentences in enumerate(conv.content):
            for s in sentences:
                if name == "open_questions" and is_question(s) and word_count(s) >= 3:
                    out.append((self.messages[i].ts, Item(s, (i,))))
                    break
                if name == "action_items" and (is_request(s) or is_commitment(s)):
                    owner = conv.author(i) if is_commitment(s) else conv.mentioned(s) or conv.addressee(i)
                    out.append((self.messages[i].ts, Item(s, (i,), owner)))
                    break
        return out

    def candidates(self, name: str) -> list[tuple[str, Item]]:
        """The items behind the summary's points of section ``name`` (what the reader sees), by first cited ts."""
        out = []
        for point in getattr(self.summary, name):
            item = self.items[name].get(point.source_ts[0]) if point.source_ts else None
            if item is not None:
                out.append((point.source_ts[0], item))
        return out


def _sim(thread: Thread, text: str, later: list[int]) -> float:
    if thread.vec is None or not later:
        return 0.0
    a = thread.vec.transform([text])
    b = thread.vec.transform([thread.messages[j].text for j in later])
    return float((b @ a.T).toarray().max())


_CACHE: dict[tuple[str, str, int, str], list[float]] = {}


def features(thread: Thread, name: str, item: Item) -> list[float]:
    """Structural features of one candidate, cached."""
    key = (thread.row.id, name, item.messages[0], item.text)
    if key not in _CACHE:
        _CACHE[key] = _features(thread, name, item)
    return _CACHE[key]


def _features(thread: Thread, name: str, item: Item) -> list[float]:
    """Structural features of one candidate (message ``item.messages[0]``, sentence ``item.text``)."""
    conv, msgs = thread.conv, thread.messages
    n, i, text = len(msgs), item.messages[0], item.text
    me, asker = conv.author(i), conv.author(0)
    low = _lower(text)
    later = list(range(i + 1, n))
    by_others = [j for j in later if conv.author(j) != me]
    by_others_real = [j for j in by_others if not conv.noise(j) and _could_answer(msgs[j].text)]
    mentioned = [m for m in conv.all_mentioned(text) if m != me]
    owner = item.owner
    owner_later = [j for j in later if owner and conv.author(j).casefold() == owner.casefold()] if owner else []
    me_later = [j for j in later if conv.author(j) == me]
    nxt = i + 1 < n
    try:
        gap = float(msgs[i + 1].ts) - float(msgs[i].ts) if nxt else 1e6
    except ValueError:
        gap = 0.0
    done_later = [j for j in by_others if _DONE.search(_lower(msgs[j].text))]
    success_later = [j for j in later if _SUCCESS.search(_lower(msgs[j].text))]
    found_later = [j for j in me_later if _FOUND.search(_lower(msgs[j].text))]
    words = word_count(text)
    return [
        i / max(1, n - 1), float(i == 0), float(i == n - 1), math.log1p(n), math.log1p(n - 1 - i),
        float(me == asker),
        float(nxt and conv.author(i + 1) != me), float(nxt and conv.author(i + 1) == asker and me != asker),
        math.log1p(len(by_others)), math.log1p(len(by_others_real)), float(bool(by_others_real)),
        float(bool(mentioned)), float(bool(mentioned) and any(conv.author(j) in mentioned for j in later)),
        float(bool(me_later)), math.log1p(len(me_later)),
        float(bool(owner)), float(bool(owner) and owner == me), float(bool(owner_later)),
        math.log1p(words), float(words < 8), float("?" in text), float(is_question(text)),
        float(is_request(text)), float(is_commitment(text)), float(bool(_CONFIRM.search(low))), float(bool(_VAGUE.search(low))),
        float("`" in msgs[i].text), float("http" in text), math.log1p(len(conv.content[i])),
        _sim(thread, text, by_others_real), _sim(thread, text, by_others_real[:1]),
        math.log1p(max(gap, 0.0) / 60.0),
        math.log1p(len(done_later)), math.log1p(len(success_later)), float(bool(found_later)),
        len({conv.author(j) for j in range(n)}) / 10.0,
    ]


def _xy(threads: list[Thread], name: str, source: str = "rules") -> tuple[np.ndarray, np.ndarray]:
    """Training rows: the rules' candidates (``source="rules"``) or the wider pool (``"pool"``), labelled right
    when they cite a message labelled for ``name``."""
    xs, ys = [], []
    for t in threads:
        gold = t.row.labels[name]
        for _ts, item in (t.candidates(name) if source == "rules" else t.pool(name)):
            xs.append(features(t, name, item))
            ys.append(1 if {t.messages[k].ts for k in item.messages} & gold else 0)
    return np.array(xs, dtype=float).reshape(-1, 36 if not xs else len(xs[0])), np.array(ys)


class Gate:
    def __init__(self, c: float) -> None:
        self.c = c

    def fit(self, x: np.ndarray, y: np.ndarray) -> Gate:
        self.mean, self.std = x.mean(0), x.std(0) + 1e-9
        self.const = None if len(set(y)) > 1 else float(y[0]) if len(y) else 1.0
        if self.const is None:
            self.model = LogisticRegression(C=self.c, max_iter=5000, class_weight="balanced").fit((x - self.mean) / self.std, y)
        return self

    def proba(self, x: np.ndarray) -> np.ndarray:
        if len(x) == 0:
            return np.zeros(0)
        if self.const is not None:
            return np.full(len(x), self.const)
        return self.model.predict_proba((x - self.mean) / self.std)[:, 1]


def _gated_summary(t: Thread, keep: dict[str, set[str]]) -> Summary:
    """The rules' summary with only the kept points in each gated section (points without an item are kept)."""
    changes = {}
    for name in GATED:
        known = {ts for ts, _ in t.candidates(name)}
        changes[name] = [p for p in getattr(t.summary, name)
                         if not p.source_ts or p.source_ts[0] not in known or p.source_ts[0] in keep[name]]
    return replace(t.summary, **changes)


def score(threads: list[Thread], probs: dict[str, dict[str, dict[str, float]]] | None,
          thresholds: dict[str, float]) -> dict:
    """bot.evals.sections' metrics of these threads, gated by ``probs[name][thread id][ts] >= thresholds[name]``."""
    counts = _Counts()
    for t in threads:
        if probs is None:
            summary = t.summary
        else:
            keep = {name: {ts for ts, p in probs[name].get(t.row.id, {}).items() if p >= thresholds[name]} for name in GATED}
            summary = _gated_summary(t, keep)
        _score_thread(summary, t.row, counts)
    return _metrics(counts)


def loto_probs(tune: list[Thread], name: str, c: float, source: str) -> dict[str, dict[str, float]]:
    """Each tune candidate's probability from a gate fitted on the other tune threads."""
    out: dict[str, dict[str, float]] = {}
    for k, t in enumerate(tune):
        cands = t.candidates(name)
        if not cands:
            continue
        x, y = _xy(tune[:k] + tune[k + 1:], name, source)
        gate = Gate(c).fit(x, y)
        p = gate.proba(np.array([features(t, name, it) for _, it in cands]))
        out[t.row.id] = {ts: float(v) for (ts, _), v in zip(cands, p, strict=True)}
    return out


def fitted_probs(tune: list[Thread], threads: list[Thread], name: str, c: float,
                 source: str) -> dict[str, dict[str, float]]:
    gate = Gate(c).fit(*_xy(tune, name, source))
    out: dict[str, dict[str, float]] = {}
    for t in threads:
        cands = t.candidates(name)
        if cands:
            p = gate.proba(np.array([features(t, name, it) for _, it in cands]))
            out[t.row.id] = {ts: float(v) for (ts, _), v in zip(cands, p, strict=True)}
    return out


def _per_thread(threads: list[Thread], probs, thresholds, name: str) -> np.ndarray:
    """(right points, points, labelled found) of section ``name`` per thread, for the bootstrap."""
    out = []
    for t in threads:
        m = score([t], probs, thresholds)
        p = m[f"{name}_points"]
        out.append((round((m[f"{name}_precision"] or 0) * p), p,
                    round((m[f"{name}_recall"] or 0) * m[f"{name}_labelled"])))
    return np.array(out, dtype=float)


def bootstrap(base: np.ndarray, gated: np.ndarray, labelled: int, reps: int = 2000) -> tuple[tuple[float, float], tuple[float, float]]:
    """Paired thread bootstrap: 95% intervals of the gate's precision and recall differences."""
    rng = np.random.default_rng(0)
    dp, dr = [], []
    n = len(base)
    lab = np.array(labelled, dtype=float)
    for _ in range(reps):
        k = rng.integers(0, n, n)
        b, g, labelled = base[k].sum(0), gated[k].sum(0), lab[k].sum()
        if b[1] and g[1]:
            dp.append(g[0] / g[1] - b[0] / b[1])
        if labelled:
            dr.append(g[2] / labelled - b[2] / labelled)
    q = lambda v: (round(float(np.percentile(v, 2.5)), 2), round(float(np.percentile(v, 97.5)), 2))  # noqa: E731
    return q(dp), q(dr)


def dropped(threads: list[Thread], probs, thresholds, name: str) -> tuple[int, int]:
    """(right, wrong) among the shown candidates the gate removed."""
    right = wrong = 0
    for t in threads:
        for ts, item in t.candidates(name):
            if probs[name].get(t.row.id, {}).get(ts, 1.0) < thresholds[name]:
                ok = bool({t.messages[k].ts for k in item.messages} & t.row.labels[name])
                right += ok
                wrong += not ok
    return right, wrong


def _line(label: str, m: dict, name: str) -> str:
    f = lambda v: "  -  " if v is None else f"{v:.2f}"  # noqa: E731
    extra = f"  answered-as-open {f(m['answered_as_open'])}" if name == "open_questions" else \
        f"  done-as-open {f(m['done_as_open'])}"
    return (f"  {label:<34} P {f(m[f'{name}_precision'])} ({m[f'{name}_points']:>2} pts)  "
            f"R {f(m[f'{name}_recall'])} (of {m[f'{name}_labelled']})" + extra)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune-only", action="store_true", help="choose on tune, never look at check")
    parser.add_argument("--grid", action="store_true", help="print every tune (LOTO) grid point")
    args = parser.parse_args(argv)
    rows = load_rows(ROOT / "evals" / "sections" / "threads.jsonl")
    threads = [Thread(r) for r in rows]
    tune = [t for t in threads if t.row.split == "tune"]
    check = [t for t in threads if t.row.split == "check"]
    print(f"{len(tune)} tune threads, {len(check)} check threads")
    for name in GATED:
        _, y = _xy(tune, name)
        _, yp = _xy(tune, name, "pool")
        print(f"{name}: tune rule candidates {len(y)} ({int(y.sum())} right); tune pool {len(yp)} ({int(yp.sum())} right)")

    grid_s = ("rules", "pool")
    grid_c = (0.03, 0.1, 0.3, 1.0)
    grid_t = (0.3, 0.4, 0.5, 0.6, 0.7)
    base_tune = score(tune, None, {})
    chosen: dict[str, tuple[str, float, float]] = {}
    print("\nleave-one-thread-out on tune: choose training source, C, threshold (max precision, recall loss <= 0.05)")
    for name in GATED:
        best = None
        for source in grid_s:
            for c in grid_c:
                probs = {name: loto_probs(tune, name, c, source), **{o: {} for o in GATED if o != name}}
                for th in grid_t:
                    ths = {name: th, **{o: -1.0 for o in GATED if o != name}}
                    m = score(tune, probs, ths)
                    p, r = m[f"{name}_precision"], m[f"{name}_recall"] or 0.0
                    if args.grid:
                        print(_line(f"{name} {source} C={c} t={th}", m, name))
                    # precision first; recall may drop by at most 0.05; ties: higher recall, lower threshold, smaller C
                    if p is not None and r >= (base_tune[f"{name}_recall"] or 0) - 0.05 + 1e-9:
                        key = (round(p, 4), r, -th, -c)
                        if best is None or key > best[0]:
                            best = (key, source, c, th)
        chosen[name] = best[1:] if best else ("rules", 0.1, 0.0)
        print(f"  {name}: source={chosen[name][0]} C={chosen[name][1]} threshold={chosen[name][2]}")

    loto = {name: loto_probs(tune, name, chosen[name][1], chosen[name][0]) for name in GATED}
    ths = {name: chosen[name][2] for name in GATED}
    cv_tune = score(tune, loto, ths)
    print("\nRESULTS (tune: leave-one-thread-out; check: fitted on all of tune, scored once)")
    if not args.tune_only:
        base_check = score(check, None, {})
        fit = {name: fitted_probs(tune, check, name, chosen[name][1], chosen[name][0]) for name in GATED}
        gated_check = score(check, fit, ths)
    for name in GATED:
        print(f"{name} (trained on {chosen[name][0]}, C={chosen[name][1]}, threshold {chosen[name][2]}):")
        print(_line("tune  rules", base_tune, name))
        print(_line("tune  rules + gate (LOTO)", cv_tune, name))
        if not args.tune_only:
            print(_line("check rules", base_check, name))
            print(_line("check rules + gate (fit on tune)", gated_check, name))
        for half, hs, pr in (("tune", tune, loto), ("check", check, None if args.tune_only else fit)):
            if pr is None:
                continue
            b, g = _per_thread(hs, None, {}, name), _per_thread(hs, pr, ths, name)
            lab = [len(t.row.labels[name]) for t in hs]
            (p0, p1), (r0, r1) = bootstrap(b, g, lab)
            r, w = dropped(hs, pr, ths, name)
            print(f"    {half}: gate removed {r + w} shown points ({r} right, {w} wrong); paired thread bootstrap 95% "
                  f"interval of the difference: precision [{p0:+.2f}, {p1:+.2f}], recall [{r0:+.2f}, {r1:+.2f}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
