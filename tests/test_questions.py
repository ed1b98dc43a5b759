"""`recap eval questions` (labelled questions about real threads) and how the offline summarizer answers a question:
from the reply to the message that asks it, from what resolved the problem it names, and the latest word."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from rich.console import Console

from bot.evals.cli import QUESTIONS_ROWS, main
from bot.evals.questions import (
    FLOORS,
    WEEK_FLOORS,
    QuestionRow,
    _Counts,
    _metrics,
    _score,
    answer_citations,
    load_rows,
)
from bot.evals.sections import split_of
from bot.models import Message, Point, Summary
from bot.summaries.extractive import summarize_offline


def _thread(*turns: tuple[str, str]) -> list[Message]:
    return [Message("C1", f"{i + 1}.0", f"U{user}", user, text, thread_ts="1.0") for i, (user, text) in enumerate(turns)]


# ------------------------------------------------------------------ the labelled set


def test_rows_sit_in_their_threads_half_and_name_answers() -> None:
    rows = load_rows(QUESTIONS_ROWS)
    assert len(rows) >= 80 and len({r.thread_ts for r in rows}) >= 40
    halves = Counter(r.split for r in rows)
    assert halves["tune"] >= 40 and halves["check"] >= 40
    assert all(r.split == split_of(r.source, r.channel_id, r.thread_ts) for r in rows)
    assert {r.kind for r in rows} >= {"fact", "fix", "decision", "owner", "status", "unanswerable"}
    assert all(bool(r.answer_ts) == (r.kind != "unanswerable") for r in rows)


def test_a_row_without_its_answer_or_in_the_wrong_half_is_refused(tmp_path: Path) -> None:
    row = json.loads(QUESTIONS_ROWS.read_text(encoding="utf-8").splitlines()[0])
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps(row | {"answer_ts": []}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unanswerable"):
        load_rows(path)
    path.write_text(json.dumps(row | {"split": "check" if row["split"] == "tune" else "tune"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="split"):
        load_rows(path)
    assert main(["questions", "--path", str(path)]) == 2


def test_scorer_counts_the_answers_citations_and_declines() -> None:
    counts = _Counts()
    row = QuestionRow("q", "rcontrib", "C1", "1", "check", "fact", "which version?", frozenset({"3"}))
    quoted = Summary(overview="x", answer="Mikael: Definitely 4.1.3", key_points=[
        Point("Definitely 4.1.3", ["3"]), Point("on which version the NEWS line should go", ["2"])])
    assert answer_citations(quoted) == {"3"}  # the point the answer quotes, not every point
    assert _score(quoted, row, counts) == []
    wrong = Summary(overview="x", answer="in other words", key_points=[Point("a", ["2"]), Point("b", ["4"])])
    assert answer_citations(wrong) == {"2", "4"}  # a model's own words: every point it cites
    assert _score(wrong, row, counts)
    nothing = QuestionRow("u", "rcontrib", "C1", "1", "check", "unanswerable", "when?", frozenset())
    assert _score(Summary(overview="x", answer="No message seems to answer that."), nothing, counts) == []
    metrics = _metrics(counts)
    assert metrics["answer_recall"] == 0.5 and metrics["answer_precision"] == round(1 / 3, 4)
    assert metrics["declined_unanswerable"] == 1.0 and metrics["declined_answerable"] == 0.0


@pytest.mark.evals_e2e
def test_eval_questions_end_to_end_on_real_threads(shared_data: Path, tmp_path: Path) -> None:
    console = Console(record=True, width=140)
    report = tmp_path / "questions.json"
    assert main(["questions", "--provider", "offline", "--data", str(shared_data), "--report", str(report)],
                console=console) == 0  # no regression below the floors on the check half
    data = json.loads(report.read_text(encoding="utf-8"))
    threads, weeks = data["reports"]  # questions about a thread, then about a channel's week
    assert data["ok"] and threads["set"] == "questions" and weeks["set"] == "week-questions"
    for one, floors in ((threads, FLOORS), (weeks, WEEK_FLOORS)):
        check = one["metrics"]["splits"]["check"]
        assert one["kind"] == "questions" and len(one["cases"]) == one["n"] >= 80
        assert floors and all(check[key] >= floor for key, floor in floors.items())
    printed = " ".join(console.export_text().split())  # titles wrap
    assert "labelled real threads" in printed and "labelled real channel weeks" in printed


# ------------------------------------------------------------------ how a question is answered


def test_the_reply_to_the_message_that_asks_answers_it() -> None:
    messages = _thread(
        ("lluis", "The doc/NEWS had information for both R-devel and R 4.1.2 patched but neither mentions this change."),
        ("mikael", "The change seems intentional and desirable. It doesn't appear in NEWS, but probably should."),
        ("lluis", "Yes, I'm sure it is intentional. But I'm trying to know for sure on which version the NEWS line "
                  "should go before attempting to make a patch. I will try to do it for the trunk."),
        ("mikael", "Definitely 4.1.3"),
    )
    summary = summarize_offline(messages, question="Which version should the NEWS line go in?")
    assert summary.answer == "mikael: Definitely 4.1.3"
    owner = summarize_offline(messages, question="Who will make the patch?")
    assert owner.answer and "I will try to do it for the trunk." in owner.answer


def test_how_a_named_problem_was_fixed_is_answered_by_what_resolved_it_not_by_where_the_thread_ended() -> None:
    messages = _thread(
        ("lambda", "Is R 4.3.0 compatible with macOS Ventura? Building from source gives Quartz errors: "
                   "'ATSFontFindFromName' is unavailable."),
        ("mikael", "I do get the errors about unavailable ATSFontFindFrom* when I build R 4.2 patched from sources."),
        ("mikael", "IIRC, I resolved it by lowering my macOS deployment target, setting -mmacosx-version-min=12.0 in CFLAGS."),
        ("lambda", "That flag compiled it, but bin/R says R 4.2.3. If R-patched is 4.2.3, I wonder where 4.3.0 is."),
        ("heather", "@lambda the alpha and beta releases would be on the prerelease page, only in the weeks before "
                    "a release."),
    )
    fixed = summarize_offline(messages, question="How do I fix the Quartz errors?")
    assert fixed.answer and "lowering my macOS deployment target" in fixed.answer
    where = summarize_offline(messages, question="Where can I find R 4.3.0?")
    assert where.answer and where.answer.startswith("heather: @lambda the alpha and beta releases")


def test_the_latest_word_on_a_subject_answers_where_it_stands() -> None:
    messages = _thread(
        ("lcw", "For example, I am waiting on the StructArrays pull request 177 for the CUDA support."),
        ("piever", "It is always a bit slow to upstream changes, but StaticArrays with StructArrays and CUDA would be nice."),
        ("lcw", "Is there anything I can do to help get the pull request reviewed?"),
        ("piever", "It got merged and tagged this morning, the pull request is in 0.5.1."),
    )
    summary = summarize_offline(messages, question="Did the StructArrays pull request get merged?")
    cited = answer_citations(summary)
    assert "4.0" in cited and "1.0" not in cited, summary.answer  # not the message that raised it


@pytest.mark.parametrize(("question", "said", "given", "expected"), [
    ("When is the community overview due?",
     [("heather", "The community overview is a task of my community management course."),
      ("lluis", "I made some suggestions to the first paragraph, the second one about R Core is confusing."),
      ("heather", "Thanks, I will simplify it and focus on the relationship between R Core and other contributors.")],
     ("heather", "The overview is due next Friday, so comments by Thursday please."), "next Friday"),
    # "How long is the train ride …?" had been answered with the fare: a duration needs a length of time
    ("How long is the train ride from Euston to Coventry?",
     [("michael", "Coming from London a good choice is the Euston to Coventry train, I paid £26 return."),
      ("heather", "Then take the 12X or 11 bus from Coventry to the university campus.")],
     ("gwynn", "The train from Euston to Coventry takes about 1 hour 10 minutes."), "1 hour 10 minutes"),
])
def test_a_question_for_a_time_a_duration_or_a_number_nobody_gave_is_declined(
        question: str, said: list[tuple[str, str]], given: tuple[str, str], expected: str) -> None:
    """Answer typing: a question for a time, a length of time or a number is declined when the sentences that match
    it hold none, and answered once a message gives one."""
    declined = summarize_offline(_thread(*said), question=question)
    assert declined.answer and declined.answer.startswith("No message") and not declined.key_points
    answered = summarize_offline(_thread(*said, given), question=question)
    assert answered.answer and expected in answered.answer


def test_a_long_sentence_that_names_the_subject_can_answer(shared_data: Path) -> None:
    """#core-translation, 2023-W37 of the R Contributors export: "When is the deadline?" had been declined (the
    sentence that gives it is long, its character n-gram cosine with the question 0.18)."""
    from datetime import datetime, timezone

    from bot.slack.export import ExportReader

    week = [datetime(2023, 9, day, tzinfo=timezone.utc).timestamp() for day in (11, 18)]
    messages = ExportReader(shared_data / "slack-export-rcontrib").history("C0210D7EN1X", oldest=week[0], latest=week[1])
    summary = summarize_offline(messages, question="When is the deadline?")
    assert summary.answer and "Oct 1 deadline" in summary.answer


class _Answers:
    """A provider that answers every call with ``reply`` (what a model would send), for the eval's model path."""

    name, model, context_tokens = "scripted", "scripted-1", 100_000

    def __init__(self, reply: str) -> None:
        self.reply = reply

    def complete(self, *, system: str, prompt: str, max_tokens: int = 1024, schema=None):
        from bot.llm.base import Completion

        return Completion(self.reply, self.model)

    def stream(self, *, system: str, prompt: str, max_tokens: int = 1024):
        yield self.reply

    def count_tokens(self, text: str) -> int:
        return len(text.split())


