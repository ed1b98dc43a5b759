"""``recap digest``: build digests from a Slack export, offline by default.

Usage::

    recap digest --export PATH --channel general --week 2023-W35          # print one digest
    recap digest --export PATH --channels general,c-study-group --week 2023-W35   # the org digest
    recap digest --export PATH --channel general --from 2021-W01 --to 2021-W52 [--check]
    recap digest --export PATH --channels a,b,c --from 2021-W01 --to 2023-W52 --check   # each channel

A range shows a progress bar (rich) and ends with one summary line: weeks posted, quiet, failed, and
with ``--check`` the structural checker's totals (:mod:`bot.digests.check`). Exit code 1 when a week
failed or a check found a problem.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.config import load_settings
from bot.digests.build import ChannelDigest, OrgDigest, build_channel_digest, build_org_digest
from bot.digests.check import check_channel_digest, check_org_digest
from bot.digests.render import Block, blocks_to_markdown, channel_blocks, org_blocks
from bot.digests.runs import build_for_channel, read_period
from bot.errors import RecapError
from bot.llm.base import Provider
from bot.llm.factory import build_provider
from bot.models import Message
from bot.periods import Window, iso_week, weeks_between
from bot.slack.export import ExportReader
from bot.slack.export_files import parse_domain
from bot.slack.reader import Reader


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="recap digest", description="Weekly digests from a Slack export.")
    parser.add_argument("--export", required=True, help="Slack export folder or .zip")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--channel", help="one channel name: its weekly digest")
    which.add_argument("--channels", help="comma-separated names: the org digest (or each, with a range)")
    parser.add_argument("--week", help="ISO week, e.g. 2023-W35")
    parser.add_argument("--from", dest="first", help="first ISO week of a range")
    parser.add_argument("--to", dest="last", help="last ISO week of a range (inclusive)")
    parser.add_argument("--tz", default="UTC", help="IANA zone of the weeks (default UTC)")
    parser.add_argument("--domain", help="the workspace's Slack subdomain for the links (guessed from the export's "
                                         "name by default: acme for acme.slack.com)")
    parser.add_argument("--check", action="store_true", help="run the structural checker on every digest")
    parser.add_argument("--format", choices=["markdown", "blocks"], default="markdown")
    parser.add_argument("--provider", choices=["offline", "anthropic", "openai"], default="offline")
    return parser


def _provider(name: str) -> Provider | None:
    """``--provider``: ``offline`` is no model (None, the extractive summary); a model name is built
    from the settings (``.env`` and the environment: its key, model, timeouts)."""
    if name == "offline":
        return None
    return build_provider(load_settings(), provider=name)


def build_channel(reader: Reader, provider: Provider | None, name: str,
                  period: Window) -> tuple[ChannelDigest, list[Block], list[Message]]:
    """Read and build one channel's digest (``name``: as the reader finds channels, e.g. an export's
    folder name); returns ``(digest, blocks, messages read)``.

    Raises:
        SlackReadError: the channel or its messages cannot be read.
    """
    channel = reader.channel(name)
    digest, messages = build_for_channel(reader=reader, provider=provider, channel_id=channel.id,
                                         channel_name=channel.name, period=period)
    return digest, channel_blocks(digest), messages


def build_org(reader: Reader, provider: Provider | None, names: Sequence[str],
              period: Window) -> tuple[OrgDigest, list[Block], list[Message]]:
    """Read and build the org digest of ``names``; returns ``(digest, blocks, messages read)``.

    Raises:
        SlackReadError: a channel or its messages cannot be read.
    """
    channels, everything = [], []
    for name in names:
        channel = reader.channel(name)
        messages = read_period(reader, channel.id, period)
        everything.extend(messages)
        channels.append(build_channel_digest(messages, channel_id=channel.id, channel_name=channel.name,
                                             period=period, provider=provider, permalink_for=reader.permalink))
    digest = build_org_digest(channels, period=period, human_messages=everything, provider=provider)
    return digest, org_blocks(digest), everything


def _print(blocks: list[Block], fmt: str) -> None:
    if fmt == "blocks":
        print(json.dumps(blocks, ensure_ascii=False, indent=1))
    else:
        print(blocks_to_markdown(blocks))


def _range(args: argparse.Namespace, reader: Reader, provider: Provider | None) -> int:
    from rich.progress import Progress  # loaded only for a range (its progress bar)

    weeks = weeks_between(args.first, args.last)
    names = [args.channel] if args.channel else [n.strip() for n in args.channels.split(",") if n.strip()]
    totals: Counter[str] = Counter()
    problems: list[str] = []
    with Progress(transient=False) as progress:
        task = progress.add_task("digests", total=len(weeks) * len(names))
        for name in names:
            for week in weeks:
                progress.update(task, description=f"#{name} {week}")
                try:
                    digest, blocks, messages = build_channel(reader, provider, name, iso_week(week, args.tz))
                    totals["quiet" if digest.quiet else "posted"] += 1
                    totals["messages"] += digest.messages
                    totals["threads"] += len(digest.threads)
                    if args.check:
                        result = check_channel_digest(digest, blocks, messages)
                        totals["checked"] += 1
                        totals["busy threads"] += result.busy_threads
                        totals["links"] += result.linked
                        totals["bot posts"] += sum(digest.bot_counts.values())
                        if not result.ok:
                            totals["check failures"] += 1
                            problems.extend(f"#{name} {week}: {p}" for p in result.problems)
                except RecapError as exc:
                    totals["failed"] += 1
                    problems.append(f"#{name} {week}: {exc}")
                progress.advance(task)
    for problem in problems[:50]:
        print(problem, file=sys.stderr)
    line = (f"{len(names)} channel(s) × {len(weeks)} weeks: {totals['posted']} posted, {totals['quiet']} quiet, "
            f"{totals['failed']} failed; {totals['messages']} messages, {totals['threads']} threads")
    if args.check:
        line += (f"; checker: {totals['checked']} digests, {totals['busy threads']} threads with ≥3 replies, "
                 f"{totals['links']} links, {totals['bot posts']} integration posts counted, "
                 f"{totals['check failures']} with problems")
    print(line)
    return 1 if totals["failed"] or totals["check failures"] else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``recap digest``; returns the exit code (1: a failure or a check problem, 2: bad
    arguments or an error reading the export)."""
    args = _parser().parse_args(list(argv) if argv is not None else None)
    try:
        ZoneInfo(args.tz)
    except (ZoneInfoNotFoundError, ValueError):
        print(f"recap digest: error: --tz {args.tz!r} is not an IANA time zone such as Europe/Berlin or UTC", file=sys.stderr)
        return 2
    domain = parse_domain(args.domain) if args.domain is not None else None
    if args.domain is not None and domain is None:
        print(f"recap digest: error: --domain {args.domain!r} is not a Slack workspace subdomain like acme",
              file=sys.stderr)
        return 2
    reader = ExportReader(args.export, domain=domain)
    provider = _provider(args.provider)
    try:
        if args.first or args.last:
            if not (args.first and args.last):
                print("recap digest: error: --from and --to go together", file=sys.stderr)
                return 2
            return _range(args, reader, provider)
        if not args.week:
            print("recap digest: error: give --week, or --from and --to", file=sys.stderr)
            return 2
        period = iso_week(args.week, args.tz)
        if args.channel:
            channel_digest, blocks, messages = build_channel(reader, provider, args.channel, period)
            result = check_channel_digest(channel_digest, blocks, messages)
        else:
            names = [n.strip() for n in args.channels.split(",") if n.strip()]
            org_digest, blocks, messages = build_org(reader, provider, names, period)
            result = check_org_digest(org_digest, blocks, messages)
        _print(blocks, args.format)
        if args.check:
            print(f"checker: {'ok' if result.ok else 'PROBLEMS'}; {result.busy_threads} threads with ≥3 replies, "
                  f"{result.linked} links", file=sys.stderr)
            for problem in result.problems:
                print(f"  {problem}", file=sys.stderr)
            return 0 if result.ok else 1
        return 0
    except RecapError as exc:
        print(f"recap digest: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
