"""Structural checks of a rendered digest against the messages it was built from.

Facts checked (issue 3, "Done when"), recomputed here from the messages, not from the digest's own
bookkeeping:

1. **Busy threads are covered.** Every thread with 3 or more replies in the period is linked in the
   digest, or counted (the digest's thread count includes it and says how many more there are).
2. **Links stay in place.** Every Slack permalink in the blocks points into the digest's channel(s)
   and at a message whose ``ts`` (and, for replies, whose thread) lies in the period.
3. **Bots are never quoted.** No summary point cites an integration's message, and no sentence of
   30+ characters of an integration's text appears in the blocks.
4. **Slack limits.** ≤ 50 blocks, section text ≤ 3,000 characters, header ≤ 150 characters.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.digests.build import ChannelDigest, OrgDigest
from bot.models import Message
from bot.periods import Window

BUSY_REPLIES = 3
QUOTE_CHARS = 30

_THREAD_COUNT = re.compile(r"messages? · (\d+) threads? · |from people\. (\d+) threads?\.")
# /archives/<channel ID (or, for exports of deleted channels, folder name)>/p<digits>[?thread_ts=…]
_PERMALINK = re.compile(r"/archives/([^/?#]+)/p(\d{7,})(?:\?thread_ts=(\d+\.\d+))?")
_URL = re.compile(r"<(https?://[^|>]+)(?:\|[^>]*)?>")


@dataclass
class CheckResult:
    """What the checker found for one digest.

    Attributes:
        problems: human-readable violations (empty when the digest passes).
        busy_threads: threads with ≥ 3 replies in the period.
        linked: Slack permalinks found in the blocks.
    """

    problems: list[str]
    busy_threads: int
    linked: int

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems


def _texts(blocks: Sequence[dict]) -> list[str]:
    out = []
    for block in blocks:
        if isinstance(block.get("text"), dict):
            out.append(str(block["text"].get("text", "")))
        for element in block.get("elements", []) or []:
            if isinstance(element, dict) and "text" in element:
                out.append(str(element["text"]))
    return out


def _normalise(text: str) -> str:
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split()).lower()


def _limits(blocks: Sequence[dict]) -> list[str]:
    problems = []
    if len(blocks) > 50:
        problems.append(f"{len(blocks)} blocks (Slack allows 50)")
    for block in blocks:
        text = (block.get("text") or {}).get("text", "") if isinstance(block.get("text"), dict) else ""
        limit = 150 if block.get("type") == "header" else 3000
        if len(text) > limit:
            problems.append(f"{block.get('type')} text of {len(text)} characters (limit {limit})")
    return problems


def check_blocks(
    blocks: Sequence[dict],
    messages: Sequence[Message],
    *,
    period: Window,
    channel_ids: set[str],
    thread_count: int,
    cited_ts: Sequence[str] = (),
) -> CheckResult:
    """Check one rendered digest.

    Args:
        blocks: the Block Kit blocks posted.
        messages: every message read for the digest (all channels, with context parents).
        period: the digest's period.
        channel_ids: the channels the digest may link into.
        thread_count: the number of threads the digest says it counted.
        cited_ts: every ``ts`` the digest's summary points cite.

    Returns:
        A :class:`CheckResult`.
    """
    problems = _limits(blocks)
    texts = _texts(blocks)
    joined = "\n".join(texts)
    # 2. links
    linked_ts: set[str] = set()
    linked_threads: set[str] = set()
    urls = [u.replace("&amp;", "&") for u in _URL.findall(joined) if ".slack.com/archives/" in u]
    for url in urls:
        match = _PERMALINK.search(url)
        if not match:
            problems.append(f"unparseable permalink {url}")
            continue
        channel_id, digits, thread_ts = match.group(1), match.group(2), match.group(3)
        ts = f"{digits[:-6]}.{digits[-6:]}"
        if channel_id not in channel_ids:
            problems.append(f"link into another channel: {url}")
        if not period.contains(ts):
            problems.append(f"link outside the period: {url}")
        linked_ts.add(ts)
        linked_threads.add(thread_ts or ts)
    # 1. busy threads
    in_period = [m for m in messages if period.contains(m.ts)]
    replies = Counter((m.channel_id, m.thread_ts) for m in in_period if m.is_reply)
    busy = [thread for (_, thread), n in replies.items() if n >= BUSY_REPLIES]
    active_threads = {(m.channel_id, m.thread_ts) for m in in_period if m.is_reply} | {
        (m.channel_id, m.ts) for m in in_period if not m.is_reply and m.reply_count}
    shown = [int(a or b) for a, b in _THREAD_COUNT.findall(joined)]
    if shown:
        thread_count = sum(shown)
    if thread_count < len(active_threads):
        problems.append(f"counts {thread_count} threads, but {len(active_threads)} were active")
    unlinked_busy = [t for t in busy if t not in linked_threads]
    if unlinked_busy and thread_count < len(active_threads):
        problems.append(f"{len(unlinked_busy)} busy threads neither linked nor counted")
    # 3. bots
    bot_ts = {m.ts for m in messages if m.is_bot}
    for ts in cited_ts:
        if ts in bot_ts:
            problems.append(f"a summary point cites the integration message {ts}")
    haystack = _normalise(joined)
    for message in messages:
        if not message.is_bot:
            continue
        for piece in re.split(r"(?<=[.!?])\s+|\n", message.text):
            norm = _normalise(piece)
            if len(norm) >= QUOTE_CHARS and norm in haystack:
                problems.append(f"integration text quoted: {piece[:60]!r}")
                break
    return CheckResult(problems=problems, busy_threads=len(busy), linked=len(urls))


def _cited(digest: ChannelDigest) -> list[str]:
    if digest.summary is None:
        return []
    return [ts for point in digest.summary.all_points() for ts in point.source_ts]


def check_channel_digest(digest: ChannelDigest, blocks: Sequence[dict], messages: Sequence[Message]) -> CheckResult:
    """Check a channel digest's blocks against the messages read for it (see :func:`check_blocks`)."""
    return check_blocks(blocks, messages, period=digest.period, channel_ids={digest.channel_id},
                        thread_count=len(digest.threads), cited_ts=_cited(digest))


def check_org_digest(digest: OrgDigest, blocks: Sequence[dict], messages: Sequence[Message]) -> CheckResult:
    """Check an org digest: links stay within the source channels and the period; bots unquoted."""
    cited = [ts for channel in digest.channels for ts in _cited(channel)]
    if digest.highlights is not None:
        cited += [ts for point in digest.highlights.all_points() for ts in point.source_ts]
    cited += [ts for news in [*digest.news, *digest.fill] for ts in news.point.source_ts]
    cited += [ts for point in digest.more.values() for ts in point.source_ts]
    return check_blocks(blocks, messages, period=digest.period, channel_ids={c.channel_id for c in digest.channels},
                        thread_count=sum(len(c.threads) for c in digest.channels), cited_ts=cited)


__all__ = ["BUSY_REPLIES", "CheckResult", "check_blocks", "check_channel_digest", "check_org_digest"]