def _first_question(tmp_path: Path) -> tuple[dict, Path]:
    """The first labelled question, alone in a rows file."""
    first = json.loads(QUESTIONS_ROWS.read_text(encoding="utf-8").splitlines()[0])
    rows = tmp_path / "one.jsonl"
    rows.write_text(json.dumps(first) + "\n", encoding="utf-8")
    return first, rows


def test_a_models_answer_is_scored_by_the_points_it_cites(shared_data: Path, tmp_path: Path) -> None:
    """The model path through the eval: the answer is the model's own words, its citations are its key points."""
    from bot.evals.cli import provider_summarizer
    from bot.evals.questions import run_questions
    from bot.evals.sections import load_thread

    first, rows = _first_question(tmp_path)
    human = [m for m in load_thread(shared_data, first["source"], first["channel_id"], first["thread_ts"]) if not m.is_bot]
    cited = next(i for i, m in enumerate(human) if m.ts in first["answer_ts"])
    reply = json.dumps({"overview": "What the thread is about.", "answer": "In my own words.",
                        "key_points": [{"text": "The reply that answers it.", "sources": [f"m{cited + 1}"]}]})
    report = run_questions(path=rows, data_dir=shared_data, summarizer=provider_summarizer(_Answers(reply)),
                           system="scripted/scripted-1", threshold=False)
    split = report.metrics["splits"][first["split"]]
    assert split["answer_recall"] == 1.0 and split["answer_precision"] == 1.0, report.cases[0]
    assert split["fell_back"] == 0


