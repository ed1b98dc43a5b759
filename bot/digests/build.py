"""Weekly channel digests and the multi-channel "org news" digest: messages in, a record out.

Pure functions (the summarizer is the only call out, and it is injectable). Rendering the records
lives in :mod:`bot.digests.render`; reading, claiming and posting in :mod:`bot.digests.runs`;
scheduling in :mod:`bot.digests.scheduler`.

A digest covers a :class:`bot.periods.Window` ``[oldest, latest)`` (whole local days, see
:func:`bot.periods.days_window`). Messages are filtered to that window, so a thread that started
earlier but got replies in the window counts (by its replies in the window) and its links point at
its first reply of the window, never at the older parent. Bot / integration posts
(``Message.is_bot``) are only counted per bot, never summarized or quoted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from bot.digests.events import (
    MIN_SCORE,
    SOON,
    STALE,
    headline_for,
    main_event,
    quotable,
    ranked_events,
    with_its_answer,
)
from bot.llm.base import Provider
from bot.llm.batch import PrefilledProvider, run_batch
from bot.models import Message, Point, Summary
from bot.periods import Window
from bot.summaries.extractive import with_its_link
from bot.summaries.structure import content_sentences, is_question
from bot.summaries.summarize import combine_summaries, first_round_requests, summarize

MAIN_THREADS = 5  # threads linked by name in a channel digest
ORG_NEWS = 5  # points of an org digest's "Across the org"
CHANNEL_NEWS = 2  # events of one channel among them, at most
FILL_CHANNEL_LINES = 3  # lines of one channel among them, filling points included
TOP_PEOPLE = 5  # people listed as most active
SNIPPET_CHARS = 90  # characters of a thread's first message shown as its title

Summarizer = Callable[..., Summary]
"""``(messages, *, provider, max_points) -> Summary``: :func:`bot.summaries.summarize.summarize` or a test double."""


# ---------------------------------------------------------------------------------------- records


@dataclass
class ThreadActivity:
    """One thread with activity in the period.

    Attributes:
        thread_ts: the parent's ``ts``.
        replies: replies posted in the period.
        people: distinct human authors in the period.
        title: the first words of the parent (or of the first reply, when the parent is a bot's).
        link_ts: the message a link should open: the parent when it is in the period, else the first
            reply in the period (so no link leaves the period).
        link_thread_ts: ``thread_ts`` for the link (None when ``link_ts`` is the parent).
        started_before: the parent is older than the period.
        pleasantries: it started before the period and its replies in the period only greet, thank or react
            ("Nice to see you here" under an introduction from February): counted, not shown as a main thread.
    """

    thread_ts: str
    replies: int
    people: int
    title: str
    link_ts: str
    link_thread_ts: str | None
    started_before: bool
    pleasantries: bool = False


@dataclass
class ChannelDigest:
    """A channel's digest for one period.

    Attributes:
        channel_id, channel_name: the channel.
        period: the period covered.
        summary: the summary of the period's human messages (None for a quiet week).
        messages: human messages in the period.
        threads: every thread active in the period, busiest first (all are counted).
        linked_threads: the ``thread_ts`` of the threads shown with a link.
        people: human authors in the period.
        top_people: ``(name, messages)`` of the most active, busiest first.
        bot_counts: ``{bot name: posts}`` of integrations in the period (never quoted).
        permalinks: ``ts`` -> permalink of every message in the period.
        headline: the week's most important event as a point quoting its message
            (:func:`bot.digests.events.main_event`, :func:`bot.digests.events.headline_for`); None for a quiet week
            or one with no clear event (the headline is then the busiest thread's point).
        news: ``(score, point)`` of the week's events, most important first (:func:`bot.digests.events.ranked_events`,
            each told as the headline is, the first being it, the others posts of their own, not replies: "I agree
            that this adds lots of friction" leans on its thread; at most :data:`CHANNEL_NEWS`): what an org digest
            ranks across channels.
    """

    channel_id: str
    channel_name: str
    period: Window
    summary: Summary | None
    messages: int
    threads: list[ThreadActivity]
    linked_threads: list[str]
    people: int
    top_people: list[tuple[str, int]]
    bot_counts: dict[str, int]
    permalinks: dict[str, str] = field(default_factory=dict, repr=False)
    headline: Point | None = None
    news: list[tuple[float, Point]] = field(default_factory=list)

    @property
    def quiet(self) -> bool:
        """True when no person wrote in the channel during the period."""
        return self.messages == 0


@dataclass
class OrgNews:
    """One point of an org digest's "Across the org": a channel's event of the week.

    Attributes:
        channel_id, channel_name: the channel it happened in.
        point: the event, told as a channel digest's headline is (it cites its message).
        score: its :func:`bot.digests.events.event_score`.
    """

    channel_id: str
    channel_name: str
    point: Point
    score: float


@dataclass
class OrgDigest:
    """The "org news" digest: a section per channel plus highlights across them.

    Attributes:
        period: the period covered.
        channels: one :class:`ChannelDigest` per source channel, in the order asked.
        highlights: with a model, a summary across every source's human messages (None offline, or when all were
            quiet).
        news: offline, the week's events across the channels, most important first (:func:`org_news`).
        more: offline, channel id -> that channel's next event, for a channel whose first is in ``news`` and whose
            second is not (:func:`more_news`): what its own part says.
        fill: offline, when ``news`` has fewer than :data:`ORG_NEWS` points, the extractive summary's points of every
            source's messages that read alone (:func:`fill_points`), to fill "Across the org" after the events.
    """

    period: Window
    channels: list[ChannelDigest]
    highlights: Summary | None
    news: list[OrgNews] = field(default_factory=list)
    more: dict[str, Point] = field(default_factory=dict)
    fill: list[OrgNews] = field(default_factory=list)


# ---------------------------------------------------------------------------------------- building


def _snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """``text`` on one line, at most ``limit`` characters: cut at a word ("…I had to…", not "…I had to u…"), or
    inside a word only when its first word alone is longer."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    at_word = cut[: cut.rfind(" ")].rstrip(" ,;:-–—") if " " in cut and flat[limit - 1] != " " else cut
    return (at_word or cut).rstrip() + "…"


def thread_activity(in_period: Sequence[Message], everything: Sequence[Message], period: Window) -> list[ThreadActivity]:
    """Threads active in the period, busiest first.

    Args:
        in_period: messages of the period (people and bots).
        everything: the same plus context parents older than the period (as readers return them).
        period: the period.

    Returns:
        One :class:`ThreadActivity` per thread with a parent or a reply in the period, sorted by
        replies in the period (descending), then age.
    """
    by_ts = {m.ts: m for m in everything}
    replies: dict[str, list[Message]] = {}
    for message in in_period:
        if message.is_reply:
            replies.setdefault(str(message.thread_ts), []).append(message)
    roots = {m.ts for m in in_period if not m.is_reply and m.reply_count} | set(replies)
    out = []
    for thread_ts in roots:
        fresh = sorted(replies.get(thread_ts, []), key=lambda m: float(m.ts))
        parent = by_ts.get(thread_ts)
        in_range = period.contains(thread_ts)
        if not in_range and not fresh:
            continue
        if in_range and parent is not None and not fresh and not parent.reply_count:
            continue
        people = {m.user_id or m.user_name for m in fresh if not m.is_bot}
        if parent is not None and in_range and not parent.is_bot:
            people.add(parent.user_id or parent.user_name)
        title_source = parent if parent is not None and not parent.is_bot else next(
            (m for m in fresh if not m.is_bot), None)
        title = _snippet(title_source.text) if title_source is not None else "(integration thread)"
        if in_range:
            link_ts, link_thread = thread_ts, None
        else:
            link_ts, link_thread = fresh[0].ts, thread_ts
        said = [m for m in fresh if not m.is_bot and content_sentences(m)]  # not only greetings, thanks, emoji, code
        out.append(ThreadActivity(thread_ts=thread_ts, replies=len(fresh), people=len(people), title=title,
                                  link_ts=link_ts, link_thread_ts=link_thread, started_before=not in_range,
                                  pleasantries=not in_range and not said))
    out.sort(key=lambda t: (-t.replies, float(t.thread_ts)))
    return out


def build_channel_digest(
    messages: Sequence[Message],
    *,
    channel_id: str,
    channel_name: str,
    period: Window,
    provider: Provider | None,
    permalink_for: Callable[[str, str, str | None], str],
    summarizer: Summarizer | None = None,
    max_points: int = 5,
) -> ChannelDigest:
    """Build one channel's digest.

    Args:
        messages: what the reader returned for the period (``history(..., include_replies=True)``):
            messages of the period plus older context parents; bots flagged with ``is_bot``.
        channel_id, channel_name: the channel.
        period: the period; messages outside it are never summarized or linked.
        provider: the model provider handed to the summarizer (:func:`bot.summaries.summarize.summarize`,
            which map-reduces long weeks); None summarizes with the extractive strategy.
        permalink_for: ``(channel_id, ts, thread_ts) -> url`` (``Reader.permalink``).
        summarizer: replaces ``bot.summaries.summarize.summarize`` (tests).
        max_points: points per summary section.

    Returns:
        A :class:`ChannelDigest`; ``summary`` is None when no person wrote in the period. The
        summarizer never raises for model failures (it falls back to the extractive summary, labelled).
    """
    in_period = [m for m in messages if m.channel_id == channel_id and period.contains(m.ts)]
    human = [m for m in in_period if not m.is_bot and (m.text or "").strip()]
    bots = Counter(m.user_name for m in in_period if m.is_bot)
    people = Counter(m.user_name for m in human)
    threads = thread_activity(in_period, messages, period)
    linked = [t.thread_ts for t in threads if not t.pleasantries][:MAIN_THREADS]
    summary = None
    if human:
        summary = (summarizer(human, provider=provider, max_points=max_points) if summarizer is not None
                   else summarize(human, provider=provider, max_points=max_points, window=True))
        summary = _only_citing(summary, {m.ts for m in human})
    permalinks = {m.ts: m.permalink or permalink_for(channel_id, m.ts, m.thread_ts if m.is_reply else None)
                  for m in in_period}
    event = main_event(human)
    headline = _headline(event, summary, human)
    ranked = ranked_events(human, limit=len(human))
    ranked = ranked[:1] + [(score, m) for score, m in ranked[1:] if not m.is_reply]  # a second is a post of its own
    news = [(score, headline if m is event else _headline(m, summary, human)) for score, m in ranked[:CHANNEL_NEWS]]
    return ChannelDigest(
        channel_id=channel_id, channel_name=channel_name, period=period, summary=summary, messages=len(human),
        threads=threads, linked_threads=linked, people=len(people), top_people=people.most_common(TOP_PEOPLE),
        bot_counts=dict(bots.most_common()), permalinks=permalinks, headline=headline,
        news=[(score, point) for score, point in news if point is not None],
    )


def _headline(event: Message | None, summary: Summary | None, human: Sequence[Message]) -> Point | None:
    """The headline point of the week's event (:func:`bot.digests.events.headline_for`), with its answer (or where its
    thread ended) when it only asks and was asked in the period (:func:`bot.digests.events.with_its_answer`); None
    without an event; a headline quoting the event's sentence rather than a point of the summary shows the link that
    goes with it (:func:`bot.summaries.extractive.with_its_link`). Offline summaries only: a model's points say it in
    their own words."""
    if event is None or summary is None:
        return None
    point = headline_for(event, summary)
    if summary.offline and not any(point is p for p in summary.all_points()):  # its sentence, not a point: its link
        point = with_its_link(point, human)
    if not summary.offline or event.is_reply:
        return point
    return with_its_answer(point, event, [m for m in human if m.is_reply and m.thread_ts == event.ts])


def _only_citing(summary: Summary, allowed: set[str]) -> Summary:
    """Drop citations of messages outside ``allowed`` (the period's human messages); an offline point whose
    quoted message (its first source) is outside is dropped whole: its words come from before the period."""
    def quoted_inside(p: Point) -> bool:
        return not summary.offline or not p.source_ts or p.source_ts[0] in allowed

    def keep(points: list[Point]) -> list[Point]:
        return [replace(p, source_ts=[ts for ts in p.source_ts if ts in allowed]) for p in points if quoted_inside(p)]

    outcome = summary.outcome
    if outcome is not None and quoted_inside(outcome):
        outcome = replace(outcome, source_ts=[ts for ts in outcome.source_ts if ts in allowed])
    else:
        outcome = None
    return replace(summary, outcome=outcome if outcome is not None and outcome.source_ts else None,
                   key_points=keep(summary.key_points), decisions=keep(summary.decisions),
                   action_items=keep(summary.action_items), open_questions=keep(summary.open_questions))


def build_org_digest(
    channels: Sequence[ChannelDigest],
    *,
    period: Window,
    human_messages: Sequence[Message],
    provider: Provider | None,
    summarizer: Summarizer | None = None,
) -> OrgDigest:
    """The org digest from per-channel digests plus highlights across them.

    The highlights combine the channels' own summaries (:func:`bot.summaries.summarize.combine_summaries`:
    one reduce call over their points, issue 12), so no message is summarized twice; without a model
    they are the extractive summary of every source's messages (no tokens either way). A ``summarizer``
    (tests) is called on all the messages instead, as before.

    Args:
        channels: the sources' digests (see :func:`build_channel_digest`), in display order.
        period: the period.
        human_messages: every source's human messages of the period, oldest first.
        provider, summarizer: as :func:`build_channel_digest`.

    Returns:
        An :class:`OrgDigest`; ``highlights`` cite only the period's human messages (3 points a section). Offline
        (no ``provider`` nor ``summarizer``) there are no highlights: "Across the org" is the channels' events
        (:func:`org_news`). Read whole by readers (docs/evals.md, forty-first round), the extractive highlights of
        every message had been wrong in 38 of 58 lines and right in 2: replies, thanks and the busiest channel's
        side questions, while the week's announcements were missing.
    """
    highlights = None
    human = sorted((m for m in human_messages if not m.is_bot and period.contains(m.ts)), key=lambda m: float(m.ts))
    if provider is None and summarizer is None:
        news = org_news(channels)
        more = more_news(channels, news)
        fill = fill_points(channels, human, news, more) if human and len(news) < ORG_NEWS else []
        return OrgDigest(period=period, channels=list(channels), highlights=None, news=news, more=more, fill=fill)
    if human:
        if summarizer is not None:
            combined = summarizer(human, provider=provider, max_points=3)
        else:
            combined = combine_summaries([c.summary for c in channels if c.summary is not None], human,
                                         provider=provider, max_points=3)
        highlights = _only_citing(combined, {m.ts for m in human})
    return OrgDigest(period=period, channels=list(channels), highlights=highlights)


def org_news(channels: Sequence[ChannelDigest], limit: int = ORG_NEWS) -> list[OrgNews]:
    """The org's news of the week: the channels' events (:attr:`ChannelDigest.news`) ranked against each other by
    their scores, every channel's first event (most important first) before any channel's second, so one busy
    channel does not fill the list; a second only when it scores :data:`bot.digests.events.MIN_SCORE` and tells
    another story (:func:`_same_story`); an event that names a day relative to its post ("today", "tomorrow":
    :data:`bot.digests.events.SOON`) ranks :data:`bot.digests.events.STALE` lower; at most ``limit``.

    Args:
        channels: the sources' digests.
        limit: points at most.
    """
    def news(c: ChannelDigest, score: float, point: Point) -> OrgNews:
        return OrgNews(c.channel_id, c.channel_name, point, score - STALE * bool(SOON.search(point.text)))

    firsts = [news(c, *c.news[0]) for c in channels if c.news]
    seconds = [news(c, score, point) for c in channels for score, point in c.news[1:]
               if score >= MIN_SCORE and not _same_story(point, c.news[0][1])]
    chosen = sorted(firsts, key=lambda n: -n.score)[:limit]
    return chosen + sorted(seconds, key=lambda n: -n.score)[: limit - len(chosen)]


def fill_points(channels: Sequence[ChannelDigest], human: Sequence[Message], news: Sequence[OrgNews],
                more: Mapping[str, Point]) -> list[OrgNews]:
    """The points that may fill "Across the org" after the week's events: the extractive summary of every source's
    messages (its key points, then decisions; never an action item, whose "owner" readers found wrong out of its
    thread), each that reads alone as a headline does (:func:`bot.digests.events.quotable`: not "Let me know what you
    think", not a reply leaning on its thread), does not only ask unless it shows its answer ("… — Name: …"), and
    cites no message an event above quotes; at most one a thread (three bullets had told one person's install
    problem) and :data:`FILL_CHANNEL_LINES` lines a channel with its events, none telling the story of its channel's
    event, next event or overview (:func:`_same_story`: "the Houston Data Portal" had been said twice); labelled with
    the channel of the message it quotes, in the summary's order.
    Judged blind against the digest before, an org digest of events alone lost weeks for what the extractive
    highlights had carried: a question with its answer, a thread's outcome (docs/evals.md, forty-first round).

    Args:
        channels: the sources' digests.
        human: every source's people's messages of the period, oldest first.
        news: the events already listed (:func:`org_news`).
        more: the next events the channels' own parts show (:func:`more_news`).

    Returns:
        :class:`OrgNews` points (score 0), in the summary's order; the caller takes as many as fit.
    """
    names = {c.channel_id: c.channel_name for c in channels}
    said = {ts for n in news for ts in n.point.source_ts} | {ts for p in more.values() for ts in p.source_ts}
    told: dict[str, list[Point]] = {c.channel_id: [p for _, p in c.news[:1]] + (
        [Point(c.summary.overview, [])] if c.summary is not None and c.summary.overview else []) for c in channels}
    for c_id, p in more.items():
        told[c_id].append(p)
    by_ts = {m.ts: m for m in human}
    threads = {m.thread_ts or m.ts for n in news for ts in n.point.source_ts[:1] for m in [by_ts.get(ts)] if m}
    summary = summarize(list(human), provider=None, max_points=3, window=True)
    out: list[OrgNews] = []
    for point in [*summary.key_points, *summary.decisions]:
        quoted = by_ts.get(point.source_ts[0]) if point.source_ts else None
        if quoted is None or quoted.channel_id not in names or said & set(point.source_ts):
            continue
        if not quotable(point.text) or (is_question(point.text) and " — " not in point.text):
            continue
        thread = quoted.thread_ts or quoted.ts
        listed = sum(n.channel_id == quoted.channel_id for n in [*news, *out])
        if thread in threads or listed >= FILL_CHANNEL_LINES or any(
                _same_story(point, p) for p in told[quoted.channel_id]):
            continue  # one a thread, three lines a channel in all, and not a story its lines already tell
        out.append(OrgNews(quoted.channel_id, names[quoted.channel_id], point, 0.0))
        said |= set(point.source_ts)
        threads.add(thread)
    return out


def more_news(channels: Sequence[ChannelDigest], news: Sequence[OrgNews]) -> dict[str, Point]:
    """``{channel id: point}``: for each channel whose first event is in ``news``, its second event when that one is
    not there, scores :data:`bot.digests.events.MIN_SCORE` and tells another story (:func:`_same_story`). Read whole
    (docs/evals.md, forty-first round), readers missed a busy channel's second story ("the Weblate lock and its fix"
    beside "621 translations in Q1") and found a channel part of counts alone to be clutter.

    Args:
        channels: the sources' digests.
        news: the events "Across the org" lists (:func:`org_news`).
    """
    placed = {ts for n in news for ts in n.point.source_ts[:1]}
    listed = {n.channel_id for n in news}
    more = {}
    for c in channels:
        if c.channel_id not in listed or len(c.news) < 2:
            continue
        score, point = c.news[1]
        if score >= MIN_SCORE and point.source_ts[:1] and point.source_ts[0] not in placed and not _same_story(
                point, c.news[0][1]):
            more[c.channel_id] = point
    return more


_WORD = re.compile(r"[a-z][a-z'’]{3,}")
SAME_STORY_WORDS = 3
"""Content words (four letters or more) two events of one channel share from which they tell one story ("… do not
subscribe to the R-mailing list because they do not want their passwords sent and stored in plain text" and "where
is the best place to ask to upgrade r mailing list mailman so that it doesn't store plain text passwords?")."""


_COMMON = frozenset("that this with have from will would there their they about what when which your just been "
                    "were also some more like here into only then than them could should".split())
"""Words too common to tell two stories apart."""


def _same_story(point: Point, first: Point) -> bool:
    """True when ``point`` tells the story of its channel's first event ``first``: it cites the same message or the
    same thread's opening, or shares :data:`SAME_STORY_WORDS` content words with it."""
    if set(point.source_ts) & set(first.source_ts):
        return True
    words = set(_WORD.findall(point.text.lower())) - _COMMON
    return len(words & set(_WORD.findall(first.text.lower()))) >= SAME_STORY_WORDS


def batched_provider(provider: Provider | None, read: Mapping[str, Sequence[Message]], *, period: Window,
                     deadline: float, max_points: int = 5) -> Provider | None:
    """The provider a scheduled digest should summarize with: the channels' first calls answered through
    the provider's batch API (half the token price), the rest direct.

    Each channel's opening calls (:func:`bot.summaries.summarize.first_round_requests` of its human
    messages in the period, exactly what :func:`build_channel_digest` will ask) go in one batch
    (:func:`bot.llm.batch.run_batch`: polled until ``deadline`` seconds, then cancelled; whatever it did
    not answer is called directly, once). The answers come back through a
    :class:`bot.llm.batch.PrefilledProvider`, which the digest then uses like the provider itself.

    Args:
        provider: the model, or None.
        read: channel id -> what the reader returned for the period (as :func:`build_channel_digest` gets it).
        period: the period.
        deadline: seconds to wait for the batch; 0 (or no model) returns ``provider`` unchanged.
        max_points: as :func:`build_channel_digest`.

    Returns:
        The provider to pass to :func:`build_channel_digest` and :func:`build_org_digest`.
    """
    if provider is None or deadline <= 0:
        return provider
    requests = []
    for channel_id, messages in read.items():
        human = [m for m in messages if m.channel_id == channel_id and period.contains(m.ts) and not m.is_bot]
        requests += first_round_requests(human, provider=provider, custom_id=channel_id, max_points=max_points)
    if not requests:
        return provider
    run = run_batch(provider, requests, deadline=deadline)
    return PrefilledProvider(provider, {r.key: run.answers[r.custom_id] for r in requests if r.custom_id in run.answers})


__all__ = [
    "ChannelDigest",
    "OrgDigest",
    "OrgNews",
    "Summarizer",
    "ThreadActivity",
    "batched_provider",
    "build_channel_digest",
    "build_org_digest",
    "fill_points",
    "more_news",
    "org_news",
    "thread_activity",
]
