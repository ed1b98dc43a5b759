"""Experiment (issue 11): a learned candidate generator for decisions, open action items and open questions.

:mod:`bench.section_gate` could only remove the rules' candidates, so recall could not rise. Here a small
logistic regression per section (scikit-learn, class-balanced) scores EVERY human message of a thread, so it
can propose items the rules never see. Features of a message:

* word and character TF-IDF of its text (small vocabularies, fitted on the training threads of ``tune`` only);
* structure: position, thread starter, author spoke before / speaks again, later messages and speakers, a later
  reply by someone else agreeing, thanking or reporting done ("sounds good", "+1", "thanks", "merged", "done"),
  ``@mentions`` and whether the mentioned person writes later, question mark, length, code / log-ness;
* the rules' own outputs: is it a rule candidate (and a shown point) of each section, decision / request /
  commitment / question cues, whether the rules think its question answered or its task done;
* the 36 candidate features of :mod:`bench.section_gate` for the message's most task-like sentence.

Systems, each scored with ``bot.evals.sections`` (``_score_thread`` / ``_metrics``) on the ``summarize_offline``
summary with the three sections replaced: (a) the rules; (b) the classifier alone (messages at or above a
threshold, at most 5 a thread like the summarizer); (c) the rules plus the items of a residual "adder" (the same
model trained only on the messages the rules' points do not cite) above a threshold: ``union`` at the threshold
of best tune-CV F1, ``union_r`` at the one of most tune-CV recall keeping tune-CV precision within 0.05 of the
rules'; (d) the classifier re-ranking rules + classifier candidates, at most ``k`` a thread.

Protocol: hyper-parameters (C, weight of the text block; by best message-level F1 for the classifier, by average
precision over the uncited messages for the adder) and thresholds (and ``k``) are chosen on the ``tune``
half only, by grouped K-fold cross-validation by thread (11 folds); then each model is fitted on all of ``tune``
and the ``check`` half is scored once. Check labels are read only to print the final scores.

Usage (from the repository root, with ``../shared/data``)::

    .venv/bin/python bench/section_classifier.py [--cache /tmp/sc/features.pkl] [--tune-only]
"""

from __future__ import annotations

import math
import pickle
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.section_gate import Thread  # noqa: E402
from bench.section_gate import features as gate_features  # noqa: E402
from bot.evals.sections import _Counts, _metrics, _score_thread, load_rows  # noqa: E402
from bot.models import Point, Summary  # noqa: E402
from bot.summaries.sentences import word_count  # noqa: E402
from bot.summaries.structure import (  # noqa: E402
    _VAGUE,
    Item,
    _answered,
    _cc_sentence,
    _done,
    _lower,
    _self_answered,
    action_items,
    decisions,
    is_commitment,
    is_decision,
    is_question,
    is_request,
    open_questions,
)

SECTIONS = ("decisions", "action_items", "open_questions")
RULES = {"decisions": decisions, "action_items": action_items, "open_questions": open_questions}
MAX_POINTS = 5  # the summarizer's cap per section
RULE_OUTPUTS = list(range(35, 44))  # dense columns: answered, self-answered, done, rule candidate x3, shown x3
FOLDS = 11
GRID_C = (0.003, 0.01, 0.03, 0.1, 0.3)
GRID_TEXT = (0.0, 1.0, 3.0)  # weight of the TF-IDF block (0: structural and rule features only)
GRID_T = (*(round(x, 3) for x in np.arange(0.05, 0.99, 0.025)), 0.99, 0.995, 1.01)  # 1.01: add nothing
GRID_K = (1, 2, 3)

_AGREE = re.compile(r"\b(?:sounds good|sounds great|\+1|lgtm|agreed|i agree|agree|makes sense|good idea|great idea|"
                    r"fine by me|fine with me|let'?s do|go ahead|yes|yep|yeah|sure|ok|okay|perfect|great|exactly)\b|:\+1:|👍")