def test_the_answer_line_cites_the_messages_it_quotes_first() -> None:
    from bot.summaries.render import to_markdown, to_mrkdwn

    messages = _thread(
        ("lluis", "But I'm trying to know for sure on which version the NEWS line should go before making a patch."),
        ("mikael", "Definitely 4.1.3"),
    )
    summary = summarize_offline(messages, question="Which version should the NEWS line go in?")
    link = {m.ts: f"https://example.slack.com/p{m.ts.replace('.', '')}" for m in messages}
    markdown = to_markdown(summary, permalink_for=link.get)
    answer_line = next(line for line in markdown.splitlines() if line.startswith("**Answer:**"))
    assert answer_line.endswith(f"[[1]]({link['2.0']})"), answer_line
    assert f"<{link['2.0']}|[1]>" in to_mrkdwn(summary, permalink_for=link.get).splitlines()[0]
    own_words = Summary(overview="x", answer="It goes under 4.1.3.", offline=False,
                        key_points=[Point("Mikael says 4.1.3.", ["2.0"]), Point("Lluis asked which one.", ["1.0"])])
    assert next(line for line in to_markdown(own_words, permalink_for=link.get).splitlines()
                if line.startswith("**Answer:**")) == (f"**Answer:** It goes under 4.1.3. [[1]]({link['2.0']}) "
                                                       f"[[2]]({link['1.0']})")  # a model's: the points it rests on


