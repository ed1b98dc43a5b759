"""Digest building, rendering and the structural checker (pure; plus a small slice of the real export)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.digests.build import ChannelDigest, build_channel_digest
from bot.digests.check import check_channel_digest
from bot.digests.render import channel_blocks, counts_line
from bot.models import Message
from bot.periods import days_before, iso_week, weeks_between
from bot.slack.permalink import build_permalink

C = "C0DIGEST"
PERIOD = iso_week("2023-W35", "UTC")  # Mon 28 Aug 2023 00:00 UTC – Mon 4 Sep
DAY = 86400.0


def ts(day: float, second: int = 0) -> str:
    return f"{PERIOD.oldest_ts + day * DAY + second:.6f}"


def msg(t: str, user: str, text: str, *, thread_ts: str | None = None, replies: int = 0, bot: bool = False) -> Message:
    return Message(channel_id=C, ts=t, user_id=None if bot else f"U{user}", user_name=user, text=text,
                   thread_ts=thread_ts, reply_count=replies, is_bot=bot)


def permalink_for(channel_id: str, t: str, thread_ts: str | None = None) -> str:
    return build_permalink(domain="acme", channel_id=channel_id, ts=t, thread_ts=thread_ts)


BOT_TEXT = "Bug 18512 changed: the status of this report is now RESOLVED FIXED by the maintainer."


def week_messages() -> list[Message]:
    old = ts(-3)  # a thread started the Friday before
    fresh = ts(1)
    return [
        msg(old, "ann", "Should we move the release to September?", thread_ts=old, replies=4),
        msg(ts(0, 10), "bob", "We decided to move the release to 12 September.", thread_ts=old),
        msg(ts(0, 20), "cat", "I will update the release notes by Friday.", thread_ts=old),
        msg(ts(0, 30), "ann", "Thanks, that works for everyone here.", thread_ts=old),
        msg(fresh, "dan", "Who can review the translation patch for the German messages?", thread_ts=fresh, replies=3),
        msg(ts(1, 5), "ann", "I can review the German translation patch tomorrow.", thread_ts=fresh),
        msg(ts(1, 6), "bob", "Great, the patch is attached to the bug report already.", thread_ts=fresh),
        msg(ts(1, 7), "dan", "Thanks both, I will merge it after the review.", thread_ts=fresh),
        msg(ts(2), "bugzilla", BOT_TEXT, bot=True),
        msg(ts(3), "bugzilla", "Bug 18513 new: segfault in the grid package when plotting an empty frame.", bot=True),
        msg(ts(8), "eve", "This message is after the week and must not count."),
    ]


@pytest.fixture(scope="module")
def built() -> tuple[ChannelDigest, list[dict], list[Message]]:
    messages = week_messages()
    digest = build_channel_digest(messages, channel_id=C, channel_name="dev", period=PERIOD,
                                     provider=None, permalink_for=permalink_for)
    return digest, channel_blocks(digest), messages


def test_counts_threads_people_and_bots(built):
    digest, _, _ = built
    assert digest.messages == 7  # the parent from before the week and the later message are out
    assert digest.people == 4
    assert {t.thread_ts for t in digest.threads} == {ts(-3), ts(1)}
    assert digest.bot_counts == {"bugzilla": 2}
    assert counts_line(digest) == "7 messages · 2 threads · 4 people · 2 integration posts"


def test_continued_thread_links_its_first_reply_in_the_week(built):
    digest, blocks, _ = built
    old = next(t for t in digest.threads if t.started_before)
    assert old.replies == 3 and old.link_ts == ts(0, 10) and old.link_thread_ts == ts(-3)
    text = str(blocks)
    assert f"p{ts(-3).replace('.', '')}" not in text.split("thread_ts=")[0]  # parent (outside week) never linked
    assert "continued" in text


def test_bot_posts_are_counted_never_quoted(built):
    digest, blocks, _ = built
    text = str(blocks)
    assert "Bug 18512" not in text and "segfault" not in text
    assert "Integrations (counted, not summarized):* bugzilla 2" in text
    cited = {t for p in digest.summary.all_points() for t in p.source_ts}
    assert cited and cited <= {m.ts for m in week_messages() if not m.is_bot and PERIOD.contains(m.ts)}


def test_checker_passes_a_good_digest(built):
    digest, blocks, messages = built
    result = check_channel_digest(digest, blocks, messages)
    assert result.ok, result.problems
    assert result.busy_threads == 2 and result.linked >= 2


def test_checker_catches_links_outside_the_week_bot_quotes_and_missing_threads(built):
    digest, blocks, messages = built
    bad = [*blocks,
           {"type": "section", "text": {"type": "mrkdwn", "text": f"<{permalink_for(C, ts(-3))}|old>"}},
           {"type": "section", "text": {"type": "mrkdwn", "text": f"<{permalink_for('C0OTHER', ts(1))}|x>"}},
           {"type": "section", "text": {"type": "mrkdwn", "text": BOT_TEXT}}]
    problems = check_channel_digest(digest, bad, messages).problems
    assert any("outside the period" in p for p in problems)
    assert any("another channel" in p for p in problems)
    assert any("integration text quoted" in p for p in problems)
    # a digest that neither links nor counts its busy threads fails too
    stripped = [b for b in blocks if "Main threads" not in str(b) and "messages ·" not in str(b)]
    digest.threads, threads = [], digest.threads
    try:
        assert not check_channel_digest(digest, stripped, messages).ok
    finally:
        digest.threads = threads


def test_quiet_week_is_one_line():
    messages = [msg(ts(2), "bugzilla", BOT_TEXT, bot=True)]
    digest = build_channel_digest(messages, channel_id=C, channel_name="dev", period=PERIOD,
                                     provider=None, permalink_for=permalink_for)
    assert digest.quiet and digest.summary is None
    blocks = channel_blocks(digest)
    assert len(blocks) == 1 and "Quiet week in #dev" in blocks[0]["text"]["text"]
    assert "Bug 18512" not in str(blocks)


def test_big_week_stays_within_slack_limits():
    messages = []
    for i in range(300):
        parent = ts(i / 60, i)
        messages.append(msg(parent, f"user{i % 40}", f"Topic {i}: " + "a long line about the build system " * 30,
                            thread_ts=parent, replies=3))
        for j in range(3):
            messages.append(msg(ts(i / 60, i + j + 1000), f"user{j}", f"reply {j} on topic {i} " * 20, thread_ts=parent))
    digest = build_channel_digest(messages, channel_id=C, channel_name="busy", period=PERIOD,
                                     provider=None, permalink_for=permalink_for)
    blocks = channel_blocks(digest)
    assert len(blocks) <= 50
    for block in blocks:
        if isinstance(block.get("text"), dict):
            assert len(block["text"]["text"]) <= (150 if block["type"] == "header" else 3000)
    assert "295 more threads" in str(blocks)
    assert check_channel_digest(digest, blocks, messages).ok


def test_periods_follow_local_midnight_across_dst():
    # the week in which Berlin moves to summer time is 167 hours long
    week = iso_week("2024-W13", "Europe/Berlin")
    assert week.latest - week.oldest == timedelta(hours=167) or (week.latest_ts - week.oldest_ts) == 167 * 3600
    run = datetime(2024, 4, 1, 7, 0, tzinfo=timezone.utc)  # Monday 09:00 CEST
    period = days_before(run, "Europe/Berlin")
    assert period.oldest_ts == week.oldest_ts and period.latest_ts == week.latest_ts
    assert weeks_between("2021-W52", "2022-W02") == ["2021-W52", "2022-W01", "2022-W02"]
    with pytest.raises(Exception, match="ISO week"):
        iso_week("2023-35")


@pytest.mark.parametrize(("channel", "week"), [("general", "2021-W10"), ("core-translation", "2022-W40"),
                                                ("c-study-group", "2021-W30"), ("r-project-sprint", "2023-W35")])
def test_real_export_weeks_pass_the_checker(shared_data, channel, week):
    from bot.digests.cli import build_channel
    from bot.slack.export import ExportReader

    reader = ExportReader(shared_data / "slack-export-rcontrib")
    digest, blocks, messages = build_channel(reader, None, channel, iso_week(week))
    result = check_channel_digest(digest, blocks, messages)
    assert result.ok, result.problems
    assert len(blocks) <= 50


def test_real_export_bot_channel_is_counted_not_quoted(shared_data):
    from bot.digests.cli import build_channel
    from bot.slack.export import ExportReader

    reader = ExportReader(shared_data / "slack-export-rcontrib")
    digest, blocks, messages = build_channel(reader, None, "bugzilla-inbox", iso_week("2022-W10"))
    assert sum(digest.bot_counts.values()) > 0
    assert check_channel_digest(digest, blocks, messages).ok


def test_pasted_commands_are_never_the_weeks_headline_or_a_point():
    from bot.digests.render import headline

    start = ts(1)
    messages = [
        msg(start, "heather", "To install R-devel beside an existing R, I had to uninstall the old versions first.",
            thread_ts=start, replies=4),
        msg(ts(1, 10), "lionel", "You can fix the permissions instead of uninstalling:", thread_ts=start),
        msg(ts(1, 20), "lionel", "`sudo chown -R $USER /opt/R`", thread_ts=start),
        msg(ts(1, 30), "mohamed", 'BiocManager::install("genefilter")\ninstall.packages(c("XML", "annotate"), type = "source")',
            thread_ts=start),
        msg(ts(1, 40), "heather", "Great, thanks for the tip, the permissions fix works and I will update the instructions.",
            thread_ts=start),
    ]
    digest = build_channel_digest(messages, channel_id=C, channel_name="general", period=PERIOD,
                                  provider=None, permalink_for=permalink_for)
    assert digest.summary is not None
    shown = [headline(digest), *(p.text for p in digest.summary.all_points())]
    assert not any("chown" in text or "install.packages" in text for text in shown), shown


def test_a_greeting_is_not_the_headline_when_the_week_says_something():
    from bot.digests.render import headline

    messages = [msg(ts(1), "michal", "Hi folks!"),
                msg(ts(1, 60), "michal", "I maintain the Polish translation and would like to help set up Weblate.")]
    digest = build_channel_digest(messages, channel_id=C, channel_name="welcome", period=PERIOD,
                                  provider=None, permalink_for=permalink_for)
    assert headline(digest).startswith("I maintain the Polish translation")


def test_real_org_digest_numbers_its_citations_and_says_each_channels_event_once(shared_data):
    """Citations are numbered across the digest (1 2 3, not 1 1 1), and each channel's event is said once: in "Across
    the org" after the channel's name, its own line then showing no headline, or else on that line ("Across the org"
    had repeated a channel's headline in 79 of 86 org digests of four channels, 2022–2023)."""
    import re

    from bot.digests.cli import build_org
    from bot.digests.render import headline, headline_said
    from bot.slack.export import ExportReader

    reader = ExportReader(shared_data / "slack-export-rcontrib")
    for week, names in (("2023-W35", ["core-translation", "r-project-sprint"]),
                        ("2023-W35", ["general", "core-translation", "c-study-group"]),
                        ("2022-W07", ["general", "core-translation", "c-study-group"])):
        digest, blocks, _ = build_org(reader, None, names, iso_week(week))
        texts = [b["text"]["text"] for b in blocks if b.get("type") == "section"]
        across = texts[texts.index("*Across the org*") + 1]
        numbers = [int(n) for n in re.findall(r"\|\[(\d+)\]>", "\n".join(texts))]
        assert numbers and sorted(set(numbers)) == list(range(1, len(set(numbers)) + 1)), week
        in_news = {n.channel_id for n in digest.news}
        assert in_news, week
        for channel in digest.channels:
            if channel.quiet:
                continue
            line = next((t for t in texts if t.startswith(f"*#{channel.channel_name}*")), "")
            if not line:  # no part of its own: "Across the org" says its event and it has no thread to link
                assert channel.channel_id in in_news and f"*#{channel.channel_name}* — " in across, week
                continue
            if channel.channel_id in in_news:  # its counts and threads, no headline
                assert line.startswith(f"*#{channel.channel_name}* · ") and f"*#{channel.channel_name}* — " in across
                continue
            assert " ".join(headline(channel).split())[:40] in line.replace("&amp;", "&"), week
            said = headline_said(channel)
            assert said is None or not any(channel.permalinks.get(ts, "-") in across for ts in said.source_ts), week