_THANKS = re.compile(r"\b(?:thanks?|thank you|thx|cheers)\b")
_DONE_REPLY = re.compile(r"\b(?:merged|done|fixed|pushed|released|opened|sent|submitted|added|updated|resolved)\b")
_MENTION = re.compile(r"@\w")
_I_WILL = re.compile(r"\b(?:i'll|i will|i'm going to|i am going to|i can|let me|i'd like to|i plan to|i intend to)\b")
_WE = re.compile(r"\b(?:we|let's|lets)\b")


# --------------------------------------------------------------------------------------------------
# Per-message data (no labels used)


def _sentence(conv, i: int, section: str) -> str:
    """The message's sentence to show for ``section``: the first one with the section's cue, else the longest
    content sentence, else the text."""
    sents = conv.content[i]
    cue = {"decisions": is_decision, "open_questions": lambda s: is_question(s) and word_count(s) >= 3,
           "action_items": lambda s: is_request(s) or is_commitment(s) or bool(_I_WILL.search(_lower(s)))}[section]
    for s in sents:
        if cue(s):
            return s
    if sents:
        return max(sents, key=word_count)
    return conv.messages[i].text.strip()[:300]


def _owner(conv, i: int, sentence: str) -> str | None:
    """Owner of a classifier action item: a commitment's author, else the ``@named`` person, else the addressee."""
    me = conv.author(i)
    low = _lower(sentence)
    if is_commitment(sentence) or _I_WILL.search(low):
        return me
    named = [m for m in conv.all_mentioned(sentence) if m != me]
    if named:
        return named[0]
    return conv.addressee(i) or me


def thread_data(t: Thread) -> dict:
    """Everything the models and the scorer need about one thread, labels apart."""
    conv, msgs = t.conv, t.messages
    n = len(msgs)
    rule_items = {name: {it.messages[0]: it for it in RULES[name](conv)} for name in SECTIONS}
    shown = {name: {p.source_ts[0] for p in getattr(t.summary, name) if p.source_ts} for name in SECTIONS}
    authors = [conv.author(i) for i in range(n)]
    rows, texts, sentences, owners = [], [], [], []
    for i in range(n):
        me, text, low = authors[i], msgs[i].text, _lower(msgs[i].text)
        sents = conv.content[i]
        later = list(range(i + 1, n))
        others_later = [j for j in later if authors[j] != me]
        next3 = others_later[:3]
        mentioned = [m for m in conv.all_mentioned(text) if m != me]
        qs = [s for s in sents if is_question(s) and word_count(s) >= 3]
        reqs = [s for s in sents if is_request(s)]
        coms = [s for s in sents if is_commitment(s)]
        decs = [s for s in sents if is_decision(s)]
        answered = selfans = 0.0
        if qs:
            request_beside = bool(reqs)
            answered = float(_answered(conv, i, request_beside, _cc_sentence(text, qs[0])))
            selfans = float(_self_answered(conv, i, qs[0]))
        ai_sent = (reqs + coms)[0] if reqs or coms else _sentence(conv, i, "action_items")
        owner = rule_items["action_items"][i].owner if i in rule_items["action_items"] else _owner(conv, i, ai_sent)
        done = float(bool(reqs or coms) and _done(conv, i, owner, request=bool(reqs) and not coms, sentence=ai_sent))
        code = text.count("```") + text.count("`")
        symbols = sum(1 for c in text if not (c.isalnum() or c.isspace())) / max(1, len(text))
        words = word_count(text)
        dense = [
            i / max(1, n - 1), float(i == 0), float(i == n - 1), math.log1p(n), math.log1p(n - 1 - i),
            float(me == authors[0]), float(me in authors[:i]), float(me in authors[i + 1:]),
            math.log1p(len(others_later)), math.log1p(len(set(authors[j] for j in others_later))),
            len(set(authors)) / 10.0,
            float(any(_AGREE.search(_lower(msgs[j].text[:80])) for j in next3)),
            float(any(_THANKS.search(_lower(msgs[j].text)) for j in next3)),
            float(any(_DONE_REPLY.search(_lower(msgs[j].text)) for j in others_later)),
            float(bool(others_later) and others_later[0] == i + 1),
            float(bool(_MENTION.search(text))), float(bool(mentioned)),
            float(bool(mentioned) and any(authors[j] in mentioned for j in later)),
            float("?" in text), float(bool(qs)), float(bool(sents) and all(is_question(s) for s in sents)),
            math.log1p(words), float(words < 6), math.log1p(len(sents)), float(conv.noise(i)),
            math.log1p(code), float("```" in text), symbols, float("http" in text),
            float(bool(reqs)), float(bool(coms)), float(bool(decs)), float(bool(_I_WILL.search(low))),
            float(bool(_WE.search(low))), float(bool(_VAGUE.search(low))),
            answered, selfans, done,
            *(float(i in rule_items[name]) for name in SECTIONS),
            *(float(msgs[i].ts in shown[name]) for name in SECTIONS),
        ]
        dense += gate_features(t, "action_items", Item(ai_sent, (i,), owner))
        rows.append(dense)
        texts.append(text[:2000])
        sentences.append({name: _sentence(conv, i, name) for name in SECTIONS})
        owners.append(owner)
    return {"id": t.row.id, "row": t.row, "summary": t.summary, "ts": [m.ts for m in msgs], "texts": texts,
            "dense": np.array(rows, dtype=float).reshape(n, -1), "sentences": sentences, "owners": owners}