def test_a_model_that_fails_is_counted_and_its_fallback_scored(shared_data: Path, tmp_path: Path) -> None:
    from bot.evals.cli import provider_summarizer
    from bot.evals.questions import run_questions

    first, rows = _first_question(tmp_path)
    echo = '{"overview": "{...}", "answer": "", "key_points": [{"text": "", "sources": []}]}'  # SmolLM2-135M's, twice
    report = run_questions(path=rows, data_dir=shared_data, summarizer=provider_summarizer(_Answers(echo)),
                           system="scripted/scripted-1", threshold=False)
    split = report.metrics["splits"][first["split"]]
    assert split["fell_back"] == 1 and split["answerable"] == 1


def test_a_models_uncited_answer_is_cited_by_recap_and_scored_as_such(shared_data: Path, tmp_path: Path) -> None:
    """A model that answers in its own words and cites nothing (as SmolLM2 did): the eval scores the message Recap
    attributes the answer to, and counts it; an answer nothing supports is counted as flagged."""
    from bot.evals.cli import provider_summarizer
    from bot.evals.questions import run_questions

    first, rows = _first_question(tmp_path)  # "Who's going to fix the broken ISI glossary link …?"

    def uncited(answer: str) -> str:
        return json.dumps({"overview": "Translations page links.", "answer": answer, "key_points": [], "decisions": [],
                           "action_items": [], "open_questions": []})

    report = run_questions(path=rows, data_dir=shared_data, system="scripted/scripted-1", threshold=False,
                           summarizer=provider_summarizer(_Answers(uncited(first["note"]))))
    split = report.metrics["splits"][first["split"]]
    assert split["model_attributed"] == 1 and split["model_flagged"] == 0 and split["answer_recall"] == 1.0
    report = run_questions(path=rows, data_dir=shared_data, system="scripted/scripted-1", threshold=False,
                           summarizer=provider_summarizer(_Answers(uncited("Ostrogoth bicycles, apparently."))))
    split = report.metrics["splits"][first["split"]]
    assert split["model_flagged"] == 1 and split["model_attributed"] == 0 and split["answer_recall"] == 0.0


# ------------------------------------------------------------------ a model's answer that cites nothing


@pytest.mark.parametrize(
    ("answer", "declines"),
    [("The messages don't say when the meeting is.", True), ("No date is given.", True),
     ("Nobody mentions how many signed up.", True), ("It is not stated in the conversation.", True),
     ("No, it reports any out-of-date copy; pass lib.loc to check one library.", False),  # a "no" that answers
     ("Raj will update the release notes by Thursday noon.", False), ("Not yet: the PR is still open.", False),
     ("Only a first draft was mentioned; no release date.", True), ("Reiko was asked but never replied.", True),
     ("Probably not: the group thought there was no capacity in time.", False)],
)
def test_a_decline_is_told_from_an_answer(answer: str, declines: bool) -> None:
    from bot.summaries.attribution import is_decline

    assert is_decline(answer) is declines


def test_an_uncited_answer_is_attributed_to_the_statement_that_says_it_never_to_the_question() -> None:
    from dataclasses import replace

    from bot.summaries.attribution import ground_answer, supporting_point

    messages = _thread(
        ("maya", "Release planning: we ship v2.4 on Friday at 7:00 PM UTC."),
        ("raj", "Payments are fixed in rc2, I tested the refund flow."),
        ("raj", "I'll update the release notes by Thursday noon."),
        ("maya", "@Recap who updates the release notes?"),
    )
    question = "who updates the release notes?"
    point = supporting_point("Raj will update the release notes by Thursday noon.", question, messages)
    assert point is not None and point.source_ts == ["3.0"] and point.text.startswith("I'll update")
    # an answer the thread does not support: the question's own words are no support, nor are unrelated lines
    assert supporting_point("The launch moved to March after the security audit.", question, messages) is None
    assert supporting_point("The release notes are updated by Lena.", question, messages) is None
    before_the_window = [replace(messages[2], context=True), *messages[3:]]  # the statement is context only
    assert supporting_point("Raj will update the release notes by Thursday noon.", question, before_the_window) is None
    flagged = ground_answer(Summary(overview="x", answer="Lena, next month.", offline=False), messages, question)
    assert flagged.answer_unsupported and not flagged.key_points
    cited = Summary(overview="x", answer="Lena.", offline=False, key_points=[Point("Lena does.", ["2.0"])])
    assert ground_answer(cited, messages, question).key_points == [Point("Lena does.", ["2.0"])]  # left as it is
    declined = ground_answer(Summary(overview="x", answer="The thread doesn't say.", offline=False), messages,
                             question)
    assert not declined.answer_unsupported and not declined.key_points


