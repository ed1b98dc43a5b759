"""Recap's evaluations: ROUGE on public conversation-summary sets and behaviour checks on labelled cases.

Run them with ``recap eval <set>`` (see :mod:`bot.evals.cli` and ``docs/evals.md``):

* ``rouge`` sets (``convosumm``, ``dialogsum``, ``qmsum``): the summarizer against Lead-3 and LexRank
  baselines, ROUGE-1/2/L F1 (:mod:`bot.evals.rouge_sets`, :mod:`bot.evals.baselines`).
* behaviour sets (``trigger``, ``facts``, ``language``, ``invention``, ``injection``): labelled cases
  in ``evals/cases/*.jsonl`` (:mod:`bot.evals.behaviour`).
* ``synth``: a model writes new labelled cases for a person to review (:mod:`bot.evals.synth`).

Every eval takes the summarizer as a callable (:data:`bot.evals.report.Summarizer`), so tests inject
stand-ins and the command line injects the offline summarizer or a provider-backed one.
"""

from bot.evals.report import EvalReport, Summarizer, summary_text

__all__ = ["EvalReport", "Summarizer", "summary_text"]