def load(cache: Path | None) -> list[dict]:
    if cache is not None and cache.is_file():
        return pickle.loads(cache.read_bytes())
    rows = load_rows(ROOT / "evals" / "sections" / "threads.jsonl")
    data = [thread_data(Thread(r)) for r in rows]
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps(data))
    return data


# --------------------------------------------------------------------------------------------------
# Model


class Model:
    """Logistic regression over [standardized dense features | weight * (word TF-IDF, char TF-IDF)]."""

    def __init__(self, c: float, text: float) -> None:
        self.c, self.text = c, text

    def _x(self, threads: list[dict], fit: bool) -> sparse.csr_matrix:
        dense = np.vstack([d["dense"] for d in threads])
        texts = [x for d in threads for x in d["texts"]]
        if fit:
            self.mean, self.std = dense.mean(0), dense.std(0) + 1e-9
            if self.text:
                self.word = TfidfVectorizer(ngram_range=(1, 2), max_features=400, min_df=3, sublinear_tf=True,
                                            token_pattern=r"(?u)\b\w+\b|[?+@`]").fit(texts)
                self.char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), max_features=400, min_df=3,
                                            sublinear_tf=True).fit(texts)
        blocks = [sparse.csr_matrix((dense - self.mean) / self.std)]
        if self.text:
            blocks += [self.text * self.word.transform(texts), self.text * self.char.transform(texts)]
        return sparse.hstack(blocks).tocsr()

    def fit(self, threads: list[dict], section: str, residual: bool = False) -> Model:
        """``residual``: train only on the messages the rules' points of ``section`` do not cite (an adder for (c))."""
        x, y = self._x(threads, True), labels(threads, section)
        if residual:
            keep = ~rule_cited(threads, section)
            x, y = x[keep], y[keep]
        self.lr = LogisticRegression(C=self.c, max_iter=3000, class_weight="balanced").fit(x, y)
        return self

    def proba(self, threads: list[dict]) -> list[np.ndarray]:
        p = self.lr.predict_proba(self._x(threads, False))[:, 1]
        out, at = [], 0
        for d in threads:
            out.append(p[at:at + len(d["ts"])])
            at += len(d["ts"])
        return out