def test_a_thread_snippet_is_cut_at_a_word():
    from bot.digests.build import _snippet

    text = "One issue is that in order to install R-devel alongside an existing R version, I had to uninstall it"
    assert _snippet(text, 90) == "One issue is that in order to install R-devel alongside an existing R version, I had to…"
    assert _snippet("x" * 120, 90) == "x" * 89 + "…"  # one long word: cut inside it
    assert _snippet("a  short\n text", 90) == "a short text"


def test_a_real_week_in_the_middle_of_a_long_thread_has_no_list_fragments_as_key_points(shared_data):
    """#core-translation, 2023-W49 of the R Contributors export: a 56-reply thread on a git conflict, where one
    person wrote a numbered list one message an item ("(1) for the weblate commands (in docker)") and paused with
    ".." mid-sentence ("and just checked my GNU Screen .. and seems like …"). Neither is cut into a key point."""
    import re

    from bot.digests.cli import build_channel
    from bot.slack.export import ExportReader

    digest, _, _ = build_channel(ExportReader(shared_data / "slack-export-rcontrib"), None, "core-translation",
                                 iso_week("2023-W49"))
    assert digest.summary is not None
    texts = [p.text for p in digest.summary.key_points]
    assert len(texts) >= 3
    assert not any(re.match(r"\W*\(?\d[.)]", t) for t in texts), texts
    assert not any(t.rstrip().endswith("..") for t in texts), texts


