"""Windows mean their window: a thread parent from before a channel/week window is context, never a point or headline."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from bot.models import Message, Point, Summary
from bot.periods import iso_week
from bot.slack.export import ExportReader
from bot.summaries.pipeline import ConversationRequest, mark_context, summarize_conversation, within_window

FRIDAY = datetime(2023, 9, 1, 16, tzinfo=timezone.utc).timestamp()  # ISO week 2023-W35
MONDAY = datetime(2023, 9, 4, 9, tzinfo=timezone.utc).timestamp()  # ISO week 2023-W36
PARENT = (
    "There is a wooden R in the middle of the table at the sprint venue and everyone keeps asking about the wooden R, "
    "the wooden R is the best wooden R we have ever had at a sprint venue."
)


def _raw(ts: float, user: str, text: str, thread_ts: float | None = None, replies: int = 0) -> dict:
    raw: dict = {"type": "message", "ts": f"{ts:.6f}", "user": user, "text": text}
    if thread_ts is not None:
        raw["thread_ts"] = f"{thread_ts:.6f}"
    if replies:
        raw["reply_count"] = replies
    return raw


def _export(tmp_path: Path) -> Path:
    """A small Slack export: a parent posted on Friday of W35, its replies and new messages in W36."""
    root = tmp_path / "export"
    (root / "general").mkdir(parents=True)
    (root / "users.json").write_text(json.dumps([
        {"id": "U1", "name": "ann", "real_name": "Ann Lee"}, {"id": "U2", "name": "ben", "real_name": "Ben Ode"},
        {"id": "U3", "name": "cy", "real_name": "Cy Ray"}]), encoding="utf-8")
    (root / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general"}]), encoding="utf-8")
    friday = [_raw(FRIDAY, "U1", PARENT, thread_ts=FRIDAY, replies=2)]
    monday = [
        _raw(MONDAY, "U2", "The wooden R was carved by a local artist for the sprint venue.", thread_ts=FRIDAY),
        _raw(MONDAY + 60, "U3", "Someone at the in-person event on Saturday has tested positive for COVID, "
                                "please take a test before travelling home.", thread_ts=FRIDAY),
        _raw(MONDAY + 3600, "U1", "The venue confirmed that the rooms are booked until Friday afternoon for the sprint."),
        _raw(MONDAY + 7200, "U2", "We agreed to move the closing session to Thursday so people can travel on Friday."),
    ]
    (root / "general" / "2023-09-01.json").write_text(json.dumps(friday), encoding="utf-8")
    (root / "general" / "2023-09-04.json").write_text(json.dumps(monday), encoding="utf-8")
    return root


def test_a_week_summary_never_quotes_the_parent_posted_the_week_before(tmp_path: Path) -> None:
    reader = ExportReader(_export(tmp_path))
    window = iso_week("2023-W36")
    result = summarize_conversation(ConversationRequest(channel_id="general", window=window), reader=reader,
                                    provider=None, now=window.latest)
    parent_ts = f"{FRIDAY:.6f}"
    assert result.summary is not None
    assert parent_ts in {m.ts for m in result.messages}  # read, for context
    assert [m.ts for m in result.messages if m.context] == [parent_ts]
    points = result.summary.all_points()
    assert points and not any(parent_ts in p.source_ts for p in points)
    assert all(window.contains(ts) for p in points for ts in p.source_ts)
    assert "wooden R in the middle" not in result.summary.overview  # the headline is the week's, not last Friday's
    assert any("COVID" in p.text or "agreed" in p.text for p in points)


def test_a_thread_summary_keeps_its_parent_whatever_its_age(tmp_path: Path) -> None:
    reader = ExportReader(_export(tmp_path))
    result = summarize_conversation(ConversationRequest(channel_id="general", thread_ts=f"{FRIDAY:.6f}"),
                                    reader=reader, provider=None, now=datetime.fromtimestamp(MONDAY + 9000, timezone.utc))
    assert result.summary is not None and not any(m.context for m in result.messages)
    assert result.summary.outcome is not None  # a thread summary says where it ended


def test_within_window_drops_a_models_points_that_cite_only_context() -> None:
    messages = mark_context([Message("C1", "1.0", "U1", "Ann", "old parent"), Message("C1", "5.0", "U2", "Ben", "new")],
                            oldest=2.0)
    summary = Summary(overview="x", outcome=Point("ended long ago", ["1.0"]),
                      key_points=[Point("old", ["1.0"]), Point("both", ["1.0", "5.0"]), Point("new", ["5.0"])],
                      action_items=[Point("old task", ["1.0"], owner="@Ann")])
    within_window(summary, messages)
    assert [p.text for p in summary.key_points] == ["both", "new"]
    assert summary.outcome is None and summary.action_items == []


def test_a_weeks_key_points_cite_what_its_busiest_thread_is_about() -> None:
    from bot.summaries.extractive import summarize_offline

    def message(ts: float, user: str, text: str, thread_ts: float | None = None, replies: int = 0) -> Message:
        return Message("C1", f"{ts:.6f}", f"U{user}", user, text, thread_ts=f"{thread_ts:.6f}" if thread_ts else None,
                       reply_count=replies)

    chatter = [  # many top-level messages on one theme: central to each other, about little
        "I'm about to get on a plane to the UK, see you all at the sprint venue tomorrow!",
        "On my way over from Leeds by train, see you all at the sprint venue soon!",
        "My train from London to the sprint venue is late again, see you all at dinner.",
        "My flight to the UK is delayed, I will see you all at the sprint venue tomorrow.",
        "Stuck at the station in Coventry, see you all at the sprint venue for dinner.",
        "Just landed in the UK, on my way to the sprint venue, see you all soon!",
    ]
    messages = [message(MONDAY + 600 * i, f"p{i}", text) for i, text in enumerate(chatter)]
    parent = MONDAY + 300  # its replies come between the other messages, as a week reads in time order
    thread = [
        ("michael", "Deepayan and I would love input on the auto-completion R offers in IRkernel and Jupyter notebooks."),
        ("carol", "Have you tried the R language service, it completes names as you type in VS Code."),
        ("michael", "This issue is about the completions R itself provides, bug 18479 has the details."),
        ("carol", "I did not know R core had its own completion code, thanks for the link to the bug."),
        ("michael", "We will meet Deepayan tonight to plan a patch for the completion of function arguments."),
    ]
    replies = [message(parent + 600 * i, user, text, thread_ts=parent, replies=len(thread) - 1 if i == 0 else 0)
               for i, (user, text) in enumerate(thread)]
    messages = sorted(messages + replies, key=lambda m: float(m.ts))
    summary = summarize_offline(messages)
    cited = {ts for point in summary.key_points for ts in point.source_ts}
    assert replies[0].ts in cited, [p.text for p in summary.key_points]  # the parent says what the thread is about