def labels(threads: list[dict], section: str) -> np.ndarray:
    return np.array([int(ts in d["row"].labels[section]) for d in threads for ts in d["ts"]])


def rule_cited(threads: list[dict], section: str) -> np.ndarray:
    out = []
    for d in threads:
        cited = {ts for pt in getattr(d["summary"], section) for ts in pt.source_ts}
        out += [ts in cited for ts in d["ts"]]
    return np.array(out, dtype=bool)


def cv_probs(tune: list[dict], section: str, c: float, text: float, residual: bool = False) -> dict[str, np.ndarray]:
    """Each tune thread's message probabilities from a model fitted on the other folds (grouped by thread)."""
    out = {}
    for f in range(FOLDS):
        test = [d for k, d in enumerate(tune) if k % FOLDS == f]
        train = [d for k, d in enumerate(tune) if k % FOLDS != f]
        for d, p in zip(test, Model(c, text).fit(train, section, residual).proba(test), strict=True):
            out[d["id"]] = p
    return out


# --------------------------------------------------------------------------------------------------
# Systems -> summaries -> bot.evals.sections scores


def _classifier_point(d: dict, i: int, section: str) -> Point:
    owner = d["owners"][i] if section == "action_items" else None
    return Point(d["sentences"][i][section], [d["ts"][i]], owner=owner)


def section_points(d: dict, section: str, p: np.ndarray | None, system: str, t: float, k: int) -> list[Point]:
    rules = getattr(d["summary"], section)
    if system == "rules" or p is None:
        return rules
    order = sorted(range(len(p)), key=lambda i: (-p[i], i))
    if system == "classifier":
        keep = [i for i in order if p[i] >= t][:MAX_POINTS]
        return [_classifier_point(d, i, section) for i in sorted(keep)]
    cited = {ts for pt in rules for ts in pt.source_ts}
    if system == "union":
        extra = [i for i in order if p[i] >= t and d["ts"][i] not in cited][:MAX_POINTS]
        return rules + [_classifier_point(d, i, section) for i in sorted(extra)]
    if system == "rerank":  # rules' points and every message, by the classifier's probability; top k above t
        index = {ts: i for i, ts in enumerate(d["ts"])}
        cands = [(float(p[index[pt.source_ts[0]]]) if pt.source_ts and pt.source_ts[0] in index else 1.0, pt)
                 for pt in rules]
        cands += [(float(p[i]), _classifier_point(d, i, section)) for i in range(len(p)) if d["ts"][i] not in cited]
        cands.sort(key=lambda x: -x[0])
        return [pt for q, pt in cands if q >= t][:k]
    raise ValueError(system)


def score(threads: list[dict], probs: dict[str, dict[str, np.ndarray]] | None, system: str,
          params: dict[str, tuple[float, int]]) -> dict:
    counts = _Counts()
    for d in threads:
        summary: Summary = d["summary"]
        if system != "rules":
            summary = replace(summary, **{s: section_points(d, s, probs[s].get(d["id"]), system, *params[s])
                                          for s in SECTIONS})
        _score_thread(summary, d["row"], counts)
    return _metrics(counts)


def f1(m: dict, s: str) -> float:
    p, r = m[f"{s}_precision"] or 0.0, m[f"{s}_recall"] or 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def choose(tune: list[dict], cvp: dict, system: str, s: str, floor: float | None = None) -> tuple[tuple[float, int], dict]:
    """Threshold (and k) of ``system`` for section ``s`` on tune CV: best F1 (ties: higher precision); with
    ``floor``, the most recall whose precision is at least ``floor`` (ties: higher precision)."""
    best = None
    for k in (GRID_K if system == "rerank" else (MAX_POINTS,)):
        for t in GRID_T:
            m = score(tune, cvp, "union" if system == "union_r" else system,
                      {x: (t, k) if x == s else (2.0, 0) for x in SECTIONS})
            if floor is not None and (m[f"{s}_precision"] or 0.0) < floor - 1e-9:
                continue
            key = ((m[f"{s}_recall"] or 0.0) if floor is not None else round(f1(m, s), 4), m[f"{s}_precision"] or 0.0, -k, t)
            if best is None or key > best[0]:
                best = (key, (t, k), m)
    return best[1], best[2]