def test_real_org_highlights_are_no_list_items_out_of_their_list(shared_data):
    """Org news of 2023-W35 over four channels of the R Contributors export: a message of "Some useful links" with
    a nested list had given the highlight "◦ R OpenSci's draft of translation guidelines", bullet included."""
    from bot.digests.cli import build_org
    from bot.slack.export import ExportReader

    reader = ExportReader(shared_data / "slack-export-rcontrib")
    digest, _, _ = build_org(reader, None, ["general", "core-translation", "c-study-group", "r-project-sprint"],
                             iso_week("2023-W35"))
    texts = [n.point.text for n in digest.news]
    assert len(texts) >= 3
    assert not any(t.lstrip()[:1] in "-*•◦▪‣" for t in texts), texts
    assert not any("R OpenSci's draft" in t for t in texts), texts


def test_the_headline_is_said_once_and_a_continued_thread_of_pleasantries_is_not_a_main_thread():
    """A user's pass over 12 busy weeks: the headline was repeated word for word as a key point or a decision in 9
    of them, and an introduction from February was listed as a main thread for its one "Welcome!" this week."""
    from bot.digests.render import headline, headline_point

    digest = build_channel_digest([*week_messages(), msg(ts(4), "fay", "Welcome Jo! :wave:", thread_ts=ts(-30))],
                                  channel_id=C, channel_name="dev", period=PERIOD, provider=None,
                                  permalink_for=permalink_for)
    point = headline_point(digest)
    assert point is not None and headline(digest) == point.text
    blocks = channel_blocks(digest)
    texts = [b["text"]["text"] for b in blocks if b.get("type") == "section"]
    said = " ".join(point.text.split())[:40]
    assert sum(said in t for t in texts) == 1, texts  # the headline, not again under the sections
    intro = next(t for t in digest.threads if t.thread_ts == ts(-30))
    assert intro.pleasantries and ts(-30) not in digest.linked_threads
    assert counts_line(digest).startswith(f"{digest.messages} messages · {len(digest.threads)} threads")