def test_an_unsupported_answer_is_shown_with_a_note_in_every_rendering() -> None:
    from bot.summaries.render import render_json, to_markdown, to_mrkdwn

    summary = Summary(overview="x", answer="Lena, next month.", offline=False, answer_unsupported=True)
    for text in (to_markdown(summary, permalink_for=lambda ts: None),
                 to_mrkdwn(summary, permalink_for=lambda ts: None)):
        assert "no message here says it" in text
    assert json.loads(render_json(summary, permalink_for=lambda ts: None))["answer_unsupported"] is True


# ------------------------------------------------------------------ a question about a channel's week


def test_a_question_about_a_week_is_answered_within_the_thread_that_discusses_it(shared_data: Path) -> None:
    """#gsod's 2022-W39 (R Contributors, a tune week): across the week, "how did … get fixed?" had been answered by
    the problem's own words ("the render book action is failing on GitHub") and a promise to work on it; within
    the thread that discusses it, the thread rules find what resolved it. A thread's parent from before the week
    is context, never the answer."""
    from bot.evals.questions import load_week

    week = load_week(shared_data, "rcontrib", "gsod", "2022-W39")
    assert len({m.thread_ts or m.ts for m in week}) > 2  # several conversations
    summary = summarize_offline(week, question="How did the render book action get fixed after PR 70 was merged?")
    assert summary.answer and "bookdown::" in summary.answer
    assert summary.answer_sources()[0] == "1664184161.624799"
    assert summary.message_count == len([m for m in week if not m.is_bot and m.text.strip()])
    general = load_week(shared_data, "rcontrib", "C01EFL0CEBB", "2023-W16")  # opens with a thread from the week before
    context = {m.ts for m in general if m.context}
    assert context
    for question in ("What was the pcre2.h error when building R from RTools?",
                     "Why does make all recommended fail with pcre2.h missing?"):  # the context parent's own words
        answer = summarize_offline(general, question=question)
        assert answer.answer_sources() and not context & set(answer.answer_sources())


def test_an_answer_is_said_once_and_its_quoted_points_are_not_listed_again() -> None:
    from bot.summaries.render import to_blocks, to_markdown, to_mrkdwn

    messages = _thread(
        ("maya", "Release planning: which day do we ship v2.4?"),
        ("lena", "If we ship Dec 2 we also need the changelog and the upgrade guide."),
        ("tom", "Support would rather avoid a Monday launch, ticket volume peaks then."),
        ("maya", "OK, decision: we ship v2.4 on Wednesday Dec 3 at 7:00 PM UTC."),
    )
    link = {m.ts: f"https://example.slack.com/p{m.ts.replace('.', '')}" for m in messages}
    answered = summarize_offline(messages, question="When do we ship v2.4?")
    quoted = [p.text for p in answered.key_points if p.text in (answered.answer or "")]
    assert quoted and len(quoted) < len(answered.key_points)  # some points quoted by the answer, some not
    for text in (to_markdown(answered, permalink_for=link.get), to_mrkdwn(answered, permalink_for=link.get),
                 json.dumps(to_blocks(answered, permalink_for=link.get))):
        assert all(text.count(q) == 1 for q in quoted)  # in the answer line only
        assert any(p.text in text for p in answered.key_points if p.text not in quoted)  # the rest still listed
    no_answer = "No message in this conversation seems to answer that."  # how the offline summarizer declines
    declined = Summary(overview=no_answer, answer=no_answer)
    assert to_markdown(declined, permalink_for=link.get).count(no_answer) == 1