def pr_curve(tune: list[dict], cvp: dict[str, np.ndarray], s: str, with_rules: bool) -> list[tuple[float | None, float]]:
    """Best precision at recall >= 0.4 / 0.5 / 0.6 on tune CV: the classifier alone (every message by
    probability, no cap) or the rules' points plus the classifier's by probability."""
    base_right = base_points = 0
    found: set[tuple[str, str]] = set()
    rows = []
    total = 0
    for d in tune:
        gold = d["row"].labels[s]
        total += len(gold)
        cited = set()
        if with_rules:
            for pt in getattr(d["summary"], s):
                base_points += 1
                base_right += bool(set(pt.source_ts) & gold)
                cited |= set(pt.source_ts)
                found |= {(d["id"], ts) for ts in set(pt.source_ts) & gold}
        rows += [(float(q), d["id"], ts, ts in gold) for q, ts in zip(cvp[d["id"]], d["ts"], strict=True) if ts not in cited]
    rows.sort(key=lambda r: -r[0])
    right, points, got = base_right, base_points, set(found)
    curve = [(right / points if points else None, len(got) / total)]
    for _q, tid, ts, ok in rows:
        points += 1
        right += ok
        if ok:
            got.add((tid, ts))
        curve.append((right / points, len(got) / total))
    return curve


def p_at_r(curve: list[tuple[float | None, float]]) -> list[float | None]:
    out = []
    for goal in (0.4, 0.5, 0.6):
        ps = [p for p, r in curve if r >= goal - 1e-9 and p is not None]
        out.append(max(ps) if ps else None)
    return out