def test_a_week_without_threads_says_its_headline_once_too():
    """With no thread in the week the headline is the week's news (here the fix: "… fixed the version check"), and
    it is said once: it had been listed again as the first key point (493 of 564 R Contributors digests repeated
    their headline before the eleventh round)."""
    from bot.digests.render import headline, headline_point

    messages = [msg(ts(1), "ann", "The Windows build of R-devel fails at make check with a package version error."),
                msg(ts(1, 300), "bob", "The SVN-REVISION file was empty, so R reported revision 0 and the check failed."),
                msg(ts(2), "ann", "Rebuilding SVN-REVISION with make fixed the version check on the Windows build."),
                msg(ts(3), "cat", "The Windows build notes in the R Dev Guide now explain the SVN-REVISION step.")]
    digest = build_channel_digest(messages, channel_id=C, channel_name="dev", period=PERIOD, provider=None,
                                  permalink_for=permalink_for)
    point = headline_point(digest)
    assert point is not None and point.source_ts == [ts(2)] and digest.summary is not None
    said = " ".join(headline(digest).rstrip("…").split())[:40]
    texts = [" ".join(b["text"]["text"].split()) for b in channel_blocks(digest) if b.get("type") == "section"]
    assert sum(said in t for t in texts) == 1, texts


@pytest.mark.parametrize(("text", "alone"), [
    ("But then in the footnote exercises, its clear that it can be used as a set operation.", False),
    ("It's a non-breaking major version bump", False),
    ("edit: the recommended testing framework is to use an svn checkout, so I'll stick to that", False),
    ("is the relevant bit, note `exit(1)` when `LIBCURL_VERSION_MAJOR > 7`", False),
    ("@Heather Turner (admin, she/her) could shifting our docs to readthedocs be a GSoD project?", True),
    ("Is anyone pairing the readings with a separate online course?", True),
    ("curl 8 breaks R's configure check; a patch went to R-devel.", True),
])
def test_a_headline_stands_alone(text: str, alone: bool) -> None:
    """A user's pass over busy channel-weeks: "But then in the footnote exercises, …" and "It's a non-breaking major
    version bump" had headed digests. 81 of 564 R Contributors digests had such a headline, 52 now
    (``bench/digest_coverage.py``)."""
    from bot.digests.render import stands_alone

    assert stands_alone(text) is alone


def test_the_busiest_threads_point_that_stands_alone_is_the_headline(shared_data):
    """#c-study-group 2023-W22 had the headline "But then in the footnote exercises, its clear that it can be used as
    a set operation."."""
    from bot.digests.cli import build_channel
    from bot.digests.render import headline, stands_alone
    from bot.slack.export import ExportReader

    reader = ExportReader(shared_data / "slack-export-rcontrib")
    digest, _, _ = build_channel(reader, None, "c-study-group", iso_week("2023-W22"))
    assert stands_alone(headline(digest)), headline(digest)
