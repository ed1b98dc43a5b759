"""A channel that talks in its main flow, not in threads: its summary is told conversation by conversation.

The flow is cut at long silences (``bot.summaries.extractive.SESSION_GAP_SECONDS``); a summary of several such
conversations has no "Where it ended" and takes its key points from each of the busiest first, like a channel
with threads. Questions keep being matched with answers across the whole flow.
"""

from __future__ import annotations

import json
import re

from bot.__main__ import main
from bot.models import Message
from bot.summaries.extractive import SESSION_GAP_SECONDS, summarize_offline

DAY = 86_400.0
START = 1_700_000_000.0


def _flow(*days: list[tuple[str, str]]) -> list[Message]:
    """Top-level messages (no threads), one day's conversation after another, a minute apart within a day."""
    out = []
    for d, conversation in enumerate(days):
        for n, (user, text) in enumerate(conversation):
            out.append(Message("C1", f"{START + d * DAY + n * 60:.6f}", user, user, text))
    return out


BUSY_DAY = [
    ("Ann", "The staging database ran out of disk space again during the nightly import of the sales tables."),
    ("Ben", "The nightly import of the sales tables writes a full copy of every table before it swaps them."),
    ("Ann", "The sales tables import also keeps three days of copies in the staging database for rollbacks."),
    ("Cy", "Disk space on the staging database is at ninety percent after every nightly import of the tables."),
    ("Ben", "We could drop the rollback copies of the sales tables from the staging database after one day."),
    ("Ann", "The staging database disk is shared with the nightly import logs of the sales tables as well."),
    ("Cy", "The import logs of the nightly sales tables run take a third of the staging database disk."),
    ("Ben", "Rotating the nightly import logs would free most of the staging database disk for the tables."),
]
QUIET_DAY = [
    ("Dee", "The quarterly planning offsite moved to the Lisbon office in the second week of March."),
    ("Eve", "Flights to Lisbon for the planning offsite should be booked through the travel portal this time."),
]
LAST_DAY = [
    ("Fay", "Our new intern Gil starts on Monday and will join the design team for the spring."),
    ("Dee", "Welcome Gil, the design team has a desk ready for you next to the window."),
]


def test_the_main_flow_is_cut_into_conversations_at_long_silences() -> None:
    messages = _flow(BUSY_DAY, QUIET_DAY, LAST_DAY)
    summary = summarize_offline(messages)
    days = {int((float(ts) - START) // DAY) for p in summary.key_points for ts in p.source_ts}
    assert days == {0, 1, 2}  # every day's conversation is told, the busy one does not fill the summary
    assert summary.outcome is None  # three conversations have no single "where it ended"


def test_one_conversation_in_the_main_flow_still_says_where_it_ended() -> None:
    messages = _flow(BUSY_DAY)
    gap = float(messages[-1].ts) - float(messages[0].ts)
    assert gap < SESSION_GAP_SECONDS
    assert summarize_offline(messages).outcome is not None


def test_a_question_in_the_flow_is_answered_hours_later() -> None:
    messages = _flow([
        ("Ann", "Does anyone know which port the new metrics exporter listens on in production?"),
        ("Ben", "I'm heading out for the afternoon, back tomorrow morning everyone."),
    ])
    later = START + 5 * 3600  # after the session gap: a new conversation, but the same flow
    messages += [Message("C1", f"{later:.6f}", "Cy", "Cy",
                         "The new metrics exporter listens on port 9464 in production, same as staging.")]
    summary = summarize_offline(messages)
    assert not summary.open_questions  # answered, even after a long silence


def test_a_real_channel_without_threads_is_told_across_its_year(shared_data, capsys, monkeypatch, tmp_path) -> None:
    """#get_feedback of the Houston Data Vis export, 2016: 150 top-level messages, no threads, in about 17
    conversations. Its key points had all come from one afternoon in May, and "Where it ended" was a remark of
    July on another topic."""
    monkeypatch.chdir(tmp_path)
    for key in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL", "LLM_PROVIDER"):
        monkeypatch.delenv(key, raising=False)
    code = main(["summarize", "--export", str(shared_data / "slack-export-houstondatavis"), "--channel",
                 "get_feedback", "--since", "2016-01-01", "--until", "2017-01-01", "--format", "json"])
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["outcome"] is None
    key_points = printed["sections"]["key_points"]
    cited = [ts for p in key_points for ts in p["ts"]]
    assert len(cited) >= 4
    assert len({int(float(ts) // DAY) for ts in cited}) >= 3  # from at least three different days
    assert not any(re.fullmatch(r"\s*https?://\S+\s*", p["text"]) for p in key_points)  # no bare link


def test_a_real_weeks_digest_has_no_aside_and_no_bare_link_as_a_key_point(shared_data) -> None:
    """#datajam of the Houston Data Vis export, 2015-W32: 45 top-level messages on one day. "yeah @Colin Nelson ,
    exactly" had been a key point (a mention made it look specific); a pasted link says nothing as a point."""
    from bot.digests.cli import build_channel
    from bot.periods import iso_week
    from bot.slack.export import ExportReader

    reader = ExportReader(shared_data / "slack-export-houstondatavis")
    digest, _, _ = build_channel(reader, None, "datajam", iso_week("2015-W32"))
    assert digest.summary is not None
    texts = [p.text for p in digest.summary.key_points]
    assert len(texts) >= 3
    assert not any(re.search(r"\bexactly\b", t) for t in texts), texts
    assert not any(re.fullmatch(r"\s*https?://\S+\s*", t) for t in texts), texts