# --------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=None, help="pickle of the per-message features (no labels chosen)")
    parser.add_argument("--tune-only", action="store_true", help="choose on tune, never score check")
    parser.add_argument("--no-rule-outputs", action="store_true",
                        help="ablation (implies --tune-only): drop the rules' outputs (candidate / shown flags, answered, "
                             "done), keeping cue matches and structure")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    data = load(args.cache)
    if args.no_rule_outputs:
        args.tune_only = True
        data = [{**d, "dense": np.delete(d["dense"], RULE_OUTPUTS, axis=1)} for d in data]
    tune = [d for d in data if d["row"].split == "tune"]
    check = [d for d in data if d["row"].split == "check"]
    print(f"{len(tune)} tune threads ({sum(len(d['ts']) for d in tune)} messages), {len(check)} check threads "
          f"({sum(len(d['ts']) for d in check)} messages); {tune[0]['dense'].shape[1]} dense features; "
          f"loaded in {time.perf_counter() - started:.0f}s")

    # 1. hyper-parameters per section on tune CV: best message-level F1 (no cap) of the classifier alone (the
    #    model of (b) and (d)), and of the rules plus a residual model trained on the messages the rules miss (c)
    config, cvp = {}, {}
    for s in SECTIONS:
        y = labels(tune, s)
        for residual in (False, True):
            best = None
            for c in GRID_C:
                for text in GRID_TEXT:
                    probs = cv_probs(tune, s, c, text, residual)
                    if residual:  # how well it ranks what the rules miss: average precision over the uncited messages
                        keep = ~rule_cited(tune, s)
                        pp = np.concatenate([probs[d["id"]] for d in tune])
                        crit = float(average_precision_score(y[keep], pp[keep]))
                    else:
                        crit = max(2 * (p or 0) * r / max((p or 0) + r, 1e-9) for p, r in pr_curve(tune, probs, s, False))
                    if best is None or crit > best[0] + 1e-9:
                        best = (crit, c, text, probs)
            config[s, residual], cvp[s, residual] = best[1:3], best[3]
            print(f"{s}: {int(y.sum())} labelled tune messages; {'residual adder' if residual else 'classifier'}: "
                  f"C={best[1]} text weight={best[2]} "
                  f"(CV {'average precision on uncited messages' if residual else 'message-level best F1'} {best[0]:.2f})")
    model_of = {"classifier": False, "union": True, "union_r": True, "rerank": False}

    # 2. thresholds (and k) per system on tune CV, scored as recap eval sections scores
    systems = ("classifier", "union", "union_r", "rerank")
    params = {sy: {} for sy in systems}
    cv_metrics = {"rules": score(tune, None, "rules", {})}
    for sy in systems:
        probs = {s: cvp[s, model_of[sy]] for s in SECTIONS}
        for s in SECTIONS:  # union_r: the union at the most tune recall keeping precision within 0.05 of the rules'
            floor = (cv_metrics["rules"][f"{s}_precision"] or 0.0) - 0.05 if sy == "union_r" else None
            params[sy][s], _ = choose(tune, probs, sy, s, floor)
        cv_metrics[sy] = score(tune, probs, "union" if sy == "union_r" else sy, params[sy])

    print("\nprecision/recall curve on tune CV: best precision at recall >= 0.4 / 0.5 / 0.6")
    fmt = lambda v: "  -  " if v is None else f"{v:.2f}"  # noqa: E731
    for s in SECTIONS:
        for with_rules in (False, True):
            c = p_at_r(pr_curve(tune, cvp[s, with_rules], s, with_rules))
            print(f"  {s:<15} {'rules + residual adder' if with_rules else 'classifier alone':<23} "
                  + " / ".join(fmt(v) for v in c))

    # 3. fit on all of tune, score check once
    check_metrics = {}
    if not args.tune_only:
        fitted = {}
        for s in SECTIONS:
            for residual in (False, True):
                model = Model(*config[s, residual]).fit(tune, s, residual)
                fitted[s, residual] = {d["id"]: p for d, p in zip(check, model.proba(check), strict=True)}
        check_metrics["rules"] = score(check, None, "rules", {})
        for sy in systems:
            check_metrics[sy] = score(check, {s: fitted[s, model_of[sy]] for s in SECTIONS},
                                      "union" if sy == "union_r" else sy, params[sy])

    print("\nRESULTS: tune = 11-fold grouped CV on tune; check = fitted on all of tune, scored once")
    print(f"{'section':<15} {'system':<11} {'thr/k':<9} {'tune P':>6} {'tune R':>6} {'F1':>5} | "
          f"{'check P':>7} {'check R':>7} {'F1':>5} {'pts':>4}  owner/done-open/ans-open")
    for s in SECTIONS:
        for sy in ("rules", *systems):
            tk = "" if sy == "rules" else f"{params[sy][s][0]:.3f}" + (f"/{params[sy][s][1]}" if sy == "rerank" else "")
            m = cv_metrics[sy]
            line = f"{s:<15} {sy:<11} {tk:<9} {fmt(m[f'{s}_precision']):>6} {fmt(m[f'{s}_recall']):>6} {f1(m, s):5.2f} | "
            if check_metrics:
                c = check_metrics[sy]
                extra = (f"{fmt(c['owner_accuracy'])}/{fmt(c['done_as_open'])}" if s == "action_items"
                         else fmt(c["answered_as_open"]) if s == "open_questions" else "")
                line += (f"{fmt(c[f'{s}_precision']):>7} {fmt(c[f'{s}_recall']):>7} {f1(c, s):5.2f} "
                         f"{c[f'{s}_points']:>4}  {extra}")
            print(line)
    if check_metrics:
        print("noise rate on check: " + ", ".join(f"{sy} {fmt(check_metrics[sy]['noise_rate'])}" for sy in ("rules", *systems)))
    print(f"\nwall time {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
